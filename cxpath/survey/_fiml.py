"""Mean structures, several groups and missing answers for the SEM engine: the casewise
(full-information) normal likelihood by missing-data pattern, the saturated model by EM,
and robust (Huber–White sandwich, Yuan–Bentler scaled) statistics. Private helpers of
:mod:`cxpath.survey.confirmatory` and :mod:`cxpath.survey.invariance`.

A group's model adds a mean vector ``m`` (intercepts of the observed variables, means or
intercepts of the latent ones) to the RAM matrices: :math:`\\mu = F (I - A)^{-1} m` and
:math:`\\Sigma = F (I - A)^{-1} S (I - A)^{-T} F'`. A respondent who answered the items
``o`` contributes :math:`-\\tfrac12[p_o\\log 2\\pi + \\log|\\Sigma_{oo}| + (x_o -
\\mu_o)'\\Sigma_{oo}^{-1}(x_o - \\mu_o)]` to the log-likelihood (Arbuckle 1996); respondents
with the same pattern share one inverse. With complete answers this is the usual ML
discrepancy with a mean structure (lavaan's ``meanstructure=TRUE``).
"""

from __future__ import annotations

import numpy as np

from .._warnings import warn

__all__ = ["GroupData", "MeanRam", "Problem", "Saturated", "em_saturated",
           "independence_loglik", "mlr_complete"]

LOG2PI = float(np.log(2 * np.pi))


class GroupData:
    """One group's answers split by missing-data pattern.

    ``pats`` holds ``(observed columns, n, mean, covariance with divisor n, rows)`` per
    pattern (rows answering nothing must be removed beforehand); the same statistics are
    kept stacked for vectorised passes: ``masks`` (T, p), ``counts`` (T,), ``means``
    (T, p) and ``covs`` (T, p, p), zero where an item is missing.
    """

    def __init__(self, x: np.ndarray, keep_rows: bool = True):
        self.n, self.p = x.shape
        miss = np.isnan(x)
        self.complete = not miss.any()
        self.pats = []
        if self.complete:
            groups = [(np.arange(self.p), np.arange(self.n))]
        else:
            keys, inv = np.unique(miss, axis=0, return_inverse=True)
            inv = inv.ravel()
            order = np.argsort(inv, kind="stable")
            bounds = np.searchsorted(inv[order], np.arange(len(keys) + 1))
            groups = [(np.flatnonzero(~keys[t]), order[bounds[t]:bounds[t + 1]])
                      for t in range(len(keys))]
        t_count = len(groups)
        self.masks = np.zeros((t_count, self.p), dtype=bool)
        self.counts = np.empty(t_count)
        self.means = np.zeros((t_count, self.p))
        self.covs = np.zeros((t_count, self.p, self.p))
        for t, (obs, rows) in enumerate(groups):
            xo = x[np.ix_(rows, obs)] if not self.complete else x
            mean = xo.mean(axis=0)
            xc = xo - mean
            cov = xc.T @ xc / len(rows)
            self.pats.append((obs, len(rows), mean, cov, xo if keep_rows else None))
            self.masks[t, obs] = True
            self.counts[t] = len(rows)
            self.means[t, obs] = mean
            self.covs[t][np.ix_(obs, obs)] = cov
        self.n_obs_items = self.masks.sum(axis=1)
        self.x = x
        self.row_pattern = np.empty(self.n, dtype=np.int64)
        for t, (_obs, rows) in enumerate(groups):
            self.row_pattern[rows] = t


#: Patterns handled per vectorised block (bounds the (T, p, p) temporaries).
_BLOCK = 2048


def _pattern_inverses(sigma, masks):
    """Σ_oo⁻¹ of every pattern embedded in p x p (zeros at missing items) and log|Σ_oo|;
    None when Σ is not positive definite.

    From P = Σ⁻¹ (one Cholesky) by the Schur complement: Σ_oo⁻¹ = P_oo − P_om P_mm⁻¹ P_mo
    and log|Σ_oo| = log|Σ| + log|P_mm|, so a pattern with s missing items costs an s x s
    inverse; patterns with the same number of missing items go through together.
    """
    p = sigma.shape[0]
    try:
        ch = np.linalg.cholesky(sigma)
    except np.linalg.LinAlgError:
        return None, None
    ci = np.linalg.inv(ch)
    prec = ci.T @ ci
    logdet_full = 2.0 * float(np.sum(np.log(np.diag(ch))))
    t_count = len(masks)
    inv = np.empty((t_count, p, p))
    logdet = np.empty(t_count)
    miss = ~masks
    n_miss = miss.sum(axis=1)
    for s_ in np.unique(n_miss):
        rows = np.flatnonzero(n_miss == s_)
        if s_ == 0:
            inv[rows] = prec
            logdet[rows] = logdet_full
            continue
        idx = np.nonzero(miss[rows])[1].reshape(len(rows), s_)
        pmm = prec[idx[:, :, None], idx[:, None, :]]
        sign, ld = np.linalg.slogdet(pmm)
        if np.any(sign <= 0):
            return None, None
        pcol = prec[:, idx].transpose(1, 0, 2)  # (R, p, s)
        v = prec - pcol @ np.linalg.solve(pmm, pcol.transpose(0, 2, 1))
        m = masks[rows].astype(np.float64)
        inv[rows] = v * m[:, :, None] * m[:, None, :]
        logdet[rows] = logdet_full + ld
    return inv, logdet


