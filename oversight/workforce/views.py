"""Web pages of workforce supervision: the queues, a queue's forecasts (snapshots with their accuracy, the latest
backtest, the forms to publish and import), one snapshot's accuracy by day and interval, and the staffing page
(required agents by Erlang C and A, the heat map of staffed ÷ required, the service-level curve, the attributed
breaches). POSTs only parse and call ``workforce.services``; reads come from ``workforce.selectors`` (404 for
what the reader may not see). Requesters have no page here."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from oversight.core.charts import Series, line_chart
from oversight.core.errors import ApplicationError
from oversight.core.views import RoleRequiredMixin, show_error
from oversight.core.zones import local_today
from oversight.tenancy.roles import STAFF_ROLES
from oversight.workforce import measure, permissions, selectors, services
from oversight.workforce.choices import ForecastModel, ForecastSource
from oversight.workforce.presentation import staffing_context

MAX_LISTED_SNAPSHOTS = 12


class StaffPage(RoleRequiredMixin, TemplateView):
    """Client staff and vendor staff (requesters get 403)."""

    allowed_roles = STAFF_ROLES


class IndexView(StaffPage):
    """`/workforce/`: the queues the reader may see, with their latest forecasts."""

    template_name = "workforce/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        rows = []
        for queue in selectors.queue_list(user=user):
            rows.append(
                {
                    "queue": queue,
                    "vendor_snapshot": selectors.latest_snapshot(user=user, queue=queue, source=ForecastSource.VENDOR),
                    "client_snapshot": selectors.latest_snapshot(user=user, queue=queue, source=ForecastSource.CLIENT),
                    "backtest": selectors.backtest_list(user=user, queue=queue).first(),
                }
            )
        context.update({"rows": rows, "client_side": permissions.sees_client_side(user)})
        return context


class QueueView(StaffPage):
    """`/workforce/queues/<pk>/`: a queue's snapshots with their accuracy, the latest backtest and the forms."""

    template_name = "workforce/queue.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        queue = selectors.queue_get(user=user, pk=kwargs["pk"])
        snapshots = [
            (snap, measure.snapshot_accuracy(snap))
            for snap in selectors.snapshot_list(user=user, queue=queue)[:MAX_LISTED_SNAPSHOTS]
        ]
        backtest = selectors.backtest_list(user=user, queue=queue).first()
        labels = dict(ForecastModel.choices)
        folds = [{**f, "label": labels.get(f["model"], f["model"])} for f in (backtest.folds if backtest else [])]
        context.update(
            {
                "queue": queue,
                "snapshots": snapshots,
                "backtest": backtest,
                "folds": folds,
                "may_publish_client": permissions.may_publish(user, queue, ForecastSource.CLIENT),
                "may_import_vendor": permissions.may_publish(user, queue, ForecastSource.VENDOR),
                "may_manage": permissions.may_manage(user, queue),
                "models": [(m.value, m.label) for m in ForecastModel if m != ForecastModel.SUBMITTED],
                "today": local_today(queue.organisation),
            }
        )
        return context


class SnapshotView(StaffPage):
    """`/workforce/snapshots/<pk>/`: one published forecast against the actual volumes."""

    template_name = "workforce/snapshot.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        snapshot = selectors.snapshot_get(user=self.request.user, pk=kwargs["pk"])
        result = measure.snapshot_accuracy(snapshot)
        chart = ""
        if result.by_day:
            chart = line_chart(
                categories=[d.strftime("%m-%d") for d, _a in result.by_day],
                series=[
                    Series(str(_("Actual volume")), [a.actual_total for _d, a in result.by_day]),
                    Series(str(_("Forecast volume")), [round(a.forecast_total, 1) for _d, a in result.by_day]),
                ],
                title=str(_("Volume per day: actual and forecast")),
                y_min=0,
            )
        context.update({"snapshot": snapshot, "queue": snapshot.queue, "result": result, "chart": mark_safe(chart)})
        return context


def _period(request, queue) -> tuple[dt.date, int]:
    today = local_today(queue.organisation)
    start = parse_date(request.GET.get("start") or "") if len(request.GET.get("start") or "") == 10 else None
    try:
        days = int(request.GET.get("days") or 7)
    except ValueError:
        days = 7
    days = min(max(days, 1), 14)
    return start or today - dt.timedelta(days=days), days


