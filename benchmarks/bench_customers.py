"""Customers over time: Kaplan–Meier and Cox on 1M customers against lifelines in the same
run (issue #22 targets: KM >= 10x, Cox >= 3x faster), and Fine–Gray on 10k / 100k rows.

Kaplan–Meier and Cox run twice: on whole-day durations (customer data: churn dates, so
ties; the life table is built by counting) and on the same durations unrounded (continuous,
nearly one distinct time per customer; the life table is built by one sort). Times, for
cxpath and lifelines alike, are medians of 3 after one warm-up call (numba compiled or
loaded from cache). Peak memory is the resident growth of one call in a forked child
(:func:`_harness.peak_memory_mb`); the note gives lifelines' for Kaplan–Meier (its Cox fit
takes a minute, so its memory is not measured) and the load average when the row was
measured (2 shared cores).
"""

from __future__ import annotations

import os
import sys

import numpy as np
from _harness import median_time, peak_memory_mb, row


def _customers(n: int, seed: int = 0, days: bool = True):
    rng = np.random.default_rng(seed)
    plan = rng.integers(0, 2, n).astype(np.float64)
    tenure = rng.normal(0, 1, n)
    contacts = rng.poisson(2, n).astype(np.float64)
    hazard = np.exp(-0.5 * plan + 0.3 * tenure + 0.1 * contacts) / 400.0
    t = rng.exponential(1 / hazard)
    c = rng.uniform(30, 900, n)
    d = np.minimum(t, c)
    return (np.ceil(d) if days else d), (t <= c), {"plan": plan, "tenure": tenure,
                                                   "contacts": contacts}


def _load() -> str:
    return f"load {os.getloadavg()[0]:.2f}"


def _km_row(n: int, days: bool):
    from cxpath.customers import kaplan_meier

    t, e, _ = _customers(n, days=days)
    what = "whole days" if days else "unrounded"
    ours = median_time(lambda: kaplan_meier(t, e), repeat=3)
    km = kaplan_meier(t, e)
    note = f"{km.time.size:,} distinct times, {int(e.sum()):,} churned"
    peer_s = None
    try:
        from lifelines import KaplanMeierFitter
    except ImportError:
        note += "; lifelines not installed"
    else:
        fits = []  # the timed fits, the last one to compare with
        peer_s = median_time(lambda: fits.append(KaplanMeierFitter().fit(t, e)), repeat=3)
        ref = fits[-1]
        diff = np.abs(km.survival - ref.survival_function_.iloc[1:, 0].to_numpy()).max()
        lower = ref.confidence_interval_.iloc[1:, 0].to_numpy()
        note += (f"; max |S diff| {diff:.1e}, |lower diff| "
                 f"{np.abs(km.lower - lower).max():.1e}; lifelines "
                 f"{peak_memory_mb(lambda: KaplanMeierFitter().fit(t, e)):.0f} MB")
    return row(f"Kaplan-Meier + Greenwood + log-log, {n:,} customers ({what})",
               cxpath_s=ours, peer="lifelines" if peer_s else None, peer_s=peer_s,
               throughput=f"{n / ours / 1e6:.1f}M rows/s",
               peak_mb=peak_memory_mb(lambda: kaplan_meier(t, e)),
               note=f"{note}; {_load()}")


def _cox_row(n: int, days: bool):
    from cxpath.customers import cox

    t, e, x = _customers(n, days=days)
    what = "whole days" if days else "unrounded"
    ours = median_time(lambda: cox(t, e, x), repeat=3)
    note = "3 covariates, Efron ties"
    peer_s = None
    try:
        import pandas as pd
        from lifelines import CoxPHFitter
    except ImportError:
        note += "; lifelines not installed"
    else:
        df = pd.DataFrame({"t": t, "e": e.astype(int), **x})
        fits = []
        peer_s = median_time(lambda: fits.append(CoxPHFitter().fit(df, "t", "e")), repeat=3)
        diff = np.abs(cox(t, e, x).coef - fits[-1].params_.to_numpy())
        note += f"; max |coef diff| {diff.max():.1e}"
    return row(f"Cox PH fit, {n:,} customers ({what})", cxpath_s=ours,
               peer="lifelines" if peer_s else None, peer_s=peer_s,
               throughput=f"{n / ours / 1e6:.2f}M rows/s",
               peak_mb=peak_memory_mb(lambda: cox(t, e, x)), note=f"{note}; {_load()}")


