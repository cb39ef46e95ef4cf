"""Recursive path models (cxpath.survey.paths)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath.errors import DataError, InvalidParameterError
from cxpath.survey import parse_paths, path_model


def _data(seed=0, n=600):
    rng = np.random.default_rng(seed)
    wait = rng.standard_normal(n)
    reso = 0.3 * wait + rng.standard_normal(n)
    sat = 0.3 * wait + 0.5 * reso + rng.standard_normal(n)
    loyal = 0.6 * sat + 0.2 * reso + rng.standard_normal(n)
    return {"wait": wait, "reso": reso, "sat": sat, "loyal": loyal}


MODEL = "sat ~ wait + reso; reso ~ wait\nloyal ~ sat + reso"


def _paths_enumerated(res):
    """Total effects as the sum over every directed path of the product of its direct
    effects (Wright's tracing rule), by depth-first enumeration."""
    k = len(res.variables)
    total = np.zeros((k, k))

    def walk(node, src, prod):
        for tgt in range(k):
            b = res.direct[tgt, node]
            if b != 0:
                total[tgt, src] += prod * b
                walk(tgt, src, prod * b)

    for s in range(k):
        walk(s, s, 1.0)
    return total


def test_effects_decompose_exactly_and_match_tracing_rule():
    res = path_model(_data(), MODEL, n_boot=0)
    np.testing.assert_array_equal(res.total, res.direct + res.indirect)
    np.testing.assert_allclose(res.total, _paths_enumerated(res), atol=1e-14)
    f = res.to_frame("dict")
    np.testing.assert_array_equal(f["total"], f["direct"] + f["indirect"])
    pairs = set(zip(f["source"], f["target"]))
    assert pairs == {("wait", "reso"), ("wait", "sat"), ("wait", "loyal"), ("reso", "sat"),
                     ("reso", "loyal"), ("sat", "loyal")}
    assert list(res.variables) == ["wait", "reso", "sat", "loyal"]


def test_coefficients_equal_statsmodels_ols():
    sm = pytest.importorskip("statsmodels.api")
    d = _data(1)
    for standardized in (True, False):
        res = path_model(d, MODEL, n_boot=0, standardized=standardized)
        tab = res.coefficient_frame("dict")
        for lhs, preds in parse_paths(MODEL):
            cols = {k: np.asarray(v) for k, v in d.items()}
            if standardized:
                cols = {k: (v - v.mean()) / v.std(ddof=1) for k, v in cols.items()}
            fit = sm.OLS(cols[lhs], sm.add_constant(np.column_stack([cols[p] for p in preds]))
                         ).fit()
            rows = tab["outcome"] == lhs
            # statsmodels OLS per equation: estimates, standard errors, p values, R²
            np.testing.assert_allclose(tab["estimate"][rows], fit.params[1:], atol=1e-10)
            np.testing.assert_allclose(tab["se"][rows], fit.bse[1:], rtol=1e-8)
            np.testing.assert_allclose(tab["p_value"][rows], fit.pvalues[1:], rtol=1e-6,
                                       atol=1e-300)
            assert res.r2[lhs] == pytest.approx(fit.rsquared, abs=1e-12)


def test_specific_indirect_paths_sum_to_indirect():
    res = path_model(_data(3), MODEL, n_boot=100, seed=2)
    f = res.indirect_frame("dict")
    assert list(f["path"]) == ["wait -> reso -> sat", "wait -> reso -> loyal",
                               "wait -> sat -> loyal", "wait -> reso -> sat -> loyal",
                               "reso -> sat -> loyal"]
    names = list(res.variables)
    for s in names:
        for t in names:
            rows = (f["source"] == s) & (f["target"] == t)
            assert f["effect"][rows].sum() == pytest.approx(
                res.indirect[names.index(t), names.index(s)], abs=1e-14)
    assert (f["low"] <= f["effect"]).all() and (f["effect"] <= f["high"]).all()
    assert len(path_model(_data(), "sat ~ wait", n_boot=0).specific_paths) == 0


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(3, 6), st.floats(0.2, 0.9))
def test_random_recursive_models_decompose(seed, k, density):
    rng = np.random.default_rng(seed)
    names = [f"v{i}" for i in range(k)]
    eqs = []
    for i in range(1, k):
        preds = [names[j] for j in range(i) if rng.random() < density]
        if preds:
            eqs.append(f"{names[i]} ~ {' + '.join(preds)}")
    if not eqs:
        return
    x = rng.standard_normal((50, k))
    for i in range(1, k):
        x[:, i] += x[:, :i] @ rng.uniform(-0.5, 0.5, i)
    order = rng.permutation(len(eqs))
    model = "; ".join(eqs[i] for i in order)  # equations in any order
    res = path_model({n: x[:, i] for i, n in enumerate(names)}, model, n_boot=0)
    np.testing.assert_array_equal(res.total, res.direct + res.indirect)
    np.testing.assert_allclose(res.total, _paths_enumerated(res), atol=1e-12)


