"""Edit (Levenshtein) distances between the touchpoint sequences of a CSR layout.

:func:`edit_distances` fills the symmetric matrix of unit-cost edit distances (insertion,
deletion, substitution) between every pair of sequences ``codes[offsets[i]:offsets[i+1]]``
with the two-row dynamic programme (Wagner & Fischer 1974): ``(len_i + 1)(len_j + 1)``
cell updates per pair.
"""

from __future__ import annotations

import numpy as np

from ._jit import kernel

__all__ = ["edit_distances"]


def _example():
    return (np.array([0, 1, 0, 2, 1], dtype=np.int64), np.array([0, 2, 3, 5], dtype=np.int64))


@kernel(example=_example)
def edit_distances(codes, offsets):
    """``(m, m)`` float64 edit distances between the ``m = len(offsets) - 1`` sequences."""
    m = offsets.size - 1
    longest = 0
    for i in range(m):
        longest = max(longest, offsets[i + 1] - offsets[i])
    out = np.zeros((m, m))
    prev = np.empty(longest + 1, dtype=np.int64)
    cur = np.empty(longest + 1, dtype=np.int64)
    for i in range(m):
        a0, la = offsets[i], offsets[i + 1] - offsets[i]
        for j in range(i + 1, m):
            b0, lb = offsets[j], offsets[j + 1] - offsets[j]
            for q in range(lb + 1):
                prev[q] = q
            for p in range(1, la + 1):
                cur[0] = p
                ca = codes[a0 + p - 1]
                for q in range(1, lb + 1):
                    cost = 0 if ca == codes[b0 + q - 1] else 1
                    best = prev[q - 1] + cost
                    if prev[q] + 1 < best:
                        best = prev[q] + 1
                    if cur[q - 1] + 1 < best:
                        best = cur[q - 1] + 1
                    cur[q] = best
                for q in range(lb + 1):
                    prev[q] = cur[q]
            out[i, j] = prev[lb]
            out[j, i] = prev[lb]
    return out
