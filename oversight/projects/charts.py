"""The project page's charts, server-rendered SVG: the S-curve (PV, EV, AC and the EAC projection), the SPI/CPI
trend and, in critical-chain mode, the fever charts of the project buffer and of each feeding buffer. Figures
come from the evaluation and the snapshots; nothing is computed here but positions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django.utils.translation import gettext as _

from oversight.core.charts import Series, line_chart
from oversight.projects.evaluation import Evaluation
from oversight.quant.critical_chain import FeverZones


def s_curve(result: Evaluation, snapshots) -> str:
    """PV over the plan, EV and AC at each status date, and the EAC projected to the planned finish."""
    finish = result.days[result.planned_days - 1] if result.planned_days else result.status_date
    start = result.days[0] if result.days else result.status_date
    dates = sorted({start, finish, *(s.status_date for s in snapshots)})
    by_date = {s.status_date: s for s in snapshots}
    positions = {d: i for i, d in enumerate(result.days)}

    def pv_at(day) -> Decimal:
        done = [i for d, i in positions.items() if d <= day]
        return result.pv_curve[max(done)] if done else Decimal(0)

    last = max(by_date) if by_date else None
    eac = result.figures.eac
    pv = [pv_at(d) for d in dates]
    ev = [by_date[d].ev if d in by_date else (Decimal(0) if d == start else None) for d in dates]
    ac = [by_date[d].ac if d in by_date else (Decimal(0) if d == start else None) for d in dates]
    projection = [
        (by_date[d].ac if d == last else (eac if d == finish and last and finish > last else None)) for d in dates
    ]
    series = [
        Series(_("Planned value (PV)"), pv),
        Series(_("Earned value (EV)"), ev),
        Series(_("Actual cost (AC)"), ac),
    ]
    if eac is not None and last is not None and finish > last:
        series.append(Series(_("Projected cost at completion (EAC)"), projection))
    return line_chart(
        categories=[d.strftime("%m-%d") for d in dates],
        series=series,
        title=_("S-curve"),
        reference=result.figures.bac,
        reference_label=_("BAC"),
        y_min=0,
        label=_("Cumulative planned value, earned value and actual cost by status date"),
    )


def trend(snapshots) -> str:
    """SPI, CPI and SPI(t) at each status date against the line of 1 (on plan)."""
    return line_chart(
        categories=[s.status_date.strftime("%m-%d") for s in snapshots],
        series=[
            Series(_("SPI"), [s.spi for s in snapshots]),
            Series(_("CPI"), [s.cpi for s in snapshots]),
            Series(_("SPI(t)"), [s.spi_t for s in snapshots]),
        ],
        title=_("SPI and CPI trend"),
        reference=1,
        reference_label=_("On plan"),
        label=_("Schedule and cost performance indices by status date"),
    )


@dataclass(frozen=True)
class FeverPoint:
    """One status date of a feeding buffer, shaped like a snapshot for `fever_chart`."""

    status_date: dt.date
    buffer_consumed_share: Decimal
    chain_complete_share: Decimal


def feeding_fever_charts(snapshots, zones: FeverZones) -> list[tuple[str, str]]:
    """One fever chart per feeding buffer (label, SVG), from the feeding buffers each snapshot kept."""
    series: dict[str, list[FeverPoint]] = {}
    for s in snapshots:
        for f in s.feeding_buffers or []:
            point = FeverPoint(s.status_date, Decimal(f["consumed_share"]), Decimal(f["complete_share"]))
            series.setdefault(f["label"], []).append(point)
    return [
        (label, fever_chart(points, zones, title=_("Fever chart of the feeding buffer %(chain)s") % {"chain": label}))
        for label, points in series.items()
    ]


def fever_chart(snapshots, zones: FeverZones, width: int = 320, height: int = 240, title=None) -> str:
    """Buffer consumed against chain complete, with the green, yellow and red zones and one point per date."""
    pad = 36
    w, h = width - 2 * pad, height - 2 * pad
    top = max([Decimal("1.2"), *(s.buffer_consumed_share or 0 for s in snapshots)])

    def x(share) -> float:
        return pad + float(share) * w

    def y(share) -> float:
        return pad + h - float(min(share, top)) / float(top) * h

    def band(lower_start, lower_end, upper_start, upper_end, colour) -> str:
        points = [(0, lower_start), (1, lower_end), (1, upper_end), (0, upper_start)]
        coords = " ".join(f"{x(a):.1f},{y(b):.1f}" for a, b in points)
        return f'<polygon points="{coords}" fill="{colour}" />'

    title = escape(title or _("Fever chart"))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" aria-label="{title}" '
        f'class="chart fever-chart">',
        f"<title>{title}</title>",
        band(0, 0, zones.yellow_start, zones.yellow_end, "#dcfce7"),
        band(zones.yellow_start, zones.yellow_end, zones.red_start, zones.red_end, "#fef9c3"),
        band(zones.red_start, zones.red_end, top, top, "#fee2e2"),
        f'<line x1="{pad}" y1="{pad + h}" x2="{pad + w}" y2="{pad + h}" stroke="#475569" />',
        f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{pad + h}" stroke="#475569" />',
        f'<text x="{pad + w / 2}" y="{height - 6}" text-anchor="middle" font-size="11">'
        f"{escape(_('Chain complete'))}</text>",
        f'<text x="10" y="{pad + h / 2}" font-size="11" transform="rotate(-90 10 {pad + h / 2})" '
        f'text-anchor="middle">{escape(_("Buffer consumed"))}</text>',
    ]
    points = [s for s in snapshots if s.buffer_consumed_share is not None and s.chain_complete_share is not None]
    path = " ".join(f"{x(s.chain_complete_share):.1f},{y(s.buffer_consumed_share):.1f}" for s in points)
    if path:
        parts.append(f'<polyline points="{path}" fill="none" stroke="#1f2937" stroke-width="1.5" />')
    for s in points:
        label = escape(f"{s.status_date:%Y-%m-%d}")
        parts.append(
            f'<circle cx="{x(s.chain_complete_share):.1f}" cy="{y(s.buffer_consumed_share):.1f}" r="4" '
            f'fill="#1f2937"><title>{label}</title></circle>'
        )
    parts.append("</svg>")
    return "".join(parts)