class MeanRam:
    """Free parameters scattered into ``A``, ``S`` and the mean vector ``m``.

    ``free`` lists ``(matrix, i, j)``: matrix 0 is ``A``, 1 is ``S`` (symmetric), 2 is
    ``m`` (``j`` unused).
    """

    def __init__(self, p: int, a0: np.ndarray, s0: np.ndarray, m0: np.ndarray, free: list):
        self.p, self.v = p, len(a0)
        self.a0, self.s0, self.m0 = a0, s0, m0
        kind = np.array([f[0] for f in free], dtype=np.int64)
        rows = np.array([f[1] for f in free], dtype=np.int64)
        cols = np.array([f[2] for f in free], dtype=np.int64)
        self.k = len(free)
        self.a_pos = np.flatnonzero(kind == 0)
        self.s_pos = np.flatnonzero(kind == 1)
        self.m_pos = np.flatnonzero(kind == 2)
        self.ai, self.aj = rows[self.a_pos], cols[self.a_pos]
        self.si, self.sj = rows[self.s_pos], cols[self.s_pos]
        self.mi = rows[self.m_pos]

    def matrices(self, theta):
        a, s, m = self.a0.copy(), self.s0.copy(), self.m0.copy()
        a[self.ai, self.aj] = theta[self.a_pos]
        s[self.si, self.sj] = theta[self.s_pos]
        s[self.sj, self.si] = theta[self.s_pos]
        m[self.mi] = theta[self.m_pos]
        return a, s, m

    def full(self, theta):
        """Full covariance ``C`` (v x v) and mean ``E m`` of all model variables."""
        a, s, m = self.matrices(theta)
        e = np.linalg.inv(np.eye(self.v) - a)
        return e, e @ s @ e.T, e @ m

    def moments(self, theta, jac: bool = True):
        """μ (p), Σ (p x p) and, with ``jac``, ∂μ/∂θ (k, p) and ∂Σ/∂θ (k, p, p)."""
        e, c, em = self.full(theta)
        p = self.p
        mu, sigma = em[:p], c[:p, :p]
        if not jac:
            return mu, sigma, None, None
        fe, cf = e[:p], c[:, :p]
        dsig = np.zeros((self.k, p, p))
        dmu = np.zeros((self.k, p))
        if len(self.a_pos):
            da = fe[:, self.ai].T[:, :, None] * cf[self.aj][:, None, :]
            dsig[self.a_pos] = da + da.transpose(0, 2, 1)
            dmu[self.a_pos] = fe[:, self.ai].T * em[self.aj][:, None]
        if len(self.s_pos):
            ds = fe[:, self.si].T[:, :, None] * fe[:, self.sj].T[:, None, :]
            off = self.si != self.sj
            ds[off] = ds[off] + ds[off].transpose(0, 2, 1)
            dsig[self.s_pos] = ds
        if len(self.m_pos):
            dmu[self.m_pos] = fe[:, self.mi].T
        return mu, sigma, dmu, dsig


class Saturated:
    """The unrestricted model of one group: θ = (μ, vech Σ) (lower triangle by rows)."""

    def __init__(self, p: int):
        self.p = p
        self.rows, self.cols = np.tril_indices(p)
        self.k = p + len(self.rows)
        dsig = np.zeros((self.k, p, p))
        q = np.arange(len(self.rows))
        dsig[p + q, self.rows, self.cols] = 1.0
        dsig[p + q, self.cols, self.rows] = 1.0
        dmu = np.zeros((self.k, p))
        dmu[np.arange(p), np.arange(p)] = 1.0
        self._dmu, self._dsig = dmu, dsig

    def pack(self, mu, sigma):
        return np.concatenate([mu, sigma[self.rows, self.cols]])

    def moments(self, theta, jac: bool = True):
        p = self.p
        sigma = np.zeros((p, p))
        sigma[self.rows, self.cols] = theta[p:]
        sigma[self.cols, self.rows] = theta[p:]
        if not jac:
            return theta[:p].copy(), sigma, None, None
        return theta[:p].copy(), sigma, self._dmu, self._dsig


def group_m2ll(mu, sigma, dmu, dsig, gd: GroupData, grad: bool = True):
    """−2 log-likelihood of one group and its gradient in the group's parameters, all
    patterns at once (vectorised in blocks of patterns)."""
    p = gd.p
    total = 0.0
    g_s = np.zeros((p, p))
    g_m = np.zeros(p)
    for b0 in range(0, len(gd.counts), _BLOCK):
        sl = slice(b0, b0 + _BLOCK)
        masks, n_t = gd.masks[sl], gd.counts[sl]
        inv, logdet = _pattern_inverses(sigma, masks)
        if inv is None:
            return np.inf, None
        d = gd.means[sl] - masks * mu  # zero at missing items
        inv_d = np.einsum("tij,tj->ti", inv, d)
        tr = np.einsum("tij,tji->t", inv, gd.covs[sl])
        quad = np.einsum("ti,ti->t", d, inv_d)
        total += float(np.sum(n_t * (gd.n_obs_items[sl] * LOG2PI + logdet + tr + quad)))
        if grad:
            e = gd.covs[sl] + d[:, :, None] * d[:, None, :]
            w = inv - inv @ e @ inv
            g_s += np.einsum("t,tij->ij", n_t, w)
            g_m += -2.0 * (n_t @ inv_d)
    if not grad:
        return total, None
    return total, np.einsum("kij,ij->k", dsig, g_s) + dmu @ g_m


