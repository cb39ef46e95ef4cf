"""Exact grouped quantiles by bucket selection: the order statistics they need in two reads.

A quantile (numpy's linear method) of ``n`` values interpolates between the order
statistics of ranks ``floor(q (n - 1))`` and the next one. Instead of grouping and
selecting over every value, a first read counts each group's values per *bucket* — a
monotone function of the value: the top bits of its order-preserving integer key, 8
buckets per octave from 2**-20 to 1.75 * 2**43 (1.5e13), everything below (zero,
negatives) in the first and everything above (inf, NaN) in the last —; the counts say
which buckets hold the wanted ranks (:func:`plan_selection`); a second read gathers the
keys of only those buckets (a few per cent of the values for spread-out data; at worst,
values crowding one bucket, the whole group) and :func:`select_planned` selects among
them exactly. The order statistics are the same values, so the quantiles equal a sort's
bit for bit. Values are ordered by :func:`sort_key` (float order, -0.0 before 0.0, NaN
last as in ``numpy.sort``).
"""

from __future__ import annotations

import numpy as np

from ._jit import kernel
from .ordering import _select

BUCKETS = 512
"""Buckets per group: 8 per octave over 2**-20 .. 1.75 * 2**43, plus the two open ends."""

_SHIFT = 49  # key >> 49: sign, 11 exponent bits and the top 3 mantissa bits (8 per octave)
_LOW = (1003 << 3) - 1  # bucket 1 starts at 2**-20 (biased exponent 1003)
_LOW_BITS = 0x7FFFFFFFFFFFFFFF


@kernel()
def sort_key(x):
    """An int64 ordered as the float ``x`` (-0.0 before 0.0; every NaN the largest key)."""
    if x != x:
        return np.int64(_LOW_BITS)
    b = np.float64(x).view(np.int64)
    return b ^ ((b >> 63) & np.int64(_LOW_BITS))


@kernel()
def key_value(k):
    """The float of a :func:`sort_key` key (its inverse; NaN for the NaN key)."""
    b = k ^ ((k >> 63) & np.int64(_LOW_BITS))
    return np.int64(b).view(np.float64)


@kernel()
def bucket(k):
    """The bucket (``0 .. BUCKETS - 1``) of key ``k``: monotone in ``k``."""
    return min(max((k >> _SHIFT) - _LOW, 0), BUCKETS - 1)


def _value_example():
    return (np.array([0, 1, 0], dtype=np.int64), np.array([3.0, 1.0, 2.0]), 0, 3, 2)


@kernel(example=_value_example)
def value_histograms(groups, values, lo, hi, n_groups):
    """Values ``lo:hi`` counted per group and bucket: an ``(n_groups, BUCKETS)`` table."""
    hist = np.empty((n_groups, BUCKETS), dtype=np.int64)
    for g in range(n_groups):
        for b in range(BUCKETS):
            hist[g, b] = 0
    for i in range(lo, hi):
        hist[groups[i], bucket(sort_key(values[i]))] += 1
    return hist


def _gather_example():
    slots = np.full((2, BUCKETS), -1, dtype=np.int64)
    return (np.array([0, 1, 0], dtype=np.int64), np.array([3.0, 1.0, 2.0]), 0, 3, slots,
            np.empty(0, dtype=np.int64))


@kernel(example=_gather_example)
def gather_value_keys(groups, values, lo, hi, slots, out):
    """The keys of values ``lo:hi`` whose bucket has a slot (``slots[g, b] >= 0``) go to
    ``out[slots[g, b]]``, the slot moving on; disjoint slots may run on threads at once."""
    for i in range(lo, hi):
        k = sort_key(values[i])
        g = groups[i]
        b = bucket(k)
        at = slots[g, b]
        if at >= 0:
            out[at] = k
            slots[g, b] = at + 1


