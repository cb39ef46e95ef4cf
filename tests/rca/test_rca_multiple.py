"""adjust_p against statsmodels' multipletests, power and sample size against statsmodels'
power classes and textbook values, compare_many against kpi.compare, and bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest

import cxpath
from cxpath.errors import CxpathError, DataError, InvalidParameterError, InvalidTypeError
from cxpath.kpi import compare
from cxpath.rca import (
    Adjustment,
    ManyComparisons,
    PowerAnalysis,
    adjust_p,
    compare_many,
    power_means,
    power_nps,
    power_proportions,
)

SM_METHOD = {"bonferroni": "bonferroni", "holm": "holm", "hochberg": "simes-hochberg",
             "sidak": "sidak", "bh": "fdr_bh", "by": "fdr_by"}


@pytest.mark.parametrize("method", list(SM_METHOD))
def test_adjust_p_equals_statsmodels(method):
    multitest = pytest.importorskip("statsmodels.stats.multitest")
    rng = np.random.default_rng(4)
    for p in (rng.random(25) ** 3, np.array([0.01, 0.01, 0.04, 0.2, 0.2, 1.0, 0.0]),
              np.array([0.3]), np.r_[rng.random(200) * 0.02, rng.random(50)]):
        a = adjust_p(p, method, alpha=0.05)
        with np.errstate(divide="ignore"):  # statsmodels' Šidák takes log1p(-1) at p = 1
            reject, adj, _, _ = multitest.multipletests(p, alpha=0.05,
                                                        method=SM_METHOD[method])
        np.testing.assert_allclose(a.p_adjusted, adj, rtol=1e-12, atol=1e-15)
        assert a.reject.tolist() == reject.tolist()


def test_holm_and_bh_by_hand():
    # Holm (1979): sorted 0.01, 0.03, 0.04 times 3, 2, 1 -> 0.03, 0.06, 0.04, running
    # maximum -> 0.03, 0.06, 0.06 (back in input order 0.01, 0.04, 0.03)
    assert adjust_p([0.01, 0.04, 0.03]).p_adjusted.tolist() == pytest.approx([0.03, 0.06,
                                                                               0.06])
    # Benjamini & Hochberg (1995): m p / i = 0.04, 0.04, 0.04, 0.2 (running minimum)
    a = adjust_p([0.01, 0.02, 0.03, 0.2], "bh", labels=["FCR", "AHT", "CSAT", "NPS"])
    assert a.p_adjusted.tolist() == pytest.approx([0.04, 0.04, 0.04, 0.2])
    assert isinstance(a, Adjustment) and a.loc("NPS")["reject"] is False
    assert repr(a).splitlines()[1] == "3 of 4 rejected at a false discovery rate of 0.05"
    # Benjamini–Yekutieli: BH times 1 + 1/2 + 1/3 + 1/4 = 25/12
    b = adjust_p([0.01, 0.02, 0.03, 0.2], "by")
    assert b.p_adjusted.tolist() == pytest.approx([0.04 * 25 / 12] * 3 + [min(1, 0.2 * 25 / 12)])


def test_power_proportions_textbook_values():
    # Fleiss, Levin & Paik (2003) §4.2 formula, p1 = 0.5, p2 = 0.6, alpha 0.05 two-sided,
    # power 0.8, by hand: p̄ = 0.55, [1.959964 √(2·0.55·0.45) + 0.841621 √(0.25 + 0.24)]²
    # / 0.1² = 387.3385 -> 388 per arm; with the Fleiss–Tytun–Ury (1980) continuity
    # correction n/4 (1 + √(1 + 4/(n·0.1)))² = 407.0929 -> 408.
    r = power_proportions(0.5, 0.6, power=0.8)
    assert (r.n_before, r.n_after) == (388, 388)
    assert r.n_exact == pytest.approx(387.3385, rel=1e-5)
    c = power_proportions(0.5, 0.6, power=0.8, correction=True)
    assert c.n_before == 408
    assert c.n_exact == pytest.approx(407.0929, rel=1e-5)
    assert "continuity correction" in c.test


def test_power_proportions_equal_statsmodels():
    sm_power = pytest.importorskip("statsmodels.stats.power")
    sm_prop = pytest.importorskip("statsmodels.stats.proportion")
    # pooled z test: statsmodels' power_proportions_2indep (prop1 = prop2 + diff is the
    # arm of nobs1, so ours p1 = 0.5 is its prop1 with diff = -0.1)
    for n, ratio, alt, sm_alt in ((388, 1.0, "two-sided", "two-sided"),
                                  (300, 2.0, "two-sided", "two-sided"),
                                  (250, 0.5, "smaller", "larger")):
        ours = power_proportions(0.5, 0.6, n=n, ratio=ratio, alternative=alt).power
        ref = sm_prop.power_proportions_2indep(-0.1, 0.6, n, ratio=ratio, alpha=0.05,
                                               alternative=sm_alt)
        assert ours == pytest.approx(ref.power, rel=1e-10)
    assert power_proportions(0.5, 0.6, power=0.8).n_exact == pytest.approx(
        sm_prop.samplesize_proportions_2indep_onetail(0.1, 0.5, 0.8, alpha=0.05), rel=1e-5)
    # arcsine: NormalIndPower with Cohen's h (proportion_effectsize)
    h = sm_prop.proportion_effectsize(0.65, 0.5)
    nip = sm_power.NormalIndPower()
    for ratio in (1.0, 3.0):
        r = power_proportions(0.5, 0.65, power=0.9, ratio=ratio, method="arcsine")
        assert r.n_exact == pytest.approx(nip.solve_power(h, alpha=0.05, power=0.9,
                                                          ratio=ratio), rel=1e-8)
        assert r.effect_size == pytest.approx(h, rel=1e-12)
        p = power_proportions(0.5, 0.65, n=120, ratio=ratio, method="arcsine").power
        assert p == pytest.approx(nip.power(h, 120, 0.05, ratio=ratio), rel=1e-10)
    m = power_proportions(0.5, n=150, power=0.8, method="arcsine")
    h_mde = nip.solve_power(None, nobs1=150, alpha=0.05, power=0.8, ratio=1.0)
    assert 2 * math.asin(math.sqrt(m.target)) - 2 * math.asin(math.sqrt(0.5)) == \
        pytest.approx(h_mde, rel=1e-6)
    assert m.solved == "effect" and m.target > 0.5
    low = power_proportions(0.5, n=150, power=0.8, alternative="smaller")
    assert low.target < 0.5 and low.power == 0.8


def test_power_means_equal_statsmodels_and_cohen():
    sm_power = pytest.importorskip("statsmodels.stats.power")
    tt = sm_power.TTestIndPower()
    # Cohen (1988) Table 2.4.1: d = 0.5, two-tailed alpha 0.05, power 0.80: n = 64 per group
    r = power_means(15.0, sd=30.0, power=0.8)
    assert r.n_before == 64 and r.effect_size == 0.5
    assert r.n_exact == pytest.approx(tt.solve_power(0.5, alpha=0.05, power=0.8), rel=1e-7)
    for ratio, alt, sm_alt in ((1.0, "two-sided", "two-sided"), (2.0, "larger", "larger"),
                               (0.5, "smaller", "smaller")):
        d = -0.3 if alt == "smaller" else 0.3
        p = power_means(d * 10, sd=10.0, n=80, ratio=ratio, alternative=alt).power
        assert p == pytest.approx(tt.power(d, 80, 0.05, ratio=ratio, alternative=sm_alt),
                                  rel=1e-9)
    mde = power_means(sd=30.0, n=64, power=0.8)
    assert mde.effect / 30.0 == pytest.approx(tt.solve_power(None, nobs1=64, alpha=0.05,
                                                             power=0.8), rel=1e-6)


def test_power_nps_equals_normal_power_with_the_multinomial_variance():
    sm_power = pytest.importorskip("statsmodels.stats.power")
    nip = sm_power.NormalIndPower()
    # (0.30, 0.10) and (0.46, 0.06): NPS 20 and 40, both with variance
    # p_P + p_D - (p_P - p_D)² = 0.36, so the effect size is 0.2 / 0.6
    r = power_nps((0.30, 0.10), (0.46, 0.06), power=0.8)
    assert (r.baseline, r.target) == pytest.approx((20.0, 40.0))
    assert r.n_exact == pytest.approx(nip.solve_power(1 / 3, alpha=0.05, power=0.8), rel=1e-8)
    # by hand: (1.959964 + 0.841621)² · 2 · 0.36 / 0.2² = 141.3 -> 142
    assert r.n_before == 142
    p = power_nps((0.30, 0.10), (0.46, 0.06), n=100, ratio=2.0).power
    assert p == pytest.approx(nip.power(1 / 3, 100, 0.05, ratio=2.0), rel=1e-10)
    m = power_nps((0.30, 0.10), n=142, power=0.8)
    assert m.effect / 100 / 0.6 == pytest.approx(   # statsmodels' solver tolerance
        nip.solve_power(None, nobs1=142, alpha=0.05, power=0.8), rel=1e-5)
    # unequal variances: s² = v1/n + v2/n by hand
    r2 = power_nps((0.5, 0.2), (0.6, 0.1), n=200)
    v1, v2 = 0.7 - 0.09, 0.7 - 0.25
    s = math.sqrt(v1 / 200 + v2 / 200)
    from scipy import stats
    assert r2.power == pytest.approx(stats.norm.cdf(0.2 / s - 1.959963984540054)
                                     + stats.norm.cdf(-0.2 / s - 1.959963984540054))


def test_power_result_table():
    r = power_proportions(0.5, 0.6, power=0.8, ratio=2.0)
    assert isinstance(r, PowerAnalysis) and r.n_after == math.ceil(2 * r.n_exact - 1e-9)
    f = r.to_frame("dict")
    assert list(f) == ["kind", "solved", "n_before", "n_after", "power", "alpha", "baseline",
                       "target", "effect", "effect_size"]
    assert repr(r).splitlines()[1].startswith(f"{r.n_before:,} + {r.n_after:,} records")


def _table(seed=1, n=4000):
    rng = np.random.default_rng(seed)
    month = rng.choice(["Jan", "Feb"], n)
    channel = rng.choice(["chat", "phone"], n)
    fcr = rng.random(n) < np.where((month == "Feb") & (channel == "phone"), 0.6, 0.75)
    aht = rng.gamma(4.0, 75.0, n)
    csat = np.where(rng.random(n) < 0.3, rng.integers(1, 6, n), np.nan)
    return {"fcr": fcr, "aht": aht, "csat": csat, "month": month, "channel": channel}


def test_compare_many_equals_kpi_compare_and_multipletests():
    multitest = pytest.importorskip("statsmodels.stats.multitest")
    data = _table()
    m = compare_many(["fcr", "aht", "csat"], "month", data=data, by="channel",
                     before="Jan", after="Feb", method="bh")
    assert isinstance(m, ManyComparisons) and m.n_tests == 9
    jan, feb = data["month"] == "Jan", data["month"] == "Feb"
    for i in range(len(m.kpi)):
        k, seg = m.kpi[i], m.segment[i]
        keep = np.ones(len(jan), bool) if seg == "(all)" else data["channel"] == seg
        x = data[k]
        ok = ~np.isnan(x) if x.dtype.kind == "f" else np.ones(len(x), bool)
        ref = compare(x[jan & keep & ok], x[feb & keep & ok])
        assert m.p_value[i] == ref.p_value and m.difference[i] == ref.difference
        assert m.n_before[i] == (jan & keep & ok).sum()
    assert m.kind.tolist() == ["proportion"] * 3 + ["mean"] * 6
    _, adj, _, _ = multitest.multipletests(m.p_value, method="fdr_bh")
    np.testing.assert_allclose(m.p_adjusted, adj, rtol=1e-12)
    assert m.loc(("fcr", "channel", "phone"))["reject"] is True
    assert m.loc(("fcr", "channel", "chat"))["reject"] is False
    lines = repr(m).splitlines()
    assert lines[0] == "Many comparisons (Jan → Feb) (9 rows)"
    assert lines[1] == (f"{int(m.reject.sum())} of 9 tests reject at 0.05 after "
                        "Benjamini–Hochberg adjustment")
    assert list(m.to_frame("dict"))[:4] == ["kpi", "dimension", "segment", "kind"]


def test_compare_many_untested_segments_and_journeys():
    data = {"y": [1.0, 2.0, 3.0, 4.0, 2.0, 5.0, 6.0], "t": ["a"] * 3 + ["b"] * 4,
            "s": ["u", "u", "v", "u", "u", "v", "v"]}
    m = compare_many("y", "t", data=data, by="s")
    # v has one record before: no mean test, left out of the family of 2
    assert m.n_tests == 2 and math.isnan(m.loc(("y", "s", "v"))["p_value"])
    assert m.reject.tolist() == [False, False, False]
    j = cxpath.Journeys.from_events(
        case=[1, 1, 2, 3, 4, 5, 5, 6], touchpoint=["a", "fix", "a", "fix", "a", "a", "fix",
                                                   "fix"],
        success={"fix"}, case_attributes={"month": ["m1", "m1", "m1", "m1", "m2", "m2", "m2",
                                                    "m2"]})
    mj = compare_many("outcome", "month", data=j)
    ref = compare(j.outcome[:3], j.outcome[3:])
    assert mj.p_value[0] == ref.p_value and mj.kind[0] == "proportion"
    w = cxpath.Journeys.from_paths(["web > fix", "web", "web > fix", "web"],
                                   conversions=[3, 1, 1, 1], nulls=[1, 3, 1, 3])
    mw = compare_many("outcome", np.repeat(["a", "a", "b", "b"], 2), data=w)
    # a: 4 of 8 weighted cases converted, b: 2 of 6
    assert (mw.n_before[0], mw.n_after[0], mw.before[0]) == (8, 6, 0.5)
    assert mw.after[0] == pytest.approx(1 / 3)
    s = cxpath.datasets.load_sample().journeys
    half = np.where(np.arange(len(s)) < len(s) // 2, "first", "second")
    ms = compare_many("outcome", half, data=s, by="product")
    x = s.case_attributes["product"].decoded()
    hob = ms.loc(("outcome", "product", "hob"))
    assert hob["p_value"] == compare(s.outcome[(half == "first") & (x == "hob")],
                                     s.outcome[(half == "second") & (x == "hob")]).p_value


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda: adjust_p([0.1, 1.2]), DataError,
     r"The 'p_values' parameter of rca.adjust_p must be in \[0, 1\]. Got 1.2 at position 1"),
    (lambda: adjust_p([0.1, np.nan]), DataError, r"must be free of NaN"),
    (lambda: adjust_p([0.1], "fdr"), InvalidParameterError,
     r"The 'method' parameter of rca.adjust_p must be one of 'bonferroni', 'holm'"),
    (lambda: adjust_p([0.1], alpha=1), InvalidParameterError,
     r"The 'alpha' parameter of rca.adjust_p must be a real number in \(0, 1\)"),
    (lambda: adjust_p([0.1, 0.2], labels=["a"]), DataError,
     r"The 'labels' parameter of rca.adjust_p must be one name per p-value \(2\)"),
    (lambda: adjust_p([0.1], labels="a"), InvalidTypeError,
     r"The 'labels' parameter of rca.adjust_p must be a sequence of test names"),
    (lambda: power_proportions(0.5, 0.6), InvalidParameterError,
     r"The 'power' parameter of rca.power_proportions must be None for exactly one of "
     r"'p2', 'n', 'power' \(the one solved for\). Got 2 of them None instead."),
    (lambda: power_proportions(0.5, 0.6, n=10, power=0.8), InvalidParameterError,
     r"Got 0 of them None instead."),
    (lambda: power_proportions(1.0, 0.6, power=0.8), InvalidParameterError,
     r"The 'p1' parameter of rca.power_proportions must be a real number in \(0, 1\)"),
    (lambda: power_proportions(0.5, 0.5, power=0.8), InvalidParameterError,
     r"The 'p2' parameter of rca.power_proportions must be different from 'p1'"),
    (lambda: power_proportions(0.5, 0.6, power=0.01), InvalidParameterError,
     r"The 'power' parameter of rca.power_proportions must be a real number in "
     r"\(0.05, 1\)"),
    (lambda: power_proportions(0.5, 0.6, power=0.8, method="exact"), InvalidParameterError,
     r"The 'method' parameter of rca.power_proportions must be one of 'pooled', 'arcsine'"),
    (lambda: power_proportions(0.5, 0.6, power=0.8, method="arcsine", correction=True),
     InvalidParameterError, r"The 'correction' parameter of rca.power_proportions must be "
                            r"False with method='arcsine'"),
    (lambda: power_proportions(0.5, 0.6, power=0.8, ratio=0), InvalidParameterError,
     r"The 'ratio' parameter of rca.power_proportions must be a real number in \(0, inf\)"),
    (lambda: power_proportions(0.5, n=3, power=0.99), InvalidParameterError,
     r"The 'n' parameter of rca.power_proportions must be large enough to reach the power "
     r"asked for within a share below 1"),
    (lambda: power_proportions(0.5, 0.6, power=0.8, alternative="up"), InvalidParameterError,
     r"The 'alternative' parameter of rca.power_proportions must be one of 'two-sided'"),
    (lambda: power_proportions(0.5, 0.5000000001, power=0.8), InvalidParameterError,
     r"The 'power' parameter of rca.power_proportions must be reachable with fewer than "
     r"1e12 records"),
    (lambda: power_means(1.0, sd=0.0, power=0.8), InvalidParameterError,
     r"The 'sd' parameter of rca.power_means must be a real number in \(0, inf\)"),
    (lambda: power_means(0.0, sd=1.0, power=0.8), InvalidParameterError,
     r"The 'difference' parameter of rca.power_means must be not 0"),
    (lambda: power_means(1.0, sd=1.0, n=1, ratio=0.5), InvalidParameterError,
     r"The 'n' parameter of rca.power_means must be large enough for a t test"),
    (lambda: power_means("1", sd=1.0, power=0.8), InvalidTypeError,
     r"The 'difference' parameter of rca.power_means must be a real number"),
    (lambda: power_nps((0.6, 0.5), power=0.8, n=10), InvalidParameterError,
     r"The 'before' parameter of rca.power_nps must be shares summing to at most 1"),
    (lambda: power_nps(0.5, power=0.8, n=10), InvalidTypeError,
     r"The 'before' parameter of rca.power_nps must be a pair \(promoter share, detractor "
     r"share\)"),
    (lambda: power_nps((0.3, 0.1), (0.4, 0.2), power=0.8), InvalidParameterError,
     r"The 'after' parameter of rca.power_nps must be an NPS different from 'before'"),
    (lambda: power_nps((1.0, 0.0), n=100, power=0.8), InvalidParameterError,
     r"The 'before' parameter of rca.power_nps must be shares with some variance"),
    (lambda: compare_many("y", "t", data={"y": [1.0, 2], "t": ["a", "b"]}), DataError,
     r"The 'kpis' parameter of rca.compare_many must be KPIs with at least 2 value\(s\) in "
     r"each period. Got 'y' with 1 and 1 instead."),
    (lambda: compare_many(3, "t", data={"t": ["a", "b"]}), InvalidTypeError,
     r"The 'kpis' parameter of rca.compare_many must be a column name, a sequence of "
     r"column names or a mapping"),
    (lambda: compare_many([], "t", data={"t": ["a", "b"]}), InvalidParameterError,
     r"must be at least one KPI"),
    (lambda: compare_many("y", "t", data={"y": [1.0] * 4, "t": ["a", "b"] * 2},
                          kind="ratio"), InvalidParameterError,
     r"The 'kind' parameter of rca.compare_many must be one of 'auto', 'proportion'"),
    (lambda: compare_many("y", "t", data={"y": [1.0] * 4, "t": ["a", "b"] * 2},
                          kind={"z": "mean"}), InvalidParameterError,
     r"The 'kind' parameter of rca.compare_many must be a mapping whose keys are KPIs"),
    (lambda: compare_many("y", "t", data={"y": [1.0] * 6, "t": ["a", "b", "c"] * 2}),
     DataError, r"The 'period' parameter of rca.compare_many must be two periods"),
    (lambda: compare_many("y", "t", data={"y": [1.0] * 4, "t": ["a", "b"] * 2},
                          method="fdr"), InvalidParameterError,
     r"The 'method' parameter of rca.compare_many must be one of"),
    (lambda: compare_many("y", "t", data={"y": [1.0] * 4, "t": ["a", "b"] * 2}, seed=-1),
     InvalidParameterError, r"The 'seed' parameter of rca.compare_many must be an integer"),
    (lambda: compare_many("y", "t", data={"y": [11.0] * 4, "t": ["a", "b"] * 2},
                          kind="nps"), DataError,
     r"The 'kpis\['y'\]' parameter of rca.compare_many must be whole-number scores 0–10 "
     r"for kind 'nps'. Got 11 instead."),
    (lambda: compare_many("y", "t", data={"y": [2.0] * 4, "t": ["a", "b"] * 2},
                          kind="proportion"), DataError,
     r"must be booleans or 0/1 values for kind 'proportion'. Got 2 instead."),
    (lambda: compare_many("y", None, data={"y": [1.0] * 4}), InvalidTypeError,
     r"The 'period' parameter of rca.compare_many must be a column name or an array"),
    (lambda: compare_many("y", "t", data={"y": [1.0] * 4, "t": ["a", "b"] * 2}, by="q"),
     InvalidParameterError, r"The 'by' parameter of rca.compare_many must be a column of "
                            r"'data'"),
])
def test_bad_input(call, error, message):
    with pytest.raises(error, match=message):
        call()
    assert issubclass(error, CxpathError)
