"""Erlang B / C / A and staffing: references, peers, independent chain solutions, properties."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
import scipy.linalg
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cxpath.errors import CxpathError, DataError, InvalidParameterError
from cxpath.kpi import erlang_a, erlang_b, erlang_c, interval_staffing, staffing, staffing_erlang_a


def _erlang_b_exact(n: int, a: Fraction) -> float:
    # textbook definition B = (A^n / n!) / sum_k A^k / k!, in exact rationals
    terms = [a**k / math.factorial(k) for k in range(n + 1)]
    return float(terms[-1] / sum(terms))


# ---------------------------------------------------------------- Erlang B

@settings(max_examples=60, deadline=None)
@given(n=st.integers(0, 60), a10=st.integers(1, 800))
def test_erlang_b_matches_exact_rational_definition(n, a10):
    got = erlang_b(n, a10 / 10)
    assert got == pytest.approx(_erlang_b_exact(n, Fraction(a10, 10)), rel=1e-12)


@pytest.mark.parametrize(("n", "a", "expected"), [
    (10, 4.46, 0.01),   # Erlang B table (e.g. Cooper 1981, Table I): 10 circuits, 1 % -> 4.46 E
    (20, 12.03, 0.01),  # same table: 20 circuits, 1 % -> 12.03 E
    (10, 5.08, 0.02),   # same table: 10 circuits, 2 % -> 5.08 E
    (20, 13.18, 0.02),  # same table: 20 circuits, 2 % -> 13.18 E
    (5, 1.36, 0.01),    # same table: 5 circuits, 1 % -> 1.36 E
])
def test_erlang_b_published_table(n, a, expected):
    # the table rounds the load to 0.01 E, which moves B by up to ~1e-4
    assert erlang_b(n, a) == pytest.approx(expected, abs=1.5e-4)


def test_erlang_b_large_systems_do_not_overflow():
    # A^n / n! overflows double precision long before n = 5000
    b = erlang_b(5000, 4900.0)
    assert 0 < b < 0.01
    assert erlang_b([0, 1], [3.0, 0.0]).tolist() == [1.0, 0.0]


# ---------------------------------------------------------------- Erlang C

def test_erlang_c_issue_reference():
    # issue #6 reference: 100 calls / 30 min, AHT 3 min, 14 agents -> SL(20 s) 0.88835,
    # P(wait) 0.17413 (same figures from pyworkforce 0.5 ErlangC and the Erlang C formula)
    r = erlang_c(100, 180, 14, answer_time=20)
    assert float(r.p_wait[0]) == pytest.approx(0.17413, abs=5e-6)
    assert float(r.service_level[0]) == pytest.approx(0.88835, abs=5e-6)
    assert float(r.occupancy[0]) == pytest.approx(10 / 14)
    # ASA = C * AHT / (n - A)
    assert float(r.asa[0]) == pytest.approx(0.174132 * 180 / 4, rel=1e-4)


def test_erlang_c_against_pyworkforce_live():
    pw = pytest.importorskip("pyworkforce.queuing")
    for calls, aht, n in [(100, 3, 14), (250, 4.5, 42), (37, 2.2, 4)]:
        ref = pw.ErlangC(transactions=calls, aht=aht, asa=20 / 60, interval=30)
        got = erlang_c(calls, aht, n, interval=30, answer_time=20 / 60)
        assert float(got.p_wait[0]) == pytest.approx(ref.waiting_probability(n), rel=1e-10)
        assert float(got.service_level[0]) == pytest.approx(ref.service_level(n), rel=1e-10)


def test_erlang_c_unstable_queue_is_explicit_not_nan():
    r = erlang_c(100, 180, [9, 10])
    assert r.p_wait.tolist() == [1.0, 1.0]
    assert r.service_level.tolist() == [0.0, 0.0]
    assert np.isinf(r.asa).all()
    assert r.occupancy.tolist() == [1.0, 1.0]


@settings(max_examples=60, deadline=None)
@given(a=st.floats(0.05, 200.0), t=st.floats(0.0, 3.0))
def test_service_level_rises_with_agents_and_p_wait_in_unit_interval(a, t):
    n = np.arange(math.floor(a) + 1, math.floor(a) + 30)
    r = erlang_c(a, 1.0, n, interval=1.0, answer_time=t)
    assert ((r.p_wait >= 0) & (r.p_wait <= 1)).all()
    assert (np.diff(r.service_level) >= -1e-12).all()
    assert (np.diff(r.asa) <= 1e-12).all()


# ---------------------------------------------------------------- staffing (Erlang C)

def test_staffing_issue_reference():
    # issue #6: 100 calls / 30 min, AHT 3 min, 80 % in 20 s, 30 % shrinkage, 85 % max
    # occupancy -> 14 agents before shrinkage, 20 after, SL 0.88835, P(wait) 0.17413
    s = staffing(100, 180, answer_time=20, target=0.8, max_occupancy=0.85, shrinkage=0.3)
    assert int(s.agents[0]) == 14
    assert int(s.scheduled[0]) == 20
    assert float(s.service_level[0]) == pytest.approx(0.88835, abs=5e-6)
    assert float(s.p_wait[0]) == pytest.approx(0.17413, abs=5e-6)


def test_staffing_never_overstaffs_where_pyworkforce_does():
    # issue #6: A = 1.6, t = AHT, target 0.5 -> 2 agents (SL 0.5233); pyworkforce returns 3
    s = staffing(1.6, 1.0, interval=1.0, answer_time=1.0, target=0.5)
    assert int(s.agents[0]) == 2
    assert float(s.service_level[0]) == pytest.approx(0.52332, abs=1e-5)
    pw = pytest.importorskip("pyworkforce.queuing")
    ref = pw.ErlangC(transactions=1.6, aht=1.0, asa=1.0, interval=1).required_positions(0.5)
    assert ref["raw_positions"] == 3


def test_staffing_identical_to_pyworkforce_where_pyworkforce_is_right():
    pw = pytest.importorskip("pyworkforce.queuing")
    rng = np.random.default_rng(6)
    calls = rng.uniform(5, 400, 300).round(1)
    aht = rng.uniform(1, 8, 300).round(2)
    targets = rng.choice([0.7, 0.8, 0.9], 300)
    occ = rng.choice([0.8, 0.85, 1.0], 300)
    ours = staffing(calls, aht, interval=30, answer_time=20 / 60, target=targets,
                    max_occupancy=occ, shrinkage=0.3)
    checked = floating_ceil = 0
    for i in range(300):
        model = pw.ErlangC(transactions=calls[i], aht=aht[i], asa=20 / 60, interval=30,
                           shrinkage=0.3)
        ref = model.required_positions(service_level=targets[i], max_occupancy=occ[i])
        a = calls[i] * aht[i] / 30
        low = max(math.floor(a) + 1, math.ceil(a / occ[i] - 1e-9))
        pyworkforce_skipped_minimum = (round(a + 1) > low
                                       and model.service_level(low) >= targets[i])
        if pyworkforce_skipped_minimum:
            assert ours.agents[i] == low < ref["raw_positions"]
            continue
        checked += 1
        assert ours.agents[i] == ref["raw_positions"], i
        exact = Fraction(int(ours.agents[i])) / (1 - Fraction(3, 10))
        if exact.denominator == 1 and ref["positions"] == exact + 1:
            # pyworkforce's float ceil: 21 / 0.7 = 30.000000000000004 -> 31; 30 is right
            floating_ceil += 1
            assert ours.scheduled[i] == exact
            continue
        assert ours.scheduled[i] == ref["positions"], i
    assert checked > 200


@settings(max_examples=80, deadline=None)
@given(a=st.floats(0.01, 300.0), t=st.floats(0.0, 2.0), target=st.floats(0.0, 0.99),
       occ=st.floats(0.5, 1.0))
def test_staffing_is_the_minimum(a, t, target, occ):
    s = staffing(a, 1.0, interval=1.0, answer_time=t, target=target, max_occupancy=occ)
    n = int(s.agents[0])
    assert n > a and a / n <= occ * (1 + 1e-12)
    assert float(s.service_level[0]) >= target
    if n - 1 > a and a / (n - 1) <= occ:  # one agent fewer would miss the target
        below = erlang_c(a, 1.0, n - 1, interval=1.0, answer_time=t)
        assert float(below.service_level[0]) < target


def test_shrinkage_rounding_ignores_float_excess():
    from cxpath.kpi.queueing import _shrink

    got = _shrink(np.array([14, 21, 5, 0, 3]), np.array([0.3, 0.3, 0.5, 0.3, 0.0000001]))
    assert got.tolist() == [20, 30, 10, 0, 4]


def test_staffing_max_asa_and_zero_volume_and_vectorised():
    s = staffing([0, 100, 100], 180, max_asa=[5.0, 5.0, 1e9])
    assert s.agents[0] == 0 and s.service_level[0] == 1 and s.asa[0] == 0
    assert s.asa[1] <= 5.0 and s.agents[1] > s.agents[2]
    one_by_one = [int(staffing(c, 180).agents[0]) for c in (50, 80, 120)]
    assert staffing([50, 80, 120], 180).agents.tolist() == one_by_one
    assert s.to_frame("dict")["agents"].tolist() == s.agents.tolist()


# ---------------------------------------------------------------- Erlang A

def _erlang_a_by_linear_algebra(load, n, g, tau, top=400):
    """Independent solution: stationary law by least squares on the truncated generator,
    answered-within-tau by the matrix exponential of the tagged customer's chain."""
    q = np.zeros((top + 1, top + 1))
    for k in range(top):
        q[k, k + 1] = load
        q[k + 1, k] = (k + 1) if k + 1 <= n else n + (k + 1 - n) * g
    np.fill_diagonal(q, -q.sum(axis=1))
    lhs = np.vstack([q.T, np.ones(top + 1)])
    rhs = np.zeros(top + 2)
    rhs[-1] = 1.0
    pi = np.linalg.lstsq(lhs, rhs, rcond=None)[0]
    queue = (np.clip(np.arange(top + 1) - n, 0, None) * pi).sum()
    m = top - n + 1  # positions ahead 0..m-1, then served, abandoned
    gen = np.zeros((m + 2, m + 2))
    for i in range(m):
        if i == 0:
            gen[0, m] = n
        else:
            gen[i, i - 1] = n + i * g
        gen[i, m + 1] = g
    np.fill_diagonal(gen, -gen.sum(axis=1))
    absorbed = scipy.linalg.expm(gen * tau)[:m, m]
    within = pi[:n].sum() + (pi[n:] * absorbed).sum()
    return pi[n:].sum(), g * queue / load, queue / load, within


