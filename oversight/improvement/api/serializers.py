"""Input and output serializers of the improvement API. Input serializers only parse; services decide."""

from __future__ import annotations

from rest_framework import serializers

from oversight.catalog.selectors import service_list
from oversight.contracts.selectors import contract_list
from oversight.core.api.serializers import ObjectRefSerializer, ScopedPrimaryKeyRelatedField, StrictInputSerializer
from oversight.improvement import permissions, sources
from oversight.improvement.choices import ITEM_MACHINE, Priority, Size
from oversight.improvement.forms import people
from oversight.improvement.models import EffectMeasurement, ImprovementItem
from oversight.tenancy.selectors import vendor_list

VALUE = {"max_digits": 20, "decimal_places": 6}

# ---------------------------------------------------------------- output


class EffectMeasurementSerializer(serializers.ModelSerializer):
    """One stored effect measurement: windows, values, change and whether the target was met."""

    measured_by = ObjectRefSerializer(read_only=True)

    class Meta:
        model = EffectMeasurement
        fields = [
            "id",
            "indicator",
            "unit",
            "higher_is_better",
            "implemented_on",
            "days",
            "before_first",
            "before_last",
            "after_first",
            "after_last",
            "before_value",
            "after_value",
            "change",
            "relative_change",
            "target",
            "target_met",
            "improved",
            "detail",
            "measured_by",
            "measured_at",
        ]
        read_only_fields = fields


class ImprovementListSerializer(serializers.ModelSerializer):
    """An improvement in a list."""

    owner = ObjectRefSerializer(read_only=True)
    approver = ObjectRefSerializer(read_only=True)
    vendor = ObjectRefSerializer(read_only=True)

    class Meta:
        model = ImprovementItem
        fields = [
            "id",
            "number",
            "title",
            "title_en",
            "status",
            "priority",
            "size",
            "source_kind",
            "owner",
            "approver",
            "vendor",
            "indicator",
            "baseline",
            "target",
            "target_date",
            "implemented_on",
            "benefit_amount",
            "currency",
            "created_at",
            "closed_at",
        ]
        read_only_fields = fields


class ImprovementDetailSerializer(ImprovementListSerializer):
    """An improvement with its source (as the reader may see it), latest measurement and the steps open to them."""

    contract = ObjectRefSerializer(read_only=True)
    service = ObjectRefSerializer(read_only=True)
    source = serializers.SerializerMethodField()
    latest_measurement = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta(ImprovementListSerializer.Meta):
        fields = [
            *ImprovementListSerializer.Meta.fields,
            "description",
            "justification",
            "contract",
            "service",
            "source_id",
            "source_note",
            "source",
            "benefits",
            "updated_at",
            "version",
            "latest_measurement",
            "allowed_actions",
        ]
        read_only_fields = fields

    def get_source(self, item) -> dict | None:
        linked = sources.resolve(user=self.context["request"].user, kind=item.source_kind, pk=item.source_id)
        if linked is None:
            return None
        return {"kind": linked.kind, "id": linked.pk, "text": linked.text, "url": linked.url}

    def get_latest_measurement(self, item) -> dict | None:
        record = item.measurements.order_by("-measured_at", "-id").first()
        return None if record is None else EffectMeasurementSerializer(record).data

    def get_allowed_actions(self, item) -> list[str]:
        user = self.context["request"].user
        return [a for a in ITEM_MACHINE.actions_from(item.status) if permissions.may_act(user, item, a)]


# ---------------------------------------------------------------- input


class ImprovementInputSerializer(StrictInputSerializer):
    """An improvement's details (title, description, owner and approver required to raise one; any subset to change
    one). ``source`` ("complaint:12", "manual") is read when it is raised."""

    title = serializers.CharField(max_length=200)
    title_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField()
    justification = serializers.CharField(required=False, allow_blank=True)
    size = serializers.ChoiceField(choices=Size.choices, required=False)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    owner = ScopedPrimaryKeyRelatedField(people)
    approver = ScopedPrimaryKeyRelatedField(people, required=False, allow_null=True)
    target_date = serializers.DateField(required=False, allow_null=True)
    vendor = ScopedPrimaryKeyRelatedField(vendor_list, required=False, allow_null=True)
    contract = ScopedPrimaryKeyRelatedField(contract_list, required=False, allow_null=True)
    service = ScopedPrimaryKeyRelatedField(service_list, required=False, allow_null=True)
    indicator = serializers.CharField(max_length=40, required=False, allow_blank=True)
    baseline = serializers.DecimalField(**VALUE, required=False, allow_null=True)
    target = serializers.DecimalField(**VALUE, required=False, allow_null=True)
    source = serializers.CharField(max_length=40, required=False, help_text="<kind>:<id>, or survey / manual")
    source_note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class ImprovementTransitionInputSerializer(StrictInputSerializer):
    """A note (needed to reject or hold) and, for "complete", the implementation date (today when omitted)."""

    note = serializers.CharField(required=False, allow_blank=True, default="")
    implemented_on = serializers.DateField(required=False, allow_null=True, default=None)


class ImprovementMeasureInputSerializer(StrictInputSerializer):
    """Days before and after the implementation date (30, or fewer when less time has passed, when omitted)."""

    days = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=366, default=None)


class ImprovementBenefitInputSerializer(StrictInputSerializer):
    """The benefit realised: text and an optional amount."""

    benefits = serializers.CharField()
    benefit_amount = serializers.DecimalField(max_digits=16, decimal_places=2, required=False, allow_null=True)
