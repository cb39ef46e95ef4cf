"""Tests of cxpath.kpi.weights: AHP, entropy and CRITIC weights, composite index, sensitivity."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from cxpath.errors import CxpathWarning, DataError, InvalidParameterError, InvalidTypeError
from cxpath.kpi import (
    AHP,
    ahp,
    composite_index,
    critic_weights,
    entropy_weights,
    rank_sensitivity,
)
from cxpath.kpi.weights import RANDOM_INDEX

# Saaty (1990), "How to make a decision: the analytic hierarchy process", European Journal
# of Operational Research 48, 9-26, Table 2 (also Saaty 1980, ch. 2): a family buying a
# house compares 8 criteria — size, transportation, neighbourhood, age, yard space, modern
# facilities, general condition, financing. Printed priorities .173 .054 .188 .018 .031
# .036 .167 .333, lambda_max = 9.669, C.I. = 0.238, C.R. = 0.169 (so: too inconsistent).
HOUSE = [[1, 5, 3, 7, 6, 6, 1/3, 1/4],
         [1/5, 1, 1/3, 5, 3, 3, 1/5, 1/7],
         [1/3, 3, 1, 6, 3, 4, 6, 1/5],
         [1/7, 1/5, 1/6, 1, 1/3, 1/4, 1/7, 1/8],
         [1/6, 1/3, 1/3, 3, 1, 1/2, 1/5, 1/6],
         [1/6, 1/3, 1/4, 4, 2, 1, 1/5, 1/6],
         [3, 5, 1/6, 7, 5, 5, 1, 1/2],
         [4, 7, 5, 8, 6, 6, 2, 1]]
HOUSE_W = [0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333]

X = np.array([[0.71, 320, 4.1], [0.64, 280, 4.4], [0.80, 410, 3.9], [0.69, 300, 4.0],
              [0.75, 350, 4.3]])
DIRS = ["benefit", "cost", "benefit"]


# ------------------------------------------------------------------ AHP

def test_ahp_reproduces_saaty_house_example():
    with pytest.warns(CxpathWarning, match=r"consistency ratio 0\.169 > 0\.1"):
        r = ahp(HOUSE)
    np.testing.assert_allclose(r.weight, HOUSE_W, atol=5e-4)  # printed to 3 decimals
    assert round(r.lambda_max, 3) == 9.669
    assert round(r.ci, 3) == 0.238
    assert round(r.cr, 3) == 0.169
    assert r.ri == 1.41 and not r.consistent


# Saaty (2008), "Decision making with the analytic hierarchy process", Int. J. Services
# Sciences 1(1), 83-98, Table 2: "Which drink is consumed more in the U.S.?" (coffee, wine,
# tea, beer, soda, milk, water). Printed eigenvector .177 .019 .042 .116 .190 .129 .327 and
# C.R. = 0.022; the same figures are reproduced in the README of the AHPy package
# (github.com/PhilipGriffith/AHPy, "Relative consumption of drinks").
DRINKS = [[1, 9, 5, 2, 1, 1, 1/2],
          [1/9, 1, 1/3, 1/9, 1/9, 1/9, 1/9],
          [1/5, 3, 1, 1/3, 1/4, 1/3, 1/9],
          [1/2, 9, 3, 1, 1/2, 1, 1/3],
          [1, 9, 4, 2, 1, 2, 1/2],
          [1, 9, 3, 1, 1/2, 1, 1/3],
          [2, 9, 9, 3, 2, 3, 1]]


def test_ahp_reproduces_saaty_drinks_example():
    r = ahp(DRINKS, criteria=["coffee", "wine", "tea", "beer", "soda", "milk", "water"])
    np.testing.assert_allclose(r.weight, [0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327],
                               atol=5e-4)
    assert round(r.cr, 3) == 0.022 and r.consistent
    assert r.ri == 1.32


def test_ahp_inconsistent_raise_and_ignore():
    with pytest.raises(DataError, match=r"consistent enough \(CR <= 0\.1\)\. Got CR = 0\.169"):
        ahp(HOUSE, inconsistent="raise")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = ahp(HOUSE, inconsistent="ignore")
    assert not r.consistent
    assert ahp(HOUSE, max_cr=0.2).consistent  # no warning under a looser threshold


def test_ahp_consistent_matrix_gives_exact_ratios_and_zero_cr():
    w = np.array([0.5, 0.25, 0.125, 0.125])
    a = w[:, None] / w[None, :]
    for method in ("eigenvector", "geometric"):
        r = ahp(a, method=method)
        np.testing.assert_allclose(r.weight, w, rtol=1e-12)
        assert r.cr == pytest.approx(0.0, abs=1e-12)
        assert r.lambda_max == pytest.approx(4.0, rel=1e-12)


def test_ahp_geometric_equals_direct_computation():
    a = np.array(HOUSE, dtype=float)
    g = np.prod(a, axis=1) ** (1 / 8)  # row geometric means (Crawford & Williams 1985)
    w = g / g.sum()
    lam = np.mean(a @ w / w)
    with pytest.warns(CxpathWarning):
        r = ahp(a, method="geometric")
    np.testing.assert_allclose(r.weight, w, rtol=1e-12)
    assert r.lambda_max == pytest.approx(lam, rel=1e-12)
    assert r.cr == pytest.approx((lam - 8) / 7 / 1.41, rel=1e-12)


def test_ahp_eigenvector_equals_power_iteration():
    a = np.array([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])
    x = np.ones(3)
    for _ in range(200):  # Perron vector by power iteration, independent of numpy.eig
        x = a @ x
        x /= x.sum()
    r = ahp(a, criteria=["resolution", "speed", "tone"])
    np.testing.assert_allclose(r.weight, x, rtol=1e-10)
    assert r.lambda_max == pytest.approx(float((a @ x / x).mean()), rel=1e-10)
    assert r.criterion.tolist() == ["resolution", "speed", "tone"]
    assert r.to_frame("dict")["weight"].shape == (3,)


def test_ahp_random_index_table_and_rounded_reciprocals():
    # Saaty (1980) random index, n = 1..15
    assert RANDOM_INDEX == (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51,
                            1.48, 1.56, 1.57, 1.59)
    exact = ahp([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])
    typed = ahp([[1, 3, 5], [0.33, 1, 3], [0.2, 0.33, 1]])  # 0.33 for 1/3: 1 % off
    np.testing.assert_allclose(typed.weight, exact.weight, rtol=1e-12)
    two = ahp([[1, 4], [0.25, 1]])
    assert two.cr == 0.0
    np.testing.assert_allclose(two.weight, [0.8, 0.2], rtol=1e-12)


def test_ahp_table_input_uses_column_names():
    import pandas as pd

    a = pd.DataFrame([[1, 2], [0.5, 1]], columns=["fcr", "csat"])
    r = ahp(a)
    assert r.criterion.tolist() == ["fcr", "csat"]
    np.testing.assert_allclose(r.weight, [2 / 3, 1 / 3])


@pytest.mark.parametrize(("kwargs", "exc", "msg"), [
    ({"matrix": [[1, 2, 3], [0.5, 1, 2]]}, DataError, r"must be a square matrix\. Got shape"),
    ({"matrix": [[1, 2], [0.4, 1]]}, DataError,
     r"must be reciprocal \(a\[j, i\] = 1 / a\[i, j\], within 2 %\)\. Got a\[0, 1\] = 2"),
    ({"matrix": [[1, -2], [-0.5, 1]]}, DataError, r"must be positive\. Got -2 at \(0, 1\)"),
    ({"matrix": [[2, 2], [0.5, 1]]}, DataError, r"must be 1 on the diagonal\. Got 2 at"),
    ({"matrix": [[1]]}, DataError, r"must be of size 2 to 15"),
    ({"matrix": np.ones((16, 16))}, DataError, r"must be of size 2 to 15.*Got size 16"),
    ({"matrix": [[1, np.nan], [1, 1]]}, DataError, r"free of NaN"),
    ({"matrix": "abc"}, InvalidTypeError, r"'matrix' parameter of kpi\.ahp"),
    ({"matrix": [[1, 2], [0.5, 1]], "method": "power"}, InvalidParameterError,
     r"'method' parameter of kpi\.ahp must be one of 'eigenvector', 'geometric'"),
    ({"matrix": [[1, 2], [0.5, 1]], "max_cr": -0.1}, InvalidParameterError, r"max_cr"),
    ({"matrix": [[1, 2], [0.5, 1]], "inconsistent": "stop"}, InvalidParameterError,
     r"inconsistent"),
    ({"matrix": [[1, 2], [0.5, 1]], "criteria": ["a"]}, DataError, r"2 labels"),
    ({"matrix": [[1, 2], [0.5, 1]], "criteria": ["a", "a"]}, DataError,
     r"distinct labels\. Got 'a' twice"),
])
def test_ahp_bad_input(kwargs, exc, msg):
    with pytest.raises(exc, match=msg):
        ahp(**kwargs)


# ------------------------------------------------------------------ entropy, CRITIC

def _entropy_direct(x, cost, normalization):
    m = x.shape[0]
    if normalization == "sum":
        y = x.copy()
        y[:, cost] = 1.0 / y[:, cost]
    else:
        lo, hi = x.min(0), x.max(0)
        y = (x - lo) / (hi - lo)
        y[:, cost] = ((hi - x) / (hi - lo))[:, cost]
    out = []
    for j in range(x.shape[1]):
        p = y[:, j] / y[:, j].sum()
        e = -sum(pi * np.log(pi) for pi in p if pi > 0) / np.log(m)
        out.append(1 - e)
    d = np.array(out)
    return d / d.sum()


@pytest.mark.parametrize("normalization", ["sum", "minmax"])
def test_entropy_weights_equal_direct_computation(normalization):
    cost = np.array([False, True, False])
    w = entropy_weights(X, direction=DIRS, normalization=normalization)
    np.testing.assert_allclose(w.weight, _entropy_direct(X, cost, normalization), rtol=1e-12)
    assert w.weight.sum() == pytest.approx(1.0)
    assert w.direction.tolist() == DIRS
    np.testing.assert_allclose(w.divergence, 1 - w.entropy)


def test_entropy_weights_constant_criterion_gets_zero_and_mapping_direction():
    x = np.column_stack([X, np.full(5, 3.0)])
    w = entropy_weights(x, criteria=["fcr", "aht", "csat", "flat"], direction={"aht": "cost"})
    assert w.weight[3] == pytest.approx(0.0, abs=1e-15)
    assert w.direction.tolist() == ["benefit", "cost", "benefit", "benefit"]


def _critic_direct(x, cost):
    lo, hi = x.min(0), x.max(0)
    r = (x - lo) / (hi - lo)
    r[:, cost] = ((hi - x) / (hi - lo))[:, cost]
    k = x.shape[1]
    c = np.empty(k)
    for j in range(k):
        sd = np.sqrt(((r[:, j] - r[:, j].mean()) ** 2).sum() / (len(r) - 1))
        conflict = sum(1 - np.corrcoef(r[:, j], r[:, q])[0, 1] for q in range(k))
        c[j] = sd * conflict
    return c / c.sum()


def test_critic_weights_equal_direct_computation():
    cost = np.array([False, True, False])
    w = critic_weights(X, direction=DIRS)
    np.testing.assert_allclose(w.weight, _critic_direct(X, cost), rtol=1e-12)
    np.testing.assert_allclose(w.information, w.sd * w.conflict)
    assert set(w.to_frame("dict")) == {"criterion", "direction", "weight", "sd", "conflict",
                                       "information"}


def test_objective_weights_read_tables():
    import pandas as pd

    df = pd.DataFrame(X, columns=["fcr", "aht", "csat"]).assign(agent=list("abcde"))
    w = critic_weights(df, criteria=["fcr", "aht", "csat"], direction={"aht": "cost"})
    np.testing.assert_allclose(w.weight, critic_weights(X, direction=DIRS).weight)
    assert w.criterion.tolist() == ["fcr", "aht", "csat"]


@pytest.mark.parametrize(("func", "kwargs", "exc", "msg"), [
    (entropy_weights, {"data": [[1, -2], [3, 4]]}, DataError,
     r"non-negative with normalization='sum'.*Got -2 in criterion 'c2' at row 0"),
    (entropy_weights, {"data": [[1, 0], [3, 4]], "direction": "cost"}, DataError,
     r"positive for cost criteria"),
    (entropy_weights, {"data": [[1, 0], [3, 0]]}, DataError, r"only zeros in criterion 'c2'"),
    (entropy_weights, {"data": [[1, 2], [1, 2]]}, DataError,
     r"at least one criterion that differs"),
    (entropy_weights, {"data": [[1, 2]]}, DataError, r"at least 2 alternatives"),
    (entropy_weights, {"data": X, "normalization": "z"}, InvalidParameterError,
     r"'normalization' parameter of kpi\.entropy_weights must be one of 'sum', 'minmax'"),
    (entropy_weights, {"data": X, "direction": "up"}, InvalidParameterError,
     r"'direction' parameter of kpi\.entropy_weights must be one of 'benefit', 'cost'"),
    (entropy_weights, {"data": X, "direction": ["cost"]}, DataError,
     r"3 directions, one per criterion"),
    (entropy_weights, {"data": X, "direction": {"speed": "cost"}}, InvalidParameterError,
     r"must be a column of the criteria"),
    (entropy_weights, {"data": X, "direction": 3}, InvalidTypeError, r"direction"),
    (entropy_weights, {"data": [1, 2, 3]}, InvalidParameterError, r"2-dimensional"),
    (entropy_weights, {"data": 5}, InvalidTypeError, r"2-D array"),
    (critic_weights, {"data": [[1, 2], [3, 4]]}, DataError, r"at least 3 alternatives"),
    (critic_weights, {"data": [[1], [3], [4]]}, DataError, r"at least 2 criteria"),
    (critic_weights, {"data": [[1, 2], [1, 3], [1, 4]]}, DataError,
     r"criterion 'c1' equal for all rows"),
    (critic_weights, {"data": [[1, np.inf], [1, 3], [2, 4]]}, DataError, r"finite"),
])
def test_objective_weights_bad_input(func, kwargs, exc, msg):
    with pytest.raises(exc, match=msg):
        func(**kwargs)


# ------------------------------------------------------------------ composite index

def test_composite_minmax_by_hand():
    ci = composite_index(X, [0.4, 0.3, 0.3], direction=DIRS, alternatives=list("abcde"))
    lo, hi = X.min(0), X.max(0)
    r = np.column_stack([(X[:, 0] - lo[0]) / (hi[0] - lo[0]),
                         (hi[1] - X[:, 1]) / (hi[1] - lo[1]),
                         (X[:, 2] - lo[2]) / (hi[2] - lo[2])])
    score = r @ [0.4, 0.3, 0.3]
    np.testing.assert_allclose(ci.score, score, rtol=1e-12)
    assert ci.rank.tolist() == (np.argsort(np.argsort(-score)) + 1).tolist()
    assert ci.loc("b")["norm_c2"] == pytest.approx(1.0)


def test_composite_target_normalisation_by_hand():
    t = [0.80, 300, 4.5]
    ci = composite_index(X, {"c1": 2, "c2": 1, "c3": 1}, direction=DIRS,
                         normalization="target", targets=t)
    b = [X[:, 0].min(), X[:, 1].max(), X[:, 2].min()]  # worst observed
    r = np.clip((X - b) / (np.array(t) - b), 0, 1)
    np.testing.assert_allclose(ci.score, r @ [0.5, 0.25, 0.25], rtol=1e-12)
    np.testing.assert_allclose(ci.baselines, b)


def test_composite_takes_weight_results_by_name():
    import pandas as pd

    df = pd.DataFrame(X, columns=["fcr", "aht", "csat"]).assign(agent=list("abcde"))
    w = ahp([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]], criteria=["csat", "fcr", "aht"])
    ci = composite_index(df, w, alternatives="agent", direction={"aht": "cost"})
    expect = composite_index(X, [w.weight[1], w.weight[2], w.weight[0]], direction=DIRS)
    np.testing.assert_allclose(ci.score, expect.score)
    assert ci.alternative.tolist() == list("abcde")
    assert isinstance(w, AHP)


@pytest.mark.parametrize(("kwargs", "exc", "msg"), [
    ({"weights": [1, 1]}, DataError, r"3 weights, one per criterion"),
    ({"weights": [1, -1, 1]}, DataError, r"in \[0, inf\]\. Got -1"),
    ({"weights": [0, 0, 0]}, DataError, r"positive sum"),
    ({"weights": {"c1": 1}}, DataError, r"missing \['c2', 'c3'\]"),
    ({"weights": "equal"}, InvalidTypeError, r"a sequence of weights"),
    ({"weights": [1, 1, 1], "normalization": "target"}, InvalidTypeError,
     r"one target per criterion"),
    ({"weights": [1, 1, 1], "normalization": "target", "targets": [0.5, 300, 4.5],
      "direction": DIRS}, DataError, r"above the baseline for a benefit criterion"),
    ({"weights": [1, 1, 1], "normalization": "target", "targets": [0.9, 500, 4.5],
      "direction": DIRS}, DataError, r"below the baseline for a cost criterion"),
    ({"weights": [1, 1, 1], "targets": [1, 1, 1]}, DataError, r"None with normalization="),
    ({"weights": [1, 1, 1], "normalization": "best"}, InvalidParameterError, r"normalization"),
    ({"weights": [1, 1, 1], "alternatives": ["a", "b"]}, DataError, r"5 labels"),
])
def test_composite_bad_input(kwargs, exc, msg):
    with pytest.raises(exc, match=msg):
        composite_index(X, **kwargs)


# ------------------------------------------------------------------ sensitivity

def _top(x, w, dirs):
    return int(np.argmax(composite_index(x, w, direction=dirs).score))


def test_flip_weights_are_exact_critical_points():
    w0 = np.array([0.4, 0.3, 0.3])
    ci = composite_index(X, w0, direction=DIRS, alternatives=list("abcde"))
    s = rank_sensitivity(ci, seed=0)
    top = int(np.argmax(ci.score))
    for j in range(3):
        u = s.flips.critical_weight[j]
        if np.isnan(u):
            continue
        eps = 1e-6 * np.sign(u - w0[j])

        def moved(u, j=j):
            w = w0 * (1 - u) / (1 - w0[j])
            w[j] = u
            return w

        assert _top(X, moved(u - eps), DIRS) == top  # just before: same leader
        after = _top(X, moved(u + eps), DIRS)  # just beyond: the named challenger
        assert ci.alternative[after] == s.flips.new_top[j]
    assert s.min_flip == pytest.approx(np.nanmin(np.abs(s.flips.change)))


def test_dirichlet_sensitivity_is_seeded_and_consistent():
    ci = composite_index(X, [0.4, 0.3, 0.3], direction=DIRS)
    a = rank_sensitivity(ci, seed=7, n_samples=500)
    b = rank_sensitivity(ci, seed=7, n_samples=500)
    np.testing.assert_array_equal(a.p_top, b.p_top)
    assert a.scenarios == 500
    # the same scenarios drawn here: Dirichlet(concentration * w) with the same seed
    ws = np.random.default_rng(7).dirichlet(100.0 * ci.weights, size=500)
    scores = ws @ ci.normalized.T
    top = scores.argmax(axis=1)
    np.testing.assert_allclose(a.p_top, [(top == i).mean() for i in range(5)])
    ranks = (-scores).argsort(axis=1).argsort(axis=1) + 1  # no ties in these scores
    np.testing.assert_allclose(a.p_same_rank, (ranks == ci.rank).mean(axis=0))
    np.testing.assert_allclose(a.mean_rank, ranks.mean(axis=0))
    tight = rank_sensitivity(ci, seed=7, concentration=1e7, n_samples=200)
    assert tight.p_same_rank.tolist() == [1.0] * 5  # almost no movement: ranks kept


def test_perturb_sensitivity_scenarios():
    ci = composite_index(X, [0.4, 0.3, 0.3], direction=DIRS)
    s = rank_sensitivity(ci, method="perturb", delta=0.01)
    assert s.scenarios == 6 and s.p_same_rank.tolist() == [1.0] * 5
    big = rank_sensitivity(ci, method="perturb", delta=1.0)
    assert big.p_same_rank.min() < 1.0  # a weight doubled or zeroed moves someone


@pytest.mark.parametrize(("kwargs", "exc", "msg"), [
    ({"index": [1, 2]}, InvalidTypeError, r"a CompositeIndex \(kpi\.composite_index\)"),
    ({"method": "sobol"}, InvalidParameterError, r"method"),
    ({"concentration": 0}, InvalidParameterError, r"concentration"),
    ({"delta": 0}, InvalidParameterError, r"'delta' parameter.*\(0, 1\]"),
    ({"n_samples": 0}, InvalidParameterError, r"n_samples"),
    ({"coverage": 1.5}, InvalidParameterError, r"coverage"),
    ({"seed": -1}, InvalidParameterError, r"seed"),
])
def test_rank_sensitivity_bad_input(kwargs, exc, msg):
    ci = composite_index(X, [0.4, 0.3, 0.3], direction=DIRS)
    kwargs = {"index": ci, **kwargs}
    with pytest.raises(exc, match=msg):
        rank_sensitivity(**kwargs)


def test_rank_sensitivity_memory_guard(monkeypatch):
    from cxpath.errors import CostError

    monkeypatch.setenv("CXPATH_MAX_MEMORY", "1MiB")
    ci = composite_index(X, [0.4, 0.3, 0.3], direction=DIRS)
    with pytest.raises(CostError, match="weight scenarios"):
        rank_sensitivity(ci, n_samples=10_000_000, seed=1)
