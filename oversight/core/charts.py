"""Server-side SVG charts (line, bar and heat map) from plain series: no JavaScript, no CDN, print-friendly.

Pure Python (no Django): the functions return SVG markup as a string in which every text is
escaped, so a view may mark it safe and put it inline in a page or a PDF. Each series gets its own
colour *and* dash pattern / marker, so the charts stay readable when printed in black and white.
Missing values (None) leave a gap in a line and no bar. Numbers may be Decimal, int or float
(charts only draw them; no figure is computed here).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

__all__ = ["Band", "Series", "TornadoBar", "bar_chart", "heatmap", "line_chart", "nice_ticks", "tornado_chart"]

Number = Decimal | int | float

PALETTE = ("#1f5fa8", "#c2410c", "#15803d", "#7c3aed", "#b91c1c", "#0e7490", "#a16207", "#475569")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "4 4", "1 2")
MARKERS = ("circle", "square", "diamond", "triangle")


@dataclass(frozen=True)
class Series:
    """A named series: one value (or None) per category."""

    name: str
    values: Sequence[Number | None]


def _f(value: Number | None) -> float | None:
    return None if value is None else float(value)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values (steps of 1, 2 or 5 × 10^k) covering [low, high]."""
    if high < low:
        low, high = high, low
    if high == low:
        low, high = low - 1, high + 1
    raw = (high - low) / max(1, count)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def percent_axis_floor(values) -> int:
    """The lowest gridline of a percentage axis: a multiple of 10 below the smallest value (0 when there is none).

    SLA compliance usually sits at 95–100 %; an axis from 0 would flatten every line into the top edge.
    """
    present = [float(v) for v in values if v is not None]
    if not present:
        return 0
    return max(0, (int(min(present)) - 1) // 10 * 10)


def _fmt(value: float, unit: str = "") -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".") if not float(value).is_integer() else str(int(value))
    return f"{text}{unit}"


class _Frame:
    """Plot area, scales and the common SVG parts (axes, grid, legend)."""

    def __init__(self, *, width, height, categories, values, y_min, y_max, legend_rows, title):
        self.width, self.height = width, height
        self.categories = list(categories)
        known = [v for v in values if v is not None]
        low = min(known) if known else 0.0
        high = max(known) if known else 1.0
        low = low if y_min is None else float(y_min)
        high = high if y_max is None else float(y_max)
        self.ticks = nice_ticks(low, high)
        if y_min is not None:
            self.ticks = [t for t in self.ticks if t >= float(y_min)] or [float(y_min)]
            if self.ticks[0] > float(y_min):
                self.ticks.insert(0, float(y_min))
        if y_max is not None:
            self.ticks = [t for t in self.ticks if t <= float(y_max)] or [float(y_max)]
            if self.ticks[-1] < float(y_max):
                self.ticks.append(float(y_max))
        self.low, self.high = self.ticks[0], self.ticks[-1]
        if self.high == self.low:
            self.high = self.low + 1
        self.top = 30 if title else 12
        self.left, self.right = 52, width - 12
        self.bottom = height - 34 - 18 * legend_rows

    def y(self, value: float) -> float:
        span = self.high - self.low
        return self.bottom - (value - self.low) / span * (self.bottom - self.top)

    def slot(self, index: int) -> tuple[float, float]:
        """(centre, width) of a category's slot on the x axis."""
        n = max(1, len(self.categories))
        width = (self.right - self.left) / n
        return self.left + width * (index + 0.5), width

    def axes(self, unit: str) -> list[str]:
        parts = []
        for tick in self.ticks:
            y = self.y(tick)
            parts.append(
                f'<line x1="{self.left}" y1="{y:.1f}" x2="{self.right}" y2="{y:.1f}" class="chart-grid" '
                f'stroke="#d0d5dd" stroke-width="1"/>'
            )
            parts.append(
                f'<text x="{self.left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="#344054">'
                f"{escape(_fmt(tick, unit))}</text>"
            )
        parts.append(
            f'<line x1="{self.left}" y1="{self.bottom}" x2="{self.right}" y2="{self.bottom}" stroke="#344054"/>'
        )
        step = max(1, math.ceil(len(self.categories) / max(1, int((self.right - self.left) / 56))))
        for index, label in enumerate(self.categories):
            if index % step:
                continue
            x, _width = self.slot(index)
            parts.append(
                f'<text x="{x:.1f}" y="{self.bottom + 15}" text-anchor="middle" font-size="11" fill="#344054">'
                f"{escape(str(label))}</text>"
            )
        return parts

    def legend(self, series: Sequence[Series], kind: str) -> list[str]:
        parts = []
        x, y = self.left, self.bottom + 34
        for index, s in enumerate(series):
            colour, dash = PALETTE[index % len(PALETTE)], DASHES[index % len(DASHES)]
            label_width = 30 + _text_width(s.name)
            if x + label_width > self.right and x > self.left:
                x, y = self.left, y + 18
            if kind == "line":
                dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
                parts.append(
                    f'<line x1="{x}" y1="{y - 4}" x2="{x + 20}" y2="{y - 4}" stroke="{colour}" '
                    f'stroke-width="2.5"{dash_attr}/>'
                )
                parts.append(_marker(MARKERS[index % len(MARKERS)], x + 10, y - 4, colour))
            else:
                parts.append(_bar_rect(x, y - 10, 20, 10, colour, index))
            parts.append(f'<text x="{x + 26}" y="{y}" font-size="12" fill="#101828">{escape(s.name)}</text>')
            x += label_width + 12
        return parts