def group_information(mu, sigma, dmu, dsig, gd: GroupData):
    """Expected (Fisher) information of the group's log-likelihood, summed over patterns:
    Σ_t n_t [½ tr(V_t Δ_k V_t Δ_l) + ∂μ_k' V_t ∂μ_l] with V_t the embedded Σ_oo⁻¹. The
    pattern sum runs once, as G = Σ_t n_t vec(V_t) vec(V_t)' (one matrix product), and
    then meets the Jacobians."""
    p = gd.p
    g4 = np.zeros((p * p, p * p))
    vsum = np.zeros((p, p))
    for b0 in range(0, len(gd.counts), _BLOCK):
        sl = slice(b0, b0 + _BLOCK)
        inv, _ = _pattern_inverses(sigma, gd.masks[sl])
        flat = inv.reshape(len(inv), p * p)
        g4 += (flat * gd.counts[sl][:, None]).T @ flat
        vsum += np.einsum("t,tij->ij", gd.counts[sl], inv)
    g4 = g4.reshape(p, p, p, p)  # [a, b, c, d] = Σ n V_ab V_cd
    x = np.einsum("abcd,kbc->kad", g4, dsig, optimize=True)
    info = 0.5 * np.einsum("kad,lda->kl", x, dsig, optimize=True)
    return info + dmu @ vsum @ dmu.T


def group_observed(mu, sigma, dmu, dsig, gd: GroupData):
    """Observed information of the group's log-likelihood (the negative Hessian) without
    the second-derivative term, and the gradients of −log L in Σ and μ for it.

    With V the embedded Σ_oo⁻¹, d = x̄_t − μ, E = C_t + d d' and U = V E V, the pattern
    sums G1 = Σ n V⊗V, G2 = Σ n V⊗U, G3 = Σ n V⊗(V d) and Σ n V meet the Jacobians Σ_k,
    μ_k: −½ tr(VΣ_kVΣ_l) + ½[tr(Σ_kVΣ_lU) + tr(Σ_lVΣ_kU)] + μ_k'VΣ_lVd + μ_l'VΣ_kVd
    + μ_k'Vμ_l per respondent. Returns ``(info, g_sigma, g_mu)``.
    """
    p = gd.p
    pp = p * p
    g1 = np.zeros((pp, pp))
    g2 = np.zeros((pp, pp))
    g3 = np.zeros((pp, p))
    vsum = np.zeros((p, p))
    g_s = np.zeros((p, p))
    g_m = np.zeros(p)
    for b0 in range(0, len(gd.counts), _BLOCK):
        sl = slice(b0, b0 + _BLOCK)
        masks, n_t = gd.masks[sl], gd.counts[sl]
        inv, _ = _pattern_inverses(sigma, masks)
        d = gd.means[sl] - masks * mu
        inv_d = np.einsum("tij,tj->ti", inv, d)
        u = inv @ gd.covs[sl] @ inv + inv_d[:, :, None] * inv_d[:, None, :]
        vf = inv.reshape(len(inv), pp) * n_t[:, None]
        g1 += vf.T @ inv.reshape(len(inv), pp)
        g2 += vf.T @ u.reshape(len(u), pp)
        g3 += vf.T @ inv_d
        vsum += np.einsum("t,tij->ij", n_t, inv)
        g_s += 0.5 * np.einsum("t,tij->ij", n_t, inv - u)
        g_m += -(n_t @ inv_d)
    g1 = g1.reshape(p, p, p, p)
    g2 = g2.reshape(p, p, p, p)
    g3 = g3.reshape(p, p, p)
    # tr(V Σk V Σl) = Σ G1[a,b,c,d] Σk[b,c] Σl[d,a]; tr(Σk V Σl U) likewise with G2
    t1 = np.einsum("kad,lda->kl", np.einsum("abcd,kbc->kad", g1, dsig, optimize=True),
                   dsig, optimize=True)
    t2 = np.einsum("kad,lda->kl", np.einsum("abcd,kbc->kad", g2, dsig, optimize=True),
                   dsig, optimize=True)
    t3 = np.einsum("abc,la,kbc->kl", g3, dmu, dsig, optimize=True)  # μ_l' V Σ_k V d
    info = -0.5 * t1 + 0.5 * (t2 + t2.T) + t3 + t3.T + dmu @ vsum @ dmu.T
    return info, g_s, g_m


def group_scores(mu, sigma, dmu, dsig, gd: GroupData, chunk: int = 4096):
    """Casewise scores ∂ log L_i / ∂θ (n, k): with z_i = V_t (x_i − μ) over the answered
    items, s_ik = −½ tr(V_t Σ_k) + ½ z_i'Σ_k z_i + z_i'μ_k."""
    p = gd.p
    k = dmu.shape[0]
    inv, _ = _pattern_inverses(sigma, gd.masks)
    tr = np.einsum("tij,kji->tk", inv, dsig)
    r_, c_ = np.triu_indices(p)
    wt = np.where(r_ == c_, 1.0, 2.0)
    dvech = (dsig[:, r_, c_] * wt).T  # (p*, k)
    x0 = np.where(np.isnan(gd.x), 0.0, gd.x)
    out = np.empty((gd.n, k))
    for s0 in range(0, gd.n, chunk):
        sl = slice(s0, s0 + chunk)
        pat = gd.row_pattern[sl]
        dev = (x0[sl] - mu) * gd.masks[pat]
        z = np.einsum("nij,nj->ni", inv[pat], dev)
        out[sl] = -0.5 * tr[pat] + 0.5 * (z[:, r_] * z[:, c_]) @ dvech + z @ dmu.T
    return out


