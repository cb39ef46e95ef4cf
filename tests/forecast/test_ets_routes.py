"""The final recursion and point forecasts of an ETS fit run interpreted for small jobs in a
fresh process (#19 point 2: no compile for a millisecond of work).

Reference: the compiled kernels ``ets_calc`` and ``ets_point_forecast`` themselves (today's
kernels). The interpreted route runs the same operations in the same order, so errors,
states, criterion and forecasts must be equal bit for bit, and ``auto_ets`` must give the
same forecast on both routes.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath._kernels import _jit
from cxpath._kernels import forecast as k
from cxpath.forecast import auto_ets, ets

_compiled = pytest.mark.skipif(not hasattr(k.ets_calc, "py_func"),
                               reason="NUMBA_DISABLE_JIT=1: kernels are plain Python already")
# (error, trend, season, damped): every component code, multiplicative trend included
MODELS = [(e, t, s, d) for e in (1, 2) for t in (0, 1, 2) for s in (0, 1, 2)
          for d in (False, True) if not (t == 0 and d)]


def _python(kernel):
    """The route ``by_work`` takes for a small job in a fresh process."""
    return _jit._quiet(_jit._python_tree(kernel))


def _same(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and np.array_equal(a, b, equal_nan=True)


@_compiled
@settings(max_examples=120, deadline=None)
@given(model=st.sampled_from(MODELS), seed=st.integers(0, 2**31 - 1),
       n=st.integers(3, 60), m=st.sampled_from([1, 4, 12]))
def test_interpreted_ets_calc_equals_the_compiled_kernel(model, seed, n, m):
    error, trend, season, damped = model
    rng = np.random.default_rng(seed)
    mm = m if season else 1
    p = 1 + (trend != 0) + (mm if season else 0)
    y = rng.uniform(1.0, 200.0, n)
    init = np.r_[rng.uniform(50.0, 150.0), rng.uniform(0.9, 1.1) if trend == 2
                 else rng.uniform(-2.0, 2.0)][:1 + (trend != 0)]
    if season:
        init = np.r_[init, rng.uniform(0.7, 1.3, mm) if season == 2 else rng.normal(0, 5, mm)]
    a, b, g = rng.uniform(0.01, 0.9), rng.uniform(0.0, 0.01), rng.uniform(0.0, 0.09)
    phi = rng.uniform(0.8, 0.98) if damped else 1.0
    out = []
    for run in (k.ets_calc, _python(k.ets_calc)):
        e, states = np.full(n, np.nan), np.full((n + 1, p), np.nan)
        crit = run(y, init, mm, error, trend, season, a, b, g, phi, e, states)
        out.append((crit, e, states))
    for want, got in zip(*out):
        assert _same(got, want)


@_compiled
@settings(max_examples=120, deadline=None)
@given(model=st.sampled_from(MODELS), seed=st.integers(0, 2**31 - 1),
       h=st.integers(1, 40), m=st.sampled_from([1, 4, 12]))
def test_interpreted_point_forecast_equals_the_compiled_kernel(model, seed, h, m):
    # damped trends take phi ** j: a float power in the kernel (libm pow, as interpreted)
    _, trend, season, damped = model
    rng = np.random.default_rng(seed)
    mm = m if season else 1
    state = np.r_[rng.uniform(50.0, 150.0), rng.uniform(-0.5, 2.0),
                  rng.uniform(0.7, 1.3, mm)]
    if not trend:
        state = np.r_[state[:1], state[2:]]
    phi = rng.uniform(0.8, 0.98) if damped else 1.0
    want = k.ets_point_forecast(state, mm, trend, season, phi, h)
    got = _python(k.ets_point_forecast)(state, mm, trend, season, phi, h)
    assert _same(got, want)


def _airpassengers_like():
    t = np.arange(72)
    return (100.0 + 2.0 * t) * (1.0 + 0.2 * np.sin(2.0 * np.pi * t / 12.0)) + 3.0 * np.cos(t)


@_compiled
@pytest.mark.parametrize("call", [lambda y: auto_ets(y, 12, m=12),
                                  lambda y: ets(y, 24, 12, model="MAdM"),
                                  lambda y: auto_ets(y[:30], 6, damped=True)])
def test_auto_ets_is_the_same_on_both_routes(call, fresh_kernels, monkeypatch):
    y = _airpassengers_like()
    small = call(y)  # fresh process: recursion and forecasts interpreted
    assert k.ets_calc.py_func in _jit._SPENT and k.ets_point_forecast.py_func in _jit._SPENT
    monkeypatch.setattr(_jit, "compiled", lambda dispatcher: True)
    big = call(y)  # the compiled kernels
    assert small.model == big.model
    assert _same(small.mean, big.mean)
    assert _same(small.lower, big.lower) and _same(small.upper, big.upper)
    assert _same(small.info["states"], big.info["states"])
    assert small.info["aicc"] == big.info["aicc"]


@_compiled
@pytest.mark.parametrize("m, codes", [(12, [(1, 1, 1, 0), (2, 1, 2, 1), (2, 0, 1, 0)]),
                                      (1, [(1, 1, 0, 1), (2, 1, 0, 0), (1, 0, 0, 0)])])
def test_python_nelder_mead_fits_equal_the_compiled_optimiser(m, codes, monkeypatch):
    # reference: the compiled ets_nelder_mead kernel (today's optimiser); the Python route
    # runs its function around the compiled objective, the same operations in order
    y = _airpassengers_like()[:60 if m > 1 else 30]
    args = (y, m, np.array(codes), np.full(4, np.nan), 1000, 1e-4,
            np.array([1e-4, 1e-4, 1e-4, 0.8]), np.array([0.9999, 0.9999, 0.9999, 0.98]), 2)
    monkeypatch.setattr(_jit, "compiled", lambda dispatcher: False)
    monkeypatch.setattr(_jit, "cached", lambda dispatcher: False)
    monkeypatch.setattr(k, "_PYTHON_NM_SPENT", [0.0])
    python = k.ets_fit_many_models(*args)
    assert k._PYTHON_NM_SPENT[0] > 0  # the Python route ran
    monkeypatch.setattr(k, "_PYTHON_NM_SPENT", [float(k.PYTHON_NM_BUDGET)])
    kernel = k.ets_fit_many_models(*args)  # budget spent: the kernel
    for got, want in zip(python, kernel):
        assert _same(got, want)


@_compiled
def test_the_python_nelder_mead_gives_way_to_the_kernel(monkeypatch):
    monkeypatch.setattr(_jit, "compiled", lambda dispatcher: False)
    monkeypatch.setattr(_jit, "cached", lambda dispatcher: False)
    monkeypatch.setattr(k, "_PYTHON_NM_SPENT", [0.0])
    routes = [k._nelder_mead(16, 1000) is k.ets_nelder_mead for _ in range(40)]
    # (16 + 1) * 16 * 1000 work a run: Python while the budget lasts, then the kernel
    first = routes.index(True)
    assert first == k.PYTHON_NM_BUDGET // (17 * 16 * 1000)
    assert all(routes[first:])
    monkeypatch.setattr(_jit, "compiled", lambda dispatcher: True)
    monkeypatch.setattr(k, "_PYTHON_NM_SPENT", [0.0])
    assert k._nelder_mead(16, 1000) is k.ets_nelder_mead  # compiled: always the kernel