@pytest.mark.parametrize(("load", "n", "g", "tau"), [
    (8.0, 9, 0.7, 0.3), (10.0, 10, 1.5, 0.1111), (12.0, 9, 0.25, 0.5), (3.0, 5, 3.0, 1.0)])
def test_erlang_a_matches_independent_chain_solution(load, n, g, tau):
    r = erlang_a(load, 1.0, n, patience=1.0 / g, interval=1.0, answer_time=tau)
    p_wait, p_ab, wait_all, within = _erlang_a_by_linear_algebra(load, n, g, tau)
    assert float(r.p_wait[0]) == pytest.approx(p_wait, rel=1e-9)
    assert float(r.p_abandon[0]) == pytest.approx(p_ab, rel=1e-9)
    assert float(r.asa_all[0]) == pytest.approx(wait_all, rel=1e-9)
    assert float(r.service_level[0]) == pytest.approx(within, rel=1e-8)


def test_erlang_a_answered_wait_by_simulation_of_the_same_chain():
    # Monte Carlo of the tagged-customer chain (arrival behind j waiting) vs the exact mean
    load, n, g = 10.0, 10, 0.8
    r = erlang_a(load, 1.0, n, patience=1 / g, interval=1.0, answer_time=0.2)
    rng = np.random.default_rng(1)
    top = 300
    rates = np.array([min(k, n) + max(k - n, 0) * g for k in range(1, top + 1)])
    logw = np.concatenate([[0.0], np.cumsum(np.log(load) - np.log(rates))])
    pi = np.exp(logw - logw.max())
    pi /= pi.sum()
    states = rng.choice(top + 1, size=200_000, p=pi)
    waits, served = np.zeros(states.size), np.ones(states.size, dtype=bool)
    queued = states >= n
    ahead = np.where(queued, states - n, -1)
    alive = queued.copy()
    while alive.any():
        idx = np.flatnonzero(alive)
        rate = n + (ahead[idx] + 1) * g
        waits[idx] += rng.exponential(1.0 / rate)
        leaves = rng.random(idx.size) < g / rate
        served[idx[leaves]] = False
        alive[idx[leaves]] = False
        move = idx[~leaves]
        ahead[move] -= 1
        alive[move[ahead[move] < 0]] = False
    assert float(r.p_abandon[0]) == pytest.approx(1 - served.mean(), abs=4e-3)
    assert float(r.asa_answered[0]) == pytest.approx(waits[served].mean(), rel=0.02)
    assert float(r.service_level[0]) == pytest.approx((served & (waits <= 0.2)).mean(),
                                                      abs=4e-3)


