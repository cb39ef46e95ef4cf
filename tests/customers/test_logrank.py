"""Log-rank tests: parity with lifelines 0.30 (``logrank_test``, ``multivariate_logrank_test``
with its weightings) on waltons and rossi; the stratified test against the textbook sums of
Klein & Moeschberger (2003) §7.5 written out as a plain loop."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath.customers import logrank_test
from cxpath.errors import DataError, InvalidParameterError

pytest.importorskip("lifelines", reason="lifelines (test peer) is not installed")
from lifelines.datasets import load_rossi, load_waltons
from lifelines.statistics import logrank_test as ll_logrank
from lifelines.statistics import multivariate_logrank_test

TOL = 1e-6


@pytest.mark.parametrize("weighting", ["logrank", "wilcoxon", "tarone-ware", "peto",
                                       "fleming-harrington"])
def test_weighted_logrank_matches_lifelines_on_waltons(weighting):
    w = load_waltons()
    kw = {"p": 1.0, "q": 0.5} if weighting == "fleming-harrington" else {}
    t = logrank_test("T", "E", "group", data=w, weighting=weighting, **kw)
    ref = multivariate_logrank_test(w["T"], w["group"], w["E"],
                                    weightings=None if weighting == "logrank" else weighting,
                                    **kw)
    assert t.statistic == pytest.approx(ref.test_statistic, abs=TOL)
    assert t.p_value == pytest.approx(ref.p_value, abs=TOL)
    assert t.df == 1


def test_logrank_waltons_pinned():
    # lifelines multivariate_logrank_test(T, group, E).test_statistic = 122.249 (p 1.98e-28)
    t = logrank_test("T", "E", "group", data=load_waltons())
    assert t.statistic == pytest.approx(122.24912557300615, abs=TOL)


def test_two_group_logrank_matches_lifelines_on_rossi():
    r = load_rossi()
    a, b = r[r.fin == 0], r[r.fin == 1]
    ref = ll_logrank(a.week, b.week, a.arrest, b.arrest)
    t = logrank_test("week", "arrest", "fin", data=r)
    assert t.statistic == pytest.approx(ref.test_statistic, abs=TOL)
    assert t.p_value == pytest.approx(ref.p_value, abs=TOL)
    assert (t.observed - t.expected).sum() == pytest.approx(0.0, abs=1e-9)
    # two groups: the statistic is (O - E)^2 / V of either group
    assert t.statistic == pytest.approx((t.observed[0] - t.expected[0]) ** 2 / t.variance[0])


def test_k_groups_match_lifelines():
    r = load_rossi()
    group = r.prio.clip(upper=3)  # 4 groups
    t = logrank_test(r.week, r.arrest, group)
    ref = multivariate_logrank_test(r.week, group, r.arrest)
    assert t.statistic == pytest.approx(ref.test_statistic, abs=TOL)
    assert t.df == 3
    assert t.observed.sum() == pytest.approx(r.arrest.sum())
    assert t.expected.sum() == pytest.approx(r.arrest.sum())


def _stratified_oracle(t, e, g, s):
    """Klein & Moeschberger (2003) eq. 7.5.1: Σ_strata (O − E), Σ_strata V, two groups."""
    z = v = 0.0
    for stratum in np.unique(s):
        m = s == stratum
        for time in np.unique(t[m & (e == 1)]):
            risk = m & (t >= time)
            n, n1 = risk.sum(), (risk & (g == 1)).sum()
            dead = m & (t == time) & (e == 1)
            d, d1 = dead.sum(), (dead & (g == 1)).sum()
            z += d1 - d * n1 / n
            if n > 1:
                v += d * (n1 / n) * (1 - n1 / n) * (n - d) / (n - 1)
    return z * z / v


def test_stratified_logrank_equals_the_textbook_sums():
    r = load_rossi()
    t = logrank_test("week", "arrest", "fin", data=r, strata="race")
    expected = _stratified_oracle(r.week.to_numpy(), r.arrest.to_numpy(), r.fin.to_numpy(),
                                  r.race.to_numpy())
    assert t.statistic == pytest.approx(expected, rel=1e-12)
    assert t.n_strata == 2
    unstratified = logrank_test("week", "arrest", "fin", data=r)
    assert t.statistic != pytest.approx(unstratified.statistic, abs=1e-3)


@settings(max_examples=25)
@given(st.lists(st.tuples(st.integers(1, 12), st.booleans(), st.integers(0, 1)), min_size=4,
                max_size=30))
def test_one_stratum_is_the_plain_test_and_weights_repeat_rows(rows):
    t, e, g = (np.array(c) for c in zip(*rows))
    if len(set(g)) < 2 or not e.any():
        return
    plain = logrank_test(t, e, g)
    one = logrank_test(t, e, g, strata=np.zeros(t.size))
    assert one.statistic == pytest.approx(plain.statistic, rel=1e-9, abs=1e-12)
    doubled = logrank_test(t, e, g, weights=np.full(t.size, 2.0))
    rep = logrank_test(np.repeat(t, 2), np.repeat(e, 2), np.repeat(g, 2))
    assert doubled.statistic == pytest.approx(rep.statistic, rel=1e-9, abs=1e-12)


def test_bad_inputs():
    with pytest.raises(DataError, match=r"'group' parameter of customers\.logrank_test must "
                       r"be at least two distinct groups\. Got 1 group\(s\) instead"):
        logrank_test([1, 2, 3], [1, 1, 0], ["a", "a", "a"])
    with pytest.raises(InvalidParameterError, match=r"'group' parameter of customers\."
                       r"logrank_test must be the group of each row"):
        logrank_test([1, 2, 3], [1, 1, 0])
    with pytest.raises(DataError, match=r"needs at least one event"):
        logrank_test([1, 2, 3], [0, 0, 0], ["a", "b", "a"])
    with pytest.raises(DataError, match=r"'group' parameter .* same length as 'durations' "
                       r"\(3\)\. Got length 2"):
        logrank_test([1, 2, 3], [1, 1, 0], ["a", "b"])
    with pytest.raises(DataError, match=r"'durations' parameter .* in \[0, inf\]"):
        logrank_test([1, -2, 3], [1, 1, 0], ["a", "b", "a"])
    with pytest.raises(DataError, match=r"'event' parameter .* event flags"):
        logrank_test([1, 2, 3], [1, 5, 0], ["a", "b", "a"])
    with pytest.raises(DataError, match=r"'entry' parameter .* before the duration"):
        logrank_test([1, 2, 3], [1, 1, 0], ["a", "b", "a"], entry=[0, 2, 0])
    with pytest.raises(InvalidParameterError, match=r"'weighting' parameter .* one of "
                       r"'logrank', 'wilcoxon'"):
        logrank_test([1, 2, 3], [1, 1, 0], ["a", "b", "a"], weighting="gehan")
    with pytest.raises(InvalidParameterError, match=r"'p' parameter .* in \[0, inf\]"):
        logrank_test([1, 2, 3], [1, 1, 0], ["a", "b", "a"], p=-1.0)
    with pytest.raises(DataError, match=r"'group' parameter .* free of missing labels"):
        logrank_test([1, 2, 3], [1, 1, 0], ["a", None, "b"])
    with pytest.raises(DataError, match=r"'strata' parameter .* labels of one comparable"):
        logrank_test([1, 2, 3], [1, 1, 0], ["a", "b", "a"], strata=[1, "x", 2])
