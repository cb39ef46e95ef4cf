"""Fitting lifetime distributions: maximum likelihood and rank regression, with bounds.

:func:`fit` fits one distribution to :class:`~cxpath.reliability.LifeData` (exact failures,
right-, left- and interval-censored units, with counts) and returns a :class:`LifeFit`:
the parameters with Fisher-matrix bounds, the log-likelihood, AICc and BIC, and the
quantities practitioners read from a fit (reliability, hazard, B-lives, MTTF), with
Fisher-matrix or likelihood-ratio bounds. :func:`fit_best` ranks the candidate
distributions by AICc or BIC.

Conventions (shared with the ``reliability`` package and Weibull++ where they agree):

* **Fisher-matrix bounds** come from the observed information (the negative Hessian of the
  log-likelihood at the estimates, in the natural parameters). Positive parameters get
  bounds ``θ exp(± z se / θ)``, real ones ``θ ± z se``. Bounds on a B-life use the delta
  method on ``ln t_p``; bounds on reliability use it on the distribution's linearising
  transform of ``R(t)``: ``ln(−ln R)`` (Weibull, exponential, gamma, mixture), ``Φ⁻¹(F)``
  (lognormal), ``ln(F / R)`` (log-logistic).
* **Likelihood-ratio bounds** are the values where the profile log-likelihood falls
  ``χ²₁(level) / 2`` below its maximum.
* **AICc** ``= 2k − 2 ln L + 2k(k + 1) / (n − k − 1)``, **BIC** ``= k ln n − 2 ln L``, with
  ``n`` the number of units (failures and censored) and ``k`` the parameters.
"""

from __future__ import annotations

import contextlib
import math
from typing import Any

import numpy as np

from .. import _validate as v
from .._lazy import lazy_module
from .._results import Result, drawn_by, result
from .._typing import ArrayLike
from .._warnings import collected
from ..errors import DataError
from ._models import FAMILIES, Family, family
from ._optim import Prepared, Space, gradient, hessian, maximise, warn
from .data import LifeData, as_life_data
from .ranks import _johnson, rank_fit

optimize = lazy_module("scipy.optimize")
stats = lazy_module("scipy.stats")

__all__ = ["BLives", "DistributionRanking", "LifeFit", "ParameterBounds",
           "ReliabilityBounds", "fit", "fit_best"]

METHODS = ("mle", "rrx", "rry")
#: candidates of :func:`fit_best` by default (the mixture only when asked for)
DEFAULT_CANDIDATES = ("weibull", "weibull_3p", "lognormal", "exponential", "exponential_2p",
                      "gamma", "loglogistic")


def _z(level: float) -> float:
    return float(stats.norm.ppf(0.5 + level / 2))


def _level(level, func: str) -> float:
    return v.check_real(level, "level", func, low=0.0, high=1.0, closed="neither")


def _times(t, name: str, func: str) -> tuple[np.ndarray, bool]:
    scalar = v.ndim(t) == 0
    arr = v.as_float_array(np.atleast_1d(t) if scalar else t, name, func, ndim=None,
                           low=0.0, allow_inf=True)
    return arr, scalar


def _out(x: np.ndarray, scalar: bool):
    return float(x.ravel()[0]) if scalar else x


