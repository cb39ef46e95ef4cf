"""Forecasting kernels: exponential smoothing recursions, intermittent-demand updates, ETS.

Conventions
-----------
* Component codes: ``0`` none, ``1`` additive, ``2`` multiplicative (error, trend, season).
* ETS states follow Hyndman et al. (2008): ``[l, b, s_0, ..., s_{m-1}]`` where ``s_0`` is the
  most recent seasonal state and ``s_{m-1}`` the one used for the next forecast.
* The ETS criterion returned by :func:`ets_calc` is R forecast's ``lik``:
  ``n * log(SSE)`` (+ ``2 * sum(log|yhat|)`` for multiplicative errors).

Cold start (#19): the first ``auto_ets`` in a fresh process compiles every kernel on its
path, so the ETS kernels keep that compile small:

* one compiled kernel per job, the model a runtime flag (no specialisation per model), and
  one type signature each: the Python drivers :func:`ets_fit` and
  :func:`ets_fit_many_models` normalise their arguments (float64 C arrays, int codes);
* the drivers are plain Python: numba links a callee's whole library into its caller and
  optimises and emits it again, so every compiled layer above Nelder-Mead re-paid the
  optimiser's code (the two driver layers were 40 % of the cold call);
* ``math.isnan``/``math.isfinite`` on scalars, ``np.empty`` plus loops instead of
  ``np.zeros``/``np.full``/``.copy()``/``.mean()``/``np.argmin``/row assignment: each of
  those compiles a generic numpy implementation of its own (row assignment also compiles
  the formatting of its shape-mismatch error message, ~2 s);
* the heuristic initial states are computed in numpy (:func:`_initial_states`), once per
  trend and season of a series: compiling them as a kernel with its two helpers was a
  quarter of the cold first call, for microseconds of work (the loop version survives as
  the test oracle ``tests/_kernels/ets_reference.py``);
* an optimiser's own body is the largest compile (~3.5 s of CPU even around a stub
  objective): while one (:func:`ets_nmmin`, :func:`ets_nelder_mead`) is neither compiled
  nor cached, its Python function runs (:data:`PYTHON_NM_BUDGET`) over lists of floats
  (:func:`_on_lists`, hence the flat simplex) around the objective, itself then Python with
  its region test
  (:func:`_admissible`, :func:`_schur`) over floats around the compiled :func:`ets_lik`
  (:func:`_objective`: the objective chain was ~1.3 s of the ~1.8 s compiled); the
  usual-region test is inline in :func:`ets_objective` (one compiled layer fewer); the final
  recursion and the point forecasts of a short series run interpreted
  (``cxpath.forecast.ets.SMALL_CALC_WORK``).
"""

from __future__ import annotations

import math
import types

import numpy as np

from . import _jit
from ._jit import kernel

_TOL = 1e-10
_HUGE = 1e10
_WALL = 0.05  # ets_fit: beta (gamma) this close to alpha (1 - alpha), as a share of its range
_Y = np.array([3.0, 0.0, 5.0, 2.0, 0.0, 0.0, 4.0, 1.0, 0.0, 2.0, 0.0, 3.0])
_YS = np.array([10.0, 12.0, 14.0, 11.0, 10.0, 13.0, 15.0, 12.0, 11.0, 14.0, 16.0, 13.0,
                12.0, 15.0, 17.0, 14.0])
_BOUNDS_LO = np.array([1e-4, 1e-4, 1e-4, 0.8])
_BOUNDS_HI = np.array([0.9999, 0.9999, 0.9999, 0.98])
_NAN4 = np.full(4, np.nan)
#: the optimisers' vectors and flat simplex: numpy arrays compiled, lists of floats on their
#: Python route (:func:`_optimiser`), where items are Python floats, not numpy scalars
_floats = np.empty


@kernel(example=lambda: (_Y,))
def scan(y):
    """``(minimum, all finite)`` of a series in one pass (the validation fast path)."""
    low = np.inf
    ok = True
    for v in y:
        if not math.isfinite(v):
            ok = False
        elif v < low:
            low = v
    return low, ok


# --------------------------------------------------------------------------- SES family


@kernel(example=lambda: (_Y, 0.1))
def ses_forecast(x, alpha):
    """Simple exponential smoothing started at ``x[0]``: ``(next value, one-step fitted)``.

    ``fitted[0]`` is NaN; ``fitted[i]`` is the forecast of ``x[i]`` made from ``x[:i]``.
    """
    n = x.shape[0]
    fitted = np.empty(n)
    if n == 1:
        fitted[0] = np.nan
        return x[0], fitted
    keep = 1.0 - alpha
    fitted[0] = x[0]
    for i in range(1, n):
        fitted[i] = alpha * x[i - 1] + keep * fitted[i - 1]
    nxt = alpha * x[n - 1] + keep * fitted[n - 1]
    fitted[0] = np.nan
    return nxt, fitted


@kernel(example=lambda: (0.1, _Y))
def ses_sse(alpha, x):
    """Sum of squared one-step errors of SES started at ``x[0]`` (0 for fewer than 2 values)."""
    n = x.shape[0]
    if n < 2:
        return 0.0
    keep = 1.0 - alpha
    level = x[0]
    total = 0.0
    for i in range(1, n):
        level = alpha * x[i - 1] + keep * level
        err = x[i] - level
        total += err * err
    return total


@kernel(example=lambda: (_Y, 0.1, 0.3))
def golden_ses(x, lower, upper):
    """Golden-section search of the SES alpha in ``[lower, upper]`` minimising the SSE.

    Stops when the bracket is narrower than 1e-12 or the two probes tie exactly; returns
    the bracket midpoint.
    """
    ratio = (math.sqrt(5.0) + 1.0) / 2.0
    a = lower
    b = upper
    c = b - (b - a) / ratio
    d = a + (b - a) / ratio
    fc = ses_sse(c, x)
    fd = ses_sse(d, x)
    while abs(b - a) >= 1e-12:
        if fc < fd:
            b = d
            d = c
            fd = fc
            c = b - (b - a) / ratio
            fc = ses_sse(c, x)
        elif fd < fc:
            a = c
            c = d
            fc = fd
            d = a + (b - a) / ratio
            fd = ses_sse(d, x)
        else:
            break
    return (a + b) / 2.0


@kernel(example=lambda: (_Y, 0.1, 0.3))
def ses_optimized(x, lower, upper):
    """SES forecast with alpha chosen by :func:`golden_ses`: ``(forecast, alpha)``."""
    alpha = golden_ses(x, lower, upper)
    fc, _ = ses_forecast(x, alpha)
    return fc, alpha


# --------------------------------------------------------------------------- intermittent


@kernel(example=lambda: (_Y,))
def demand_sizes(y):
    """The non-zero values of ``y`` in order."""
    k = 0
    for v in y:
        if v != 0.0:
            k += 1
    out = np.empty(k)
    j = 0
    for v in y:
        if v != 0.0:
            out[j] = v
            j += 1
    return out


@kernel(example=lambda: (_Y,))
def demand_intervals(y):
    """Periods between successive non-zero values; the first counts from before ``y[0]``."""
    k = 0
    for v in y:
        if v != 0.0:
            k += 1
    out = np.empty(k)
    j = 0
    prev = 0
    for i in range(y.shape[0]):
        if y[i] != 0.0:
            out[j] = float(i + 1 - prev)
            prev = i + 1
            j += 1
    return out


@kernel(example=lambda: (_Y, 2))
def chunk_forecast(y, level):
    """Optimised-SES forecast of the sums of ``level``-period blocks (oldest partial block
    dropped); the last value when no full block exists, the one sum when only one."""
    n = y.shape[0]
    lost = n % level
    n_cut = n - lost
    if n_cut < level:
        return y[n - 1]
    n_chunks = n_cut // level
    sums = np.empty(n_chunks)
    for i in range(n_chunks):
        s = 0.0
        base = lost + i * level
        for j in range(level):
            s += y[base + j]
        sums[i] = s
    if n_chunks <= 1:
        return sums[0]
    fc, _ = ses_optimized(sums, 0.1, 0.3)
    return fc


