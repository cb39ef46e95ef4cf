"""Occurrence and detection ratings from data."""

from __future__ import annotations

import numpy as np
import pytest

from cxpath.datasets import load_sample
from cxpath.errors import DataError, InvalidParameterError
from cxpath.fmea import (
    AIAG_FMEA4_PFMEA_OCCURRENCE,
    RatingScale,
    Worksheet,
    detection_rating,
    observed_detection,
    observed_occurrence,
    occurrence_rating,
)

# AIAG FMEA-4 (2008) PFMEA occurrence, incidents per 1,000 items:
# >=100 -> 10, 50 -> 9, 20 -> 8, 10 -> 7, 2 -> 6, 0.5 -> 5, 0.1 -> 4, 0.01 -> 3, <=0.001 -> 2
EDGES = [(100, 10), (50, 9), (20, 8), (10, 7), (2, 6), (0.5, 5), (0.1, 4), (0.01, 3)]


@pytest.mark.parametrize("edge,rating", EDGES)
def test_every_breakpoint_edge(edge, rating):
    assert occurrence_rating(edge) == rating                  # on the edge: the higher rating
    assert occurrence_rating(edge * (1 + 1e-6)) == rating
    assert occurrence_rating(edge * (1 - 1e-6)) == rating - 1   # just below: the next one down


def test_extremes_and_units():
    assert occurrence_rating(0.001) == 2 and occurrence_rating(0.0) == 2
    assert occurrence_rating(1000.0) == 10 and occurrence_rating(np.inf) == 10
    assert occurrence_rating(0.02, per=1) == 8          # 2 % = 20 per 1,000
    assert occurrence_rating(2, per=1_000_000) == 2     # 2 ppm = 0.002 per 1,000 -> 2
    assert occurrence_rating(20, per=1_000_000) == 3    # 20 ppm = 0.02 per 1,000 -> 3
    np.testing.assert_array_equal(occurrence_rating([150, 0.5, 0.499, 0]), [10, 5, 4, 2])
    assert AIAG_FMEA4_PFMEA_OCCURRENCE.rows()[-1] == (None, 2)


def test_detection_edges():
    # escape share bands of 10 %: < 10 % -> 1, [10 %, 20 %) -> 2, ..., >= 90 % -> 10
    for k in range(1, 10):
        assert detection_rating(1 - k / 10) == k + 1
        assert detection_rating(k * 10, 100) == 11 - k
    assert detection_rating(1.0) == 1 and detection_rating(0.0) == 10
    np.testing.assert_array_equal(detection_rating([45, 10], [50, 100]), [2, 10])
    np.testing.assert_array_equal(detection_rating([5, 95], 100), [10, 1])


def test_custom_scale():
    scale = RatingScale([10.0, 1.0], [9, 5], floor=1, name="mine")
    np.testing.assert_array_equal(occurrence_rating([10, 9.99, 1, 0.5], scale=scale),
                                  [9, 5, 5, 1])


def test_observed_occurrence_on_sample():
    sample = load_sample()
    ws = Worksheet.from_frame(sample.failure_modes)
    obs = observed_occurrence(ws, sample.failures, exposure=sample.service_orders)
    names, counts = np.unique(sample.failures["failure_mode"], return_counts=True)
    by_name = dict(zip(names.tolist(), counts.tolist()))
    assert obs.count.tolist() == [by_name.get(m, 0) for m in ws.failure_mode]
    np.testing.assert_allclose(obs.rate, obs.count * 1000 / sample.service_orders)
    np.testing.assert_array_equal(obs.rating, occurrence_rating(obs.rate))
    assert obs.in_worksheet.all() and len(obs.unmatched) == 0
    np.testing.assert_array_equal(obs.change, obs.rating - ws.occurrence)
    applied = obs.apply(ws)
    np.testing.assert_array_equal(applied.occurrence, obs.rating)
    assert "rated higher" in repr(obs)


