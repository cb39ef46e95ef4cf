"""Path analysis: stats merging, variants, graph, breakpoints, bottlenecks, critical path."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath import Journeys
from cxpath.datasets import load_sample
from cxpath.errors import CxpathError, VocabularyMismatchError
from cxpath.journeys import (
    JourneyStats,
    bottlenecks,
    breakpoints,
    critical_path,
    journey_graph,
    variants,
)

VOCAB = ["a", "b", "c", "end"]
cases = st.lists(st.tuples(st.lists(st.sampled_from(VOCAB), min_size=1, max_size=6),
                           st.booleans(), st.integers(1, 3)), min_size=1, max_size=25)


def build(rows):
    case, step, time, ok = [], [], [], []
    for i, (path, success, _) in enumerate(rows):
        for k, s in enumerate(path):
            case.append(i)
            step.append(s)
            time.append(1000.0 * i + 10.0 * k * (k + 1))
            ok.append(success)
    return Journeys.from_events(case=case, touchpoint=step, timestamp=time, outcome=ok,
                                vocab=VOCAB)


@settings(max_examples=60, deadline=None)
@given(rows=cases, cut=st.data(), order=st.integers(1, 3))
def test_merging_any_partition_equals_the_whole(rows, cut, order):
    j = build(rows)
    labels = cut.draw(st.lists(st.integers(0, 2), min_size=len(j), max_size=len(j)))
    labels = np.array(labels)
    parts = [JourneyStats.from_journeys(j.select(labels == k), order=order)
             for k in range(3) if (labels == k).any()]
    merged = JourneyStats.empty(VOCAB, order=order, has_times=True)
    for p in parts[::-1]:  # any order: merge is commutative
        merged = merged.merge(p)
    assert merged.equals(JourneyStats.from_journeys(j, order=order))


@settings(max_examples=60, deadline=None)
@given(rows=cases)
def test_counts_are_consistent(rows):
    j = build(rows)
    s = JourneyStats.from_journeys(j)
    # transitions per case = length - 1; variant counts sum to the number of cases
    assert s.transitions.sum() == (j.lengths - 1).sum()
    assert variants(j).counts.sum() == len(j) == s.variant_counts.sum()
    assert s.starts.sum() == s.ends.sum() == len(j)


def test_weighted_counts_from_paths():
    j = Journeys.from_paths(["a > b > a", "b"], conversions=[2, 1], nulls=[3, 0])
    s = JourneyStats.from_journeys(j, order=2)
    assert s.n_cases == 6 and s.n_success == 3
    assert s.transitions.tolist() == [[0, 5], [5, 0]]
    assert s.window_counts.tolist() == [5]  # the window a > b > a, 5 journeys


def test_merge_requires_the_same_vocabulary():
    a = JourneyStats.from_journeys(Journeys.from_paths(["x"]))
    b = JourneyStats.from_journeys(Journeys.from_paths(["y"]))
    with pytest.raises(VocabularyMismatchError, match="same vocabulary"):
        a.merge(b)


def test_graph_by_hand():
    # cases: web>chat (success), web (drop), web>chat>web>chat (success)
    j = Journeys.from_events(case=[1, 1, 2, 3, 3, 3, 3],
                             touchpoint=["web", "chat", "web", "web", "chat", "web", "chat"],
                             timestamp=[0, 10, 0, 0, 20, 50, 110], outcome=[1, 1, 0, 1, 1, 1, 1])
    g = journey_graph(j)
    e = g.edges["web", "chat"]
    assert e["count"] == 3 and e["success_share"] == 1.0
    assert e["probability"] == pytest.approx(3 / 4)  # 3 of web's 4 ways out
    assert (e["time_mean"], e["time_median"], e["time_min"], e["time_max"]) == (30, 20, 10, 60)
    assert g.edges["web", "__drop__"]["count"] == 1
    assert g.nodes["web"]["drop_rate"] == pytest.approx(1 / 3)
    assert g.nodes["chat"]["cases"] == 2 and g.nodes["chat"]["visits"] == 3
    assert "chat" not in journey_graph(j, min_coverage=0.9)  # reached by 2 of 3 cases


def test_planted_breakpoint_and_bottleneck_rank_first():
    j = load_sample().journeys
    brk = breakpoints(j)
    assert brk.steps[0] == "chatbot"
    assert brk.lost_successes[0] > 10 * max(brk.lost_successes[1], 1)
    bot = bottlenecks(j)
    assert bot.steps[0] == "escalation -> field_visit"
    assert bot.total_wait[0] > 1.5 * bot.total_wait[1]


def test_breakpoint_numbers_by_hand():
    # 'b' reached by 4 cases, 2 end there unsuccessful; 'a' reached by 4, none drop
    paths = ["a > b", "a > b", "a > b > c", "a > b > c"]
    j = Journeys.from_paths(paths, conversions=[0, 0, 1, 1], nulls=[1, 1, 0, 0])
    brk = breakpoints(j)
    row = list(brk.steps).index("b")
    assert (brk.cases[row], brk.dropoffs[row]) == (4, 2)
    assert brk.dropoff_rate[row] == 0.5
    # pooled: 2 drop-offs over 8 reaches (c is a success marker and left out)
    assert brk.expected_rate == pytest.approx(2 / 8)
    # excess 2 - 0.25 * 4 = 1; the 2 that went on past b all succeeded
    assert brk.lost_successes[row] == pytest.approx(1.0)
    # Wilson 95 % interval for 2/4: [0.1500, 0.8500] (Newcombe 1998, method 3)
    assert (brk.ci_low[row], brk.ci_high[row]) == pytest.approx((0.1500, 0.8500), abs=1e-4)


def test_bottlenecks_from_stats_equal_the_journeys_totals():
    j = load_sample().journeys
    direct, merged = bottlenecks(j), bottlenecks(JourneyStats.from_journeys(j))
    assert merged.steps.tolist() == direct.steps.tolist()
    np.testing.assert_allclose(merged.total_wait, direct.total_wait, rtol=1e-12)
    with pytest.raises(CxpathError, match="'sla' parameter"):
        bottlenecks(JourneyStats.from_journeys(j), sla=60)


def test_transition_breakpoints_by_hand():
    j = Journeys.from_paths(["a > b", "a > b > c"], conversions=[0, 2], nulls=[2, 0])
    brk = breakpoints(j, level="transition")
    assert brk.steps.tolist() == ["a -> b", "b -> c"]
    assert brk.cases.tolist() == [4, 2] and brk.dropoffs.tolist() == [2, 0]
    assert brk.expected_rate == pytest.approx(2 / 6)
    # excess 2 - 4/3 = 2/3; both cases that went on past a -> b succeeded
    assert brk.lost_successes[0] == pytest.approx(2 / 3)
    with pytest.raises(CxpathError, match="a Journeys object for level='transition'"):
        breakpoints(JourneyStats.from_journeys(j), level="transition")


def test_bottleneck_sla_share():
    j = Journeys.from_events(case=[1, 1, 2, 2], touchpoint=["a", "b", "a", "b"],
                             timestamp=[0, 100, 0, 300])
    bot = bottlenecks(j, sla=200)
    assert bot.total_wait.tolist() == [400.0] and bot.sla_breach.tolist() == [0.5]


def test_critical_path_survives_cycles():
    paths = ["a > b > a > b > end", "a > end", "a > b > end"]
    j = Journeys.from_paths(paths, conversions=[5, 1, 3], nulls=[0, 4, 0])
    cp = critical_path(j)
    # from a: P(b)=8/13, P(end)=5/13 … the most probable route is a > end
    g = journey_graph(j)
    direct = g.edges["__start__", "a"]["probability"] * g.edges["a", "end"]["probability"]
    via_b = (g.edges["__start__", "a"]["probability"] * g.edges["a", "b"]["probability"]
             * g.edges["b", "end"]["probability"])
    best = max(nx.all_simple_paths(g, "__start__", "__success__"),
               key=lambda p: np.prod([g.edges[u, w]["probability"]
                                      for u, w in itertools.pairwise(p)]))
    assert cp.steps == tuple(best[1:-1])
    assert cp.probability == pytest.approx(max(direct * g.edges["end", "__success__"][
        "probability"], via_b * g.edges["end", "__success__"]["probability"]))
    assert critical_path(j, rank_by="volume").steps == ("a", "b", "a", "b", "end")


@pytest.mark.parametrize("call, fragment", [
    (lambda j: variants(j, top=0), "'top' parameter of journeys.variants"),
    (lambda j: variants("x"), "a Journeys or JourneyStats"),
    (lambda j: journey_graph(j, min_coverage=2.0), "'min_coverage' parameter"),
    (lambda j: breakpoints(j, level="edge"), "'level' parameter of journeys.breakpoints"),
    (lambda j: breakpoints(j.select([True, True]).__class__.from_paths(["a"])),
     "journeys with an outcome"),
    (lambda j: bottlenecks(Journeys.from_paths(["a > b"])), "journeys with timestamps"),
    (lambda j: bottlenecks(j, sla=-1), "'sla' parameter"),
    (lambda j: critical_path(j, rank_by="money"), "'rank_by' parameter of journeys.critical_path"),
    (lambda j: JourneyStats.from_journeys(j, order=5), "'order' parameter"),
])
def test_bad_input(call, fragment):
    j = Journeys.from_events(case=[1, 1, 2], touchpoint=["a", "b", "a"], timestamp=[0, 1, 0],
                             success={"b"})
    with pytest.raises(CxpathError, match=None) as info:
        call(j)
    assert fragment in str(info.value)
