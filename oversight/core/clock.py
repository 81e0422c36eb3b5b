"""The one place that reads "now", so tests and simulations can move time."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

_frozen: dt.datetime | None = None


def now() -> dt.datetime:
    """Return the current aware UTC instant (or the frozen one inside `frozen_at`)."""
    if _frozen is not None:
        return _frozen
    return dt.datetime.now(dt.UTC)


@contextlib.contextmanager
def frozen_at(instant: dt.datetime) -> Iterator[None]:
    """Make `now()` return `instant` inside the block (used by the demo generator and tests)."""
    global _frozen
    if instant.tzinfo is None:
        raise ValueError("frozen_at needs an aware datetime")
    previous, _frozen = _frozen, instant.astimezone(dt.UTC)
    try:
        yield
    finally:
        _frozen = previous
