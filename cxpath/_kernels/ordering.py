"""Ordering kernels used when building journeys."""

from __future__ import annotations

import numpy as np

from ._jit import kernel


def _example():
    return (np.array([1, 0, 1], dtype=np.int64), 2, np.zeros(3), np.zeros(3, dtype=np.int64))


@kernel(example=_example)
def group_by_key(keys, n_keys, floats, ints):
    """Stable counting sort of rows by ``keys`` (ints in ``[0, n_keys)``), in O(n + n_keys).

    Returns ``(order, floats[order], ints[order])``: the permutation and two columns carried
    along in the same pass (cheaper than gathering them afterwards).
    """
    n = keys.shape[0]
    counts = np.zeros(n_keys + 1, dtype=np.int64)
    for i in range(n):
        counts[keys[i] + 1] += 1
    for k in range(n_keys):
        counts[k + 1] += counts[k]
    order = np.empty(n, dtype=np.int64)
    floats_out = np.empty(n, dtype=np.float64)
    ints_out = np.empty(n, dtype=np.int64)
    for i in range(n):
        k = keys[i]
        pos = counts[k]
        order[pos] = i
        floats_out[pos] = floats[i]
        ints_out[pos] = ints[i]
        counts[k] = pos + 1
    return order, floats_out, ints_out
