"""Instances of the repairable-system, maintenance and spare-part results
(cxpath.reliability.repairable, .maintenance, .spares)."""

from __future__ import annotations

from cxpath import reliability as rel


def build(sample, tmp) -> dict:
    t = [5, 40, 43, 175, 389, 712, 747, 795, 1299, 1478]
    life = rel.fit([16, 34, 53, 75, 93, 120, 150, 191], "weibull")
    demand = rel.installed_base_demand(life, [0, 12], [30, 20], periods=3, renewal=True)
    return {
        "mean_cumulative_function": rel.mcf([2.0, 5.0, 3.0], ["a", "a", "b"],
                                            {"a": 6, "b": 4}),
        "power_law_fit": rel.crow_amsaa(t, end=1500),
        "trend_test": rel.trend_test(t, end=1500),
        "availability": rel.availability(["p1", "p2"], [10.0, 20.0], [11.0, 22.0],
                                         [12.0, 25.0], observed=100),
        "age_replacement": rel.age_replacement(life, 1.0, 10.0, points=20),
        "pm_interval": rel.pm_interval(1.0, 4.0, beta=2.0, theta=100.0, points=10),
        "installed_base_demand": demand,
        "lead_time_demand": rel.lead_time_demand(demand, 2),
        "last_time_buy": rel.last_time_buy(life, [12], [20], horizon=6),
    }