@kernel(example=lambda: (_Y, 0, 0.1, 0.1))
def intermittent_point(y, method, p1, p2):
    """Flat point forecast of an intermittent-demand method from the history ``y``.

    ``method``: 0 Croston with alphas ``(p1, p2)`` for sizes and intervals, 1 Croston with
    both alphas optimised by golden section in ``[p1, p2]``, 2 TSB with ``(p1, p2)`` for
    sizes and probability, 3 ADIDA, 4 IMAPA. All-zero history forecasts 0.
    """
    n = y.shape[0]
    nz = 0
    total = 0.0
    for v in y:
        if v != 0.0:
            nz += 1
            total += v
    if nz == 0:
        return 0.0
    if method == 0 or method == 1:
        sizes = demand_sizes(y)
        gaps = demand_intervals(y)
        if method == 0:
            zd, _ = ses_forecast(sizes, p1)
            zi, _ = ses_forecast(gaps, p2)
        else:
            zd, _ = ses_optimized(sizes, p1, p2)
            zi, _ = ses_optimized(gaps, p1, p2)
        if zi != 0.0:
            return zd / zi
        return zd
    if method == 2:
        sizes = demand_sizes(y)
        occur = np.empty(n)
        for i in range(n):
            occur[i] = 1.0 if y[i] != 0.0 else 0.0
        zp, _ = ses_forecast(occur, p2)
        zd, _ = ses_forecast(sizes, p1)
        return zp * zd
    gaps = demand_intervals(y)
    top = int(np.rint(gaps.mean()))
    if top < 1:
        top = 1
    if method == 3:
        return chunk_forecast(y, top) / top
    acc = 0.0
    for level in range(1, top + 1):
        lost = n % level
        n_chunks = (n - lost) // level
        sums = np.empty(n_chunks)
        for i in range(n_chunks):
            s = 0.0
            base = lost + i * level
            for j in range(level):
                s += y[base + j]
            sums[i] = s
        fc, _ = ses_optimized(sums, 0.1, 0.3)
        acc += fc / level
    return acc / top


@kernel(example=lambda: (_Y, 0, 0.1, 0.1))
def smoothing_prefix(y, method, p1, p2):
    """Croston (``method=0``) or TSB (``method=2``) forecast from every prefix, in one pass.

    ``out[t]`` is :func:`intermittent_point` of ``y[:t]`` for ``t = 0..n`` (0 before any
    demand), computed with the same arithmetic by carrying the smoothed states forward.
    """
    n = y.shape[0]
    out = np.zeros(n + 1)
    k1 = 1.0 - p1
    k2 = 1.0 - p2
    size = 0.0
    gap = 0.0
    prob = 0.0
    seen = 0
    prev = 0
    # like ses_forecast: the forecast after one value is that value, but the smoother's
    # next step starts from alpha * x0 + (1 - alpha) * x0 (which may differ in rounding)
    fsize = 0.0
    fgap = 0.0
    fprob = 0.0
    for i in range(n):
        v = y[i]
        if method == 2:
            occ = 1.0 if v != 0.0 else 0.0
            if i == 0:
                prob = occ
                fprob = p2 * occ + k2 * occ
            else:
                prob = p2 * occ + k2 * fprob
                fprob = prob
        if v != 0.0:
            g = float(i + 1 - prev)
            prev = i + 1
            if seen == 0:
                size = v
                gap = g
                fsize = p1 * v + k1 * v
                fgap = p2 * g + k2 * g
            else:
                size = p1 * v + k1 * fsize
                gap = p2 * g + k2 * fgap
                fsize = size
                fgap = gap
            seen += 1
        if seen == 0:
            out[i + 1] = 0.0
        elif method == 2:
            out[i + 1] = prob * size
        else:
            out[i + 1] = size / gap if gap != 0.0 else size
    return out


@kernel(example=lambda: (_Y, 0, 0.1, 0.1, 2))
def intermittent_rolling(y, method, p1, p2, start):
    """:func:`intermittent_point` from every prefix ``y[:t]``, ``t = start, ..., n``."""
    n = y.shape[0]
    out = np.empty(n - start + 1)
    for t in range(start, n + 1):
        out[t - start] = intermittent_point(y[:t], method, p1, p2)
    return out


# --------------------------------------------------------------------------- ETS recursions


@kernel(example=lambda: (np.array([10.0, 0.5, 1.0, -1.0, 0.5, -0.5]), 4, 1, 1, 0.98, 3))
def ets_point_forecast(state, m, trend, season, phi, h):
    """Point forecasts ``1..h`` steps ahead from the state ``[l, (b), (s_0..s_{m-1})]``."""
    out = np.empty(h)
    level = state[0]
    slope = state[1] if trend != 0 else 0.0
    off = 2 if trend != 0 else 1
    damp = phi
    for i in range(h):
        if trend == 0:
            f = level
        elif trend == 1:
            f = level + damp * slope
        else:
            f = level * slope ** damp if slope >= 0.0 else np.nan
        if season != 0:
            j = m - 1 - (i % m)
            if season == 1:
                f = f + state[off + j]
            else:
                f = f * state[off + j]
        out[i] = f
        if abs(phi - 1.0) < _TOL:
            damp = damp + 1.0
        else:
            damp = damp + phi ** (i + 2.0)  # float power: libm pow, as interpreted
    return out


@kernel(example=lambda: (_YS, np.array([12.0, 0.1, 0.5, 1.5, -1.0, -1.0]), 4, 1, 1, 1,
                         0.3, 0.05, 0.1, 1.0, np.empty(16), np.empty((17, 6))))
def ets_calc(y, init, m, error, trend, season, alpha, beta, gamma, phi, e, states):
    """Run the ETS recursion of R forecast (``etscalc``) from the initial state ``init``.

    Fills the one-step errors ``e`` (relative for multiplicative errors) and, when
    ``states`` has ``n + 1`` rows, the state after each observation. Returns the criterion
    ``n log(SSE) (+ 2 sum log|yhat|)``, or NaN when a forecast is undefined.
    """
    n = y.shape[0]
    p = init.shape[0]
    keep = states.shape[0] == n + 1
    level = init[0]
    slope = init[1] if trend != 0 else 0.0
    off = 2 if trend != 0 else 1
    ms = m if season != 0 else 0
    s = np.empty(max(ms, 1))
    for j in range(ms):
        s[j] = init[off + j]
    if keep:
        for j in range(p):
            states[0, j] = init[j]
    sse = 0.0
    logs = 0.0
    for i in range(n):
        old_l = level
        old_b = slope
        # forecast and level update share q (level + damped trend)
        if trend == 0:
            q = old_l
            phib = 0.0
        elif trend == 1:
            phib = phi * old_b
            q = old_l + phib
        else:
            if old_b < 0.0:
                return np.nan
            phib = old_b if abs(phi - 1.0) < _TOL else old_b ** phi
            q = old_l * phib
        if season == 0:
            f = q
        elif season == 1:
            f = q + s[ms - 1]
        else:
            f = q * s[ms - 1]
        if error == 1:
            e[i] = y[i] - f
        else:
            div = f + _TOL if abs(f) < _TOL else f
            e[i] = (y[i] - f) / div
        # new level
        if season == 0:
            pv = y[i]
        elif season == 1:
            pv = y[i] - s[ms - 1]
        else:
            pv = _HUGE if abs(s[ms - 1]) < _TOL else y[i] / s[ms - 1]
        level = q + alpha * (pv - q)
        if trend != 0:
            if trend == 1:
                r = level - old_l
            else:
                r = _HUGE if abs(old_l) < _TOL else level / old_l
            slope = phib + (beta / alpha) * (r - phib)
        if season != 0:
            if season == 1:
                t = y[i] - q
            else:
                t = _HUGE if abs(q) < _TOL else y[i] / q
            new_s = s[ms - 1] + gamma * (t - s[ms - 1])
            for j in range(ms - 1, 0, -1):
                s[j] = s[j - 1]
            s[0] = new_s
        if keep:
            states[i + 1, 0] = level
            if trend != 0:
                states[i + 1, 1] = slope
            for j in range(ms):
                states[i + 1, off + j] = s[j]
        sse += e[i] * e[i]
        af = abs(f)
        logs += math.log(af) if af > 0.0 else math.log(af + 1e-8)
    lik = n * math.log(sse) if sse > 0.0 else n * math.log(sse + 1e-8)
    if error == 2:
        lik += 2.0 * logs
    return lik


