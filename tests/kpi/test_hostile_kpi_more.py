"""Regression tests for hostile-input failures of cxpath.kpi (issue #18)."""

from __future__ import annotations

import pytest

from cxpath import Journeys
from cxpath.errors import DataError, InvalidTypeError
from cxpath.kpi import retention_cohorts, sla_clocks
from cxpath.kpi.sla import _is_missing


def test_retention_cohorts_huge_integer_timestamp():
    with pytest.raises(DataError, match=r"'timestamp' parameter of kpi\.retention_cohorts must "
                       r"be timestamps within the datetime64\[s\] range\. Got an integer too "
                       r"large for it instead"):
        retention_cohorts(["a"], [10**30])


def _journeys():
    return Journeys.from_events({"case": ["X", "X", "Y"], "step": ["open", "resolved", "open"],
                                 "at": [0.0, 3600.0, 7200.0]},
                                case="case", touchpoint="step", timestamp="at")


def test_sla_priority_bytes():
    with pytest.raises(InvalidTypeError, match=r"'priority' parameter of kpi\.sla_clocks must "
                       r"be a case attribute name or one label per case\. Got b'\\xff\\xfe'"):
        sla_clocks(_journeys(), {"P1": "8h"}, priority=b"\xff\xfe", stop={"resolved"})


def test_sla_priority_pandas_na():
    pd = pytest.importorskip("pandas")
    with pytest.raises(DataError, match=r"'priority' parameter of kpi\.sla_clocks must be a "
                       r"label for every case\. Got none for case 'Y' instead"):
        sla_clocks(_journeys(), {"1.0": "8h"}, stop={"resolved"},
                   priority=pd.Series([1.0, None], dtype="Float64"))


def test_pandas_na_is_missing():
    pd = pytest.importorskip("pandas")
    assert [_is_missing(x) for x in (pd.NA, pd.NaT, None, float("nan"), "P1", 1.0)] == \
        [True, True, True, True, False, False]
