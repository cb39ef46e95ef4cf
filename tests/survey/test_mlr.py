"""Robust ML (estimator='MLR'): Huber–White sandwich standard errors and the Yuan–Bentler
scaled χ², for complete and missing answers.

Reference: lavaan's printed ``estimator = "MLR"`` output for Holzinger–Swineford was not
found with the search tool, so the figures are checked against an independent computation
written in the test: the casewise normal log-likelihood of the three-factor model (means
included) written out with scipy, its scores and Hessian by finite differences, the
sandwich A⁻¹BA⁻¹ (A the observed information, lavaan's MLR default) and the Mplus-variant
Yuan–Bentler factor c = [tr(A₁⁻¹B₁) − tr(A₀⁻¹B₀)] / df with the saturated model (1) at the
model-implied moments (lavaan's ``h1.information = "structured"``).
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
    sig = _sigma(theta)
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
