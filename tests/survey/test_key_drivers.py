"""Key-driver analysis and importance–performance (cxpath.survey.drivers)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath.errors import DataError, InvalidParameterError
from cxpath.survey import importance_performance, key_drivers


def _data(seed=0, n=400, p=4, corr=0.4):
    rng = np.random.default_rng(seed)
    cov = np.full((p, p), corr) + (1 - corr) * np.eye(p)
    x = rng.multivariate_normal(np.zeros(p), cov, n)
    y = x @ np.linspace(0.6, 0.0, p) + rng.standard_normal(n)
    data = {f"d{j}": x[:, j] for j in range(p)}
    data["y"] = y
    return data, x, y


def _r2(x, y):
    design = np.column_stack([np.ones(len(y)), x])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    resid = y - design @ coef
    return 1 - resid @ resid / ((y - y.mean()) @ (y - y.mean()))


def _shapley_by_permutations(x, y):
    """Independent Shapley decomposition of R²: average marginal R² over all orderings,
    each R² from a least-squares fit on the raw data (Lipovetsky & Conklin 2001)."""
    p = x.shape[1]
    phi = np.zeros(p)
    for perm in itertools.permutations(range(p)):
        used = []
        before = 0.0
        for j in perm:
            used.append(j)
            after = _r2(x[:, used], y)
            phi[j] += after - before
            before = after
    return phi / math.factorial(p)


def _johnson_by_svd(x, y):
    """Johnson (2000) as published: orthogonal counterparts Z = P Q' of standardised X,
    beta of y on Z, Lambda of X on Z, weights sum_k Lambda_jk^2 beta_k^2."""
    n = len(y)
    z = (x - x.mean(0)) / x.std(0, ddof=1)
    yz = (y - y.mean()) / y.std(ddof=1)
    p_, _, qt = np.linalg.svd(z, full_matrices=False)
    zz = p_ @ qt * np.sqrt(n - 1)
    beta = np.linalg.lstsq(zz, yz, rcond=None)[0]
    lam = np.linalg.lstsq(zz, z, rcond=None)[0]
    return (lam**2).T @ beta**2


def test_measures_equal_independent_implementations():
    pytest.importorskip("statsmodels")
    import statsmodels.api as sm

    data, x, y = _data()
    res = key_drivers(data, "y", ["d0", "d1", "d2", "d3"], n_boot=0)
    z = (x - x.mean(0)) / x.std(0, ddof=1)
    zy = (y - y.mean()) / y.std(ddof=1)
    ols = sm.OLS(zy, sm.add_constant(z)).fit()
    # statsmodels OLS on standardised variables
    np.testing.assert_allclose(res.beta, ols.params[1:], atol=1e-12)
    assert res.r2 == pytest.approx(ols.rsquared, abs=1e-12)
    np.testing.assert_allclose(res.dominance, _shapley_by_permutations(x, y), atol=1e-12)
    np.testing.assert_allclose(res.relative_weight, _johnson_by_svd(x, y), atol=1e-12)
    np.testing.assert_allclose(res.correlation, [np.corrcoef(x[:, j], y)[0, 1]
                                                 for j in range(4)], atol=1e-12)
    # conditional dominance at size 0 is the squared correlation; at size p-1 the
    # squared semi-partial (usefulness)
    np.testing.assert_allclose(res.conditional_dominance[:, 0], res.correlation**2)
    for j in range(4):
        rest = [k for k in range(4) if k != j]
        assert res.conditional_dominance[j, 3] == pytest.approx(
            res.r2 - _r2(x[:, rest], y), abs=1e-12)


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 100_000), st.integers(1, 6), st.floats(-0.1, 0.8))
def test_weights_sum_to_r2(seed, p, corr):
    data, _, _ = _data(seed, n=60, p=p, corr=corr)
    res = key_drivers(data, "y", [f"d{j}" for j in range(p)], n_boot=0)
    assert res.relative_weight.sum() == pytest.approx(res.r2, abs=1e-10)
    assert res.dominance.sum() == pytest.approx(res.r2, abs=1e-10)
    assert (res.relative_weight >= -1e-12).all()


def test_uncorrelated_drivers_all_measures_agree():
    rng = np.random.default_rng(0)
    x = np.linalg.qr(rng.standard_normal((200, 3)) - 0)[0]
    x -= x.mean(0)
    x = np.linalg.qr(x)[0]  # exactly orthogonal, centred columns
    y = x @ [3.0, 2.0, 1.0] + rng.standard_normal(200) * 0.05
    data = {"a": x[:, 0], "b": x[:, 1], "c": x[:, 2], "y": y}
    res = key_drivers(data, "y", ["a", "b", "c"], n_boot=0)
    # with orthogonal drivers every decomposition equals the squared correlations
    np.testing.assert_allclose(res.relative_weight, res.correlation**2, atol=1e-10)
    np.testing.assert_allclose(res.dominance, res.correlation**2, atol=1e-10)


def test_bootstrap_reproducible_with_seed_and_covers_estimate(sample):
    data, _, _ = _data(1)
    kw = dict(n_boot=200, seed=7)
    a = key_drivers(data, "y", ["d0", "d1", "d2"], **kw)
    b = key_drivers(data, "y", ["d0", "d1", "d2"], **kw)
    for m in ("correlation", "beta", "relative_weight", "dominance", "r2"):
        np.testing.assert_array_equal(a.ci[m], b.ci[m])
    c = key_drivers(data, "y", ["d0", "d1", "d2"], n_boot=200, seed=8)
    assert not np.array_equal(a.ci["beta"], c.ci["beta"])
    assert (a.ci["relative_weight"][:, 0] <= a.relative_weight).all()
    assert (a.relative_weight <= a.ci["relative_weight"][:, 1]).all()
    f = a.to_frame()
    assert list(f["rank"]) == [1, 2, 3]
    assert {"dominance_low", "dominance_high", "beta_low"} <= set(f.columns)
    assert "R2 =" in repr(a)


def test_listwise_missing_and_counts(sample):
    s = sample.survey
    res = key_drivers(s, "sat1", ["wait1", "reso1", "staff1"], n_boot=0)
    x = np.column_stack([s[c] for c in ("sat1", "wait1", "reso1", "staff1")])
    assert res.n_obs == (~np.isnan(x).any(1)).sum() < res.n_rows == len(x)
    with pytest.raises(DataError, match="nan_policy='error'"):
        key_drivers(s, "sat1", ["wait1"], nan_policy="error")


def test_importance_performance_quadrants():
    rng = np.random.default_rng(0)
    x = rng.normal(4, 1, (300, 4))
    data = {"wait": x[:, 0] - 1, "staff": x[:, 1] + 1, "web": x[:, 2] - 0.5,
            "store": x[:, 3] + 1.5, "sat": x @ [0.6, 0.4, 0.05, 0.0] + rng.standard_normal(300)}
    kd = key_drivers(data, "sat", ["wait", "staff", "web", "store"], n_boot=0)
    ipa = importance_performance(kd, scale=(1, 7))
    got = dict(zip(ipa.drivers, ipa.quadrant))
    # Martilla & James (1977) grid split at the means
    assert got == {"wait": "concentrate here", "staff": "keep up the good work",
                   "web": "low priority", "store": "possible overkill"}
    assert list(ipa.priority) == [1, 2, 3, 4]
    np.testing.assert_allclose(ipa.importance.sum(), 1.0)
    perf = dict(zip(ipa.drivers, ipa.performance))
    assert perf["wait"] == pytest.approx((kd.mean[0] - 1) / 6 * 100)
    by_beta = importance_performance(kd, measure="beta", importance_cut=0.2,
                                     performance_cut=4.0)
    assert by_beta.importance_cut == 0.2


def test_bad_inputs():
    data, _, _ = _data()
    with pytest.raises(InvalidParameterError, match="'outcome'"):
        key_drivers(data, 3, ["d0"])
    with pytest.raises(InvalidParameterError, match="other than the outcome"):
        key_drivers(data, "y", ["y", "d0"])
    with pytest.raises(InvalidParameterError, match="at least one driver"):
        key_drivers(data, "y", [])
    with pytest.raises(InvalidParameterError, match="n_boot"):
        key_drivers(data, "y", ["d0"], n_boot=-1)
    with pytest.raises(InvalidParameterError, match="table"):
        key_drivers(np.ones((5, 3)), "y", ["d0"])
    data2 = dict(data, d9=data["d0"] * 2 + data["d1"])
    with pytest.raises(DataError, match="non-singular"):
        key_drivers(data2, "y", ["d0", "d1", "d9"], n_boot=0)
    with pytest.raises(DataError, match="constant item 'c'"):
        key_drivers(dict(data, c=np.ones(400)), "y", ["d0", "c"])
    with pytest.raises(DataError, match="numeric"):
        key_drivers(dict(data, s=np.array(["a"] * 400)), "y", ["s"])
    with pytest.raises(DataError, match="at least 5 respondents"):
        key_drivers({k: v[:4] for k, v in data.items()}, "y", ["d0", "d1", "d2"])
    many = {f"x{j}": np.random.default_rng(j).standard_normal(50) for j in range(17)}
    with pytest.raises(InvalidParameterError, match="at most 15"):
        key_drivers(many, "x0", [f"x{j}" for j in range(1, 17)])
    rw_only = key_drivers(many, "x0", [f"x{j}" for j in range(1, 17)], dominance=False,
                          n_boot=0)
    assert rw_only.relative_weight.sum() == pytest.approx(rw_only.r2)
    with pytest.raises(InvalidParameterError, match="computed"):
        importance_performance(rw_only, measure="dominance")
    kd = key_drivers(data, "y", ["d0", "d1"], n_boot=0)
    with pytest.raises(InvalidParameterError, match="KeyDrivers"):
        importance_performance({"a": 1})
    with pytest.raises(InvalidParameterError, match="measure"):
        importance_performance(kd, measure="shap")
    with pytest.raises(InvalidParameterError, match="scale"):
        importance_performance(kd, scale=(7, 1))


def test_dominance_equals_pingouin_lmg():
    pg = pytest.importorskip("pingouin")
    data, x, y = _data(3, n=250, p=5)
    res = key_drivers(data, "y", [f"d{j}" for j in range(5)], n_boot=0)
    lm = pg.linear_regression(x, y, relimp=True)
    # pingouin 0.7.0 linear_regression(relimp=True): LMG relative importance (= Shapley R²)
    np.testing.assert_allclose(res.dominance, lm["relimp"].to_numpy()[1:], atol=1e-10)
