"""Life-data fits checked against independent computations written out here."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from scipy import optimize, stats

from cxpath.errors import CxpathWarning
from cxpath.reliability import (
    LifeData,
    fit,
    fit_best,
    fit_competing,
    fit_groups,
    plotting_positions,
    probability_plot,
)

# Hexagon EAM Reliability Analysis manual ("Weibull distribution" page): times to failure
# 34, 16, 120, 53, 75, 93 give beta = 1.42696711, eta = 76.3454156, and 15, 240, 10, 120,
# 35, 25 give beta = 0.8139495, eta = 73.0026692 (median ranks by Benard's formula,
# regression of the probability axis on ln t: RRY).
HEXAGON = [([34, 16, 120, 53, 75, 93], 1.42696711, 76.3454156),
           ([15, 240, 10, 120, 35, 25], 0.8139495, 73.0026692)]


@pytest.mark.parametrize(("times", "beta", "eta"), HEXAGON)
def test_rank_regression_matches_published_vendor_example(times, beta, eta):
    f = fit(times, "weibull", method="rry")
    assert round(f.params["beta"], 7) == pytest.approx(beta, abs=5e-8)
    assert round(f.params["alpha"], 7) == pytest.approx(eta, abs=5e-7)


def _brute_ll(logpdf, logsf, logcdf, exact, right, left, lo, hi):
    total = np.sum(logpdf(exact)) + np.sum(logsf(right)) + np.sum(logcdf(left))
    return total + np.sum(np.log(np.exp(logcdf(hi)) - np.exp(logcdf(lo))))


def _weibull_brute(exact, right, left, lo, hi):
    def nll(x):
        a, b = np.exp(x)
        d = stats.weibull_min(b, scale=a)
        return -_brute_ll(d.logpdf, d.logsf, d.logcdf, exact, right, left, lo, hi)

    res = optimize.minimize(nll, [math.log(np.median(exact)), 0.0], method="Nelder-Mead",
                            options={"xatol": 1e-11, "fatol": 1e-13, "maxiter": 20000})
    return np.exp(res.x), -res.fun


def test_every_kind_of_censoring_matches_a_direct_likelihood():
    rng = np.random.default_rng(3)
    t = 100 * rng.weibull(2.0, 200)
    kind = rng.integers(0, 4, 200)
    exact, right = t[kind == 0], 1.3 * t[kind == 1]  # censored after... no: see below
    right = np.minimum(t[kind == 1], 80.0) * 0 + np.where(t[kind == 1] > 80, 80.0,
                                                           t[kind == 1])
    right = right[t[kind == 1] > 80]
    exact = np.concatenate([exact, t[kind == 1][t[kind == 1] <= 80]])
    left = np.ceil(t[kind == 2] / 25) * 25  # found failed at the next inspection
    lo = np.floor(t[kind == 3] / 30) * 30
    hi = lo + 30
    lo_pos = lo[lo > 0]
    left = np.concatenate([left, hi[lo == 0]])
    hi = hi[lo > 0]
    d = LifeData.from_lists(exact, right_censored=right, left_censored=left,
                            interval_lower=lo_pos, interval_upper=hi)
    f = fit(d, "weibull")
    params, ll = _weibull_brute(exact, right, left, lo_pos, hi)
    np.testing.assert_allclose(f.estimate, params, rtol=1e-6)
    assert f.log_likelihood == pytest.approx(ll, rel=1e-9)


@pytest.mark.parametrize("name", ["lognormal", "gamma", "loglogistic", "exponential"])
def test_interval_and_left_censoring_other_families(name):
    rng = np.random.default_rng(11)
    t = 50 * rng.weibull(1.5, 150)
    lo = np.floor(t / 20) * 20
    hi = lo + 20
    d = LifeData.from_bounds(lo, hi)  # lo == 0 rows are left-censored
    f = fit(d, name)
    dist = {"lognormal": lambda th: stats.lognorm(th[1], scale=math.exp(th[0])),
            "gamma": lambda th: stats.gamma(th[1], scale=th[0]),
            "loglogistic": lambda th: stats.fisk(th[1], scale=th[0]),
            "exponential": lambda th: stats.expon(scale=1 / th[0])}[name]

    def nll(x):
        th = np.exp(x) if name != "lognormal" else np.array([x[0], math.exp(x[1])])
        D = dist(th)
        return -np.sum(np.log(D.cdf(hi) - D.cdf(lo)))

    x0 = np.log(f.estimate) if name != "lognormal" else [f.estimate[0], math.log(f.estimate[1])]
    res = optimize.minimize(nll, np.asarray(x0) + 0.05, method="Nelder-Mead",
                            options={"xatol": 1e-11, "fatol": 1e-13, "maxiter": 20000})
    assert f.log_likelihood == pytest.approx(-res.fun, rel=1e-9)
    assert f.log_likelihood >= -res.fun - 1e-9


def test_counts_equal_repeated_rows():
    t = np.array([10.0, 20.0, 30.0, 45.0])
    failed = np.array([True, True, False, True])
    count = np.array([3, 1, 5, 2])
    grouped = fit(LifeData.from_times(t, failed=failed, count=count), "lognormal")
    expanded = fit(LifeData.from_times(np.repeat(t, count), failed=np.repeat(failed, count)),
                   "lognormal")
    np.testing.assert_allclose(grouped.estimate, expanded.estimate, rtol=1e-9)
    np.testing.assert_allclose(grouped.se, expanded.se, rtol=1e-6)
    assert grouped.aicc == pytest.approx(expanded.aicc, rel=1e-12)


def test_weibull_kernel_agrees_with_the_general_optimiser():
    """The kernel path (exact + right) and the general path (forced by one interval row
    of negligible weight) reach the same maximum."""
    rng = np.random.default_rng(5)
    t = 300 * rng.weibull(1.3, 120)
    c = rng.uniform(50, 600, 120)
    d = LifeData.from_times(np.minimum(t, c), failed=t <= c)
    k = fit(d, "weibull")
    general = LifeData(np.append(d.lower, 1.0), np.append(d.upper, 2.0),
                       np.append(d.count, 1e-12))
    g = fit(general, "weibull")
    np.testing.assert_allclose(k.estimate, g.estimate, rtol=1e-7)
    np.testing.assert_allclose(k.se, g.se, rtol=1e-5)


def test_likelihood_ratio_bounds_match_a_brute_force_profile():
    t = np.array([16, 34, 53, 75, 93, 120.0])
    c = np.array([150, 150.0])
    f = fit(LifeData.from_lists(t, right_censored=c), "weibull")
    crit = f.log_likelihood - 0.5 * stats.chi2.ppf(0.95, 1)

    def ll(a, b):
        return np.sum(np.log(b / a) + (b - 1) * np.log(t / a) - (t / a) ** b) - np.sum(
            (c / a) ** b)

    def prof_b10(tp):
        def nll(lb):
            return -ll(tp / (-math.log(0.9)) ** (1 / math.exp(lb)), math.exp(lb))

        return -optimize.minimize_scalar(nll, bounds=(-5, 3), method="bounded",
                                         options={"xatol": 1e-12}).fun

    def prof_beta(b):
        return -optimize.minimize_scalar(lambda la: -ll(math.exp(la), b), bounds=(0, 10),
                                         method="bounded", options={"xatol": 1e-12}).fun

    b10 = f.b_lives([10], bounds="likelihood")
    lo = math.exp(optimize.brentq(lambda x: prof_b10(math.exp(x)) - crit, 0, math.log(22)))
    hi = math.exp(optimize.brentq(lambda x: prof_b10(math.exp(x)) - crit, math.log(22), 6))
    assert b10.lower[0] == pytest.approx(lo, rel=1e-6)  # 2.660545
    assert b10.upper[0] == pytest.approx(hi, rel=1e-6)  # 53.792812
    pb = f.parameter_bounds("likelihood")
    blo = optimize.brentq(lambda b: prof_beta(b) - crit, 0.3, f.params["beta"])
    bhi = optimize.brentq(lambda b: prof_beta(b) - crit, f.params["beta"], 10)
    assert pb.lower[1] == pytest.approx(blo, rel=1e-6)  # 0.615487
    assert pb.upper[1] == pytest.approx(bhi, rel=1e-6)  # 2.531442


def test_exponential_likelihood_ratio_bound_has_a_closed_form_check():
    """Exponential, r failures over total time T: 2[r ln(λ̂/λ) − r + λT] = χ²₁ at the
    bounds (the profile is the likelihood itself)."""
    t = np.array([5.0, 11, 19, 30, 48])
    f = fit(t, "exponential")
    r, T = 5, t.sum()
    lam = r / T
    pb = f.parameter_bounds("likelihood")
    q = stats.chi2.ppf(0.95, 1)
    for x in (pb.lower[0], pb.upper[0]):
        assert 2 * (r * math.log(lam / x) - r + x * T) == pytest.approx(q, rel=1e-8)


def test_quantities_of_a_weibull_fit():
    f = fit([16, 34, 53, 75, 93, 120], "weibull")
    a, b = f.params["alpha"], f.params["beta"]
    t = np.array([10.0, 50.0, 100.0])
    np.testing.assert_allclose(f.reliability(t), np.exp(-(t / a) ** b), rtol=1e-12)
    np.testing.assert_allclose(f.cdf(t), 1 - np.exp(-(t / a) ** b), rtol=1e-12)
    np.testing.assert_allclose(f.hazard(t), b / a * (t / a) ** (b - 1), rtol=1e-12)
    np.testing.assert_allclose(f.cumulative_hazard(t), (t / a) ** b, rtol=1e-12)
    assert f.mttf == pytest.approx(a * math.gamma(1 + 1 / b), rel=1e-12)
    assert f.b_life(10) == pytest.approx(a * (-math.log(0.9)) ** (1 / b), rel=1e-12)
    assert f.conditional_reliability(20.0, age=30.0) == pytest.approx(
        math.exp(-(50 / a) ** b + (30 / a) ** b), rel=1e-12)
    assert f.pdf(50.0) == pytest.approx(stats.weibull_min(b, scale=a).pdf(50.0), rel=1e-12)


def test_weibull_3p_location_below_first_failure_and_warning_when_unbounded():
    rng = np.random.default_rng(2)
    t = 40 + 100 * rng.weibull(2.5, 60)
    f = fit(t, "weibull_3p")
    assert 0 < f.params["gamma"] < t.min()
    # the reliability package's "automotive" data (10 failures from 5,248 on, 21 censored):
    # the 3-parameter likelihood rises all the way to gamma = first failure (shape < 1)
    failures = [5248, 7454, 16890, 17200, 38700, 45000, 49390, 69040, 72280, 131900]
    censored = [3961, 4007, 4734, 6054, 7298, 10190, 23060, 27160, 28690, 37100, 40060,
                45670, 53000, 67000, 69630, 77350, 78470, 91680, 105700, 106300, 150400]
    d = LifeData.from_lists(failures, right_censored=censored)
    with pytest.warns(CxpathWarning, match=r"no interior maximum"):
        g = fit(d, "weibull_3p")
    assert g.at_bound.tolist() == [False, False, True]
    assert g.params["gamma"] == pytest.approx(5248, rel=1e-8)
    assert g.se[2] == 0


def test_fit_best_ranks_every_candidate_and_lists_failures():
    rng = np.random.default_rng(8)
    t = np.exp(rng.normal(4.0, 0.5, 80))
    r = fit_best(t)
    assert r.distribution[0] in ("lognormal", "loglogistic", "gamma", "weibull_3p")
    assert len(r.distribution) == 7
    assert np.all(np.diff(r.aicc[np.isfinite(r.aicc)]) >= 0)
    r2 = fit_best([5.0, 9.0], ["weibull_3p", "exponential"], criterion="bic")
    assert r2.distribution.tolist() == ["exponential", "weibull_3p"]
    assert "at least 3 failures" in r2.note[1]
    assert r2.best.distribution == "exponential"


def test_probability_plot_is_a_straight_line_for_its_own_distribution():
    f = fit([16, 34, 53, 75, 93, 120, 150, 191, 240, 339], "weibull")
    pp = probability_plot(f)
    slope = np.diff(pp.line_y) / np.diff(pp.line_x)
    np.testing.assert_allclose(slope, f.params["beta"], rtol=1e-9)
    pos = plotting_positions(f.data)
    np.testing.assert_allclose(pp.y, np.log(-np.log1p(-pos.probability)), rtol=1e-12)
    assert np.all(pp.line_lower <= pp.line_time) and np.all(pp.line_time <= pp.line_upper)


def test_competing_modes_censor_the_other_modes():
    t = np.array([5, 8, 12, 20, 25, 30, 40, 50.0])
    mode = ["seal", "seal", "bearing", "seal", "bearing", None, "bearing", None]
    cm = fit_competing(t, mode, distribution="exponential")
    # exponential MLE per mode: its failures over the total time on test of every unit
    assert cm.fit_of("seal").params["lambda"] == pytest.approx(3 / t.sum(), rel=1e-12)
    assert cm.hazard(7.0) == pytest.approx(6 / t.sum(), rel=1e-12)
    assert cm.b_life(10) == pytest.approx(-math.log(0.9) / (6 / t.sum()), rel=1e-9)


def test_fit_groups_equals_one_fit_per_group():
    rng = np.random.default_rng(4)
    g = rng.integers(0, 30, 2000)
    t = 100 * (1 + g / 10) * rng.weibull(1 + g / 20, 2000)
    c = rng.uniform(20, 400, 2000)
    res = fit_groups(np.minimum(t, c), g, failed=t <= c)
    for k in (0, 7, 29):
        m = g == k
        one = fit(LifeData.from_times(np.minimum(t, c)[m], failed=(t <= c)[m]), "weibull")
        i = int(np.flatnonzero(res.group == k)[0])
        assert res.alpha[i] == pytest.approx(one.params["alpha"], rel=1e-10)
        assert res.beta[i] == pytest.approx(one.params["beta"], rel=1e-10)
        assert res.beta_lower[i] == pytest.approx(one.lower[1], rel=1e-10)
        assert res.log_likelihood[i] == pytest.approx(one.log_likelihood, rel=1e-10)
    few = fit_groups([5.0, 7.0, 9.0], ["a", "b", "b"], failed=[True, True, False])
    assert few.note.tolist() == ["fewer than 2 failures", "fewer than 2 failures"]


def test_weibull_kernel_pure_python_oracle():
    """The kernel's Python body (``py_func``) gives what the compiled kernel gives."""
    from cxpath._kernels.reliability import weibull_groups

    rng = np.random.default_rng(9)
    log_t = np.log(50 * rng.weibull(1.7, 40))
    failed = (rng.random(40) < 0.7).astype(float)
    weight = np.ones(40)
    offsets = np.array([0, 15, 40], dtype=np.int64)
    compiled = weibull_groups(log_t, failed, weight, offsets)
    py = getattr(weibull_groups, "py_func", weibull_groups)(log_t, failed, weight, offsets)
    np.testing.assert_allclose(compiled, py, rtol=1e-12)


