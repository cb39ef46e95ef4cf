"""Hand-over of work, working together and workload (cxpath/journeys/handovers.py)."""

from __future__ import annotations

import io
import itertools
import warnings
from collections import Counter

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath import Journeys
from cxpath.errors import CxpathError
from cxpath.journeys import to_dot, to_graphml, to_mermaid
from cxpath.journeys.attributes import Attribute
from cxpath.journeys.handovers import Handovers, handovers
from cxpath.journeys.segments import Segmented


def small():
    # case 1: desk -> tech -> tech -> desk ; case 2: desk -> (none) -> tech ; case 3: tech
    return Journeys.from_events(
        case=[1, 1, 1, 1, 2, 2, 2, 3], touchpoint=list("abcdabcd"),
        timestamp=[0, 60, 120, 300, 0, 10, 40, 0],
        resource=["desk", "tech", "tech", "desk", "desk", None, "tech", "tech"],
        event_attributes={"team": ["front", "back", "back", "front", "front", "back",
                                   "back", "back"]},
        case_attributes={"product": ["x"] * 4 + ["y"] * 3 + ["x"]})


def as_dict(h):
    return {(s, t): int(c) for s, t, c in zip(h.source, h.target, h.count)}


def test_counts_waits_and_the_missing_resource_rule():
    h = handovers(small())
    assert isinstance(h, Handovers)
    # by hand: desk->tech at 0->60 (case 1); tech->desk at 120->300 (case 1); case 2's
    # desk -> ? -> tech is broken by the event without a resource and not counted
    assert as_dict(h) == {("desk", "tech"): 1, ("tech", "desk"): 1}
    assert h.mean_wait.tolist() == [60.0, 180.0]
    assert (h.n_transitions, h.n_handovers, h.n_self, h.n_unassigned, h.n_broken) == \
        (5, 2, 1, 1, 2)
    assert h.n_transitions == h.n_handovers + h.n_self + h.n_broken
    assert h.share.tolist() == [0.5, 0.5] and h.probability.tolist() == [1.0, 1.0]
    assert "1 events without a resource: 2 transitions" in repr(h)


def test_include_self_and_min_count():
    h = handovers(small(), include_self=True)
    assert as_dict(h) == {("desk", "tech"): 1, ("tech", "tech"): 1, ("tech", "desk"): 1}
    assert h.n_handovers == 3
    assert h.probability[h.source == "tech"].sum() == pytest.approx(1.0)
    assert as_dict(handovers(small(), include_self=True, min_count=2)) == {}


def test_workload_and_working_together():
    h = handovers(small())
    wl = h.workload
    # tech: 4 events in cases 1, 2, 3; desk: 3 events in cases 1, 2
    assert wl.resource.tolist() == ["tech", "desk"]
    assert wl.events.tolist() == [4, 3] and wl.cases.tolist() == [3, 2]
    assert wl.share_of_events.tolist() == [4 / 7, 3 / 7]
    assert wl.handed_out.tolist() == [1, 1] and wl.handed_in.tolist() == [1, 1]
    assert wl.total_service is None  # instants
    wt = h.working_together
    assert (wt.first.tolist(), wt.second.tolist(), wt.cases.tolist()) == \
        (["desk"], ["tech"], [2])
    assert wt.share.tolist() == [2 / 3] and (wt.n_cases, wt.n_events) == (3, 8)
    assert list(wt.to_frame("dict")) == ["first", "second", "cases", "share"]
    assert list(wl.to_frame("dict"))[:3] == ["resource", "events", "cases"]


def test_activity_instances_wait_from_completion_to_start():
    # a: 0-100 by x, b: 150-200 by y (wait 50), c: 180-260 by x (overlaps: wait 0)
    j = Journeys.from_events(case=[1, 1, 1], touchpoint=list("abc"),
                             start_timestamp=[0, 150, 180], timestamp=[100, 200, 260],
                             resource=list("xyx"))
    h = handovers(j)
    assert as_dict(h) == {("x", "y"): 1, ("y", "x"): 1}
    assert dict(zip(h.source, h.mean_wait)) == {"x": 50.0, "y": 0.0}
    wl = h.workload
    assert dict(zip(wl.resource, wl.total_service)) == {"x": 180.0, "y": 50.0}
    assert dict(zip(wl.resource, wl.mean_service)) == {"x": 90.0, "y": 50.0}
    assert "total_service_h" in wl.to_frame("dict")


