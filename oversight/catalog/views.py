"""The client administrator's setup pages for the catalog: services, SLA policies (targets in hours and minutes,
versions, a deadline preview from the business-time engine) and business calendars (weekly hours, a month view
where a day is made a holiday or an adjusted working day, the years of holiday data and their source).

Views parse input and call the catalog services the Django admin calls too (every write is validated and
audited there); objects are read through the catalog selectors with the gate's "administer" action, so another
organisation's rows are 404 and every role but the client administrator gets 403.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from oversight.businesstime.china import china_data_source
from oversight.businesstime.engine import CalendarDataMissing
from oversight.catalog import selectors, services
from oversight.catalog.admin import calendar_warnings, library_has_year
from oversight.catalog.admin_forms import format_intervals
from oversight.catalog.calendars import target_deadline
from oversight.catalog.choices import HolidaySource, Priority, SLAMetric, Status, Weekday
from oversight.catalog.forms import (
    CalendarDayForm,
    CalendarForm,
    CalendarYearForm,
    DeadlinePreviewForm,
    ServiceForm,
    SLAPolicyForm,
    TargetsForm,
    WeeklyHoursForm,
)
from oversight.catalog.models import BusinessCalendar, Service, SLAPolicy
from oversight.core import clock
from oversight.core.errors import ApplicationError
from oversight.core.forms import changed_fields
from oversight.core.views import paginate
from oversight.core.zones import local_today
from oversight.tenancy.views import AdministratorMixin
from oversight.tenancy.visibility import ADMINISTER, restrict


def is_partial(request) -> bool:
    """An htmx request for a fragment (not a boosted page load)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx and not htmx.boosted)


# ---------------------------------------------------------------------------------------------- services


class ServiceListView(AdministratorMixin, View):
    """`/setup/services/`: the organisation's services, active first."""

    def get(self, request):
        qs = restrict(
            Service.objects.select_related("category", "vendor", "sla_policy"), request.user, ADMINISTER
        ).order_by("-is_active", "code")
        return render(request, "catalog/service_list.html", {"page": paginate(qs, request), "tab": "services"})


class ServiceFormView(AdministratorMixin, View):
    """`/setup/services/new/` and `/setup/services/<pk>/`: create or edit a service (`service_save`)."""

    def get_service(self, pk):
        if pk is None:
            return Service(organisation=self.organisation)
        return selectors.service_administered(user=self.request.user, pk=pk)

    def render_form(self, request, form, service, status=200):
        context = {"form": form, "service": service if service.pk else None, "tab": "services"}
        return render(request, "catalog/service_form.html", context, status=status)

    def get(self, request, pk=None):
        service = self.get_service(pk)
        return self.render_form(request, ServiceForm(instance=service, organisation=service.organisation), service)

    def post(self, request, pk=None):
        service = self.get_service(pk)
        form = ServiceForm(request.POST, instance=service, organisation=service.organisation)
        if form.is_valid():
            saved = form.save(commit=False)
            services.service_save(actor=request.user, service=saved, fields=changed_fields(saved, form, pk is not None))
            messages.success(request, _("The service %(name)s was saved.") % {"name": saved.name})
            return redirect("catalog:services")
        return self.render_form(request, form, service, status=400)


class ServiceActiveView(AdministratorMixin, View):
    """POST `/setup/services/<pk>/active/`: deactivate (requesters no longer pick it) or reactivate a service."""

    def post(self, request, pk):
        service = selectors.service_administered(user=request.user, pk=pk)
        service.is_active = request.POST.get("active") == "1"
        services.service_save(actor=request.user, service=service, fields=["is_active"])
        if service.is_active:
            messages.success(request, _("%(name)s is active again.") % {"name": service.name})
        else:
            messages.success(request, _("%(name)s was deactivated.") % {"name": service.name})
        return redirect("catalog:services")


# ---------------------------------------------------------------------------------------------- SLA policies


def _targets_table(version) -> list[tuple[str, list]]:
    """Rows (priority, [target or None per metric]) of a version's targets."""
    cells = {(t.priority, t.metric): t for t in version.targets.all()} if version else {}
    return [(priority.value, [cells.get((priority.value, m.value)) for m in SLAMetric]) for priority in Priority]


def _pause_rows(version) -> list[tuple[str, str]]:
    labels = dict(Status.choices)
    pauses = version.pause_statuses if version else {}
    return [(m.label, ", ".join(str(labels.get(s, s)) for s in pauses.get(m.value, []))) for m in SLAMetric]


