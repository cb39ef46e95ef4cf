"""Composite reliability, AVE, Fornell–Larcker and HTMT (cxpath.survey.validity)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from cxpath.errors import DataError, InvalidParameterError
from cxpath.survey import construct_validity, cronbach_alpha, htmt

pd = pytest.importorskip("pandas")


def _htmt_reference(frame, constructs):
    """Independent HTMT: Henseler et al. (2015) eq. 6, item by item with pandas pairwise
    correlations (absolute values, as semTools::htmt)."""
    corr = frame.corr()  # pandas pairwise-complete Pearson
    names = list(constructs)
    out = {}
    for a, b in itertools.combinations(names, 2):
        hetero = [abs(corr.loc[i, j]) for i in constructs[a] for j in constructs[b]]
        mono_a = [abs(corr.loc[i, j]) for i, j in itertools.combinations(constructs[a], 2)]
        mono_b = [abs(corr.loc[i, j]) for i, j in itertools.combinations(constructs[b], 2)]
        out[a, b] = np.mean(hetero) / np.sqrt(np.mean(mono_a) * np.mean(mono_b))
    return out


def test_htmt_equals_independent_implementation(sample):
    frame = pd.DataFrame({i: sample.survey[i] for items in sample.survey_constructs.values()
                          for i in items})
    res = htmt(frame, sample.survey_constructs)
    ref = _htmt_reference(frame, sample.survey_constructs)
    names = list(res.constructs)
    for (a, b), val in ref.items():
        assert res.matrix[names.index(a), names.index(b)] == pytest.approx(val, abs=1e-10)
    f = res.to_frame("dict")
    assert len(f["htmt"]) == 10
    np.testing.assert_array_equal(f["above_0.85"], f["htmt"] > 0.85)
    cv = construct_validity(frame, sample.survey_constructs)
    np.testing.assert_allclose(cv.htmt, res.matrix, atol=1e-14)


def test_htmt_bootstrap_intervals(sample):
    a = htmt(sample.survey, sample.survey_constructs, n_boot=200, seed=3)
    b = htmt(sample.survey, sample.survey_constructs, n_boot=200, seed=3)
    np.testing.assert_array_equal(a.ci, b.ci)
    f = a.to_frame("dict")
    assert (f["ci_low"] <= f["htmt"]).all() and (f["htmt"] <= f["ci_high"]).all()
    # the sample's constructs are distinct (max HTMT about 0.7): every upper bound < 0.85
    assert f["ci_below_threshold"].all()
    assert "ci_low" not in htmt(sample.survey, sample.survey_constructs).to_frame("dict")


def test_htmt_with_mixed_construct_sizes_and_signed():
    rng = np.random.default_rng(2)
    f = rng.multivariate_normal([0, 0], [[1, 0.6], [0.6, 1]], 400)
    data = {"a1": f[:, 0] + rng.standard_normal(400), "a2": f[:, 0] + rng.standard_normal(400),
            "b1": f[:, 1] + rng.standard_normal(400), "b2": f[:, 1] + rng.standard_normal(400),
            "b3": -f[:, 1] + rng.standard_normal(400)}
    cons = {"A": ["a1", "a2"], "B": ["b1", "b2", "b3"]}
    ref = _htmt_reference(pd.DataFrame(data), cons)["A", "B"]
    assert htmt(data, cons).matrix[0, 1] == pytest.approx(ref, abs=1e-10)
    # signed (original) HTMT: the reverse-coded b3 makes B's mean correlation negative
    with pytest.raises(DataError, match="reverse-code"):
        htmt(data, cons, absolute=False)
    data["b3"] = -data["b3"]
    assert htmt(data, cons, absolute=False).matrix[0, 1] == pytest.approx(ref, abs=1e-10)


def test_cr_ave_formulas_and_thresholds(sample):
    res = construct_validity(sample.survey, sample.survey_constructs)
    for j, c in enumerate(res.constructs):
        lam = res.loadings[c]
        # Fornell & Larcker (1981): CR and AVE from standardised loadings
        cr = lam.sum() ** 2 / (lam.sum() ** 2 + (1 - lam**2).sum())
        assert res.cr[j] == pytest.approx(cr)
        assert res.ave[j] == pytest.approx(np.mean(lam**2))
        assert res.alpha[j] == pytest.approx(
            cronbach_alpha(sample.survey, sample.survey_constructs[c]).std_alpha)
    # the generator's loadings (cxpath.datasets._generate.LOADINGS), attenuated by rounding
    # to a 7-point scale, give AVE around 0.5-0.65 and CR above 0.7
    assert (res.cr > 0.7).all() and (res.ave > 0.45).all()
    f = res.to_frame("dict")
    np.testing.assert_array_equal(f["cr_ok"], res.cr >= 0.7)
    np.testing.assert_array_equal(f["ave_ok"], res.ave >= 0.5)
    np.testing.assert_allclose(np.diag(res.fornell_larcker), np.sqrt(res.ave))
    assert f["fornell_larcker_ok"].all() and f["htmt_ok"].all()
    assert "Fornell-Larcker" in repr(res)
    assert list(res.htmt_frame("dict"))[:3] == ["construct_a", "construct_b", "htmt"]


def test_composite_correlation_equals_sum_score_correlation(sample):
    cons = {"sat": list(sample.survey_constructs["sat"]),
            "loyal": list(sample.survey_constructs["loyal"])}
    x = np.column_stack([sample.survey[i] for i in cons["sat"] + cons["loyal"]])
    x = x[~np.isnan(x).any(1)]
    data = {n: x[:, j] for j, n in enumerate(cons["sat"] + cons["loyal"])}
    res = construct_validity(data, cons)
    z = (x - x.mean(0)) / x.std(0, ddof=1)
    ref = np.corrcoef(z[:, :3].sum(1), z[:, 3:].sum(1))[0, 1]
    assert res.correlations[0, 1] == pytest.approx(ref, abs=1e-12)


def test_discriminant_failure_is_flagged():
    rng = np.random.default_rng(8)
    f = rng.standard_normal(500)
    data = {f"x{i}": f + 0.5 * rng.standard_normal(500) for i in range(6)}
    res = construct_validity(data, {"A": ["x0", "x1", "x2"], "B": ["x3", "x4", "x5"]})
    f2 = res.to_frame("dict")
    assert not f2["htmt_ok"].any()
    assert not f2["fornell_larcker_ok"].any()


def test_bad_inputs(sample):
    s = sample.survey
    with pytest.raises(InvalidParameterError, match="at least 2 items per construct"):
        htmt(s, {"A": ["sat1"], "B": ["loyal1", "loyal2"]})
    with pytest.raises(InvalidParameterError, match="at least 2 constructs"):
        htmt(s, {"A": ["sat1", "sat2"]})
    with pytest.raises(InvalidParameterError, match="disjoint"):
        construct_validity(s, {"A": ["sat1", "sat2"], "B": ["sat2", "sat3"]})
    with pytest.raises(InvalidParameterError, match="dict mapping"):
        construct_validity(s, ["sat1", "sat2"])
    with pytest.raises(InvalidParameterError, match="'items' parameter"):
        construct_validity(s, {"A": ["sat1", "nope"]})
    with pytest.raises(DataError, match="constant item"):
        construct_validity({"a": [1, 2, 3, 4], "b": [2, 2, 2, 2]}, {"A": ["a", "b"]})
    with pytest.raises(DataError, match="numeric"):
        construct_validity({"a": ["1", "2", "3"], "b": [1, 2, 3]}, {"A": ["a", "b"]})
    with pytest.raises(InvalidParameterError, match="table"):
        htmt(np.ones((5, 4)), {"A": ["a", "b"], "B": ["c", "d"]})
    with pytest.raises(DataError, match="non-singular"):
        x = np.arange(10.0)
        construct_validity({"a": x, "b": x**2, "c": x + x**2}, {"A": ["a", "b", "c"]})
    with pytest.raises(InvalidParameterError, match="n_boot"):
        htmt(s, sample.survey_constructs, n_boot=-5)
    with pytest.raises(InvalidParameterError, match="cr_threshold"):
        construct_validity(s, sample.survey_constructs, cr_threshold=2)