class Problem:
    """Several groups' structures tied by a global parameter vector.

    ``parts`` lists ``(structure, GroupData, idx)`` with ``idx`` the global index of each
    of the structure's parameters; the objective is −2 log L / N.
    """

    def __init__(self, parts: list, k: int):
        self.parts = parts
        self.k = k
        self.n = sum(gd.n for _, gd, _ in parts)

    def fun(self, theta):
        total = 0.0
        grad = np.zeros(self.k)
        for st, gd, idx in self.parts:
            mu, sigma, dmu, dsig = st.moments(theta[idx])
            f, g = group_m2ll(mu, sigma, dmu, dsig, gd)
            if not np.isfinite(f):
                return 1e10, np.zeros(self.k)
            total += f
            np.add.at(grad, idx, g)
        return total / self.n, grad / self.n

    def m2ll_groups(self, theta):
        return np.array([group_m2ll(*st.moments(theta[idx], jac=False)[:2], None, None, gd,
                                    grad=False)[0] for st, gd, idx in self.parts])

    def expected(self, theta):
        """Expected information of the total log-likelihood (k x k)."""
        info = np.zeros((self.k, self.k))
        for st, gd, idx in self.parts:
            gi = group_information(*st.moments(theta[idx]), gd)
            info[np.ix_(idx, idx)] += gi
        return info

    def observed(self, theta):
        """Observed information (negative Hessian of log L): the pattern sums of
        :func:`group_observed`, plus the gradient of −log L in (Σ, μ) times the second
        derivatives of Σ(θ), μ(θ) (central differences of the analytic Jacobians, which
        do not touch the data)."""
        info = np.zeros((self.k, self.k))
        for st, gd, idx in self.parts:
            th = theta[idx]
            mu, sigma, dmu, dsig = st.moments(th)
            gi, g_s, g_m = group_observed(mu, sigma, dmu, dsig, gd)
            kk = len(th)
            second = np.zeros((kk, kk))
            for j in range(kk):
                h = 1e-6 * max(1.0, abs(th[j]))
                tp, tm = th.copy(), th.copy()
                tp[j] += h
                tm[j] -= h
                _, _, dmu_p, dsig_p = st.moments(tp)
                _, _, dmu_m, dsig_m = st.moments(tm)
                second[:, j] = (np.einsum("kij,ij->k", dsig_p - dsig_m, g_s)
                                + (dmu_p - dmu_m) @ g_m) / (2 * h)
            gi = gi + 0.5 * (second + second.T)
            info[np.ix_(idx, idx)] += gi
        return 0.5 * (info + info.T)

    def observed_numeric(self, theta):
        """The same by central differences of the analytic gradient (a check)."""
        h = np.empty((self.k, self.k))
        for j in range(self.k):
            step = 1e-5 * max(1.0, abs(theta[j]))
            tp, tm = theta.copy(), theta.copy()
            tp[j] += step
            tm[j] -= step
            h[:, j] = (self.fun(tp)[1] - self.fun(tm)[1]) / (2 * step)
        h = 0.5 * (h + h.T)
        return 0.5 * self.n * h

    def scores(self, theta):
        """Casewise scores of the total log-likelihood (N x k)."""
        out = []
        for st, gd, idx in self.parts:
            full = np.zeros((gd.n, self.k))
            full[:, idx] = group_scores(*st.moments(theta[idx]), gd)
            out.append(full)
        return np.vstack(out)

    def optimise(self, theta, max_iter: int, polish: int = 30):
        """BFGS with the analytic gradient, then Fisher-scoring steps with halving."""
        from scipy import optimize

        res = optimize.minimize(self.fun, theta, jac=True, method="BFGS",
                                options={"maxiter": max_iter, "gtol": 1e-7})
        theta = res.x
        iterations = int(res.nit)
        f, g = self.fun(theta)
        for _ in range(polish):
            try:
                step = np.linalg.solve(2.0 * self.expected(theta) / self.n, g)
            except np.linalg.LinAlgError:
                break
            for _half in range(20):
                f_new, g_new = self.fun(theta - step)
                if f_new <= f + 1e-13:
                    break
                step = step / 2
            else:
                break
            theta, f, g = theta - step, f_new, g_new
            iterations += 1
            if np.max(np.abs(step)) < 1e-10:
                break
        return theta, iterations, f, g