def test_no_warning_leaks_from_fit_best():
    failures = [5248, 7454, 16890, 17200, 38700, 45000, 49390, 69040, 72280, 131900]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = fit_best(LifeData.from_lists(failures, right_censored=[3961, 4007, 150400]))
    assert "no interior maximum" in " ".join(r.note.tolist())


def test_nist_handbook_weibull_mle_example():
    """NIST/SEMATECH e-Handbook of Statistical Methods, 8.4.1.3 "A Weibull maximum likelihood
    estimation example" (data of 8.2.2.1): failures at 54 … 386 h, 10 units removed at 500 h.
    Printed: eta 606.5280, beta 1.7208, log-likelihood -75.135, AIC 154.27 (lognormal AIC
    154.39), mean life 540.737 h. Our eta is 606.52756: the likelihood is flat there (the
    printed point's log-likelihood is 4e-11 lower), so the fourth decimal is optimiser noise.
    """
    from cxpath.reliability import LifeData, fit

    data = LifeData.from_times([54, 187, 216, 240, 244, 335, 361, 373, 375, 386, 500],
                               failed=[1] * 10 + [0], count=[1] * 10 + [10])
    w = fit(data, "weibull")
    assert round(w.params["beta"], 4) == 1.7208
    assert abs(w.params["alpha"] - 606.5280) < 5e-4
    assert round(w.log_likelihood, 3) == -75.135
    assert round(2 * 2 - 2 * w.log_likelihood, 2) == 154.27
    assert round(2 * 2 - 2 * fit(data, "lognormal").log_likelihood, 2) == 154.39
    assert round(w.mttf, 3) == 540.737
