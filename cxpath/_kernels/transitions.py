"""Counting kernels over the CSR journey layout (codes, offsets, weights)."""

from __future__ import annotations

import numpy as np

from ._jit import kernel


def _example_k1():
    return (np.array([0, 1, 1, 0], dtype=np.int64), np.array([0, 3, 4], dtype=np.int64),
            np.ones(2, dtype=np.int64), 2)


@kernel(example=_example_k1)
def first_order_counts(codes, offsets, weights, n_states):
    """Weighted first-order transition, start and end counts.

    Returns ``(transitions[n_states, n_states], starts[n_states], ends[n_states])``; a case
    of weight ``w`` adds ``w`` to each of its transitions, to its first and to its last code.
    Empty cases add nothing.
    """
    transitions = np.zeros((n_states, n_states), dtype=np.int64)
    starts = np.zeros(n_states, dtype=np.int64)
    ends = np.zeros(n_states, dtype=np.int64)
    for case in range(offsets.shape[0] - 1):
        lo = offsets[case]
        hi = offsets[case + 1]
        if hi <= lo:
            continue
        w = weights[case]
        starts[codes[lo]] += w
        ends[codes[hi - 1]] += w
        for i in range(lo, hi - 1):
            transitions[codes[i], codes[i + 1]] += w
    return transitions, starts, ends
