"""Multiple-group CFA and measurement invariance (cxpath.survey.multigroup_cfa,
measurement_invariance) against lavaan and semopy.

References: lavaan tutorial, "Multiple groups" (https://lavaan.ugent.be/tutorial/groups.html,
lavaan 0.6-21): ``cfa(HS.model, data = HolzingerSwineford1939, group = "school")`` prints
"Number of model parameters 60", "Pasteur 156", "Grant-White 145", "Test statistic
115.851", "Degrees of freedom 48" and "Test statistic for each group: Pasteur 64.309,
Grant-White 51.542" (the search tool returned this printout). The same page's
``lavTestLRT(fit1, fit2, fit3)`` table for ``group.equal = "loadings"`` and
``c("intercepts", "loadings")`` (Df 48/54/60, AIC 7484.4/7480.6/7508.6, BIC
7706.8/7680.8/7686.6, Chisq 115.85/124.04/164.10, Chisq diff 8.1922 (p 0.2244) and 40.059
(p 4.435e-07)) is quoted from that page as recalled: the search corpus kept only the
page's first printout. The data are semopy's copy of the 301 students.
"""

from __future__ import annotations

import numpy as np
import pytest

from cxpath.errors import CxpathWarning, DataError, InvalidParameterError, InvalidTypeError
from cxpath.survey import (
    Invariance,
    MultiGroupSem,
    cfa,
    measurement_invariance,
    multigroup_cfa,
)

semopy = pytest.importorskip("semopy")

HS_MODEL = """
visual  =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed   =~ x7 + x8 + x9
"""
HALF3 = 0.0005 + 1e-9  # half a unit of a third printed decimal
HALF2 = 0.005 + 1e-9
HALF1 = 0.05 + 1e-9


@pytest.fixture(scope="module")
def hs_data():
    return semopy.examples.holzinger39.get_data()


@pytest.fixture(scope="module")
def hs_mi(hs_data):
    return measurement_invariance(hs_data, HS_MODEL, group="school", strict=True)


def test_configural_matches_lavaan_tutorial(hs_data):
    fit = multigroup_cfa(hs_data, HS_MODEL, group="school")
    assert isinstance(fit, MultiGroupSem)
    assert fit.groups.tolist() == ["Pasteur", "Grant-White"]  # lavaan's group order
    assert fit.n_obs.tolist() == [156, 145]
    assert fit.n_free == 60
    assert fit.df == 48
    assert fit.chi2 == pytest.approx(115.851, abs=HALF3)
    assert fit.chi2_groups[0] == pytest.approx(64.309, abs=HALF3)
    assert fit.chi2_groups[1] == pytest.approx(51.542, abs=HALF3)
    assert fit.aic == pytest.approx(7484.4, abs=HALF1)
    assert fit.bic == pytest.approx(7706.8, abs=HALF1)
    assert "chi2 = 115.851, df = 48" in repr(fit)
    fm = fit.fit_measures()
    assert fm["npar"] == 60 and fm["ntotal"] == 301


def test_weak_and_strong_match_lavaan_lrt(hs_mi):
    f = hs_mi.to_frame("dict")
    assert f["step"].tolist() == ["configural", "metric", "scalar", "strict"]
    assert f["df"].tolist()[:3] == [48, 54, 60]
    np.testing.assert_allclose(f["chi2"][:3], [115.85, 124.04, 164.10], atol=HALF2)
    np.testing.assert_allclose(f["aic"][:3], [7484.4, 7480.6, 7508.6], atol=HALF1)
    np.testing.assert_allclose(f["bic"][:3], [7706.8, 7680.8, 7686.6], atol=HALF1)
    assert f["delta_chi2"][1] == pytest.approx(8.1922, abs=0.00005 + 1e-9)
    assert f["delta_chi2"][2] == pytest.approx(40.059, abs=HALF3)
    assert f["p_delta"][1] == pytest.approx(0.2244, abs=0.00005 + 1e-9)
    assert f["p_delta"][2] == pytest.approx(4.435e-07, abs=0.0005e-07 + 1e-15)
    assert f["delta_df"].tolist() == [0, 6, 6, 9]
    # the scalar step loses 0.038 of CFI: rejected by Cheung & Rensvold's rule
    assert f["invariant"].tolist() == [True, True, False, True]
    assert isinstance(hs_mi, Invariance)
    assert "not invariant at: scalar" in repr(hs_mi)


