"""Forecasting against statsforecast 2.x (same run): auto_ets, Croston/TSB, accuracy.

The synthetic panel (``synthetic_daily``) is the one of issue #9: daily series of length
365 with a weekly season, a 28-day holdout, and a mix of additive and multiplicative
seasonality, trends, random-walk levels and noise levels.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import warnings

import numpy as np
from _harness import median_time, row

H = 28
M = 7


def synthetic_daily(n_series: int, length: int = 365, seed: int = 7) -> np.ndarray:
    """Daily contact-volume-like series, one per row (weekly season, some trend)."""
    rng = np.random.default_rng(seed)
    t = np.arange(length)
    out = np.empty((n_series, length))
    for i in range(n_series):
        base = rng.uniform(50, 500)
        slope = rng.normal(0, 0.002) * base * rng.integers(0, 2)
        amp = rng.uniform(0.05, 0.4)
        prof = rng.normal(0, 1, 7)
        prof = (prof - prof.mean()) / np.abs(prof - prof.mean()).max()
        kind = rng.integers(0, 3)
        level = base + slope * t
        if kind == 0:
            y = level + amp * base * prof[t % 7] + rng.normal(
                0, rng.uniform(0.03, 0.12) * base, length)
        elif kind == 1:
            y = level * (1 + amp * prof[t % 7]) * np.exp(
                rng.normal(0, rng.uniform(0.03, 0.12), length))
        else:
            walk = np.cumsum(rng.normal(0, 0.01 * base, length))
            y = (level + walk) * (1 + amp * prof[t % 7]) + rng.normal(0, 0.05 * base, length)
        out[i] = np.maximum(y, 1.0)
    return out


def intermittent_panel(n_series: int, length: int = 104, seed: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    p = rng.uniform(0.05, 0.5, (n_series, 1))
    return (rng.random((n_series, length)) < p) * rng.poisson(3, (n_series, length)) * 1.0


def _mase(actual, fcst, train):
    return float(np.mean(np.abs(actual - fcst)) / np.mean(np.abs(train[M:] - train[:-M])))


def _name(comp) -> str:
    return comp[0] + comp[1] + ("d" if comp[3] != "N" else "") + comp[2]


def _cold_start(cache: bool) -> float:
    """Seconds for import + first auto_ets in a fresh process (compile or cache load)."""
    code = ("import time, numpy as np; t = time.perf_counter(); "
            "from cxpath.forecast import auto_ets, croston; "
            "y = 100 + 10 * np.sin(np.arange(120) * 2 * np.pi / 7); "
            "auto_ets(y, 7, 7); croston(np.arange(30.0) % 3, 3); "
            "print(time.perf_counter() - t)")
    env = dict(os.environ, CXPATH_NUMBA_CACHE="1" if cache else "0")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def run(quick: bool = False) -> list[dict]:
    from cxpath.forecast import auto_ets, croston, forecast_many, tsb

    n_series = 100 if quick else 1000
    panel = synthetic_daily(n_series)
    train, test = panel[:, :-H], panel[:, -H:]
    rows = [row("first call: import + compile auto_ets/croston (no cache)",
                cxpath_s=_cold_start(False)),
            row("first call: import + auto_ets/croston (numba cache)",
                cxpath_s=_cold_start(True))]
    auto_ets(train[0], H, M, level=None)  # warm in this process

    # cxpath, one core
    start = time.perf_counter()
    ours = [auto_ets(y, H, M, level=None) for y in train]
    t_ours = (time.perf_counter() - start) / n_series
    mase_ours = np.mean([_mase(a, f.mean, y) for a, f, y in zip(test, ours, train)])
    mase_snaive = np.mean([_mase(a, y[-M:][np.arange(H) % M], y) for a, y in zip(test, train)])
    t_pool = {}
    for jobs in (1, 2):
        start = time.perf_counter()
        forecast_many(train, H, "auto_ets", M, level=None, n_jobs=jobs)
        t_pool[jobs] = time.perf_counter() - start
    cached = median_time(lambda: auto_ets(train[0], H, M, level=None), repeat=5)

    peer, t_peer, mase_peer, same = None, None, None, None
    try:
        import statsforecast
        from statsforecast.models import AutoETS

        peer = f"statsforecast {statsforecast.__version__} AutoETS"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            AutoETS(season_length=M).fit(train[0]).predict(H)
            start = time.perf_counter()
            fits = [AutoETS(season_length=M).fit(y) for y in train]
            preds = [f.predict(H)["mean"] for f in fits]
            t_peer = (time.perf_counter() - start) / n_series
        mase_peer = np.mean([_mase(a, p, y) for a, p, y in zip(test, preds, train)])
        same = np.mean([f.info["components"] == _name(g.model_["components"])
                        for f, g in zip(ours, fits)])
    except ImportError:
        peer = "statsforecast not installed"
    note = (f"mean MASE cxpath {mase_ours:.4f}, peer "
            + (f"{mase_peer:.4f}" if mase_peer is not None else "n/a")
            + f", seasonal naive {mase_snaive:.4f}; same model on "
            + (f"{same:.1%}" if same is not None else "n/a") + " of series")
    rows += [
        row(f"auto_ets per series ({n_series} x 337 daily, m=7, h=28), one core",
            cxpath_s=t_ours, peer=peer, peer_s=t_peer, note=note),
        row("auto_ets cached call, one series", cxpath_s=cached),
        row(f"forecast_many auto_ets n_jobs=1 ({n_series} series)", cxpath_s=t_pool[1],
            throughput=f"{n_series / t_pool[1]:.0f} series/s"),
        row(f"forecast_many auto_ets n_jobs=2 ({n_series} series)", cxpath_s=t_pool[2],
            throughput=f"{n_series / t_pool[2]:.0f} series/s",
            note=f"scaling x{t_pool[1] / t_pool[2]:.2f} over n_jobs=1 (2 shared cores)"),
    ]

    parts = intermittent_panel(200 if quick else 2000)
    h = 13
    croston(parts[0], h, level=None)
    tsb(parts[0], h, level=None)
    t_cro = median_time(lambda: [croston(y, h, level=None) for y in parts], repeat=3)
    t_tsb = median_time(lambda: [tsb(y, h, level=None) for y in parts], repeat=3)
    t_cro_sf = t_tsb_sf = None
    try:
        from statsforecast.models import TSB, CrostonClassic

        t_cro_sf = median_time(lambda: [CrostonClassic().forecast(y, h=h) for y in parts],
                               repeat=3)
        t_tsb_sf = median_time(lambda: [TSB(alpha_d=0.1, alpha_p=0.1).forecast(y, h=h)
                                        for y in parts], repeat=3)
        ipeer = "statsforecast"
    except ImportError:
        ipeer = "statsforecast not installed"
    k = parts.shape[0]
    rows += [
        row(f"croston classic per series ({k} x 104 weeks)", cxpath_s=t_cro / k,
            peer=f"{ipeer} CrostonClassic", peer_s=None if t_cro_sf is None else t_cro_sf / k,
            note="point forecast only (level=None)"),
        row(f"tsb per series ({k} x 104 weeks)", cxpath_s=t_tsb / k, peer=f"{ipeer} TSB",
            peer_s=None if t_tsb_sf is None else t_tsb_sf / k),
        row("croston with empirical 80/95% intervals, per series",
            cxpath_s=median_time(lambda: [croston(y, h) for y in parts[:200]], repeat=3) / 200),
    ]
    return rows


if __name__ == "__main__":
    from _harness import format_rows

    print(format_rows(run(quick="--quick" in sys.argv)))
