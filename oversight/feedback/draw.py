"""The quarterly prize draw among raters (抽奖): reproducible, verifiable by anyone (pure Python, no Django).

How it works
------------
Each distinct participant id gets the ticket ``SHA-256(seed + ":" + id)`` (UTF-8, hex digest);
participants are ranked by ticket (ties - practically impossible - by id) and the first ``k``
win. Duplicated ids count once; with ``k`` at or above the number of participants everybody wins.

Why it is fair
--------------
* **Unbiased**: SHA-256 behaves like a random function, so for a seed nobody could predict the
  tickets are independent uniform numbers and every ``k``-subset of participants is equally
  likely to be ranked first - each participant wins with probability ``k / n``.
* **Not steerable**: the seed is published *after* the participant list is frozen and *before*
  its value can be known - e.g. the winning numbers of a named future public lottery draw, or a
  value whose hash was published in advance. Publish the list (or :func:`participants_digest`
  of it) first, so nobody can add or drop participants once the seed is known.
* **Order-independent and deterministic**: the result depends only on the set of ids and the
  seed, never on input order, time or machine.

Verify it yourself (Python 3, standard library only)
----------------------------------------------------
::

    import hashlib
    seed, k = "2026Q1-lottery-12-25-33-41-47-08", 3
    ids = sorted(set(open("participants.txt").read().split()))
    ticket = lambda i: hashlib.sha256(f"{seed}:{i}".encode()).hexdigest()
    print(sorted(ids, key=lambda i: (ticket(i), i))[:k])

or with a shell: ``printf '%s' "SEED:ID" | sha256sum`` for each id, sort, take the first ``k``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

__all__ = ["draw_winners", "participants_digest", "rank_participants", "ticket"]


def _distinct(participants: Iterable[str]) -> list[str]:
    """The distinct ids, sorted; every id must be a non-empty string."""
    if isinstance(participants, str):
        raise ValueError("participants must be a sequence of ids, not one string")
    ids = set()
    for p in participants:
        if not isinstance(p, str) or not p or "\n" in p or not _encodable(p):
            raise ValueError(f"participant ids must be non-empty UTF-8 strings without line breaks, got {p!r}")
        ids.add(p)
    return sorted(ids)


def _encodable(text: str) -> bool:
    """Whether the text can be written as UTF-8 (lone surrogates cannot), so anyone can re-run the draw."""
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def _check_seed(seed: str) -> None:
    if not isinstance(seed, str) or not seed.strip() or not _encodable(seed):
        raise ValueError("the seed must be a non-empty UTF-8 string published before the draw")


def ticket(seed: str, participant: str) -> str:
    """A participant's ticket for this seed: ``SHA-256(seed + ":" + id)`` as lowercase hex."""
    _check_seed(seed)
    return hashlib.sha256(f"{seed}:{participant}".encode()).hexdigest()


def rank_participants(participants: Sequence[str], seed: str) -> list[tuple[str, str]]:
    """Every distinct participant with its ticket, in draw order (the full, auditable ranking)."""
    _check_seed(seed)
    ranked = [(ticket(seed, p), p) for p in _distinct(participants)]
    ranked.sort()
    return [(p, t) for t, p in ranked]


def draw_winners(participants: Sequence[str], seed: str, k: int) -> list[str]:
    """The ``k`` winners (in draw order) among the distinct ``participants`` for ``seed``; all of them if ``k >= n``."""
    if isinstance(k, bool) or not isinstance(k, int) or k < 0:
        raise ValueError(f"k must be a whole number >= 0, got {k!r}")
    return [p for p, _ in rank_participants(participants, seed)[:k]]


def participants_digest(participants: Sequence[str]) -> str:
    """SHA-256 of the distinct sorted ids joined by newlines: publish it before the seed to freeze the list."""
    return hashlib.sha256("\n".join(_distinct(participants)).encode()).hexdigest()
