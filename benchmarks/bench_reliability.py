"""Life-data fitting: Weibull MLE on 1M censored units and on 10,000 small groups, with the
``reliability`` package (peer) in the same run.

Cold first-call times run in a fresh interpreter (numba kernel compile or cache load, and
the imports). The peer's 10,000-group time is measured on the first 200 groups and scaled
(it fits one group per call, about 20-40 ms each).
"""

from __future__ import annotations

import subprocess
import sys
import time

import numpy as np
from _harness import median_time, peak_memory_mb, row

_COLD = """
import time, numpy as np
t0 = time.perf_counter()
from cxpath.reliability import LifeData, fit
d = LifeData.from_times([16.0, 34, 53, 75, 93, 120, 150], failed=[1, 1, 1, 1, 1, 1, 0])
fit(d, "weibull")
print(time.perf_counter() - t0)
"""


def _sample(n: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    t = 1000 * rng.weibull(1.5, n)
    c = rng.uniform(200, 2000, n)
    return np.minimum(t, c), t <= c


def _peer():
    try:
        import warnings

        warnings.filterwarnings("ignore")
        from reliability.Fitters import Fit_Weibull_2P
    except ImportError:
        return None
    return Fit_Weibull_2P


def run(quick: bool = False) -> list[dict]:
    from cxpath.reliability import LifeData, fit, fit_groups

    rows = []
    cold = float(subprocess.run([sys.executable, "-c", _COLD], capture_output=True,
                                text=True, check=True).stdout.split()[-1])
    rows.append(row("cold first call: import + Weibull fit (fresh process)", cxpath_s=cold))
    n = 100_000 if quick else 1_000_000
    t, failed = _sample(n)
    d = LifeData.from_times(t, failed=failed)
    ours = median_time(lambda: fit(d, "weibull"), repeat=5)
    peer = _peer()
    peer_s = None
    note = f"{int(failed.sum()):,} failures"
    if peer is not None:
        ft, rc = t[failed], t[~failed]
        start = time.perf_counter()
        theirs = peer(failures=ft, right_censored=rc, show_probability_plot=False,
                      print_results=False)
        peer_s = time.perf_counter() - start
        f = fit(d, "weibull")
        diff = max(abs(f.params["alpha"] / theirs.alpha - 1),
                   abs(f.params["beta"] / theirs.beta - 1))
        note += f"; max rel. diff of estimates {diff:.1e}"
    rows.append(row(f"Weibull MLE, {n:,} censored units", cxpath_s=ours,
                    peer="reliability" if peer else "not installed", peer_s=peer_s,
                    throughput=f"{n / ours / 1e6:.1f}M units/s",
                    peak_mb=peak_memory_mb(lambda: fit(d, "weibull")), note=note))
    groups = 1_000 if quick else 10_000
    rng = np.random.default_rng(1)
    size = rng.integers(5, 40, groups)
    g = np.repeat(np.arange(groups), size)
    tg, fg = _sample(g.size, seed=2)
    ours_g = median_time(lambda: fit_groups(tg, g, failed=fg), repeat=5)
    peer_g = None
    note = f"{g.size:,} units, 5-39 per group"
    if peer is not None:
        k = 200
        start = time.perf_counter()
        done = 0
        for i in range(k):
            m = g == i
            if fg[m].sum() >= 2:
                peer(failures=tg[m][fg[m]], right_censored=tg[m][~fg[m]],
                     show_probability_plot=False, print_results=False)
                done += 1
        peer_g = (time.perf_counter() - start) / k * groups
        note += f"; peer timed on {k} groups and scaled"
    rows.append(row(f"Weibull MLE per group, {groups:,} groups", cxpath_s=ours_g,
                    peer="reliability" if peer else "not installed", peer_s=peer_g,
                    throughput=f"{groups / ours_g:,.0f} groups/s", note=note))
    small = [16.0, 34, 53, 75, 93, 120]
    for name in ("lognormal", "gamma", "weibull_3p"):
        rows.append(row(f"{name} MLE, 6 failures (general optimiser)",
                        cxpath_s=median_time(lambda name=name: fit(small, name), repeat=3)))
    return rows


if __name__ == "__main__":
    from _harness import format_rows

    print(format_rows(run(quick="--quick" in sys.argv)))
