"""Foundation benchmarks: import time, Journeys.from_events throughput, compile latency.

Peer: pm4py ``format_dataframe`` (the ingestion step of a pm4py analysis) on the same
pandas DataFrame, measured in the same run.
"""

from __future__ import annotations

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
    return rows
