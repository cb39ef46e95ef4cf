"""Messy-data traps found on real logs: each gets a report entry, a warning or an error."""

from __future__ import annotations

import numpy as np
import pytest

from cxpath import Journeys
from cxpath.attribution import markov
from cxpath.errors import CxpathError, CxpathWarning
from cxpath.journeys import bottlenecks, critical_path, funnel, repeat_contacts


def test_fill_missing_channels_and_resources():
    data = dict(case=[1, 1, 2], touchpoint=["a", "b", "a"], timestamp=[0, 1, 2],
                channel=["web", None, "app"], resource=["x", None, "y"], outcome=[0, 1, 0])
    with pytest.raises(CxpathError, match=r"fill=\{'channel': 'unknown'\}"):
        markov(Journeys.from_events(**data), by="channel")
    j = Journeys.from_events(**data, fill={"channel": "unknown", "resource": "unassigned"})
    assert j.channel_vocab == ("app", "unknown", "web") and j.channels.tolist() == [2, 1, 0]
    assert j.event_attributes["resource"].decoded().tolist() == ["x", "unassigned", "y"]
    r = j.cleaning_report
    assert r.changed["filled_channel"].tolist() == [1]
    assert r.changed["filled_resource"].tolist() == [1]
    assert "channel missing: filled with the value given in 'fill'" in repr(r)
    markov(j, by="channel")  # no longer blocked
    with pytest.raises(CxpathError, match=r"The 'fill' parameter of Journeys.from_events must "
                                          r"be keys among the carried columns"):
        Journeys.from_events(**data, fill={"team": "none"})


def test_success_label_that_never_ends_a_case_warns():
    with pytest.warns(CxpathWarning, match=r"no case ends with \['resolved'\] .* pass an "
                                           r"event- or case-level flag as 'outcome='"):
        j = Journeys.from_events(case=[1, 1, 2, 2], touchpoint=["resolved", "close"] * 2,
                                 success={"resolved"})
    assert "success rate 0.0% (no case succeeds: check the 'outcome' or 'success' " \
           "definition)" in repr(j)


def test_success_rate_of_one_is_called_out():
    j = Journeys.from_events(case=[1, 2], touchpoint=["ok", "ok"], success={"ok"})
    assert "success rate 100.0% (every case succeeds" in repr(j)


def test_repr_says_what_cleaning_changed_even_when_nothing_was_removed():
    j = Journeys.from_events(case=[1, 1], touchpoint=["a", "b"], channel=["web", None])
    r = j.cleaning_report
    assert repr(r).startswith("CleaningReport: 2 input rows -> 2 events in 1 cases; removed "
                              "0, changed 1")
    assert "cleaning removed 0 and changed 1 input rows" in repr(j)
    clean = Journeys.from_events(case=[1], touchpoint=["a"]).cleaning_report
    assert repr(clean).endswith("nothing removed or changed")


def test_summary_line_shows_dates_uncut():
    j = Journeys.from_events(case=[1, 1], touchpoint=["a", "b"],
                             timestamp=["2025-03-01T08:00:00Z", "2025-03-02T17:30:05Z"])
    assert "from 2025-03-01T08:00:00 to 2025-03-02T17:30:05 (UTC)" in repr(j)


def test_blank_case_ids_and_labels_are_missing():
    j = Journeys.from_events(case=["c1", " ", "c1", ""], touchpoint=["a", "b", "  ", "b"],
                             timestamp=[0, 1, 2, 3])
    r = j.cleaning_report
    assert r.removed["missing_case"].tolist() == [1, 3]
    assert r.removed["missing_touchpoint"].tolist() == [2]
    assert "case id missing or blank" in repr(r)
    assert j.vocab == ("a", "b") and j.n_events == 1  # the vocabulary is of all rows


