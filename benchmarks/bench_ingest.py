"""Foundation benchmarks: import time, Journeys.from_events throughput, compile latency.

Peer: pm4py ``format_dataframe`` (the ingestion step of a pm4py analysis) on the same
pandas DataFrame, measured in the same run. ``backends()`` times the same string-column log
from pandas, polars and pyarrow (ratios to pandas from the same run); 16M events only with
``CXPATH_BENCH_16M=1`` or ``python benchmarks/bench_ingest.py --16m`` (about 10 GB peak).
"""

from __future__ import annotations

import gc
import os
import statistics
import subprocess
import sys
import textwrap

from _harness import median_time, peak_memory_mb, row
from synthetic import encoded_log, event_log

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _python(code: str, env_extra: dict | None = None) -> float:
    env = {**os.environ, **(env_extra or {})}
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                         text=True, check=True, env=env, cwd=ROOT)
    return float(out.stdout.strip().splitlines()[-1])


def import_time(repeat: int = 7) -> float:
    code = """
        import time
        t = time.perf_counter()
        import cxpath
        print(time.perf_counter() - t)
    """
    return statistics.median(_python(code) for _ in range(repeat))


FIRST_CALL = """
    import time
    import numpy as np
    import cxpath
    t = time.perf_counter()
    cxpath.Journeys.from_events(case=np.array([2, 1, 2]), touchpoint=np.array([0, 1, 0]),
                                timestamp=np.array([0.0, 1.0, 2.0]), vocab=["a", "b"])
    print(time.perf_counter() - t)
"""


def run(quick: bool = False) -> list[dict]:
    rows = [row("import cxpath (fresh process)", cxpath_s=import_time(),
                note="budget 0.2 s")]
    import tempfile

    with tempfile.TemporaryDirectory() as cache:
        env = {"NUMBA_CACHE_DIR": cache}
        rows.append(row("first call, compiling (no cache)",
                        cxpath_s=_python(FIRST_CALL, {**env, "CXPATH_NUMBA_CACHE": "0"})))
        _python(FIRST_CALL, env)  # fills the cache
        rows.append(row("first call, kernels from disk cache", cxpath_s=_python(FIRST_CALL, env)))

    from cxpath import Journeys

    n_cases = 20_000 if quick else 200_000
    case, touch, times = encoded_log(n_cases)
    vocab = [f"t{i}" for i in range(12)]

    def encoded():
        Journeys.from_events(case=case, touchpoint=touch, timestamp=times, vocab=vocab)

    t = median_time(encoded, repeat=7)
    rows.append(row(f"from_events, pre-encoded ints ({len(case):,} events)", cxpath_s=t,
                    throughput=f"{len(case) / t / 1e6:.1f}M ev/s",
                    peak_mb=peak_memory_mb(encoded),
                    note=f"input {(case.nbytes + touch.nbytes + times.nbytes) / 2**20:.0f} MB"))

    import pandas as pd

    frame = pd.DataFrame(event_log(n_cases))
    input_mb = frame.memory_usage(deep=True).sum() / 2**20

    def ours():
        Journeys.from_events(frame, case="case", touchpoint="touchpoint", timestamp="timestamp")

    peak_ours = peak_memory_mb(ours)  # before any peer runs, on a clean heap
    t_ours = median_time(ours, repeat=5)
    peer, t_peer = "pm4py not installed", None
    try:
        import pm4py

        def theirs():
            pm4py.format_dataframe(frame, case_id="case", activity_key="touchpoint",
                                   timestamp_key="timestamp")

        t_peer = median_time(theirs, repeat=3)
        peer = f"pm4py {pm4py.__version__} format_dataframe"
    except ImportError:
        pass
    rows.append(row(f"from_events, pandas strings+datetime64 ({len(frame):,} events)",
                    cxpath_s=t_ours, peer=peer, peer_s=t_peer,
                    throughput=f"{len(frame) / t_ours / 1e6:.1f}M ev/s",
                    peak_mb=peak_ours, note=f"input columns {input_mb:.0f} MB"))
    frame = None  # free it before the backend runs (the closures above hold the cell)
    return rows + _run_backends(quick)


def _string_log(n_cases: int, iso: bool = False) -> dict:
    """The synthetic log with string case ids, touchpoints and channels (and ISO strings
    instead of datetime64 timestamps when ``iso``)."""
    import numpy as np

    log = event_log(n_cases)
    rng = np.random.default_rng(1)
    channels = np.array(["phone", "web", "chat", "app", "store"], dtype=object)
    log["channel"] = channels[rng.integers(0, len(channels), len(log["case"]))]
    if iso:
        seconds = log["timestamp"].astype("datetime64[s]")
        log["timestamp"] = np.char.add(np.datetime_as_string(seconds), "Z").astype(object)
    return log


def _tables(log: dict) -> dict:
    import pandas as pd

    tables = {"pandas": pd.DataFrame(log)}
    try:
        import polars as pl

        tables["polars"] = pl.from_pandas(tables["pandas"])
    except ImportError:
        pass
    try:
        import pyarrow as pa

        tables["arrow"] = pa.Table.from_pandas(tables["pandas"], preserve_index=False)
    except ImportError:
        pass
    return tables


def backends(sizes=(1_000_000, 4_000_000), repeat: int = 3, iso_sizes=(1_000_000,)) -> list:
    """from_events over string columns from pandas / polars / arrow, medians and ratios."""
    from cxpath import Journeys

    rows = []
    cases_per_event = 200_000 / len(event_log(200_000)["case"])
    for n_events in sizes:
        for iso in (False, True):
            if iso and n_events not in iso_sizes:
                continue
            tables = _tables(_string_log(max(1, round(n_events * cases_per_event)), iso))
            n = len(tables["pandas"])
            base = None
            for kind, table in tables.items():
                def ingest(table=table):
                    Journeys.from_events(table, case="case", touchpoint="touchpoint",
                                         timestamp="timestamp", channel="channel")

                ingest()  # compiles the kernels outside the measurements
                peak = peak_memory_mb(ingest)
                t = median_time(ingest, repeat=repeat)
                base = t if kind == "pandas" else base
                stamp = "ISO strings" if iso else "datetime64"
                rows.append(row(f"from_events {kind}, strings + {stamp} ({n / 1e6:.1f}M ev)",
                                cxpath_s=t, throughput=f"{n / t / 1e6:.1f}M ev/s",
                                peak_mb=peak, note=f"{t / base:.2f}x pandas"))
            del tables
            gc.collect()
    return rows


def _run_backends(quick: bool) -> list:
    if quick:
        return backends(sizes=(200_000,), repeat=3, iso_sizes=(200_000,))
    sizes = (1_000_000, 4_000_000)
    if os.environ.get("CXPATH_BENCH_16M") == "1":
        sizes += (16_000_000,)
    return backends(sizes=sizes, iso_sizes=sizes)


if __name__ == "__main__":
    import argparse

    from _harness import format_rows

    parser = argparse.ArgumentParser(description="from_events by backend")
    parser.add_argument("--16m", dest="big", action="store_true", help="add 16M events")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.big:
        os.environ["CXPATH_BENCH_16M"] = "1"
    print(format_rows(_run_backends(args.quick)))
