"""Least squares with the covariances the impact estimators report.

Conventions are those of statsmodels' ``OLS(y, X).fit(cov_type=…, use_t=True)`` so that the
tests can compare to it on the same design matrix:

* ``classical``: ``s² (X'X)⁻¹`` with ``s² = e'e / (n − k)``;
* ``hc1``: White's sandwich times ``n / (n − k)``;
* ``hac``: Newey–West with Bartlett weights ``1 − l / (L + 1)``, ``l = 1 … L``, times
  ``n / (n − k)`` when ``small_sample`` (statsmodels ``use_correction=True``, Stata's
  ``newey``);
* ``cluster``: the sandwich of per-cluster score sums times
  ``G / (G − 1) · (n − 1) / (n − k)`` (statsmodels' and Stata's default), inference on
  ``G − 1`` degrees of freedom.

Examples
--------
>>> X = np.column_stack([np.ones(6), np.arange(6.0)])
>>> fit = ols(X, np.array([1.0, 2.9, 5.1, 7.0, 9.2, 10.8]), "f")
>>> np.round(fit.beta, 3).tolist()
[1.014, 1.994]
>>> default_lags(100), default_lags(500)
(4, 5)
"""

from __future__ import annotations

import math

import attrs
import numpy as np

from .. import _validate as v


def default_lags(n: int) -> int:
    """Newey and West's (1994) rule ``floor(4 (n / 100)^(2/9))``."""
    return math.floor(4 * (n / 100) ** (2 / 9))


@attrs.frozen
class Fit:
    """A least-squares fit: coefficients, residuals and ``(X'X)⁻¹``."""

    beta: np.ndarray
    resid: np.ndarray
    xtx_inv: np.ndarray
    n: int
    k: int


def ols(X: np.ndarray, y: np.ndarray, func: str, what: str = "the design") -> Fit:
    """Least squares; a rank-deficient design is a :class:`DataError` naming ``what``."""
    n, k = X.shape
    if n <= k:
        v.fail("y", func, f"longer than the {k} coefficients of {what}",
               got=f"{n} observation(s)", data=True)
    scale = np.sqrt((X * X).sum(axis=0))
    scale[scale == 0] = 1.0
    Xs = X / scale
    # normal equations on unit-length columns (matrix products only: LAPACK factorisations of
    # the tall n × k design are slow under threaded BLAS), one step of iterative refinement
    gram = Xs.T @ Xs
    eig = np.linalg.eigvalsh(gram)
    if eig[0] <= eig[-1] * 1e-14:
        v.fail("y", func, f"data that identify every coefficient of {what}",
               got="a design of deficient rank (a term is constant or a combination of "
                   "others: check that both groups and both periods are present)", data=True)
    inv = np.linalg.inv(gram)
    inv = (inv + inv.T) / 2
    beta_s = inv @ (Xs.T @ y)
    beta_s += inv @ (Xs.T @ (y - Xs @ beta_s))
    xtx_inv = inv / np.outer(scale, scale)
    beta = beta_s / scale
    return Fit(beta=beta, resid=y - X @ beta, xtx_inv=xtx_inv, n=n, k=k)


def cov_classical(X: np.ndarray, fit: Fit) -> np.ndarray:
    s2 = float(fit.resid @ fit.resid) / (fit.n - fit.k)
    return s2 * fit.xtx_inv


def _sandwich(fit: Fit, meat: np.ndarray) -> np.ndarray:
    b = fit.xtx_inv
    out = b @ meat @ b
    return (out + out.T) / 2


def cov_hc1(X: np.ndarray, fit: Fit) -> np.ndarray:
    u = X * fit.resid[:, None]
    return _sandwich(fit, u.T @ u) * fit.n / (fit.n - fit.k)


def cov_hac(X: np.ndarray, fit: Fit, lags: int, small_sample: bool) -> np.ndarray:
    u = X * fit.resid[:, None]
    meat = u.T @ u
    for lag in range(1, lags + 1):
        g = u[lag:].T @ u[:-lag]
        meat += (1 - lag / (lags + 1)) * (g + g.T)
    out = _sandwich(fit, meat)
    return out * fit.n / (fit.n - fit.k) if small_sample else out


def cov_cluster(X: np.ndarray, fit: Fit, codes: np.ndarray, n_groups: int) -> np.ndarray:
    u = X * fit.resid[:, None]
    sums = np.zeros((n_groups, X.shape[1]))
    np.add.at(sums, codes, u)
    c = n_groups / (n_groups - 1) * (fit.n - 1) / (fit.n - fit.k)
    return _sandwich(fit, sums.T @ sums) * c


def prais_winsten(X: np.ndarray, y: np.ndarray, func: str, *, tol: float = 1e-10,
                  max_iter: int = 200) -> tuple[Fit, np.ndarray, float, int]:
    """Iterated Prais–Winsten AR(1) GLS.

    ``rho`` is the regression of the residual on its lag (Stata ``prais``' default
    ``rhotype(regress)``), re-estimated from the residuals ``y − X β`` of each GLS fit
    until it changes by less than ``tol``. Returns the fit on the transformed data, its
    classical covariance, ``rho`` and the iterations used.
    """
    fit = ols(X, y, func)
    rho, it = 0.0, 0
    for it in range(1, max_iter + 1):  # noqa: B007 - the count is returned
        e = y - X @ fit.beta
        den = float(e[:-1] @ e[:-1])
        new = float(e[1:] @ e[:-1]) / den if den > 0 else 0.0
        new = min(max(new, -0.999), 0.999)
        done = abs(new - rho) < tol
        rho = new
        f = math.sqrt(1 - rho * rho)
        Xt = np.vstack([f * X[:1], X[1:] - rho * X[:-1]])
        yt = np.concatenate([f * y[:1], y[1:] - rho * y[:-1]])
        fit = ols(Xt, yt, func)
        if done:
            break
    return fit, cov_classical(Xt, fit), rho, it
