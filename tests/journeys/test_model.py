"""The Journeys container: validation, access, selection, frames and reprs."""

from __future__ import annotations

import numpy as np
import pytest

from cxpath import Journeys
from cxpath.errors import DataError, InvalidParameterError


@pytest.fixture
def small():
    return Journeys.from_events(case=["a", "a", "b", "c", "c", "c"],
                                touchpoint=["web", "chat", "web", "ivr", "agent", "agent"],
                                timestamp=[0, 60, 10, 0, 120, 7200],
                                channel=["web", "chat", "web", "phone", "phone", "phone"],
                                success={"agent"})


def test_sizes_and_indexing(small):
    assert (len(small), small.n_cases, small.n_events) == (3, 3, 6)
    assert small.lengths.tolist() == [2, 1, 3]
    assert small[-1].touchpoints == ("ivr", "agent", "agent")
    assert small[2].channels == ("phone", "phone", "phone")
    assert small[0].times.dtype == np.dtype("datetime64[us]")
    assert [j.case_id for j in small] == ["a", "b", "c"]
    with pytest.raises(InvalidParameterError, match=r"integer in \[-3, 2\]"):
        small[3]


def test_arrays_are_read_only(small):
    with pytest.raises(ValueError, match="read-only"):
        small.codes[0] = 1


def test_select_by_mask_and_ids(small):
    sub = small.select(small.outcome)
    assert sub.case_ids.tolist() == ["c"] and sub.n_events == 3
    assert sub.times.tolist() == [0.0, 120.0, 7200.0]
    assert small.select(["c", "a"]).case_ids.tolist() == ["a", "c"]
    with pytest.raises(InvalidParameterError, match=r"unknown ids \['zz'\]"):
        small.select(["zz"])
    with pytest.raises(InvalidParameterError, match="boolean mask of length 3"):
        small.select(np.array([True]))


def test_to_frame_backends(small):
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    frame = small.to_frame()
    assert isinstance(frame, pd.DataFrame)
    assert frame.columns.tolist() == ["case_id", "position", "touchpoint", "timestamp",
                                      "channel", "outcome"]
    assert frame["position"].tolist() == [0, 1, 0, 0, 1, 2]
    polars_frame = small.to_frame("polars")
    assert isinstance(polars_frame, pl.DataFrame) and polars_frame.height == 6
    with pytest.raises(InvalidParameterError, match="'backend' parameter"):
        small.to_frame("excel")


def test_to_frame_keeps_the_zone_and_round_trips():
    pd = pytest.importorskip("pandas")
    local = pd.to_datetime(["2025-03-30 01:30", "2025-03-30 03:30", "2025-03-29 10:00"])
    log = pd.DataFrame({"case": ["a", "a", "b"], "step": ["x", "y", "x"],
                        "at": local.tz_localize("Europe/Berlin")})
    j = Journeys.from_events(log, case="case", touchpoint="step", timestamp="at")
    frame = j.to_frame()
    # local times across the switch to summer time (02:00 -> 03:00 on 2025-03-30)
    assert frame["timestamp"].astype(str).tolist() == [
        "2025-03-30 01:30:00+01:00", "2025-03-30 03:30:00+02:00", "2025-03-29 10:00:00+01:00"]
    back = Journeys.from_events(frame, case="case_id", touchpoint="touchpoint",
                                timestamp="timestamp")
    assert back.tz == "Europe/Berlin" and back.times.tolist() == j.times.tolist()
    case = j[0]  # one case: UTC instants and the zone to read them in
    assert case.tz == "Europe/Berlin"
    assert case.local_times().astype(str).tolist() == ["2025-03-30 01:30:00+01:00",
                                                       "2025-03-30 03:30:00+02:00"]
    # the dict keeps the UTC instants (00:30 and 01:30 UTC)
    assert j.to_frame("dict")["timestamp"][:2].astype(str).tolist() == [
        "2025-03-30T00:30:00.000000", "2025-03-30T01:30:00.000000"]


def test_repr_is_readable(small):
    text = repr(small)
    assert text.startswith("Journeys: 3 cases, 6 events, 4 touchpoints")
    assert "success rate 33.3%" in text
    assert "Journey(case=#3, 'ivr > agent > agent', success=True, 3 events over 2 h)" in text
    assert "case='c'" not in text and "case='c'" in small.to_text(show_ids=True)
    assert "<table>" in small._repr_html_()


def test_long_paths_are_shortened_in_repr():
    j = Journeys.from_events(case=[1] * 12, touchpoint=[f"s{i:02d}" for i in range(12)])
    assert "'s00 > s01 > s02 > s03 > … > s09 > s10 > s11'" in repr(j[0])


@pytest.mark.parametrize("kwargs, fragment", [
    (dict(codes=[0, 1], offsets=[0, 1], vocab=["a", "b"], case_ids=[1]), "len(codes) = 2 last"),
    (dict(codes=[0, 5], offsets=[0, 2], vocab=["a", "b"], case_ids=[1]), "indexes into vocab"),
    (dict(codes=[0], offsets=[0, 1], vocab=["a"], case_ids=[1, 2]), "of length n_cases = 1"),
    (dict(codes=[0, 0], offsets=[0, 2], vocab=["a"], case_ids=[1], times=[5.0, 1.0]),
     "non-decreasing within each case"),
    (dict(codes=[0], offsets=[0, 1], vocab=["a"], case_ids=[1], channels=[0]),
     "'channel_vocab' parameter"),
    (dict(codes=[0], offsets=[0, 1], vocab=["a"], case_ids=[1], weight=[-1]), "non-negative"),
])
def test_direct_construction_is_validated(kwargs, fragment):
    with pytest.raises((DataError, InvalidParameterError)) as info:
        Journeys(**kwargs)
    assert fragment in str(info.value)


def test_times_may_fall_between_cases():
    # a later case may start before an earlier one ends
    j = Journeys(codes=[0, 0, 0], offsets=[0, 2, 3], vocab=["a"], case_ids=[1, 2],
                 times=[10.0, 20.0, 5.0])
    assert j.n_events == 3


def test_equals_compares_content(small):
    assert small.equals(small.select(np.ones(3, dtype=bool)))
    assert not small.equals(small.select([True, True, False]))
    assert not small.equals("not journeys")


def test_pickled_journeys_stay_read_only_and_equal():
    import pickle

    j = Journeys.from_events(
        {"case": ["a", "a", "b"], "step": ["web", "chat", "web"],
         "at": ["2025-01-01T10:00Z", "2025-01-01T10:05Z", "2025-01-02T09:00Z"],
         "team": ["x", "y", "x"]},
        case="case", touchpoint="step", timestamp="at", event_attributes=["team"])
    k = pickle.loads(pickle.dumps(j))
    for arr in (k.codes, k.offsets, k.times, k.case_ids, k.event_attributes["team"].values):
        assert not arr.flags.writeable
    assert k.codes.tolist() == j.codes.tolist() and k.tz == j.tz == "UTC"
    assert k.event_attributes["team"].equals(j.event_attributes["team"])


def test_touchpoints_named_like_the_virtual_nodes_are_refused_by_the_graph():
    # issue 18: '__success__' merged into the success node (critical_path gave ('a',))
    from cxpath.errors import DataError
    from cxpath.journeys import critical_path, journey_graph

    j = Journeys.from_paths(["a > __success__", "a"], conversions=[1, 0], nulls=[0, 1])
    with pytest.raises(DataError, match=r"'__success__'.*journey graph's own start and end"):
        journey_graph(j)
    with pytest.raises(DataError, match="touchpoints \\['__success__'\\]"):
        critical_path(j)