def test_metric_fit_shares_loadings_and_frees_means_only_when_scalar(hs_mi):
    metric, scalar = hs_mi.fits["metric"], hs_mi.fits["scalar"]
    for fit in (metric, scalar):
        a = fit.loc(("Pasteur", "visual", "=~", "x2"))
        b = fit.loc(("Grant-White", "visual", "=~", "x2"))
        assert a["param"] == b["param"] and a["est"] == b["est"]
    # latent means: fixed at 0 under metric, free in the second group under scalar
    assert not metric.loc(("Grant-White", "visual", "~1", ""))["free"]
    assert not scalar.loc(("Pasteur", "visual", "~1", ""))["free"]
    row = scalar.loc(("Grant-White", "visual", "~1", ""))
    assert row["free"] and np.isfinite(row["se"])
    ia = scalar.loc(("Pasteur", "x1", "~1", ""))
    ib = scalar.loc(("Grant-White", "x1", "~1", ""))
    assert ia["param"] == ib["param"]
    ra = metric.loc(("Pasteur", "x1", "~~", "x1"))
    rb = metric.loc(("Grant-White", "x1", "~~", "x1"))
    assert ra["param"] != rb["param"]  # residual variances stay group-specific


def test_configural_equals_separate_fits_cxpath_and_semopy(hs_data):
    # with nothing constrained, each group's covariance parameters are its own
    # single-group ML fit (the intercepts reproduce the sample means)
    fit = multigroup_cfa(hs_data, HS_MODEL, group="school")
    for g, school in enumerate(["Pasteur", "Grant-White"]):
        sub = hs_data[hs_data.school == school]
        single = cfa(sub, HS_MODEL)
        assert single.chi2 == pytest.approx(fit.chi2_groups[g], abs=1e-6)
        for lhs, op, rhs, est in zip(single.lhs, single.op, single.rhs, single.est):
            assert fit.loc((school, str(lhs), str(op), str(rhs)))["est"] == \
                pytest.approx(est, abs=1e-5)
        means = sub[[f"x{i}" for i in range(1, 10)]].to_numpy().mean(axis=0)
        np.testing.assert_allclose(fit.implied_mean[g], means, atol=1e-6)
        # semopy 2.3 has no constrained groups: semopy.multigroup fits each group on
        # its own (MLW, SLSQP), which is the configural model; its chi2 and estimates stop
        # within ~1e-3 of the optimum (its convergence tolerance)
        m = semopy.Model(HS_MODEL)
        m.fit(sub)
        assert fit.chi2_groups[g] == pytest.approx(semopy.calc_stats(m).T["Value"]["chi2"],
                                                   abs=1e-3)
        ins = m.inspect()
        for _, r in ins[ins.op == "~"].iterrows():  # semopy writes x1 ~ visual
            assert fit.loc((school, r["rval"], "=~", r["lval"]))["est"] == \
                pytest.approx(r["Estimate"], abs=2e-3)


def test_std_lv_metric_is_the_same_model(hs_data):
    # unit-variance scaling with the latent variances freed in the second group under
    # equal loadings (lavaan's rule) is an equivalent parameterisation of the metric step
    a = multigroup_cfa(hs_data, HS_MODEL, group="school", group_equal="loadings")
    b = multigroup_cfa(hs_data, HS_MODEL, group="school", group_equal="loadings",
                       std_lv=True)
    assert b.df == a.df == 54
    assert b.chi2 == pytest.approx(a.chi2, abs=1e-6)
    assert not b.loc(("Pasteur", "visual", "~~", "visual"))["free"]
    assert b.loc(("Grant-White", "visual", "~~", "visual"))["free"]


