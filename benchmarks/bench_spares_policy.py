"""Spare parts on the car-parts data: probabilistic intermittent forecasts and stock policies.

Data: ``../shared/data/carparts.csv.gz`` (Hyndman et al. 2008; 2,674 parts x 51 months, the
2,509 parts without missing months are used). Rolling origin: forecasts from every origin
``t = 24 … 48`` (months of history) for the next 3 months (the lead time).

* Coverage of the 3-month lead-time demand and of the single-month demand by the
  central 80 % / 95 % intervals of :func:`cxpath.forecast.spares_forecast`. Two measures:
  ``pit`` is the non-randomised PIT coverage ``F̄(1 − a/2) − F̄(a/2)`` (Czado, Gneiting &
  Held 2009), which equals the nominal level for a calibrated count forecast; ``interval``
  is the share of actuals inside ``[q(a/2), q(1 − a/2)]``, which for whole units is always
  above the nominal level (an interval of counts holds at least its level) and is shown
  with the probability the forecast itself gives that interval.
* Scaled pinball loss (M5; :func:`cxpath.forecast.scaled_pinball`, mean over the
  quantiles 0.025, 0.1, 0.5, 0.9, 0.975 of each month of the 3, then over parts and
  origins; pairs whose history is constant have no scale and are left out) against
  statsforecast's CrostonClassic, CrostonSBA, TSB, ADIDA and IMAPA, which give a point
  forecast only. Each is scored two ways: ``poisson`` uses the point as the mean of a
  Poisson distribution (its quantiles), ``point`` uses the point for every quantile.
* Stock policy: each month ``t = 24 … 50`` an order-up-to level (review 1 month, lead time
  3, backorders) is set from the forecast made with the months before ``t``, and the
  actual demand is replayed through it (:func:`cxpath.kpi.replay_policy`), counting months
  27 … 50. The history-based policy uses :func:`cxpath.kpi.parts_policy` on the same
  months with the same protection (lead time + review = 4 months) and cycle-service target.
"""

from __future__ import annotations

import os
import time

import numpy as np
from _harness import row

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data", "carparts.csv.gz")
LEAD = 3
QS = np.array([0.025, 0.1, 0.5, 0.9, 0.975])
LEVELS = (80, 95)
PEERS = ("CrostonClassic", "CrostonSBA", "TSB", "ADIDA", "IMAPA")


def load(path: str = DATA) -> np.ndarray | None:
    """The complete car-parts series (parts x 51 months), or None without the data."""
    if not os.path.exists(path):
        return None
    import pandas as pd

    y = pd.read_csv(path).iloc[:, 1:].to_numpy(float)
    return np.ascontiguousarray(y[~np.isnan(y).any(axis=1)])


def _pinball(actual, qf, scale):
    """Scaled pinball per row: actual (m, h), qf (m, k, h), scale (m,)."""
    e = actual[:, None, :] - qf
    loss = np.maximum(QS[None, :, None] * e, (QS[None, :, None] - 1) * e)
    return loss.mean(axis=2).mean(axis=1) / scale


def _pit_cov(cdf, x, lev):
    """Non-randomised PIT coverage of the central ``lev`` % interval, per row."""
    rows = np.arange(x.size)
    xi = np.minimum(x, cdf.shape[1] - 1)
    at = np.where(x < cdf.shape[1], cdf[rows, xi], 1.0)
    below = np.where(x > 0, cdf[rows, np.minimum(x - 1, cdf.shape[1] - 1)], 0.0)
    below = np.where(x - 1 >= cdf.shape[1], 1.0, below)

    def g(u):
        w = at - below
        return np.where(u <= below, 0.0, np.where((u >= at) | (w <= 0), 1.0,
                                                  (u - below) / np.where(w > 0, w, 1.0)))

    a = 1 - lev / 100
    return g(1 - a / 2) - g(a / 2)


def _interval(cdf, x, lev):
    a = 1 - lev / 100
    lo = (cdf < a / 2 - 1e-12).sum(axis=1)
    hi = (cdf < 1 - a / 2 - 1e-12).sum(axis=1)
    inside = (x >= lo) & (x <= hi)
    rows = np.arange(x.size)
    mass = cdf[rows, np.minimum(hi, cdf.shape[1] - 1)] - np.where(
        lo > 0, cdf[rows, np.minimum(lo - 1, cdf.shape[1] - 1)], 0.0)
    return inside, mass


def _peer_models():
    try:
        from statsforecast.models import ADIDA, IMAPA, TSB, CrostonClassic, CrostonSBA
    except ImportError:
        return None
    return {"CrostonClassic": CrostonClassic(), "CrostonSBA": CrostonSBA(),
            "TSB": TSB(alpha_d=0.1, alpha_p=0.1), "ADIDA": ADIDA(), "IMAPA": IMAPA()}


