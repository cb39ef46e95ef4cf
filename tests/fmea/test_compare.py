"""Before/after comparison of RPN and Action Priority."""

from __future__ import annotations

import numpy as np
import pytest

from cxpath.datasets import load_sample
from cxpath.errors import InvalidParameterError
from cxpath.fmea import FailureMode, Worksheet, risk_reduction


def test_hand_computed_reduction():
    ws = Worksheet.from_records([
        FailureMode("Chatbot hand-over fails", 7, 7, 6, revised_occurrence=3),          # 294->126
        FailureMode("Technician no-show", 8, 4, 5, revised_occurrence=2,
                    revised_detection=3),                                                # 160->48
        FailureMode("Survey to wrong contact", 2, 4, 7),                                 # 56 kept
        FailureMode("Gas reconnection", 10, 1, 3, revised_detection=1)])                 # 30->10
    r = risk_reduction(ws)
    assert r.rpn_before.tolist() == [294, 160, 56, 30]
    assert r.rpn_after.tolist() == [126, 48, 56, 10]
    assert r.reduction.tolist() == [168, 112, 0, 20]
    np.testing.assert_allclose(r.reduction_pct, [168 / 294, 112 / 160, 0, 20 / 30])
    assert r.ap_before.tolist() == ["H", "M", "L", "L"]
    assert r.ap_after.tolist() == ["M", "L", "L", "L"]
    assert r.ap_change.tolist() == ["H->M", "M->L", "", ""]
    assert r.revised.tolist() == [True, True, False, True]
    assert (r.total_before, r.total_after, r.total_reduction) == (540, 240, 300)
    assert r.total_reduction_pct == pytest.approx(300 / 540)
    assert r.ap_counts_before == {"H": 1, "M": 1, "L": 2}
    assert r.ap_counts_after == {"H": 0, "M": 1, "L": 3}
    assert "540 -> 240" in repr(r) and "1/1/2 -> 0/1/3" in repr(r)


def test_no_revisions_means_no_change():
    ws = Worksheet.from_frame(load_sample().failure_modes)
    r = risk_reduction(ws)
    assert (r.rpn_after == r.rpn_before).all() and r.total_reduction == 0
    assert r.total_reduction_pct == 0.0 and not r.revised.any()
    assert list(r.to_frame("dict"))[:3] == ["failure_mode", "revised", "rpn_before"]


def test_bad_inputs():
    with pytest.raises(InvalidParameterError, match=r"'worksheet' parameter of fmea.risk_"):
        risk_reduction(None)
    ws = Worksheet.from_records([FailureMode("x", 5, 5, 5)])
    with pytest.raises(InvalidParameterError, match=r"'table' parameter of fmea.risk_reduction"):
        risk_reduction(ws, table="x")
