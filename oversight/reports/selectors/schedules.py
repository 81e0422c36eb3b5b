"""Reads of report schedules and deliveries, limited by the visibility gate (ReportSchedule.visibility).

* The client side (administrator, supervisor, executive, auditor) sees every schedule of its organisation.
* A vendor manager sees its own vendor's schedules read-only (which of its reports go to whom); vendor agents
  and requesters see none. A delivery is visible with its schedule. Anything else is a 404.
* Client administrators and supervisors manage schedules (``reports.permissions.may_manage_schedules``).
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from oversight.reports.models import DeliveryRecipient, ReportDelivery, ReportSchedule
from oversight.tenancy.choices import Role
from oversight.tenancy.models import User
from oversight.tenancy.roles import CLIENT_ROLES, MANAGEMENT_ROLES
from oversight.tenancy.visibility import restrict


def schedule_list(*, user) -> QuerySet[ReportSchedule]:
    """Schedules the user may see, with vendor, contract, calendar and recipients loaded."""
    qs = ReportSchedule.objects.select_related("organisation", "vendor", "contract", "calendar").prefetch_related(
        Prefetch("recipients", queryset=User.objects.order_by("username"))
    )
    return restrict(qs, user)


def schedule_get(*, user, pk) -> ReportSchedule:
    """One visible schedule, or 404 (never 403: nobody learns that an invisible one exists)."""
    try:
        return schedule_list(user=user).get(pk=pk)
    except (ReportSchedule.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def delivery_list(*, user, schedule: ReportSchedule | None = None) -> QuerySet[ReportDelivery]:
    """Deliveries of the schedules the user may see (of one schedule if given), newest period first."""
    qs = restrict(
        ReportDelivery.objects.select_related("schedule", "schedule__vendor", "schedule__contract", "requested_by"),
        user,
    )
    qs = qs.prefetch_related(
        Prefetch("outcomes", queryset=DeliveryRecipient.objects.select_related("user").order_by("pk"))
    )
    if schedule is not None:
        qs = qs.filter(schedule=schedule)
    return qs.order_by("-period_first", "-pk")


def delivery_get(*, user, pk) -> ReportDelivery:
    """One visible delivery, or 404."""
    try:
        return delivery_list(user=user).get(pk=pk)
    except (ReportDelivery.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def recipient_candidates(*, organisation, vendor=None) -> QuerySet[User]:
    """People who may be chosen as recipients: active, with an e-mail address, client side or vendor managers
    (of ``vendor`` when given)."""
    qs = User.objects.filter(organisation=organisation, is_active=True, role__in=sorted(MANAGEMENT_ROLES)).exclude(
        email=""
    )
    vendor_managers = Q(role=Role.VENDOR_MANAGER)
    if vendor is not None:
        vendor_managers &= Q(vendor=vendor)
    return qs.filter(Q(role__in=sorted(CLIENT_ROLES)) | vendor_managers).select_related("vendor")
