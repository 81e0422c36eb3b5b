"""`/reports/dashboard/`: the client's vendors side by side for a month or a quarter, with two inline SVG charts.

Client roles only (others get 403 before anything is read). The figures come from ``reports.dashboard``; this
view only parses the period, builds the charts from those figures and renders them. A bad period is a 400 page
with the reason and the picker.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views import View

from oversight.core import kpis
from oversight.core.charts import Series, bar_chart, line_chart, percent_axis_floor
from oversight.core.errors import ApplicationError, NotAllowed
from oversight.core.views import RoleRequiredMixin
from oversight.reports import dashboard as selectors
from oversight.scorecards.choices import PeriodKind
from oversight.tenancy.roles import CLIENT_ROLES


def comparison_chart(board: selectors.Dashboard) -> str:
    """Grouped bars per vendor of the indicators registered for the dashboard's chart (percentages)."""
    bars = kpis.registry.codes(kpis.DASHBOARD_CHART)
    labels = {spec.code: spec.label for spec in selectors.rows()}
    return mark_safe(  # noqa: S308 - built by oversight.core.charts, every text escaped
        bar_chart(
            categories=[col.vendor.name for col in board.columns],
            series=[Series(str(labels[code]), [col.cells[code].value for col in board.columns]) for code in bars],
            title=str(_("SLA compliance and satisfaction, %(period)s") % {"period": board.period.label()}),
            label=str(_("SLA compliance and CSAT share of 4–5 stars per vendor, %(period)s"))
            % {"period": board.period.label()},
            unit=" %",
            y_min=0,
            y_max=100,
        )
    )


def trend_chart(board: selectors.Dashboard) -> str:
    """One line per vendor: resolution timeliness over the trailing periods."""
    return mark_safe(  # noqa: S308 - built by oversight.core.charts, every text escaped
        line_chart(
            categories=[p.label() for p in board.trailing],
            series=[Series(col.vendor.name, col.resolution_trend) for col in board.columns],
            title=str(_("Resolution timeliness (SLA compliance)")),
            label=str(_("Resolution timeliness per vendor over the last periods")),
            unit=" %",
            y_min=percent_axis_floor(value for col in board.columns for value in col.resolution_trend),
            y_max=100,
        )
    )


class DashboardView(RoleRequiredMixin, View):
    """`/reports/dashboard/?period=2026-10` (or `?kind=quarterly`): the vendors compared side by side."""

    allowed_roles = CLIENT_ROLES
    template_name = "reports/dashboard.html"
    partial_template_name = "reports/partials/dashboard_body.html"

    def get(self, request):
        user = request.user
        try:
            organisation = selectors.dashboard_organisation(user=user, organisation_id=request.GET.get("organisation"))
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        kind = request.GET.get("kind") or ""
        key = request.GET.get("period") or ""
        context = {"organisation": organisation, "kinds": PeriodKind.choices, "key": key, "kind": kind}
        if organisation is None:
            return render(request, self.template_name, context)
        try:
            period = selectors.resolve_period(organisation, key=key, kind=kind)
            board = selectors.vendor_dashboard(user=user, period=period, organisation=organisation)
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except ApplicationError as exc:
            valid_kind = kind if kind in PeriodKind.values else PeriodKind.MONTHLY
            context.update({"error": exc.message, "choices": selectors.period_choices(organisation, valid_kind)})
            context["kind"] = valid_kind
            return render(request, self.template_name, context, status=400)
        context.update(
            {
                "board": board,
                "period": period,
                "kind": period.kind,
                "key": period.key,
                "choices": selectors.period_choices(organisation, period.kind),
                "comparison_chart": comparison_chart(board) if board.columns else "",
                "trend_chart": trend_chart(board) if board.columns else "",
                "bar_rows": [row for row in board.rows if row.spec.code in kpis.registry.codes(kpis.DASHBOARD_CHART)],
            }
        )
        htmx = getattr(request, "htmx", None)
        template = self.partial_template_name if htmx and not htmx.boosted else self.template_name
        response = render(request, template, context)
        patch_vary_headers(response, ["HX-Request"])
        return response
