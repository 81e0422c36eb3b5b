"""Reads of work orders, scoped to what the acting user may see. Every page, export and endpoint uses these."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404

from oversight.catalog.choices import SLAMetric
from oversight.core import clock
from oversight.tenancy.roles import STAFF_ROLES
from oversight.tenancy.visibility import restrict
from oversight.tickets.choices import OPEN_STATUSES
from oversight.tickets.models import Attachment, Comment, IntakePoint, SLAClock, WorkOrder, WorkOrderEvent

LIST_RELATED = ("service", "vendor", "site", "requester", "assignee", "organisation")


def work_order_list(*, user) -> QuerySet[WorkOrder]:
    """Work orders the user may see (the gate: WorkOrder.visibility), with what list pages need joined in."""
    return restrict(WorkOrder.objects.select_related(*LIST_RELATED), user)


def work_order_get(*, user, pk) -> WorkOrder:
    """One visible work order, or 404 (never 403: nobody learns that an invisible one exists)."""
    try:
        return work_order_list(user=user).select_related("offering", "team", "sla_policy_version__policy").get(pk=pk)
    except (WorkOrder.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def work_order_get_by_number(*, user, number: str) -> WorkOrder:
    """One visible work order by its number, or 404."""
    try:
        return (
            work_order_list(user=user)
            .select_related("offering", "team", "sla_policy_version__policy")
            .get(number=number)
        )
    except WorkOrder.DoesNotExist as exc:
        raise Http404 from exc


def sees_internal(user) -> bool:
    """Requesters never see internal comments, attachments or events."""
    return user.is_superuser or user.role in STAFF_ROLES


def work_order_events(*, user, work_order: WorkOrder) -> QuerySet[WorkOrderEvent]:
    """The timeline of a (visible) work order, internal events hidden from requesters."""
    qs = work_order.events.select_related("actor").order_by("seq")
    return qs if sees_internal(user) else qs.filter(is_internal=False)


def work_order_comments(*, user, work_order: WorkOrder) -> QuerySet[Comment]:
    """Comments of a visible work order, internal ones hidden from requesters."""
    qs = work_order.comments.select_related("author")
    return qs if sees_internal(user) else qs.filter(is_internal=False)


def work_order_attachments(*, user, work_order: WorkOrder) -> QuerySet[Attachment]:
    """Attachments of a visible work order, internal ones hidden from requesters."""
    qs = work_order.attachments.select_related("uploaded_by")
    return qs if sees_internal(user) else qs.filter(is_internal=False)


def attachment_get(*, user, pk) -> Attachment:
    """An attachment the user may download, or 404."""
    qs = restrict(Attachment.objects.all(), user)
    if not sees_internal(user):
        qs = qs.filter(is_internal=False)
    try:
        return qs.get(pk=pk)
    except (Attachment.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def work_order_clocks(*, work_order: WorkOrder) -> QuerySet[SLAClock]:
    """The SLA clocks of a visible work order."""
    order = Case(
        *(When(metric=metric, then=Value(i)) for i, metric in enumerate(SLAMetric.values)),
        output_field=IntegerField(),
    )
    # Response, on-site, resolution: the order in which the targets come due.
    return work_order.clocks.select_related("calendar").order_by(order)


def clock_list(*, user) -> QuerySet[SLAClock]:
    """SLA clocks of the work orders the user may see."""
    return restrict(SLAClock.objects.select_related("work_order"), user)


def breached_q(now=None) -> Q:
    """Work orders whose SLA is breached now: recorded breaches and running clocks past due."""
    now = now or clock.now()
    return Q(sla_breached=True) | Q(sla_next_due_at__lte=now)


def queue(qs: QuerySet[WorkOrder], *, user, name: str, now=None) -> QuerySet[WorkOrder]:
    """Narrow a visible list to a named workbench queue (mine, team, unassigned, due_soon, breached)."""
    now = now or clock.now()
    open_qs = qs.filter(status__in=OPEN_STATUSES)
    if name == "mine":
        return open_qs.filter(assignee=user)
    if name == "team":
        return open_qs.filter(Q(team__in=user.teams.all()) | Q(assignee__teams__in=user.teams.all())).distinct()
    if name == "unassigned":
        return open_qs.filter(assignee__isnull=True)
    if name == "due_soon":
        import datetime as dt

        return open_qs.filter(sla_next_due_at__gt=now, sla_next_due_at__lte=now + dt.timedelta(hours=1))
    if name == "breached":
        return open_qs.filter(breached_q(now))
    return open_qs


def intake_point_get(*, token: str) -> IntakePoint:
    """An active QR intake point by its token, or 404."""
    try:
        return IntakePoint.objects.select_related("service", "offering", "site", "organisation").get(
            token=token, is_active=True
        )
    except IntakePoint.DoesNotExist as exc:
        raise Http404 from exc


def intake_point_list(*, user) -> QuerySet[IntakePoint]:
    """QR intake points of the user's organisation (client side only)."""
    return restrict(IntakePoint.objects.all(), user)
