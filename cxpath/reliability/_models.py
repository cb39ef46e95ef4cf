"""Lifetime distributions: log-density, log-survival, quantiles and the log-likelihood.

Parameters follow the names practitioners (and the ``reliability`` package) use: Weibull
``alpha`` (scale), ``beta`` (shape), ``gamma`` (location); lognormal ``mu``, ``sigma`` (of
``ln t``); exponential ``lambda`` (rate); gamma ``alpha`` (scale), ``beta`` (shape);
log-logistic ``alpha`` (scale), ``beta`` (shape). A location shifts the distribution: the
unit cannot fail before ``gamma``.
"""

from __future__ import annotations

import math

import numpy as np

from .._lazy import lazy_module
from .._typing import ArrayLike

special = lazy_module("scipy.special")
stats = lazy_module("scipy.stats")

__all__ = ["FAMILIES", "Family", "family", "log1mexp", "loglik"]

_LOG_HALF = math.log(0.5)


def log1mexp(x: np.ndarray) -> np.ndarray:
    """``log(1 - exp(x))`` for ``x <= 0``, accurate at both ends (Mächler 2012)."""
    x = np.asarray(x, dtype=float)
    out = np.full(x.shape, -np.inf)
    near = x > -math.log(2.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(near, np.log(-np.expm1(x)), np.log1p(-np.exp(x)))
    return np.where(x >= 0, -np.inf, out)


class Family:
    """One lifetime distribution. ``kinds`` says how each parameter is constrained:
    ``'positive'``, ``'real'``, ``'location'`` (in ``[0, first failure]``) or
    ``'proportion'`` (in (0, 1))."""

    name = ""
    label = ""
    params: tuple = ()
    kinds: tuple = ()
    #: index of the parameter solved for in :meth:`with_quantile` (the scale)
    scale_index = 0
    #: linearising transform of the reliability for Fisher bounds: 'cloglog' (ln −ln R),
    #: 'probit' (Φ⁻¹ of F) or 'logit' (of F)
    link = "cloglog"
    rank_regression = True

    @property
    def k(self) -> int:
        return len(self.params)

    @property
    def has_location(self) -> bool:
        return "location" in self.kinds

    def shift(self, t: ArrayLike, th: ArrayLike) -> np.ndarray:
        """Time after the location (``t - gamma``), or ``t``."""
        return t - th[-1] if self.has_location else t

    # -- to implement on the shifted time s > 0 --------------------------------------
    def _logpdf(self, s, th):
        raise NotImplementedError

    def _logsf(self, s, th):
        raise NotImplementedError

    def _logcdf(self, s, th):
        return log1mexp(self._logsf(s, th))

    def _quantile(self, p, th):
        raise NotImplementedError

    def mean(self, th: ArrayLike) -> float:
        raise NotImplementedError

    # -- public, on the time itself ---------------------------------------------------
    #: the density is positive at the location itself (the 2-parameter exponential)
    density_at_location = False

    def logpdf(self, t: ArrayLike, th: ArrayLike) -> np.ndarray:
        s = self.shift(np.asarray(t, dtype=float), th)
        inside = (s >= 0) if self.density_at_location else (s > 0)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            out = self._logpdf(np.where(inside, s, 1.0), th)
        return np.where(inside, out, -np.inf)

    def logsf(self, t: ArrayLike, th: ArrayLike) -> np.ndarray:
        s = self.shift(np.asarray(t, dtype=float), th)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            out = self._logsf(np.where(s > 0, s, 1.0), th)
        return np.where(s > 0, out, 0.0)

    def logcdf(self, t: ArrayLike, th: ArrayLike) -> np.ndarray:
        s = self.shift(np.asarray(t, dtype=float), th)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            out = self._logcdf(np.where(s > 0, s, 1.0), th)
        return np.where(s > 0, out, -np.inf)

    def quantile(self, p: ArrayLike, th: ArrayLike) -> np.ndarray:
        p = np.asarray(p, dtype=float)
        base = self._quantile(p, th)
        return base + th[-1] if self.has_location else base

    def with_quantile(self, th: ArrayLike, p: float, t: float) -> np.ndarray | None:
        """Parameters with the scale changed so that ``quantile(p) == t`` (None if none)."""
        th = np.array(th, dtype=float)
        loc = th[-1] if self.has_location else 0.0
        if t <= loc:
            return None
        th[self.scale_index] = self._scale_for(th, p, t - loc)
        return th

    def _scale_for(self, th, p, s):
        raise NotImplementedError

    def lower_bound(self) -> np.ndarray:
        """Smallest value of each parameter (locations: 0)."""
        lo = {"positive": 0.0, "real": -np.inf, "location": 0.0, "proportion": 0.0}
        return np.array([lo[k] for k in self.kinds])

    # -- probability plots ------------------------------------------------------------
    def plot_y(self, F: ArrayLike) -> np.ndarray:
        """The probability axis: the linearised value of a failure probability."""
        F = np.asarray(F, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            if self.link == "probit":
                return special.ndtri(F)
            if self.link == "logit":
                return np.log(F / (1.0 - F))
            return np.log(-np.log1p(-F))

    def plot_x(self, t: ArrayLike, th: ArrayLike | None = None) -> np.ndarray:
        """The time axis: ``ln(t - gamma)`` (``t - gamma`` for the exponential)."""
        s = np.asarray(t, dtype=float)
        if th is not None and self.has_location:
            s = s - th[-1]
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log(s)

    x_label = "ln(t)"

    @property
    def y_label(self) -> str:
        return {"probit": "Φ⁻¹(F)", "logit": "ln(F / (1 − F))",
                "cloglog": "ln(−ln(1 − F))"}[self.link]

    def from_line(self, slope: float, intercept: float,
                  gamma: float | None = None) -> np.ndarray:
        """Parameters from the line ``y = slope * x + intercept`` of the probability plot."""
        raise NotImplementedError


class _Weibull(Family):
    name, label = "weibull", "Weibull (2-parameter)"
    params, kinds = ("alpha", "beta"), ("positive", "positive")

    def _logpdf(self, s, th):
        a, b = th[0], th[1]
        x = np.log(s / a)
        return math.log(b / a) + (b - 1.0) * x - np.exp(b * x)

    def _logsf(self, s, th):
        return -np.exp(th[1] * np.log(s / th[0]))

    def _logcdf(self, s, th):
        return log1mexp(-np.exp(th[1] * np.log(s / th[0])))

    def _quantile(self, p, th):
        with np.errstate(divide="ignore"):
            return th[0] * (-np.log1p(-p)) ** (1.0 / th[1])

    def _scale_for(self, th, p, s):
        return s / (-math.log1p(-p)) ** (1.0 / th[1])

    def mean(self, th: ArrayLike) -> float:
        m = th[0] * math.gamma(1.0 + 1.0 / th[1])
        return m + (th[2] if self.has_location else 0.0)

    def from_line(self, slope: float, intercept: float,
                  gamma: float | None = None) -> np.ndarray:
        beta = slope
        alpha = math.exp(-intercept / beta)
        return np.array([alpha, beta] + ([] if gamma is None else [gamma]))


class _Weibull3(_Weibull):
    name, label = "weibull_3p", "Weibull (3-parameter)"
    params, kinds = ("alpha", "beta", "gamma"), ("positive", "positive", "location")
    x_label = "ln(t − gamma)"


class _Exponential(Family):
    name, label = "exponential", "Exponential (1-parameter)"
    params, kinds = ("lambda",), ("positive",)
    x_label = "t"

    def _logpdf(self, s, th):
        return math.log(th[0]) - th[0] * s

    def _logsf(self, s, th):
        return -th[0] * s

    def _quantile(self, p, th):
        with np.errstate(divide="ignore"):
            return -np.log1p(-p) / th[0]

    def _scale_for(self, th, p, s):
        return -math.log1p(-p) / s

    def mean(self, th: ArrayLike) -> float:
        return 1.0 / th[0] + (th[1] if self.has_location else 0.0)

    def plot_x(self, t: ArrayLike, th: ArrayLike | None = None) -> np.ndarray:
        s = np.asarray(t, dtype=float)
        return s - th[-1] if th is not None and self.has_location else s

    def plot_y(self, F: ArrayLike) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return -np.log1p(-np.asarray(F, dtype=float))

    @property
    def y_label(self):
        return "−ln(1 − F)"

    def from_line(self, slope: float, intercept: float,
                  gamma: float | None = None) -> np.ndarray:
        return np.array([slope] + ([] if gamma is None else [gamma]))


class _Exponential2(_Exponential):
    name, label = "exponential_2p", "Exponential (2-parameter)"
    params, kinds = ("lambda", "gamma"), ("positive", "location")
    x_label = "t − gamma"
    density_at_location = True


class _Lognormal(Family):
    name, label = "lognormal", "Lognormal"
    params, kinds = ("mu", "sigma"), ("real", "positive")
    link = "probit"

    def _z(self, s, th):
        return (np.log(s) - th[0]) / th[1]

    def _logpdf(self, s, th):
        z = self._z(s, th)
        return -0.5 * z * z - np.log(s) - math.log(th[1]) - 0.5 * math.log(2.0 * math.pi)

    def _logsf(self, s, th):
        return special.log_ndtr(-self._z(s, th))

    def _logcdf(self, s, th):
        return special.log_ndtr(self._z(s, th))

    def _quantile(self, p, th):
        return np.exp(th[0] + th[1] * special.ndtri(p))

    def _scale_for(self, th, p, s):
        return math.log(s) - th[1] * float(special.ndtri(p))

    def mean(self, th: ArrayLike) -> float:
        return math.exp(th[0] + 0.5 * th[1] ** 2)

    def from_line(self, slope: float, intercept: float,
                  gamma: float | None = None) -> np.ndarray:
        sigma = 1.0 / slope
        return np.array([-intercept * sigma, sigma])


class _Gamma(Family):
    name, label = "gamma", "Gamma"
    params, kinds = ("alpha", "beta"), ("positive", "positive")
    rank_regression = False

    def _logpdf(self, s, th):
        a, b = th[0], th[1]
        return (b - 1.0) * np.log(s) - s / a - b * math.log(a) - special.gammaln(b)

    def _logsf(self, s, th):
        return stats.gamma.logsf(s, th[1], scale=th[0])

    def _logcdf(self, s, th):
        return stats.gamma.logcdf(s, th[1], scale=th[0])

    def _quantile(self, p, th):
        return th[0] * special.gammaincinv(th[1], p)

    def _scale_for(self, th, p, s):
        return s / float(special.gammaincinv(th[1], p))

    def mean(self, th: ArrayLike) -> float:
        return th[0] * th[1]


class _Loglogistic(Family):
    name, label = "loglogistic", "Log-logistic"
    params, kinds = ("alpha", "beta"), ("positive", "positive")
    link = "logit"

    def _logpdf(self, s, th):
        a, b = th[0], th[1]
        x = np.log(s / a)
        return math.log(b / a) + (b - 1.0) * x - 2.0 * np.logaddexp(0.0, b * x)

    def _logsf(self, s, th):
        return -np.logaddexp(0.0, th[1] * np.log(s / th[0]))

    def _logcdf(self, s, th):
        return -np.logaddexp(0.0, -th[1] * np.log(s / th[0]))

    def _quantile(self, p, th):
        with np.errstate(divide="ignore"):
            return th[0] * (p / (1.0 - p)) ** (1.0 / th[1])

    def _scale_for(self, th, p, s):
        return s / (p / (1.0 - p)) ** (1.0 / th[1])

    def mean(self, th: ArrayLike) -> float:
        b = th[1]
        return th[0] * (math.pi / b) / math.sin(math.pi / b) if b > 1 else math.inf

    def from_line(self, slope: float, intercept: float,
                  gamma: float | None = None) -> np.ndarray:
        beta = slope
        return np.array([math.exp(-intercept / beta), beta])


class _WeibullMixture(Family):
    """``F = p F₁ + (1 − p) F₂`` with two 2-parameter Weibull components; component 1 is
    the one with the smaller scale (the early, infant-mortality population)."""

    name, label = "weibull_mixture", "Weibull mixture (2 components)"
    params = ("alpha_1", "beta_1", "alpha_2", "beta_2", "proportion_1")
    kinds = ("positive", "positive", "positive", "positive", "proportion")
    rank_regression = False
    _w = _Weibull()

    def _parts(self, th):
        p = th[4]
        return (math.log(p), th[0:2]), (math.log1p(-p), th[2:4])

    def _logpdf(self, s, th):
        (lp, a), (lq, b) = self._parts(th)
        return np.logaddexp(lp + self._w._logpdf(s, a), lq + self._w._logpdf(s, b))

    def _logsf(self, s, th):
        (lp, a), (lq, b) = self._parts(th)
        return np.logaddexp(lp + self._w._logsf(s, a), lq + self._w._logsf(s, b))

    def _logcdf(self, s, th):
        (lp, a), (lq, b) = self._parts(th)
        return np.logaddexp(lp + self._w._logcdf(s, a), lq + self._w._logcdf(s, b))

    def _quantile(self, p, th):
        from scipy.optimize import brentq

        p = np.atleast_1d(np.asarray(p, dtype=float))
        out = np.empty(p.shape)
        lo = min(self._w._quantile(1e-300, th[0:2]), self._w._quantile(1e-300, th[2:4]))
        for i, q in enumerate(p.ravel()):
            if q <= 0:
                out.flat[i] = 0.0
                continue
            if q >= 1:
                out.flat[i] = np.inf
                continue
            a = min(self._w._quantile(q, th[0:2]), self._w._quantile(q, th[2:4]))
            b = max(self._w._quantile(q, th[0:2]), self._w._quantile(q, th[2:4]))
            a, b = max(a * 0.999, lo), b * 1.001

            def gap(x, q=q):
                return float(np.expm1(self._logcdf(np.exp(x), th)[()] - math.log(q)))

            out.flat[i] = math.exp(brentq(gap, math.log(a), math.log(b), xtol=1e-15,
                                          rtol=1e-15))
        return out

    def mean(self, th: ArrayLike) -> float:
        return th[4] * self._w.mean(th[0:2]) + (1 - th[4]) * self._w.mean(th[2:4])


FAMILIES = {f.name: f for f in (_Weibull(), _Weibull3(), _Lognormal(), _Exponential(),
                                _Exponential2(), _Gamma(), _Loglogistic(), _WeibullMixture())}


def family(name: str, func: str, param: str = "distribution") -> Family:
    """The family called ``name``, or the shaped error listing the names."""
    from .. import _validate as v

    if not isinstance(name, str):
        v.fail(param, func, "one of " + ", ".join(map(repr, FAMILIES)), name, wrong_type=True)
    return FAMILIES[v.check_option(name, param, func, tuple(FAMILIES))]


def loglik(fam: Family, th, parts) -> float:
    """Log-likelihood of the parameters ``th`` for life data split by kind.

    ``parts`` is ``(exact_t, exact_w, right_t, right_w, left_t, left_w, int_lo, int_hi,
    int_w)``. Interval rows use ``log(F(u) − F(l))`` from the CDF side when ``F(u) < 1/2``
    and from the survival side otherwise, so neither tail loses precision.
    """
    et, ew, rt, rw, lt, lw, il, iu, iw = parts
    total = 0.0
    if et.size:
        total += float(np.dot(ew, fam.logpdf(et, th)))
    if rt.size:
        total += float(np.dot(rw, fam.logsf(rt, th)))
    if lt.size:
        total += float(np.dot(lw, fam.logcdf(lt, th)))
    if il.size:
        cu, cl = fam.logcdf(iu, th), fam.logcdf(il, th)
        su, sl = fam.logsf(iu, th), fam.logsf(il, th)
        with np.errstate(invalid="ignore"):
            by_cdf = cu + log1mexp(np.minimum(cl - cu, 0.0))
            by_sf = sl + log1mexp(np.minimum(su - sl, 0.0))
        total += float(np.dot(iw, np.where(cu < _LOG_HALF, by_cdf, by_sf)))
    return total if math.isfinite(total) else -math.inf
