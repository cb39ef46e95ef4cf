"""Full-information ML for missing answers (cxpath.survey.cfa / sem with nan_policy='fiml').

References: the casewise likelihood is checked against scipy's multivariate normal density
written out in the test (Arbuckle 1996, eq. 3); the saturated model against a direct
numerical maximisation of the same likelihood; recovery under MAR against the
complete-data fit of the same generated sample (the issue's requirement: FIML recovers the
complete-data estimates within their standard errors, listwise deletion does not).
"""

from __future__ import annotations

import numpy as np
import pytest

from cxpath.errors import InvalidParameterError
from cxpath.survey import cfa, sem
from cxpath.survey._fiml import GroupData, em_saturated

pd = pytest.importorskip("pandas")
stats = pytest.importorskip("scipy.stats")

MODEL = "A =~ y0 + y1 + y2\nB =~ y3 + y4 + y5"


def _sample(seed=0, n=2000):
    rng = np.random.default_rng(seed)
    f = rng.multivariate_normal([0, 0], [[1, 0.4], [0.4, 1]], n)
    lam = [1, 0.8, 0.7, 1, 0.9, 0.6]
    x = np.column_stack([lam[i] * f[:, i // 3] + rng.normal(0, 0.6, n) for i in range(6)])
    full = pd.DataFrame(x + 3, columns=[f"y{i}" for i in range(6)])
    mis = full.copy()
    # MAR: y2 and y5 go missing when the always-answered y0 is high; y4 at random
    p = 1 / (1 + np.exp(-(full.y0 - 3.5) * 2))
    mis.loc[rng.random(n) < p, "y2"] = np.nan
    mis.loc[rng.random(n) < p, "y5"] = np.nan
    mis.loc[rng.random(n) < 0.1, "y4"] = np.nan
    return full, mis


def _casewise_ll(x, mu, sigma):
    """Sum of each respondent's normal log-density over the answers given (scipy)."""
    masks = ~np.isnan(x)
    total = 0.0
    for key in {tuple(m) for m in masks}:
        o = np.array(key)
        rows = (masks == o).all(axis=1)
        mvn = stats.multivariate_normal(mu[o], sigma[np.ix_(o, o)])
        total += float(np.sum(mvn.logpdf(x[rows][:, o])))
    return total


@pytest.fixture(scope="module")
def fits():
    full, mis = _sample()
    return full, mis, cfa(full, MODEL), cfa(mis, MODEL, nan_policy="fiml"), cfa(mis, MODEL)


def test_fiml_recovers_complete_data_estimates_under_mar(fits):
    full, mis, complete, fiml, listwise = fits
    assert mis.isna().mean().round(2).tolist() == [0.0, 0.0, 0.38, 0.0, 0.1, 0.36]
    assert fiml.n_obs == 2000 and listwise.n_obs < 1200
    keys = [(str(a), str(o), str(r)) for a, o, r, f in
            zip(complete.lhs, complete.op, complete.rhs, complete.free) if f]
    est = np.array([fiml.loc(k)["est"] for k in keys])
    gap = np.abs(est - complete.est[complete.free]) / complete.se[complete.free]
    assert gap.max() < 1.0  # every estimate within one complete-data SE (max 0.87)
    lw = np.abs(listwise.est[complete.free] - complete.est[complete.free]) \
        / complete.se[complete.free]
    assert lw.max() > 5.0  # listwise deletion under MAR is biased (max 12.9 SE)
    # the intercepts of the items with missing answers move off their observed means
    assert fiml.loc(("y2", "~1", ""))["est"] == pytest.approx(full.y2.mean(), abs=0.03)
    assert abs(np.nanmean(mis.y2) - full.y2.mean()) > 0.2


def test_casewise_loglik_equals_scipy_density(fits):
    _full, mis, _c, fiml, _lw = fits
    mu = np.array([fiml.loc((f"y{i}", "~1", ""))["est"] for i in range(6)])
    sigma = fiml.implied_cov
    x = mis.to_numpy()
    ll = _casewise_ll(x, mu, sigma)
    assert fiml.loglik == pytest.approx(ll, abs=1e-6)
    # the saturated model: EM moments, its log-likelihood the same casewise sum
    em_mu, em_sig, _, ok = em_saturated(GroupData(x))
    assert ok
    np.testing.assert_allclose(em_sig, fiml.sample_cov, atol=1e-10)
    ll_sat = _casewise_ll(x, em_mu, em_sig)
    assert fiml.loglik_saturated == pytest.approx(ll_sat, abs=1e-6)
    assert fiml.chi2 == pytest.approx(2 * (ll_sat - ll), abs=1e-6)
    assert fiml.df == 6 * 7 // 2 + 6 - fiml.n_free == 8


def test_em_saturated_is_the_likelihood_maximum():
    # an independent maximisation (scipy, Cholesky parameters) of the casewise
    # likelihood reaches the EM estimate
    from scipy import optimize

    rng = np.random.default_rng(2)
    x = rng.multivariate_normal([1, 2, 3], [[1, .5, .3], [.5, 1, .4], [.3, .4, 1]], 300)
    x[rng.random(300) < 0.3, 1] = np.nan
    x[rng.random(300) < 0.2, 2] = np.nan
    x = x[~np.isnan(x).all(axis=1)]
    mu, sig, _it, ok = em_saturated(GroupData(x))
    assert ok
    tril = np.tril_indices(3)

    def nll(t):
        m = t[:3]
        ch = np.zeros((3, 3))
        ch[tril] = t[3:]
        return -_casewise_ll(x, m, ch @ ch.T)

    t0 = np.r_[np.nanmean(x, axis=0), np.linalg.cholesky(np.diag(np.nanvar(x, axis=0)))[tril]]
    res = optimize.minimize(nll, t0, method="BFGS", options={"gtol": 1e-7})
    ch = np.zeros((3, 3))
    ch[tril] = res.x[3:]
    np.testing.assert_allclose(mu, res.x[:3], atol=1e-4)
    np.testing.assert_allclose(sig, ch @ ch.T, atol=1e-4)


def test_fiml_on_complete_answers_is_ml():
    full, _ = _sample(1, 500)
    ml, fi = cfa(full, MODEL), cfa(full, MODEL, nan_policy="fiml")
    assert fi.chi2 == pytest.approx(ml.chi2, abs=1e-6)
    assert fi.df == ml.df
    for k in zip(ml.lhs, ml.op, ml.rhs, ml.est):
        assert fi.loc(tuple(map(str, k[:3])))["est"] == pytest.approx(k[3], abs=1e-5)
    np.testing.assert_allclose([fi.loc((f"y{i}", "~1", ""))["est"] for i in range(6)],
                               full.mean().to_numpy(), atol=1e-6)
    assert fi.cfi == pytest.approx(ml.cfi, abs=1e-6)
    assert fi.rmsea == pytest.approx(ml.rmsea, abs=1e-6)
    assert fi.loglik == pytest.approx(ml.loglik, abs=1e-5)


def test_fiml_sem_regression_and_validity(fits):
    _full, mis, _c, _f, _l = fits
    fit = sem(mis, MODEL + "\nB ~ A", nan_policy="fiml")
    row = fit.loc(("B", "~", "A"))
    assert 0.3 < row["std_all"] < 0.5 and np.isfinite(row["se"])
    val = fit.validity()
    assert val.constructs.tolist() == ["A", "B"]
    assert fit.effects_frame("dict")["source"].tolist() == ["A"]


def test_fiml_bad_input(fits):
    _full, mis, *_ = fits
    with pytest.raises(InvalidParameterError, match=r"'n_boot' parameter of survey\.cfa"):
        cfa(mis, MODEL, nan_policy="fiml", n_boot=10)
    with pytest.raises(InvalidParameterError, match=r"'estimator' parameter.*MLM needs"):
        cfa(mis, MODEL, nan_policy="fiml", estimator="MLM")
    d = mis.assign(z=np.arange(len(mis), dtype=float))
    with pytest.raises(InvalidParameterError, match=r"observed exogenous covariates"):
        sem(d, MODEL + "\nA ~ z", nan_policy="fiml")
    with pytest.raises(InvalidParameterError, match=r"'nan_policy' parameter of survey\.cfa"):
        cfa(mis, MODEL, nan_policy="em")


def test_analytic_observed_information_equals_numeric_hessian(fits):
    # the pattern-sum formula of the observed information (with the second-derivative
    # term) against central differences of the analytic gradient, at and off the optimum
    from cxpath.survey import _fiml as fm
    from cxpath.survey.confirmatory import _Spec, parse_model

    _full, mis, *_ = fits
    spec = _Spec(parse_model(MODEL), False, "t")
    x = mis[spec.observed].to_numpy()
    fit = fm.fit_groups(spec, [x], (), False, "ML", 1000, "t")
    prob = fm.Problem([(fit["rams"][0], fm.GroupData(x), fit["idxs"][0])], fit["n_free"])
    for th in (fit["theta"], fit["theta"] + 0.05):
        a, b = prob.observed(th), prob.observed_numeric(th)
        assert np.max(np.abs(a - b)) < 1e-6 * np.max(np.abs(b))
