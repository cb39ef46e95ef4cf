"""Confirmatory factor analysis (cxpath.survey.cfa) against lavaan and semopy.

References: lavaan tutorial, "A CFA example" (https://lavaan.ugent.be/tutorial/cfa.html),
``cfa(HS.model, data = HolzingerSwineford1939)`` with ``summary(fit, fit.measures = TRUE,
standardized = TRUE)`` (lavaan 0.6; the same printout appears at
https://r-statistics.co/CFA-and-Structural-Equation-Modeling-in-R.html). Every lavaan
figure below is the printed (3-decimal) value; tests compare to half a unit of the last
printed digit. The data are semopy's copy of the 301 students (semopy.examples.holzinger39).
"""

from __future__ import annotations

import numpy as np
import pytest

from cxpath.errors import DataError, InvalidParameterError, InvalidTypeError
from cxpath.survey import Sem, SemValidity, cfa, parse_model

semopy = pytest.importorskip("semopy")

HS_MODEL = """
visual  =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed   =~ x7 + x8 + x9
"""
HALF = 0.0005 + 1e-9  # half a unit of lavaan's third printed decimal


@pytest.fixture(scope="module")
def hs_data():
    return semopy.examples.holzinger39.get_data()


@pytest.fixture(scope="module")
def hs(hs_data):
    return cfa(hs_data, HS_MODEL)


def _row(fit, lhs, op, rhs):
    return fit.loc((lhs, op, rhs))


def test_hs_fit_measures_match_lavaan(hs):
    # lavaan tutorial (cfa page), "Model Test User Model" and fit measures
    assert isinstance(hs, Sem)
    assert hs.chi2 == pytest.approx(85.306, abs=HALF)
    assert hs.df == 24
    assert hs.p_chi2 < 0.0005  # printed 0.000
    assert hs.baseline_chi2 == pytest.approx(918.852, abs=HALF)
    assert hs.baseline_df == 36
    assert hs.cfi == pytest.approx(0.931, abs=HALF)
    assert hs.tli == pytest.approx(0.896, abs=HALF)
    assert hs.rmsea == pytest.approx(0.092, abs=HALF)
    assert hs.rmsea_low == pytest.approx(0.071, abs=HALF)
    assert hs.rmsea_high == pytest.approx(0.114, abs=HALF)
    assert hs.rmsea_p_close == pytest.approx(0.001, abs=HALF)
    assert hs.srmr == pytest.approx(0.065, abs=HALF)
    assert hs.loglik == pytest.approx(-3737.745, abs=HALF)
    assert hs.loglik_saturated == pytest.approx(-3695.092, abs=HALF)
    assert hs.n_free == 21
    assert hs.aic == pytest.approx(7517.490, abs=HALF)
    assert hs.bic == pytest.approx(7595.339, abs=HALF)
    assert hs.converged


def test_hs_estimates_and_se_match_lavaan(hs):
    # lavaan tutorial, "Latent Variables" (Estimate, Std.Err, z-value, Std.all)
    expect = {"x2": (0.554, 0.100, 5.554, 0.424), "x3": (0.729, 0.109, 6.685, 0.581),
              "x5": (1.113, 0.065, 17.014, 0.855), "x6": (0.926, 0.055, 16.703, 0.838),
              "x8": (1.180, 0.165, 7.152, 0.723), "x9": (1.082, 0.151, 7.155, 0.665)}
    fac = {"x2": "visual", "x3": "visual", "x5": "textual", "x6": "textual",
           "x8": "speed", "x9": "speed"}
    for item, (est, se, z, std) in expect.items():
        r = _row(hs, fac[item], "=~", item)
        assert r["est"] == pytest.approx(est, abs=HALF), item
        assert r["se"] == pytest.approx(se, abs=HALF), item
        assert r["z"] == pytest.approx(z, abs=HALF), item
        assert r["std_all"] == pytest.approx(std, abs=HALF), item
    for lhs, rhs, est, se, std in [("visual", "textual", 0.408, 0.074, 0.459),
                                   ("visual", "speed", 0.262, 0.056, 0.471),
                                   ("textual", "speed", 0.173, 0.049, 0.283)]:
        r = _row(hs, lhs, "~~", rhs)
        assert (r["est"], r["se"], r["std_all"]) == pytest.approx((est, se, std), abs=HALF)
    # "Variances": x1 0.549 (0.114), x2 1.134 (0.102)
    assert (_row(hs, "x1", "~~", "x1")["est"], _row(hs, "x1", "~~", "x1")["se"]) == \
        pytest.approx((0.549, 0.114), abs=HALF)
    assert _row(hs, "x2", "~~", "x2")["est"] == pytest.approx(1.134, abs=HALF)
    # first loadings fixed at 1 (lavaan's default identification), no SE
    r = _row(hs, "visual", "=~", "x1")
    assert r["est"] == 1.0 and not r["free"] and np.isnan(r["se"])


