"""Cronbach's alpha and omega total (cxpath.survey.reliability)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from cxpath.errors import CxpathWarning, DataError, InvalidParameterError
from cxpath.survey import cronbach_alpha, omega_total
from cxpath.survey.reliability import feldt_interval

pd = pytest.importorskip("pandas")


def _pg():
    return pytest.importorskip("pingouin")


@pytest.mark.parametrize("policy", ["pairwise", "listwise"])
def test_alpha_equals_pingouin_on_missing_data(policy):
    pg = _pg()
    data = pg.read_dataset("cronbach_wide_missing")
    res = cronbach_alpha(data, nan_policy=policy)
    ref_alpha, ref_ci = pg.cronbach_alpha(data, nan_policy=policy)
    # pingouin 0.7.0 cronbach_alpha on its bundled cronbach_wide_missing data
    assert res.alpha == pytest.approx(ref_alpha, abs=1e-12)
    assert res.nan_policy == policy
    if policy == "pairwise":
        np.testing.assert_allclose([res.ci_low, res.ci_high], ref_ci, atol=5e-4)
        assert res.n_obs == len(data)
    else:
        # pingouin's listwise interval uses the row count BEFORE dropping incomplete rows;
        # we use the complete rows actually analysed. Same formula, n differs:
        assert res.n_obs == len(data.dropna()) < len(data)
        np.testing.assert_allclose(feldt_interval(res.alpha, len(data), data.shape[1], 0.95),
                                   ref_ci, atol=5e-4)
        low, high = feldt_interval(res.alpha, res.n_obs, data.shape[1], 0.95)
        assert (res.ci_low, res.ci_high) == (low, high)


def test_alpha_equals_pingouin_long_format_likert():
    pg = _pg()
    data = pg.read_dataset("cronbach_alpha")
    wide = data.pivot(index="Subj", values="Scores", columns="Items")
    res = cronbach_alpha(wide)
    ref_alpha, ref_ci = pg.cronbach_alpha(data, items="Items", scores="Scores", subject="Subj")
    # pingouin 0.7.0 docstring: (0.5917188485995826, array([0.195, 0.84 ]))
    assert res.alpha == pytest.approx(0.5917188485995826, abs=1e-12)
    assert res.alpha == pytest.approx(ref_alpha, abs=1e-12)
    np.testing.assert_allclose([res.ci_low, res.ci_high], ref_ci, atol=5e-4)


def test_pingouin_docstring_values_missing_data():
    pg = _pg()
    data = pg.read_dataset("cronbach_wide_missing")
    # pingouin docstring (= R psych::alpha(data, use="pairwise")): 0.732660835214447
    assert cronbach_alpha(data).alpha == pytest.approx(0.732660835214447, abs=1e-12)
    # R psych::alpha(data, use="complete.obs"): 0.8016949152542373
    assert cronbach_alpha(data, nan_policy="listwise").alpha == pytest.approx(
        0.8016949152542373, abs=1e-12)


def test_alpha_matches_independent_computation_and_item_stats():
    rng = np.random.default_rng(3)
    f = rng.standard_normal(200)
    x = np.column_stack([f * lam + rng.standard_normal(200) for lam in (1.0, 0.8, 0.5, 0.2)])
    res = cronbach_alpha(x, ["a", "b", "c", "d"])
    k = 4
    total = x.sum(axis=1)
    # textbook definition: k/(k-1) (1 - sum item variances / variance of the total)
    ref = k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / total.var(ddof=1))
    assert res.alpha == pytest.approx(ref, rel=1e-12)
    z = (x - x.mean(0)) / x.std(0, ddof=1)
    zt = z.sum(axis=1)
    assert res.std_alpha == pytest.approx(k / (k - 1) * (1 - k / zt.var(ddof=1)), rel=1e-12)
    for j in range(k):
        rest = np.delete(x, j, axis=1)
        assert res.item_total[j] == pytest.approx(np.corrcoef(x[:, j], rest.sum(1))[0, 1],
                                                  rel=1e-10)
        rt = rest.sum(1)
        ref_j = 3 / 2 * (1 - rest.var(axis=0, ddof=1).sum() / rt.var(ddof=1))
        assert res.alpha_if_deleted[j] == pytest.approx(ref_j, rel=1e-10)
    frame = res.to_frame()
    assert list(frame["item"]) == ["a", "b", "c", "d"]
    assert "alpha =" in repr(res)


def test_feldt_interval_is_exact_f_quantiles():
    # Feldt et al. (1987) eq. 1: (1 - alpha) / (1 - alpha_hat) ~ F(n-1, (n-1)(k-1))
    low, high = feldt_interval(0.8, 50, 6, 0.9)
    assert low == pytest.approx(1 - 0.2 * stats.f.ppf(0.95, 49, 245))
    assert high == pytest.approx(1 - 0.2 * stats.f.ppf(0.05, 49, 245))


def test_alpha_from_polars_and_dict_agree():
    pl = pytest.importorskip("polars")
    rng = np.random.default_rng(0)
    x = rng.integers(1, 6, (40, 3)).astype(float)
    d = {"a": x[:, 0], "b": x[:, 1], "c": x[:, 2]}
    assert cronbach_alpha(pl.DataFrame(d)).alpha == pytest.approx(cronbach_alpha(d).alpha)
    with pytest.warns(CxpathWarning, match=r"alpha is negative \(-0\.01923\)"):
        two = cronbach_alpha(d, ["a", "b"])  # independent random items: alpha below 0
    assert two.n_items == 2 and np.isnan(two.alpha_if_deleted).all()  # documented
    pa = pytest.importorskip("pyarrow")
    assert cronbach_alpha(pa.table(d)).alpha == pytest.approx(cronbach_alpha(d).alpha)


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 6), st.floats(0.1, 10.0))
def test_alpha_invariant_to_linear_rescaling_and_at_most_one(seed, k, scale):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((30, k)) + rng.standard_normal((30, 1))
    with warnings.catch_warnings(record=True) as caught:  # a negative alpha warns (seed 737)
        warnings.simplefilter("always", CxpathWarning)
        a = cronbach_alpha(x)
        b = cronbach_alpha(x * scale + 3.0)
    assert len(caught) == (2 if a.alpha < 0 else 0)
    assert a.alpha == pytest.approx(b.alpha, abs=1e-9)
    assert a.alpha <= 1.0 + 1e-12
    assert a.ci_low <= a.alpha <= a.ci_high


def test_omega_total_equals_formula_on_factor_analyzer_loadings():
    fa = pytest.importorskip("factor_analyzer")
    rng = np.random.default_rng(5)
    f = rng.standard_normal(600)
    x = np.column_stack([lam * f + np.sqrt(1 - lam**2) * rng.standard_normal(600)
                         for lam in (0.85, 0.75, 0.6, 0.5, 0.4)])
    res = omega_total(x)
    model = fa.FactorAnalyzer(n_factors=1, rotation=None, method="minres")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # scikit-learn renamed an argument
        model.fit(x)
    lam = np.abs(model.loadings_[:, 0])
    # factor_analyzer 0.5.1 one-factor minres loadings, McDonald (1999) omega formula
    ref = lam.sum() ** 2 / (lam.sum() ** 2 + (1 - lam**2).sum())
    assert res.omega == pytest.approx(ref, abs=1e-4)
    np.testing.assert_allclose(res.loadings, lam, atol=1e-4)
    # with equal loadings (tau-equivalence) omega equals standardised alpha
    r = np.full((4, 4), 0.49) + 0.51 * np.eye(4)
    z = rng.multivariate_normal(np.zeros(4), r, 100_000)
    assert omega_total(z).omega == pytest.approx(cronbach_alpha(z).std_alpha, abs=2e-3)


def test_omega_methods_agree_on_clean_one_factor_data():
    rng = np.random.default_rng(1)
    f = rng.standard_normal(2000)
    x = np.column_stack([0.7 * f + 0.71 * rng.standard_normal(2000) for _ in range(5)])
    vals = [omega_total(x, method=m).omega for m in ("minres", "ml", "pa")]
    assert max(vals) - min(vals) < 5e-3
    assert "omega =" in repr(omega_total(x))


def test_bad_inputs():
    x = np.array([[1, 2, 3], [2, 3, 4], [3, 3, 5], [4, 5, 5.0]])
    with pytest.raises(DataError, match="constant item 'b'"):
        cronbach_alpha(np.column_stack([x[:, 0], np.ones(4), x[:, 2]]), ["a", "b", "c"])
    with pytest.raises(DataError, match="at least 2 items"):
        cronbach_alpha(x[:, :1])
    with pytest.raises(DataError, match="at least 2 respondents"):
        cronbach_alpha(x[:1])
    with pytest.raises(DataError, match="numeric"):
        cronbach_alpha(np.array([["a", "b"], ["c", "d"]]))
    with pytest.raises(DataError, match="numeric"):
        cronbach_alpha({"a": ["x", "y", "z"], "b": [1, 2, 3]})
    with pytest.raises(DataError, match="row 1"):
        cronbach_alpha(np.array([[1, 2], [np.nan, 3], [2, 2]]), nan_policy="error")
    with pytest.raises(InvalidParameterError, match="nan_policy"):
        cronbach_alpha(x, nan_policy="drop")
    with pytest.raises(InvalidParameterError, match="confidence"):
        cronbach_alpha(x, confidence=1.5)
    with pytest.raises(InvalidParameterError, match="'items' parameter"):
        cronbach_alpha({"a": [1, 2]}, ["zz"])
    with pytest.raises(DataError, match="3 labels"):
        cronbach_alpha(x, ["a", "b"])
    sparse = np.array([[1, np.nan], [2, np.nan], [np.nan, 3], [np.nan, 1], [3, 2.0]])
    with pytest.raises(DataError, match="each pair of items"):
        cronbach_alpha(sparse)  # one respondent answered both items
    with pytest.raises(DataError, match="at least 2 answers per item"):
        cronbach_alpha(np.array([[1, np.nan], [2, np.nan], [3, 1.0]]))
    with pytest.raises(DataError, match="with complete answers"):
        cronbach_alpha(sparse[:4], nan_policy="listwise")
    with pytest.raises(DataError, match="2-D"):
        cronbach_alpha(np.arange(5.0))
    with pytest.raises(DataError, match="non-singular"):
        omega_total(np.column_stack([x, x[:, 0] + x[:, 1]]))
    with pytest.raises(DataError, match="at least 3 items"):
        omega_total(x[:, :2])
    with pytest.raises(InvalidParameterError, match="method"):
        omega_total(x, method="pca")


def test_negative_alpha_warns_and_names_the_reverse_coded_items():
    # q3 is q1 reverse-coded (6 - q1). Item covariances by hand: var = 2.5 each,
    # cov(q1, q2) = 2, cov(q1, q3) = -2.5, cov(q2, q3) = -2, so the total-score variance is
    # 7.5 - 5 = 2.5 and alpha = 3/2 (1 - 7.5 / 2.5) = -3 exactly (Cronbach 1951, eq. 16).
    x = np.column_stack([[1, 2, 3, 4, 5], [2, 1, 4, 3, 5], [5, 4, 3, 2, 1]])
    with pytest.warns(CxpathWarning) as rec:
        res = cronbach_alpha(x, ["q1", "q2", "q3"])
    assert res.alpha == -3.0
    assert str(rec[0].message) == (
        "Cronbach's alpha is negative (-3): the mean covariance between the items is "
        "negative, so some items are negatively correlated with the others - usually "
        "reverse-coded items that must be recoded (e.g. 6 - x on a 1-5 scale) before alpha "
        "measures reliability. Alpha = k/(k-1) (1 - sum of item variances / variance of the "
        "total) (Cronbach 1951) is below 0 exactly when the mean inter-item covariance is (R "
        "psych::alpha warns the same way). Items with a negative corrected item-total "
        "correlation: 'q1', 'q3'.")
    # alpha without q2 has a total-score variance of 0 (q1 + q3 = 6): undefined, NaN
    assert np.isnan(res.alpha_if_deleted[1]) and res.alpha_if_deleted[2] == pytest.approx(8 / 9)


def test_alpha_of_items_that_cancel_out_is_refused():
    with pytest.raises(DataError, match=r"^The 'data' parameter of survey.cronbach_alpha must be "
                       r"items whose total score varies. Got a total-score variance of 0 "):
        cronbach_alpha(np.column_stack([[1, 2, 3, 4, 5], [5, 4, 3, 2, 1]]))
