"""Business-calendar kernels: open seconds before an instant, and business durations.

A calendar's opening hours over a span of dates are precomputed (``cxpath.calendar``) as
sorted, disjoint UTC intervals ``[starts[i], starts[i] + lens[i])`` with ``cum_start[i]``
the open seconds before ``starts[i]``. ``bucket_first[k]`` is the last interval starting at
or before ``t0 + k * width`` (``-1`` when none), so an instant finds its interval in O(1)
plus a short forward scan instead of a binary search.
"""

from __future__ import annotations

import numpy as np

from ._jit import kernel


def _example():
    starts = np.array([0.0, 100.0])
    lens = np.array([50.0, 50.0])
    cum = np.array([0.0, 50.0])
    buckets = np.array([0, 1], dtype=np.int64)
    return np.array([10.0, 120.0]), starts, lens, cum, buckets, 0.0, 100.0


@kernel(example=_example)
def cum_open(times, starts, lens, cum_start, bucket_first, t0, width):
    """Open seconds before each of ``times`` (NaN stays NaN)."""
    n = times.shape[0]
    m = starts.shape[0]
    nb = bucket_first.shape[0]
    inv = 1.0 / width
    out = np.empty(n, dtype=np.float64)
    for j in range(n):
        t = times[j]
        if np.isnan(t):
            out[j] = np.nan
            continue
        c = 0.0
        if t >= t0:
            k = int((t - t0) * inv)  # truncation is the floor here (t >= t0)
            if k >= nb:
                k = nb - 1
            i = bucket_first[k]
            while i + 1 < m and starts[i + 1] <= t:  # short scan inside the bucket
                i += 1
            if i >= 0:
                c = cum_start[i] + min(t - starts[i], lens[i])
        out[j] = c
    return out


def _example_durations():
    times, starts, lens, cum, buckets, t0, width = _example()
    return times, times[::-1].copy(), starts, lens, cum, buckets, t0, width


@kernel(example=_example_durations)
def business_durations(start, end, starts, lens, cum_start, bucket_first, t0, width):
    """Open seconds from each ``start`` to each ``end`` (negative when ``end < start``).

    The lookup of :func:`cum_open`, written out twice in the loop (a call per end point
    measured about ten times slower than the inlined loop).
    """
    n = start.shape[0]
    m = starts.shape[0]
    nb = bucket_first.shape[0]
    inv = 1.0 / width
    out = np.empty(n, dtype=np.float64)
    for j in range(n):
        a = start[j]
        b = end[j]
        if np.isnan(a) or np.isnan(b):
            out[j] = np.nan
            continue
        ca = 0.0
        if a >= t0:
            k = int((a - t0) * inv)
            if k >= nb:
                k = nb - 1
            i = bucket_first[k]
            while i + 1 < m and starts[i + 1] <= a:
                i += 1
            if i >= 0:
                ca = cum_start[i] + min(a - starts[i], lens[i])
        cb = 0.0
        if b >= t0:
            k = int((b - t0) * inv)
            if k >= nb:
                k = nb - 1
            i = bucket_first[k]
            while i + 1 < m and starts[i + 1] <= b:
                i += 1
            if i >= 0:
                cb = cum_start[i] + min(b - starts[i], lens[i])
        out[j] = cb - ca
    return out