@kernel(example=lambda: (_YS, np.array([12.0, 0.1, 0.5, 1.5, -1.0, -1.0]), 4, 1, 1, 1,
                         0.3, 0.05, 0.1, 1.0, np.empty(4)))
def ets_lik(y, init, m, error, trend, season, alpha, beta, gamma, phi, ring):
    """The criterion of :func:`ets_calc` alone, for the optimiser's inner loop.

    Same model, written to shorten the dependency chain from one step's states to the
    next: with ``p`` the deseasonalised observation and ``q`` the level plus damped trend,
    ``l' = q + alpha (p - q)`` and, for an additive trend, ``b' = phi b + beta (p - q)``
    (equal to R's ``b' = phi b + (beta / alpha) (l' - l - phi b)``) are expanded to
    ``l' = (1 - alpha) l + (1 - alpha) phi b + alpha p`` and ``b' = phi (1 - beta) b - beta
    l + beta p``, whose ``p`` terms are off the chain (additive trends: ~20 % faster per
    evaluation, #19). Seasonal states live in the ring buffer ``ring`` (length at least
    ``m``). NaN when a forecast is undefined.
    """
    n = y.shape[0]
    level = init[0]
    slope = init[1] if trend != 0 else 0.0
    off = 2 if trend != 0 else 1
    ms = m if season != 0 else 0
    for j in range(ms):
        ring[j] = init[off + j]
    last = ms - 1  # ring[last] is the oldest seasonal state, s_{m-1}
    sse = 0.0
    logs = 0.0
    prod = 1.0  # product of |yhat| flushed into logs before it can overflow
    ratio = beta / alpha
    damped_one = abs(phi - 1.0) < _TOL
    keep = 1.0 - alpha  # the expanded updates' coefficients
    level_slope = keep * phi
    slope_slope = phi * (1.0 - beta)
    for i in range(n):
        yi = y[i]
        if trend == 0:
            q = level
        elif trend == 1:
            phib = phi * slope
            q = level + phib
        else:
            if slope < 0.0:
                return np.nan
            phib = slope if damped_one else slope ** phi
            q = level * phib
        if season == 0:
            f = q
            p = yi
        elif season == 1:
            so = ring[last]
            f = q + so
            p = yi - so
        else:
            so = ring[last]
            f = q * so
            p = _HUGE if abs(so) < _TOL else yi / so
        if error == 1:
            err = yi - f
        else:
            err = (yi - f) / (f + _TOL if abs(f) < _TOL else f)
            af = abs(f)
            prod *= af if af > 0.0 else 1e-8
            if prod > 1e200 or prod < 1e-200:
                logs += math.log(prod)
                prod = 1.0
        sse += err * err
        if trend == 1:
            new_l = (keep * level + alpha * p) + level_slope * slope
            slope = (slope_slope * slope + beta * p) - beta * level
            level = new_l
        elif trend == 2:
            new_l = q + alpha * (p - q)
            r = _HUGE if abs(level) < _TOL else new_l / level
            slope = phib + ratio * (r - phib)
            level = new_l
        else:
            level = keep * level + alpha * p
        if season == 1:
            ring[last] = so + gamma * (yi - f)
            last = last - 1 if last > 0 else ms - 1
        elif season == 2:
            t = _HUGE if abs(q) < _TOL else yi / q
            ring[last] = so + gamma * (t - so)
            last = last - 1 if last > 0 else ms - 1
    lik = n * math.log(sse) if sse > 0.0 else n * math.log(sse + 1e-8)
    if error == 2:
        lik += 2.0 * (logs + math.log(prod))
    return lik


@kernel(example=lambda: (np.array([0.1, -0.5, 1.0]), 1.0 + 1e-10))
def roots_within(coef, radius):
    """Whether every root of ``sum(coef[k] z^k)`` has modulus at most ``radius``.

    Schur-Cohn test on ``p(radius * z)``: ``p`` has all roots inside the unit disc iff
    ``|a_0| < |a_n|`` and the reduced polynomial ``(a_n p(z) - a_0 p*(z)) / z`` does too.
    No eigenvalues (R uses ``polyroot``); agrees with it up to rounding at the boundary.
    """
    k = coef.shape[0]
    work = np.empty(2 * k)
    for i in range(k):
        work[i] = coef[i]
    return _schur(work, k, radius)


@kernel()
def _schur(work, k, radius):
    """Schur-Cohn on the ``k`` coefficients in ``work[:k]``; ``work[k:2k]`` is scratch.

    On the monic polynomial: with ``r = a_0`` (``|r| < 1`` required), the reduced
    polynomial ``(p(z) - r p*(z)) / z`` has leading coefficient ``1 - r^2 > 0``, so dividing
    by it keeps the recursion monic (one division a step instead of one a coefficient: the
    test was half of a seasonal ETS criterion, #19).
    """
    n = k - 1
    while n > 0 and work[n] == 0.0:
        n -= 1
    if n == 0:
        return True
    scale = 1.0
    for i in range(n + 1):
        work[i] = work[i] * scale
        scale *= radius
    inv = 1.0 / work[n]
    for i in range(n):
        work[i] = work[i] * inv
    deg = n
    while deg > 0:
        r = work[0]
        if not abs(r) < 1.0:
            return False
        s = 1.0 - r * r
        if s == 0.0:
            return False
        s = 1.0 / s
        for i in range(deg - 1):
            work[k + i] = (work[i + 1] - r * work[deg - 1 - i]) * s
        deg -= 1
        for i in range(deg):
            work[i] = work[k + i]
    return True


@kernel(example=lambda: (0.3, 0.05, 0.1, 0.98, 4))
def ets_admissible(alpha, beta, gamma, phi, m):
    """Forecastability region of Hyndman et al. (2008, ch. 10); NaN means "not in model".

    Seasonal models without a trend skip the characteristic-polynomial test in the usual
    region ``0 < alpha < 1``, ``0 < gamma <= 1 - alpha``, where it always holds (a third
    of the seasonal candidates of a monthly ``auto_ets``, whose criterion the O(m^2) test
    was about half of). Proof: with ``beta = 0``, ``phi = 1``, ``a = 1 - alpha`` and ``c =
    1 - alpha - gamma``, the polynomial is ``P(z) = z^m (z - a) - ((alpha + c) z - c)``;
    for ``|z| = r >= 1`` the difference ``|z - a|^2 - |(alpha + c) z - c|^2`` is smallest
    at ``z = r``, where it equals ``gamma (r - 1) (r (1 + alpha + c) - (1 - alpha + c))``
    (second factor at least ``2 alpha``), and on ``|z| = 1`` it is ``2 (a - (alpha + c) c)
    (1 - cos theta)`` with ``(alpha + c) c < a``; so ``|z^m (z - a)| > |(alpha + c) z -
    c|`` on ``|z| >= 1`` except at ``z = 1``: every root lies in the closed unit disc, the
    only one on the circle being ``z = 1``, which R's ``1 + 1e-10`` tolerance admits.
    """
    return _admissible(alpha, beta, gamma, phi, m, np.empty(2 * (m + 2)))


