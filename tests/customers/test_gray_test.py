"""Gray's (1988) K-sample test (cxpath.customers.gray_test).

References used here:

* a loop written in this file that walks the distinct times one by one and keeps, per group,
  the Kaplan–Meier curve, the cumulative incidence and the pooled incidence ``F⁰`` (Gray
  1988, §2–3: score ``Σ w (d_k − d R_k / Σ R)``, variance from the influence of every event
  of the cause — expected under the null, each group — and of every competing event);
* the log-rank test: without competing events Gray's score is the log-rank observed −
  expected (lifelines' ``logrank_test`` gives the same O − E through its statistic);
* Monte Carlo under the null: the variance estimate matches the spread of the score over
  2,000 simulated samples, and the test holds its level;
* invariance: the statistic does not depend on which group is left out.

Printed ``cmprsk::cuminc`` output (MASS ``Melanoma`` by ulceration) is matched in
``test_crr_published.py``.
"""

from __future__ import annotations

import numpy as np
import pytest

from cxpath.customers import GrayTest, gray_test, logrank_test
from cxpath.errors import DataError, InvalidParameterError


def _loop(t, status, g, k, rho=0.0):
    """Score and variance by a plain loop over the distinct times (Gray 1988)."""
    order = np.argsort(t, kind="stable")
    t, status, g = t[order], status[order], g[order]
    at_risk = np.bincount(g, minlength=k).astype(float)
    s_l = np.ones(k)        # S_k(t-)
    f_l = np.zeros(k)       # F_k(t-)
    f0_l = 0.0              # pooled F0(t-)
    c = np.zeros((k, k))
    score = np.zeros(k)
    terms = []              # (t3, alpha (k,), t4, group k) with alpha the part known now
    i = 0
    n = t.size
    while i < n:
        j = i
        while j < n and t[j] == t[i]:
            j += 1
        d1 = np.zeros(k)
        d2 = np.zeros(k)
        out = np.zeros(k)
        for q in range(i, j):
            out[g[q]] += 1
            if status[q] == 1:
                d1[g[q]] += 1
            elif status[q] == 2:
                d2[g[q]] += 1
        n1 = d1.sum()
        if n1 + d2.sum() > 0:
            live = at_risk > 0
            s_r = s_l.copy()
            s_r[live] = s_l[live] * (at_risk[live] - d1[live] - d2[live]) / at_risk[live]
            with np.errstate(invalid="ignore", divide="ignore"):
                h = np.where(live, at_risk / s_l, 0.0)
            total_h = h.sum()
            r = np.where(live, h * (1 - f_l), 0.0)
            f0_r = f0_l + n1 / total_h
            w = (1 - f0_l) ** rho
            for q in range(k):
                if live[q]:
                    score[q] += w * (d1[q] - n1 * r[q] / r.sum())
            a = w * (np.diag(h) - np.outer(h, h) / total_h)
            c = c + a * n1 / (total_h * (1 - f0_l))
            if n1 > 0:
                for q in range(k):
                    if not live[q]:
                        continue
                    t4 = 1 - (1 - f0_r) / s_r[q] if s_r[q] > 0 else 1.0
                    tie = 1 - (n1 - 1) / (total_h * s_l[q] - 1) if n1 > 1 else 1.0
                    t3 = tie * s_l[q] * n1 / (total_h * at_risk[q])
                    terms.append((t3, a[:, q] - t4 * c[:, q], t4, q))
            for q in range(k):
                if d2[q] > 0 and s_r[q] > 0:
                    t4 = (1 - f0_r) / s_r[q]
                    tie = 1 - (d2[q] - 1) / (at_risk[q] - 1) if d2[q] > 1 else 1.0
                    t3 = tie * s_l[q] ** 2 * d2[q] / at_risk[q] ** 2
                    terms.append((t3, -t4 * c[:, q], t4, q))
            f_l = f_l + np.where(live, s_l * d1 / np.where(live, at_risk, 1), 0.0)
            s_l = s_r
            f0_l = f0_r
        at_risk -= out
        i = j
    var = np.zeros((k, k))
    for t3, alpha, t4, q in terms:  # alpha + t4 C(τ): the event's full influence
        infl = alpha + t4 * c[:, q]
        var += t3 * np.outer(infl, infl)
    return score[: k - 1], var[: k - 1, : k - 1]


def _sample(n, k=3, seed=0, ties=True, effect=0.0):
    rng = np.random.default_rng(seed)
    g = rng.integers(0, k, n)
    t1 = rng.exponential(10 * np.exp(-effect * g))
    t2 = rng.exponential(15, n)
    cens = rng.uniform(3, 30, n)
    t = np.minimum(np.minimum(t1, t2), cens)
    status = np.where(cens <= np.minimum(t1, t2), 0, np.where(t1 < t2, 1, 2))
    if ties:
        t = np.ceil(t)
    return t, status, g


