"""Accuracy metrics against their textbook definitions (FPP3 5.8, Hyndman & Koehler 2006)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath.errors import DataError, InvalidParameterError
from cxpath.forecast import coverage, mae, mase, pinball, rmse, smape, wape

A = np.array([10.0, 12.0, 9.0, 15.0])
F = np.array([11.0, 10.0, 9.0, 12.0])


def test_values_by_hand():
    assert mae(A, F) == pytest.approx((1 + 2 + 0 + 3) / 4)
    assert rmse(A, F) == pytest.approx(np.sqrt((1 + 4 + 0 + 9) / 4))
    assert wape(A, F) == pytest.approx(6 / 46)
    assert smape(A, F) == pytest.approx(np.mean([200 * 1 / 21, 200 * 2 / 22, 0, 200 * 3 / 27]))
    # seasonal scale m = 2: mean |y_t - y_{t-2}| of the training data
    train = np.array([1.0, 2.0, 4.0, 3.0, 6.0])
    assert mase(A, F, train, m=2) == pytest.approx(1.5 / np.mean([3.0, 1.0, 2.0]))
    # Koenker pinball: q (y - f) when y >= f else (1 - q)(f - y)
    assert pinball(A, F, 0.8) == pytest.approx(np.mean([0.2 * 1, 0.8 * 2, 0, 0.8 * 3]))
    assert coverage(A, F - 1, F + 1) == pytest.approx(0.5)


def test_sklearn_agrees_on_mae_rmse_pinball():
    skm = pytest.importorskip("sklearn.metrics")
    assert mae(A, F) == pytest.approx(skm.mean_absolute_error(A, F))
    assert rmse(A, F) == pytest.approx(np.sqrt(skm.mean_squared_error(A, F)))
    assert pinball(A, F, 0.3) == pytest.approx(skm.mean_pinball_loss(A, F, alpha=0.3))


@settings(max_examples=60, deadline=None)
@given(a=st.lists(st.floats(0, 100), min_size=1, max_size=20))
def test_perfect_forecast_scores_zero(a):
    a = np.array(a)
    assert mae(a, a) == 0 and rmse(a, a) == 0 and smape(a, a) == 0 and wape(a, a) == 0
    assert pinball(a, a, 0.5) == 0 and coverage(a, a, a) == 1


def test_degenerate_scales():
    assert wape([0.0, 0.0], [1.0, 0.0]) == np.inf
    assert mase([1.0], [2.0], [3.0, 3.0, 3.0]) == np.inf
    assert smape([0.0], [0.0]) == 0.0


def test_bad_inputs():
    with pytest.raises(DataError, match=r"same length"):
        mae([1.0, 2.0], [1.0])
    with pytest.raises(DataError, match=r"free of NaN"):
        rmse([np.nan], [1.0])
    with pytest.raises(DataError, match=r"longer than m"):
        mase([1.0], [1.0], [1.0, 2.0], m=2)
    with pytest.raises(InvalidParameterError, match=r"'q' parameter of forecast.pinball"):
        pinball([1.0], [1.0], 1.0)
    with pytest.raises(DataError, match=r"'forecast' parameter of forecast.smape"):
        smape([1.0], ["a"])
    with pytest.raises(DataError, match=r"forecast.wape"):
        wape([], [])
    with pytest.raises(DataError, match=r"'upper' parameter of forecast.coverage"):
        coverage([1.0], [0.0], [1.0, 2.0])