@drawn_by("life_fit")
@result
class LifeFit(Result):
    """A fitted lifetime distribution: parameters with bounds, fit statistics and the
    quantities read from it.

    The table has one row per parameter. Quantities: :meth:`reliability`, :meth:`cdf`,
    :meth:`pdf`, :meth:`hazard`, :meth:`cumulative_hazard`,
    :meth:`conditional_reliability`, :meth:`quantile`, :meth:`b_life`, :attr:`mttf`; with
    bounds: :meth:`b_lives`, :meth:`reliability_bounds`, :meth:`parameter_bounds`.

    Attributes
    ----------
    distribution : str
        ``'weibull'``, ``'weibull_3p'``, ``'lognormal'``, ``'exponential'``,
        ``'exponential_2p'``, ``'gamma'``, ``'loglogistic'`` or ``'weibull_mixture'``.
    method : str
        ``'mle'``, ``'rrx'`` or ``'rry'``.
    parameter : ndarray of str
        Parameter names (see :mod:`cxpath.reliability`).
    estimate, se : ndarray of float
        Estimates and Fisher-matrix standard errors (0 for a parameter held at a bound).
    lower, upper : ndarray of float
        Fisher-matrix bounds at ``level``.
    covariance : ndarray of float, shape (k, k)
        Inverse observed information at the estimates.
    at_bound : ndarray of bool
        Parameters that sit at a bound of their range (a location at 0 or at the first
        failure); they are held fixed in the covariance.
    level : float
    log_likelihood, aicc, bic : float
        ``aicc`` is NaN when ``n − k − 1 ≤ 0``.
    n_units, n_failures : float
    data : LifeData
    """

    distribution: str
    method: str
    parameter: np.ndarray
    estimate: np.ndarray
    se: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    covariance: np.ndarray
    at_bound: np.ndarray
    level: float
    log_likelihood: float
    aicc: float
    bic: float
    n_units: float
    n_failures: float
    data: LifeData

    @property
    def _family(self) -> Family:
        return FAMILIES[self.distribution]

    @property
    def params(self) -> dict:
        """``{name: estimate}``."""
        return {str(k): float(x) for k, x in zip(self.parameter, self.estimate)}

    @property
    def n_params(self) -> int:
        """Parameters of the distribution (a location held at a bound still counts: it is
        estimated from the data), the ``k`` of AICc and BIC."""
        return len(self.parameter)

    def _title(self) -> str:
        return f"LifeFit: {self._family.label}, {self.method.upper()}"

    def _summary(self) -> list[str]:
        aicc = "nan" if math.isnan(self.aicc) else f"{self.aicc:.4f}"
        return [f"{self.n_failures:g} failures of {self.n_units:g} units; "
                f"{self.level:.0%} Fisher-matrix bounds",
                f"log-likelihood {self.log_likelihood:.4f}, AICc {aicc}, BIC {self.bic:.4f}"]

    def _columns(self) -> dict:
        return {"parameter": self.parameter, "estimate": self.estimate, "se": self.se,
                "lower": self.lower, "upper": self.upper}

    # -- point quantities -------------------------------------------------------------
    def reliability(self, t: ArrayLike) -> Any:
        """Probability ``R(t)`` of surviving past ``t`` (float for a scalar, else array).

        Examples
        --------
        >>> from cxpath.reliability import fit
        >>> f = fit([16, 34, 53, 75, 93, 120], "exponential")
        >>> round(f.reliability(65.1666), 6)  # t = MTTF: exp(-1)
        0.367879
        """
        t, scalar = _times(t, "t", "reliability.LifeFit.reliability")
        return _out(np.exp(self._family.logsf(t, self.estimate)), scalar)

    def cdf(self, t: ArrayLike) -> Any:
        """Probability ``F(t) = 1 − R(t)`` of failing by ``t``."""
        t, scalar = _times(t, "t", "reliability.LifeFit.cdf")
        return _out(np.exp(self._family.logcdf(t, self.estimate)), scalar)

    def pdf(self, t: ArrayLike) -> Any:
        """Density ``f(t)``."""
        t, scalar = _times(t, "t", "reliability.LifeFit.pdf")
        return _out(np.exp(self._family.logpdf(t, self.estimate)), scalar)

    def hazard(self, t: ArrayLike) -> Any:
        """Hazard rate ``h(t) = f(t) / R(t)``."""
        t, scalar = _times(t, "t", "reliability.LifeFit.hazard")
        fam, th = self._family, self.estimate
        with np.errstate(invalid="ignore"):
            h = np.exp(fam.logpdf(t, th) - fam.logsf(t, th))
        return _out(np.where(np.isnan(h), 0.0, h), scalar)

    def cumulative_hazard(self, t: ArrayLike) -> Any:
        """Cumulative hazard ``H(t) = −ln R(t)``."""
        t, scalar = _times(t, "t", "reliability.LifeFit.cumulative_hazard")
        return _out(-self._family.logsf(t, self.estimate), scalar)

    def conditional_reliability(self, t: ArrayLike, age: ArrayLike) -> Any:
        """Probability of surviving ``t`` more time units having survived to ``age``:
        ``R(age + t) / R(age)``.

        Examples
        --------
        >>> from cxpath.reliability import fit
        >>> f = fit([16, 34, 53, 75, 93, 120], "exponential")  # memoryless
        >>> round(f.conditional_reliability(10, age=50), 9) == round(f.reliability(10), 9)
        True
        """
        func = "reliability.LifeFit.conditional_reliability"
        t, scalar = _times(t, "t", func)
        age = v.check_real(age, "age", func, low=0.0)
        fam, th = self._family, self.estimate
        return _out(np.exp(fam.logsf(t + age, th) - fam.logsf(np.array([age]), th)[0]), scalar)

    def quantile(self, p: ArrayLike) -> Any:
        """Time by which a fraction ``p`` of units has failed (``p`` in [0, 1))."""
        func = "reliability.LifeFit.quantile"
        scalar = v.ndim(p) == 0
        p = v.as_float_array(np.atleast_1d(p), "p", func, ndim=None, low=0.0, high=1.0,
                             closed="left")
        return _out(np.asarray(self._family.quantile(p, self.estimate), dtype=float), scalar)

    def b_life(self, percent: float = 10.0) -> float:
        """The B-life: time by which ``percent`` % of units have failed (B10: 10).

        Examples
        --------
        >>> from cxpath.reliability import fit
        >>> f = fit([16, 34, 53, 75, 93, 120], "weibull")
        >>> round(f.b_life(10), 4) == round(f.quantile(0.10), 4)
        True
        """
        func = "reliability.LifeFit.b_life"
        percent = v.check_real(percent, "percent", func, low=0.0, high=100.0, closed="neither")
        return float(self._family.quantile(np.array([percent / 100]), self.estimate)[0])

    @property
    def mttf(self) -> float:
        """Mean time to failure (the distribution's mean; inf if it has none)."""
        return float(self._family.mean(self.estimate))

    # -- bounds -----------------------------------------------------------------------
    def _free(self) -> np.ndarray:
        return np.flatnonzero(~self.at_bound)

    def _delta_se(self, g) -> float:
        """Delta-method standard error of ``g(theta)`` from the covariance."""
        free = self._free()
        if free.size == 0:
            return 0.0
        th = self.estimate

        def sub(x):
            w = th.copy()
            w[free] = x
            return g(w)

        steps = 1e-5 * np.maximum(np.abs(th[free]), 1e-3)
        grad = gradient(sub, th[free], steps)
        cov = self.covariance[np.ix_(free, free)]
        return float(math.sqrt(max(grad @ cov @ grad, 0.0)))

    def b_lives(self, percents: Any = (1, 5, 10, 50), *, bounds: str = "fisher") -> BLives:
        """B-lives with bounds: Fisher-matrix (delta method on ``ln t``) or likelihood ratio.

        Parameters
        ----------
        percents : float or array-like of float
            Percent failed, in (0, 100): ``10`` is B10.
        bounds : {'fisher', 'likelihood'}

        Examples
        --------
        >>> from cxpath.reliability import fit
        >>> f = fit([16, 34, 53, 75, 93, 120], "weibull")
        >>> b = f.b_lives([10], bounds="likelihood")
        >>> bool(b.lower[0] < b.life[0] < b.upper[0])
        True
        """
        func = "reliability.LifeFit.b_lives"
        pc = v.as_float_array(np.atleast_1d(percents), "percents", func, low=0.0, high=100.0,
                              closed="neither")
        how = v.check_option(bounds, "bounds", func, ("fisher", "likelihood"))
        fam, th = self._family, self.estimate
        p = pc / 100
        life = np.asarray(fam.quantile(p, th), dtype=float)
        z = _z(self.level)
        lo, hi = np.empty(p.size), np.empty(p.size)
        for i, q in enumerate(p):
            if how == "fisher":
                se = self._delta_se(lambda w, q=q: math.log(float(
                    np.asarray(fam.quantile(np.array([q]), w))[0])))
                lo[i], hi[i] = life[i] * math.exp(-z * se), life[i] * math.exp(z * se)
            else:
                lo[i], hi[i] = _lr_quantile(self, q, life[i], func)
        return BLives(pc, life, lo, hi, self.level, how)

    def reliability_bounds(self, t: ArrayLike) -> ReliabilityBounds:
        """Reliability at times ``t`` with Fisher-matrix bounds (delta method on the
        distribution's linearising transform of ``R``; see the module notes).

        Examples
        --------
        >>> from cxpath.reliability import fit
        >>> rb = fit([16, 34, 53, 75, 93, 120], "weibull").reliability_bounds([50])
        >>> bool(rb.lower[0] < rb.reliability[0] < rb.upper[0])
        True
        """
        func = "reliability.LifeFit.reliability_bounds"
        t = v.as_float_array(np.atleast_1d(t), "t", func, low=0.0)
        fam, th = self._family, self.estimate
        link, inv = _LINKS[fam.link]
        z = _z(self.level)
        rel = np.exp(fam.logsf(t, th))
        lo, hi = rel.copy(), rel.copy()
        for i, ti in enumerate(t):
            if not 0.0 < rel[i] < 1.0:
                continue

            def g(w, ti=ti):
                return link(float(fam.logsf(np.array([ti]), w)[0]))

            se = self._delta_se(g)
            u = g(th)
            lo[i], hi[i] = inv(u + z * se), inv(u - z * se)
        return ReliabilityBounds(t, rel, lo, hi, self.level)

    def parameter_bounds(self, bounds: str = "likelihood") -> ParameterBounds:
        """Bounds on each parameter: likelihood-ratio (profile likelihood) or Fisher-matrix.

        Examples
        --------
        >>> from cxpath.reliability import fit
        >>> pb = fit([16, 34, 53, 75, 93, 120], "weibull").parameter_bounds()
        >>> pb.parameter.tolist(), bool(pb.lower[1] < pb.estimate[1] < pb.upper[1])
        (['alpha', 'beta'], True)
        """
        func = "reliability.LifeFit.parameter_bounds"
        how = v.check_option(bounds, "bounds", func, ("fisher", "likelihood"))
        if how == "fisher":
            return ParameterBounds(self.parameter, self.estimate, self.lower, self.upper,
                                   self.level, how)
        if self.method != "mle":
            v.fail("bounds", func, "'fisher' for a rank-regression fit (likelihood-ratio "
                   "bounds are defined around the maximum of the likelihood)", bounds)
        lo, hi = self.estimate.copy(), self.estimate.copy()
        for j in self._free():
            lo[j], hi[j] = _lr_parameter(self, int(j), func)
        return ParameterBounds(self.parameter, self.estimate, lo, hi, self.level, how)


