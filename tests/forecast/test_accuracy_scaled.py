"""RMSSE and the scaled pinball loss (#19 point 5) against the M5 competitors' guide's
formulas written out here."""

from __future__ import annotations

import numpy as np
import pytest

from cxpath.errors import DataError, InvalidParameterError
from cxpath.forecast import mase, pinball, rmsse, scaled_pinball

A = np.array([10.0, 12.0, 9.0, 15.0])
F = np.array([11.0, 10.0, 9.0, 12.0])
TRAIN = np.array([1.0, 2.0, 4.0, 3.0, 6.0])


def test_rmsse_is_the_m5_formula():
    # M5 guide: RMSSE = sqrt( (1/h) sum (Y_t - F_t)^2 / (1/(n-1)) sum (Y_t - Y_{t-1})^2 )
    num = np.mean((A - F) ** 2)  # (1 + 4 + 0 + 9) / 4 = 3.5
    den = np.mean(np.diff(TRAIN) ** 2)  # (1 + 4 + 1 + 9) / 4 = 3.75
    assert rmsse(A, F, TRAIN) == pytest.approx(np.sqrt(3.5 / 3.75))
    # the seasonal version: differences at lag m = 2 (3, 1, 2) -> mean square 14 / 3
    assert rmsse(A, F, TRAIN, m=2) == pytest.approx(np.sqrt(num / (14.0 / 3.0)))
    assert den == 3.75


def test_rmsse_constant_history():
    assert rmsse([1.0, 2.0], [1.0, 2.0], [5.0, 5.0, 5.0]) == 0.0
    assert rmsse([1.0, 2.0], [1.0, 3.0], [5.0, 5.0, 5.0]) == float("inf")


def test_scaled_pinball_is_mean_pinball_over_quantiles_over_mase_scale():
    qs = [0.1, 0.5, 0.9]
    fq = np.vstack([F - 2, F, F + 2])
    scale = np.mean(np.abs(TRAIN[2:] - TRAIN[:-2]))  # seasonal naive MAE, m = 2: 2.0
    direct = np.mean([np.mean(np.maximum(q * (A - f), (q - 1) * (A - f)))
                      for q, f in zip(qs, fq)]) / scale
    assert scaled_pinball(A, fq, qs, TRAIN, m=2) == pytest.approx(direct)
    # one quantile: the pinball loss over the MASE denominator (MASE's own scale)
    one = scaled_pinball(A, F, 0.5, TRAIN)
    assert one == pytest.approx(pinball(A, F, 0.5) / np.mean(np.abs(np.diff(TRAIN))))
    # at the median the pinball loss is half the absolute error: half of MASE
    assert one == pytest.approx(mase(A, F, TRAIN) / 2)


def test_docstring_value_by_hand():
    # q=0.1 row [8, 9] vs 10: 0.1*2, 0.1*1 -> mean 0.15; q=0.9 row [12, 11]: 0.1*2, 0.1*1
    # -> 0.15; mean 0.15, scale mean|diff [1,2,3,4]| = 1
    assert scaled_pinball([10.0, 10.0], [[8.0, 9.0], [12.0, 11.0]], [0.1, 0.9],
                          [1.0, 2.0, 3.0, 4.0]) == pytest.approx(0.15)


def test_bad_inputs():
    with pytest.raises(DataError, match=r"'insample' parameter of forecast.rmsse must be "
                                        r"longer than m \(4\)"):
        rmsse(A, F, TRAIN[:4], m=4)
    with pytest.raises(DataError, match=r"'actual' parameter of forecast.rmsse"):
        rmsse([1.0, np.nan], [1.0, 2.0], TRAIN)
    with pytest.raises(DataError, match=r"same length"):
        rmsse(A, F[:3], TRAIN)
    with pytest.raises(InvalidParameterError, match=r"'m' parameter of forecast.rmsse"):
        rmsse(A, F, TRAIN, m=0)
    with pytest.raises(InvalidParameterError, match=r"'q' parameter of "
                       r"forecast.scaled_pinball must be quantiles in \(0, 1\). Got 1 instead"):
        scaled_pinball(A, F, 1.0, TRAIN)
    with pytest.raises(DataError, match=r"'quantile_forecasts' parameter of "
                                        r"forecast.scaled_pinball must be an array of shape "
                                        r"\(2, 4\)"):
        scaled_pinball(A, F, [0.1, 0.9], TRAIN)
    with pytest.raises(DataError, match=r"'quantile_forecasts' parameter"):
        scaled_pinball(A, [1.0, 2.0, np.inf, 3.0], 0.5, TRAIN)
    with pytest.raises(DataError, match=r"'insample' parameter of forecast.scaled_pinball"):
        scaled_pinball(A, F, 0.5, [1.0])
