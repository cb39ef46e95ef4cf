"""Fault trees: published examples, brute-force oracles over all 2^n states, caps, errors."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxpath.errors import CostError, CxpathError, DataError, InvalidParameterError
from cxpath.fmea import Worksheet, observed_occurrence
from cxpath.rca import (
    AIAG_FMEA4_OCCURRENCE_PROBABILITY,
    And,
    AtLeast,
    CutSets,
    FaultTree,
    Importance,
    Or,
    probabilities_from_counts,
    probabilities_from_worksheet,
)

# NUREG-0492 (Vesely et al. 1981, Fault Tree Handbook), chapter VIII, the pressure-tank
# example: fault tree for "rupture of pressure tank after the start of pumping" and its
# basic-event probabilities (p. VIII-13): T tank 5e-6, K2 relay 3e-5, S switch 1e-4,
# S1 switch 3e-5, K1 relay 3e-5, R timer relay 1e-4. Minimal cut sets printed in the
# handbook: {T}, {K2}, {S, K1}, {S, R}, {S, S1}.
TANK = {"E1": ("or", ["T", "E2"]), "E2": ("or", ["K2", "E3"]), "E3": ("and", ["S", "E4"]),
        "E4": ("or", ["S1", "E5"]), "E5": ("or", ["K1", "R"])}
TANK_P = {"T": 5e-6, "K2": 3e-5, "S": 1e-4, "S1": 3e-5, "K1": 3e-5, "R": 1e-4}


def test_nureg0492_pressure_tank_cut_sets_and_top_probability():
    ft = FaultTree(TANK, TANK_P)
    cs = ft.cut_sets()
    assert set(cs.sets) == {frozenset({"T"}), frozenset({"K2"}), frozenset({"S", "K1"}),
                            frozenset({"S", "R"}), frozenset({"S", "S1"})}
    # by hand: rare-event sum 5e-6 + 3e-5 + 1e-4 * (3e-5 + 3e-5 + 1e-4) = 3.5016e-5
    assert ft.probability("rare_event") == pytest.approx(3.5016e-5, rel=1e-12)
    # by hand, exact (independent events, tree without shared events):
    # 1 - (1 - T)(1 - K2)(1 - S * (1 - (1 - S1)(1 - K1)(1 - R)))
    e4 = 1 - (1 - 3e-5) * (1 - 3e-5) * (1 - 1e-4)
    exact = 1 - (1 - 5e-6) * (1 - 3e-5) * (1 - 1e-4 * e4)
    assert exact == pytest.approx(3.5015849e-5, rel=1e-7)
    assert ft.probability() == pytest.approx(exact, rel=1e-12)
    # K2 alone carries 3e-5 / 3.5016e-5 = 85.7 % of the rare-event sum
    assert cs.labels[0] == "K2" and cs.share[0] == pytest.approx(3e-5 / 3.5016e-5)
    assert cs.cut_set.tolist() == ["K2", "T", "S & R", "S & S1", "S & K1"]


def test_nureg0492_chapter_vii_boolean_reduction_with_shared_events():
    # NUREG-0492 chapter VII (Boolean reduction of an example tree): T = E1 E2,
    # E1 = A + E3, E3 = B + C, E2 = C + E4, E4 = A B reduces to T = C + A B; A, B and C
    # each feed both branches.
    ft = FaultTree({"T": ("and", ["E1", "E2"]), "E1": ("or", ["A", "E3"]),
                    "E3": ("or", ["B", "C"]), "E2": ("or", ["C", "E4"]),
                    "E4": ("and", ["A", "B"])}, {"A": 0.1, "B": 0.2, "C": 0.3})
    assert set(ft.cut_sets().sets) == {frozenset({"C"}), frozenset({"A", "B"})}
    # P(C + AB) = 0.3 + 0.1*0.2 - 0.3*0.1*0.2 = 0.314 (by hand); the naive product of the
    # branch probabilities would give P(E1) P(E2) = 0.496 * 0.314 = 0.155744
    assert ft.probability() == pytest.approx(0.314, abs=1e-15)
    assert ft.probability("rare_event") == pytest.approx(0.32, abs=1e-15)
    assert ft.probability("mcub") == pytest.approx(1 - 0.7 * 0.98, abs=1e-15)


# ------------------------------------------------------------------ brute-force oracles

@st.composite
def trees(draw, max_events=16):
    """Random coherent trees: gates over events and earlier gates (so events and gates are
    shared), the last gate the top; it also takes every gate nothing else uses and, half the
    time, every event nothing uses yet (so trees reach ``max_events`` events)."""
    n = draw(st.integers(1, max_events))
    events = [f"e{i}" for i in range(n)]
    n_gates = draw(st.integers(1, 8))
    gates: dict = {}
    used: set = set()
    for g in range(n_gates):
        pool = events + list(gates)
        size = draw(st.integers(1, min(6, len(pool))))
        ins = draw(st.lists(st.sampled_from(pool), min_size=size, max_size=size, unique=True))
        if g == n_gates - 1:
            ins += [x for x in gates if x not in used and x not in ins]
            if draw(st.booleans()):
                ins += [e for e in events if e not in used and e not in ins]
        used.update(ins)
        kind = draw(st.sampled_from(["and", "or", "atleast", "atleast"]))
        if kind == "atleast":
            gates[f"G{g}"] = ("atleast", draw(st.integers(1, len(ins))), ins)
        else:
            gates[f"G{g}"] = (kind, ins)
    top = f"G{n_gates - 1}"
    probs = {e: draw(st.sampled_from([0.0, 0.05, 0.1, 0.3, 0.5, 0.9, 1.0])) for e in events}
    return gates, top, probs


def _truth(gates, top, events, states):
    """Top event over boolean states (rows: states, columns: ``events``)."""
    col = {e: states[:, i] for i, e in enumerate(events)}
    memo = {}

    def value(x):
        if x in col:
            return col[x]
        if x not in memo:
            spec = gates[x]
            ins = np.stack([value(y) for y in spec[-1]])
            k = len(spec[-1]) if spec[0] == "and" else 1 if spec[0] == "or" else spec[1]
            memo[x] = ins.sum(axis=0) >= k
        return memo[x]

    return value(top)


def _all_states(n):
    return np.array(list(itertools.product([False, True], repeat=n)), dtype=bool).reshape(-1, n)


def _brute_probability(gates, top, events, p):
    states = _all_states(len(events))
    q = np.asarray(p)
    weight = np.prod(np.where(states, q, 1 - q), axis=1)
    return float(weight[_truth(gates, top, events, states)].sum())


def _brute_cut_sets(gates, top, events):
    states = _all_states(len(events))
    fails = states[_truth(gates, top, events, states)]
    sets = [frozenset(e for e, x in zip(events, row) if x) for row in fails]
    return {s for s in sets if not any(o < s for o in sets)}


_SETTINGS = settings(max_examples=60, deadline=None,
                     suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(trees())
def test_bdd_probability_equals_enumeration_over_all_states(tree):
    gates, top, probs = tree
    ft = FaultTree(gates, probs, top=top)
    p = [probs[e] for e in ft.events]
    assert ft.probability() == pytest.approx(_brute_probability(gates, top, ft.events, p),
                                             abs=1e-12)


@_SETTINGS
@given(trees(max_events=10), st.randoms(use_true_random=False))
def test_probability_does_not_depend_on_variable_order(tree, rnd):
    gates, top, probs = tree
    ft = FaultTree(gates, probs, top=top)
    order = list(ft.events)
    rnd.shuffle(order)
    assert ft.probability(order=order) == pytest.approx(ft.probability(), abs=1e-12)


@_SETTINGS
@given(trees(max_events=10))
def test_minimal_cut_sets_equal_brute_force_minimal_failing_states(tree):
    gates, top, probs = tree
    ft = FaultTree(gates, probs, top=top)
    cs = ft.cut_sets()
    assert set(cs.sets) == _brute_cut_sets(gates, top, ft.events)
    assert len(set(cs.sets)) == len(cs.sets)
    # approximations from the sets, and the coherent-system bounds exact <= mcub <= sum
    probs_cs = [math.prod(probs[e] for e in s) for s in cs.sets]
    assert ft.probability("rare_event") == pytest.approx(sum(probs_cs), abs=1e-12)
    mcub = 1 - math.prod(1 - x for x in probs_cs)
    assert ft.probability("mcub") == pytest.approx(mcub, abs=1e-12)
    assert ft.probability() <= mcub + 1e-12 <= sum(probs_cs) + 2e-12


@_SETTINGS
@given(trees(max_events=10), st.integers(1, 3))
def test_truncated_cut_sets_are_the_brute_force_sets_up_to_that_order(tree, m):
    gates, top, _ = tree
    ft = FaultTree(gates, top=top)
    want = {s for s in _brute_cut_sets(gates, top, ft.events) if len(s) <= m}
    got = ft.cut_sets(max_order=m)
    assert set(got.sets) == want and got.max_order == m


@_SETTINGS
@given(trees(max_events=9))
def test_importance_measures_equal_their_definitions(tree):
    gates, top, probs = tree
    ft = FaultTree(gates, probs, top=top)
    imp = ft.importance()
    ev = list(ft.events)
    p = np.array([probs[e] for e in ev])
    big_p = _brute_probability(gates, top, ev, p)
    assert imp.top_probability == pytest.approx(big_p, abs=1e-12)
    states = _all_states(len(ev))
    weight = np.prod(np.where(states, p, 1 - p), axis=1)
    sets = _brute_cut_sets(gates, top, ev)
    for i, e in enumerate(ev):
        row = imp.loc(e)
        p1 = _brute_probability(gates, top, ev, np.where(np.arange(len(ev)) == i, 1.0, p))
        p0 = _brute_probability(gates, top, ev, np.where(np.arange(len(ev)) == i, 0.0, p))
        assert row["p_top_if_failed"] == pytest.approx(p1, abs=1e-12)
        assert row["p_top_if_working"] == pytest.approx(p0, abs=1e-12)
        assert row["birnbaum"] == pytest.approx(p1 - p0, abs=1e-12)
        # Fussell-Vesely: P(some minimal cut set containing e has occurred) / P(top)
        mine = [s for s in sets if e in s]
        hit = np.zeros(len(states), dtype=bool)
        for s in mine:
            hit |= np.all(states[:, [ev.index(x) for x in s]], axis=1)
        if big_p > 0:
            assert row["criticality"] == pytest.approx((p1 - p0) * p[i] / big_p, abs=1e-9)
            assert row["fussell_vesely"] == pytest.approx(weight[hit].sum() / big_p, abs=1e-9)
            assert row["raw"] == pytest.approx(p1 / big_p, rel=1e-9)
            if p0 > 0:
                assert row["rrw"] == pytest.approx(big_p / p0, rel=1e-9)
            else:
                assert row["rrw"] == math.inf
        else:
            assert math.isnan(row["criticality"]) and math.isnan(row["raw"])


def test_birnbaum_is_the_finite_difference_of_the_top_probability():
    ft = FaultTree(TANK, TANK_P)
    imp = ft.importance()
    h = 1e-6
    for e in ft.events:
        up = ft.with_probabilities({**TANK_P, e: TANK_P[e] + h}).probability()
        down = ft.with_probabilities({**TANK_P, e: TANK_P[e] - h}).probability()
        assert imp.loc(e)["birnbaum"] == pytest.approx((up - down) / (2 * h), rel=1e-6)


def test_gate_objects_tuples_and_mappings_build_the_same_tree():
    nested = FaultTree(Or("T", Or("K2", And("S", Or("S1", Or("K1", "R")))), name="E1"),
                       TANK_P)
    mixed = FaultTree({"E1": Or("T", "E2"), "E2": ("or", ["K2", ("and", ["S", "E4"])]),
                       "E4": Or("S1", Or("K1", "R", name="E5"))}, TANK_P)
    plain = FaultTree(TANK, TANK_P)
    for ft in (nested, mixed):
        assert ft.top == "E1"
        assert set(ft.cut_sets().sets) == set(plain.cut_sets().sets)
        assert ft.probability() == pytest.approx(plain.probability(), rel=1e-14)
    assert "E5" in mixed.gates and "E2.2" in mixed.gates


def test_gates_and_trees_pickle():
    import pickle

    gate = Or("T", AtLeast(2, "a", "b", "c"), name="E1")
    back = pickle.loads(pickle.dumps(gate))
    assert repr(back) == repr(gate) == "Or('T', AtLeast(2, 'a', 'b', 'c'), name='E1')"
    ft = pickle.loads(pickle.dumps(FaultTree(TANK, TANK_P)))
    assert ft.probability() == FaultTree(TANK, TANK_P).probability()


def test_an_unnamed_top_gate_is_named_top_unless_the_name_is_taken():
    assert FaultTree(Or("a", "b")).top == "TOP"
    ft = FaultTree(Or("TOP", And("TOP_", "b")))
    assert ft.top == "TOP__" and ft.events == ("TOP", "TOP_", "b")
    assert ft.gates == {"TOP__": ("or", 1, ("TOP", "TOP__.2")),
                        "TOP__.2": ("and", 2, ("TOP_", "b"))}


def test_voting_gate_two_out_of_three():
    # 2-out-of-3 of equal p: P = 3 p^2 (1 - p) + p^3 (binomial), p = 0.1 -> 0.028
    ft = FaultTree(AtLeast(2, "a", "b", "c"), {"a": 0.1, "b": 0.1, "c": 0.1})
    assert ft.probability() == pytest.approx(0.028, abs=1e-15)
    assert sorted(map(sorted, ft.cut_sets().sets)) == [["a", "b"], ["a", "c"], ["b", "c"]]


def test_results_and_reprs():
    ft = FaultTree(TANK, TANK_P)
    cs, imp = ft.cut_sets(), ft.importance()
    assert isinstance(cs, CutSets) and isinstance(imp, Importance)
    assert repr(ft) == ("FaultTree(top 'E1': 5 gates, 6 basic events (0 shared), with "
                        "probabilities)")
    assert "5 sets: 2 of order 1, 3 of order 2" in repr(cs)
    frame = imp.to_frame("dict")
    assert list(frame) == ["event", "probability", "birnbaum", "criticality",
                           "fussell_vesely", "raw", "rrw", "p_top_if_failed",
                           "p_top_if_working"]
    assert frame["event"][0] == "K2"  # criticality 3e-5 / 3.5016e-5, the largest
    no_p = FaultTree(TANK).cut_sets()
    assert np.isnan(no_p.probability).all() and no_p.labels.tolist()[:2] == ["T", "K2"]


def test_impossible_top_event_has_no_cut_set_and_nan_ratios():
    ft = FaultTree(And("a", "b"), {"a": 0.0, "b": 0.5})
    assert ft.probability() == 0.0
    imp = ft.importance()
    assert np.isnan(imp.criticality).all() and np.isnan(imp.raw).all()
    assert imp.loc("a")["birnbaum"] == 0.5


# ------------------------------------------------------------------ caps

def test_bdd_node_cap_raises_cost_error_naming_the_parameter():
    # sum over i of x_i AND y_i with all x first, then all y: the BDD has 2^n nodes
    n = 12
    gates = Or(*[And(f"x{i}", f"y{i}") for i in range(n)])
    p = {f"{c}{i}": 0.5 for i in range(n) for c in "xy"}
    ft = FaultTree(gates, p)
    bad = [f"x{i}" for i in range(n)] + [f"y{i}" for i in range(n)]
    with pytest.raises(CostError, match=r"more than 1,000 BDD nodes.*'max_nodes' parameter"):
        ft.probability(order=bad, max_nodes=1000)
    # the default depth-first order keeps x_i next to y_i: 2n nodes
    assert ft.probability(max_nodes=1000) == pytest.approx(1 - 0.75 ** n)


def test_cut_set_cap_raises_cost_error_naming_the_parameter():
    # AND of 10 ORs of 3 events: 3^10 = 59049 minimal cut sets
    ft = FaultTree(And(*[Or(f"a{i}", f"b{i}", f"c{i}") for i in range(10)]))
    # the work allowed is 200 * max_cut_sets + 10,000 steps
    with pytest.raises(CostError, match=r"more than 210,000 steps .* at gate 'TOP'.*"
                       r"'max_cut_sets' parameter"):
        ft.cut_sets(max_cut_sets=1000)
    with pytest.raises(CostError, match=r"more than 1,000 cut sets at gate 'TOP'"):
        FaultTree(Or(*[f"e{i}" for i in range(1001)])).cut_sets(max_cut_sets=1000)
    with pytest.raises(CostError, match=r"'max_cut_sets' parameter"):
        ft.with_probabilities(dict.fromkeys(ft.events, 0.1)).probability(
            "rare_event", max_cut_sets=1000)
    assert len(ft.cut_sets(max_order=3).order) == 0  # every set has 10 events


# ------------------------------------------------------------------ bad input

@pytest.mark.parametrize(("gates", "kw", "error", "match"), [
    ({"A": ("or", ["B"]), "B": ("and", ["A", "x"])}, {"top": "A"}, DataError,
     r"must be acyclic .* Got the cycle A -> B -> A instead"),
    ({"A": ("or", ["A"])}, {"top": "A"}, DataError, r"the cycle A -> A"),
    ({"A": ("or", ["x"]), "B": ("or", ["y"])}, {}, InvalidParameterError,
     r"'top' parameter of rca.FaultTree must be given.*candidates \['A', 'B'\]"),
    ({"A": ("or", ["x"])}, {"top": "Z"}, InvalidParameterError, r"one of the gates \['A'\]"),
    ({"A": ("xor", ["x", "y"])}, {}, InvalidParameterError, r"a gate kind among"),
    ({"A": ("atleast", 3, ["x", "y"])}, {}, InvalidParameterError,
     r"'k' parameter of rca.AtLeast must be an integer in \[1, 2\]"),
    ({"A": ("or", ["x", "x"])}, {}, InvalidParameterError, r"distinct events.*'x' twice"),
    ({"A": ("or", [])}, {}, InvalidParameterError, r"at least one input"),
    ({"A": ("or", "xy")}, {}, InvalidParameterError, r"inputs are a list"),
    ({"A": ("or", ["x", 3])}, {}, InvalidParameterError, r"'inputs' parameter .* a name"),
    ({}, {}, InvalidParameterError, r"at least one gate"),
    ({"A": Or("x", name="B")}, {}, DataError, r"gate 'B' under the key 'A'"),
    ({"T": Or("x", Or("y", name="A")), "A": ("and", ["y", "z"])}, {}, DataError,
     r"two different gates named 'A'"),
    ({1: ("or", ["x"])}, {}, InvalidParameterError, r"'gates' parameter .* a name"),
    ("TOP", {}, InvalidParameterError, r"a gate \(And/Or/AtLeast\) or a mapping"),
    (Or("x"), {"top": "x"}, InvalidParameterError, r"'top' parameter .* None when"),
])
def test_fault_tree_construction_errors(gates, kw, error, match):
    with pytest.raises(error, match=match):
        FaultTree(gates, **kw)


def test_gate_constructor_errors():
    with pytest.raises(InvalidParameterError, match=r"'name' parameter of rca.Or"):
        Or("a", name="")
    with pytest.raises(InvalidParameterError, match=r"'k' parameter of rca.AtLeast"):
        AtLeast(0, "a", "b")
    with pytest.raises(TypeError, match=r"'k' parameter of rca.AtLeast must be an integer"):
        AtLeast(1.5, "a", "b")
    with pytest.raises(InvalidParameterError, match=r"at least one input"):
        And()
    with pytest.raises(AttributeError):
        Or("a").k = 2


def test_probability_errors():
    with pytest.raises(InvalidParameterError, match=r"none for \['S1', 'K1', 'R'\]"):
        FaultTree(TANK, {"T": 0.1, "K2": 0.1, "S": 0.1})
    with pytest.raises(InvalidParameterError,
                       match=r"'probabilities\['T'\]' parameter .* in \[0, 1\]. Got 1.5"):
        FaultTree(TANK, {**TANK_P, "T": 1.5})
    with pytest.raises(InvalidParameterError, match=r"one for the gate 'E2'"):
        FaultTree(TANK, {**TANK_P, "E2": 0.1})
    with pytest.raises(TypeError, match=r"'probabilities' parameter .* a mapping"):
        FaultTree(TANK, [0.1] * 6)
    # a misspelt gate name leaves the gate E5 unused (a second top) ...
    typo = {**TANK, "E4": ("or", ["S1", "E6"])}
    with pytest.raises(InvalidParameterError, match=r"candidates \['E1', 'E5'\]"):
        FaultTree(typo, TANK_P)
    # ... and with the top named, E6 is a basic event without a probability
    with pytest.raises(InvalidParameterError, match=r"none for \['E6'\]"):
        FaultTree(typo, TANK_P, top="E1")
    ft = FaultTree(TANK)
    with pytest.raises(InvalidParameterError, match=r"'probabilities' parameter of "
                       r"rca.FaultTree.probability must be given"):
        ft.probability()
    with pytest.raises(InvalidParameterError, match=r"rca.FaultTree.importance"):
        ft.importance()
    with pytest.raises(InvalidParameterError, match=r"rca.FaultTree.with_probabilities"):
        ft.with_probabilities({"T": 0.1})


def test_method_option_and_cap_errors():
    ft = FaultTree(TANK, TANK_P)
    with pytest.raises(InvalidParameterError, match=r"'method' parameter .* one of 'exact'"):
        ft.probability("monte_carlo")
    with pytest.raises(InvalidParameterError, match=r"'order' parameter .* every basic event"):
        ft.probability(order=["T", "K2"])
    with pytest.raises(InvalidParameterError, match=r"'order' parameter .* every basic event"):
        ft.importance(order=["T", "T", "S", "S1", "K1", "R"])
    with pytest.raises(TypeError, match=r"'order' parameter .* a sequence"):
        ft.probability(order="TK2")
    with pytest.raises(InvalidParameterError, match=r"'max_nodes' parameter .* \[1, inf\]"):
        ft.probability(max_nodes=0)
    with pytest.raises(InvalidParameterError, match=r"'max_cut_sets' parameter"):
        ft.cut_sets(max_cut_sets=-1)
    with pytest.raises(InvalidParameterError, match=r"'max_order' parameter"):
        ft.cut_sets(max_order=0)
    with pytest.raises(TypeError, match=r"'max_cut_sets' parameter"):
        ft.importance(max_cut_sets=2.5)


# ------------------------------------------------------------------ FMEA link

def test_probabilities_from_worksheet_use_the_aiag_printed_rates():
    ws = Worksheet.from_frame({"failure_mode": ["wrong address", "courier late", "lost"],
                               "S": [7, 5, 9], "O": [6, 8, 2], "D": [4, 3, 5]})
    # AIAG FMEA-4 PFMEA occurrence: 6 -> 2 per 1,000, 8 -> 20 per 1,000, 2 -> 0.001 per 1,000
    assert probabilities_from_worksheet(ws) == {"wrong address": 0.002, "courier late": 0.02,
                                                "lost": 1e-6}
    assert AIAG_FMEA4_OCCURRENCE_PROBABILITY[10] == 0.1
    own = probabilities_from_worksheet(ws, table=dict.fromkeys(range(1, 11), 0.5))
    assert set(own.values()) == {0.5}
    ft = FaultTree(Or("wrong address", And("courier late", "lost")),
                   probabilities_from_worksheet(ws))
    assert ft.probability() == pytest.approx(1 - (1 - 0.002) * (1 - 0.02 * 1e-6), rel=1e-12)


def test_probabilities_from_counts_and_observed_occurrence():
    # Clopper-Pearson upper bound of 0 failures in n: 1 - (alpha / 2)^(1 / n)
    got = probabilities_from_counts({"a": 0, "b": 5}, {"a": 1000, "b": 500}, bound="upper")
    assert got["a"] == pytest.approx(1 - 0.025 ** (1 / 1000), rel=1e-9)
    assert probabilities_from_counts({"a": 0, "b": 5}, {"a": 1000, "b": 500}) == \
        {"a": 0.0, "b": 0.01}
    ws = Worksheet.from_frame({"failure_mode": ["late", "wrong"], "S": [6, 7], "O": [6, 5],
                               "D": [3, 4]})
    obs = observed_occurrence(ws, mode=["late"] * 30 + ["wrong"] * 3, exposure=1000)
    assert probabilities_from_counts(obs) == {"late": 0.03, "wrong": 0.003}


def test_fmea_link_errors():
    ws = Worksheet.from_frame({"failure_mode": ["a", "a"], "S": [6, 7], "O": [6, 5],
                               "D": [3, 4]})
    with pytest.raises(DataError, match=r"distinct names.*'a' more than once"):
        probabilities_from_worksheet(ws)
    with pytest.raises(TypeError, match=r"'worksheet' parameter .*Worksheet"):
        probabilities_from_worksheet({"a": 1})
    ws1 = ws.subset([0])
    with pytest.raises(DataError, match=r"none for rating 6"):
        probabilities_from_worksheet(ws1, table={5: 0.1})
    with pytest.raises(InvalidParameterError, match=r"'table\[6\]' parameter"):
        probabilities_from_worksheet(ws1, table={6: 2.0})
    with pytest.raises(TypeError, match=r"'table' parameter"):
        probabilities_from_worksheet(ws1, table=[0.1])
    with pytest.raises(InvalidParameterError, match=r"'exposure' parameter .* given"):
        probabilities_from_counts({"a": 1})
    with pytest.raises(DataError, match=r"at least the number of failures"):
        probabilities_from_counts({"a": 5}, 3)
    with pytest.raises(InvalidParameterError, match=r"'counts\['a'\]' parameter"):
        probabilities_from_counts({"a": -1}, 3)
    with pytest.raises(TypeError, match=r"'counts\['a'\]' parameter"):
        probabilities_from_counts({"a": 1.5}, 3)
    with pytest.raises(DataError, match=r"none for \['b'\]"):
        probabilities_from_counts({"a": 1, "b": 1}, {"a": 3})
    with pytest.raises(InvalidParameterError, match=r"'exposure' parameter .* \(0, inf"):
        probabilities_from_counts({"a": 0}, 0)
    with pytest.raises(TypeError, match=r"'counts' parameter"):
        probabilities_from_counts([1, 2], 3)
    with pytest.raises(InvalidParameterError, match=r"'bound' parameter"):
        probabilities_from_counts({"a": 1}, 3, bound="lower")
    with pytest.raises(InvalidParameterError, match=r"'confidence' parameter"):
        probabilities_from_counts({"a": 1}, 3, confidence=1.0)
    obs = observed_occurrence(ws1, mode=["a"], exposure=10)
    with pytest.raises(InvalidParameterError, match=r"None with an ObservedOccurrence"):
        probabilities_from_counts(obs, 10)


def test_every_error_is_a_cxpath_error():
    for call in (lambda: FaultTree(None), lambda: FaultTree({"A": None}),
                 lambda: FaultTree({"A": ("or",)}), lambda: Or(object())):
        with pytest.raises(CxpathError):
            call()
