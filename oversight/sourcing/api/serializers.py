"""Input and output serializers of the sourcing API. Input serializers only parse; services decide."""

from __future__ import annotations

from rest_framework import serializers

from oversight.core.api.serializers import ScopedPrimaryKeyRelatedField, StrictInputSerializer
from oversight.sourcing import scenarios
from oversight.sourcing.choices import OutcomeKpi, PricingBasis, ScenarioKind
from oversight.sourcing.models import CommercialModel, Scenario
from oversight.sourcing.selectors import contract_version_choices

PERCENT = {"max_digits": 7, "decimal_places": 3}
MONEY = {"max_digits": 16, "decimal_places": 2}
QUANTITY = {"max_digits": 14, "decimal_places": 2}
RATE = {"max_digits": 14, "decimal_places": 4}

SCENARIO_OUTPUT = (
    "id",
    "name",
    "name_en",
    "description",
    "kind",
    "currency",
    "service_level_target",
    "service_level_seconds",
    "open_hours_per_year",
    "productive_hours_per_fte",
    "max_occupancy",
    *scenarios.INPUT_FIELDS,
    "version",
    "created_at",
    "updated_at",
)


class ScenarioSerializer(serializers.ModelSerializer):
    """A saved scenario's drivers (percentages as 5 = 5 %)."""

    class Meta:
        model = Scenario
        fields = list(SCENARIO_OUTPUT)


class YearRowSerializer(serializers.Serializer):
    """One year of a cash-flow table."""

    year = serializers.IntegerField()
    contacts = serializers.DecimalField(**QUANTITY)
    in_house_contacts = serializers.DecimalField(**QUANTITY)
    outsourced_contacts = serializers.DecimalField(**QUANTITY)
    productive_fte = serializers.DecimalField(**QUANTITY)
    paid_fte = serializers.DecimalField(**QUANTITY)
    wages = serializers.DecimalField(**MONEY)
    seats = serializers.DecimalField(**MONEY)
    technology = serializers.DecimalField(**MONEY)
    vendor_fees = serializers.DecimalField(**MONEY)
    governance = serializers.DecimalField(**MONEY)
    transition = serializers.DecimalField(**MONEY)
    total = serializers.DecimalField(**MONEY)


class TornadoBarSerializer(serializers.Serializer):
    """One driver of the tornado: its low and high values and the NPV at each."""

    driver = serializers.CharField()
    low_value = serializers.DecimalField(max_digits=20, decimal_places=6)
    high_value = serializers.DecimalField(max_digits=20, decimal_places=6)
    npv_low = serializers.DecimalField(**MONEY)
    npv_high = serializers.DecimalField(**MONEY)
    swing = serializers.DecimalField(**MONEY)


class EvaluationSerializer(serializers.Serializer):
    """The figures of a scenario: TCO and PV of cost of both sides; NPV, IRR, payback and ROI of switching."""

    tco_baseline = serializers.DecimalField(**MONEY)
    tco_proposal = serializers.DecimalField(**MONEY)
    pv_cost_baseline = serializers.DecimalField(**MONEY)
    pv_cost_proposal = serializers.DecimalField(**MONEY)
    npv = serializers.DecimalField(**MONEY)
    irr = serializers.DecimalField(max_digits=12, decimal_places=6, allow_null=True)
    payback_years = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    discounted_payback_years = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    roi = serializers.DecimalField(max_digits=16, decimal_places=6, allow_null=True)
    flows = serializers.ListField(child=serializers.DecimalField(**MONEY))
    baseline = YearRowSerializer(many=True)
    proposal = YearRowSerializer(many=True)


class ScenarioDetailSerializer(ScenarioSerializer):
    """A scenario with its figures and tornado (IRR and ROI as fractions, 0.28 = 28 %)."""

    evaluation = serializers.SerializerMethodField()
    tornado = serializers.SerializerMethodField()

    class Meta(ScenarioSerializer.Meta):
        fields = [*SCENARIO_OUTPUT, "evaluation", "tornado"]

    def get_evaluation(self, obj) -> EvaluationSerializer:
        return EvaluationSerializer(scenarios.evaluate(obj)).data

    def get_tornado(self, obj) -> TornadoBarSerializer(many=True):
        _base, bars = scenarios.sensitivity(obj)
        return TornadoBarSerializer(bars, many=True).data


