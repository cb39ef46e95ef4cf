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


@kernel(example=lambda: (np.array([5, 3, 5], dtype=np.uint64),))
def hash_groups(hashes):
    """Group equal hashes in one pass (open addressing), numbered by first appearance.

    Returns ``(group, first)``: the group of every element and the first element of each
    group. O(n) expected, against the O(n log n) sort of ``numpy.unique``.
    """
    n = hashes.shape[0]
    size = 2
    while size < 2 * n:
        size *= 2
    mask = np.uint64(size - 1)
    table = np.full(size, -1, dtype=np.int64)
    group = np.empty(n, dtype=np.int64)
    first = np.empty(n, dtype=np.int64)
    n_groups = 0
    for i in range(n):
        h = hashes[i]
        slot = np.int64((h ^ (h >> np.uint64(31))) & mask)
        while True:
            g = table[slot]
            if g == -1:
                table[slot] = n_groups
                first[n_groups] = i
                group[i] = n_groups
                n_groups += 1
                break
            if hashes[first[g]] == h:
                group[i] = g
                break
            slot = (slot + 1) & (size - 1)
    return group, first[:n_groups].copy()


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


@kernel(example=lambda: (_CODES, _OFFSETS, np.ones((2, 1)), 2))
def reach_totals(codes, offsets, weights, n_states):
    """Summed case weights of the cases reaching each touchpoint (once per case).

    ``weights`` is ``(n_cases, k)``: k weightings at once. Returns ``(n_states, k)``. One
    pass over the events with a last-seen case per touchpoint: O(events + n_states)
    memory, never a case × touchpoint matrix.
    """
    n_cases = offsets.shape[0] - 1
    k = weights.shape[1]
    out = np.zeros((n_states, k))
    last = np.full(n_states, -1, dtype=np.int64)
    for case in range(n_cases):
        for i in range(offsets[case], offsets[case + 1]):
            c = codes[i]
            if last[c] != case:
                last[c] = case
                for j in range(k):
                    out[c, j] += weights[case, j]
    return out


@kernel(example=lambda: (_CODES, _OFFSETS, np.array([0, 1], dtype=np.int64), 0))
def funnel_match(codes, offsets, steps, mode):
    """Event index at which each case reaches each funnel step (-1: not reached).

    ``mode`` 0: steps in order, gaps allowed (greedy first match); 1: strictly consecutive
    (the longest run of the steps' prefix, first such run); 2: any order (first occurrence of
    each step, counted only while every earlier step also occurs).
    """
    n_cases = offsets.shape[0] - 1
    k = steps.shape[0]
    out = np.full((n_cases, k), -1, dtype=np.int64)
    for case in range(n_cases):
        lo = offsets[case]
        hi = offsets[case + 1]
        if mode == 0:
            nxt = 0
            for i in range(lo, hi):
                if nxt < k and codes[i] == steps[nxt]:
                    out[case, nxt] = i
                    nxt += 1
        elif mode == 1:
            best = 0
            best_start = -1
            for start in range(lo, hi):
                m = 0
                while m < k and start + m < hi and codes[start + m] == steps[m]:
                    m += 1
                if m > best:
                    best = m
                    best_start = start
            for m in range(best):
                out[case, m] = best_start + m
        else:
            for s in range(k):
                for i in range(lo, hi):
                    if codes[i] == steps[s]:
                        out[case, s] = i
                        break
                if out[case, s] < 0:
                    for t in range(s + 1, k):
                        out[case, t] = -1
                    break
    return out


@kernel(example=lambda: (_CODES, _OFFSETS, np.array([0, 1, 3], dtype=np.int64), 2,
                         np.ones(2, dtype=np.bool_)))
def first_deviation(codes, offsets, allowed_keys, n_states, allowed_start):
    """Event index of each case's first step outside the reference (-1: conformant).

    ``allowed_keys`` are the sorted keys ``source * n_states + target`` of the allowed
    transitions (binary search: memory O(allowed), not touchpoints squared). The first
    event deviates when its touchpoint is not an allowed start; event ``i > 0`` deviates
    when the transition from event ``i - 1`` is not allowed.
    """
    n_cases = offsets.shape[0] - 1
    n_allowed = allowed_keys.shape[0]
    out = np.full(n_cases, -1, dtype=np.int64)
    for case in range(n_cases):
        lo = offsets[case]
        hi = offsets[case + 1]
        if hi <= lo:
            continue
        if not allowed_start[codes[lo]]:
            out[case] = lo
            continue
        for i in range(lo + 1, hi):
            key = codes[i - 1] * n_states + codes[i]
            at = np.searchsorted(allowed_keys, key)
            if at >= n_allowed or allowed_keys[at] != key:
                out[case] = i
                break
    return out


@kernel(example=lambda: (_CODES, _OFFSETS, np.array([1, 0], dtype=np.int64)))
def gather_paths(codes, offsets, rows):
    """The CSR arrays ``(codes, offsets)`` of the paths ``rows``, in that order (one pass;
    no index array of the output's size)."""
    n_rows = rows.shape[0]
    new_offsets = np.empty(n_rows + 1, dtype=np.int64)
    new_offsets[0] = 0
    for r in range(n_rows):
        new_offsets[r + 1] = new_offsets[r] + offsets[rows[r] + 1] - offsets[rows[r]]
    out = np.empty(new_offsets[n_rows], dtype=codes.dtype)
    for r in range(n_rows):
        lo = offsets[rows[r]]
        at = new_offsets[r]
        for i in range(new_offsets[r + 1] - at):
            out[at + i] = codes[lo + i]
    return out, new_offsets
