"""Structural equation models (cxpath.survey.sem) against lavaan and semopy.

Reference: lavaan tutorial, "A SEM example" (https://lavaan.ugent.be/tutorial/sem.html):
``sem(model, data = PoliticalDemocracy)`` with the residual covariances y1~~y5, y2~~y4+y6,
y3~~y7, y4~~y8, y6~~y8 (Bollen 1989, ch. 8). The printed estimates below are lavaan's
``summary(fit)`` as reproduced in the README of github.com/asqm/digavaan (lavaan 0.5-23)
and the fit measures those of ``fitMeasures(fit)`` (lavaan 0.6); the data are semopy's copy
(semopy.examples.political_democracy, 75 countries).
"""

from __future__ import annotations

import numpy as np
import pytest

from cxpath.errors import InvalidParameterError
from cxpath.survey import path_model, sem

semopy = pytest.importorskip("semopy")

HALF = 0.0005 + 1e-9
PD_MODEL = """
  # measurement model
    ind60 =~ x1 + x2 + x3
    dem60 =~ y1 + y2 + y3 + y4
    dem65 =~ y5 + y6 + y7 + y8
  # regressions
    dem60 ~ ind60
    dem65 ~ ind60 + dem60
  # residual correlations
    y1 ~~ y5
    y2 ~~ y4 + y6
    y3 ~~ y7
    y4 ~~ y8
    y6 ~~ y8
"""


@pytest.fixture(scope="module")
def pd_data():
    return semopy.examples.political_democracy.get_data()


@pytest.fixture(scope="module")
def pdm(pd_data):
    return sem(pd_data, PD_MODEL)


def test_political_democracy_fit_matches_lavaan(pdm):
    # lavaan tutorial (sem page): chi2 38.125, df 35, p 0.329, 31 free parameters
    assert pdm.chi2 == pytest.approx(38.125, abs=HALF)
    assert pdm.df == 35
    assert pdm.p_chi2 == pytest.approx(0.329, abs=HALF)
    assert pdm.n_free == 31 and pdm.n_obs == 75
    # fitMeasures(fit) (lavaan 0.6; these six figures are not in the printout cited above,
    # and CFI / TLI agree with semopy below): cfi 0.995, tli 0.993,
    # rmsea 0.035 [0.000, 0.092], srmr 0.044,
    # logl -1547.791, aic 3157.582, bic 3229.424
    assert pdm.cfi == pytest.approx(0.995, abs=HALF)
    assert pdm.tli == pytest.approx(0.993, abs=HALF)
    assert pdm.rmsea == pytest.approx(0.035, abs=HALF)
    assert pdm.rmsea_low == 0.0
    assert pdm.rmsea_high == pytest.approx(0.092, abs=HALF)
    assert pdm.srmr == pytest.approx(0.044, abs=HALF)
    assert pdm.loglik == pytest.approx(-1547.791, abs=HALF)
    assert pdm.aic == pytest.approx(3157.582, abs=HALF)
    assert pdm.bic == pytest.approx(3229.424, abs=HALF)


def test_political_democracy_estimates_match_lavaan(pdm):
    # lavaan summary(fit): Estimate, Std.Err (asqm/digavaan README)
    expect = [("ind60", "=~", "x2", 2.180, 0.139), ("ind60", "=~", "x3", 1.819, 0.152),
              ("dem60", "=~", "y2", 1.257, 0.182), ("dem60", "=~", "y4", 1.265, 0.145),
              ("dem65", "=~", "y8", 1.266, 0.158),
              ("dem60", "~", "ind60", 1.483, 0.399), ("dem65", "~", "ind60", 0.572, 0.221),
              ("dem65", "~", "dem60", 0.837, 0.098),
              ("y1", "~~", "y5", 0.624, 0.358), ("y2", "~~", "y4", 1.313, 0.702),
              ("y2", "~~", "y6", 2.153, 0.734), ("y6", "~~", "y8", 1.356, 0.568),
              ("y2", "~~", "y2", 7.373, 1.374), ("dem60", "~~", "dem60", 3.956, 0.921),
              ("dem65", "~~", "dem65", 0.172, 0.215), ("ind60", "~~", "ind60", 0.448, 0.087)]
    for lhs, op, rhs, est, se in expect:
        r = pdm.loc((lhs, op, rhs))
        assert (r["est"], r["se"]) == pytest.approx((est, se), abs=HALF), (lhs, op, rhs)
    # z-values of the regressions: 3.715, 2.586, 8.514
    assert pdm.loc(("dem65", "~", "dem60"))["z"] == pytest.approx(8.514, abs=HALF)
    # no covariance between dem60 and dem65 is added (dem60 predicts dem65)
    assert ("dem60", "~~", "dem65") not in pdm


