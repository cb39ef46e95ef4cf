"""Instances of the propensity and outreach results (cxpath.customers.propensity)."""

from __future__ import annotations

from cxpath.customers import (
    calibration_table,
    fit_propensity,
    lift_table,
    outreach,
    propensity_frame,
    simulate_activity,
)


def build(sample, tmp) -> dict:
    sim = simulate_activity(300, seed=3)
    f = propensity_frame(sim["log"], customer="customer", timestamp="day", amount="amount",
                         event="event", outcome="cancel", churn_event="cancel",
                         covariates=sim["profile"], train_cutoff="2025-04-01",
                         eval_cutoff="2025-07-01", horizon=90)
    m = fit_propensity(f)
    return {"propensity_frame": f, "propensity_model": m,
            "propensity_calibration": calibration_table([0, 1, 1], [0.2, 0.6, 0.9], bins=2),
            "propensity_lift": lift_table([1, 0, 1, 0], [0.9, 0.8, 0.4, 0.1], groups=2),
            "propensity_explanations": m.explain(top=2),
            "propensity_outreach": outreach(m, value="total", success_rate=0.3,
                                            contact_cost=2.0)}
