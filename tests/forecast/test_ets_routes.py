"""The final recursion and point forecasts of an ETS fit, the optimiser and the region
test of its objective, and the series scan run interpreted for small jobs in a fresh
process (#19 point 2: no compile for a millisecond of work).

Reference: the compiled kernels (``ets_calc``, ``ets_point_forecast``, ``ets_objective``,
``ets_nelder_mead``, ``scan``) themselves (today's kernels). The interpreted route runs the
same operations in the same order, so errors, states, criteria, fits and forecasts must be
equal bit for bit, and ``auto_ets`` must give the same forecast on both routes.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath._kernels import _jit
from cxpath._kernels import forecast as k
from cxpath.errors import DataError
from cxpath.forecast import _base, auto_ets, ets

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
    # reference: the compiled optimisers (ets_nmmin, ets_nelder_mead); the Python route runs
    # their functions around the Python objective, the same operations in order
    y = _airpassengers_like()[:60 if m > 1 else 30]
    args = (y, m, np.array(codes), np.full(4, np.nan), 1000, 1e-4,
            np.array([1e-4, 1e-4, 1e-4, 0.8]), np.array([0.9999, 0.9999, 0.9999, 0.98]), 2)
    monkeypatch.setattr(_jit, "compiled", lambda dispatcher: False)
    monkeypatch.setattr(_jit, "cached", lambda dispatcher: False)
    monkeypatch.setattr(k, "_PYTHON_NM_SPENT", {})
    python = k.ets_fit_many_models(*args)
    # the Python route ran for both optimisers ...
    assert set(k._PYTHON_NM_SPENT) == {k.ets_nmmin, k.ets_nelder_mead}
    assert k._objective() is not k.ets_objective  # ... around the Python objective
    monkeypatch.setattr(_jit, "compiled", lambda dispatcher: True)
    kernel = k.ets_fit_many_models(*args)  # compiled: the kernels
    for got, want in zip(python, kernel):
        assert _same(got, want)


@_compiled
def test_python_optimiser_around_the_compiled_objective_passes_it_arrays(monkeypatch):
    # once one optimiser has compiled, so has its objective, while the other optimiser may
    # still run in Python: it must call the objective with arrays (lists would compile a
    # reflected-list signature of it); reference: the compiled optimisers' fits
    y = _airpassengers_like()[:60]
    args = (y, 12, np.array([(2, 1, 2, 1), (1, 1, 1, 0)]), np.full(4, np.nan), 1000, 1e-4,
            np.array([1e-4, 1e-4, 1e-4, 0.8]), np.array([0.9999, 0.9999, 0.9999, 0.98]), 0)
    kernel = k.ets_fit_many_models(*args)  # the kernels (compiled in this test process)
    monkeypatch.setattr(_jit, "compiled", lambda dispatcher: dispatcher is k.ets_objective)
    monkeypatch.setattr(_jit, "cached", lambda dispatcher: False)
    monkeypatch.setattr(k, "_PYTHON_NM_SPENT", {})
    python = k.ets_fit_many_models(*args)
    assert set(k._PYTHON_NM_SPENT) == {k.ets_nmmin, k.ets_nelder_mead}
    assert k._objective() is k.ets_objective
    for got, want in zip(python, kernel):
        assert _same(got, want)
    # one signature: arrays, and no literal ``relative`` from inside an optimiser
    assert not any("List" in str(sig) or "Literal" in str(sig)
                   for sig in k.ets_objective.signatures)


@_compiled
def test_the_python_nelder_mead_gives_way_to_the_kernel(monkeypatch):
    monkeypatch.setattr(_jit, "compiled", lambda dispatcher: False)
    monkeypatch.setattr(_jit, "cached", lambda dispatcher: False)
    monkeypatch.setattr(k, "_PYTHON_NM_SPENT", {})
    routes = [k._nelder_mead(16, 1000) is k.ets_nelder_mead for _ in range(40)]
    # (16 + 1) * 16 * 1000 work a run: Python while the budget lasts, then the kernel
    first = routes.index(True)
    assert first == k.PYTHON_NM_BUDGET // (17 * 16 * 1000)
    assert all(routes[first:])
    # each optimiser has its own budget (its own compile to save): 16 * 2000 a run
    routes = [k._nmmin(16, 2000) is k.ets_nmmin for _ in range(300)]
    assert routes.index(True) == k.PYTHON_NM_BUDGET // (16 * 2000)
    monkeypatch.setattr(_jit, "compiled", lambda dispatcher: True)
    monkeypatch.setattr(k, "_PYTHON_NM_SPENT", {})
    assert k._nelder_mead(16, 1000) is k.ets_nelder_mead  # compiled: always the kernel
    assert k._nmmin(16, 2000) is k.ets_nmmin


@_compiled
@settings(max_examples=200, deadline=None)
@given(model=st.sampled_from(MODELS), seed=st.integers(0, 2**31 - 1),
       m=st.sampled_from([1, 4, 12]), relative=st.booleans())
def test_python_objective_equals_the_compiled_kernel(model, seed, m, relative):
    # reference: the compiled ets_objective (its region test _admissible / _schur compiled);
    # parameters drawn across and beyond the usual and admissible regions, so that both
    # verdicts and every early return are met
    error, trend, season, damped = model
    rng = np.random.default_rng(seed)
    mm = m if season else 1
    p = 1 + (trend != 0) + (mm if season else 0)
    free = np.array([True, trend != 0, season != 0, damped])
    params = [rng.uniform(-0.1, 1.1), rng.uniform(-0.1, 0.6), rng.uniform(-0.1, 0.6),
              rng.uniform(0.7, 1.05)]
    slope = [rng.uniform(0.9, 1.1) if trend == 2 else rng.uniform(-2.0, 2.0)][:trend != 0]
    seasonal = (rng.uniform(0.5, 1.5, mm) if season == 2 else rng.normal(0, 5, mm))[
        :mm - 1 if season else 0]  # [l, (b), s_0..s_{m-2}]: the last one is implied
    x = np.r_[[params[i] for i in range(4) if free[i]], rng.uniform(50.0, 150.0), slope,
              seasonal]
    y = rng.uniform(20.0, 200.0, 30)
    lower, upper = np.array([1e-4, 1e-4, 1e-4, 0.8]), np.array([0.9999, 0.9999, 0.9999, 0.98])
    args = (x, y, mm, error, trend, season, damped, np.full(4, np.nan), free, np.empty(0),
            lower, upper)
    want = k.ets_objective(*args, np.empty(3 * mm + 8), np.empty(p), relative)
    with pytest.MonkeyPatch.context() as patch:  # as in a fresh process
        patch.setattr(_jit, "compiled", lambda dispatcher: False)
        patch.setattr(_jit, "cached", lambda dispatcher: False)
        python = k._objective()
    assert python is not k.ets_objective
    assert python(*args, np.empty(3 * mm + 8), np.empty(p), relative) == want


@_compiled
@settings(max_examples=120, deadline=None)
@given(coef=st.lists(st.floats(-1.5, 1.5), min_size=2, max_size=14),
       radius=st.sampled_from([1.0, 1.0 + 1e-10, 0.9]))
def test_schur_over_floats_equals_the_compiled_kernel(coef, radius):
    # reference: the compiled roots_within / _schur; the route of the Python objective
    # runs _schur's function over a list of Python floats
    want = k.roots_within(np.array(coef), radius)
    assert _jit._python_tree(k._schur)([*coef, *[0.0] * len(coef)], len(coef), radius) is want


@_compiled
@settings(max_examples=80, deadline=None)
@given(y=st.lists(st.one_of(st.floats(-1e6, 1e6), st.just(np.nan), st.just(-np.inf)),
                  min_size=1, max_size=40))
def test_interpreted_scan_equals_the_compiled_kernel(y):
    y = np.array(y)
    assert _python(k.scan)(y) == k.scan(y)


@_compiled
def test_check_series_scans_a_short_series_interpreted(fresh_kernels):
    y = _airpassengers_like()
    assert _base.check_series(y, "auto_ets") is y
    assert k.scan.py_func in _jit._SPENT  # the interpreted route ran
    with pytest.raises(DataError, match="strictly positive"):
        _base.check_series(y - 200.0, "auto_ets", positive=True)


@_compiled
@settings(max_examples=150, deadline=None)
@given(a=st.floats(-0.2, 2.2), b=st.one_of(st.just(np.nan), st.floats(-0.5, 1.5)),
       g=st.one_of(st.just(np.nan), st.floats(-0.5, 1.5)),
       phi=st.one_of(st.just(np.nan), st.floats(0.01, 1.1)), m=st.sampled_from([1, 4, 12]))
def test_region_test_over_floats_equals_the_compiled_kernel(a, b, g, phi, m):
    # reference: the compiled ets_admissible (Hyndman et al. 2008, ch. 10, and its
    # characteristic polynomial by Schur-Cohn), both verdicts met in this box
    want = k.ets_admissible(a, b, g, phi, m)
    assert k._admissible_floats(a, b, g, phi, m, np.empty(2 * (m + 2))) is want
