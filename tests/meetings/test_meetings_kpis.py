"""The meeting indicators against hand counts: cadence adherence, minutes signed on time, action items closed on
time (docs/formulas.md §"Meetings"), from plain facts and from the loader over stored meetings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from oversight.core import clock
from oversight.core.kpis import Scope
from oversight.kpi.facts import Period
from oversight.meetings import indicators, services
from oversight.meetings.kpis import load_meeting_facts
from tests.meetings.conftest import at

U = dt.UTC
AT = dt.datetime(2026, 10, 31, tzinfo=U)


def t(day, hour=2):
    return dt.datetime(2026, 10, day, hour, tzinfo=U)


def test_cadence_counts_cancelled_as_planned_and_ignores_ad_hoc_and_future():
    facts = indicators.MeetingFacts(
        at=t(20),
        meetings=(
            indicators.MeetingFact(1, True, t(5), True),
            indicators.MeetingFact(2, True, t(12), True),
            indicators.MeetingFact(3, True, t(13), False),  # cancelled or never held
            indicators.MeetingFact(4, True, t(19), True),
            indicators.MeetingFact(5, False, t(14), True),  # outside any series
            indicators.MeetingFact(6, True, t(26), False),  # still to come
        ),
    )
    result = indicators.cadence_adherence(facts)
    assert (result.numerator, result.denominator, result.value) == (Decimal(3), Decimal(4), Decimal(75))
    assert result.numerator_ids == (1, 2, 4) and result.denominator_ids == (1, 2, 3, 4)


def test_minutes_on_time_judges_signed_or_overdue():
    facts = indicators.MeetingFacts(
        at=t(20),
        meetings=(
            indicators.MeetingFact(1, True, t(5), True, minutes_due_at=t(9), signed_at=t(8)),  # on time
            indicators.MeetingFact(2, True, t(12), True, minutes_due_at=t(15), signed_at=t(16)),  # late
            indicators.MeetingFact(3, True, t(13), True, minutes_due_at=t(16)),  # overdue, unsigned
            indicators.MeetingFact(4, True, t(19), True, minutes_due_at=t(22)),  # not yet due
            indicators.MeetingFact(5, True, t(19), False),  # not held
        ),
    )
    result = indicators.minutes_on_time(facts)
    assert (result.numerator, result.denominator) == (Decimal(1), Decimal(3))
    assert result.value.quantize(Decimal("0.01")) == Decimal("33.33")


def test_actions_on_time_excludes_cancelled_and_not_yet_due():
    facts = indicators.MeetingFacts(
        at=t(20),
        actions=(
            indicators.ActionFact(1, t(10), True, False, t(9)),  # done in time
            indicators.ActionFact(2, t(10), True, False, t(11)),  # done late
            indicators.ActionFact(3, t(12), False, False),  # overdue
            indicators.ActionFact(4, t(12), False, True, t(11)),  # cancelled
            indicators.ActionFact(5, t(25), False, False),  # not yet due
            indicators.ActionFact(6, t(25), True, False, t(18)),  # done early, counts
        ),
    )
    result = indicators.actions_on_time(facts)
    assert (result.numerator, result.denominator, result.value) == (Decimal(2), Decimal(4), Decimal(50))
    assert result.numerator_ids == (1, 6)


def test_nothing_to_measure_is_none():
    empty = indicators.MeetingFacts(at=AT)
    assert indicators.cadence_adherence(empty).value is None
    assert indicators.actions_on_time(empty).value is None


def test_loader_over_stored_meetings(world, weekly):
    supervisor, vm = world.users["client_supervisor"], world.users["vendor_manager"]
    with clock.frozen_at(at(2026, 9, 1, 9)):
        made = services.series_schedule(actor=supervisor, series=weekly, until=dt.date(2026, 10, 19))
    # 21 Sep held, minutes signed on 23 Sep (due end of 24 Sep: 3 working days after 21 Sep is 24 Sep); 28 Sep
    # cancelled; 8 Oct held, never signed (due end of 13 Oct); 12 and 19 Oct still planned.
    first, second, third = made[0], made[1], made[2]
    with clock.frozen_at(at(2026, 9, 21, 11)):
        services.meeting_transition(actor=supervisor, meeting=first, action="hold")
        services.minutes_save(actor=supervisor, meeting=first, minutes="ok")
        item = services.action_item_create(actor=supervisor, meeting=first, title="A", owner=vm, due_days=2)
        services.meeting_transition(actor=supervisor, meeting=first, action="draft")
    with clock.frozen_at(at(2026, 9, 23, 9)):
        services.meeting_sign(actor=supervisor, meeting=first, side="client")
        services.meeting_sign(actor=vm, meeting=first, side="vendor")
        services.action_item_transition(actor=vm, item=item, action="complete")
    services.meeting_transition(actor=supervisor, meeting=second, action="cancel")
    with clock.frozen_at(at(2026, 10, 8, 11)):
        services.meeting_transition(actor=supervisor, meeting=third, action="hold")
    scope = Scope(organisation_id=world.org.pk, vendor_id=world.vendor.pk, evaluated_at=at(2026, 10, 20, 12))
    period = Period(start=at(2026, 9, 1), end=at(2026, 11, 1))
    facts = load_meeting_facts(scope, period)
    cadence = indicators.cadence_adherence(facts)
    # Planned and past by 20 Oct noon: 21 Sep, 28 Sep, 8 Oct, 12 Oct, 19 Oct; held: 21 Sep and 8 Oct.
    assert (cadence.numerator, cadence.denominator) == (Decimal(2), Decimal(5))
    minutes = indicators.minutes_on_time(facts)
    assert (minutes.numerator, minutes.denominator) == (Decimal(1), Decimal(2))
    actions = indicators.actions_on_time(facts)
    # Due 2 working days after 21 Sep = 23 Sep, done on 23 Sep at 09:00: on time.
    assert (actions.numerator, actions.denominator) == (Decimal(1), Decimal(1))