def test_hs_matches_semopy_same_run(hs_data, hs):
    # semopy 2.3 (objective MLW, SLSQP) on the same data: its chi2 equals lavaan's to 1e-3,
    # its estimates stop within ~1e-3 of the optimum (its convergence tolerance).
    m = semopy.Model(HS_MODEL)
    m.fit(hs_data)
    stats = semopy.calc_stats(m).T["Value"]
    assert hs.chi2 == pytest.approx(stats["chi2"], abs=1e-3)
    assert hs.df == stats["DoF"]
    assert hs.baseline_chi2 == pytest.approx(stats["chi2 Baseline"], abs=1e-3)
    assert hs.cfi == pytest.approx(stats["CFI"], abs=1e-5)
    assert hs.tli == pytest.approx(stats["TLI"], abs=1e-5)
    ins = m.inspect()
    for _, r in ins[ins["op"] == "~"].iterrows():  # semopy writes loadings as item ~ factor
        assert _row(hs, r["rval"], "=~", r["lval"])["est"] == \
            pytest.approx(r["Estimate"], abs=2e-3)


def test_hs_implied_covariance_reproduces_chi2(hs):
    # chi2 = N * F_ML with S of divisor N (lavaan's likelihood="normal")
    s, sig = hs.sample_cov, hs.implied_cov
    p = len(s)
    f = (np.linalg.slogdet(sig)[1] + np.trace(s @ np.linalg.inv(sig))
         - np.linalg.slogdet(s)[1] - p)
    assert hs.n_obs * f == pytest.approx(hs.chi2, rel=1e-12)


def test_std_lv_gives_the_same_fit(hs_data, hs):
    # lavaan: std.lv=TRUE is a reparametrisation; same chi2, std_all loadings unchanged
    alt = cfa(hs_data, HS_MODEL, std_lv=True)
    assert alt.chi2 == pytest.approx(hs.chi2, abs=1e-6)
    assert alt.df == hs.df
    load = hs.op == "=~"
    np.testing.assert_allclose(alt.std_all[load], hs.std_all[load], atol=1e-6)
    assert _row(alt, "visual", "~~", "visual")["est"] == 1.0
    # lavaan tutorial (std.lv): visual =~ x1 0.900 = sqrt(0.809) (Std.lv column)
    assert _row(alt, "visual", "=~", "x1")["est"] == pytest.approx(0.900, abs=HALF)


def test_dict_and_tuple_models_equal_syntax(hs_data, hs):
    d = {"visual": ["x1", "x2", "x3"], "textual": ["x4", "x5", "x6"],
         "speed": ["x7", "x8", "x9"]}
    assert cfa(hs_data, d).chi2 == pytest.approx(hs.chi2, abs=1e-8)
    st = [(f, "=~", i) for f, items in d.items() for i in items]
    assert cfa(hs_data, st).chi2 == pytest.approx(hs.chi2, abs=1e-8)


