"""Stock policies from a demand forecast and their replay (cxpath.kpi.stock_policy)."""

from __future__ import annotations

import importlib.util
import os
import sys

import numpy as np
import pytest

from cxpath.errors import DataError, InvalidParameterError, InvalidTypeError
from cxpath.forecast import spares_forecast
from cxpath.kpi import eoq, replay_policy, stock_policy

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BENCH = os.path.join(ROOT, "benchmarks", "bench_spares_policy.py")
DATA = os.path.join(ROOT, "..", "shared", "data", "carparts.csv.gz")
Y = [[0, 2, 0, 0, 1, 0, 0, 3, 0, 1, 0, 0]]


def _forecast(lead=2):
    return spares_forecast(Y, lead, calibrate=False)


def _brute(f, level, lead, review=1):
    """Fill rate and cycle service at order-up-to ``level`` by explicit sums (Silver,
    Pyke & Thomas 2017: shortage per cycle E(D_{L+R} - S)+ - E(D_L - S)+)."""
    p_lr, p_l, p_r = f.pmf(lead + review)[0], f.pmf(lead)[0], f.pmf(review)[0]

    def back(p, s):
        return sum((k - s) * p[k] for k in range(len(p)) if k > s)

    short = back(p_lr, level) - back(p_l, level)
    d_r = sum(k * p_r[k] for k in range(len(p_r)))
    return 1 - short / d_r, float(p_lr[:level + 1].sum())


def test_order_up_to_matches_explicit_sums():
    f = _forecast()
    for measure, target in (("fill", 0.9), ("cycle", 0.9), ("fill", 0.99)):
        pol = stock_policy(f, target=target, measure=measure)
        s = int(pol.order_up_to[0])
        fill, csl = _brute(f, s, 2)
        assert pol.fill_rate[0] == pytest.approx(fill, abs=1e-10)
        assert pol.cycle_service_level[0] == pytest.approx(csl, abs=1e-10)
        below_fill, below_csl = _brute(f, s - 1, 2)
        # the smallest level meeting the target
        assert (fill if measure == "fill" else csl) >= target
        assert (below_fill if measure == "fill" else below_csl) < target
        assert pol.reorder_level[0] == s - 1
        assert pol.safety_stock[0] == pytest.approx(s - pol.ltd_mean[0])


def test_review_period_protects_lead_time_plus_review():
    f = _forecast()
    pol = stock_policy(f, target=0.9, measure="fill", review=3)
    fill, csl = _brute(f, int(pol.order_up_to[0]), 2, review=3)
    assert pol.fill_rate[0] == pytest.approx(fill, abs=1e-10)
    assert pol.cycle_service_level[0] == pytest.approx(csl, abs=1e-10)


def test_simulation_reproduces_the_planned_measures():
    # demand drawn from the forecast model itself: the pooled fill rate, cycle service,
    # stock on hand and backorders equal the planned (exact) ones up to Monte Carlo error
    pol = stock_policy(_forecast(), target=0.9, measure="fill")
    sim = pol.simulate(400, paths=3000, seed=11)
    assert sim.total_fill_rate == pytest.approx(pol.fill_rate[0], abs=0.006)
    assert sim.cycle_service_level[0] == pytest.approx(pol.cycle_service_level[0], abs=0.004)
    assert sim.on_hand[0] == pytest.approx(pol.on_hand[0], rel=0.03)
    assert sim.backorders[0] == pytest.approx(pol.backorders[0], rel=0.1)


def test_sq_with_unit_quantity_is_order_up_to():
    # (R, s, Q = 1): the position after a review is s + 1, i.e. order up to S = s + 1
    f = _forecast()
    up = stock_policy(f, target=0.9, measure="fill")
    sq = stock_policy(f, target=0.9, measure="fill", policy="sQ", order_quantity=1)
    assert sq.reorder_level[0] + 1 == up.order_up_to[0]
    assert sq.fill_rate[0] == pytest.approx(up.fill_rate[0], abs=1e-12)
    ss = stock_policy(f, target=0.9, measure="fill", policy="sS", order_quantity=3)
    assert ss.order_up_to[0] == ss.reorder_level[0] + 3


def test_eoq_quantity():
    f = _forecast()
    pol = stock_policy(f, policy="sQ", order_cost=50.0, holding_cost=0.2)
    want = max(round(float(eoq(f.mean[0], 50.0, 0.2).quantity[0])), 1)
    assert pol.order_quantity[0] == want


