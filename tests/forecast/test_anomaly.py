"""Early-warning flags outside the forecast band."""

import numpy as np
import pytest

from cxpath.errors import DataError, InvalidParameterError
from cxpath.forecast import flag_outside, naive, seasonal_naive


def test_excursion_sizes():
    f = naive([10.0, 12.0, 11.0, 13.0, 12.0], 4, level=[80, 95])
    lo, hi = f.band(95)
    actual = np.array([hi[0] + 2.0, 12.0, lo[2] - 1.0])
    ex = flag_outside(actual, f, level=95)
    assert ex.outside.tolist() == [True, False, True]
    assert ex.excursion == pytest.approx([2.0, 0.0, -1.0])
    half = (hi - lo) / 2
    assert ex.score == pytest.approx([2.0 / half[0], 0.0, -1.0 / half[2]])
    assert ex.n_outside == 2
    assert list(ex.to_frame("dict"))[:3] == ["step", "actual", "mean"]


def test_zero_width_band():
    f = seasonal_naive(np.ones(8), 2, 2)
    ex = flag_outside([1.0, 2.0], f)
    assert ex.outside.tolist() == [False, True] and ex.score[1] == np.inf


def test_bad_inputs():
    f = naive([1.0, 2.0, 3.0], 2)
    with pytest.raises(InvalidParameterError, match=r"'forecast' parameter"):
        flag_outside([1.0], {"mean": 1})
    with pytest.raises(DataError, match=r"at most as long as the forecast horizon"):
        flag_outside([1.0, 2.0, 3.0], f)
    with pytest.raises(InvalidParameterError, match=r"one of the forecast's levels"):
        flag_outside([1.0], f, level=90)
