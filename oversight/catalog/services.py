"""Writes to the catalog: calendars (with China's holidays), SLA policy versions, the priority matrix.

The admin's writes come here too: `<entity>_save(*, actor, <entity>, fields)` saves a row a form built
(`fields` None) or changed (only those fields) and audits it; `<entity>_delete(*, actor, <entity>)` deletes
and audits.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from oversight.audit.services import (
    audit_record,
    diff_snapshots,
    model_snapshot,
    row_delete,
    row_save_audited,
    row_snapshot,
    stored_row_snapshot,
)
from oversight.businesstime.china import china_year_data
from oversight.businesstime.engine import CalendarDataMissing
from oversight.catalog.calendars import calendar_spec, spec_to_data
from oversight.catalog.choices import CalendarYearSource, HolidaySource, Level, Priority, SLAMetric, Status
from oversight.catalog.events import SERVICE_RECLASSIFIED
from oversight.catalog.models import (
    BusinessCalendar,
    CalendarDay,
    CalendarInterval,
    CalendarRevision,
    CalendarYear,
    PriorityRule,
    Service,
    ServiceCategory,
    SLAPolicy,
    SLAPolicyVersion,
    SLATarget,
)
from oversight.core import clock
from oversight.core.errors import ApplicationError
from oversight.core.events import publish

# ITIL's usual matrix: priority from impact (rows) and urgency (columns), 1 = high.
DEFAULT_PRIORITY_MATRIX = {
    (1, 1): Priority.P1,
    (1, 2): Priority.P2,
    (1, 3): Priority.P3,
    (2, 1): Priority.P2,
    (2, 2): Priority.P3,
    (2, 3): Priority.P4,
    (3, 1): Priority.P3,
    (3, 2): Priority.P4,
    (3, 3): Priority.P4,
}

#: The longest target a policy may set: a year of round-the-clock minutes (anything longer is a typing error).
MAX_TARGET_MINUTES = 366 * 24 * 60
#: Years a calendar may hold date overrides for (the business-time engine's data horizon).
CALENDAR_YEARS = range(2000, 2101)

DEFAULT_PAUSE_STATUSES = {
    SLAMetric.RESPONSE: [],
    SLAMetric.ONSITE: ["pending_requester"],
    SLAMetric.RESOLUTION: ["pending_requester", "pending_third_party"],
}


def calendar_bump_revision(calendar: BusinessCalendar) -> None:
    """Mark a calendar as changed (call after any change): cached engine specs of it are rebuilt, and the new
    state is kept as a revision in force from now, so clocks keep measuring earlier time on the earlier state."""
    BusinessCalendar.objects.filter(pk=calendar.pk).update(revision=F("revision") + 1, revision_token=uuid.uuid4())
    calendar.refresh_from_db(fields=["revision", "revision_token"])
    CalendarRevision.objects.create(
        calendar=calendar,
        revision=calendar.revision,
        effective_from=clock.now(),
        spec=spec_to_data(calendar_spec(calendar)),
    )


def _check_year(year: int) -> None:
    if year not in CALENDAR_YEARS:
        raise ApplicationError(_("Choose a year between 2000 and 2100."))


@transaction.atomic
def calendar_create(
    *,
    actor,
    organisation,
    name: str,
    time_zone: str,
    holiday_source: str,
    weekly: dict[int, list[tuple[int, int]]],
) -> BusinessCalendar:
    """Create a business calendar with its weekly working intervals (weekday -> [(start, end) minutes])."""
    calendar = BusinessCalendar.objects.create(
        organisation=organisation, name=name, time_zone=time_zone, holiday_source=holiday_source
    )
    calendar_set_weekly_intervals(actor=actor, calendar=calendar, weekly=weekly, audit=False)
    audit_record(actor=actor, action="catalog.calendar.created", obj=calendar, after=model_snapshot(calendar))
    return calendar


@transaction.atomic
def calendar_set_weekly_intervals(
    *, actor, calendar: BusinessCalendar, weekly: dict[int, list[tuple[int, int]]], audit: bool = True
) -> BusinessCalendar:
    """Replace the calendar's weekly working intervals, validating that they are sane and disjoint."""
    for weekday, intervals in weekly.items():
        if weekday not in range(7):
            raise ApplicationError(_("Weekday must be 0 (Monday) to 6 (Sunday)."))
        previous_end = -1
        for start, end in sorted(intervals):
            if not (0 <= start < end <= 1440):
                raise ApplicationError(_("Each interval must start before it ends, within one day."))
            if start < previous_end:
                raise ApplicationError(_("Working intervals of one day must not overlap."))
            previous_end = end
    before = {str(k): v for k, v in calendar_weekly(calendar).items()}
    calendar.intervals.all().delete()
    CalendarInterval.objects.bulk_create(
        CalendarInterval(calendar=calendar, weekday=weekday, start_minute=start, end_minute=end)
        for weekday, intervals in weekly.items()
        for start, end in sorted(intervals)
    )
    calendar_bump_revision(calendar)
    if audit:
        audit_record(
            actor=actor,
            action="catalog.calendar.hours_changed",
            obj=calendar,
            before={"weekly": before},
            after={"weekly": {str(k): v for k, v in weekly.items()}},
        )
    return calendar