def _cloglog(log_r: float) -> float:
    return math.log(-log_r)


def _probit(log_r: float) -> float:
    from scipy import special

    return -float(special.ndtri(math.exp(log_r)))


def _logit(log_r: float) -> float:
    r = math.exp(log_r)
    return math.log((1 - r) / r)


_LINKS = {
    "cloglog": (_cloglog, lambda u: math.exp(-math.exp(u))),
    "probit": (_probit, lambda u: float(stats.norm.sf(u))),
    "logit": (_logit, lambda u: 1.0 / (1.0 + math.exp(u))),
}


@result
class BLives(Result):
    """B-lives (times by which a percentage of units has failed) with bounds.

    Attributes
    ----------
    percent, life, lower, upper : ndarray of float
    level : float
    bounds : str
        ``'fisher'`` or ``'likelihood'``.
    """

    percent: np.ndarray
    life: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    level: float
    bounds: str

    def _title(self) -> str:
        return "B-lives"

    def _summary(self) -> list[str]:
        kind = "Fisher-matrix" if self.bounds == "fisher" else "likelihood-ratio"
        return [f"{self.level:.0%} {kind} bounds"]

    def _columns(self) -> dict:
        return {"percent": self.percent, "life": self.life, "lower": self.lower,
                "upper": self.upper}


@result
class ReliabilityBounds(Result):
    """Reliability at given times with Fisher-matrix bounds.

    Attributes
    ----------
    time, reliability, lower, upper : ndarray of float
    level : float
    """

    time: np.ndarray
    reliability: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    level: float

    def _title(self) -> str:
        return "Reliability"

    def _summary(self) -> list[str]:
        return [f"{self.level:.0%} Fisher-matrix bounds"]

    def _columns(self) -> dict:
        return {"time": self.time, "reliability": self.reliability, "lower": self.lower,
                "upper": self.upper}