def test_fixed_values_and_freed_markers(hs_data, hs):
    # NA*x1 frees the marker, visual ~~ 1*visual sets the scale instead: same chi2
    m = "visual =~ NA*x1 + x2 + x3\nvisual ~~ 1*visual\ntextual =~ x4 + x5 + x6\n" \
        "speed =~ x7 + x8 + x9"
    alt = cfa(hs_data, m)
    assert alt.chi2 == pytest.approx(hs.chi2, abs=1e-6)
    # orthogonal factors (0* covariances) add 3 df: lavaan's cfa(..., orthogonal = TRUE)
    # gives chi2 153.527 on 27 df (lavaan output as recalled; not found in the search
    # corpus, but matched here to all three printed decimals)
    orth = cfa(hs_data, HS_MODEL + "visual ~~ 0*textual + 0*speed\ntextual ~~ 0*speed")
    assert orth.df == 27
    assert orth.chi2 == pytest.approx(153.527, abs=HALF)
    # a fixed loading of 0.5 is kept and not counted as free
    fx = cfa(hs_data, "visual =~ x1 + 0.5*x2 + x3")
    assert _row(fx, "visual", "=~", "x2")["est"] == 0.5
    assert fx.df == 1 and fx.n_free == 5


def test_validity_omega_ave_fornell_larcker(hs):
    val = hs.validity()
    assert isinstance(val, SemValidity)
    # omega and AVE from lavaan's std.all loadings (0.772, 0.424, 0.581): by hand
    lam = np.array([0.772, 0.424, 0.581])
    omega = lam.sum() ** 2 / (lam.sum() ** 2 + (1 - lam**2).sum())
    assert val.cr[0] == pytest.approx(omega, abs=2e-3)
    assert val.ave[0] == pytest.approx((lam**2).mean(), abs=2e-3)
    # exact: the same formulas on the fitted loadings
    lam = hs.std_all[(hs.op == "=~") & (hs.lhs == "textual")]
    assert val.cr[1] == pytest.approx(lam.sum() ** 2 / (lam.sum() ** 2
                                                         + (1 - lam**2).sum()), rel=1e-10)
    # Fornell-Larcker: latent correlations (std.all 0.459, 0.471, 0.283), sqrt(AVE) diagonal
    fl = val.fornell_larcker
    assert fl[0, 1] == pytest.approx(0.459, abs=HALF)
    assert fl[0, 2] == pytest.approx(0.471, abs=HALF)
    assert fl[1, 2] == pytest.approx(0.283, abs=HALF)
    np.testing.assert_allclose(np.diag(fl), np.sqrt(val.ave))
    f = val.to_frame("dict")
    assert f["construct"].tolist() == ["visual", "textual", "speed"]
    assert f["ave_ok"].tolist() == [False, True, False]  # AVE 0.371, 0.720, 0.430
    assert f["fornell_larcker_ok"].all()
    assert "from the fitted model" in repr(val)


def test_validity_with_residual_covariance_in_omega(hs_data):
    # a residual covariance among a factor's items enters omega's denominator (Raykov 1997)
    fit = cfa(hs_data, HS_MODEL + "x7 ~~ x8")
    val = fit.validity()
    sel = (fit.op == "=~") & (fit.lhs == "speed")
    lam = fit.std_all[sel]
    theta = 1 - lam**2
    cov78 = fit.loc(("x7", "~~", "x8"))["est"] / np.sqrt(fit.implied_cov[6, 6]
                                                          * fit.implied_cov[7, 7])
    expect = lam.sum() ** 2 / (lam.sum() ** 2 + theta.sum() + 2 * cov78)
    assert val.cr[2] == pytest.approx(expect, rel=1e-8)


def test_repr_and_fit_measures(hs):
    text = repr(hs)
    assert "chi2 = 85.306, df = 24, p < 0.001" in text
    assert "RMSEA = 0.092 [0.071, 0.114]" in text
    fm = hs.fit_measures()
    assert fm["npar"] == 21 and fm["chisq"] == hs.chi2 and fm["rmsea.ci.upper"] == hs.rmsea_high


# --- bad input -----------------------------------------------------------------------


