"""Robust ML (estimator='MLR'): Huber–White sandwich standard errors and the Yuan–Bentler
scaled χ², for complete and missing answers.

References:

* lavaan 0.6-20's printed ``summary()`` of ``cfa(HS.model, HolzingerSwineford1939,
  estimator = "MLR")`` (through ``lavaanExtra::cfa_fit_plot``, whose default estimator is
  "MLR", R/cfa_fit_plot.R), in the lavaanExtra documentation: GitHub
  rempsyc/lavaanExtra, ``articles/fullworkflow.md`` ("Full CFA/SEM workflow", CFA
  example; the same figures with lavaan 0.6-12/-19/-20 in its README.md and
  reference/write_lavaan.md).
* an independent computation written in the test: the casewise normal log-likelihood of
  the three-factor model (means included) written out with scipy, its scores and Hessian
  by finite differences, the sandwich A⁻¹BA⁻¹ (A the observed information, lavaan's MLR
  default) and the Mplus-variant Yuan–Bentler factor c = [tr(A₁⁻¹B₁) − tr(A₀⁻¹B₀)] / df
  with the saturated model (1) at the sample moments (lavaan always takes
  ``h1.information = "unstructured"`` for ``test = "yuan.bentler.mplus"``,
  R/lav_test_yuan_bentler.R).
"""

from __future__ import annotations

import numpy as np
import pytest

from cxpath.survey import cfa

semopy = pytest.importorskip("semopy")
stats = pytest.importorskip("scipy.stats")

HS_MODEL = """
visual  =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed   =~ x7 + x8 + x9
"""
ITEMS = [f"x{i}" for i in range(1, 10)]
KEYS = ([("visual", "=~", "x2"), ("visual", "=~", "x3"), ("textual", "=~", "x5"),
         ("textual", "=~", "x6"), ("speed", "=~", "x8"), ("speed", "=~", "x9")]
        + [(x, "~~", x) for x in ITEMS]
        + [("visual", "~~", "visual"), ("textual", "~~", "textual"), ("speed", "~~", "speed"),
           ("visual", "~~", "textual"), ("visual", "~~", "speed"),
           ("textual", "~~", "speed")])


def _sigma(t):
    lam = np.zeros((9, 3))
    lam[0, 0] = lam[3, 1] = lam[6, 2] = 1.0
    lam[1, 0], lam[2, 0], lam[4, 1], lam[5, 1], lam[7, 2], lam[8, 2] = t[:6]
    phi = np.array([[t[15], t[18], t[19]], [t[18], t[16], t[20]], [t[19], t[20], t[17]]])
    return lam @ phi @ lam.T + np.diag(t[6:15])


def _num_scores(ll, t, h=1e-5):
    cols = []
    for j in range(len(t)):
        tp, tm = t.copy(), t.copy()
        tp[j] += h
        tm[j] -= h
        cols.append((ll(tp) - ll(tm)) / (2 * h))
    return np.column_stack(cols)


def _num_hessian(f, t, h=1e-4):
    k = len(t)
    out = np.empty((k, k))
    for i in range(k):
        for j in range(i, k):
            def at(a, b, i=i, j=j):
                u = t.copy()
                u[i] += a
                u[j] += b
                return f(u)
            out[i, j] = out[j, i] = (at(h, h) - at(h, -h) - at(-h, h) + at(-h, -h)) / (4 * h * h)
    return out


def _sandwich_trace(ll_rows, t):
    s = _num_scores(ll_rows, t)
    a = -_num_hessian(lambda u: float(np.sum(ll_rows(u))), t)
    a_inv = np.linalg.inv(a)
    b = s.T @ s
    return a_inv @ b @ a_inv, float(np.trace(a_inv @ b))


@pytest.fixture(scope="module")
def hs_data():
    return semopy.examples.holzinger39.get_data()


@pytest.fixture(scope="module")
def mlr(hs_data):
    return cfa(hs_data, HS_MODEL, estimator="MLR")