@pytest.mark.parametrize("ties", [True, False])
@pytest.mark.parametrize("rho", [0.0, 1.0, -0.5])
def test_gray_equals_time_loop(ties, rho):
    t, status, g = _sample(250, k=3, seed=4, ties=ties, effect=0.3)
    res = gray_test(t, status, g, cause=1, rho=rho)
    s, var = _loop(t, status, g, 3, rho)
    np.testing.assert_allclose(res.score[0], s, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(res.variance[0], var, rtol=1e-10, atol=1e-12)
    stat = s @ np.linalg.solve(var, s)
    np.testing.assert_allclose(res.statistic[0], stat, rtol=1e-10)
    assert res.df[0] == 2


def test_cause_two_and_all_causes():
    t, status, g = _sample(200, k=2, seed=5)
    both = gray_test(t, status, g)
    assert both.cause.tolist() == [1, 2]
    swapped = np.where(status == 1, 2, np.where(status == 2, 1, 0))
    s, var = _loop(t, swapped, g, 2)
    np.testing.assert_allclose(both.score[1], s, rtol=1e-10)
    np.testing.assert_allclose(both.variance[1], var, rtol=1e-10)


def test_without_competing_events_score_is_logrank_o_minus_e():
    t, status, g = _sample(300, k=2, seed=6)
    status = np.where(status == 2, 0, status)  # competing events become censorings
    res = gray_test(t, status, g, cause=1)
    lr = logrank_test(t, status == 1, group=g)
    # log-rank O - E of the first group: sign(score) * sqrt(chi2 * V_logrank); compare with
    # direct observed - expected computed here
    times = np.unique(t[status == 1])
    oe = 0.0
    for u in times:
        risk = t >= u
        d = ((t == u) & (status == 1))
        oe += d[g == 0].sum() - d.sum() * risk[g == 0].sum() / risk.sum()
    np.testing.assert_allclose(res.score[0, 0], oe, rtol=1e-10)
    # and the two tests agree closely in statistic (the variances differ in second order)
    assert abs(res.statistic[0] - lr.statistic) / lr.statistic < 0.05


def test_statistic_does_not_depend_on_the_group_left_out():
    t, status, g = _sample(240, k=3, seed=7, effect=0.4)
    a = gray_test(t, status, g)
    b = gray_test(t, status, 2 - g)  # reversed labels: another group is last
    np.testing.assert_allclose(a.statistic, b.statistic, rtol=1e-9)
    np.testing.assert_allclose(a.p_value, b.p_value, rtol=1e-9)


def test_variance_matches_monte_carlo_spread_and_level():
    reps = 2000
    scores, variances, p = [], [], []
    for r in range(reps):
        t, status, g = _sample(120, k=2, seed=1000 + r, ties=False)
        res = gray_test(t, status, g, cause=1)
        scores.append(res.score[0, 0])
        variances.append(res.variance[0, 0, 0])
        p.append(res.p_value[0])
    # SE of a variance from 2,000 draws is about sqrt(2/2000) = 3.2 %: 10 % is > 3 SE
    assert abs(np.var(scores) / np.mean(variances) - 1) < 0.10
    # level: 5 % of 2,000 is 100 ± 9.7 (binomial SD); allow 3 SD
    assert abs(np.mean(np.array(p) < 0.05) - 0.05) < 0.0146


def test_power_against_a_planted_difference():
    t, status, g = _sample(600, k=2, seed=8, effect=0.8)
    assert gray_test(t, status, g, cause=1).p_value[0] < 1e-4


def test_strata_sum_the_stratum_scores():
    t, status, g = _sample(300, k=2, seed=9)
    st = np.arange(t.size) % 2
    res = gray_test(t, status, g, cause=1, strata=st)
    parts = [_loop(t[st == s], status[st == s], g[st == s], 2) for s in (0, 1)]
    np.testing.assert_allclose(res.score[0], parts[0][0] + parts[1][0], rtol=1e-10)
    np.testing.assert_allclose(res.variance[0], parts[0][1] + parts[1][1], rtol=1e-10)
    assert res.n_strata == 2


def test_labels_frame_and_result():
    t = [1, 2, 3, 4, 5, 6, 7, 8, 2, 3, 4, 5, 6, 7, 8, 9]
    e = ["churn", "churn", "move", "churn", "none", "churn", "move", "churn",
         "move", "none", "churn", "move", "move", "none", "churn", "move"]
    g = ["a"] * 8 + ["b"] * 8
    data = {"t": t, "e": e, "g": g}
    res = gray_test("t", "e", "g", data=data, censored="none", cause="move")
    assert isinstance(res, GrayTest)
    assert res.cause.tolist() == ["move"] and res.groups.tolist() == ["a", "b"]
    codes = np.array([{"none": 0, "churn": 1, "move": 2}[x] for x in e])
    s, var = _loop(np.array(t, float), np.where(codes == 2, 1, np.where(codes == 1, 2, 0)),
                   np.array([0] * 8 + [1] * 8), 2)
    np.testing.assert_allclose(res.statistic[0], s @ np.linalg.solve(var, s), rtol=1e-10)
    assert "Gray's test" in repr(res)


def test_gray_test_bad_input():
    t, e, g = [1, 2, 3, 4], [1, 0, 2, 1], ["a", "a", "b", "b"]
    with pytest.raises(DataError, match=r"at least two groups"):
        gray_test(t, e, ["a"] * 4)
    with pytest.raises(InvalidParameterError,
                       match=r"The 'cause' parameter of customers.gray_test must be one of "
                             r"the causes"):
        gray_test(t, e, g, cause=7)
    with pytest.raises(DataError, match=r"The 'group' parameter of customers.gray_test must be "
                                        r"of the same length as 'durations' \(4\)"):
        gray_test(t, e, ["a", "b"])
    with pytest.raises(InvalidParameterError, match=r"'rho' parameter of customers.gray_test"):
        gray_test(t, e, g, rho=float("nan"))
    with pytest.raises(DataError, match=r"every row is censored"):
        gray_test(t, [0, 0, 0, 0], g)
    with pytest.raises(DataError, match=r"The 'durations' parameter of customers.gray_test "
                                        r"must be in \[0, inf\]\. Got -2.0 at position 1"):
        gray_test([1, -2, 3, 4], e, g)
