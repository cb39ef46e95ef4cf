"""Exponential smoothing state-space models (ETS) and their automatic selection.

The models are those of Hyndman, Koehler, Ord & Snyder (2008), *Forecasting with
Exponential Smoothing: The State Space Approach*: error A/M, trend N/A/Ad, season N/A/M.
Estimation follows R ``forecast::ets``: heuristic initial states (classical decomposition,
then a regression on the seasonally adjusted start), Nelder-Mead on the likelihood
criterion ``n log(SSE) (+ 2 sum log|yhat|)`` over smoothing parameters and initial states,
inside R's usual region (``0 < beta < alpha < 1``, ``0 < gamma < 1 - alpha``,
``0.8 < phi < 0.98``) intersected with the admissible (forecastable) region, with ``beta``
by default also at most the starting ``alpha`` (``0.2 / m``; statsforecast's region, which
forecasts better on competition data: :func:`auto_ets` Notes). The recursions,
likelihood and optimisers are numba kernels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _validate as v
from .._budget import check_memory
from ..errors import CostError, DataError
from ._base import (
    Forecast,
    check_h,
    check_levels,
    check_series,
    normal_bands,
    quantile_bands,
    where,
)
from ._dates import dated

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .._typing import ArrayLike

__all__ = ["auto_ets", "ets", "holt", "holt_winters", "ses"]

_LOWER = np.array([1e-4, 1e-4, 1e-4, 0.8])
_UPPER = np.array([0.9999, 0.9999, 0.9999, 0.98])
_MAXIT = 1000
_MAX_RESTARTS = 100  # each restart is one more Nelder-Mead run per candidate
_MAX_CLASS2_H = 50_000  # analytic class-2 intervals cost h^2 / 2 multiply-adds
_TOL = 1e-4
#: The final recursion of a fitted model (states and errors, ``n * p`` state updates) and
#: its point forecasts (``h`` steps) run interpreted up to these sizes (~0.1 s, against
#: ~1 s to compile each kernel in a fresh process) while the kernels are neither compiled
#: nor cached (:func:`~cxpath._kernels._jit.by_work`; the same operations in the same
#: order, so the same numbers).
SMALL_CALC_WORK = 50_000
SMALL_POINT_STEPS = 100_000
_CODE = {"N": 0, "A": 1, "M": 2}
_LETTER = "NAM"


def model_name(error: int, trend: int, season: int, damped: bool) -> str:
    """``ETS(M,Ad,M)``-style name of a component code tuple."""
    t = _LETTER[trend] + ("d" if damped else "")
    return f"ETS({_LETTER[error]},{t},{_LETTER[season]})"


def _parse_model(model, damped, func):
    if not isinstance(model, str):
        v.fail("model", func, "a string such as 'ZZZ', 'AAN', 'AAdN' or 'MAM'", model)
    s = model.strip()
    d = None
    if len(s) == 4 and s[2] == "d":
        s, d = s[0] + s[1] + s[3], True
    if len(s) != 3 or s[0] not in "AMZ" or s[1] not in "NAZ" or s[2] not in "NAMZ":
        v.fail("model", func, "three letters: error in A/M/Z, trend in N/A/Z (optionally "
               "followed by 'd'), season in N/A/M/Z", model)
    if damped is not None:
        damped = v.check_bool(damped, "damped", func)
        if d is not None and not damped:
            v.fail("damped", func, "True or None for a damped model string", damped)
        d = damped
    if d and s[1] == "N":
        v.fail("damped", func, "False or None when the trend is 'N'", d)
    return s[0], s[1], s[2], d


def _fixed_array(values, func):
    out = np.full(4, np.nan)
    for i, (name, val, hi) in enumerate(zip(("alpha", "beta", "gamma", "phi"), values,
                                            (1.0, 1.0, 1.0, 1.0))):
        if val is not None:
            out[i] = v.check_real(val, name, func, low=0.0, high=hi, closed="right")
    return out


def _fit_ets(y, m, error, trend, season, damped, fixed, initial, name, est_count=None,
             est_crit=None, restarts=0, slow_trend=True):
    """Fit one model; return a dict with params, states, criterion, and helpers.

    ``est_count``/``est_crit`` describe an estimate made elsewhere (all parameters and states
    given): they replace the counts of the no-optimisation run.
    """
    from .._kernels import forecast as _k
    from .._kernels._jit import by_work

    fixed_arr = fixed if isinstance(fixed, np.ndarray) else _fixed_array(fixed, name)
    p = 1 + (trend != 0) + (m if season != 0 else 0)
    if initial is not None:
        init = v.as_float_array(initial, "initial_states", name)
        if init.shape[0] != p:
            v.fail("initial_states", name, f"of length {p} (level, trend, {m} seasonal "
                   "states as the model needs)", got=f"length {init.shape[0]}")
    else:
        init = np.empty(0)
    mm = m if season != 0 else 1
    # the usual bounds restrict estimated parameters; a fixed one only needs [0, 1] and
    # the admissible region (so ses(alpha=1) is the naive method, as a user expects)
    lower, upper = _LOWER.copy(), _UPPER.copy()
    given = ~np.isnan(fixed_arr)
    lower[given], upper[given] = 0.0, 1.0
    params, init0, crit, n_est, ok = _k.ets_fit(y, mm, error, trend, season, bool(damped),
                                                fixed_arr, init, _MAXIT, _TOL, lower, upper,
                                                restarts, slow_trend)
    n = y.shape[0]
    label = model_name(error, trend, season, damped)
    if est_count is not None:
        n_est, crit = est_count, est_crit
    if not ok:
        raise DataError(f"{name}: {label} cannot be fitted to this series of {n} "
                        "observations (too short for its parameters, or no admissible "
                        "parameters found).")
    alpha = params[0]
    beta = params[1] if trend != 0 else 0.0
    gamma = params[2] if season != 0 else 0.0
    phi = params[3] if damped else 1.0
    e = np.empty(n)
    states = np.empty((n + 1, p))
    by_work(_k.ets_calc, n * p, SMALL_CALC_WORK)(y, init0, mm, error, trend, season, alpha,
                                                 beta, gamma, phi, e, states)
    sse = float(np.sum(e * e))
    loglik = -0.5 * (crit + n * (np.log(2.0 * np.pi) + 1.0 - np.log(n)))
    k = int(n_est)
    aic = -2.0 * loglik + 2.0 * k
    aicc = aic + 2.0 * k * (k + 1.0) / (n - k - 1.0) if n - k - 1 > 0 else np.inf
    bic = -2.0 * loglik + np.log(n) * k
    sigma2 = sse / max(n - k, 1)
    last = states[-1].copy()

    def point(h):
        return by_work(_k.ets_point_forecast, h, SMALL_POINT_STEPS)(last, mm, trend, season,
                                                                    phi, h)

    if error == 1:
        fitted = y - e
    else:
        fitted = y / (1.0 + e)
    return {"alpha": float(alpha), "beta": float(beta), "gamma": float(gamma),
            "phi": float(phi), "params": params, "init": init0, "states": states, "e": e,
            "fitted": fitted, "crit": float(crit), "loglik": float(loglik), "aic": aic,
            "aicc": aicc, "bic": bic, "sigma2": sigma2, "n_params": k, "point": point,
            "m": mm, "components": (error, trend, season, bool(damped)), "name": label}


def _candidates(y, m, e, t, s, d, additive_only):
    positive = bool((y > 0).all())
    n = y.shape[0]
    errors = ["A", "M"] if e == "Z" else [e]
    trends = ["N", "A"] if t == "Z" else [t]
    seasons = ["N", "A", "M"] if s == "Z" else [s]
    if s == "Z" and (m == 1 or n < 2 * m or m > 24):
        seasons = ["N"]
    damps = [True, False] if d is None else [d]
    out = []
    for ee in errors:
        for tt in trends:
            for ss in seasons:
                for dd in damps:
                    if tt == "N" and dd:
                        continue
                    if ee == "A" and ss == "M":  # R forecast restrict=TRUE
                        continue
                    if additive_only and (ee == "M" or ss == "M"):
                        continue
                    if not positive and (ee == "M" or ss == "M"):
                        continue
                    out.append((_CODE[ee], _CODE[tt], _CODE[ss], bool(dd)))
    return out


_RANGE_K = 0.5  # sanity layer: spans allowed beyond the data's range (besides its pace)


def _implausible(fit, y, h):
    """Why the forecast of ``fit`` fails the sanity layer, or None when it passes.

    The rules, checked in this order over the ``h`` steps: a non-finite forecast; a
    forecast ``<= 0`` from a model with a multiplicative component when every observation
    is positive; at step ``j`` a forecast outside ``[min(y) - w_j, max(y) + w_j]``,
    ``w_j = span (k + j / (n - 1))`` with ``span = max(y) - min(y)`` and ``k = _RANGE_K``
    (the range widened by ``k`` spans and by the distance the series' average pace,
    ``span / (n - 1)`` per step, covers in ``j`` steps).
    """
    with np.errstate(all="ignore"):
        mean = np.asarray(fit["point"](h), dtype=np.float64)
    bad = ~np.isfinite(mean)
    if bad.any():
        j = int(np.argmax(bad))
        return f"non-finite forecast at step {j + 1}"
    error, _trend, season, _damped = fit["components"]
    lo, hi = float(y.min()), float(y.max())
    if (error == 2 or season == 2) and lo > 0 and mean.min() <= 0:
        j = int(np.argmax(mean <= 0))
        return (f"forecast {mean[j]:.4g} at step {j + 1} is not positive although every "
                "observation is (multiplicative model)")
    span = hi - lo
    with np.errstate(all="ignore"):
        w = span * (_RANGE_K + np.arange(1, h + 1) / (y.shape[0] - 1.0))
        out = (mean < lo - w) | (mean > hi + w)
    if out.any():
        j = int(np.argmax(out))
        return (f"forecast {mean[j]:.4g} at step {j + 1} is outside the plausible range "
                f"[{lo - w[j]:.4g}, {hi + w[j]:.4g}] (the data's range [{lo:.4g}, {hi:.4g}] "
                f"widened by {_RANGE_K:g} span + {j + 1} steps at the average pace)")
    return None


def _sane(y, h, order, build, ic, name, extra):
    """The first fit in ``order`` (by the criterion) that passes :func:`_implausible`.

    Records the rejected models in ``extra["rejected"]`` and warns once when the lowest-
    criterion model was replaced. When no candidate passes, the lowest-criterion model is
    kept (its forecast is refused later if it is not finite).
    """
    from .._warnings import warn
    from ..errors import CxpathWarning

    rejected = {}
    first = None
    chosen = None
    for i in order:
        fit = build(i)
        if first is None:
            first = fit
        why = _implausible(fit, y, h)
        if why is None:
            chosen = fit
            break
        rejected[fit["name"]] = why
    extra["rejected"] = rejected
    if not rejected:
        return chosen
    crit = ic.upper().replace("AICC", "AICc")
    top = next(iter(rejected))
    # stacklevel 6: _sane, _ets, the function, @dated's runner and wrapper, the caller
    if chosen is None:
        warn(f"{name}: no candidate ETS model passes the sanity check; keeping "
             f"{top}, the lowest {crit} ({rejected[top]}). Pass sanity=False to "
             "silence this check.", CxpathWarning, stacklevel=6)
        return first
    more = f" and {len(rejected) - 1} more" if len(rejected) > 1 else ""
    warn(f"{name}: {top} (lowest {crit}) fails the sanity check: {rejected[top]}. "
         f"Forecasting with {chosen['name']}, the next admissible model by {crit} "
         f"(rejected: {top}{more}; see info['rejected']). Pass sanity=False to "
         f"keep {top}.", CxpathWarning, stacklevel=6)
    return chosen


def _class1_variance(fit, h):
    """Hyndman et al. (2008, Table 6.1): sigma^2 (1 + sum_{j<h} c_j^2), linear models."""
    c = _cvals(fit, h)  # c_j for j = 1..h-1
    return fit["sigma2"] * (1.0 + np.concatenate([[0.0], np.cumsum(c * c)]))


def _cvals(fit, h):
    """``c_j = alpha + beta phi_j + gamma [j mod m = 0]`` for ``j = 1..h-1``."""
    a, b, g, phi, m = fit["alpha"], fit["beta"], fit["gamma"], fit["phi"], fit["m"]
    _, trend, season, damped = fit["components"]
    j = np.arange(1, max(h, 1), dtype=np.float64)
    phij = np.cumsum(phi ** j) if damped else j
    out = np.full(j.shape, a)
    if trend:
        out += b * phij
    if season:
        out += np.where(np.arange(1, max(h, 1)) % m == 0, g, 0.0)
    return out


def _class2_variance(fit, mean, name):
    """Hyndman et al. (2008, sec. 6.3): multiplicative error, additive components.

    ``theta_1 = mu_1^2``, ``theta_h = mu_h^2 + sigma^2 sum_{j<h} c_j^2 theta_{h-j}``,
    ``var_h = (1 + sigma^2) theta_h - mu_h^2``.
    """
    h = mean.shape[0]
    if h > _MAX_CLASS2_H:
        raise CostError(f"{name} would need about {h * h / 2:.2g} multiply-adds for analytic "
                        f"intervals of {h:,} steps (a multiplicative-error model's variance "
                        f"is a convolution, quadratic in h; the cap is h = {_MAX_CLASS2_H:,})."
                        " Use intervals='simulated', level=None, or a shorter horizon.")
    s2 = fit["sigma2"]
    c2 = _cvals(fit, h) ** 2
    theta = np.empty(h)
    for i in range(h):
        theta[i] = mean[i] ** 2 + s2 * float(np.dot(c2[:i], theta[:i][::-1]))
    return np.maximum((1.0 + s2) * theta - mean ** 2, 0.0)


def _intervals(fit, h, levels, how, npaths, seed, name):
    from ._simulate import simulate_paths

    mean = fit["point"](h)
    error, trend, season, _damped = fit["components"]
    linear = error == 1 and trend != 2 and season != 2
    class2 = error == 2 and trend != 2 and season != 2
    if how == "auto":
        how = "analytic" if linear or class2 else "simulated"
    if how == "analytic" and not (linear or class2):
        v.fail("intervals", name, "'simulated' or 'auto' for a multiplicative-season model "
               "(analytic intervals exist here for models with additive components)", how)
    if levels.size == 0:
        return mean, np.empty((0, h)), np.empty((0, h)), how
    if how == "analytic":
        var = _class1_variance(fit, h) if linear else _class2_variance(fit, mean, name)
        lo, hi = normal_bands(mean, np.sqrt(var), levels)
        return mean, lo, hi, how
    check_memory(8.0 * npaths * h * 2, name, f"{npaths:,} simulated paths of {h:,} steps",
                 how="Use fewer paths ('npaths'), a shorter horizon, or raise the cap with "
                     "the CXPATH_MAX_MEMORY environment variable (e.g. CXPATH_MAX_MEMORY=64GiB).")
    a, b, g, phi = fit["alpha"], fit["beta"], fit["gamma"], fit["phi"]
    paths = simulate_paths(fit["states"][-1].copy(), fit["m"], error, trend, season, a, b, g,
                           phi, float(np.sqrt(fit["sigma2"])), h, npaths, seed)
    paths = np.where(np.isfinite(paths), paths, np.nan)
    if np.isnan(paths).any():
        paths = paths[~np.isnan(paths).any(axis=1)]
        if paths.shape[0] < 10:
            raise DataError(f"{name}: simulated sample paths diverged; intervals cannot be "
                            "computed for this model.")
    lo, hi = quantile_bands(paths, levels)
    return mean, lo, hi, how


def _as_forecast(fit, h, levels, how, npaths, seed, name, series_id, extra=None):
    mean, lo, hi, how = _intervals(fit, h, levels, how, npaths, seed, name)
    error, trend, season, damped = fit["components"]
    params = {"alpha": fit["alpha"]}
    if trend:
        params["beta"] = fit["beta"]
    if season:
        params["gamma"] = fit["gamma"]
    if damped:
        params["phi"] = fit["phi"]
    info = {"components": _LETTER[error] + _LETTER[trend] + ("d" if damped else "")
            + _LETTER[season], "aic": fit["aic"], "aicc": fit["aicc"], "bic": fit["bic"],
            "loglik": fit["loglik"], "sigma2": fit["sigma2"], "n_params": fit["n_params"],
            "initial_state": fit["init"], "states": fit["states"], "m": fit["m"]}
    if extra:
        info.update(extra)
    if not np.all(np.isfinite(mean)):
        raise DataError(f"{name}: {fit['name']} gives non-finite forecasts for this series.")
    return Forecast(fit["name"], mean, levels, lo, hi, fit["fitted"], fit["e"] if error == 1
                    else (fit["e"] * fit["fitted"]), how, params, info, series_id)


@dated
def ets(y: ArrayLike, h: int, m: int = 1, *, model: str = "ZZZ", damped: bool | None = None,
        alpha: float | None = None, beta: float | None = None, gamma: float | None = None,
        phi: float | None = None, initial_states: ArrayLike | None = None, ic: str = "aicc",
        additive_only: bool = False, level: float | Sequence[float] = (80, 95),
        intervals: str = "auto", npaths: int = 2000, seed: int = 0, restarts: int = 0,
        beta_region: str = "slow", sanity: bool = True, series_id: Any = None) -> Forecast:
    """Fit an ETS model (or select one with ``Z`` letters) and forecast ``h`` steps.

    Parameters
    ----------
    y : array-like of shape (n,)
        The series; strictly positive for multiplicative error or season.
    h : int
        Forecast horizon.
    m : int, default 1
        Season length.
    model : str, default "ZZZ"
        Error, trend and season letters (``A``, ``M``, ``N``; ``Z`` = select). A damped
        trend is written ``"AAdN"`` or given by ``damped=True``.
    damped : bool, optional
        Damped trend; None tries both when the trend is selected or additive.
    alpha, beta, gamma, phi : float, optional
        Fixed smoothing parameters (estimated when None).
    initial_states : array-like, optional
        Fixed initial state ``[l0, (b0), (s_0, ..., s_{m-1})]`` with ``s_0`` the most
        recent season and ``s_{m-1}`` the one that forecasts ``y[0]``; estimated if None.
    ic : {"aicc", "aic", "bic"}, default "aicc"
        Selection criterion when several models are candidates.
    additive_only : bool, default False
        Only consider additive models when selecting.
    level : float or sequence of float, default (80, 95)
        Interval levels in percent.
    intervals : {"auto", "analytic", "simulated"}, default "auto"
        ``auto``: analytic for models with additive trend and season (Hyndman et al.
        2008, classes 1 and 2), simulated sample paths for a multiplicative season.
    npaths : int, default 2000
        Sample paths for simulated intervals.
    seed : int, default 0
        Seed of the simulation (results are reproducible).
    restarts : int, default 0
        Extra Nelder-Mead runs from the best point while they improve the likelihood. 0 is
        R's run and statsforecast's, the lower kept (plus the continuation off the edge
        ``beta = alpha``, :func:`auto_ets` Notes); 2-3 often finds a higher likelihood for
        seasonal models at 2-3 times the cost. At most 100.
    beta_region : {"slow", "usual"}, default "slow"
        Where an estimated ``beta`` may lie. ``"slow"``: at most the starting ``alpha``
        (``0.2 / m`` with a season, ``0.2`` without), the region statsforecast's AutoETS
        estimates in; it forecasts better on competition data (:func:`auto_ets` Notes).
        ``"usual"``: at most ``alpha``, R ``forecast::ets``'s usual region (R's fits).
    sanity : bool, default True
        When selecting (``Z`` letters), replace a model whose forecast is implausible by
        the next admissible one by ``ic`` (see :func:`auto_ets`); no effect on a fully
        specified model.
    series_id : object, optional
        Id used in messages and on the result.

    Returns
    -------
    Forecast
        ``info`` holds the components, AIC/AICc/BIC, Gaussian log-likelihood, sigma2,
        initial and fitted states, and (when selecting) every candidate's criterion and
        ``info["rejected"]``, the models the sanity layer set aside with the reason.

    Raises
    ------
    InvalidParameterError
        Unknown model string, bad ``m``/``h``/levels, parameters out of range.
    DataError
        NaN/inf, non-positive values for a multiplicative model, a seasonal model on a
        series shorter than two seasons, no model fittable.

    Notes
    -----
    The log-likelihood reported is the concentrated Gaussian one (as statsmodels'
    ``ETSModel``); R and statsforecast report ``-0.5 * n log(SSE)`` which differs by the
    constant ``n/2 (log n - log 2 pi - 1)``. Selection is unaffected.

    Examples
    --------
    >>> import numpy as np
    >>> from cxpath.forecast import ets
    >>> y = 50 + 10 * np.sin(np.arange(48) * 2 * np.pi / 12) + np.arange(48)
    >>> f = ets(y, 6, 12, model="AAA")
    >>> f.model, f.mean.shape
    ('ETS(A,A,A)', (6,))
    """
    return _ets("forecast.ets", y, h, m, model=model, damped=damped, alpha=alpha, beta=beta,
                gamma=gamma, phi=phi, initial_states=initial_states, ic=ic,
                additive_only=additive_only, level=level, intervals=intervals, npaths=npaths,
                seed=seed, restarts=restarts, beta_region=beta_region, sanity=sanity,
                series_id=series_id)


def _ets(func, y, h, m=1, *, model="ZZZ", damped=None, alpha=None, beta=None, gamma=None,
         phi=None, initial_states=None, ic="aicc", additive_only=False, level=(80, 95),
         intervals="auto", npaths=2000, seed=0, restarts=0, beta_region="slow", sanity=True,
         series_id=None):
    """:func:`ets` for the public function ``func`` that was called (named in errors)."""
    name = where(func, series_id)
    m = v.check_int(m, "m", name, low=1)
    h = check_h(h, name)
    e, t, s, d = _parse_model(model, damped, name)
    v.check_option(ic, "ic", name, ("aicc", "aic", "bic"))
    v.check_bool(additive_only, "additive_only", name)
    v.check_option(intervals, "intervals", name, ("auto", "analytic", "simulated"))
    npaths = v.check_int(npaths, "npaths", name, low=10)
    seed = v.check_int(seed, "seed", name, low=0, high=2**32 - 1)
    restarts = v.check_int(restarts, "restarts", name, low=0, high=_MAX_RESTARTS)
    v.check_option(beta_region, "beta_region", name, ("slow", "usual"))
    slow = beta_region == "slow"
    sanity = v.check_bool(sanity, "sanity", name)
    levels = check_levels(level, name)
    fixed = _fixed_array((alpha, beta, gamma, phi), name)
    if s in "AM" and m == 1:
        v.fail("m", name, "greater than 1 for a seasonal model", m)
    mult = e == "M" or s == "M"
    y = check_series(y, func, series_id=series_id, min_size=3, positive=mult)
    n = y.shape[0]
    if s in "AM" and n < 2 * m:
        v.fail("y", name, f"at least two seasons ({2 * m} observations) for a seasonal "
               "model", got=f"{n} observations", data=True)
    if "Z" not in model and d is None:
        d = False
    if np.all(y == y[0]) and "Z" in (e + t + s):
        # a constant series: simple exponential smoothing, as R and statsforecast do
        # the level starts at the value (R's ses(initial = "simple")): residuals are exactly
        # 0, so sigma2 is 0 and the bands are the value, not roundoff around it
        fit = _fit_ets(y, 1, 1, 0, 0, False, (0.99999, None, None, None), y[:1], name)
        extra = {"candidates": {fit["name"]: fit[ic]},
                 "note": f"constant series ({n} observations, all {y[0]:g}): simple "
                         "exponential smoothing with alpha = 0.99999, as R forecast::ets; no "
                         "trend" + (" or seasonal" if m > 1 else "") + " model considered"}
        return _as_forecast(fit, h, levels, intervals, npaths, seed, name, series_id, extra)
    cands = _candidates(y, m, e, t, s, d, additive_only)
    extra = {}
    if s == "Z" and m > 1 and all(c[2] == 0 for c in cands):
        extra["note"] = ("seasonal models not considered: " + (
            f"m = {m} > 24 (as R forecast::ets; fit model='..A' explicitly to force one)"
            if m > 24 else f"the series has fewer than two seasons ({n} < {2 * m})"))
    if all(c[2] == 0 for c in cands):
        m = 1  # no seasonal candidate: the season length plays no part in the fits
    if not cands:
        v.fail("model", name, "a combination allowed for this series (multiplicative "
               "components need positive data; additive error with multiplicative season "
               "is excluded as in R)", model)
    if initial_states is not None and len(cands) > 1:
        v.fail("initial_states", name, "None when the model is selected automatically",
               got="initial states")
    if len(cands) == 1:
        c = cands[0]
        fit = _fit_ets(y, m, c[0], c[1], c[2], c[3], fixed, initial_states, name,
                       restarts=restarts, slow_trend=slow)
        return _as_forecast(fit, h, levels, intervals, npaths, seed, name, series_id, extra)
    order, build, table = _select(y, m, cands, fixed, ic, name, restarts, slow)
    extra["candidates"] = table
    best = _sane(y, h, order, build, ic, name, extra) if sanity else build(order[0])
    return _as_forecast(best, h, levels, intervals, npaths, seed, name, series_id, extra)


def _select(y, m, cands, fixed, ic, name, restarts=0, slow_trend=True):
    from .._kernels import forecast as _k

    codes = np.array([[c[0], c[1], c[2], int(c[3])] for c in cands], dtype=np.int64)
    par, sts, crit, nest = _k.ets_fit_many_models(y, m, codes, fixed, _MAXIT, _TOL, _LOWER,
                                                  _UPPER, restarts, slow_trend)
    n = y.shape[0]
    k = nest.astype(np.float64)
    m2ll = crit + n * (np.log(2.0 * np.pi) + 1.0 - np.log(n))
    with np.errstate(divide="ignore", invalid="ignore"):
        score = {"aic": m2ll + 2 * k, "bic": m2ll + np.log(n) * k,
                 "aicc": np.where(n - k - 1 > 0, m2ll + 2 * k + 2 * k * (k + 1) / (n - k - 1),
                                  np.inf)}[ic]
    score = np.where(np.isfinite(score), score, np.inf)
    table = {model_name(c[0], c[1], c[2], c[3]): float(sc) for c, sc in zip(cands, score)}
    if not np.isfinite(score).any():
        raise DataError(f"{name}: no ETS model can be fitted to this series of {n} "
                        "observations.")
    # candidates by the criterion, ties in candidate order (as argmin)
    order = [int(i) for i in np.argsort(score, kind="stable") if np.isfinite(score[i])]

    def build(i):
        c = cands[i]
        p = 1 + (c[1] != 0) + (m if c[2] != 0 else 0)
        fixed_all = par[i].copy()
        fixed_all[np.isnan(fixed_all)] = 0.0
        # rerun the candidate's recursion from its estimates (no optimisation) for its states
        return _fit_ets(y, m, c[0], c[1], c[2], c[3], fixed_all, sts[i, :p], name,
                        est_count=int(nest[i]), est_crit=float(crit[i]))

    return order, build, table


@dated
def auto_ets(y: ArrayLike, h: int, m: int = 1, *, damped: bool | None = None, ic: str = "aicc",
             additive_only: bool = False, level: float | Sequence[float] = (80, 95),
             intervals: str = "auto", npaths: int = 2000, seed: int = 0, restarts: int = 0,
             beta_region: str = "slow", sanity: bool = True,
             series_id: Any = None) -> Forecast:
    """Select the ETS model with the lowest AICc (as R ``forecast::ets``) and forecast.

    Candidates: error A/M, trend N/A/Ad, season N/A/M (seasonal only when ``1 < m <= 24``
    and the series covers two seasons; ``info["note"]`` says when they were skipped),
    excluding additive error with multiplicative season
    and multiplicative components on non-positive data (R's ``restrict=TRUE``). A constant
    series gets simple exponential smoothing with ``alpha = 0.99999`` from a level at the
    value (R forecast::ets: ``ses(y, alpha = 0.99999, initial = "simple")``).

    Parameters
    ----------
    y : array-like of shape (n,)
        The series.
    h : int
        Forecast horizon.
    m : int, default 1
        Season length.
    damped : bool, optional
        Restrict to damped (True) or undamped (False) trends; None tries both.
    ic : {"aicc", "aic", "bic"}, default "aicc"
        Selection criterion.
    additive_only : bool, default False
        Only additive models.
    level : float or sequence of float, default (80, 95)
        Interval levels in percent.
    intervals : {"auto", "analytic", "simulated"}, default "auto"
        How intervals are computed (see :func:`ets`).
    npaths : int, default 2000
        Sample paths for simulated intervals.
    seed : int, default 0
        Simulation seed.
    restarts : int, default 0
        Extra Nelder-Mead runs per candidate (see :func:`ets`).
    beta_region : {"slow", "usual"}, default "slow"
        ``beta`` at most the starting ``alpha`` (statsforecast's region) or at most
        ``alpha`` (R's usual region, R's fits and selection); see Notes.
    sanity : bool, default True
        Apply the sanity layer (Notes): a candidate whose forecast is implausible gives way
        to the next admissible one by ``ic``, with a :class:`~cxpath.errors.CxpathWarning`.
        False keeps the lowest-criterion model whatever it forecasts.
    series_id : object, optional
        Id used in messages and on the result.

    Returns
    -------
    Forecast
        The selected model's forecast; ``info["candidates"]`` maps each model to its
        criterion value, ``info["rejected"]`` each model the sanity layer set aside to the
        reason (empty when the lowest-criterion model was kept).

    Raises
    ------
    InvalidParameterError
        Bad ``m``, ``h``, levels or options.
    DataError
        NaN/inf in ``y``, series too short for any model.

    Warns
    -----
    CxpathWarning
        Once per call, when the sanity layer replaced the lowest-criterion model (or found
        no candidate that passes, in which case that model is kept).

    Notes
    -----
    Estimation is R's: maximum likelihood over the smoothing parameters and the initial
    states, from R's heuristic start, in the usual region intersected with the admissible
    one (module docstring; by default with the slow-trend cap on ``beta`` below), by two
    Nelder-Mead runs from that start whose lower end is kept
    (R's on ties): R's own optimiser (``optim``'s Nelder-Mead, Nash 1990, with ``ets``'s
    2000 evaluations), which makes the fits R's (AirPassengers: R's ETS(M,Ad,M) and its
    alpha to 5e-6, with ``beta_region="usual"``), and statsforecast's bounded adaptive
    one, which gets further on some seasonal fits where R's simplex stalls.

    **Slow-trend region** (``beta_region="slow"``, the default). statsforecast's AutoETS
    estimates in a narrower region than R: its ``initparam`` lowers the bound arrays in
    place, so ``beta`` never exceeds the starting ``alpha`` (``0.2 / m`` with a season,
    ``0.2`` without). Where the two libraries differed on M1 and Tourism it was mostly that
    bound: on a short trending series ``beta`` near ``alpha`` has the higher likelihood
    (M1 YAI13: -82.30 at ``beta = 0.998`` against -84.17 at 0.2) and chases the last
    steps' slope. A cap on how fast the trend may change is a shrinkage that the
    likelihood alone does not supply, and it is kept because it forecasts better on five
    of six groups and on held-out M3 (docs/guide/forecast.md): on all
    2,312 M1 and Tourism series (competition horizons, ``bench_forecast_accuracy.py``)
    mean MASE with R's region / with the cap was 3.804 / 3.887 (M1 yearly), 1.673 / 1.613
    (quarterly), 1.076 / 1.061 (monthly), 2.961 / 2.797 (Tourism yearly), 1.589 / 1.572
    (quarterly), 1.526 / 1.516 (monthly; M1 yearly is the one that gets worse, still
    below statsforecast's 3.950), mean sMAPE lower on the same five groups, and
    the series where cxpath's MASE exceeded statsforecast's by 2x fell from 52 to 21
    (Tourism yearly 25 to 7). R's region stays one argument away (R's fits and selection;
    AirPassengers: ETS(M,Ad,M), whose ``beta`` 0.02 exceeds the cap ``0.0168``, against
    ETS(M,A,M) in the slow region).
    A run that stops on the oblique edge ``beta = alpha`` (or ``gamma = 1 - alpha``) of
    the usual region, where a simplex of penalised vertices cannot slide along it, is
    continued with ``beta`` and ``gamma`` as positions in their ranges, which makes that
    edge a box face (short trending series whose maximum is the corner
    ``alpha = beta = 1e-4``, a fixed linear trend, such as M1 YAG15 and YAC7 and Tourism
    Y309, now reach it).

    **Sanity layer.** The candidates are taken in the order of the criterion and the first
    whose forecast over the ``h`` steps passes these rules is used:

    1. every forecast is finite;
    2. a model with a multiplicative error or season forecasts no value ``<= 0`` when every
       observation is positive;
    3. at step ``j`` the forecast lies in ``[min(y) - w_j, max(y) + w_j]`` with
       ``w_j = span (0.5 + j / (n - 1))``, ``span = max(y) - min(y)``: the data's range
       widened by half its span and by the distance the series' average pace
       (``span / (n - 1)`` per step) covers in ``j`` steps, so a straight-line trend is
       never cut whatever the horizon.

    The factor 0.5 was chosen in R's region on M1 and Tourism (2,312 series, competition
    horizons): the layer changes the model of 11 M1 and 7 Tourism series and lowers mean
    MASE on four of the six frequency groups (M1 yearly 3.992 to 3.961, monthly 1.097 to
    1.089, Tourism yearly 2.925 to 2.893, quarterly 1.635 to 1.631), leaves Tourism monthly
    unchanged and raises M1 quarterly (1.587 to 1.626). A factor 1 fires less with smaller
    gains; 0.25 or less fires on 20-60 series per group and hurts M1 yearly. Checked
    afterwards on M3 (3,003 series, not used for the choice): it fires on 27 series and
    lowers mean MASE on yearly (2.778 to 2.690), quarterly (1.166 to 1.163) and monthly data
    (0.8657 to 0.8641). In the slow-trend region fewer fits chase a trend and the layer
    fires on 7 of the 2,312 M1 and Tourism series (M1 monthly 6, Tourism yearly 1).
    ``sanity=False`` gives R's choice, the lowest criterion.

    Examples
    --------
    >>> import numpy as np
    >>> from cxpath.forecast import auto_ets
    >>> rng = np.random.default_rng(0)
    >>> y = 100 + 20 * (np.arange(70) % 7 == 5) + rng.normal(0, 2, 70)
    >>> f = auto_ets(y, 14, 7)
    >>> f.info["components"][-1] in "AM"
    True
    >>> f.info["rejected"]
    {}
    """
    return _ets("forecast.auto_ets", y, h, m, model="ZZZ", damped=damped, ic=ic,
                additive_only=additive_only, level=level, intervals=intervals,
                npaths=npaths, seed=seed, restarts=restarts, beta_region=beta_region,
                sanity=sanity, series_id=series_id)


@dated
def ses(y: ArrayLike, h: int, *, alpha: float | None = None,
        level: float | Sequence[float] = (80, 95), series_id: Any = None) -> Forecast:
    """Simple exponential smoothing, ETS(A,N,N), with fixed or estimated ``alpha``.

    Parameters
    ----------
    y : array-like of shape (n,)
        The series.
    h : int
        Forecast horizon.
    alpha : float, optional
        Smoothing parameter in (0, 1]; estimated with the initial level when None.
    level : float or sequence of float, default (80, 95)
        Interval levels in percent.
    series_id : object, optional
        Id used in messages and on the result.

    Returns
    -------
    Forecast

    Raises
    ------
    DataError
        NaN/inf or too short a series.

    Examples
    --------
    >>> from cxpath.forecast import ses
    >>> f = ses([3.0, 5.0, 4.0, 6.0, 5.0, 7.0], 2, alpha=0.5)
    >>> f.model
    'ETS(A,N,N)'
    """
    return _ets("forecast.ses", y, h, 1, model="ANN", alpha=alpha, level=level,
                series_id=series_id)


@dated
def holt(y: ArrayLike, h: int, *, damped: bool = False, alpha: float | None = None,
         beta: float | None = None, phi: float | None = None,
         level: float | Sequence[float] = (80, 95), beta_region: str = "slow",
         series_id: Any = None) -> Forecast:
    """Holt's linear trend method, ETS(A,A,N) or ETS(A,Ad,N), fixed or fitted parameters.

    Parameters
    ----------
    y : array-like of shape (n,)
        The series.
    h : int
        Forecast horizon.
    damped : bool, default False
        Damped trend.
    alpha, beta, phi : float, optional
        Fixed parameters (estimated when None); ``beta`` here is the trend smoothing of
        the error-correction form (``beta = alpha * beta*``).
    level : float or sequence of float, default (80, 95)
        Interval levels in percent.
    beta_region : {"slow", "usual"}, default "slow"
        Region of an estimated ``beta`` (see :func:`ets`).
    series_id : object, optional
        Id used in messages and on the result.

    Returns
    -------
    Forecast

    Raises
    ------
    DataError
        NaN/inf or too short a series.

    Examples
    --------
    >>> from cxpath.forecast import holt
    >>> holt([1.0, 2.1, 2.9, 4.2, 5.0, 6.1, 6.9, 8.0], 2).model
    'ETS(A,A,N)'
    """
    damped = v.check_bool(damped, "damped", where("forecast.holt", series_id))
    return _ets("forecast.holt", y, h, 1, model="AAN", damped=damped, alpha=alpha, beta=beta,
                phi=phi, level=level, beta_region=beta_region, series_id=series_id)


@dated
def holt_winters(y: ArrayLike, h: int, m: int, *, seasonal: str = "additive", damped: bool = False,
                 alpha: float | None = None, beta: float | None = None, gamma: float | None = None,
                 phi: float | None = None, initial_states: ArrayLike | None = None,
                 level: float | Sequence[float] = (80, 95), beta_region: str = "slow",
                 series_id: Any = None) -> Forecast:
    """Holt-Winters' seasonal method: ETS(A,A,A) (additive) or ETS(M,A,M) (multiplicative).

    Parameters
    ----------
    y : array-like of shape (n,)
        The series (at least two seasons; positive for the multiplicative form).
    h : int
        Forecast horizon.
    m : int
        Season length (at least 2).
    seasonal : {"additive", "multiplicative"}, default "additive"
        Seasonal form.
    damped : bool, default False
        Damped trend.
    alpha, beta, gamma, phi : float, optional
        Fixed parameters (estimated when None).
    initial_states : array-like, optional
        Fixed initial state (see :func:`ets`).
    level : float or sequence of float, default (80, 95)
        Interval levels in percent.
    beta_region : {"slow", "usual"}, default "slow"
        Region of an estimated ``beta`` (see :func:`ets`).
    series_id : object, optional
        Id used in messages and on the result.

    Returns
    -------
    Forecast

    Raises
    ------
    InvalidParameterError
        ``m`` < 2 or unknown ``seasonal``.
    DataError
        Series shorter than two seasons, NaN/inf, non-positive values (multiplicative).

    Examples
    --------
    >>> import numpy as np
    >>> from cxpath.forecast import holt_winters
    >>> y = 20 + 5 * np.tile([1.0, -1.0, 2.0, -2.0], 6) + np.arange(24) * 0.5
    >>> holt_winters(y, 4, 4).mean.shape
    (4,)
    """
    func = "forecast.holt_winters"
    name = where(func, series_id)
    v.check_option(seasonal, "seasonal", name, ("additive", "multiplicative"))
    m = v.check_int(m, "m", name, low=2)
    damped = v.check_bool(damped, "damped", name)
    model = "AAA" if seasonal == "additive" else "MAM"
    return _ets(func, y, h, m, model=model, damped=damped, alpha=alpha, beta=beta,
                gamma=gamma, phi=phi, initial_states=initial_states, level=level,
                beta_region=beta_region, series_id=series_id)