@kernel()
def _admissible(alpha, beta, gamma, phi, m, work):
    """:func:`ets_admissible` with caller-provided scratch ``work`` (``2 (m + 2)``)."""
    if math.isnan(phi):
        phi = 1.0
    if phi < 0.0 or phi > 1.0 + 1e-8:
        return False
    if math.isnan(gamma):
        if alpha < 1.0 - 1.0 / phi or alpha > 1.0 + 1.0 / phi:
            return False
        if not math.isnan(beta) and (beta < alpha * (phi - 1.0)
                                   or beta > (1.0 + phi) * (2.0 - alpha)):
            return False
    elif m > 1:
        if math.isnan(beta):
            beta = 0.0
        if gamma < max(1.0 - 1.0 / phi - alpha, 0.0) or gamma > 1.0 + 1.0 / phi - alpha:
            return False
        if alpha < 1.0 - 1.0 / phi - gamma * (1.0 - m + phi + phi * m) / (2.0 * phi * m):
            return False
        if beta < -(1.0 - phi) * (gamma / m + alpha):
            return False
        if beta == 0.0 and phi == 1.0 and 0.0 < alpha < 1.0 and 0.0 < gamma <= 1.0 - alpha:
            return True  # no trend, usual region: always admissible (ets_admissible)
        # characteristic polynomial (ascending powers, as R's polyroot), degree m + 1
        work[0] = phi * (1.0 - alpha - gamma)
        work[1] = alpha + beta - alpha * phi + gamma - 1.0
        for k in range(2, m):
            work[k] = alpha + beta - alpha * phi
        work[m] = alpha + beta - phi
        work[m + 1] = 1.0
        return _schur(work, m + 2, 1.0 + 1e-10)
    return True


@kernel(example=lambda: (np.array([[1.0, 1.0], [1.0, 2.0], [1.0, 3.0]]),
                         np.array([1.0, 2.0, 2.0])))
def least_squares(x, y):
    """Coefficients minimising ``|x b - y|`` by Householder QR.

    ``x`` has at least as many rows as columns and full column rank (not checked).

    For the few-column regressions of the ETS start; compiles in a fraction of the time of
    ``numpy.linalg.lstsq`` under numba.
    """
    n = x.shape[0]
    k = x.shape[1]
    a = np.empty((n, k))
    r = np.empty(n)
    for i in range(n):
        r[i] = y[i]
        for j in range(k):
            a[i, j] = x[i, j]
    for j in range(k):
        norm = 0.0
        for i in range(j, n):
            norm += a[i, j] * a[i, j]
        norm = math.sqrt(norm)
        if norm == 0.0:
            continue
        alpha = -norm if a[j, j] >= 0 else norm
        v0 = a[j, j] - alpha
        # reflector v = (v0, a[j+1:, j]); H = I - 2 v v' / (v'v)
        vv = v0 * v0
        for i in range(j + 1, n):
            vv += a[i, j] * a[i, j]
        for c in range(j + 1, k):
            dot = v0 * a[j, c]
            for i in range(j + 1, n):
                dot += a[i, j] * a[i, c]
            f = 2.0 * dot / vv
            a[j, c] -= f * v0
            for i in range(j + 1, n):
                a[i, c] -= f * a[i, j]
        dot = v0 * r[j]
        for i in range(j + 1, n):
            dot += a[i, j] * r[i]
        f = 2.0 * dot / vv
        r[j] -= f * v0
        for i in range(j + 1, n):
            r[i] -= f * a[i, j]
        a[j, j] = alpha
    b = np.empty(k)
    for j in range(k - 1, -1, -1):
        acc = r[j]
        for c in range(j + 1, k):
            acc -= a[j, c] * b[c]
        b[j] = acc / a[j, j] if a[j, j] != 0.0 else 0.0
    return b


def _seasonal_start(y, m, season):
    """The seasonal figure of the initial-state heuristic tiled to ``n``: the classical
    decomposition (:func:`classical_seasonal`), or for short series (fewer than three
    cycles) a trend-and-harmonic regression by the :func:`least_squares` kernel, as R does.
    """
    n = y.shape[0]
    if n < 3 * m:
        tt = np.arange(1.0, n + 1.0)
        ang = [2.0 * math.pi * t / m for t in tt.tolist()]
        if m != 2:
            cols = [np.ones(n), tt, np.array([math.sin(a) for a in ang]),
                    np.array([math.cos(a) for a in ang])]
        else:
            cols = [np.ones(n), tt, np.array([math.cos(a) for a in ang])]
        coef = least_squares(np.ascontiguousarray(np.column_stack(cols)), y)
        base = coef[0] + coef[1] * tt
        return y - base if season == 1 else y / base
    return classical_seasonal(y, m, season)


def classical_seasonal(y, m, season):
    """Seasonal figure of a classical decomposition over the whole series, tiled to ``n``.

    Centred moving-average trend (2 x m for even ``m``), detrended by difference
    (``season=1``) or ratio (``season=2``), averaged by position, normalised to mean 0 / 1
    (positions without a centred window get 0 / 1). In numpy with the loop reference's sums
    in its order (the moving average adds its terms offset by offset across all centres at
    once, the positions accumulate cycle by cycle): a millisecond of work that compiled as a
    kernel cost ~1 s of a cold ``theta`` (#19).

    Examples
    --------
    >>> classical_seasonal(np.array([1.0, 3.0, 1.0, 3.0, 1.0, 3.0]), 2, 1).tolist()
    [-1.0, 1.0, -1.0, 1.0, -1.0, 1.0]
    """
    n = y.shape[0]
    half = m // 2
    width = max(n - 2 * half, 0)  # centres half .. n - half - 1
    fig = [0.0] * m
    cnt = [0.0] * m
    if width > 0:
        if m % 2 == 1:
            acc = 0.0 + y[0:width]
            for k in range(1, m):
                acc = acc + y[k:k + width]
        else:
            acc = 0.5 * y[0:width] + 0.5 * y[2 * half:2 * half + width]
            for k in range(1, 2 * half):
                acc = acc + y[k:k + width]
        level = acc / m
        mid = y[half:half + width]
        for i, d in enumerate((mid - level if season == 1 else mid / level).tolist()):
            j = (half + i) % m
            fig[j] += d
            cnt[j] += 1.0
    fig = [fig[j] / cnt[j] if cnt[j] > 0 else (0.0 if season == 1 else 1.0)
           for j in range(m)]
    centre = 0.0
    for f in fig:
        centre += f
    centre /= m
    fig = np.array([f - centre if season == 1 else f / centre for f in fig])
    return fig[np.arange(n) % m]


def _initial_states(y, m, trend, season):
    """Heuristic initial states of R forecast's ``initstate`` (decomposition then regression).

    Returns ``[l0, (b0), (s_0..s_{m-2})]``; the last seasonal state is implied by the
    normalisation (sum 0 for additive, m for multiplicative seasonality). In numpy: the
    drivers call this once per trend and season of the candidates, a few dozen small array
    operations, against 1.3 to 2 s of CPU compiling a kernel and its two helpers in a
    fresh process.
    """
    n = y.shape[0]
    mm = m if season != 0 else 1
    if season != 0:
        seas = _seasonal_start(y, m, season)
        init_s = seas[m - 1:0:-1].tolist()
        if season == 1:
            ysa = y - seas
        else:
            tot = 0.0
            for j in range(m - 1):
                init_s[j] = max(init_s[j], 1e-2)
                tot += init_s[j]
            if tot > m:
                tot2 = 0.0
                for v in init_s:
                    tot2 += v + 1e-2
                init_s = [v / tot2 for v in init_s]
            ysa = y / np.maximum(seas, 1e-2)
    else:
        init_s = []
        ysa = y
    maxn = min(max(10, 2 * mm), n)
    head = ysa[:maxn].tolist()
    if trend == 0:
        acc = 0.0
        for v in head:
            acc += v
        return [acc / maxn, *init_s]
    tbar = (maxn + 1.0) / 2.0
    ybar = 0.0
    for v in head:
        ybar += v
    ybar /= maxn
    sxy = 0.0
    sxx = 0.0
    for t, v in enumerate(head):
        d = t + 1.0 - tbar
        sxy += d * (v - ybar)
        sxx += d * d
    b = sxy / sxx if sxx > 0 else 0.0
    a = ybar - b * tbar
    if abs(a + b) < 1e-8:
        a = a * (1.0 + 1e-3)
        b = b * (1.0 - 1e-3)
    return [a, b, *init_s]


