"""Report section: paths, breakpoints, bottlenecks, the critical path and hand-overs."""

from __future__ import annotations

import numpy as np

from .._results import IdLabel, format_duration
from ._blocks import Figure, Section, Table, Text, table_of

__all__ = ["section"]


def section(inputs) -> Section:
    """The path analysis of the journeys (skipped without an event log)."""
    from ..journeys import bottlenecks, breakpoints, critical_path, variants

    title = "Paths: variants, breakpoints, bottlenecks, critical path"
    j = inputs.journeys
    if j is None:
        return Section("journeys", title, skipped="an event log (EVENTS with --case, "
                       "--activity, --timestamp) would add the path analysis")
    cal = inputs.calendar
    var = variants(j, top=5, calendar=cal)
    sla = inputs.sla
    bot = bottlenecks(j, sla=sla, calendar=cal)
    blocks = [
        table_of(var, ["path", "cases", "share", "success_rate"],
                 title=f"Top variants ({var.n_variants} distinct paths)", k=5,
                 how_to_read="Each row is one exact sequence of touchpoints, most frequent "
                             "first, with the share of cases and how many of them succeed.",
                 headers={"success_rate": "success rate"},
                 percent=("share", "success_rate"))]
    findings = []
    brk = breakpoints(j) if j.outcome is not None else None
    if brk is not None:
        blocks.append(_breakpoints(brk, findings))
    else:
        blocks.append(Text("Breakpoints need a success definition (--success LABEL or "
                           "--outcome COLUMN)."))
    sla_text = f"; SLA {format_duration(sla)}" if sla is not None else ""
    bot_cols = ["step", "count", "total_wait_h", "share", "median_wait_h"] + \
        (["sla_breach"] if sla is not None else [])
    blocks.append(table_of(
        bot, bot_cols, k=3, title=f"Bottlenecks (waiting time{sla_text})",
        how_to_read="Transitions ranked by the total waiting time they cause; share is of "
                    "all waiting" + (", SLA breach the share of waits above the SLA"
                                     if sla is not None else "") + ".",
        headers={"total_wait_h": "total wait", "median_wait_h": "median wait",
                 "sla_breach": "SLA breach"},
        percent=("share", "sla_breach")))
    if len(bot.steps):
        findings.insert(0, f"The longest waits are at {bot.steps[0]}: "
                        f"{bot.share_of_wait[0]:.0%} of all waiting time, median "
                        f"{format_duration(bot.median_wait[0])}.")
    if {"product", "team"} <= set(j.case_attributes) | set(j.event_attributes) and \
            len(bot.steps):
        drill = _drill_down(j, bot.steps[0])
        blocks.append(Text(drill))
        findings.insert(1, drill + ".")
    for by in ("probability", "time") if j.outcome is not None else ():
        cp = critical_path(j, rank_by=by)
        blocks.append(Text(f"Critical path by {by}: {' > '.join(cp.steps)} "
                           f"(p = {cp.probability:.3g}, {cp.cases} cases, median "
                           f"{cp.median_duration / 3600:.3g} h)"))
    slowest = _slowest(j, cal)
    if slowest is not None:
        blocks.append(slowest)
    if "resource" in j.event_attributes:
        blocks += _handovers(j, cal)
    figures = (Figure("Journey map: transitions of at least 2% of cases, colour by drop-off "
                      "rate, dashed red edges go back (rework)", lambda: _map_figure(j),
                      svg=lambda: _map_svg(j)),
               Figure("Breakpoints (Wilson intervals) and bottlenecks (median to p90 wait)",
                      lambda: _bars_figure(brk, bot)))
    return Section("journeys", title, tuple(blocks) + figures, tuple(findings))


