"""The change indicators against hand computations: the pure formulas and the timeline rule with plain values,
then the registered sources on real changes moved through their states at known instants."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from oversight.changes import indicators
from oversight.changes import services as changes
from oversight.changes.indicators import ChangeFacts, Step
from oversight.changes.models import Change
from oversight.core import clock
from oversight.core.kpis import Facts, Scope, Window, registry
from oversight.kpi.facts import Period
from oversight.tickets import services as tickets

UTC = dt.UTC
PERIOD = Period(dt.datetime(2026, 3, 1, tzinfo=UTC), dt.datetime(2026, 4, 1, tzinfo=UTC))


def at(day: int, month: int = 3, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=UTC)


def test_change_success_rate_by_hand():
    rows = [
        ChangeFacts(1, at(1, 2), reviewed_at=at(3), successful=True),
        ChangeFacts(2, at(2), reviewed_at=at(4), successful=False),  # failed or backed out
        ChangeFacts(3, at(2), reviewed_at=at(5), successful=True),  # with issues counts as successful
        ChangeFacts(4, at(2), reviewed_at=at(28, 2), successful=False),  # reviewed in February
        ChangeFacts(5, at(2)),  # not reviewed yet
        ChangeFacts(6, at(2), reviewed_at=at(1, 4), successful=True),  # reviewed in April
    ]
    result = indicators.change_success_rate(rows, PERIOD)
    # Hand: reviewed in March {1, 2, 3}, successful {1, 3}: 2 / 3 = 66.67 %
    assert (result.numerator, result.denominator) == (2, 3)
    assert result.value.quantize(Decimal("0.01")) == Decimal("66.67")
    assert result.numerator_ids == (1, 3) and result.denominator_ids == (1, 2, 3)
    assert indicators.change_success_rate([], PERIOD).value is None


def test_emergency_share_and_changes_causing_incidents_by_hand():
    rows = [
        ChangeFacts(1, at(2), emergency=True, implemented_at=at(3), incidents_caused=2),
        ChangeFacts(2, at(3), implemented_at=at(4)),
        ChangeFacts(3, at(4), implemented_at=at(2, 4), incidents_caused=1),  # implemented in April
        ChangeFacts(4, at(5)),  # requested, not implemented
        ChangeFacts(5, at(20, 2), emergency=True, implemented_at=at(6), incidents_caused=1),  # requested in Feb
    ]
    share = indicators.emergency_change_share(rows, PERIOD)
    # Hand: requested in March {1, 2, 3, 4}, emergency {1}: 25 %
    assert (share.numerator, share.denominator, share.value) == (1, 4, Decimal(25))
    caused = indicators.changes_causing_incidents(rows, PERIOD)
    # Hand: implemented in March {1, 2, 5}, with a caused incident {1, 5}: 2 / 3
    assert (caused.numerator, caused.denominator) == (2, 3)
    assert caused.numerator_ids == (1, 5)
    assert caused.value.quantize(Decimal("0.01")) == Decimal("66.67")


def test_unauthorised_rule_reads_the_timeline():
    rule = indicators.implemented_without_authorisation
    authorised_first = [Step(at(1), "authorised"), Step(at(2), "implementing")]
    never_authorised = [Step(at(3), "implementing")]
    authorised_later = [Step(at(3), "implementing"), Step(at(4), "authorised")]  # cannot happen today; still
    assert rule("normal", authorised_first) is None
    assert rule("emergency", never_authorised) == at(3)
    assert rule("normal", authorised_later) == at(3)
    assert rule("standard", never_authorised) is None  # pre-approved by its template
    assert rule("normal", []) is None  # not implemented
    rows = [
        ChangeFacts(1, at(1), unauthorised_at=at(3)),
        ChangeFacts(2, at(1), unauthorised_at=at(28, 2)),
        ChangeFacts(3, at(1)),
    ]
    result = indicators.unauthorised_changes(rows, PERIOD)
    assert (result.value, result.numerator_ids, result.denominator) == (1, (1,), None)


def _move(change, moment, *actions, actor, **kwargs):
    with clock.frozen_at(moment):
        for action in actions:
            change = changes.change_transition(actor=actor, change=change, action=action, **kwargs)
    return change


def _review(change, moment, outcome, *, actor):
    with clock.frozen_at(moment):
        change = changes.change_review(actor=actor, change=change, outcome=outcome, notes="What we learnt")
        return changes.change_transition(actor=actor, change=change, action="close")


def test_registered_sources_from_the_database(world, change, template):
    sup = world.users["client_supervisor"]
    start, end = at(2, hour=20), at(2, hour=22)

    def made(moment, **kwargs):
        with clock.frozen_at(moment):
            kwargs.setdefault("planned_start", start)
            kwargs.setdefault("planned_end", end)
            return change(**kwargs)

    # A: normal, requested 2 March, implemented 5 March, reviewed successful 6 March, caused an incident.
    a = made(at(2))
    a = _move(a, at(3), "assess", "authorise", "schedule", actor=sup)
    a = _move(a, at(5), "start", "complete", actor=sup)
    # B: emergency, requested 10 March, implemented 11 March, failed at its review on 12 March.
    b = made(at(10), type="emergency", title="Restore the database cluster")
    b = _move(b, at(10, hour=10), "authorise", "schedule", actor=sup)
    b = _move(b, at(11), "start", "complete", actor=sup)
    # C: normal, requested 15 March, implemented on 16 March without authorisation, with issues on 20 March.
    c = made(at(15), title="Firewall rule")
    c = _move(c, at(16), "record_unauthorised", actor=sup, note="Found done on Monday")
    c = _move(c, at(17), "complete", actor=sup)
    # D: standard, requested and implemented in February, reviewed successful on 3 March.
    d = made(at(20, 2), type="standard", template=template, title="Toner")
    d = _move(d, at(21, 2), "schedule", actor=sup)
    d = _move(d, at(25, 2), "start", "complete", actor=sup)
    # E: requested in April; F: the other vendor's emergency change in March (neither counts).
    made(at(1, 4), title="Later")
    made(at(12), type="emergency", implementer=world.other_vendor, services=[world.other_service], actor=sup)
    a = _review(a, at(6), "successful", actor=sup)
    b = _review(b, at(12), "failed", actor=sup)
    c = _review(c, at(20), "with_issues", actor=sup)
    d = _review(d, at(3), "successful", actor=sup)
    with clock.frozen_at(at(21)):
        wo = tickets.work_order_create(actor=world.users["requester"], service=world.service, title="No network")
        wo2 = tickets.work_order_create(actor=world.users["requester"], service=world.service, title="Slow")
    changes.change_link_incidents(actor=sup, change=Change.objects.get(pk=a.pk), work_orders=[wo])
    changes.change_link_incidents(actor=sup, change=Change.objects.get(pk=c.pk), work_orders=[wo, wo2])

    scope = Scope(organisation_id=world.org.pk, vendor_id=world.vendor.pk, evaluated_at=PERIOD.end)
    facts = Facts(scope, PERIOD)
    window = Window(period=PERIOD, at=PERIOD.end)

    def value(code):
        source = registry.get(code)
        return source.compute(facts.get(source.loader), window)

    # Hand: reviewed in March A (successful), B (failed), C (with issues), D (successful): 3 / 4 = 75 %.
    success = value(indicators.CHANGE_SUCCESS_RATE)
    assert (success.numerator, success.denominator, success.value) == (3, 4, Decimal(75))
    assert set(success.denominator_ids) == {a.pk, b.pk, c.pk, d.pk} and b.pk not in success.numerator_ids
    # Requested in March: A, B, C (E is April's, F the other vendor's); emergency: B → 1 / 3.
    emergency = value(indicators.EMERGENCY_CHANGE_SHARE)
    assert (emergency.numerator, emergency.denominator) == (1, 3) and emergency.numerator_ids == (b.pk,)
    # Implementation finished in March: A, B, C (D in February); with a caused incident: A, C → 2 / 3.
    caused = value(indicators.CHANGES_CAUSING_INCIDENTS)
    assert (caused.numerator, caused.denominator) == (2, 3)
    assert set(caused.numerator_ids) == {a.pk, c.pk}
    # Implemented without authorisation: C only.
    unauthorised = value(indicators.UNAUTHORISED_CHANGES)
    assert (unauthorised.value, unauthorised.numerator_ids) == (1, (c.pk,))
    # The drill-down lists them through the gate: the vendor sees its own, the other vendor none.
    kind = registry.record_kind(registry.get(indicators.CHANGE_SUCCESS_RATE).record_kind)
    ids = success.denominator_ids
    assert set(kind.records(user=world.users["vendor_manager"], period=PERIOD, ids=ids)) == {a, b, c, d}
    assert not kind.records(user=world.users["other_vendor_manager"], period=PERIOD, ids=ids).exists()
