"""The one-pass counting kernel equals the edge-list formulation of the journey counts.

Reference: ``journeys.stats._counts_by_edge`` (numpy ``bincount``/``ufunc.at`` over the
transition list, the implementation before the kernel), field by field, bit for bit.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath import Journeys
from cxpath.journeys import JourneyStats
from cxpath.journeys.stats import _counts_by_edge, _counts_one_pass


@st.composite
def journeys(draw):
    n_states = draw(st.integers(1, 6))
    lengths = draw(st.lists(st.integers(0, 7), min_size=1, max_size=12))
    n_events = sum(lengths)
    codes = draw(st.lists(st.integers(0, n_states - 1), min_size=n_events, max_size=n_events))
    kind = draw(st.sampled_from(["none", "instants", "instances"]))
    times = starts = None
    if kind != "none":
        # millisecond stamps, in order inside each case; instances may overlap
        steps = draw(st.lists(st.integers(0, 10**7), min_size=n_events, max_size=n_events))
        times = 1.7e9 + np.cumsum(steps) / 1e3
        if kind == "instances":
            back = draw(st.lists(st.integers(0, 2 * 10**7), min_size=n_events,
                                 max_size=n_events))
            starts = times - np.asarray(back) / 1e3
            order = np.zeros(n_events, dtype=np.int64)
            at = 0
            for m in lengths:  # instances are ordered by start inside a case
                order[at:at + m] = at + np.argsort(starts[at:at + m], kind="stable")
                at += m
            times, starts, codes = times[order], starts[order], np.asarray(codes)[order]
    n_cases = len(lengths)
    weight = draw(st.none() | st.lists(st.integers(0, 5), min_size=n_cases, max_size=n_cases))
    outcome = draw(st.none() | st.lists(st.booleans(), min_size=n_cases, max_size=n_cases))
    return Journeys(codes=np.asarray(codes, dtype=np.int64),
                    offsets=np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
                    vocab=[f"s{i}" for i in range(n_states)], case_ids=np.arange(n_cases),
                    times=times, starts=starts, weight=weight, outcome=outcome)


def _same(a, b):
    assert a.keys() == b.keys()
    for key in a:
        x, y = a[key], b[key]
        if isinstance(y, np.ndarray):
            assert x.dtype == y.dtype and x.shape == y.shape, key
            assert np.array_equal(x, y, equal_nan=y.dtype.kind == "f"), key
        else:
            assert x == y, key


@settings(max_examples=300, deadline=None)
@given(journeys())
def test_one_pass_counts_equal_the_edge_list_counts(j):
    _same(_counts_one_pass(j), _counts_by_edge(j))


@settings(max_examples=100, deadline=None)
@given(journeys(), st.integers(1, 3))
def test_window_counts_equal_a_direct_count(j, order):
    s = JourneyStats.from_journeys(j, order=order)
    n = len(j.vocab)
    w = j.case_weights
    ok = j.outcome if j.outcome is not None else np.zeros(len(j), dtype=bool)
    counts: dict = {}
    for case in range(len(j)):  # every window of order + 1 events, by hand
        path = j.codes[j.offsets[case]:j.offsets[case + 1]].tolist()
        for i in range(len(path) - order):
            key = 0
            for c in path[i:i + order + 1]:
                key = key * n + c
            total, success = counts.get(key, (0, 0))
            counts[key] = (total + int(w[case]), success + int(w[case]) * bool(ok[case]))
    keys = sorted(counts)
    assert s.window_keys.tolist() == keys
    assert s.window_counts.tolist() == [counts[k][0] for k in keys]
    assert s.window_success.tolist() == [counts[k][1] for k in keys]


@settings(max_examples=200, deadline=None)
@given(journeys())
def test_transitions_kernel_equals_the_array_formulation(j):
    from cxpath.journeys.stats import _edges, transition_index, transition_waits

    idx = transition_index(j)  # reference: positions, gathers, rounded differences
    owner = np.repeat(np.arange(len(j)), j.lengths)[idx]
    src, dst, wait, case = _edges(j)
    assert np.array_equal(src, j.codes[idx]) and np.array_equal(dst, j.codes[idx + 1])
    assert np.array_equal(wait, transition_waits(j, idx), equal_nan=True)
    assert np.array_equal(case, owner)
    assert _edges(j, with_case=False)[3] is None



@settings(max_examples=60, deadline=None)
@given(journeys(), st.integers(1, 2))
def test_statistics_built_on_two_threads_equal_one_thread(j, order):
    """Reference: the one-thread route. With the counting pass on a thread of its own
    beside the variants (``alongside``), every field must be the same, bit for bit."""
    from unittest import mock

    import attrs

    from cxpath.journeys import stats

    one = JourneyStats.from_journeys(j, order=order)
    with mock.patch.object(stats, "_parts", lambda n_events: 2):
        two = JourneyStats.from_journeys(j, order=order)
    for field in attrs.fields(JourneyStats):
        x, y = getattr(one, field.name), getattr(two, field.name)
        if isinstance(x, np.ndarray):
            assert x.dtype == y.dtype and np.array_equal(x, y, equal_nan=x.dtype.kind == "f"), \
                field.name
        else:
            assert x == y, field.name
