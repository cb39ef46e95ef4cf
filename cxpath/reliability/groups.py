"""One Weibull fit per group (part number, batch, supplier) in a single kernel pass."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import _validate as v
from .._budget import check_memory
from .._lazy import lazy_module
from .._results import Result, result

stats = lazy_module("scipy.stats")

__all__ = ["GroupFits", "fit_groups"]


@result
class GroupFits(Result):
    """2-parameter Weibull maximum-likelihood fits, one row per group.

    Rows where no fit exists (fewer than two failures, failures at one time only, or
    every failure at the group's largest time) hold NaN and say why in ``note``.

    Attributes
    ----------
    group : ndarray
        Group labels, sorted.
    n_units, n_failures : ndarray of float
    alpha, beta : ndarray of float
        Scale and shape.
    alpha_lower, alpha_upper, beta_lower, beta_upper : ndarray of float
        Fisher-matrix bounds at ``level`` (``θ exp(± z se / θ)``).
    b10 : ndarray of float
        Time by which 10 % of the group's units fail.
    log_likelihood : ndarray of float
    note : ndarray of str
    level : float
    """

    group: np.ndarray
    n_units: np.ndarray
    n_failures: np.ndarray
    alpha: np.ndarray
    beta: np.ndarray
    alpha_lower: np.ndarray
    alpha_upper: np.ndarray
    beta_lower: np.ndarray
    beta_upper: np.ndarray
    b10: np.ndarray
    log_likelihood: np.ndarray
    note: np.ndarray
    level: float

    _key = "group"

    def _title(self) -> str:
        return "Weibull fits by group"

    def _summary(self) -> list[str]:
        ok = int(np.isfinite(self.beta).sum())
        return [f"{ok} of {self.group.size} groups fitted; {self.level:.0%} Fisher-matrix "
                "bounds"]

    def _columns(self) -> dict:
        return {"group": self.group, "n_units": self.n_units, "n_failures": self.n_failures,
                "alpha": self.alpha, "beta": self.beta, "alpha_lower": self.alpha_lower,
                "alpha_upper": self.alpha_upper, "beta_lower": self.beta_lower,
                "beta_upper": self.beta_upper, "b10": self.b10,
                "log_likelihood": self.log_likelihood, "note": self.note}


def fit_groups(time: Any, group: Any, *, failed: Any = None, count: Any = None,
               level: float = 0.95) -> GroupFits:
    """Fit a 2-parameter Weibull by maximum likelihood to every group at once.

    The per-group fits are those of :func:`cxpath.reliability.fit` with
    ``distribution='weibull'`` (same kernel, same estimates), computed in one pass over
    the units sorted by group, so 10,000 part numbers take milliseconds.

    Parameters
    ----------
    time : array-like of float
        Failure or censoring time of each row.
    group : array-like
        Group label of each row (part number, batch…).
    failed : array-like of bool, optional
        True for a failure, False for a right-censored unit; default all failed.
    count : array-like of float, optional
        Units in each row; default 1.
    level : float, default 0.95

    Returns
    -------
    GroupFits

    Raises
    ------
    DataError
        For a NaN, negative or (for a failure) zero time, or arrays of different lengths.

    Examples
    --------
    >>> from cxpath.reliability import fit_groups
    >>> g = fit_groups([16, 34, 53, 75, 93, 120, 5, 9], ["A"] * 6 + ["B"] * 2)
    >>> g.group.tolist(), round(float(g.beta[0]), 3)
    (['A', 'B'], 1.933)
    """
    from .._kernels.reliability import weibull_groups

    func = "reliability.fit_groups"
    t = v.as_float_array(time, "time", func, low=0.0)
    labels = np.asarray(group)
    if labels.ndim != 1:
        v.fail("group", func, "a 1-dimensional array", got=f"an array of shape {labels.shape}")
    f = np.ones(t.size, dtype=bool) if failed is None else _flags(failed, func)
    w = np.ones(t.size) if count is None else v.as_float_array(count, "count", func, low=0.0)
    v.check_same_length(func, time=t, group=labels, failed=f, count=w)
    level = v.check_real(level, "level", func, low=0.0, high=1.0, closed="neither")
    bad = f & (t <= 0)
    if bad.any():
        i = int(np.argmax(bad))
        v.fail("time", func, "positive where the unit failed", data=True,
               got=f"{t[i]:g} at position {i}")
    check_memory(t.size * 48.0, func, "the units sorted by group")
    try:
        names, inverse = np.unique(labels, return_inverse=True)
    except TypeError:
        v.fail("group", func, "labels of one comparable type", data=True,
               got="labels of mixed types")
    order = np.argsort(inverse, kind="stable")
    counts = np.bincount(inverse, minlength=names.size)
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    log_t = np.ascontiguousarray(np.log(np.maximum(t[order], 1e-300)))
    fw = np.ascontiguousarray(np.where(f, w, 0.0)[order])
    ww = np.ascontiguousarray(w[order])
    out = weibull_groups(log_t, fw, ww, offsets)
    alpha, beta, ll = out[:, 0].copy(), out[:, 1].copy(), out[:, 2].copy()
    r, n = out[:, 3], out[:, 4]
    # distinct failure times per group (a shape needs two)
    ft = np.where(fw > 0, log_t, np.nan)
    gid = np.repeat(np.arange(names.size), counts)
    pairs = np.unique(np.column_stack([gid, ft])[np.isfinite(ft)], axis=0)
    distinct = np.bincount(pairs[:, 0].astype(np.int64), minlength=names.size)
    note = np.full(names.size, "", dtype=object)
    status = out[:, 8]
    note[status == 3] = "the shape did not converge"
    note[status == 2] = "every failure at the largest time: no finite maximum"
    note[distinct < 2] = "failures at fewer than two distinct times"
    note[r < 2] = "fewer than 2 failures"
    note[r <= 0] = "no failure"
    bad = note != ""
    bad &= status != 3
    alpha[bad], beta[bad], ll[bad] = np.nan, np.nan, np.nan
    haa, hab, hbb = out[:, 5], out[:, 6], out[:, 7]
    det = haa * hbb - hab * hab
    with np.errstate(invalid="ignore", divide="ignore"):
        var_a = -hbb / det
        var_b = -haa / det
        se_a, se_b = np.sqrt(np.maximum(var_a, 0)), np.sqrt(np.maximum(var_b, 0))
        z = float(stats.norm.ppf(0.5 + level / 2))
        a_lo, a_hi = alpha * np.exp(-z * se_a / alpha), alpha * np.exp(z * se_a / alpha)
        b_lo, b_hi = beta * np.exp(-z * se_b / beta), beta * np.exp(z * se_b / beta)
        b10 = alpha * (-math.log(0.9)) ** (1 / beta)
    return GroupFits(names, n, r.copy(), alpha, beta, a_lo, a_hi, b_lo, b_hi, b10, ll, note,
                     level)


def _flags(x, func: str) -> np.ndarray:
    arr = np.asarray(x)
    if arr.dtype.kind == "b":
        return np.ascontiguousarray(arr, dtype=bool)
    return v.as_int_array(x, "failed", func, low=0, high=1).astype(bool)
