"""The meeting indicators of a vendor (pure Python, no Django): the ORM layer (`meetings.kpis`) feeds plain facts.

For one vendor of an organisation and a period, judged at an instant ``at`` (a running period: now):

* **meeting cadence adherence** (%): meetings of the vendor's series held ÷ meetings of those series planned,
  over the occurrences whose start falls in the period and has passed by ``at``. A cancelled occurrence counts
  as planned and not held; a meeting outside any series counts in neither.
* **minutes signed on time** (%): meetings held in the period whose minutes both sides signed by their due
  moment (the end of the N-th working day after the day it was held; N = 3 by default, a setting of the plan or
  the series) ÷ meetings held in the period whose minutes are signed or overdue at ``at``.
* **action items closed on time** (%): action items due in the period that were done by their due moment ÷ the
  action items due in the period that are done or whose due moment has passed at ``at``; cancelled items count in
  neither.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from oversight.kpi import IndicatorResult
from oversight.kpi.results import share_of

MEETING_CADENCE = "meeting_cadence_adherence"
MINUTES_ON_TIME = "meeting_minutes_signed_on_time"
ACTIONS_ON_TIME = "meeting_actions_closed_on_time"


@dataclass(frozen=True)
class MeetingFact:
    """One meeting of the vendor whose start falls in the period."""

    id: int
    in_series: bool
    starts_at: dt.datetime
    held: bool
    minutes_due_at: dt.datetime | None = None
    signed_at: dt.datetime | None = None


@dataclass(frozen=True)
class ActionFact:
    """One action item of the vendor due in the period."""

    id: int
    due_at: dt.datetime
    done: bool
    cancelled: bool
    closed_at: dt.datetime | None = None


@dataclass(frozen=True)
class MeetingFacts:
    """What the loader read for one vendor and period, and the instant it is judged at."""

    at: dt.datetime
    meetings: tuple[MeetingFact, ...] = field(default_factory=tuple)
    actions: tuple[ActionFact, ...] = field(default_factory=tuple)


def cadence_adherence(facts: MeetingFacts) -> IndicatorResult:
    """Held ÷ planned occurrences of the series whose start has passed."""
    planned = [m for m in facts.meetings if m.in_series and m.starts_at <= facts.at]
    return share_of(MEETING_CADENCE, [m.id for m in planned if m.held], [m.id for m in planned])


def minutes_on_time(facts: MeetingFacts) -> IndicatorResult:
    """Minutes signed by their due moment ÷ held meetings whose minutes are signed or overdue."""
    judged = [
        m
        for m in facts.meetings
        if m.held and m.minutes_due_at is not None and (m.signed_at is not None or m.minutes_due_at <= facts.at)
    ]
    on_time = [m.id for m in judged if m.signed_at is not None and m.signed_at <= m.minutes_due_at]
    return share_of(MINUTES_ON_TIME, on_time, [m.id for m in judged])


def actions_on_time(facts: MeetingFacts) -> IndicatorResult:
    """Items done by their due moment ÷ items due in the period that are done or past due (cancelled excluded)."""
    judged = [a for a in facts.actions if not a.cancelled and (a.done or a.due_at <= facts.at)]
    on_time = [a.id for a in judged if a.done and a.closed_at is not None and a.closed_at <= a.due_at]
    return share_of(ACTIONS_ON_TIME, on_time, [a.id for a in judged])
