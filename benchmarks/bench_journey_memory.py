"""Peak memory of the journey-graph family against the number of touchpoints (#18 point 1).

Journeys of about five events each over ``n_touchpoints`` touchpoints drawn uniformly, so
nearly every transition is distinct: the case that dense touchpoint × touchpoint arrays
cannot survive. Each call runs in a forked child under a 16 GiB address-space limit; a
MemoryError is reported as such. Peak memory is the child's growth in resident set.
"""

from __future__ import annotations

import multiprocessing as mp
import resource
import time

import numpy as np
from _harness import _release_free_heap, _status_kb, row

SIZES = ((5_000, 5_000), (100_000, 20_000), (1_000_000, 100_000))
QUICK_SIZES = ((5_000, 5_000), (50_000, 20_000))
LIMIT = 16 * 2**30


def journeys(n_events: int, n_touchpoints: int, seed: int = 0):
    from cxpath import Journeys

    rng = np.random.default_rng(seed)
    n_cases = n_events // 5
    case = np.sort(rng.integers(0, n_cases, n_events))
    labels = np.array([f"t{i:06d}" for i in range(n_touchpoints)], dtype=object)
    touch = labels[rng.integers(0, n_touchpoints, n_events)]
    times = 1.7e9 + np.arange(n_events) * 60.0
    success = {str(labels[0]), str(labels[1])}
    return Journeys.from_events(case=case, touchpoint=touch, timestamp=times,
                                success=success)


def _calls(j):
    from cxpath.journeys import (
        JourneyStats,
        bottlenecks,
        breakpoints,
        conformance,
        critical_path,
        journey_graph,
    )

    reference = [(j.vocab[i], j.vocab[i + 1]) for i in range(len(j.vocab) - 1)]
    return {"JourneyStats.from_journeys": lambda: JourneyStats.from_journeys(j),
            "journey_graph": lambda: journey_graph(j),
            "breakpoints": lambda: breakpoints(j),
            "breakpoints (transition)": lambda: breakpoints(j, level="transition"),
            "bottlenecks": lambda: bottlenecks(j),
            "bottlenecks (transition)": lambda: bottlenecks(j, level="transition"),
            "critical_path": lambda: critical_path(j),
            "conformance": lambda: conformance(j, reference)}


def _child(fn, queue):
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))
    _release_free_heap()
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")
    before = _status_kb("VmRSS")
    t = time.perf_counter()
    try:
        fn()
    except MemoryError as exc:
        queue.put((None, time.perf_counter() - t, f"MemoryError {exc}"[:60]))
        return
    except Exception as exc:  # reported, not hidden: the table shows it
        queue.put((None, time.perf_counter() - t, f"{type(exc).__name__}: {exc}"[:60]))
        return
    queue.put(((_status_kb("VmHWM") - before) / 1024.0, time.perf_counter() - t, ""))


def measure(fn):
    """(peak MiB or None, seconds, note) of ``fn()`` in a forked child."""
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(fn, queue))
    proc.start()
    proc.join()
    return queue.get() if not queue.empty() else (None, 0.0, f"child died ({proc.exitcode})")


def run(quick: bool = False) -> list[dict]:
    rows = []
    for n_events, n_touch in (QUICK_SIZES if quick else SIZES):
        j = journeys(n_events, n_touch)
        for fn in _calls(j).values():  # compile kernels outside the measured children
            if n_events <= 5_000:
                fn()
        for name, fn in _calls(j).items():
            peak, seconds, note = measure(fn)
            rows.append(row(f"{name}: {n_events:,} events, {n_touch:,} touchpoints",
                            cxpath_s=seconds, peak_mb=peak,
                            throughput=f"{n_events / seconds / 1e6:.2f}M ev/s" if peak else None,
                            note=note or None))
    return rows