def test_bootstrap_intervals_reproducible_and_sensible():
    d = _data(2)
    a = path_model(d, MODEL, n_boot=300, seed=5)
    b = path_model(d, MODEL, n_boot=300, seed=5)
    for key in ("direct", "indirect", "total"):
        np.testing.assert_array_equal(a.ci[key], b.ci[key])
    f = a.to_frame("dict")
    j = int(np.flatnonzero((f["source"] == "reso") & (f["target"] == "loyal"))[0])
    # mediation reso -> sat -> loyal is real (0.5 * 0.6 before standardising)
    assert 0 < f["indirect_low"][j] < f["indirect"][j] < f["indirect_high"][j]
    assert "loyal ~ sat + reso" in repr(a)


def test_parse_and_non_recursive_errors():
    assert parse_paths("y ~ x") == [("y", ["x"])]
    with pytest.raises(InvalidParameterError, match=r"recursive .*cycle"):
        path_model(_data(), "sat ~ loyal; loyal ~ sat")
    with pytest.raises(InvalidParameterError, match="cycle wait -> sat -> loyal -> wait"):
        path_model(_data(), "sat ~ wait; loyal ~ sat; wait ~ loyal")
    with pytest.raises(InvalidParameterError, match="itself"):
        parse_paths("sat ~ sat + wait")
    with pytest.raises(InvalidParameterError, match="one equation per outcome"):
        parse_paths("sat ~ wait; sat ~ reso")
    with pytest.raises(InvalidParameterError, match="'outcome ~ a \\+ b'"):
        parse_paths("sat = wait")
    with pytest.raises(InvalidParameterError, match="variable names"):
        parse_paths("sat ~ wait + ")
    with pytest.raises(InvalidParameterError, match="distinct"):
        parse_paths("sat ~ wait + wait")
    with pytest.raises(InvalidParameterError, match="'model'"):
        parse_paths("   ")


def test_bad_data():
    d = _data()
    with pytest.raises(InvalidParameterError, match="'items' parameter"):
        path_model(d, "sat ~ nope")
    with pytest.raises(DataError, match="collinear"):
        path_model(dict(d, w2=2 * d["wait"]), "sat ~ wait + w2", n_boot=0)
    with pytest.raises(DataError, match="constant"):
        path_model(dict(d, c=np.ones(600)), "sat ~ c", n_boot=0)
    with pytest.raises(DataError, match="numeric"):
        path_model(dict(d, s=np.array(["x"] * 600)), "sat ~ s", n_boot=0)
    with pytest.raises(InvalidParameterError, match="table"):
        path_model(np.ones((4, 4)), "a ~ b")
    with pytest.raises(InvalidParameterError, match="standardized"):
        path_model(d, "sat ~ wait", standardized="yes")
    with pytest.raises(DataError, match="at least 5 respondents"):
        path_model({k: v[:4] for k, v in d.items()}, "sat ~ wait + reso")


def test_bootstrap_covariance_route_equals_refitting_resamples():
    from cxpath.survey._common import bootstrap_covariances
    from cxpath.survey.paths import _fit, _fit_cov

    d = _data(4, n=80)
    eqs = parse_paths(MODEL)
    order = ["wait", "reso", "sat", "loyal"]
    pos = {n: i for i, n in enumerate(order)}
    x = np.column_stack([d[n] for n in order])
    covs = list(bootstrap_covariances(x, 5, np.random.default_rng(9), chunk=2))
    rng = np.random.default_rng(9)
    for c in covs:
        xb = x[rng.integers(0, len(x), len(x))]  # the same draws, rows copied
        np.testing.assert_allclose(c, np.cov(xb, rowvar=False), atol=1e-12)
        for std in (True, False):
            np.testing.assert_allclose(_fit_cov(c, eqs, pos, std),
                                       _fit(xb, eqs, pos, std)[0], atol=1e-12)