def ets_natural(u, lo, hi):
    """``lo + u (hi - lo)``, at most ``hi``: a free ``beta`` (``gamma``) from its position.

    The usual region ``lo <= beta <= min(hi, alpha)`` (``lo <= gamma <= min(hi,
    1 - alpha)``) is a triangle in the natural parameters: Nelder-Mead with a penalty
    wall along ``beta = alpha`` collapses onto the wall and stops short of a corner such
    as ``alpha = beta = lo`` (a fixed linear trend), where short trending series often
    have their maximum. With ``u`` in ``[0, 1]`` both edges are faces of a box, which
    the optimiser's clamping follows. Plain Python for the drivers: :func:`ets_objective`
    writes the same expression inline (a kernel of its own lengthened the cold first
    ``auto_ets``).
    """
    return min(lo + u * (hi - lo), hi)


@kernel(example=lambda: (np.array([0.3, 12.0]), _YS, 1, 1, 0, 0, False, _NAN4,
                         np.array([True, False, False, False]), np.empty(0), _BOUNDS_LO,
                         _BOUNDS_HI, np.empty(11), np.empty(1), False))
def ets_objective(x, y, m, error, trend, season, damped, fixed, free, fixed_states, lower,
                  upper, work, init, relative):
    """Criterion of a parameter vector ``[free smoothing params..., (initial states)]``.

    With ``relative`` a free ``beta`` or ``gamma`` enters as its position in ``[0, 1]``
    across the usual interval that ``alpha`` leaves it (:func:`ets_natural`), so that the
    usual region is a box. ``+inf`` outside the usual/admissible region, for negative
    multiplicative seasonal states or an undefined recursion (the region test is R
    forecast's ``check.param`` with ``bounds="both"``). ``init`` (full state length)
    and ``work`` (length at least ``3 m + 4``) are scratch.
    """
    j = 0
    alpha = fixed[0]
    if free[0]:
        alpha = x[j]
        j += 1
    beta = np.nan
    if trend != 0:
        beta = fixed[1]
        if free[1]:
            beta = x[j]
            if relative:  # ets_natural
                top = min(upper[1], alpha)
                beta = min(lower[1] + beta * (top - lower[1]), top)
            j += 1
    gamma = np.nan
    if season != 0:
        gamma = fixed[2]
        if free[2]:
            gamma = x[j]
            if relative:  # ets_natural
                top = min(upper[2], 1.0 - alpha)
                gamma = min(lower[2] + gamma * (top - lower[2]), top)
            j += 1
    phi = np.nan
    if damped:
        phi = fixed[3]
        if free[3]:
            phi = x[j]
            j += 1
    # R forecast's check.param with bounds="both": the usual region, then the admissible
    # one (inline: a kernel of its own was one more compiled layer on the cold path)
    if alpha < lower[0] or alpha > upper[0]:
        return np.inf
    if not math.isnan(beta) and (beta < lower[1] or beta > alpha or beta > upper[1]):
        return np.inf
    if not math.isnan(phi) and (phi < lower[3] or phi > upper[3]):
        return np.inf
    if not math.isnan(gamma) and (gamma < lower[2] or gamma > 1.0 - alpha
                                  or gamma > upper[2]):
        return np.inf
    ms = m if season != 0 else 1
    if not _admissible(alpha, beta, gamma, phi, ms, work[ms:]):
        return np.inf
    p = init.shape[0]
    nfree = p - (1 if season != 0 else 0)
    if fixed_states.shape[0] == p:
        for k in range(p):
            init[k] = fixed_states[k]
    else:
        for k in range(nfree):
            init[k] = x[j + k]
        if season != 0:
            off = 2 if trend != 0 else 1
            acc = 0.0
            for k in range(off, nfree):
                acc += init[k]
            init[p - 1] = (m if season == 2 else 0.0) - acc
            if season == 2:
                for k in range(off, p):
                    if init[k] < 0.0:
                        return np.inf
    lik = ets_lik(y, init, m, error, trend, season, alpha,
                  beta if trend != 0 else 0.0, gamma if season != 0 else 0.0,
                  phi if damped else 1.0, work)
    if math.isnan(lik) or not math.isfinite(lik):
        return np.inf
    return max(lik, -1e10)


@kernel(example=lambda: (np.array([0.3, 12.0]), np.array([1e-4, -np.inf]),
                         np.array([0.9999, np.inf]), 200, 1e-4, _YS, 1, 1, 0, 0, False,
                         _NAN4, np.array([True, False, False, False]), np.empty(0),
                         _BOUNDS_LO, _BOUNDS_HI, False))
def ets_nelder_mead(x0, lo, hi, maxit, tol, y, m, error, trend, season, damped, fixed, free,
                    fixed_states, lower, upper, relative):
    """Bounded Nelder-Mead (adaptive coefficients of Gao & Han 2012, box by clamping).

    Minimises :func:`ets_objective` (in ``relative`` coordinates: :func:`ets_natural`) from
    ``x0``, a start simplex of 5 % steps (inwards for a coordinate on its upper bound, so
    that a run from a point on a box face is not flat); stops when the standard deviation
    of the simplex values falls below ``tol`` or after ``maxit`` iterations. Returns
    ``(best x, best value, iterations)``.
    """
    n = len(x0)
    e = np.empty(3 * m + 8)
    p = 1 + (1 if trend != 0 else 0) + (m if season != 0 else 0)
    init = np.empty(p)
    ra = 1.0
    rg = 1.0 + 2.0 / n
    rc = 0.75 - 1.0 / (2.0 * n)
    rs = 1.0 - 1.0 / n
    sim = _floats((n + 1) * n)  # vertex i at [i n, (i + 1) n)
    fv = _floats(n + 1)
    for i in range(n + 1):
        for k in range(n):
            sim[i * n + k] = min(max(x0[k], lo[k]), hi[k])
    for i in range(n):
        v = sim[(i + 1) * n + i]
        step = 1e-4 if v == 0.0 else v * 0.05
        w = min(max(v + step, lo[i]), hi[i])
        if w == v:  # x0 on its upper bound: step inwards, not along a zero-length edge
            w = min(max(v - step, lo[i]), hi[i])
        sim[(i + 1) * n + i] = w
    for i in range(n + 1):
        fv[i] = ets_objective(sim[i * n:(i + 1) * n], y, m, error, trend, season, damped,
                              fixed, free, fixed_states, lower, upper, e, init, relative)
    xc = _floats(n)
    xr = _floats(n)
    xt = _floats(n)
    it = 0
    while it < maxit:
        # best, worst and second-worst vertices (first index wins ties, like a stable sort)
        best = 0
        worst = 0
        for i in range(1, n + 1):
            if fv[i] < fv[best]:
                best = i
            if fv[i] >= fv[worst]:
                worst = i
        second = best
        for i in range(n + 1):
            if i != worst and fv[i] >= fv[second]:
                second = i
        # spread of the simplex values as the stopping rule
        if math.isfinite(fv[worst]):
            mu = 0.0
            for i in range(n + 1):
                mu += fv[i]
            mu /= n + 1
            var = 0.0
            for i in range(n + 1):
                dev = fv[i] - mu
                var += dev * dev  # not ** 2: numba compiles a generic integer power
            if math.sqrt(var / (n + 1)) < tol:
                break
        it += 1
        for k in range(n):
            acc = 0.0
            for i in range(n + 1):
                if i != worst:
                    acc += sim[i * n + k]
            xc[k] = acc / n
        for k in range(n):
            xr[k] = min(max(xc[k] + ra * (xc[k] - sim[worst * n + k]), lo[k]), hi[k])
        fr = ets_objective(xr, y, m, error, trend, season, damped, fixed, free, fixed_states,
                           lower, upper, e, init, relative)
        if fv[best] <= fr < fv[second]:
            for k in range(n):
                sim[worst * n + k] = xr[k]
            fv[worst] = fr
            continue
        if fr < fv[best]:
            for k in range(n):
                xt[k] = min(max(xc[k] + rg * (xr[k] - xc[k]), lo[k]), hi[k])
            fe = ets_objective(xt, y, m, error, trend, season, damped, fixed, free,
                               fixed_states, lower, upper, e, init, relative)
            if fe < fr:
                for k in range(n):
                    sim[worst * n + k] = xt[k]
                fv[worst] = fe
            else:
                for k in range(n):
                    sim[worst * n + k] = xr[k]
                fv[worst] = fr
            continue
        if fr < fv[worst]:
            for k in range(n):
                xt[k] = min(max(xc[k] + rc * (xr[k] - xc[k]), lo[k]), hi[k])
            fc = ets_objective(xt, y, m, error, trend, season, damped, fixed, free,
                               fixed_states, lower, upper, e, init, relative)
            if fc <= fr:
                for k in range(n):
                    sim[worst * n + k] = xt[k]
                fv[worst] = fc
                continue
        else:
            for k in range(n):
                xt[k] = min(max(xc[k] - rc * (xr[k] - xc[k]), lo[k]), hi[k])
            fc = ets_objective(xt, y, m, error, trend, season, damped, fixed, free,
                               fixed_states, lower, upper, e, init, relative)
            if fc < fv[worst]:
                for k in range(n):
                    sim[worst * n + k] = xt[k]
                fv[worst] = fc
                continue
        for i in range(n + 1):
            if i == best:
                continue
            for k in range(n):
                b = sim[best * n + k]
                sim[i * n + k] = min(max(b + rs * (sim[i * n + k] - b), lo[k]), hi[k])
            fv[i] = ets_objective(sim[i * n:(i + 1) * n], y, m, error, trend, season, damped,
                                  fixed, free, fixed_states, lower, upper, e, init, relative)
    best = 0  # first minimum, as np.argmin (the values are never NaN)
    for i in range(1, n + 1):
        if fv[i] < fv[best]:
            best = i
    xb = _floats(n)
    for k in range(n):
        xb[k] = sim[best * n + k]
    return xb, fv[best], it


