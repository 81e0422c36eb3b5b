"""The change indicators (pure Python, no Django): the ORM layer (`changes.kpis`) feeds plain facts.

For one vendor of an organisation (the implementer of the changes) and a half-open period ``[start, end)``:

* **change success rate** (%): the vendor's changes whose post-implementation review was recorded in the period
  and judged the change successful (successful, or successful with issues), as a share of the changes reviewed
  in the period. This is the mission's ``1 − failed ÷ implemented`` with "failed" = failed or backed out and
  "implemented" = reviewed: a change only has an outcome once its implementation has finished and been reviewed.
* **emergency-change share** (%): the vendor's emergency changes requested in the period, as a share of all its
  changes requested in the period (standard, normal and emergency; a change cancelled or rejected later still
  was requested).
* **changes causing incidents** (%): the vendor's changes whose implementation finished in the period that have
  at least one incident linked as caused by them, as a share of the changes whose implementation finished in
  the period.
* **unauthorised changes** (count): the vendor's changes implemented without authorisation, counted in the
  period in which they entered implementation. Read from the change's timeline by
  :func:`implemented_without_authorisation`: a normal or emergency change whose first step into
  ``implementing`` came before any step into ``authorised`` (today the only way is the supervisor's
  ``record_unauthorised`` transition, but the rule reads what happened, not which button was pressed). A
  standard change is pre-approved by its template and never counts; a change implemented outside its
  authorised window is a calendar conflict, not an unauthorised change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from oversight.kpi import IndicatorResult
from oversight.kpi.facts import Period
from oversight.kpi.results import share_of

CHANGE_SUCCESS_RATE = "change_success_rate"
EMERGENCY_CHANGE_SHARE = "emergency_change_share"
CHANGES_CAUSING_INCIDENTS = "changes_causing_incidents"
UNAUTHORISED_CHANGES = "unauthorised_changes"

#: The statuses the timeline rule reads (the values of `changes.choices.ChangeStatus`).
AUTHORISED = "authorised"
IMPLEMENTING = "implementing"
#: The type that needs no authorisation (`changes.choices.ChangeType.STANDARD`).
STANDARD = "standard"


@dataclass(frozen=True)
class Step:
    """One status step of a change's timeline: when, and the status it led to."""

    at: dt.datetime
    to_status: str


@dataclass(frozen=True)
class ChangeFacts:
    """One change of the vendor: when it was requested, whether it is an emergency change, when its
    implementation finished, when it was reviewed and whether the outcome counts as successful, how many incidents
    are linked as caused by it, and when it entered implementation without authorisation (None: it did not)."""

    id: int
    requested_at: dt.datetime
    emergency: bool = False
    implemented_at: dt.datetime | None = None
    reviewed_at: dt.datetime | None = None
    successful: bool | None = None
    incidents_caused: int = 0
    unauthorised_at: dt.datetime | None = None


def implemented_without_authorisation(change_type: str, steps: Iterable[Step]) -> dt.datetime | None:
    """When a change entered implementation without having been authorised before, else None.

    ``steps`` are its status steps in timeline order; a standard change (pre-approved) never counts."""
    if change_type == STANDARD:
        return None
    for step in steps:
        if step.to_status == AUTHORISED:
            return None
        if step.to_status == IMPLEMENTING:
            return step.at
    return None


def change_success_rate(changes: list[ChangeFacts], period: Period) -> IndicatorResult:
    """Changes reviewed in the period with a successful outcome / changes reviewed in the period."""
    reviewed = [c for c in changes if period.contains(c.reviewed_at) and c.successful is not None]
    return share_of(CHANGE_SUCCESS_RATE, [c.id for c in reviewed if c.successful], [c.id for c in reviewed])


def emergency_change_share(changes: list[ChangeFacts], period: Period) -> IndicatorResult:
    """Emergency changes requested in the period / changes requested in the period."""
    requested = [c for c in changes if period.contains(c.requested_at)]
    return share_of(EMERGENCY_CHANGE_SHARE, [c.id for c in requested if c.emergency], [c.id for c in requested])


def changes_causing_incidents(changes: list[ChangeFacts], period: Period) -> IndicatorResult:
    """Changes implemented in the period with at least one incident caused / changes implemented in the period."""
    done = [c for c in changes if period.contains(c.implemented_at)]
    return share_of(CHANGES_CAUSING_INCIDENTS, [c.id for c in done if c.incidents_caused > 0], [c.id for c in done])


def unauthorised_changes(changes: list[ChangeFacts], period: Period) -> IndicatorResult:
    """Changes that entered implementation without authorisation in the period (a count)."""
    ids = [c.id for c in changes if period.contains(c.unauthorised_at)]
    return IndicatorResult(
        code=UNAUTHORISED_CHANGES,
        unit="count",
        numerator=Decimal(len(ids)),
        denominator=None,
        value=Decimal(len(ids)),
        numerator_ids=tuple(ids),
    )