@result
class ParameterBounds(Result):
    """Bounds on the parameters of a fit.

    Attributes
    ----------
    parameter : ndarray of str
    estimate, lower, upper : ndarray of float
    level : float
    bounds : str
        ``'fisher'`` or ``'likelihood'``.
    """

    parameter: np.ndarray
    estimate: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    level: float
    bounds: str

    def _title(self) -> str:
        return "Parameter bounds"

    def _summary(self) -> list[str]:
        kind = "Fisher-matrix" if self.bounds == "fisher" else "likelihood-ratio"
        return [f"{self.level:.0%} {kind} bounds"]

    def _columns(self) -> dict:
        return {"parameter": self.parameter, "estimate": self.estimate, "lower": self.lower,
                "upper": self.upper}


# -- likelihood-ratio bounds ---------------------------------------------------------------

def _profile(fit: LifeFit, prep: Prepared, fixed_th, fixed_mask, start_u):
    """Maximum log-likelihood with the parameters in ``fixed_mask`` held at ``fixed_th``."""
    fam = fit._family
    space = Space(fam, prep)
    hold = fixed_mask | fit.at_bound
    base = space.to_u(fixed_th)
    free = np.flatnonzero(~hold)
    if free.size == 0:
        return prep.loglik(fam, fixed_th), base

    def nll(x):
        u = base.copy()
        u[free] = x
        return space.nll(u)

    x, fun = _argmin(nll, np.asarray(start_u)[free], [space.bounds[j] for j in free])
    u = base.copy()
    u[free] = x
    return -fun * prep.n, u


def _argmin(f, x0: np.ndarray, bounds: list) -> tuple[np.ndarray, float]:
    """Minimum of ``f`` near ``x0``: Brent's method in one dimension, else L-BFGS-B."""
    f0 = f(x0)
    if x0.size == 1 and bounds[0] == (None, None):
        def g(y):
            value = f(np.array([y]))
            return value if value < 1e100 else 1e100

        try:
            res = optimize.minimize_scalar(g, bracket=(x0[0] - 0.05, x0[0] + 0.05),
                                           method="brent", options={"xtol": 1e-12})
            x, fun = np.array([res.x]), float(res.fun)
        except (ValueError, RuntimeError):
            x, fun = x0, f0
    else:
        res = optimize.minimize(f, x0, method="L-BFGS-B", bounds=bounds,
                                options={"ftol": 1e-15, "gtol": 1e-11, "maxiter": 1000})
        x, fun = res.x, float(res.fun)
    return (x, fun) if fun <= f0 else (x0, f0)


def _crit(fit: LifeFit) -> float:
    return fit.log_likelihood - 0.5 * float(stats.chi2.ppf(fit.level, 1))


def _roots(f, centre: float, first_step: float, lo_lim: float, hi_lim: float):
    """Where ``f`` (positive at ``centre``) crosses zero on each side, searching outward."""
    out = []
    for sign in (-1.0, 1.0):
        lim = lo_lim if sign < 0 else hi_lim
        step = first_step
        inner = centre
        found = None
        for _ in range(60):
            outer = centre + sign * step
            if (sign < 0 and outer <= lim) or (sign > 0 and outer >= lim):
                outer = lim
            val = f(outer)
            for _ in range(60):
                if not math.isinf(val) and not math.isnan(val):
                    break
                outer = 0.5 * (inner + outer)
                val = f(outer)
            if not val > 0:
                found = _bisect_root(f, inner, outer)
                break
            if outer == lim:
                found = lim
                break
            inner, step = outer, step * 2.0
        out.append(math.nan if found is None else found)
    return out


def _bisect_root(f, inside: float, outside: float) -> float:
    """Root of ``f`` between ``inside`` (f > 0) and ``outside`` (f <= 0): Brent's method,
    or bisection when the profile is not smooth enough for it."""
    try:
        return optimize.brentq(f, min(inside, outside), max(inside, outside), xtol=1e-13,
                               rtol=1e-13)
    except (ValueError, RuntimeError):
        a, b = inside, outside
        for _ in range(200):
            m = 0.5 * (a + b)
            if f(m) > 0:
                a = m
            else:
                b = m
            if abs(b - a) <= 1e-13 * max(1.0, abs(m)):
                break
        return 0.5 * (a + b)


def _lr_parameter(fit: LifeFit, j: int, func: str) -> tuple[float, float]:
    prep = Prepared(fit.data)
    fam = fit._family
    space = Space(fam, prep)
    crit = _crit(fit)
    u_hat = space.to_u(fit.estimate)
    mask = np.zeros(fam.k, dtype=bool)
    mask[j] = True
    state = {"u": u_hat}

    def f(x):
        u = state["u"].copy()
        u[j] = x
        th = space.to_th(u)
        value, state_u = _profile(fit, prep, th, mask, u)
        if math.isfinite(value):
            state["u"] = state_u
        return value - crit

    se_u = _u_se(fit, j)
    lo_lim, hi_lim = space.bounds[j]
    lo_lim = -np.inf if lo_lim is None else lo_lim
    hi_lim = np.inf if hi_lim is None else hi_lim
    a, b = _roots(f, u_hat[j], max(se_u, 1e-6), lo_lim, hi_lim)
    state["u"] = u_hat
    th_lo, th_hi = u_hat.copy(), u_hat.copy()
    th_lo[j], th_hi[j] = a, b
    return float(space.to_th(th_lo)[j]), float(space.to_th(th_hi)[j])


