"""The change calendar: the month or week of scheduled changes and windows, and the blackout and maintenance
windows themselves."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View

from oversight.changes import calendar_grid, permissions, selectors, services
from oversight.changes.calendar_check import window_occurrences
from oversight.changes.forms import (
    CalendarFilterForm,
    WindowForm,
)
from oversight.changes.views.common import ListAddView, refuse_if_not_allowed
from oversight.core import clock
from oversight.core.errors import ApplicationError
from oversight.core.views import RoleRequiredMixin, show_error
from oversight.tenancy.roles import (
    ADMINISTRATORS,
    STAFF_ROLES,
)

#: The weekday headers of the calendar grid, Monday first.
WEEKDAYS = (_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun"))


def _applies(scope, *, service, vendor, site) -> bool:
    """Whether a window's scope concerns the chosen service, vendor or site (one naming nothing concerns all)."""
    if scope.is_everything:
        return True
    return not (
        (service is not None and service.pk not in scope.services)
        or (vendor is not None and vendor.pk not in scope.vendors)
        or (site is not None and site.pk not in scope.sites)
    )


class CalendarView(RoleRequiredMixin, View):
    """`/changes/calendar/`: the month (or week) of scheduled changes, blackout and maintenance windows (recurring
    ones expanded), for a service, vendor or site; a server-rendered grid that a phone reads as a list of days."""

    allowed_roles = STAFF_ROLES
    template_name = "changes/calendar.html"

    def get(self, request):
        user = request.user
        form = CalendarFilterForm(request.GET or None, user=user)
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        view = data.get("view") or "month"
        tz = timezone.get_current_timezone()
        day = data.get("day") or timezone.localtime(clock.now()).date()
        day = min(max(day, dt.date(1971, 1, 1)), dt.date(9998, 12, 1))  # the grid stays inside the calendar's years
        span = calendar_grid.week_span(day) if view == "week" else calendar_grid.month_span(day)
        since, until = span.bounds(tz)
        service, vendor, site = data.get("service"), data.get("vendor"), data.get("site")
        changes = selectors.changes_on_calendar(user=user, since=since, until=until)
        if service is not None:
            changes = changes.filter(services=service)
        if vendor is not None:
            changes = changes.filter(implementer=vendor)
        if site is not None:
            changes = changes.filter(sites=site)
        entries = [(c.planned_start, c.planned_end, {"change": c}) for c in changes.distinct()]
        visible_windows = selectors.window_list(user=user, active_only=True)
        windows = {w.pk: w for w in visible_windows}
        for occurrence in window_occurrences(user.organisation, since, until, windows=visible_windows):
            if _applies(occurrence.scope, service=service, vendor=vendor, site=site):
                entries.append(
                    (
                        occurrence.start,
                        occurrence.end,
                        {"window": windows[occurrence.window_id], "occurrence": occurrence},
                    )
                )
        days = calendar_grid.place(span, entries, tz)
        keep = {k: v for k, v in request.GET.items() if k in ("service", "vendor", "site") and v}
        context = {
            "form": form,
            "view": view,
            "span": span,
            "days": days,
            "nothing": not any(d.entries for d in days),
            "weekdays": WEEKDAYS,
            "previous": {
                **keep,
                "view": view,
                "day": calendar_grid.shift(span.first if view == "week" else day, view, -1).isoformat(),
            },
            "next": {
                **keep,
                "view": view,
                "day": calendar_grid.shift(span.first if view == "week" else day, view, 1).isoformat(),
            },
            "title_day": day,
            # The feed's address holds the reader's own key: the page links to where the key is made and shown.
            "ics_url": reverse("changes:feed_key"),
            "may_manage_windows": permissions.may_manage_templates(user),
        }
        return render(request, self.template_name, context)


class WindowListView(ListAddView):
    """`/changes/calendar/windows/`: the calendar's blackout and maintenance windows; its administrator adds
    one."""

    allowed_roles = STAFF_ROLES
    template_name = "changes/window_list.html"
    form_class = WindowForm
    done_message = _("The window was added to the change calendar.")

    def may_add(self, user) -> bool:
        return user.role in ADMINISTRATORS

    def list_context(self, request) -> dict:
        windows = selectors.window_list(user=request.user).prefetch_related("services", "vendors", "sites")
        return {"windows": list(windows.order_by("-active", "start", "pk")), "may_manage": self.may_add(request.user)}

    def add(self, user, data):
        services.window_create(actor=user, **data)
        return "changes:windows"


class WindowDeactivateView(RoleRequiredMixin, View):
    """`/changes/calendar/windows/<pk>/deactivate/` (POST): take a window off the calendar (kept for the record)."""

    allowed_roles = ADMINISTRATORS

    def post(self, request, pk):
        window = selectors.window_get(user=request.user, pk=pk)
        try:
            services.window_deactivate(actor=request.user, window=window)
        except ApplicationError as exc:
            refuse_if_not_allowed(exc)
            show_error(request, exc)
        else:
            messages.success(request, _("The window was taken off the calendar."))
        return redirect("changes:windows")