def evaluate(y: np.ndarray, origins=range(24, 49), peers: bool = True) -> dict:
    """Coverage and scaled pinball over rolling origins; see the module docstring."""
    from scipy import stats

    from cxpath.forecast import spares_forecast

    models = _peer_models() if peers else None
    acc = {"pit": {}, "interval": {}, "mass": {}}
    for key in acc:
        for span in ("3-month", "1-month"):
            for lev in LEVELS:
                acc[key][(span, lev)] = []
    loss = {"cxpath": []}
    if models:
        for name in models:
            loss[f"{name} (poisson)"] = []
            loss[f"{name} (point)"] = []
    t_cx = t_peer = 0.0
    for t in origins:
        hist = y[:, :t]
        t0 = time.perf_counter()
        f = spares_forecast(hist, LEAD, level=LEVELS)
        cdf3 = np.cumsum(f.pmf(LEAD), axis=1)
        cdf1 = np.cumsum(f.pmf(1), axis=1)
        q1 = f.quantiles(QS, periods=1)                       # (m, k), flat over months
        t_cx += time.perf_counter() - t0
        act = y[:, t:t + LEAD]
        for span, cdf, x in (("3-month", cdf3, act.sum(axis=1).astype(np.int64)),
                             ("1-month", cdf1, act[:, 0].astype(np.int64))):
            for lev in LEVELS:
                acc["pit"][(span, lev)].append(_pit_cov(cdf, x, lev))
                inside, mass = _interval(cdf, x, lev)
                acc["interval"][(span, lev)].append(inside)
                acc["mass"][(span, lev)].append(mass)
        scale = np.abs(np.diff(hist, axis=1)).mean(axis=1)
        ok = scale > 0
        h = act.shape[1]
        loss["cxpath"].append(_pinball(act[ok], np.repeat(q1[ok][:, :, None], h, 2),
                                       scale[ok]))
        if models:
            t0 = time.perf_counter()
            for name, model in models.items():
                point = np.array([model.forecast(y=hist[i], h=h)["mean"][0]
                                  for i in np.flatnonzero(ok)])
                pq = stats.poisson.ppf(QS[None, :], np.maximum(point, 1e-12)[:, None])
                loss[f"{name} (poisson)"].append(
                    _pinball(act[ok], np.repeat(pq[:, :, None], h, 2), scale[ok]))
                loss[f"{name} (point)"].append(
                    _pinball(act[ok], np.broadcast_to(point[:, None, None],
                                                      (point.size, QS.size, h)), scale[ok]))
            t_peer += time.perf_counter() - t0
    out = {"coverage": {k: {kk: float(np.mean(np.concatenate(vv))) for kk, vv in d.items()}
                        for k, d in acc.items()},
           "pinball": {k: float(np.mean(np.concatenate(v))) for k, v in loss.items()},
           "cx_seconds": t_cx, "peer_seconds": t_peer,
           "windows": int(y.shape[0] * len(list(origins)))}
    return out


