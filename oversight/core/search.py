"""The global search (全局搜索): an open registry of searchable kinds, filled by the apps that own the data.

Each app registers a :class:`SearchKind` from its ``AppConfig.ready()``: a key, a translated label and a function
``find(user=..., text=..., limit=...)`` that returns at most ``limit`` :class:`SearchHit` rows read through the
app's own selectors, so the visibility gate (``restrict(qs, user, "view")``) decides what a user may find. The
search page (``/search/``) asks every kind and shows the hits grouped by kind. Core knows no app: it holds only
the registry, the cleaning of the text and the bound on the results.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise

# At most this many hits per kind (one more is fetched to say that there are more).
LIMIT_PER_KIND = 20
# Longer text is cut: nobody types more, and it bounds the LIKE patterns.
MAX_TEXT = 100
MIN_TEXT = 1

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class SearchHit:
    """One result: what it is called, where it opens, and a line of detail."""

    title: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class SearchKind:
    """One kind of object the global search finds (its order among the groups, its label, its finder)."""

    key: str
    label: str | Promise
    find: Callable[..., list[SearchHit]]
    order: int = 100


@dataclass
class SearchGroup:
    """The hits of one kind for one search; `more` when the kind had more than the page shows."""

    kind: SearchKind
    hits: list[SearchHit] = field(default_factory=list)
    more: bool = False


_kinds: dict[str, SearchKind] = {}


def register(kind: SearchKind) -> SearchKind:
    """Add a kind (a second registration of the same key replaces the first: `ready()` may run twice)."""
    _kinds[kind.key] = kind
    return kind


def kinds() -> list[SearchKind]:
    """The registered kinds in their display order."""
    return sorted(_kinds.values(), key=lambda kind: (kind.order, kind.key))


def clean_text(raw: str | None) -> str:
    """The search text without control characters (NUL breaks PostgreSQL), squeezed and cut to MAX_TEXT."""
    text = _CONTROL.sub(" ", raw or "")
    text = " ".join(text.split())
    return text[:MAX_TEXT]


def search(*, user, text: str, limit: int = LIMIT_PER_KIND) -> list[SearchGroup]:
    """Every kind's hits for `text` as `user` may see them; empty when the text is too short."""
    text = clean_text(text)
    if len(text) < MIN_TEXT or user is None or not user.is_authenticated:
        return []
    groups = []
    for kind in kinds():
        hits = list(kind.find(user=user, text=text, limit=limit + 1))
        if hits:
            groups.append(SearchGroup(kind=kind, hits=hits[:limit], more=len(hits) > limit))
    return groups