def _planted(seed=7, n=600, shift=0.5):
    """Two groups, one factor of five items; group b has a higher latent mean (0.3) and
    item x3 reads ``shift`` higher at the same latent level (a non-invariant intercept)."""
    rng = np.random.default_rng(seed)
    lam = np.array([1.0, 0.9, 0.8, 0.7, 0.85])
    nu = np.array([3.0, 2.5, 3.2, 2.8, 3.1])
    out = {f"x{i}": [] for i in range(5)}
    for mean, dif in ((0.0, 0.0), (0.3, shift)):
        f = rng.normal(mean, 1.0, n)
        for i in range(5):
            y = nu[i] + lam[i] * f + rng.normal(0, 0.6, n)
            if i == 3:
                y = y + dif
            out[f"x{i}"].append(y)
    data = {k: np.concatenate(v_) for k, v_ in out.items()}
    data["g"] = np.repeat(["a", "b"], n)
    return data


MODEL1 = "f =~ x0 + x1 + x2 + x3 + x4"


@pytest.mark.parametrize("rule", ["cheung_rensvold", "chen", "chi2"])
def test_planted_intercept_flags_the_scalar_step_only(rule):
    mi = measurement_invariance(_planted(), MODEL1, group="g", strict=True, rule=rule)
    assert mi.invariant.tolist() == [True, True, False, True]
    assert mi.p_delta[1] > 0.05 and mi.p_delta[2] < 1e-6
    assert mi.delta_cfi[2] <= -0.01 < mi.delta_cfi[1]
    assert mi.verdict[2].startswith("not invariant")


def test_no_planted_difference_keeps_every_step():
    data = _planted(shift=0.0)
    mi = measurement_invariance(data, MODEL1, group="g")
    assert mi.invariant.tolist() == [True, True, True]
    # scalar invariance identifies the latent mean difference (planted 0.3)
    row = mi.fits["scalar"].loc(("b", "f", "~1", ""))
    assert abs(row["est"] - 0.3) < 3 * row["se"]  # 0.447 (SE 0.059) with this seed


def test_mlr_uses_the_satorra_bentler_2001_difference():
    mi = measurement_invariance(_planted(), MODEL1, group="g", estimator="MLR")
    f = mi.to_frame("dict")
    assert "chi2_scaled" in f and "scaling_factor" in f
    for t in (1, 2):  # Satorra & Bentler (2001), eq. for cd and T_d
        t0, d0, c0 = mi.chi2[t], mi.df[t], mi.scaling_factor[t]
        t1, d1, c1 = mi.chi2[t - 1], mi.df[t - 1], mi.scaling_factor[t - 1]
        cd = (d0 * c0 - d1 * c1) / (d0 - d1)
        assert mi.delta_chi2[t] == pytest.approx((t0 - t1) / cd, rel=1e-12)
    np.testing.assert_allclose(mi.chi2_scaled, mi.chi2 / mi.scaling_factor, rtol=1e-12)
    assert mi.invariant.tolist() == [True, True, False]
    # normal data: the scaling factors stay near 1
    assert np.all(np.abs(mi.scaling_factor - 1) < 0.1)


def test_fiml_groups_on_complete_data_equal_listwise(hs_data):
    a = multigroup_cfa(hs_data, HS_MODEL, group="school", group_equal="loadings")
    b = multigroup_cfa(hs_data, HS_MODEL, group="school", group_equal="loadings",
                       nan_policy="fiml")
    assert b.chi2 == pytest.approx(a.chi2, abs=1e-6)
    np.testing.assert_allclose(b.est, a.est, atol=1e-5)


