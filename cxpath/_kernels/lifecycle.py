"""Pairing lifecycle start and complete events into activity instances."""

from __future__ import annotations

import numpy as np

from ._jit import kernel


def _example():
    return (np.array([0, 0, 0], dtype=np.int64), np.array([0, 1, 0], dtype=np.int64),
            np.array([1, 1, 0], dtype=np.int64), 2)


@kernel(example=_example)
def pair_lifecycle(cases, activities, is_start, n_activities):
    """FIFO pairing of start and complete events of the same activity within each case.

    Rows are in time order within each case and cases are contiguous. A complete event
    takes the earliest still-open start of its activity in its case; a complete with no open
    start stays unpaired, and starts never completed stay open.

    Returns ``match``: for a complete row the row of its start (-1 when unpaired), for a
    start row -2 when it was paired and -1 when it stayed open.
    """
    n = cases.shape[0]
    match = np.full(n, -1, dtype=np.int64)
    following = np.full(n, -1, dtype=np.int64)  # next open start of the same activity
    head = np.full(n_activities, -1, dtype=np.int64)
    tail = np.full(n_activities, -1, dtype=np.int64)
    lo = 0
    while lo < n:
        hi = lo
        while hi < n and cases[hi] == cases[lo]:
            hi += 1
        for i in range(lo, hi):
            a = activities[i]
            if is_start[i]:
                if tail[a] < 0:
                    head[a] = i
                else:
                    following[tail[a]] = i
                tail[a] = i
            elif head[a] >= 0:
                s = head[a]
                match[i] = s
                match[s] = -2
                head[a] = following[s]
                if head[a] < 0:
                    tail[a] = -1
        for i in range(lo, hi):
            head[activities[i]] = -1
            tail[activities[i]] = -1
        lo = hi
    return match
