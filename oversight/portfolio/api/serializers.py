"""Serializers of the portfolio API (outputs, and the inputs of set-tier, enter-score, qualifications and
settings, which only parse)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from oversight.core.api.serializers import StrictInputSerializer
from oversight.portfolio.choices import QualificationRole, ScoreDimension
from oversight.portfolio.models import PortfolioSettings, ServiceQualification, VendorMonthlyScore, VendorTierChange
from oversight.tenancy.choices import VendorTier
from oversight.tenancy.models import Vendor


class PortfolioVendorSerializer(serializers.ModelSerializer):
    """A vendor of the portfolio with its tier."""

    class Meta:
        model = Vendor
        fields = ["id", "name", "code", "tier"]
        read_only_fields = fields


class TierChangeSerializer(serializers.ModelSerializer):
    """One change of tier with its reason, who made it and when."""

    changed_by_name = serializers.SerializerMethodField()

    class Meta:
        model = VendorTierChange
        fields = ["id", "vendor", "previous_tier", "tier", "reason", "changed_by", "changed_by_name", "changed_at"]
        read_only_fields = fields

    def get_changed_by_name(self, obj) -> str:
        return obj.changed_by.get_full_name() or obj.changed_by.username if obj.changed_by else ""


class MonthlyScoreSerializer(serializers.ModelSerializer):
    """A vendor's monthly figures, their sources and notes, and what the computed ones came from."""

    class Meta:
        model = VendorMonthlyScore
        fields = [
            "id",
            "vendor",
            "month",
            "technical",
            "technical_source",
            "technical_note",
            "response",
            "response_source",
            "response_note",
            "cost",
            "cost_source",
            "cost_note",
            "responses_met",
            "responses_due",
            "fee",
            "resolved_count",
            "cost_per_work_order",
            "computed_at",
            "updated_at",
        ]
        read_only_fields = fields


class CoverageSerializer(serializers.Serializer):
    """A critical service with its primary and backup vendors and whether the minimum is met."""

    service = serializers.IntegerField(source="service.pk")
    service_name = serializers.CharField(source="service.name")
    primary = serializers.IntegerField(source="primary.pk")
    backups = serializers.SerializerMethodField()
    count = serializers.IntegerField()
    minimum = serializers.IntegerField()
    ok = serializers.BooleanField()

    def get_backups(self, obj) -> list[int]:
        return [v.pk for v in obj.backups]


class PositionSerializer(serializers.Serializer):
    """One contracted position."""

    position = serializers.CharField()
    contracted = serializers.IntegerField()
    active = serializers.IntegerField()
    qualified = serializers.IntegerField()
    filled = serializers.IntegerField()


class CertificateIssueSerializer(serializers.Serializer):
    """An expired certificate, or one expiring within 30 days."""

    staff_member = serializers.IntegerField(source="staff_member.pk")
    staff_member_name = serializers.CharField(source="staff_member.name")
    certificate = serializers.CharField(source="certificate.name")
    expires_on = serializers.DateField(source="certificate.expires_on")
    state = serializers.CharField()


class ComplianceSerializer(serializers.Serializer):
    """A vendor's staff compliance figure on a day with the rows behind it."""

    on = serializers.DateField()
    figure = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    positions = PositionSerializer(many=True)
    issues = CertificateIssueSerializer(many=True)


class SetTierInputSerializer(StrictInputSerializer):
    """Input of set-tier."""

    tier = serializers.ChoiceField(choices=VendorTier.choices, label=_("tier"))
    reason = serializers.CharField(label=_("reason"))


class EnterScoreInputSerializer(StrictInputSerializer):
    """Input of enter-score: one figure of one month, with a note."""

    month = serializers.DateField(label=_("month"), help_text=_("The first day of the month."))
    dimension = serializers.ChoiceField(choices=ScoreDimension.choices, label=_("dimension"))
    value = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100, label=_("value"))
    note = serializers.CharField(label=_("note"))


class QualificationSerializer(serializers.ModelSerializer):
    """A vendor qualified for a service (primary = the owning vendor, or a backup) within validity dates."""

    service_name = serializers.CharField(source="service.name", read_only=True)
    vendor_name = serializers.CharField(source="vendor.name", read_only=True)

    class Meta:
        model = ServiceQualification
        fields = ["id", "service", "service_name", "vendor", "vendor_name", "role", "valid_from", "valid_to"]
        read_only_fields = fields


class QualificationInputSerializer(StrictInputSerializer):
    """Input of a new qualification: service and vendor ids, role (optional: follows the owner), dates."""

    service = serializers.IntegerField(label=_("service"))
    vendor = serializers.IntegerField(label=_("vendor"))
    role = serializers.ChoiceField(
        choices=QualificationRole.choices,
        required=False,
        label=_("role"),
        help_text=_("Optional: the owning vendor is primary, any other a backup."),
    )
    valid_from = serializers.DateField(label=_("valid from"))
    valid_to = serializers.DateField(required=False, allow_null=True, label=_("valid to"))


class PortfolioSettingsSerializer(serializers.ModelSerializer):
    """The organisation's portfolio settings (defaults when none were saved)."""

    organisation = serializers.IntegerField(source="organisation_id", read_only=True)

    class Meta:
        model = PortfolioSettings
        fields = ["organisation", "min_critical_vendors", "target_cost_per_work_order"]
        read_only_fields = fields


class PortfolioSettingsInputSerializer(StrictInputSerializer):
    """Input of a settings update (PATCH may leave a field out: it keeps its value)."""

    min_critical_vendors = serializers.IntegerField(label=_("minimum qualified vendors per critical service"))
    target_cost_per_work_order = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, label=_("target cost per resolved work order")
    )