def test_fiml_groups_with_missing_answers():
    data = _planted()
    rng = np.random.default_rng(3)
    for k in ("x1", "x4"):
        x = data[k].copy()
        x[rng.random(len(x)) < 0.15] = np.nan
        data[k] = x
    fit = multigroup_cfa(data, MODEL1, group="g", group_equal="loadings",
                         nan_policy="fiml")
    assert fit.n_obs.tolist() == [600, 600]
    lw = multigroup_cfa(data, MODEL1, group="g", group_equal="loadings")
    assert lw.n_obs.sum() < 1200
    assert fit.df == lw.df == 2 * (15 + 5) - (4 + 2 * 5 + 2 * 5 + 2)
    assert np.all(np.isfinite(fit.se[fit.free]))


def test_bad_input(hs_data):
    func = "survey.multigroup_cfa"
    with pytest.raises(InvalidParameterError, match=r"'group' parameter of survey\."
                                                   r"multigroup_cfa"):
        multigroup_cfa(hs_data, HS_MODEL, group="nope")
    with pytest.raises(InvalidTypeError, match=r"'group' parameter"):
        multigroup_cfa(hs_data, HS_MODEL, group=3)
    with pytest.raises(InvalidParameterError, match=r"'group_equal' parameter of " + func):
        multigroup_cfa(hs_data, HS_MODEL, group="school", group_equal=["slopes"])
    with pytest.raises(DataError, match=r"at least two groups"):
        multigroup_cfa(hs_data[hs_data.school == "Pasteur"], HS_MODEL, group="school")
    with pytest.raises(InvalidParameterError, match=r"observed exogenous covariates"):
        multigroup_cfa(hs_data, HS_MODEL + "visual ~ ageyr", group="school")
    with pytest.raises(InvalidParameterError, match=r"'nan_policy' parameter"):
        multigroup_cfa(hs_data, HS_MODEL, group="school", nan_policy="pairwise")
    with pytest.raises(InvalidParameterError, match=r"'steps' parameter of survey\."
                                                   r"measurement_invariance"):
        measurement_invariance(hs_data, HS_MODEL, group="school", steps=["configural",
                                                                         "partial"])
    with pytest.raises(InvalidParameterError, match=r"distinct steps"):
        measurement_invariance(hs_data, HS_MODEL, group="school",
                               steps=["configural", "configural"])
    with pytest.raises(InvalidParameterError, match=r"'rule' parameter"):
        measurement_invariance(hs_data, HS_MODEL, group="school", rule="delta")
    few = hs_data.iloc[[*range(150), 200, 201, 202]]
    with pytest.raises(DataError, match=r"3 respondent\(s\) in group 'Grant-White'"):
        multigroup_cfa(few, HS_MODEL, group="school")


def test_missing_group_label_is_refused():
    data = _planted()
    g = data["g"].astype(object)
    g[5] = None
    data["g"] = g
    with pytest.raises(DataError, match=r"a missing label at row 5"):
        multigroup_cfa(data, MODEL1, group="g")


def test_heywood_warns():
    # one factor, three items with r_ab r_ac / r_bc = 0.7 * 0.7 / 0.3 > 1: the squared
    # standardised loading of 'a' exceeds 1, so its residual variance goes negative
    rng = np.random.default_rng(0)
    r = np.array([[1, 0.7, 0.7], [0.7, 1, 0.3], [0.7, 0.3, 1]])
    x = rng.multivariate_normal(np.zeros(3), r, 1000)
    data = {"a": x[:, 0], "b": x[:, 1], "c": x[:, 2], "g": np.repeat(["x", "y"], 500)}
    with pytest.warns(CxpathWarning, match=r"negative variance estimate\(s\) for a"):
        multigroup_cfa(data, "f =~ a + b + c", group="g", group_equal="loadings")


