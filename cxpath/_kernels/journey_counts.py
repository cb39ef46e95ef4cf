"""The first-order counts of journeys in one pass over the events (JourneyStats, graphs)."""

from __future__ import annotations

import numpy as np

from ._jit import kernel
from .bucket_select import BUCKETS, bucket, sort_key
from .memory import huge_pages

_CODES = np.array([0, 1, 1, 0], dtype=np.int64)
_OFFSETS = np.array([0, 3, 4], dtype=np.int64)



@kernel()
def transition_wait(times, event_starts, i, floor):
    """Seconds from event ``i``'s completion to event ``i + 1``'s start, rounded to the
    microsecond (clock noise), and 0 below ``floor`` (0 for activity instances, whose
    overlaps are not waits; -inf otherwise). The one wait rule of the journey kernels."""
    w = np.rint((event_starts[i + 1] - times[i]) * 1e6) / 1e6
    return 0.0 if w < floor else w

def _example():
    times = np.array([0.0, 60.0, 90.0, 10.0])
    return (_CODES, _OFFSETS, np.ones(2), np.array([True, False]), times, times, False, 2,
            np.zeros((4, BUCKETS), dtype=np.int64))


@kernel(example=_example)
def first_order_counts(codes, offsets, weight, success, times, event_starts, intervals,
                       n_states, hist):
    """Everything :func:`cxpath.journeys.stats._counts` counts, in one pass over the events.

    ``weight`` and ``success`` are per case; ``times``/``event_starts`` per event (empty
    without times); ``intervals`` says whether events are activity instances (start
    ``event_starts``, completion ``times``: service times are counted and waits clipped at
    0). Transitions are counted in a dense ``n_states²`` table (the caller keeps that
    bounded).

    Returns ``(per_state, per_edge, edge_waits, edge_wait_count)``: ``per_state`` is
    ``(11, n)`` — starts, ends, successful ends, visits, reach, successful reach, service
    sum, minimum and maximum, unweighted events, wait sum out of the touchpoint (its
    dwell) —; ``per_edge`` ``(2, n²)`` weighted and
    successful counts; ``edge_waits`` ``(3, n²)`` wait sum, minimum and maximum;
    ``edge_wait_count`` the unweighted transitions. Sums run in event order (as
    ``numpy.bincount``), waits are rounded to the microsecond (as
    ``journeys.model.elapsed``), and minima and maxima propagate NaN (as
    ``numpy.minimum``), so the results equal the array formulation's.

    ``hist``, when it has rows (``(n_states², BUCKETS)``, zeros), also gets the waits
    counted per transition and bucket, as :func:`wait_histograms` counts them: the journey
    graph's quantiles then need one pass over the events fewer (single-threaded, 20M
    events: 0.25 s for both, against 0.22 + 0.10 s apart).
    """
    # np.empty and explicit fill loops, not np.zeros/np.full/slice assignment: numba
    # compiles those generic implementations on the first call (cxpath#19)
    n = n_states
    n_cases = offsets.shape[0] - 1
    per_state = np.empty((11, n))
    last = np.empty(n, dtype=np.int64)
    for c in range(n):
        for r in range(11):
            per_state[r, c] = 0.0
        per_state[7, c] = np.inf
        per_state[8, c] = -np.inf
        last[c] = -1
    per_edge = np.empty((2, n * n))
    edge_waits = np.empty((3, n * n))
    edge_wait_count = np.empty(n * n, dtype=np.int64)
    for key in range(n * n):
        per_edge[0, key] = 0.0
        per_edge[1, key] = 0.0
        edge_waits[0, key] = 0.0
        edge_waits[1, key] = np.inf
        edge_waits[2, key] = -np.inf
        edge_wait_count[key] = 0
    timed = times.shape[0] > 0
    binned = timed and hist.shape[0] > 0
    floor = 0.0 if intervals else -np.inf  # waits below it become 0 (never, at -inf)
    for case in range(n_cases):
        lo = offsets[case]
        hi = offsets[case + 1]
        if hi == lo:
            continue
        w = weight[case]
        ws = w * success[case]
        per_state[0, codes[lo]] += w
        per_state[1, codes[hi - 1]] += w
        per_state[2, codes[hi - 1]] += ws
        for i in range(lo, hi):
            c = codes[i]
            per_state[3, c] += w
            per_state[9, c] += 1.0
            # reach without a branch: the first visit in a case is unpredictable (a
            # branch was a fifth of the pass); weights are finite, so + 0.0 changes no sum
            first = 1.0 if last[c] != case else 0.0
            last[c] = case
            per_state[4, c] += w * first
            per_state[5, c] += ws * first
            if intervals:
                s = np.rint((times[i] - event_starts[i]) * 1e6) / 1e6
                per_state[6, c] += s
                if not np.isnan(per_state[7, c]) and (np.isnan(s) or s < per_state[7, c]):
                    per_state[7, c] = s
                if not np.isnan(per_state[8, c]) and (np.isnan(s) or s > per_state[8, c]):
                    per_state[8, c] = s
            if i + 1 < hi:
                key = c * n + codes[i + 1]
                per_edge[0, key] += w
                per_edge[1, key] += ws
                wait = 0.0
                if timed:
                    wait = transition_wait(times, event_starts, i, floor)
                edge_waits[0, key] += wait
                per_state[10, c] += wait
                if not np.isnan(edge_waits[1, key]) and (np.isnan(wait)
                                                         or wait < edge_waits[1, key]):
                    edge_waits[1, key] = wait
                if not np.isnan(edge_waits[2, key]) and (np.isnan(wait)
                                                         or wait > edge_waits[2, key]):
                    edge_waits[2, key] = wait
                edge_wait_count[key] += 1
                if binned:
                    hist[key, bucket(sort_key(wait))] += 1
    return per_state, per_edge, edge_waits, edge_wait_count


