"""Instances of the competing-risks results (cxpath.customers.competing)."""

from __future__ import annotations

from cxpath import customers


def build(sample, tmp) -> dict:
    t = [1, 2, 3, 4, 5, 6, 7, 8]
    e = [1, 2, 1, 0, 1, 2, 1, 0]
    fit = customers.fine_gray(t, e, {"plan": [0, 1, 0, 1, 1, 0, 1, 0]}, cause=1)
    return {"cumulative_incidence": customers.cumulative_incidence(t, e),
            "fine_gray_fit": fit, "fine_gray_prediction": fit.predict({"plan": [0, 1]})}
