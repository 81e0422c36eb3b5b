"""Input and output serializers of the register's API. Input serializers only parse; services decide."""

from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from oversight.catalog.selectors import service_list
from oversight.contracts.selectors import contract_list
from oversight.core.api.serializers import ObjectRefSerializer, ScopedPrimaryKeyRelatedField, StrictInputSerializer
from oversight.risks import matrices, permissions, selectors
from oversight.risks.choices import RISK_MACHINE, RatingKind, RiskCategory, Treatment
from oversight.risks.models import Mitigation, Risk, RiskMatrixVersion, RiskRating, RiskReview
from oversight.tenancy.selectors import user_list, vendor_list

# ---------------------------------------------------------------- output


class RiskRatingSerializer(serializers.ModelSerializer):
    """One rating of a risk, with the matrix version it was made on."""

    matrix_version = serializers.IntegerField(source="matrix_version.number", read_only=True)
    rated_by = ObjectRefSerializer(read_only=True)

    class Meta:
        model = RiskRating
        fields = [
            "id",
            "kind",
            "matrix_version",
            "probability_level",
            "impact_level",
            "probability",
            "impact",
            "exposure",
            "score",
            "level",
            "reason",
            "source_type",
            "source_id",
            "rated_by",
            "rated_at",
        ]
        read_only_fields = fields


class RiskReviewSerializer(serializers.ModelSerializer):
    """One review of a risk."""

    reviewer = ObjectRefSerializer(read_only=True)

    class Meta:
        model = RiskReview
        fields = ["id", "reviewer", "reviewed_at", "still_valid", "changes", "level", "next_review_date"]
        read_only_fields = fields


class RiskListSerializer(serializers.ModelSerializer):
    """A risk in a list."""

    owner = ObjectRefSerializer(read_only=True)
    vendor = ObjectRefSerializer(read_only=True)
    service = ObjectRefSerializer(read_only=True)

    class Meta:
        model = Risk
        fields = [
            "id",
            "number",
            "title",
            "title_en",
            "category",
            "status",
            "level",
            "score",
            "treatment",
            "owner",
            "vendor",
            "service",
            "next_review_date",
            "created_at",
        ]
        read_only_fields = fields


class RiskDetailSerializer(RiskListSerializer):
    """A risk with its latest rating of each kind, its mitigations and what the reader may do."""

    contract = ObjectRefSerializer(read_only=True)
    acceptance_approver = ObjectRefSerializer(read_only=True)
    ratings = serializers.SerializerMethodField()
    mitigations = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta(RiskListSerializer.Meta):
        fields = [
            *RiskListSerializer.Meta.fields,
            "cause",
            "event",
            "consequence",
            "contract",
            "treatment_note",
            "acceptance_approver",
            "acceptance_expires_on",
            "contingency_plan",
            "updated_at",
            "version",
            "ratings",
            "mitigations",
            "allowed_actions",
        ]
        read_only_fields = fields

    def get_ratings(self, risk) -> dict[str, dict]:
        latest = selectors.latest_ratings(risk=risk)
        return {kind: RiskRatingSerializer(rating).data for kind, rating in latest.items()}

    def get_mitigations(self, risk) -> list[dict]:
        user = self.context["request"].user
        return [{"id": m.pk, "name": m.title} for m in selectors.risk_mitigations(user=user, risk=risk)]

    def get_allowed_actions(self, risk) -> list[str]:
        if not permissions.may_manage(self.context["request"].user, risk):
            return []
        return RISK_MACHINE.actions_from(risk.status)


