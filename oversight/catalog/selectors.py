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
from oversight.tenancy.choices import CLIENT_ROLES, VENDOR_ROLES


def service_list(*, user) -> QuerySet[Service]:
    """Services: the client side sees its organisation's, vendor staff their vendor's, requesters the active ones."""
    qs = Service.objects.select_related("category", "vendor", "sla_policy")
    if user.is_superuser:
        return qs
    qs = qs.filter(organisation_id=user.organisation_id)
    if user.role in CLIENT_ROLES:
        return qs
    if user.role in VENDOR_ROLES:
        return qs.filter(vendor_id=user.vendor_id)
    return qs.filter(is_active=True)


def offering_list(*, user) -> QuerySet[Offering]:
    """Offerings of the services the user may see."""
    qs = Offering.objects.filter(service__in=service_list(user=user)).select_related("service")
    if not user.is_superuser and user.role not in CLIENT_ROLES:
        qs = qs.filter(is_active=True)
    return qs


def category_list(*, user) -> QuerySet[ServiceCategory]:
    """Service categories of the user's organisation."""
    qs = ServiceCategory.objects.all()
    return qs if user.is_superuser else qs.filter(organisation_id=user.organisation_id)


def calendar_list(*, user) -> QuerySet[BusinessCalendar]:
    """Business calendars: client and vendor staff of the organisation (requesters have no use for them)."""
    qs = BusinessCalendar.objects.prefetch_related("intervals", "years")
    if user.is_superuser:
        return qs
    if user.role in CLIENT_ROLES or user.role in VENDOR_ROLES:
        return qs.filter(organisation_id=user.organisation_id)
    return qs.none()


def sla_policy_list(*, user) -> QuerySet[SLAPolicy]:
    """SLA policies: the client side sees all of its organisation's, vendor staff those of their services."""
    qs = SLAPolicy.objects.all()
    if user.is_superuser:
        return qs
    if user.role in CLIENT_ROLES:
        return qs.filter(organisation_id=user.organisation_id)
    if user.role in VENDOR_ROLES:
        return qs.filter(organisation_id=user.organisation_id, services__vendor_id=user.vendor_id).distinct()
    return qs.none()


def sla_policy_version_list(*, user) -> QuerySet[SLAPolicyVersion]:
    """Versions of the policies the user may see, with their targets."""
    return SLAPolicyVersion.objects.filter(policy__in=sla_policy_list(user=user)).prefetch_related("targets__calendar")


def calendar_years_missing(calendar: BusinessCalendar, years) -> list[int]:
    """Which of the given years have no confirmed holiday data on this calendar (shown to administrators)."""
    if calendar.holiday_source == "none":
        return []
    have = {covered.year for covered in calendar.years.all()}  # uses prefetched years when present
    return [y for y in years if y not in have]