def test_case_weights_multiply_counts():
    attr = Attribute(np.array([0, 1, 0, 1], dtype=np.int64), ("a", "b"))
    j = Journeys(codes=[0, 0, 0, 0], offsets=[0, 2, 4], vocab=["t"], case_ids=[1, 2],
                 weight=[3, 0], event_attributes={"resource": attr})
    h = handovers(j)
    assert as_dict(h) == {("a", "b"): 3} and h.cases.tolist() == [3]
    assert h.workload.events.tolist() == [3, 3] and h.working_together.cases.tolist() == [3]
    assert np.isnan(h.mean_wait).all()  # no timestamps: no waits


def test_teams_and_drill_down_by_a_case_attribute():
    j = small()
    teams = handovers(j, "team")
    assert as_dict(teams) == {("front", "back"): 2, ("back", "front"): 1}
    assert next(iter(teams.workload.to_frame("dict"))) == "team"  # named after the attribute
    seg = handovers(j, by="product")
    assert isinstance(seg, Segmented) and seg.segments == ("x", "y")
    assert as_dict(seg["x"]) == as_dict(handovers(j)) and as_dict(seg["y"]) == {}
    frame = seg.to_frame("dict")
    assert frame["product"].tolist() == ["x", "x"]
    assert sum(r.n_broken for _, r in seg) == handovers(j).n_broken


def test_graph_and_its_exports():
    h = handovers(small())
    g = h.graph
    assert isinstance(g, nx.DiGraph) and g.graph == {"kind": "handovers",
                                                     "attribute": "resource"}
    assert g.nodes["tech"]["events"] == 4 and g.edges["desk", "tech"]["count"] == 1
    assert g.edges["tech", "desk"]["mean_wait"] == 180.0
    assert '"desk" -> "tech" [label="1 (100%)"' in to_dot(g)
    assert sum("-->" in line for line in to_mermaid(g).splitlines()) == 2
    back = nx.read_graphml(io.BytesIO(to_graphml(g).encode()))
    assert back.edges["tech", "desk"]["count"] == 1 and back.nodes["desk"]["cases"] == 2
    wt = h.working_together.graph
    assert not wt.is_directed() and wt.edges["desk", "tech"]["cases"] == 2


def test_empty_and_single_event_journeys():
    j = Journeys.from_events(case=[1], touchpoint=["a"], timestamp=[0], resource=["x"])
    h = handovers(j)
    assert len(h.count) == 0 and h.n_transitions == 0 and h.workload.events.tolist() == [1]
    assert len(h.working_together.cases) == 0 and "0 hand-overs" in repr(h)
    empty = j.select(np.array([False]))
    assert handovers(empty).n_handovers == 0


@pytest.mark.parametrize(("call", "fragment"), [
    (lambda j: handovers("log"), "'journeys' parameter of journeys.handovers must be a "
                                 "Journeys object. Got str instead."),
    (lambda j: handovers(j, "agent"), "'attribute' parameter of journeys.handovers must be "
                                      "an event attribute of the journeys"),
    (lambda j: handovers(j, "product"), "Got the case attribute 'product' instead."),
    (lambda j: handovers(j, 3), "'attribute' parameter"),
    (lambda j: handovers(j, min_count=0), "'min_count' parameter of journeys.handovers "
                                          "must be an integer in [1, inf]. Got 0 instead."),
    (lambda j: handovers(j, include_self="yes"), "'include_self' parameter"),
    (lambda j: handovers(j, by="team"), "'by' parameter of journeys.handovers"),
    (lambda j: handovers(j, by="region"), "'by' parameter"),
])
def test_bad_input(call, fragment):
    with pytest.raises(CxpathError) as info:
        call(small())
    assert fragment in str(info.value)
    assert str(info.value).startswith("The '") and str(info.value).endswith(" instead.")


def test_a_numeric_attribute_is_refused():
    j = Journeys.from_events(case=[1, 1], touchpoint=["a", "b"],
                             event_attributes={"cost": [1.0, 2.0]})
    with pytest.raises(CxpathError) as info:
        handovers(j, "cost")
    assert str(info.value).endswith("must be a categorical event attribute. Got the number "
                                    "attribute 'cost' instead.")


