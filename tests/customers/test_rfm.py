"""RFM quintile scores and segments (cxpath.customers.rfm)."""

from __future__ import annotations

import numpy as np
import pytest

from cxpath.customers import (
    RFM_SEGMENTS,
    RFMScores,
    customer_histories,
    logrank_test,
    rfm_scores,
)
from cxpath.errors import DataError


def _direct(x, higher_is_better=True):
    """The documented rule, one customer at a time: 1 + floor(5 k / n), k strictly worse."""
    n = len(x)
    return [1 + (5 * sum((y < xi) if higher_is_better else (y > xi) for y in x)) // n
            for xi in x]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_quintiles_equal_a_direct_computation_with_ties(seed):
    rng = np.random.default_rng(seed)
    r = rng.integers(0, 30, 137).astype(float)  # many ties
    f = rng.poisson(1.2, 137).astype(float)
    m = np.round(rng.gamma(2, 20, 137), 0)
    s = rfm_scores(r, f, m)
    assert s.r_score.tolist() == _direct(r.tolist(), higher_is_better=False)
    assert s.f_score.tolist() == _direct(f.tolist())
    assert s.m_score.tolist() == _direct(m.tolist())


def test_quintiles_equal_scipy_min_ranks():
    # scipy.stats.rankdata(method="min") - 1 is the number of strictly smaller values.
    from scipy.stats import rankdata

    x = np.random.default_rng(9).integers(0, 8, 50).astype(float)
    k = rankdata(x, method="min") - 1
    assert rfm_scores(x, x).f_score.tolist() == (1 + (5 * k) // 50).astype(int).tolist()


def test_distinct_values_fill_five_equal_groups():
    s = rfm_scores(np.arange(100.0), np.arange(100.0))
    assert np.bincount(s.f_score).tolist() == [0, 20, 20, 20, 20, 20]
    assert s.r_score[:20].tolist() == [5] * 20  # smallest recency: best score
    assert s.m_score is None and s.rfm[0] == "51"


def test_ties_share_the_lowest_score_of_their_group():
    # 6 of 10 customers with one purchase: k = 0 for all of them -> score 1.
    f = [1, 1, 1, 1, 1, 1, 2, 3, 4, 5]
    assert rfm_scores([0] * 10, f).f_score.tolist() == [1] * 6 + [4, 4, 5, 5]


def test_segment_table():
    # The documented R x F grid, every cell.
    r = np.repeat([5, 4, 3, 2, 1], 5)  # recency: smaller is better
    f = np.tile([1, 2, 3, 4, 5], 5)
    s = rfm_scores(r.astype(float), f.astype(float))
    assert s.r_score.tolist() == np.repeat([1, 2, 3, 4, 5], 5).tolist()
    assert s.f_score.tolist() == f.tolist()
    want = [RFM_SEGMENTS[a - 1][b - 1] for a, b in zip(s.r_score, s.f_score)]
    assert s.segment.tolist() == want
    assert want[-2:] == ["champions", "champions"]
    assert want[:5] == ["hibernating", "hibernating", "at risk", "at risk", "can't lose them"]
    assert want[20] == "new customers" and want[12] == "need attention"
    assert s.counts()["champions"] == 2 and sum(s.counts().values()) == 25


def test_segments_plug_into_group_arguments():
    log = {"customer": list("aabbbccdde"), "at": np.arange(10.0) * 86400,
           "amount": [1.0] * 10}
    h = customer_histories(log, customer="customer", timestamp="at", amount="amount",
                           churn_after=2)
    s = rfm_scores("recency", "frequency", "total", data=h.to_frame("dict"),
                   customer="customer")
    assert isinstance(s, RFMScores)
    assert s.customer.tolist() == list("abcde")
    assert isinstance(s.segment, np.ndarray) and s.segment.dtype == object
    test = logrank_test(h.churn_duration, h.churned, group=s.segment)
    assert set(test.group.tolist()) == set(s.segment.tolist())
    assert s["e"]["segment"] == s.segment[4]


def test_bad_inputs():
    with pytest.raises(DataError, match=r"'recency' parameter of customers.rfm_scores must be "
                                        r"free of NaN"):
        rfm_scores([np.nan, 1.0], [1, 2])
    with pytest.raises(DataError, match=r"'frequency' parameter .* same length"):
        rfm_scores([1.0, 2.0], [1])
    with pytest.raises(DataError, match=r"'monetary' parameter .* finite"):
        rfm_scores([1.0], [1], [np.inf])
    with pytest.raises(DataError, match=r"'recency' parameter .* at least 1"):
        rfm_scores([], [])
    with pytest.raises(DataError, match=r"'customer' parameter .* same length"):
        rfm_scores([1.0, 2.0], [1, 2], customer=["a"])
    with pytest.raises(DataError, match=r"'recency' parameter .* numeric"):
        rfm_scores(["x"], [1])
