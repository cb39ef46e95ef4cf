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


_BATCH = 64  # cases (rows) whose random loads are issued together: path_groups, gather_paths


@kernel(example=lambda: (_CODES, _OFFSETS))
def path_groups(codes, offsets):
    """Group cases by their code sequence, numbered by first appearance.

    Exact, with no per-case array but the hashes and groups: hash every case (as
    :func:`case_hashes`), group equal hashes in an open-addressing table (O(n) expected,
    against the O(n log n) sort of ``numpy.unique``), then compare every case, code by
    code, with its group's first case. Both random-access passes go in batches of ``_BATCH``
    cases: the batch's loads are read first into small buffers (independent loads, which
    the processor overlaps), then used — a slot, once filled, never changes, so a filled
    slot read ahead is still valid. Returns ``(group, first, group_hash)``; a case whose
    hash is a group's but whose codes differ (a 64-bit collision) gets group -1.
    """
    n = offsets.shape[0] - 1
    hashes = case_hashes(codes, offsets)
    size = 2
    while 2 * size < 3 * n:  # load at most 2/3
        size *= 2
    mask = np.uint64(size - 1)
    # one row per slot: (hash, group + 1), 0 for an empty slot: a probe touches one line
    table = np.zeros((size, 2), dtype=np.uint64)
    group = np.empty(n, dtype=np.int64)
    first = np.empty(n, dtype=np.int64)
    ahead_slot = np.empty(_BATCH, dtype=np.uint64)
    ahead_group = np.empty(_BATCH, dtype=np.int64)
    ahead_hash = np.empty(_BATCH, dtype=np.uint64)
    n_groups = 0
    for batch in range(0, n, _BATCH):
        end = min(batch + _BATCH, n)
        for k in range(end - batch):
            h = hashes[batch + k]
            slot = (h ^ (h >> np.uint64(31))) & mask
            ahead_slot[k] = slot
            ahead_group[k] = np.int64(table[slot, 1]) - 1
            ahead_hash[k] = table[slot, 0]
        for k in range(end - batch):
            case = batch + k
            h = hashes[case]
            slot = ahead_slot[k]
            g = ahead_group[k]
            slot_h = ahead_hash[k]
            while True:
                if g < 0:
                    g = np.int64(table[slot, 1]) - 1  # filled by an earlier case of the batch?
                    slot_h = table[slot, 0]
                if g < 0:
                    table[slot, 0] = h
                    table[slot, 1] = np.uint64(n_groups + 1)
                    first[n_groups] = case
                    group[case] = n_groups
                    n_groups += 1
                    break
                if slot_h == h:
                    group[case] = g
                    break
                slot = (slot + np.uint64(1)) & mask
                g = np.int64(table[slot, 1]) - 1
                slot_h = table[slot, 0]
    other_case = np.empty(_BATCH, dtype=np.int64)
    other_lo = np.empty(_BATCH, dtype=np.int64)
    other_len = np.empty(_BATCH, dtype=np.int64)
    other_head = np.empty(_BATCH, dtype=codes.dtype)
    for batch in range(0, n, _BATCH):
        end = min(batch + _BATCH, n)
        for k in range(end - batch):
            other = first[group[batch + k]]
            other_case[k] = other
            other_lo[k] = offsets[other]
            other_len[k] = offsets[other + 1] - other_lo[k]
        for k in range(end - batch):
            if other_len[k] > 0:
                other_head[k] = codes[other_lo[k]]
        for k in range(end - batch):
            case = batch + k
            lo, hi = offsets[case], offsets[case + 1]
            olo = other_lo[k]
            if other_case[k] == case:  # the group's first case: nothing to compare
                continue
            if other_len[k] != hi - lo or (hi > lo and other_head[k] != codes[lo]):
                group[case] = -1
                continue
            for i in range(1, hi - lo):
                if codes[lo + i] != codes[olo + i]:
                    group[case] = -1
                    break
    group_hash = np.empty(n_groups, dtype=np.uint64)
    for g in range(n_groups):
        group_hash[g] = hashes[first[g]]
    return group, first[:n_groups].copy(), group_hash


_DIGIT = 11  # bits of the hash sorted per radix pass (2,048 buckets: an L1-sized histogram)
_TOP_BITS = 22  # at most this many top hash bits sorted by radix passes in length_hash_order
_RUN = 32  # runs of equal (length, top bits) longer than this are merge-sorted, not inserted


@kernel(example=lambda: (np.array([2, 1], dtype=np.int64),
                         np.array([5, 3], dtype=np.uint64)))