def _u_se(fit: LifeFit, j: int) -> float:
    """Standard error of parameter ``j`` on the optimiser's scale (log for positive)."""
    kind = fit._family.kinds[j]
    se = fit.se[j]
    if kind == "positive":
        return se / fit.estimate[j]
    if kind == "location":
        return se / Prepared(fit.data).scale
    return se


def _lr_quantile(fit: LifeFit, p: float, life: float, func: str) -> tuple[float, float]:
    if fit.method != "mle":
        v.fail("bounds", func, "'fisher' for a rank-regression fit (likelihood-ratio bounds "
               "are defined around the maximum of the likelihood)", "likelihood")
    fam = fit._family
    if fam.name == "weibull_mixture":
        v.fail("bounds", func, "'fisher' for a Weibull mixture (its quantile has no closed "
               "form to profile)", "likelihood")
    prep = Prepared(fit.data)
    space = Space(fam, prep)
    crit = _crit(fit)
    mask = np.zeros(fam.k, dtype=bool)
    mask[fam.scale_index] = True
    u_hat = space.to_u(fit.estimate)
    hold = mask | fit.at_bound
    free = np.flatnonzero(~hold)
    state = {"u": u_hat}

    def f(x):
        target = math.exp(x)

        def nll(y):
            u = state["u"].copy()
            u[free] = y
            th = fam.with_quantile(space.to_th(u), p, target)
            if th is None:
                return math.inf
            return space.nll(space.to_u(th))

        if free.size == 0:
            best = nll(np.zeros(0))
            y = np.zeros(0)
        else:
            y, best = _argmin(nll, state["u"][free], [space.bounds[j] for j in free])
        if not math.isfinite(best):
            return -math.inf
        u = state["u"].copy()
        u[free] = y
        state["u"] = u
        return -best * prep.n - crit

    se = fit._delta_se(lambda w: math.log(float(np.asarray(fam.quantile(np.array([p]),
                                                                         w))[0])))
    x0 = math.log(life)
    lo_lim = -np.inf
    if fam.has_location:
        lo_lim = math.log(max(fit.estimate[-1], 1e-300)) if fit.at_bound[-1] else -np.inf
    out = []
    for side in (0, 1):
        state["u"] = u_hat
        r = _roots(f, x0, max(se, 1e-6), lo_lim, np.inf)[side]
        out.append(math.exp(r) if math.isfinite(r) else math.nan)
    return out[0], out[1]


# -- fitting --------------------------------------------------------------------------------

def _check_enough(prep: Prepared, fam: Family, func: str) -> None:
    need = {1: 1, 2: 2, 3: 3}.get(fam.k, 5)
    if prep.n_failures <= 0:
        v.fail("data", func, "life data with at least one failure (an exact, left- or "
               "interval-censored time)", data=True,
               got=f"{prep.n:g} right-censored units and no failure")
    if prep.n_failures < need:
        v.fail("data", func, f"life data with at least {need} failures for the "
               f"{fam.k}-parameter {fam.label}", data=True,
               got=f"{prep.n_failures:g} failure(s)")
    if fam.k >= 2 and prep.distinct_failures < 2:
        v.fail("data", func, f"failures at two or more distinct times for the {fam.label} "
               "(its shape is not identifiable from one time)", data=True,
               got=f"every failure at {prep.first_failure:g}")


def _starts(fam: Family, prep: Prepared) -> list:
    """Starting values: rank regression on the data (censored units as described in
    :meth:`Prepared.pseudo`), with a few alternatives for the location and the mixture."""
    t, f, w = prep.pseudo()
    pseudo = LifeData(t, np.where(f, t, np.inf), np.maximum(np.round(w), 1.0))
    ft, ranks = _johnson(pseudo, 0.3, "reliability.fit")
    F = (ranks - 0.3) / (pseudo.n_units + 0.4)
    starts = []
    bound = prep.first_failure
    if fam.name == "weibull_mixture":
        w2 = FAMILIES["weibull"]
        for q in (0.2, 0.35, 0.5, 0.65, 0.8):
            k = max(2, min(ft.size - 2, round(q * ft.size)))
            try:
                a = rank_fit(w2, ft[:k], F[:k] / F[k - 1] * 0.95, "rrx", bound)
                b = rank_fit(w2, ft[k:], (F[k:] - F[k - 1]) / (1 - F[k - 1]) * 0.95 + 0.025,
                             "rrx", bound)
            except (ValueError, ZeroDivisionError, FloatingPointError):
                continue
            p = k / ft.size
            comp = sorted([(a[0], a[1]), (b[0], b[1])])
            starts.append(np.array([comp[0][0], comp[0][1], comp[1][0], comp[1][1],
                                    min(max(p, 0.05), 0.95)]))
        return [s for s in starts if np.all(np.isfinite(s)) and np.all(s[:4] > 0)]
    if fam.rank_regression and ft.size >= 2 and np.unique(ft).size >= 2:
        with np.errstate(all="ignore"):
            for how in ("rrx", "rry"):
                with contextlib.suppress(ValueError, ZeroDivisionError, FloatingPointError):
                    starts.append(rank_fit(fam, ft, F, how, bound))
    if fam.name == "gamma" and ft.size >= 2 and np.unique(ft).size >= 2:
        # moments of the rank-regression Weibull (which sees the censoring) give the gamma
        with np.errstate(all="ignore"):
            wa, wb = rank_fit(FAMILIES["weibull"], ft, F, "rrx", bound)
        m = wa * math.gamma(1 + 1 / wb)
        var = wa * wa * (math.gamma(1 + 2 / wb) - math.gamma(1 + 1 / wb) ** 2)
        if math.isfinite(m) and math.isfinite(var) and m > 0 and var > 0:
            starts.append(np.array([var / m, m * m / var]))
    if fam.name == "gamma" or not starts:
        m = float(np.average(t[f], weights=w[f])) if f.any() else float(np.mean(t))
        var = float(np.average((t[f] - m) ** 2, weights=w[f])) if f.sum() > 1 else m * m
        var = var if var > 0 else m * m
        base = {"gamma": [var / m, m * m / var], "lognormal": [math.log(m), 1.0],
                "exponential": [1 / m], "exponential_2p": [1 / m, 0.0],
                "weibull": [m, 1.0], "weibull_3p": [m, 1.0, 0.0],
                "loglogistic": [m, 2.0]}[fam.name]
        starts.append(np.array(base, dtype=float))
    if fam.has_location:
        more = []
        for s in starts:
            for g in (0.0, 0.5 * bound, 0.9 * bound):
                x = s.copy()
                x[-1] = g
                more.append(x)
        starts += more
    good = []
    for s in starts:
        s = np.array(s, dtype=float)
        if fam.has_location:
            s[-1] = min(max(s[-1], 0.0), bound)
        if np.all(np.isfinite(s)) and all(x > 0 for x, k in zip(s, fam.kinds)
                                          if k == "positive"):
            good.append(s)
    return good


