"""Private core of DWLS / WLSMV estimation for ordinal items (:mod:`cxpath.survey.ordinal_cfa`).

Three pieces, each as lavaan computes it:

* :func:`ordinal_moments`: thresholds from the univariate margins, two-step polychoric
  correlations, and the asymptotic covariance Γ of (thresholds, correlations) from the
  casewise scores (Muthén 1984; Muthén, du Toit & Spisic 1997): with ``SC`` the n x q
  matrix of per-respondent scores (the univariate probit scores of the thresholds, then
  the bivariate scores of each correlation), ``INNER = SC'SC`` and
  ``B = [[A11, 0], [A21, A22]]`` (``A11`` the per-item blocks of ``INNER``, ``A21`` the
  cross-products of each correlation's score with the bivariate threshold scores,
  ``A22`` the diagonal of the correlation scores' squares), the covariance of the
  estimates is ``B⁻¹ INNER B⁻ᵀ`` (lavaan's ``muthen1984``); ``nacov = n`` times it.
* :func:`dwls` : the diagonally weighted least-squares fit of a factor model to the
  polychoric correlations (delta parameterisation: the latent responses have unit
  variance, residual variances are ``1 - diag(ΛΦΛ')``; thresholds are saturated and equal
  the sample thresholds).
* :func:`robust` : sandwich standard errors and the mean-and-variance adjusted
  (scaled-and-shifted) statistic of Asparouhov & Muthén (2010), lavaan's
  ``test="scaled.shifted"`` (the default of ``estimator="WLSMV"``).
"""

from __future__ import annotations

import numpy as np

from ._sem_model import RamModel

__all__: list[str] = []


def _phi(x):
    return np.exp(-0.5 * x * x) / np.sqrt(2.0 * np.pi)


def ordinal_moments(codes: np.ndarray, ncat: list[int], fit_pair, labels) -> dict:
    """Thresholds, polychoric matrix, casewise scores and Γ of complete ordinal answers.

    ``codes`` (n, p) holds 0-based categories; ``fit_pair(table, where)`` returns the
    two-step rho of a table (the existing :mod:`ordinal` estimator).
    """
    from scipy.special import ndtr

    from .ordinal import _cells, _grid, _table, _thresholds

    n, p = codes.shape
    taus = [_thresholds(np.bincount(codes[:, j], minlength=ncat[j]).astype(float))
            for j in range(p)]
    nth = [len(t) for t in taus]
    th_end = np.cumsum(nth)
    th_start = th_end - nth
    tot_th = int(th_end[-1]) if p else 0
    rows, cols = np.triu_indices(p, 1)
    pstar = len(rows)
    q = tot_th + pstar
    sc = np.empty((n, q))
    a11 = np.zeros((tot_th, tot_th))
    # univariate probit scores: d log P(c) / d tau_k
    for j in range(p):
        t = np.concatenate([[-np.inf], taus[j], [np.inf]])
        pc = ndtr(t[1:]) - ndtr(t[:-1])
        dens = _phi(taus[j])
        k = nth[j]
        s = np.zeros((k + 1, k))
        s[np.arange(k), np.arange(k)] = dens / pc[:k]          # upper threshold of c
        s[np.arange(1, k + 1), np.arange(k)] -= dens / pc[1:]  # lower threshold of c
        sl = slice(th_start[j], th_end[j])
        sc[:, sl] = s[codes[:, j]]
        cnt = np.bincount(codes[:, j], minlength=k + 1).astype(float)
        a11[sl, sl] = (s * cnt[:, None]).T @ s
    r = np.eye(p)
    a21 = np.zeros((pstar, tot_th))
    a22 = np.zeros(pstar)
    for m, (i, j) in enumerate(zip(rows, cols)):
        table = _table(codes[:, i], codes[:, j], ncat[i], ncat[j])
        rho = fit_pair(table, f"items {labels[i]!r} and {labels[j]!r}")
        r[i, j] = r[j, i] = rho
        a, b = taus[i], taus[j]
        f, d1, _ = _grid(a, b, rho)
        pi = np.maximum(_cells(f), 1e-300)
        s_rho = _cells(d1) / pi
        sq = np.sqrt(1.0 - rho * rho)
        big_a = np.concatenate([[-np.inf], a, [np.inf]])
        big_b = np.concatenate([[-np.inf], b, [np.inf]])
        g = _phi(a)[:, None] * ndtr((big_b[None, :] - rho * a[:, None]) / sq)
        dg = g[:, 1:] - g[:, :-1]                 # (ka, nb): d pi[k, c] / d a_k
        h = _phi(b)[:, None] * ndtr((big_a[None, :] - rho * b[:, None]) / sq)
        dh = h[:, 1:] - h[:, :-1]                 # (kb, na): d pi[r, l] / d b_l
        ka, kb = len(a), len(b)
        s_a = np.zeros((*pi.shape, ka))
        s_a[np.arange(ka), :, np.arange(ka)] = dg
        s_a[np.arange(1, ka + 1), :, np.arange(ka)] -= dg
        s_a /= pi[..., None]
        s_b = np.zeros((*pi.shape, kb))
        s_b[:, np.arange(kb), np.arange(kb)] = dh.T
        s_b[:, np.arange(1, kb + 1), np.arange(kb)] -= dh.T
        s_b /= pi[..., None]
        w = table * s_rho
        a21[m, th_start[i]:th_end[i]] = np.einsum("rc,rck->k", w, s_a)
        a21[m, th_start[j]:th_end[j]] = np.einsum("rc,rck->k", w, s_b)
        a22[m] = float((table * s_rho**2).sum())
        sc[:, tot_th + m] = s_rho[codes[:, i], codes[:, j]]
    inner = sc.T @ sc
    big = np.zeros((q, q))
    big[:tot_th, :tot_th] = a11
    big[tot_th:, :tot_th] = a21
    big[tot_th:, tot_th:] = np.diag(a22)
    b_inv = np.linalg.inv(big)
    acov = b_inv @ inner @ b_inv.T
    return {"taus": taus, "r": r, "acov": (acov + acov.T) / 2.0, "nacov": n * (acov + acov.T)
            / 2.0, "n_thresholds": tot_th, "rows": rows, "cols": cols}


