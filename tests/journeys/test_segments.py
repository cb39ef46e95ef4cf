"""Drill-down with ``by=``: per-segment tables add up to the unsegmented one.

Reference: the unsegmented analysis itself (a segment is a subset of cases or events, so
every additive column summed over segments must equal the whole).
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath import Journeys
from cxpath.errors import CxpathError
from cxpath.journeys import (
    JourneyGraph,
    bottlenecks,
    breakpoints,
    conformance,
    critical_path,
    funnel,
    journey_graph,
    repeat_contacts,
    rework,
    variants,
)
from cxpath.journeys.segments import Segmented


@st.composite
def attributed_logs(draw):
    n_cases = draw(st.integers(1, 12))
    case, tp, t, team, product = [], [], [], [], []
    for c in range(n_cases):
        k = draw(st.integers(1, 6))
        p = draw(st.sampled_from(["x", "y", "z"]))
        clock = 0
        for _ in range(k):
            clock += draw(st.integers(0, 50))
            case.append(c)
            tp.append(draw(st.sampled_from(["a", "b", "c", "ok"])))
            t.append(clock)
            team.append(draw(st.sampled_from(["t1", "t2"])))
            product.append(p)
    won = draw(st.lists(st.booleans(), min_size=n_cases, max_size=n_cases))
    return Journeys.from_events(case=case, touchpoint=tp, timestamp=t,
                                outcome=[won[c] for c in case], vocab=["a", "b", "c", "ok"],
                                event_attributes={"team": team},
                                case_attributes={"product": product})


def _by_key(table, key_cols, value_cols):
    out = {}
    if key_cols[0] not in table:  # no segment at all (e.g. no transition): an empty table
        assert all(len(x) == 0 for x in table.values())
        return out
    for i in range(len(table[key_cols[0]])):
        key = tuple(table[k][i] for k in key_cols)
        acc = out.setdefault(key, [0.0] * len(value_cols))
        for j, c in enumerate(value_cols):
            x = table[c][i]
            if isinstance(x, np.timedelta64):  # durations (total_wait_h): summed in seconds
                x = x / np.timedelta64(1, "s")
            acc[j] += float(x)
    return out


def _assert_sum_equal(whole, seg, key_cols, value_cols):
    assert isinstance(seg, Segmented)
    cols = seg.to_frame("dict")
    summed = _by_key(cols, key_cols, value_cols)
    direct = _by_key(whole.to_frame("dict"), key_cols, value_cols)
    assert summed.keys() <= direct.keys()
    for key, ref in direct.items():
        np.testing.assert_allclose(summed.get(key, [0.0] * len(value_cols)), ref,
                                   rtol=1e-9, atol=1e-9)


@settings(max_examples=40, deadline=None)
@given(j=attributed_logs())
def test_case_segments_add_up_for_every_analysis(j):
    _assert_sum_equal(bottlenecks(j), bottlenecks(j, by="product"), ["step"],
                      ["count", "total_wait_h"])
    _assert_sum_equal(variants(j), variants(j, by="product"), ["path"], ["cases"])
    _assert_sum_equal(rework(j), rework(j, by="product"), ["touchpoint"],
                      ["cases", "rework_cases", "extra_visits", "self_repeats"])
    _assert_sum_equal(breakpoints(j), breakpoints(j, by="product"), ["step"],
                      ["cases", "dropoffs"])
    _assert_sum_equal(funnel(j, ["a", "b"]), funnel(j, ["a", "b"], by="product"), ["step"],
                      ["reached"])
    g = journey_graph(j, by="product")
    whole = journey_graph(j)
    counts = {}
    for _, sub in g:
        for a, b, d in sub.edges(data=True):
            counts[a, b] = counts.get((a, b), 0) + d["count"]
    assert counts == {(a, b): d["count"] for a, b, d in whole.edges(data=True)}
    c = conformance(j, ["a", "b", "ok"], by="product")
    assert sum(r.n_cases for r in c.results) == conformance(j, ["a", "b", "ok"]).n_cases


@settings(max_examples=40, deadline=None)
@given(j=attributed_logs())
def test_event_segments_add_up_for_bottlenecks(j):
    for level in ("transition", "touchpoint"):
        _assert_sum_equal(bottlenecks(j, level=level), bottlenecks(j, level=level, by="team"),
                          ["step"], ["total_wait_h"])
    tp = bottlenecks(j, level="touchpoint", by="team")
    assert sum(int(r.count.sum()) for r in tp.results) == j.n_events


def test_segmented_table_and_access():
    j = Journeys.from_events(case=[1, 1, 2, 2, 3], touchpoint=["a", "b", "a", "b", "a"],
                             timestamp=[0, 10, 0, 99, 0],
                             case_attributes={"product": ["x", "x", "y", "y", None]})
    seg = bottlenecks(j, by="product")
    assert seg.segments == ("x", "y", "(missing)") and len(seg) == 3
    assert seg["y"].total_wait.tolist() == [99.0]
    frame = seg.to_frame("dict")
    assert frame["product"].tolist() == ["x", "y"] and frame["step"].tolist() == ["a -> b"] * 2
    assert repr(seg).startswith("Bottlenecks by product (2 rows)")  # '(missing)': no transition
    with pytest.raises(CxpathError, match=r"'segment' parameter of Segmented"):
        seg["w"]
    # a missing value is its own segment, so segments still add up to the whole
    assert variants(j, by="product").segments == ("x", "y", "(missing)")


def test_event_attribute_segments_transitions_by_the_event_they_lead_to():
    j = Journeys.from_events(case=[1, 1, 1], touchpoint=["a", "b", "c"], timestamp=[0, 5, 25],
                             resource=["ann", "bob", "ann"])
    seg = bottlenecks(j, by="resource")
    assert seg["bob"].steps.tolist() == ["a -> b"] and seg["bob"].total_wait.tolist() == [5.0]
    assert seg["ann"].steps.tolist() == ["b -> c"]
    r = rework(Journeys.from_events(case=[1, 1, 1], touchpoint=["a", "a", "a"],
                                    resource=["ann", "bob", "ann"]), by="resource")
    assert r["ann"].rework_cases.tolist() == [1] and r["bob"].rework_cases.tolist() == [0]


def test_critical_path_and_repeat_contacts_by_segment():
    j = Journeys.from_events(case=[1, 1, 2, 2, 3, 3], touchpoint=["a", "ok", "b", "ok", "a",
                                                                  "ok"],
                             timestamp=[0, 1, 0, 1, 100, 101], success={"ok"},
                             case_attributes={"product": ["x", "x", "y", "y", "x", "x"],
                                              "customer": ["c1", "c1", "c2", "c2", "c1",
                                                           "c1"]})
    cp = critical_path(j, by="product")
    assert cp["x"].steps == ("a", "ok") and cp["y"].steps == ("b", "ok")
    rc = repeat_contacts(j, "customer", window=1000, by="product")
    assert rc["x"].repeated == 1 and rc["y"].repeated == 0
    with pytest.warns(DeprecationWarning, match=r"rank_by='volume'"):
        assert critical_path(j, by="volume").rank_by == "volume"


def test_critical_path_reports_a_path_followed_by_min_cases():
    # start->a 5/8, a->m 4/5, m->ok 3/7: the graph's most probable path a > m > ok
    # (5/8 * 4/5 * 3/7) is followed by no case; q > m > ok (3/8 * 3/7) by three
    paths = ["a > m > z"] * 4 + ["q > m > ok"] * 3 + ["a > r > ok"]
    j = Journeys.from_paths(paths, conversions=[0] * 4 + [1] * 4, nulls=[1] * 4 + [0] * 4)
    cp = critical_path(j, min_cases=2)
    assert cp.steps == ("a", "m", "ok") and cp.cases == 0
    assert cp.probability == pytest.approx(5 / 8 * 4 / 5 * 3 / 7)
    assert cp.observed_steps == ("q", "m", "ok") and cp.observed_cases == 3
    assert cp.observed_probability == pytest.approx(3 / 8 * 3 / 7)
    assert "followed by at least 2 case(s): q > m > ok" in repr(cp)


def test_critical_path_prefers_its_own_path_when_it_is_followed():
    # two equally probable paths to success; the returned one is followed, so it is also
    # the observed answer (not the other one of equal probability)
    j = Journeys.from_paths(["a > ok", "b > ok"], conversions=[2, 2], nulls=[0, 0])
    cp = critical_path(j)
    assert cp.observed_steps == cp.steps and cp.observed_cases == 2
    assert "most probable path followed" not in repr(cp)


def test_graph_by_segment_table_lists_edges():
    j = Journeys.from_events(case=[1, 1, 2, 2], touchpoint=["a", "b", "a", "c"],
                             case_attributes={"product": ["x", "x", "y", "y"]})
    seg = journey_graph(j, by="product")
    assert isinstance(seg["x"], JourneyGraph) and isinstance(seg["x"].graph, nx.DiGraph)
    assert seg["x"].has_edge("a", "b")
    frame = seg.to_frame("dict")
    assert ("y", "a", "c") in set(zip(frame["product"], frame["source"], frame["target"]))


@pytest.mark.parametrize(("call", "match"), [
    (lambda j: bottlenecks(j, by="nope"), "'by' parameter of journeys.bottlenecks must be an "
                                         "attribute of the journeys"),
    (lambda j: variants(j, by="team"), "'by' parameter of journeys.variants must be a case "
                                      "attribute"),
    (lambda j: variants(j, by="cost"), "must be a categorical attribute"),
    (lambda j: variants(j, by=3), "'by' parameter of journeys.variants"),
])
def test_bad_by(call, match):
    j = Journeys.from_events(case=[1, 1], touchpoint=["a", "b"], timestamp=[0, 1],
                             event_attributes={"team": ["t", "u"]},
                             case_attributes={"cost": [1.5, 1.5]})
    with pytest.raises(CxpathError, match=match):
        call(j)
