"""``canonical_groups`` against a plain-Python reference (cxpath#27).

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

from cxpath.journeys.variants import canonical_groups


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


@pytest.mark.parametrize("radix", [True, False], ids=["radix kernel", "lexsort"])
@settings(max_examples=80, deadline=None)
@given(paths=st.lists(st.lists(st.integers(0, 40), max_size=9), min_size=1, max_size=200))
def test_canonical_groups_match_the_reference(radix, paths):
    module = sys.modules[canonical_groups.__module__]
    with mock.patch.object(module, "RADIX_GROUPS", 0 if radix else 1 << 62):
        rep, group, n = canonical_groups(*csr(paths))
    want_rep, want_group = reference(paths)
    assert rep.tolist() == want_rep and group.tolist() == want_group and n == len(want_rep)


def test_canonical_order_of_a_larger_log():
    rng = np.random.default_rng(5)  # many cases, repeats and lengths: several radix passes
    paths = [rng.integers(0, 3, rng.integers(0, 6)).tolist() for _ in range(5000)]
    with mock.patch.object(sys.modules[canonical_groups.__module__], "RADIX_GROUPS", 0):
        rep, group, n = canonical_groups(*csr(paths))
    want_rep, want_group = reference(paths)
    assert rep.tolist() == want_rep and group.tolist() == want_group and n == len(want_rep)