R_MAXFN = 2000  # R forecast ets(): maxit = 2000 evaluations of optim's Nelder-Mead
R_RELTOL = math.sqrt(np.finfo(np.float64).eps)  # optim's default reltol
_BIG = 1.0e35  # ets_nmmin: the value given to a vertex whose criterion is not finite


@kernel(example=lambda: (np.array([0.3, 12.0]), 2000, 1.4901161193847656e-08, _YS, 1, 1,
                         0, 0, False, _NAN4, np.array([True, False, False, False]),
                         np.empty(0), _BOUNDS_LO, _BOUNDS_HI, False))
def ets_nmmin(x0, maxfn, reltol, y, m, error, trend, season, damped, fixed, free,
              fixed_states, lower, upper, relative):
    """Unbounded Nelder-Mead of Nash (1990, *Compact Numerical Methods*, Algorithm 19), the
    method behind R's ``optim(method="Nelder-Mead")`` that R forecast's ``ets`` calls.

    The facts it follows are R's documented ones: reflection 1, contraction 0.5, expansion
    2; a start simplex of one step per coordinate, the step ``max_i 0.1 |x0_i|`` (0.1 when
    ``x0`` is zero), multiplied by 10 until it moves a coordinate; a non-finite criterion
    counts as ``1e35``; the run stops when the highest vertex is within ``reltol (|f0| +
    reltol)`` of the lowest (``f0`` the start's value), after ``maxfn`` evaluations, or
    when a shrink does not reduce the simplex. Written here because R's optimiser is what
    makes the fits R's (M1/Tourism MASE, #19): its larger start simplex over natural
    parameters and initial states explores where the adaptive bounded run of
    :func:`ets_nelder_mead` contracts early. Minimises :func:`ets_objective` (R's natural
    coordinates with ``relative`` False: an argument, as a literal ``False`` the objective
    compiled once more). Returns ``(best x, best value, evaluations)``.
    """
    n = len(x0)
    e = np.empty(3 * m + 8)
    p = 1 + (1 if trend != 0 else 0) + (m if season != 0 else 0)
    init = np.empty(p)
    sim = _floats((n + 1) * n)  # vertex i at [i n, (i + 1) n)
    fv = _floats(n + 1)
    xb = _floats(n)
    for k in range(n):
        xb[k] = x0[k]
    f0 = ets_objective(x0, y, m, error, trend, season, damped, fixed, free, fixed_states,
                       lower, upper, e, init, relative)
    if not math.isfinite(f0):
        return xb, np.inf, 1
    nfn = 1
    conv = reltol * (abs(f0) + reltol)
    step = 0.0
    for k in range(n):
        step = max(step, 0.1 * abs(x0[k]))
    if step == 0.0:
        step = 0.1
    size = 0.0
    for i in range(n + 1):
        for k in range(n):
            sim[i * n + k] = x0[k]
    fv[0] = f0
    for i in range(1, n + 1):
        trial = step
        while sim[i * n + i - 1] == x0[i - 1]:
            sim[i * n + i - 1] = x0[i - 1] + trial
            trial *= 10.0
        size += trial
    last_size = size
    low = 0
    evaluate = True
    xc = _floats(n)
    xr = _floats(n)
    xt = _floats(n)
    while True:
        if evaluate:
            for i in range(n + 1):
                if i != low:
                    f = ets_objective(sim[i * n:(i + 1) * n], y, m, error, trend, season,
                                      damped, fixed, free, fixed_states, lower, upper, e,
                                      init, relative)
                    fv[i] = f if math.isfinite(f) else _BIG
                    nfn += 1
            evaluate = False
        # lowest and highest vertex; the previous lowest keeps its place on ties
        flow = fv[low]
        high = low
        fhigh = flow
        for i in range(n + 1):
            if i != low:
                if fv[i] < flow:
                    low = i
                    flow = fv[i]
                if fv[i] > fhigh:
                    high = i
                    fhigh = fv[i]
        if fhigh <= flow + conv:
            break
        for k in range(n):
            acc = 0.0
            for i in range(n + 1):
                if i != high:
                    acc += sim[i * n + k]
            xc[k] = acc / n
        for k in range(n):
            xr[k] = 2.0 * xc[k] - sim[high * n + k]
        fr = ets_objective(xr, y, m, error, trend, season, damped, fixed, free,
                           fixed_states, lower, upper, e, init, relative)
        if not math.isfinite(fr):
            fr = _BIG
        nfn += 1
        if fr < flow:  # try twice as far
            for k in range(n):
                xt[k] = 2.0 * xr[k] - xc[k]
            fe = ets_objective(xt, y, m, error, trend, season, damped, fixed, free,
                               fixed_states, lower, upper, e, init, relative)
            if not math.isfinite(fe):
                fe = _BIG
            nfn += 1
            if fe < fr:
                for k in range(n):
                    sim[high * n + k] = xt[k]
                fv[high] = fe
            else:
                for k in range(n):
                    sim[high * n + k] = xr[k]
                fv[high] = fr
        else:
            if fr < fhigh:  # the reflection replaces the highest, then contract from it
                for k in range(n):
                    sim[high * n + k] = xr[k]
                fv[high] = fr
            for k in range(n):
                xt[k] = 0.5 * sim[high * n + k] + 0.5 * xc[k]
            fc = ets_objective(xt, y, m, error, trend, season, damped, fixed, free,
                               fixed_states, lower, upper, e, init, relative)
            if not math.isfinite(fc):
                fc = _BIG
            nfn += 1
            if fc < fv[high]:
                for k in range(n):
                    sim[high * n + k] = xt[k]
                fv[high] = fc
            elif fr >= fhigh:  # shrink towards the lowest vertex
                evaluate = True
                size = 0.0
                for i in range(n + 1):
                    if i != low:
                        for k in range(n):
                            b = sim[low * n + k]
                            sim[i * n + k] = 0.5 * (sim[i * n + k] - b) + b
                            size += abs(sim[i * n + k] - b)
                if size < last_size:
                    last_size = size
                else:
                    break
        if nfn > maxfn:
            break
    for k in range(n):
        xb[k] = sim[low * n + k]
    return xb, fv[low], nfn


