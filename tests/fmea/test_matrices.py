"""Risk matrix and value-effort quadrants."""

from __future__ import annotations

import numpy as np
import pytest

from cxpath.datasets import load_sample
from cxpath.errors import DataError, InvalidParameterError
from cxpath.fmea import Worksheet, risk_matrix, value_effort


def test_risk_matrix_counts_every_mode_once():
    ws = Worksheet.from_frame(load_sample().failure_modes)
    m = risk_matrix(ws)
    assert m.grid.shape == (10, 10) and m.grid.sum() == len(ws)
    for s, o, name in zip(ws.severity, ws.occurrence, ws.failure_mode):
        assert name in m.modes[(int(s), int(o))]
    frame = m.to_frame("dict")
    assert frame["count"].sum() == len(ws)
    assert (np.diff(frame["severity"]) <= 0).all()
    text = m.text()
    assert text.splitlines()[1].split()[0] == "10"   # severity 10 on top
    assert "modes in" in repr(m)


def test_risk_matrix_revised():
    ws = Worksheet.from_records([{"failure_mode": "a", "S": 7, "O": 7, "D": 6,
                                  "revised_occurrence": 2}])
    assert risk_matrix(ws).grid[6, 6] == 1
    assert risk_matrix(ws, revised=True).grid[6, 1] == 1


def test_value_effort_quadrants():
    q = value_effort(labels=["scripts", "new CRM", "checklist", "audit"],
                     impact=[8, 9, 2, 1], effort=[1, 9, 1, 8])
    assert q.impact_cut == 5.0 and q.effort_cut == 4.5     # medians
    assert dict(zip(q.labels, q.quadrant)) == {"scripts": "quick win", "new CRM": "major project",
                                               "checklist": "fill-in", "audit": "thankless task"}
    assert q.counts() == {"quick win": 1, "major project": 1, "fill-in": 1,
                          "thankless task": 1}
    q2 = value_effort({"a": ["x", "y", "z"], "i": [10, 6, 1], "e": [2, 1, 5]}, labels="a",
                      impact="i", effort="e", impact_cut=5, effort_cut=3)
    # both x and y are quick wins; y has the better impact per effort (6 vs 5)
    assert q2.to_frame("dict")["action"].tolist() == ["y", "x", "z"]
    assert "quick win 2" in repr(q2)


def test_bad_inputs():
    with pytest.raises(InvalidParameterError, match=r"'worksheet' parameter of fmea.risk_matrix"):
        risk_matrix([1, 2])
    with pytest.raises(DataError, match=r"'impact' parameter of fmea.value_effort.*position 0"):
        value_effort(labels=["a"], impact=[-1], effort=[1])
    with pytest.raises(DataError, match=r"same length"):
        value_effort(labels=["a", "b"], impact=[1], effort=[1])
    with pytest.raises(InvalidParameterError, match=r"'effort_cut'"):
        value_effort(labels=["a"], impact=[1], effort=[1], effort_cut="high")
    with pytest.raises(DataError, match=r"at least 1 element"):
        value_effort(labels=[], impact=[], effort=[])