def deadline_preview(version, priority: str, start: dt.datetime) -> list[dict]:
    """When each target of one priority falls due for something received at `start` (the real engine)."""
    rows = []
    for target in sorted(version.targets.all(), key=lambda t: SLAMetric.values.index(t.metric)):
        if target.priority != priority:
            continue
        row = {"target": target, "metric": SLAMetric(target.metric).label, "due": None, "error": ""}
        try:
            row["due"] = target_deadline(target, start)
        except CalendarDataMissing as exc:
            row["error"] = _("The calendar %(calendar)s has no holiday data for %(year)s.") % {
                "calendar": target.calendar.name,
                "year": exc.args[0] if exc.args else "",
            }
        rows.append(row)
    return rows


class SLAPolicyListView(AdministratorMixin, View):
    """`/setup/policies/`: the organisation's SLA policies with their current version."""

    def get(self, request):
        qs = restrict(SLAPolicy.objects.prefetch_related("versions"), request.user, ADMINISTER).order_by("name")
        rows = [(policy, max((v.number for v in policy.versions.all()), default=None)) for policy in qs]
        return render(request, "catalog/policy_list.html", {"rows": rows, "tab": "policies"})


class SLAPolicyCreateView(AdministratorMixin, View):
    """`/setup/policies/new/`: name and code; then the first version's targets."""

    def get(self, request):
        form = SLAPolicyForm(organisation=self.organisation)
        return render(request, "catalog/policy_create.html", {"form": form, "tab": "policies"})

    def post(self, request):
        form = SLAPolicyForm(request.POST, organisation=self.organisation)
        if form.is_valid():
            policy = services.sla_policy_create(
                actor=request.user,
                organisation=self.organisation,
                name=form.cleaned_data["name"],
                code=form.cleaned_data["code"],
            )
            messages.info(request, _("Now set the policy's targets."))
            return redirect("catalog:policy_version", pk=policy.pk)
        return render(request, "catalog/policy_create.html", {"form": form, "tab": "policies"}, status=400)


class SLAPolicyDetailView(AdministratorMixin, View):
    """`/setup/policies/<pk>/`: the current targets in hours and minutes, the versions, and a deadline preview."""

    def get(self, request, pk):
        policy = selectors.sla_policy_administered(user=request.user, pk=pk)
        versions = list(
            policy.versions.select_related("created_by").prefetch_related("targets__calendar").order_by("-number")
        )
        current = versions[0] if versions else None
        if "start" in request.GET:
            preview_form = DeadlinePreviewForm(request.GET)
        else:
            now = clock.now().replace(second=0, microsecond=0)
            preview_form = DeadlinePreviewForm(initial={"priority": Priority.P2, "start": now})
        preview = None
        if preview_form.is_bound and preview_form.is_valid() and current is not None:
            preview = deadline_preview(
                current, preview_form.cleaned_data["priority"], preview_form.cleaned_data["start"]
            )
        context = {
            "policy": policy,
            "current": current,
            "versions": versions,
            "metrics": [m.label for m in SLAMetric],
            "table": _targets_table(current),
            "pauses": _pause_rows(current),
            "preview_form": preview_form,
            "preview": preview,
            "tab": "policies",
        }
        if is_partial(request):
            return render(request, "catalog/partials/deadline_preview.html", context)
        return render(request, "catalog/policy_detail.html", context, status=400 if preview_form.errors else 200)


class SLAPolicyVersionView(AdministratorMixin, View):
    """`/setup/policies/<pk>/new-version/`: publish new terms (`sla_policy_version_create`); old versions stay."""

    def _form(self, policy, data=None):
        calendars = BusinessCalendar.objects.filter(organisation_id=policy.organisation_id).order_by("name")
        return TargetsForm(data, calendars=calendars, current=policy.current_version())

    def _render(self, request, policy, form, status=200):
        context = {"policy": policy, "form": form, "metrics": [m.label for m in SLAMetric], "tab": "policies"}
        return render(request, "catalog/policy_version.html", context, status=status)

    def get(self, request, pk):
        policy = selectors.sla_policy_administered(user=request.user, pk=pk)
        return self._render(request, policy, self._form(policy))

    def post(self, request, pk):
        policy = selectors.sla_policy_administered(user=request.user, pk=pk)
        form = self._form(policy, request.POST)
        if form.is_valid():
            try:
                version = form.publish(actor=request.user, policy=policy)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, form.published_message(version))
                return redirect("catalog:policy", pk=policy.pk)
        return self._render(request, policy, form, status=400)