def test_parse_model_errors_name_the_line():
    with pytest.raises(InvalidParameterError, match=r"line 3 \('visual =~ x1 \+ \+ x2'\)"):
        parse_model("# comment\nf =~ a + b + c\nvisual =~ x1 + + x2")
    with pytest.raises(InvalidParameterError, match=r"line 2 \('f = a'\)"):
        parse_model("g =~ a + b + c\nf = a")
    with pytest.raises(InvalidParameterError, match=r"a number or NA before '\*'.*line 1"):
        parse_model("f =~ lab*a + b")
    with pytest.raises(InvalidParameterError, match=r"'1x' in line 1"):
        parse_model("f =~ 1x + b")
    with pytest.raises(InvalidParameterError, match=r"one operator per formula.*line 1"):
        parse_model("f =~ a ~ b")
    with pytest.raises(InvalidParameterError, match=r"no variable may predict itself.*line 1"):
        parse_model("y ~ y + x")
    with pytest.raises(InvalidParameterError, match=r"at least one formula"):
        parse_model("# nothing\n")
    with pytest.raises(InvalidTypeError, match=r"'model' parameter of survey.parse_model"):
        parse_model(42)
    with pytest.raises(InvalidParameterError, match=r"statement 2"):
        parse_model([("f", "=~", "a"), ("f", "=>", "b")])
    with pytest.raises(InvalidParameterError, match=r"dict mapping each factor"):
        parse_model({"f": "abc"})


def test_unidentified_models_are_refused(hs_data):
    with pytest.raises(InvalidParameterError, match=r"every factor needs a scale"):
        cfa(hs_data, "visual =~ NA*x1 + x2 + x3")
    # two indicators of one isolated factor: 1 loading + 2 residual variances + 1 factor
    # variance = 4 parameters for 3 moments
    with pytest.raises(InvalidParameterError,
                       match=r"no more free parameters than variances.*4 free parameters "
                             r"for 3 moments"):
        cfa(hs_data, "f =~ x1 + x2")
    # df >= 0 but not identified: a factor with one indicator and a free residual variance
    with pytest.raises(InvalidParameterError, match=r"information matrix is singular"):
        cfa(hs_data, "visual =~ x1 + x2 + x3\ng =~ x4\nvisual ~~ g")
    with pytest.raises(InvalidParameterError, match=r"each parameter once"):
        cfa(hs_data, "f =~ x1 + x2 + x3\nx1 ~~ x2\nx2 ~~ x1")
    with pytest.raises(InvalidParameterError, match=r"no feedback loops"):
        cfa(hs_data, "f =~ x1 + x2 + x3\ng =~ x4 + x5 + x6\nf ~ g\ng ~ f")


def test_bad_data_is_refused(hs_data):
    with pytest.raises(DataError, match=r"positive-definite sample covariance"):
        d = {c: hs_data[c].to_numpy() for c in ("x1", "x2", "x3")}
        d["x4"] = d["x1"] + d["x2"]
        cfa(d, "f =~ x1 + x2 + x3 + x4")
    with pytest.raises(InvalidParameterError, match=r"'data' parameter of survey.cfa"):
        cfa(np.zeros((10, 3)), "f =~ a + b + c")
    with pytest.raises(InvalidParameterError, match=r"nope"):
        cfa(hs_data, "f =~ x1 + x2 + nope")
    bad = {c: hs_data[c].to_numpy().copy() for c in ("x1", "x2", "x3")}
    bad["x1"][5] = np.nan
    with pytest.raises(DataError, match=r"NaN in item 'x1' at row 5"):
        cfa(bad, "f =~ x1 + x2 + x3", nan_policy="error")
    fit = cfa(bad, "f =~ x1 + x2 + x3")  # listwise
    assert fit.n_obs == 300 and fit.n_rows == 301
    with pytest.raises(InvalidParameterError, match=r"'std_lv' parameter of survey.cfa"):
        cfa(hs_data, HS_MODEL, std_lv="yes")
    with pytest.raises(InvalidParameterError, match=r"'max_iter' parameter of survey.cfa"):
        cfa(hs_data, HS_MODEL, max_iter=0)


