"""Instances of the survival and Cox results (cxpath.customers.survival, .cox)."""

from __future__ import annotations

from cxpath import customers


def build(sample, tmp) -> dict:
    t = [5, 8, 9, 12, 20, 3, 4, 9.5, 10, 15]
    e = [1, 1, 0, 1, 0, 1, 1, 1, 0, 1]
    g = ["a"] * 5 + ["b"] * 5
    km = customers.kaplan_meier(t, e)
    fit = customers.cox(t, e, {"plan": [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]})
    return {"kaplan_meier": km, "survival_at": km.at([4, 10]),
            "nelson_aalen": customers.nelson_aalen(t, e),
            "logrank_test": customers.logrank_test(t, e, g),
            "rmst": customers.rmst(t, e, tau=12, group=g), "cox_fit": fit,
            "ph_test": fit.ph_test()}
