"""Trend charts: a vendor's period score and one indicator across periods (inline SVG, print-friendly)."""

from __future__ import annotations

from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from oversight.core.charts import Series, bar_chart, line_chart
from oversight.core.filters import parse_id
from oversight.core.views import RoleRequiredMixin
from oversight.scorecards import selectors
from oversight.scorecards.choices import PeriodKind
from oversight.tenancy.roles import STAFF_ROLES

# The value axis of an indicator's trend chart, by unit (upper None: up to the largest value).
Y_RANGES = {"percent": (0, 100), "nps": (-100, 100), "stars": (0, 5)}


class TrendView(RoleRequiredMixin, TemplateView):
    """`/scorecards/trends/`: score and one indicator across periods, per vendor (inline SVG, print-friendly)."""

    allowed_roles = STAFF_ROLES
    template_name = "scorecards/trends.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        kind = self.request.GET.get("kind") or PeriodKind.QUARTERLY
        if kind not in PeriodKind.values:
            kind = PeriodKind.QUARTERLY
        vendor_id = parse_id(self.request.GET.get("vendor"))
        codes = selectors.trend_indicator_codes(user=user)
        indicator = self.request.GET.get("indicator") or ""
        if indicator not in {c for c, _n in codes}:
            indicator = codes[0][0] if codes else ""
        series = selectors.trend(user=user, kind=kind, vendor_id=vendor_id, indicator_code=indicator)
        labels = sorted({point.label for points in series.values() for point in points})
        charts = []
        if labels:

            def values(points, attr):
                by_label = {p.label: getattr(p, attr) for p in points}
                return [by_label.get(label) for label in labels]

            charts.append(
                mark_safe(  # noqa: S308 - built by oversight.core.charts, every text escaped
                    line_chart(
                        categories=labels,
                        series=[Series(name, values(points, "score")) for name, points in series.items()],
                        title=str(_("Period score")),
                        y_min=0,
                        y_max=100,
                        label=str(_("Period score by vendor")),
                    )
                )
            )
            if indicator:
                name = dict(codes).get(indicator, indicator)
                low, high = Y_RANGES.get(selectors.indicator_unit(indicator), (0, None))
                charts.append(
                    mark_safe(  # noqa: S308 - as above
                        line_chart(
                            categories=labels,
                            series=[Series(vname, values(points, "value")) for vname, points in series.items()],
                            title=str(name),
                            label=str(name),
                            y_min=low,
                            y_max=high,
                        )
                    )
                )
                charts.append(
                    mark_safe(  # noqa: S308 - as above
                        bar_chart(
                            categories=labels,
                            series=[Series(vname, values(points, "points")) for vname, points in series.items()],
                            title=str(_("Points of “%(name)s”") % {"name": name}),
                            label=str(_("Points of “%(name)s”") % {"name": name}),
                        )
                    )
                )
        from oversight.tenancy.selectors import vendor_list

        context.update(
            {
                "charts": charts,
                "series": series,
                "labels": labels,
                "kind": kind,
                "kinds": PeriodKind.choices,
                "vendors": vendor_list(user=user),
                "vendor_id": vendor_id,
                "codes": codes,
                "indicator": indicator,
            }
        )
        return context