def calendar_weekly(calendar: BusinessCalendar) -> dict[int, list[tuple[int, int]]]:
    """The calendar's weekly pattern as weekday -> [(start_minute, end_minute)]."""
    weekly: dict[int, list[tuple[int, int]]] = {d: [] for d in range(7)}
    for interval in calendar.intervals.all():
        weekly[interval.weekday].append((interval.start_minute, interval.end_minute))
    return weekly


@transaction.atomic
def calendar_load_china_year(*, actor, calendar: BusinessCalendar, year: int) -> CalendarYear:
    """Load a year's holidays and adjusted working days from the maintained library.

    Raises ApplicationError (never guesses) when the library has no data for the year; the
    administrator must then enter the days by hand and confirm the year.
    """
    _check_year(year)
    if calendar.holiday_source != HolidaySource.CHINA:
        raise ApplicationError(_("This calendar does not observe China's public holidays."))
    try:
        data = china_year_data(year)
    except CalendarDataMissing as exc:
        raise ApplicationError(
            _(
                "The holiday library has no data for %(year)s. Enter that year's public holidays and "
                "adjusted working days by hand, then confirm the year."
            )
            % {"year": year},
            code="calendar_data_missing",
        ) from exc
    CalendarDay.objects.filter(calendar=calendar, date__year=year, source=CalendarYearSource.LIBRARY).delete()
    manual_dates = set(CalendarDay.objects.filter(calendar=calendar, date__year=year).values_list("date", flat=True))
    days = [
        CalendarDay(calendar=calendar, date=d, is_working=False, name="法定节假日", source=CalendarYearSource.LIBRARY)
        for d in data.holidays
        if d not in manual_dates
    ] + [
        CalendarDay(calendar=calendar, date=d, is_working=True, name="调休", source=CalendarYearSource.LIBRARY)
        for d in data.adjusted_working_days
        if d not in manual_dates
    ]
    CalendarDay.objects.bulk_create(days)
    covered, _created = CalendarYear.objects.update_or_create(
        calendar=calendar,
        year=year,
        defaults={
            "source": CalendarYearSource.LIBRARY,
            "confirmed_by": actor if getattr(actor, "pk", None) else None,
            "confirmed_at": clock.now(),
        },
    )
    calendar_bump_revision(calendar)
    audit_record(
        actor=actor,
        action="catalog.calendar.year_loaded",
        obj=calendar,
        after={"year": year, "holidays": len(data.holidays), "adjusted_working_days": len(data.adjusted_working_days)},
    )
    return covered


@transaction.atomic
def calendar_set_day(
    *,
    actor,
    calendar: BusinessCalendar,
    date: dt.date,
    is_working: bool,
    intervals: Iterable[tuple[int, int]] = (),
    name: str = "",
) -> CalendarDay:
    """Override one date by hand: a holiday, or a working day with given (or the usual Monday) hours."""
    if date.year not in CALENDAR_YEARS:
        raise ApplicationError(_("Choose a date between the years 2000 and 2100."))
    intervals = [list(i) for i in sorted(intervals)]
    for start, end in intervals:
        if not (0 <= start < end <= 1440):
            raise ApplicationError(_("Each interval must start before it ends, within one day."))
    if intervals and not is_working:
        raise ApplicationError(_("A non-working day cannot have working intervals."))
    existing = CalendarDay.objects.filter(calendar=calendar, date=date).first()
    before = model_snapshot(existing) if existing else None
    day, _created = CalendarDay.objects.update_or_create(
        calendar=calendar,
        date=date,
        defaults={"is_working": is_working, "intervals": intervals, "name": name, "source": CalendarYearSource.MANUAL},
    )
    calendar_bump_revision(calendar)
    audit_record(actor=actor, action="catalog.calendar.day_set", obj=calendar, before=before, after=model_snapshot(day))
    return day


@transaction.atomic
def calendar_confirm_year(*, actor, calendar: BusinessCalendar, year: int) -> CalendarYear:
    """Confirm by hand that a year's holidays and adjusted working days are complete."""
    _check_year(year)
    covered, _created = CalendarYear.objects.update_or_create(
        calendar=calendar,
        year=year,
        defaults={"source": CalendarYearSource.MANUAL, "confirmed_by": actor, "confirmed_at": clock.now()},
    )
    calendar_bump_revision(calendar)
    audit_record(actor=actor, action="catalog.calendar.year_confirmed", obj=calendar, after={"year": year})
    return covered


