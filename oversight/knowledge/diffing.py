"""The difference between two texts of an article, line by line (pure Python, no Django).

The rows are plain text with a kind; the template escapes them like any other text, so a diff never renders
anything a person typed as HTML.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

SAME = "same"
ADDED = "added"
REMOVED = "removed"


@dataclass(frozen=True)
class Row:
    """One line of a diff: unchanged, added in the newer text, or removed from the older one."""

    kind: str
    text: str


def diff_lines(old: str, new: str) -> list[Row]:
    """The lines of ``old`` and ``new`` in order, each marked unchanged, removed or added."""
    a, b = (old or "").splitlines(), (new or "").splitlines()
    rows: list[Row] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            rows += [Row(SAME, line) for line in a[i1:i2]]
            continue
        rows += [Row(REMOVED, line) for line in a[i1:i2]]
        rows += [Row(ADDED, line) for line in b[j1:j2]]
    return rows


def changed(rows: list[Row]) -> bool:
    """Whether a diff has any added or removed line."""
    return any(row.kind != SAME for row in rows)
