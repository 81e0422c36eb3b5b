"""Reads of the catalog, calendars and SLA policies, scoped to the acting user."""

from __future__ import annotations

import calendar as calendar_module
import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from oversight.catalog.models import (
    BusinessCalendar,
    Offering,
    Service,
    ServiceCategory,
    SLAPolicy,
    SLAPolicyVersion,
)
from oversight.tenancy.roles import is_client, is_requester
from oversight.tenancy.visibility import ADMINISTER, restrict


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


def calendar_administered(*, user, pk) -> BusinessCalendar:
    """One calendar the user administers (their organisation's, as a client administrator); 404 otherwise."""
    return get_object_or_404(
        restrict(BusinessCalendar.objects.prefetch_related("intervals", "years"), user, ADMINISTER), pk=pk
    )


def sla_policy_administered(*, user, pk) -> SLAPolicy:
    """One SLA policy the user administers; 404 otherwise."""
    return get_object_or_404(restrict(SLAPolicy.objects.select_related("organisation"), user, ADMINISTER), pk=pk)


def service_administered(*, user, pk) -> Service:
    """One service the user administers; 404 otherwise."""
    return get_object_or_404(restrict(Service.objects.select_related("organisation"), user, ADMINISTER), pk=pk)


@dataclass(frozen=True)
class MonthDay:
    """One cell of a calendar's month view."""

    date: dt.date
    in_month: bool
    kind: str  # "working", "off" (weekly pattern), "holiday", "adjusted" (调休 working day), "unknown" (no data)
    hours: tuple[tuple[int, int], ...]
    name: str
    source: str  # "" (weekly pattern), "library" or "manual"


def calendar_month(calendar: BusinessCalendar, year: int, month: int) -> list[list[MonthDay]]:
    """The weeks (Monday first) of one month of a calendar: each date's weekly hours or its override."""
    weekly: dict[int, list[tuple[int, int]]] = {d: [] for d in range(7)}
    for interval in calendar.intervals.all():
        weekly[interval.weekday].append((interval.start_minute, interval.end_minute))
    weeks = calendar_module.Calendar(firstweekday=0).monthdatescalendar(year, month)
    overrides = {day.date: day for day in calendar.days.filter(date__range=(weeks[0][0], weeks[-1][-1]))}
    covered = None if calendar.holiday_source == "none" else {y.year for y in calendar.years.all()}
    standard = tuple(sorted(weekly[0])) or next((tuple(sorted(d)) for d in weekly.values() if d), ())
    out = []
    for week in weeks:
        row = []
        for date in week:
            override = overrides.get(date)
            if override is not None:
                hours = tuple(tuple(i) for i in override.intervals) or standard
                kind = "adjusted" if override.is_working else "holiday"
                row.append(
                    MonthDay(
                        date,
                        date.month == month,
                        kind,
                        hours if override.is_working else (),
                        override.name,
                        override.source,
                    )
                )
                continue
            hours = tuple(sorted(weekly[date.weekday()]))
            kind = "working" if hours else "off"
            if covered is not None and date.year not in covered:
                kind = "unknown"
            row.append(MonthDay(date, date.month == month, kind, hours, "", ""))
        out.append(row)
    return out