#: While an optimiser kernel (:func:`ets_nmmin`, :func:`ets_nelder_mead`) is neither
#: compiled in this process nor on disk, ``ets_fit`` runs its Python function around
#: :func:`_objective` (cold first ``auto_ets``: ~1 s of Python for 60 points and 15
#: candidates, against ~3.5 s of CPU to compile an optimiser on top of its objective), until
#: the runs made so amount to this much work per kernel (``nx * evaluations bound`` per run
#: for ``nx`` free values), then the kernel compiles. Same operations in the same order on
#: both routes, so the same fits (``tests/forecast/test_ets_routes.py``).
PYTHON_NM_BUDGET = 8_000_000
_PYTHON_NM_SPENT: dict = {}  # work done on the Python route, per optimiser kernel
_PYTHON: dict = {}  # the Python Nelder-Mead per objective, and the Python objective, once built


def _with(func, **names):
    """A copy of the Python function ``func`` seeing ``names`` in place of its globals."""
    scope = dict(func.__globals__)
    scope.update(names)
    return types.FunctionType(func.__code__, scope, func.__name__)


def _admissible_floats(alpha, beta, gamma, phi, m, work):
    """:func:`_admissible` interpreted over Python floats and a list as scratch (several
    times faster than over numpy scalars and array items; the same IEEE operations)."""
    if "admissible" not in _PYTHON:
        _PYTHON["admissible"] = _jit._python_tree(_admissible)
    return _PYTHON["admissible"](float(alpha), float(beta), float(gamma), float(phi), m,
                                 [0.0] * work.shape[0])


def _objective():
    """The criterion to call: :func:`ets_objective`, or while it is neither compiled nor on
    disk its Python function with the region test (:func:`_admissible`, :func:`_schur`)
    interpreted over floats around the compiled :func:`ets_lik` (cold first ``auto_ets``:
    ~0.4 s of Python for its 13 000 calls, 0.35 s of it the Schur-Cohn test of the seasonal
    models, against ~1.3 s of CPU to compile the objective and its region test); the same
    operations in the same order, so the same criterion."""
    kern = ets_objective
    if _jit.compiled(kern) or _jit.cached(kern):
        return kern
    if "objective" not in _PYTHON:
        _PYTHON["objective"] = _with(kern.py_func, _admissible=_admissible_floats)
    return _PYTHON["objective"]


def _optimiser(kern, work):
    """The optimiser to run for a job of ``work`` (:data:`PYTHON_NM_BUDGET`): ``kern``
    (:func:`ets_nmmin` or :func:`ets_nelder_mead`), or its Python function calling
    :func:`_objective`."""
    if _jit.compiled(kern) or _jit.cached(kern):
        return kern
    spent = _PYTHON_NM_SPENT.get(kern, 0.0) + work
    if spent > PYTHON_NM_BUDGET:
        return kern
    _PYTHON_NM_SPENT[kern] = spent  # a race between threads only misplaces the switch by a run
    objective = _objective()
    if (kern, objective) not in _PYTHON:
        if objective is ets_objective:  # compiled: arrays, the one signature it has
            python = _jit._quiet(kern.py_func)
        else:
            python = _on_lists(_jit._quiet(_with(kern.py_func, ets_objective=objective,
                                                 _floats=_float_list)), kern)
        _PYTHON[kern, objective] = python
    return _PYTHON[kern, objective]


def _float_list(n):
    """``_floats`` on the optimisers' Python route: ``n`` zeros as a list."""
    return [0.0] * n


_AS_LISTS = ("x0", "lo", "hi", "fixed", "free", "lower", "upper")  # only ever indexed


def _on_lists(func, kern):
    """``func``, the Python function of the optimiser ``kern``, called with the arguments
    in :data:`_AS_LISTS` as lists (Python floats: the same IEEE operations, several times
    faster than numpy scalars) and its best point returned as an array, as compiled."""
    code = kern.py_func.__code__
    listed = [i for i, name in enumerate(code.co_varnames[:code.co_argcount])
              if name in _AS_LISTS]

    def run(*args):
        args = list(args)
        for i in listed:
            args[i] = args[i].tolist()
        xb, fb, count = func(*args)
        return np.array(xb, dtype=np.float64), fb, count

    return run


def _nelder_mead(nx, maxit):
    """:func:`ets_nelder_mead` for ``nx`` free values, or its Python function."""
    return _optimiser(ets_nelder_mead, (nx + 1.0) * nx * maxit)


def _nmmin(nx, maxfn):
    """:func:`ets_nmmin` for ``nx`` free values, or its Python function."""
    return _optimiser(ets_nmmin, float(nx) * maxfn)


def _as_f64(a):
    """``a`` as the C-contiguous float64 array every kernel signature here expects."""
    if type(a) is np.ndarray and a.dtype == np.float64 and a.flags.c_contiguous:
        return a
    return np.ascontiguousarray(a, dtype=np.float64)


def _position(value, lo, hi):
    """Inverse of :func:`ets_natural`: where ``value`` lies in ``[lo, hi]`` (0 if empty)."""
    return (value - lo) / (hi - lo) if hi > lo else 0.0


