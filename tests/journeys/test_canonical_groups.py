"""``canonical_order`` against a plain-Python reference (cxpath#27).

Reference: a dict of code tuples (the groups), ranked by ``(path length, 64-bit case hash,
first appearance)`` with Python's stable ``sorted``: the content-based order that
:class:`~cxpath.journeys.JourneyStats` stores its variants in. The hash is the one of
:func:`cxpath._kernels.paths.case_hashes`, recomputed here in plain Python (FNV-1a over
``code + 1``, then the length).
"""

from __future__ import annotations

import sys
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath.journeys.stats import _gather_by_length_rank, _gather_paths
from cxpath.journeys.variants import canonical_order


def canonical_groups(codes, offsets, parts=None):
    """(first case of each group in content order, content group of each case, n)."""
    first, rank, group, n = canonical_order(codes, offsets, parts)
    assert (np.diff(first) > 0).all()  # first appearance: the gather reads in order
    rep = np.empty_like(first)
    rep[rank] = first
    return rep, group, n


def fnv(path):
    h, prime, mask = 14695981039346656037, 1099511628211, 2**64 - 1
    for c in path:
        h = ((h ^ ((c + 1) & mask)) * prime) & mask
    return ((h ^ len(path)) * prime) & mask


def reference(paths):
    first: dict = {}
    for i, p in enumerate(paths):
        first.setdefault(tuple(p), i)
    ranked = sorted(first, key=lambda p: (len(p), fnv(p), first[p]))
    rank = {p: r for r, p in enumerate(ranked)}
    return [first[p] for p in ranked], [rank[tuple(p)] for p in paths]


def csr(paths):
    codes = np.array([c for p in paths for c in p], dtype=np.int64)
    offsets = np.concatenate(([0], np.cumsum([len(p) for p in paths]))).astype(np.int64)
    return codes, offsets


@pytest.mark.parametrize("parts", [1, 2, 3], ids=lambda p: f"{p} thread(s)")
@pytest.mark.parametrize("radix", [True, False], ids=["radix kernel", "lexsort"])
@settings(max_examples=80, deadline=None)
@given(paths=st.lists(st.lists(st.integers(0, 40), max_size=9), min_size=1, max_size=200))
def test_canonical_groups_match_the_reference(radix, parts, paths):
    module = sys.modules[canonical_order.__module__]
    with mock.patch.object(module, "RADIX_GROUPS", 0 if radix else 1 << 62):
        rep, group, n = canonical_groups(*csr(paths), parts=parts)
    want_rep, want_group = reference(paths)
    assert rep.tolist() == want_rep and group.tolist() == want_group and n == len(want_rep)


def test_canonical_order_of_a_larger_log():
    rng = np.random.default_rng(5)  # many cases, repeats and lengths: several radix passes
    paths = [rng.integers(0, 3, rng.integers(0, 6)).tolist() for _ in range(5000)]
    with mock.patch.object(sys.modules[canonical_order.__module__], "RADIX_GROUPS", 0):
        rep, group, n = canonical_groups(*csr(paths))
    want_rep, want_group = reference(paths)
    assert rep.tolist() == want_rep and group.tolist() == want_group and n == len(want_rep)


@pytest.mark.parametrize("parts", [1, 2, 3], ids=lambda p: f"{p} thread(s)")
@settings(max_examples=80, deadline=None)
@given(paths=st.lists(st.lists(st.integers(0, 40), max_size=9), min_size=1, max_size=200))
def test_gathering_in_canonical_order_equals_copying_the_rows(parts, paths):
    # reference: _gather_paths, which copies the rows in the order given (slicing, checked
    # in test_grouped_waits)
    codes, offsets = csr(paths)
    first, rank, _, _ = canonical_order(codes, offsets)
    rows = np.empty_like(first)
    rows[rank] = first
    got = _gather_by_length_rank(codes, offsets, first, rank, parts)
    want = _gather_paths(codes, offsets, rows)
    assert all(np.array_equal(a, b) for a, b in zip(got, want))


def test_statistics_and_variants_are_the_same_on_two_threads():
    """JourneyStats and variants of journeys large enough to split over threads (the limit
    lowered to 0): the same arrays as on one thread."""
    import numba

    from cxpath import Journeys
    from cxpath.journeys import JourneyStats, stats, variants

    rng = np.random.default_rng(11)
    paths = [rng.integers(0, 6, rng.integers(1, 7)).tolist() for _ in range(3000)]
    codes, offsets = csr(paths)
    j = Journeys(codes=codes, offsets=offsets, case_ids=np.arange(len(paths)),
                 vocab=[f"t{i}" for i in range(6)], times=np.arange(len(codes), dtype=float),
                 outcome=rng.random(len(paths)) < 0.4)
    one = JourneyStats.from_journeys(j, order=2), variants(j).to_frame("dict")
    limit = stats.PARALLEL_EVENTS
    stats.PARALLEL_EVENTS = 0
    numba.set_num_threads(min(2, numba.config.NUMBA_NUM_THREADS))
    try:
        two = JourneyStats.from_journeys(j, order=2), variants(j).to_frame("dict")
    finally:
        stats.PARALLEL_EVENTS = limit
        numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
    assert two[0].equals(one[0], rtol=0)
    assert np.array_equal(two[0].variant_codes, one[0].variant_codes)
    for name, column in one[1].items():
        column = np.asarray(column)
        nan = column.dtype.kind == "f"  # the durations (labels are strings)
        assert np.array_equal(np.asarray(two[1][name]), column, equal_nan=nan), name
