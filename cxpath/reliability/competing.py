"""Competing failure modes: one distribution per mode, the system as their series.

Each unit fails of one mode (recorded) or survives. A mode's fit treats the failures of
every other mode as right-censored at their failure time (those units were still free of
this mode when they left the population), which is the standard analysis of competing
risks with independent modes (Meeker & Escobar 1998, §15.2; Nelson 1982, ch. 5). The
system survives ``t`` when no mode has struck: ``R(t) = Π R_k(t)``, ``h(t) = Σ h_k(t)``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import _validate as v
from .._lazy import lazy_module
from .._results import Result, derived_columns, result
from .._typing import ArrayLike
from ..errors import DataError
from ._models import FAMILIES
from .data import LifeData
from .fitting import LifeFit, fit

optimize = lazy_module("scipy.optimize")

__all__ = ["CompetingModes", "fit_competing"]

_PARAMS = sorted({p for fam in FAMILIES.values() for p in fam.params})


@result
class CompetingModes(Result):
    """Fits of competing failure modes and the system they make up.

    The table has one row per mode with its failures and parameter estimates.

    Attributes
    ----------
    mode : ndarray
        Mode labels, sorted.
    n_failures : ndarray of float
        Failures of each mode.
    fits : tuple of LifeFit
        The fit of each mode (other modes' failures as right-censored).
    distribution : str
    n_units : float
    """

    mode: np.ndarray
    n_failures: np.ndarray
    fits: tuple
    distribution: str
    n_units: float

    _derived = derived_columns({p: f"estimate of the mode's '{p}' (``fits[i].params['{p}']``)"
                                for p in _PARAMS})
    _key = "mode"

    def _title(self) -> str:
        return f"Competing failure modes ({self.distribution})"

    def _summary(self) -> list[str]:
        return [f"{self.mode.size} modes, {self.n_failures.sum():g} failures of "
                f"{self.n_units:g} units"]

    def _columns(self) -> dict:
        cols = {"mode": self.mode, "n_failures": self.n_failures}
        for j, name in enumerate(self.fits[0].parameter):
            cols[str(name)] = np.array([f.estimate[j] for f in self.fits])
        cols["log_likelihood"] = self.log_likelihood
        return cols

    @property
    def log_likelihood(self) -> np.ndarray:
        """Log-likelihood of each mode's fit."""
        return np.array([f.log_likelihood for f in self.fits])

    def fit_of(self, mode: Any) -> LifeFit:
        """The fit of one mode."""
        hits = [i for i, m in enumerate(self.mode) if m == mode]
        if not hits:
            v.fail("mode", "reliability.CompetingModes.fit_of",
                   "one of " + ", ".join(map(repr, self.mode.tolist())), mode)
        return self.fits[hits[0]]

    def reliability(self, t: ArrayLike) -> Any:
        """System reliability ``Π R_k(t)``."""
        out = np.asarray(self.fits[0].reliability(t))  # checks ``t`` (the shaped error)
        for f in self.fits[1:]:
            out = out * np.asarray(f.reliability(t))
        return float(out) if out.ndim == 0 else out

    def cdf(self, t: ArrayLike) -> Any:
        """System probability of failure by ``t`` (any mode)."""
        r = self.reliability(t)
        return 1.0 - r

    def hazard(self, t: ArrayLike) -> Any:
        """System hazard ``Σ h_k(t)``."""
        out = np.asarray(self.fits[0].hazard(t))
        for f in self.fits[1:]:
            out = out + np.asarray(f.hazard(t))
        return float(out) if out.ndim == 0 else out

    def b_life(self, percent: float = 10.0) -> float:
        """Time by which ``percent`` % of units have failed of any mode."""
        func = "reliability.CompetingModes.b_life"
        percent = v.check_real(percent, "percent", func, low=0.0, high=100.0, closed="neither")
        p = percent / 100
        lives = [f.b_life(percent) for f in self.fits]
        lo, hi = min(lives) * 1e-6, min(lives) * 1.0001

        def gap(x):
            return math.log1p(-self.reliability(math.exp(x))) - math.log(p) \
                if self.reliability(math.exp(x)) < 1 else -math.inf

        return math.exp(optimize.brentq(gap, math.log(lo), math.log(hi), xtol=1e-14,
                                        rtol=1e-14))


def fit_competing(time: Any, mode: Any, *, failed: Any = None, count: Any = None,
                  distribution: str = "weibull", method: str = "mle",
                  level: float = 0.95) -> CompetingModes:
    """Fit each failure mode with the other modes' failures as right-censored.

    Parameters
    ----------
    time : array-like of float
        Failure or censoring time of each unit (row).
    mode : array-like
        Failure mode of each failed unit; ignored (may be None) for survivors.
    failed : array-like of bool, optional
        True where the unit failed; default: where ``mode`` is not None, NaN or ``''``.
    count : array-like of float, optional
        Units in each row; default 1.
    distribution, method, level
        As for :func:`cxpath.reliability.fit` (one distribution for every mode).

    Returns
    -------
    CompetingModes

    Raises
    ------
    DataError
        If there is no failure, or a mode has too few failures for the distribution
        (the message names it: merge it with another mode or choose a distribution with
        fewer parameters).

    Examples
    --------
    >>> from cxpath.reliability import fit_competing
    >>> cm = fit_competing([5, 8, 12, 20, 25, 30, 40, 50],
    ...                    ["seal", "seal", "bearing", "seal", "bearing", None, "bearing", None],
    ...                    distribution="exponential")
    >>> cm.mode.tolist(), cm.n_failures.tolist()
    (['bearing', 'seal'], [3.0, 3.0])
    >>> round(cm.reliability(10.0), 6) == round(cm.fits[0].reliability(10.0)
    ...                                         * cm.fits[1].reliability(10.0), 6)
    True
    """
    func = "reliability.fit_competing"
    t = v.as_float_array(time, "time", func, low=0.0)
    labels = np.asarray(mode, dtype=object)
    if labels.ndim != 1:
        v.fail("mode", func, "a 1-dimensional array", got=f"an array of shape {labels.shape}")
    missing = np.array([m is None or m == "" or (isinstance(m, float) and math.isnan(m))
                        for m in labels], dtype=bool)
    if failed is None:
        f = ~missing
    else:
        arr = np.asarray(failed)
        f = arr.astype(bool) if arr.dtype.kind == "b" else \
            v.as_int_array(failed, "failed", func, low=0, high=1).astype(bool)
    w = np.ones(t.size) if count is None else v.as_float_array(count, "count", func, low=0.0)
    v.check_same_length(func, time=t, mode=labels, failed=f, count=w)
    if (f & missing).any():
        i = int(np.argmax(f & missing))
        v.fail("mode", func, "a failure mode for every failed unit", data=True,
               got=f"{labels[i]!r} at position {i}")
    if not f.any():
        v.fail("failed", func, "True for at least one unit", data=True,
               got="no failure")
    modes = sorted({m for m, x in zip(labels, f) if x}, key=str)
    fits, nf = [], []
    for m in modes:
        own = f & np.array([x == m for x in labels], dtype=bool)
        try:
            data = LifeData.from_times(t, failed=own, count=w)
            fits.append(fit(data, distribution, method=method, level=level))
        except DataError as err:
            v.fail("mode", func, f"modes that each have enough failures for the "
                   f"'{distribution}' fit (merge mode {m!r} with another, or choose a "
                   "distribution with fewer parameters)", data=True,
                   got=f"mode {m!r}: {err}")
        nf.append(float(w[own].sum()))
    return CompetingModes(np.array(modes, dtype=object), np.array(nf), tuple(fits),
                          distribution, float(w.sum()))
