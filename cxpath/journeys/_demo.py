"""Demo section: variants, breakpoints, bottlenecks and the critical path of the sample."""

from __future__ import annotations

import numpy as np

from .._results import format_table
from . import bottlenecks, breakpoints, critical_path, variants


def _head(result, columns, k=5, rows=None):
    """The first ``k`` rows (of ``rows``, an index array, when given) of a result table."""
    cols = result._columns()
    pick = slice(None) if rows is None else rows
    return format_table({c: cols[c][pick][:k] for c in columns}, max_rows=k,
                        durations=result._durations(cols))


def demo_section(sample) -> str:
    """The path analysis of the sample's journeys."""
    j = sample.journeys
    var = variants(j, top=5)
    brk = breakpoints(j)
    bot = bottlenecks(j, sla=2 * 86400)
    lines = [f"Top variants ({var.n_variants} distinct paths):",
             _head(var, ["path", "cases", "share", "success_rate"]), "",
             f"Breakpoints (drop-off rate above the pooled {brk.expected_rate:.1%} "
             f"beyond its 95% Wilson interval):",
             _head(brk, ["step", "cases", "dropoff_rate", "ci_low", "ci_high", "lift",
                         "lost_successes"], 3,
                   rows=np.flatnonzero(brk.ci_low > brk.expected_rate)),
             "",
             "Bottlenecks (waiting time; SLA 2 days):",
             _head(bot, ["step", "count", "total_wait_h", "share", "median_wait_h",
                         "sla_breach"], 3), "", _drill_down(j, bot.steps[0]), ""]
    for by in ("probability", "time"):
        cp = critical_path(j, rank_by=by)
        lines.append(f"Critical path by {by}: {' > '.join(cp.steps)} "
                     f"(p = {cp.probability:.3g}, {cp.cases} cases, median "
                     f"{cp.median_duration / 3600:.3g} h)")
    return "\n".join(lines)


def _drill_down(j, step: str) -> str:
    """The top bottleneck's median wait by product, then by team in the slowest product."""
    by_product = bottlenecks(j, by="product")
    medians = {p: r.median_wait[r.steps.tolist().index(step)] / 3600
               for p, r in by_product if step in r.steps.tolist()}
    slowest = max(medians, key=medians.get)
    others = [m for p, m in medians.items() if p != slowest]
    by_team = bottlenecks(j.select({"product": slowest}), by="team")
    teams = {t: r.median_wait[r.steps.tolist().index(step)] / 3600
             for t, r in by_team if step in r.steps.tolist()}
    shown = ", ".join(f"{t} {m:.0f} h" for t, m in sorted(teams.items(), key=lambda x: -x[1]))
    return (f"Drill-down of {step}: median wait for {slowest} {medians[slowest]:.0f} h "
            f"(other products {min(others):.0f}–{max(others):.0f} h); within {slowest}, "
            f"by team: {shown}")


def demo_figures(sample) -> list:
    """Figures for ``demo --out``: the journey map, breakpoints and bottlenecks."""
    import matplotlib.pyplot as plt

    from .. import plot
    from .graph import journey_graph

    j = sample.journeys
    fig_map, ax = plt.subplots(figsize=(12, 6), layout="constrained")
    plot.journey_graph(journey_graph(j), ax=ax, min_share=0.02)
    fig_bars, (left, right) = plt.subplots(1, 2, figsize=(13, 4.5), layout="constrained")
    plot.breakpoints(breakpoints(j), ax=left, top=8)
    plot.bottlenecks(bottlenecks(j, sla=2 * 86400), ax=right, top=8)
    return [("Journey map: node size by visits, colour by drop-off rate", fig_map),
            ("Breakpoints (Wilson intervals) and bottlenecks (median to p90 wait)", fig_bars)]
