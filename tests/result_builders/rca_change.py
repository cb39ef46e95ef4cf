"""Result instances of cxpath.rca's KPI change decomposition and multiple testing."""

from __future__ import annotations

import numpy as np


def build(sample, tmp) -> dict:
    from cxpath.rca import (
        adjust_p,
        compare_many,
        decompose_change,
        drill_down,
        explain_change,
        power_nps,
        power_proportions,
    )

    rng = np.random.default_rng(0)
    n = 600
    week = rng.choice(["w1", "w2"], n)
    product = rng.choice(["A", "B"], n)
    channel = rng.choice(["chat", "phone"], n)
    p = np.where((week == "w2") & (product == "B") & (channel == "phone"), 0.3, 0.8)
    data = {"fcr": rng.random(n) < p, "aht": rng.gamma(3.0, 100.0, n), "week": week,
            "product": product, "channel": channel}
    by = ["product", "channel"]
    return {
        "rca.ChangeDecomposition": decompose_change("fcr", "week", by=by, data=data),
        "rca.ChangeExplanation": explain_change("fcr", "week", by=by, data=data),
        "rca.DrillDown": drill_down("fcr", "week", by=by, data=data),
        "rca.Adjustment": adjust_p([0.01, 0.04, 0.03], labels=["FCR", "AHT", "CSAT"]),
        "rca.ManyComparisons": compare_many(["fcr", "aht"], "week", data=data, by="channel"),
        "rca.PowerAnalysis": power_proportions(0.5, 0.6, power=0.8),
        "rca.PowerAnalysis (NPS)": power_nps((0.3, 0.1), n=200, power=0.8),
    }