def test_labels_differing_by_white_space_or_case_are_reported_then_merged():
    data = dict(case=[1, 1, 2, 2, 3], touchpoint=["Web", "chat", "web ", "web", "web"],
                timestamp=[0, 1, 0, 1, 0])
    with pytest.warns(CxpathWarning, match=r"1 touchpoint label\(s\) are written more than "
                                           r"one way, differing only by white space or case "
                                           r"\('web' / 'Web' / 'web '\); pass "
                                           r"normalize_labels=True"):
        j = Journeys.from_events(**data)
    assert j.vocab == ("Web", "chat", "web", "web ")
    assert j.cleaning_report.label_variants == {"touchpoint": (("web", "Web", "web "),)}
    assert "touchpoint labels written more than one way: 'web' / 'Web' / 'web '" in \
        repr(j.cleaning_report)
    merged = Journeys.from_events(**data, normalize_labels=True)
    assert merged.vocab == ("chat", "web")
    assert merged.cleaning_report.changed["respelled_touchpoint"].tolist() == [0, 2]
    assert "touchpoint label differed from a more frequent spelling only by white space " \
           "or case: merged into it" in repr(merged.cleaning_report)


def test_numeric_timestamps_need_a_unit_unless_unambiguous():
    ms = [1735689600000, 1735689660000]
    with pytest.warns(CxpathWarning, match=r"read as epoch milliseconds \(unit='ms'\)"):
        j = Journeys.from_events(case=[1, 1], touchpoint=["a", "b"], timestamp=ms)
    assert j.times.tolist() == [1735689600.0, 1735689660.0]
    given = Journeys.from_events(case=[1, 1], touchpoint=["a", "b"], timestamp=ms, unit="ms")
    assert given.equals(j)
    small = Journeys.from_events(case=[1, 1], touchpoint=["a", "b"], timestamp=[0, 90])
    assert small.times.tolist() == [0.0, 90.0]  # seconds, as always
    with pytest.raises(CxpathError, match=r"The 'timestamp' parameter of Journeys.from_events "
                                          r"must be epoch seconds, or numbers in the unit "
                                          r"given as unit="):
        Journeys.from_events(case=[1, 1], touchpoint=["a", "b"], timestamp=[0, 3e13])
    with pytest.raises(CxpathError, match=r"'unit' parameter"):
        Journeys.from_events(case=[1], touchpoint=["a"], timestamp=[0], unit="days")


def test_implausible_dates_warn():
    with pytest.warns(CxpathWarning, match=r"1 of 2 'timestamp' values lie before 1970-01-01 "
                                           r"or after 2100-01-01 \(first at row 1: "):
        Journeys.from_events(case=[1, 1], touchpoint=["a", "b"],
                             timestamp=["2025-01-01T00:00:00Z", "2125-01-01T00:00:00Z"])


def test_nullable_pandas_dtypes_and_dates_work_like_plain_ones():
    pd = pytest.importorskip("pandas")
    import datetime

    frame = pd.DataFrame({
        "case": pd.array([1, 1, 2, 2], dtype="Int64"),
        "step": pd.array(["a", "b", "a", None], dtype="string"),
        "day": [datetime.date(2025, 1, 1), datetime.date(2025, 1, 2),
                datetime.date(2025, 1, 1), datetime.date(2025, 1, 3)],
        "won": pd.array([False, True, pd.NA, False], dtype="boolean")})
    j = Journeys.from_events(frame, case="case", touchpoint="step", timestamp="day",
                             outcome="won")
    assert j.outcome.tolist() == [True, False] and j.n_events == 3
    assert j.times.tolist() == [1735689600.0, 1735776000.0, 1735689600.0]
    assert j.cleaning_report.removed["missing_touchpoint"].tolist() == [3]
    assert j.cleaning_report.changed["missing_outcome"].tolist() == [2]
    pa = pytest.importorskip("pyarrow")
    table = pa.table({"case": [1, 1], "step": ["a", "b"],
                      "day": pa.array([datetime.date(2025, 1, 1), datetime.date(2025, 1, 2)],
                                      type=pa.date32())})
    assert Journeys.from_events(table, case="case", touchpoint="step",
                                timestamp="day").times.tolist() == [1735689600.0, 1735776000.0]


