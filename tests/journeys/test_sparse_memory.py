"""Memory of the journey-graph family is O(events + distinct transitions) (#18 point 1).

Before, 100,000 events over 20,000 touchpoints asked numpy for 2.94 GiB (a dense
touchpoint × touchpoint matrix) and ``bottlenecks`` peaked at 15 GiB. tracemalloc sees
every numpy allocation, so the peak below is exact for the arrays the analyses build.
"""

from __future__ import annotations

import itertools
import tracemalloc
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath import Journeys
from cxpath.errors import CostError
from cxpath.journeys import (
    JourneyStats,
    bottlenecks,
    breakpoints,
    conformance,
    critical_path,
    journey_graph,
)


def _wide(n_events=10_000, n_touch=20_000, seed=0):
    rng = np.random.default_rng(seed)
    case = np.sort(rng.integers(0, n_events // 5, n_events))
    labels = np.array([f"t{i:05d}" for i in range(n_touch)], dtype=object)
    touch = labels[rng.integers(0, n_touch, n_events)]
    return Journeys.from_events(case=case, touchpoint=touch,
                                timestamp=1.7e9 + 60.0 * np.arange(n_events),
                                success={str(x) for x in touch[::10]}, vocab=labels.tolist())


CALLS = {
    "from_journeys": lambda j: JourneyStats.from_journeys(j),
    "journey_graph": lambda j: journey_graph(j),
    "breakpoints": lambda j: breakpoints(j),
    "breakpoints_transition": lambda j: breakpoints(j, level="transition"),
    "bottlenecks_transition": lambda j: bottlenecks(j, level="transition"),
    "critical_path": lambda j: critical_path(j),
    "conformance": lambda j: conformance(j, [("t00000", "t00001")]),
}


@pytest.fixture(scope="module")
def wide():
    j = _wide()
    for call in CALLS.values():  # compile kernels before measuring
        call(_wide(500, 300))
    return j


@pytest.mark.parametrize("name", sorted(CALLS))
def test_wide_vocabulary_peaks_far_below_a_dense_matrix(wide, name):
    dense = 8 * 20_000 ** 2  # one float64 touchpoint × touchpoint matrix: 3.2 GB
    tracemalloc.start()
    try:
        CALLS[name](wide)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 120 * 2**20, f"{name} peaked at {peak / 2**20:.0f} MiB"
    assert peak < dense / 25


def test_dense_views_are_guarded_and_edges_are_not(wide, monkeypatch):
    s = JourneyStats.from_journeys(wide)
    n = s.n_states
    assert n == 20_000 and len(s.edge_keys) <= wide.n_events
    monkeypatch.setenv("CXPATH_MAX_MEMORY", "1GiB")
    with pytest.raises(CostError, match=rf"{n:,} × {n:,} transition matrix.*edge arrays"):
        _ = s.transitions  # the property builds the matrix


paths = st.lists(st.lists(st.sampled_from("abcd"), min_size=1, max_size=6), min_size=1,
                 max_size=30)


def _journeys(paths, won, vocab=None):
    """One case per path."""
    rows = [(i, x, k, w) for i, (p, w) in enumerate(zip(paths, won)) for k, x in enumerate(p)]
    case, touch, time, flag = (list(c) for c in zip(*rows))
    return Journeys.from_events(case=case, touchpoint=touch, timestamp=time,
                                outcome=flag, vocab=vocab)


@settings(max_examples=60, deadline=None)
@given(paths=paths, ok=st.data())
def test_edge_arrays_count_what_a_python_counter_counts(paths, ok):
    won = ok.draw(st.lists(st.booleans(), min_size=len(paths), max_size=len(paths)))
    s = JourneyStats.from_journeys(_journeys(paths, won))
    n = s.n_states
    pairs = Counter((a, b) for p in paths for a, b in itertools.pairwise(p))
    wins = Counter((a, b) for p, w in zip(paths, won) if w for a, b in itertools.pairwise(p))
    got = {(s.vocab[k // n], s.vocab[k % n]): (int(c), int(w))
           for k, c, w in zip(s.edge_keys, s.edge_counts, s.edge_success)}
    assert got == {k: (c, wins[k]) for k, c in pairs.items()}
    assert list(s.edge_keys) == sorted(s.edge_keys)
    dense = s.transitions
    for (a, b), c in pairs.items():
        assert dense[s.vocab.index(a), s.vocab.index(b)] == c
    reach = Counter(x for p in paths for x in set(p))
    assert {s.vocab[i]: int(r) for i, r in enumerate(s.reach) if r} == dict(reach)


@settings(max_examples=40, deadline=None)
@given(left=paths, right=paths)
def test_merged_edges_equal_the_union(left, right):
    vocab = list("abcd")

    def stats(ps):
        return JourneyStats.from_journeys(_journeys(ps, [True] * len(ps), vocab))

    assert stats(left).merge(stats(right)).equals(stats(left + right))


def test_window_keys_that_would_overflow_are_refused():
    j = Journeys.from_events(case=[1, 1], touchpoint=["a", "b"], timestamp=[0, 1],
                             vocab=[f"t{i}" for i in range(70_000)] + ["a", "b"])
    with pytest.raises(Exception, match=r"'order' parameter of JourneyStats.from_journeys "
                       r"must be at most 2 for 70,002 touchpoints"):
        JourneyStats.from_journeys(j, order=3)
