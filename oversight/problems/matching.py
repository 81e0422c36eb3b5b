"""How well a text a person is typing matches a known error (pure Python, no Django).

Portable and small on purpose: a text becomes a set of *terms* — Latin words and numbers of two characters or
more (lower-cased), and the overlapping pairs of Chinese characters (bigrams; a lone Chinese character counts by
itself) — and a known error scores the terms it shares with the query divided by the smaller of the two term
sets (so a long description typed into a work order still finds a short symptom, and a short search finds a
long record). Chinese needs no dictionary this
way (“打印机卡纸” and “打印卡纸” share 打印 and 卡纸); the knowledge base's ranking of articles is a separate,
richer engine.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[0-9a-z]{2,}")
# Words too common to tell one fault from another.
STOP_WORDS = frozenset({"the", "and", "is", "not", "for", "on", "in", "of", "to", "it", "no", "an", "at", "with"})

#: The least score a known error needs to be offered.
MIN_SCORE = 0.3
#: How many terms a match shares with the query at least (fewer when the query itself has fewer).
MIN_SHARED = 2


def terms(text: str) -> frozenset[str]:
    """The terms of a text: Latin words and numbers (≥ 2 characters, lower-cased) and Chinese bigrams."""
    lowered = (text or "").lower()
    found: set[str] = {w for w in _WORD.findall(lowered) if w not in STOP_WORDS}
    for run in _CJK.findall(lowered):
        if len(run) == 1:
            found.add(run)
        found.update(run[i : i + 2] for i in range(len(run) - 1))
    return frozenset(found)


def score(query_terms: frozenset[str], text_terms: frozenset[str]) -> float:
    """Shared terms over the smaller term set (0 when either has none)."""
    if not query_terms or not text_terms:
        return 0.0
    return len(query_terms & text_terms) / min(len(query_terms), len(text_terms))


@dataclass(frozen=True)
class Match:
    """A candidate and how well it matched."""

    id: int
    score: float


def rank(query: str, candidates: Iterable[tuple[int, str]], *, limit: int = 5) -> list[Match]:
    """The candidates ``(id, text)`` scoring at least :data:`MIN_SCORE` and sharing at least :data:`MIN_SHARED`
    terms with the query (or all of a shorter query's), best first, then by id."""
    wanted = terms(query)
    if not wanted:
        return []
    shared_needed = min(MIN_SHARED, len(wanted))
    found = []
    for i, text in candidates:
        have = terms(text)
        if len(wanted & have) >= shared_needed:
            value = score(wanted, have)
            if value >= MIN_SCORE:
                found.append(Match(id=i, score=value))
    found.sort(key=lambda m: (-m.score, m.id))
    return found[:limit]
