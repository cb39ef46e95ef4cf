"""Survey analytics against pingouin and factor_analyzer on synthetic Likert data (same run)."""

from __future__ import annotations

import warnings

import numpy as np
from _harness import median_time, peak_memory_mb, row


def _likert(n, k, n_factors, seed=0, missing=0.0):
    rng = np.random.default_rng(seed)
    f = rng.multivariate_normal(np.zeros(n_factors),
                                np.full((n_factors,) * 2, 0.3) + 0.7 * np.eye(n_factors), n)
    lam = 0.75
    load = np.zeros((k, n_factors))
    load[np.arange(k), np.arange(k) % n_factors] = lam
    x = f @ load.T + np.sqrt(1 - lam**2) * rng.standard_normal((n, k))
    x = np.clip(np.round(4 + 1.5 * x), 1, 7)
    if missing:
        x[rng.random(x.shape) < missing] = np.nan
    return x


def run(quick: bool = False) -> list[dict]:
    import pandas as pd

    from cxpath.survey import (
        bartlett_sphericity,
        cronbach_alpha,
        efa,
        key_drivers,
        kmo,
        n_factors,
        path_model,
    )

    n = 5_000 if quick else 50_000
    k = 20
    x = _likert(n, k, 4, missing=0.02)
    frame = pd.DataFrame(x, columns=[f"q{j}" for j in range(k)])
    rows = []

    try:
        import pingouin as pg
    except ImportError:
        pg = None
    t = median_time(lambda: cronbach_alpha(x), repeat=5)
    peer_t = median_time(lambda: pg.cronbach_alpha(frame), repeat=5) if pg else None
    rows.append(row(f"cronbach_alpha {n}x{k} pairwise NaN", cxpath_s=t,
                    peer="pingouin" if pg else None, peer_s=peer_t,
                    throughput=f"{n * k / t / 1e6:.1f}M answers/s",
                    peak_mb=peak_memory_mb(lambda: cronbach_alpha(x)),
                    note=None if pg else "pingouin not installed"))

    xc = x[~np.isnan(x).any(axis=1)]
    try:
        import factor_analyzer as fa
    except ImportError:
        fa = None

    def peer_kmo():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fa.calculate_kmo(xc)
            fa.calculate_bartlett_sphericity(xc)

    t = median_time(lambda: (kmo(xc), bartlett_sphericity(xc)), repeat=5)
    rows.append(row(f"KMO + Bartlett {len(xc)}x{k}", cxpath_s=t,
                    peer="factor_analyzer" if fa else None,
                    peer_s=median_time(peer_kmo, repeat=5) if fa else None))

    for method, rotation in (("minres", "promax"), ("ml", "varimax"), ("minres", "oblimin")):
        def ours(method=method, rotation=rotation):
            efa(xc, n_factors=4, method=method, rotation=rotation)

        def peer(method=method, rotation=rotation):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                fa.FactorAnalyzer(n_factors=4, method=method, rotation=rotation).fit(xc)

        rows.append(row(f"EFA {method}/{rotation} {len(xc)}x{k}, 4 factors",
                        cxpath_s=median_time(ours, repeat=3),
                        peer="factor_analyzer" if fa else None,
                        peer_s=median_time(peer, repeat=3) if fa else None,
                        peak_mb=peak_memory_mb(ours)))

    rows.append(row(f"parallel analysis {len(xc)}x{k}, 100 sets",
                    cxpath_s=median_time(lambda: n_factors(xc, seed=0), repeat=1)))

    p = 8
    data = {f"d{j}": xc[:, j] for j in range(p)}
    data["sat"] = xc[:, p:p + 4].mean(axis=1)
    drivers = [f"d{j}" for j in range(p)]
    t0 = median_time(lambda: key_drivers(data, "sat", drivers, n_boot=0), repeat=5)
    if pg:
        xd = np.column_stack([data[d] for d in drivers])
        peer_t = median_time(lambda: pg.linear_regression(xd, data["sat"], relimp=True),
                             repeat=5)
    rows.append(row(f"key drivers {p} drivers exact dominance, n={len(xc)}", cxpath_s=t0,
                    peer="pingouin relimp (LMG)" if pg else None,
                    peer_s=peer_t if pg else None))
    nb = 200 if quick else 1000
    rows.append(row(f"key drivers {p} drivers + {nb} bootstrap", cxpath_s=median_time(
        lambda: key_drivers(data, "sat", drivers, n_boot=nb, seed=0), repeat=1)))
    scores = {"a": xc[:, 0], "b": xc[:, 1], "m": xc[:, 2], "y": xc[:, 3]}
    rows.append(row(f"path model 3 equations + {nb} bootstrap", cxpath_s=median_time(
        lambda: path_model(scores, "m ~ a + b; y ~ m + a; b ~ a", n_boot=nb, seed=0),
        repeat=1)))
    return rows
