"""Journey statistics throughput on built Journeys: 1M, 20M and 100M events (cxpath#27).

Journeys are generated inside the benchmark straight in the CSR layout (the validated
constructor, no pandas): case lengths 1 + Poisson(6.5), a sticky random walk over 50
touchpoints, exponential gaps of about an hour. Each function is timed on 1 and 2 numba
threads (``numba.set_num_threads``); the row gives the median wall time, events per second,
the peak memory the call adds (a forked child), the load average and the median CPU time of
the process (on a shared machine the wall time also counts waiting for a core).
``--quick`` skips 100M events; ``--only=journey_graph,variants`` times only those.

Run alone: ``python benchmarks/bench_journey_throughput.py [--quick] [--only=…] [--profile]``.
"""

from __future__ import annotations

import functools
import os
import sys
import time

import numpy as np
from _harness import median_time, peak_memory_mb, row

N_TOUCHPOINTS = 50


def generate(n_events: int, seed: int = 0):
    """Journeys of about ``n_events`` events (CSR arrays built by numpy, chunk free)."""
    from cxpath import Journeys

    rng = np.random.default_rng(seed)
    n_cases = int(n_events / 7.5)
    lengths = rng.poisson(6.5, n_cases) + 1
    offsets = np.zeros(n_cases + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    n = int(offsets[-1])
    first = offsets[:-1]
    codes = rng.integers(-2, 3, n)
    np.cumsum(codes, out=codes)
    codes -= np.repeat(codes[first] - rng.integers(0, N_TOUCHPOINTS, n_cases), lengths)
    np.remainder(codes, N_TOUCHPOINTS, out=codes)
    times = rng.exponential(3600.0, n)
    times[first] = 0.0
    np.cumsum(times, out=times)
    times -= np.repeat(times[first] - rng.uniform(1.7e9, 1.7e9 + 3e7, n_cases), lengths)
    np.round(times, out=times)
    del lengths
    outcome = rng.random(n_cases) < 0.3
    return Journeys(codes=codes, offsets=offsets, case_ids=np.arange(n_cases),
                    vocab=[f"t{i:02d}" for i in range(N_TOUCHPOINTS)], times=times,
                    outcome=outcome)


def functions():
    from cxpath.journeys import JourneyStats, bottlenecks, journey_graph, variants

    return {"journey_graph": journey_graph, "JourneyStats.from_journeys":
            JourneyStats.from_journeys, "variants": variants, "bottlenecks": bottlenecks,
            "bottlenecks(level='touchpoint')": lambda j: bottlenecks(j, level="touchpoint")}


def _load() -> str:
    return f"load {os.getloadavg()[0]:.2f}"


def _cpu_time(call, repeat: int) -> float:
    """Median CPU time of the process (all threads) over ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        t = time.process_time()
        call()
        times.append(time.process_time() - t)
    return sorted(times)[len(times) // 2]


def run(quick: bool = False, only: tuple[str, ...] = ()) -> list[dict]:
    import numba

    sizes = (1_000_000, 20_000_000) if quick else (1_000_000, 20_000_000, 100_000_000)
    rows = []
    for size in sizes:
        t = time.perf_counter()
        j = generate(size)
        made = time.perf_counter() - t
        n = j.n_events
        for name, fn in functions().items():
            if only and name not in only:
                continue
            call = functools.partial(fn, j)
            for threads in (1, 2):
                numba.set_num_threads(threads)
                repeat = 3 if n <= 20_000_000 else 1
                s = median_time(call, repeat=repeat, warmup=1)
                cpu = _cpu_time(call, repeat)
                peak = peak_memory_mb(call) if threads == 1 else None
                rows.append(row(f"{name} {n / 1e6:.0f}M events, {threads} thread(s)",
                                cxpath_s=s, throughput=f"{n / s / 1e6:.1f}M ev/s",
                                peak_mb=peak, note=f"{_load()}; cpu {cpu:.2f} s; "
                                                   f"generated in {made:.1f} s"))
                print(rows[-1], flush=True)
        del j, call
    numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
    return rows


def profile(size: int = 20_000_000) -> None:
    """cProfile of each function on ``size`` events (one thread): where the time goes."""
    import cProfile
    import pstats

    import numba

    numba.set_num_threads(1)
    j = generate(size)
    for name, fn in functions().items():
        fn(j)  # compile
        prof = cProfile.Profile()
        prof.enable()
        fn(j)
        prof.disable()
        print(f"== {name}")
        pstats.Stats(prof).sort_stats("tottime").print_stats(8)


if __name__ == "__main__":
    from _harness import format_rows

    if "--profile" in sys.argv:
        profile()
    else:
        only = next((a.split("=", 1)[1].split(",") for a in sys.argv
                     if a.startswith("--only=")), ())
        print(format_rows(run(quick="--quick" in sys.argv, only=tuple(only))))
