"""Input and output serializers of the workforce API. Input serializers only parse; services decide."""

from __future__ import annotations

from rest_framework import serializers

from oversight.core.api.serializers import ObjectRefSerializer, ScopedPrimaryKeyRelatedField, StrictInputSerializer
from oversight.workforce import selectors
from oversight.workforce.choices import ForecastModel, ForecastSource
from oversight.workforce.models import ForecastPoint, ForecastSnapshot

# ---------------------------------------------------------------- output


class PointSerializer(serializers.ModelSerializer):
    class Meta:
        model = ForecastPoint
        fields = ["interval_start", "offered", "aht_seconds"]
        read_only_fields = fields


class ForecastSnapshotSerializer(serializers.ModelSerializer):
    """A published forecast (immutable)."""

    queue = ObjectRefSerializer(read_only=True)
    created_by = ObjectRefSerializer(read_only=True)

    class Meta:
        model = ForecastSnapshot
        fields = [
            "id",
            "queue",
            "source",
            "model",
            "parameters",
            "training_start",
            "training_end",
            "period_start",
            "period_end",
            "note",
            "created_at",
            "created_by",
        ]
        read_only_fields = fields


class AccuracySerializer(serializers.Serializer):
    """Accuracy of a snapshot so far (accuracy = 1 − WAPE; MAPE over non-zero actuals)."""

    intervals = serializers.IntegerField()
    actual_total = serializers.FloatField()
    forecast_total = serializers.FloatField()
    wape = serializers.FloatField(allow_null=True)
    accuracy = serializers.FloatField(allow_null=True)
    bias = serializers.FloatField(allow_null=True)
    mape = serializers.FloatField(allow_null=True)
    mape_intervals = serializers.IntegerField()
    smape = serializers.FloatField()
    mase = serializers.FloatField(allow_null=True)


class ForecastSnapshotDetailSerializer(ForecastSnapshotSerializer):
    """A snapshot with its points and its accuracy so far."""

    points = PointSerializer(many=True, read_only=True)
    accuracy = serializers.SerializerMethodField()

    class Meta(ForecastSnapshotSerializer.Meta):
        fields = [*ForecastSnapshotSerializer.Meta.fields, "points", "accuracy"]
        read_only_fields = fields

    def get_accuracy(self, obj) -> dict | None:
        result = self.context.get("accuracy")
        return None if result is None or result.overall is None else AccuracySerializer(result.overall).data


class StaffingIntervalSerializer(serializers.Serializer):
    """Required agents of one interval (Erlang C and A, rounded and fractional) beside the staffed agents."""

    interval_start = serializers.DateTimeField()
    volume = serializers.FloatField()
    volume_source = serializers.CharField()
    aht_seconds = serializers.FloatField()
    required_erlang_c = serializers.IntegerField()
    fractional_erlang_c = serializers.FloatField()
    scheduled_erlang_c = serializers.IntegerField()
    required_erlang_a = serializers.IntegerField(allow_null=True)
    fractional_erlang_a = serializers.FloatField(allow_null=True)
    staffed_agents = serializers.FloatField()
    staffed_ratio = serializers.FloatField(allow_null=True)
    understaffed = serializers.BooleanField()


# ---------------------------------------------------------------- input


class PointInputSerializer(StrictInputSerializer):
    interval_start = serializers.DateTimeField()
    offered = serializers.DecimalField(max_digits=12, decimal_places=3, min_value=0)
    aht_seconds = serializers.DecimalField(max_digits=12, decimal_places=3, required=False, allow_null=True)


class SnapshotInputSerializer(StrictInputSerializer):
    """Publish a forecast: the vendor's ("submitted") or, for the client's operators, the client's own points."""

    queue = ScopedPrimaryKeyRelatedField(selector=selectors.queue_list)
    source = serializers.ChoiceField(choices=ForecastSource.choices, default=ForecastSource.VENDOR)
    model = serializers.ChoiceField(choices=ForecastModel.choices, default=ForecastModel.SUBMITTED)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    points = PointInputSerializer(many=True, allow_empty=False, max_length=50_000)


class StaffingQuerySerializer(StrictInputSerializer):
    start = serializers.DateField(required=False)
    days = serializers.IntegerField(required=False, min_value=1, max_value=14, default=7)
