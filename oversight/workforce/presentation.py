"""What the staffing page and the dashboard panels show, computed from ``workforce.staffing`` and the selectors:
the heat map of staffed ÷ required (intervals × days) with its table of figures, the service-level curve around
one interval's requirement, the per-interval table of one day, and the missed intervals with their attribution."""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from oversight.core.charts import Band, Series, heatmap, line_chart
from oversight.core.zones import zone_of
from oversight.workforce import data, selectors, staffing
from oversight.workforce.choices import ForecastSource


def _bands():
    return [
        Band(0.8, "#b42318", _("below 80 %"), marked=True),
        Band(0.9, "#f79009", _("80 % to 90 %"), marked=True),
        Band(1.0, "#a6f4c5", _("90 % to 100 %")),
        Band(None, "#039855", _("at least 100 %")),
    ]


def snapshots_for(user, queue, first: dt.datetime, last: dt.datetime) -> list:
    """The snapshots whose volumes the plan uses, in order of preference: the client's newest covering the
    period (if the reader sees them), then the vendor's newest."""
    out = []
    for source in (ForecastSource.CLIENT, ForecastSource.VENDOR):
        out.extend(
            selectors.snapshot_list(user=user, queue=queue)
            .filter(source=source, period_start__lt=last, period_end__gt=first)
            .order_by("-created_at", "-id")[:3]
        )
    return out


def _pct(value) -> float | None:
    return None if value is None or np.isnan(value) else round(float(value) * 100, 1)


def plan_for(user, queue, start: dt.date, days: int, with_erlang_a: bool = True) -> staffing.Plan:
    day_list = data.day_range(start, start + dt.timedelta(days=days - 1))
    first = data.day_start(queue, day_list[0])
    last = data.day_start(queue, day_list[-1] + dt.timedelta(days=1))
    return staffing.plan(queue, day_list, snapshots_for(user, queue, first, last), with_erlang_a=with_erlang_a)


def heat_map(plan: staffing.Plan) -> tuple[str, list[str], list[str], list[list]]:
    """(SVG, row labels, column labels, matrix of staffed ÷ required in %) for the plan's intervals × days."""
    n = data.per_day(plan.queue)
    zone = zone_of(plan.queue.organisation)
    rows = [plan.starts[k].astimezone(zone).strftime("%H:%M") for k in range(n)]
    columns = [d.strftime("%m-%d") for d in plan.days]
    matrix = [[_pct(plan.ratio[d * n + k]) for d in range(len(plan.days))] for k in range(n)]
    svg = heatmap(
        rows=rows,
        columns=columns,
        values=[[None if v is None else v / 100 for v in row] for row in matrix],
        bands=_bands(),
        empty_label=_("nothing required"),
        title=_("Staffed ÷ required (Erlang C)"),
        row_label_every=max(1, n // 12),
    )
    return svg, rows, columns, matrix


def curve_chart(plan: staffing.Plan, index: int) -> tuple[str, list[dict]]:
    points = staffing.curve_around(plan, index)
    if not points:
        return "", []
    svg = line_chart(
        categories=[str(p["agents"]) for p in points],
        series=[Series(_("Service level (%)"), [round(p["service_level"] * 100, 2) for p in points])],
        title=_("Service level against agents (Erlang C)"),
        reference=round(float(plan.target[index]) * 100, 2),
        reference_label=_("target"),
        y_min=0,
        y_max=100,
    )
    return svg, points


def day_rows(plan: staffing.Plan, day_index: int) -> list[dict]:
    """The intervals of one day of the plan that needed or had agents."""
    n = data.per_day(plan.queue)
    zone = zone_of(plan.queue.organisation)
    out = []
    for i in range(day_index * n, (day_index + 1) * n):
        if plan.required_c[i] == 0 and plan.actual.staffed[i] == 0:
            continue
        out.append(
            {
                "index": i,
                "time": plan.starts[i].astimezone(zone).strftime("%H:%M"),
                "volume": round(float(plan.volume[i]), 1),
                "source": plan.volume_source[i],
                "aht": round(float(plan.aht[i]), 1),
                "required_c": int(plan.required_c[i]),
                "fractional_c": round(float(plan.fractional_c[i]), 2),
                "scheduled_c": int(plan.scheduled_c[i]),
                "required_a": None if plan.required_a is None else int(plan.required_a[i]),
                "fractional_a": None if plan.fractional_a is None else round(float(plan.fractional_a[i]), 2),
                "staffed": round(float(plan.actual.staffed[i]), 2),
                "ratio": _pct(plan.ratio[i]),
                "understaffed": bool(plan.understaffed[i]),
            }
        )
    return out


def staffing_context(request, queue, start: dt.date, days: int) -> dict:
    """Everything the staffing page shows for ``days`` days from ``start``."""
    plan = plan_for(request.user, queue, start, days)
    svg, rows, columns, matrix = heat_map(plan)
    n = data.per_day(queue)
    day = None
    raw_day = request.GET.get("day") or ""
    if len(raw_day) == 10:
        try:
            day = dt.date.fromisoformat(raw_day)
        except ValueError:
            day = None
    day_index = plan.days.index(day) if day in plan.days else len(plan.days) - 1
    at = request.GET.get("at") or ""
    times = rows
    index = day_index * n + times.index(at) if at in times else int(np.argmax(plan.required_c))
    curve_svg, curve = curve_chart(plan, index)
    first = data.day_start(queue, plan.days[0])
    last = data.day_start(queue, plan.days[-1] + dt.timedelta(days=1))
    attributions = list(selectors.attribution_list(user=request.user, queue=queue, start=first, end=last))
    zone = zone_of(queue.organisation)
    return {
        "queue": queue,
        "plan": plan,
        "start": start,
        "days": days,
        "previous": start - dt.timedelta(days=days),
        "next": start + dt.timedelta(days=days),
        "heatmap": mark_safe(svg),
        "heat_rows": list(zip(rows, matrix, strict=True)),
        "heat_columns": columns,
        "understaffed_count": int(plan.understaffed.sum()),
        "intervals_required": int((plan.required_c > 0).sum()),
        "sum_rounded": int(plan.required_c.sum()),
        "sum_fractional": round(float(plan.fractional_c.sum()), 1),
        "patience_rate": plan.patience_rate,
        "mean_patience": round(1 / plan.patience_rate, 1) if plan.patience_rate > 0 else None,
        "missing_terms": not bool(plan.has_term.all()),
        "curve": mark_safe(curve_svg),
        "curve_points": curve,
        "curve_time": plan.starts[index].astimezone(zone).strftime("%Y-%m-%d %H:%M"),
        "curve_required": int(plan.required_c[index]),
        "day_shown": plan.days[day_index],
        "day_rows": day_rows(plan, day_index),
        "attributions": attributions,
        "missed_understaffed": [a for a in attributions if a.reason == "understaffed"],
        "excused_count": sum(1 for a in attributions if a.excused),
    }
