"""The workforce panels of the contact-centre pages (section slots of ``oversight.core.sections``):

- ``contactcentre.queue`` (obj: the queue): volume per day against both forecasts, and staffed against required
  agents per day, over the last seven local days.
- ``contactcentre.dashboard`` (obj: the dashboard's scope): per queue of the scope, the vendor's and the client's
  forecast accuracy over the scope's days and the under-staffed intervals.

Each context runs the workforce selectors for the reader (the gate holds) and returns None when there is nothing
to show."""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from oversight.ccmath import accuracy as acc
from oversight.contactcentre.models import Queue
from oversight.core.charts import Series, line_chart
from oversight.core.sections import contribute
from oversight.core.zones import local_today
from oversight.tenancy.roles import STAFF_ROLES, is_signed_in
from oversight.workforce import data, permissions, presentation, selectors
from oversight.workforce.choices import ForecastSource

DAYS = 7


def _reader(request) -> bool:
    user = request.user
    return is_signed_in(user) and (user.is_superuser or user.role in STAFF_ROLES)


def _window(queue: Queue) -> tuple[dt.date, list[dt.date]]:
    start = local_today(queue.organisation) - dt.timedelta(days=DAYS)
    return start, data.day_range(start, start + dt.timedelta(days=DAYS - 1))


def _forecast_daily(user, queue, days, source) -> tuple[list[float | None], np.ndarray, np.ndarray]:
    """Per day the forecast total of the newest visible snapshot of ``source`` covering it (None: none)."""
    first, last = data.day_start(queue, days[0]), data.day_start(queue, days[-1] + dt.timedelta(days=1))
    snapshots = [s for s in presentation.snapshots_for(user, queue, first, last) if s.source == source]
    starts = data.grid(queue, days)
    volume = np.zeros(len(starts))
    covered = np.zeros(len(starts), dtype=bool)
    for snap in snapshots:
        v, _a, c = data.snapshot_points(snap, starts)
        take = c & ~covered
        volume[take] = v[take]
        covered |= take
    n = data.per_day(queue)
    daily = [
        round(float(volume[d * n : (d + 1) * n].sum()), 1) if covered[d * n : (d + 1) * n].any() else None
        for d in range(len(days))
    ]
    return daily, volume, covered


def queue_panel(request, queue):
    if not _reader(request) or not isinstance(queue, Queue):
        return None
    user = request.user
    start, days = _window(queue)
    plan = presentation.plan_for(user, queue, start, DAYS, with_erlang_a=False)
    n = data.per_day(queue)
    categories = [d.strftime("%m-%d") for d in days]
    actual = [float(plan.actual.offered[d * n : (d + 1) * n].sum()) for d in range(DAYS)]
    series = [Series(_("Actual volume"), actual)]
    vendor_daily, _v, _c = _forecast_daily(user, queue, days, ForecastSource.VENDOR)
    series.append(Series(_("Vendor's forecast"), vendor_daily))
    if permissions.sees_client_side(user):
        client_daily, _v2, _c2 = _forecast_daily(user, queue, days, ForecastSource.CLIENT)
        series.append(Series(_("Client's forecast"), client_daily))
    volume_chart = line_chart(
        categories=categories, series=series, title=_("Volume per day against the forecasts"), y_min=0
    )
    hours = queue.interval_minutes / 60  # agents × interval length = agent-hours
    staffed = [round(float(plan.actual.staffed[d * n : (d + 1) * n].sum()) * hours, 1) for d in range(DAYS)]
    required = [round(float(plan.required_c[d * n : (d + 1) * n].sum()) * hours, 1) for d in range(DAYS)]
    staffing_chart = line_chart(
        categories=categories,
        series=[Series(_("Staffed"), staffed), Series(_("Required (Erlang C)"), required)],
        title=_("Agent-hours per day: staffed and required"),
        y_min=0,
    )
    return {
        "queue": queue,
        "volume_chart": mark_safe(volume_chart),
        "staffing_chart": mark_safe(staffing_chart),
        "rows": list(zip(categories, actual, vendor_daily, staffed, required, strict=True)),
        "understaffed": int(plan.understaffed.sum()),
    }


def _accuracy(user, queue, days, source, plan) -> float | None:
    _daily, volume, covered = _forecast_daily(user, queue, days, source)
    use = covered & plan.actual.present
    if not use.any() or plan.actual.offered[use].sum() <= 0:
        return None
    return round(acc.accuracy(plan.actual.offered[use], volume[use]).accuracy * 100, 1)


def dashboard_panel(request, scope):
    """Per queue of the dashboard's scope (``contactcentre.dashboard.DashboardScope``: its visible queues and local
    days ``first``..``last``): both forecasts' accuracy and the under-staffed intervals."""
    if not _reader(request):
        return None
    user = request.user
    queues = getattr(scope, "queues", None)
    first, last = getattr(scope, "first", None), getattr(scope, "last", None)
    if queues is None or first is None or last is None:
        return None
    visible = set(selectors.queue_list(user=user).values_list("pk", flat=True))
    client_side = permissions.sees_client_side(user)
    days = data.day_range(first, last)
    rows = []
    for queue in [q for q in queues if q.pk in visible][:20]:
        plan = presentation.plan_for(user, queue, first, len(days), with_erlang_a=False)
        rows.append(
            {
                "queue": queue,
                "vendor_accuracy": _accuracy(user, queue, days, ForecastSource.VENDOR, plan),
                "client_accuracy": _accuracy(user, queue, days, ForecastSource.CLIENT, plan) if client_side else None,
                "understaffed": int(plan.understaffed.sum()),
                "intervals": int((plan.required_c > 0).sum()),
            }
        )
    if not rows:
        return None
    return {"rows": rows, "client_side": client_side, "first": first, "last": last}


def register() -> None:
    contribute(
        "contactcentre.queue",
        name="workforce.queue_forecasts",
        template="workforce/sections/queue.html",
        context=queue_panel,
        order=200,
    )
    contribute(
        "contactcentre.dashboard",
        name="workforce.dashboard",
        template="workforce/sections/dashboard.html",
        context=dashboard_panel,
        order=200,
    )
