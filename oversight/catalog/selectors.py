"""Reads of the catalog, calendars and SLA policies, scoped to the acting user."""

from __future__ import annotations

from django.db.models import QuerySet

from oversight.catalog.models import (
    BusinessCalendar,
    Offering,
    Service,
    ServiceCategory,
    SLAPolicy,
    SLAPolicyVersion,
)
from oversight.tenancy.roles import is_client, is_requester
from oversight.tenancy.visibility import restrict


def service_list(*, user) -> QuerySet[Service]:
    """Services: the client side sees its organisation's, vendor staff their vendor's, requesters the active ones."""
    qs = restrict(Service.objects.select_related("category", "vendor", "sla_policy"), user)
    if is_requester(user):
        # Requesters pick from what is offered now; retired services are the client's and vendors' history.
        qs = qs.filter(is_active=True)
    return qs


def offering_list(*, user) -> QuerySet[Offering]:
    """Offerings of the services the user may see (active ones only, except for the client side)."""
    qs = Offering.objects.filter(service__in=service_list(user=user)).select_related("service")
    if not is_client(user):
        qs = qs.filter(is_active=True)
    return qs


def category_list(*, user) -> QuerySet[ServiceCategory]:
    """Service categories of the user's organisation."""
    return restrict(ServiceCategory.objects.all(), user)


def calendar_list(*, user) -> QuerySet[BusinessCalendar]:
    """Business calendars: client and vendor staff of the organisation (requesters have no use for them)."""
    return restrict(BusinessCalendar.objects.prefetch_related("intervals", "years"), user)


def sla_policy_list(*, user) -> QuerySet[SLAPolicy]:
    """SLA policies: the client side sees all of its organisation's, vendor staff those of their services."""
    return restrict(SLAPolicy.objects.all(), user)


def sla_policy_version_list(*, user) -> QuerySet[SLAPolicyVersion]:
    """Versions of the policies the user may see, with their targets."""
    return restrict(SLAPolicyVersion.objects.prefetch_related("targets__calendar"), user)


def calendar_years_missing(calendar: BusinessCalendar, years) -> list[int]:
    """Which of the given years have no confirmed holiday data on this calendar (shown to administrators)."""
    if calendar.holiday_source == "none":
        return []
    have = {covered.year for covered in calendar.years.all()}  # uses prefetched years when present
    return [y for y in years if y not in have]
