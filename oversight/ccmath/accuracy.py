"""Forecast accuracy (预测准确度) on a hold-out: WAPE, bias, MAPE, sMAPE and MASE, and "accuracy" = 1 − WAPE.

With actuals yᵢ and forecasts ŷᵢ over the same intervals:

* WAPE = Σ|yᵢ − ŷᵢ| ÷ Σyᵢ (undefined when every actual is 0);  accuracy = 1 − WAPE (what users are shown)
* bias = Σ(ŷᵢ − yᵢ) ÷ Σyᵢ (positive: the forecast was too high)
* MAPE = mean(|yᵢ − ŷᵢ| ÷ yᵢ) over the intervals whose actual is **not zero** (zero actuals are skipped, and
  the number used is returned beside it)
* sMAPE = mean(2·|yᵢ − ŷᵢ| ÷ (|yᵢ| + |ŷᵢ|)), an interval where both are 0 counting as 0
* MASE = mean|yᵢ − ŷᵢ| ÷ mean|x_t − x_{t−m}| where x is the **training** series and m the season (one day or
  one week of intervals): the error relative to the in-sample seasonal-naïve forecast.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Accuracy", "accuracy", "bias", "mape", "mase", "smape", "wape"]


def _pair(actual, forecast):
    y = np.asarray(actual, dtype=float)
    f = np.asarray(forecast, dtype=float)
    if y.shape != f.shape:
        raise ValueError(f"actuals and forecasts differ in length ({y.size} vs {f.size})")
    if y.size == 0:
        raise ValueError("no intervals to measure accuracy on")
    if not (np.all(np.isfinite(y)) and np.all(np.isfinite(f))):
        raise ValueError("actuals and forecasts must be finite numbers")
    return y, f


def wape(actual, forecast) -> float:
    """Σ|y − ŷ| ÷ Σy; raises when the actual volume is zero."""
    y, f = _pair(actual, forecast)
    total = y.sum()
    if total <= 0:
        raise ValueError("WAPE is undefined when the actual volume is zero")
    return float(np.abs(y - f).sum() / total)


def bias(actual, forecast) -> float:
    """Σ(ŷ − y) ÷ Σy: over-forecast positive, under-forecast negative."""
    y, f = _pair(actual, forecast)
    total = y.sum()
    if total <= 0:
        raise ValueError("bias is undefined when the actual volume is zero")
    return float((f - y).sum() / total)


def mape(actual, forecast) -> tuple[float | None, int]:
    """(MAPE, intervals used): the mean absolute percentage error over the non-zero actuals only."""
    y, f = _pair(actual, forecast)
    keep = y != 0
    if not keep.any():
        return None, 0
    return float(np.mean(np.abs(y[keep] - f[keep]) / np.abs(y[keep]))), int(keep.sum())


def smape(actual, forecast) -> float:
    """Symmetric MAPE in [0, 2]; an interval where actual and forecast are both 0 counts as a perfect 0."""
    y, f = _pair(actual, forecast)
    denom = np.abs(y) + np.abs(f)
    terms = np.divide(2 * np.abs(y - f), denom, out=np.zeros_like(y), where=denom > 0)
    return float(terms.mean())


def mase(actual, forecast, training, season: int) -> float | None:
    """Mean absolute error scaled by the training series' seasonal-naïve error with season ``season``.

    Returns None when the training series is too short for one season or is exactly periodic (scale 0)."""
    y, f = _pair(actual, forecast)
    x = np.asarray(training, dtype=float)
    if season < 1:
        raise ValueError("the season must be at least one interval")
    if x.size <= season:
        return None
    scale = np.mean(np.abs(x[season:] - x[:-season]))
    if scale == 0:
        return None
    return float(np.mean(np.abs(y - f)) / scale)


@dataclass(frozen=True)
class Accuracy:
    """All measures of one forecast against its actuals."""

    intervals: int
    actual_total: float
    forecast_total: float
    wape: float | None
    accuracy: float | None
    bias: float | None
    mape: float | None
    mape_intervals: int
    smape: float
    mase: float | None


def accuracy(actual, forecast, training=None, season: int | None = None) -> Accuracy:
    """Every measure at once; WAPE, accuracy and bias are None when the actual volume is zero, MASE when no
    training series (or season) is given."""
    y, f = _pair(actual, forecast)
    total = float(y.sum())
    w = wape(y, f) if total > 0 else None
    m, used = mape(y, f)
    return Accuracy(
        intervals=int(y.size),
        actual_total=total,
        forecast_total=float(f.sum()),
        wape=w,
        accuracy=None if w is None else 1 - w,
        bias=bias(y, f) if total > 0 else None,
        mape=m,
        mape_intervals=used,
        smape=smape(y, f),
        mase=mase(y, f, training, season) if training is not None and season else None,
    )