def test_mlr_estimates_are_ml_and_repr(hs_data, mlr):
    ml = cfa(hs_data, HS_MODEL)
    np.testing.assert_allclose(mlr.est, ml.est, atol=1e-9)
    assert mlr.chi2 == pytest.approx(ml.chi2, abs=1e-9)
    assert mlr.chi2_scaled == pytest.approx(mlr.chi2 / mlr.scaling_factor, rel=1e-12)
    assert "Yuan-Bentler scaled chi2" in repr(mlr)
    assert mlr.fit_measures()["chisq.scaling.factor"] == mlr.scaling_factor


def test_mlr_matches_an_independent_sandwich_and_yuan_bentler(hs_data, mlr):
    x = hs_data[ITEMS].to_numpy(float)
    n = len(x)
    theta = np.array([mlr.loc(k)["est"] for k in KEYS])
    se = np.array([mlr.loc(k)["se"] for k in KEYS])
    xbar = x.mean(axis=0)
    t0 = np.r_[xbar, theta]  # the model with its (saturated) means

    def ll_model(t):
        return stats.multivariate_normal(t[:9], _sigma(t[9:])).logpdf(x)

    vcov0, tr0 = _sandwich_trace(ll_model, t0)
    np.testing.assert_allclose(se, np.sqrt(np.diag(vcov0))[9:], rtol=2e-4)
    rows, cols = np.tril_indices(9)
    sig = np.cov(x.T, bias=True)  # the saturated model at its own estimates
    t1 = np.r_[xbar, sig[rows, cols]]

    def ll_sat(t):
        s = np.zeros((9, 9))
        s[rows, cols] = t[9:]
        s[cols, rows] = t[9:]
        return stats.multivariate_normal(t[:9], s).logpdf(x)

    _, tr1 = _sandwich_trace(ll_sat, t1)
    c = (tr1 - tr0) / 24
    assert mlr.scaling_factor == pytest.approx(c, rel=2e-4)
    assert n == mlr.n_obs


# lavaan 0.6-20, rempsyc/lavaanExtra articles/fullworkflow.md (see the module docstring):
# "Standard" / "Scaled" columns, the robust indices and the sandwich standard errors
LAVAAN_MLR = {"chisq": 85.306, "chisq.scaled": 87.132, "chisq.scaling.factor": 0.979,
              "baseline.chisq": 918.852, "baseline.chisq.scaled": 880.082,
              "baseline.chisq.scaling.factor": 1.044, "cfi": 0.931, "tli": 0.896,
              "cfi.scaled": 0.925, "tli.scaled": 0.888, "cfi.robust": 0.930,
              "tli.robust": 0.895, "rmsea": 0.092, "rmsea.ci.lower": 0.071,
              "rmsea.ci.upper": 0.114, "rmsea.scaled": 0.093,
              "rmsea.ci.lower.scaled": 0.073, "rmsea.ci.upper.scaled": 0.115,
              "rmsea.robust": 0.092, "rmsea.ci.lower.robust": 0.072,
              "rmsea.ci.upper.robust": 0.114, "srmr": 0.065, "logl": -3737.745,
              "unrestricted.logl": -3695.092, "aic": 7517.490, "bic": 7595.339}
LAVAAN_MLR_SE = {("visual", "=~", "x2"): 0.132, ("visual", "=~", "x3"): 0.141,
                 ("textual", "=~", "x5"): 0.066, ("textual", "=~", "x6"): 0.061,
                 ("speed", "=~", "x8"): 0.130, ("speed", "=~", "x9"): 0.266,
                 ("visual", "~~", "textual"): 0.099, ("visual", "~~", "speed"): 0.060,
                 ("textual", "~~", "speed"): 0.056, ("x1", "~~", "x1"): 0.156,
                 ("x2", "~~", "x2"): 0.112, ("x9", "~~", "x9"): 0.119,
                 ("visual", "~~", "visual"): 0.180, ("speed", "~~", "speed"): 0.107}


