"""Impact of a change over time (issue #24): interrupted time series, difference-in-
differences and synthetic control.

References used below:

* statsmodels 0.15 ``OLS(y, X).fit(cov_type=..., use_t=True)`` on the same design matrix:
  ``'HAC'`` with ``cov_kwds={'maxlags': L, 'use_correction': ...}`` (Newey–West, Bartlett),
  ``'HC1'``, ``'nonrobust'`` and ``'cluster'`` with ``cov_kwds={'groups': unit}``
  (``G/(G−1)·(n−1)/(n−k)``, t on G − 1 df); ``GLS(y, X, sigma=AR(1) Toeplitz)`` for
  Prais–Winsten at the reported rho; ``results.f_test`` for the parallel-trends check.
* Generated series with a known effect for interval coverage (processes stated per test).
* Abadie, Diamond and Hainmueller (2010) for the synthetic control's convex weights.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.linalg import toeplitz
from scipy.signal import lfilter

from cxpath.errors import CxpathError, DataError, InvalidParameterError, InvalidTypeError
from cxpath.rca import (
    DiffInDiff,
    EventStudy,
    SyntheticControl,
    TimeSeriesImpact,
    diff_in_diff,
    interrupted_time_series,
    synthetic_control,
)

sm = pytest.importorskip("statsmodels.api")

TOL = 1e-8


def _ar1(rng, n, rho, burn=50):
    return lfilter([1.0], [1.0, -rho], rng.normal(size=n + burn))[burn:]


def _series(n=150, t0=80, seed=3, rho=0.4, period=None):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    d = t >= t0
    y = 50 + 0.1 * t + 3.0 * d + 0.05 * d * (t - t0) + _ar1(rng, n, rho)
    if period:
        y = y + 2 * np.sin(2 * np.pi * t / period)
    return y


def _its_design(n, t0, *, slope=True, period=None, seasonal="fourier", harmonics=None):
    """The documented design, built independently: 1, t, D, D (t − t0), seasonal terms."""
    t = np.arange(n, dtype=float)
    d = (t >= t0).astype(float)
    cols = [np.ones(n), t, d] + ([d * (t - t0)] if slope else [])
    if period and seasonal == "fourier":
        for k in range(1, (harmonics or min(2, period // 2)) + 1):
            if 2 * k != period:
                cols.append(np.sin(2 * np.pi * k * t / period))
            cols.append(np.cos(2 * np.pi * k * t / period))
    elif period:
        cols += [(t.astype(int) % period == s).astype(float) for s in range(1, period)]
    return np.column_stack(cols)


def _same(ours_table, res, t_df=None):
    """Coefficient table equals statsmodels' params, bse, conf_int and pvalues."""
    ci = res.conf_int(0.05)
    np.testing.assert_allclose(ours_table.estimate, res.params, rtol=TOL, atol=TOL)
    np.testing.assert_allclose(ours_table.se, res.bse, rtol=TOL, atol=TOL)
    np.testing.assert_allclose(ours_table.ci_low, ci[:, 0], rtol=TOL, atol=TOL)
    np.testing.assert_allclose(ours_table.ci_high, ci[:, 1], rtol=TOL, atol=TOL)
    np.testing.assert_allclose(ours_table.p_value, res.pvalues, rtol=1e-7, atol=1e-12)


# --------------------------------------------------------------------------- ITS vs statsmodels


@pytest.mark.parametrize("maxlags, correction", [(None, True), (0, True), (7, False), (12, True)])
def test_its_hac_equals_statsmodels(maxlags, correction):
    y = _series()
    r = interrupted_time_series(y, 80, maxlags=maxlags, small_sample=correction)
    L = math.floor(4 * (150 / 100) ** (2 / 9)) if maxlags is None else maxlags  # NW 1994 rule
    assert r.maxlags == L
    X = _its_design(150, 80)
    res = sm.OLS(y, X).fit(cov_type="HAC", cov_kwds={"maxlags": L, "use_correction": correction},
                           use_t=True)
    _same(r, res)
    assert r.term.tolist() == ["intercept", "time", "level change", "slope change"]
    # effect at the last period = level + 69 × slope, statsmodels t_test of the same contrast
    c = np.array([0, 0, 1.0, 149 - 80])
    tt = res.t_test(c)
    assert r.horizon == 69
    assert r.effect == pytest.approx(float(tt.effect[0]), rel=TOL)
    assert r.effect_se == pytest.approx(float(tt.sd[0, 0]), rel=TOL)
    lo, hi = tt.conf_int(0.05)[0]
    assert (r.effect_low, r.effect_high) == pytest.approx((lo, hi), rel=TOL)
    assert r.effect_p == pytest.approx(float(tt.pvalue), rel=1e-7, abs=1e-14)