@settings(max_examples=40, deadline=None)
@given(a=st.floats(0.2, 60.0), extra=st.integers(1, 10), t=st.floats(0.0, 1.5))
def test_erlang_a_tends_to_erlang_c_as_patience_grows(a, extra, t):
    n = math.floor(a) + extra
    # "infinite" patience (1e9) must dwarf the waits: a load a hair below n (a = 2 - 1e-15
    # with n = 2) queues for ~1/(1 - a/n) service times, beyond any finite patience
    assume(a / n <= 0.99)
    c = erlang_c(a, 1.0, n, interval=1.0, answer_time=t)
    ea = erlang_a(a, 1.0, n, patience=1e9, interval=1.0, answer_time=t)
    assert float(ea.p_wait[0]) == pytest.approx(float(c.p_wait[0]), rel=1e-5, abs=1e-9)
    assert float(ea.service_level[0]) == pytest.approx(float(c.service_level[0]), abs=1e-6)
    assert float(ea.asa_answered[0]) == pytest.approx(float(c.asa[0]), rel=1e-4, abs=1e-9)
    assert float(ea.p_abandon[0]) < 1e-5


@settings(max_examples=50, deadline=None)
@given(a=st.floats(0.1, 80.0), n=st.integers(1, 90), patience=st.floats(0.05, 20.0))
def test_erlang_a_identities(a, n, patience):
    r = erlang_a(a, 1.0, n, patience=patience, interval=1.0, answer_time=0.3)
    for name in ("p_wait", "p_abandon", "service_level", "service_level_answered",
                 "occupancy"):
        x = float(getattr(r, name)[0])
        assert 0.0 <= x <= 1.0, name
    # abandonment probability = theta * E[waiting time of all] (Little's law, per arrival)
    assert float(r.p_abandon[0]) == pytest.approx(float(r.asa_all[0]) / patience, rel=1e-9)
    assert float(r.service_level[0]) <= float(r.service_level_answered[0]) + 1e-12


