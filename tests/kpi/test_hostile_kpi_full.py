"""Regression tests for the full-mode hostile failures of cxpath.kpi (issue #18, point 3)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxpath import Journeys
from cxpath.errors import InvalidParameterError, InvalidTypeError
from cxpath.kpi import compare, erlang_b, erlang_c, nps_sample_size, parts_policy, sla_clocks
from cxpath.kpi.sla import _example_clocks

RAGGED = [[1, 2], [3]]


@pytest.mark.parametrize("label", [np.array([np.nan, np.nan]), np.zeros((0, 3)),
                                   pd.Series([1.0, None]), 1])
def test_compare_label_not_a_str(label):
    with pytest.raises(InvalidTypeError, match=r"'label' parameter of kpi\.compare must be a "
                       r"str or None\. Got "):
        compare([1.0, 2.0, 3.0], [2.0, 3.0, 4.0], label=label)


def test_nps_sample_size_subnormal_margin():
    with pytest.raises(InvalidParameterError, match=r"'margin' parameter of kpi\."
                       r"nps_sample_size must be large enough for a finite sample size\. Got "
                       r"5e-324 instead"):
        nps_sample_size(5e-324)


def test_nps_sample_size_tiny_margin_still_finite():
    # z(0.95)^2 * 1 / (1e-100 / 100)^2 = 3.8415e204 (var = 1 without shares)
    assert float(nps_sample_size(1e-100)) == pytest.approx(3.841458820694124e204, rel=1e-9)


def test_parts_policy_parts_bytes():
    with pytest.raises(InvalidTypeError, match=r"'parts' parameter of kpi\.parts_policy must be "
                       r"a sequence of part labels\. Got b'\\xff\\xfe' instead"):
        parts_policy(np.ones((2, 5)), lead_time=1.0, parts=b"\xff\xfe")


def test_parts_policy_parts_ragged():
    with pytest.raises(InvalidTypeError, match=r"'parts' parameter of kpi\.parts_policy must be "
                       r"array-like\. Got an object numpy cannot read"):
        parts_policy(np.ones((2, 5)), lead_time=1.0, parts=RAGGED)


@pytest.mark.parametrize(("name", "call"), [
    ("agents", lambda: erlang_b(RAGGED, 1.0)),
    ("load", lambda: erlang_b(2, RAGGED)),
    ("agents", lambda: erlang_c(100.0, 180.0, RAGGED)),
])
def test_erlang_ragged(name, call):
    with pytest.raises(InvalidTypeError, match=rf"'{name}' parameter of kpi\.erlang_[bc] must "
                       r"be array-like\. Got an object numpy cannot read"):
        call()


def _journeys():
    return Journeys.from_events({"case": ["X", "X", "Y"], "step": ["open", "resolved", "open"],
                                 "at": [0.0, 3600.0, 7200.0]},
                                case="case", touchpoint="step", timestamp="at")


@pytest.mark.parametrize(("name", "value", "shown"), [
    ("pause", [[1], [2]], r"\[1\]"), ("pause", np.zeros((2, 2)), r"array\(\[0\., 0\.\]\)"),
    ("start", RAGGED, r"\[1, 2\]"), ("stop", [[1], [2]], r"\[1\]"),
])
def test_sla_clocks_unhashable_labels(name, value, shown):
    kw = {"stop": {"resolved"}, name: value}
    with pytest.raises(InvalidTypeError, match=rf"'{name}' parameter of kpi\.sla_clocks must be "
                       rf"touchpoint labels\. Got {shown} among them instead"):
        sla_clocks(_journeys(), {"P1": "8h"}, priority=["P1", "P1"], **kw)


@pytest.mark.parametrize("by", [0, RAGGED])
def test_attainment_by_not_labels(by):
    with pytest.raises(InvalidTypeError, match=r"'by' parameter of SLAClocks\.attainment must "
                       r"be a case attribute name or one label per ticket\. Got "):
        _example_clocks().attainment(by=by)


def test_attainment_by_labels_still_grouped():
    # _example_clocks: A missed (attainment 0), B still pending (no resolved tickets: NaN)
    got = _example_clocks().attainment(by=["x", "y"]).attainment.tolist()
    assert got[0] == 0.0 and np.isnan(got[1])