def test_replay_by_hand():
    # S = 2, L = 1, demand 0 1 0 2 0 0 1 0: on hand 2 1 1 0 0 2 1 1 (orders at t = 2, 4, 7)
    r = replay_policy([[0, 1, 0, 2, 0, 0, 1, 0]], 1, order_up_to=[2])
    assert r.on_hand.tolist() == [1.0] and r.fill_rate.tolist() == [1.0]
    assert r.orders.tolist() == [3.0]
    # (s = 1, nQ = 2), L = 1, start 3 on hand: demand 3 0 0 0 -> on hand 0 0 2 2, 1 order
    q = replay_policy([[3, 0, 0, 0]], 1, reorder_level=[1], order_quantity=[2])
    assert q.on_hand.tolist() == [1.0] and q.orders.tolist() == [1.0]
    # S = 1, L = 0: demand 2 each period, 1 served from stock each time; every period short
    z = replay_policy([[2, 2]], 0, order_up_to=[1])
    assert z.fill_rate.tolist() == [0.5] and z.cycle_service_level.tolist() == [0.0]
    # review every 2 periods: S = 1, L = 0, demand 1 1 1 1 -> orders at t = 0, 2 only
    w = replay_policy([[1, 1, 1, 1]], 0, order_up_to=[1], review=2)
    assert w.served.tolist() == [2.0] and w.backorders.tolist() == [0.5]


def test_errors():
    f = _forecast()
    with pytest.raises(InvalidTypeError, match=r"must be a SparesForecast"):
        stock_policy([1, 2])
    with pytest.raises(InvalidParameterError, match=r"'order_quantity' parameter"):
        stock_policy(f, policy="sQ")
    with pytest.raises(InvalidParameterError, match=r"'target'"):
        stock_policy(f, target=1.0)
    with pytest.raises(DataError, match=r"one value, one per part \(1\)"):
        replay_policy([[1, 0, 1]], 1, order_up_to=[[1, 2]])
    with pytest.raises(InvalidParameterError, match=r"'order_up_to' parameter"):
        replay_policy([[1, 0, 1]], 1)
    pol = stock_policy(f)
    with pytest.raises(DataError, match=r"one row per part of the policy \(1\)"):
        pol.replay([[1, 0], [0, 1]])


def _bench():
    sys.path.insert(0, os.path.dirname(BENCH))
    spec = importlib.util.spec_from_file_location("bench_spares_policy", BENCH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.skipif(not os.path.exists(DATA), reason="../shared/data/carparts.csv.gz absent")
def test_carparts_fill_rate_and_stock_against_history_policy():
    from cxpath.kpi import parts_policy

    b = _bench()
    y = b.load(DATA)[::4]
    m, n = y.shape
    start, lead, target = 24, 3, 0.95
    # the vectorised history-based levels are parts_policy's (lead time + review = 4)
    assert (b.history_levels(y[:, :30], lead + 1, target)
            == parts_policy(y[:, :30], lead + 1, service_level=target).reorder_point).all()
    fc = np.empty((m, n - start))
    planned = np.empty((m, n - start))
    weight = np.empty((m, n - start))
    hist = np.empty((m, n - start))
    for j, t in enumerate(range(start, n)):
        f = spares_forecast(y[:, :t], lead, level=None, calibrate=False)
        pol = stock_policy(f, target=target, measure="fill")
        fc[:, j], planned[:, j], weight[:, j] = pol.order_up_to, pol.fill_rate, f.mean
        hist[:, j] = b.history_levels(y[:, :t], lead + 1, target)
    k = n - lead - start
    plan = float(np.mean((planned[:, :k] * weight[:, :k]).sum(1) / weight[:, :k].sum(1)))
    got = b._reset(y, fc, start)
    # per review (position S_t, actual demand of months t..t+3): the achieved fill rate,
    # mean over parts, is within 1 point of the planned one and of the target
    assert abs(got["fill_mean"] - plan) <= 0.01, (got, plan)
    assert abs(got["fill_mean"] - target) <= 0.015, got
    base = b._reset(y, hist, start)
    # the history-based policy at the same cycle-service target serves less
    assert base["fill_mean"] < got["fill_mean"]
    run = replay_policy(y[:, start:], lead, order_up_to=fc, warm=lead)
    assert np.nanmean(run.fill_rate) >= target - 0.01