@settings(max_examples=40, deadline=None)
@given(a=st.floats(0.2, 50.0), patience=st.floats(0.05, 20.0), t=st.floats(0.0, 1.5))
def test_erlang_a_improves_with_agents(a, patience, t):
    n = np.arange(1, int(a) + 40)
    r = erlang_a(a, 1.0, n, patience=patience, interval=1.0, answer_time=t)
    assert (np.diff(r.service_level) >= -1e-12).all()
    assert (np.diff(r.p_abandon) <= 1e-12).all()
    assert (np.diff(r.asa_answered) <= 1e-12).all()
    assert (np.diff(r.occupancy) <= 1e-12).all()


def test_staffing_erlang_a_is_minimal_and_below_erlang_c():
    s = staffing_erlang_a([100, 300, 20], 180, patience=[120, 60, 300], target=0.8,
                          max_abandon=0.05)
    for i, (vol, pat) in enumerate([(100, 120), (300, 60), (20, 300)]):
        n = int(s.agents[i])
        assert float(s.service_level[i]) >= 0.8 and float(s.p_abandon[i]) <= 0.05
        below = erlang_a(vol, 180, n - 1, patience=pat)
        assert float(below.service_level[0]) < 0.8 or float(below.p_abandon[0]) > 0.05
        assert n <= int(staffing(vol, 180, target=0.8).agents[0])
    assert s.model == "erlang_a"


