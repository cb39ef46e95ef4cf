"""Control charts and run rules on long series (no SPC peer is installed: cxpath alone)."""

from __future__ import annotations

import numpy as np
from _harness import first_call_time, median_time, peak_memory_mb, row


def run(quick: bool = False) -> list[dict]:
    from cxpath.spc import imr, nelson, run_rules, u_chart, western_electric

    n = 100_000 if quick else 1_000_000
    rng = np.random.default_rng(0)
    z = rng.standard_normal(n)
    every = western_electric() + nelson()  # WE 1-4 and Nelson 1-8: 12 rules
    first = first_call_time(lambda: run_rules(z[:1000], 0.0, 1.0, rules=every))
    t_rules = median_time(lambda: run_rules(z, 0.0, 1.0, rules=every), repeat=5)
    n_sig = len(run_rules(z, 0.0, 1.0, rules=every))
    rows = [
        row("first call of the run-rule kernel (compile or cache load)", cxpath_s=first),
        row(f"12 run rules (WE 1-4 + Nelson 1-8), {n:,} points", cxpath_s=t_rules,
            peer="none installed", throughput=f"{n / t_rules / 1e6:.1f}M pts/s",
            peak_mb=peak_memory_mb(lambda: run_rules(z, 0.0, 1.0, rules=every)),
            note=f"{n_sig:,} signals; target < 0.5 s"),
    ]
    x = 50.0 + 2.0 * z
    t_imr = median_time(lambda: imr(x, baseline=n // 2, rules=every), repeat=3)
    rows.append(row(f"I-MR chart + 12 rules, {n:,} points", cxpath_s=t_imr,
                    throughput=f"{n / t_imr / 1e6:.1f}M pts/s"))
    exposure = rng.uniform(800, 1600, n)
    counts = rng.poisson(0.01 * exposure)
    t_u = median_time(lambda: u_chart(counts, exposure, laney=True, baseline=n // 2),
                      repeat=3)
    rows.append(row(f"Laney u' chart + WE rules, {n:,} points", cxpath_s=t_u,
                    throughput=f"{n / t_u / 1e6:.1f}M pts/s"))
    return rows