def test_political_democracy_matches_semopy_same_run(pd_data, pdm):
    m = semopy.Model(PD_MODEL)
    m.fit(pd_data)
    st = semopy.calc_stats(m).T["Value"]
    assert pdm.chi2 == pytest.approx(st["chi2"], abs=2e-3)
    assert pdm.df == st["DoF"]
    assert pdm.baseline_chi2 == pytest.approx(st["chi2 Baseline"], abs=1e-3)
    assert pdm.cfi == pytest.approx(st["CFI"], abs=1e-4)
    ins = m.inspect()
    reg = ins[(ins["op"] == "~") & ins["rval"].isin(["ind60", "dem60"])
              & ins["lval"].isin(["dem60", "dem65"])]
    for _, r in reg.iterrows():
        assert pdm.loc((r["lval"], "~", r["rval"]))["est"] == \
            pytest.approx(r["Estimate"], abs=5e-3)


def test_std_all_of_regressions(pdm):
    # lavaan standardizedSolution(): dem60 ~ ind60 0.447, dem65 ~ ind60 0.182,
    # dem65 ~ dem60 0.885; dem60 residual variance 0.800 (R² 0.200)
    assert pdm.loc(("dem60", "~", "ind60"))["std_all"] == pytest.approx(0.447, abs=HALF)
    assert pdm.loc(("dem65", "~", "ind60"))["std_all"] == pytest.approx(0.182, abs=HALF)
    assert pdm.loc(("dem65", "~", "dem60"))["std_all"] == pytest.approx(0.885, abs=HALF)
    assert pdm.loc(("dem60", "~~", "dem60"))["std_all"] == pytest.approx(0.800, abs=HALF)


def _mediation_data(n=500):
    rng = np.random.default_rng(0)
    x1 = rng.standard_normal(n)
    x2 = 0.5 * x1 + rng.standard_normal(n)
    m = 0.4 * x1 + 0.3 * x2 + rng.standard_normal(n)
    y = 0.5 * m + 0.2 * x1 + rng.standard_normal(n)
    return {"x1": x1, "x2": x2, "m": m, "y": y}


def test_observed_path_model_equals_ols():
    # a recursive model of observed variables: ML = OLS per equation (Bollen 1989, ch. 4);
    # covariates keep their sample moments (lavaan's fixed.x), so df = 7 - 6 = 1
    d = _mediation_data()
    fit = sem(d, "m ~ x1 + x2\ny ~ m + x1")
    assert fit.df == 1 and fit.n_free == 4 + 2
    ols = path_model(d, "m ~ x1 + x2; y ~ m + x1", standardized=False, n_boot=0)
    cf = ols.coefficient_frame("dict")
    n = 500
    for out, pred, est, se in zip(cf["outcome"], cf["predictor"], cf["estimate"], cf["se"]):
        r = fit.loc((out, "~", pred))
        assert r["est"] == pytest.approx(est, rel=1e-8)
        # ML variance has divisor N instead of N - 3 (intercept and two slopes)
        assert r["se"] == pytest.approx(se * np.sqrt((n - 3) / n), rel=1e-6)
    # chi2 of the omitted path y ~ x2 equals the LR test: N log(s2_restricted / s2_full)
    x = np.column_stack([np.ones(n), d["m"], d["x1"]])
    res = d["y"] - x @ np.linalg.lstsq(x, d["y"], rcond=None)[0]
    xf = np.column_stack([x, d["x2"]])
    resf = d["y"] - xf @ np.linalg.lstsq(xf, d["y"], rcond=None)[0]
    assert fit.chi2 == pytest.approx(n * np.log((res @ res) / (resf @ resf)), rel=1e-6)


