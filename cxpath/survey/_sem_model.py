"""RAM matrices of a structural equation model: implied covariance, ML discrepancy, its
analytic gradient and the expected information. Private helpers of
:mod:`cxpath.survey.confirmatory`.

With ``v`` model variables (observed first, then latent), the asymmetric matrix ``A``
(``A[i, j]``: the direct effect of ``j`` on ``i``, loadings included) and the symmetric
matrix ``S`` of (residual) variances and covariances, the implied covariance of the
``p`` observed variables is :math:`\\Sigma = F (I - A)^{-1} S (I - A)^{-T} F'`
(McArdle & McDonald 1984), ``F`` selecting the observed rows.
"""

from __future__ import annotations

import numpy as np

__all__ = ["RamModel"]


class RamModel:
    """Free parameters scattered into ``A`` / ``S``; Σ(θ), F_ML(θ), ∇F_ML and information.

    ``free`` lists ``(matrix, i, j)`` with ``matrix`` 0 for ``A`` and 1 for ``S``; ``a0`` and
    ``s0`` hold the fixed values (zeros elsewhere).
    """

    def __init__(self, n_obs_vars: int, a0: np.ndarray, s0: np.ndarray, free: list):
        self.p = n_obs_vars
        self.v = len(a0)
        self.a0 = a0
        self.s0 = s0
        kind = np.array([f[0] for f in free], dtype=np.int64)
        rows = np.array([f[1] for f in free], dtype=np.int64)
        cols = np.array([f[2] for f in free], dtype=np.int64)
        self.k = len(free)
        self.is_a = kind == 0
        self.ai, self.aj = rows[self.is_a], cols[self.is_a]
        self.si, self.sj = rows[~self.is_a], cols[~self.is_a]
        self.a_pos = np.flatnonzero(self.is_a)
        self.s_pos = np.flatnonzero(~self.is_a)

    def matrices(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        a = self.a0.copy()
        s = self.s0.copy()
        a[self.ai, self.aj] = theta[self.a_pos]
        s[self.si, self.sj] = theta[self.s_pos]
        s[self.sj, self.si] = theta[self.s_pos]
        return a, s

    def implied(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Σ (p x p), ``E = (I - A)^{-1}`` and the full covariance ``C = E S E'``."""
        a, s = self.matrices(theta)
        e = np.linalg.inv(np.eye(self.v) - a)
        c = e @ s @ e.T
        return c[: self.p, : self.p], e, c

    def jacobian(self, e: np.ndarray, c: np.ndarray) -> np.ndarray:
        """∂Σ/∂θ_k for every free parameter, shape (k, p, p)."""
        p = self.p
        fe = e[:p]  # F E, (p, v)
        cf = c[:, :p]  # C F', (v, p)
        d = np.empty((self.k, p, p))
        if len(self.a_pos):
            da = fe[:, self.ai].T[:, :, None] * cf[self.aj][:, None, :]
            d[self.a_pos] = da + da.transpose(0, 2, 1)
        if len(self.s_pos):
            ds = fe[:, self.si].T[:, :, None] * fe[:, self.sj].T[:, None, :]
            off = self.si != self.sj
            ds[off] = ds[off] + ds[off].transpose(0, 2, 1)
            d[self.s_pos] = ds
        return d

    def objective(self, theta: np.ndarray, s_obs: np.ndarray, logdet_s: float):
        """F_ML = log|Σ| + tr(S Σ⁻¹) − log|S| − p and its analytic gradient."""
        sigma, e, c = self.implied(theta)
        sign, logdet = np.linalg.slogdet(sigma)
        if sign <= 0 or not np.isfinite(logdet):
            return 1e10, np.zeros(self.k)
        try:
            inv = np.linalg.inv(sigma)
        except np.linalg.LinAlgError:
            return 1e10, np.zeros(self.k)
        si = s_obs @ inv
        f = logdet + np.trace(si) - logdet_s - self.p
        w = inv - inv @ si  # Σ⁻¹ − Σ⁻¹ S Σ⁻¹ (symmetric)
        g = np.einsum("kij,ij->k", self.jacobian(e, c), w)
        return float(f), g

    def information(self, theta: np.ndarray) -> np.ndarray:
        """Expected information per observation, ½ Δ'(Σ⁻¹ ⊗ Σ⁻¹) Δ (of the loglik / N)."""
        sigma, e, c = self.implied(theta)
        inv = np.linalg.inv(sigma)
        y = inv @ self.jacobian(e, c)
        return 0.5 * np.einsum("kij,lji->kl", y, y)


def duplication(p: int) -> np.ndarray:
    """The duplication matrix D (p² x p(p+1)/2): vec(A) = D vech(A) for symmetric A."""
    rows, cols = np.tril_indices(p)
    d = np.zeros((p * p, len(rows)))
    k = np.arange(len(rows))
    d[rows * p + cols, k] = 1.0
    d[cols * p + rows, k] = 1.0
    return d


def satorra_bentler(ram: RamModel, theta: np.ndarray, x: np.ndarray,
                    gamma: np.ndarray | None = None):
    """Satorra–Bentler scaling factor pieces and the robust (sandwich) covariance.

    Returns ``(trace(U Γ), vcov_robust)`` with Γ the asymptotic covariance of the sample
    covariances (fourth moments, divisor N), U = W − WΔ(Δ'WΔ)⁻¹Δ'W and
    W = ½ D'(Σ⁻¹ ⊗ Σ⁻¹)D at Σ(θ̂) (Satorra & Bentler 1994; lavaan ``estimator="MLM"``).
    ``gamma`` replaces the fourth-moment Γ (tests use the normal-theory one).
    """
    n, p = x.shape
    sigma, e, c = ram.implied(theta)
    inv = np.linalg.inv(sigma)
    dup = duplication(p)
    w = 0.5 * dup.T @ np.kron(inv, inv) @ dup
    rows, cols = np.tril_indices(p)
    delta = ram.jacobian(e, c)[:, rows, cols].T  # (p*, k)
    if gamma is None:
        xc = x - x.mean(axis=0)
        z = xc[:, rows] * xc[:, cols]
        z = z - z.mean(axis=0)
        gamma = z.T @ z / n
    wd = w @ delta
    a_inv = np.linalg.inv(delta.T @ wd)
    u = w - wd @ a_inv @ wd.T
    vcov = a_inv @ (wd.T @ gamma @ wd) @ a_inv / n
    return float(np.sum(u * gamma.T)), vcov


def independence_trace(x: np.ndarray, kind: str) -> float:
    """``tr(UΓ)`` of the independence model (diagonal Σ at the sample variances), the
    baseline counterpart of :func:`satorra_bentler` (``kind="MLM"``) and of
    :func:`~cxpath.survey._fiml.mlr_complete` (``kind="MLR"``), for the scaled baseline
    statistic behind lavaan's ``cfi.scaled`` / ``cfi.robust``.

    The model part is the same for both, Σⱼ (κⱼ − 1) / 2 with κⱼ the item's standardised
    fourth moment (the sandwich trace of the variances); the saturated part is
    tr(WΓ) with W at diag(S) (Satorra–Bentler, structured) or at S (Yuan–Bentler,
    Mplus variant, lavaan's MLR).
    """
    n, p = x.shape
    xc = x - x.mean(axis=0)
    rows, cols = np.tril_indices(p)
    z = xc[:, rows] * xc[:, cols]
    s_vech = z.mean(axis=0)
    z = z - s_vech
    gamma = z.T @ z / n
    s = np.zeros((p, p))
    s[rows, cols] = s_vech
    s[cols, rows] = s_vech
    var = np.diag(s)
    kurt = np.mean(xc**4, axis=0) / var**2
    h1 = np.diag(var) if kind == "MLM" else s
    inv = np.linalg.inv(h1)
    dup = duplication(p)
    w = 0.5 * dup.T @ np.kron(inv, inv) @ dup
    return float(np.sum(w * gamma.T) - np.sum(kurt - 1.0) / 2)
