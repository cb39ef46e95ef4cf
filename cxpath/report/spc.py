"""Report section: a u-chart of the sample's daily complaints per order, with its shift."""

from __future__ import annotations

import numpy as np

from ._blocks import Figure, Section, Table, Text

__all__ = ["section"]

SHIFT = np.datetime64("2025-09-15")  # documented in cxpath.datasets (complaint rate +40 %)


def section(inputs) -> Section:
    """Phase I on January–June, then monitor the rest of the year against frozen limits."""
    from ..spc import cusum, u_chart

    title = "Control charts: early warning on daily complaints"
    sample = inputs.sample
    if sample is None:
        return Section("spc", title, skipped="daily complaint counts come with the bundled "
                       "sample only (cxpath demo); see cxpath.spc for your own")
    data = sample.daily_complaints
    dates, complaints, orders = data["date"], data["complaints"], data["orders"]
    base = dates < np.datetime64("2025-07-01")
    chart = u_chart(complaints, orders, baseline=base, refit=1, labels=dates, rules="we")
    flagged = chart.signalled
    before = ~base & (dates < SHIFT)
    after = dates >= SHIFT
    p = chart.params
    lines = [f"u-chart of complaints per 1,000 orders, phase I {dates[base][0]} to "
             f"{dates[base][-1]} ({int(chart.excluded.sum())} day(s) excluded on refit), "
             "Western Electric rules 1-4:",
             f"  centre {1000 * p['center']:.2f} per 1,000 orders; limits vary with daily "
             f"orders (e.g. [{1000 * chart.lcl[-1]:.2f}, {1000 * chart.ucl[-1]:.2f}] on "
             f"{dates[-1]})",
             f"  days flagged, phase II before {SHIFT}: {int(flagged[before].sum())} of "
             f"{int(before.sum())} ({flagged[before].mean():.0%}); from {SHIFT} on: "
             f"{int(flagged[after].sum())} of {int(after.sum())} ({flagged[after].mean():.0%})"]
    findings = []
    sig = chart.signals
    late = sig.index >= int(np.argmax(after))
    if late.any():
        j = int(sig.index[late][0])
        delay = int((dates[j] - SHIFT).astype(int))
        lines.append(f"  first signal on or after the planted shift ({SHIFT}): {dates[j]}, "
                     f"{delay} day(s) later — {sig.rule[late][0]}: {sig.explanation[late][0]}")
        findings.append(f"Complaints per order rose from {SHIFT}; the u-chart signalled it on "
                        f"{dates[j]}, {delay} day(s) later.")
        beyond = late & np.isin(sig.rule, ["WE1"])
        if beyond.any():
            lines.append(f"  first point beyond the limits after the shift: "
                         f"{dates[int(sig.index[beyond][0])]}")
    rate = 1000.0 * complaints / orders
    cs = cusum(rate, baseline=base, labels=dates)
    up = (cs.signals.rule == "CUSUM+") & (cs.signals.index >= int(np.argmax(~base)))
    if up.any():
        early = int((up & (cs.signals.index < int(np.argmax(after)))).sum())
        lines.append(f"  upper tabular CUSUM (k = 0.5, h = 5) on the daily rate, first phase II "
                     f"alarm ({early} upper alarm(s) before the shift): "
                     f"{cs.signals.explanation[up][0]}")
    months = dates.astype("datetime64[M]")
    table = {"month": [], "days": [], "flagged": [], "complaints_per_1000": []}
    for m in np.unique(months[~base]):
        sel = months == m
        table["month"].append(str(m))
        table["days"].append(int(sel.sum()))
        table["flagged"].append(int(flagged[sel].sum()))
        table["complaints_per_1000"].append(1000.0 * complaints[sel].sum() / orders[sel].sum())
    blocks = [*(Text(x) for x in lines), Text(""),
              Table(title="Phase II by month",
                    columns={k: np.array(val) for k, val in table.items()}, max_rows=12,
                    headers={"complaints_per_1000": "complaints per 1,000 orders",
                             "flagged": "days flagged"},
                    how_to_read="Days the chart flagged each month of monitoring, and the "
                                "month's complaint rate."),
              Figure("u-chart of complaints per order; circled points are run-rule signals",
                     lambda: _figure(chart))]
    return Section("spc", title, tuple(blocks), tuple(findings))


def _figure(chart):
    import matplotlib.pyplot as plt

    from .. import plot

    fig, ax = plt.subplots(figsize=(12, 4.5), layout="constrained")
    plot.control_chart(chart, ax=ax)
    return fig
