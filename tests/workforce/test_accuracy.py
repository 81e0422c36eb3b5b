"""Accuracy measures against values worked out by hand."""

import pytest

from oversight.ccmath import accuracy as acc

ACTUAL = [100, 50, 0, 50]
FORECAST = [90, 60, 10, 40]


def test_wape_and_accuracy_by_hand():
    # |errors| = 10 + 10 + 10 + 10 = 40; Σ actual = 200 → WAPE 0.2, accuracy 0.8
    assert acc.wape(ACTUAL, FORECAST) == pytest.approx(0.2)
    assert acc.accuracy(ACTUAL, FORECAST).accuracy == pytest.approx(0.8)


def test_bias_by_hand():
    # Σ(f − y) = −10 + 10 + 10 − 10 = 0; a forecast 10 % high everywhere has bias +0.1
    assert acc.bias(ACTUAL, FORECAST) == pytest.approx(0.0)
    assert acc.bias([100, 200], [110, 220]) == pytest.approx(0.1)


def test_mape_skips_zero_actuals():
    # Over the three non-zero actuals: (0.1 + 0.2 + 0.2) / 3
    value, used = acc.mape(ACTUAL, FORECAST)
    assert used == 3
    assert value == pytest.approx(0.5 / 3)
    assert acc.mape([0, 0], [1, 2]) == (None, 0)


def test_smape_by_hand():
    # 2·10/190, 2·10/110, 2·10/10, 2·10/90 averaged
    expected = (20 / 190 + 20 / 110 + 2 + 20 / 90) / 4
    assert acc.smape(ACTUAL, FORECAST) == pytest.approx(expected)
    assert acc.smape([0, 10], [0, 10]) == 0.0


def test_mase_uses_the_training_seasonal_naive_scale():
    training = [10, 20, 12, 24, 14, 28]  # season 2: |12−10|, |24−20|, |14−12|, |28−24| → mean 3
    # MAE of the hold-out: (|30−27| + |15−18|) / 2 = 3 → MASE 1
    assert acc.mase([30, 15], [27, 18], training, season=2) == pytest.approx(1.0)
    assert acc.mase([30], [27], [1, 2], season=2) is None
    assert acc.mase([30], [27], [5, 5, 5, 5], season=2) is None


def test_bad_input():
    with pytest.raises(ValueError, match="differ in length"):
        acc.wape([1, 2], [1])
    with pytest.raises(ValueError, match="zero"):
        acc.wape([0, 0], [1, 1])
    result = acc.accuracy([0, 0], [1, 1])
    assert result.wape is None and result.accuracy is None
