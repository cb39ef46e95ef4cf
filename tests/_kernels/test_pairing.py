"""pair_lifecycle against a plain-Python FIFO oracle (runs jitted and with NUMBA_DISABLE_JIT=1)."""

from collections import defaultdict, deque

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath._kernels.lifecycle import pair_lifecycle


def _oracle(cases, acts, is_start):
    """FIFO per (case, activity): a complete takes the earliest open start."""
    match = [-1] * len(cases)
    queues = defaultdict(deque)
    for i, (c, a, s) in enumerate(zip(cases, acts, is_start)):
        if s:
            queues[c, a].append(i)
        elif queues[c, a]:
            start = queues[c, a].popleft()
            match[i], match[start] = start, -2
    return match


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2), st.booleans()),
                     max_size=60))
def test_pair_lifecycle_matches_fifo_oracle(rows):
    rows.sort(key=lambda r: r[0])  # cases contiguous, rows in order within a case
    cases = np.array([r[0] for r in rows], dtype=np.int64)
    acts = np.array([r[1] for r in rows], dtype=np.int64)
    is_start = np.array([r[2] for r in rows], dtype=np.int64)
    got = pair_lifecycle(cases, acts, is_start, 3)
    assert got.tolist() == _oracle(cases.tolist(), acts.tolist(), is_start.tolist())