@settings(max_examples=40, deadline=None)
@given(a=st.floats(0.2, 40.0), patience=st.floats(0.1, 10.0), t=st.floats(0.0, 1.0),
       target=st.floats(0.05, 0.95), max_abandon=st.sampled_from([1.0, 0.1, 0.03]),
       occ=st.sampled_from([1.0, 0.9]))
def test_staffing_erlang_a_equals_a_linear_scan(a, patience, t, target, max_abandon, occ):
    # the kernel gallops and bisects; a plain scan over every agent count is the oracle
    s = staffing_erlang_a(a, 1.0, patience, interval=1.0, answer_time=t, target=target,
                          max_abandon=max_abandon, max_occupancy=occ)
    n = np.arange(1, int(a) + 60)
    r = erlang_a(a, 1.0, n, patience=patience, interval=1.0, answer_time=t)
    ok = ((r.service_level >= target) & (r.p_abandon <= max_abandon)
          & (r.occupancy <= occ))
    assert int(s.agents[0]) == int(n[np.argmax(ok)])


# ---------------------------------------------------------------- interval staffing

def test_interval_staffing_on_the_sample_peak_week():
    from cxpath.datasets import load_sample

    iv = load_sample().interval_volumes
    r = interval_staffing("calls", "aht_s", data=iv, start="start", shrinkage=0.3,
                          max_occupancy=0.85)
    assert r.agents.shape == iv["calls"].shape
    assert (r.agents[iv["calls"] == 0] == 0).all()
    busy = iv["calls"] > 0
    assert (r.staffing.service_level[busy] >= 0.8).all()
    p = r.peak
    again = staffing(iv["calls"][p], iv["aht_s"][p], shrinkage=0.3, max_occupancy=0.85)
    assert r.scheduled[p] == again.scheduled[0]
    assert "peak interval" in repr(r)
    ea = interval_staffing(iv["calls"], iv["aht_s"], model="erlang_a", patience=90)
    assert (ea.agents <= interval_staffing(iv["calls"], iv["aht_s"]).agents).all()


# ---------------------------------------------------------------- bad inputs

@pytest.mark.parametrize(("call", "fragment"), [
    (lambda: erlang_b(-1, 2.0), "'agents' parameter of kpi.erlang_b"),
    (lambda: erlang_b(2, -1.0), "'load' parameter of kpi.erlang_b"),
    (lambda: erlang_b([[1, 2]], 1.0), "1-dimensional"),
    (lambda: erlang_c(-5, 180, 3), "'volume' parameter of kpi.erlang_c"),
    (lambda: erlang_c(5, 0, 3), "'aht' parameter of kpi.erlang_c"),
    (lambda: erlang_c(5, 180, 0), "'agents' parameter of kpi.erlang_c"),
    (lambda: erlang_c([1, 2, 3], 180, [1, 2]), "broadcastable"),
    (lambda: staffing(100, 180, target=1.0), "'target' parameter of kpi.staffing"),
    (lambda: staffing(100, 180, target=-0.1), "'target' parameter of kpi.staffing"),
    (lambda: staffing(100, 180, shrinkage=1.0), "'shrinkage' parameter of kpi.staffing"),
    (lambda: staffing(100, 180, max_occupancy=0), "'max_occupancy' parameter"),
    (lambda: staffing(100, float("nan")), "NaN"),
    (lambda: erlang_a(100, 180, 10, patience=0), "'patience' parameter of kpi.erlang_a"),
    (lambda: erlang_a(100, 180, 5, patience=1e12), "too long"),
    (lambda: staffing_erlang_a(100, 180, 60, max_abandon=1.5), "'max_abandon' parameter"),
    (lambda: interval_staffing([1, -1], 180), "'volume' parameter of kpi.interval_staffing"),
    (lambda: interval_staffing([0, 5], [0, 0]), "positive wherever the volume is positive"),
    (lambda: interval_staffing([1, 2], 180, model="erlang_a"), "'patience' parameter"),
    (lambda: interval_staffing([1, 2], 180, model="x"), "'model' parameter"),
    (lambda: interval_staffing("calls", 180, data={"c": [1]}), "a column of 'data'"),
])
def test_bad_inputs(call, fragment):
    with pytest.raises(CxpathError, match=None) as info:
        call()
    assert fragment in str(info.value)
    assert isinstance(info.value, (InvalidParameterError, DataError))
