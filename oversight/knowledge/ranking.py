"""How knowledge articles are ranked for a text (pure Python, no Django); the specification of the search.

Text relevance is Okapi BM25 over the article's terms (`knowledge.segment.terms` of title and text, both
languages), with the title's terms counted ``TITLE_WEIGHT`` times (a BM25F simplification: the weighted term
frequency goes into the usual saturation)::

    tf(t, d)   = TITLE_WEIGHT · count of t in d's title + count of t in d's text
    idf(t)     = ln(1 + (N − df(t) + 0.5) / (df(t) + 0.5))
    bm25(q, d) = Σ over distinct t in q of idf(t) · tf(t, d) · (K1 + 1) / (tf(t, d) + K1 · (1 − B + B · |d| / avgdl))

where N is the number of articles searched, df(t) how many of them contain t, |d| the number of terms of d
(title and text, unweighted) and avgdl their mean over the N articles. Then two boosts multiply it::

    score = bm25 · (1 + CATEGORY_BOOST if d's category is the one asked for) · (1 + SOLVED_BOOST · ln(1 + solved))

where ``solved`` is how many work orders the article solved before (linked as the solution, or avoided by a
requester). An article sharing no term with the text scores 0 and is never offered; ties go to the lower id.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

K1 = 1.2
B = 0.75
TITLE_WEIGHT = 2
CATEGORY_BOOST = 0.3
SOLVED_BOOST = 0.1


@dataclass(frozen=True)
class Document:
    """One candidate article as the ranking sees it."""

    id: int
    title_terms: Sequence[str]
    body_terms: Sequence[str]
    category_id: int | None = None
    solved: int = 0

    @property
    def length(self) -> int:
        return len(self.title_terms) + len(self.body_terms)


@dataclass(frozen=True)
class Corpus:
    """What BM25 needs to know of all the articles searched: how many, their mean length, and per query term
    how many contain it."""

    size: int
    average_length: float
    document_frequency: dict[str, int]


@dataclass(frozen=True)
class Ranked:
    """An article and its score, with the parts of the score (for the explanation and the tests)."""

    id: int
    score: float
    relevance: float
    category_match: bool
    solved: int


def idf(size: int, df: int) -> float:
    """BM25's inverse document frequency (never negative: the "+1" variant)."""
    return math.log(1 + (size - df + 0.5) / (df + 0.5))


def bm25(query_terms: Iterable[str], document: Document, corpus: Corpus) -> float:
    """Text relevance of one document for the distinct query terms (see the module docstring)."""
    title = Counter(document.title_terms)
    body = Counter(document.body_terms)
    average = corpus.average_length or 1.0
    norm = K1 * (1 - B + B * document.length / average)
    total = 0.0
    for term in dict.fromkeys(query_terms):
        tf = TITLE_WEIGHT * title[term] + body[term]
        if tf:
            total += idf(corpus.size, corpus.document_frequency.get(term, 0)) * tf * (K1 + 1) / (tf + norm)
    return total


def corpus_of(
    query_terms: Iterable[str], candidates: Sequence[Document], *, size: int, average_length: float
) -> Corpus:
    """The corpus statistics, with the document frequencies counted on the candidates (every article holding a
    query term is a candidate, so the count is exact)."""
    wanted = set(query_terms)
    df: Counter[str] = Counter()
    for document in candidates:
        df.update(wanted & (set(document.title_terms) | set(document.body_terms)))
    return Corpus(size=size, average_length=average_length, document_frequency=dict(df))


def rank(
    query_terms: Sequence[str],
    candidates: Sequence[Document],
    *,
    size: int,
    average_length: float,
    category_id: int | None = None,
    limit: int = 5,
) -> list[Ranked]:
    """The best ``limit`` candidates for the query terms, best first (ties: lower id first)."""
    if not query_terms:
        return []
    corpus = corpus_of(query_terms, candidates, size=size, average_length=average_length)
    found = []
    for document in candidates:
        relevance = bm25(query_terms, document, corpus)
        if relevance <= 0:
            continue
        match = category_id is not None and document.category_id == category_id
        score = relevance * (1 + CATEGORY_BOOST if match else 1) * (1 + SOLVED_BOOST * math.log1p(document.solved))
        found.append(
            Ranked(id=document.id, score=score, relevance=relevance, category_match=match, solved=document.solved)
        )
    found.sort(key=lambda r: (-r.score, r.id))
    return found[:limit]
