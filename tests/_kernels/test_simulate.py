"""ETS sample paths in numpy (cxpath.forecast._simulate) against the loop of the former
ets_simulate kernel (tests/_kernels/ets_reference.py)."""

import numpy as np
from ets_reference import simulate_reference
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath.forecast._simulate import simulate_paths


def _state(draw, m, trend, season):
    level = draw(st.floats(1.0, 100.0))
    slope = [draw(st.floats(0.9, 1.1) if trend == 2 else st.floats(-2.0, 2.0))] if trend else []
    if season == 2:
        seas = [draw(st.floats(0.7, 1.3)) for _ in range(m)]
    else:
        seas = [draw(st.floats(-5.0, 5.0)) for _ in range(m if season else 0)]
    return np.array([level, *slope, *seas])


@st.composite
def models(draw):
    error, trend, season = draw(st.integers(1, 2)), draw(st.integers(0, 2)), draw(
        st.integers(0, 2))
    m = draw(st.integers(1, 7)) if season else 1
    alpha = draw(st.floats(0.01, 0.99))
    beta = draw(st.floats(0.0, alpha))
    gamma = draw(st.floats(0.0, 1.0 - alpha))
    phi = draw(st.sampled_from([1.0, 0.8, 0.95]))
    sigma = draw(st.floats(0.001, 0.2) if error == 2 else st.floats(0.0, 5.0))
    return (_state(draw, m, trend, season), m, error, trend, season, alpha, beta, gamma, phi,
            sigma)


@settings(max_examples=150, deadline=None)
@given(model=models(), h=st.integers(1, 30), npaths=st.integers(1, 40),
       seed=st.integers(0, 2**32 - 1))
def test_numpy_paths_equal_the_loop_bit_for_bit(model, h, npaths, seed):
    # every component combination, damped or not: the same draws and the same operations
    want = simulate_reference(*model, h, npaths, seed)
    got = simulate_paths(*model, h, npaths, seed)
    assert got.shape == (npaths, h)
    if model[3] == 2 and model[8] != 1.0:
        # the damped multiplicative trend's slope ** phi: numpy's vectorised np.power (SIMD
        # on this machine's numpy 2.4) may differ from libm's scalar pow in the last bit, as
        # _simulate's docstring says; everything else is bit for bit. Relative to the paths'
        # scale: an additive error can bring a value near zero by cancellation, where a
        # last-bit difference of the terms is a large relative one (level 1, slope 0.902,
        # phi 0.8: 7.8e-16 apart at -0.0016). And the recursion carries a last-bit difference
        # forward, growing with the path: a multiplicative error on a rising multiplicative
        # trend took one from 1e-15 to 2.0e-13 relative in its last 3 of 22 steps (slope
        # 0.902, phi 0.95, seed 174), so 1e-11: far below any modelling difference
        assert np.array_equal(np.isnan(got), np.isnan(want))
        scale = np.nanmax(np.abs(want), initial=0.0)
        assert np.allclose(got, want, rtol=1e-11, atol=1e-11 * scale, equal_nan=True)
    else:
        assert np.array_equal(got, want, equal_nan=True)


def test_the_draws_are_numpys_legacy_normals_in_path_order():
    # ETS(A,N,N) with alpha = 0: every value is the level plus sigma times a draw
    paths = simulate_paths(np.array([5.0]), 1, 1, 0, 0, 0.0, 0.0, 0.0, 1.0, 2.0, 4, 3, 11)
    want = 5.0 + np.random.RandomState(11).standard_normal((3, 4)) * 2.0
    assert np.array_equal(paths, want)


def test_holt_without_noise_is_the_straight_line():
    # ETS(A,A,N), sigma = 0: y_{t+i} = l + (i + 1) b on every path (textbook recursion)
    paths = simulate_paths(np.array([10.0, 0.5]), 1, 1, 1, 0, 0.3, 0.1, 0.0, 1.0, 0.0, 5, 2, 0)
    assert np.allclose(paths, 10.0 + 0.5 * np.arange(1, 6), rtol=0, atol=1e-12)
