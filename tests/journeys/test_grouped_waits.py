"""The journey graph's one-grouping wait quantiles and the path gathering kernel.

References: (1) the transition-list formulation the graph used before
(``graph._transition_quantiles``/``graph._dwell`` over ``stats._edges``: bit for bit, on
1 and 2 threads); (2) an independent per-case loop in plain Python with ``numpy.quantile``
per group (numpy's linear method; equal to 1e-12: numpy interpolates as ``a + (b - a) t``,
the kernels as ``a (1 - t) + b t``).
"""

from __future__ import annotations

import itertools

import numba
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_one_pass_counts import journeys

from cxpath import _stats
from cxpath.journeys import graph as G
from cxpath.journeys import journey_graph, stats
from cxpath.journeys.stats import _edges, _gather_paths, grouped_wait_quantiles


def _by_hand(j):
    """(transition -> waits, source -> waits) from a loop over the cases."""
    per_edge: dict = {}
    per_source: dict = {}
    for case in range(len(j)):
        lo, hi = j.offsets[case], j.offsets[case + 1]
        for i in range(lo, hi - 1):
            wait = np.round((j.event_starts[i + 1] - j.times[i]) * 1e6) / 1e6
            if j.starts is not None:
                wait = max(wait, 0.0)
            per_edge.setdefault((j.codes[i], j.codes[i + 1]), []).append(wait)
            per_source.setdefault(j.codes[i], []).append(wait)
    return per_edge, per_source


@pytest.mark.parametrize("threads", [1, 2])
@settings(max_examples=150, deadline=None)
@given(j=journeys())
def test_graph_times_equal_the_transition_list_and_a_loop(j, threads):
    if j.times is None:
        return
    limit = stats.PARALLEL_EVENTS
    small = stats.SMALL_EVENTS
    share = _stats.BUCKET_SHARE
    stats.PARALLEL_EVENTS = stats.SMALL_EVENTS = 0  # the kernels, split over the threads
    _stats.BUCKET_SHARE = 0  # bucket selection whatever the events per table cell
    numba.set_num_threads(min(threads, numba.config.NUMBA_NUM_THREADS))
    try:
        _, dwell, (median, p90), _ = G._graph_stats(j, "test")
    finally:
        stats.PARALLEL_EVENTS, stats.SMALL_EVENTS = limit, small
        _stats.BUCKET_SHARE = share
        numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
    edges = _edges(j, with_case=False)
    old_median, old_p90 = G._transition_quantiles(j, edges)
    assert np.array_equal(median, old_median) and np.array_equal(p90, old_p90)
    for new, old in zip(dwell, G._dwell(j, edges)):
        assert np.array_equal(new, old, equal_nan=True)
    per_edge, per_source = _by_hand(j)
    n = len(j.vocab)
    keys = sorted(a * n + b for a, b in per_edge)
    assert len(keys) == len(median)
    for e, key in enumerate(keys):
        q = np.quantile(per_edge[key // n, key % n], [0.5, 0.9])
        np.testing.assert_allclose([median[e], p90[e]], q, rtol=1e-12, atol=1e-9)
    for c in range(n):
        if c in per_source:
            q = np.quantile(per_source[c], [0.5, 0.9])
            np.testing.assert_allclose([dwell[1][c], dwell[2][c]], q, rtol=1e-12, atol=1e-9)
            assert dwell[0][c] == pytest.approx(np.mean(per_source[c]), rel=1e-12, abs=1e-9)
        else:
            assert np.isnan(dwell[1][c]) and dwell[0][c] == 0.0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 3), min_size=1, max_size=400),
       st.lists(st.integers(0, 40), min_size=400, max_size=400))
def test_segment_quantiles_select_like_numpy(sizes, values):
    """Segments above 64 values take the quickselect path; many ties on purpose."""
    from cxpath._kernels.ordering import segment_quantiles

    lengths = np.array(sizes) * 30  # 0, 30, 60 or 90 values
    bounds = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    data = np.resize(np.asarray(values, dtype=float), bounds[-1])
    expected = [np.quantile(data[a:b], [0.1, 0.5, 0.9]) if b > a else [np.nan] * 3
                for a, b in itertools.pairwise(bounds)]
    out = np.empty((len(lengths), 3))
    segment_quantiles(data.copy(), bounds, 0, len(lengths), np.array([0.1, 0.5, 0.9]), out)
    np.testing.assert_allclose(out, np.array(expected, dtype=float).reshape(-1, 3),
                               rtol=1e-12, atol=1e-12)


