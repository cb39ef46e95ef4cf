"""Weighted wait totals of journeys in one pass over the events (bottlenecks)."""

from __future__ import annotations

import numpy as np

from ._jit import kernel
from .bucket_select import BUCKETS, bucket, sort_key
from .journey_counts import transition_wait


def _example():
    times = np.array([0.0, 60.0, 90.0, 10.0])
    return (np.array([0, 1, 1, 0], dtype=np.int64), np.array([0, 3, 4], dtype=np.int64),
            np.ones(2), times, times, False, 45.0, 2, np.zeros((4, BUCKETS), dtype=np.int64))


@kernel(example=_example)
def weighted_waits(codes, offsets, weight, times, event_starts, intervals, sla, n_states,
                   hist):
    """Weighted counts, waits and SLA breaches per transition and per touchpoint.

    ``weight`` is per case, ``times``/``event_starts`` per event (``intervals``: activity
    instances, waits clipped at 0). The wait of each transition is computed as
    :func:`cxpath._kernels.journey_counts.transitions` computes it.

    Returns ``(per_key, per_state)``: ``per_key`` is ``(3, n²)`` — Σ w, Σ w·wait and
    Σ w·[wait > sla] over the transitions keyed ``source * n_states + target`` —;
    ``per_state`` ``(4, n)`` the same over the transitions out of each touchpoint, then Σ w
    over its events. Sums run in event order, so they equal ``numpy.bincount`` over the
    transition (or event) list with those weights. ``hist``, when it has rows, also gets
    the waits counted as :func:`~cxpath._kernels.journey_counts.wait_histograms` counts
    them (see :func:`~cxpath._kernels.journey_counts.first_order_counts`).
    """
    n = n_states
    n_cases = offsets.shape[0] - 1
    per_key = np.empty((3, n * n))
    per_state = np.empty((4, n))
    for key in range(n * n):  # fill loops, not np.zeros: nothing generic to compile
        for r in range(3):
            per_key[r, key] = 0.0
    for c in range(n):
        for r in range(4):
            per_state[r, c] = 0.0
    floor = 0.0 if intervals else -np.inf  # waits below it become 0 (never, at -inf)
    binned = hist.shape[0] > 0
    for case in range(n_cases):
        w = weight[case]
        lo = offsets[case]
        hi = offsets[case + 1]
        for i in range(lo, hi - 1):
            c = codes[i]
            wait = transition_wait(times, event_starts, i, floor)
            late = w * (1.0 if wait > sla else 0.0)
            key = c * n + codes[i + 1]
            per_key[0, key] += w
            per_key[1, key] += w * wait
            per_key[2, key] += late
            per_state[0, c] += w
            per_state[1, c] += w * wait
            per_state[2, c] += late
            per_state[3, c] += w
            if binned:
                hist[key, bucket(sort_key(wait))] += 1
        if hi > lo:
            per_state[3, codes[hi - 1]] += w
    return per_key, per_state