def em_saturated(gd: GroupData, max_iter: int = 5000, tol: float = 1e-11):
    """ML mean and covariance of one group with missing answers by EM (Dempster, Laird &
    Rubin 1977): the E step fills each pattern's missing block by its regression on the
    answered one, ``f(x) = μ + K(x − Mμ)`` with ``K = M + (I − M) Σ V`` (V the embedded
    Σ_oo⁻¹), and adds the conditional covariance; all patterns at once.
    Returns ``(mu, sigma, iterations, converged)``."""
    p, n = gd.p, gd.n
    if gd.complete:
        return gd.pats[0][2].copy(), gd.pats[0][3].copy(), 0, True
    x = gd.x
    mu = np.nanmean(x, axis=0)
    sigma = np.diag(np.nanvar(x, axis=0))
    last = np.inf
    eye = np.eye(p)
    for it in range(1, max_iter + 1):
        t1 = np.zeros(p)
        t2 = np.zeros((p, p))
        f = 0.0
        for b0 in range(0, len(gd.counts), _BLOCK):
            sl = slice(b0, b0 + _BLOCK)
            masks, n_t = gd.masks[sl], gd.counts[sl]
            inv, logdet = _pattern_inverses(sigma, masks)
            if inv is None:
                return mu, sigma, it, False
            m = masks.astype(np.float64)
            d = gd.means[sl] - m * mu
            inv_d = np.einsum("tij,tj->ti", inv, d)
            f += float(np.sum(n_t * (gd.n_obs_items[sl] * LOG2PI + logdet
                                     + np.einsum("tij,tji->t", inv, gd.covs[sl])
                                     + np.einsum("ti,ti->t", d, inv_d))))
            k = m[:, :, None] * eye + (1.0 - m)[:, :, None] * (sigma @ inv)
            fm = mu + np.einsum("tij,tj->ti", k, d)
            cond = (1.0 - m)[:, :, None] * (sigma - sigma @ inv @ sigma) * \
                (1.0 - m)[:, None, :]
            t1 += n_t @ fm
            t2 += np.einsum("t,tij->ij", n_t, fm[:, :, None] * fm[:, None, :]
                            + k @ gd.covs[sl] @ k.transpose(0, 2, 1) + cond)
        # f is −2 log L at the moments entering this step; EM never lowers log L
        if abs(last - f) <= tol * max(1.0, abs(f)):
            return mu, sigma, it, True
        last = f
        mu = t1 / n
        sigma = t2 / n - np.outer(mu, mu)
        sigma = 0.5 * (sigma + sigma.T)
    return mu, sigma, max_iter, False


def independence_loglik(gd: GroupData) -> float:
    """Log-likelihood of the independence model (free means and variances): it factors
    over the items, so each item's available answers give its own ML estimates."""
    total = 0.0
    for j in range(gd.p):
        col = gd.x[:, j]
        col = col[~np.isnan(col)]
        total += -0.5 * len(col) * (LOG2PI + np.log(np.var(col)) + 1.0)
    return float(total)


def yuan_bentler(problem: Problem, sat_problem: Problem, theta, theta_sat, df: int,
                 observed: bool):
    """Huber–White covariance A⁻¹BA⁻¹ of θ̂ and the Yuan–Bentler scaling factor
    c = [tr(A₁⁻¹B₁) − tr(A₀⁻¹B₀)] / df (lavaan's ``estimator="MLR"``, test
    ``"yuan.bentler.mplus"``): A the information (observed, lavaan's default for MLR, or
    expected), B the cross-product of the casewise scores, subscript 1 the saturated
    model at its own (sample or EM) estimates ``theta_sat`` (lavaan always uses
    ``h1.information = "unstructured"`` for this test), 0 the model.
    Returns ``(vcov, c, tr(A₁⁻¹B₁))``."""
    a0 = problem.observed(theta) if observed else problem.expected(theta)
    s0 = problem.scores(theta)
    b0 = s0.T @ s0
    a0_inv = np.linalg.inv(a0)
    vcov = a0_inv @ b0 @ a0_inv
    a1 = sat_problem.observed(theta_sat) if observed else sat_problem.expected(theta_sat)
    s1 = sat_problem.scores(theta_sat)
    b1 = s1.T @ s1
    tr1 = float(np.trace(np.linalg.solve(a1, b1)))
    tr0 = float(np.trace(a0_inv @ b0))
    c = (tr1 - tr0) / df if df > 0 else np.nan
    return vcov, c, tr1


def independence_trace_fiml(gd: GroupData) -> float:
    """tr(A⁻¹B) of the independence model (free means and variances) with missing
    answers: at its estimates (each item's available answers) the information is
    diagonal per item, so the trace is Σⱼ [1 + (κⱼ − 1)/2], κⱼ the standardised fourth
    moment of item j's available answers."""
    total = 0.0
    for j in range(gd.p):
        col = gd.x[:, j]
        col = col[~np.isnan(col)]
        r = col - col.mean()
        total += 1.0 + (np.mean(r**4) / np.mean(r**2) ** 2 - 1.0) / 2
    return float(total)


