"""Tests of cxpath.kpi.scorecard: empirical-Bayes scorecards, rank intervals, funnel plots."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import optimize, stats

from cxpath.errors import CostError, DataError, InvalidParameterError, InvalidTypeError
from cxpath.kpi import Caterpillar, funnel_chart, mean_scorecard, rate_scorecard

Y = np.array([5, 70, 150, 33, 140, 12, 88, 40])
N = np.array([5, 100, 200, 50, 250, 20, 110, 70])


def _agents(seed, k=40):
    rng = np.random.default_rng(seed)
    p = rng.beta(14, 6, size=k)  # true FCR around 0.7, between-agent SD about 0.1
    n = rng.integers(3, 80, size=k)
    return p, rng.binomial(n, p), n


# ------------------------------------------------------------------ rates

def test_shrinkage_beats_raw_rates_in_95_percent_of_runs():
    wins = 0
    runs = 200
    for seed in range(runs):
        p, y, n = _agents(seed)
        card = rate_scorecard(y, n, n_draws=0)
        wins += np.mean((card.estimate - p) ** 2) < np.mean((y / n - p) ** 2)
    # measured when written: 198 of 200 runs, median MSE ratio shrunk / raw 0.47
    assert wins / runs >= 0.95


def _independent_bb_mle(y, n):
    """Beta-binomial ML fit with scipy.stats.betabinom and Nelder-Mead (no gradient)."""
    def nll(t):
        return -stats.betabinom.logpmf(y, n, np.exp(t[0]), np.exp(t[1])).sum()

    res = optimize.minimize(nll, [np.log(5.0), np.log(2.0)], method="Nelder-Mead",
                            options={"xatol": 1e-12, "fatol": 1e-14, "maxiter": 20000,
                                     "maxfev": 40000})
    return np.exp(res.x)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_beta_binomial_hyperparameters_equal_independent_ml_fit(seed):
    _, y, n = _agents(seed, k=60)
    card = rate_scorecard(y, n, n_draws=0)
    assert card.fit == "mle"
    a, b = _independent_bb_mle(y, n)
    np.testing.assert_allclose([card.alpha, card.beta], [a, b], rtol=1e-6)


def test_posterior_means_and_equal_tailed_intervals():
    card = rate_scorecard(Y, N, n_draws=0, confidence=0.9)
    a, b = card.alpha, card.beta
    np.testing.assert_allclose(card.estimate, (a + Y) / (a + b + N), rtol=1e-12)
    np.testing.assert_allclose(card.ci_low, stats.beta.ppf(0.05, a + Y, b + N - Y))
    np.testing.assert_allclose(card.ci_high, stats.beta.ppf(0.95, a + Y, b + N - Y))
    assert card.centre == pytest.approx(a / (a + b))
    assert np.isnan(card.p_best).all() and (card.rank_low == 0).all()


def test_small_unit_is_not_ranked_first_by_chance():
    card = rate_scorecard(Y, N, units=list("abcdefgh"), seed=3)
    assert card.rate[0] == 1.0 and card.rank[0] != 1  # 5 of 5: raw 100 %
    assert card.rank_high[0] - card.rank_low[0] >= 4  # and its rank is very uncertain
    assert (card.rank_low <= card.rank).all() and (card.rank <= card.rank_high).all()
    assert card.p_best.sum() == pytest.approx(1.0, abs=0.01)


def test_method_of_moments_equals_formula():
    card = rate_scorecard(Y, N, method="moments", n_draws=0)
    k, total = Y.size, N.sum()
    mu = Y.sum() / total
    s = (N * (Y / N - mu) ** 2).sum()
    rho = (s / (mu * (1 - mu)) - (k - 1)) / (total - (N ** 2).sum() / total - (k - 1))
    m = 1 / rho - 1
    assert card.fit == "moments"
    np.testing.assert_allclose([card.alpha, card.beta], [mu * m, (1 - mu) * m], rtol=1e-12)


def test_no_overdispersion_pools_everyone():
    card = rate_scorecard([10, 20, 30, 40], [100, 200, 300, 400], n_draws=0)
    assert card.fit == "pooled"
    np.testing.assert_allclose(card.estimate, 0.1, rtol=1e-6)


def test_lower_is_better_and_tables():
    import pandas as pd

    df = pd.DataFrame({"agent": list("abcdefgh"), "repeat": Y, "tickets": N})
    card = rate_scorecard("repeat", "tickets", "agent", data=df, higher_is_better=False,
                          seed=0)
    assert card.unit.tolist() == list("abcdefgh")
    assert card.rank[np.argmin(card.estimate)] == 1
    cat = card.caterpillar()
    assert isinstance(cat, Caterpillar)
    assert cat.rank.tolist() == sorted(card.rank.tolist())
    assert cat.unit[0] == card.unit[np.argmin(card.estimate)]


def test_zero_trials_unit_gets_the_prior():
    card = rate_scorecard([5, 70, 150, 0], [5, 100, 200, 0], n_draws=0, method="moments")
    assert np.isnan(card.rate[3])
    assert card.estimate[3] == pytest.approx(card.centre)


@pytest.mark.parametrize(("kwargs", "exc", "msg"), [
    ({"successes": [1, 5], "trials": [2, 4]}, DataError,
     r"at most the trials of the same unit\. Got 5 successes out of 4 trials at position 1"),
    ({"successes": [1, -1], "trials": [2, 4]}, DataError, r"in \[0, inf\]\. Got -1"),
    ({"successes": [1.5, 1], "trials": [2, 4]}, DataError, r"whole numbers"),
    ({"successes": [1, 1, 1], "trials": [2, 4]}, DataError, r"same length"),
    ({"successes": [1], "trials": [2]}, DataError, r"positive for at least 2 units"),
    ({"successes": [0, 0], "trials": [2, 4]}, DataError, r"overall rate of 0"),
    ({"successes": [1, 2], "trials": [2, 4], "units": ["a", "a"]}, DataError,
     r"distinct labels\)\. Got 'a' twice"),
    ({"successes": [1, 2], "trials": [2, 4], "method": "bayes"}, InvalidParameterError,
     r"'method' parameter of kpi\.rate_scorecard must be one of 'mle', 'moments'"),
    ({"successes": [1, 2], "trials": [2, 4], "confidence": 1.0}, InvalidParameterError,
     r"confidence"),
    ({"successes": [1, 2], "trials": [2, 4], "n_draws": -1}, InvalidParameterError,
     r"n_draws"),
    ({"successes": [1, 2], "trials": [2, 4], "higher_is_better": 1}, InvalidTypeError,
     r"True or False"),
    ({"successes": "fcr", "trials": [2, 4]}, InvalidParameterError,
     r"a sequence of values when no 'data' table is given"),
    ({"successes": 3, "trials": [2, 4]}, InvalidTypeError, r"a column name or a sequence"),
])
def test_rate_scorecard_bad_input(kwargs, exc, msg):
    with pytest.raises(exc, match=msg):
        rate_scorecard(**kwargs)


def test_rate_scorecard_memory_guard(monkeypatch):
    monkeypatch.setenv("CXPATH_MAX_MEMORY", "1MiB")
    with pytest.raises(CostError, match="posterior draws"):
        rate_scorecard(Y, N, n_draws=10_000_000)


# ------------------------------------------------------------------ means

M = np.array([4.9, 4.4, 4.5, 4.3, 4.1, 4.6, 4.45])
S = np.array([0.9, 0.8, 0.7, 0.9, 1.0, 0.6, 0.8])
C = np.array([3, 120, 80, 95, 60, 40, 150])


def test_dersimonian_laird_equals_formula():
    card = mean_scorecard(M, S, C, method="dl", n_draws=0)
    v = S ** 2 / C
    w = 1 / v
    mu_fe = (w * M).sum() / w.sum()
    q = (w * (M - mu_fe) ** 2).sum()
    tau2 = max(0.0, (q - (M.size - 1)) / (w.sum() - (w ** 2).sum() / w.sum()))
    assert card.tau2 == pytest.approx(tau2, rel=1e-12)
    ws = 1 / (v + tau2)
    mu = (ws * M).sum() / ws.sum()
    b = v / (v + tau2)
    np.testing.assert_allclose(card.estimate, mu + (1 - b) * (M - mu), rtol=1e-12)
    sd = np.sqrt((1 - b) * v + b ** 2 / ws.sum())
    np.testing.assert_allclose(card.ci_high, card.estimate + stats.norm.ppf(0.975) * sd)


def test_reml_maximises_the_restricted_likelihood():
    v = S ** 2 / C

    def neg_restricted(t):  # -l_R(tau2), written out independently
        w = 1 / (v + t)
        mu = (w * M).sum() / w.sum()
        return 0.5 * (np.sum(np.log(v + t)) + np.log(np.sum(w)) + np.sum(w * (M - mu) ** 2))

    grid = np.linspace(0, 0.2, 20001)
    t0 = grid[np.argmin([neg_restricted(t) for t in grid])]
    best = optimize.minimize_scalar(neg_restricted, bounds=(max(t0 - 1e-4, 0), t0 + 1e-4),
                                    method="bounded", options={"xatol": 1e-14})
    card = mean_scorecard(M, S, C, n_draws=0)
    assert card.method == "reml"
    assert card.tau2 == pytest.approx(best.x, rel=1e-6)


def test_mean_scorecard_shrinks_the_small_unit_and_ranks():
    card = mean_scorecard(M, S, C, units=list("abcdefg"), seed=2)
    assert card.mean[0] == M.max() and card.rank[0] != 1  # n = 3: pulled back
    assert abs(card.estimate[0] - card.centre) < abs(M[0] - card.centre)
    assert (card.rank_low <= card.rank).all() and (card.rank <= card.rank_high).all()
    low = mean_scorecard(M, S, C, higher_is_better=False, n_draws=0)
    assert low.rank[np.argmin(low.estimate)] == 1
    assert card.caterpillar().what == "mean"


def test_mean_scorecard_reads_a_table():
    table = {"team": list("abcdefg"), "csat": M, "sd": S, "answers": C}
    card = mean_scorecard("csat", "sd", "answers", "team", data=table, n_draws=0)
    np.testing.assert_allclose(card.estimate, mean_scorecard(M, S, C, n_draws=0).estimate)
    assert card.loc("a")["n"] == 3


def test_mean_scorecard_no_between_unit_variance():
    card = mean_scorecard([4.0, 4.0, 4.0], [1.0, 1.0, 1.0], [10, 20, 30], n_draws=0)
    assert card.tau2 == 0.0
    np.testing.assert_allclose(card.estimate, 4.0)


@pytest.mark.parametrize(("kwargs", "exc", "msg"), [
    ({"sds": [0.5, 0.0, 1.0]}, DataError, r"'sds' parameter.*\(0, inf\)\. Got 0\.0 at position 1"),
    ({"n": [1, 0, 3]}, DataError, r"'n' parameter.*\[1, inf\]\. Got 0"),
    ({"means": [4.0, np.nan, 4.2]}, DataError, r"free of NaN"),
    ({"means": [4.0, 4.1]}, DataError, r"same length"),
    ({"method": "ml"}, InvalidParameterError, r"one of 'reml', 'dl'"),
    ({"units": ["a", "b"]}, DataError, r"of the same length as the data \(3\)"),
])
def test_mean_scorecard_bad_input(kwargs, exc, msg):
    base = {"means": [4.0, 4.5, 4.2], "sds": [0.5, 0.7, 1.0], "n": [10, 20, 30]}
    with pytest.raises(exc, match=msg):
        mean_scorecard(**{**base, **kwargs})


def test_mean_scorecard_needs_two_units():
    with pytest.raises(DataError, match="at least 2 units"):
        mean_scorecard([4.0], [1.0], [10])


# ------------------------------------------------------------------ funnel

def test_funnel_plain_exact_limits_are_binomial_quantiles():
    f = funnel_chart(Y, N, interpolate=False)
    theta = Y.sum() / N.sum()
    for i, level in enumerate((0.95, 0.998)):
        lo, hi = (1 - level) / 2, 1 - (1 - level) / 2
        np.testing.assert_array_equal(f.lower[i], stats.binom.ppf(lo, N, theta) / N)
        np.testing.assert_array_equal(f.upper[i], stats.binom.ppf(hi, N, theta) / N)
        np.testing.assert_array_equal(
            f.curve_upper[i], stats.binom.ppf(hi, f.volume, theta) / f.volume)


def test_funnel_interpolated_limits_follow_spiegelhalter_appendix():
    f = funnel_chart(Y, N, target=0.7)
    for i, level in enumerate((0.95, 0.998)):
        for p, got in (((1 - level) / 2, f.lower[i]), (1 - (1 - level) / 2, f.upper[i])):
            # Spiegelhalter (2005), A.1.1: r_p the p-quantile, alpha = (F(r_p) - p) /
            # (F(r_p) - F(r_p - 1)), limit (r_p - alpha) / n
            r = stats.binom.ppf(p, N, 0.7)
            big, small = stats.binom.cdf(r, N, 0.7), stats.binom.cdf(r - 1, N, 0.7)
            limit = np.clip((r - (big - p) / (big - small)) / N, 0, 1)  # a rate stays in [0, 1]
            np.testing.assert_allclose(got, limit, rtol=1e-12)


def test_funnel_normal_and_overdispersed_limits():
    theta = Y.sum() / N.sum()
    s = np.sqrt(theta * (1 - theta) / N)
    f = funnel_chart(Y, N, method="normal")
    np.testing.assert_allclose(f.upper[0], np.clip(theta + stats.norm.ppf(0.975) * s, 0, 1))
    z = (Y / N - theta) / s
    zw = np.clip(z, *np.quantile(z, [0.1, 0.9]))  # winsorised at 10 % / 90 %
    phi = np.mean(zw ** 2)
    m = funnel_chart(Y, N, method="normal", overdispersion="multiplicative")
    assert m.phi == pytest.approx(max(phi, 1.0))
    np.testing.assert_allclose(m.upper[1], np.clip(
        theta + stats.norm.ppf(0.999) * s * np.sqrt(max(phi, 1.0)), 0, 1))
    a = funnel_chart(Y, N, method="normal", overdispersion="additive")
    w = 1 / s ** 2
    tau2 = max(0.0, (Y.size * phi - (Y.size - 1)) / (w.sum() - (w ** 2).sum() / w.sum()))
    assert a.tau2 == pytest.approx(tau2)
    np.testing.assert_allclose(a.z, (Y / N - theta) / np.sqrt(s ** 2 + tau2))


def test_funnel_single_level_and_table():
    table = {"supplier": list("abcdefgh"), "late": Y, "orders": N}
    f = funnel_chart("late", "orders", "supplier", data=table, levels=0.9)
    assert f.levels == (0.9,) and set(f.to_frame("dict")) == {
        "unit", "successes", "trials", "rate", "z", "lower_90", "upper_90", "flag"}
    theta = Y.sum() / N.sum()
    tail = 0.05
    high = stats.binom.sf(Y - 1, N, theta) < tail
    low = stats.binom.cdf(Y, N, theta) < tail
    expect = np.where(high, "high 90", np.where(low, "low 90", "within"))
    assert f.flag.tolist() == expect.tolist()


def test_funnel_flags_by_exact_tail():
    f = funnel_chart(Y, N, units=list("abcdefgh"))
    theta = f.target
    assert f.loc("a")["flag"] == "within"  # 5 of 5 is not unusual at n = 5
    e = 4  # 140 of 250
    assert stats.binom.cdf(Y[e], N[e], theta) < 0.001 and f.flag[e] == "low 99.8"
    cols = f.to_frame("dict")
    assert {"lower_95", "upper_95", "lower_99.8", "upper_99.8"} <= set(cols)


@pytest.mark.parametrize(("kwargs", "exc", "msg"), [
    ({"successes": [1, 0, 3], "trials": [5, 0, 7]}, DataError,
     r"at least 1 for every unit of a funnel plot\. Got 0 at position 1"),
    ({"target": 1.0}, InvalidParameterError, r"'target' parameter.*\(0, 1\)"),
    ({"levels": [0.95, 1.2]}, DataError, r"'levels' parameter.*\(0, 1\)"),
    ({"method": "poisson"}, InvalidParameterError, r"one of 'exact', 'normal'"),
    ({"overdispersion": "multiplicative"}, InvalidParameterError,
     r"None with method='exact'"),
    ({"overdispersion": "both", "method": "normal"}, InvalidParameterError,
     r"overdispersion"),
    ({"n_points": 1}, InvalidParameterError, r"n_points"),
    ({"interpolate": "yes"}, InvalidTypeError, r"True or False"),
])
def test_funnel_bad_input(kwargs, exc, msg):
    base = {"successes": [1, 2, 3], "trials": [5, 6, 7]}
    with pytest.raises(exc, match=msg):
        funnel_chart(**{**base, **kwargs})


# ------------------------------------------------------------------ pictures

def test_plot_methods_draw(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.axes import Axes

    from cxpath.plot._scorecard import caterpillar
    from cxpath.plot._scorecard import funnel_chart as draw_funnel

    card = rate_scorecard(Y, N, units=list("abcdefgh"), seed=1)
    ax = card.plot()
    assert isinstance(ax, Axes) and len(ax.get_yticklabels()) == 8
    cat = card.caterpillar()
    top = max(ax.get_yticklabels(), key=lambda t: t.get_position()[1])
    assert top.get_text() == f"{cat.unit[0]} (n={cat.n[0]:g})"  # best at the top
    assert len(caterpillar(card, top=3).get_yticklabels()) == 3
    means = mean_scorecard(M, S, C, n_draws=0)
    assert means.caterpillar().plot().get_xlabel() == "mean"
    f = funnel_chart(Y, N, units=list("abcdefgh"))
    fx = f.plot()
    assert len(fx.lines) == 1 + 2 * len(f.levels)  # target and a pair of curves per level
    assert {t.get_text() for t in fx.texts} == set(f.unit[f.flag != "within"])
    fx.figure.savefig(tmp_path / "funnel.png")
    with pytest.raises(InvalidParameterError, match=r"must be a cxpath\.kpi\.FunnelChart"):
        draw_funnel(card)
    with pytest.raises(InvalidParameterError, match=r"Caterpillar, RateScorecard or Mean"):
        caterpillar(f)
    with pytest.raises(InvalidParameterError, match=r"top"):
        caterpillar(card, top=0)
