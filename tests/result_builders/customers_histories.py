"""Instances of the customer history, RFM and lifetime value results (cxpath.customers)."""

from __future__ import annotations

import numpy as np

from cxpath.customers import (
    bgnbd,
    clv,
    customer_histories,
    gamma_gamma,
    repurchase_rate,
    rfm_scores,
    simulate_customers,
)


def build(sample, tmp) -> dict:
    log = {"customer": list("aabbbccd"), "at": np.arange(8.0) * 86400.0,
           "amount": [5.0, 7.0, 1.0, 2.0, 3.0, 9.0, 4.0, 6.0]}
    h = customer_histories(log, customer="customer", timestamp="at", amount="amount",
                           churn_after=2)
    sim = simulate_customers(300, seed=1)
    fit = bgnbd(sim["frequency"], sim["span"], sim["age"])
    gg = gamma_gamma(sim["frequency"], sim["monetary"])
    return {"customer_histories": h,
            "rfm_scores": rfm_scores(h.recency, h.frequency, h.total, customer=h.customer),
            "bgnbd": fit, "gamma_gamma": gg,
            "clv": clv(fit, gg, sim["frequency"], sim["span"], sim["age"], sim["monetary"],
                       periods=2),
            "repurchase_rate": repurchase_rate(sim["frequency"])}