# ---------------------------------------------------------------------------------------------- calendars


def _month_param(request, today: dt.date) -> tuple[int, int]:
    """The `?month=YYYY-MM` asked for, or today's month for anything else."""
    try:
        year, month = (int(part) for part in request.GET.get("month", "").split("-"))
        dt.date(year, month, 1)
    except ValueError:
        return today.year, today.month
    if year not in services.CALENDAR_YEARS:
        return today.year, today.month
    return year, month


def _shift_month(year: int, month: int, delta: int) -> str:
    index = year * 12 + (month - 1) + delta
    year, month = divmod(index, 12)
    if year not in services.CALENDAR_YEARS:
        return ""
    return f"{year:04d}-{month + 1:02d}"


def _year_rows(calendar: BusinessCalendar, this_year: int) -> list[dict]:
    """The years of holiday data this calendar has (with their source) and the two it should have."""
    have = {covered.year: covered for covered in calendar.years.all()}
    source = china_data_source()
    rows = []
    for year in sorted(set(have) | {this_year, this_year + 1}):
        covered = have.get(year)
        rows.append(
            {
                "year": year,
                "covered": covered,
                "library": source if covered and covered.source == "library" else "",
                "loadable": calendar.holiday_source == HolidaySource.CHINA and library_has_year(year),
            }
        )
    return rows


class CalendarListView(AdministratorMixin, View):
    """`/setup/calendars/`: the organisation's business calendars and which lack holiday data."""

    def get(self, request):
        calendars = list(
            restrict(BusinessCalendar.objects.prefetch_related("intervals", "years"), request.user, ADMINISTER)
        )
        context = {"calendars": calendars, "warnings": calendar_warnings(calendars), "tab": "calendars"}
        return render(request, "catalog/calendar_list.html", context)


class CalendarFormView(AdministratorMixin, View):
    """`/setup/calendars/new/` and `/setup/calendars/<pk>/edit/`: name, zone, holidays and weekly hours."""

    def get_calendar(self, pk):
        if pk is None:
            return BusinessCalendar(organisation=self.organisation)
        return selectors.calendar_administered(user=self.request.user, pk=pk)

    def _render(self, request, calendar, form, hours, status=200):
        context = {"calendar": calendar if calendar.pk else None, "form": form, "hours": hours, "tab": "calendars"}
        return render(request, "catalog/calendar_form.html", context, status=status)

    def get(self, request, pk=None):
        calendar = self.get_calendar(pk)
        weekly = services.calendar_weekly(calendar) if calendar.pk else {d: [(480, 720), (810, 1050)] for d in range(5)}
        form = CalendarForm(instance=calendar, organisation=calendar.organisation)
        return self._render(request, calendar, form, WeeklyHoursForm(weekly=weekly))

    def post(self, request, pk=None):
        calendar = self.get_calendar(pk)
        form = CalendarForm(request.POST, instance=calendar, organisation=calendar.organisation)
        hours = WeeklyHoursForm(request.POST)
        if form.is_valid() and hours.is_valid():
            weekly = hours.cleaned_data["weekly"]
            try:
                if calendar.pk is None:
                    calendar = services.calendar_create(
                        actor=request.user,
                        organisation=self.organisation,
                        name=form.cleaned_data["name"],
                        time_zone=form.cleaned_data["time_zone"],
                        holiday_source=form.cleaned_data["holiday_source"],
                        weekly=weekly,
                    )
                else:
                    fields = [n for n in form.changed_data if n in {"name", "time_zone", "holiday_source"}]
                    services.calendar_update(actor=request.user, calendar=form.save(commit=False), fields=fields)
                    if weekly != {d: sorted(v) for d, v in services.calendar_weekly(calendar).items()}:
                        services.calendar_set_weekly_intervals(actor=request.user, calendar=calendar, weekly=weekly)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The calendar %(name)s was saved.") % {"name": calendar.name})
                return redirect("catalog:calendar", pk=calendar.pk)
        return self._render(request, calendar, form, hours, status=400)


