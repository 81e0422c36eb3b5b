"""Input and output serializers of the contract API. Input serializers only parse; the services decide."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from oversight.catalog.choices import SLAMetric
from oversight.catalog.selectors import service_list, sla_policy_version_list
from oversight.contracts.choices import AmountBasis, DocumentKind, FeePeriod, UnitRateKind
from oversight.contracts.models import Contract, ContractDocument, ContractVersion
from oversight.contracts.permissions import may_manage_contracts
from oversight.contracts.validation import (
    BandInput,
    CommitmentInput,
    ShareStepInput,
    StaffingInput,
    Terms,
    UnitRateInput,
)
from oversight.core.api.serializers import ObjectRefSerializer, ScopedPrimaryKeyRelatedField, StrictInputSerializer
from oversight.tenancy.choices import StaffPosition
from oversight.tenancy.selectors import site_list, vendor_list

PERCENT = {"max_digits": 5, "decimal_places": 2}
MONEY = {"max_digits": 14, "decimal_places": 2}
RATE = {"max_digits": 14, "decimal_places": 4}
SCORE = {"max_digits": 5, "decimal_places": 2}

# ---------------------------------------------------------------- input


class BandInputSerializer(StrictInputSerializer):
    """A score band: scores lower <= s < upper deduct per point below upper, plus a one-off step."""

    upper = serializers.DecimalField(**SCORE)
    lower = serializers.DecimalField(required=False, allow_null=True, default=None, **SCORE)
    per_point = serializers.DecimalField(required=False, default=0, **RATE)
    per_point_basis = serializers.ChoiceField(choices=AmountBasis.choices, default=AmountBasis.PERCENT)
    step = serializers.DecimalField(required=False, default=0, **RATE)
    step_basis = serializers.ChoiceField(choices=AmountBasis.choices, default=AmountBasis.PERCENT)


class ShareStepInputSerializer(StrictInputSerializer):
    """A graduated credit step: a value beyond `threshold` forfeits `share_percent` of the allocation."""

    threshold = serializers.DecimalField(max_digits=14, decimal_places=4)
    share_percent = serializers.DecimalField(**PERCENT)


class CommitmentInputSerializer(StrictInputSerializer):
    """An SLA commitment; give `sla_metric` (its timeliness is measured) and/or `indicator`."""

    code = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    sla_metric = serializers.ChoiceField(choices=SLAMetric.choices, required=False, allow_blank=True, default="")
    # Not a fixed enum: indicators are registered by apps (oversight.core.kpis); validation refuses unknown ones.
    indicator = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("An indicator registered for commitments (docs/indicators.md)."),
    )
    target = serializers.DecimalField(max_digits=14, decimal_places=4, help_text=_("In the indicator's unit."))
    allocation_percent = serializers.DecimalField(**PERCENT)
    miss_share_percent = serializers.DecimalField(required=False, default=100, **PERCENT)
    share_steps = ShareStepInputSerializer(many=True, required=False, default=list)
    sla_policy_versions = ScopedPrimaryKeyRelatedField(sla_policy_version_list, many=True, required=False, default=list)


class UnitRateInputSerializer(StrictInputSerializer):
    """A unit rate per work-order type beyond the quantity included in the fixed fee."""

    kind = serializers.ChoiceField(choices=UnitRateKind.choices)
    rate = serializers.DecimalField(**MONEY)
    included_quantity = serializers.IntegerField(min_value=0, default=0)


class StaffingInputSerializer(StrictInputSerializer):
    """Contracted staffing: a position and how many people."""

    position = serializers.ChoiceField(choices=StaffPosition.choices)
    count = serializers.IntegerField(min_value=1)


class TermsInputSerializer(StrictInputSerializer):
    """The terms of a version. Lists (bands, commitments, ...) replace the previous ones as a whole."""

    term_start = serializers.DateField()
    term_end = serializers.DateField()
    fee_period = serializers.ChoiceField(choices=FeePeriod.choices, default=FeePeriod.MONTHLY)
    fixed_fee = serializers.DecimalField(**MONEY)
    at_risk_percent = serializers.DecimalField(default=0, **PERCENT)
    max_deduction = serializers.DecimalField(required=False, allow_null=True, default=None, **MONEY)
    max_deduction_basis = serializers.ChoiceField(choices=AmountBasis.choices, default=AmountBasis.PERCENT)
    renewal_notice_days = serializers.IntegerField(min_value=0, default=90)
    services = ScopedPrimaryKeyRelatedField(service_list, many=True)
    sites = ScopedPrimaryKeyRelatedField(site_list, many=True, required=False, default=list)
    bands = BandInputSerializer(many=True, required=False, default=list)
    commitments = CommitmentInputSerializer(many=True, required=False, default=list)
    unit_rates = UnitRateInputSerializer(many=True, required=False, default=list)
    staffing = StaffingInputSerializer(many=True, required=False, default=list)


def terms_kwargs(data: dict) -> dict:
    """Validated (possibly partial) terms data as keyword arguments of `validation.Terms`."""
    out = dict(data)
    if "services" in out:
        out["services"] = tuple(out["services"])
    if "sites" in out:
        out["sites"] = tuple(out["sites"])
    if "bands" in out:
        out["bands"] = tuple(BandInput(**b) for b in out["bands"])
    if "commitments" in out:
        out["commitments"] = tuple(
            CommitmentInput(
                **{k: v for k, v in c.items() if k not in ("share_steps", "sla_policy_versions")},
                share_steps=tuple(ShareStepInput(**s) for s in c.get("share_steps", [])),
                sla_policy_versions=tuple(c.get("sla_policy_versions", [])),
            )
            for c in out["commitments"]
        )
    if "unit_rates" in out:
        out["unit_rates"] = tuple(UnitRateInput(**r) for r in out["unit_rates"])
    if "staffing" in out:
        out["staffing"] = tuple(StaffingInput(**s) for s in out["staffing"])
    return out


def terms_from(data: dict) -> Terms:
    """Validated full terms data as `validation.Terms`."""
    return Terms(**terms_kwargs(data))


class ContractCreateInputSerializer(StrictInputSerializer):
    """A new contract (created as a draft with its version 1)."""

    vendor = ScopedPrimaryKeyRelatedField(vendor_list)
    number = serializers.CharField(max_length=60)
    title = serializers.CharField(max_length=200)
    currency = serializers.CharField(max_length=3, default="CNY", help_text=_("ISO 4217 code."))
    terms = TermsInputSerializer()


class ContractUpdateInputSerializer(StrictInputSerializer):
    """Changes to a contract: the title at any time; number, currency and terms only while it is a draft."""

    number = serializers.CharField(max_length=60, required=False)
    title = serializers.CharField(max_length=200, required=False)
    currency = serializers.CharField(max_length=3, required=False)
    terms = TermsInputSerializer(required=False)


class AmendInputSerializer(TermsInputSerializer):
    """An amendment: the effective date, the reason and only the terms that change (the rest carry over)."""

    effective_from = serializers.DateField(help_text=_("Today or later; after the latest version."))
    reason = serializers.CharField(max_length=4000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name not in ("effective_from", "reason"):
                field.required = False
                field.default = serializers.empty


class TerminateInputSerializer(StrictInputSerializer):
    """Ending a contract early."""

    terminated_on = serializers.DateField(help_text=_("The last day in force: today or later."))
    reason = serializers.CharField(max_length=4000)


class WithdrawInputSerializer(StrictInputSerializer):
    """Why a future amendment is withdrawn."""

    reason = serializers.CharField(max_length=4000)


class DocumentInputSerializer(StrictInputSerializer):
    """An uploaded contract document (multipart); its type is checked from its bytes by the service."""

    file = serializers.FileField(allow_empty_file=False, max_length=200)
    kind = serializers.ChoiceField(choices=DocumentKind.choices, default=DocumentKind.OTHER)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    version = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text=_("The version number it belongs to, if any.")
    )
    is_internal = serializers.BooleanField(default=False)


# ---------------------------------------------------------------- output


class ContractSLAPolicyVersionSerializer(serializers.Serializer):
    """A linked SLA policy version."""

    id = serializers.IntegerField(read_only=True)
    number = serializers.IntegerField(read_only=True)
    policy = ObjectRefSerializer(read_only=True)


class BandSerializer(serializers.Serializer):
    """A stored score band."""

    upper = serializers.DecimalField(read_only=True, **SCORE)
    lower = serializers.DecimalField(read_only=True, allow_null=True, **SCORE)
    per_point = serializers.DecimalField(read_only=True, **RATE)
    per_point_basis = serializers.ChoiceField(choices=AmountBasis.choices, read_only=True)
    step = serializers.DecimalField(read_only=True, **RATE)
    step_basis = serializers.ChoiceField(choices=AmountBasis.choices, read_only=True)


class ShareStepSerializer(serializers.Serializer):
    """A stored graduated credit step."""

    threshold = serializers.DecimalField(read_only=True, max_digits=14, decimal_places=4)
    share_percent = serializers.DecimalField(read_only=True, **PERCENT)


class CommitmentSerializer(serializers.Serializer):
    """A stored SLA commitment with its credit rule and linked SLA policy versions."""

    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    name_en = serializers.CharField(read_only=True)
    sla_metric = serializers.ChoiceField(choices=SLAMetric.choices, read_only=True, allow_blank=True)
    indicator = serializers.CharField(read_only=True)
    target = serializers.DecimalField(read_only=True, max_digits=14, decimal_places=4)
    allocation_percent = serializers.DecimalField(read_only=True, **PERCENT)
    miss_share_percent = serializers.DecimalField(read_only=True, **PERCENT)
    share_steps = ShareStepSerializer(many=True, read_only=True)
    sla_policy_versions = ContractSLAPolicyVersionSerializer(many=True, read_only=True)


class UnitRateSerializer(serializers.Serializer):
    """A stored unit rate."""

    kind = serializers.ChoiceField(choices=UnitRateKind.choices, read_only=True)
    rate = serializers.DecimalField(read_only=True, **MONEY)
    included_quantity = serializers.IntegerField(read_only=True)


class StaffingSerializer(serializers.Serializer):
    """Stored contracted staffing."""

    position = serializers.ChoiceField(choices=StaffPosition.choices, read_only=True)
    count = serializers.IntegerField(read_only=True)


class VersionSummarySerializer(serializers.ModelSerializer):
    """A version in the contract's timeline."""

    effective_to = serializers.DateField(read_only=True, help_text=_("The last day this version is in force."))
    created_by = ObjectRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ContractVersion
        fields = ["id", "number", "effective_from", "effective_to", "reason", "created_at", "created_by"]
        read_only_fields = fields