def test_uint64_case_ids_beyond_int64_keep_their_values():
    ids = np.array([2**64 - 1, 2**63, 2**63 + 1, 2**64 - 1], dtype=np.uint64)
    j = Journeys.from_events(case=ids, touchpoint=["a", "b", "c", "d"], timestamp=[0, 1, 2, 3])
    # before: int64 wrap-around gave [-9223372036854775808, -9223372036854775807, -1]
    assert j.case_ids.tolist() == [2**63, 2**63 + 1, 2**64 - 1]
    assert j.lengths.tolist() == [1, 1, 2]


def test_pseudonymized_case_ids_at_ingestion_keep_the_analysis():
    from cxpath.journeys import variants
    from cxpath.privacy import pseudonymize

    case = ["alice@example.com"] * 2 + ["bob@example.com"]
    data = dict(touchpoint=["web", "chat", "web"], timestamp=[0, 60, 0])
    plain = Journeys.from_events(case=case, **data)
    masked = Journeys.from_events(case=pseudonymize(case, "a secret of 16+ bytes"), **data)
    assert not {"alice@example.com", "bob@example.com"} & set(masked.case_ids.tolist())
    assert variants(masked).to_frame().equals(variants(plain).to_frame())


@pytest.mark.parametrize(("call", "message"), [
    (lambda j: bottlenecks(j, level=np.zeros((2, 2))),
     r"The 'level' parameter of journeys.bottlenecks must be one of 'transition', "
     r"'touchpoint'. Got array"),
    (lambda j: critical_path(j, by=np.zeros((2, 2))), r"'by' parameter of journeys.critical_path"),
    (lambda j: funnel(j, None),
     r"The 'steps' parameter of journeys.funnel must be a non-empty sequence of touchpoint "
     r"labels. Got None instead."),
    (lambda j: funnel(j, [1, 2]),
     r"'steps' parameter of journeys.funnel must be touchpoints of the journeys"),
    (lambda j: repeat_contacts(j, None),
     r"The 'customer' parameter of journeys.repeat_contacts must be one customer per case"),
])
def test_hostile_arguments_get_the_library_error(call, message):
    """Found by fuzzing (#18 point 3): numpy's ambiguous-truth ValueError, len(None) …"""
    from cxpath.datasets import load_sample

    with pytest.raises(CxpathError, match=message):
        call(load_sample().journeys)


_EVENTS = dict(case=[1, 1, 2], touchpoint=["a", "b", "a"], timestamp=[0, 60, 0])


@pytest.mark.parametrize(("change", "error", "message"), [
    ({"case": None}, TypeError,
     r"The 'case' parameter of Journeys.from_events must be a column name or the column's "
     r"values. Got None instead."),
    ({"unit": []}, TypeError, r"The 'unit' parameter of Journeys.from_events must be one of"),
    ({"vocab": 1.5}, TypeError,
     r"The 'vocab' parameter of Journeys.from_events must be a sequence of touchpoint labels"),
])
def test_from_events_hostile_arguments(change, error, message):
    with pytest.raises(CxpathError, match=message) as info:
        Journeys.from_events(**{**_EVENTS, **change})
    assert isinstance(info.value, error)


def test_constructors_and_methods_refuse_hostile_values():
    with pytest.raises(TypeError, match=r"'paths' parameter of Journeys.from_paths must be a "
                                        r"sequence of path strings. Got None instead."):
        Journeys.from_paths(None)
    j = Journeys.from_events(**_EVENTS)
    with pytest.raises(CxpathError, match=r"'name' parameter of Journeys.attribute"):
        j.attribute(["a"])
    with pytest.raises(TypeError, match=r"'which' parameter of Journeys.select must be a "
                                        r"boolean mask or ids of existing cases. Got values of "
                                        r"types \['NoneType'\] instead."):
        j.select([None, None, None])