class DeltaModel:
    """A factor model of latent responses with unit variances (delta parameterisation)."""

    def __init__(self, p: int, a0: np.ndarray, s0: np.ndarray, free: list):
        s0 = s0.copy()
        s0[np.arange(p), np.arange(p)] = 0.0
        self.ram = RamModel(p, a0, s0, free)
        self.p = p
        self.rows, self.cols = np.triu_indices(p, 1)

    def implied(self, theta: np.ndarray) -> np.ndarray:
        """Off-diagonal implied correlations and the common part's diagonal."""
        sigma, _, _ = self.ram.implied(theta)
        return sigma

    def jacobian(self, theta: np.ndarray) -> np.ndarray:
        _, e, c = self.ram.implied(theta)
        return self.ram.jacobian(e, c)[:, self.rows, self.cols].T  # (p*, k)


def dwls(model: DeltaModel, r: np.ndarray, w: np.ndarray, start: np.ndarray,
         max_iter: int) -> tuple[np.ndarray, int, bool]:
    """Minimise sum w (r - sigma(theta))^2 over the off-diagonal correlations."""
    from scipy import optimize

    rv = r[model.rows, model.cols]
    sw = np.sqrt(w)

    def resid(theta):
        return sw * (rv - model.implied(theta)[model.rows, model.cols])

    def jac(theta):
        return -sw[:, None] * model.jacobian(theta)

    if model.ram.k == 0:
        return start, 0, True
    res = optimize.least_squares(resid, start, jac=jac, method="trf", xtol=1e-14,
                                 ftol=1e-14, gtol=1e-12, max_nfev=max_iter)
    return res.x, int(res.nfev), bool(res.status > 0)


def scaled_shifted(t: float, df: int, ug: np.ndarray) -> tuple[float, float, float]:
    """Asparouhov & Muthén (2010) scaled-and-shifted statistic: a T + b with
    a = sqrt(df / tr(UΓ UΓ)), b = df - a tr(UΓ); returns (statistic, 1/a, b)."""
    if df <= 0:
        return np.nan, np.nan, np.nan
    tr1 = float(np.trace(ug))
    tr2 = float(np.sum(ug * ug.T))
    a = np.sqrt(df / tr2)
    b = df - a * tr1
    return a * t + b, 1.0 / a, b


def robust(delta: np.ndarray, w: np.ndarray, gamma: np.ndarray, n: int):
    """Sandwich covariance of the estimates and U Γ (U = W − WΔ(Δ'WΔ)⁻¹Δ'W), W diagonal."""
    wd = w[:, None] * delta
    a_inv = np.linalg.inv(delta.T @ wd)
    vcov = a_inv @ (wd.T @ gamma @ wd) @ a_inv / n
    u = np.diag(w) - wd @ a_inv @ wd.T
    return (vcov + vcov.T) / 2.0, u @ gamma