def mlr_complete(ram, theta: np.ndarray, x: np.ndarray):
    """MLR for complete answers and a covariance-only model (means saturated).

    lavaan's ``estimator="MLR"`` (test ``"yuan.bentler.mplus"``): the bread is the
    observed information (the Hessian), the meat the cross-product of the casewise
    scores; the model's trace tr(A₀⁻¹B₀) is taken at θ̂, the saturated model's
    tr(A₁⁻¹B₁) at the sample moments (lavaan always uses ``h1.information =
    "unstructured"`` for this test, R/lav_test_yuan_bentler.R). With saturated means,
    x̄ = μ̂ makes the mean block of both informations orthogonal to the covariance
    parameters and both mean traces equal p, so only the covariance scores
    ``½ D'vec(Σ⁻¹ r r' Σ⁻¹ − Σ⁻¹)`` (``r = x − x̄``) enter. Returns ``(trace, vcov)``
    with ``trace = tr(A₁⁻¹B₁) − tr(A₀⁻¹B₀)`` (the order of
    :func:`~cxpath.survey._sem_model.satorra_bentler`).
    """
    from ._sem_model import duplication

    n, p = x.shape
    sigma, e, c = ram.implied(theta)
    inv = np.linalg.inv(sigma)
    rows, cols = np.tril_indices(p)
    delta = ram.jacobian(e, c)[:, rows, cols].T  # (p*, k)
    xc = x - x.mean(axis=0)
    s = xc.T @ xc / n
    inv_s = np.linalg.inv(s)
    # casewise scores in vech Σ (lower, by rows): ½ (2 - δ_ab) (z_a z_b − inv_ab), at Σ(θ̂)
    # for the model's meat and at S for the saturated model's
    wt = np.where(rows == cols, 0.5, 1.0)
    ps = len(rows)
    b1 = np.zeros((ps, ps))
    b1_s = np.zeros((ps, ps))
    for s0 in range(0, n, 20_000):
        for w_inv, acc in ((inv, b1), (inv_s, b1_s)):
            z = xc[s0:s0 + 20_000] @ w_inv
            sc = (z[:, rows] * z[:, cols] - w_inv[rows, cols]) * wt
            acc += sc.T @ sc
    b1 /= n
    b1_s /= n
    dup = duplication(p)
    # observed information of the saturated model per respondent, at S (= expected there)
    a1 = 0.5 * dup.T @ np.kron(inv_s, inv_s) @ dup
    # observed information of the model: half the Hessian of F_ML, by central differences
    logdet_s = float(np.linalg.slogdet(s)[1])
    k = len(theta)
    hess = np.empty((k, k))
    for j in range(k):
        h = 1e-5 * max(1.0, abs(theta[j]))
        tp, tm = theta.copy(), theta.copy()
        tp[j] += h
        tm[j] -= h
        hess[:, j] = (ram.objective(tp, s, logdet_s)[1] - ram.objective(tm, s, logdet_s)[1]) \
            / (2 * h)
    a0 = 0.25 * (hess + hess.T)
    b0 = delta.T @ b1 @ delta
    a0_inv = np.linalg.inv(a0)
    vcov = a0_inv @ b0 @ a0_inv / n
    trace = float(np.trace(np.linalg.solve(a1, b1_s)) - np.trace(a0_inv @ b0))
    return trace, vcov


# --- model building for groups and mean structures ----------------------------------------

EQUAL_CLASSES = ("loadings", "intercepts", "residuals", "residual.covariances",
                 "lv.variances", "lv.covariances", "regressions", "means")


def _klass(spec, key) -> str:
    mat, i, j = key
    p = spec.p
    if mat == 0:
        return "loadings" if spec.entries[key][1] == "=~" else "regressions"
    if mat == 2:
        return "intercepts" if i < p else "means"
    if i == j:
        return "residuals" if i < p else "lv.variances"
    if i >= p and j >= p:
        return "lv.covariances"
    return "residual.covariances"


def build_groups(spec, n_groups: int, group_equal, std_lv: bool, partial=frozenset()):
    """Free parameters of every group, tied across groups by ``group_equal`` (lavaan's
    ``group.equal``) except the keys in ``partial`` (lavaan's ``group.partial``), with
    lavaan's defaults: intercepts free, latent means fixed at 0, freed in the groups
    after the first when the intercepts are equal; with ``std_lv`` the latent variances
    are freed likewise when the loadings are equal.

    Returns ``(frees, idxs, k)``: per group the list of keys ``(mat, i, j)``, their global
    indices, and the number of global parameters.
    """
    p, nv = spec.p, len(spec.names)
    ge = set(group_equal)
    base = [tuple(f) for f in spec.free]
    frees, idxs = [], []
    first: dict = {}
    k = 0
    for g in range(n_groups):
        keys = list(base) + [(2, i, 0) for i in range(p)]
        if g > 0 and "intercepts" in ge and "means" not in ge:
            keys += [(2, i, 0) for i in range(p, nv)]
        if g > 0 and std_lv and "loadings" in ge and "lv.variances" not in ge:
            keys += [(1, i, i) for i in range(p, nv) if (1, i, i) not in base]
        idx = []
        for key in keys:
            if g == 0:
                first[key] = k
                idx.append(k)
                k += 1
            elif key in first and _klass(spec, key) in ge and key not in partial:
                idx.append(first[key])
            else:
                idx.append(k)
                k += 1
        frees.append(keys)
        idxs.append(np.array(idx, dtype=np.int64))
    return frees, idxs, k


def release_tests(spec, gds, rams, frees, idxs, theta, observed: bool):
    """Score (Lagrange multiplier) tests of every cross-group equality, one at a time
    (lavaan's ``lavTestScore()`` univariate tests): releasing the copy of a tied
    parameter in group g adds δ to it, φ = Aθ + eⱼδ, and at the constrained estimate
    T = uⱼ² / (Iⱼⱼ − IⱼA (A'IA)⁻¹ A'Iⱼ), with u the score and I the information
    (expected, or observed with missing answers, as the fit's standard errors) of the
    parameterisation where every copy is free; the expected change is
    δ = uⱼ / (Iⱼⱼ − …). Returns ``(group, key, chi2, epc)`` lists."""
    tied = []
    full_idxs = []
    k_full = 0
    for g, (keys, idx) in enumerate(zip(frees, idxs)):
        new = np.empty(len(idx), dtype=np.int64)
        for r, key in enumerate(keys):
            new[r] = k_full
            k_full += 1
            if g > 0 and idx[r] in idxs[0]:
                tied.append((g, key, int(new[r])))
        full_idxs.append(new)
    if not tied:
        return [], [], np.empty(0), np.empty(0)
    k = len(theta)
    amap = np.zeros((k_full, k))
    phi = np.empty(k_full)
    for idx, new in zip(idxs, full_idxs):
        amap[new, idx] = 1.0
        phi[new] = theta[idx]
    prob = Problem([(rams[g], gds[g], full_idxs[g]) for g in range(len(gds))], k_full)
    u = -0.5 * prob.n * prob.fun(phi)[1]
    info = prob.observed(phi) if observed else prob.expected(phi)
    ia = info @ amap
    aia_inv = np.linalg.inv(amap.T @ ia)
    chi2, epc = [], []
    for _g, _key, j in tied:
        v_j = info[j, j] - ia[j] @ aia_inv @ ia[j]
        chi2.append(u[j] ** 2 / v_j if v_j > 0 else np.nan)
        epc.append(u[j] / v_j if v_j > 0 else np.nan)
    return ([t[0] for t in tied], [t[1] for t in tied], np.array(chi2), np.array(epc))


