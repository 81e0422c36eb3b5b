"""Reads of changes and standard change templates, limited to what the acting user may see.

Vendor staff see the changes their vendor implements and the whole catalogue of standard changes (through the
one gate: ``Change.visibility``, ``ChangeTemplate.visibility``); requesters see none; the client's roles see
their organisation's.
"""

from __future__ import annotations

from django.db.models import Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from oversight.changes.choices import (
    AWAITING_AUTHORISATION,
    FINAL_STATUSES,
    ChangeStatus,
    ChangeType,
    RequestStatus,
    StepStatus,
)
from oversight.changes.models import (
    ApprovalPolicyMember,
    ApprovalPolicyStep,
    ApprovalRequest,
    ApprovalStep,
    CabAgendaItem,
    CabMeeting,
    Change,
    ChangeEvent,
    ChangeIncident,
    ChangeTemplate,
    ChangeWindow,
)
from oversight.configuration.selectors import ci_list
from oversight.tenancy.visibility import restrict
from oversight.tickets.selectors import work_order_list

LIST_RELATED = ("implementer", "requested_by", "template")


def change_list(*, user) -> QuerySet[Change]:
    """Changes the user may see, with what list pages need joined in."""
    return restrict(Change.objects.select_related(*LIST_RELATED), user)


def change_get(*, user, number: str) -> Change:
    """One visible change by its number, or 404 (never 403)."""
    try:
        return change_list(user=user).select_related("contract", "created_by", "reviewed_by").get(number=number)
    except (Change.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def change_get_by_pk(*, user, pk) -> Change:
    """One visible change by primary key (the API), or 404."""
    try:
        return change_list(user=user).select_related("contract", "created_by", "reviewed_by").get(pk=pk)
    except (Change.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def change_events(*, change: Change):
    """The timeline of a visible change, oldest first."""
    return change.events.select_related("actor").order_by("seq")


def changes_awaiting_authorisation(*, user) -> QuerySet[Change]:
    """Visible normal and emergency changes not yet authorised or rejected (the CAB's agenda), oldest first."""
    return (
        change_list(user=user)
        .exclude(type=ChangeType.STANDARD)
        .filter(status__in=AWAITING_AUTHORISATION)
        .order_by("created_at", "id")
    )


def template_list(*, user, active_only: bool = False) -> QuerySet[ChangeTemplate]:
    """Standard change templates the user may see (the catalogue)."""
    qs = restrict(ChangeTemplate.objects.select_related("service", "vendor"), user)
    return qs.filter(active=True) if active_only else qs


def template_get(*, user, pk) -> ChangeTemplate:
    """One visible template, or 404."""
    try:
        return template_list(user=user).get(pk=pk)
    except (ChangeTemplate.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


# ---------------------------------------------------------------------------------------------- the change page


def change_steps(*, change: Change) -> list[ApprovalStep]:
    """The approval steps of a visible change in order, each with its requests (approver, substitute, voter)."""
    requests = ApprovalRequest.objects.select_related("approver", "substitute", "voted_by").order_by("id")
    return list(
        change.steps.select_related("calendar")
        .prefetch_related(Prefetch("requests", queryset=requests))
        .order_by("position")
    )


def change_incidents(*, user, change: Change) -> QuerySet[ChangeIncident]:
    """The incidents linked to a visible change as caused by it, limited to the work orders the user may see."""
    return (
        restrict(ChangeIncident.objects.filter(change=change), user)
        .filter(work_order__in=work_order_list(user=user).values("pk"))
        .select_related("work_order", "linked_by")
        .order_by("linked_at", "pk")
    )


def change_cis(*, user, change: Change):
    """The configuration items a visible change affects that the user may see."""
    return ci_list(user=user).filter(changes=change).select_related("ci_class").order_by("name", "pk")


def window_list(*, user, active_only: bool = False) -> QuerySet[ChangeWindow]:
    """Calendar windows the user may see (every vendor of the organisation sees its calendar)."""
    qs = restrict(ChangeWindow.objects.all(), user)
    return qs.filter(active=True) if active_only else qs


def window_get(*, user, pk) -> ChangeWindow:
    """One visible calendar window, or 404."""
    try:
        return window_list(user=user).get(pk=pk)
    except (ChangeWindow.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def vote_request_for(*, user, change: Change) -> ApprovalRequest | None:
    """The user's pending place on the change's open approval step: as its approver, or as the substitute once
    the deadline has passed and they were asked (None when they have no vote to give)."""
    if user is None or not user.is_authenticated:
        return None
    return (
        ApprovalRequest.objects.filter(step__change=change, step__status=StepStatus.OPEN, status=RequestStatus.PENDING)
        .filter(Q(approver=user) | Q(substitute=user, substitute_asked_at__isnull=False))
        .select_related("step")
        .order_by("step__position", "id")
        .first()
    )


# ---------------------------------------------------------------------------------------------- CAB, policies


def cab_list(*, user) -> QuerySet[CabMeeting]:
    """CAB meetings the user may see (the client's side of the organisation), newest first."""
    return restrict(CabMeeting.objects.select_related("chair"), user).order_by("-starts_at", "-pk")


def cab_get(*, user, pk) -> CabMeeting:
    """One visible CAB meeting, or 404."""
    try:
        return cab_list(user=user).get(pk=pk)
    except (CabMeeting.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def cab_items(*, user, meeting: CabMeeting) -> QuerySet[CabAgendaItem]:
    """A visible meeting's agenda, in order, limited to the changes the user may see."""
    return (
        meeting.items.filter(change__in=change_list(user=user).values("pk"))
        .select_related("change", "change__implementer")
        .order_by("position")
    )


def cab_item_get(*, user, meeting: CabMeeting, pk) -> CabAgendaItem:
    """One item of a visible meeting's agenda, or 404."""
    try:
        return cab_items(user=user, meeting=meeting).get(pk=pk)
    except (CabAgendaItem.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def policy_steps(*, user, change_type: str) -> list[ApprovalPolicyStep]:
    """The steps of the user's organisation's approval policy for a type of change, with their members."""
    members = ApprovalPolicyMember.objects.select_related("approver", "substitute").order_by("id")
    return list(
        restrict(ApprovalPolicyStep.objects.filter(policy__change_type=change_type), user)
        .filter(policy__organisation_id=user.organisation_id)
        .select_related("calendar")
        .prefetch_related(Prefetch("members", queryset=members))
        .order_by("position")
    )


def changes_on_calendar(*, user, since, until) -> QuerySet[Change]:
    """Visible changes with a planned window overlapping [since, until), not rejected or cancelled."""
    return (
        change_list(user=user)
        .filter(planned_start__lt=until, planned_end__gt=since)
        .exclude(status__in=(ChangeStatus.REJECTED, ChangeStatus.CANCELLED))
        .prefetch_related("services", "sites")
        .order_by("planned_start", "pk")
    )


def work_order_changes(*, user, work_order) -> QuerySet[ChangeIncident]:
    """The visible changes that caused a work order (its links as an incident caused by a change)."""
    return (
        restrict(ChangeIncident.objects.filter(work_order=work_order), user)
        .select_related("change", "linked_by")
        .order_by("linked_at", "pk")
    )


# ---------------------------------------------------------------------------------------------- the calendar feed


def feed_changes(*, user, since, until, service_id=None, vendor_id=None, site_id=None) -> QuerySet[Change]:
    """What the user's calendar feed shows of changes: the visible planned changes in [since, until), optionally
    of one service, implementing vendor or site."""
    qs = changes_on_calendar(user=user, since=since, until=until).select_related("organisation")
    if service_id is not None:
        qs = qs.filter(services=service_id)
    if vendor_id is not None:
        qs = qs.filter(implementer_id=vendor_id)
    if site_id is not None:
        qs = qs.filter(sites=site_id)
    return qs.distinct()


def feed_windows(*, user, service_id=None, vendor_id=None, site_id=None) -> QuerySet[ChangeWindow]:
    """The active windows of the user's calendar feed: those for the whole organisation and, when a service,
    vendor or site is asked for, those naming it (a window's scope, as the conflict check reads it)."""
    qs = window_list(user=user, active_only=True)
    asked = {"services": service_id, "vendors": vendor_id, "sites": site_id}
    if all(value is None for value in asked.values()):
        return qs.order_by("start", "pk")
    everything = Q(services__isnull=True, vendors__isnull=True, sites__isnull=True)
    named = Q()
    for field, value in asked.items():
        if value is not None:
            named |= Q(**{field: value})
    return qs.filter(everything | named).distinct().order_by("start", "pk")


def changes_open_since(*, organisation_id: int, vendor_id: int | None = None) -> QuerySet[Change]:
    """The organisation's changes not in a final status (optionally one implementer's), each annotated with
    ``status_since``: when it entered its current status (its last timeline step into it, else its creation).

    For the system's sweeps (stalled changes are escalated by the liaisons app); no user, no gate."""
    entered = (
        ChangeEvent.objects.filter(change=OuterRef("pk"), to_status=OuterRef("status"))
        .values("change")
        .annotate(at=Max("at"))
        .values("at")
    )
    changes = Change.objects.filter(organisation_id=organisation_id).exclude(status__in=FINAL_STATUSES)
    if vendor_id is not None:
        changes = changes.filter(implementer_id=vendor_id)
    return changes.annotate(status_since=Coalesce(Subquery(entered[:1]), "created_at")).order_by("pk")
