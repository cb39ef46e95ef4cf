"""Factor retention: parallel analysis (Horn 1965; 95th-percentile and mean rules, Pearson or
polychoric) and Velicer's MAP test (1976 squared, 2000 fourth power).

References used below:

* Velicer's MAP criterion computed here directly from the data, as O'Connor (2000) defines it:
  the items' residuals after regressing them on the first m principal-component scores,
  their correlation matrix (the partial correlations), and the mean of its squared (or
  fourth-power) off-diagonal entries, for m = 0 … p - 1;
* Horn's random eigenvalues regenerated here with the same seeded generator;
* factor_analyzer 0.5.1 ``FactorAnalyzer.get_eigenvalues`` for the observed eigenvalues.
* data with a planted number of factors, which both criteria must recover.
"""

from __future__ import annotations

import numpy as np
import pytest

from cxpath.errors import CostError, CxpathWarning, InvalidParameterError
from cxpath.survey import efa, n_factors, polychoric_matrix


def planted(n, n_factors_, per, loading, seed):
    """Items from ``n_factors_`` independent factors with ``per`` items each (seeded)."""
    rng = np.random.default_rng(seed)
    f = rng.standard_normal((n, n_factors_))
    lam = np.zeros((n_factors_ * per, n_factors_))
    for j in range(n_factors_ * per):
        lam[j, j // per] = loading
    return f @ lam.T + rng.standard_normal((n, n_factors_ * per)) * np.sqrt(1 - loading**2)


def map_from_data(x, power):
    """O'Connor's (2000) MAP values from the data: partial out PC scores by regression."""
    z = (x - x.mean(axis=0)) / x.std(axis=0, ddof=1)
    p = z.shape[1]
    r = np.corrcoef(z, rowvar=False)
    w, vec = np.linalg.eigh(r)
    order = np.argsort(w)[::-1]
    scores = z @ vec[:, order]
    out = []
    for m in range(p - 1):
        if m == 0:
            res = z
        else:
            s = scores[:, :m]
            beta, *_ = np.linalg.lstsq(s, z, rcond=None)
            res = z - s @ beta
        pr = np.corrcoef(res, rowvar=False)
        off = pr[~np.eye(p, dtype=bool)]
        out.append(np.mean(off**power))
    return np.array(out)


def test_map_equals_direct_computation_from_data():
    x = planted(400, 2, 4, 0.6, seed=21)
    res = n_factors(x, n_iter=5, seed=0)
    # m = p - 1 leaves rank-one residuals (partial correlations of +-1): compare up to p - 2
    np.testing.assert_allclose(res.map_squared[:-1], map_from_data(x, 2), rtol=1e-9)
    np.testing.assert_allclose(res.map_fourth[:-1], map_from_data(x, 4), rtol=1e-9)
    assert res.map_1976 == int(np.argmin(map_from_data(x, 2)))
    assert res.map_2000 == int(np.argmin(map_from_data(x, 4)))


@pytest.mark.parametrize(("k", "seed"), [(1, 1), (2, 2), (3, 3), (4, 4)])
def test_planted_factors_are_recovered(k, seed):
    x = planted(600, k, 4, 0.7, seed=seed)
    res = n_factors(x, n_iter=40, seed=seed)
    assert res.suggested == {"parallel": k, "parallel_mean": k, "map_1976": k,
                             "map_2000": k, "kaiser": k}


def test_uncorrelated_items_give_zero_map_components():
    rng = np.random.default_rng(7)
    res = n_factors(rng.standard_normal((500, 8)), n_iter=20, seed=1)
    # Velicer (1976): m = 0 wins when no component reduces the mean squared partial r
    assert res.map_1976 == 0 and res.map_2000 == 0


def test_random_eigenvalues_reproduce_with_seed():
    x = planted(300, 2, 3, 0.7, seed=5)
    res = n_factors(x, n_iter=30, seed=9, quantile=0.95)
    rng = np.random.default_rng(9)
    sims = np.array([np.linalg.eigvalsh(np.corrcoef(rng.standard_normal((300, 6)),
                                                    rowvar=False))[::-1] for _ in range(30)])
    np.testing.assert_allclose(res.random_mean, sims.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(res.random_quantile, np.quantile(sims, 0.95, axis=0),
                               rtol=1e-12)
    above = res.eigenvalues > sims.mean(axis=0)
    assert res.parallel_mean == (int(np.argmin(above)) if not above.all() else 6)
    again = n_factors(x, n_iter=30, seed=9)
    np.testing.assert_array_equal(again.random_quantile, res.random_quantile)


@pytest.mark.filterwarnings("ignore::FutureWarning")  # sklearn inside factor_analyzer
def test_observed_eigenvalues_match_factor_analyzer():
    fa_mod = pytest.importorskip("factor_analyzer")
    x = planted(300, 2, 4, 0.6, seed=13)
    fa = fa_mod.FactorAnalyzer(n_factors=2, rotation=None).fit(x)
    original, _ = fa.get_eigenvalues()
    res = n_factors(x, n_iter=5, seed=0)
    np.testing.assert_allclose(res.correlation_eigenvalues, original, rtol=1e-10)


def test_polychoric_parallel_analysis_and_map():
    lat = planted(500, 2, 4, 0.75, seed=31)
    x = np.digitize(lat, [-0.8, 0.0, 0.8]) + 1
    res = n_factors(x, n_iter=10, seed=3, correlation="polychoric", correct=0.5)
    assert res.correlation == "polychoric"
    assert res.parallel == 2 and res.parallel_mean == 2 and res.map_1976 == 2
    pm = polychoric_matrix(x, correct=0.5)
    np.testing.assert_allclose(res.correlation_eigenvalues,
                               np.linalg.eigvalsh(pm.matrix)[::-1], rtol=1e-12)
    # the random sets are permutations: their polychoric eigenvalues hover around 1
    assert np.all(np.abs(res.random_mean - 1) < 0.3)
    again = n_factors(x, n_iter=10, seed=3, correlation="polychoric", correct=0.5)
    np.testing.assert_array_equal(again.random_mean, res.random_mean)
    assert "polychoric" in repr(res) and "MAP" in repr(res)


def test_efa_on_polychoric_matrix():
    fa_mod = pytest.importorskip("factor_analyzer")
    lat = planted(500, 2, 3, 0.75, seed=41)
    x = np.digitize(lat, [-0.8, 0.0, 0.8]) + 1
    res = efa(x, n_factors=2, rotation=None, correlation="polychoric", correct=0.5)
    pm = polychoric_matrix(x, correct=0.5)
    np.testing.assert_allclose(res.correlation, pm.matrix, atol=1e-12)
    with pytest.warns(FutureWarning):  # sklearn deprecation inside factor_analyzer
        fa = fa_mod.FactorAnalyzer(n_factors=2, rotation=None, method="minres",
                                   is_corr_matrix=True).fit(pm.matrix)
    np.testing.assert_allclose(res.communalities, fa.get_communalities(), atol=1e-4)


def test_sparse_polychoric_warns_through_n_factors():
    lat = planted(120, 1, 3, 0.9, seed=2)
    x = np.digitize(lat, [-1.5, -0.5, 0.5, 1.5]) + 1
    with pytest.warns(CxpathWarning, match=r"survey\.n_factors: .* empty cells.*correct=0\.5"):
        n_factors(x, n_iter=2, seed=0, correlation="polychoric")


def test_retention_bad_input():
    x = planted(100, 1, 3, 0.7, seed=1)
    with pytest.raises(InvalidParameterError, match=r"'correlation' parameter of survey\.n_f"):
        n_factors(x, correlation="spearman")
    with pytest.raises(InvalidParameterError, match=r"'correct' parameter of survey\.n_factors"):
        n_factors(x, correlation="polychoric", correct=5)
    with pytest.raises(InvalidParameterError, match=r"'correlation' parameter of survey\.efa"):
        efa(x, correlation="kendall")
    with pytest.raises(CostError, match=r"max_iter=2 cap"):
        n_factors(np.digitize(x, [0.0]) + 1, n_iter=3, max_iter=2, correlation="polychoric")