class MitigationSerializer(serializers.ModelSerializer):
    """A mitigation and the risks it serves."""

    owner = ObjectRefSerializer(read_only=True)
    risks = serializers.SerializerMethodField()

    class Meta:
        model = Mitigation
        fields = [
            "id",
            "title",
            "description",
            "owner",
            "due_date",
            "status",
            "cost",
            "risks",
            "completed_at",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields

    def get_risks(self, mitigation) -> list[dict]:
        return [{"id": r.pk, "number": r.number} for r in mitigation.risks.all()]


class RiskMatrixLevelSerializer(serializers.Serializer):
    zh = serializers.CharField()
    en = serializers.CharField()


class RiskMatrixBandSerializer(serializers.Serializer):
    start = serializers.DecimalField(max_digits=10, decimal_places=2)
    level = serializers.CharField()
    colour = serializers.CharField()
    review_days = serializers.IntegerField()


class RiskMatrixVersionSerializer(serializers.ModelSerializer):
    """A version of the organisation's risk matrix, with every cell's score and level."""

    probability_labels = RiskMatrixLevelSerializer(many=True, read_only=True)
    impact_labels = RiskMatrixLevelSerializer(many=True, read_only=True)
    bands = RiskMatrixBandSerializer(many=True, read_only=True)
    cells = serializers.SerializerMethodField()

    class Meta:
        model = RiskMatrixVersion
        fields = [
            "id",
            "number",
            "formula",
            "normalise",
            "probability_labels",
            "impact_labels",
            "cell_scores",
            "bands",
            "note",
            "created_at",
            "cells",
        ]
        read_only_fields = fields

    def get_cells(self, version) -> list[dict]:
        return [
            {"probability": c["probability"], "impact": c["impact"], "score": str(c["score"]), "level": c["level"]}
            for row in matrices.grid(version)
            for c in row
        ]


# ---------------------------------------------------------------- input


def _client_people(user):
    return user_list(user=user).filter(organisation_id=getattr(user, "organisation_id", None))


class RiskDetailsInputSerializer(StrictInputSerializer):
    """A risk's details (all required to record one; any subset to change one)."""

    title = serializers.CharField(max_length=200)
    title_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    category = serializers.ChoiceField(choices=RiskCategory.choices)
    owner = ScopedPrimaryKeyRelatedField(_client_people)
    cause = serializers.CharField()
    event = serializers.CharField()
    consequence = serializers.CharField()
    vendor = ScopedPrimaryKeyRelatedField(vendor_list, required=False, allow_null=True)
    contract = ScopedPrimaryKeyRelatedField(contract_list, required=False, allow_null=True)
    service = ScopedPrimaryKeyRelatedField(service_list, required=False, allow_null=True)
    treatment = serializers.ChoiceField(choices=Treatment.choices, required=False, allow_blank=True)
    treatment_note = serializers.CharField(required=False, allow_blank=True)
    acceptance_approver = ScopedPrimaryKeyRelatedField(_client_people, required=False, allow_null=True)
    acceptance_expires_on = serializers.DateField(required=False, allow_null=True)
    contingency_plan = serializers.CharField(required=False, allow_blank=True)
    next_review_date = serializers.DateField(required=False)


class RiskRatingInputSerializer(StrictInputSerializer):
    """A rating: kind, the cell, optional probability (0–1) and amount, and why."""

    kind = serializers.ChoiceField(choices=RatingKind.choices)
    probability_level = serializers.IntegerField(min_value=1, max_value=7)
    impact_level = serializers.IntegerField(min_value=1, max_value=7)
    probability = serializers.DecimalField(
        max_digits=6, decimal_places=4, min_value=Decimal(0), max_value=Decimal(1), required=False, allow_null=True
    )
    impact = serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=Decimal(0), required=False, allow_null=True
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class RiskReviewInputSerializer(StrictInputSerializer):
    """A review: still valid, what changed, optionally the next review date."""

    still_valid = serializers.BooleanField()
    changes = serializers.CharField(required=False, allow_blank=True, default="")
    next_review_date = serializers.DateField(required=False, allow_null=True)


class RiskTransitionInputSerializer(StrictInputSerializer):
    """A transition's note (closing and reopening need one)."""

    note = serializers.CharField(required=False, allow_blank=True, default="")


class RiskMitigationInputSerializer(StrictInputSerializer):
    """A mitigation's details and the risks it serves."""

    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    owner = ScopedPrimaryKeyRelatedField(_client_people)
    due_date = serializers.DateField()
    cost = serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=Decimal(0), required=False, allow_null=True
    )
    risks = ScopedPrimaryKeyRelatedField(selectors.risk_list, many=True, required=False)


class RiskHeatMapQuerySerializer(StrictInputSerializer):
    kind = serializers.ChoiceField(choices=RatingKind.choices, required=False, default=RatingKind.CURRENT)


class RiskHeatMapCellSerializer(serializers.Serializer):
    probability = serializers.IntegerField()
    impact = serializers.IntegerField()
    count = serializers.IntegerField()
    level = serializers.CharField()
    colour = serializers.CharField()


class RiskHeatMapArrowSerializer(serializers.Serializer):
    risk = serializers.CharField()
    inherent = serializers.ListField(child=serializers.IntegerField())
    residual = serializers.ListField(child=serializers.IntegerField())


class RiskHeatMapSerializer(serializers.Serializer):
    """The heat map's data: counts per cell of the chosen rating kind, and inherent → residual arrows."""

    matrix_version = serializers.IntegerField()
    kind = serializers.CharField()
    total = serializers.IntegerField()
    cells = RiskHeatMapCellSerializer(many=True)
    arrows = RiskHeatMapArrowSerializer(many=True)
