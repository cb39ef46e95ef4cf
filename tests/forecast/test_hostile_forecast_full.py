"""Regression tests for the full-mode hostile failures of cxpath.forecast (issue #18, point 3)."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from cxpath.errors import InvalidTypeError
from cxpath.forecast import backtest, forecast_many, ses

Y = np.arange(30.0)


@pytest.mark.parametrize("level", [None, "", np.array([])])
def test_band_level_not_a_number(level):
    with pytest.raises(InvalidTypeError, match=r"'level' parameter of Forecast\.band must be a "
                       r"real number\. Got "):
        ses(Y, 3).band(level)


def test_band_level_still_found():
    lo, hi = ses(Y, 3).band(80)
    assert lo.shape == hi.shape == (3,)
    assert (lo < hi).all()


def test_forecast_many_method_not_a_forecaster():
    with pytest.raises(InvalidTypeError, match=r"'method' parameter of forecast\.forecast_many "
                       r"must be a method name or a callable taking \(y, h, \*, level, "
                       r"series_id\)\. Got <built-in function len>, which cannot be called so"):
        forecast_many({"a": Y}, 3, method=len)


def test_backtest_methods_not_a_forecaster():
    with pytest.raises(InvalidTypeError, match=r"'methods' parameter of forecast\.backtest must "
                       r"be a method name or a callable taking \(y, h, \*, level, series_id\)"):
        backtest(Y, 3, methods=[len])


def test_forecast_many_callable_method_still_called():
    out = forecast_many({"a": Y}, 2, method=lambda y, h, level, series_id: ses(
        y, h, level=level, series_id=series_id))
    assert len(out) == 1


def test_forecast_many_ragged_series():
    with pytest.raises(InvalidTypeError, match=r"'series' parameter of forecast\.forecast_many "
                       r"must be array-like\. Got an object numpy cannot read"):
        forecast_many([[1, 2], [3]], 3)


def test_ses_peak_memory_per_step():
    # tracemalloc peak of ses(h=10**6, two levels): 72 B/step before normal_bands reused its
    # (k, h) temporary, 56 B/step after (mean 8 + se 8 + lower 16 + upper 16 + 8 for z*se
    # rows); BYTES_PER_STEP (128) must stay above it so the guard fires before the sandbox
    # limit (31,155,175 steps needed 2.1 GiB before, 1.6 GiB now).
    from cxpath.forecast._base import BYTES_PER_STEP

    ses(Y, 1000)  # warm the kernels
    h = 10**6
    tracemalloc.start()
    try:
        ses(Y, h)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak / h < 64
    assert 2 * peak / h <= BYTES_PER_STEP