def test_validity_bad_thresholds(hs):
    with pytest.raises(InvalidParameterError, match=r"'cr_threshold' parameter of "
                                                    r"survey.Sem.validity"):
        hs.validity(cr_threshold=2.0)
    with pytest.raises(InvalidParameterError, match=r"'htmt_threshold'"):
        hs.validity(htmt_threshold=0.0)


def test_heywood_case_warns():
    from cxpath.errors import CxpathWarning

    # r_ab r_ac / r_bc = 0.64 / 0.5 = 1.28 > 1: the just-identified one-factor model needs
    # a standardised loading above 1 for 'a', i.e. a negative residual variance
    r = np.array([[1, 0.8, 0.8], [0.8, 1, 0.5], [0.8, 0.5, 1]])
    x = np.random.default_rng(3).multivariate_normal(np.zeros(3), r, 2000)
    with pytest.warns(CxpathWarning, match=r"negative variance estimate\(s\) for a "):
        fit = cfa({"a": x[:, 0], "b": x[:, 1], "c": x[:, 2]}, "f =~ b + a + c")
    assert fit.loc(("a", "~~", "a"))["est"] < 0
    assert fit.df == 0 and fit.chi2 == pytest.approx(0.0, abs=1e-8)


def test_modification_indices_match_lavaan(hs):
    # lavaan: modindices(fit, sort = TRUE, maximum.number = 5) on the tutorial model
    # (lavaan's ?modificationIndices help page example; lavaan 0.6 output)
    mi = hs.modification_indices("dict", minimum=9.0)
    got = list(zip(mi["lhs"], mi["op"], mi["rhs"]))
    assert got == [("visual", "=~", "x9"), ("x7", "~~", "x8"), ("visual", "=~", "x7"),
                   ("x8", "~~", "x9"), ("textual", "=~", "x3")]
    np.testing.assert_allclose(mi["mi"], [36.411, 34.145, 18.631, 14.946, 9.151],
                               atol=HALF)
    np.testing.assert_allclose(mi["epc"], [0.577, 0.536, -0.422, -0.423, -0.272],
                               atol=HALF)
    # sepc.all of loadings: 0.515, -0.349, -0.238
    np.testing.assert_allclose(np.asarray(mi["sepc_all"])[[0, 2, 4]], [0.515, -0.349, -0.238],
                               atol=HALF)
    # every candidate: 3 factors x 6 foreign items + 36 residual covariances
    assert len(hs.mi) == 18 + 36
    with pytest.raises(InvalidParameterError, match=r"'minimum' parameter of "
                                                    r"survey.Sem.modification_indices"):
        hs.modification_indices(minimum=-1.0)


def test_modification_index_approximates_the_chi2_drop(hs_data, hs):
    # the score test is a local approximation of the likelihood-ratio test of freeing it
    freed = cfa(hs_data, HS_MODEL + "x7 ~~ x8")
    drop = hs.chi2 - freed.chi2
    mi = hs.modification_indices("dict")
    j = next(k for k, (a, b) in enumerate(zip(mi["lhs"], mi["rhs"])) if (a, b) == ("x7", "x8"))
    assert drop == pytest.approx(mi["mi"][j], rel=0.15)
    # the EPC is a one-step (first-order) guess: same sign, same order of magnitude
    est = freed.loc(("x7", "~~", "x8"))["est"]
    assert 0.5 < mi["epc"][j] / est < 2.0


