"""Demo section: contact-volume forecast, a backtest leaderboard, spare-part demand."""

from __future__ import annotations

import numpy as np

from .._results import format_table
from .anomaly import flag_outside
from .backtest import backtest, leaderboard
from .ets import auto_ets
from .many import forecast_many


def demo_section(sample) -> str:
    """Next 4 weeks of daily contacts, the best method, and next quarter of part demand."""
    daily = sample.daily_contacts
    y = np.asarray(daily["contacts"], dtype=np.float64)
    dates = np.asarray(daily["date"])
    f = auto_ets(y, 28, 7, level=[80, 95])
    info = f.info
    lines = [f"Daily contacts ({y.size} days): auto_ets picked {f.model} "
             f"(AICc {info['aicc']:.1f} among {len(info['candidates'])} models), "
             f"intervals {f.interval_method}"]
    next_days = dates[-1] + np.arange(1, 8).astype("timedelta64[D]")
    lo80, hi80 = f.band(80)
    lo95, hi95 = f.band(95)
    lines.append(format_table({"date": next_days, "forecast": np.round(f.mean[:7]),
                               "lo_80": np.round(lo80[:7]), "hi_80": np.round(hi80[:7]),
                               "lo_95": np.round(lo95[:7]), "hi_95": np.round(hi95[:7])}))
    weeks = f.mean.reshape(4, 7).sum(axis=1)
    lines.append("Next 4 weekly totals: " + ", ".join(f"{w:,.0f}" for w in weeks))

    bt = backtest(y, 28, ["seasonal_naive", "theta", "auto_ets"], 7, n_origins=3,
                  level=[95])
    lb = bt.leaderboard()
    lines += ["", "Backtest, 3 origins x 28 days (best first):",
              format_table({"model": lb.model, "MASE": lb.metrics["mase"],
                            "WAPE": lb.metrics["wape"],
                            "coverage_95": lb.metrics["coverage_95"]})]

    held = auto_ets(y[:-14], 14, 7, level=[95])
    ex = flag_outside(y[-14:], held, level=95)
    worst = int(np.argmax(np.abs(ex.score)))
    lines.append(f"Early warning on the last 14 days: {ex.n_outside} outside the 95% band"
                 + (f" (largest on {dates[-14 + worst]}, {ex.excursion[worst]:+.0f} contacts)"
                    if ex.n_outside else ""))

    parts = sample.weekly_parts
    demand = np.asarray(parts["demand"], dtype=np.float64)
    ids = np.asarray(parts["part_id"])
    table = dict(zip(ids, demand))
    sba = forecast_many(table, 13, "croston_sba", level=[95])
    bts = [backtest(row, 13, ["croston", "croston_sba", "tsb", "adida", "imapa"],
                    n_origins=2, level=[95], series_id=pid) for pid, row in table.items()]
    board = leaderboard(*bts, sort_by="mase")
    rate = sba.mean_matrix()[:, 0]
    top = np.argsort(-rate)[:5]
    zeros = float(np.mean(demand == 0))
    lines += ["", f"Spare parts ({ids.size} parts x {demand.shape[1]} weeks, "
              f"{zeros:.0%} zero weeks): next quarter (13 weeks), Croston-SBA",
              format_table({"part": ids[top], "kind": np.asarray(parts["kind"])[top],
                            "per_week": np.round(rate[top], 2),
                            "quarter": np.round(13 * rate[top]),
                            "week_hi_95": np.round([sba.forecasts[i].upper[0, 0]
                                                    for i in top], 1)}),
              f"Total expected demand next quarter: {13 * rate.sum():,.0f} units; "
              f"intermittent leaderboard (MASE): "
              + ", ".join(f"{m} {v:.3f}" for m, v in zip(board.model,
                                                          board.metrics["mase"]))]
    return "\n".join(lines)


def demo_figures(sample) -> list:
    """Figure for ``demo --out``: a 28-day contact forecast against held-out actuals."""
    import matplotlib.pyplot as plt

    from .. import plot

    y = np.asarray(sample.daily_contacts["contacts"], dtype=np.float64)
    f = auto_ets(y[:-28], 28, 7, level=[80, 95])
    fig, ax = plt.subplots(figsize=(12, 4.5), layout="constrained")
    plot.forecast(f, ax=ax, history=y[:-28], actual=y[-28:], last=120)
    return [("Daily contacts: 28-day ETS forecast fan with the held-out actuals", fig)]
