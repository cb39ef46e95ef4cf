"""Exploratory factor analysis and the number of factors (cxpath.survey.factor_analysis)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from cxpath.errors import CxpathWarning, DataError, InvalidParameterError
from cxpath.survey import efa, n_factors


def align(est, ref):
    """Reorder and sign-flip the columns of ``ref`` to best match ``est`` (factor
    solutions are unique only up to column order and sign)."""
    from scipy.optimize import linear_sum_assignment

    _, cols = linear_sum_assignment(-np.abs(est.T @ ref))
    out = ref[:, cols]
    return out * np.sign((est * out).sum(axis=0))


def _fit_peer(x, m, method, rotation):
    fa = pytest.importorskip("factor_analyzer")
    # varimax converges linearly: R's relative tolerance 1e-5 is far from the optimum
    kw = {None: None, "oblimin": {"tol": 1e-9, "max_iter": 5000}}.get(
        rotation, {"tol": 1e-14, "max_iter": 100_000})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fa.FactorAnalyzer(n_factors=m, method=method, rotation=rotation,
                                 rotation_kwargs=kw).fit(x)


@pytest.mark.parametrize("method", ["minres", "ml"])
@pytest.mark.parametrize("rotation", [None, "varimax", "promax", "oblimin"])
def test_loadings_equal_factor_analyzer(survey_items, two_factor_data, method, rotation):
    for x, m in ((survey_items[0], 5), (two_factor_data, 2)):
        res = efa(x, n_factors=m, method=method, rotation=rotation)
        peer = _fit_peer(x, m, method, rotation)
        # factor_analyzer 0.5.1 FactorAnalyzer(method, rotation), columns aligned up to
        # order and sign; its L-BFGS-B uses numerical gradients (uniquenesses agree to
        # ~1e-6), and rotations are run to tight tolerances on both sides
        ref = align(res.loadings, peer.loadings_)
        np.testing.assert_allclose(res.loadings, ref, atol=1e-4)
        if rotation in ("promax", "oblimin"):
            _, cols = __import__("scipy.optimize").optimize.linear_sum_assignment(
                -np.abs(res.loadings.T @ peer.loadings_))
            s = np.sign((res.loadings * peer.loadings_[:, cols]).sum(0))
            # factor_analyzer reorders the loadings by variance but not phi_; its
            # structure_ (= loadings @ phi, reordered) gives phi in the loadings' order
            peer_phi = np.linalg.lstsq(peer.loadings_, peer.structure_, rcond=None)[0]
            phi = peer_phi[np.ix_(cols, cols)] * np.outer(s, s)
            np.testing.assert_allclose(res.phi, phi, atol=2e-4)
        if rotation != "promax" and rotation != "oblimin":
            # orthogonal: communalities are row sums of squares, as in factor_analyzer
            np.testing.assert_allclose(res.communalities, (ref**2).sum(1), atol=2e-4)


def test_ml_fit_test_equals_factor_analyzer_sufficiency(survey_items, two_factor_data):
    for x, m in ((survey_items[0], 5), (two_factor_data, 2), (two_factor_data, 1)):
        res = efa(x, n_factors=m, method="ml", rotation="promax")
        peer = _fit_peer(x, m, "ml", None)
        stat, df, p = peer.sufficiency(x.shape[0])
        # factor_analyzer 0.5.1 FactorAnalyzer.sufficiency (Lawley & Maxwell 1971, p. 36)
        assert res.df == df
        assert res.chi2 == pytest.approx(stat, rel=1e-4)
        assert res.p_value == pytest.approx(p, rel=1e-3, abs=1e-12)
    assert res.p_value < 1e-6 and res.rmsea > 0.05  # one factor is not enough
    good = efa(two_factor_data, n_factors=2, method="ml")
    assert good.p_value > 0.01 and good.rmsea < 0.03  # generated with two factors
    saturated = efa(two_factor_data[:, :3], n_factors=1)
    assert saturated.df == 0 and np.isnan(saturated.chi2)  # documented: cannot be tested


def test_principal_axis_equals_statsmodels(survey_items):
    sm = pytest.importorskip("statsmodels.multivariate.factor")
    x = survey_items[0]
    res = efa(x, n_factors=5, method="pa", rotation=None)
    peer = sm.Factor(x, 5, method="pa", smc=True).fit(maxiter=10_000, tol=1e-12)
    # statsmodels 0.14 Factor(method="pa"): iterated principal axis from SMC
    np.testing.assert_allclose(res.loadings, align(res.loadings, peer.loadings), atol=1e-7)


def test_ml_equals_statsmodels_ml(two_factor_data):
    sm = pytest.importorskip("statsmodels.multivariate.factor")
    res = efa(two_factor_data, n_factors=2, method="ml", rotation=None)
    peer = sm.Factor(two_factor_data, 2, method="ml").fit()
    # statsmodels 0.14 Factor(method="ml"); independent ML optimiser
    np.testing.assert_allclose(res.uniquenesses, peer.uniqueness, atol=1e-4)


def test_solution_structure(two_factor_data):
    res = efa(two_factor_data, n_factors=2, method="minres", rotation="oblimin")
    # rotation leaves communalities unchanged: diag(L phi L') equals the unrotated ones
    unrot = efa(two_factor_data, n_factors=2, method="minres", rotation=None)
    np.testing.assert_allclose(res.communalities, unrot.communalities, atol=1e-8)
    np.testing.assert_allclose(res.uniquenesses, 1 - res.communalities)
    np.testing.assert_allclose(res.structure, res.loadings @ res.phi)
    assert res.ss_loadings[0] >= res.ss_loadings[1]
    assert (res.loadings.sum(0) > 0).all()
    np.testing.assert_allclose(np.diag(res.phi), 1.0)
    assert 0.25 < res.phi[0, 1] < 0.55  # generated with factor correlation 0.4
    np.testing.assert_allclose(res.cumulative[-1], res.proportion.sum())
    vr = efa(two_factor_data, n_factors=2, rotation="varimax")
    np.testing.assert_allclose(vr.phi, np.eye(2))
    assert np.linalg.eigvalsh(np.corrcoef(two_factor_data, rowvar=False))[::-1] == \
        pytest.approx(vr.eigenvalues)
    frame = res.to_frame()
    assert list(frame.columns) == ["item", "F1", "F2", "communality", "uniqueness"]
    assert list(res.variance_frame("dict")) == ["factor", "ss_loadings", "proportion",
                                               "cumulative"]
    assert "factor correlations" in repr(res)


def test_sample_survey_recovers_five_constructs(sample, survey_items):
    x, names = survey_items
    res = efa(x, names, n_factors=5, rotation="promax")
    best = np.argmax(np.abs(res.loadings), axis=1)
    groups = [set(best[3 * c: 3 * c + 3]) for c in range(5)]
    assert all(len(g) == 1 for g in groups)  # each construct's items load on one factor
    assert len(set.union(*groups)) == 5
    # the constructs correlate, so component-based parallel analysis and Kaiser merge two
    # of them; the common-factor version (reduced matrix) recovers the five
    count = n_factors(sample.survey, names, kind="fa", seed=0, n_iter=30)
    assert count.parallel == 5
    assert count.kaiser == 4


def test_n_factors_reproducible_and_kinds(two_factor_data):
    a = n_factors(two_factor_data, seed=3, n_iter=40)
    b = n_factors(two_factor_data, seed=3, n_iter=40)
    np.testing.assert_array_equal(a.random_quantile, b.random_quantile)
    assert a.parallel == 2 and a.kaiser == 2
    fa = n_factors(two_factor_data, kind="fa", seed=3, n_iter=40)
    assert fa.parallel >= 2
    assert fa.eigenvalues.sum() < a.eigenvalues.sum()  # reduced matrix has trace sum(SMC)
    assert list(a.to_frame("dict")["position"]) == list(range(1, 9))


def test_heywood_case_warns():
    rng = np.random.default_rng(0)
    f = rng.standard_normal(300)
    x = np.column_stack([f + 0.01 * rng.standard_normal(300),
                         *(f + rng.standard_normal(300) for _ in range(3))])
    with pytest.warns(CxpathWarning, match="Heywood"):
        efa(x, n_factors=1, method="minres")


def test_bad_inputs(two_factor_data):
    x = two_factor_data
    with pytest.raises(InvalidParameterError, match="n_factors"):
        efa(x, n_factors=8)
    with pytest.raises(InvalidParameterError, match="n_factors"):
        efa(x, n_factors=0)
    with pytest.raises(InvalidParameterError, match="method"):
        efa(x, method="principal")
    with pytest.raises(InvalidParameterError, match="rotation"):
        efa(x, rotation="quartimax")
    with pytest.raises(DataError, match="non-singular"):
        efa(np.column_stack([x, x[:, 0] + x[:, 1]]))
    with pytest.raises(DataError, match="non-singular"):
        efa(x[:5])
    with pytest.raises(DataError, match="constant item"):
        efa(np.column_stack([x, np.ones(len(x))]))
    with pytest.raises(DataError, match="numeric"):
        efa({"a": ["1", "2", "3", "4"], "b": [1, 2, 3, 4], "c": [2, 1, 3, 3]})
    with pytest.raises(InvalidParameterError, match="kind"):
        n_factors(x, kind="pc")
    with pytest.raises(InvalidParameterError, match="n_iter"):
        n_factors(x, n_iter=0)
    with pytest.raises(DataError, match="non-singular"):
        n_factors(np.column_stack([x, 2 * x[:, 0]]))


def test_pairwise_indefinite_matrix_is_an_error_with_a_hint():
    rng = np.random.default_rng(0)
    n = 10
    t = rng.standard_normal(3 * n)
    a, b, c = (np.full(3 * n, np.nan) for _ in range(3))
    # a = b on the first rows, b = c on the next, a = -c on the last: no joint distribution
    a[:n], b[:n] = t[:n], t[:n] + 0.01 * rng.standard_normal(n)
    b[n:2 * n], c[n:2 * n] = t[n:2 * n], t[n:2 * n] + 0.01 * rng.standard_normal(n)
    a[2 * n:], c[2 * n:] = t[2 * n:], -t[2 * n:] + 0.01 * rng.standard_normal(n)
    x = np.column_stack([a, b, c, rng.standard_normal(3 * n)])
    with pytest.raises(DataError, match="nan_policy='listwise'"):
        efa(x)


def test_oblimin_leaves_the_saddle_point_of_symmetric_loadings():
    # Two item clusters whose unrotated loadings are mirror images, (c, c) and (c, -c):
    # the reflection symmetry makes the gradient of the quartimin criterion vanish at the
    # identity, so GPA started there stays (factor_analyzer 0.5's Rotator does). The
    # minimum is known in closed form: the 45° rotation gives perfect simple structure,
    # loadings c√2 on one factor and 0 on the other, uncorrelated factors, criterion 0.
    from cxpath.survey import _rotation

    c = np.array([0.5, 0.6, 0.5, 0.4, 0.7, 0.3])
    sign = np.array([1, 1, -1, -1, 1, -1])
    a = np.column_stack([c, c * sign])
    lam, t, phi = _rotation.oblimin(a)
    expected = np.column_stack([c * np.sqrt(2) * (sign > 0), c * np.sqrt(2) * (sign < 0)])
    np.testing.assert_allclose(np.sort(np.abs(lam), axis=1), np.sort(expected, axis=1),
                               atol=1e-6)
    assert np.abs(lam).min(axis=1).max() < 1e-6  # one zero per row
    np.testing.assert_allclose(phi, np.eye(2), atol=1e-6)
    np.testing.assert_allclose(a @ np.linalg.inv(t).T, lam, atol=1e-12)
    fa = pytest.importorskip("factor_analyzer")
    stuck = fa.rotator.Rotator(method="oblimin").fit_transform(a)
    assert np.abs(stuck).min(axis=1).min() > 0.3  # the peer stays at the saddle