# --- property: the counts equal a plain-Python oracle -----------------------------------
def oracle(cases, weights, include_self):
    """Hand-overs, their cases, self, broken, workload and working together by loops."""
    pairs, pair_cases, together = Counter(), Counter(), Counter()
    events, res_cases = Counter(), Counter()
    n_self = n_broken = 0
    for seq, w in zip(cases, weights):
        seen_pairs = set()
        for a, b in itertools.pairwise(seq):
            if a < 0 or b < 0:
                n_broken += w
            elif a == b and not include_self:
                n_self += w
            else:
                n_self += w if a == b else 0
                pairs[a, b] += w
                seen_pairs.add((a, b))
        for p in seen_pairs:
            pair_cases[p] += w
        present = sorted({r for r in seq if r >= 0})
        for r in seq:
            if r >= 0:
                events[r] += w
        for i, r in enumerate(present):
            res_cases[r] += w
            for s in present[i + 1:]:
                together[r, s] += w
    return pairs, pair_cases, n_self, n_broken, events, res_cases, together


cases_strategy = st.lists(st.lists(st.integers(-1, 3), min_size=0, max_size=8),
                          min_size=1, max_size=12)


@settings(max_examples=150, deadline=None)
@given(cases=cases_strategy, data=st.data(), include_self=st.booleans())
def test_counts_match_a_plain_python_oracle(cases, data, include_self):
    weights = data.draw(st.lists(st.integers(0, 3), min_size=len(cases), max_size=len(cases)))
    products = data.draw(st.lists(st.sampled_from(["p", "q"]), min_size=len(cases),
                                  max_size=len(cases)))
    labels = ("r0", "r1", "r2", "r3")
    flat = np.array([r for seq in cases for r in seq], dtype=np.int64)
    offsets = np.concatenate(([0], np.cumsum([len(s) for s in cases])))
    j = Journeys(codes=np.zeros(len(flat), dtype=np.int64), offsets=offsets, vocab=["t"],
                 case_ids=np.arange(len(cases)), weight=weights,
                 times=np.arange(len(flat), dtype=np.float64),
                 event_attributes={"resource": Attribute(flat, labels)},
                 case_attributes={"product": Attribute(
                     np.array([["p", "q"].index(p) for p in products], dtype=np.int64),
                     ("p", "q"))})
    pairs, pair_cases, n_self, n_broken, events, res_cases, together = oracle(
        cases, weights, include_self)
    h = handovers(j, include_self=include_self)
    code = {x: i for i, x in enumerate(labels)}
    got = {(code[s], code[t]): int(c) for s, t, c in zip(h.source, h.target, h.count)}
    assert got == {k: c for k, c in pairs.items() if c > 0}
    assert {(code[s], code[t]): int(c) for s, t, c in zip(h.source, h.target, h.cases)} == \
        {k: pair_cases[k] for k in got}
    assert h.n_handovers == sum(pairs.values()) == int(h.count.sum())
    assert (h.n_self, h.n_broken) == (n_self, n_broken)
    assert h.n_transitions == h.n_broken + h.n_self + (
        h.n_handovers - (h.n_self if include_self else 0))
    assert {code[r]: int(e) for r, e in zip(h.workload.resource, h.workload.events) if e} == \
        {k: e for k, e in events.items() if e}
    assert {code[r]: int(c) for r, c in zip(h.workload.resource, h.workload.cases) if c} == \
        {k: c for k, c in res_cases.items() if c}
    wt = h.working_together
    assert {(code[a], code[b]): int(c) for a, b, c in zip(wt.first, wt.second, wt.cases)} == \
        {k: c for k, c in together.items() if c}
    # the segments of a case attribute add up to the whole
    seg = handovers(j, include_self=include_self, by="product")
    total = Counter()
    for _, part in seg:
        total.update(as_dict(part))
    assert dict(total) == as_dict(h)
    assert sum(part.n_broken for _, part in seg) == h.n_broken


# --- parity with pm4py's social-network analysis on the Helpdesk log --------------------
@pytest.fixture(scope="module")
def helpdesk(shared_data):
    pd = pytest.importorskip("pandas")
    frame = pd.read_csv(shared_data / "helpdesk.csv.gz")
    frame["ts"] = pd.to_datetime(frame["Complete Timestamp"], format="%Y/%m/%d %H:%M:%S")
    ours = Journeys.from_events(frame, case="Case ID", touchpoint="Activity", timestamp="ts",
                                resource="Resource", event_attributes=["workgroup"],
                                case_attributes=["responsible_section"])
    return frame, ours