def _covariance(fam: Family, prep: Prepared, th: np.ndarray, at_bound: np.ndarray):
    free = np.flatnonzero(~at_bound)
    k = fam.k
    cov = np.zeros((k, k))
    if free.size == 0:
        return cov

    def ll(x):
        w = th.copy()
        w[free] = x
        return prep.loglik(fam, w)

    steps = np.array([1e-4 * (abs(th[j]) if abs(th[j]) > 0 else prep.scale)
                      if fam.kinds[j] != "real" else 1e-4 * max(abs(th[j]), 1.0)
                      for j in free])
    if fam.kinds[free[-1]] == "location":
        steps[-1] = min(steps[-1], 0.25 * max(prep.first_failure - th[free[-1]], 1e-12),
                        0.25 * max(th[free[-1]], 1e-12))
    H = hessian(ll, th[free], steps)
    try:
        sub = np.linalg.inv(-H)
    except np.linalg.LinAlgError:
        sub = np.full((free.size, free.size), np.nan)
    cov[np.ix_(free, free)] = sub
    return cov


def _weibull_fast(prep: Prepared):
    """The 2-parameter Weibull MLE of exact and right-censored data by the kernel."""
    from .._kernels.reliability import weibull_groups

    d = prep.data
    code = d.kind_code
    log_t = np.ascontiguousarray(np.log(np.maximum(d.lower, 1e-300)))
    failed = np.ascontiguousarray(np.where(code == 0, d.count, 0.0))
    weight = np.ascontiguousarray(d.count, dtype=np.float64)
    row = weibull_groups(log_t, failed, weight, np.array([0, log_t.size], dtype=np.int64))[0]
    return row


def _finish(fam, prep, th, at_bound, cov, method, level, ll, func) -> LifeFit:
    # |diag|: away from the maximum (rank regression) the information need not be positive
    # definite; the reliability package reports the same magnitudes
    se = np.sqrt(np.abs(np.diag(cov)))
    z = _z(level)
    lower, upper = th.copy(), th.copy()
    for j, kind in enumerate(fam.kinds):
        if at_bound[j] or not np.isfinite(se[j]):
            continue
        if kind == "real":
            lower[j], upper[j] = th[j] - z * se[j], th[j] + z * se[j]
        elif kind == "proportion":
            lg = math.log(th[j] / (1 - th[j]))
            s = se[j] / (th[j] * (1 - th[j]))
            lower[j] = 1 / (1 + math.exp(-(lg - z * s)))
            upper[j] = 1 / (1 + math.exp(-(lg + z * s)))
        elif th[j] > 0:
            lower[j], upper[j] = th[j] * math.exp(-z * se[j] / th[j]), \
                th[j] * math.exp(z * se[j] / th[j])
    k = fam.k
    n = prep.n
    aicc = 2 * k - 2 * ll + (2 * k * (k + 1)) / (n - k - 1) if n - k - 1 > 0 else math.nan
    bic = k * math.log(n) - 2 * ll
    return LifeFit(fam.name, method, np.array(fam.params, dtype=object), th, se, lower, upper,
                   cov, at_bound, level, ll, aicc, bic, prep.n, prep.n_failures, prep.data)


