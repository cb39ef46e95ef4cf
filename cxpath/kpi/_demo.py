"""Demo section: NPS and CSAT with intervals, the planted FCR step, SLA, staffing, parts."""

from __future__ import annotations

import numpy as np

from .._results import format_table
from .change import compare
from .inventory import parts_policy
from .queueing import interval_staffing
from .satisfaction import csat, nps
from .sla import sla_attainment

CHANGE = np.datetime64("2025-07-01T00:00:00", "s")
SLA_TARGETS = {"P1": "24h", "P2": "72h", "P3": "168h"}


def demo_section(sample) -> str:
    """KPIs of the sample: satisfaction, FCR before/after, SLA, peak staffing, parts."""
    survey, tickets = sample.survey, sample.tickets
    n = nps("nps", data=survey, n_boot=2000, seed=1)
    c = csat("csat", data=survey)
    lines = [f"NPS {n.score[0]:+.1f} (n = {n.n[0]}, SE {n.se[0]:.1f}; 95% CI "
             f"{n.ci_low[0]:+.1f} to {n.ci_high[0]:+.1f}, bootstrap {n.boot_low[0]:+.1f} to "
             f"{n.boot_high[0]:+.1f}); promoters {n.promoters[0]:.0%}, detractors "
             f"{n.detractors[0]:.0%}",
             f"CSAT top-2 box {c.top_box[0]:.1%} (Wilson {c.top_box_low[0]:.1%} to "
             f"{c.top_box_high[0]:.1%}); mean {c.mean[0]:.2f} / 5", ""]
    created, fcr = tickets["created"], tickets["first_contact_resolution"]
    cmp = compare(fcr[created < CHANGE], fcr[created >= CHANGE], label="First-contact "
                  "resolution")
    lines += ["Did FCR change on 2025-07-01 (the sample's planted process change)?",
              cmp.verdict, ""]
    sla = sla_attainment("created", "resolved_at", "priority", SLA_TARGETS, data=tickets)
    cols = sla._columns()
    lines += ["Resolution SLA attainment (P1 24 h, P2 72 h, P3 168 h; calendar hours):",
              format_table({k: cols[k] for k in ("priority", "due", "met", "pending",
                                                 "attainment", "ci_low", "ci_high")}), ""]
    iv = sample.interval_volumes
    st = interval_staffing("calls", "aht_s", data=iv, start="start", answer_time=20,
                           target=0.8, max_occupancy=0.85, shrinkage=0.3)
    p = st.peak
    lines += [f"Staffing for the peak week (Erlang C, 80% in 20 s, occupancy ≤ 85%, "
              f"shrinkage 30%): {st.scheduled_hours:,.0f} scheduled agent-hours",
              f"  peak interval {st.start[p]}: {iv['calls'][p]} calls, AHT {iv['aht_s'][p]:.0f}"
              f" s -> {st.agents[p]} agents on the phones, {st.scheduled[p]} scheduled "
              f"(SL {st.staffing.service_level[p]:.1%}, ASA {st.staffing.asa[p]:.0f} s)", ""]
    wp = sample.weekly_parts
    pol = parts_policy(wp["demand"], wp["lead_time_weeks"], parts=wp["part_id"],
                       unit_cost=wp["unit_cost"], service_level=0.95)
    cols = pol._columns()
    order = np.argsort(-pol.stock_value)[:5]
    lines += [f"Reorder points for {len(pol.part)} spare parts (95% cycle service; models "
              + ", ".join(f"{m} {int((pol.model == m).sum())}"
                          for m in ("normal", "poisson", "negbin") if (pol.model == m).any())
              + f"); reorder-point stock worth {pol.stock_value.sum():,.0f}; top 5 by value:",
              format_table({k: cols[k][order] for k in ("part", "mean_demand", "model",
                                                         "lead_time", "reorder_point",
                                                         "stock_value")})]
    return "\n".join(lines)


def demo_figures(sample) -> list:
    """Figure for ``demo --out``: monthly cohorts of customers contacting again."""
    import matplotlib.pyplot as plt

    from .. import plot
    from .change import retention_cohorts

    t = sample.tickets
    fig, ax = plt.subplots(figsize=(10, 6), layout="constrained")
    plot.retention(retention_cohorts(t["customer_id"], t["created"], period="M"), ax=ax)
    return [("Share of each month's new customers who contact again k months later", fig)]