def pm4py_like(h):
    """Our counts transformed the way pm4py normalises them (see handovers' Notes)."""
    hw = {(s, t): c / h.n_handovers for s, t, c in zip(h.source, h.target, h.count)}
    wt = h.working_together
    per_case, per_event = {}, {}
    for a, b, c in zip(wt.first, wt.second, wt.cases):
        per_case[a, b] = per_case[b, a] = c / wt.n_cases
        per_event[a, b] = per_event[b, a] = c / wt.n_events
    return hw, per_case, per_event


def assert_same(ours: dict, theirs: dict):
    assert set(ours) == set(theirs)
    assert max(abs(ours[k] - theirs[k]) for k in theirs) <= 1e-12


@pytest.mark.realdata
def test_helpdesk_csv_matches_pm4py_dataframe(helpdesk):
    pm4py = pytest.importorskip("pm4py")
    frame, ours = helpdesk
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        log = pm4py.format_dataframe(frame, case_id="Case ID", activity_key="Activity",
                                     timestamp_key="ts").rename(
            columns={"Resource": "org:resource"})
        hw = pm4py.discover_handover_of_work_network(log)  # beta=0: direct succession
        wt = pm4py.discover_working_together_network(log)
    h = handovers(ours, include_self=True)  # pm4py counts a -> a too
    hw_ours, _, wt_per_event = pm4py_like(h)
    # pm4py 2.7 on ../shared/data/helpdesk.csv.gz: 265 directed pairs, 340 ordered pairs
    assert (len(hw.connections), len(wt.connections)) == (265, 340)
    assert_same(hw_ours, hw.connections)
    # on a DataFrame pm4py divides the shared cases by len(dataframe): the events
    assert_same(wt_per_event, wt.connections)
    assert hw.is_directed and not wt.is_directed
    # and the raw numbers behind them: 16,768 directly-following resource pairs (21,348
    # events - 4,580 cases), 8,120 of them the same resource carrying on
    assert (h.n_transitions, h.n_handovers, h.n_self) == (16768, 16768, 8120)
    assert as_dict(h)["Value 2", "Value 5"] == round(hw.connections["Value 2", "Value 5"]
                                                     * 16768) == 1018


@pytest.mark.realdata
def test_helpdesk_xes_matches_pm4py_event_log(helpdesk, shared_data):
    pm4py = pytest.importorskip("pm4py")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = pm4py.read_xes(str(shared_data / "helpdesk.xes.gz"))
        log = pm4py.convert_to_event_log(frame)
        hw = pm4py.discover_handover_of_work_network(log)
        wt = pm4py.discover_working_together_network(log)
    ours = Journeys.from_events(frame, case="case:concept:name", touchpoint="concept:name",
                                timestamp="time:timestamp", resource="org:resource")
    assert (ours.n_cases, ours.n_events) == (4580, 21348)
    hw_ours, wt_per_case, _ = pm4py_like(handovers(ours, include_self=True))
    assert_same(hw_ours, hw.connections)
    # on an EventLog object pm4py divides by len(log): the cases; that is our share
    assert_same(wt_per_case, wt.connections)
    w = handovers(ours).working_together
    assert_same({(a, b): s for a, b, s in zip(w.first, w.second, w.share)},
                {k: x for k, x in wt.connections.items() if k[0] < k[1]})
    # the same counts as from the CSV
    assert as_dict(handovers(ours)) == as_dict(handovers(helpdesk[1]))


@pytest.mark.realdata
def test_helpdesk_teams_and_sections(helpdesk):
    frame, ours = helpdesk
    h = handovers(ours)
    # independent reference: pandas shift within cases on the time-sorted log
    log = frame.sort_values(["Case ID", "ts"], kind="stable")
    nxt = log.groupby("Case ID")["Resource"].shift(-1)
    moved = nxt.notna() & (nxt != log["Resource"])
    assert h.n_handovers == int(moved.sum()) == 16768 - 8120
    teams = handovers(ours, "workgroup")
    assert teams.n_handovers + teams.n_self == h.n_transitions
    seg = handovers(ours, by="responsible_section")
    assert sum(part.n_handovers for _, part in seg) == h.n_handovers
    assert len(seg.segments) == frame["responsible_section"].nunique() == 7
