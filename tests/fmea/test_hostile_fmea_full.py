"""Regression tests for the full-mode hostile failures of cxpath.fmea (issue #18, point 3)."""

from __future__ import annotations

import numpy as np
import pytest

from cxpath.errors import InvalidTypeError
from cxpath.fmea import (
    ActionPriorityTable,
    FailureMode,
    RatingScale,
    Worksheet,
    detection_rating,
    filter_modes,
    observed_detection,
    observed_occurrence,
    occurrence_rating,
    value_effort,
)

RAGGED = [[1, 2], [3]]
NUMPY_CANNOT = r"must be array-like\. Got an object numpy cannot read \(setting an array"


def _ws():
    return Worksheet.from_frame({"failure_mode": ["a", "b"], "S": [5, 9], "O": [5, 2],
                                 "D": [5, 7]})


@pytest.mark.parametrize("extra", [[("a", 1)], None, True, "", 1.5, np.array([]), len])
def test_failure_mode_extra_not_a_mapping(extra):
    with pytest.raises(InvalidTypeError, match=r"'extra' parameter of fmea\.FailureMode must "
                       r"be a mapping of column name to value\. Got "):
        FailureMode("x", 5, 5, 5, extra=extra)


def test_failure_mode_extra_mapping_still_kept():
    assert FailureMode("x", 5, 5, 5, extra={"owner": "QA"}).extra == {"owner": "QA"}


def test_rating_scale_ratings_zero_d_array():
    with pytest.raises(InvalidTypeError, match=r"'ratings' parameter of fmea\.RatingScale must "
                       r"be a sequence of integers in \[1, 10\]\. Got array\(5\.\) instead"):
        RatingScale(thresholds=[0.5], ratings=np.array(5.0))


@pytest.mark.parametrize("records", [None, True, -1, 1.5, 1 + 2j, len, {"a": 1}])
def test_from_records_not_iterable(records):
    with pytest.raises(InvalidTypeError, match=r"'records' parameter of fmea\.Worksheet\."
                       r"from_records must be an iterable of FailureMode objects or mappings"):
        Worksheet.from_records(records)


@pytest.mark.parametrize("ap", [True, -1, 1.5, 1 + 2j, len])
def test_filter_modes_ap_not_letters(ap):
    with pytest.raises(InvalidTypeError, match=r"'ap' parameter of fmea\.filter_modes must be "
                       r"'H', 'M', 'L' or a list of them\. Got "):
        filter_modes(_ws(), ap=ap)


def test_filter_modes_ap_array_still_accepted():
    # AIAG-VDA table (the default): S=9, O=2, D=7 is 'H'; S=O=D=5 is 'L'
    assert filter_modes(_ws(), ap=np.array(["H"])).failure_mode.tolist() == ["b"]
    assert filter_modes(_ws(), ap=np.array(["L", "H"])).failure_mode.tolist() == ["a", "b"]


def test_observed_detection_mode_none():
    with pytest.raises(InvalidTypeError, match=r"'mode' parameter of fmea\.observed_detection "
                       r"must be a column name or the failure modes themselves\. Got None"):
        observed_detection(_ws(), mode=None, detected=[True])


def test_observed_detection_detected_none():
    with pytest.raises(InvalidTypeError, match=r"'detected' parameter of fmea\."
                       r"observed_detection must be a column name or True/False for every "
                       r"failure\. Got None"):
        observed_detection(_ws(), mode=["a"], detected=None)


def test_observed_occurrence_mode_none():
    with pytest.raises(InvalidTypeError, match=r"'mode' parameter of fmea\.observed_occurrence "
                       r"must be a column name or the failure modes themselves\. Got None"):
        observed_occurrence(_ws(), mode=None, exposure=10)


def test_value_effort_labels_none():
    with pytest.raises(InvalidTypeError, match=r"'labels' parameter of fmea\.value_effort must "
                       r"be a column name or the labels themselves\. Got None"):
        value_effort(labels=None, impact=[1], effort=[1])


@pytest.mark.parametrize(("name", "call"), [
    ("index", lambda: _ws().subset(RAGGED)),
    ("detected", lambda: detection_rating(RAGGED)),
    ("total", lambda: detection_rating([1, 2], RAGGED)),
    ("exposure", lambda: observed_occurrence(_ws(), mode=["a"], exposure=RAGGED)),
    ("rate", lambda: occurrence_rating(RAGGED)),
    ("codes", lambda: ActionPriorityTable(name="x", source="", codes=RAGGED)),
    ("letters", lambda: ActionPriorityTable.from_array(RAGGED)),
])
def test_ragged_arrays(name, call):
    with pytest.raises(InvalidTypeError, match=rf"'{name}' parameter of .* {NUMPY_CANNOT}"):
        call()