@pytest.mark.parametrize("nan_policy", ["listwise", "fiml"])
def test_mlr_matches_lavaans_printed_summary(hs_data, nan_policy):
    fit = cfa(hs_data, HS_MODEL, estimator="MLR", nan_policy=nan_policy)
    fm = fit.fit_measures()
    for key, printed in LAVAAN_MLR.items():
        if key in ("srmr", "aic", "bic") and nan_policy == "fiml":
            # FIML fits the 9 means too: SRMR then includes the mean residuals and AIC/BIC
            # count 30 parameters (as lavaan's with a mean structure); the printout has none
            continue
        assert fm[key] == pytest.approx(printed, abs=5e-4 + 1e-12), key
    for key, printed in LAVAAN_MLR_SE.items():
        assert fit.loc(key)["se"] == pytest.approx(printed, abs=5e-4), key


def test_mlr_fiml_on_complete_answers_equals_listwise(hs_data, mlr):
    fi = cfa(hs_data, HS_MODEL, estimator="MLR", nan_policy="fiml")
    assert fi.scaling_factor == pytest.approx(mlr.scaling_factor, rel=1e-6)
    for k in KEYS:
        assert fi.loc(k)["se"] == pytest.approx(mlr.loc(k)["se"], rel=1e-5)


def test_mlr_with_missing_answers_on_normal_data_scales_near_one():
    rng = np.random.default_rng(5)
    n = 3000
    f = rng.standard_normal(n)
    data = {f"q{i}": 0.8 * f + 0.6 * rng.standard_normal(n) for i in range(5)}
    for i in (1, 3):
        q = data[f"q{i}"]
        q[rng.random(n) < 0.2] = np.nan
    fit = cfa(data, "s =~ q0 + q1 + q2 + q3 + q4", estimator="MLR", nan_policy="fiml")
    ml = cfa(data, "s =~ q0 + q1 + q2 + q3 + q4", nan_policy="fiml")
    assert abs(fit.scaling_factor - 1) < 0.1
    np.testing.assert_allclose(fit.est, ml.est, atol=1e-9)
    ratio = fit.se[fit.free] / ml.se[ml.free]
    assert np.all(np.abs(ratio - 1) < 0.1)  # normal data: sandwich ~ model-based


def test_mlr_heavy_tails_inflate_the_scaled_statistic():
    # multivariate t(6) answers (a normal factor model times one common random scale):
    # elliptical with relative kurtosis 1 + 2/(6 - 4) = 2, so the scaling factor is near 2
    # (Browne 1984); independent non-normal factors and errors would instead keep it near
    # 1 (asymptotic robustness)
    rng = np.random.default_rng(6)
    n = 5000
    f = rng.standard_normal(n)
    w = np.sqrt(6 / rng.chisquare(6, n))
    data = {f"q{i}": w * (0.8 * f + 0.6 * rng.standard_normal(n)) for i in range(5)}
    fit = cfa(data, "s =~ q0 + q1 + q2 + q3 + q4", estimator="MLR")
    assert 1.5 < fit.scaling_factor < 2.6


@pytest.mark.parametrize("estimator", ["MLM", "MLR"])
def test_baseline_scaling_is_the_independence_model_fitted_robustly(hs_data, estimator):
    # lavaan's scaled baseline test is the independence model fitted with the same
    # estimator; here that model is fitted through the general path (its own Jacobian,
    # numerical Hessian) and must give the closed form behind baseline_scaling_factor
    from cxpath.survey import sem

    fit = cfa(hs_data, HS_MODEL, estimator=estimator)
    indep = sem(hs_data, "; ".join(f"{x} ~~ {x}" for x in ITEMS), estimator=estimator)
    assert indep.df == fit.baseline_df == 36
    assert indep.chi2 == pytest.approx(fit.baseline_chi2, rel=1e-10)
    assert fit.baseline_scaling_factor == pytest.approx(indep.scaling_factor, rel=1e-7)
    fm = fit.fit_measures()
    c, cb = fit.scaling_factor, fit.baseline_scaling_factor
    assert fm["baseline.chisq.scaled"] == pytest.approx(indep.chi2_scaled, rel=1e-7)
    # Brosseau-Liard & Savalei (2014) robust CFI from the unscaled statistics
    rob = 1 - (fit.chi2 - c * 24) / (fit.baseline_chi2 - cb * 36)
    assert fm["cfi.robust"] == pytest.approx(rob, rel=1e-12)
    assert np.isnan(cfa(hs_data, HS_MODEL).fit_measures()["cfi.robust"])
