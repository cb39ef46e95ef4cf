"""Cox proportional hazards: parity with lifelines 0.30 (``CoxPHFitter``,
``CoxTimeVaryingFitter``, ``statistics.proportional_hazard_test``) on rossi, with
statsmodels 0.15 ``PHReg`` for Breslow ties, and identities of the model.

lifelines' robust standard errors use score residuals that ignore tied times (its
``_compute_score_within_strata``: "TODO: doesn't handle ties"), and its rank transform
numbers tied event times by row order; those two are compared on rossi with the weeks
made distinct (a uniform jitter in [0, 0.9), which keeps the order of the weeks).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxpath.customers import cox
from cxpath.errors import CxpathWarning, DataError, InvalidParameterError

pytest.importorskip("lifelines", reason="lifelines (test peer) is not installed")
from lifelines import CoxPHFitter, CoxTimeVaryingFitter
from lifelines.datasets import load_rossi
from lifelines.statistics import proportional_hazard_test

TOL = 1e-6


@pytest.fixture(scope="module")
def rossi():
    return load_rossi()


@pytest.fixture(scope="module")
def distinct(rossi):
    r = rossi.copy()
    r["week"] = r["week"] + np.random.default_rng(1).uniform(0, 0.9, len(r))
    return r


def _close(a, b, tol=TOL):
    np.testing.assert_allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float),
                               atol=tol, rtol=0)


def test_efron_fit_matches_lifelines_on_rossi(rossi):
    fit = cox("week", "arrest", data=rossi)
    ref = CoxPHFitter().fit(rossi, "week", "arrest")
    assert fit.covariate.tolist() == list(ref.params_.index)
    _close(fit.coef, ref.params_)
    _close(fit.se, ref.standard_errors_)
    _close(fit.p_value, ref.summary["p"])
    assert fit.concordance == pytest.approx(ref.concordance_index_, abs=TOL)
    assert fit.log_likelihood == pytest.approx(ref.log_likelihood_, abs=TOL)
    # lifelines' rossi summary: prio coef 0.09, concordance 0.64, partial log-likelihood -658.75
    assert fit.coef[-1] == pytest.approx(0.0915, abs=5e-5)
    assert fit.log_likelihood == pytest.approx(-658.75, abs=5e-3)


def test_breslow_fit_matches_statsmodels_phreg(rossi):
    sm = pytest.importorskip("statsmodels.api")
    x = rossi.drop(columns=["week", "arrest"])
    ref = sm.PHReg(rossi.week, x, status=rossi.arrest, ties="breslow").fit()
    fit = cox("week", "arrest", data=rossi, ties="breslow")
    _close(fit.coef, ref.params)
    _close(fit.se, ref.bse)
    assert fit.log_likelihood == pytest.approx(ref.llf, abs=TOL)


def test_robust_and_cluster_robust_match_lifelines_without_ties(distinct):
    fit = cox("week", "arrest", data=distinct, robust=True)
    ref = CoxPHFitter().fit(distinct, "week", "arrest", robust=True)
    _close(fit.se, ref.standard_errors_)
    _close(fit.se_model, CoxPHFitter().fit(distinct, "week", "arrest").standard_errors_)
    d = distinct.assign(id=np.arange(len(distinct)) // 3)
    fit = cox("week", "arrest", data=d, cluster="id")
    ref = CoxPHFitter().fit(d, "week", "arrest", cluster_col="id")
    _close(fit.se, ref.standard_errors_)
    assert fit.robust
    fit = cox("week", "arrest", data=distinct, strata="race", robust=True)
    ref = CoxPHFitter().fit(distinct, "week", "arrest", strata=["race"], robust=True)
    _close(fit.se, ref.standard_errors_)
    w = distinct.assign(w=(np.arange(len(distinct)) % 3 + 1).astype(float))
    fit = cox("week", "arrest", data=w, weights="w", robust=True)
    ref = CoxPHFitter().fit(w, "week", "arrest", weights_col="w", robust=True,
                            fit_options={"precision": 1e-12})
    _close(fit.se, ref.standard_errors_)


def test_robust_with_ties_sums_to_the_score_and_one_row_clusters_change_nothing(rossi):
    a = cox("week", "arrest", data=rossi, robust=True)
    b = cox("week", "arrest", data=rossi.assign(id=np.arange(len(rossi))), cluster="id")
    _close(a.se, b.se, 1e-12)
    # close to lifelines' tie-blind version (they differ by the handling of ties only)
    ref = CoxPHFitter().fit(rossi, "week", "arrest", robust=True)
    _close(a.se, ref.standard_errors_, 0.02)


def test_strata_and_weights_match_lifelines(rossi):
    fit = cox("week", "arrest", data=rossi, strata="race")
    ref = CoxPHFitter().fit(rossi, "week", "arrest", strata=["race"])
    _close(fit.coef, ref.params_)
    _close(fit.se, ref.standard_errors_)
    assert fit.concordance == pytest.approx(ref.concordance_index_, abs=TOL)
    w = rossi.assign(w=(np.arange(len(rossi)) % 3 + 1).astype(float))
    fit = cox("week", "arrest", data=w, weights="w")
    # lifelines' default stopping rule (precision 1e-7) stops 3e-6 short here
    ref = CoxPHFitter().fit(w, "week", "arrest", weights_col="w",
                            fit_options={"precision": 1e-12})
    _close(fit.coef, ref.params_)
    _close(fit.se, ref.standard_errors_)
    assert fit.concordance == pytest.approx(ref.concordance_index_, abs=TOL)


def test_breslow_case_weights_are_repeated_rows(rossi):
    w = (np.arange(len(rossi)) % 3 + 1)
    a = cox("week", "arrest", data=rossi.assign(w=w.astype(float)), weights="w",
            ties="breslow")
    b = cox("week", "arrest", data=rossi.loc[rossi.index.repeat(w)], ties="breslow")
    _close(a.coef, b.coef, 1e-10)
    _close(a.se, b.se, 1e-10)


def _split(r: pd.DataFrame, at: float = 20.0) -> pd.DataFrame:
    """Counting-process form: every subject followed past ``at`` split into two rows."""
    base = r.drop(columns=["week", "arrest"]).assign(id=np.arange(len(r)))
    late = r.week > at
    first = base.assign(start=0.0, stop=np.where(late, at, r.week),
                        arrest=np.where(late, 0, r.arrest))
    second = base[late].assign(start=at, stop=r.week[late], arrest=r.arrest[late])
    return pd.concat([first, second], ignore_index=True)


def test_start_stop_matches_lifelines_time_varying(rossi):
    ss = _split(rossi)
    ss["prio_late"] = ss.prio * (ss.start >= 20)
    ref = CoxTimeVaryingFitter().fit(ss, id_col="id", event_col="arrest", start_col="start",
                                     stop_col="stop")
    fit = cox("stop", "arrest", data=ss.drop(columns="id"), entry="start")
    _close(fit.coef, ref.params_)
    _close(fit.se, ref.standard_errors_)
    assert fit.log_likelihood == pytest.approx(ref.log_likelihood_, abs=TOL)


def test_splitting_rows_changes_nothing_and_clusters_recover_the_subject(rossi):
    whole = cox("week", "arrest", data=rossi, robust=True)
    ss = _split(rossi)
    covs = [c for c in rossi.columns if c not in ("week", "arrest")]
    split = cox("stop", "arrest", covs, data=ss, entry="start", cluster="id")
    _close(split.coef, whole.coef, 1e-9)
    _close(split.se_model, whole.se_model, 1e-9)
    _close(split.se, whole.se, 1e-9)


@pytest.mark.parametrize("transform", ["km", "identity"])
def test_ph_test_matches_lifelines_on_rossi(rossi, transform):
    fit = cox("week", "arrest", data=rossi)
    ref = proportional_hazard_test(CoxPHFitter().fit(rossi, "week", "arrest"), rossi,
                                   time_transform=transform)
    ph = fit.ph_test(transform)
    _close(ph.statistic[:-1], ref.test_statistic)
    _close(ph.p_value[:-1], ref.p_value)
    # lifelines' docs (rossi, km): age and wexp break proportional hazards
    assert set(ph.covariate[:-1][ph.p_value[:-1] < 0.05]) == {"age", "wexp"}


def test_ph_test_rank_matches_lifelines_without_ties(distinct):
    fit = cox("week", "arrest", data=distinct)
    ref = proportional_hazard_test(CoxPHFitter().fit(distinct, "week", "arrest"), distinct,
                                   time_transform="rank")
    _close(fit.ph_test("rank").statistic[:-1], ref.test_statistic)


def test_ph_global_test_is_grambsch_therneau(rossi):
    # R survival 2.x cox.zph: z = (g's) V (s'g) d / Σ g², df = number of covariates
    fit = cox("week", "arrest", data=rossi)
    ph = fit.ph_test("identity")
    g = fit.event_time - fit.event_time.mean()
    u = g @ fit.schoenfeld
    expected = u @ fit.covariance_model @ u * fit.n_events / (g @ g)
    assert ph.statistic[-1] == pytest.approx(expected, rel=1e-12)
    assert ph.df.tolist() == [1] * 7 + [7]
    assert fit.schoenfeld.sum(0) == pytest.approx(np.zeros(7), abs=1e-6)  # score at the MLE


def test_covariate_forms_agree(rossi):
    by_name = cox("week", "arrest", ["fin", "age"], data=rossi)
    by_array = cox(rossi.week, rossi.arrest, rossi[["fin", "age"]].to_numpy())
    by_map = cox(rossi.week, rossi.arrest, {"fin": rossi.fin, "age": rossi.age})
    _close(by_name.coef, by_array.coef, 1e-12)
    _close(by_name.coef, by_map.coef, 1e-12)
    assert by_array.covariate.tolist() == ["x0", "x1"]
    assert by_map.covariate.tolist() == ["fin", "age"]
    frame = by_name.to_frame()
    assert list(frame.columns) == ["covariate", "coef", "exp_coef", "se", "z", "p_value",
                                   "lower", "upper"]
    np.testing.assert_allclose(frame.exp_coef, np.exp(by_name.coef))


def test_bad_inputs(rossi):
    t, e = rossi.week.to_numpy(), rossi.arrest.to_numpy()
    with pytest.raises(DataError, match=r"'covariates' parameter of customers\.cox must be "
                       r"non-constant covariates .* Got 'c' constant instead"):
        cox(t, e, {"fin": rossi.fin, "c": np.ones(len(t))})
    with pytest.raises(DataError, match=r"must be free of linear dependence .* Got linearly "
                       r"dependent covariates 'fin', 'age', 'both' instead"):
        cox(t, e, {"fin": rossi.fin, "age": rossi.age, "both": rossi.fin + 2 * rossi.age})
    with pytest.raises(DataError, match=r"information matrix is singular"):
        cox(t, e, {"race": rossi.race, "fin": rossi.fin}, strata=rossi.race)
    with pytest.raises(DataError, match=r"customers\.cox needs at least one event"):
        cox(t, np.zeros(len(t)), {"fin": rossi.fin})
    with pytest.raises(DataError, match=r"'durations' parameter of customers\.cox must be in "
                       r"\[0, inf\]\. Got -1\.0 at position 0"):
        cox(np.r_[-1.0, t[1:]], e, {"fin": rossi.fin})
    with pytest.raises(DataError, match=r"'event' parameter of customers\.cox must be event "
                       r"flags \(0/1 or True/False\)\. Got 3\.0 at position 0"):
        cox(t, np.r_[3, e[1:]], {"fin": rossi.fin})
    with pytest.raises(DataError, match=r"'entry' parameter of customers\.cox must be before "
                       r"the duration of its row \(entry < exit\)\. Got entry 20 and duration "
                       r"20 at position"):
        cox(t, e, {"fin": rossi.fin}, entry=np.full(len(t), 20.0))
    with pytest.raises(DataError, match=r"'covariates\['fin'\]' parameter of customers\.cox "
                       r"must be free of NaN"):
        cox(t, e, {"fin": np.r_[np.nan, rossi.fin[1:]]})
    with pytest.raises(DataError, match=r"same length as 'durations' \(432\)"):
        cox(t, e, {"fin": rossi.fin[:10]})
    with pytest.raises(InvalidParameterError, match=r"'ties' parameter of customers\.cox must "
                       r"be one of 'efron', 'breslow'"):
        cox(t, e, {"fin": rossi.fin}, ties="exact")
    with pytest.raises(InvalidParameterError, match=r"'covariates' parameter of customers\.cox"
                       r" must be covariate values or column names"):
        cox(t, e)
    with pytest.raises(InvalidParameterError, match=r"'transform' parameter of CoxFit\.ph_test"
                       r" must be one of 'km', 'rank', 'identity', 'log'"):
        cox(t, e, {"fin": rossi.fin}).ph_test("logit")


def test_separation_warns_that_it_did_not_converge():
    # every event in group 1 happens before any row of group 0 leaves: monotone likelihood
    t = [1, 2, 3, 4, 5, 6, 7, 8]
    e = [1, 1, 1, 1, 0, 0, 0, 0]
    with pytest.warns(CxpathWarning, match=r"customers\.cox did not converge in 20 "
                      r"iterations"):
        cox(t, e, {"g": [1, 1, 1, 1, 0, 0, 0, 0]}, max_iter=20)
