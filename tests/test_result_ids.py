"""Result reprs show neutral labels, not raw case or customer ids, unless asked (#18 point 6)."""

from __future__ import annotations

import numpy as np
import pytest

from cxpath._results import ID_COLUMNS, IdLabel, Result, ordinal_labels, result
from cxpath.errors import InvalidTypeError
from cxpath.kpi.sla import _example_clocks


@result
class _Cases(Result):
    case_id: np.ndarray
    customer: np.ndarray
    minutes: np.ndarray

    def _columns(self):
        return {"case_id": self.case_id, "customer": self.customer, "minutes": self.minutes}


@result
class _Named(Result):
    ref: np.ndarray
    n: np.ndarray
    _id_columns = ("ref",)

    def _columns(self):
        return {"ref": self.ref, "n": self.n}


CASES = _Cases(np.array(["ZQK-7", "ZQK-3", "ZQK-7"], dtype=object),
               np.array(["ZQU-1", "ZQU-1", "ZQU-2"], dtype=object), np.array([5, 7, 9]))


def test_ordinal_labels_one_per_distinct_id_in_order_of_appearance():
    labels = ordinal_labels(np.array([30, 10, 30, 20]))
    assert [str(x) for x in labels] == ["#1", "#2", "#1", "#3"]
    assert all(isinstance(x, IdLabel) for x in labels) and repr(labels[0]) == "#1"
    assert [str(x) for x in ordinal_labels([None, "a", float("nan")])] == ["None", "#1", "nan"]
    assert ordinal_labels([]).shape == (0,)


def test_repr_hides_the_id_columns_and_says_so():
    assert {"case_id", "customer", "customer_id", "ticket_id", "case"} == ID_COLUMNS
    assert repr(CASES) == (
        "_Cases (3 rows)\n"
        "case_id: 2 ids shown as #1, #2; customer: 2 ids shown as #1, #2 "
        "(to_text(show_ids=True) or to_frame() shows them)\n"
        "case_id  customer  minutes\n"
        "     #1        #1        5\n"
        "     #2        #1        7\n"
        "     #1        #2        9")
    html = CASES._repr_html_()
    assert "ZQK" not in html and "ZQU" not in html and "<td>#2</td>" in html


def test_to_text_show_ids_and_to_frame_keep_the_ids():
    text = CASES.to_text(show_ids=True)
    assert text.splitlines()[1:] == ["case_id  customer  minutes", "  ZQK-7     ZQU-1        5",
                                     "  ZQK-3     ZQU-1        7", "  ZQK-7     ZQU-2        9"]
    assert CASES.to_frame("dict")["case_id"].tolist() == ["ZQK-7", "ZQK-3", "ZQK-7"]
    assert CASES.loc(("ZQK-3", "ZQU-1"))["minutes"] == 7  # lookups by id still work
    with pytest.raises(InvalidTypeError, match=r"^The 'show_ids' parameter of _Cases\.to_text "
                       r"must be True or False\. Got 'yes' instead\.$"):
        CASES.to_text(show_ids="yes")


def test_a_result_names_its_own_id_columns():
    named = _Named(np.array(["ZQK-1", "ZQK-2"], dtype=object), np.array([1, 2]))
    assert "ZQK" not in repr(named)
    assert repr(named).splitlines()[1] == ("ref: 2 ids shown as #1, #2 (to_text(show_ids=True)"
                                          " or to_frame() shows them)")
    many = _Named(np.array([f"ZQK-{k}" for k in range(4)], dtype=object), np.arange(4))
    assert repr(many).splitlines()[1].startswith("ref: 4 ids shown as #1 … #4 ")
    one = _Named(np.array(["ZQK-1"], dtype=object), np.array([1]))
    assert repr(one).splitlines()[1].startswith("ref: 1 id shown as #1 ")


def test_sla_clocks_and_at_risk_hide_ticket_ids():
    clocks = _example_clocks()  # tickets 'A' (missed) and 'B' (running)
    assert [line.split()[0] for line in repr(clocks).splitlines()[-2:]] == ["#1", "#2"]
    assert [line.split()[0] for line in clocks.to_text(show_ids=True).splitlines()[-2:]] == \
        ["A", "B"]
    risk = clocks.at_risk("2h")
    assert repr(risk).splitlines()[-1].split()[0] == "#1"
    assert risk.to_text(show_ids=True).splitlines()[-1].split()[0] == "B"