def priority_for(*, organisation, impact: int, urgency: int) -> str:
    """The priority the organisation's impact × urgency matrix gives (ITIL default where unset)."""
    if impact not in Level.values or urgency not in Level.values:
        raise ApplicationError(_("Impact and urgency must be 1 (high), 2 (medium) or 3 (low)."))
    rule = PriorityRule.objects.filter(organisation=organisation, impact=impact, urgency=urgency).first()
    return rule.priority if rule else DEFAULT_PRIORITY_MATRIX[(impact, urgency)]


@transaction.atomic
def sla_policy_create(*, actor, organisation, name: str, code: str) -> SLAPolicy:
    """Create an SLA policy (its terms come with its first version)."""
    policy = SLAPolicy.objects.create(organisation=organisation, name=name, code=code)
    audit_record(actor=actor, action="catalog.slapolicy.created", obj=policy, after=model_snapshot(policy))
    return policy


def _check_target_order(targets: list[dict]) -> None:
    """Within one priority, resolution may not be due before the response or the on-site arrival.

    Compared only when both targets count on the same calendar (minutes of different calendars are not
    comparable: 60 minutes round the clock can end before 30 working minutes do).
    """
    by_key = {(t["priority"], t["metric"]): t for t in targets}
    labels = dict(SLAMetric.choices)
    for priority in Priority.values:
        resolution = by_key.get((priority, SLAMetric.RESOLUTION))
        if resolution is None:
            continue
        for metric in (SLAMetric.RESPONSE, SLAMetric.ONSITE):
            earlier = by_key.get((priority, metric))
            if earlier is None or earlier["calendar"].pk != resolution["calendar"].pk:
                continue
            if int(earlier["target_minutes"]) > int(resolution["target_minutes"]):
                raise ApplicationError(
                    _("%(priority)s: the resolution target must not be shorter than the %(metric)s target.")
                    % {"priority": priority, "metric": str(labels[metric]).lower()},
                    code="target_order",
                )


@transaction.atomic
def sla_policy_version_create(
    *,
    actor,
    policy: SLAPolicy,
    targets: list[dict],
    warning_percent: int = 75,
    pause_statuses: dict[str, list[str]] | None = None,
    change_note: str = "",
) -> SLAPolicyVersion:
    """Publish a new immutable version of a policy; existing work orders keep the version they had.

    `targets` is a list of {"priority", "metric", "target_minutes", "calendar"}.
    """
    pause_statuses = {k: list(v) for k, v in (pause_statuses or DEFAULT_PAUSE_STATUSES).items()}
    for metric, statuses in pause_statuses.items():
        if metric not in SLAMetric.values:
            raise ApplicationError(_("Unknown SLA metric: %(metric)s") % {"metric": metric})
        unknown = set(statuses) - set(Status.values)
        if unknown:
            raise ApplicationError(_("Unknown status: %(status)s") % {"status": ", ".join(sorted(unknown))})
    if not 1 <= int(warning_percent) <= 99:
        raise ApplicationError(_("The warning threshold must be between 1 and 99 %."))
    seen = set()
    for target in targets:
        key = (target["priority"], target["metric"])
        if key in seen:
            raise ApplicationError(_("Each priority and metric may have one target only."))
        seen.add(key)
        if target["priority"] not in Priority.values or target["metric"] not in SLAMetric.values:
            raise ApplicationError(_("Unknown priority or metric in the targets."))
        if int(target["target_minutes"]) <= 0:
            raise ApplicationError(_("Targets must be positive."))
        if int(target["target_minutes"]) > MAX_TARGET_MINUTES:
            raise ApplicationError(_("A target cannot be longer than a year."))
        if target["calendar"].organisation_id != policy.organisation_id:
            raise ApplicationError(_("The calendar belongs to another organisation."))
    _check_target_order(targets)
    locked = SLAPolicy.objects.select_for_update(of=("self",)).get(pk=policy.pk)
    last = locked.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = SLAPolicyVersion.objects.create(
        policy=locked,
        number=last + 1,
        created_at=clock.now(),
        created_by=actor if getattr(actor, "pk", None) else None,
        change_note=change_note,
        warning_percent=warning_percent,
        pause_statuses=pause_statuses,
    )
    SLATarget.objects.bulk_create(
        SLATarget(
            version=version,
            priority=t["priority"],
            metric=t["metric"],
            target_minutes=int(t["target_minutes"]),
            calendar=t["calendar"],
        )
        for t in targets
    )
    audit_record(
        actor=actor,
        action="catalog.slapolicy.version_created",
        obj=policy,
        after={
            "version": version.number,
            "warning_percent": warning_percent,
            "pause_statuses": pause_statuses,
            "targets": [
                {
                    "priority": t["priority"],
                    "metric": t["metric"],
                    "minutes": int(t["target_minutes"]),
                    "calendar": t["calendar"].pk,
                }
                for t in targets
            ],
            "note": change_note,
        },
    )
    return version


