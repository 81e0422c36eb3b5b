"""What settlement reads from a signed period: score, contract version, months, unit counts and the exact
commitment actuals, wired into contracts.selectors.settlement_inputs and fees.calc.settle."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from oversight.core import clock
from oversight.fees.calc import settle
from oversight.scorecards import selectors, services
from tests.scorecards.conftest import EVAL_AT

D = Decimal
HOUR = dt.timedelta(hours=1)


def test_a_signed_period_settles_with_its_commitment_shares(world, q3):
    supervisor, manager = world.users["client_supervisor"], world.users["vendor_manager"]
    with clock.frozen_at(EVAL_AT + HOUR):
        period = services.period_publish(period=q3, actor=supervisor)
        period = services.period_sign(period=period, actor=supervisor)
        period = services.period_sign(period=period, actor=manager)
    assert list(selectors.signed_periods(user=supervisor)) == [period]
    actuals = selectors.commitment_actuals(period)
    assert actuals == {"response": D(60), "resolution": D(60), "csat": D(200) / D(3)}
    inputs = selectors.settlement_inputs_for(period)
    assert inputs.base_fee == D("360000.00")  # a monthly fee over a quarter
    statement = settle(**inputs.as_kwargs(period.total_score))
    # At risk 10 % of 360 000 = 36 000; response 30 % x 100 %, resolution 40 % x 100 %, CSAT 20 % x 50 %.
    assert statement.at_risk_amount == D("36000.00")
    assert statement.credits == D("10800.00") + D("14400.00") + D("3600.00")
    assert statement.total == D("360000.00") - D("28800.00")


def test_a_commitment_without_a_value_forfeits_nothing(world, contract, simple_scheme):
    # No work order, no rating: every commitment has no value (not a breach).
    with clock.frozen_at(EVAL_AT):
        period, _ = services.period_open(
            contract=contract, kind="monthly", day=dt.date(2026, 8, 1), actor=world.users["client_supervisor"]
        )
    assert selectors.commitment_actuals(period) == {"response": None, "resolution": None, "csat": None}
    assert {c.forfeited_share_percent for c in period.commitment_results.all()} == {D(0)}
    assert period.months == 1
    assert period.unit_counts == {}
    assert selectors.settlement_inputs_for(period).base_fee == D("120000.00")
