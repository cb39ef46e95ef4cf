"""Event and case attributes of Journeys: typing, case constancy, filtering, round trips."""

from __future__ import annotations

import numpy as np
import pytest

from cxpath import Journeys
from cxpath.errors import CxpathError, DataError
from cxpath.journeys.attributes import Attribute


def _log(**extra):
    return dict(case=["c1", "c1", "c2", "c2"], touchpoint=["a", "b", "a", "c"],
                timestamp=[0, 60, 0, 30], **extra)


def test_attribute_kinds_and_decoding():
    j = Journeys.from_events(
        **_log(resource=["ann", "bob", None, "ann"]),
        event_attributes={"cost": [1.5, 2.0, np.nan, 4.0],
                          "seen": np.array(["2025-01-01T00:00", "NaT", "NaT",
                                            "2025-01-02T12:00"], dtype="datetime64[s]")},
        case_attributes={"product": ["x", "x", "y", "y"], "amount": [100, 100, 7, None]})
    res = j.event_attributes["resource"]
    assert res.kind == "category" and res.labels == ("ann", "bob")
    assert res.values.tolist() == [0, 1, -1, 0]
    assert j.event_attributes["cost"].kind == "number"
    assert j.event_attributes["seen"].kind == "time"
    assert j.event_attributes["seen"].values[3] == 1735819200.0
    assert j.case_attributes["amount"].values.tolist() == [100.0, 7.0]  # None in a case: ignored
    assert j.case_attributes["product"].decoded().tolist() == ["x", "y"]
    frame = j.to_frame("dict")
    assert frame["resource"].tolist() == ["ann", "bob", None, "ann"]
    assert frame["product"].tolist() == ["x", "x", "y", "y"]
    assert j[0].case_attributes == {"product": "x", "amount": 100.0}
    assert j[1].event_attributes["resource"] == (None, "ann")
    assert "event attributes: resource, cost, seen; case attributes: product, amount" in repr(j)


def test_conflicting_case_attribute_names_both_rows():
    with pytest.raises(DataError, match=r"'product' parameter of Journeys.from_events must be "
                                        r"constant within each case \(a case attribute\). Got "
                                        r"'x' at input row 0 and 'z' at input row 1"):
        Journeys.from_events(**_log(case_attributes={"product": ["x", "z", "y", "y"]}))


def test_nothing_is_carried_that_was_not_asked_for():
    j = Journeys.from_events(**_log())
    assert j.event_attributes == {} and j.case_attributes == {}


def test_select_by_case_attribute_values_and_keep_events():
    j = Journeys.from_events(**_log(resource=["ann", "bob", "bob", "ann"],
                                    case_attributes={"product": ["x", "x", "y", "y"]}))
    assert j.select({"product": "y"}).case_ids.tolist() == ["c2"]
    assert j.select({"product": ["x", "y"]}).n_cases == 2
    ann = j.keep_events(j.event_attributes["resource"].values == 0)
    assert ann.lengths.tolist() == [1, 1] and ann.to_frame("dict")["touchpoint"].tolist() == \
        ["a", "c"]
    assert j.select([True, False]).equals(j.select({"product": "x"}))
    assert not j.equals(Journeys.from_events(**_log()))
    with pytest.raises(CxpathError, match=r"'which' parameter of Journeys.select must be "
                                          "conditions on case attributes"):
        j.select({"resource": "ann"})
    with pytest.raises(CxpathError, match=r"unknown values"):
        j.select({"product": "w"})
    with pytest.raises(CxpathError, match=r"'mask' parameter of Journeys.keep_events"):
        j.keep_events([True])


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"event_attributes": 5}, "'event_attributes' parameter"),
    ({"event_attributes": {"": [1, 2, 3, 4]}}, "'event_attributes' parameter"),
    ({"event_attributes": {"x": [1, 2]}}, "same length"),
    ({"event_attributes": ["nope"]}, "'nope' parameter"),
    ({"resource": ["a"] * 4, "event_attributes": {"resource": [1] * 4}},
     "'event_attributes' parameter"),
    ({"event_attributes": {"p": [1] * 4}, "case_attributes": {"p": [1] * 4}},
     "'case_attributes' parameter"),
])
def test_bad_attribute_arguments(kwargs, match):
    data = {"case": ["c1", "c1", "c2", "c2"], "touchpoint": list("abac"),
            "timestamp": [0, 60, 0, 30]}
    with pytest.raises(CxpathError, match=match):
        Journeys.from_events(data, case="case", touchpoint="touchpoint",
                             timestamp="timestamp", **kwargs)


def test_attribute_validation():
    with pytest.raises(CxpathError, match=r"codes in"):
        Attribute(np.array([0, 3], dtype=np.int64), ("a",), "category")
    with pytest.raises(CxpathError, match=r"'kind' parameter"):
        Attribute(np.zeros(2), None, "colour")
    with pytest.raises(CxpathError, match=r"attributes of length"):
        j = Journeys.from_events(**_log())
        Journeys(codes=j.codes, offsets=j.offsets, vocab=j.vocab, case_ids=j.case_ids,
                 event_attributes={"x": Attribute(np.zeros(3), None, "number")})
