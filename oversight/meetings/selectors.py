"""Reads of communication plans, series, meetings and action items, limited to what the acting user may see (the
one gate, ADR 0007): the client side of the organisation sees all of its own, vendor staff their own vendor's,
requesters nothing. On top of the gate, one domain rule: agenda lines about the client's own risk work (and
draft evaluations or statements) are for the client side only."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from oversight.core import clock
from oversight.meetings.choices import OPEN_ACTION_STATUSES, Audience
from oversight.meetings.models import (
    ActionItem,
    ActionItemEvent,
    AgendaItem,
    CommunicationPlan,
    Decision,
    Meeting,
    MeetingSeries,
    Participant,
    PlanRow,
)
from oversight.tenancy.roles import is_vendor
from oversight.tenancy.visibility import restrict


def _get(queryset: QuerySet, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def plan_list(*, user) -> QuerySet[CommunicationPlan]:
    """Communication plans the user may see, with their vendor, contract and the number of series."""
    return restrict(
        CommunicationPlan.objects.select_related("vendor", "contract", "calendar").annotate(
            series_count=Count("series", distinct=True)
        ),
        user,
    ).order_by("vendor__name", "name", "pk")


def plan_get(*, user, pk) -> CommunicationPlan:
    """One visible plan, or 404."""
    return _get(restrict(CommunicationPlan.objects.select_related("vendor", "contract", "calendar"), user), pk)


def plan_rows(*, user, plan: CommunicationPlan) -> QuerySet[PlanRow]:
    """The rows of a plan, with their owners."""
    return restrict(PlanRow.objects.filter(plan=plan), user).select_related("owner")


def series_list(*, user) -> QuerySet[MeetingSeries]:
    """Meeting series the user may see."""
    return restrict(MeetingSeries.objects.select_related("vendor", "plan"), user)


def series_get(*, user, pk) -> MeetingSeries:
    """One visible series, or 404."""
    return _get(series_list(user=user).select_related("plan__calendar").prefetch_related("participants"), pk)


def meeting_list(*, user) -> QuerySet[Meeting]:
    """Meetings the user may see, with vendor and series joined."""
    return restrict(Meeting.objects.select_related("vendor", "series", "plan"), user)


def meeting_get(*, user, pk) -> Meeting:
    """One visible meeting, or 404 (never 403: nobody learns that an invisible one exists)."""
    return _get(
        meeting_list(user=user).select_related(
            "organisation", "contract", "plan__calendar", "client_signer", "vendor_signer"
        ),
        pk,
    )


def series_meetings(*, user, series: MeetingSeries) -> QuerySet[Meeting]:
    """The meetings of a series in date order."""
    return meeting_list(user=user).filter(series=series).order_by("starts_at", "pk")


def participants(*, user, meeting: Meeting) -> QuerySet[Participant]:
    """The people invited to a meeting, client side first."""
    return restrict(Participant.objects.filter(meeting=meeting), user).select_related("user").order_by("side", "pk")


def agenda(*, user, meeting: Meeting) -> QuerySet[AgendaItem]:
    """The agenda lines the user may read, in order (client-only lines hidden from vendor staff)."""
    qs = restrict(AgendaItem.objects.filter(meeting=meeting), user)
    if is_vendor(user):
        qs = qs.filter(audience=Audience.ALL)
    return qs.order_by("position", "pk")


def decisions(*, user, meeting: Meeting) -> QuerySet[Decision]:
    """The decisions of a meeting, in order."""
    return restrict(Decision.objects.filter(meeting=meeting), user).select_related("recorded_by")


def action_list(*, user) -> QuerySet[ActionItem]:
    """Action items the user may see, with owner, vendor and meeting joined."""
    return restrict(ActionItem.objects.select_related("owner", "vendor", "meeting"), user)


def action_get(*, user, pk) -> ActionItem:
    """One visible action item, or 404."""
    return _get(action_list(user=user).select_related("organisation", "meeting__plan"), pk)


def meeting_actions(*, user, meeting: Meeting) -> QuerySet[ActionItem]:
    """The action items a meeting gave."""
    return action_list(user=user).filter(meeting=meeting).order_by("due_at", "pk")


def action_events(*, user, item: ActionItem) -> QuerySet[ActionItemEvent]:
    """An action item's history, oldest first."""
    return restrict(ActionItemEvent.objects.filter(item=item), user).select_related("actor").order_by("seq")


def overdue_q(now: dt.datetime | None = None) -> Q:
    """An action item still open past its due moment."""
    return Q(status__in=OPEN_ACTION_STATUSES, due_at__lte=now or clock.now())


def actions_overdue(*, user, now: dt.datetime | None = None) -> QuerySet[ActionItem]:
    """Every visible overdue action item, the longest overdue first."""
    return action_list(user=user).filter(overdue_q(now)).order_by("due_at", "pk")


def meetings_with_people(*, user, person) -> QuerySet[Meeting]:
    """Meetings the user may see to which ``person`` is invited (the person's calendar feed)."""
    return meeting_list(user=user).filter(participants__user=person).distinct()


def meeting_list_annotated(*, user) -> QuerySet[Meeting]:
    """Meetings with their open action-item counts (the meeting list)."""
    return meeting_list(user=user).annotate(
        open_actions=Count("action_items", filter=Q(action_items__status__in=OPEN_ACTION_STATUSES), distinct=True)
    )
