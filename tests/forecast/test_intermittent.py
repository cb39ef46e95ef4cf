"""Intermittent demand against statsforecast 2.x, computed live (same data, same run)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath.errors import DataError, InvalidParameterError
from cxpath.forecast import adida, croston, imapa, tsb

sf = pytest.importorskip("statsforecast.models")


def series(seed, n=80, p=0.3):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < p) * rng.poisson(3, n).astype(float)
    y[3] = 2.0
    return y


@pytest.mark.parametrize("seed", range(8))
def test_parity_with_statsforecast(seed):
    y = series(seed, n=40 + 10 * seed, p=0.15 + 0.05 * seed)
    pairs = [
        (croston(y, 4), sf.CrostonClassic()),
        (croston(y, 4, variant="sba"), sf.CrostonSBA()),
        (croston(y, 4, variant="optimized"), sf.CrostonOptimized()),
        (tsb(y, 4, alpha_d=0.2, alpha_p=0.15), sf.TSB(alpha_d=0.2, alpha_p=0.15)),
        (adida(y, 4), sf.ADIDA()),
        (imapa(y, 4), sf.IMAPA()),
    ]
    for ours, theirs in pairs:
        want = theirs.forecast(y, h=4)["mean"]
        # statsforecast 2.1 CrostonClassic/SBA/Optimized/TSB/ADIDA/IMAPA: same recursions
        assert np.max(np.abs(ours.mean - want)) <= 1e-12, ours.model


def test_fitted_values_are_prefix_forecasts():
    y = series(1)
    f = croston(y, 2)
    # CrostonClassic fitted values of statsforecast (in-sample one-step forecasts)
    want = sf.CrostonClassic().forecast(y, h=2, fitted=True)["fitted"]
    ok = np.isfinite(want) & np.isfinite(f.fitted) & (np.cumsum(y > 0) > 0)
    assert np.allclose(f.fitted[ok][5:], want[ok][5:])


def test_empirical_intervals_cover_and_nest():
    y = series(2, n=150)
    f = tsb(y, 6, level=[50, 80, 95])
    assert f.interval_method.startswith("empirical")
    assert np.all(f.lower[2] <= f.lower[1]) and np.all(f.lower[1] <= f.lower[0])
    assert np.all(f.upper[0] <= f.upper[1]) and np.all(f.upper[1] <= f.upper[2])
    assert np.all(f.lower >= 0)
    # the 95% band covers roughly 95% of the history it was calibrated on
    inside = np.mean((y[1:] >= f.lower[2, 0]) & (y[1:] <= f.upper[2, 0]))
    assert inside > 0.85


@settings(max_examples=50, deadline=None)
@given(y=st.lists(st.integers(0, 9), min_size=1, max_size=40), h=st.integers(1, 8))
def test_finite_right_length_nested(y, h):
    for f in (croston(y, h), croston(y, h, variant="sba"), croston(y, h, variant="optimized"),
              tsb(y, h), adida(y, h), imapa(y, h)):
        assert f.mean.shape == (h,) and np.all(np.isfinite(f.mean)) and np.all(f.mean >= 0)
        assert np.all(np.isfinite(f.lower)) and np.all(np.isfinite(f.upper))
        assert np.all(f.lower[1] <= f.lower[0]) and np.all(f.upper[0] <= f.upper[1])


def test_all_zero_series():
    for f in (croston(np.zeros(12), 3), tsb(np.zeros(12), 3), adida(np.zeros(12), 3),
              imapa(np.zeros(12), 3)):
        assert f.mean.tolist() == [0.0] * 3 and np.all(f.upper == 0)


def test_bad_inputs():
    with pytest.raises(DataError, match=r"non-negative"):
        croston([1.0, -1.0, 0.0], 2)
    with pytest.raises(DataError, match=r"series 'P9'"):
        tsb([1.0, np.nan], 2, series_id="P9")
    with pytest.raises(InvalidParameterError, match=r"'variant' parameter of forecast.croston"):
        croston([1.0, 0.0], 2, variant="fast")
    with pytest.raises(InvalidParameterError, match=r"'alpha_p' parameter of forecast.tsb"):
        tsb([1.0, 0.0], 2, alpha_p=0.0)
    with pytest.raises(InvalidParameterError, match=r"'h' parameter of forecast.adida"):
        adida([1.0, 0.0], 0)
    with pytest.raises(DataError, match=r"forecast.imapa"):
        imapa([], 2)


# ------------------------------------------------ the numpy paths against the kernels (#19)

demand = st.lists(st.one_of(st.just(0.0), st.floats(0.01, 50.0), st.integers(1, 9).map(float)),
                  min_size=1, max_size=90)


@settings(max_examples=200, deadline=None)
@given(y=demand, method=st.sampled_from([1, 3, 4]), cut=st.floats(0.0, 1.0))
def test_numpy_rolling_equals_the_kernel_bit_for_bit(y, method, cut):
    # optimised Croston, ADIDA, IMAPA from every prefix y[:t], t >= start: the numpy path
    # (numpy + golden_ses) against the whole intermittent_rolling kernel
    from cxpath._kernels import forecast as k
    from cxpath.forecast.intermittent import _rolling

    y = np.array(y)
    start = 1 + int(cut * (y.size - 1))
    want = k.intermittent_rolling(y, method, 0.1, 0.3, start)
    got = _rolling(y, method, 0.1, 0.3, start)
    assert np.array_equal(got, want)


@pytest.mark.parametrize("method", [3, 4])
def test_rolling_beyond_the_size_rule_is_the_kernel(method):
    # a demand every ~20 periods aggregates over more than SMALL_ROLLING_LEVEL periods
    from cxpath._kernels import forecast as k
    from cxpath.forecast import intermittent

    y = np.zeros(120)
    y[::20] = 3.0
    assert np.rint(101 / 6) > intermittent.SMALL_ROLLING_LEVEL  # y[:t], t > 100
    assert np.array_equal(intermittent._rolling(y, method, 0.0, 0.0, 1),
                          k.intermittent_rolling(y, method, 0.0, 0.0, 1))


@settings(max_examples=100, deadline=None)
@given(y=demand, method=st.sampled_from([0, 2]), a=st.floats(0.01, 1.0),
       b=st.floats(0.01, 1.0))
def test_interpreted_smoothing_prefix_equals_the_kernel_bit_for_bit(y, method, a, b):
    from cxpath._kernels import forecast as k
    from cxpath._kernels._jit import interpreted

    y = np.array(y)
    assert np.array_equal(interpreted(k.smoothing_prefix)(y, method, a, b),
                          k.smoothing_prefix(y, method, a, b))


@pytest.mark.parametrize("seed", range(4))
def test_forecasts_are_the_same_on_both_sides_of_the_size_rules(fresh_kernels, monkeypatch, seed):
    from cxpath.forecast import intermittent

    y = series(seed, n=60 + 20 * seed)
    calls = [lambda: croston(y, 5), lambda: croston(y, 5, variant="optimized"),
             lambda: tsb(y, 5), lambda: adida(y, 5), lambda: imapa(y, 5)]
    small = [f() for f in calls]  # as in a fresh process (fresh_kernels)
    monkeypatch.setattr(intermittent, "SMALL_ROLLING_PERIODS", 0)  # the kernels
    monkeypatch.setattr(intermittent, "SMALL_PREFIX_PERIODS", 0)
    for f, g in zip(small, [f() for f in calls]):
        for got, want in ((f.mean, g.mean), (f.lower, g.lower), (f.upper, g.upper),
                          (f.fitted, g.fitted)):
            assert np.array_equal(got, want, equal_nan=True), f.model