def test_second_order_factor(hs_data, hs):
    # a second-order factor over three first-order factors is just identified at the
    # factor level: the same fit as the correlated three-factor model (Rindskopf & Rose
    # 1988); lavaan gives chi2 85.306 on 24 df for both
    m = HS_MODEL + "g =~ visual + textual + speed"
    fit = cfa(hs_data, m)
    assert fit.chi2 == pytest.approx(85.306, abs=HALF) and fit.df == 24
    assert fit.loc(("g", "=~", "visual"))["est"] == 1.0
    assert ("visual", "~~", "textual") not in fit  # first-order factors are now endogenous
    val = fit.validity()
    assert val.constructs.tolist() == ["visual", "textual", "speed"]
    np.testing.assert_allclose(val.cr, hs.validity().cr, atol=1e-6)
    np.testing.assert_allclose(val.correlations, hs.validity().correlations, atol=1e-6)


def test_satorra_bentler_matches_lavaan_mlm(hs_data, hs):
    # lavaan 0.6: cfa(HS.model, data = HolzingerSwineford1939, estimator = "MLM") prints
    # the scaled test statistic 80.872 with scaling correction factor 1.055 (from lavaan's
    # output as recalled; the search corpus had no copy of this printout)
    rob = cfa(hs_data, HS_MODEL, estimator="MLM")
    assert rob.chi2 == pytest.approx(hs.chi2, abs=1e-9)  # same estimates and ML chi2
    np.testing.assert_allclose(rob.est, hs.est, atol=1e-9)
    assert rob.chi2_scaled == pytest.approx(80.872, abs=HALF)
    assert rob.scaling_factor == pytest.approx(1.055, abs=HALF)
    assert rob.chi2_scaled == pytest.approx(rob.chi2 / rob.scaling_factor, rel=1e-12)
    assert "Satorra-Bentler scaled chi2 = 80.872" in repr(rob)
    assert np.isnan(hs.chi2_scaled)
    assert not np.allclose(rob.se[hs.free], hs.se[hs.free])


def test_satorra_bentler_with_normal_theory_gamma_is_ml():
    # with the normal-theory Gamma = 2 D+ (Sigma x Sigma) D+' the sandwich collapses to the
    # inverse expected information and tr(U Gamma) = df (Satorra & Bentler 1994, eq. 16.9)
    import sys

    sm = sys.modules["cxpath.survey._sem_model"]
    rng = np.random.default_rng(4)
    f = rng.standard_normal(500)
    x = np.column_stack([f + rng.standard_normal(500) for _ in range(5)])
    xc = x - x.mean(axis=0)
    s = xc.T @ xc / 500
    p = 5
    a0 = np.zeros((6, 6))
    a0[0, 5] = 1.0
    free = [(0, i, 5) for i in range(1, 5)] + [(1, i, i) for i in range(6)]
    ram = sm.RamModel(p, a0, np.zeros((6, 6)), free)
    theta0 = np.r_[np.ones(4), 0.5 * np.diag(s), 0.5]
    import scipy.optimize as so

    ld = np.linalg.slogdet(s)[1]
    theta = so.minimize(ram.objective, theta0, args=(s, ld), jac=True, method="BFGS",
                        options={"gtol": 1e-10}).x
    sigma = ram.implied(theta)[0]
    dup = sm.duplication(p)
    dplus = np.linalg.pinv(dup)
    gamma_nt = 2 * dplus @ np.kron(sigma, sigma) @ dplus.T
    tr, vcov = sm.satorra_bentler(ram, theta, x, gamma=gamma_nt)
    assert tr == pytest.approx(p * (p + 1) / 2 - len(free), rel=1e-8)
    np.testing.assert_allclose(vcov, np.linalg.inv(500 * ram.information(theta)), rtol=1e-8)


def test_mlm_bad_input(hs_data):
    with pytest.raises(InvalidParameterError, match=r"'estimator' parameter of survey.cfa"):
        cfa(hs_data, HS_MODEL, estimator="GLS")
    with pytest.raises(InvalidParameterError, match=r"WLSMV statistics: survey\.cfa_ordinal\)\. "
                                                    r"Got 'WLSMV' instead"):
        cfa(hs_data, HS_MODEL, estimator="WLSMV")
    with pytest.raises(InvalidParameterError, match=r"observed covariates"):
        cfa(hs_data, HS_MODEL + "visual ~ ageyr", estimator="MLM")
