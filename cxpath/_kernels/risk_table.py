"""The life table of durations and the Kaplan–Meier product over it.

:func:`whole_number_table` groups whole-number durations (days, weeks, months) by counting;
:func:`sorted_table` groups any non-negative durations without weights by one radix sort of
keys that pack each duration's IEEE-754 bits with its event flag (for floats >= 0 the bit
pattern read as an unsigned integer orders as the value does), so that no index array is
sorted or gathered. :func:`product_limit` walks the table once for the survival curve and
Greenwood's sum, with the operations in the order the numpy formulation uses (the results
are the same floats).
"""

from __future__ import annotations

import math

import numpy as np

from ._jit import kernel

__all__ = ["product_limit", "sorted_table", "whole_number_table"]

_DIGIT = 8  # radix-sort digit width: 256 buckets keep the scatter cache- and TLB-friendly
_PASSES = 64 // _DIGIT


@kernel(example=lambda: (np.array([3.0, 1.0, 3.0]), np.array([True, False, True]),
                         np.zeros(0)))
def whole_number_table(t, event, weights):
    """``(times, total weight, event weight, done)`` per distinct duration, by counting.

    ``done`` is False (and the arrays empty) unless every duration is a whole number and
    their range is below ``4 n + 1024`` (so the counts take memory of the order of the
    data): the caller then sorts. ``weights`` empty means 1 each. Sums run in row order,
    as ``numpy.bincount``'s.
    """
    n = t.shape[0]
    empty = np.zeros(0)
    if n == 0:
        return empty, empty, empty, False
    lo = t[0]
    hi = t[0]
    block = 4096  # branch-free blocks, so that fractional durations stop the scan early
    for a in range(0, n, block):
        whole = True
        for i in range(a, min(a + block, n)):
            x = t[i]
            whole &= x == math.floor(x)
            lo = min(lo, x)
            hi = max(hi, x)
        if not whole:
            return empty, empty, empty, False
    if hi - lo >= 4 * n + 1024:
        return empty, empty, empty, False
    size = int(hi - lo) + 1
    total = np.zeros(size)
    events = np.zeros(size)
    if weights.shape[0] > 0:
        for i in range(n):
            k = int(t[i] - lo)
            total[k] += weights[i]
            if event[i]:
                events[k] += weights[i]
    else:
        counts = np.zeros(2 * size, dtype=np.int64)  # (censored, event) of each duration
        for i in range(n):
            counts[2 * int(t[i] - lo) + (1 if event[i] else 0)] += 1
        for k in range(size):
            events[k] = counts[2 * k + 1]
            total[k] = counts[2 * k] + counts[2 * k + 1]
    m = 0
    for k in range(size):
        if total[k] > 0.0:
            m += 1
    times = np.empty(m)
    total_out = np.empty(m)
    events_out = np.empty(m)
    j = 0
    for k in range(size):
        if total[k] > 0.0:
            times[j] = lo + k
            total_out[j] = total[k]
            events_out[j] = events[k]
            j += 1
    return times, total_out, events_out, True


@kernel(example=lambda: (np.array([2.5, 0.5, 2.5]), np.array([True, False, False])))
def sorted_table(t, event):
    """``(times, at risk, events, censored)`` per distinct duration (``t >= 0``, weight 1).

    The key of a row is ``bits(t) · 2 + event`` (``-0.0`` read as ``0.0``; the sign bit of
    a non-negative float is 0, so the shift loses nothing); an LSD radix sort of the keys
    (8-bit digits, a pass skipped when all keys share its digit) orders them by duration,
    and one walk counts rows and events per distinct duration. The counts are whole
    numbers, so the number at risk (rows not yet gone) is exact in any summation order.
    """
    n = t.shape[0]
    keys = np.empty(n, dtype=np.uint64)
    bits = t.view(np.uint64)
    negative_zero = np.uint64(1) << np.uint64(63)
    one = np.uint64(1)
    radix = 1 << _DIGIT
    mask = np.uint64(radix - 1)
    hist = np.zeros((_PASSES, radix), dtype=np.int64)
    for i in range(n):
        b = bits[i]
        if b == negative_zero:
            b = np.uint64(0)
        k = (b << one) | (one if event[i] else np.uint64(0))
        keys[i] = k
        for p in range(_PASSES):
            hist[p, (k >> np.uint64(_DIGIT * p)) & mask] += 1
    first = keys[0] if n > 0 else np.uint64(0)
    src = keys
    dst = np.empty(n, dtype=np.uint64)
    offset = np.empty(radix, dtype=np.int64)
    for p in range(_PASSES):
        if hist[p, (first >> np.uint64(_DIGIT * p)) & mask] == n:
            continue  # every key has this digit: the pass would not move anything
        acc = 0
        for r in range(radix):
            offset[r] = acc
            acc += hist[p, r]
        shift = np.uint64(_DIGIT * p)
        for i in range(n):
            k = src[i]
            r = (k >> shift) & mask
            dst[offset[r]] = k
            offset[r] += 1
        src, dst = dst, src
    m = 0
    for i in range(n):
        if i == 0 or (src[i] >> one) != (src[i - 1] >> one):
            m += 1
    times = np.empty(m)
    at_risk = np.empty(m)
    events = np.zeros(m)
    censored = np.zeros(m)
    time_bits = times.view(np.uint64)
    j = -1
    for i in range(n):
        k = src[i]
        if i == 0 or (k >> one) != (src[i - 1] >> one):
            j += 1
            time_bits[j] = k >> one
            at_risk[j] = n - i
        if k & one:
            events[j] += 1.0
        else:
            censored[j] += 1.0
    return times, at_risk, events, censored


@kernel(example=lambda: (np.array([3.0, 2.0, 1.0]), np.array([1.0, 0.0, 1.0])))
def product_limit(at_risk, events):
    """``(survival, greenwood)``: ``S = Π (1 − d/n)`` (factors clipped to [0, 1], 1 where
    ``n = 0``) and the running sum of ``d / (n (n − d))`` over terms with ``n > d > 0``."""
    m = at_risk.shape[0]
    survival = np.empty(m)
    greenwood = np.empty(m)
    s = 1.0
    g = 0.0
    for i in range(m):
        n = at_risk[i]
        d = events[i]
        factor = 1.0 - d / n if n > 0 else 1.0
        s *= min(max(factor, 0.0), 1.0)
        if n > d and d > 0:
            g += d / (n * (n - d))
        survival[i] = s
        greenwood[i] = g
    return survival, greenwood