def test_exact_interval_matches_statsmodels():
    sm = pytest.importorskip("statsmodels.stats.proportion")
    ws = Worksheet.from_frame({"failure_mode": ["a", "b", "c"], "S": [5, 5, 5], "O": [5, 5, 5],
                               "D": [5, 5, 5]})
    obs = observed_occurrence(ws, mode=["a"] * 7 + ["b"], exposure={"a": 400, "b": 50, "c": 80},
                              confidence=0.9)
    with pytest.warns(DeprecationWarning, match="'level' parameter of fmea.observed_occurrence "
                                                "is renamed 'confidence'"):
        old = observed_occurrence(ws, mode=["a"] * 7 + ["b"],
                                  exposure={"a": 400, "b": 50, "c": 80}, level=0.9)
    np.testing.assert_array_equal(old.rate_low, obs.rate_low)
    for i, (k, n) in enumerate([(7, 400), (1, 50), (0, 80)]):
        lo, hi = sm.proportion_confint(k, n, alpha=0.1, method="beta")   # Clopper-Pearson
        assert obs.rate_low[i] == pytest.approx(lo * 1000, abs=1e-9)
        assert obs.rate_high[i] == pytest.approx(hi * 1000, rel=1e-9)
    cons = observed_occurrence(ws, mode=["a"] * 7 + ["b"], exposure={"a": 400, "b": 50, "c": 80},
                               conservative=True)
    assert (cons.rating >= obs.rating).all() and cons.rating[2] > 2   # zero of 80 is not O=2


def test_unmatched_modes_are_reported_not_dropped():
    ws = Worksheet.from_frame({"failure_mode": ["a", "b"], "S": [5, 5], "O": [5, 5],
                               "D": [5, 5]})
    obs = observed_occurrence(ws, {"fm": ["a", "z", "z"]}, mode="fm", exposure=100)
    assert obs.failure_mode.tolist() == ["a", "b", "z"]
    assert obs.unmatched.tolist() == ["z"] and obs.count.tolist() == [1, 0, 2]
    assert obs.change[2] == 0 and obs.current[2] == 0
    assert "1 recorded mode(s) not in the worksheet" in repr(obs)
    assert obs.apply(ws).occurrence.tolist() == [7, 2]   # 10 per 1,000 -> 7; none -> 2


def test_bad_inputs():
    with pytest.raises(DataError, match=r"'rate' parameter of fmea.occurrence_rating .*\[0, inf\]"):
        occurrence_rating(-1.0)
    with pytest.raises(DataError, match=r"NaN"):
        occurrence_rating([1.0, np.nan])
    with pytest.raises(InvalidParameterError, match=r"'per'.*"):
        occurrence_rating(1.0, per=0)
    with pytest.raises(InvalidParameterError, match=r"'scale' parameter of fmea.occurrence_rating"):
        occurrence_rating(1.0, scale="vda-96")
    with pytest.raises(DataError, match=r"'detected' parameter of fmea.detection_rating.*\[0, 1\]"):
        detection_rating(1.5)
    with pytest.raises(DataError, match=r"at most 'total'.*at position 1"):
        detection_rating([1, 9], [5, 5])
    with pytest.raises(DataError, match=r"'total'"):
        detection_rating([1], [0])
    with pytest.raises(InvalidParameterError, match=r"'thresholds'.*strictly decreasing"):
        RatingScale([1.0, 10.0], [5, 9])
    with pytest.raises(InvalidParameterError, match=r"'ratings'.*one rating per threshold"):
        RatingScale([10.0], [5, 9])
    with pytest.raises(InvalidParameterError, match=r"'ratings'.*strictly decreasing and above"):
        RatingScale([10.0, 1.0], [5, 9])
    ws = Worksheet.from_frame({"failure_mode": ["a", "a"], "S": [5, 5], "O": [5, 5], "D": [5, 5]})
    with pytest.raises(DataError, match=r"distinct names.*'a' more than once"):
        observed_occurrence(ws, mode=["a"], exposure=10)
    ws = Worksheet.from_frame({"failure_mode": ["a", "b"], "S": [5, 5], "O": [5, 5], "D": [5, 5]})
    with pytest.raises(InvalidParameterError, match=r"'exposure' parameter of "
                                                    r"fmea.observed_occurrence must be given"):
        observed_occurrence(ws, mode=["a"])
    with pytest.raises(DataError, match=r"'exposure'.*at least the number of failures.*'a'"):
        observed_occurrence(ws, mode=["a", "a"], exposure=1)
    with pytest.raises(DataError, match=r"no entry for 'b'"):
        observed_occurrence(ws, mode=["a"], exposure={"a": 5})
    with pytest.raises(DataError, match=r"one value per worksheet mode"):
        observed_occurrence(ws, mode=["a"], exposure=[5, 5, 5])
    with pytest.raises(InvalidParameterError, match=r"'mode'.*a column of 'data'"):
        observed_occurrence(ws, {"fm": ["a"]}, exposure=5)
    with pytest.raises(InvalidParameterError, match=r"'worksheet'"):
        observed_occurrence("ws", mode=["a"], exposure=5)
    other = Worksheet.from_frame({"failure_mode": ["x"], "S": [5], "O": [5], "D": [5]})
    with pytest.raises(DataError, match=r"the worksheet these ratings were measured for"):
        observed_occurrence(ws, mode=["a"], exposure=5).apply(other)


