"""The Markov model of vendor states: the monthly rule on plain values, states from the data (breaches, tier
changes, the end of the contracts), the pooled estimate with its prior fallback, and each vendor's forecast
checked against the chain computed by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest

from oversight.contracts.choices import ContractStatus
from oversight.contracts.models import Contract
from oversight.core.clock import frozen_at
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.facts.models import VendorDailyFact
from oversight.portfolio.models import VendorTierChange
from oversight.quant import markov
from oversight.risks import vendor_states
from oversight.risks.choices_triggers import DEFAULT_PRIOR
from oversight.risks.models import VendorStateSettings
from oversight.risks.vendor_states import MonthFacts, state_of_month

N, W, A, R, X = range(5)
RULE = VendorStateSettings()  # the defaults: scores 85 / 75 / 60, missed 2 / 3, breaches 5


@pytest.mark.parametrize(
    ("facts", "state"),
    [
        (MonthFacts(), None),
        (MonthFacts(score=Decimal("92")), N),
        (MonthFacts(score=Decimal("85")), N),
        (MonthFacts(score=Decimal("84.99")), W),
        (MonthFacts(score=Decimal("74")), A),
        (MonthFacts(score=Decimal("59.5")), R),
        (MonthFacts(score=Decimal("95"), missed=1), W),
        (MonthFacts(score=Decimal("95"), missed=2), A),
        (MonthFacts(score=Decimal("95"), missed=3), R),
        (MonthFacts(breaches=4), N),
        (MonthFacts(breaches=5), W),
        (MonthFacts(breaches=0, downgraded=True), W),
        (MonthFacts(score=Decimal("70"), breaches=9), A),
        (MonthFacts(score=Decimal("99"), exited=True), X),
    ],
)
def test_the_monthly_rule_takes_the_worst_signal(facts, state):
    assert state_of_month(facts, RULE) == state


def _month_facts(world, vendor, month: dt.date, breaches: int) -> None:
    VendorDailyFact.objects.create(
        organisation=world.org, vendor=vendor, day=month.replace(day=10), received=10, resolution_missed=breaches
    )


def _months(first: dt.date, count: int) -> list[dt.date]:
    out, day = [], first
    for _ in range(count):
        out.append(day)
        day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return out


def test_states_come_from_the_data_and_the_forecast_from_the_estimated_chain(world):
    months = _months(dt.date(2026, 1, 1), 11)  # January to November 2026, judged in December
    # Desk Co: normal, normal, watch (6 breaches), normal ... ; its tier lowered in July (watch).
    for month in months:
        _month_facts(world, world.vendor, month, 6 if month.month in (3, 9) else 1)
    VendorTierChange.objects.create(
        vendor=world.vendor,
        previous_tier="core",
        tier="ordinary",
        reason="Fewer services",
        changed_at=dt.datetime(2026, 7, 15, 4, tzinfo=dt.UTC),
    )
    # Net Co: facts until May, its only contract terminated on 31 May: exit from June on.
    for month in months[:5]:
        _month_facts(world, world.other_vendor, month, 0)
    Contract.objects.create(
        organisation=world.org,
        vendor=world.other_vendor,
        number="HT-NET",
        title="Network",
        status=ContractStatus.TERMINATED,
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2027, 12, 31),
        terminated_on=dt.date(2026, 5, 31),
        created_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
        updated_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
    )
    VendorStateSettings.objects.create(organisation=world.org, prior_strength=2, min_observations=3)
    with frozen_at(dt.datetime(2026, 12, 5, 4, tzinfo=dt.UTC)):
        model = vendor_states.vendor_state_model(
            organisation=world.org, vendors=[world.vendor, world.other_vendor], today=dt.date(2026, 12, 5)
        )
    desk, net = model.forecasts
    assert model.months[-1] == dt.date(2026, 11, 1)
    assert desk.states[-11:] == [N, N, W, N, N, N, W, N, W, N, N]
    assert net.states[-11:] == [N, N, N, N, N, X, X, X, X, X, X]
    assert desk.states[:-11] == [None] * 25
    # Pooled transitions: desk N→N 4, N→W 3, W→N 3; net N→N 4, N→X 1 (the months after the exit do not count).
    np.testing.assert_array_equal(
        model.estimate.counts,
        [[8, 3, 0, 0, 1], [3, 0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0]],
    )
    prior = np.array(DEFAULT_PRIOR)
    expected_normal = (np.array([8, 3, 0, 0, 1]) + 2 * prior[0]) / (12 + 2)
    np.testing.assert_allclose(model.estimate.matrix[N], expected_normal)
    np.testing.assert_allclose(model.estimate.matrix[W], (np.array([3, 0, 0, 0, 0]) + 2 * prior[1]) / 5)
    np.testing.assert_allclose(model.estimate.matrix[A], prior[2])  # no observation: the prior, said so
    assert model.estimate.prior_rows == (False, False, True, True, True)
    assert model.any_prior_row
    # Desk Co is normal now: its forecast is the chain's, computed independently here.
    chain = model.estimate.matrix
    absorbing = chain.copy()
    absorbing[[R, X]] = np.eye(5)[[R, X]]
    for k in (3, 6, 12):
        by_hand = np.linalg.matrix_power(absorbing, k)[N, [R, X]].sum()
        assert desk.reach[k] == pytest.approx(by_hand)
    q = chain[:4, :4]
    assert desk.expected_months_to_exit == pytest.approx(np.linalg.solve(np.eye(4) - q, np.ones(4))[N])
    assert net.current == X and net.reach[3] == pytest.approx(1)
    assert net.expected_months_to_exit == 0
    rows = model.rows()
    assert rows[N]["observations"] == 12 and rows[A]["prior_used"] is True
    assert sum(rows[W]["percents"]) == pytest.approx(Decimal(100), abs=Decimal("0.3"))


def test_a_vendor_without_history_has_no_state_and_no_forecast(world):
    model = vendor_states.vendor_state_model(organisation=world.org, vendors=[world.vendor], today=dt.date(2026, 12, 5))
    (forecast,) = model.forecasts
    assert forecast.current is None and forecast.reach == {} and forecast.expected_months_to_exit is None
    # Every row is the prior: nothing was observed.
    np.testing.assert_allclose(model.estimate.matrix, np.array(DEFAULT_PRIOR))
    assert markov.absorbing_states(model.estimate.matrix) == (X,)


def test_settings_are_checked_and_audited(world):
    admin = world.users["client_admin"]
    saved = vendor_states.vendor_state_settings_save(actor=admin, organisation=world.org, watch_below=Decimal("90"))
    assert saved.watch_below == Decimal("90")
    with pytest.raises(ApplicationError, match="must fall"):
        vendor_states.vendor_state_settings_save(actor=admin, organisation=world.org, warning_below=Decimal("95"))
    with pytest.raises(ApplicationError, match="five rows"):
        vendor_states.vendor_state_settings_save(actor=admin, organisation=world.org, prior=[[1.0]])
    with pytest.raises(ApplicationError, match="five rows"):
        bad = [list(row) for row in DEFAULT_PRIOR]
        bad[0][0] = 0.5
        vendor_states.vendor_state_settings_save(actor=admin, organisation=world.org, prior=bad)
    with pytest.raises(NotAllowed):
        vendor_states.vendor_state_settings_save(
            actor=world.users["auditor"], organisation=world.org, watch_below=Decimal("80")
        )
    assert VendorStateSettings.objects.get(organisation=world.org).watch_below == Decimal("90")
