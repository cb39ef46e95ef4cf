"""compare() against statsmodels / scipy / pingouin, the planted FCR step, cohorts."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from cxpath.datasets import load_sample
from cxpath.errors import DataError, InvalidParameterError
from cxpath.kpi import compare, nps, retention_cohorts


def _flags(x, n):
    return np.r_[np.ones(x, bool), np.zeros(n - x, bool)]


def test_proportions_against_statsmodels():
    sm = pytest.importorskip("statsmodels.stats.proportion")
    # Newcombe (1998) worked example (a): 56/70 vs 48/80
    r = compare(_flags(48, 80), _flags(56, 70))
    lo, hi = sm.confint_proportions_2indep(56, 70, 48, 80, method="newcomb", compare="diff")
    assert r.difference == pytest.approx(56 / 70 - 48 / 80)
    assert r.ci_low == pytest.approx(lo, rel=1e-10)
    assert r.ci_high == pytest.approx(hi, rel=1e-10)
    # Newcombe (1998) Table II, method 10 for example (a): 0.0524 to 0.3339
    assert (round(r.ci_low, 4), round(r.ci_high, 4)) == (0.0524, 0.3339)
    stat, p = sm.proportions_ztest([56, 48], [70, 80])
    assert r.statistic == pytest.approx(stat, rel=1e-10)
    assert r.p_value == pytest.approx(p, rel=1e-10)
    assert r.effect_name == "Cohen's h"


def test_means_against_scipy_welch():
    rng = np.random.default_rng(2)
    b, a = rng.normal(10, 2, 40), rng.normal(11, 4, 55)
    r = compare(b, a, kind="mean")
    ref = stats.ttest_ind(a, b, equal_var=False)
    assert r.statistic == pytest.approx(ref.statistic, rel=1e-10)
    assert r.p_value == pytest.approx(ref.pvalue, rel=1e-10)
    ci = ref.confidence_interval(0.95)
    assert (r.ci_low, r.ci_high) == pytest.approx((ci.low, ci.high), rel=1e-10)
    pg = pytest.importorskip("pingouin")
    assert r.effect_size == pytest.approx(pg.compute_effsize(a, b, eftype="hedges"),
                                          rel=1e-2)


def test_durations_against_scipy_and_pingouin():
    rng = np.random.default_rng(3)
    b, a = rng.lognormal(5, 1, 80), rng.lognormal(4.6, 1, 90)
    r = compare(b, a, kind="duration", seed=1, n_boot=1000)
    ref = stats.mannwhitneyu(a, b, alternative="two-sided")
    assert r.p_value == pytest.approx(ref.pvalue, rel=1e-10)
    pg = pytest.importorskip("pingouin")
    out = pg.mwu(a, b, alternative="two-sided")
    # pingouin 0.5+: RBC = 1 - 2 U_b / (n_a n_b) ... same magnitude; sign convention varies
    assert abs(r.effect_size) == pytest.approx(abs(float(out["RBC"].iloc[0])), rel=1e-10)
    assert r.effect_size < 0  # after is shorter
    assert r.ci_low <= r.difference <= r.ci_high
    assert r.difference == pytest.approx(np.median(a) - np.median(b))


def test_nps_difference():
    b = np.array([10] * 50 + [8] * 30 + [3] * 20)
    a = np.array([10] * 60 + [8] * 25 + [3] * 15)
    r = compare(b, a, kind="nps")
    sb, sa = nps(b), nps(a)
    assert r.difference == pytest.approx(45 - 30)
    se = np.hypot(sb.se[0], sa.se[0])
    assert r.ci_high - r.difference == pytest.approx(1.959964 * se, rel=1e-5)
    assert r.p_value == pytest.approx(2 * stats.norm.sf(15 / se))


def test_planted_fcr_step_is_detected_and_no_change_is_not():
    t = load_sample().tickets
    cut = np.datetime64("2025-07-01")
    f, c = t["first_contact_resolution"], t["created"]
    r = compare(f[c < cut], f[c >= cut], label="FCR")
    # the sample documents a planted FCR improvement from 2025-07-01
    assert r.p_value < 1e-6 and r.difference > 0.03
    assert "real change" in r.verdict and r.verdict.startswith("FCR (share) rose")
    # two halves of the same period: no evidence of change
    early = c < cut
    ff = f[early]
    same = compare(ff[::2], ff[1::2], label="FCR")
    assert "no evidence" in same.verdict


def test_false_positive_rate_is_near_alpha():
    rng = np.random.default_rng(11)
    rejections = 0
    for _ in range(400):
        x, y = rng.random(200) < 0.3, rng.random(200) < 0.3
        rejections += compare(x, y).p_value < 0.05
    assert 0.02 < rejections / 400 < 0.09


def test_retention_cohorts_of_aware_times_are_local_periods():
    pd = pytest.importorskip("pandas")
    # customer a first comes at 00:30 on 1 February in Berlin (23:30 on 31 January UTC)
    local = pd.to_datetime(["2025-02-01 00:30", "2025-03-01 08:00", "2025-03-05 00:00"])
    data = pd.DataFrame({"c": ["a", "a", "b"], "t": local.tz_localize("Europe/Berlin")})
    c = retention_cohorts("c", "t", data=data)
    assert c.cohort.tolist() == ["2025-02", "2025-03"]
    assert c.retention[0].tolist() == [1.0, 1.0]  # a is back in March, its second month
    naive = retention_cohorts("c", "t", data=data.assign(t=local))
    assert naive.cohort.tolist() == c.cohort.tolist()


def test_retention_cohorts_against_brute_force():
    ev = load_sample().events
    c = retention_cohorts("customer_id", "timestamp", data=ev)
    cust, ts = ev["customer_id"], ev["timestamp"].astype("datetime64[M]")
    first = {}
    for cu, m in zip(cust, ts):
        first[cu] = min(first.get(cu, m), m)
    cohort0 = [cu for cu, m in first.items() if str(m) == c.cohort[0]]
    assert c.size[0] == len(cohort0)
    active = {(cu, m) for cu, m in zip(cust, ts)}
    nxt = first[cohort0[0]] + np.timedelta64(1, "M")
    assert c.retention[0, 1] == pytest.approx(np.mean([(cu, nxt) in active for cu in cohort0]))
    assert (c.retention[:, 0] == 1).all()
    # periods beyond the data are NaN, more of them for younger cohorts
    assert np.isnan(c.retention[-1, -1])
    assert (np.diff(np.isnan(c.retention).sum(axis=1)) >= 0).all()
    w = retention_cohorts(["a", "a"], np.array(["2025-01-06", "2025-01-13"], "datetime64[s]"),
                          period="W")
    assert w.cohort.tolist() == ["2025-01-06"] and w.retention[0].tolist() == [1.0, 1.0]


@pytest.mark.parametrize(("call", "exc", "fragment"), [
    (lambda: compare([1, 0], [1, 2], kind="proportion"), DataError, "'after' parameter"),
    (lambda: compare([], [1], kind="proportion"), DataError, "at least 1"),
    (lambda: compare(np.array([], bool), np.array([True])), DataError, "at least 1"),
    (lambda: compare([1.0], [2.0, 3.0], kind="mean"), DataError, "at least 2"),
    (lambda: compare([1, 11], [5], kind="nps"), DataError, "'before' parameter of kpi.compare"),
    (lambda: compare([1, 2], [5, 6], kind="median"), InvalidParameterError, "'kind'"),
    (lambda: compare([1, 2], [5, 6], confidence=0), InvalidParameterError, "'confidence'"),
    (lambda: compare([1, 2], [5, 6], n_boot=5), InvalidParameterError, "'n_boot'"),
    (lambda: retention_cohorts(["a"], ["2025-01-01", "2025-01-02"]), DataError, "same length"),
    (lambda: retention_cohorts(["a"], ["NaT"]), DataError, "NaT at position 0"),
    (lambda: retention_cohorts(["a"], ["2025-01-01"], period="Y"), InvalidParameterError,
     "'period'"),
])
def test_bad_inputs(call, exc, fragment):
    with pytest.raises(exc) as info:
        call()
    assert fragment in str(info.value)
