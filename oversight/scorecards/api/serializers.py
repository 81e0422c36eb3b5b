"""Input and output serializers of the evaluation API. Input serializers only parse; the services decide."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from oversight.catalog.selectors import calendar_list
from oversight.contracts.selectors import contract_list
from oversight.core.api.serializers import ObjectRefSerializer, ScopedPrimaryKeyRelatedField, StrictInputSerializer
from oversight.scorecards import selectors
from oversight.scorecards.choices import Dimension, MissingPolicy, PeriodKind, Unit
from oversight.scorecards.models import (
    CommitmentResult,
    Dispute,
    EvaluationPeriod,
    Evidence,
    IndicatorResult,
    IndicatorScheme,
    ManualEntry,
    PeriodEvent,
    SchemeIndicator,
)

FIGURE = {"max_digits": 24, "decimal_places": 6, "coerce_to_string": True}

# ---------------------------------------------------------------- schemes


class SchemeIndicatorSerializer(serializers.ModelSerializer):
    """An indicator of a scheme version (the rule as `rules.<Rule>.to_dict()`)."""

    rule = serializers.JSONField(help_text=_('e.g. {"kind": "linear", "full_at": "98", "zero_at": "90"}'))

    class Meta:
        model = SchemeIndicator
        fields = [
            "id",
            "position",
            "code",
            "name",
            "name_en",
            "dimension",
            "weight",
            "source",
            "unit",
            "rule",
            "missing_policy",
            "target",
            "description",
        ]
        read_only_fields = fields


class SchemeSerializer(serializers.ModelSerializer):
    """A scheme version with its indicators."""

    contract = ObjectRefSerializer(read_only=True)
    created_by = serializers.StringRelatedField(read_only=True)
    indicators = SchemeIndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = IndicatorScheme
        fields = [
            "id",
            "contract",
            "number",
            "name",
            "period_kind",
            "reopen_window_days",
            "dispute_window_days",
            "dispute_calendar",
            "note",
            "created_at",
            "created_by",
            "indicators",
        ]
        read_only_fields = fields


class IndicatorInputSerializer(StrictInputSerializer):
    """One indicator of a new scheme version."""

    code = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    dimension = serializers.ChoiceField(choices=Dimension.choices)
    weight = serializers.DecimalField(max_digits=5, decimal_places=2)
    # Not a fixed enum: sources are registered by apps (oversight.core.kpis); the service refuses unknown ones.
    source = serializers.CharField(
        max_length=40, help_text=_("A registered indicator source (docs/indicators.md), or manual.")
    )
    rule = serializers.JSONField(help_text=_('e.g. {"kind": "deduction", "per_event": "5", "max_points": "5"}'))
    missing_policy = serializers.ChoiceField(choices=MissingPolicy.choices, default=MissingPolicy.RAISE)
    unit = serializers.ChoiceField(
        choices=Unit.choices, required=False, allow_blank=True, default="", help_text=_("Manual indicators only.")
    )
    target = serializers.DecimalField(max_digits=14, decimal_places=4, required=False, allow_null=True, default=None)
    description = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_rule(self, value):
        if not isinstance(value, dict):
            raise serializers.ValidationError(_("The rule is an object with a kind and its numbers."))
        return value


class SchemeCreateInputSerializer(StrictInputSerializer):
    """A new version of a contract's scheme: every indicator (weights summing to exactly 100)."""

    contract = ScopedPrimaryKeyRelatedField(contract_list)
    name = serializers.CharField(max_length=200)
    period_kind = serializers.ChoiceField(choices=PeriodKind.choices, default=PeriodKind.QUARTERLY)
    reopen_window_days = serializers.IntegerField(min_value=0, max_value=90, default=7)
    dispute_window_days = serializers.IntegerField(min_value=1, max_value=60, default=5)
    dispute_calendar = ScopedPrimaryKeyRelatedField(calendar_list, required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    indicators = IndicatorInputSerializer(many=True)


class TemplateInputSerializer(StrictInputSerializer):
    """A new scheme version from the hospital O&M template."""

    contract = ScopedPrimaryKeyRelatedField(contract_list)
    period_kind = serializers.ChoiceField(choices=PeriodKind.choices, default=PeriodKind.QUARTERLY)


# ---------------------------------------------------------------- periods


class PeriodSerializer(serializers.ModelSerializer):
    """An evaluation period: status, score, dates, signatures (`total_score` is what settlement reads)."""

    contract = ObjectRefSerializer(read_only=True)
    vendor = ObjectRefSerializer(read_only=True)
    contract_version = serializers.IntegerField(source="contract_version.number", read_only=True)
    scheme = serializers.IntegerField(source="scheme.number", read_only=True)
    label = serializers.CharField(read_only=True)
    months = serializers.IntegerField(read_only=True)
    is_revised = serializers.BooleanField(read_only=True, help_text=_("A later revision replaces this period."))
    client_signed_by = serializers.StringRelatedField(read_only=True)
    vendor_signed_by = serializers.StringRelatedField(read_only=True)
    locked_by = serializers.StringRelatedField(read_only=True)
    total_score = serializers.DecimalField(max_digits=5, decimal_places=2, read_only=True, allow_null=True)
    unit_counts = serializers.DictField(child=serializers.IntegerField(), read_only=True)
    problems = serializers.ListField(child=serializers.DictField(), read_only=True)

    class Meta:
        model = EvaluationPeriod
        fields = [
            "id",
            "contract",
            "vendor",
            "contract_version",
            "scheme",
            "kind",
            "label",
            "months",
            "starts_on",
            "ends_on",
            "start_at",
            "end_at",
            "revision",
            "revision_of",
            "revision_reason",
            "is_revised",
            "status",
            "total_score",
            "total_exact",
            "unit_counts",
            "problems",
            "computed_at",
            "computed_after_end",
            "published_at",
            "dispute_deadline",
            "client_signed_at",
            "client_signed_by",
            "vendor_signed_at",
            "vendor_signed_by",
            "locked_at",
            "locked_by",
        ]
        read_only_fields = fields


class _DrillMixin:
    def _sets(self, obj, name: str) -> dict[str, dict]:
        out = {}
        for which, count in selectors.record_sets(obj):
            url = reverse(f"api:{name}", kwargs={"pk": obj.period_id})
            out[which] = {"count": count, "url": f"{url}?{self._param}={obj.code}&set={which}"}
        return out


class IndicatorResultSerializer(_DrillMixin, serializers.ModelSerializer):
    """One indicator's outcome; `sets` name the drill-down lists (count and URL of the records behind each)."""

    _param = "indicator"
    name = serializers.CharField(source="indicator.name", read_only=True)
    name_en = serializers.CharField(source="indicator.name_en", read_only=True)
    value = serializers.DecimalField(read_only=True, allow_null=True, **FIGURE)
    numerator = serializers.DecimalField(read_only=True, allow_null=True, **FIGURE)
    denominator = serializers.DecimalField(read_only=True, allow_null=True, **FIGURE)
    points = serializers.DecimalField(max_digits=16, decimal_places=6, read_only=True, allow_null=True)
    contribution = serializers.DecimalField(max_digits=16, decimal_places=6, read_only=True, allow_null=True)
    exact = serializers.DictField(child=serializers.CharField(), read_only=True)
    sets = serializers.SerializerMethodField()

    class Meta:
        model = IndicatorResult
        fields = [
            "id",
            "code",
            "name",
            "name_en",
            "dimension",
            "weight",
            "source",
            "unit",
            "value",
            "numerator",
            "denominator",
            "missing",
            "points",
            "max_points",
            "contribution",
            "exact",
            "record_type",
            "manual_entry",
            "sets",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_sets(self, obj) -> dict:
        return self._sets(obj, "evaluation-period-drilldown")


class CommitmentResultSerializer(_DrillMixin, serializers.ModelSerializer):
    """One SLA commitment's outcome: measured value, met, share forfeited (`measured_exact` is the exact actual)."""

    _param = "commitment"
    measured_value = serializers.DecimalField(read_only=True, allow_null=True, **FIGURE)
    numerator = serializers.DecimalField(read_only=True, allow_null=True, **FIGURE)
    denominator = serializers.DecimalField(read_only=True, allow_null=True, **FIGURE)
    sets = serializers.SerializerMethodField()

    class Meta:
        model = CommitmentResult
        fields = [
            "id",
            "code",
            "name",
            "name_en",
            "indicator",
            "unit",
            "target",
            "higher_is_better",
            "allocation_percent",
            "measured_value",
            "measured_exact",
            "numerator",
            "denominator",
            "met",
            "forfeited_share_percent",
            "record_type",
            "sets",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_sets(self, obj) -> dict:
        return self._sets(obj, "evaluation-period-drilldown")


class DrilldownSerializer(serializers.Serializer):
    """The records behind one figure: their kind, ids and a short description of each visible one."""

    figure = serializers.CharField(read_only=True)
    set = serializers.CharField(read_only=True)
    record_type = serializers.CharField(read_only=True)
    ids = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    records = serializers.ListField(child=serializers.DictField(), read_only=True)


class PeriodEventSerializer(serializers.ModelSerializer):
    """One step of a period's timeline."""

    actor = serializers.StringRelatedField(read_only=True)
    data = serializers.DictField(read_only=True)

    class Meta:
        model = PeriodEvent
        fields = ["seq", "at", "actor", "kind", "from_status", "to_status", "note", "data"]
        read_only_fields = fields


class EvidenceSerializer(serializers.ModelSerializer):
    """An evidence file's metadata (download it at `download`)."""

    download = serializers.SerializerMethodField()
    uploaded_by = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = Evidence
        fields = ["id", "original_name", "content_type", "size", "sha256", "uploaded_by", "created_at", "download"]
        read_only_fields = fields

    def get_download(self, obj) -> str:
        return reverse("api:evaluation-evidence-download", kwargs={"pk": obj.pk})


class ManualEntrySerializer(serializers.ModelSerializer):
    """A manual value with its note and evidence."""

    indicator = serializers.CharField(source="indicator.code", read_only=True)
    entered_by = serializers.StringRelatedField(read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = ManualEntry
        fields = ["id", "indicator", "value", "note", "dispute", "carried_from", "entered_by", "entered_at", "evidence"]
        read_only_fields = fields


class DisputeSerializer(serializers.ModelSerializer):
    """A dispute and its decision."""

    indicator = serializers.CharField(source="indicator.code", read_only=True)
    work_order = serializers.CharField(source="work_order.number", read_only=True, allow_null=True, default=None)
    raised_by = serializers.StringRelatedField(read_only=True)
    decided_by = serializers.StringRelatedField(read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = Dispute
        fields = [
            "id",
            "period",
            "indicator",
            "work_order",
            "reason",
            "status",
            "raised_by",
            "raised_at",
            "decided_by",
            "decided_at",
            "decision_reason",
            "corrected_value",
            "score_before",
            "score_after",
            "evidence",
        ]
        read_only_fields = fields


class PeriodOpenInputSerializer(StrictInputSerializer):
    """Open (or find) the month or quarter of a contract containing `day`, and compute it."""

    contract = ScopedPrimaryKeyRelatedField(contract_list)
    kind = serializers.ChoiceField(choices=PeriodKind.choices)
    day = serializers.DateField(help_text=_("Any day of the month or quarter (the organisation's calendar)."))


class ReasonInputSerializer(StrictInputSerializer):
    """A reason (for a revision)."""

    reason = serializers.CharField()


class ManualEntryInputSerializer(StrictInputSerializer):
    """A manual indicator's value (or event count) with a note and evidence files."""

    indicator = serializers.CharField(max_length=40, help_text=_("The indicator's code."))
    value = serializers.DecimalField(max_digits=14, decimal_places=4)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class DisputeInputSerializer(StrictInputSerializer):
    """A dispute of an indicator, or of one work order behind it (id or number), with a reason and evidence."""

    indicator = serializers.CharField(max_length=40, help_text=_("The indicator's code."))
    work_order = serializers.CharField(required=False, allow_blank=True, default="", help_text=_("Id or number."))
    reason = serializers.CharField()
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class DecisionInputSerializer(StrictInputSerializer):
    """The decision's reason; accepting a manual indicator's dispute needs the corrected value."""

    reason = serializers.CharField()
    corrected_value = serializers.DecimalField(
        max_digits=14, decimal_places=4, required=False, allow_null=True, default=None
    )
