"""Polychoric and polyserial correlations, their matrix, ordinal alpha and omega.

References used below:

* an independent two-step ML (Olsson 1979) written here with scipy only: thresholds by
  ``norm.ppf`` of the cumulative margins, rho by ``scipy.optimize.minimize_scalar`` on the
  negative log-likelihood with ``scipy.stats.multivariate_normal.cdf`` rectangle
  probabilities;
* the published two-step example of the SciRuby statsample notebook "Polychoric
  Correlation" (Statistics/Polychoric Correlation.ipynb, sciruby-notebooks): table
  [[52, 58, 8], [18, 15, 7], [5, 11, 3]] gives r = 0.1683, thresholds X 0.4307, 1.2408,
  Y -0.1924, 1.2720 and the test of bivariate normality X^2 = 3.941 with df = 3;
* factor_analyzer 0.5.1 (minres, ``is_corr_matrix=True``) for the one-factor fit of
  ordinal omega.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import optimize, stats

from cxpath.errors import CostError, CxpathWarning, DataError, InvalidParameterError
from cxpath.survey import ordinal_alpha, ordinal_omega, polychoric, polychoric_matrix, polyserial
from cxpath.survey.ordinal import _bvnu


# ---------------------------------------------------------------- independent reference
def _ref_thresholds(counts):
    c = np.cumsum(counts)[:-1] / counts.sum()
    return np.concatenate([[-np.inf], stats.norm.ppf(c), [np.inf]])


def _ref_cdf(a, b, rho):
    if (np.isinf(a) and a < 0) or (np.isinf(b) and b < 0):
        return 0.0
    if np.isinf(a):
        return stats.norm.cdf(b)
    if np.isinf(b):
        return stats.norm.cdf(a)
    return stats.multivariate_normal.cdf([a, b], mean=[0, 0], cov=[[1, rho], [rho, 1]],
                                         abseps=1e-12, releps=1e-12)


def _ref_negll(table, a, b, rho):
    ll = 0.0
    for i in range(table.shape[0]):
        for j in range(table.shape[1]):
            if table[i, j] == 0:
                continue
            p = (_ref_cdf(a[i + 1], b[j + 1], rho) - _ref_cdf(a[i], b[j + 1], rho)
                 - _ref_cdf(a[i + 1], b[j], rho) + _ref_cdf(a[i], b[j], rho))
            ll += table[i, j] * np.log(p)
    return -ll


def reference_polychoric(table):
    """Two-step ML of Olsson (1979), written with scipy only: (rho, tau_x, tau_y, se)."""
    table = np.asarray(table, dtype=float)
    a = _ref_thresholds(table.sum(axis=1))
    b = _ref_thresholds(table.sum(axis=0))
    res = optimize.minimize_scalar(lambda r: _ref_negll(table, a, b, r),
                                   bounds=(-0.9999, 0.9999), method="bounded",
                                   options={"xatol": 1e-10})
    rho = res.x
    h = 1e-4
    d2 = (_ref_negll(table, a, b, rho + h) - 2 * _ref_negll(table, a, b, rho)
          + _ref_negll(table, a, b, rho - h)) / h**2
    return rho, a[1:-1], b[1:-1], 1 / np.sqrt(d2)


def rows_of(table):
    """Expand a contingency table into (x, y) answers coded 1, 2, ..."""
    table = np.asarray(table)
    i, j = np.indices(table.shape)
    return (np.repeat(i.ravel(), table.ravel()) + 1, np.repeat(j.ravel(), table.ravel()) + 1)


STATSAMPLE = [[52, 58, 8], [18, 15, 7], [5, 11, 3]]
TABLES = [
    STATSAMPLE,
    [[40, 12, 3, 1], [15, 30, 10, 4], [2, 11, 35, 18], [1, 3, 14, 41]],  # strong positive
    [[5, 20, 31], [18, 22, 9], [30, 11, 2]],                              # negative
    [[120, 30], [25, 80]],                                                # tetrachoric
]


def ordinal_items(n, loadings, cuts, seed):
    """Ordinal items from a one-factor latent model (seeded)."""
    rng = np.random.default_rng(seed)
    lam = np.asarray(loadings)
    z = rng.standard_normal((n, 1)) * lam + rng.standard_normal((n, len(lam))) * np.sqrt(
        1 - lam**2)
    return np.digitize(z, cuts) + 1


# ---------------------------------------------------------------- the kernel
def test_bivariate_normal_matches_scipy():
    # scipy.stats.multivariate_normal.cdf (Genz's QMC, abseps 1e-12) as the reference
    rng = np.random.default_rng(0)
    for r in (-0.999, -0.95, -0.6, -0.1, 0.2, 0.5, 0.8, 0.93, 0.99):
        h, k = rng.normal(0, 1.5, 12), rng.normal(0, 1.5, 12)
        ref = [stats.multivariate_normal.cdf([a, b], [0, 0], [[1, r], [r, 1]],
                                             abseps=1e-12, releps=1e-12) for a, b in zip(h, k)]
        np.testing.assert_allclose(_bvnu(-h, -k, r), ref, atol=1e-10)


# ---------------------------------------------------------------- polychoric
def test_statsample_published_example():
    # statsample two-step output: r: 0.1683, thresholds 0.4307 1.2408 / -0.1924 1.2720,
    # X^2 = 3.941, df = 3 (sciruby-notebooks, Statistics/Polychoric Correlation.ipynb)
    res = polychoric(*rows_of(STATSAMPLE))
    assert round(res.rho, 4) == 0.1683
    np.testing.assert_allclose(res.thresholds_x, [0.4307, 1.2408], atol=5e-5)
    np.testing.assert_allclose(res.thresholds_y, [-0.1924, 1.2720], atol=5e-5)
    assert round(res.g2, 3) == 3.941 and res.df == 3


@pytest.mark.parametrize("table", TABLES)
def test_polychoric_equals_independent_two_step(table):
    rho, a, b, se = reference_polychoric(table)
    res = polychoric(*rows_of(table), sparse="error")
    assert abs(res.rho - rho) < 1e-6
    np.testing.assert_allclose(res.thresholds_x, a, atol=1e-12)
    np.testing.assert_allclose(res.thresholds_y, b, atol=1e-12)
    # observed-information SE against a central-difference second derivative
    assert res.se == pytest.approx(se, rel=1e-4)
    assert res.to_frame("dict")["parameter"][0] == "rho"


def test_threshold_standard_errors_delta_method():
    res = polychoric(*rows_of(STATSAMPLE))
    p = np.cumsum([118, 40, 19])[:-1] / 177
    expected = np.sqrt(p * (1 - p) / 177) / stats.norm.pdf(stats.norm.ppf(p))
    np.testing.assert_allclose(res.standard_errors[1:3], expected, rtol=1e-12)


def test_correction_adds_to_empty_cells_only():
    table = [[30, 10, 0], [12, 25, 6], [0, 8, 20]]
    corrected = np.array(table, dtype=float)
    corrected[corrected == 0] = 0.5
    rho, a, _, _ = reference_polychoric(corrected)
    x, y = rows_of(table)
    res = polychoric(x, y, correct=0.5)
    assert abs(res.rho - rho) < 1e-6 and res.n_empty == 2 and res.correct == 0.5
    np.testing.assert_allclose(res.thresholds_x, a, atol=1e-12)
    # uncorrected: ML with the zero cells kept, warned about by default
    with pytest.warns(CxpathWarning, match=r"1 table\(s\) with empty cells: \['x and y'\]"):
        plain = polychoric(x, y)
    assert abs(plain.rho - reference_polychoric(table)[0]) < 1e-6
    with pytest.raises(DataError, match=r"without empty cells \(sparse='error'\)"):
        polychoric(x, y, sparse="error")
    quiet = polychoric(x, y, sparse="ignore")
    assert quiet.rho == plain.rho


def test_boundary_estimate_is_an_error_naming_correct():
    # a 2 x 2 table with an empty cell: the ML tetrachoric correlation is +1
    x, y = rows_of([[30, 0], [10, 25]])
    with pytest.raises(DataError, match=r"boundary \(rho -> \+1\) for x and y.*correct=0\.5"):
        polychoric(x, y, sparse="ignore")
    assert 0.8 < polychoric(x, y, correct=0.5).rho < 1


def test_polychoric_missing_values():
    x, y = rows_of(STATSAMPLE)
    x = x.astype(float)
    x[:5] = np.nan
    res = polychoric(x, y)
    assert res.n_obs == 172
    assert res.rho == polychoric(x[5:], y[5:]).rho
    with pytest.raises(DataError, match=r"nan_policy='error'.*NaN at position 0"):
        polychoric(x, y, nan_policy="error")


def test_polychoric_bad_input():
    x, y = rows_of(STATSAMPLE)
    with pytest.raises(InvalidParameterError, match=r"'correct' parameter"):
        polychoric(x, y, correct=2.0)
    with pytest.raises(InvalidParameterError, match=r"'sparse' parameter"):
        polychoric(x, y, sparse="fallback")
    with pytest.raises(InvalidParameterError, match=r"'nan_policy' parameter"):
        polychoric(x, y, nan_policy="drop")
    with pytest.raises(DataError, match=r"at least 2 categories.*only the answer 1 in x"):
        polychoric(np.ones(10), np.arange(10) % 2)
    with pytest.raises(DataError, match=r"at most 50 categories.*polyserial"):
        polychoric(np.arange(100.0), np.arange(100) % 3)
    with pytest.raises(DataError, match=r"'x' parameter"):
        polychoric(["a", "b", "c"], [1, 2, 3])
    with pytest.raises(DataError, match=r"same length as 'x'"):
        polychoric([1, 2, 1, 2], [1, 2, 1])
    with pytest.raises(DataError, match=r"at least 3 rows"):
        polychoric([1, 2], [1, 2])


# ---------------------------------------------------------------- polyserial
def _ref_polyserial(x, y):
    z = (x - x.mean()) / x.std(ddof=1)
    _, codes = np.unique(y, return_inverse=True)
    tau = _ref_thresholds(np.bincount(codes))

    def negll(rho):
        s = np.sqrt(1 - rho**2)
        p = (stats.norm.cdf((tau[codes + 1] - rho * z) / s)
             - stats.norm.cdf((tau[codes] - rho * z) / s))
        return -np.log(p).sum()

    return optimize.minimize_scalar(negll, bounds=(-0.999, 0.999), method="bounded",
                                    options={"xatol": 1e-10}).x, tau[1:-1]


def test_polyserial_equals_independent_two_step():
    rng = np.random.default_rng(4)
    z = rng.multivariate_normal([0, 0], [[1, -0.45], [-0.45, 1]], size=1500)
    y = np.digitize(z[:, 1], [-0.8, 0.1, 1.2])
    rho, tau = _ref_polyserial(z[:, 0], y)
    res = polyserial(z[:, 0], y)
    assert abs(res.rho - rho) < 1e-6
    np.testing.assert_allclose(res.thresholds_y, tau, atol=1e-12)
    assert res.kind == "polyserial" and np.isnan(res.g2)
    assert 0.01 < res.se < 0.05


def test_polyserial_bad_input():
    with pytest.raises(DataError, match=r"some variance"):
        polyserial(np.ones(10), np.arange(10) % 2)
    with pytest.raises(DataError, match=r"at least 2 categories"):
        polyserial(np.arange(10.0), np.ones(10))
    with pytest.raises(InvalidParameterError, match=r"'nan_policy' parameter"):
        polyserial(np.arange(10.0), np.arange(10) % 2, nan_policy="x")


# ---------------------------------------------------------------- matrix
def test_matrix_equals_pairwise_polychoric_with_missing():
    x = ordinal_items(600, [0.8, 0.7, 0.6, 0.5], [-1.0, 0.0, 1.0], seed=3).astype(float)
    x[::7, 1] = np.nan
    x[3::11, 2] = np.nan
    res = polychoric_matrix(x, ["a", "b", "c", "d"], sparse="ignore")
    for i in range(4):
        for j in range(i + 1, 4):
            ok = ~np.isnan(x[:, i]) & ~np.isnan(x[:, j])
            pair = polychoric(x[ok, i], x[ok, j], sparse="ignore")
            assert res.matrix[i, j] == pytest.approx(pair.rho, abs=1e-12)
            assert res.se[i, j] == pytest.approx(pair.se, rel=1e-9)
            assert res.n_pairs[i, j] == ok.sum()
    np.testing.assert_array_equal(np.diag(res.matrix), 1.0)
    frame = res.to_frame("dict")
    assert list(frame["item_a"][:3]) == ["a", "a", "a"] and len(frame["rho"]) == 6
    assert not res.smoothed


def test_matrix_against_independent_reference():
    x = ordinal_items(400, [0.8, 0.6, 0.4], [-0.5, 0.5], seed=8)
    res = polychoric_matrix(x, sparse="error")
    for i, j in [(0, 1), (0, 2), (1, 2)]:
        table = np.zeros((3, 3))
        np.add.at(table, (x[:, i] - 1, x[:, j] - 1), 1)
        assert abs(res.matrix[i, j] - reference_polychoric(table)[0]) < 1e-6


def test_matrix_sparse_warning_names_pairs():
    x = ordinal_items(150, [0.9, 0.9, 0.2], [-1.5, -0.5, 0.5, 1.5], seed=1)
    with pytest.warns(CxpathWarning, match=r"empty cells: \['item1-item2'"):
        polychoric_matrix(x)


def _indefinite_items():
    """Three items answered in three disjoint blocks of rows with pairwise correlations
    0.9, 0.9 and -0.9: a pairwise polychoric matrix that is not positive definite."""
    rng = np.random.default_rng(5)
    x = np.full((1500, 3), np.nan)
    for block, (i, j, r) in enumerate([(0, 1, 0.9), (1, 2, 0.9), (0, 2, -0.9)]):
        z = rng.multivariate_normal([0, 0], [[1, r], [r, 1]], 500)
        rows = slice(500 * block, 500 * (block + 1))
        x[rows, i] = np.digitize(z[:, 0], [-0.5, 0.5])
        x[rows, j] = np.digitize(z[:, 1], [-0.5, 0.5])
    return x


def test_non_positive_definite_error_and_smoothing():
    x = _indefinite_items()
    with pytest.raises(DataError, match=r"positive definite.*smooth='eigen'"):
        polychoric_matrix(x, sparse="ignore")
    res = polychoric_matrix(x, sparse="ignore", smooth="eigen")
    assert res.smoothed and res.min_eigenvalue < 0
    # independent smoothing (psych::cor.smooth steps, floor 1e-6): eigen, floor, rescale
    w, vec = np.linalg.eigh(res.raw)
    w = np.where(w < 1e-6, 1e-6, w)
    w = w * 3 / w.sum()
    s = vec @ np.diag(w) @ vec.T
    s = s / np.sqrt(np.outer(np.diag(s), np.diag(s)))
    np.testing.assert_allclose(res.matrix, s, atol=1e-12)
    assert np.linalg.eigvalsh(res.matrix)[0] > 0


def test_matrix_budget_and_bad_input():
    x = ordinal_items(100, [0.7] * 5, [-0.5, 0.5], seed=2)
    with pytest.raises(CostError, match=r"10 polychoric correlations .*max_pairs=9 cap"):
        polychoric_matrix(x, max_pairs=9)
    with pytest.raises(InvalidParameterError, match=r"'smooth' parameter"):
        polychoric_matrix(x, smooth="nearest")
    with pytest.raises(InvalidParameterError, match=r"'max_pairs' parameter"):
        polychoric_matrix(x, max_pairs=0)
    with pytest.raises(InvalidParameterError, match=r"'correct' parameter"):
        polychoric_matrix(x, correct=-1)
    with pytest.raises(DataError, match=r"constant item"):
        polychoric_matrix(np.column_stack([x[:, 0], np.ones(100)]))
    with pytest.raises(DataError, match=r"at most 50 categories"):
        polychoric_matrix(np.column_stack([x[:, 0], np.arange(100.0)]))
    y = x.astype(float)
    y[:50, 1] = np.nan
    y[50:, 0] = 2.0  # item1 constant among the rows answering item2 as well
    with pytest.raises(DataError, match=r"single category"):
        polychoric_matrix(y)


# ---------------------------------------------------------------- ordinal alpha and omega
def test_ordinal_alpha_is_alpha_of_the_polychoric_matrix():
    x = ordinal_items(500, [0.8, 0.7, 0.6, 0.6], [-0.7, 0.4], seed=6)
    r = np.eye(4)
    for i in range(4):
        for j in range(i + 1, 4):
            table = np.zeros((3, 3))
            np.add.at(table, (x[:, i] - 1, x[:, j] - 1), 1)
            r[i, j] = r[j, i] = reference_polychoric(table)[0]
    res = ordinal_alpha(x, sparse="error")
    # Zumbo, Gadermann & Zeisser (2007): alpha = k/(k-1) (1 - tr R / 1'R1)
    assert abs(res.alpha - 4 / 3 * (1 - 4 / r.sum())) < 1e-6
    keep = [1, 2, 3]
    sub = r[np.ix_(keep, keep)]
    assert abs(res.alpha_if_deleted[0] - 1.5 * (1 - 3 / sub.sum())) < 1e-6
    assert abs(res.item_total[0] - r[0, keep].sum() / np.sqrt(sub.sum())) < 1e-6
    # ordinal alpha exceeds the Pearson standardised alpha of coarse items (attenuation)
    from cxpath.survey import cronbach_alpha

    assert res.alpha > cronbach_alpha(x).std_alpha


@pytest.mark.filterwarnings("ignore::FutureWarning")  # sklearn inside factor_analyzer
def test_ordinal_omega_against_factor_analyzer():
    fa_mod = pytest.importorskip("factor_analyzer")
    x = ordinal_items(800, [0.8, 0.7, 0.6, 0.5, 0.7], [-1.0, 0.0, 1.0], seed=9)
    pm = polychoric_matrix(x, sparse="ignore")
    fa = fa_mod.FactorAnalyzer(n_factors=1, rotation=None, method="minres",
                               is_corr_matrix=True)
    fa.fit(pm.matrix)
    lam = np.abs(fa.loadings_[:, 0])
    omega = lam.sum() ** 2 / (lam.sum() ** 2 + (1 - lam**2).sum())
    res = ordinal_omega(x, sparse="ignore")
    assert abs(res.omega - omega) < 1e-5
    np.testing.assert_allclose(res.loadings, lam, atol=1e-4)
    assert res.method == "minres, polychoric"


def test_ordinal_reliability_bad_input():
    x = ordinal_items(200, [0.7] * 3, [-0.5, 0.5], seed=2)
    with pytest.raises(InvalidParameterError, match=r"'method' parameter"):
        ordinal_omega(x, method="pca")
    with pytest.raises(DataError, match=r"at least 3 items"):
        ordinal_omega(x[:, :2])
    with pytest.raises(DataError, match=r"boundary \(rho -> -1\) for items 'item1' and 'item2'"):
        ordinal_alpha(np.column_stack([x[:, 0], 4 - x[:, 0]]), sparse="ignore")
    with pytest.raises(InvalidParameterError, match=r"'sparse' parameter"):
        ordinal_alpha(x, sparse=None)


def test_negative_ordinal_alpha_warns_naming_items():
    x = ordinal_items(600, [0.7, 0.7], [-0.5, 0.5], seed=12)
    x[:, 1] = 4 - x[:, 1]  # a reverse-coded item
    with pytest.warns(CxpathWarning, match=r"ordinal alpha is negative.*'item1', 'item2'"):
        res = ordinal_alpha(x, sparse="ignore")
    assert res.alpha < 0


# ---------------------------------------------------------------- asymptotic covariance
def test_influence_equals_numerical_delta_method():
    # On a table equal to its model (n * pi(rho, a, b)) the two-step estimate returns
    # (rho, a, b); the variance of the influence function must equal the delta-method
    # variance sum_c p_c g_c^2 - (sum_c p_c g_c)^2 with g_c = d rho_hat / d p_c computed
    # numerically through the whole two-step estimator.
    from cxpath.survey.ordinal import _cells, _fit_table, _grid, _influence

    a, b, rho = np.array([-0.7, 0.2, 1.1]), np.array([-0.4, 0.6]), 0.55
    p = _cells(_grid(a, b, rho)[0])
    fit = _fit_table(1000 * p, "t", "f", "ignore")
    assert abs(fit[0] - rho) < 1e-9
    infl = _influence(a, b, rho)
    assert abs((p * infl).sum()) < 1e-9  # influence has mean zero under the model
    g = np.empty_like(p)
    h = 1e-5
    for idx in np.ndindex(p.shape):
        up, down = p.copy(), p.copy()
        up[idx] += h
        down[idx] -= h
        g[idx] = (_fit_table(up, "t", "f", "ignore")[0]
                  - _fit_table(down, "t", "f", "ignore")[0]) / (2 * h)
    delta = (p * g**2).sum() - (p * g).sum() ** 2
    assert (p * infl**2).sum() == pytest.approx(delta, rel=1e-5)


def test_acov_against_monte_carlo():
    # covariance of the three pairwise estimates over 300 simulated samples of n = 400
    cov = np.array([[1, 0.6, 0.5], [0.6, 1, 0.4], [0.5, 0.4, 1]])
    rng = np.random.default_rng(17)
    est, acovs = [], []
    for _ in range(300):
        z = rng.multivariate_normal(np.zeros(3), cov, size=400)
        pm = polychoric_matrix(np.digitize(z, [-0.6, 0.3]), sparse="ignore", acov=True)
        est.append(pm.rho)
        acovs.append(pm.acov)
    mc = np.cov(np.array(est), rowvar=False)
    mean = np.mean(acovs, axis=0)
    # Monte Carlo standard error of a variance from 300 draws is about 8 %
    np.testing.assert_allclose(np.diag(mean), np.diag(mc), rtol=0.2)
    np.testing.assert_allclose(mean[np.triu_indices(3, 1)], mc[np.triu_indices(3, 1)],
                               rtol=0.35)


def test_acov_bad_input():
    x = ordinal_items(200, [0.7] * 3, [-0.5, 0.5], seed=2).astype(float)
    assert polychoric_matrix(x).acov.shape == (0, 0)
    assert polychoric_matrix(x, acov=True).acov.shape == (3, 3)
    with pytest.raises(InvalidParameterError, match=r"'acov' parameter"):
        polychoric_matrix(x, acov="yes")
    x[0, 0] = np.nan
    with pytest.raises(DataError, match=r"free of missing answers for acov=True"):
        polychoric_matrix(x, acov=True)
    assert polychoric_matrix(x, acov=True, nan_policy="listwise").acov.shape == (3, 3)