@pytest.mark.parametrize("outcome", [[-1, 1, -1], [0.2, 0.9, 0.5], [3, 0, 0]])
def test_outcomes_other_than_0_1_are_refused_not_read_as_non_zero(outcome):
    """Before: any non-zero counted as success, so −1/1 made every case successful."""
    with pytest.raises(CxpathError, match=r"The 'outcome' parameter of Journeys.from_events "
                                          r"must be booleans or the numbers 0 and 1 \(for "
                                          r"other codings pass the rule itself"):
        Journeys.from_events(case=[1, 1, 2], touchpoint=["a", "b", "a"], outcome=outcome)
    rule = np.asarray(outcome) > 0.5  # the documented way: pass the rule
    j = Journeys.from_events(case=[1, 1, 2], touchpoint=["a", "b", "a"], outcome=rule)
    assert j.outcome.tolist() == [bool(rule[:2].any()), bool(rule[2])]


def test_missing_value_of_a_failed_case_does_not_poison_its_path_value():
    from cxpath.journeys import JourneyStats

    j = Journeys.from_events(case=[1, 2], touchpoint=["a", "a"], outcome=[1, 0],
                             value=[5.0, float("nan")])
    assert JourneyStats.from_journeys(j).variant_value.tolist() == [5.0]  # was [nan]


def test_graph_methods_name_unknown_nodes_and_wrong_types():
    """networkx's NetworkXError / KeyError / unhashable TypeError used to pass through."""
    from cxpath.errors import InvalidTypeError, UnknownLabelError
    from cxpath.journeys import journey_graph

    g = journey_graph(Journeys.from_paths(["web > chat"]))
    with pytest.raises(UnknownLabelError, match=r"The 'node' parameter of "
                       r"JourneyGraph.successors must be a node of the journey graph. Got "
                       r"'wbe' \(closest: 'web'\) instead."):
        g.successors("wbe")
    with pytest.raises(InvalidTypeError, match=r"'u' parameter of JourneyGraph.has_edge"):
        g.has_edge(["web"], "chat")
    assert g.number_of_edges("web", "chat") == 1 and not g.has_edge("web", "nowhere")


def test_direct_constructors_check_their_fields():
    from cxpath.journeys import Attribute, Journey, JourneyStats

    with pytest.raises(TypeError, match=r"'offsets' parameter of Journeys must be a 1-D array "
                                        r"of int64"):
        Journeys(codes=[0], offsets=[0, float("inf")], vocab=["a"], case_ids=[1])
    with pytest.raises(TypeError, match=r"'vocab' parameter of Journeys must be a sequence"):
        Journeys(codes=[0], offsets=[0, 1], vocab=None, case_ids=[1])
    with pytest.raises(TypeError, match=r"'touchpoints' parameter of Journey must be a "
                                        r"sequence of touchpoint labels"):
        Journey(case_id=1, touchpoints=None, times=None, channels=None, outcome=None,
                value=None, weight=1)
    with pytest.raises(TypeError, match=r"'vocab' parameter of JourneyStats.empty"):
        JourneyStats.empty(0)
    with pytest.raises(TypeError, match=r"'other' parameter of JourneyStats.equals must be a "
                                        r"JourneyStats. Got list instead."):
        JourneyStats.empty(["a"]).equals([])
    attr = Attribute(np.array([0, 1]), ("x", "y"))
    with pytest.raises(CxpathError, match=r"'index' parameter of Attribute.take must be "
                                          r"positions in \[-2, 1\]"):
        attr.take(np.array([5]))


def test_variant_index_and_map_measure_are_checked():
    from cxpath.journeys import journey_graph, variants
    from cxpath.journeys.graph_svg import map_layout

    j = Journeys.from_paths(["a > b", "a"])
    with pytest.raises(CxpathError, match=r"'i' parameter of Variants.path must be an "
                                          r"integer in \[-2, 1\]. Got 7 instead."):
        variants(j).path(7)
    assert variants(j).path(-1) == variants(j).path(1)
    with pytest.raises(CxpathError, match=r"'measure' parameter of journeys.map_layout must "
                                          r"be a callable \(text, size, bold\) -> width that "
                                          r"works. Got ZeroDivisionError"):
        map_layout(journey_graph(j), measure=lambda *a: 1 / 0)
