"""The life table of whole-number durations (days, weeks, months) by counting, in two passes."""

from __future__ import annotations

import math

import numpy as np

from ._jit import kernel

__all__ = ["whole_number_table"]


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
    for i in range(n):
        x = t[i]
        if x != math.floor(x):
            return empty, empty, empty, False
        if x < lo:
            lo = x
        elif x > hi:
            hi = x
    if hi - lo >= 4 * n + 1024:
        return empty, empty, empty, False
    size = int(hi - lo) + 1
    total = np.zeros(size)
    events = np.zeros(size)
    weighted = weights.shape[0] > 0
    for i in range(n):
        k = int(t[i] - lo)
        w = weights[i] if weighted else 1.0
        total[k] += w
        if event[i]:
            events[k] += w
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
