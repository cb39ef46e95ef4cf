"""Demo section: the sample's service FMEA ranked, re-rated from failure data, and a Pareto."""

from __future__ import annotations

from .._results import format_table
from .occurrence import observed_occurrence
from .pareto import pareto
from .ranking import rank
from .worksheet import Worksheet


def demo_section(sample) -> str:
    """FMEA of the sample's service process (``sample.failure_modes``)."""
    ws = Worksheet.from_frame(sample.failure_modes)
    ranked = rank(ws)
    c = ranked.ap_counts()
    top = ranked.top(5)
    lines = [f"{len(ws)} failure modes; AIAG-VDA Action Priority H {c['H']}, M {c['M']}, "
             f"L {c['L']}. Top 5 by AP > S > RPN:",
             format_table({"rank": top.rank, "failure_mode": top.failure_mode,
                           "S": top.severity, "O": top.occurrence, "D": top.detection,
                           "RPN": top.rpn, "AP": top.ap}, max_rows=5), ""]
    obs = observed_occurrence(ws, sample.failures, exposure=sample.service_orders)
    rescored = rank(obs.apply(ws))
    moved = obs.change != 0
    c2 = rescored.ap_counts()
    lines += [f"Occurrence measured from {int(obs.count.sum())} recorded failures over "
              f"{sample.service_orders} service orders",
              f"(AIAG FMEA-4 PFMEA scale, failures per 1,000): {int(moved.sum())} of {len(ws)} "
              f"ratings change; AP becomes H {c2['H']}, M {c2['M']}, L {c2['L']}.",
              "Largest changes:"]
    order = sorted(range(len(ws)), key=lambda i: (-abs(int(obs.change[i])), i))[:3]
    lines.append(format_table({"failure_mode": obs.failure_mode[order],
                               "per_1000": obs.rate[order], "O_sheet": obs.current[order],
                               "O_data": obs.rating[order]}, max_rows=3))
    p = pareto(sample.failures["failure_mode"])
    lines += ["", f"Pareto of recorded failures: {p.n_vital} of {len(p.labels)} modes carry "
              f"{p.cumulative[p.n_vital - 1]:.0%} of them (80% cut):",
              "  " + ", ".join(p.vital_few[:3]) + (", …" if p.n_vital > 3 else "")]
    return "\n".join(lines)


def demo_figures(sample) -> list:
    """Figure for ``demo --out``: Pareto of failures and the action-priority map."""
    import matplotlib.pyplot as plt

    from .. import plot
    from .matrices import risk_matrix

    ws = Worksheet.from_frame(sample.failure_modes)
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4.8), layout="constrained")
    plot.pareto(pareto(sample.failures["failure_mode"]), ax=left)
    plot.action_priority(detection=5, matrix=risk_matrix(ws), ax=right)
    return [("Pareto of recorded failures; AIAG-VDA action priority at D = 5", fig)]
