"""RPN, criticality and the AIAG-VDA 2019 Action Priority table."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath.errors import CxpathError, DataError, InvalidParameterError
from cxpath.fmea import ActionPriorityTable, action_priority, ap_table, criticality, rpn

ALL = list(itertools.product(range(1, 11), repeat=3))


def reference_ap(s: int, o: int, d: int) -> str:
    """The handbook table as nested rules, written independently of cxpath's band strings.

    Source checked cell by cell: AIAG & VDA FMEA Handbook (2019), "Action Priority for DFMEA
    and PFMEA", as reproduced publicly in shawnparnell81/AccuQual
    (apps/web/src/components/forms/fmeaPriority.ts, PFMEA_ACTION_PRIORITY_TABLE) and in
    facussc24/tiempos-y-balanceos (scripts' apRule, "copied from modules/amfe/apTable.ts")
    and in jherrodthomas/LionDriver (tools/safety/fmea_lint.py, AP_TABLE). All agree on every
    cell.
    """
    if s == 1:
        return "L"
    if s <= 3:                                   # S 2-3
        return "M" if o >= 8 and d >= 5 else "L"
    if s <= 6:                                   # S 4-6
        if o >= 8:
            return "H" if d >= 5 else "M"
        if o >= 6:
            return "M" if d >= 2 else "L"
        if o >= 4:
            return "M" if d >= 7 else "L"
        return "L"
    if s <= 8:                                   # S 7-8
        if o >= 8:
            return "H"
        if o >= 6:
            return "H" if d >= 2 else "M"
        if o >= 4:
            return "H" if d >= 7 else "M"
        if o >= 2:
            return "M" if d >= 5 else "L"
        return "L"
    if o >= 6:                                   # S 9-10
        return "H"
    if o >= 4:
        return "H" if d >= 2 else "M"
    if o >= 2:
        return "H" if d >= 7 else ("M" if d >= 5 else "L")
    return "L"


def test_all_1000_combinations_match_the_reference():
    s, o, d = (np.array(x) for x in zip(*ALL))
    got = action_priority(s, o, d)
    want = np.array([reference_ap(*c) for c in ALL])
    bad = np.flatnonzero(got != want)
    assert bad.size == 0, [ALL[i] for i in bad[:5]]


def test_counts_over_all_combinations():
    # counted from the reference rules above: H 318, M 214, L 468
    ref = {k: sum(reference_ap(*c) == k for c in ALL) for k in "HML"}
    assert ref == {"H": 318, "M": 214, "L": 468}
    assert ap_table("aiag-vda-2019").counts() == ref


def test_issue_text_variant_differs_in_one_cell_only():
    # The table quoted in issue #5 gives S 4-6 / O 8-10 / D 5-6 as M (H 300, M 232, L 468);
    # the public reproductions give H. The two differ in exactly those 3 * 3 * 2 = 18 cases.
    issue = ActionPriorityTable.from_array(
        np.array([[[reference_ap(s, o, d) if not (4 <= s <= 6 and o >= 8 and d in (5, 6))
                    else "M" for d in range(1, 11)] for o in range(1, 11)]
                  for s in range(1, 11)]), name="issue-5-text")
    assert issue.counts() == {"H": 300, "M": 232, "L": 468}
    diff = np.argwhere(issue.codes != ap_table().codes) + 1
    assert len(diff) == 18
    assert set(map(tuple, diff)) == {(s, o, d) for s in (4, 5, 6) for o in (8, 9, 10)
                                     for d in (5, 6)}


def test_monotone_exhaustive():
    assert ap_table().is_monotone()
    codes = ap_table().codes
    for axis in range(3):
        assert (np.diff(codes, axis=axis) >= 0).all()


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 10), st.integers(1, 10), st.integers(1, 10), st.integers(0, 2),
       st.integers(1, 9))
def test_ap_never_falls_when_a_rating_rises(s, o, d, axis, step):
    order = {"L": 0, "M": 1, "H": 2}
    ratings = [s, o, d]
    higher = list(ratings)
    higher[axis] = min(10, higher[axis] + step)
    assert order[action_priority(*higher)] >= order[action_priority(*ratings)]


def test_handbook_examples():
    # Issue #5: RPN 10 for S=10, O=1, D=1 ranks below 125 for 5/5/5 although S=10
    assert rpn(10, 1, 1) == 10 and rpn(5, 5, 5) == 125
    assert action_priority(9, 4, 2) == "H"      # S 9-10, O 4-5, D 2-4 -> H
    assert action_priority(9, 4, 1) == "M"      # ... D 1 -> M
    assert action_priority(9, 2, 5) == "M"      # S 9-10, O 2-3, D 5-6 -> M
    assert action_priority(10, 1, 10) == "L"   # O 1 is always L


def test_rpn_distinct_values_is_120():
    s, o, d = (np.array(x) for x in zip(*ALL))
    assert np.unique(rpn(s, o, d)).size == 120
    assert rpn(s, o, d).min() == 1 and rpn(s, o, d).max() == 1000


def test_criticality_and_broadcasting():
    assert criticality(9, 2) == 18
    np.testing.assert_array_equal(criticality([9, 4], 2), [18, 8])
    np.testing.assert_array_equal(rpn([1, 2], 3, [4, 5]), [12, 30])
    assert isinstance(rpn(2, 3, 4), int)
    assert action_priority(np.array([], dtype=int), np.array([], dtype=int),
                           np.array([], dtype=int)).shape == (0,)


def test_aliases():
    for name in ("aiag-vda", "dfmea", "pfmea"):
        assert ap_table(name) is ap_table("aiag-vda-2019")
    assert "318" in repr(ap_table())


@pytest.mark.parametrize("func,args", [
    (rpn, (0, 5, 5)), (rpn, (5, 11, 5)), (criticality, (5, 0)),
    (action_priority, (5, 5, 11)),
])
def test_out_of_range_scalar(func, args):
    with pytest.raises(InvalidParameterError, match=r"must be an integer in \[1, 10\]"):
        func(*args)


def test_bad_inputs_name_field_and_position():
    with pytest.raises(DataError, match=r"'detection' parameter of fmea.rpn .* 11 at position 1"):
        rpn([5, 5], [5, 5], [5, 11])
    with pytest.raises(DataError, match=r"'severity'.*whole numbers.*7.5"):
        action_priority([7.5], [5], [5])
    with pytest.raises(InvalidParameterError, match=r"'occurrence'.*integer"):
        rpn(5, 5.5, 5)
    with pytest.raises(InvalidParameterError, match=r"'severity'.*integer"):
        rpn(True, 5, 5)
    with pytest.raises(InvalidParameterError, match=r"'severity'.*integer"):
        criticality("7", 5)
    with pytest.raises(DataError, match=r"same length"):
        rpn([5, 5], [5, 5, 5], 5)
    with pytest.raises(DataError, match=r"booleans"):
        rpn([True], [5], [5])
    with pytest.raises(CxpathError, match=r"'table' parameter of fmea.action_priority must be "
                                          r"one of 'aiag-vda-2019'"):
        action_priority(5, 5, 5, table="vda-1996")
    with pytest.raises(InvalidParameterError, match=r"'table' parameter of fmea.ap_table"):
        ap_table("msr")


def test_custom_table_and_its_errors():
    flat = ActionPriorityTable.from_array(np.full((10, 10, 10), "M"), name="flat")
    assert action_priority(1, 1, 1, table=flat) == "M"
    with pytest.raises(InvalidParameterError, match=r"shape \(10, 10, 10\)"):
        ActionPriorityTable.from_array(np.full((5, 5, 5), "M"))
    bad = np.full((10, 10, 10), "L")
    bad[3, 2, 1] = "X"
    with pytest.raises(DataError, match=r"'X' at S=4, O=3, D=2"):
        ActionPriorityTable.from_array(bad)