def _breakpoints(brk, findings: list):
    """The breakpoints table (touchpoints whose drop-off beats the average) and finding."""
    flagged = np.flatnonzero(brk.ci_low > brk.expected_rate)
    if flagged.size:
        i = int(flagged[0])
        findings.append(f"Journeys end unresolved after {brk.steps[i]} {brk.dropoff_rate[i]:.0%}"
                        f" of the time (95% interval {brk.ci_low[i]:.0%}–{brk.ci_high[i]:.0%})"
                        f", {brk.lift[i]:.1f}× the average {brk.expected_rate:.0%}.")
    return table_of(
        brk, ["step", "cases", "dropoff_rate", "ci_low", "ci_high", "lift", "lost_successes"],
        rows=flagged, k=3,
        title=f"Breakpoints (drop-off rate above the pooled {brk.expected_rate:.1%} beyond "
              "its 95% Wilson interval)",
        how_to_read="Touchpoints after which journeys end unresolved more often than on "
                    "average; 'lost' is how many more successes there would be at the "
                    "average rate.",
        headers={"dropoff_rate": "drop-off rate", "ci_low": "95% low", "ci_high": "95% high",
                 "lift": "× average", "lost_successes": "lost successes"},
        percent=("dropoff_rate", "ci_low", "ci_high"))


def _slowest(j, cal, k: int = 5) -> Table | None:
    """The ``k`` longest cases, labelled ``#position`` (ids only with ``show_ids``)."""
    from ..journeys.stats import case_durations

    seconds = case_durations(j, cal)
    if seconds is None or not len(seconds):
        return None
    rows = np.argsort(-seconds, kind="stable")[:k]
    paths = []
    for i in rows:
        steps = j[int(i)].touchpoints
        paths.append(" > ".join(steps if len(steps) <= 8 else (*steps[:4], "…", *steps[-3:])))
    clock = "business time" if cal is not None else "elapsed time"
    return Table(
        title=f"The {len(rows)} slowest cases ({clock} from first to last event)",
        columns={"case": np.array([IdLabel(f"#{i + 1}") for i in rows], dtype=object),
                 "path": np.array(paths, dtype=object), "events": j.lengths[rows],
                 "duration": seconds[rows]},
        with_ids={"case": np.asarray(j.case_ids, dtype=object)[rows]},
        how_to_read="The cases that took longest, with their path. A case is shown as #k, "
                    "its position in the log's case order, unless the report is made with "
                    "show_ids=True (--show-ids), which shows its id.",
        durations={"duration": 1.0}, max_rows=k)


def _drill_down(j, step: str) -> str:
    """The top bottleneck's median wait by product, then by team in the slowest product."""
    from ..journeys import bottlenecks

    by_product = bottlenecks(j, by="product")
    medians = {p: r.median_wait[r.steps.tolist().index(step)] / 3600
               for p, r in by_product if step in r.steps.tolist()}
    slowest = max(medians, key=medians.get)
    others = [m for p, m in medians.items() if p != slowest]
    by_team = bottlenecks(j.select({"product": slowest}), by="team")
    teams = {t: r.median_wait[r.steps.tolist().index(step)] / 3600
             for t, r in by_team if step in r.steps.tolist()}
    shown = ", ".join(f"{t} {m:.0f} h" for t, m in sorted(teams.items(), key=lambda x: -x[1]))
    spread = f" (other products {min(others):.0f}–{max(others):.0f} h)" if others else ""
    return (f"Drill-down of {step}: median wait for {slowest} {medians[slowest]:.0f} h"
            f"{spread}; within {slowest}, by team: {shown}")


def _handovers(j, cal) -> list:
    from ..journeys import handovers

    h = handovers(j, calendar=cal)
    return [table_of(h, ["source", "target", "count", "share", "mean_wait_h"], k=5,
                     title=f"Hand-overs of work ({h.n_handovers:,} between resources)",
                     how_to_read="Who passes work to whom most often, and how long the "
                                 "work waits at each hand-over.",
                     headers={"mean_wait_h": "mean wait"}, percent=("share",))]


def _map_figure(j):
    from .. import plot
    from ..journeys import journey_graph

    return plot.journey_graph(journey_graph(j), min_share=0.02).figure


def _map_svg(j) -> str:
    from ..journeys import journey_graph

    return journey_graph(j).to_svg(min_share=0.02)  # natural size: readable, scrolls


def _bars_figure(brk, bot):
    """The section's breakpoints (None without an outcome) and bottlenecks, drawn."""
    import matplotlib.pyplot as plt

    from .. import plot

    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4.5), layout="constrained")
    if brk is not None:
        plot.breakpoints(brk, ax=left, top=8)
    else:
        left.set_axis_off()
    plot.bottlenecks(bot, ax=right, top=8)
    return fig