def fit(data: Any, distribution: str = "weibull", *, method: str = "mle",
        level: float = 0.95, a: float = 0.3) -> LifeFit:
    """Fit a lifetime distribution by maximum likelihood or rank regression.

    Parameters
    ----------
    data : LifeData or array-like of float
        Life data (:class:`~cxpath.reliability.LifeData`: exact failures and right-,
        left- and interval-censored units with counts), or failure times.
    distribution : str, default 'weibull'
        ``'weibull'`` (alpha, beta), ``'weibull_3p'`` (alpha, beta, gamma),
        ``'lognormal'`` (mu, sigma), ``'exponential'`` (lambda), ``'exponential_2p'``
        (lambda, gamma), ``'gamma'`` (alpha scale, beta shape), ``'loglogistic'`` (alpha,
        beta) or ``'weibull_mixture'`` (alpha_1, beta_1, alpha_2, beta_2, proportion_1).
    method : {'mle', 'rrx', 'rry'}, default 'mle'
        Maximum likelihood, or median-rank regression of X on Y / Y on X (exact and
        right-censored data; not for the gamma or the mixture).
    level : float, default 0.95
        Confidence level of the bounds.
    a : float, default 0.3
        Plotting-position constant for rank regression (Benard's median ranks).

    Returns
    -------
    LifeFit

    Raises
    ------
    DataError
        If the data hold no failure, fewer failures than the distribution has parameters,
        failures at one time only (for a shape), or (rank regression) left- or
        interval-censored units.
    InvalidParameterError
        For an unknown distribution or method, or a level outside (0, 1).

    Warns
    -----
    CxpathWarning
        When a location sits at a bound of its range: at the first failure (the
        3-parameter Weibull likelihood grows without bound there when beta < 1) or at 0
        (no failure-free time; the 2-parameter fit is the same).

    Notes
    -----
    The likelihood multiplies ``f(t)`` over exact failures, ``R(t)`` over right-censored
    units, ``F(t)`` over left-censored ones and ``F(u) − F(l)`` over interval-censored
    ones, each to the power of its count. The 2-parameter Weibull MLE of exact and
    right-censored data solves the profile score equation in the shape by safeguarded
    Newton steps in a numba kernel; every other fit maximises the likelihood with
    L-BFGS-B from rank-regression starting values (logs of positive parameters, the
    location boxed in ``[0, first failure]``), then polishes it with Newton steps on
    finite-difference derivatives.

    References
    ----------
    Meeker, W. Q. & Escobar, L. A. (1998). *Statistical Methods for Reliability Data*,
    ch. 7-8 (likelihood with censoring, Fisher and likelihood-ratio intervals).
    Abernethy, R. B. (2006). *The New Weibull Handbook*, 5th ed. (rank regression).

    Examples
    --------
    >>> from cxpath.reliability import LifeData, fit
    >>> d = LifeData.from_times([16, 34, 53, 75, 93, 120, 150, 150],
    ...                         failed=[1, 1, 1, 1, 1, 1, 0, 0])
    >>> f = fit(d, "weibull")
    >>> f.parameter.tolist(), round(f.params["beta"], 4)
    (['alpha', 'beta'], 1.3792)
    >>> round(f.b_life(10), 3)
    22.063
    """
    func = "reliability.fit"
    data = as_life_data(data, func)
    fam = family(distribution, func)
    method = v.check_option(method, "method", func, METHODS)
    level = _level(level, func)
    a = v.check_real(a, "a", func, low=0.0, high=1.0, closed="left")
    prep = Prepared(data)
    _check_enough(prep, fam, func)
    if method != "mle":
        if not fam.rank_regression:
            v.fail("method", func, f"'mle' for the {fam.label} (its probability plot is not "
                   "a straight line)", method)
        t, ranks = _johnson(data, a, func)
        F = (ranks - a) / (data.n_units + 1 - 2 * a)
        if np.unique(t).size < 2:
            v.fail("data", func, "failures at two or more distinct times for rank "
                   "regression", data=True, got=f"every failure at {t[0]:g}")
        with np.errstate(all="ignore"):
            th = rank_fit(fam, t, F, method, prep.first_failure)
        at_bound = np.zeros(fam.k, dtype=bool)
        if fam.has_location:
            at_bound[-1] = th[-1] <= 0 or th[-1] >= prep.first_failure
        if fam.name == "exponential":  # -d²lnL/dλ² = r / λ² for exact and right-censored
            cov = np.array([[th[0] ** 2 / prep.n_failures]])
        else:
            cov = _covariance(fam, prep, th, at_bound)
        return _finish(fam, prep, th, at_bound, cov, method, level, prep.loglik(fam, th), func)
    if fam.name == "weibull" and prep.exact_or_right:
        row = _weibull_fast(prep)
        if row[8] == 2:
            v.fail("data", func, "failures that are not all at the largest time (else the "
                   "Weibull shape grows without bound)", data=True,
                   got=f"every failure at {prep.first_failure:g}")
        th = row[:2].copy()
        H = np.array([[row[5], row[6]], [row[6], row[7]]])
        try:
            cov = np.linalg.inv(-H)
        except np.linalg.LinAlgError:
            cov = np.full((2, 2), np.nan)
        at_bound = np.zeros(2, dtype=bool)
        if row[8] != 0:
            warn(f"{func}: the Weibull shape did not converge; the estimates may be off.")
        return _finish(fam, prep, th, at_bound, cov, method, level, float(row[2]), func)
    if fam.name == "exponential" and prep.exact_or_right:
        et, ew, rt, rw = prep.parts[:4]
        exposure = float(np.dot(ew, et) + np.dot(rw, rt))
        lam = prep.n_failures / exposure  # closed form: failures over total time on test
        th = np.array([lam])
        cov = np.array([[lam * lam / prep.n_failures]])
        return _finish(fam, prep, th, np.zeros(1, dtype=bool), cov, method, level,
                       prep.loglik(fam, th), func)
    starts = _starts(fam, prep)
    with np.errstate(all="ignore"):
        th, at_bound = maximise(fam, prep, starts, func)
    if fam.name == "weibull_mixture" and th[0] > th[2]:
        th = np.array([th[2], th[3], th[0], th[1], 1 - th[4]])
    if fam.has_location and at_bound[-1]:
        where = "0" if th[-1] <= 0.5 * prep.first_failure else "the first failure"
        tail = (" (the likelihood grows without bound as the location approaches the "
                "first failure: there is no interior maximum)" if where != "0"
                else "; the fit is the one without a location")
        if fam.name != "exponential_2p" or where == "0":
            warn(f"{func}: the location of the {fam.label} sits at {where} "
                 f"({th[-1]:g}){tail}. It is held there; its standard error is 0.")
    with np.errstate(all="ignore"):
        cov = _covariance(fam, prep, th, at_bound)
    ll = prep.loglik(fam, th)
    return _finish(fam, prep, th, at_bound, cov, method, level, ll, func)