def _text_width(text: str) -> float:
    """Approximate width of a 12 px label (wide for CJK characters)."""
    return sum(12.5 if ord(ch) > 0x2E80 else 7 for ch in text)


def _legend_rows(series: Sequence[Series], width: int) -> int:
    rows, x, left, right = 1, 52, 52, width - 12
    for s in series:
        label_width = 30 + _text_width(s.name)
        if x + label_width > right and x > left:
            rows, x = rows + 1, left
        x += label_width + 12
    return rows


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{colour}"/>'
    if shape == "diamond":
        path = f"M{x:.1f} {y - 5:.1f}L{x + 5:.1f} {y:.1f}L{x:.1f} {y + 5:.1f}L{x - 5:.1f} {y:.1f}Z"
        return f'<path d="{path}" fill="{colour}"/>'
    if shape == "triangle":
        return f'<path d="M{x:.1f} {y - 5:.1f}L{x + 5:.1f} {y + 4:.1f}L{x - 5:.1f} {y + 4:.1f}Z" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>'


def _bar_rect(x: float, y: float, w: float, h: float, colour: str, index: int) -> str:
    # Every other series is hatched (pattern id per chart is avoided: a hatch is drawn with a dasharray outline).
    outline = f' stroke="#101828" stroke-width="0.6" stroke-dasharray="{DASHES[index % len(DASHES)] or "none"}"'
    opacity = "1" if index % 2 == 0 else "0.65"
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0.5):.1f}" height="{max(h, 0):.1f}" fill="{colour}" '
        f'fill-opacity="{opacity}"{outline}/>'
    )


def _open(width: int, height: int, title: str, label: str) -> list[str]:
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMidYMid meet" role="img" aria-label="{escape(label or title)}" '
        f'font-family="system-ui, sans-serif">',
        f"<title>{escape(label or title)}</title>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    if title:
        parts.append(f'<text x="12" y="18" font-size="13" font-weight="600" fill="#101828">{escape(title)}</text>')
    return parts


