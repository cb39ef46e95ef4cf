"""Ordering kernels used when building journeys."""

from __future__ import annotations

import numpy as np

from ._jit import kernel
from .memory import huge_pages


@kernel(example=lambda: (np.array([1, 0, 1], dtype=np.int64), 2))
def key_starts(keys, n_keys):
    """Where each key's rows start in a stable sort by key (length ``n_keys + 1``)."""
    starts = np.zeros(n_keys + 1, dtype=np.int64)
    for i in range(keys.shape[0]):
        starts[keys[i] + 1] += 1
    for k in range(n_keys):
        starts[k + 1] += starts[k]
    return starts


def _example():
    return (np.array([1, 0, 1], dtype=np.int64), 2, np.zeros(3), np.zeros(3, dtype=np.int64))


@kernel(example=_example)
def group_by_key(keys, n_keys, floats, ints):
    """Stable counting sort of rows by ``keys`` (ints in ``[0, n_keys)``), in O(n + n_keys).

    Returns ``(order, floats[order], ints[order])``: the permutation and two columns carried
    along in the same pass (cheaper than gathering them afterwards).
    """
    n = keys.shape[0]
    counts = key_starts(keys, n_keys)
    order = np.empty(n, dtype=np.int64)
    floats_out = np.empty(n, dtype=np.float64)
    ints_out = np.empty(n, dtype=np.int64)
    huge_pages(order.ctypes.data, order.nbytes)
    huge_pages(floats_out.ctypes.data, floats_out.nbytes)
    huge_pages(ints_out.ctypes.data, ints_out.nbytes)
    for i in range(n):
        k = keys[i]
        pos = counts[k]
        order[pos] = i
        floats_out[pos] = floats[i]
        ints_out[pos] = ints[i]
        counts[k] = pos + 1
    return order, floats_out, ints_out


@kernel(example=lambda: (np.array([1, 0, 1], dtype=np.int64), 2, np.array([3.0, 1.0, 2.0]),
                         np.array([0.5])))
def grouped_quantiles(keys, n_keys, values, qs):
    """Quantiles (numpy's default linear method) of ``values`` within each key.

    Returns an ``(n_keys, len(qs))`` array, NaN for keys without values: a counting sort
    by key, then :func:`segment_quantiles` on the groups (selection in place, no copies).
    """
    n = keys.shape[0]
    starts = np.empty(n_keys + 1, dtype=np.int64)
    counts = np.empty(n_keys + 1, dtype=np.int64)
    for k in range(n_keys + 1):
        counts[k] = 0
    for i in range(n):
        counts[keys[i] + 1] += 1
    for k in range(n_keys):
        counts[k + 1] += counts[k]
    for k in range(n_keys + 1):
        starts[k] = counts[k]
    grouped = np.empty(n, dtype=np.float64)
    huge_pages(grouped.ctypes.data, grouped.nbytes)
    for i in range(n):
        k = keys[i]
        grouped[counts[k]] = values[i]
        counts[k] += 1
    out = np.empty((n_keys, qs.shape[0]))
    segment_quantiles(grouped, starts, np.int64(0), n_keys, qs, out)  # not literal 0: one signature
    return out


def _within_example():
    return (np.array([0, 2, 3], dtype=np.int64), np.array([2.0, 1.0, 0.0]))


@kernel(example=_within_example)
def sort_within_groups(offsets, values):
    """Stable sort of ``values`` inside each group ``offsets[g]:offsets[g + 1]``.

    Returns the permutation (global positions). Groups already in order cost one pass;
    small groups are insertion-sorted, large ones merge-sorted — much cheaper than a global
    ``lexsort`` when groups are short, as cases of an event log are.
    """
    n = values.shape[0]
    order = np.arange(n)
    for g in range(offsets.shape[0] - 1):
        lo, hi = offsets[g], offsets[g + 1]
        ordered = True
        for i in range(lo + 1, hi):
            if values[i] < values[i - 1]:
                ordered = False
                break
        if ordered:
            continue
        if hi - lo <= 32:
            for i in range(lo + 1, hi):
                j = i
                key = order[i]
                while j > lo and values[order[j - 1]] > values[key]:
                    order[j] = order[j - 1]
                    j -= 1
                order[j] = key
        else:
            local = np.argsort(values[lo:hi], kind="mergesort")
            for i in range(hi - lo):
                order[lo + i] = lo + local[i]
    return order


def _segment_example():
    return (np.array([3.0, 1.0, 2.0]), np.array([0, 2, 3], dtype=np.int64), 0, 2,
            np.array([0.5]), np.empty((2, 1)))


@kernel(example=_segment_example)
def segment_quantiles(values, bounds, seg_lo, seg_hi, qs, out):
    """Quantiles (numpy's linear method) of each segment ``values[bounds[s]:bounds[s + 1]]``.

    For segments ``s`` in ``[seg_lo, seg_hi)`` into ``out[s]`` (NaN when empty); values are
    reordered inside their segment (selection in place, no copy): insertion sort up to 64
    values, quickselect (Hoare partition, median-of-three pivot) above, each quantile
    selected among the values above the previous one when ``qs`` ascend. Order statistics
    and interpolation as ``numpy.quantile``, so the result equals it bit for bit.
    Disjoint segment ranges may run on threads at once.
    """
    n_qs = qs.shape[0]
    for s in range(seg_lo, seg_hi):
        lo = bounds[s]
        size = bounds[s + 1] - lo
        if size == 0:
            for j in range(n_qs):
                out[s, j] = np.nan
            continue
        seg = values[lo:lo + size]
        if size <= 64:
            for a in range(1, size):
                x = seg[a]
                b = a - 1
                while b >= 0 and seg[b] > x:
                    seg[b + 1] = seg[b]
                    b -= 1
                seg[b + 1] = x
        done = 0  # seg[done:] holds the values ranked done and above (ascending qs)
        for j in range(n_qs):
            pos = qs[j] * (size - 1)
            below = int(np.floor(pos))
            above = min(below + 1, size - 1)
            frac = pos - below
            if size > 64:
                if below < done:
                    done = 0
                _select(seg[done:], below - done)
                done = below + 1
            low_value = seg[below]
            high_value = low_value
            if above != below:
                high_value = seg[above]
                if size > 64:  # the next order statistic: the minimum above it
                    for t in range(above, size):
                        if seg[t] < high_value:
                            high_value = seg[t]
            out[s, j] = low_value * (1.0 - frac) + high_value * frac


@kernel()
def _select(seg, k):
    """Reorder ``seg`` so that ``seg[k]`` is its k-th smallest, smaller ones before it."""
    left = 0
    right = seg.shape[0] - 1
    while right > left:
        mid = (left + right) // 2
        x, y, z = seg[left], seg[mid], seg[right]
        pivot = max(min(x, y), min(max(x, y), z))
        i = left
        r = right
        while i <= r:
            while seg[i] < pivot:
                i += 1
            while seg[r] > pivot:
                r -= 1
            if i <= r:
                seg[i], seg[r] = seg[r], seg[i]
                i += 1
                r -= 1
        if k <= r:
            right = r
        elif k >= i:
            left = i
        else:
            break