class StaffingView(StaffPage):
    """`/workforce/queues/<pk>/staffing/?start=YYYY-MM-DD&days=N&day=YYYY-MM-DD&at=HH:MM`."""

    template_name = "workforce/staffing.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        queue = selectors.queue_get(user=self.request.user, pk=kwargs["pk"])
        start, days = _period(self.request, queue)
        context.update(staffing_context(self.request, queue, start, days))
        context["may_manage"] = permissions.may_manage(self.request.user, queue)
        return context


class QueueAction(RoleRequiredMixin, View):
    """A POSTed step on a queue; refusals go back to the page as a message."""

    allowed_roles = STAFF_ROLES
    http_method_names = ["post"]
    success = _("Done.")

    def act(self, request, queue):  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def target(self, queue) -> str:
        return reverse("workforce:queue", args=[queue.pk])

    def post(self, request, pk):
        queue = selectors.queue_get(user=request.user, pk=pk)
        try:
            message = self.act(request, queue)
        except ApplicationError as exc:
            show_error(request, exc)
            for row in exc.extra.get("rows", [])[:20]:
                messages.error(request, row)
        else:
            messages.success(request, message or self.success)
        return redirect(self.target(queue))


class ForecastCreateView(QueueAction):
    """POST: publish the client's own forecast."""

    def act(self, request, queue):
        if not permissions.may_publish(request.user, queue, ForecastSource.CLIENT):
            raise PermissionDenied(_("You are not allowed to do this."))
        try:
            horizon = int(request.POST.get("horizon_days") or 7)
        except ValueError:
            raise ApplicationError(_("The horizon must be 1 to 35 days.")) from None
        first = parse_date(request.POST.get("first_day") or "") if request.POST.get("first_day") else None
        snap = services.client_forecast_create(
            queue=queue,
            actor=request.user,
            model=request.POST.get("model") or "auto",
            horizon_days=horizon,
            first_day=first,
        )
        return _("Forecast published (%(model)s).") % {"model": snap.get_model_display()}


class BacktestView(QueueAction):
    """POST: run the rolling-origin backtest."""

    def act(self, request, queue):
        if not permissions.may_manage(request.user, queue):
            raise PermissionDenied(_("You are not allowed to do this."))
        run = services.backtest_run(queue=queue, actor=request.user)
        return _("Backtest done: %(model)s has the lowest mean WAPE.") % {"model": run.get_chosen_model_display()}


class VendorImportView(QueueAction):
    """POST (multipart): import the vendor's forecast from a CSV file."""

    def act(self, request, queue):
        if not permissions.may_publish(request.user, queue, ForecastSource.VENDOR):
            raise PermissionDenied(_("You are not allowed to do this."))
        upload = request.FILES.get("file")
        if upload is None:
            raise ApplicationError(_("Choose a CSV file."))
        if upload.size > services.MAX_IMPORT_BYTES:
            raise ApplicationError(_("The file is larger than 5 MB."))
        snap, created = services.vendor_forecast_import(
            queue=queue, content=upload.read(), actor=request.user, note=upload.name[:300]
        )
        if not created:
            return _("This file was imported before (%(when)s); nothing changed.") % {
                "when": snap.created_at.strftime("%Y-%m-%d %H:%M")
            }
        return _("Vendor forecast imported: %(n)s intervals.") % {"n": snap.points.count()}


class AttributionApplyView(QueueAction):
    """POST: apply breach attribution to the period shown on the staffing page."""

    def act(self, request, queue):
        if not permissions.may_manage(request.user, queue):
            raise PermissionDenied(_("You are not allowed to do this."))
        start = parse_date(request.POST.get("start") or "")
        try:
            days = min(max(int(request.POST.get("days") or 7), 1), 62)
        except ValueError:
            days = 7
        if start is None:
            raise ApplicationError(_("Give the first day of the period."))
        rows = services.attribution_apply(
            queue=queue, first_day=start, last_day=start + dt.timedelta(days=days - 1), actor=request.user
        )
        return _("Attribution applied: %(n)s missed interval(s).") % {"n": rows}

    def target(self, queue) -> str:
        query = urlencode({"start": self.request.POST.get("start", ""), "days": self.request.POST.get("days", "")})
        return reverse("workforce:staffing", args=[queue.pk]) + "?" + query