def _transitions_example():
    times = np.array([0.0, 60.0, 90.0, 10.0])
    return (_CODES, _OFFSETS, times, times, False, True)


@kernel(example=_transitions_example)
def transitions(codes, offsets, times, event_starts, intervals, with_case):
    """Source, target, wait and case of every transition inside a case, in event order.

    Waits as :func:`first_order_counts` computes them (0 without times); the case array is
    empty unless ``with_case``. One pass, instead of an index, two gathers and a rounding
    of whole arrays.
    """
    n_cases = offsets.shape[0] - 1
    total = 0
    for case in range(n_cases):
        length = offsets[case + 1] - offsets[case]
        if length > 1:
            total += length - 1
    src = np.empty(total, dtype=np.int64)
    dst = np.empty(total, dtype=np.int64)
    wait = np.empty(total)
    owner = np.empty(total if with_case else 0, dtype=np.int64)
    huge_pages(src.ctypes.data, src.nbytes)
    huge_pages(dst.ctypes.data, dst.nbytes)
    huge_pages(owner.ctypes.data, owner.nbytes)
    huge_pages(wait.ctypes.data, wait.nbytes)
    # one pass per output, no loop-invariant flag tested inside a loop (LLVM would unswitch
    # it into copies of the loop: compile time, cxpath#19)
    out = 0
    for case in range(n_cases):
        for i in range(offsets[case], offsets[case + 1] - 1):
            src[out] = codes[i]
            dst[out] = codes[i + 1]
            out += 1
    if times.shape[0] > 0:
        floor = 0.0 if intervals else -np.inf  # waits below it become 0 (never, at -inf)
        out = 0
        for case in range(n_cases):
            for i in range(offsets[case], offsets[case + 1] - 1):
                w = transition_wait(times, event_starts, i, floor)
                wait[out] = w
                out += 1
    else:
        for k in range(total):
            wait[k] = 0.0
    if with_case:
        out = 0
        for case in range(n_cases):
            for _ in range(offsets[case], offsets[case + 1] - 1):
                owner[out] = case
                out += 1
    return src, dst, wait, owner


def _wait_example():
    times = np.array([0.0, 60.0, 90.0, 10.0])
    return (_CODES, _OFFSETS, times, times, False, 0, 2, 2, np.zeros(4, dtype=np.int64),
            np.empty(2))


