"""first_order_counts against a plain-Python oracle (runs jitted and with NUMBA_DISABLE_JIT=1)."""

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath._kernels.transitions import first_order_counts


def oracle(paths, weights, n_states):
    trans = np.zeros((n_states, n_states), dtype=np.int64)
    starts = np.zeros(n_states, dtype=np.int64)
    ends = np.zeros(n_states, dtype=np.int64)
    for path, w in zip(paths, weights):
        if not path:
            continue
        starts[path[0]] += w
        ends[path[-1]] += w
        for a, b in itertools.pairwise(path):
            trans[a, b] += w
    return trans, starts, ends


paths_strategy = st.lists(st.lists(st.integers(0, 4), max_size=8), min_size=1, max_size=30)


@settings(max_examples=60, deadline=None)
@given(paths=paths_strategy, data=st.data())
def test_first_order_counts_matches_oracle(paths, data):
    weights = data.draw(st.lists(st.integers(0, 5), min_size=len(paths), max_size=len(paths)))
    codes = np.array([c for p in paths for c in p], dtype=np.int64)
    offsets = np.concatenate(([0], np.cumsum([len(p) for p in paths]))).astype(np.int64)
    got = first_order_counts(codes, offsets, np.array(weights, dtype=np.int64), 5)
    for g, e in zip(got, oracle(paths, weights, 5)):
        np.testing.assert_array_equal(g, e)


def test_transitions_per_case_equal_length_minus_one():
    codes = np.array([0, 1, 2, 2, 1], dtype=np.int64)
    offsets = np.array([0, 3, 3, 5], dtype=np.int64)
    trans, starts, ends = first_order_counts(codes, offsets, np.ones(3, dtype=np.int64), 3)
    assert trans.sum() == (3 - 1) + (2 - 1)
    assert starts.sum() == ends.sum() == 2  # the empty case adds nothing

