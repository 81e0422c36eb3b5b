"""Forecast models on small synthetic interval series whose shape is known, the day factors by hand, and the
rolling-origin backtest's model choice."""

from datetime import date, timedelta

import numpy as np
import pytest

from oversight.ccmath import forecast as fc

PER_DAY = 8
PROFILE = np.array([1, 3, 6, 8, 8, 6, 3, 1], dtype=float)  # intraday shape
WEEKLY = [1.0, 0.95, 0.9, 0.9, 1.1, 0.5, 0.4]  # Monday … Sunday
START = date(2026, 3, 2)  # a Monday


def _series(n_days, holidays=(), adjusted=(), noise=0.0, seed=1):
    rng = np.random.default_rng(seed)
    days = [START + timedelta(days=i) for i in range(n_days)]
    values = []
    for d in days:
        level = 0.2 if d in holidays else 1.0 if d in adjusted else WEEKLY[d.weekday()]
        values.extend(10 * level * PROFILE * (1 + noise * rng.standard_normal(PER_DAY)))
    return np.maximum(np.array(values), 0), days


def test_seasonal_naive_repeats_last_week():
    values, days = _series(14)
    future = [days[-1] + timedelta(days=i) for i in range(1, 9)]
    out, params = fc.forecast("seasonal_naive", values, days, PER_DAY, future)
    assert params["season"] == 7 * PER_DAY
    np.testing.assert_allclose(out[: 7 * PER_DAY], values[-7 * PER_DAY :])
    np.testing.assert_allclose(out[7 * PER_DAY :], values[-7 * PER_DAY : -6 * PER_DAY])


def test_day_factors_by_hand():
    # Two days of 1 interval: a Monday with 10 and a holiday Tuesday with 2 → Monday 1.0, holiday 0.2
    days = [START, START + timedelta(days=1)]
    factors = fc.day_factors([10, 2], days, 1, holidays={days[1]})
    assert factors[0] == pytest.approx(1.0)
    assert factors["holiday"] == pytest.approx(0.2)
    assert factors["adjusted_workday"] == pytest.approx(np.mean([1.0, 1.0, 1.0, 1.0, 1.0]))


@pytest.mark.parametrize("model", ["ets", "mstl"])
def test_models_follow_the_weekly_shape_and_the_events(model):
    holidays = {START + timedelta(days=9), START + timedelta(days=38)}  # Wednesdays
    adjusted = {START + timedelta(days=12), START + timedelta(days=40)}  # Saturdays worked
    values, days = _series(35, holidays, adjusted, noise=0.02)
    future = [START + timedelta(days=35 + i) for i in range(7)]  # a week with one holiday and one adjusted day
    out, params = fc.forecast(model, values, days, PER_DAY, future, holidays, adjusted)
    expected, _ = _series(42, holidays, adjusted)
    expected = expected[35 * PER_DAY :]
    assert out.shape == expected.shape
    assert np.all(out >= 0)
    wape = np.abs(out - expected).sum() / expected.sum()
    assert wape < 0.12, wape
    daily = out.reshape(7, PER_DAY).sum(axis=1)
    # The holiday Wednesday is forecast far below a normal Tuesday, the worked Saturday near a weekday.
    assert daily[3] < 0.4 * daily[1]
    assert daily[5] > 0.8 * daily[0]
    assert params["training_days"] == 35


def test_backtest_chooses_a_model_that_knows_the_events():
    holidays = {START + timedelta(days=d) for d in (9, 30, 37)}
    values, days = _series(42, holidays, noise=0.03)
    result = fc.backtest(values, days, PER_DAY, holidays, models=("seasonal_naive", "ets"), origins=2)
    assert {f.model for f in result.folds} == {"seasonal_naive", "ets"}
    assert len(result.folds) == 4
    # Seasonal naive copies the holiday of day 30 onto day 37's week and misses day 37's holiday: it is worse.
    assert result.mean_wape["seasonal_naive"] > result.mean_wape["ets"]
    assert result.chosen == "ets"


def test_bad_input():
    values, days = _series(7)
    with pytest.raises(ValueError, match="whole days"):
        fc.forecast("ets", values[:-1], days, PER_DAY, [days[-1]])
    with pytest.raises(ValueError, match="unknown"):
        fc.forecast("prophet", values, days, PER_DAY, [days[-1]])
    with pytest.raises(ValueError, match="two weeks"):
        fc.forecast("mstl", values, days, PER_DAY, [days[-1] + timedelta(days=1)])
    with pytest.raises(ValueError, match="too little history"):
        fc.backtest(values, days, PER_DAY)
