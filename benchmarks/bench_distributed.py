"""Dask scale-out: 20M events in 16 partitions vs the single-machine path (same run).

Peak memory: of the single-machine call (forked child), and per worker process of the
local cluster (their ``VmHWM``); the threads scheduler is not forked (forking a process
with live thread pools can deadlock), so it has no figure.

Each partition generates its own slice of cases (``dask.dataframe.from_map``), so the data
never passes through the client; the cases are whole within partitions and declared so
(``partitioned_by_case=True``, which cxpath checks with one extra pass). Timings include
that generation; its own cost is reported on the first row.
"""

from __future__ import annotations

import time

import numpy as np
from _harness import median_time, peak_memory_mb, row
from synthetic import encoded_log

VOCAB = [f"t{i:02d}" for i in range(12)]


def _partition(index: int, cases_per_part: int):
    import pandas as pd

    case, touch, times = encoded_log(cases_per_part, seed=index)
    return pd.DataFrame({"case": case + index * cases_per_part,
                         "touchpoint": np.asarray(VOCAB, dtype=object)[touch],
                         "timestamp": times})


def _worker_peak_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def run(quick: bool = False) -> list[dict]:
    try:
        import dask.dataframe as dd
        import distributed
    except ImportError:
        return [row("distributed.journey_stats", note="dask not installed")]
    import pandas as pd

    from cxpath import Journeys
    from cxpath.distributed import journey_stats, top_variants
    from cxpath.journeys import JourneyStats, variants

    n_parts = 16
    cases_per_part = 10_000 if quick else 168_750  # about 20M events in all when full
    cols = dict(case="case", touchpoint="touchpoint", timestamp="timestamp")
    gen = median_time(lambda: _partition(0, cases_per_part), repeat=1, warmup=0) * n_parts
    frame = pd.concat([_partition(i, cases_per_part) for i in range(n_parts)],
                      ignore_index=True)
    n_events = len(frame)
    rows = [row(f"generate {n_parts} partitions ({n_events:,} events)", cxpath_s=gen)]

    def single():
        j = Journeys.from_events(frame, vocab=VOCAB, **cols)
        return JourneyStats.from_journeys(j)

    start = time.perf_counter()
    expected = single()
    t_single = time.perf_counter() - start
    rows.append(row("single machine: from_events + JourneyStats", cxpath_s=t_single,
                    throughput=f"{n_events / t_single / 1e6:.1f}M ev/s",
                    peak_mb=peak_memory_mb(single)))

    def ddf():
        return dd.from_map(_partition, range(n_parts), cases_per_part=cases_per_part)

    start = time.perf_counter()
    got = journey_stats(ddf(), vocab=VOCAB, partitioned_by_case=True, scheduler="threads",
                        **cols)
    t_threads = time.perf_counter() - start
    same = got.equals(expected)
    rows.append(row("dask threads scheduler (2 threads)", cxpath_s=t_threads,
                    throughput=f"{n_events / t_threads / 1e6:.1f}M ev/s",
                    note=f"equal to single machine: {same}"))
    start = time.perf_counter()
    top = top_variants(ddf(), vocab=VOCAB, partitioned_by_case=True, scheduler="threads",
                       k=20, **cols)
    t_top = time.perf_counter() - start
    exact = variants(expected)
    truth = dict(zip(exact.paths.tolist(), exact.counts.tolist()))
    inside = all(lo <= truth[p] <= hi
                 for p, lo, hi in zip(top.paths, top.count_low, top.count_high))
    rows.append(row(f"top_variants k=20, capacity {top.capacity:,} (threads)",
                    cxpath_s=t_top, throughput=f"{n_events / t_top / 1e6:.1f}M ev/s",
                    note=f"{exact.n_variants:,} distinct paths; same top 20: "
                         f"{top.paths.tolist() == exact.paths[:20].tolist()}; max undercount "
                         f"{top.max_undercount:,.0f} cases; bounds hold: {inside}"))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, memory_limit=None) as cluster, \
            distributed.Client(cluster) as client:
        start = time.perf_counter()
        got = journey_stats(ddf(), vocab=VOCAB, partitioned_by_case=True, scheduler=client,
                            **cols)
        t_cluster = time.perf_counter() - start
        peaks = client.run(_worker_peak_mb)
    rows.append(row("dask LocalCluster, 2 worker processes", cxpath_s=t_cluster,
                    throughput=f"{n_events / t_cluster / 1e6:.1f}M ev/s",
                    peak_mb=max(peaks.values()),
                    note=f"peak per worker; equal: {got.equals(expected)}"))
    return rows
