"""Interval volume forecasts (话务量预测) and the rolling-origin backtest that chooses a model per queue.

The series is whole days of equal intervals: ``values`` has ``len(days) × per_day`` numbers, day by day in
order. Three models:

* ``seasonal_naive`` — the baseline: each interval repeats the same interval one week earlier (no events).
* ``ets`` — Holt–Winters exponential smoothing (statsmodels, additive damped trend, additive season of one day)
  on the series divided by a **day factor**, multiplied back afterwards.
* ``mstl`` — statsmodels MSTL with a daily and a weekly season; the seasonal components are carried forward a
  cycle at a time and the trend (with remainder) by damped Holt smoothing.

Known events come in as data (the apps read them from ``oversight.businesstime`` / chinese_calendar): public
holidays, and adjusted working days (调休, a Saturday or Sunday that is worked). Every day has a *kind*: a
holiday, an adjusted working day, or its weekday. The day factor of a kind is its mean daily volume over the
training days ÷ the mean over all normal days; a kind absent from the training falls back (holiday → Sunday,
adjusted working day → the mean of Monday–Friday). ETS is fitted on values ÷ the day factor; MSTL, whose weekly
season already knows weekdays, only has event days rescaled to their weekday before fitting and back after.
Forecasts are never negative.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from oversight.ccmath import accuracy as acc

__all__ = ["MODELS", "Backtest", "Fold", "backtest", "day_factors", "forecast"]

MODELS = ("seasonal_naive", "ets", "mstl")
HOLIDAY = "holiday"
ADJUSTED = "adjusted_workday"


def _kind(day: date, holidays, adjusted) -> str | int:
    if day in holidays:
        return HOLIDAY
    if day in adjusted:
        return ADJUSTED
    return day.weekday()


def _check(values, days, per_day):
    x = np.asarray(values, dtype=float)
    if per_day < 1:
        raise ValueError("a day needs at least one interval")
    if x.size != len(days) * per_day:
        raise ValueError(f"{x.size} values do not make {len(days)} whole days of {per_day} intervals")
    if not np.all(np.isfinite(x)) or np.any(x < 0):
        raise ValueError("volumes must be finite and ≥ 0")
    return x


def day_factors(values, days: Sequence[date], per_day: int, holidays=(), adjusted=()) -> dict:
    """The factor of each day kind (weekday 0–6, "holiday", "adjusted_workday") from the training series."""
    x = _check(values, days, per_day)
    holidays, adjusted = set(holidays), set(adjusted)
    totals = x.reshape(len(days), per_day).sum(axis=1)
    kinds = [_kind(d, holidays, adjusted) for d in days]
    normal = [t for t, k in zip(totals, kinds, strict=True) if isinstance(k, int)]
    base = float(np.mean(normal)) if normal and np.mean(normal) > 0 else float(np.mean(totals) or 1.0)
    factors: dict = {}
    for kind in [*range(7), HOLIDAY, ADJUSTED]:
        chosen = [t for t, k in zip(totals, kinds, strict=True) if k == kind]
        if chosen:
            factors[kind] = max(float(np.mean(chosen)) / base, 1e-6)
    for wd in range(7):
        factors.setdefault(wd, 1.0)
    factors.setdefault(HOLIDAY, factors[6])
    factors.setdefault(ADJUSTED, float(np.mean([factors[wd] for wd in range(5)])))
    return factors


def _seasonal_naive(x, per_day, horizon):
    season = 7 * per_day
    if x.size < season:
        raise ValueError("the seasonal naive forecast needs at least one week of history")
    last = x[-season:]
    return np.resize(last, horizon)


def _ets(x, per_day, horizon, hist_f, fut_f):
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    if x.size < 2 * per_day:
        raise ValueError("exponential smoothing needs at least two days of history")
    scaled = x / hist_f
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = ExponentialSmoothing(
            scaled,
            trend="add",
            damped_trend=True,
            seasonal="add" if per_day > 1 else None,
            seasonal_periods=per_day if per_day > 1 else None,
            initialization_method="estimated",
        ).fit()
        out = np.asarray(fit.forecast(horizon))
    return out * fut_f, {"alpha": float(fit.params["smoothing_level"])}


def _mstl(x, per_day, horizon, hist_f, fut_f):
    from statsmodels.tsa.holtwinters import ExponentialSmoothing
    from statsmodels.tsa.seasonal import MSTL

    week = 7 * per_day
    if x.size < 2 * week:
        raise ValueError("the multi-seasonal model needs at least two weeks of history")
    scaled = x / hist_f
    periods = (per_day, week) if per_day > 1 else (week,)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = MSTL(scaled, periods=periods).fit()
        seasonal = np.asarray(res.seasonal).reshape(x.size, -1)
        future = np.zeros(horizon)
        for i, period in enumerate(periods):
            future += np.resize(seasonal[-period:, i], horizon)
        rest = np.asarray(res.trend) + np.asarray(res.resid)
        trend = ExponentialSmoothing(rest, trend="add", damped_trend=True, initialization_method="estimated").fit()
        future += np.asarray(trend.forecast(horizon))
    return future * fut_f, {"periods": list(periods)}


def forecast(
    model: str,
    values,
    days: Sequence[date],
    per_day: int,
    future_days: Sequence[date],
    holidays: Iterable[date] = (),
    adjusted: Iterable[date] = (),
    max_training_days: int = 56,
) -> tuple[np.ndarray, dict]:
    """(forecast for ``future_days`` × ``per_day`` intervals, parameters used) by ``model``.

    Only the last ``max_training_days`` days of history are used (the training window)."""
    if model not in MODELS:
        raise ValueError(f"unknown forecast model {model!r}")
    if not future_days:
        raise ValueError("nothing to forecast")
    x = _check(values, days, per_day)
    days = list(days)
    if len(days) > max_training_days:
        x = x[-max_training_days * per_day :]
        days = days[-max_training_days:]
    holidays, adjusted = set(holidays), set(adjusted)
    horizon = len(future_days) * per_day
    params: dict = {"training_days": len(days), "training_from": days[0].isoformat(), "to": days[-1].isoformat()}
    if model == "seasonal_naive":
        out = _seasonal_naive(x, per_day, horizon)
        return np.maximum(out, 0.0), {**params, "season": 7 * per_day}
    factors = day_factors(x, days, per_day, holidays, adjusted)
    if model == "ets":
        hist = np.repeat([factors[_kind(d, holidays, adjusted)] for d in days], per_day)
        fut = np.repeat([factors[_kind(d, holidays, adjusted)] for d in future_days], per_day)
    else:  # mstl: the weekly season knows weekdays; only event days are rescaled to their weekday.
        hist = np.repeat(
            [factors[_kind(d, holidays, adjusted)] / factors[d.weekday()] for d in days],
            per_day,
        )
        fut = np.repeat(
            [factors[_kind(d, holidays, adjusted)] / factors[d.weekday()] for d in future_days],
            per_day,
        )
    runner = _ets if model == "ets" else _mstl
    out, extra = runner(x, per_day, horizon, hist, fut)
    factors_out = {str(k): round(v, 4) for k, v in factors.items()}
    return np.maximum(out, 0.0), {**params, **extra, "day_factors": factors_out}


@dataclass(frozen=True)
class Fold:
    """One origin of the backtest: the model, where training ended, and the hold-out's accuracy."""

    model: str
    origin: date
    wape: float | None
    smape: float
    mase: float | None


