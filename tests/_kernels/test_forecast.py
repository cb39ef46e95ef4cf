"""Forecast kernels against plain-Python oracles (runs jitted and with NUMBA_DISABLE_JIT=1)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath._kernels import forecast as k

demand = st.lists(st.integers(0, 6).map(float), min_size=1, max_size=30)


def ses_oracle(x, alpha):
    level = x[0]
    for v in x:
        level = level + alpha * (v - level)
    return level


def intervals_oracle(y):
    pos = [i + 1 for i, v in enumerate(y) if v != 0]
    return np.diff([0, *pos]).astype(float)


@settings(max_examples=60, deadline=None)
@given(x=st.lists(st.floats(-50, 50), min_size=1, max_size=20), alpha=st.floats(0.01, 1.0))
def test_ses_forecast_matches_textbook_recursion(x, alpha):
    # textbook SES l_t = l_{t-1} + alpha (y_t - l_{t-1}) started at y_1 (statsforecast convention)
    x = np.array(x)
    fc, fitted = k.ses_forecast(x, alpha)
    assert fc == pytest.approx(ses_oracle(x, alpha), abs=1e-9)
    assert np.isnan(fitted[0])
    for i in range(1, len(x)):
        assert fitted[i] == pytest.approx(ses_oracle(x[:i], alpha), abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(x=st.lists(st.floats(0, 20), min_size=3, max_size=25))
def test_golden_ses_is_a_minimiser_of_the_sse(x):
    x = np.array(x)
    alpha = k.golden_ses(x, 0.1, 0.3)
    assert 0.1 <= alpha <= 0.3
    # golden section finds a local minimum (the SSE need not be unimodal in alpha):
    # no better value just beside it
    here = k.ses_sse(alpha, x)
    for step in (-1e-3, 1e-3):
        a2 = min(max(alpha + step, 0.1), 0.3)
        assert here <= k.ses_sse(a2, x) + 1e-9 * (1 + here)


def test_ses_sse_oracle():
    x = np.array([3.0, 0.0, 5.0, 2.0])
    level, sse = x[0], 0.0
    for i in range(1, 4):
        level = 0.2 * x[i - 1] + 0.8 * level
        sse += (x[i] - level) ** 2
    assert k.ses_sse(0.2, x) == pytest.approx(sse)
    assert k.ses_sse(0.2, x[:1]) == 0.0


@settings(max_examples=60, deadline=None)
@given(y=demand)
def test_sizes_and_intervals(y):
    y = np.array(y)
    assert k.demand_sizes(y).tolist() == [v for v in y if v != 0]
    assert k.demand_intervals(y).tolist() == intervals_oracle(y).tolist()


@settings(max_examples=60, deadline=None)
@given(y=demand, alpha=st.floats(0.05, 1.0))
def test_croston_and_tsb_match_their_definitions(y, alpha):
    y = np.array(y)
    sizes = [v for v in y if v != 0]
    got_c = k.intermittent_point(y, 0, alpha, alpha)
    got_t = k.intermittent_point(y, 2, alpha, alpha)
    if not sizes:
        assert got_c == 0.0 and got_t == 0.0
        return
    # Croston (1972): SES of sizes / SES of intervals; TSB (2011): SES(occurrence) * SES(sizes)
    zd = ses_oracle(np.array(sizes), alpha)
    zi = ses_oracle(intervals_oracle(y), alpha)
    assert got_c == pytest.approx(zd / zi, rel=1e-9)
    zp = ses_oracle((y != 0).astype(float), alpha)
    assert got_t == pytest.approx(zp * zd, rel=1e-9)


def chunk_oracle(y, level):
    lost = len(y) % level
    sums = [sum(y[lost + i * level: lost + (i + 1) * level])
            for i in range((len(y) - lost) // level)]
    if not sums:
        return y[-1]
    if len(sums) == 1:
        return sums[0]
    a = k.golden_ses(np.array(sums), 0.1, 0.3)
    return ses_oracle(np.array(sums, dtype=float), a)


@settings(max_examples=60, deadline=None)
@given(y=demand.filter(lambda v: any(v)))
def test_adida_and_imapa_match_oracle(y):
    y = np.array(y)
    top = max(1, int(np.rint(intervals_oracle(y).mean())))
    assert k.intermittent_point(y, 3, 0.0, 0.0) == pytest.approx(chunk_oracle(y, top) / top)
    parts = []
    for level in range(1, top + 1):
        lost = len(y) % level
        sums = np.array([sum(y[lost + i * level: lost + (i + 1) * level])
                         for i in range((len(y) - lost) // level)])
        a = k.golden_ses(sums, 0.1, 0.3)
        parts.append(ses_oracle(sums, a) / level)
    assert k.intermittent_point(y, 4, 0.0, 0.0) == pytest.approx(np.mean(parts))


def test_rolling_equals_prefix_points():
    y = np.array([0.0, 3.0, 0.0, 1.0, 0.0, 0.0, 2.0, 4.0])
    roll = k.intermittent_rolling(y, 2, 0.2, 0.3, 2)
    assert roll.tolist() == [k.intermittent_point(y[:t], 2, 0.2, 0.3) for t in range(2, 9)]


# ----------------------------------------------------------------------------------- ETS


def ets_oracle(y, init, m, error, trend, season, a, b, g, phi):
    """Hyndman et al. (2008) error-correction equations, written out per model class."""
    lvl = init[0]
    slope = init[1] if trend else 0.0
    s = list(init[(2 if trend else 1):]) if season else []
    e, logs = [], 0.0
    for yt in y:
        q = lvl + phi * slope if trend else lvl
        sm = s[-1] if season else (0.0 if season == 0 else 1.0)
        f = q + sm if season == 1 else (q * sm if season == 2 else q)
        eps = yt - f if error == 1 else (yt - f) / f
        e.append(eps)
        logs += math.log(abs(f))
        u = yt - f if error == 1 else f * eps  # the additive innovation y - f
        if season == 2:
            new_l = q + a * u / sm
        else:
            new_l = q + a * u
        if trend:
            slope = phi * slope + b * (u / sm if season == 2 else u)
        if season == 1:
            s = [sm + g * u, *s[:-1]]
        elif season == 2:
            s = [sm + g * u / q, *s[:-1]]
        lvl = new_l
    sse = float(np.sum(np.square(e)))
    crit = len(y) * math.log(sse) + (2 * logs if error == 2 else 0.0)
    return np.array(e), crit, lvl


@pytest.mark.parametrize("error,trend,season,damped", [
    (1, 0, 0, False), (1, 1, 0, False), (1, 1, 0, True), (1, 0, 1, False), (1, 1, 1, True),
    (2, 0, 0, False), (2, 1, 0, True), (2, 0, 1, False), (2, 1, 2, False), (2, 1, 2, True),
    (2, 0, 2, False)])
def test_ets_calc_and_lik_match_the_state_space_equations(error, trend, season, damped):
    rng = np.random.default_rng(1)
    m = 4
    y = 50 + 8 * np.tile([1.0, -1.0, 2.0, -2.0], 6) + np.arange(24) + rng.normal(0, 1, 24)
    init = [48.0] + ([1.0] if trend else [])
    if season == 1:
        init += [-2.0, 2.0, -1.0, 1.0]
    elif season == 2:
        init += [0.96, 1.04, 0.98, 1.02]
    init = np.array(init)
    phi = 0.9 if damped else 1.0
    mm = m if season else 1
    e = np.empty(24)
    states = np.empty((25, init.size))
    crit = k.ets_calc(y, init, mm, error, trend, season, 0.3, 0.05 if trend else 0.0,
                      0.1 if season else 0.0, phi, e, states)
    e_or, crit_or, last_l = ets_oracle(y, init, mm, error, trend, season, 0.3, 0.05, 0.1, phi)
    assert np.allclose(e, e_or, rtol=1e-10, atol=1e-10)
    assert crit == pytest.approx(crit_or, rel=1e-12)
    assert states[-1, 0] == pytest.approx(last_l, rel=1e-12)
    ring = np.empty(8)
    lik = k.ets_lik(y, init, mm, error, trend, season, 0.3, 0.05 if trend else 0.0,
                    0.1 if season else 0.0, phi, ring)
    assert lik == pytest.approx(crit, rel=1e-12)


def test_point_forecast_damped_trend_and_season():
    # FPP3 8.2: yhat_{T+h} = l + (phi + ... + phi^h) b (+ s_{T+h-m})
    state = np.array([10.0, 2.0, 0.3, -0.1, 0.2, -0.4])  # s_0 .. s_3, s_3 oldest
    out = k.ets_point_forecast(state, 4, 1, 1, 0.9, 6)
    seas = [-0.4, 0.2, -0.1, 0.3]
    for h in range(1, 7):
        damp = sum(0.9 ** j for j in range(1, h + 1))
        assert out[h - 1] == pytest.approx(10 + damp * 2 + seas[(h - 1) % 4])


@settings(max_examples=80, deadline=None)
@given(coef=st.lists(st.floats(-1.5, 1.5), min_size=2, max_size=12))
def test_roots_within_matches_numpy_roots(coef):
    c = np.array([*coef, 1.0])
    roots = np.roots(c[::-1])
    big = np.max(np.abs(roots)) if roots.size else 0.0
    if abs(big - 1.0) < 1e-6:  # rounding decides at the boundary
        return
    assert k.roots_within(c, 1.0 + 1e-10) == (big <= 1.0 + 1e-10)


def admissible_oracle(alpha, beta, gamma, phi, m):
    # R forecast:::admissible, with polyroot replaced by numpy.roots
    if phi < 0 or phi > 1 + 1e-8:
        return False
    if gamma is None:
        return not (alpha < 1 - 1 / phi or alpha > 1 + 1 / phi or (
            beta is not None and (beta < alpha * (phi - 1) or beta > (1 + phi) * (2 - alpha))))
    beta = beta or 0.0
    if gamma < max(1 - 1 / phi - alpha, 0) or gamma > 1 + 1 / phi - alpha:
        return False
    if alpha < 1 - 1 / phi - gamma * (1 - m + phi + phi * m) / (2 * phi * m):
        return False
    if beta < -(1 - phi) * (gamma / m + alpha):
        return False
    p = [phi * (1 - alpha - gamma), alpha + beta - alpha * phi + gamma - 1] + \
        [alpha + beta - alpha * phi] * (m - 2) + [alpha + beta - phi, 1]
    return bool(np.max(np.abs(np.roots(p[::-1]))) <= 1 + 1e-10)


@settings(max_examples=80, deadline=None)
@given(a=st.floats(0.0, 1.0), b=st.floats(0.0, 1.0), g=st.floats(0.0, 1.0),
       phi=st.floats(0.8, 1.0), m=st.integers(2, 12))
def test_admissible_matches_r_definition(a, b, g, phi, m):
    want = admissible_oracle(a, b, g, phi, m)
    got = k.ets_admissible(a, b, g, phi, m)
    if got != want:  # only a root on the unit circle (to rounding) may disagree
        p = [phi * (1 - a - g), a + b - a * phi + g - 1] + [a + b - a * phi] * (m - 2) + \
            [a + b - phi, 1]
        assert abs(np.max(np.abs(np.roots(p[::-1]))) - 1) < 1e-6
    assert k.ets_admissible(0.3, np.nan, np.nan, np.nan, 1)
    assert not k.ets_admissible(2.5, np.nan, np.nan, np.nan, 1)


@settings(max_examples=150, deadline=None)
@given(a=st.floats(1e-4, 0.9999), share=st.floats(1e-4, 1.0), m=st.integers(2, 52))
def test_seasonal_models_without_trend_are_admissible_in_the_usual_region(a, share, m):
    # reference: numpy's roots of R's characteristic polynomial (beta = 0, phi = 1): all
    # within the unit circle up to rounding (z = 1 is always a root, the only one on it),
    # as the proof in ets_admissible says, so its shortcut answers as R does
    g = max(1e-4, share * (1.0 - a))
    p = [1 - a - g, g - 1] + [0.0] * (m - 2) + [a - 1, 1]
    roots = np.abs(np.roots(p[::-1]))
    assert roots.max() <= 1 + 1e-8
    assert np.sort(roots)[-2] < 1.0  # z = 1 is the only root on the circle
    assert k.ets_admissible(a, np.nan, g, np.nan, m)


def test_classical_seasonal_matches_statsmodels():
    sm = pytest.importorskip("statsmodels.tsa.seasonal")
    rng = np.random.default_rng(2)
    for m, model, code in ((7, "additive", 1), (12, "multiplicative", 2), (4, "additive", 1)):
        t = np.arange(6 * m)
        y = 100 + t + 10 * np.sin(2 * np.pi * t / m) + rng.normal(0, 1, t.size)
        want = sm.seasonal_decompose(y, period=m, model=model).seasonal
        assert np.allclose(k.classical_seasonal(y, m, code), want, atol=1e-10)


def test_init_states_regression_on_adjusted_start():
    y = np.arange(1.0, 31.0) * 2 + 5
    st_ = k._initial_states(y, 1, 1, 0)  # exact line: l0 = 5, b0 = 2 (OLS on t = 1..10)
    assert st_ == pytest.approx([5.0, 2.0])
    assert k._initial_states(y, 1, 0, 0)[0] == pytest.approx(np.mean(y[:10]))


def test_fit_improves_on_the_start_and_simulation_without_noise_is_the_forecast():
    y = 20 + np.tile([1.0, -1.0, 2.0, -2.0], 5) + 0.5 * np.arange(20)
    lo = np.array([1e-4, 1e-4, 1e-4, 0.8])
    hi = np.array([0.9999, 0.9999, 0.9999, 0.98])
    _par, _init, crit, n_est, ok = k.ets_fit(y, 4, 1, 1, 1, False, np.full(4, np.nan),
                                           np.empty(0), 60, 1e-4, lo, hi, 0)
    assert ok and n_est == 3 + 1 + 1 + 3 + 1
    start = np.array(k._initial_states(y, 4, 1, 1))
    full = np.concatenate([start, [-start[2:].sum()]])
    # R forecast initparam: alpha = lo + 0.2 (hi - lo) / m, beta = lo + 0.1 (alpha - lo), ...
    a0 = 1e-4 + 0.2 * (0.9999 - 1e-4) / 4
    b0 = 1e-4 + 0.1 * (a0 - 1e-4)
    g0 = 1e-4 + 0.05 * (min(0.9999, 1 - a0) - 1e-4)
    first = k.ets_calc(y, full, 4, 1, 1, 1, a0, b0, g0, 1.0, np.empty(20), np.empty((0, 0)))
    assert crit <= first + 1e-9
    again = k.ets_fit(y, 4, 1, 1, 1, False, np.full(4, np.nan), np.empty(0), 60, 1e-4, lo, hi,
                      2)
    assert again[2] <= crit + 1e-12  # restarting from the optimum never makes it worse
    state = np.array([10.0, 1.0, 0.5, -0.5, 1.0, -1.0])
    from cxpath.forecast._simulate import simulate_paths

    paths = simulate_paths(state, 4, 1, 1, 1, 0.3, 0.1, 0.1, 1.0, 0.0, 5, 3, 7)
    assert np.allclose(paths, k.ets_point_forecast(state, 4, 1, 1, 1.0, 5)[None, :])


@settings(max_examples=60, deadline=None)
@given(y=demand, a=st.floats(0.05, 1.0), b=st.floats(0.05, 1.0))
def test_smoothing_prefix_equals_point_of_each_prefix(y, a, b):
    y = np.array(y)
    for method in (0, 2):
        got = k.smoothing_prefix(y, method, a, b)
        want = [0.0] + [k.intermittent_point(y[:t], method, a, b) for t in range(1, len(y) + 1)]
        assert got.tolist() == want


@settings(max_examples=60, deadline=None)
@given(y=st.lists(st.one_of(st.floats(-1e6, 1e6), st.just(np.nan), st.just(np.inf)),
                  min_size=1, max_size=20))
def test_scan_matches_numpy(y):
    y = np.array(y)
    low, ok = k.scan(y)
    assert ok == bool(np.all(np.isfinite(y)))
    if ok:
        assert low == y.min()


@settings(max_examples=40, deadline=None)
@given(n=st.integers(4, 40), k_cols=st.integers(1, 4), seed=st.integers(0, 10**6))
def test_least_squares_equals_numpy_lstsq(n, k_cols, seed):
    # reference: numpy.linalg.lstsq (LAPACK gelsd) on full-column-rank designs
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, k_cols))
    y = rng.normal(size=n) * 10
    ref = np.linalg.lstsq(x, y, rcond=None)[0]
    np.testing.assert_allclose(k.least_squares(x, y), ref, rtol=1e-9, atol=1e-9)


def test_least_squares_on_the_ets_start_design():
    # the (1, t, sin, cos) design of the short-series seasonal start, m = 12, n = 30
    t = np.arange(1, 31.0)
    x = np.column_stack([np.ones(30), t, np.sin(2 * np.pi * t / 12), np.cos(2 * np.pi * t / 12)])
    y = 50 + 0.5 * t + 3 * np.sin(2 * np.pi * t / 12) + np.random.default_rng(1).normal(size=30)
    np.testing.assert_allclose(k.least_squares(x, y), np.linalg.lstsq(x, y, rcond=None)[0],
                               rtol=1e-11)
