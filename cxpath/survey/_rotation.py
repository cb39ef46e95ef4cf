"""Factor rotations: varimax and promax (Kaiser normalised) and GPA oblimin.

Written from the published algorithms: Kaiser (1958) varimax as in R ``stats::varimax``,
Hendrickson & White (1964) promax, and the gradient projection algorithm of Bernaards &
Jennrich (2005) for oblique criteria.
"""

from __future__ import annotations

import numpy as np

from .._warnings import warn
from ..errors import CxpathWarning

__all__ = ["oblimin", "promax", "varimax"]


def varimax(a: np.ndarray, *, normalize: bool = True, tol: float = 1e-14,
            max_iter: int = 100_000) -> tuple[np.ndarray, np.ndarray]:
    """Varimax rotation; returns the rotated loadings and the orthogonal rotation matrix.

    The iteration (Kaiser's SVD form) converges linearly and can be slow when the criterion
    is flat: R's default relative tolerance 1e-5 can stop with loadings 1e-3 away from the
    optimum, so the default here is 1e-14 (iterations are cheap).
    """
    p, m = a.shape
    x = a.copy()
    if normalize:
        h = np.sqrt((x**2).sum(axis=1))
        h[h == 0] = 1.0
        x = x / h[:, None]
    t = np.eye(m)
    d = 0.0
    for _ in range(max_iter):
        z = x @ t
        b = x.T @ (z**3 - z * ((z**2).sum(axis=0) / p))
        u, s, vt = np.linalg.svd(b)
        t = u @ vt
        d_old, d = d, s.sum()
        if d < d_old * (1 + tol):
            break
    else:
        warn("varimax rotation did not converge", CxpathWarning, stacklevel=3)
    z = x @ t
    if normalize:
        z = z * h[:, None]
    return z, t


def promax(a: np.ndarray, *, power: int = 4, normalize: bool = True, tol: float = 1e-14):
    """Promax rotation; returns pattern loadings, rotation matrix and factor correlations.

    The varimax solution of the (row-normalised) loadings is raised elementwise to
    ``power`` (keeping signs) to form a target; the least-squares transformation towards it
    is rescaled to unit-length factors.
    """
    if normalize:
        h = np.sqrt((a**2).sum(axis=1))
        h[h == 0] = 1.0
        x0 = a / h[:, None]
    else:
        x0 = a
    x, t = varimax(x0, normalize=False, tol=tol)
    target = x * np.abs(x) ** (power - 1)
    u = np.linalg.lstsq(x, target, rcond=None)[0]
    d = np.diag(np.linalg.inv(u.T @ u))
    u = u * np.sqrt(d)[None, :]
    z = x @ u
    if normalize:
        z = z * h[:, None]
    u_inv = np.linalg.inv(u)
    phi = u_inv @ u_inv.T
    return z, t @ u, phi


def _oblimin_criterion(lam: np.ndarray, gamma: float):
    p, m = lam.shape
    l2 = lam**2
    n = np.ones((m, m)) - np.eye(m)
    x = l2 @ n
    if gamma != 0:
        x = x - gamma / p * np.ones((p, p)) @ x
    return (l2 * x).sum() / 4.0, lam * x


def _gpa_oblimin(a: np.ndarray, t: np.ndarray, gamma: float, tol: float, max_iter: int):
    """One run of the oblique gradient projection algorithm from the transformation
    ``t``: ``(pattern, t, criterion, converged)``."""
    al = 1.0
    t_inv = np.linalg.inv(t)
    lam = a @ t_inv.T
    f, gq = _oblimin_criterion(lam, gamma)
    g = -(lam.T @ gq @ t_inv).T
    for _ in range(max_iter + 1):
        gp = g - t @ np.diag((t * g).sum(axis=0))
        s = np.sqrt((gp**2).sum())
        if s < tol:
            return lam, t, f, True
        al *= 2.0
        for _ in range(11):
            xm = t - al * gp
            tt = xm / np.sqrt((xm**2).sum(axis=0))[None, :]
            tt_inv = np.linalg.inv(tt)
            lam_t = a @ tt_inv.T
            ft, gq_t = _oblimin_criterion(lam_t, gamma)
            if f - ft > 0.5 * s**2 * al:
                break
            al /= 2.0
        t, f, lam, gq = tt, ft, lam_t, gq_t
        g = -(lam.T @ gq @ tt_inv).T
    return lam, t, f, False


def oblimin(a: np.ndarray, *, gamma: float = 0.0, tol: float = 1e-8, max_iter: int = 1000,
            n_starts: int = 5):
    """Direct oblimin by gradient projection; returns pattern, transformation and phi.

    ``gamma = 0`` is quartimin. The pattern is ``a @ inv(T).T`` and ``phi = T.T @ T`` for
    the oblique transformation ``T`` with unit-length columns.

    The algorithm starts from the unrotated solution and, as Bernaards & Jennrich (2005)
    recommend against local optima, from ``n_starts`` random orthogonal transformations
    (fixed seed, so the result is reproducible); the solution with the smallest criterion
    is kept, the unrotated start's unless another is lower by more than 1e-9 (relative).
    The unrotated solution can be a stationary point that is no minimum: two factors
    whose loadings are symmetric under a reflection give a zero gradient at the identity.
    """
    m = a.shape[1]
    best = _gpa_oblimin(a, np.eye(m), gamma, tol, max_iter)
    rng = np.random.default_rng(20050101)
    for _ in range(n_starts):
        q, r = np.linalg.qr(rng.standard_normal((m, m)))
        res = _gpa_oblimin(a, q * np.sign(np.diag(r))[None, :], gamma, tol, max_iter)
        if res[2] < best[2] - 1e-9 * max(1.0, abs(best[2])):
            best = res
    lam, t, _f, converged = best
    if not converged:
        warn("oblimin rotation did not converge", CxpathWarning, stacklevel=3)
    return lam, t, t.T @ t