@dataclass(frozen=True)
class Backtest:
    """Rolling-origin backtest: the folds, each model's mean WAPE, and the chosen model (lowest mean WAPE)."""

    folds: list[Fold] = field(default_factory=list)
    mean_wape: dict = field(default_factory=dict)
    chosen: str | None = None


def backtest(
    values,
    days: Sequence[date],
    per_day: int,
    holidays: Iterable[date] = (),
    adjusted: Iterable[date] = (),
    models: Sequence[str] = MODELS,
    horizon_days: int = 7,
    origins: int = 3,
    max_training_days: int = 56,
) -> Backtest:
    """Fit each model at ``origins`` successive origins, each ``horizon_days`` apart and ending at the last day,
    forecast the next ``horizon_days`` and score the hold-out (MASE scaled on the training with a weekly
    season). A model that cannot be fitted at an origin (too little history) is left out of that origin."""
    x = _check(values, days, per_day)
    days = list(days)
    holidays, adjusted = set(holidays), set(adjusted)
    if len(days) < horizon_days * origins + 7:
        raise ValueError("too little history for this backtest: fewer days than the folds need")
    folds: list[Fold] = []
    for k in range(origins, 0, -1):
        cut = len(days) - k * horizon_days
        train_x, train_days = x[: cut * per_day], days[:cut]
        test_days = days[cut : cut + horizon_days]
        actual = x[cut * per_day : (cut + len(test_days)) * per_day]
        for model in models:
            try:
                predicted, _params = forecast(
                    model, train_x, train_days, per_day, test_days, holidays, adjusted, max_training_days
                )
            except ValueError:
                continue
            scores = acc.accuracy(actual, predicted, training=train_x, season=7 * per_day)
            folds.append(Fold(model, days[cut - 1], scores.wape, scores.smape, scores.mase))
    mean_wape = {}
    for model in models:
        values_w = [f.wape for f in folds if f.model == model and f.wape is not None]
        if values_w:
            mean_wape[model] = float(np.mean(values_w))
    chosen = min(mean_wape, key=mean_wape.get) if mean_wape else None
    return Backtest(folds, mean_wape, chosen)