def ets_fit(y, m, error, trend, season, damped, fixed, fixed_states, maxit, tol, lower,
            upper, restarts, slow_trend=False, start_states=None):
    """Fit one ETS model by Nelder-Mead on R forecast's likelihood criterion.

    ``fixed`` holds alpha, beta, gamma, phi (NaN = estimate); ``fixed_states`` the full
    initial state (empty = estimate). Two runs start from R's start over the natural
    parameters and states: R forecast's own (:func:`ets_nmmin`: R's Nelder-Mead, evaluation
    budget and tolerance) and the bounded adaptive :func:`ets_nelder_mead`
    (statsforecast's recipe); the lower end wins, R's on ties. Neither dominates: on
    AirPassengers R's reaches a log-likelihood 54 units higher for ETS(M,A,M), the bounded
    one 47 units higher for ETS(A,A,A) and 52 for ETS(M,A,A). When a run
    ends with ``beta`` (``gamma``) within ``_WALL`` of its range from ``alpha`` (``1 -
    alpha``), a second run from there optimises ``beta`` and ``gamma`` as positions in their
    ranges (:func:`ets_natural`), in which that wall is a box face; it is kept when it
    lowers the criterion by more than ``tol``. On M1 and Tourism the bounded run stops on
    the wall in about a third of the trend fits, at ``alpha = beta`` well inside the region,
    where the maximum lies at a corner (M1 YAG15: ``alpha = beta = 0.0285`` against
    ``1e-4``, criterion 0.94 higher). ``restarts`` adds up to that many such runs from the
    best point while they still improve the criterion by more than ``tol``. Returns
    ``(params[4], init_state, criterion, n_estimated, ok)``; ``params`` is NaN where the
    model has no such component.

    ``slow_trend`` caps an estimated ``beta`` at the starting ``alpha`` (``0.2 / m`` of the
    alpha range with a season, ``0.2`` without) instead of at ``alpha``: the region
    statsforecast's AutoETS estimates in (:func:`cxpath.forecast.ets`, ``beta_region``).

    ``start_states`` (a list) is the heuristic start of the states when they are estimated,
    if already computed (:func:`ets_fit_many_models` computes it once per trend and
    season); by default :func:`_initial_states` computes it.

    While an optimiser is neither compiled nor on disk, its Python function runs around
    :func:`_objective` (:data:`PYTHON_NM_BUDGET`; the same fit).

    Plain Python around three kernels (the two optimisers, :func:`ets_objective`) and
    :func:`_initial_states` (numpy: compiled as a kernel with its two helpers, it was a
    quarter of the cold first ``auto_ets``): the set-up is a few
    scalar operations per fit, and as a kernel of its own it would re-optimise and re-emit
    the machine code of everything it calls (about a fifth of the cold first ``auto_ets``).
    Every argument is normalised to the one type the kernels are compiled for (float64 C
    arrays, int codes, bool ``damped``), so no caller or model type adds a signature.
    """
    y, fixed, fixed_states = _as_f64(y), _as_f64(fixed), _as_f64(fixed_states)
    lower, upper = _as_f64(lower), _as_f64(upper)
    m, error, trend, season = int(m), int(error), int(trend), int(season)
    damped, maxit, tol = bool(damped), int(maxit), float(tol)
    mm = m if season != 0 else 1
    lo4 = lower.tolist()
    hi4 = upper.tolist()
    fx = fixed.tolist()
    # R forecast initparam
    start = [0.0, 0.0, 0.0, 0.0]
    free = [False, False, False, False]
    alpha = fx[0]
    if math.isnan(alpha):
        alpha = lo4[0] + 0.2 * (hi4[0] - lo4[0]) / mm
        if alpha > 1.0 or alpha < 0.0:
            alpha = lo4[0] + 2e-3
        free[0] = True
    start[0] = alpha
    if trend != 0:
        beta = fx[1]
        if math.isnan(beta):
            ub = min(hi4[1], alpha)
            if slow_trend:  # the cap holds in the optimisers' box and in the objective
                hi4[1] = ub
                upper = upper.copy()
                upper[1] = ub
            beta = lo4[1] + 0.1 * (ub - lo4[1])
            if beta < 0.0 or beta > alpha:
                beta = alpha - 1e-3
            free[1] = True
        start[1] = beta
    if season != 0:
        gamma = fx[2]
        if math.isnan(gamma):
            ug = min(hi4[2], 1.0 - alpha)
            gamma = lo4[2] + 0.05 * (ug - lo4[2])
            if gamma < 0.0 or gamma > 1.0 - alpha:
                gamma = 1.0 - alpha - 1e-3
            free[2] = True
        start[2] = gamma
    if damped:
        phi = fx[3]
        if math.isnan(phi):
            phi = lo4[3] + 0.99 * (hi4[3] - lo4[3])
            if phi < 0.0 or phi > 1.0:
                phi = hi4[3] - 1e-3
            free[3] = True
        start[3] = phi
    p = 1 + (1 if trend != 0 else 0) + (m if season != 0 else 0)
    if fixed_states.shape[0] != p:
        st = (_initial_states(y, m, trend, season) if start_states is None
              else list(start_states))
    else:
        st = []
    keep = [k for k in range(4) if free[k]]
    nx = len(keep) + len(st)
    x0 = np.array([start[k] for k in keep] + st, dtype=np.float64)
    lo = np.array([lo4[k] for k in keep] + [-np.inf] * len(st), dtype=np.float64)
    hi = np.array([hi4[k] for k in keep] + [np.inf] * len(st), dtype=np.float64)
    free_arr = np.array(free, dtype=np.bool_)
    params = np.full(4, np.nan)
    init = np.empty(p)
    n_est = nx + 1
    if n_est >= y.shape[0] - 1:
        return params, init, np.inf, n_est, False
    xb = x0
    relative = False
    if nx > 0:
        xb, fb, _ = _nmmin(nx, R_MAXFN)(x0, R_MAXFN, R_RELTOL, y, m, error, trend, season,
                                        damped, fixed, free_arr, fixed_states, lower, upper,
                                        False)
        # the bounded adaptive run from the same start (statsforecast's recipe): R's simplex
        # stalls on some seasonal fits (AirPassengers MAA), this one on the beta = alpha wall
        xa, fa, _ = _nelder_mead(nx, maxit)(x0, lo, hi, maxit, tol, y, m, error, trend,
                                            season, damped, fixed, free_arr, fixed_states,
                                            lower, upper, False)
        ends = [(xb, fb), (xa, fa)]
        if fa < fb:
            ends.reverse()
        xb, fb = ends[0]
        for rank, (xs, fs) in enumerate(ends):
            more = restarts if rank == 0 else 0  # restarts go to the lower end
            # beta / gamma as positions across what alpha leaves them (ets_natural)
            xr, rlo, rhi = xs.copy(), lo.copy(), hi.copy()
            a = xs[0] if free[0] else fx[0]
            wall = False
            for k, top in ((1, min(hi4[1], a)), (2, min(hi4[2], 1.0 - a))):
                if free[k]:
                    i = keep.index(k)
                    xr[i] = _position(xs[i], lo4[k], top)
                    rlo[i], rhi[i] = 0.0, 1.0
                    wall = wall or xr[i] > 1.0 - _WALL
            for _r in range(max(more, int(wall))):
                xn, fn, _ = _nelder_mead(nx, maxit)(xr, rlo, rhi, maxit, tol, y, m, error,
                                                    trend, season, damped, fixed, free_arr,
                                                    fixed_states, lower, upper, True)
                if not fn < fs - tol:
                    break
                xr, fs = xn, fn
                if fn < fb - tol:
                    fb, xb, relative = fn, xn, True
    # the smoothing parameters: free ones from the optimum, the others as fixed
    j = 0
    for k in range(4):
        if free[k]:
            params[k] = xb[j]
            j += 1
        else:
            params[k] = fx[k]
    if relative:
        if free[1]:
            params[1] = ets_natural(params[1], lo4[1], min(hi4[1], params[0]))
        if free[2]:
            params[2] = ets_natural(params[2], lo4[2], min(hi4[2], 1.0 - params[0]))
    if trend == 0:
        params[1] = np.nan
    if season == 0:
        params[2] = np.nan
    if not damped:
        params[3] = np.nan
    e = np.empty(3 * m + 8)
    crit = _objective()(xb, y, m, error, trend, season, damped, fixed, free_arr,
                        fixed_states, lower, upper, e, init, relative)
    return params, init, crit, n_est, math.isfinite(crit)


def ets_fit_many_models(y, m, models, fixed, maxit, tol, lower, upper, restarts,
                        slow_trend=False):
    """Fit each candidate ``(error, trend, season, damped)`` row of ``models``.

    ``slow_trend`` as in :func:`ets_fit`. Returns ``(params k x 4, states k x (2 + m),
    criterion k, n_estimated k)``; a model that cannot be fitted has criterion ``+inf``.

    A Python loop over the one compiled :func:`ets_fit` (the model is a runtime flag), not
    a kernel: a compiled loop would re-optimise and re-emit all of ``ets_fit``'s code in a
    library of its own (about a fifth of the cold first ``auto_ets``) to save a few
    microseconds per candidate. Arguments are normalised to the types ``ets_fit`` is
    compiled for, so that every candidate and every caller share one signature.
    """
    y, fixed, lower, upper = _as_f64(y), _as_f64(fixed), _as_f64(lower), _as_f64(upper)
    m, maxit, tol, restarts = int(m), int(maxit), float(tol), int(restarts)
    models = np.asarray(models)
    no_states = np.empty(0)
    k = models.shape[0]
    pw = 2 + m
    par = np.full((k, 4), np.nan)
    sts = np.full((k, pw), np.nan)
    crit = np.full(k, np.inf)
    nest = np.zeros(k, dtype=np.int64)
    starts: dict = {}  # heuristic initial states per (trend, season): the same for each
    for i in range(k):
        error, trend, season, damped = (int(code) for code in models[i])
        mm = m if season != 0 else 1
        if (trend, season) not in starts:
            starts[trend, season] = _initial_states(y, mm, trend, season)
        pr, st, c, ne, ok = ets_fit(y, mm, error, trend, season, damped != 0, fixed,
                                    no_states, maxit, tol, lower, upper, restarts,
                                    bool(slow_trend), starts[trend, season])
        par[i] = pr
        sts[i, :st.shape[0]] = st
        crit[i] = c if ok else np.inf
        nest[i] = ne
    return par, sts, crit, nest
