"""The problem indicators against hand computations: the pure formulas with plain values, then the loader on
real problems and incidents."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from oversight.core import clock
from oversight.core.kpis import Facts, Scope, Window, registry
from oversight.kpi.facts import Period
from oversight.problems import indicators, services
from oversight.problems.indicators import IncidentFacts, ProblemFacts
from oversight.problems.models import Problem

UTC = dt.UTC
PERIOD = Period(dt.datetime(2026, 3, 1, tzinfo=UTC), dt.datetime(2026, 4, 1, tzinfo=UTC))


def at(day: int, month: int = 3) -> dt.datetime:
    return dt.datetime(2026, month, day, 9, tzinfo=UTC)


def test_problem_resolution_rate_by_hand():
    problems = [
        ProblemFacts(1, at(1, 2), resolved_at=at(10)),  # open at the start, resolved in: counts 1/1
        ProblemFacts(2, at(5)),  # opened in, still open: 0/1
        ProblemFacts(3, at(1, 2), resolved_at=at(20, 2)),  # resolved before the period: not open in it
        ProblemFacts(4, at(5), cancelled=True, ended_at=at(6)),  # cancelled: in neither
        ProblemFacts(5, at(2, 4)),  # opened after the end: not counted
        ProblemFacts(6, at(3), resolved_at=at(5, 4)),  # open in it, resolved after: 0/1
    ]
    result = indicators.problem_resolution_rate(problems, PERIOD)
    # Hand: open in March = {1, 2, 6}; resolved in March = {1}: 1 / 3 = 33.33...%
    assert (result.numerator, result.denominator) == (1, 3)
    assert result.value.quantize(Decimal("0.01")) == Decimal("33.33")
    assert result.numerator_ids == (1,) and result.denominator_ids == (1, 2, 6)


def test_mean_time_to_root_cause_by_hand():
    problems = [
        ProblemFacts(1, at(1), root_cause_found_at=at(3), seconds_to_root_cause=Decimal(3600 * 10)),
        ProblemFacts(2, at(2), root_cause_found_at=at(4), seconds_to_root_cause=Decimal(3600 * 20)),
        ProblemFacts(3, at(1, 2), root_cause_found_at=at(2, 2), seconds_to_root_cause=Decimal(99)),  # February
        ProblemFacts(4, at(5)),  # not found yet
    ]
    result = indicators.mean_time_to_root_cause(problems, PERIOD)
    assert result.value == Decimal(3600 * 15)  # (10 h + 20 h) / 2
    assert result.numerator_ids == (1, 2)
    assert indicators.mean_time_to_root_cause([], PERIOD).value is None


def test_known_error_share_and_recurring_incidents_by_hand():
    incidents = [
        IncidentFacts(1, at(2), problem_id=7, known_error=True, problem_incidents=3),
        IncidentFacts(2, at(3), problem_id=7, known_error=True, problem_incidents=3),
        IncidentFacts(3, at(4), problem_id=8, known_error=False, problem_incidents=1),
        IncidentFacts(4, at(5)),
        IncidentFacts(5, at(20, 2), problem_id=7, known_error=True, problem_incidents=3),  # February
    ]
    share = indicators.known_error_share(incidents, PERIOD)
    assert (share.numerator, share.denominator, share.value) == (2, 4, Decimal(50))
    recurring = indicators.recurring_incidents(incidents, PERIOD)
    assert (recurring.value, recurring.numerator_ids, recurring.denominator) == (2, (1, 2), None)


def test_registered_sources_computed_from_the_database(world, problem, incident):
    sup = world.users["client_supervisor"]
    now = clock.now()
    a, b, _c = incident(), incident(title="again"), incident(title="other")
    p = problem(vendor=world.vendor, work_orders=[a, b])
    p = services.problem_update_analysis(actor=sup, problem=p, root_cause="cause", workaround="wa", permanent_fix="fix")
    services.problem_transition(actor=sup, problem=p, action="analyse")
    services.problem_transition(actor=sup, problem=p, action="record_known_error")
    services.problem_transition(actor=sup, problem=Problem.objects.get(pk=p.pk), action="resolve")
    problem(title="still open", vendor=world.vendor)
    period = Period(now - dt.timedelta(days=1), now + dt.timedelta(days=1))
    scope = Scope(organisation_id=world.org.pk, vendor_id=world.vendor.pk, evaluated_at=now + dt.timedelta(days=1))
    facts = Facts(scope, period)
    window = Window(period=period, at=now + dt.timedelta(days=1))

    def value(code):
        source = registry.get(code)
        return source.compute(facts.get(source.loader), window)

    # Hand: two problems open in the window, one resolved: 50 %. Incidents a, b (known error) and c: 2 / 3.
    assert value(indicators.PROBLEM_RESOLUTION_RATE).value == Decimal(50)
    share = value(indicators.KNOWN_ERROR_SHARE)
    assert (share.numerator, share.denominator) == (2, 3) and set(share.numerator_ids) == {a.pk, b.pk}
    assert set(value(indicators.RECURRING_INCIDENTS).numerator_ids) == {a.pk, b.pk}
    # Found within the same instant of business time it was opened in (the test clock does not move): 0 s.
    mttrc = value(indicators.MEAN_TIME_TO_ROOT_CAUSE)
    assert mttrc.numerator_ids == (p.pk,) and mttrc.value is not None and mttrc.value >= 0