class ScenarioInputSerializer(StrictInputSerializer):
    """A scenario's name, proposal and drivers."""

    name = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=ScenarioKind.choices)
    currency = serializers.CharField(max_length=3, required=False)
    horizon_years = serializers.IntegerField(min_value=1, max_value=30, required=False)
    discount_rate = serializers.DecimalField(required=False, **PERCENT)
    annual_contacts = serializers.DecimalField(**QUANTITY)
    volume_growth = serializers.DecimalField(required=False, **PERCENT)
    aht_seconds = serializers.DecimalField(**QUANTITY)
    service_level_target = serializers.DecimalField(required=False, **PERCENT)
    service_level_seconds = serializers.IntegerField(min_value=1, required=False)
    required_fte = serializers.DecimalField(required=False, allow_null=True, **QUANTITY)
    open_hours_per_year = serializers.DecimalField(required=False, **QUANTITY)
    productive_hours_per_fte = serializers.DecimalField(required=False, **QUANTITY)
    max_occupancy = serializers.DecimalField(required=False, **PERCENT)
    shrinkage = serializers.DecimalField(required=False, **PERCENT)
    annual_wage_per_fte = serializers.DecimalField(**MONEY)
    wage_growth = serializers.DecimalField(required=False, **PERCENT)
    seat_cost_per_fte = serializers.DecimalField(required=False, **MONEY)
    technology_cost = serializers.DecimalField(required=False, **MONEY)
    price_per_contact = serializers.DecimalField(**RATE)
    price_growth = serializers.DecimalField(required=False, **PERCENT)
    governance_cost = serializers.DecimalField(required=False, **MONEY)
    transition_cost = serializers.DecimalField(required=False, **MONEY)
    in_house_share = serializers.DecimalField(**PERCENT)
    baseline_in_house_share = serializers.DecimalField(required=False, **PERCENT)


class CommercialModelSerializer(serializers.ModelSerializer):
    """A contract version's commercial model."""

    contract = serializers.IntegerField(source="contract_version.contract_id", read_only=True)

    class Meta:
        model = CommercialModel
        fields = [
            "id",
            "contract",
            "contract_version",
            "basis",
            "rate",
            "hours_per_fte_month",
            "outcome_kpi",
            "outcome_target",
            "bonus_percent",
            "malus_percent",
            "note",
            "version",
            "created_at",
            "updated_at",
        ]


class CommercialModelInputSerializer(StrictInputSerializer):
    """A commercial model's pricing and outcome term (the contract version only when creating)."""

    contract_version = ScopedPrimaryKeyRelatedField(selector=contract_version_choices, required=False)
    basis = serializers.ChoiceField(choices=PricingBasis.choices)
    rate = serializers.DecimalField(**RATE)
    hours_per_fte_month = serializers.DecimalField(required=False, **QUANTITY)
    outcome_kpi = serializers.ChoiceField(choices=OutcomeKpi.choices, required=False, allow_blank=True)
    outcome_target = serializers.DecimalField(required=False, allow_null=True, **RATE)
    bonus_percent = serializers.DecimalField(required=False, **PERCENT)
    malus_percent = serializers.DecimalField(required=False, **PERCENT)
    note = serializers.CharField(required=False, allow_blank=True)


class ChargeSerializer(serializers.Serializer):
    """A settled period of the contract version: expected charge beside the statement's amount."""

    statement = serializers.IntegerField(source="statement.pk")
    period = serializers.CharField(source="statement.period.label")
    statement_status = serializers.CharField(source="statement.status")
    units = serializers.DecimalField(source="charge.units", **QUANTITY)
    base = serializers.DecimalField(source="charge.base", **MONEY)
    kpi_value = serializers.DecimalField(source="charge.kpi_value", max_digits=20, decimal_places=4, allow_null=True)
    target_met = serializers.BooleanField(source="charge.target_met", allow_null=True)
    adjustment = serializers.DecimalField(source="charge.adjustment", **MONEY)
    expected = serializers.DecimalField(source="charge.total", **MONEY)
    actual = serializers.DecimalField(**MONEY)
    difference = serializers.DecimalField(**MONEY)
