"""The expected charge of a period and the cost indicators (`sourcing.pricing`), with plain values worked by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from oversight.sourcing import pricing

D = Decimal
# 200 offered, 180 answered, 20 abandoned, wait 1600 s, handle 54 000 s, 10 productive hours, 12 paid hours
USAGE = pricing.Usage(
    offered=200,
    answered=180,
    abandoned=20,
    wait_seconds=D(1600),
    handle_seconds=D(54000),
    productive_hours=D(10),
    paid_hours=D(12),
)


@pytest.mark.parametrize(
    ("basis", "units"),
    [
        ("handled_contact", D("180.00")),  # answered
        ("minute", D("900.00")),  # 54 000 s / 60
        ("productive_hour", D("10.00")),
        ("fte_month", D("0.07")),  # 12 paid hours / 174 = 0.0690 -> 0.07 shown
    ],
)
def test_units_of_each_basis(basis, units):
    charge = pricing.expected_charge(pricing.Terms(basis=basis, rate=D(1)), USAGE)
    assert charge.units == units


def test_fte_month_charge_uses_the_exact_units():
    # 12 / 160 = 0.075 FTE-months x 20 000 = 1 500.00 (the charge is not computed from the rounded units)
    terms = pricing.Terms(basis="fte_month", rate=D(20000), hours_per_fte_month=D(160))
    assert pricing.expected_charge(terms, USAGE).total == D("1500.00")


def test_bonus_when_the_outcome_is_met_and_malus_when_missed():
    # abandonment 20 / 200 = 10 %; base 180 x 3.50 = 630.00
    met = pricing.Terms(
        basis="handled_contact",
        rate=D("3.5"),
        outcome_kpi="abandonment_rate",
        outcome_target=D(10),
        bonus_percent=D(5),
        malus_percent=D(8),
    )
    charge = pricing.expected_charge(met, USAGE)
    assert (charge.kpi_value, charge.target_met, charge.base, charge.adjustment, charge.total) == (
        D("10.0000"),
        True,
        D("630.00"),
        D("31.50"),
        D("661.50"),
    )
    missed = pricing.Terms(**{**met.__dict__, "outcome_target": D("9.99")})
    charge = pricing.expected_charge(missed, USAGE)
    assert (charge.target_met, charge.adjustment, charge.total) == (False, D("-50.40"), D("579.60"))


def test_asa_and_aht_outcomes():
    assert pricing.kpi_value("asa_seconds", USAGE) == D("8.8889")  # 1600 / 180
    assert pricing.kpi_value("aht_seconds", USAGE) == D("300.0000")  # 54 000 / 180


def test_no_contacts_no_outcome_adjustment():
    terms = pricing.Terms(
        basis="handled_contact", rate=D(2), outcome_kpi="asa_seconds", outcome_target=D(20), bonus_percent=D(5)
    )
    charge = pricing.expected_charge(terms, pricing.Usage())
    assert (charge.kpi_value, charge.target_met, charge.total) == (None, None, D("0.00"))


def test_cost_indicators_sum_amounts_and_volumes():
    rows = [
        pricing.StatementCost(1, D("1000.00"), 300, D(20), fcr_share=D("0.8")),
        pricing.StatementCost(2, D("500.00"), 100, D(5)),
    ]
    # contact: 1500 / 400 = 3.75; hour: 1500 / 25 = 60.00
    assert pricing.cost_per_contact(rows).value == D("3.75")
    assert pricing.cost_per_productive_hour(rows).value == D("60.00")
    # resolution: only the first has an FCR share -> 1000 / (300 x 0.8) = 4.1666.. -> 4.17
    result = pricing.cost_per_resolution(rows)
    assert (result.value, result.numerator_ids) == (D("4.17"), (1,))
    assert pricing.cost_per_resolution([rows[1]]).value is None
    assert pricing.cost_per_contact([]).value is None