def line_chart(
    *,
    categories: Sequence[str],
    series: Sequence[Series],
    title: str = "",
    unit: str = "",
    y_min: Number | None = None,
    y_max: Number | None = None,
    reference: Number | None = None,
    reference_label: str = "",
    width: int = 640,
    height: int = 260,
    label: str = "",
) -> str:
    """A line chart: one line per series over the categories (gaps where a value is None)."""
    values = [_f(v) for s in series for v in s.values]
    if reference is not None:
        values.append(float(reference))
    frame = _Frame(
        width=width,
        height=height,
        categories=categories,
        values=values,
        y_min=y_min,
        y_max=y_max,
        legend_rows=_legend_rows(series, width),
        title=title,
    )
    parts = _open(width, height, title, label)
    parts += frame.axes(unit)
    if reference is not None:
        y = frame.y(float(reference))
        parts.append(
            f'<line x1="{frame.left}" y1="{y:.1f}" x2="{frame.right}" y2="{y:.1f}" stroke="#b42318" '
            f'stroke-width="1.5" stroke-dasharray="5 4"/>'
        )
        if reference_label:
            parts.append(
                f'<text x="{frame.right}" y="{y - 4:.1f}" text-anchor="end" font-size="11" fill="#b42318">'
                f"{escape(reference_label)}</text>"
            )
    for index, s in enumerate(series):
        colour, dash = PALETTE[index % len(PALETTE)], DASHES[index % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        segment: list[str] = []
        points = []
        for i, raw in enumerate(s.values):
            value = _f(raw)
            if value is None:
                if len(segment) > 1:
                    points.append(segment)
                segment = []
                continue
            x, _w = frame.slot(i)
            segment.append(f"{x:.1f},{frame.y(value):.1f}")
        if len(segment) > 1:
            points.append(segment)
        for seg in points:
            parts.append(
                f'<polyline points="{" ".join(seg)}" fill="none" stroke="{colour}" stroke-width="2.5"{dash_attr}/>'
            )
        for i, raw in enumerate(s.values):
            value = _f(raw)
            if value is None:
                continue
            x, _w = frame.slot(i)
            label_text = f"{s.name} · {categories[i]}: {_fmt(value, unit)}"
            parts.append(
                f"<g><title>{escape(label_text)}</title>"
                f"{_marker(MARKERS[index % len(MARKERS)], x, frame.y(value), colour)}</g>"
            )
    parts += frame.legend(series, "line")
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(
    *,
    categories: Sequence[str],
    series: Sequence[Series],
    title: str = "",
    unit: str = "",
    y_min: Number | None = 0,
    y_max: Number | None = None,
    width: int = 640,
    height: int = 260,
    show_values: bool = True,
    label: str = "",
) -> str:
    """A grouped bar chart: per category one bar per series (from y_min, default 0), values printed on top."""
    values = [_f(v) for s in series for v in s.values]
    frame = _Frame(
        width=width,
        height=height,
        categories=categories,
        values=values,
        y_min=y_min,
        y_max=y_max,
        legend_rows=_legend_rows(series, width),
        title=title,
    )
    parts = _open(width, height, title, label)
    parts += frame.axes(unit)
    n = max(1, len(series))
    base = frame.y(max(frame.low, 0.0) if frame.low <= 0 <= frame.high else frame.low)
    for index, s in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        for i, raw in enumerate(s.values):
            value = _f(raw)
            if value is None:
                continue
            centre, slot = frame.slot(i)
            group = slot * 0.75
            bar = group / n
            x = centre - group / 2 + bar * index
            y = frame.y(value)
            top, h = (y, base - y) if y <= base else (base, y - base)
            label_text = f"{s.name} · {categories[i]}: {_fmt(value, unit)}"
            parts.append(f"<g><title>{escape(label_text)}</title>{_bar_rect(x, top, bar - 2, h, colour, index)}</g>")
            if show_values:
                parts.append(
                    f'<text x="{x + (bar - 2) / 2:.1f}" y="{top - 3:.1f}" text-anchor="middle" font-size="10" '
                    f'fill="#101828">{escape(_fmt(value))}</text>'
                )
    parts += frame.legend(series, "bar")
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class Band:
    """A colour band of a heat map: values below ``upper`` (None: no upper bound) get ``colour``; ``label`` names
    the band in the legend; ``marked`` cells also get a diagonal stroke so they stand out in black and white."""

    upper: Number | None
    colour: str
    label: str
    marked: bool = False


def _band_of(value: float, bands: Sequence[Band]) -> Band:
    for band in bands:
        if band.upper is None or value < float(band.upper):
            return band
    return bands[-1]


def heatmap(
    *,
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[Number | None]],
    bands: Sequence[Band],
    empty_label: str = "",
    title: str = "",
    label: str = "",
    unit: str = "",
    row_label_every: int = 1,
    width: int = 640,
) -> str:
    """A heat map: ``values[r][c]`` coloured by the first band whose upper bound it is below; None is grey.

    Rows are drawn top to bottom (e.g. intervals of the day), columns left to right (e.g. days); every
    ``row_label_every``-th row is labelled. Each cell carries a tooltip with its row, column and value; the
    legend lists the bands (and ``empty_label`` for the grey cells). The SVG scales to its container's width,
    so it stays readable on a phone; pages put the figures in a table beside it."""
    if not bands:
        raise ValueError("a heat map needs at least one colour band")
    if len(values) != len(rows) or any(len(r) != len(columns) for r in values):
        raise ValueError("the values must have one row per row label and one value per column")
    left, top, right = 48, 30 if title else 12, 8
    cell_w = max(6.0, (width - left - right) / max(1, len(columns)))
    cell_h = 12.0
    legend_items = [(b.colour, b.label, b.marked) for b in bands] + (
        [("#e4e7ec", empty_label, False)] * bool(empty_label)
    )
    grid_h = cell_h * len(rows)
    header_h = 16
    y0 = top + header_h
    # Lay the legend out first (wrapping like text), so the height fits it.
    placed, lx, ly = [], 12.0, y0 + grid_h + 10
    for colour, text, marked in legend_items:
        item_w = _text_width(text) + 28
        if lx + item_w > width - 12 and lx > 12:
            lx, ly = 12.0, ly + 18
        placed.append((lx, ly, colour, text, marked))
        lx += item_w
    height = int(ly + 12 + 10)
    parts = _open(width, height, title, label)
    step = max(1, math.ceil(len(columns) * 40 / (width - left - right)))
    for c, name in enumerate(columns):
        if c % step == 0:
            x = left + c * cell_w + cell_w / 2
            parts.append(
                f'<text x="{x:.1f}" y="{y0 - 4:.1f}" text-anchor="middle" font-size="10" fill="#344054">'
                f"{escape(name)}</text>"
            )
    for r, row_name in enumerate(rows):
        y = y0 + r * cell_h
        if r % max(1, row_label_every) == 0:
            parts.append(
                f'<text x="{left - 4}" y="{y + cell_h - 2:.1f}" text-anchor="end" font-size="10" fill="#344054">'
                f"{escape(row_name)}</text>"
            )
        for c, raw in enumerate(values[r]):
            x = left + c * cell_w
            value = _f(raw)
            shown = "—" if value is None else _fmt(value, unit)
            tip = escape(f"{row_name} · {columns[c]}: {shown}")
            if value is None:
                colour, marked = "#e4e7ec", False
            else:
                band = _band_of(value, bands)
                colour, marked = band.colour, band.marked
            cell = f'<rect x="{x:.1f}" y="{y:.1f}" width="{cell_w - 1:.1f}" height="{cell_h - 1:.1f}" fill="{colour}"/>'
            if marked:
                cell += (
                    f'<line x1="{x:.1f}" y1="{y + cell_h - 1:.1f}" x2="{x + cell_w - 1:.1f}" y2="{y:.1f}" '
                    f'stroke="#101828" stroke-width="1"/>'
                )
            parts.append(f"<g><title>{tip}</title>{cell}</g>")
    for lx, ly, colour, text, marked in placed:
        swatch = f'<rect x="{lx:.1f}" y="{ly:.1f}" width="14" height="12" fill="{colour}" stroke="#98a2b3"/>'
        if marked:
            swatch += f'<line x1="{lx:.1f}" y1="{ly + 12:.1f}" x2="{lx + 14:.1f}" y2="{ly:.1f}" stroke="#101828"/>'
        parts.append(
            swatch + f'<text x="{lx + 18:.1f}" y="{ly + 10:.1f}" font-size="11" fill="#344054">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class TornadoBar:
    """One row of a tornado chart: the driver's name and the result at its low and at its high value."""

    name: str
    at_low: Number
    at_high: Number


def tornado_chart(
    *,
    bars: Sequence[TornadoBar],
    base: Number,
    title: str = "",
    low_label: str = "",
    high_label: str = "",
    base_label: str = "",
    width: int = 640,
    label: str = "",
) -> str:
    """A tornado (horizontal bars around a base value): per driver one bar from the base to the result at its low
    value and one to the result at its high value, in the order given (largest swing first, by the caller)."""
    names = [b.name for b in bars]
    label_width = min(width * 0.4, max([_text_width(n) for n in names] + [40]) + 8)
    row_height, top = 26, (30 if title else 12)
    legend_y = top + row_height * len(bars) + 30
    height = legend_y + 14
    left, right = 8 + label_width, width - 12
    values = [float(base)] + [float(v) for b in bars for v in (b.at_low, b.at_high)]
    ticks = nice_ticks(min(values), max(values), 4)
    low, high = ticks[0], ticks[-1] if ticks[-1] > ticks[0] else ticks[0] + 1

    def x(value: float) -> float:
        return left + (value - low) / (high - low) * (right - left)

    parts = _open(width, height, title, label)
    axis_y = top + row_height * len(bars) + 4
    for tick in ticks:
        parts.append(
            f'<line x1="{x(tick):.1f}" y1="{top}" x2="{x(tick):.1f}" y2="{axis_y}" stroke="#d0d5dd" stroke-width="1"/>'
            f'<text x="{x(tick):.1f}" y="{axis_y + 13}" text-anchor="middle" font-size="10" fill="#344054">'
            f"{escape(_fmt(tick))}</text>"
        )
    centre = x(float(base))
    for index, bar in enumerate(bars):
        y = top + row_height * index + 4
        parts.append(
            f'<text x="{left - 6:.1f}" y="{y + 13}" text-anchor="end" font-size="11" fill="#101828">'
            f"{escape(bar.name)}</text>"
        )
        for series, value, text in ((0, bar.at_low, low_label), (1, bar.at_high, high_label)):
            end = x(float(value))
            start, w = (end, centre - end) if end < centre else (centre, end - centre)
            title_text = f"{bar.name} · {text}: {_fmt(float(value))}"
            parts.append(
                f"<g><title>{escape(title_text)}</title>"
                f"{_bar_rect(start, y + series * 9, w, 9, PALETTE[series], series)}</g>"
            )
    parts.append(
        f'<line x1="{centre:.1f}" y1="{top - 4}" x2="{centre:.1f}" y2="{axis_y}" stroke="#101828" stroke-width="1.5"/>'
    )
    legend = [(0, low_label), (1, high_label)]
    lx = left
    for series, text in legend:
        parts.append(_bar_rect(lx, legend_y - 10, 20, 10, PALETTE[series], series))
        parts.append(f'<text x="{lx + 26}" y="{legend_y}" font-size="12" fill="#101828">{escape(text)}</text>')
        lx += 40 + _text_width(text)
    if base_label:
        parts.append(f'<text x="{lx}" y="{legend_y}" font-size="12" fill="#101828">| {escape(base_label)}</text>')
    parts.append("</svg>")
    return "".join(parts)
