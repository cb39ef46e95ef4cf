"""Report section: contact-volume forecast, a backtest leaderboard, spare-part demand."""

from __future__ import annotations

import numpy as np

from ._blocks import Figure, Section, Table, Text

__all__ = ["section"]


def section(inputs) -> Section:
    """Next 4 weeks of daily contacts, the best method, and next quarter of part demand."""
    title = "Forecasting: contact volume, backtest, spare parts"
    sample = inputs.sample
    if sample is not None:
        y = np.asarray(sample.daily_contacts["contacts"], dtype=np.float64)
        dates = np.asarray(sample.daily_contacts["date"])
    elif inputs.demand is not None:
        y = np.asarray(inputs.demand["demand"], dtype=np.float64)
        dates = np.asarray(inputs.demand["date"], dtype="datetime64[D]")
    else:
        return Section("forecast", title, skipped="a daily demand history (--demand FILE "
                       "with date and demand columns) would add the forecast")
    blocks, findings = _contacts(y, dates)
    if sample is not None:
        blocks += _parts(sample.weekly_parts)
    blocks.append(Figure("Daily contacts: 28-day ETS forecast fan with the held-out actuals",
                         lambda: _figure(y)))
    return Section("forecast", title, tuple(blocks), tuple(findings))


def _contacts(y, dates):
    from ..forecast import auto_ets, backtest, flag_outside

    f = auto_ets(y, 28, 7, level=[80, 95])
    info = f.info
    next_days = dates[-1] + np.arange(1, 8).astype("timedelta64[D]")
    lo80, hi80 = f.band(80)
    lo95, hi95 = f.band(95)
    weeks = f.mean.reshape(4, 7).sum(axis=1)
    blocks = [Text(f"Daily contacts ({y.size} days): auto_ets picked {f.model} "
                   f"(AICc {info['aicc']:.1f} among {len(info['candidates'])} models), "
                   f"intervals {f.interval_method}"),
              Table(title="", columns={"date": next_days, "forecast": np.round(f.mean[:7]),
                                       "lo_80": np.round(lo80[:7]), "hi_80": np.round(hi80[:7]),
                                       "lo_95": np.round(lo95[:7]),
                                       "hi_95": np.round(hi95[:7])},
                    headers={"lo_80": "80% low", "hi_80": "80% high", "lo_95": "95% low",
                             "hi_95": "95% high"},
                    how_to_read="The next seven days with 80% and 95% prediction intervals."),
              Text("Next 4 weekly totals: " + ", ".join(f"{w:,.0f}" for w in weeks))]
    findings = [f"Expect {weeks[0]:,.0f} contacts next week ({f.model}; the next four weeks: "
                + ", ".join(f"{w:,.0f}" for w in weeks[1:]) + ")."]
    bt = backtest(y, 28, ["seasonal_naive", "theta", "auto_ets"], 7, n_origins=3, level=[95])
    lb = bt.leaderboard()
    blocks += [Text(""), Table(title="Backtest, 3 origins x 28 days (best first)",
                               columns={"model": lb.model, "MASE": lb.metrics["mase"],
                                        "WAPE": lb.metrics["wape"],
                                        "coverage_95": lb.metrics["coverage_95"]},
                               headers={"coverage_95": "95% coverage"},
                               percent=("WAPE", "coverage_95"),
                               how_to_read="Forecast errors on held-out weeks: MASE below 1 "
                                           "beats the seasonal naive forecast.")]
    held = auto_ets(y[:-14], 14, 7, level=[95])
    ex = flag_outside(y[-14:], held, level=95)
    worst = int(np.argmax(np.abs(ex.score)))
    blocks.append(Text(f"Early warning on the last 14 days: {ex.n_outside} outside the 95% "
                       "band" + (f" (largest on {dates[-14 + worst]}, "
                                 f"{ex.excursion[worst]:+.0f} contacts)"
                                 if ex.n_outside else "")))
    return blocks, findings


def _parts(parts) -> list:
    from ..forecast import backtest, forecast_many, leaderboard

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
    return [Text(""),
            Table(title=f"Spare parts ({ids.size} parts x {demand.shape[1]} weeks, "
                        f"{zeros:.0%} zero weeks): next quarter (13 weeks), Croston-SBA",
                  columns={"part": ids[top], "kind": np.asarray(parts["kind"])[top],
                           "per_week": np.round(rate[top], 2),
                           "quarter": np.round(13 * rate[top]),
                           "week_hi_95": np.round([sba.forecasts[i].upper[0, 0]
                                                   for i in top], 1)},
                  headers={"per_week": "per week", "quarter": "next quarter",
                           "week_hi_95": "week, 95% high"},
                  how_to_read="Expected demand of the five busiest parts, per week and for "
                              "the quarter, with the 95% upper bound of a week."),
            Text(f"Total expected demand next quarter: {13 * rate.sum():,.0f} units; "
                 "intermittent leaderboard (MASE): "
                 + ", ".join(f"{m} {v:.3f}" for m, v in zip(board.model,
                                                             board.metrics["mase"])))]


def _figure(y):
    import matplotlib.pyplot as plt

    from .. import plot
    from ..forecast import auto_ets

    f = auto_ets(y[:-28], 28, 7, level=[80, 95])
    fig, ax = plt.subplots(figsize=(12, 4.5), layout="constrained")
    plot.forecast(f, ax=ax, history=y[:-28], actual=y[-28:], last=120)
    return fig
