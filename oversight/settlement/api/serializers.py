"""Serializers of the settlement API (output, and the one input of `prepare`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from oversight.fees.calc import FIGURES
from oversight.settlement.models import SettlementStatement, StatementLine


class StatementLineSerializer(serializers.ModelSerializer):
    """One line: signed amount, the inputs that explain it and its source."""

    label = serializers.CharField(read_only=True)

    class Meta:
        model = StatementLine
        fields = [
            "id",
            "position",
            "code",
            "label_key",
            "label",
            "amount",
            "explanation",
            "ref",
            "source",
            "commitment_result",
        ]
        read_only_fields = fields


class StatementSerializer(serializers.ModelSerializer):
    """A statement's parties, period, figures, signatories and content hash."""

    period_label = serializers.CharField(source="period.label", read_only=True)
    period_revision = serializers.IntegerField(source="period.revision", read_only=True)
    contract_number = serializers.CharField(source="contract.number", read_only=True)
    contract_version_number = serializers.IntegerField(source="contract_version.number", read_only=True)
    vendor_name = serializers.CharField(source="vendor.name", read_only=True)
    client_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = SettlementStatement
        fields = [
            "id",
            "period",
            "period_label",
            "period_revision",
            "contract",
            "contract_number",
            "contract_version",
            "contract_version_number",
            "vendor",
            "vendor_name",
            "client_name",
            "supersedes",
            "status",
            "currency",
            "score",
            *FIGURES,
            "content_hash",
            "prepared_at",
            "prepared_by",
            "approved_at",
            "approved_by",
        ]
        read_only_fields = fields


class StatementDetailSerializer(StatementSerializer):
    """A statement with its lines and stored inputs."""

    lines = StatementLineSerializer(many=True, read_only=True)

    class Meta(StatementSerializer.Meta):
        fields = [*StatementSerializer.Meta.fields, "inputs", "lines"]
        read_only_fields = fields


class PrepareInputSerializer(serializers.Serializer):
    """Which evaluation period to settle."""

    period = serializers.IntegerField(help_text=_("The id of an evaluation period signed by both sides or locked."))


class VerificationSerializer(serializers.Serializer):
    """The outcome of re-running the settlement from the stored inputs."""

    ok = serializers.BooleanField()
    stored_hash = serializers.CharField()
    recomputed_hash = serializers.CharField()
    differences = serializers.ListField(child=serializers.CharField())