def test_observed_detection():
    sm = pytest.importorskip("statsmodels.stats.proportion")
    ws = Worksheet.from_frame({"failure_mode": ["a", "b", "c"], "S": [5, 5, 5], "O": [5, 5, 5],
                               "D": [5, 5, 5]})
    records = {"fm": ["a"] * 10 + ["b"] * 4 + ["z"],
               "caught": [True] * 9 + [False] + [False, False, False, True] + [True]}
    obs = observed_detection(ws, records, mode="fm", detected="caught")
    assert obs.failure_mode.tolist() == ["a", "b", "c", "z"]
    assert obs.failures.tolist() == [10, 4, 0, 1] and obs.detected.tolist() == [9, 1, 0, 1]
    np.testing.assert_allclose(obs.escape[:2], [0.1, 0.75])
    assert np.isnan(obs.escape[2]) and not obs.measured[2]
    # escape 10 % -> D 2; 75 % -> D 8; "c" has no records: keeps its D 5
    assert obs.rating.tolist()[:3] == [2, 8, 5] and obs.change.tolist() == [-3, 3, 0, 0]
    lo, hi = sm.proportion_confint(1, 10, alpha=0.05, method="beta")   # Clopper-Pearson
    assert (obs.escape_low[0], obs.escape_high[0]) == pytest.approx((lo, hi))
    assert obs.unmatched.tolist() == ["z"]
    assert obs.apply(ws).detection.tolist() == [2, 8, 5]
    cons = observed_detection(ws, records, mode="fm", detected="caught", conservative=True)
    assert (cons.rating[:2] >= obs.rating[:2]).all()
    assert "1 mode(s) without records" in repr(obs)
    with pytest.raises(DataError, match=r"'detected' parameter of fmea.observed_detection.*"
                                        r"True or False.*'yes' at position 0"):
        observed_detection(ws, mode=["a"], detected=["yes"])
    with pytest.raises(DataError, match="same length"):
        observed_detection(ws, mode=["a", "b"], detected=[True])
    with pytest.raises(InvalidParameterError, match=r"'worksheet' parameter of fmea.observed_d"):
        observed_detection([], mode=["a"], detected=[True])
    with pytest.raises(DataError, match="measured for"):
        obs.apply(Worksheet.from_frame({"failure_mode": ["x"], "S": [1], "O": [1], "D": [1]}))
