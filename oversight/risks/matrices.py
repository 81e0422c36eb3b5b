"""Reading a stored matrix version as the pure `oversight.quant.matrix.Matrix`, and its labels, colours and
review intervals in the reader's language. No writes here (see `risks.services.matrix`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import get_language

from oversight.quant import matrix as qm
from oversight.risks.choices import LEVEL_RANK, RiskLevel


def as_matrix(version) -> qm.Matrix:
    """The pure matrix of a stored version (raises `quant.matrix.MatrixError` when the data cannot be used)."""
    return qm.Matrix(
        probability_levels=len(version.probability_labels),
        impact_levels=len(version.impact_labels),
        formula=version.formula,
        table=tuple(tuple(row) for row in (version.cell_scores or ())),
        normalise=version.normalise,
        bands=tuple(qm.Band(qm.to_decimal(b["start"]), b["level"]) for b in version.bands),
    )


def label(entry: dict) -> str:
    """A level's label in the active language (Chinese unless the reader reads English)."""
    language = (get_language() or "zh-hans").lower()
    return entry.get("en" if language.startswith("en") else "zh") or entry.get("zh") or entry.get("en") or ""


def probability_label(version, level: int) -> str:
    return label(version.probability_labels[level - 1]) if 1 <= level <= len(version.probability_labels) else ""


def impact_label(version, level: int) -> str:
    return label(version.impact_labels[level - 1]) if 1 <= level <= len(version.impact_labels) else ""


def band_of(version, level: str) -> dict | None:
    """The band of a level in this version, if it has one."""
    return next((b for b in version.bands if b["level"] == level), None)


def colour_of(version, level: str) -> str:
    band = band_of(version, level)
    return band["colour"] if band else "#9e9e9e"


def review_days(version, level: str) -> int:
    """Days from a rating or review to the next review for that level (the band's setting)."""
    band = band_of(version, level)
    return int(band["review_days"]) if band else min(int(b["review_days"]) for b in version.bands)


def shortest_review_days(version) -> int:
    """The shortest interval of the version: an unrated risk is reviewed that soon."""
    return min(int(b["review_days"]) for b in version.bands)


def next_review(version, level: str, today: dt.date) -> dt.date:
    return today + dt.timedelta(days=review_days(version, level))


def level_label(level: str) -> str:
    return RiskLevel(level).label if level in RiskLevel.values else ""


def level_rank(level: str) -> int:
    return LEVEL_RANK.get(level, -1)


def grid(version) -> list[list[dict]]:
    """Rows from the highest probability level down, each a list of cells by impact level:
    {probability, impact, score, level, colour}."""
    mat = as_matrix(version)
    rows = []
    for p in range(mat.probability_levels, 0, -1):
        row = []
        for i in range(1, mat.impact_levels + 1):
            score: Decimal = mat.score(p, i)
            level = mat.level_of(score)
            row.append(
                {"probability": p, "impact": i, "score": score, "level": level, "colour": colour_of(version, level)}
            )
        rows.append(row)
    return rows
