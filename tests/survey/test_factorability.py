"""KMO and Bartlett's sphericity test (cxpath.survey.factorability)."""

from __future__ import annotations

import numpy as np
import pytest

from cxpath.errors import DataError, InvalidParameterError
from cxpath.survey import bartlett_sphericity, kmo


def _fa():
    return pytest.importorskip("factor_analyzer")


def test_kmo_equals_factor_analyzer(survey_items, two_factor_data):
    fa = _fa()
    for x in (survey_items[0], two_factor_data):
        per, total = fa.calculate_kmo(x)
        res = kmo(x)
        # factor_analyzer 0.5.1 calculate_kmo
        assert res.overall == pytest.approx(total, abs=1e-12)
        np.testing.assert_allclose(res.per_item, per, atol=1e-12)


def test_bartlett_equals_factor_analyzer(survey_items, two_factor_data):
    fa = _fa()
    for x in (survey_items[0], two_factor_data):
        stat, p = fa.calculate_bartlett_sphericity(x)
        res = bartlett_sphericity(x)
        # factor_analyzer 0.5.1 calculate_bartlett_sphericity
        assert res.statistic == pytest.approx(stat, rel=1e-10)
        assert res.p_value == pytest.approx(p, abs=1e-12)
        assert res.df == x.shape[1] * (x.shape[1] - 1) // 2


def test_kmo_textbook_small_example():
    # Independent computation from the anti-image: partial r = -P_ij / sqrt(P_ii P_jj)
    r = np.array([[1.0, 0.5, 0.4], [0.5, 1.0, 0.3], [0.4, 0.3, 1.0]])
    rng = np.random.default_rng(0)
    x = rng.multivariate_normal(np.zeros(3), r, 300)
    rs = np.corrcoef(x, rowvar=False)
    p = np.linalg.inv(rs)
    q = -p / np.sqrt(np.outer(np.diag(p), np.diag(p)))
    off = ~np.eye(3, dtype=bool)
    ref = (rs[off] ** 2).sum() / ((rs[off] ** 2).sum() + (q[off] ** 2).sum())
    res = kmo(x, ["a", "b", "c"])
    assert res.overall == pytest.approx(ref, rel=1e-12)
    assert list(res.to_frame("dict")["item"]) == ["a", "b", "c"]
    assert res.verdict in ("miserable", "mediocre", "middling", "unacceptable")


def test_bartlett_uncorrelated_items_not_significant_most_of_the_time():
    rng = np.random.default_rng(4)
    ps = [bartlett_sphericity(rng.standard_normal((100, 4))).p_value for _ in range(200)]
    # under H0 the p-value is uniform: about 5 % below 0.05
    assert 0.01 < np.mean(np.array(ps) < 0.05) < 0.10


def test_pairwise_uses_smallest_pair_count(sample):
    items = list(sample.survey_constructs["sat"])
    res = bartlett_sphericity(sample.survey, items)
    x = np.column_stack([sample.survey[i] for i in items])
    m = (~np.isnan(x)).astype(int)
    assert res.n_obs == (m.T @ m).min()
    lw = bartlett_sphericity(sample.survey, items, nan_policy="listwise")
    assert lw.n_obs == (~np.isnan(x).any(axis=1)).sum()


def test_bad_inputs():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((20, 3))
    sing = np.column_stack([x, x[:, 0] - x[:, 1]])
    for f in (kmo, bartlett_sphericity):
        with pytest.raises(DataError, match="non-singular"):
            f(sing)
        with pytest.raises(DataError, match="non-singular"):
            f(rng.standard_normal((3, 5)))  # fewer rows than items
        with pytest.raises(DataError, match="constant item"):
            f(np.column_stack([x, np.full(20, 3.0)]))
        with pytest.raises(DataError, match="numeric"):
            f(np.array([["1", "2"], ["3", "4"], ["5", "5"]]))
        with pytest.raises(InvalidParameterError, match="nan_policy"):
            f(x, nan_policy="mean")