def history_levels(hist: np.ndarray, lead: int, target: float) -> np.ndarray:
    """:func:`cxpath.kpi.parts_policy` reorder points, vectorised over parts (the same
    rules: Poisson or negative binomial below a lead-time demand of 20, normal above; the
    test checks equality with ``parts_policy``)."""
    from scipy import stats

    mean = hist.mean(axis=1)
    sd = hist.std(axis=1, ddof=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        vtm = np.where(mean > 0, sd**2 / np.where(mean > 0, mean, 1.0), 1.0)
    ltd = mean * lead
    out = np.zeros(mean.size)
    slow = (mean > 0) & (ltd < 20.0)
    pois = slow & (vtm <= 1.1)
    neg = slow & ~pois
    out[pois] = stats.poisson.ppf(target, ltd[pois])
    p = 1.0 / np.maximum(vtm[neg], 1.1000001)
    out[neg] = stats.nbinom.ppf(target, ltd[neg] * p / (1 - p), p)
    fast = (mean > 0) & ~slow
    z = stats.norm.ppf(target)
    out[fast] = np.ceil(ltd[fast] + z * np.sqrt(lead) * sd[fast] - 1e-9)
    return out


def _reset(y, levels, start):
    """Each review on its own: position ``S_t`` at month ``t``; the shortage of month
    ``t + L`` from the actuals (what the planned measures promise per review)."""
    m, n = y.shape
    served = np.zeros(m)
    dem = np.zeros(m)
    ok = []
    hold = []
    for j, t in enumerate(range(start, n - LEAD)):
        s = levels[:, j]
        d_l = y[:, t:t + LEAD].sum(axis=1)
        d_l1 = d_l + y[:, t + LEAD]
        short = np.maximum(d_l1 - s, 0) - np.maximum(d_l - s, 0)
        served += y[:, t + LEAD] - short
        dem += y[:, t + LEAD]
        ok.append(d_l1 <= s)
        hold.append(np.maximum(s - d_l1, 0))
    has = dem > 0
    return {"fill_mean": float((served[has] / dem[has]).mean()),
            "fill_total": float(served.sum() / dem.sum()), "cycle": float(np.mean(ok)),
            "on_hand": float(np.mean(hold))}


def policy_replay(y: np.ndarray, targets=(0.9, 0.95), start: int = 24) -> list[dict]:
    """Forecast-based and history-based order-up-to levels on the actuals, two ways: each
    review on its own (``reset``) and the running stock (``replay``, the numba kernel)."""
    from cxpath.forecast import spares_forecast
    from cxpath.kpi import replay_policy, stock_policy

    m, n = y.shape
    periods = list(range(start, n))
    runs = {}
    for cal in (False, True):
        t0 = time.perf_counter()
        fcs = [spares_forecast(y[:, :t], LEAD, level=None, calibrate=cal) for t in periods]
        t_fc = time.perf_counter() - t0
        for measure in ("fill", "cycle"):
            for tgt in targets:
                levels = np.empty((m, len(periods)))
                planned = np.empty((m, len(periods)))
                weight = np.empty((m, len(periods)))
                t0 = time.perf_counter()
                for j, f in enumerate(fcs):
                    pol = stock_policy(f, target=tgt, measure=measure)
                    levels[:, j] = pol.order_up_to
                    planned[:, j] = pol.fill_rate if measure == "fill" else \
                        pol.cycle_service_level
                    weight[:, j] = f.mean if measure == "fill" else 1.0
                secs = time.perf_counter() - t0 + t_fc
                name = "forecast" + ("" if cal else " (uncalibrated)")
                runs[(name, measure, tgt)] = (levels, planned, weight, secs)
    for tgt in targets:
        levels = np.empty((m, len(periods)))
        t0 = time.perf_counter()
        for j, t in enumerate(periods):
            levels[:, j] = history_levels(y[:, :t], LEAD + 1, tgt)
        runs[("history (parts_policy)", "cycle", tgt)] = (levels, None, None,
                                                         time.perf_counter() - t0)
    rows = []
    for (kind, measure, tgt), (levels, planned, weight, secs) in runs.items():
        t0 = time.perf_counter()
        sim = replay_policy(y[:, start:], LEAD, order_up_to=levels, warm=LEAD)
        secs_sim = time.perf_counter() - t0
        fr = sim.fill_rate[np.isfinite(sim.fill_rate)]
        reset = _reset(y, levels, start)
        plan = None
        if planned is not None:
            k = n - LEAD - start
            w = weight[:, :k]
            plan = float(np.mean((planned[:, :k] * w).sum(axis=1) / w.sum(axis=1)))
        rows.append({"policy": kind, "measure": measure, "target": tgt, "planned": plan,
                     "reset": reset, "fill_mean": float(fr.mean()),
                     "fill_total": sim.total_fill_rate,
                     "cycle": float(sim.cycle_service_level.mean()),
                     "on_hand": float(sim.on_hand.mean()),
                     "seconds": secs, "replay_seconds": secs_sim})
    return rows


def run(quick: bool = False) -> list[dict]:
    y = load()
    if y is None:
        return [row("spare parts (carparts)", note="../shared/data/carparts.csv.gz absent")]
    if quick:
        y = y[::4]
    origins = range(24, 49, 3) if quick else range(24, 49)
    ev = evaluate(y, origins)
    rows = []
    cov = ev["coverage"]
    for span in ("3-month", "1-month"):
        for lev in LEVELS:
            rows.append(row(f"coverage {span} {lev}% (pit)", cxpath_s=None,
                            throughput=round(100 * cov["pit"][(span, lev)], 2),
                            note=f"interval {100 * cov['interval'][(span, lev)]:.1f}% "
                                 f"(forecast mass {100 * cov['mass'][(span, lev)]:.1f}%)"))
    cx = ev["pinball"]["cxpath"]
    rows.append(row("scaled pinball: cxpath spares_forecast", cxpath_s=ev["cx_seconds"],
                    throughput=round(cx, 4), note=f"{ev['windows']:,} part-origins"))
    for name, val in ev["pinball"].items():
        if name != "cxpath":
            rows.append(row(f"scaled pinball: {name}", peer="statsforecast",
                            peer_s=ev["peer_seconds"], throughput=round(val, 4),
                            note=f"cxpath is {100 * (1 - cx / val):.1f}% lower"))
    for r in policy_replay(y):
        planned = "" if r["planned"] is None else f"planned {r['planned']:.4f}; "
        rs = r["reset"]
        rows.append(row(f"policy {r['policy']} {r['measure']} {r['target']:g}",
                        cxpath_s=r["seconds"] + r["replay_seconds"],
                        throughput=round(rs["fill_mean"] if r["measure"] == "fill"
                                         else rs["cycle"], 4),
                        note=f"{planned}per review: fill {rs['fill_mean']:.4f} (units "
                             f"{rs['fill_total']:.4f}), cycle {rs['cycle']:.4f}, on hand "
                             f"{rs['on_hand']:.3f}; running stock: fill {r['fill_mean']:.4f} "
                             f"(units {r['fill_total']:.4f}), cycle {r['cycle']:.4f}, on hand "
                             f"{r['on_hand']:.3f}"))
    return rows


if __name__ == "__main__":
    import sys

    from _harness import format_rows

    print(format_rows(run(quick="--quick" in sys.argv)))