def _plan_example():
    hist = np.zeros((2, BUCKETS), dtype=np.int64)
    hist[0, 3], hist[0, 9], hist[1, 0] = 2, 1, 1
    return hist, np.array([0.5, 0.9]), 0


@kernel(example=_plan_example)
def plan_selection(hist, qs, first):
    """Which buckets of each group hold the ranks its quantiles ``qs`` need.

    Returns ``(slots, plan, end)``: ``slots[g, b]`` the start of bucket ``b``'s keys in the
    candidate array (from ``first`` on, in group then bucket order) or -1 when no wanted
    rank is in it; ``plan[g, j]`` the bucket of rank ``floor(q_j (size - 1))``, that rank's
    position inside it and the bucket of the next rank (-1 for empty groups); ``end`` the
    end of the candidates.
    """
    n_groups = hist.shape[0]
    n_qs = qs.shape[0]
    slots = np.empty((n_groups, BUCKETS), dtype=np.int64)
    plan = np.empty((n_groups, n_qs, 3), dtype=np.int64)
    ranks = np.empty(2 * n_qs, dtype=np.int64)
    at = first
    for g in range(n_groups):
        size = 0
        for b in range(BUCKETS):
            slots[g, b] = -1
            size += hist[g, b]
        if size == 0:
            for j in range(n_qs):
                for t in range(3):
                    plan[g, j, t] = -1
            continue
        for j in range(n_qs):
            below = int(np.floor(qs[j] * (size - 1)))
            ranks[2 * j] = below
            ranks[2 * j + 1] = min(below + 1, size - 1)
        seen = 0  # values in the buckets before b
        for b in range(BUCKETS):
            count = hist[g, b]
            if count == 0:
                continue
            for t in range(2 * n_qs):
                r = ranks[t]
                if seen <= r < seen + count:
                    slots[g, b] = 0
                    j = t // 2
                    if t % 2 == 0:
                        plan[g, j, 0] = b
                        plan[g, j, 1] = r - seen
                    else:
                        plan[g, j, 2] = b
            seen += count
        for b in range(BUCKETS):
            if slots[g, b] == 0:
                slots[g, b] = at
                at += hist[g, b]
    return slots, plan, at


def _select_example():
    hist, qs, first = _plan_example()
    slots, plan, _ = plan_selection(hist, qs, first)
    return (np.array([5, 4, 9, 0], dtype=np.int64), hist, slots, plan, qs)


@kernel(example=_select_example)
def select_planned(keys, hist, slots, plan, qs):
    """The quantiles ``(n_groups, len(qs))`` from the gathered candidate ``keys`` of
    :func:`plan_selection` (NaN for empty groups): the wanted order statistics selected in
    their bucket's candidates (in place), interpolated as ``numpy.quantile``'s linear
    method (``a (1 - t) + b t``)."""
    n_groups = hist.shape[0]
    n_qs = qs.shape[0]
    out = np.empty((n_groups, n_qs))
    for g in range(n_groups):
        size = 0
        for b in range(BUCKETS):
            size += hist[g, b]
        for j in range(n_qs):
            if size == 0:
                out[g, j] = np.nan
                continue
            pos = qs[j] * (size - 1)
            below = int(np.floor(pos))
            frac = pos - below
            b_low, rank, b_high = plan[g, j, 0], plan[g, j, 1], plan[g, j, 2]
            start = slots[g, b_low]
            seg = keys[start:start + hist[g, b_low]]
            _select(seg, rank)
            low = seg[rank]
            high = low
            if below + 1 < size:  # the next order statistic: the least key above it
                if b_high != b_low:
                    start = slots[g, b_high]
                    seg = keys[start:start + hist[g, b_high]]
                    rank = -1
                high = seg[rank + 1]
                for t in range(rank + 2, seg.shape[0]):
                    if seg[t] < high:
                        high = seg[t]
            out[g, j] = key_value(low) * (1.0 - frac) + key_value(high) * frac
    return out