class VersionSerializer(VersionSummarySerializer):
    """A version with all its terms."""

    contract = serializers.PrimaryKeyRelatedField(read_only=True)
    services = ObjectRefSerializer(many=True, read_only=True)
    sites = ObjectRefSerializer(many=True, read_only=True)
    bands = serializers.SerializerMethodField()
    commitments = CommitmentSerializer(many=True, read_only=True)
    unit_rates = UnitRateSerializer(many=True, read_only=True)
    staffing = StaffingSerializer(many=True, read_only=True)

    class Meta(VersionSummarySerializer.Meta):
        fields = [
            *VersionSummarySerializer.Meta.fields,
            "contract",
            "term_start",
            "term_end",
            "fee_period",
            "fixed_fee",
            "at_risk_percent",
            "max_deduction",
            "max_deduction_basis",
            "renewal_notice_days",
            "services",
            "sites",
            "bands",
            "commitments",
            "unit_rates",
            "staffing",
        ]
        read_only_fields = fields

    @extend_schema_field(BandSerializer(many=True))
    def get_bands(self, obj: ContractVersion) -> list[dict]:
        bands = sorted(obj.bands.all(), key=lambda b: b.upper, reverse=True)
        return BandSerializer(bands, many=True).data


class ContractListSerializer(serializers.ModelSerializer):
    """A contract in a list."""

    vendor = ObjectRefSerializer(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Contract
        fields = [
            "id",
            "number",
            "title",
            "vendor",
            "currency",
            "status",
            "status_label",
            "starts_on",
            "ends_on",
            "terminated_on",
            "updated_at",
        ]
        read_only_fields = fields


class ContractPermissionsSerializer(serializers.Serializer):
    """What the signed-in user may do to this contract."""

    manage = serializers.BooleanField()


class ContractDetailSerializer(ContractListSerializer):
    """One contract with its version timeline."""

    versions = VersionSummarySerializer(many=True, read_only=True, source="timeline")
    version_in_force = serializers.IntegerField(
        read_only=True, allow_null=True, source="in_force_number", help_text=_("The version in force today.")
    )
    permissions = serializers.SerializerMethodField()

    class Meta(ContractListSerializer.Meta):
        fields = [
            *ContractListSerializer.Meta.fields,
            "termination_reason",
            "created_at",
            "activated_at",
            "versions",
            "version_in_force",
            "permissions",
        ]
        read_only_fields = fields

    @extend_schema_field(ContractPermissionsSerializer)
    def get_permissions(self, obj: Contract) -> dict:
        return {"manage": may_manage_contracts(self.context["request"].user, obj.organisation)}


class DocumentSerializer(serializers.ModelSerializer):
    """A contract document's metadata; the file is at /api/v1/contract-documents/{id}/download/."""

    uploaded_by = ObjectRefSerializer(read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True, allow_null=True)

    class Meta:
        model = ContractDocument
        fields = [
            "id",
            "contract",
            "version",
            "kind",
            "title",
            "is_internal",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
            "created_at",
        ]
        read_only_fields = fields
