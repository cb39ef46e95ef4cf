"""Synthetic event logs for the benchmarks (seeded, vectorised).

``event_log(n_cases)`` draws journeys over ``n_touchpoints`` touchpoints from a random
first-order chain with an absorbing end, lengths 1–20 (mean about 7.5), start times spread
over a year and exponential gaps between events. Rows are in global time order, so cases
are interleaved as in a real export.
"""

from __future__ import annotations

import numpy as np


def encoded_log(n_cases: int = 200_000, n_touchpoints: int = 12, seed: int = 0):
    """Integer arrays: case code, touchpoint code, epoch seconds (sorted by time)."""
    rng = np.random.default_rng(seed)
    lengths = np.clip(rng.poisson(6.5, n_cases) + 1, 1, 20)
    n = int(lengths.sum())
    case = np.repeat(np.arange(n_cases, dtype=np.int64), lengths)
    # touchpoints: a sticky random walk over the touchpoints
    steps = rng.integers(-2, 3, n)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    walk = np.cumsum(steps)
    walk -= np.repeat(walk[starts], lengths)
    first = np.repeat(rng.integers(0, n_touchpoints, n_cases), lengths)
    touch = (first + walk) % n_touchpoints
    t0 = np.repeat(rng.uniform(1.7e9, 1.7e9 + 365 * 86400, n_cases), lengths)
    gaps = rng.exponential(3600.0, n)
    gaps[starts] = 0.0
    cum = np.cumsum(gaps)
    times = t0 + cum - np.repeat(cum[starts], lengths)
    order = np.argsort(times, kind="stable")
    return case[order], touch[order].astype(np.int64), np.round(times[order])


def event_log(n_cases: int = 200_000, n_touchpoints: int = 12, seed: int = 0) -> dict:
    """String case ids and touchpoints with datetime64[ns] timestamps, as a dict of columns."""
    case, touch, times = encoded_log(n_cases, n_touchpoints, seed)
    labels = np.array([f"touchpoint_{i:02d}" for i in range(n_touchpoints)], dtype=object)
    case_labels = np.array([f"C{i:07d}" for i in range(n_cases)], dtype=object)
    return {"case": case_labels[case], "touchpoint": labels[touch],
            "timestamp": (times * 1e9).astype("int64").astype("datetime64[ns]")}
