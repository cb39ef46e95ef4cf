"""Queue staffing and KPI maths: cxpath's vectorised kernels against pyworkforce (same run)."""

from __future__ import annotations

import math

import numpy as np
from _harness import first_call_time, median_time, peak_memory_mb, row


def _scenarios(m: int, seed: int = 6):
    rng = np.random.default_rng(seed)
    # volumes per 30 min log-uniform from 2 to 400 calls: night intervals to peaks
    calls = np.exp(rng.uniform(np.log(2), np.log(400), m)).round(1)
    return dict(calls=calls, aht=rng.uniform(120, 600, m).round(0),
                target=rng.choice([0.7, 0.8, 0.9], m), occ=rng.choice([0.85, 0.9, 1.0], m))


def _cold_start() -> float:
    """Seconds for a fresh interpreter to import cxpath.kpi and staff once, no numba cache."""
    import os
    import subprocess
    import sys

    code = ("import time; t = time.perf_counter(); from cxpath.kpi import staffing; "
            "staffing([100.0], 180.0); print(time.perf_counter() - t)")
    env = {**os.environ, "CXPATH_NUMBA_CACHE": "0"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def run(quick: bool = False) -> list[dict]:
    from cxpath.kpi import erlang_a, nps, staffing, staffing_erlang_a

    m = 1_000 if quick else 10_000
    sc = _scenarios(m)

    def ours():
        return staffing(sc["calls"], sc["aht"], interval=1800, answer_time=20,
                        target=sc["target"], max_occupancy=sc["occ"], shrinkage=0.3)

    t_first = first_call_time(ours)
    t_cold = _cold_start()
    t_ours = median_time(ours, repeat=7)
    res = ours()
    rows = [row(f"Erlang C staffing, first call ({m:,} scenarios)", cxpath_s=t_first,
                note="numba cache load (or compile) included"),
            row("import cxpath.kpi + first staffing, cache off (fresh process)",
                cxpath_s=t_cold, note="cold start: numba compile of the staffing kernels")]
    peer_name, t_peer, note = "pyworkforce not installed", None, ""
    try:
        from importlib.metadata import version

        from pyworkforce.queuing import ErlangC

        peer_name = f"pyworkforce {version('pyworkforce')} ErlangC.required_positions loop"
        answers = {}

        def peer():
            for i in range(m):
                model = ErlangC(transactions=sc["calls"][i], aht=sc["aht"][i] / 60,
                                asa=20 / 60, interval=30, shrinkage=0.3)
                answers[i] = model.required_positions(service_level=sc["target"][i],
                                                      max_occupancy=sc["occ"][i])

        t_peer = median_time(peer, repeat=1, warmup=0)
        same = overstaffed = 0
        for i in range(m):
            a = sc["calls"][i] * sc["aht"][i] / 1800
            ours_n = int(res.agents[i])
            if answers[i]["raw_positions"] == ours_n:
                same += 1
            elif answers[i]["raw_positions"] > ours_n > a and round(a + 1) > math.floor(a) + 1:
                overstaffed += 1
        note = (f"same agents in {same:,}/{m:,}; pyworkforce over-staffs {overstaffed:,} "
                "(round(A+1) start)")
    except ImportError:
        note = "peer skipped"
    rows.append(row(f"Erlang C staffing ({m:,} scenarios)", cxpath_s=t_ours, peer=peer_name,
                    peer_s=t_peer, throughput=f"{m / t_ours / 1e6:.2f}M scen/s",
                    peak_mb=peak_memory_mb(ours), note=note))

    ma = m // 10

    def ea_staff():
        return staffing_erlang_a(sc["calls"][:ma], sc["aht"][:ma], 120.0, target=0.8,
                                 max_abandon=0.05)

    t_ea = median_time(ea_staff, repeat=3)
    rows.append(row(f"Erlang A staffing, exact chain ({ma:,} scenarios)", cxpath_s=t_ea,
                    throughput=f"{ma / t_ea:,.0f} scen/s", note="no peer implements Erlang A"))

    def ea_eval():
        return erlang_a(sc["calls"], sc["aht"], res.agents, 120.0)

    t_eval = median_time(ea_eval, repeat=3)
    rows.append(row(f"Erlang A metrics ({m:,} scenarios)", cxpath_s=t_eval,
                    throughput=f"{m / t_eval:,.0f} scen/s"))

    scores = np.random.default_rng(1).integers(0, 11, 100_000)
    t_nps = median_time(lambda: nps(scores, n_boot=2000, seed=1), repeat=3)
    rows.append(row("NPS + 2,000 bootstrap resamples (100,000 answers)", cxpath_s=t_nps))
    return rows