@transaction.atomic
def calendar_update(*, actor, calendar: BusinessCalendar, fields: list[str]) -> BusinessCalendar:
    """Save a calendar's changed name, time zone or holiday source; bump its revision (specs are cached by it)."""
    if not fields:
        return calendar
    before = stored_row_snapshot(calendar) or {}
    calendar.save(update_fields=fields)
    calendar_bump_revision(calendar)
    before_diff, after_diff = diff_snapshots(before, row_snapshot(calendar))
    audit_record(actor=actor, action="catalog.calendar.changed", obj=calendar, before=before_diff, after=after_diff)
    return calendar


@transaction.atomic
def calendar_delete(*, actor, calendar: BusinessCalendar) -> None:
    """Delete a calendar and record what it was."""
    before = row_snapshot(calendar)
    pk, organisation = calendar.pk, calendar.organisation
    calendar.delete()
    audit_record(
        actor=actor,
        action="catalog.calendar.deleted",
        obj=calendar,
        object_id=pk,
        organisation=organisation,
        before=before,
    )


@transaction.atomic
def calendar_day_delete(*, actor, calendar: BusinessCalendar, day_id: int) -> None:
    """Remove a date override (the date returns to the weekly pattern); nothing happens if it is gone already."""
    day = CalendarDay.objects.filter(pk=day_id, calendar=calendar).first()
    if day is None:
        return
    before = model_snapshot(day)
    day.delete()
    calendar_bump_revision(calendar)
    audit_record(actor=actor, action="catalog.calendar.day_deleted", obj=calendar, before=before)


@transaction.atomic
def calendar_reset_day(*, actor, calendar: BusinessCalendar, date: dt.date) -> None:
    """Return a date to the weekly pattern (remove its holiday or adjusted-working-day override, audited)."""
    day_id = CalendarDay.objects.filter(calendar=calendar, date=date).values_list("pk", flat=True).first()
    if day_id is not None:
        calendar_day_delete(actor=actor, calendar=calendar, day_id=day_id)


@transaction.atomic
def sla_policy_update(*, actor, policy: SLAPolicy, fields: list[str]) -> SLAPolicy:
    """Rename a policy or change its code (its terms change only by a new version)."""
    return row_save_audited(actor=actor, obj=policy, fields=fields, organisation=policy.organisation)


@transaction.atomic
def service_category_save(*, actor, category: ServiceCategory, fields: list[str] | None) -> ServiceCategory:
    """Create (fields None) or change a reporting category of services."""
    return row_save_audited(actor=actor, obj=category, fields=fields, organisation=category.organisation)


@transaction.atomic
def service_category_delete(*, actor, category: ServiceCategory) -> None:
    """Delete a reporting category."""
    row_delete(actor=actor, obj=category, organisation=category.organisation)


@transaction.atomic
def service_save(*, actor, service: Service, fields: list[str] | None) -> Service:
    """Create (fields None) or change a service (its vendor, default SLA policy, category...).

    A new category is announced (``catalog.service.reclassified``): the figures already counted for the
    service's work orders are filed by category and move with it.
    """
    before = None
    if service.pk is not None:
        before = Service.objects.filter(pk=service.pk).values_list("category_id", flat=True).first()
    saved = row_save_audited(actor=actor, obj=service, fields=fields, organisation=service.organisation)
    if before is not None and before != saved.category_id:
        publish(SERVICE_RECLASSIFIED, service_id=saved.pk, actor_id=getattr(actor, "pk", None))
    return saved


@transaction.atomic
def service_delete(*, actor, service: Service) -> None:
    """Delete a service."""
    row_delete(actor=actor, obj=service, organisation=service.organisation)


@transaction.atomic
def priority_rule_save(*, actor, rule: PriorityRule, fields: list[str] | None) -> PriorityRule:
    """Create (fields None) or change one cell of the impact × urgency → priority matrix."""
    return row_save_audited(actor=actor, obj=rule, fields=fields, organisation=rule.organisation)


@transaction.atomic
def priority_rule_delete(*, actor, rule: PriorityRule) -> None:
    """Remove a cell of the matrix (the ITIL default applies again)."""
    row_delete(actor=actor, obj=rule, organisation=rule.organisation)
