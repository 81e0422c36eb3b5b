"""A saved scenario as the plain inputs of `ccmath.finance`, and its figures (tables, TCO, NPV, IRR, payback, ROI,
tornado). Percent fields are stored as percentages (5 = 5 %) and handed to the maths as fractions."""

from __future__ import annotations

from decimal import Decimal

from oversight.ccmath import finance
from oversight.sourcing.models import Scenario

HUNDRED = Decimal(100)
#: Stored as percentages, computed as fractions.
PERCENT_FIELDS = frozenset(
    {
        "discount_rate",
        "volume_growth",
        "shrinkage",
        "wage_growth",
        "price_growth",
        "in_house_share",
        "baseline_in_house_share",
    }
)
#: The scenario fields that are drivers of the maths (in `finance.ScenarioInputs`).
INPUT_FIELDS = (
    "horizon_years",
    "discount_rate",
    "annual_contacts",
    "aht_seconds",
    "required_fte",
    "shrinkage",
    "annual_wage_per_fte",
    "seat_cost_per_fte",
    "technology_cost",
    "price_per_contact",
    "governance_cost",
    "transition_cost",
    "in_house_share",
    "baseline_in_house_share",
    "volume_growth",
    "wage_growth",
    "price_growth",
)
#: The tornado's change of each driver: ±10 %.
SENSITIVITY_CHANGE = Decimal("0.10")


def inputs_of(scenario: Scenario) -> finance.ScenarioInputs:
    """The finance inputs of a scenario (fractions where the scenario stores percentages)."""
    values = {}
    for name in INPUT_FIELDS:
        value = getattr(scenario, name)
        if name == "horizon_years":
            values[name] = int(value)
        else:
            value = Decimal(0 if value is None else value)
            values[name] = value / HUNDRED if name in PERCENT_FIELDS else value
    return finance.ScenarioInputs(**values)


def staffing_of(scenario: Scenario) -> finance.Staffing | None:
    """Erlang C staffing when the scenario leaves the required FTE blank; None (linear from the FTE entered)
    otherwise."""
    if scenario.required_fte is not None:
        return None
    return finance.erlang_staffing(
        service_level_target=Decimal(scenario.service_level_target) / HUNDRED,
        threshold_seconds=Decimal(scenario.service_level_seconds),
        open_hours_per_year=Decimal(scenario.open_hours_per_year),
        productive_hours_per_fte=Decimal(scenario.productive_hours_per_fte),
        max_occupancy=Decimal(scenario.max_occupancy) / HUNDRED,
    )


def evaluate(scenario: Scenario) -> finance.Evaluation:
    """The scenario's tables and figures."""
    return finance.evaluate(inputs_of(scenario), staffing=staffing_of(scenario))


def sensitivity(scenario: Scenario) -> tuple[Decimal, list[finance.TornadoBar]]:
    """The base NPV and the tornado bars (each driver ±10 %, largest swing first)."""
    return finance.tornado(inputs_of(scenario), change=SENSITIVITY_CHANGE, staffing=staffing_of(scenario))
