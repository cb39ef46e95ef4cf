"""Supplier and batch comparison (issue #23 point 5): likelihood-ratio tests of a common
Weibull shape / lifetime, and claim rate ratios, against direct computations."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import optimize, stats

from cxpath.errors import DataError, InvalidParameterError, InvalidTypeError
from cxpath.reliability import (
    LifeData,
    compare_lifetimes,
    fit,
    nevada,
    rate_ratios,
)
from cxpath.reliability._models import FAMILIES
from cxpath.reliability._optim import Prepared


def _weibull_sample(rng, alpha, beta, n, censor):
    t = alpha * rng.weibull(beta, n)
    failed = t <= censor
    return np.minimum(t, censor), failed


def _two_groups(seed, beta_b, n=80):
    rng = np.random.default_rng(seed)
    ta, fa = _weibull_sample(rng, 100.0, 2.0, n, 150.0)
    tb, fb = _weibull_sample(rng, 100.0, beta_b, n, 150.0)
    return (np.concatenate([ta, tb]), np.concatenate([fa, fb]),
            np.array(["A"] * n + ["B"] * n))


def _profile_common_shape(groups):
    """Closed-form profile of the common-shape Weibull (exact and right-censored data):
    for a fixed beta, alpha_g^beta = sum t^beta / r_g, so ln L_g = r_g ln beta
    - r_g ln(alpha_g^beta) + (beta - 1) sum_failures ln t - r_g (Nelson 1982, ch. 12)."""
    def ll(log_beta):
        b = math.exp(log_beta)
        total = 0.0
        for t, f in groups:
            r = f.sum()
            ab = np.sum(t ** b) / r
            total += r * math.log(b) - r * math.log(ab) + (b - 1) * np.log(t[f]).sum() - r
        return total

    res = optimize.minimize_scalar(lambda x: -ll(x), bounds=(-3, 3), method="bounded",
                                   options={"xatol": 1e-12})
    return -res.fun, math.exp(res.x)


def test_lr_statistics_equal_direct_computation():
    t, f, g = _two_groups(11, 3.0)
    c = compare_lifetimes(t, g, failed=f)
    sep = [fit(LifeData.from_times(t[g == k], failed=f[g == k]), "weibull")
           for k in ("A", "B")]
    pooled = fit(LifeData.from_times(t, failed=f), "weibull")
    ll_sep = sep[0].log_likelihood + sep[1].log_likelihood
    ll_common, beta_common = _profile_common_shape([(t[g == k], f[g == k]) for k in "AB"])
    assert c.log_likelihood_separate == pytest.approx(ll_sep, rel=1e-12)
    assert c.log_likelihood_pooled == pytest.approx(pooled.log_likelihood, rel=1e-12)
    assert c.log_likelihood_common_shape == pytest.approx(ll_common, rel=1e-10)
    assert c.common_beta == pytest.approx(beta_common, rel=1e-6)
    assert c.statistic[1] == pytest.approx(2 * (ll_sep - pooled.log_likelihood), rel=1e-10)
    assert c.statistic[0] == pytest.approx(2 * (ll_sep - ll_common), rel=1e-6)
    assert c.statistic[2] == pytest.approx(2 * (ll_common - pooled.log_likelihood), rel=1e-8)
    assert c.df.tolist() == [1, 2, 1]
    assert c.p_value.tolist() == pytest.approx(stats.chi2.sf(c.statistic, c.df).tolist())
    assert c.groups.beta.tolist() == pytest.approx([s.params["beta"] for s in sep])


def test_planted_shape_difference_is_rejected_and_equal_groups_are_not():
    t, f, g = _two_groups(11, 3.0)  # beta 2 against beta 3
    c = compare_lifetimes(t, g, failed=f)
    assert c.reject[0] and c.p_value[0] < 0.01
    t, f, g = _two_groups(12, 2.0)  # the same Weibull in both groups
    c = compare_lifetimes(t, g, failed=f)
    assert not c.reject.any()
    assert c.p_value.min() > 0.05


def test_counts_equal_repeated_rows():
    t = [10, 20, 30, 40, 15, 25, 35, 99]
    g = ["a"] * 4 + ["b"] * 4
    f = [1, 1, 1, 1, 1, 1, 1, 0]
    w = [2, 1, 3, 1, 1, 2, 2, 0]  # the zero-count row is dropped with its label
    c = compare_lifetimes(t, g, failed=f, count=w)
    rep = np.repeat(np.arange(8), w)
    d = compare_lifetimes(np.array(t)[rep], np.array(g)[rep], failed=np.array(f)[rep])
    assert c.statistic == pytest.approx(d.statistic, rel=1e-8)
    assert c.groups.n_units.tolist() == [7.0, 5.0]


def test_three_groups_interval_censored_by_mapping():
    rng = np.random.default_rng(4)
    parts = {}
    for name, beta in (("S1", 1.5), ("S2", 1.5), ("S3", 1.5)):
        tri = np.zeros((8, 8))
        cdf = 1 - np.exp(-(np.arange(9) / 20.0) ** beta)
        for i in range(8):
            a = 8 - i
            p = np.diff(cdf[: a + 1])
            tri[i, :a] = rng.multinomial(500, np.append(p, 1 - p.sum()))[:a]
        parts[name] = nevada(tri, [500] * 8)
    c = compare_lifetimes(parts)
    direct = [fit(w.to_life_data()) for w in parts.values()]
    assert c.groups.group.tolist() == ["S1", "S2", "S3"]
    assert c.log_likelihood_separate == pytest.approx(
        sum(d.log_likelihood for d in direct), rel=1e-12)
    assert c.df.tolist() == [2, 4, 2]
    # common shape: no other combination of scales and shape does better
    best = c.log_likelihood_common_shape
    for bump in (0.98, 1.02):
        b = c.common_beta * bump
        total = 0.0
        for w, a in zip(parts.values(), c.common_alpha):
            total += Prepared(w.to_life_data()).loglik(FAMILIES["weibull"], np.array([a, b]))
        assert total < best
    assert not c.reject[0]


def test_rate_ratio_exact_interval_equals_direct_computation():
    r = rate_ratios([30, 12, 10], [1000, 1100, 950], ["S1", "S2", "S3"])
    row = r.loc("S1")
    c, e, c0, e0 = 30, 1000, 22, 2050  # S1 against S2 + S3 pooled
    n = c + c0
    lo = stats.beta.ppf(0.025, c, n - c + 1)  # Clopper-Pearson on pi = c / n
    hi = stats.beta.ppf(0.975, c + 1, n - c)
    assert row["ratio"] == pytest.approx((c / e) / (c0 / e0), rel=1e-14)
    assert row["lower"] == pytest.approx(lo / (1 - lo) * e0 / e, rel=1e-12)
    assert row["upper"] == pytest.approx(hi / (1 - hi) * e0 / e, rel=1e-12)
    assert row["p_value"] == pytest.approx(stats.binomtest(c, n, e / (e + e0)).pvalue)
    assert r.label.tolist() == ["S1", "S2", "S3"]  # by rate: .03, .0109, .0105
    assert r.share.tolist() == pytest.approx([30 / 52, 12 / 52, 10 / 52])
    assert r.cumulative.tolist() == pytest.approx([30 / 52, 42 / 52, 1.0])
    assert r.pareto.labels.tolist() == ["S1", "S2", "S3"]


def test_rate_ratio_wald_and_reference():
    r = rate_ratios([30, 12, 10], [1000, 1100, 950], ["S1", "S2", "S3"], reference="S3",
                    method="wald", level=0.9)
    row = r.loc("S1")
    lr = math.log((30 / 1000) / (10 / 950))
    se = math.sqrt(1 / 30 + 1 / 10)
    z = stats.norm.ppf(0.95)
    assert row["lower"] == pytest.approx(math.exp(lr - z * se), rel=1e-12)
    assert row["upper"] == pytest.approx(math.exp(lr + z * se), rel=1e-12)
    assert row["p_value"] == pytest.approx(2 * stats.norm.sf(lr / se), rel=1e-12)
    ref = r.loc("S3")
    assert ref["ratio"] == 1.0 and math.isnan(ref["lower"]) and math.isnan(ref["p_value"])
    assert r.reference == "S3"


def test_rate_ratio_zero_claims_exact_upper_bound():
    r = rate_ratios([0, 8], [500, 1000], ["new", "old"], reference="old")
    row = r.loc("new")
    # c = 0: Clopper-Pearson upper bound 1 - (alpha/2)^(1/n) with n = 8
    hi = 1 - 0.025 ** (1 / 8)
    assert row["lower"] == 0.0
    assert row["upper"] == pytest.approx(hi / (1 - hi) * 1000 / 500, rel=1e-12)
    w = rate_ratios([0, 8], [500, 1000], method="wald")
    assert np.isnan(w.lower).all()  # no Wald interval with a zero count


# -- bad input -------------------------------------------------------------------------------

T = [16, 34, 53, 75, 93, 120, 5, 11, 19, 30, 44, 60]
G = ["A"] * 6 + ["B"] * 6


@pytest.mark.parametrize(("args", "kwargs", "exc", "match"), [
    ((T, ["A"] * 12), {}, DataError, r"'group' .* at least two distinct groups"),
    (({"A": T},), {}, DataError, r"'data' .* at least two groups"),
    ((T,), {}, InvalidParameterError, r"'group' .* the group of each time"),
    ((T, G[:5]), {}, DataError, r"'group' .* same length"),
    ((T, G), {"level": 0}, InvalidParameterError, r"'level'"),
    (("times", G), {}, InvalidTypeError, r"'data' .* a mapping"),
    (({"A": T, "B": T},), {"failed": [1] * 12}, InvalidParameterError, r"'group' .* None"),
    ((T, [G]), {}, InvalidParameterError, r"'group' .* 1-dimensional"),
    (([*T[:6], 5, 11], G[:6] + ["B"] * 2), {"failed": [1] * 6 + [1, 0]}, DataError,
     r"'data' .* enough failures for a Weibull fit in every group. Got group 'B', where"),
    (({"A": T, "B": "x"},), {}, InvalidTypeError, r"'data\['B'\]'"),
    ((T, G), {"failed": [2] * 12}, DataError, r"'failed'"),
    ((T, G), {"failed": [[1, 2], [3]]}, InvalidTypeError, r"'failed' .* array-like"),
    ((T, [[1, 2], [3]]), {}, InvalidTypeError, r"'group' .* array-like"),
])
def test_compare_lifetimes_bad_input(args, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        compare_lifetimes(*args, **kwargs)


@pytest.mark.parametrize(("kwargs", "exc", "match"), [
    ({"claims": [3, -1]}, DataError, r"'claims'"),
    ({"claims": [3, 1.5]}, DataError, r"'claims' .* whole numbers"),
    ({"exposure": [10, 0]}, DataError, r"'exposure' .* in \(0, inf\)"),
    ({"labels": ["a", "a"]}, DataError, r"'labels' .* distinct"),
    ({"claims": [3], "exposure": [1], "labels": ["a"]}, DataError, r"at least two groups"),
    ({"claims": [0, 0]}, DataError, r"of positive total"),
    ({"reference": "z"}, InvalidParameterError, r"'reference' .* one of the labels"),
    ({"method": "mid-p"}, InvalidParameterError, r"'method'"),
    ({"level": 1.5}, InvalidParameterError, r"'level'"),
    ({"exposure": [1, 2, 3]}, DataError, r"same length"),
    ({"labels": [["a", "b"]]}, InvalidParameterError, r"'labels' .* 1-dimensional"),
])
def test_rate_ratios_bad_input(kwargs, exc, match):
    args = {"claims": [3, 1], "exposure": [10, 20], "labels": ["a", "b"]} | kwargs
    with pytest.raises(exc, match=match):
        rate_ratios(**args)
