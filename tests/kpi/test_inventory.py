"""Spare-part inventory: textbook examples, numerical checks, slow movers, the sample parts."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, stats

from cxpath.datasets import load_sample
from cxpath.errors import DataError, InvalidParameterError
from cxpath.kpi import (
    days_of_supply,
    eoq,
    inventory_turnover,
    parts_policy,
    reorder_point,
    slow_mover_stock,
)


def test_eoq_textbook():
    # Heizer & Render, Operations Management, EOQ example (Sharp, Inc.): D = 1000 units/yr,
    # S = $10/order, H = $0.50/unit/yr -> Q* = 200, N = 5 orders, total cost $100
    r = eoq(1000, 10, 0.5)
    assert float(r.quantity[0]) == pytest.approx(200.0)
    assert float(r.orders_per_period[0]) == pytest.approx(5.0)
    assert float(r.total_cost[0]) == pytest.approx(100.0)
    assert float(r.ordering_cost[0]) == pytest.approx(float(r.holding_cost[0]))


@settings(max_examples=60, deadline=None)
@given(d=st.floats(1, 1e6), s=st.floats(0.1, 1e4), h=st.floats(0.01, 1e3))
def test_eoq_minimises_total_cost(d, s, h):
    q = float(eoq(d, s, h).quantity[0])

    def cost(x):
        return d * s / x + h * x / 2

    assert cost(q) <= cost(q * 1.01) and cost(q) <= cost(q * 0.99)


def test_safety_stock_textbook_examples():
    # Heizer & Render, reorder-point examples (z from the normal table):
    # demand 15/day (sd 5), lead time 2 days, 90 %: sigma_dLT = 7.07, ROP = 30 + 1.28 * 7.07
    r = reorder_point(15, 5, 2, service_level=0.90)
    assert float(r.ltd_sd[0]) == pytest.approx(5 * np.sqrt(2))
    assert float(r.reorder_point[0]) == pytest.approx(39.05, abs=0.02)
    # demand 10/day constant, lead time 6 days (sd 1), 98 %: SS = 2.055 * 10 = 20.55
    r = reorder_point(10, 0, 6, lead_time_sd=1, service_level=0.98)
    assert float(r.safety_stock[0]) == pytest.approx(20.55, abs=0.02)
    # demand 150/day (sd 16), lead time 5 days (sd 1), 95 %: sigma = 154, ROP = 1004
    r = reorder_point(150, 16, 5, lead_time_sd=1, service_level=0.95)
    assert float(r.ltd_sd[0]) == pytest.approx(np.sqrt(5 * 16**2 + 150**2), rel=1e-12)
    assert round(float(r.reorder_point[0])) == 1004


def test_fill_rate_against_numerical_integration():
    mu, sigma, q = 200.0, 40.0, 300.0
    r = reorder_point(50, 20, 4, service_level=0.9, order_quantity=q)
    assert float(r.ltd_mean[0]) == mu and float(r.ltd_sd[0]) == sigma
    s = float(r.reorder_point[0])
    shortage = integrate.quad(lambda x: (x - s) * stats.norm.pdf(x, mu, sigma), s, np.inf)[0]
    assert float(r.fill_rate[0]) == pytest.approx(1 - shortage / q, rel=1e-8)
    assert float(r.fill_rate[0]) > float(r.cycle_service_level[0])


@pytest.mark.parametrize("distribution", ["poisson", "negbin"])
def test_slow_movers_against_brute_force(distribution):
    rate, lead, target, vtm = np.array([0.2, 0.5, 2.0]), 3.0, 0.95, 2.5
    r = slow_mover_stock(rate, lead, target=target, distribution=distribution,
                         variance_to_mean=vtm if distribution == "negbin" else 1.0)
    for i, m in enumerate(rate * lead):
        if distribution == "poisson":
            d = stats.poisson(m)
        else:
            p = 1 / vtm
            d = stats.nbinom(m * p / (1 - p), p)
            assert d.mean() == pytest.approx(m) and d.var() == pytest.approx(vtm * m)
        s = 0
        while d.cdf(s) < target:  # smallest S meeting the cycle service target
            s += 1
        assert r.base_stock[i] == s
        ks = np.arange(s, s + 400)
        assert r.expected_backorders[i] == pytest.approx(((ks - s) * d.pmf(ks)).sum(),
                                                         abs=1e-10)
        assert r.fill_rate[i] == pytest.approx(d.cdf(s - 1))
    fill = slow_mover_stock(rate, lead, target=target, measure="fill",
                            distribution=distribution,
                            variance_to_mean=vtm if distribution == "negbin" else 1.0)
    assert (fill.fill_rate >= target).all() and (fill.base_stock >= r.base_stock).all()


def test_turnover_and_days_of_supply():
    assert inventory_turnover([120.0, 50.0], 30.0).tolist() == [4.0, 50 / 30]
    assert days_of_supply([30, 5, 0], [2.0, 0.0, 0.0]).tolist() == [15.0, np.inf, 0.0]


def test_parts_policy_on_the_sample():
    wp = load_sample().weekly_parts
    p = parts_policy(wp["demand"], wp["lead_time_weeks"], parts=wp["part_id"],
                     unit_cost=wp["unit_cost"])
    assert p.part.tolist() == wp["part_id"].tolist()
    assert set(p.model.tolist()) <= {"normal", "poisson", "negbin", "none"}
    assert (p.cycle_service_level[p.model != "none"] >= 0.95).all()
    i = int(np.flatnonzero(p.model == "negbin")[0]) if (p.model == "negbin").any() else 0
    row = wp["demand"][i]
    assert p.mean_demand[i] == pytest.approx(row.mean())
    assert p.stock_value[i] == pytest.approx(p.reorder_point[i] * wp["unit_cost"][i])


@pytest.mark.parametrize(("call", "exc", "fragment"), [
    (lambda: eoq(-1, 10, 1), DataError, "'demand' parameter of kpi.eoq"),
    (lambda: eoq(100, 10, 0), DataError, "'holding_cost'"),
    (lambda: reorder_point(10, 2, 0), DataError, "'lead_time' parameter of kpi.reorder_point"),
    (lambda: reorder_point(10, 2, 3, service_level=1.0), DataError, "'service_level'"),
    (lambda: reorder_point(10, -2, 3), DataError, "'demand_sd'"),
    (lambda: reorder_point(10, 2, 3, order_quantity=0), DataError, "'order_quantity'"),
    (lambda: slow_mover_stock(0, 3), DataError, "'demand_rate'"),
    (lambda: slow_mover_stock(1, 3, distribution="negbin"), DataError, "greater than 1"),
    (lambda: slow_mover_stock(1, 3, measure="x"), InvalidParameterError, "'measure'"),
    (lambda: slow_mover_stock(1, 3, target=1.2), DataError, "'target'"),
    (lambda: inventory_turnover(10, 0), DataError, "'average_inventory'"),
    (lambda: days_of_supply(-1, 1), DataError, "'on_hand'"),
    (lambda: parts_policy([1, 2, 3], 2), InvalidParameterError, "2-dimensional"),
    (lambda: parts_policy([[1, 2.5]], 2), DataError, "whole units"),
    (lambda: parts_policy([[1]], 2), DataError, "at least 2 periods"),
    (lambda: parts_policy([[1, 2], [3, 4]], [1, 2, 3]), DataError, "one per part"),
])
def test_bad_inputs(call, exc, fragment):
    with pytest.raises(exc) as info:
        call()
    assert fragment in str(info.value)