@result
class DistributionRanking(Result):
    """Candidate distributions ranked by AICc, BIC or log-likelihood (best first).

    Attributes
    ----------
    distribution : ndarray of str
    n_params : ndarray of int
        Parameters of each distribution (the ``k`` of AICc and BIC).
    log_likelihood, aicc, bic : ndarray of float
        NaN where the candidate could not be fitted.
    delta : ndarray of float
        The criterion minus the best candidate's (0 for the best; for ``log_likelihood``
        the best minus the candidate's).
    note : ndarray of str
        Why a candidate could not be fitted, or a warning raised while fitting it.
    criterion : str
    fits : tuple
        The :class:`LifeFit` of each row (None where it could not be fitted).
    rank : ndarray of int
        1 for the best.
    """

    distribution: np.ndarray
    n_params: np.ndarray
    log_likelihood: np.ndarray
    aicc: np.ndarray
    bic: np.ndarray
    delta: np.ndarray
    note: np.ndarray
    criterion: str
    fits: tuple

    @property
    def rank(self) -> np.ndarray:
        return np.arange(1, self.distribution.size + 1)

    @property
    def best(self) -> LifeFit:
        """The best candidate's fit."""
        return self.fits[0]

    def _title(self) -> str:
        return f"Distributions ranked by {self.criterion}"

    def _summary(self) -> list[str]:
        return [f"best: {self.distribution[0]}"]

    def _columns(self) -> dict:
        return {"rank": self.rank, "distribution": self.distribution,
                "n_params": self.n_params, "log_likelihood": self.log_likelihood,
                "aicc": self.aicc, "bic": self.bic, "delta": self.delta, "note": self.note}

    _key = "distribution"


def fit_best(data: Any, distributions: Any = None, *, criterion: str = "aicc",
             level: float = 0.95) -> DistributionRanking:
    """Fit every candidate distribution by maximum likelihood and rank them.

    Parameters
    ----------
    data : LifeData or array-like of float
    distributions : sequence of str, optional
        Candidates; default every distribution except the mixture.
    criterion : {'aicc', 'bic', 'log_likelihood'}, default 'aicc'
        Smaller AICc / BIC is better; larger log-likelihood is better.
    level : float, default 0.95

    Returns
    -------
    DistributionRanking
        All candidates, best first; those that could not be fitted (too few failures,
        NaN criterion) last, with the reason in ``note``.

    Raises
    ------
    DataError
        If no candidate can be fitted (e.g. no failure at all).

    Examples
    --------
    >>> from cxpath.reliability import fit_best
    >>> r = fit_best([16, 34, 53, 75, 93, 120, 150, 191, 240, 339],
    ...              ["weibull", "lognormal", "exponential"])
    >>> r.distribution.tolist()
    ['exponential', 'weibull', 'lognormal']
    """
    func = "reliability.fit_best"
    data = as_life_data(data, func)
    criterion = v.check_option(criterion, "criterion", func, ("aicc", "bic", "log_likelihood"))
    level = _level(level, func)
    if distributions is None:
        names = list(DEFAULT_CANDIDATES)
    else:
        if isinstance(distributions, str):
            distributions = [distributions]
        try:
            names = list(distributions)
        except TypeError:
            v.fail("distributions", func, "a sequence of distribution names", distributions,
                   wrong_type=True)
        if not names:
            v.fail("distributions", func, "a non-empty sequence of distribution names",
                   distributions)
        for n in names:
            family(n, func, "distributions")
        if len(set(names)) != len(names):
            v.fail("distributions", func, "distinct distribution names", distributions)
    prep = Prepared(data)
    if prep.n_failures <= 0:
        v.fail("data", func, "life data with at least one failure", data=True,
               got=f"{prep.n:g} right-censored units and no failure")
    rows = []
    for name in names:
        note = ""
        with collected() as caught:  # this call's warnings only, as notes
            try:
                f = fit(data, name, level=level)
            except DataError as err:
                f, note = None, str(err)
        if caught and f is not None:
            note = "; ".join(str(c.message) for c in caught)
        rows.append((name, f, note))

    def key(row):
        f = row[1]
        if f is None:
            return (1, 0.0)
        value = getattr(f, criterion)
        if criterion == "log_likelihood":
            value = -value
        return (0, value) if math.isfinite(value) else (1, 0.0)

    rows.sort(key=key)
    fits = tuple(r[1] for r in rows)
    if fits[0] is None:
        v.fail("data", func, "life data at least one candidate can be fitted to", data=True,
               got=rows[0][2])

    def col(attr):
        return np.array([getattr(f, attr) if f is not None else math.nan for f in fits])

    crit = col(criterion)
    best = crit[0]
    delta = best - crit if criterion == "log_likelihood" else crit - best
    k = np.array([f.n_params if f is not None else 0 for f in fits], dtype=np.int64)
    return DistributionRanking(np.array([r[0] for r in rows], dtype=object), k,
                               col("log_likelihood"), col("aicc"), col("bic"), delta,
                               np.array([r[2] for r in rows], dtype=object), criterion, fits)
