"""NPS, CSAT and CES: reference values, weights, segments, bootstrap and bad inputs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from cxpath.errors import DataError, InvalidParameterError
from cxpath.kpi import ces, csat, nps, nps_sample_size


def _nps_sample(pro, pas, det):
    return np.array([10] * pro + [7] * pas + [2] * det)


def test_nps_issue_reference():
    # issue #6: 60 / 25 / 15 % of n = 100 -> NPS 45, SE 7.40 points (trinomial variance
    # [0.6 + 0.15 - 0.45^2] / 100 = 0.005475)
    r = nps(_nps_sample(60, 25, 15))
    assert float(r.score[0]) == 45.0
    assert float(r.se[0]) == pytest.approx(7.3993, abs=1e-4)
    assert float(r.promoters[0]) == 0.6 and float(r.detractors[0]) == 0.15
    assert float(r.margin[0]) == pytest.approx(1.959964 * 7.3993, rel=1e-4)
    assert float(r.ci_low[0]) == pytest.approx(45 - 14.502, abs=1e-2)


def test_nps_bootstrap_interval_close_to_wald():
    r = nps(_nps_sample(600, 250, 150), n_boot=4000, seed=3)
    assert float(r.boot_low[0]) == pytest.approx(float(r.ci_low[0]), abs=0.6)
    assert float(r.boot_high[0]) == pytest.approx(float(r.ci_high[0]), abs=0.6)
    w = nps(_nps_sample(600, 250, 150), weights=np.ones(1000), n_boot=2000, seed=3)
    assert float(w.boot_low[0]) == pytest.approx(float(r.ci_low[0]), abs=0.8)


def test_nps_weights_and_effective_n():
    x = np.array([10, 10, 0, 8])
    w = np.array([1.0, 1.0, 2.0, 0.0])
    r = nps(x, w)
    # weighted shares: promoters 2/4, detractors 2/4; Kish n_eff = 4^2 / 6
    assert float(r.score[0]) == 0.0
    assert float(r.n_effective[0]) == pytest.approx(16 / 6)
    assert float(r.se[0]) == pytest.approx(100 * np.sqrt(1.0 / (16 / 6)))
    doubled = nps(np.repeat(x[:3], [1, 1, 2]))
    assert float(doubled.score[0]) == float(r.score[0])


def test_nps_segments_and_table_input():
    data = {"nps": [10, 9, 2, 8, 10, 0], "channel": ["a", "a", "a", "b", "b", "b"]}
    r = nps("nps", data=data, by="channel")
    assert r.segment.tolist() == ["a", "b"]
    assert r.score.tolist() == pytest.approx([100 * (2 - 1) / 3, 0.0])
    frame = r.to_frame("dict")
    assert frame["nps"].tolist() == r.score.tolist()


@settings(max_examples=60, deadline=None)
@given(counts=st.lists(st.integers(0, 30), min_size=11, max_size=11).filter(lambda c: sum(c)))
def test_nps_se_equals_sd_of_the_plus_minus_one_coding(counts):
    # NPS is the mean of +1 (promoter) / 0 / -1 (detractor); its population SD / sqrt(n)
    x = np.repeat(np.arange(11), counts)
    coded = np.where(x >= 9, 1.0, np.where(x <= 6, -1.0, 0.0))
    r = nps(x)
    assert float(r.score[0]) == pytest.approx(100 * coded.mean(), abs=1e-9)
    assert float(r.se[0]) == pytest.approx(100 * coded.std() / np.sqrt(x.size), abs=1e-9)
    assert -100 <= float(r.ci_low[0]) <= float(r.ci_high[0]) <= 100


def test_nps_sample_size():
    # worst case variance 1: n = 1.959964^2 / 0.05^2 = 1536.6 -> 1537
    assert nps_sample_size(5) == 1537
    # 60 / 15 %: variance 0.5475 -> 841.3 -> 842
    assert nps_sample_size(5, promoters=0.6, detractors=0.15) == 842
    # consistency: the margin at the returned n is within target
    n = nps_sample_size(3, promoters=0.5, detractors=0.2, confidence=0.9)
    z = stats.norm.ppf(0.95)
    assert z * 100 * np.sqrt((0.7 - 0.09) / n) <= 3 < z * 100 * np.sqrt(0.61 / (n - 1))


def test_csat_wilson_references():
    # Wilson (1927) score interval; issue #6 values: 45/50 -> [0.7864, 0.9565],
    # 0/20 -> [0, 0.1611] (also statsmodels proportion_confint(method='wilson'))
    r = csat([5] * 45 + [1] * 5)
    assert float(r.top_box_low[0]) == pytest.approx(0.7864, abs=5e-5)
    assert float(r.top_box_high[0]) == pytest.approx(0.9565, abs=5e-5)
    r0 = csat([2] * 20)
    assert float(r0.top_box_low[0]) == 0.0
    assert float(r0.top_box_high[0]) == pytest.approx(0.1611, abs=5e-5)
    sm = pytest.importorskip("statsmodels.stats.proportion")
    lo, hi = sm.proportion_confint(37, 52, method="wilson")
    r2 = csat([4] * 37 + [3] * 15)
    assert float(r2.top_box_low[0]) == pytest.approx(lo, rel=1e-10)
    assert float(r2.top_box_high[0]) == pytest.approx(hi, rel=1e-10)


def test_csat_mean_t_interval_against_scipy():
    x = np.array([5, 4, 4, 3, 5, 2, 4, 5, 1, 4])
    r = csat(x)
    lo, hi = stats.t.interval(0.95, x.size - 1, loc=x.mean(), scale=stats.sem(x))
    assert float(r.mean_low[0]) == pytest.approx(lo, rel=1e-12)
    assert float(r.mean_high[0]) == pytest.approx(hi, rel=1e-12)
    assert float(r.sd[0]) == pytest.approx(x.std(ddof=1))


def test_weighted_csat_with_integer_weights_matches_repeated_mean():
    x = np.array([5, 3, 4])
    w = np.array([2.0, 1.0, 3.0])
    r = csat(x, w)
    rep = np.repeat(x, [2, 1, 3])
    assert float(r.mean[0]) == pytest.approx(rep.mean())
    assert float(r.top_box[0]) == pytest.approx(5 / 6)


def test_ces_on_the_sample_and_nan_policy():
    from cxpath.datasets import load_sample

    s = load_sample().survey
    r = ces("ces", data=s, by=None)
    assert 1 <= float(r.mean_low[0]) < float(r.mean[0]) < float(r.mean_high[0]) <= 7
    assert r.name == "CES" and "CES" in repr(r)
    with_nan = np.array([7, np.nan, 5])
    assert ces(with_nan, nan_policy="omit").omitted == 1
    with pytest.raises(DataError, match="NaN at position 1"):
        ces(with_nan)


@pytest.mark.parametrize(("call", "exc", "fragment"), [
    (lambda: nps([11, 3]), DataError, "whole numbers in [0, 10]. Got 11 at position 0"),
    (lambda: nps([-1]), DataError, "in [0, 10]"),
    (lambda: nps([7.5]), DataError, "whole numbers"),
    (lambda: nps([]), DataError, "at least 1"),
    (lambda: nps([9, 9], [1, -1]), DataError, "'weights' parameter of kpi.nps"),
    (lambda: nps([9, 9], [0, 0]), DataError, "at least one answer with positive weight"),
    (lambda: nps([9], confidence=1.0), InvalidParameterError, "'confidence'"),
    (lambda: nps([9], nan_policy="drop"), InvalidParameterError, "'nan_policy'"),
    (lambda: nps_sample_size(0), InvalidParameterError, "'margin'"),
    (lambda: nps_sample_size(5, promoters=0.5), InvalidParameterError, "'detractors'"),
    (lambda: nps_sample_size(5, promoters=0.7, detractors=0.5), InvalidParameterError,
     "at most 1"),
    (lambda: csat([6]), DataError, "in [1, 5]"),
    (lambda: csat([5], scale=(5, 1)), InvalidParameterError, "'scale' parameter of kpi.csat"),
    (lambda: csat([5], threshold=9), InvalidParameterError, "'threshold'"),
    (lambda: ces([0]), DataError, "'scores' parameter of kpi.ces"),
    (lambda: csat([5, 4], by=["a"]), DataError, "'by' parameter of kpi.csat"),
])
def test_bad_inputs(call, exc, fragment):
    with pytest.raises(exc) as info:
        call()
    assert fragment in str(info.value)
