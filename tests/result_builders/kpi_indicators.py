"""Instances of the indicator-system results (cxpath.kpi.system)."""

from __future__ import annotations

from cxpath import kpi


def build(sample, tmp) -> dict:
    t = sample.tickets
    system = kpi.IndicatorSystem([
        kpi.Indicator("FCR", "rate", column="first_contact_resolution", target=0.75),
        kpi.Indicator("tickets", "count", role="warning")])
    ev = system.evaluate(t, by="channel")
    return {"indicator_evaluation": ev, "alert_digest": kpi.alert_digest(ev)}
