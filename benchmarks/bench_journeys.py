"""Journey path analysis against pm4py on the synthetic 200k-case log (same run)."""

from __future__ import annotations

import time
import warnings

from _harness import median_time, peak_memory_mb, row
from synthetic import encoded_log, event_log


def run(quick: bool = False) -> list[dict]:
    import pandas as pd

    from cxpath import Journeys
    from cxpath.journeys import JourneyStats, journey_graph, variants

    n_cases = 20_000 if quick else 200_000
    frame = pd.DataFrame(event_log(n_cases))
    n_events = len(frame)
    j = Journeys.from_events(frame, case="case", touchpoint="touchpoint", timestamp="timestamp")
    t = median_time(lambda: JourneyStats.from_journeys(j), repeat=5)
    rows = [row("JourneyStats.from_journeys (counts, windows, variants)", cxpath_s=t,
                throughput=f"{n_events / t / 1e6:.1f}M ev/s")]

    def graph_from_frame():
        journey_graph(Journeys.from_events(frame, case="case", touchpoint="touchpoint",
                                           timestamp="timestamp"))

    t_graph = median_time(graph_from_frame, repeat=3)
    t_var = median_time(lambda: variants(j), repeat=5)
    t_perf = median_time(lambda: journey_graph(j), repeat=3)
    peers = {}
    try:
        import pm4py

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            start = time.perf_counter()
            log = pm4py.format_dataframe(frame, case_id="case", activity_key="touchpoint",
                                         timestamp_key="timestamp")
            t_fmt = time.perf_counter() - start
            peers["dfg"] = t_fmt + median_time(lambda: pm4py.discover_dfg(log), repeat=1,
                                               warmup=0)
            peers["variants"] = median_time(lambda: pm4py.get_variants(log), repeat=1,
                                            warmup=0)
            peers["perf"] = median_time(lambda: pm4py.discover_performance_dfg(log), repeat=1,
                                        warmup=0)
        version = pm4py.__version__
    except ImportError:
        version = None
    name = f"pm4py {version}" if version else "pm4py not installed"
    rows += [
        row(f"pandas frame -> journey graph ({n_events:,} events)", cxpath_s=t_graph,
            peer=f"{name} format_dataframe+discover_dfg", peer_s=peers.get("dfg"),
            throughput=f"{n_events / t_graph / 1e6:.1f}M ev/s"),
        row("variants", cxpath_s=t_var, peer=f"{name} get_variants",
            peer_s=peers.get("variants")),
        row("performance graph (times: mean/median/p90/min/max)", cxpath_s=t_perf,
            peer=f"{name} discover_performance_dfg", peer_s=peers.get("perf")),
    ]
    if not quick:
        case, touch, times = encoded_log(2_700_000, seed=1)  # about 20M events
        vocab = [f"t{i:02d}" for i in range(12)]

        def end_to_end():
            big = Journeys.from_events(case=case, touchpoint=touch, timestamp=times,
                                       vocab=vocab)
            journey_graph(big)
            variants(big)

        start = time.perf_counter()
        end_to_end()
        elapsed = time.perf_counter() - start
        rows.append(row(f"end to end: ingest + graph + variants ({len(case):,} events)",
                        cxpath_s=elapsed, throughput=f"{len(case) / elapsed / 1e6:.1f}M ev/s",
                        peak_mb=peak_memory_mb(end_to_end), note="target < 20 s, < 4 GB"))
    return rows