@settings(max_examples=150, deadline=None)
@given(j=journeys())
def test_small_journeys_graph_equals_the_kernel_graph(j):
    """The numpy path of small journeys (compiles nothing) against the kernel path."""
    small = stats.SMALL_EVENTS
    try:
        numpy_graph = journey_graph(j).to_dict()
        stats.SMALL_EVENTS = 0
        kernel_graph = journey_graph(j).to_dict()
    finally:
        stats.SMALL_EVENTS = small
    assert _comparable(numpy_graph) == _comparable(kernel_graph)


def _comparable(d):
    """The graph's node-link dict with NaN as a string (NaN != NaN) and -0.0 as 0.0."""
    if isinstance(d, dict):
        return {k: _comparable(x) for k, x in d.items()}
    if isinstance(d, list):
        return [_comparable(x) for x in d]
    if isinstance(d, float):
        return "nan" if d != d else d + 0.0
    return d


def test_small_quantiles_equal_the_kernel():
    from cxpath._kernels.ordering import grouped_quantiles
    from cxpath._stats import _quantiles_by_sort

    rng = np.random.default_rng(3)
    groups = rng.integers(0, 7, 500)
    values = rng.integers(0, 30, 500).astype(float)  # ties
    for qs in ([0.5, 0.9], [0.0, 0.25, 1.0]):
        assert np.array_equal(_quantiles_by_sort(groups, values, 9, qs),
                              grouped_quantiles(groups, 9, values, np.array(qs)),
                              equal_nan=True)


def test_grouped_wait_quantiles_without_touchpoints():
    from cxpath import Journeys

    j = Journeys(codes=np.zeros(0, dtype=np.int64), offsets=np.zeros(1, dtype=np.int64),
                 vocab=[], case_ids=np.zeros(0), times=np.zeros(0))
    keys, per_edge, per_source = grouped_wait_quantiles(j, [0.5])
    assert keys.shape == (0,) and per_edge.shape == (0, 1) and per_source.shape == (0, 1)
    assert journey_graph(j).number_of_edges() == 0


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.integers(0, 9), max_size=6), min_size=1, max_size=10),
       st.data())
def test_gather_paths_equals_slicing(paths, data):
    """Reference: concatenating the Python slices of the chosen rows."""
    codes = np.array([c for p in paths for c in p], dtype=np.int64)
    offsets = np.concatenate(([0], np.cumsum([len(p) for p in paths]))).astype(np.int64)
    rows = np.array(data.draw(st.lists(st.integers(0, len(paths) - 1), max_size=12)),
                    dtype=np.int64)
    for parts in (1, 2, 3):  # copied by row range on threads: the same arrays
        out, out_offsets = _gather_paths(codes, offsets, rows, parts)
        assert out.tolist() == [c for r in rows for c in paths[r]]
        assert out_offsets.tolist() == [0, *np.cumsum([len(paths[r]) for r in rows]).tolist()]
        assert out.dtype == np.int64 and out_offsets.dtype == np.int64


@settings(max_examples=150, deadline=None)
@given(journeys())
def test_numpy_edge_list_counts_equal_the_one_pass_counts(j):
    """Reference: the one-pass kernel (itself checked against the edge list)."""
    from test_one_pass_counts import _same

    from cxpath.journeys.stats import _counts_by_edge, _counts_one_pass

    _same(_counts_by_edge(j, _edges(j, kernel=False), kernel=False), _counts_one_pass(j))


@pytest.mark.parametrize("threads", [1, 2])
@settings(max_examples=100, deadline=None)
@given(j=journeys())
def test_bucket_selection_equals_grouping_every_wait(j, threads):
    """Reference: the counting sort of every wait and selection in place (the path of large
    vocabularies, itself checked against the transition list above), bit for bit."""
    if j.times is None:
        return
    limit, share = stats.PARALLEL_EVENTS, _stats.BUCKET_SHARE
    stats.PARALLEL_EVENTS = _stats.BUCKET_SHARE = 0
    numba.set_num_threads(min(threads, numba.config.NUMBA_NUM_THREADS))
    qs = np.array([0.0, 0.5, 0.9, 1.0])
    try:
        got = grouped_wait_quantiles(j, qs)
        expected = stats._grouped_wait_quantiles_by_grouping(j, qs)
    finally:
        stats.PARALLEL_EVENTS, _stats.BUCKET_SHARE = limit, share
        numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
    for a, b in zip(got, expected):
        assert np.array_equal(a, b, equal_nan=True)