def fit_groups(spec, xs: list, group_equal, std_lv: bool, estimator: str, max_iter: int,
               func: str, partial=frozenset()) -> dict:
    """Fit one model to several groups (``xs``: one (n_g, p) array each, NaN for a missing
    answer) by full-information ML with a mean structure; see :func:`build_groups`."""
    from scipy import stats

    from .. import _validate as v
    from ..errors import CxpathWarning
    from .confirmatory import _rmsea_ci, _start

    if spec.fixed_x:
        v.fail("model", func, "a model without observed exogenous covariates (predictors "
               "that are data columns) for several groups or missing answers (FIML)",
               got=", ".join(spec.names[i] for i in spec.fixed_x))
    p = spec.p
    n_groups = len(xs)
    gds = [GroupData(x) for x in xs]
    frees, idxs, k = build_groups(spec, n_groups, group_equal, std_lv, partial)
    # saturated moments: sample (complete answers) or EM (missing answers)
    sat = []
    for g, gd in enumerate(gds):
        mu_s, sig_s, _it, ok = em_saturated(gd)
        if not ok:
            warn(f"{func}: the EM estimate of the saturated model of group "
                 f"{g + 1} did not converge", CxpathWarning, stacklevel=4)
        w = np.linalg.eigvalsh(sig_s)
        if w[0] <= 1e-10 * max(w[-1], 1e-300):
            v.fail("data", func, "a positive-definite covariance matrix in every group (no "
                   "item a linear combination of others, more respondents than items)",
                   got=f"smallest eigenvalue {w[0]:.3g} in group {g + 1} with {gd.n} "
                       f"respondents and {p} items", data=True)
        sat.append((mu_s, sig_s))
    moments = n_groups * (p * (p + 1) // 2 + p)
    df = moments - k
    if df < 0:
        v.fail("model", func, "an identified model (no more free parameters than means, "
               "variances and covariances)", got=f"{k} free parameters for {moments} "
               f"moments (df = {df})")
    theta = np.zeros(k)
    spec_free = [tuple(f) for f in spec.free]
    for g in reversed(range(n_groups)):
        st0 = _start(spec, sat[g][1])
        local = dict(zip(spec_free, st0))
        for key, gi in zip(frees[g], idxs[g]):
            if key[0] == 2:
                theta[gi] = sat[g][0][key[1]] if key[1] < p else 0.0
            else:
                theta[gi] = local.get(key, 1.0)
    m0 = np.zeros(len(spec.names))
    rams = [MeanRam(p, spec.a0, spec.s0, m0, frees[g]) for g in range(n_groups)]
    prob = Problem([(rams[g], gds[g], idxs[g]) for g in range(n_groups)], k)
    theta, iterations, f, grad = prob.optimise(theta, max_iter)
    converged = bool(f < 1e9 and np.max(np.abs(grad)) < 1e-5)
    missing = not all(gd.complete for gd in gds)
    info = prob.observed(theta) if missing else prob.expected(theta)
    ev = np.linalg.eigvalsh(info)
    if ev[0] <= 1e-9 * max(ev[-1], 1e-300):
        v.fail("model", func, "an identified model (the information matrix is singular: "
               "fix a loading or a variance, or drop a parameter)",
               got=f"smallest eigenvalue {ev[0]:.3g} of the information matrix")
    if not converged:
        warn(f"{func}: the optimiser did not converge after {iterations} "
             f"iterations (largest gradient {np.max(np.abs(grad)):.3g}); raise "
             "max_iter or check the model", CxpathWarning, stacklevel=4)
    vcov = np.linalg.inv(info)
    m2ll = prob.m2ll_groups(theta)
    sat_m2ll = np.array([group_m2ll(mu_s, sig_s, None, None, gd, grad=False)[0]
                         for (mu_s, sig_s), gd in zip(sat, gds)])
    chi2_g = m2ll - sat_m2ll
    chi2 = float(chi2_g.sum())
    n = prob.n
    chi2_sc = c_sc = p_sc = c_base = np.nan
    if estimator == "MLR":
        sats = [Saturated(p) for _ in gds]
        off = np.cumsum([0] + [s.k for s in sats])
        sat_prob = Problem([(sats[g], gds[g], np.arange(off[g], off[g + 1]))
                            for g in range(n_groups)], int(off[-1]))
        th_sat = np.concatenate([sats[g].pack(*sat[g]) for g in range(n_groups)])
        vcov, c_sc, tr1 = yuan_bentler(prob, sat_prob, theta, th_sat, df, True)
        if df > 0:
            chi2_sc = chi2 / c_sc
            p_sc = float(stats.chi2.sf(chi2_sc, df))
    se_free = np.sqrt(np.clip(np.diag(vcov), 0.0, None))
    ll_ind = np.array([independence_loglik(gd) for gd in gds])
    b_chi2 = float(np.sum(-sat_m2ll - 2 * ll_ind))
    b_df = n_groups * p * (p - 1) // 2
    if estimator == "MLR" and b_df > 0:
        c_base = (tr1 - sum(independence_trace_fiml(gd) for gd in gds)) / b_df
    cfi_den = max(chi2 - df, b_chi2 - b_df, 0.0)
    cfi = 1.0 - max(chi2 - df, 0.0) / cfi_den if cfi_den > 0 else 1.0
    tli = ((b_chi2 / b_df - chi2 / df) / (b_chi2 / b_df - 1.0)
           if df > 0 and b_df > 0 else np.nan)
    root_g = np.sqrt(n_groups)
    rmsea = float(np.sqrt(max(chi2 - df, 0.0) / (df * n)) * root_g) if df > 0 else np.nan
    lo, hi = _rmsea_ci(chi2, df, n) if df > 0 else (np.nan, np.nan)
    lo, hi = lo * root_g, hi * root_g
    pclose = (float(stats.ncx2.sf(chi2, df, 0.05**2 * df * n / n_groups)) if df > 0
              else np.nan)
    # per-group tables, implied moments and SRMR (means included, as lavaan)
    rows = []
    srmr_g = []
    implied = []
    for g in range(n_groups):
        ram = rams[g]
        th = theta[idxs[g]]
        a_hat, s_hat, m_hat = ram.matrices(th)
        _e, c, em = ram.full(th)
        sd = np.sqrt(np.clip(np.diag(c), 0.0, None))
        where = dict(zip(frees[g], idxs[g]))
        for lhs, op, rhs, mat, i, j, _ in spec.table:
            val = (a_hat if mat == 0 else s_hat)[i, j]
            if mat == 0:
                std = val * sd[j] / sd[i]
            elif i == j:
                std = val / c[i, i]
            else:
                d = np.sqrt(abs(s_hat[i, i] * s_hat[j, j]))
                std = val / d if d > 0 else np.nan
            gi = where.get((mat, i, j), -1)
            rows.append((g, lhs, op, rhs, gi, val, std))
        for i, nm in enumerate(spec.names):
            gi = where.get((2, i, 0), -1)
            val = m_hat[i]
            rows.append((g, nm, "~1", "", gi, val, val / sd[i] if sd[i] > 0 else np.nan))
        mu_i, sig_i = em[:p], c[:p, :p]
        implied.append((mu_i, sig_i, c, em))
        mu_s, sig_s = sat[g]
        sdv = np.sqrt(np.diag(sig_s))
        rc = ((sig_s - sig_i) / np.outer(sdv, sdv))[np.tril_indices(p)]
        rm = (mu_s - mu_i) / sdv
        srmr_g.append(float(np.sqrt((np.sum(rc**2) + np.sum(rm**2)) / (len(rc) + p))))
    ns = np.array([gd.n for gd in gds])
    srmr = float(np.sum(ns * np.array(srmr_g)) / n)
    rel = release_tests(spec, gds, rams, frees, idxs, theta, missing)
    idx_col = np.array([r[4] for r in rows], dtype=np.int64)
    est = np.array([r[5] for r in rows])
    se = np.where(idx_col >= 0, se_free[np.clip(idx_col, 0, None)], np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = est / se
    ll = -0.5 * float(m2ll.sum())
    ll_sat = -0.5 * float(sat_m2ll.sum())
    heywood = sorted({r[1] for r, val in zip(rows, est)
                      if r[2] == "~~" and r[1] == r[3] and r[4] >= 0 and val < 0})
    if heywood:
        warn(f"{func}: negative variance estimate(s) for {', '.join(heywood)} "
             "(a Heywood case): the model is misspecified or the sample too "
             "small", CxpathWarning, stacklevel=4)
    return {"group_index": np.array([r[0] for r in rows], dtype=np.int64),
            "lhs": np.array([r[1] for r in rows]), "op": np.array([r[2] for r in rows]),
            "rhs": np.array([r[3] for r in rows]), "param": idx_col, "est": est, "se": se,
            "z": z, "p_value": 2 * stats.norm.sf(np.abs(z)),
            "std_all": np.array([r[6] for r in rows]), "free": idx_col >= 0,
            "theta": theta, "vcov": vcov, "chi2": chi2, "chi2_groups": chi2_g, "df": df,
            "p_chi2": float(stats.chi2.sf(chi2, df)) if df > 0 else np.nan,
            "baseline_chi2": b_chi2, "baseline_df": b_df, "cfi": float(cfi),
            "tli": float(tli), "rmsea": rmsea, "rmsea_low": float(lo),
            "rmsea_high": float(hi), "rmsea_p_close": pclose, "srmr": srmr,
            "loglik": ll, "loglik_saturated": ll_sat, "aic": -2 * ll + 2 * k,
            "bic": -2 * ll + k * np.log(n), "n_obs": ns, "n_free": k,
            "iterations": iterations, "converged": converged, "missing": missing,
            "chi2_scaled": float(chi2_sc), "scaling_factor": float(c_sc),
            "baseline_scaling_factor": float(c_base),
            "p_scaled": float(p_sc), "sat": sat, "implied": implied, "rams": rams,
            "release": rel,
            "idxs": idxs}
