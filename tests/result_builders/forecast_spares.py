"""Instances of the spare-part results (cxpath.forecast.intermittent_dist,
cxpath.forecast.demand_classes, cxpath.kpi.stock_policy)."""

from __future__ import annotations

from cxpath.forecast import demand_classes, spares_forecast
from cxpath.kpi import replay_policy, stock_policy


def build(sample, tmp) -> dict:
    y = [[0, 2, 0, 0, 1, 0, 0, 3, 0, 1, 0, 0], [1, 0, 1, 1, 0, 2, 1, 0, 1, 1, 0, 1]]
    f = spares_forecast(y, 2, calibrate=False)
    pol = stock_policy(f, target=0.9)
    return {
        "spares_forecast": f,
        "demand_classes": demand_classes(y),
        "stock_policy": pol,
        "policy_simulation": replay_policy(y, 2, order_up_to=[3, 4]),
    }