def test_default_lag_rule_is_newey_west_1994():
    # floor(4 (n/100)^(2/9)): n=150 -> 4, n=250 -> 4, n=1000 -> 6
    for n, lags in ((150, 4), (250, 4), (1000, 6)):
        assert interrupted_time_series(_series(n, n // 2), n // 2).maxlags == lags


@pytest.mark.parametrize("seasonal, harmonics", [("fourier", None), ("fourier", 3),
                                                 ("dummies", None)])
def test_its_seasonal_terms_equal_statsmodels(seasonal, harmonics):
    y = _series(period=7, seed=5)
    r = interrupted_time_series(y, 80, period=7, seasonal=seasonal, harmonics=harmonics,
                                maxlags=5)
    X = _its_design(150, 80, period=7, seasonal=seasonal, harmonics=harmonics)
    assert r.term.size == X.shape[1]
    res = sm.OLS(y, X).fit(cov_type="HAC", cov_kwds={"maxlags": 5, "use_correction": True},
                           use_t=True)
    _same(r, res)


def test_even_period_fourier_drops_the_zero_sine():
    # period 12 with 6 harmonics: sin(pi t) = 0 at whole t is left out, 11 terms (= 11 dummies)
    r = interrupted_time_series(_series(period=12), 80, period=12, harmonics=6)
    assert [x for x in r.term if x.startswith(("sin", "cos"))] == \
        [f"{f}{k}" for k in range(1, 6) for f in ("sin", "cos")] + ["cos6"]


def test_its_classical_and_level_only_equal_statsmodels():
    y = _series(seed=11)
    r = interrupted_time_series(y, 80, errors="classical", slope=False)
    res = sm.OLS(y, _its_design(150, 80, slope=False)).fit(use_t=True)
    _same(r, res)
    assert math.isnan(r.slope_change)
    assert r.effect == pytest.approx(r.level_change, rel=1e-12)


def test_its_prais_winsten_is_gls_with_ar1_covariance():
    y = _series(seed=2, rho=0.6)
    r = interrupted_time_series(y, 80, errors="ar1")
    X = _its_design(150, 80)
    # GLS with Sigma_ij = rho^|i-j| is Prais-Winsten at that rho (first row kept)
    res = sm.GLS(y, X, sigma=toeplitz(r.rho ** np.arange(150))).fit(use_t=True)
    _same(r, res)
    # rho is the fixed point: regression of the GLS residual on its lag
    e = y - X @ res.params
    assert r.rho == pytest.approx(float(e[1:] @ e[:-1] / (e[:-1] @ e[:-1])), abs=1e-9)
    assert 0.45 < r.rho < 0.75  # generated with rho = 0.6


def test_its_time_column_and_dates():
    y = _series()
    days = np.datetime64("2025-01-01") + np.arange(150)
    a = interrupted_time_series(y, 80)
    b = interrupted_time_series("csat", "2025-03-22", data={"csat": y, "day": days}, time="day")
    # 2025-01-01 + 80 days = 2025-03-22
    assert b.change_index == 80
    np.testing.assert_allclose(b.estimate, a.estimate, rtol=1e-12)
    assert b.index[0] == np.datetime64("2025-01-01")
    num = interrupted_time_series(y, 1080.5, time=np.arange(1000, 1150))
    assert num.change_index == 81


def test_a_change_date_past_nanosecond_timestamps_is_after_every_period():
    days = np.datetime64("2025-01-01") + np.arange(150)
    data = {"csat": _series(), "day": days.astype("datetime64[ns]")}
    # numpy compares in nanoseconds, where 3000-01-01 wraps to 1830: every period was
    # "after" the change
    with pytest.raises(DataError, match=r"Got 150 period\(s\) before and 0 after"):
        interrupted_time_series("csat", "3000-01-01", data=data, time="day")
    with pytest.raises(DataError, match=r"Got 0 period\(s\) before and 150 after"):
        interrupted_time_series("csat", "1500-01-01", data=data, time="day")


def test_its_dates_of_an_aware_column_are_read_on_its_clock():
    pd = pytest.importorskip("pandas")
    y = _series()
    a = interrupted_time_series(y, 80)
    days = pd.date_range("2025-01-01", periods=150, freq="D", tz="Europe/Berlin")
    data = pd.DataFrame({"csat": y, "day": days})
    # local midnight of 2025-03-22 is 23:00 UTC on 03-21: read against the UTC instants,
    # '2025-03-22' (a naive date) fell a day late, on position 81
    for at in ("2025-03-22", pd.Timestamp("2025-03-22", tz="Europe/Berlin"),
               pd.Timestamp("2025-03-21 23:00", tz="UTC")):
        b = interrupted_time_series("csat", at, data=data, time="day")
        assert b.change_index == 80
        np.testing.assert_allclose(b.estimate, a.estimate, rtol=1e-12)
    assert b.tz == "Europe/Berlin" and b.index[80] == np.datetime64("2025-03-21T23:00")
    with pytest.raises(InvalidParameterError, match="without a time zone"):
        interrupted_time_series("csat", pd.Timestamp("2025-03-22", tz="Europe/Berlin"),
                                data=data.assign(day=days.tz_localize(None)), time="day")


def test_its_counterfactual_and_verdict():
    y = _series()
    r = interrupted_time_series(y, 80, label="CSAT")
    assert isinstance(r, TimeSeriesImpact)
    gap = r.fitted - r.counterfactual
    assert np.all(gap[:80] == 0)
    assert gap[-1] == pytest.approx(r.effect, rel=1e-12)
    assert r.verdict.startswith("CSAT rose by ")
    assert "at 69 period(s) after the change, against the pre-change trend" in r.verdict
    assert r.verdict.endswith("a real change at the 5% level.")
    flat = interrupted_time_series(np.random.default_rng(1).normal(size=100), 50)
    assert flat.effect_p > 0.05  # white noise, seed 1: p = 0.632
    assert "no evidence of a change at the 5% level" in flat.verdict
    assert "Newey–West" in repr(r) and r.to_frame("dict")["term"][2] == "level change"


# --------------------------------------------------------------------------- ITS coverage


def _its_coverage(n, rho, errors, reps=400, **kw):
    """Process: y = 10 + 0.05 t + 2 D + 0.03 D (t − n/2) + sin(2πt/7) + AR(1)(rho), N(0, 1)
    innovations, change at n/2, weekly Fourier terms; seeds (0, r), r < reps."""
    hits = np.zeros(3)
    t = np.arange(n)
    d = t >= n // 2
    truth = (2.0, 0.03, 2.0 + 0.03 * (n - 1 - n // 2))
    for rep in range(reps):
        rng = np.random.default_rng([0, rep])
        y = 10 + 0.05 * t + 2.0 * d + 0.03 * d * (t - n // 2) + np.sin(2 * np.pi * t / 7) \
            + _ar1(rng, n, rho)
        r = interrupted_time_series(y, n // 2, period=7, errors=errors, **kw)
        hits += [r.level_low <= truth[0] <= r.level_high, r.slope_low <= truth[1] <= r.slope_high,
                 r.effect_low <= truth[2] <= r.effect_high]
    return hits / reps


def test_its_hac_intervals_cover():
    # n = 1000, AR(1) rho = 0.2, default lags (6): measured 0.9475 / 0.9375 / 0.9525
    cover = _its_coverage(1000, 0.2, "hac")
    assert np.all((cover >= 0.93) & (cover <= 0.97)), cover


def test_its_ar1_intervals_cover():
    # n = 1000, AR(1) rho = 0.5, Prais-Winsten: measured 0.9625 / 0.95 / 0.9575
    cover = _its_coverage(1000, 0.5, "ar1")
    assert np.all((cover >= 0.93) & (cover <= 0.97)), cover


# --------------------------------------------------------------------------- DiD


def _two_by_two(seed=0, n=400):
    rng = np.random.default_rng(seed)
    g = rng.integers(0, 2, n)
    a = rng.integers(0, 2, n)
    y = 5 + 0.5 * g + 0.3 * a + 0.8 * g * a + rng.normal(0, 1 + g, n)
    return y, g, a


@pytest.mark.parametrize("cov, sm_cov", [("hc1", "HC1"), ("classical", "nonrobust")])
def test_did_2x2_equals_statsmodels(cov, sm_cov):
    y, g, a = _two_by_two()
    r = diff_in_diff(y, g, a, cov=cov)
    X = np.column_stack([np.ones(y.size), g, a, g * a])
    _same(r, sm.OLS(y, X).fit(cov_type=sm_cov, use_t=True))
    # the effect is the difference of the four cell means
    m = [[y[(g == i) & (a == j)].mean() for j in (0, 1)] for i in (0, 1)]
    assert r.effect == pytest.approx((m[1][1] - m[1][0]) - (m[0][1] - m[0][0]), rel=1e-10)
    np.testing.assert_allclose(r.cell_means, m, rtol=1e-12)
    assert r.design == "2x2" and r.term[3] == "treated × post"


def test_did_2x2_clustered_by_unit_equals_statsmodels():
    y, g, a = _two_by_two(seed=4)
    unit = np.arange(y.size) % 20
    g = (unit < 10).astype(float)  # treatment assigned by unit
    r = diff_in_diff(y, g, a, unit=unit)
    assert r.cov == "cluster" and r.df == 19
    X = np.column_stack([np.ones(y.size), g, a, g * a])
    _same(r, sm.OLS(y, X).fit(cov_type="cluster", cov_kwds={"groups": unit}, use_t=True))


def _panel(seed=0, G=30, T=8, effect=1.5, trend=0.0, rho=0.5):
    rng = np.random.default_rng(seed)
    unit = np.repeat(np.arange(G), T)
    tt = np.tile(np.arange(T), G)
    tr = (unit < G // 2).astype(float)
    post = (tt >= T // 2).astype(float)
    e = np.concatenate([_ar1(rng, T, rho, 20) for _ in range(G)])
    y = rng.normal(0, 1, G)[unit] + rng.normal(0, 1, T)[tt] + effect * tr * post \
        + trend * tr * (tt - T // 2) + e
    return y, tr, post, unit, tt


def _fe(unit, tt):
    u = np.unique(unit, return_inverse=True)[1]
    p = np.unique(tt, return_inverse=True)[1]
    return [np.ones(unit.size)] + [(u == k).astype(float) for k in range(1, u.max() + 1)] + \
        [(p == k).astype(float) for k in range(1, p.max() + 1)]


def test_panel_did_equals_statsmodels_cluster():
    y, tr, post, unit, tt = _panel()
    keep = ~((unit == 3) & (tt == 2))  # unbalanced is fine for two-way fixed effects
    y, tr, post, unit, tt = y[keep], tr[keep], post[keep], unit[keep], tt[keep]
    r = diff_in_diff(y, tr, post, unit=unit, time=tt)
    X = np.column_stack([tr * post, *_fe(unit, tt)])
    res = sm.OLS(y, X).fit(cov_type="cluster", cov_kwds={"groups": unit}, use_t=True)
    assert r.design == "panel" and r.df == 29 and r.n_units == 30 and r.n_periods == 8
    assert r.effect == pytest.approx(res.params[0], rel=TOL)
    assert r.effect_se == pytest.approx(res.bse[0], rel=TOL)
    assert (r.effect_low, r.effect_high) == pytest.approx(tuple(res.conf_int()[0]), rel=TOL)
    assert r.effect_p == pytest.approx(res.pvalues[0], rel=1e-7, abs=1e-14)
    # event study: leads -4..-2 and lags 0..3 against -1, same FE, same clusters
    es = r.event_study
    assert isinstance(es, EventStudy)
    assert es.event_time.tolist() == [-4, -3, -2, -1, 0, 1, 2, 3]
    rel = tt - 4
    keep_k = [-4, -3, -2, 0, 1, 2, 3]
    Xe = np.column_stack([tr * (rel == k) for k in keep_k] + _fe(unit, tt))
    re = sm.OLS(y, Xe).fit(cov_type="cluster", cov_kwds={"groups": unit}, use_t=True)
    rows = es.event_time != -1
    np.testing.assert_allclose(es.estimate[rows], re.params[:7], rtol=TOL, atol=TOL)
    np.testing.assert_allclose(es.se[rows], re.bse[:7], rtol=TOL, atol=TOL)
    np.testing.assert_allclose(es.ci_low[rows], re.conf_int()[:7, 0], rtol=TOL, atol=TOL)
    assert es.estimate[3] == 0 and math.isnan(es.se[3])
    ft = re.f_test(np.eye(Xe.shape[1])[:3])
    assert es.pretrend_stat == pytest.approx(float(ft.fvalue), rel=TOL)
    assert es.pretrend_p == pytest.approx(float(ft.pvalue), rel=1e-7)
    assert es.pretrend_df == 3 and r.pretrend_p == es.pretrend_p


def test_panel_did_hc1_equals_statsmodels():
    y, tr, post, unit, tt = _panel(seed=2)
    r = diff_in_diff(y, tr, post, unit=unit, time=tt, cov="hc1")
    X = np.column_stack([tr * post, *_fe(unit, tt)])
    res = sm.OLS(y, X).fit(cov_type="HC1", use_t=True)
    assert r.effect_se == pytest.approx(res.bse[0], rel=TOL)


def test_parallel_trends_check_flags_a_pre_trend():
    # treated units drift 1.2 per period relative to the comparison group before and after
    y, tr, post, unit, tt = _panel(seed=1, trend=1.2)
    r = diff_in_diff(y, tr, post, unit=unit, time=tt, label="CSAT")
    assert r.pretrend_p < 0.001
    assert "not on parallel trends" in r.verdict
    y, tr, post, unit, tt = _panel(seed=1)
    ok = diff_in_diff(y, tr, post, unit=unit, time=tt)
    assert ok.pretrend_p > 0.05 and "No evidence against parallel trends" in ok.verdict


def test_panel_did_intervals_cover():
    # Process: G = 40 units (20 treated), T = 10 periods, change at period 5, unit and period
    # effects N(0, 1), AR(1) rho = 0.5 errors within unit, effect 1.5; seeds (0, r).
    # Measured: coverage 0.97, pre-trend F test rejects 5.25 % at 5 %.
    hits, rejects = 0, 0
    for rep in range(400):
        rng = np.random.default_rng([0, rep])
        G, T = 40, 10
        unit = np.repeat(np.arange(G), T)
        tt = np.tile(np.arange(T), G)
        tr = (unit < G // 2).astype(float)
        post = (tt >= T // 2).astype(float)
        a, b = rng.normal(0, 1, G)[unit], rng.normal(0, 1, T)[tt]
        e = np.concatenate([_ar1(rng, T, 0.5, 20) for _ in range(G)])
        r = diff_in_diff(a + b + 1.5 * tr * post + e, tr, post, unit=unit, time=tt)
        hits += r.effect_low <= 1.5 <= r.effect_high
        rejects += r.pretrend_p < 0.05
    assert 0.93 <= hits / 400 <= 0.97
    assert 0.02 <= rejects / 400 <= 0.08


# --------------------------------------------------------------------------- synthetic control


def _sc_panel(seed=0, J=6, T=30, n_pre=20, effect=0.0, weights=None, noise=0.0):
    rng = np.random.default_rng(seed)
    t = np.arange(T)
    donors = np.array([5 + rng.normal(0, 1) * np.sin(t / (2 + k)) + 0.1 * k * t
                       + rng.normal(0, 1, T).cumsum() * 0.3 for k in range(J)])
    w = np.zeros(J) if weights is None else np.asarray(weights, float)
    treated = w @ donors + effect * (t >= n_pre) + noise * rng.normal(0, 1, T)
    Y = np.vstack([treated, donors])
    names = np.array(["T"] + [f"d{k}" for k in range(J)])
    return (Y.ravel(), np.repeat(names, T), np.tile(t, J + 1))


def test_synthetic_control_recovers_convex_weights():
    w = [0.5, 0.0, 0.3, 0.0, 0.2, 0.0]
    y, u, t = _sc_panel(weights=w, effect=4.0)
    r = synthetic_control(y, u, t, treated_unit="T", start=20)
    assert isinstance(r, SyntheticControl)
    assert r.donor.tolist() == ["d0", "d1", "d2", "d3", "d4", "d5"]
    np.testing.assert_allclose(r.weight, w, atol=1e-6)
    assert r.weight.sum() == pytest.approx(1.0, abs=1e-12) and (r.weight >= 0).all()
    assert r.pre_rmspe < 1e-5
    assert r.effect == pytest.approx(4.0, abs=1e-5)
    np.testing.assert_allclose(r.gap[20:], 4.0, atol=1e-5)
    # an exact pre-fit gives the largest possible ratio: p = 1 / (J + 1)
    assert r.p_value == pytest.approx(1 / 7)


def test_synthetic_control_start_on_an_aware_time_column():
    pd = pytest.importorskip("pandas")
    y, u, t = _sc_panel(weights=[0.5, 0.0, 0.3, 0.0, 0.2, 0.0], effect=4.0)
    a = synthetic_control(y, u, t, treated_unit="T", start=20)
    days = pd.date_range("2025-03-20", periods=t.max() + 1, freq="D", tz="Europe/Berlin")
    data = pd.DataFrame({"y": y, "unit": u, "day": days[t]})
    # position 20 is 2025-04-09, local midnight (22:00 UTC on 04-08 in summer time)
    b = synthetic_control("y", "unit", "day", data=data, treated_unit="T", start="2025-04-09")
    assert b.effect == pytest.approx(a.effect, rel=1e-12)
    np.testing.assert_allclose(b.weight, a.weight, atol=1e-12)


def test_synthetic_control_table_data_and_verdict():
    w = [0.2, 0.8, 0, 0, 0, 0]
    y, u, t = _sc_panel(weights=w, effect=2.0, seed=3)
    r = synthetic_control("y", "unit", "t", treated_unit="T", start=20,
                          data={"y": y, "unit": u, "t": t}, label="NPS")
    assert r.to_frame("dict")["donor"].tolist() == r.donor.tolist()
    assert r.loc("d1")["weight"] == pytest.approx(0.8, abs=1e-6)
    assert r.verdict.startswith("NPS of T rose by 2 on average after the change")
    assert "placebo test over 6 donors" in r.verdict
    assert "interval unbounded" in r.verdict  # 1/7 > 0.05: too few donors for a 95 % set
    assert r.verdict.endswith("With 6 donors the placebo p-value cannot go below 1/7 = 0.143.")


def test_placebo_p_value_is_a_rank_among_all_units():
    # a big effect on a unit that is a noisy mix: ratio tops every placebo, p = 1/(J+1)
    J = 19
    y, u, t = _sc_panel(J=J, weights=np.full(J, 1 / J), effect=10.0, noise=0.05, seed=1)
    r = synthetic_control(y, u, t, treated_unit="T", start=20)
    assert r.p_value == pytest.approx(1 / 20)
    assert (r.placebo_ratio < r.rmspe_ratio).all()
    # formula: (1 + #placebo ratios >= treated) / (J + 1)
    assert r.p_value == (1 + np.sum(r.placebo_ratio >= r.rmspe_ratio)) / (J + 1)


def test_placebo_p_values_under_no_effect_are_near_uniform():
    # Process: 10 exchangeable units, each an independent Gaussian random walk (sd 1 steps),
    # 20 pre and 5 post periods, no effect; the treated unit is unit 0. Under exchangeability
    # P(p <= k/10) ~ k/10 (the treated unit's pool has one unit more than each placebo's).
    ps = []
    for rep in range(200):
        rng = np.random.default_rng([7, rep])
        Y = rng.normal(0, 1, (10, 25)).cumsum(axis=1) + rng.normal(0, 3, (10, 1))
        units = np.repeat([f"u{i}" for i in range(10)], 25)
        r = synthetic_control(Y.ravel(), units, np.tile(np.arange(25), 10), treated_unit="u0",
                              start=20)
        ps.append(r.p_value)
    ps = np.array(ps)
    assert set(np.round(ps * 10)) <= set(range(1, 11))
    # measured: P(p <= 0.1) = 0.115, P(p <= 0.2) = 0.21, mean 0.5635
    assert 0.12 <= np.mean(ps <= 0.2) <= 0.28      # nominal 0.2 (binomial sd 0.028)
    assert 0.50 <= ps.mean() <= 0.61                 # uniform on {0.1 … 1}: 0.55 (sd 0.02)


def test_synthetic_control_interval_inverts_the_placebo_test():
    J = 24
    y, u, t = _sc_panel(J=J, weights=np.r_[0.5, 0.5, np.zeros(J - 2)], effect=3.0,
                        noise=0.3, seed=5)
    r = synthetic_control(y, u, t, treated_unit="T", start=20, confidence=0.9)
    assert np.isfinite(r.effect_low) and r.effect_low < r.effect < r.effect_high
    # brute force: p(c) > 0.1 on a grid, with c taken off the treated post-period outcomes
    g, pre = r.gap[20:], r.pre_rmspe

    def p_of(c):
        ratio = math.sqrt(np.mean((g - c) ** 2)) / pre
        return (1 + np.sum(r.placebo_ratio >= ratio)) / (J + 1)

    grid = np.linspace(r.effect - 10, r.effect + 10, 20001)
    ok = grid[[p_of(c) > 0.1 for c in grid]]
    assert ok.min() == pytest.approx(r.effect_low, abs=2e-3)
    assert ok.max() == pytest.approx(r.effect_high, abs=2e-3)


def test_synthetic_control_without_placebo():
    y, u, t = _sc_panel(weights=[1, 0, 0, 0, 0, 0])
    r = synthetic_control(y, u, t, treated_unit="T", start=20, placebo=False)
    assert math.isnan(r.p_value) and np.isnan(r.placebo_ratio).all()
    assert "no placebo test run" in r.verdict


# --------------------------------------------------------------------------- bad input


def _msg(name, func, must, got):
    return f"The '{name}' parameter of {func} must be {must}. Got {got} instead."


ITS = "rca.interrupted_time_series"
DID = "rca.diff_in_diff"
SC = "rca.synthetic_control"


@pytest.mark.parametrize("kwargs, exc, text", [
    ({"y": [1.0, 2, 3, 4, 5, 6], "at": 2}, DataError,
     _msg("at", ITS, "a change with at least 3 periods on each side",
          "2 period(s) before and 4 after")),
    ({"y": [1.0, 2, 3], "at": 1}, DataError,
     _msg("y", ITS, "an array with at least 6 element(s)", "3 element(s)")),
    ({"at": 151}, InvalidParameterError, _msg("at", ITS, "an integer in [0, 150]", "151")),
    ({"at": 2.5}, InvalidTypeError, _msg("at", ITS, "an integer in [0, 150]", "2.5")),
    ({"errors": "arma"}, InvalidParameterError,
     _msg("errors", ITS, "one of 'hac', 'ar1', 'classical'", "'arma'")),
    ({"seasonal": "x"}, InvalidParameterError,
     _msg("seasonal", ITS, "one of 'fourier', 'dummies'", "'x'")),
    ({"period": 1}, InvalidParameterError, _msg("period", ITS, "an integer in [2, 75]", "1")),
    ({"period": 7, "harmonics": 4}, InvalidParameterError,
     _msg("harmonics", ITS, "an integer in [1, 3]", "4")),
    ({"harmonics": 2}, InvalidParameterError,
     _msg("harmonics", ITS, "None when no 'period' is given", "2")),
    ({"maxlags": 150}, InvalidParameterError,
     _msg("maxlags", ITS, "an integer in [0, 149]", "150")),
    ({"maxlags": 3, "errors": "ar1"}, InvalidParameterError,
     _msg("maxlags", ITS, "None unless errors='hac'", "3")),
    ({"horizon": -1}, InvalidParameterError, _msg("horizon", ITS, "an integer in [0, inf]", "-1")),
    ({"slope": 1}, InvalidTypeError, _msg("slope", ITS, "True or False", "1")),
    ({"small_sample": "yes"}, InvalidTypeError,
     _msg("small_sample", ITS, "True or False", "'yes'")),
    ({"confidence": 1.0}, InvalidParameterError,
     _msg("confidence", ITS, "a real number in (0, 1)", "1.0")),
    ({"alpha": 0.0}, InvalidParameterError, _msg("alpha", ITS, "a real number in (0, 1)", "0.0")),
    ({"label": 3}, InvalidTypeError, _msg("label", ITS, "a str or None", "3")),
    ({"time": np.arange(149)}, DataError, _msg("time", ITS, "of the same length as 'y' (150)",
                                               "length 149")),
    ({"time": np.r_[np.arange(149), 3], "at": 80}, DataError,
     _msg("time", ITS, "strictly increasing", "3 at position 149 after 148")),
    ({"time": np.arange(150), "at": "x"}, InvalidTypeError,
     _msg("at", ITS, "a number like the 'time' values", "'x'")),
    ({"time": np.datetime64("2025-01-01") + np.arange(150), "at": 5}, InvalidTypeError,
     _msg("at", ITS, "a date (str, datetime or numpy.datetime64) like the 'time' values", "5")),
    ({"time": np.array(["a"] * 150)}, DataError,
     _msg("time", ITS, "numbers or dates", "an array of dtype <U1")),
    ({"y": np.r_[_series()[:-1], np.nan]}, DataError,
     _msg("y", ITS, "free of NaN", "NaN at position 149")),
    ({"y": [1.0, 1, 1, 1, 1, 1, 1], "at": 3, "period": 3, "seasonal": "dummies"}, DataError,
     _msg("y", ITS, "at least 8 periods for the 6 coefficients", "7 period(s)")),
])
def test_its_bad_input(kwargs, exc, text):
    args = {"y": _series(), "at": 80} | kwargs
    with pytest.raises(exc) as info:
        interrupted_time_series(args.pop("y"), args.pop("at"), **args)
    assert str(info.value) == text


def test_did_rank_deficient_panel_is_a_data_error():
    # comparison unit A is seen only after, B only before: their unit effects absorb them,
    # so the post-period effect and treated × post are the same column (D = post − 1{A})
    with pytest.raises(DataError) as info:
        diff_in_diff([1.0, 2, 3, 4.5, 5, 6, 7, 8.5], [1, 1, 1, 1, 1, 1, 0, 0],
                     [0, 1, 0, 1, 0, 1, 1, 0], unit=["T1", "T1", "T2", "T2", "T3", "T3", "A", "B"],
                     time=[0, 1, 0, 1, 0, 1, 1, 0])
    assert str(info.value) == _msg(
        "y", DID, "data that identify every coefficient of the two-way fixed-effects design",
        "a design of deficient rank (a term is constant or a combination of others: check that "
        "both groups and both periods are present)")


@pytest.mark.parametrize("kwargs, exc, text", [
    ({"treated": [1, 1, 2, 0, 0, 0, 0, 1]}, DataError,
     _msg("treated", DID, "booleans or 0/1 values", "2 at position 2")),
    ({"post": [0, 0, 0, 0, 0, 0, 0, 0]}, DataError,
     _msg("y", DID, "observed in all four cells of treated × post",
          "no row with treated=0 and post=1")),
    ({"post": [0, 1]}, DataError,
     _msg("post", DID, "of the same length as 'y' (8)", "length 2")),
    ({"cov": "cluster"}, InvalidParameterError,
     _msg("cov", DID, "'hc1' or 'classical' when no 'unit' is given", "'cluster'")),
    ({"cov": "hac"}, InvalidParameterError,
     _msg("cov", DID, "one of 'auto', 'cluster', 'hc1', 'classical'", "'hac'")),
    ({"time": [0, 1, 0, 1, 0, 1, 0, 1]}, InvalidParameterError,
     _msg("unit", DID, "given when 'time' is (the panel design needs both)", "None")),
    ({"unit": [1, 1, 1, 1, 1, 1, 1, 1]}, DataError,
     _msg("unit", DID, "at least 2 distinct units to cluster on", "1 unit(s)")),
    ({"unit": [1, 1, None, 1, 2, 2, 2, 2]}, DataError,
     _msg("unit", DID, "free of missing values", "a missing value at position 2")),
    ({"unit": [1, 1, 1, 1, 2, 2, 3, 3], "time": [0, 0, 1, 1, 0, 0, 1, 1],
      "treated": [1, 1, 1, 1, 0, 1, 0, 0]}, DataError,
     _msg("treated", DID, "the same for every row of a unit",
          "both 0 and 1 within the unit of row 4")),
    ({"unit": [1, 1, 1, 1, 2, 2, 2, 2], "time": [0, 1, 2, 3, 0, 1, 2, 3],
      "post": [0, 1, 1, 0, 0, 1, 1, 0]}, DataError,
     _msg("post", DID, "0 before and 1 from the change on, in the order of 'time'",
          "periods that switch back")),
    ({"y": [1.0, 2, 3, "x", 5, 6, 7, 8]}, DataError,
     _msg("y", DID, "numeric", "'x' at position 3")),
    ({"confidence": 0}, InvalidParameterError,
     _msg("confidence", DID, "a real number in (0, 1)", "0.0")),
    ({"label": ["a"]}, InvalidTypeError, _msg("label", DID, "a str or None", "['a']")),
])
def test_did_bad_input(kwargs, exc, text):
    args = {"y": [7.0, 7.2, 7.1, 8.3, 6.9, 7.0, 7.1, 7.3], "treated": [1, 1, 1, 1, 0, 0, 0, 0],
            "post": [0, 0, 1, 1, 0, 0, 1, 1]} | kwargs
    with pytest.raises(exc) as info:
        diff_in_diff(args.pop("y"), args.pop("treated"), args.pop("post"), **args)
    assert str(info.value) == text


def test_did_unknown_column_and_no_data():
    with pytest.raises(InvalidParameterError, match=r"^The 'treated' parameter of "
                                                    r"rca.diff_in_diff must be a column"):
        diff_in_diff("y", "treatd", "post", data={"y": [1.0] * 4, "treated": [1, 1, 0, 0],
                                                  "post": [0, 1, 0, 1]})
    with pytest.raises(InvalidParameterError, match=r"when no 'data' table is given"):
        diff_in_diff("y", [1, 1, 0, 0], [0, 1, 0, 1])


def _sc_args():
    y, u, t = _sc_panel(weights=[0.5, 0.5, 0, 0, 0, 0])
    return {"y": y, "unit": u, "time": t, "treated_unit": "T", "start": 20}


@pytest.mark.parametrize("kwargs, exc, text", [
    ({"treated_unit": "X"}, InvalidParameterError,
     _msg("treated_unit", SC, "one of the 'unit' values (['T', 'd0', 'd1', 'd2', 'd3', 'd4', "
          "'d5'])", "'X'")),
    ({"treated_unit": ["T"]}, InvalidParameterError,
     _msg("treated_unit", SC, "one of the 'unit' values (['T', 'd0', 'd1', 'd2', 'd3', 'd4', "
          "'d5'])", "['T']")),
    ({"start": 1}, DataError,
     _msg("start", SC, "a period with at least 2 periods before it and 1 from it on",
          "1 (1 before, 29 from it)")),
    ({"start": 30}, DataError,
     _msg("start", SC, "a period with at least 2 periods before it and 1 from it on",
          "30 (30 before, 0 from it)")),
    ({"start": "20"}, InvalidTypeError, _msg("start", SC, "a number like the 'time' values",
                                             "'20'")),
    ({"placebo": None}, InvalidTypeError, _msg("placebo", SC, "True or False", "None")),
    ({"unit": None}, InvalidTypeError,
     _msg("unit", SC, "a column name or a sequence of values (one per row)", "None")),
    ({"time": None}, InvalidTypeError,
     _msg("time", SC, "a column name or a sequence of values (one per row)", "None")),
    ({"confidence": 2}, InvalidParameterError,
     _msg("confidence", SC, "a real number in (0, 1)", "2.0")),
])
def test_synthetic_control_bad_input(kwargs, exc, text):
    args = _sc_args() | kwargs
    with pytest.raises(exc) as info:
        synthetic_control(args.pop("y"), args.pop("unit"), args.pop("time"), **args)
    assert str(info.value) == text


def test_synthetic_control_unbalanced_and_too_few_donors():
    a = _sc_args()
    with pytest.raises(DataError) as info:
        synthetic_control(a["y"][1:], a["unit"][1:], a["time"][1:], treated_unit="T", start=20)
    assert str(info.value) == _msg("time", SC, "one row per unit and period (a balanced panel)",
                                   "0 row(s) for unit np.str_('T') at period np.int64(0)")
    keep = np.isin(a["unit"], ["T", "d0"])
    with pytest.raises(DataError) as info:
        synthetic_control(a["y"][keep], a["unit"][keep], a["time"][keep], treated_unit="T",
                          start=20)
    assert str(info.value) == _msg("unit", SC, "at least 3 units (the treated one and 2 donors)",
                                   "2 unit(s)")


def test_errors_are_cxpath_errors():
    with pytest.raises(CxpathError):
        interrupted_time_series(object(), 3)
    with pytest.raises(CxpathError):
        diff_in_diff([1.0] * 8, object(), [0] * 8)
    with pytest.raises(CxpathError):
        synthetic_control([1.0] * 8, [1] * 8, object(), treated_unit=1, start=2)


def test_results_are_results():
    y, tr, post, unit, tt = _panel()
    r = diff_in_diff(y, tr, post, unit=unit, time=tt)
    assert isinstance(r, DiffInDiff)
    assert "Difference-in-differences (panel, cluster)" in repr(r)
    assert r.event_study.to_frame("dict")["event_time"].tolist() == list(range(-4, 4))


def test_plots_draw_each_design():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    from cxpath.plot._rca_impact import impact

    its = interrupted_time_series(_series(), 80)
    ax = its.plot()
    # observed, fit, counterfactual from the change on, the change line
    assert len(ax.lines) == 4 and ax.lines[2].get_xdata()[0] == 80
    es = diff_in_diff(*_panel()[:3], unit=_panel()[3], time=_panel()[4])
    ax = es.plot()
    assert ax.get_title().startswith("Difference-in-differences: effect ")
    assert impact(es.event_study).get_xlabel() == "periods relative to the change (reference −1)"
    two = diff_in_diff(*_two_by_two())
    np.testing.assert_allclose(two.plot().lines[1].get_ydata(), two.cell_means[1])
    sc = synthetic_control(**_sc_args())
    ax = sc.plot()
    np.testing.assert_allclose(ax.lines[1].get_ydata(), sc.synthetic_path)
    pd = pytest.importorskip("pandas")
    days = pd.date_range("2025-01-01", periods=150, freq="D", tz="Europe/Berlin")
    aware = interrupted_time_series("y", "2025-03-22", data=pd.DataFrame(
        {"y": _series(), "day": days}), time="day")
    change = aware.plot().lines[3].get_xdata()[0]  # the change line, at local midnight
    assert str(change) == "2025-03-22 00:00:00+01:00"
    with pytest.raises(InvalidParameterError, match=r"^The 'result' parameter of plot.impact"):
        impact(3)
    with pytest.raises(InvalidParameterError, match=r"^The 'ax' parameter of plot.impact"):
        impact(its, ax="axes")


def test_memory_guard_before_the_fixed_effects_design(monkeypatch):
    from cxpath.errors import CostError

    monkeypatch.setenv("CXPATH_MAX_MEMORY", "10KiB")
    y, tr, post, unit, tt = _panel()
    # 240 rows × (1 + 29 + 7 + 8) columns × 8 bytes × 3 = 259,200 bytes > 10 KiB
    with pytest.raises(CostError, match=r"^rca.diff_in_diff would need about 253.1 KiB for "
                                        r"the fixed-effects design"):
        diff_in_diff(y, tr, post, unit=unit, time=tt)


def test_tables_with_column_names_give_the_same_results():
    pd = pytest.importorskip("pandas")
    y, tr, post, unit, tt = _panel()
    frame = pd.DataFrame({"fcr": y, "scripted": tr.astype(bool), "after": post.astype(bool),
                          "team": [f"team {u}" for u in unit], "week": tt})
    a = diff_in_diff("fcr", "scripted", "after", data=frame, unit="team", time="week")
    b = diff_in_diff(y, tr, post, unit=unit, time=tt)
    assert a.effect == pytest.approx(b.effect, rel=1e-12)
    assert a.effect_se == pytest.approx(b.effect_se, rel=1e-12)
    s = _sc_args()
    frame = pd.DataFrame({"y": s["y"], "region": s["unit"], "month": s["time"]})
    r = synthetic_control("y", "region", "month", data=frame, treated_unit="T", start=20)
    np.testing.assert_allclose(r.weight, synthetic_control(**s).weight, atol=1e-12)


def test_an_exactly_flat_outcome_is_no_change():
    # every cell mean equal: effect 0 with standard error 0 is t = 0, p = 1 (not NaN)
    r = diff_in_diff([1.0] * 8, [1, 1, 1, 1, 0, 0, 0, 0], [0, 0, 1, 1] * 2)
    assert r.effect == 0 and r.effect_se == 0 and r.effect_p == 1.0
    assert "did not move" in r.verdict and "no evidence of a change" in r.verdict