def calendar_page(request, calendar: BusinessCalendar, *, day_form=None, status=200):
    """The calendar page (or, for htmx, its month fragment): weekly hours, years of data, the month view."""
    today = local_today(calendar)
    year, month = _month_param(request, today)
    selected = None
    if day_form is not None and day_form.is_bound:
        selected = day_form.cleaned_data.get("date") if day_form.is_valid() else None
    elif request.GET.get("day"):
        try:
            selected = dt.date.fromisoformat(request.GET["day"])
        except ValueError:
            selected = None
        if selected is not None and selected.year not in services.CALENDAR_YEARS:
            selected = None
    if selected is not None and (selected.year, selected.month) != (year, month) and "month" not in request.GET:
        year, month = selected.year, selected.month
    weeks = selectors.calendar_month(calendar, year, month)
    selected_day = next((d for week in weeks for d in week if d.date == selected), None)
    if selected_day is None and selected is not None:
        weeks_of_day = selectors.calendar_month(calendar, selected.year, selected.month)
        selected_day = next((d for week in weeks_of_day for d in week if d.date == selected), None)
    if day_form is None and selected_day is not None:
        initial_kind = {"holiday": "working", "adjusted": "normal"}.get(selected_day.kind, "holiday")
        day_form = CalendarDayForm(initial={"date": selected, "kind": initial_kind, "name": selected_day.name})
    weekly = services.calendar_weekly(calendar)
    context = {
        "calendar": calendar,
        "weekly": [(label, format_intervals(weekly[value])) for value, label in _weekdays()],
        "years": _year_rows(calendar, today.year),
        "warnings": calendar_warnings([calendar]),
        "weeks": weeks,
        "month_start": dt.date(year, month, 1),
        "month_value": f"{year:04d}-{month:02d}",
        "previous_month": _shift_month(year, month, -1),
        "next_month": _shift_month(year, month, 1),
        "today": today,
        "selected_day": selected_day,
        "day_form": day_form,
        "year_form": CalendarYearForm(initial={"year": today.year + 1}),
        "weekday_names": [label for _value, label in _weekdays()],
        "tab": "calendars",
    }
    if is_partial(request):
        return render(request, "catalog/partials/calendar_month.html", context, status=status)
    return render(request, "catalog/calendar_detail.html", context, status=status)


def _weekdays():
    return [(day.value, day.label) for day in Weekday]


class CalendarDetailView(AdministratorMixin, View):
    """`/setup/calendars/<pk>/`: weekly hours, holiday data years and a month view (`?month=YYYY-MM&day=...`)."""

    def get(self, request, pk):
        return calendar_page(request, selectors.calendar_administered(user=request.user, pk=pk))


class CalendarDayView(AdministratorMixin, View):
    """POST `/setup/calendars/<pk>/day/`: make a date a holiday, an adjusted working day, or normal again."""

    def post(self, request, pk):
        calendar = selectors.calendar_administered(user=request.user, pk=pk)
        form = CalendarDayForm(request.POST)
        if not form.is_valid():
            return calendar_page(request, calendar, day_form=form, status=400)
        date, kind, name = form.cleaned_data["date"], form.cleaned_data["kind"], form.cleaned_data["name"]
        try:
            if kind == "normal":
                services.calendar_reset_day(actor=request.user, calendar=calendar, date=date)
            else:
                services.calendar_set_day(
                    actor=request.user, calendar=calendar, date=date, is_working=kind == "working", name=name
                )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            return calendar_page(request, calendar, day_form=form, status=400)
        messages.success(request, _("%(date)s was saved.") % {"date": date.isoformat()})
        if is_partial(request):
            calendar.refresh_from_db()
            return calendar_page(request, calendar, day_form=CalendarDayForm(initial={"date": date, "kind": kind}))
        url = reverse("catalog:calendar", kwargs={"pk": calendar.pk})
        return redirect(f"{url}?month={date:%Y-%m}&day={date.isoformat()}")


class CalendarYearView(AdministratorMixin, View):
    """POST `/setup/calendars/<pk>/year/`: load a year from the holiday library, or confirm one entered by hand."""

    def post(self, request, pk):
        calendar = selectors.calendar_administered(user=request.user, pk=pk)
        form = CalendarYearForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a year between 2000 and 2100."))
            return redirect("catalog:calendar", pk=calendar.pk)
        year = form.cleaned_data["year"]
        try:
            if form.cleaned_data["action"] == "load":
                services.calendar_load_china_year(actor=request.user, calendar=calendar, year=year)
                text = _("China's public holidays and adjusted working days for %(year)s were loaded.")
            else:
                services.calendar_confirm_year(actor=request.user, calendar=calendar, year=year)
                text = _("%(year)s was confirmed as complete.")
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, text % {"year": year})
        url = reverse("catalog:calendar", kwargs={"pk": calendar.pk})
        return redirect(f"{url}?month={year:04d}-01")
