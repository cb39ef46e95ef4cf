"""Hand-over and working-together analysis against pm4py's social-network analysis."""

from __future__ import annotations

import warnings

import numpy as np
from _harness import median_time, row
from synthetic import encoded_log


def resource_log(n_cases: int, n_resources: int = 60, seed: int = 0):
    """The synthetic log with a resource per event: a team of a few people per case."""
    case, touch, times = encoded_log(n_cases, seed=seed)
    rng = np.random.default_rng(seed + 1)
    team = rng.integers(0, n_resources, size=(n_cases, 3))  # three people may work a case
    resource = team[case, rng.integers(0, 3, len(case))]
    resource[rng.random(len(case)) < 0.01] = -1  # 1% of events without a resource
    return case, touch, times, resource


def journeys_with_resources(n_cases: int):
    from cxpath import Journeys
    from cxpath.journeys.attributes import Attribute

    case, touch, times, resource = resource_log(n_cases)
    order = np.lexsort((times, case))
    case, touch, times, resource = case[order], touch[order], times[order], resource[order]
    offsets = np.concatenate(([0], np.cumsum(np.bincount(case, minlength=n_cases))))
    labels = tuple(f"agent_{i:03d}" for i in range(int(resource.max()) + 1))
    return Journeys(codes=touch, offsets=offsets, vocab=[f"t{i}" for i in range(12)],
                    case_ids=np.arange(n_cases), times=times,
                    event_attributes={"resource": Attribute(resource.astype(np.int64),
                                                            labels)}), resource


def run(quick: bool = False) -> list[dict]:
    from cxpath.journeys.handovers import handovers

    n_cases = 20_000 if quick else 200_000
    j, _ = journeys_with_resources(n_cases)
    n = j.n_events
    t = median_time(lambda: handovers(j), repeat=5)
    rows = [row(f"handovers ({n / 1e6:.1f}M events)", cxpath_s=t,
                throughput=f"{n / t / 1e6:.1f}M ev/s")]
    try:
        import pandas as pd
        import pm4py
    except ImportError:
        return rows
    frame = j.to_frame()
    frame = frame[frame["resource"].notna()].rename(columns={"resource": "org:resource"})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        log = pm4py.format_dataframe(frame, case_id="case_id", activity_key="touchpoint",
                                     timestamp_key="timestamp")
        t_hw = median_time(lambda: pm4py.discover_handover_of_work_network(log), repeat=1,
                           warmup=0)
        t_wt = median_time(lambda: pm4py.discover_working_together_network(log), repeat=1,
                           warmup=0)
    rows.append(row("hand-over + working together", cxpath_s=t, peer="pm4py",
                    peer_s=t_hw + t_wt, speedup=f"{(t_hw + t_wt) / t:.0f}x",
                    note=f"pandas {pd.__version__}"))
    return rows


if __name__ == "__main__":
    import sys

    from _harness import format_rows

    print(format_rows(run(quick="--quick" in sys.argv)))
