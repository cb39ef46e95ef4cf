"""Report section: satisfaction, FCR before/after, SLA attainment, peak staffing, parts."""

from __future__ import annotations

import numpy as np

from ._blocks import Figure, Section, Table, Text, table_of

__all__ = ["section"]

CHANGE = np.datetime64("2025-07-01T00:00:00", "s")
SLA_TARGETS = {"P1": "24h", "P2": "72h", "P3": "168h"}


def section(inputs) -> Section:
    """KPIs of the sample, or of a ticket table (``--tickets``)."""
    title = "KPIs: NPS, FCR change, SLA, peak staffing, spare parts"
    sample = inputs.sample
    tickets = inputs.tickets if inputs.tickets is not None else \
        (sample.tickets if sample is not None else None)
    if sample is None and tickets is None:
        return Section("kpi", title, skipped="a ticket table (--tickets FILE with created, "
                       "first_response, resolved_at … columns) would add the ticket KPIs")
    blocks, findings = [], []
    if sample is not None:
        blocks += _satisfaction(sample.survey, findings)
        created, fcr = tickets["created"], tickets["first_contact_resolution"]
        from ..kpi import compare

        cmp = compare(fcr[created < CHANGE], fcr[created >= CHANGE],
                      label="First-contact resolution")
        blocks += [Text("Did FCR change on 2025-07-01 (the sample's planted process change)?"),
                   Text(cmp.verdict), Text("")]
        findings.append(cmp.verdict)
    if sample is not None or "priority" in _names(tickets):
        blocks += _sla(tickets, findings)
    if sample is None:
        from ..kpi import ticket_kpis

        blocks.append(table_of(ticket_kpis(tickets, calendar=inputs.calendar),
                               ["segment", "tickets", "fcr", "resolved", "repeat", "aht_s",
                                "frt_p50_h", "ttr_p50_h"], title="Ticket KPIs",
                               how_to_read="First-contact resolution, share resolved and "
                                           "repeat contacts, handle time, median first "
                                           "response and resolution times.",
                               percent=("fcr", "resolved", "repeat")))
    if sample is not None:
        blocks += _staffing(sample) + _parts(sample)
        blocks.append(Figure("Share of each month's new customers who contact again k "
                             "months later", lambda: _figure(tickets)))
    return Section("kpi", title, tuple(blocks), tuple(findings))


def _names(table) -> set:
    return set(getattr(table, "columns", None) or table.keys())


def _satisfaction(survey, findings) -> list:
    from ..kpi import csat, nps

    n = nps("nps", data=survey, n_boot=2000, seed=1)
    c = csat("csat", data=survey)
    findings.append(f"NPS is {n.score[0]:+.1f} (95% interval {n.ci_low[0]:+.1f} to "
                    f"{n.ci_high[0]:+.1f}, {n.n[0]:,} answers).")
    return [Text(f"NPS {n.score[0]:+.1f} (n = {n.n[0]}, SE {n.se[0]:.1f}; 95% CI "
                 f"{n.ci_low[0]:+.1f} to {n.ci_high[0]:+.1f}, bootstrap {n.boot_low[0]:+.1f} "
                 f"to {n.boot_high[0]:+.1f}); promoters {n.promoters[0]:.0%}, detractors "
                 f"{n.detractors[0]:.0%}"),
            Text(f"CSAT top-2 box {c.top_box[0]:.1%} (Wilson {c.top_box_low[0]:.1%} to "
                 f"{c.top_box_high[0]:.1%}); mean {c.mean[0]:.2f} / 5"), Text("")]


def _sla(tickets, findings) -> list:
    from ..kpi import sla_attainment

    sla = sla_attainment("created", "resolved_at", "priority", SLA_TARGETS, data=tickets)
    worst = int(np.nanargmin(sla.attainment))
    findings.append(f"Resolution SLA attainment is lowest for {sla.priority[worst]}: "
                    f"{sla.attainment[worst]:.0%} (95% interval {sla.ci_low[worst]:.0%}–"
                    f"{sla.ci_high[worst]:.0%}).")
    return [table_of(sla, ["priority", "due", "met", "pending", "attainment", "ci_low",
                           "ci_high"],
                     title="Resolution SLA attainment (P1 24 h, P2 72 h, P3 168 h; calendar "
                           "hours)",
                     how_to_read="Tickets due (ended, or open past the target), met within "
                                 "the target, and still open within it (pending, not "
                                 "counted); attainment with its 95% Wilson interval.",
                     headers={"ci_low": "95% low", "ci_high": "95% high"},
                     percent=("attainment", "ci_low", "ci_high")), Text("")]


def _staffing(sample) -> list:
    from ..kpi import interval_staffing

    iv = sample.interval_volumes
    st = interval_staffing("calls", "aht_s", data=iv, start="start", answer_time=20,
                           target=0.8, max_occupancy=0.85, shrinkage=0.3)
    p = st.peak
    return [Text(f"Staffing for the peak week (Erlang C, 80% in 20 s, occupancy ≤ 85%, "
                 f"shrinkage 30%): {st.scheduled_hours:,.0f} scheduled agent-hours"),
            Text(f"  peak interval {st.start[p]}: {iv['calls'][p]} calls, AHT "
                 f"{iv['aht_s'][p]:.0f} s -> {st.agents[p]} agents on the phones, "
                 f"{st.scheduled[p]} scheduled (SL {st.staffing.service_level[p]:.1%}, ASA "
                 f"{st.staffing.asa[p]:.0f} s)"), Text("")]


def _parts(sample) -> list:
    from ..kpi import parts_policy

    wp = sample.weekly_parts
    pol = parts_policy(wp["demand"], wp["lead_time_weeks"], parts=wp["part_id"],
                       unit_cost=wp["unit_cost"], service_level=0.95)
    cols = pol._columns()
    order = np.argsort(-pol.stock_value)[:5]
    models = ", ".join(f"{m} {int((pol.model == m).sum())}"
                       for m in ("normal", "poisson", "negbin") if (pol.model == m).any())
    return [Table(title=f"Reorder points for {len(pol.part)} spare parts (95% cycle service; "
                        f"models {models}); reorder-point stock worth "
                        f"{pol.stock_value.sum():,.0f}; top 5 by value",
                  columns={k: cols[k][order] for k in ("part", "mean_demand", "model",
                                                        "lead_time", "reorder_point",
                                                        "stock_value")},
                  headers={"mean_demand": "mean weekly demand", "lead_time": "lead time",
                           "reorder_point": "reorder point", "stock_value": "stock value"},
                  how_to_read="Reorder when stock falls to the reorder point; the demand "
                              "model is chosen per part from its weekly history.")]


def _figure(tickets):
    import matplotlib.pyplot as plt

    from .. import plot
    from ..kpi import retention_cohorts

    fig, ax = plt.subplots(figsize=(10, 6), layout="constrained")
    plot.retention(retention_cohorts(tickets["customer_id"], tickets["created"], period="M"),
                   ax=ax)
    return fig
