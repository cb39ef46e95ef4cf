"""Activity instances and attributes: lifecycle pairing cost per event, attribute memory.

A lifecycle log doubles the synthetic log of ``synthetic.encoded_log``: every event becomes
a START row and a COMPLETE row (service time exponential, mean 10 minutes). Peer: pm4py's
``interval_lifecycle.to_interval`` on the same log (its EventLog conversion included, as a
pm4py user runs it), measured in the same run when pm4py is installed.
"""

from __future__ import annotations

import warnings

import numpy as np
from _harness import median_time, peak_memory_mb, row
from synthetic import encoded_log

from cxpath import Journeys


def lifecycle_log(n_cases: int, seed: int = 0) -> dict:
    case, touch, complete = encoded_log(n_cases, seed=seed)
    rng = np.random.default_rng(seed + 1)
    start = complete - np.round(rng.exponential(600.0, len(case)))
    n = len(case)
    return {"case": np.concatenate([case, case]), "touchpoint": np.concatenate([touch, touch]),
            "timestamp": np.concatenate([start, complete]),
            "lifecycle": np.array(["start"] * n + ["complete"] * n, dtype=object)}


def attributes(n_events: int, k: int, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    teams = np.array([f"team_{i:02d}" for i in range(20)], dtype=object)
    cols = {}
    for i in range(k):
        cols[f"attr{i}"] = (teams[rng.integers(0, 20, n_events)] if i % 2 == 0 else
                            rng.normal(100.0, 15.0, n_events))
    return cols


def _pm4py_to_interval(log_dict):
    import pandas as pd
    import pm4py
    from pm4py.objects.conversion.log import converter
    from pm4py.objects.log.util import interval_lifecycle

    frame = pd.DataFrame({"case:concept:name": log_dict["case"].astype(str),
                          "concept:name": log_dict["touchpoint"].astype(str),
                          "time:timestamp": pd.to_datetime(log_dict["timestamp"], unit="s"),
                          "lifecycle:transition": log_dict["lifecycle"]})
    frame = frame.sort_values(["case:concept:name", "time:timestamp"], kind="stable")

    def convert():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            log = converter.apply(frame, variant=converter.Variants.TO_EVENT_LOG)
            interval_lifecycle.to_interval(log)

    return pm4py, convert


def run(quick: bool = False) -> list[dict]:
    n_cases = 20_000 if quick else 200_000
    log = lifecycle_log(n_cases)
    n_rows = len(log["case"])
    plain = {k: log[k][log["lifecycle"] == "complete"] for k in ("case", "touchpoint",
                                                                  "timestamp")}

    def paired():
        return Journeys.from_events(log, case="case", touchpoint="touchpoint",
                                    timestamp="timestamp", lifecycle="lifecycle")

    def instants():
        return Journeys.from_events(plain, case="case", touchpoint="touchpoint",
                                    timestamp="timestamp")

    paired()  # compile the pairing kernel
    t_pair = median_time(paired, repeat=3)
    t_plain = median_time(instants, repeat=3)
    rows = [row(f"from_events, lifecycle pairing ({n_rows:,} rows -> {n_rows // 2:,} "
                "instances)", cxpath_s=t_pair, throughput=f"{n_rows / t_pair / 1e6:.1f}M rows/s",
                peak_mb=peak_memory_mb(paired)),
            row(f"from_events, the same {n_rows // 2:,} completes as instants",
                cxpath_s=t_plain, throughput=f"{n_rows / 2 / t_plain / 1e6:.1f}M ev/s",
                note=f"pairing costs {(t_pair - t_plain) / n_rows * 1e9:.0f} ns per row")]
    try:
        sub_cases = min(n_cases, 50_000)
        keep = log["case"] < sub_cases
        sub = {k: v[keep] for k, v in log.items()}
        _, convert = _pm4py_to_interval(sub)
        t_peer = median_time(convert, repeat=1, warmup=0)
        t_ours = median_time(lambda: Journeys.from_events(
            sub, case="case", touchpoint="touchpoint", timestamp="timestamp",
            lifecycle="lifecycle"), repeat=3)
        rows.append(row(f"lifecycle pairing, {int(keep.sum()):,} rows", cxpath_s=t_ours,
                        peer="pm4py to_interval (incl. EventLog conversion)", peer_s=t_peer))
    except ImportError:
        pass

    events = instants().n_events
    for k in (0, 5):
        extra = attributes(len(plain["case"]), k)
        data = {**plain, **extra}
        names = list(extra)

        def build(data=data, names=names):
            return Journeys.from_events(data, case="case", touchpoint="touchpoint",
                                        timestamp="timestamp", event_attributes=names)

        rows.append(row(f"from_events with {k} event attributes ({events:,} events)",
                        cxpath_s=median_time(build, repeat=3), peak_mb=peak_memory_mb(build)))
    return rows


if __name__ == "__main__":
    import sys

    from _harness import format_rows

    print(format_rows(run(quick="--quick" in sys.argv)))
