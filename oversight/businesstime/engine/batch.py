"""Batch: the vectorised (numpy) forms of the queries, on int64 arrays of UTC microseconds."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from oversight.businesstime.engine.compilation import _Block, _get_cache
from oversight.businesstime.engine.specification import SECOND_US, CalendarSpec


def _cum_many(blk: _Block, x: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Vectorised _Block.cum."""
    s_arr, e_arr, p_arr = blk.arrays()
    if s_arr.size == 0:
        return np.zeros_like(x)
    i = np.searchsorted(s_arr, x, side="right") - 1
    ic = np.maximum(i, 0)
    c = p_arr[ic] + np.minimum(x, e_arr[ic]) - s_arr[ic]
    return np.where(i >= 0, c, 0)


def _as_int64(values: Any, what: str) -> npt.NDArray[np.int64]:
    """Coerce to an int64 array, refusing floats (µs must be exact integers)."""
    arr = np.asarray(values)
    if arr.dtype.kind not in "iu" and arr.size:  # an empty list comes out as float64
        raise ValueError(f"{what} must be integer microseconds, got dtype {arr.dtype}")
    return arr.astype(np.int64, copy=False)


def business_microseconds_between_many(spec: CalendarSpec, starts_us: Any, ends_us: Any) -> npt.NDArray[np.int64]:
    """Vectorised business_microseconds_between on int64 µs arrays (element-wise, broadcast)."""
    s, e = np.broadcast_arrays(_as_int64(starts_us, "starts_us"), _as_int64(ends_us, "ends_us"))
    if s.size == 0:
        return np.zeros(s.shape, dtype=np.int64)
    lo = int(min(s.min(), e.min()))
    hi = int(max(s.max(), e.max()))
    if lo == hi:
        return np.zeros(s.shape, dtype=np.int64)
    blk = _get_cache(spec).ensure(lo, hi)
    return _cum_many(blk, e) - _cum_many(blk, s)


def business_seconds_between_many(spec: CalendarSpec, starts_us: Any, ends_us: Any) -> npt.NDArray[np.float64]:
    """Vectorised business_seconds_between on int64 µs arrays; returns float64 seconds."""
    return business_microseconds_between_many(spec, starts_us, ends_us) / SECOND_US


def add_business_many(spec: CalendarSpec, starts_us: Any, amounts_us: Any) -> npt.NDArray[np.int64]:
    """Vectorised add_business_microseconds on int64 µs arrays; returns int64 UTC µs."""
    s, amt = np.broadcast_arrays(_as_int64(starts_us, "starts_us"), _as_int64(amounts_us, "amounts_us"))
    pos = amt > 0
    neg = amt < 0
    any_pos, any_neg = bool(pos.any()), bool(neg.any())
    if not (any_pos or any_neg):
        return s.copy()
    cache = _get_cache(spec)
    if not cache.has_work:
        raise ValueError("calendar has no working time")
    lo = int(s.min()) - (1 if any_neg else 0)
    hi = int(s.max()) + 1
    blk = cache.ensure(lo, hi)
    x = _cum_many(blk, s) + amt
    if any_pos and int(x[pos].max()) > blk.total:
        a_max = int(s[pos].max())
        blk = cache.block_reaching_forward(a_max, blk, int(x[pos].max()) - blk.total)
    if any_neg:
        x = _cum_many(blk, s) + amt
        if int(x[neg].min()) < 0:
            a_min = int(s[neg].min())
            blk = cache.block_reaching_backward(a_min, blk, -int(x[neg].min()))
    x = _cum_many(blk, s) + amt
    s_arr, _, p_arr = blk.arrays()
    n = s_arr.size
    i_fwd = np.clip(np.searchsorted(p_arr, x, side="left") - 1, 0, n - 1)
    i_bwd = np.clip(np.searchsorted(p_arr, x, side="right") - 1, 0, n - 1)
    fwd = s_arr[i_fwd] + x - p_arr[i_fwd]
    bwd = s_arr[i_bwd] + x - p_arr[i_bwd]
    return np.where(pos, fwd, np.where(neg, bwd, s))
