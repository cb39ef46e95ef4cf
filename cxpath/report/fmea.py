"""Report section: the service FMEA ranked, re-rated from failure data, and a Pareto."""

from __future__ import annotations

from ._blocks import Figure, Section, Table, Text

__all__ = ["section"]


def section(inputs) -> Section:
    """FMEA of the sample's service process (``sample.failure_modes``)."""
    from ..fmea import observed_occurrence, pareto, rank
    from ..fmea.worksheet import Worksheet

    title = "FMEA: action priority, occurrence from data, Pareto"
    sample = inputs.sample
    if sample is None:
        return Section("fmea", title, skipped="an FMEA worksheet is read from the bundled "
                       "sample only (cxpath demo); see cxpath.fmea for your own")
    ws = Worksheet.from_frame(sample.failure_modes)
    ranked = rank(ws)
    c = ranked.ap_counts()
    top = ranked.top(5)
    blocks = [Table(
        title=f"{len(ws)} failure modes; AIAG-VDA Action Priority H {c['H']}, M {c['M']}, "
              f"L {c['L']}. Top 5 by AP > S > RPN",
        columns={"rank": top.rank, "failure_mode": top.failure_mode, "S": top.severity,
                 "O": top.occurrence, "D": top.detection, "RPN": top.rpn, "AP": top.ap},
        headers={"failure_mode": "failure mode"}, max_rows=5,
        how_to_read="Severity, occurrence and detection ratings (1-10); AP is the AIAG-VDA "
                    "action priority (H must act, M should act, L may act).")]
    obs = observed_occurrence(ws, sample.failures, exposure=sample.service_orders)
    rescored = rank(obs.apply(ws))
    moved = obs.change != 0
    c2 = rescored.ap_counts()
    order = sorted(range(len(ws)), key=lambda i: (-abs(int(obs.change[i])), i))[:3]
    blocks += [
        Text(""),
        Text(f"Occurrence measured from {int(obs.count.sum())} recorded failures over "
             f"{sample.service_orders} service orders"),
        Text(f"(AIAG FMEA-4 PFMEA scale, failures per 1,000): {int(moved.sum())} of {len(ws)} "
             f"ratings change; AP becomes H {c2['H']}, M {c2['M']}, L {c2['L']}."),
        Table(title="Largest changes",
              columns={"failure_mode": obs.failure_mode[order], "per_1000": obs.rate[order],
                       "O_sheet": obs.current[order], "O_data": obs.rating[order]},
              headers={"failure_mode": "failure mode", "per_1000": "per 1,000 orders",
                       "O_sheet": "O on the sheet", "O_data": "O from data"}, max_rows=3,
              how_to_read="Occurrence as rated on the worksheet against the rating the "
                          "recorded failure rate gives.")]
    p = pareto(sample.failures["failure_mode"])
    vital = ", ".join(p.vital_few[:3]) + (", …" if p.n_vital > 3 else "")
    blocks += [Text(""),
               Text(f"Pareto of recorded failures: {p.n_vital} of {len(p.labels)} modes carry "
                    f"{p.cumulative[p.n_vital - 1]:.0%} of them (80% cut):"),
               Text("  " + vital)]
    findings = (f"Measured from recorded failures, {int(moved.sum())} of {len(ws)} FMEA "
                f"occurrence ratings change and the high-priority failure modes go from "
                f"{c['H']} to {c2['H']}.",
                f"{p.n_vital} of {len(p.labels)} failure modes carry "
                f"{p.cumulative[p.n_vital - 1]:.0%} of recorded failures ({vital}).")
    figure = Figure("Pareto of recorded failures; AIAG-VDA action priority at D = 5",
                    lambda: _figure(sample, ws))
    return Section("fmea", title, (*blocks, figure), findings)


def _figure(sample, ws):
    import matplotlib.pyplot as plt

    from .. import plot
    from ..fmea import pareto
    from ..fmea.matrices import risk_matrix

    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4.8), layout="constrained")
    plot.pareto(pareto(sample.failures["failure_mode"]), ax=left)
    plot.action_priority(detection=5, matrix=risk_matrix(ws), ax=right)
    return fig

