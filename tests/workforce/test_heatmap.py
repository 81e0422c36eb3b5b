"""The heat map of oversight.core.charts: a cell per value coloured by its band, grey for none, marked cells
stroked, every text escaped, the legend listing the bands."""

import re

import pytest

from oversight.core.charts import Band, heatmap

BANDS = [Band(0.9, "#b42318", "below 90 % <red>", marked=True), Band(None, "#12b76a", "90 % or more")]


def test_cells_bands_and_legend():
    svg = heatmap(
        rows=["09:00", "09:30"],
        columns=["Mon", "Tue"],
        values=[[0.5, 1.2], [None, 0.9]],
        bands=BANDS,
        empty_label="nothing required",
        title="Staffed ÷ required",
    )
    cells = re.findall(r'<g><title>([^<]*)</title><rect [^>]*fill="(#[0-9a-f]+)"', svg)
    assert cells == [
        ("09:00 · Mon: 0.5", "#b42318"),
        ("09:00 · Tue: 1.2", "#12b76a"),
        ("09:30 · Mon: —", "#e4e7ec"),
        ("09:30 · Tue: 0.9", "#12b76a"),  # 0.9 is not below 0.9
    ]
    # Only the one marked (below 90 %) cell gets a diagonal stroke inside its group, plus the legend's swatch.
    assert svg.count('stroke="#101828" stroke-width="1"') == 1
    assert "below 90 % &lt;red&gt;" in svg and "<red>" not in svg
    assert "nothing required" in svg
    assert svg.startswith("<svg") and 'width="100%"' in svg


def test_bad_shapes_are_refused():
    with pytest.raises(ValueError, match="one row per row label"):
        heatmap(rows=["a"], columns=["x", "y"], values=[[1]], bands=BANDS)
    with pytest.raises(ValueError, match="band"):
        heatmap(rows=["a"], columns=["x"], values=[[1]], bands=[])