def test_outcomes_that_predict_nothing_covary():
    # lavaan's auto.cov.y: y1 ~ x and y2 ~ x get a residual covariance (df = 0)
    rng = np.random.default_rng(1)
    x = rng.standard_normal(300)
    d = {"x": x, "y1": x + rng.standard_normal(300), "y2": x + rng.standard_normal(300)}
    fit = sem(d, "y1 ~ x\ny2 ~ x")
    assert ("y1", "~~", "y2") in fit
    assert fit.df == 0 and fit.chi2 == pytest.approx(0.0, abs=1e-7)


def test_sem_bad_input(pd_data):
    with pytest.raises(InvalidParameterError, match=r"line 2 \('dem60 ~ ind60 \+'\)"):
        sem(pd_data, "ind60 =~ x1 + x2 + x3\ndem60 ~ ind60 +")
    with pytest.raises(InvalidParameterError, match=r"'nan_policy' parameter of survey.sem"):
        sem(pd_data, PD_MODEL, nan_policy="pairwise")
    with pytest.raises(InvalidParameterError, match=r"predict itself"):
        sem(pd_data, "ind60 =~ x1 + x2 + x3\nind60 ~ ind60")


def test_bootstrap_indirect_effects(pd_data, pdm):
    # indirect effect of ind60 on dem65 through dem60 = 1.483 * 0.837 (lavaan estimates)
    fit = sem(pd_data, PD_MODEL, n_boot=60, seed=7)
    ind = fit.indirect_frame("dict")
    assert ind["path"].tolist() == ["ind60 -> dem60 -> dem65"]
    a = pdm.loc(("dem60", "~", "ind60"))["est"]
    b = pdm.loc(("dem65", "~", "dem60"))["est"]
    assert ind["effect"][0] == pytest.approx(a * b, rel=1e-12)
    assert ind["effect"][0] == pytest.approx(1.483 * 0.837, abs=3e-3)
    assert ind["low"][0] < ind["effect"][0] < ind["high"][0]
    eff = fit.effects_frame("dict")
    assert [f"{s}->{t}" for s, t in zip(eff["source"], eff["target"])] == \
        ["ind60->dem60", "ind60->dem65", "dem60->dem65"]
    np.testing.assert_allclose(eff["total"], eff["direct"] + eff["indirect"])
    assert fit.n_boot_ok >= 55
    # same seed, same intervals; without bootstrap no interval columns
    again = sem(pd_data, PD_MODEL, n_boot=60, seed=7).indirect_frame("dict")
    assert again["low"][0] == ind["low"][0]
    assert "low" not in pdm.indirect_frame("dict")
    assert "total_low" not in pdm.effects_frame("dict")


def test_bootstrap_matches_delta_method_on_a_large_sample():
    # x -> m -> y with n = 2000: percentile interval close to a +- 1.96 Sobel SE
    rng = np.random.default_rng(5)
    n = 2000
    x = rng.standard_normal(n)
    m = 0.4 * x + rng.standard_normal(n)
    y = 0.3 * m + rng.standard_normal(n)
    fit = sem({"x": x, "m": m, "y": y}, "m ~ x\ny ~ m", n_boot=300, seed=2)
    a, b = fit.loc(("m", "~", "x")), fit.loc(("y", "~", "m"))
    sobel = np.sqrt(a["est"] ** 2 * b["se"] ** 2 + b["est"] ** 2 * a["se"] ** 2)
    ind = fit.indirect_frame("dict")
    width = ind["high"][0] - ind["low"][0]
    assert width == pytest.approx(2 * 1.96 * sobel, rel=0.2)


def test_bootstrap_bad_input(pd_data):
    with pytest.raises(InvalidParameterError, match=r"'n_boot' parameter of survey.sem"):
        sem(pd_data, PD_MODEL, n_boot=-1)
    with pytest.raises(InvalidParameterError, match=r"'confidence' parameter of survey.sem"):
        sem(pd_data, PD_MODEL, confidence=1.0)
    with pytest.raises(InvalidParameterError, match=r"'seed' parameter of survey.sem"):
        sem(pd_data, PD_MODEL, seed=-3)
