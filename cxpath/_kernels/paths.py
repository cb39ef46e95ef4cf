"""Path kernels over the CSR journey layout: windows, hashes, per-case facts."""

from __future__ import annotations

import numpy as np

from ._jit import kernel

_CODES = np.array([0, 1, 1, 0], dtype=np.int64)
_OFFSETS = np.array([0, 3, 4], dtype=np.int64)


@kernel(example=lambda: (_CODES, _OFFSETS, 2, 2))
def window_keys(codes, offsets, width, n_states):
    """Key of every window of ``width`` consecutive events inside a case.

    The key of ``(c0, …, c_{w-1})`` is ``sum(c_i * n_states**(w-1-i))``. Returns
    ``(keys, case_of_window)``; cases shorter than ``width`` give no window.
    """
    n_cases = offsets.shape[0] - 1
    total = 0
    for case in range(n_cases):
        length = offsets[case + 1] - offsets[case]
        if length >= width:
            total += length - width + 1
    keys = np.empty(total, dtype=np.int64)
    owner = np.empty(total, dtype=np.int64)
    out = 0
    for case in range(n_cases):
        lo = offsets[case]
        hi = offsets[case + 1]
        for start in range(lo, hi - width + 1):
            key = 0
            for i in range(start, start + width):
                key = key * n_states + codes[i]
            keys[out] = key
            owner[out] = case
            out += 1
    return keys, owner


@kernel(example=lambda: (_CODES, _OFFSETS))
def case_hashes(codes, offsets):
    """A 64-bit polynomial hash of each case's code sequence (length mixed in)."""
    n_cases = offsets.shape[0] - 1
    out = np.empty(n_cases, dtype=np.uint64)
    prime = np.uint64(1099511628211)
    for case in range(n_cases):
        h = np.uint64(14695981039346656037)
        lo = offsets[case]
        hi = offsets[case + 1]
        for i in range(lo, hi):
            h = (h ^ np.uint64(codes[i] + 1)) * prime
        h = (h ^ np.uint64(hi - lo)) * prime
        out[case] = h
    return out


@kernel(example=lambda: (_CODES, _OFFSETS, np.array([0, 1], dtype=np.int64)))
def same_as(codes, offsets, representative):
    """Whether each case has exactly the codes of case ``representative[case]``."""
    n_cases = offsets.shape[0] - 1
    out = np.ones(n_cases, dtype=np.bool_)
    for case in range(n_cases):
        other = representative[case]
        lo, hi = offsets[case], offsets[case + 1]
        olo, ohi = offsets[other], offsets[other + 1]
        if hi - lo != ohi - olo:
            out[case] = False
            continue
        for i in range(hi - lo):
            if codes[lo + i] != codes[olo + i]:
                out[case] = False
                break
    return out


@kernel(example=lambda: (_CODES, _OFFSETS, 2))
def reach_counts(codes, offsets, n_states):
    """For each case, which touchpoints it reaches: a (n_cases, n_states) boolean matrix."""
    n_cases = offsets.shape[0] - 1
    out = np.zeros((n_cases, n_states), dtype=np.bool_)
    for case in range(n_cases):
        for i in range(offsets[case], offsets[case + 1]):
            out[case, codes[i]] = True
    return out