@kernel(example=_wait_example)
def scatter_waits(codes, offsets, times, event_starts, intervals, case_lo, case_hi, n_states,
                  cursor, out):
    """Write the wait of every transition of cases ``[case_lo, case_hi)`` grouped by key.

    The wait of transition ``c -> d`` (as :func:`first_order_counts` computes it) goes to
    ``out[cursor[c * n_states + d]]`` and the cursor moves on, so with cursors at each key's
    start (a prefix sum of the key counts) ``out`` ends up grouped by key, in event order
    within a key. Disjoint case ranges with disjoint cursors may run on threads at once.
    """
    floor = 0.0 if intervals else -np.inf  # waits below it become 0 (never, at -inf)
    for case in range(case_lo, case_hi):
        for i in range(offsets[case], offsets[case + 1] - 1):
            w = transition_wait(times, event_starts, i, floor)
            key = codes[i] * n_states + codes[i + 1]
            out[cursor[key]] = w
            cursor[key] += 1


@kernel(example=lambda: (_CODES, _OFFSETS, 0, 2, 2))
def key_counts(codes, offsets, case_lo, case_hi, n_states):
    """Transitions of cases ``[case_lo, case_hi)`` per key ``source * n_states + target``."""
    counts = np.empty(n_states * n_states, dtype=np.int64)
    for key in range(n_states * n_states):
        counts[key] = 0
    for case in range(case_lo, case_hi):
        for i in range(offsets[case], offsets[case + 1] - 1):
            counts[codes[i] * n_states + codes[i + 1]] += 1
    return counts


def _histogram_example():
    times = np.array([0.0, 60.0, 90.0, 10.0])
    return (_CODES, _OFFSETS, times, times, False, 0, 2, 2)


@kernel(example=_histogram_example)
def wait_histograms(codes, offsets, times, event_starts, intervals, case_lo, case_hi,
                    n_states):
    """The waits of the transitions of cases ``[case_lo, case_hi)`` (as
    :func:`first_order_counts` computes them) counted per key ``source * n_states + target``
    and :mod:`~cxpath._kernels.bucket_select` bucket: ``(n_states², BUCKETS)``."""
    hist = np.empty((n_states * n_states, BUCKETS), dtype=np.int64)
    huge_pages(hist.ctypes.data, hist.nbytes)
    for key in range(n_states * n_states):
        for b in range(BUCKETS):
            hist[key, b] = 0
    floor = 0.0 if intervals else -np.inf  # waits below it become 0 (never, at -inf)
    for case in range(case_lo, case_hi):
        for i in range(offsets[case], offsets[case + 1] - 1):
            w = transition_wait(times, event_starts, i, floor)
            hist[codes[i] * n_states + codes[i + 1], bucket(sort_key(w))] += 1
    return hist


def _gather_wait_example():
    slots = np.full((4, BUCKETS), -1, dtype=np.int64)
    return (*_histogram_example(), slots, slots[:2].copy(), np.empty(0, dtype=np.int64))


@kernel(example=_gather_wait_example)
def gather_wait_keys(codes, offsets, times, event_starts, intervals, case_lo, case_hi,
                     n_states, edge_slots, source_slots, out):
    """The :func:`~cxpath._kernels.bucket_select.sort_key` of each wait of cases
    ``[case_lo, case_hi)`` whose bucket has a slot for its transition key (``edge_slots``)
    or its source (``source_slots``) goes there, the slot moving on
    (:func:`~cxpath._kernels.bucket_select.gather_value_keys` for the journeys' waits,
    computed on the way). Disjoint slots may run on threads at once."""
    floor = 0.0 if intervals else -np.inf  # waits below it become 0 (never, at -inf)
    for case in range(case_lo, case_hi):
        for i in range(offsets[case], offsets[case + 1] - 1):
            w = transition_wait(times, event_starts, i, floor)
            k = sort_key(w)
            b = bucket(k)
            c = codes[i]
            key = c * n_states + codes[i + 1]
            at = edge_slots[key, b]
            if at >= 0:
                out[at] = k
                edge_slots[key, b] = at + 1
            at = source_slots[c, b]
            if at >= 0:
                out[at] = k
                source_slots[c, b] = at + 1