def _competing(n: int, seed: int = 1, days: bool = True):
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 2, n).astype(np.float64)
    z = rng.normal(0, 1, n)
    t1 = rng.exponential(300 * np.exp(-0.5 * x + 0.2 * z))
    t2 = rng.exponential(500 * np.exp(0.3 * x), n)
    c = rng.uniform(30, 700, n)
    t = np.minimum(np.minimum(t1, t2), c)
    cause = np.where(c <= np.minimum(t1, t2), 0, np.where(t1 < t2, 1, 2))
    return (np.ceil(t) if days else t), cause, {"plan": x, "tenure": z}


class _Rows(list):
    """Rows that are also printed as they come (``run(..., echo=True)``): a long run that
    fails late still shows what it measured."""

    def __init__(self, echo: bool):
        super().__init__()
        self.echo = echo

    def append(self, item: dict) -> None:
        super().append(item)
        if self.echo:
            print(item, flush=True)


def run(quick: bool = False, echo: bool = False) -> list[dict]:
    from cxpath.customers import competing, fine_gray

    rows = _Rows(echo)
    n = 100_000 if quick else 1_000_000
    for days in (True, False):
        rows.append(_km_row(n, days))
    for days in (True, False):
        rows.append(_cox_row(n, days))
    # --- Fine-Gray (no peer in Python)
    sizes = (10_000,) if quick else (10_000, 100_000)
    for m in sizes:
        for days in (True, False):
            tt, cc, xx = _competing(m, days=days)
            fit = fine_gray(tt, cc, xx, cause=1)
            reps = 3 if m <= 10_000 else 1
            ours = median_time(lambda tt=tt, cc=cc, xx=xx: fine_gray(tt, cc, xx, cause=1),
                               repeat=reps, warmup=0 if m > 10_000 else 1)
            what = "whole days" if days else "continuous times"
            peer, peer_s, note = None, None, ""
            if m <= 10_000:  # the previous implementation: Cox fit of the expanded rows
                competing._EXPAND = True
                try:
                    peer_s = median_time(lambda tt=tt, cc=cc, xx=xx: fine_gray(
                        tt, cc, xx, cause=1), repeat=3, warmup=1)
                    old = fine_gray(tt, cc, xx, cause=1)
                    old_mb = peak_memory_mb(lambda tt=tt, cc=cc, xx=xx: fine_gray(
                        tt, cc, xx, cause=1))
                finally:
                    competing._EXPAND = False
                peer = "expanded-data fit (before)"
                note = (f"before: {old_mb:.0f} MB; max |coef diff| "
                        f"{np.abs(old.coef - fit.coef).max():.1e}; ")
            rows.append(row(f"Fine-Gray, {m:,} rows ({what})", cxpath_s=ours, peer=peer,
                            peer_s=peer_s,
                            peak_mb=peak_memory_mb(
                                lambda tt=tt, cc=cc, xx=xx: fine_gray(tt, cc, xx, cause=1)),
                            throughput=f"{m / ours:,.0f} rows/s",
                            note=note + f"{fit.n_expanded:,} rows if expanded; "
                                 f"{'median of 3' if reps == 3 else 'one timed call'}"))
    return rows


if __name__ == "__main__":
    from _harness import format_rows

    print(format_rows(run(quick="--quick" in sys.argv, echo=True)))
