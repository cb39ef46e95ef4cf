"""Regression tests for hostile-input failures of cxpath.fmea (issue #18, one error shape)."""

from __future__ import annotations

import numpy as np
import pytest

from cxpath.errors import DataError, InvalidParameterError, InvalidTypeError
from cxpath.fmea import (
    ActionPriorityTable,
    FailureMode,
    RatingScale,
    Worksheet,
    ap_table,
    criticality,
    rank,
    rpn,
)


@pytest.fixture
def ws():
    return Worksheet.from_records([FailureMode("Wrong part shipped", 7, 5, 4)])


@pytest.mark.parametrize(("args", "cls", "fragment"), [
    ((2**31, 1, 1), InvalidParameterError,
     r"'severity' parameter of fmea\.ActionPriorityTable\.lookup must be an integer in "
     r"\[1, 10\]\. Got 2147483648 instead"),
    ((np.int64(5000), 1, 1), InvalidParameterError, r"Got 5000 instead"),
    (("3", 1, 1), InvalidTypeError, r"'severity' parameter .* Got '3' instead"),
    ((1, 1.5, 1), InvalidTypeError, r"'occurrence' parameter .* Got 1\.5 instead"),
    ((1, b"\xff\xfe", 1), InvalidTypeError, r"'occurrence' parameter"),
    ((1, 1, np.int64(-19361)), InvalidParameterError, r"'detection' .* Got -19361 instead"),
])
def test_lookup_checks_ratings(args, cls, fragment):
    with pytest.raises(cls, match=fragment):
        ap_table().lookup(*args)


def test_lookup_still_answers():
    # AIAG-VDA 2019 table, S 9-10 / O 4-5 / D 2-4 cell: 'H' (code 2)
    assert int(ap_table().lookup(9, 4, 2)) == 2
    assert ap_table().lookup([9, 5], [4, 8], [2, 5]).tolist() == [2, 2]


def test_table_codes_checked():
    with pytest.raises(InvalidTypeError, match=r"'codes' parameter of fmea\.ActionPriorityTable "
                       r"must be an integer array of shape \(10, 10, 10\)\. "
                       r"Got -9223372036854775809"):
        ActionPriorityTable("x", -(2**63) - 1)
    with pytest.raises(DataError, match=r"must be in \[0, 2\]\. Got 3 at position \(0, 0, 0\)"):
        ActionPriorityTable("x", np.full((10, 10, 10), 3))
    mine = np.zeros((10, 10, 10), dtype=np.int64)
    ActionPriorityTable("x", mine)
    assert mine.flags.writeable  # the caller's array is copied, not frozen


@pytest.mark.parametrize(("thresholds", "cls", "fragment"), [
    (float("nan"), InvalidTypeError, r"'thresholds' parameter of fmea\.RatingScale must be a "
     r"non-empty, strictly decreasing sequence of finite numbers\. Got nan instead"),
    (np.array([[True, False]]), InvalidParameterError, r"must be a 1-dimensional array"),
    (["a", "b"], DataError, r"must be numeric\. Got an array of dtype <U1"),
])
def test_rating_scale_thresholds(thresholds, cls, fragment):
    with pytest.raises(cls, match=fragment):
        RatingScale(thresholds, [9, 5])


def test_criticality_ragged():
    with pytest.raises(InvalidTypeError, match=r"'severity' parameter of fmea\.criticality "
                       r"must be array-like"):
        criticality([[1, 2], [3]], 2)


def test_rpn_huge_float_reported_as_given():
    # before the cast: 1e19 is shown as 1e+19, not as a wrapped int64
    with pytest.raises(DataError, match=r"must be in \[1, 10\]\. Got 1e\+19 at position 0"):
        rpn([1e19], [1], [1])


def test_rank_by_none(ws):
    with pytest.raises(InvalidTypeError, match=r"'by' parameter of fmea\.rank must be a sort "
                       r"key or a sequence of them"):
        rank(ws, by=None)


@pytest.mark.parametrize(("kwargs", "cls", "fragment"), [
    ({"path": ""}, InvalidParameterError, r"'path' parameter of fmea\.Worksheet\.to_csv must "
     r"be a non-empty file path without NUL characters\. Got '' instead"),
    ({"path": -(2**63) - 1}, InvalidTypeError, r"must be a file path \(str or os\.PathLike\)"),
    ({"delimiter": ""}, InvalidParameterError, r"'delimiter' parameter of fmea\.Worksheet\."
     r"to_csv must be a one-character string"),
    ({"delimiter": 2**63}, InvalidTypeError, r"'delimiter' parameter"),
    ({"delimiter": np.array(["a", None], dtype=object)}, InvalidTypeError, r"'delimiter'"),
])
def test_to_csv_arguments(ws, kwargs, cls, fragment):
    with pytest.raises(cls, match=fragment):
        ws.to_csv(**kwargs)


def test_to_csv_directory_stays_os_error(ws, tmp_path):
    with pytest.raises(IsADirectoryError):  # the documented OSError exception to the rule
        ws.to_csv(tmp_path)


@pytest.mark.parametrize(("kwargs", "cls", "fragment"), [
    ({"indent": 2.5}, InvalidTypeError, r"'indent' parameter of fmea\.Worksheet\.to_json must "
     r"be an integer in \[0, 16\]\. Got 2\.5 instead"),
    ({"indent": 2**62}, InvalidParameterError, r"Got 4611686018427387904 instead"),
    ({"path": float("nan")}, InvalidTypeError, r"'path' parameter of fmea\.Worksheet\.to_json"),
    ({"path": ""}, InvalidParameterError, r"non-empty file path"),
    ({"path": "x.json", "encoding": "no-such-codec"}, InvalidParameterError,
     r"'encoding' parameter of fmea\.Worksheet\.to_json must be the name of a text encoding"),
])
def test_to_json_arguments(ws, kwargs, cls, fragment):
    with pytest.raises(cls, match=fragment):
        ws.to_json(**kwargs)


def test_to_json_indent():
    ws = Worksheet.from_records([FailureMode("a", 1, 1, 1)])
    assert ws.to_json(indent=2).splitlines()[1] == '  "format": "cxpath.fmea.Worksheet",'


@pytest.mark.parametrize(("kwargs", "cls", "fragment"), [
    ({"source": ""}, InvalidParameterError, r"'source' parameter of fmea\.Worksheet\.from_csv "
     r"must be a non-empty file path"),
    ({"source": "x.csv", "delimiter": ""}, InvalidParameterError, r"'delimiter' parameter"),
])
def test_from_csv_arguments(kwargs, cls, fragment):
    with pytest.raises(cls, match=fragment):
        Worksheet.from_csv(**kwargs)


@pytest.mark.parametrize("columns", [1 + 2j, float("inf")])
def test_from_csv_columns(tmp_path, columns):
    path = tmp_path / "ws.csv"
    path.write_text("Failure Mode,S,O,D\nlate,6,6,3\n", encoding="utf-8")
    with pytest.raises(InvalidTypeError, match=r"'columns' parameter of fmea\.Worksheet\."
                       r"from_csv must be None or a mapping"):
        Worksheet.from_csv(path, columns=columns)


def test_from_records_columns():
    with pytest.raises(InvalidTypeError, match=r"'columns' parameter of fmea\.Worksheet\."
                       r"from_records must be None or a mapping .* Got -inf instead"):
        Worksheet.from_records([FailureMode("a", 1, 1, 1)], columns=float("-inf"))


def test_from_csv_missing_file_stays_os_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        Worksheet.from_csv(tmp_path / "no" / "such.csv")