def length_hash_order(lengths, hashes):
    """The stable order of the items by ``(length, hash)``: ``numpy.lexsort((hashes,
    lengths))``, in O(n) expected.

    Stable least-significant-digit radix passes order the items by the top bits of their
    hash (``_DIGIT`` bits a pass, up to ``_TOP_BITS``: about 2n buckets in all), then by
    length (lengths up to the number of items in one counting pass, longer ones by more);
    the runs of items sharing their length and top bits (most are single items) are then
    sorted by the whole hash, stably: by insertion, or a merge sort for runs longer than
    ``_RUN``.
    """
    n = lengths.shape[0]
    bits = 1
    while bits < _TOP_BITS and (n >> (bits - 1)) > 0:
        bits += 1
    down = np.uint64(64 - bits)
    order = np.arange(n)
    spare = np.empty(n, dtype=np.int64)
    key = hashes.copy()  # the hashes in the current order: each pass reads them in sequence
    spare_key = np.empty(n, dtype=np.uint64)
    buckets = 1 << _DIGIT
    count = np.empty(buckets + 1, dtype=np.int64)
    digit_mask = np.uint64(buckets - 1)
    for shift in range(64 - bits, 64, _DIGIT):
        digit_bits = min(_DIGIT, 64 - shift)
        mask = digit_mask >> np.uint64(_DIGIT - digit_bits)
        for b in range(buckets + 1):
            count[b] = 0
        for i in range(n):
            count[((key[i] >> np.uint64(shift)) & mask) + 1] += 1
        for b in range(buckets):
            count[b + 1] += count[b]
        for i in range(n):
            d = (key[i] >> np.uint64(shift)) & mask
            spare[count[d]] = order[i]
            spare_key[count[d]] = key[i]
            count[d] += 1
        order, spare = spare, order
        key, spare_key = spare_key, key
    top = 0
    for i in range(n):
        top = max(top, lengths[i])
    width = min(top, max(n, buckets)) + 1  # one counting pass per `width` lengths
    cells = np.empty(width + 1, dtype=np.int64)
    run_length = np.empty(n, dtype=np.int64)  # the lengths in the final order
    base = 1
    while True:
        for b in range(width + 1):
            cells[b] = 0
        for i in range(n):
            cells[(lengths[i] // base) % width + 1] += 1
        for b in range(width):
            cells[b + 1] += cells[b]
        for i in range(n):
            item = order[i]
            d = (lengths[item] // base) % width
            spare[cells[d]] = item
            spare_key[cells[d]] = key[i]
            run_length[cells[d]] = lengths[item]
            cells[d] += 1
        order, spare = spare, order
        key, spare_key = spare_key, key
        if top // base < width:
            break
        base *= width
    lo = 0
    while lo < n:  # the runs of one length and top bits: by the whole hash, stably
        head = key[lo] >> down
        hi = lo + 1
        while hi < n and key[hi] >> down == head and run_length[hi] == run_length[lo]:
            hi += 1
        if hi - lo > _RUN:
            local = np.argsort(key[lo:hi], kind="mergesort")
            run_items = order[lo:hi][local]
            run_keys = key[lo:hi][local]
            for t in range(hi - lo):
                order[lo + t] = run_items[t]
                key[lo + t] = run_keys[t]
        else:
            for t in range(lo + 1, hi):
                item, h = order[t], key[t]
                at = t
                while at > lo and key[at - 1] > h:
                    order[at] = order[at - 1]
                    key[at] = key[at - 1]
                    at -= 1
                order[at] = item
                key[at] = h
        lo = hi
    return order


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
    no index array of the output's size). Rows go in batches of ``_BATCH``: their starts
    and first codes are read ahead (independent loads, which the processor overlaps), so
    that rows in random order cost about as much as rows in order."""
    n_rows = rows.shape[0]
    new_offsets = np.empty(n_rows + 1, dtype=np.int64)
    new_offsets[0] = 0
    for r in range(n_rows):
        new_offsets[r + 1] = new_offsets[r] + offsets[rows[r] + 1] - offsets[rows[r]]
    out = np.empty(new_offsets[n_rows], dtype=codes.dtype)
    ahead_lo = np.empty(_BATCH, dtype=np.int64)
    ahead_head = np.empty(_BATCH, dtype=codes.dtype)
    for batch in range(0, n_rows, _BATCH):
        end = min(batch + _BATCH, n_rows)
        for k in range(end - batch):
            ahead_lo[k] = offsets[rows[batch + k]]
        for k in range(end - batch):  # the loads are the point: the copy below then hits
            if new_offsets[batch + k + 1] > new_offsets[batch + k]:
                ahead_head[k] = codes[ahead_lo[k]]
        for k in range(end - batch):
            lo = ahead_lo[k]
            at = new_offsets[batch + k]
            for i in range(new_offsets[batch + k + 1] - at):
                out[at + i] = codes[lo + i]
    return out, new_offsets
