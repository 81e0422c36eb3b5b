"""The meeting indicators, registered in `oversight.core.kpis` (imported from `MeetingsConfig.ready()`).

One loader (``meetings``) reads the vendor's meetings starting in the window and its action items due in it; the
formulas are the pure functions of :mod:`oversight.meetings.indicators` (docs/formulas.md §"Meetings"). The
records behind a figure are meetings or action items, listed through the gate (`meetings.selectors`).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from oversight.core.kpis import SCHEME, Dimension, Loader, RecordKind, Scope, Source, Unit, registry
from oversight.kpi.facts import Period
from oversight.meetings import indicators
from oversight.meetings.choices import HELD_STATUSES, ActionStatus
from oversight.meetings.models import ActionItem, Meeting
from oversight.meetings.selectors import action_list, meeting_list

OWNER = "meetings"
LOADER = "meetings"
RECORD_MEETING = "meeting"
RECORD_ACTION = "meeting_action_item"


def load_meeting_facts(scope: Scope, period: Period) -> indicators.MeetingFacts:
    """The vendor's meetings starting in the period and its action items due in it."""
    meetings = Meeting.objects.filter(
        organisation_id=scope.organisation_id,
        vendor_id=scope.vendor_id,
        starts_at__gte=period.start,
        starts_at__lt=period.end,
    ).values_list("pk", "series_id", "starts_at", "status", "minutes_due_at", "signed_at")
    items = ActionItem.objects.filter(
        organisation_id=scope.organisation_id,
        vendor_id=scope.vendor_id,
        due_at__gt=period.start,
        due_at__lte=period.end,
    ).values_list("pk", "due_at", "status", "closed_at")
    return indicators.MeetingFacts(
        at=scope.evaluated_at,
        meetings=tuple(
            indicators.MeetingFact(pk, series_id is not None, starts_at, status in HELD_STATUSES, due, signed)
            for pk, series_id, starts_at, status, due, signed in meetings.order_by("starts_at", "pk")
        ),
        actions=tuple(
            indicators.ActionFact(pk, due_at, status == ActionStatus.DONE, status == ActionStatus.CANCELLED, closed_at)
            for pk, due_at, status, closed_at in items.order_by("due_at", "pk")
        ),
    )


def _meetings(*, user, period, ids):
    return meeting_list(user=user).filter(pk__in=ids)


def _actions(*, user, period, ids):
    return action_list(user=user).filter(pk__in=ids)


def register() -> None:
    """Register the loader, the record kinds and the three sources (once, from `MeetingsConfig.ready()`)."""
    if registry.find(indicators.MEETING_CADENCE) is not None:
        return
    registry.register_loader(Loader(LOADER, load_meeting_facts, lambda: indicators.MeetingFacts(at=None)))
    registry.register_record_kind(
        RecordKind(
            RECORD_MEETING,
            _("Meetings"),
            _meetings,
            ("starts_at", "pk"),
            lambda r: {"id": r.pk, "title": r.title, "starts_at": r.starts_at.isoformat(), "status": r.status},
            "meetings/partials/records/meeting.html",
        )
    )
    registry.register_record_kind(
        RecordKind(
            RECORD_ACTION,
            _("Action items"),
            _actions,
            ("due_at", "pk"),
            lambda r: {"id": r.pk, "title": r.title, "due_on": r.due_on.isoformat(), "status": r.status},
            "meetings/partials/records/action_item.html",
        )
    )
    for source in SOURCES:
        registry.register(source)


SOURCES = (
    Source(
        code=indicators.MEETING_CADENCE,
        dimension=Dimension.PROCESSES,
        unit=Unit.PERCENT,
        higher_is_better=True,
        label=_("Meeting cadence adherence (%)"),
        short_label=_("Meeting cadence"),
        definition=_(
            "Meetings of the vendor's meeting series held, over the meetings those series planned whose start "
            "fell in the period and has passed (a cancelled meeting counts as planned and not held)."
        ),
        record_kind=RECORD_MEETING,
        loader=LOADER,
        compute=lambda f, w: indicators.cadence_adherence(f),
        uses=frozenset({SCHEME}),
        owner=OWNER,
    ),
    Source(
        code=indicators.MINUTES_ON_TIME,
        dimension=Dimension.PROCESSES,
        unit=Unit.PERCENT,
        higher_is_better=True,
        label=_("Minutes signed on time (%)"),
        short_label=_("Minutes on time"),
        definition=_(
            "Meetings held in the period whose minutes both sides signed within the working days the plan or "
            "series allows (3 by default), over the held meetings whose minutes are signed or overdue."
        ),
        record_kind=RECORD_MEETING,
        loader=LOADER,
        compute=lambda f, w: indicators.minutes_on_time(f),
        uses=frozenset({SCHEME}),
        owner=OWNER,
    ),
    Source(
        code=indicators.ACTIONS_ON_TIME,
        dimension=Dimension.PROCESSES,
        unit=Unit.PERCENT,
        higher_is_better=True,
        label=_("Meeting action items closed on time (%)"),
        short_label=_("Actions on time"),
        definition=_(
            "Action items due in the period that were done by the end of their due date, over the items due in "
            "the period that are done or past due (cancelled items count in neither)."
        ),
        record_kind=RECORD_ACTION,
        loader=LOADER,
        compute=lambda f, w: indicators.actions_on_time(f),
        uses=frozenset({SCHEME}),
        owner=OWNER,
    ),
)
