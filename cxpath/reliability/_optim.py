"""Numerical helpers: finite-difference derivatives, the prepared data, the MLE search."""

from __future__ import annotations

import math

import numpy as np

from .._lazy import lazy_module
from .._warnings import warn as _warn
from ..errors import CxpathWarning
from ._models import Family, loglik
from .data import LifeData

optimize = lazy_module("scipy.optimize")

__all__ = ["Prepared", "gradient", "hessian", "maximise", "prepare"]


class Prepared:
    """Life data split by kind, with the facts the fits need."""

    def __init__(self, data: LifeData):
        code = data.kind_code
        lo, hi, w = data.lower, data.upper, data.count
        self.data = data
        self.parts = (lo[code == 0], w[code == 0], lo[code == 1], w[code == 1],
                      hi[code == 2], w[code == 2], lo[code == 3], hi[code == 3], w[code == 3])
        self.n = float(w.sum())
        self.n_failures = float(w[code != 1].sum())
        known = np.concatenate([lo[code == 0], hi[(code == 2) | (code == 3)]])
        #: the earliest time by which some unit is known to have failed: a location
        #: (failure-free time) cannot pass it
        self.first_failure = float(known.min()) if known.size else math.nan
        finite = np.concatenate([lo[lo > 0], hi[np.isfinite(hi) & (hi > 0)]])
        self.scale = float(np.median(finite)) if finite.size else 1.0
        self.exact_or_right = bool(np.all(code <= 1))
        self.distinct_failures = np.unique(np.concatenate(
            [lo[code == 0], hi[code == 2], 0.5 * (lo[code == 3] + hi[code == 3])])).size

    def loglik(self, fam: Family, th) -> float:
        return loglik(fam, th, self.parts)

    def pseudo(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Exact-or-right data for starting values: left-censored units as failures at half
        their time, interval-censored ones at the midpoint. ``(time, failed, count)``."""
        et, ew, rt, rw, lt, lw, il, iu, iw = self.parts
        t = np.concatenate([et, 0.5 * lt, 0.5 * (il + iu), rt])
        f = np.concatenate([np.ones(et.size + lt.size + il.size, dtype=bool),
                            np.zeros(rt.size, dtype=bool)])
        return t, f, np.concatenate([ew, lw, iw, rw])


def prepare(data: LifeData) -> Prepared:
    return Prepared(data)


def gradient(f, x: np.ndarray, steps: np.ndarray) -> np.ndarray:
    """Central-difference gradient with Richardson extrapolation (error O(h⁴))."""
    x = np.asarray(x, dtype=float)
    g = np.empty(x.size)
    for i in range(x.size):
        def d(h, i=i):
            e = np.zeros(x.size)
            e[i] = h
            return (f(x + e) - f(x - e)) / (2.0 * h)

        h = steps[i]
        g[i] = (4.0 * d(h / 2.0) - d(h)) / 3.0
    return g


def hessian(f, x: np.ndarray, steps: np.ndarray) -> np.ndarray:
    """Central-difference Hessian with Richardson extrapolation (error O(h⁴))."""
    x = np.asarray(x, dtype=float)
    k = x.size
    f0 = f(x)

    def once(scale: float) -> np.ndarray:
        h = steps * scale
        out = np.empty((k, k))
        for i in range(k):
            ei = np.zeros(k)
            ei[i] = h[i]
            out[i, i] = (f(x + ei) - 2.0 * f0 + f(x - ei)) / h[i] ** 2
            for j in range(i):
                ej = np.zeros(k)
                ej[j] = h[j]
                out[i, j] = out[j, i] = (f(x + ei + ej) - f(x + ei - ej) - f(x - ei + ej)
                                         + f(x - ei - ej)) / (4.0 * h[i] * h[j])
        return out

    return (4.0 * once(0.5) - once(1.0)) / 3.0


class Space:
    """The unconstrained coordinates the optimiser works in: logs of positive parameters,
    logits of proportions, locations divided by the data's time scale (box-bounded)."""

    def __init__(self, fam: Family, prep: Prepared):
        self.fam, self.prep = fam, prep
        self.s = prep.scale
        self.bounds = []
        for kind in fam.kinds:
            if kind == "location":
                # just inside the first failure where the density vanishes at the location
                # (the likelihood is 0 or infinite exactly there)
                top = prep.first_failure * (1.0 if fam.density_at_location else 1 - 1e-9)
                self.bounds.append((0.0, top / self.s))
            else:
                self.bounds.append((None, None))

    def to_u(self, th) -> np.ndarray:
        u = np.empty(len(th))
        for i, (kind, x) in enumerate(zip(self.fam.kinds, th)):
            u[i] = (math.log(x) if kind == "positive" else x / self.s if kind == "location"
                    else math.log(x / (1.0 - x)) if kind == "proportion" else x)
        return u

    def to_th(self, u) -> np.ndarray:
        th = np.empty(len(u))
        for i, (kind, x) in enumerate(zip(self.fam.kinds, u)):
            th[i] = (math.exp(x) if kind == "positive" else x * self.s if kind == "location"
                     else 1.0 / (1.0 + math.exp(-x)) if kind == "proportion" else x)
        return th

    def nll(self, u) -> float:
        """Negative log-likelihood per unit (inf outside the support)."""
        try:
            th = self.to_th(u)
        except OverflowError:
            return math.inf
        for (lo, hi), x in zip(self.bounds, u):
            if (lo is not None and x < lo) or (hi is not None and x > hi):
                return math.inf
        value = self.prep.loglik(self.fam, th)
        return -value / self.prep.n if math.isfinite(value) else math.inf

    def penalised(self, u) -> float:
        """:meth:`nll` with a large finite value instead of inf, so that a line search
        that steps outside the support backs off instead of stopping."""
        f = self.nll(u)
        return f if f < _PENALTY else _PENALTY


_PENALTY = 1e100


def maximise(fam: Family, prep: Prepared, starts: list, func: str) -> tuple[np.ndarray, bool]:
    """The MLE from the best of ``starts`` (natural parameters), polished by Newton steps.

    Returns ``(theta, at_bound)`` where ``at_bound[i]`` says the location sits at a bound.
    """
    space = Space(fam, prep)
    best_u, best_f = None, math.inf
    h = 1e-5
    for th0 in starts:
        try:
            u0 = space.to_u(th0)
        except (ValueError, OverflowError, ZeroDivisionError):
            continue
        u0 = np.array([min(max(x, lo if lo is not None else -np.inf),
                           hi if hi is not None else np.inf)
                       for x, (lo, hi) in zip(u0, space.bounds)])
        if not math.isfinite(space.nll(u0)):
            continue
        res = optimize.minimize(
            space.penalised, u0, method="L-BFGS-B", bounds=space.bounds,
            jac=lambda u: _grad_inside(space, u, h),
            options={"maxiter": 2000, "ftol": 1e-15, "gtol": 1e-11})
        res.fun = space.nll(res.x)
        if res.fun < best_f:
            best_u, best_f = res.x, res.fun
    if best_u is None:
        from .. import _validate as v

        v.fail("data", func, f"life data a {fam.label} distribution can describe", data=True,
               got="data where no starting value has a finite likelihood")
    u, at_bound = _polish(space, best_u)
    return space.to_th(u), at_bound


def _grad_inside(space: Space, u, h):
    """Central differences, one-sided at a box bound."""
    g = np.empty(u.size)
    f0 = space.nll(u)
    if not math.isfinite(f0):
        return np.zeros(u.size)
    for i, (lo, hi) in enumerate(space.bounds):
        e = np.zeros(u.size)
        e[i] = h
        up = hi is None or u[i] + h <= hi
        down = lo is None or u[i] - h >= lo
        if up and down:
            g[i] = (space.penalised(u + e) - space.penalised(u - e)) / (2 * h)
        elif up:
            g[i] = (space.penalised(u + e) - f0) / h
        else:
            g[i] = (f0 - space.penalised(u - e)) / h
    return np.where(np.abs(g) < 1e50, g, 0.0)


def _polish(space: Space, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Newton steps on the free coordinates until the step is below 1e-12."""
    u = np.array(u, dtype=float)
    tol_b = 1e-9
    at_bound = np.array([(lo is not None and u[i] - lo <= tol_b * max(1.0, abs(lo))) or
                         (hi is not None and hi - u[i] <= tol_b * max(1.0, abs(hi)))
                         for i, (lo, hi) in enumerate(space.bounds)])
    # a location that the optimiser left next to its upper bound: see whether the
    # likelihood still grows towards the bound (no interior maximum)
    for i, (_lo, hi) in enumerate(space.bounds):
        if hi is not None and not at_bound[i] and hi - u[i] < 1e-6 * max(1.0, hi):
            trial = u.copy()
            trial[i] = hi
            if space.nll(trial) <= space.nll(u):
                u = trial
            at_bound[i] = True
    free = np.flatnonzero(~at_bound)
    if free.size == 0:
        return u, at_bound
    steps = np.full(free.size, 1e-4)

    def sub(x):
        w = u.copy()
        w[free] = x
        return space.nll(w)

    x = u[free].copy()
    for _ in range(50):
        f0 = sub(x)
        g = gradient(sub, x, steps * 0.1)
        H = hessian(sub, x, steps)
        try:
            step = -np.linalg.solve(H, g)
        except np.linalg.LinAlgError:
            break
        if not np.all(np.isfinite(step)) or np.dot(step, g) > 0:
            break
        t = 1.0
        while t > 1e-6 and not sub(x + t * step) <= f0 + 1e-16 * abs(f0):
            t *= 0.5
        if t <= 1e-6:
            break
        x = x + t * step
        if np.max(np.abs(t * step)) < 1e-12:
            break
    u[free] = x
    return u, at_bound


def warn(message: str) -> None:
    _warn(message, CxpathWarning, stacklevel=3)
