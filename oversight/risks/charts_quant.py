"""Server-side SVG of a simulation result: the loss-exceedance curve and the tornado of contributions.

Pure markup from numbers a finished run stored (nothing is computed here but positions); every text is escaped
and passed in already translated, so a view may mark the SVG safe. Scalable (``viewBox``, width 100 %), so it
fits a 375 px screen without sideways scrolling.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from oversight.core.charts import PALETTE, nice_ticks

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 44


def _amount(value: float) -> str:
    return f"{value:,.0f}"


def _open(title: str, height: int = HEIGHT) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'font-family="system-ui, sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>',
    ]


def exceedance_svg(
    points: Sequence[Sequence[float]],
    *,
    title: str,
    x_label: str,
    y_label: str,
    markers: Sequence[tuple[float, str]] = (),
) -> str:
    """The loss-exceedance curve: a yearly loss ``x`` (money, horizontal) against the chance that a year's loss
    exceeds it (0–100 %, vertical). ``markers`` are vertical lines at amounts (P90, the appetite), labelled."""
    xs = [float(x) for x, _p in points]
    top = max([*xs, *(float(m) for m, _l in markers), 1.0])
    ticks = nice_ticks(0.0, top, 4)
    x_max = ticks[-1]
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def px(x: float) -> float:
        return LEFT + inner_w * x / x_max

    def py(p: float) -> float:
        return TOP + inner_h * (1 - p)

    parts = _open(title)
    for pct in (0, 25, 50, 75, 100):
        y = py(pct / 100)
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#e4e7ec"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#475467">{pct}%</text>')
    for tick in ticks:
        x = px(tick)
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" fill="#475467">{_amount(tick)}</text>'
        )
    parts.append(
        f'<text x="{LEFT + inner_w / 2:.1f}" y="{HEIGHT - 6}" text-anchor="middle" fill="#101828">'
        f"{escape(x_label)}</text>"
    )
    parts.append(
        f'<text x="12" y="{TOP + inner_h / 2:.1f}" transform="rotate(-90 12 {TOP + inner_h / 2:.1f})" '
        f'text-anchor="middle" fill="#101828">{escape(y_label)}</text>'
    )
    line = " ".join(f"{px(float(x)):.1f},{py(float(p)):.1f}" for x, p in points)
    parts.append(f'<polyline points="{line}" fill="none" stroke="{PALETTE[0]}" stroke-width="2.5"/>')
    for index, (amount, label) in enumerate(markers):
        x = px(float(amount))
        colour = PALETTE[(index + 1) % len(PALETTE)]
        parts.append(
            f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{HEIGHT - BOTTOM}" stroke="{colour}" '
            f'stroke-width="1.5" stroke-dasharray="5 4"/>'
        )
        anchor = "end" if x > WIDTH / 2 else "start"
        dx = -4 if anchor == "end" else 4
        parts.append(
            f'<text x="{x + dx:.1f}" y="{TOP + 12 + 14 * index}" text-anchor="{anchor}" fill="{colour}">'
            f"{escape(label)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def tornado_svg(bars: Sequence[tuple[str, float]], *, title: str) -> str:
    """Horizontal bars, largest first: per risk its contribution (an amount), labelled with the risk."""
    row = 26
    height = TOP + row * max(1, len(bars)) + 24
    top = max([value for _l, value in bars] + [1.0])
    label_w = 150
    inner_w = WIDTH - label_w - RIGHT - 70
    parts = _open(title, height)
    for index, (label, value) in enumerate(bars):
        y = TOP + row * index
        w = inner_w * max(value, 0.0) / top
        short = label if len(label) <= 22 else label[:21] + "…"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end" fill="#101828"><title>{escape(label)}</title>'
            f"{escape(short)}</text>"
        )
        parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row - 8}" fill="{PALETTE[0]}" rx="2"/>')
        parts.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 16}" fill="#475467">{_amount(value)}</text>')
    parts.append("</svg>")
    return "".join(parts)