@pytest.mark.parametrize("threads", [1, 2])
def test_bucket_selection_on_many_waits_equals_numpy_per_group(threads):
    """300k transitions over 12 touchpoints, second-rounded and tied waits crowding a few
    buckets, zero waits of overlapping instances. Reference: ``numpy.sort`` of each group's
    waits from the transition list, ranks and interpolation as the kernels."""
    from cxpath import Journeys

    rng = np.random.default_rng(7)
    lengths = rng.integers(0, 9, 50_000)
    n_events = int(lengths.sum())
    offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    times = np.cumsum(np.round(rng.exponential(600.0, n_events)))
    starts = times - np.round(rng.exponential(300.0, n_events))  # overlaps: zero waits
    first = np.repeat(offsets[:-1], lengths)
    order = np.lexsort((starts, first))  # instances ordered by start inside a case
    j = Journeys(codes=rng.integers(0, 12, n_events)[order], offsets=offsets,
                 vocab=[f"t{i}" for i in range(12)], case_ids=np.arange(len(lengths)),
                 times=times[order], starts=starts[order])
    limit, share = stats.PARALLEL_EVENTS, _stats.BUCKET_SHARE
    stats.PARALLEL_EVENTS = _stats.BUCKET_SHARE = 0
    numba.set_num_threads(min(threads, numba.config.NUMBA_NUM_THREADS))
    qs = np.array([0.1, 0.5, 0.9])
    try:
        keys, per_edge, per_source = grouped_wait_quantiles(j, qs)
    finally:
        stats.PARALLEL_EVENTS, _stats.BUCKET_SHARE = limit, share
        numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
    src, dst, wait, _ = _edges(j, with_case=False, kernel=False)
    assert (wait == 0).mean() > 0.1
    assert len(keys) == 144  # every transition seen
    for groups, got, rows in ((src * 12 + dst, per_edge, keys), (src, per_source, range(12))):
        for row, g in zip(got, rows):
            ordered = np.sort(wait[groups == g])
            pos = qs * (len(ordered) - 1)
            below = np.floor(pos).astype(np.int64)
            above = np.minimum(below + 1, len(ordered) - 1)
            frac = pos - below
            assert np.array_equal(row, ordered[below] * (1.0 - frac) + ordered[above] * frac)


@settings(max_examples=150, deadline=None)
@given(j=journeys())
def test_counting_passes_count_the_waits_as_the_histogram_pass(j):
    # reference: wait_histograms, the bucket pass grouped_wait_quantiles runs by itself
    from cxpath._kernels.bottleneck_sums import weighted_waits
    from cxpath._kernels.bucket_select import BUCKETS
    from cxpath._kernels.journey_counts import first_order_counts, wait_histograms

    if j.times is None:
        return
    n = len(j.vocab)
    clock = stats._kernel_clock(j)
    expected = wait_histograms(j.codes, j.offsets, *clock, 0, len(j), n)
    w = j.case_weights.astype(np.float64)
    ok = j.outcome if j.outcome is not None else np.zeros(len(j), bool)
    for count in (lambda t: first_order_counts(j.codes, j.offsets, w, ok, *clock, n, t),
                  lambda t: weighted_waits(j.codes, j.offsets, w, *clock, 60.0, n, t)):
        table = np.zeros((n * n, BUCKETS), dtype=np.int64)
        count(table)
        assert np.array_equal(table, expected)


def test_one_thread_graph_counts_the_waits_in_the_counting_pass():
    # the route the test above checks is the one a single-threaded graph takes; split over
    # threads, the histogram pass runs by itself
    from cxpath import Journeys

    codes = np.array([0, 1, 0, 1] * 4000, dtype=np.int64)
    offsets = np.arange(0, len(codes) + 1, 4, dtype=np.int64)
    times = np.arange(len(codes), dtype=np.float64) * 60.0
    big = Journeys(codes=codes, offsets=offsets, case_ids=np.arange(len(offsets) - 1),
                   vocab=["a", "b"], times=times)
    numba.set_num_threads(1)
    try:
        assert stats.wait_bucket_table(big) is not None
        numba.set_num_threads(min(2, numba.config.NUMBA_NUM_THREADS))
        limit = stats.PARALLEL_EVENTS
        stats.PARALLEL_EVENTS = 0
        try:
            split = numba.get_num_threads() > 1
            assert (stats.wait_bucket_table(big) is None) == split
        finally:
            stats.PARALLEL_EVENTS = limit
    finally:
        numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
