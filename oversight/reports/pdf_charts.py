"""The report's trend charts drawn with reportlab's own charts (same series, colours and dashes as the page's SVG).

A line chart is a ``HorizontalLineChart`` (gaps where a value is None), a bar chart a ``VerticalBarChart``, each
in a ``Drawing`` with the embedded CJK font for every text, so the PDF needs no image conversion.
"""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors

from oversight.core.charts import DASHES, PALETTE, nice_ticks
from oversight.core.pdf import register_fonts

_MARKERS = ("FilledCircle", "FilledSquare", "FilledDiamond", "FilledTriangle")


def _dash(index: int):
    pattern = DASHES[index % len(DASHES)]
    return [float(x) for x in pattern.split()] if pattern else None


def _runs(values: tuple) -> list[tuple]:
    """Each run of two or more consecutive values, as a row that is None outside the run."""
    runs, start = [], None
    for i, value in enumerate((*values, None)):
        if value is not None and start is None:
            start = i
        elif value is None and start is not None:
            if i - start >= 2:
                runs.append(tuple(v if start <= j < i else None for j, v in enumerate(values)))
            start = None
    return runs


def _range(spec) -> tuple[float, float, float]:
    """Axis minimum, maximum and step: the spec's bounds where given, round ticks otherwise."""
    known = [float(v) for _name, values in spec.series for v in values if v is not None]
    low = float(spec.y_min) if spec.y_min is not None else (min(known) if known else 0.0)
    high = float(spec.y_max) if spec.y_max is not None else (max(known) if known else 1.0)
    ticks = nice_ticks(low, high if high > low else low + 1)
    if spec.y_min is not None:
        ticks = [t for t in ticks if t >= low] or [low]
    if spec.y_max is not None:
        ticks = [t for t in ticks if t <= high] or [high]
    step = ticks[1] - ticks[0] if len(ticks) > 1 else max(1.0, high - low)
    bottom = low if spec.y_min is not None else ticks[0]
    top = high if spec.y_max is not None else max(ticks[-1], bottom + step)
    return bottom, top, step


def chart_drawing(spec, *, width: float, height: float) -> Drawing:
    """A reportlab Drawing of one ``documents.ChartSpec``."""
    font = register_fonts()
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 11, spec.title, fontName=font, fontSize=9.5, fillColor=colors.HexColor("#101828")))
    legend_height = 14
    chart = VerticalBarChart() if spec.kind == "bar" else HorizontalLineChart()
    chart.x, chart.y = 36, 18 + legend_height
    chart.width, chart.height = width - 48, height - 36 - legend_height
    data = [tuple(None if v is None else float(v) for v in values) for _name, values in spec.series]
    segments: list[tuple[int, tuple]] = []
    if spec.kind == "bar":
        data = [tuple(0.0 if v is None else v for v in values) for values in data]
    else:
        # Markers come from the series themselves; lines are drawn per run of consecutive values, so a missing
        # period leaves a gap (as on the page) and a lone value is a marker, not a one-point line.
        chart.joinedLines = 0
        for index, values in enumerate(data):
            segments += [(index, run) for run in _runs(values)]
    chart.data = data + [run for _index, run in segments]
    chart.categoryAxis.categoryNames = list(spec.categories)
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7.5
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7.5
    bottom, top, step = _range(spec)
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = bottom, top, step
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#d0d5dd")
    if spec.unit:
        chart.valueAxis.labelTextFormat = "%g" + spec.unit.replace("%", "%%")
    for index in range(len(spec.series)):
        colour = colors.HexColor(PALETTE[index % len(PALETTE)])
        if spec.kind == "bar":
            chart.bars[index].fillColor = colour
            chart.bars[index].strokeColor = colors.HexColor("#101828")
            chart.bars[index].strokeWidth = 0.4
        else:
            chart.lines[index].strokeColor = colour
            chart.lines[index].strokeWidth = 1.8
            chart.lines[index].strokeDashArray = _dash(index)
            marker = makeMarker(_MARKERS[index % len(_MARKERS)])
            marker.fillColor = colour
            marker.size = 4
            chart.lines[index].symbol = marker
    for offset, (index, _run) in enumerate(segments):
        style = chart.lines[len(data) + offset]
        style.lineStyle = "joinedLine"
        style.strokeColor = colors.HexColor(PALETTE[index % len(PALETTE)])
        style.strokeWidth = 1.8
        style.strokeDashArray = _dash(index)
    if spec.kind == "bar":
        chart.barLabelFormat = "%g"
        chart.barLabels.fontName = font
        chart.barLabels.fontSize = 6.5
        chart.barLabels.nudge = 5
        chart.groupSpacing = 6
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = 36, 10
    legend.fontName = font
    legend.fontSize = 7.5
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 120
    legend.dxTextSpace = 4
    legend.colorNamePairs = [
        (colors.HexColor(PALETTE[i % len(PALETTE)]), name) for i, (name, _values) in enumerate(spec.series)
    ]
    drawing.add(legend)
    return drawing