def test_release_tests_find_the_planted_intercept_and_partial_scalar_passes():
    # x3's intercept is 0.5 higher in group b (planted in _planted): the score test of its
    # equality is the largest, its expected change recovers the shift, and freeing it
    # (lavaan's group.partial) makes the scalar step pass under every rule
    data = _planted()
    mi = measurement_invariance(data, MODEL1, group="g")
    assert mi.invariant.tolist() == [True, True, False]
    assert "largest score test at scalar: x3 ~1 in group b" in repr(mi)
    top = mi.fits["scalar"].release_tests("dict")
    assert (top["group"][0], top["lhs"][0], top["op"][0]) == ("b", "x3", "~1")
    assert top["chi2"][0] > 10 * top["chi2"][1]
    assert abs(top["epc"][0] - 0.5) < 0.15
    assert set(top["op"]) == {"~1", "=~"}  # loadings and intercepts are constrained
    assert mi.fits["metric"].release_tests("dict")["op"].tolist() == ["=~"] * 4
    for rule in ("cheung_rensvold", "chen", "chi2"):
        part = measurement_invariance(data, MODEL1, group="g", rule=rule,
                                      group_partial=["x3 ~1"])
        assert part.invariant.tolist() == [True, True, True], rule
        assert part.df.tolist() == [mi.df[0], mi.df[1], mi.df[2] - 1]
    fit = part.fits["scalar"]
    assert fit.group_partial == ("x3 ~1",)
    a, b = fit.loc(("a", "x3", "~1", "")), fit.loc(("b", "x3", "~1", ""))
    assert a["param"] != b["param"]  # the freed intercept has a copy per group
    assert fit.loc(("a", "x2", "~1", ""))["param"] == fit.loc(("b", "x2", "~1", ""))["param"]
    assert ("x3", "~1") not in set(zip(fit.release_lhs, fit.release_op))


def test_release_score_test_approximates_the_likelihood_ratio():
    # Under a local alternative (a small shift, many respondents) the score statistic of
    # an equality and the likelihood-ratio statistic of freeing it agree (Rao 1948;
    # Buse 1982): the LR is the chi2 drop between the constrained and partial fits
    data = _planted(shift=0.12, n=3000)
    ge = ["loadings", "intercepts"]
    full = multigroup_cfa(data, MODEL1, group="g", group_equal=ge)
    part = multigroup_cfa(data, MODEL1, group="g", group_equal=ge, group_partial="x3~1")
    lr = full.chi2 - part.chi2
    rel = full.release_tests("dict")
    score = rel["chi2"][rel["lhs"].tolist().index("x3")]
    assert lr > 5 and score == pytest.approx(lr, rel=0.02)  # 31.04 vs 31.03 here
    part2 = multigroup_cfa(data, MODEL1, group="g", group_equal=ge,
                           group_partial=["f =~ x2"])
    lr2 = full.chi2 - part2.chi2
    i2 = next(k for k, (lhs, op) in enumerate(zip(rel["rhs"], rel["op"]))
              if op == "=~" and lhs == "x2")
    assert rel["chi2"][i2] == pytest.approx(lr2, abs=0.02 + 0.02 * lr2)  # 0.442 vs 0.443


def test_hs_partial_invariance_follows_lavaans_group_partial(hs_data):
    # lavaan tutorial "Multiple groups": group.equal = c("loadings", "intercepts"),
    # group.partial = c("visual=~x2", "x7~1") frees one loading and one intercept: 2 df
    # fewer than the strong model (df 60, chi2 164.10), between it and the weak one
    strong = multigroup_cfa(hs_data, HS_MODEL, group="school",
                            group_equal=["loadings", "intercepts"])
    part = multigroup_cfa(hs_data, HS_MODEL, group="school",
                          group_equal=["loadings", "intercepts"],
                          group_partial=["visual=~x2", "x7~1"])
    assert strong.df == 60 and part.df == 58
    assert 124.04 < part.chi2 < strong.chi2


def test_group_partial_bad_input(hs_data):
    for bad in (["x99 ~1"], ["visual =~ x4"], ["x1 ~ 1 ~"], [3]):
        with pytest.raises(InvalidParameterError, match="group_partial"):
            multigroup_cfa(hs_data, HS_MODEL, group="school", group_equal="loadings",
                           group_partial=bad)
    with pytest.raises(InvalidTypeError, match="group_partial"):
        multigroup_cfa(hs_data, HS_MODEL, group="school", group_partial=3)
