"""Time-weighted charts for small sustained shifts: EWMA and tabular CUSUM.

Both chart individual observations (or subgroup means, passing ``sigma`` = σ/√n) against a
target ``μ0`` and a process σ. Unless given, ``target`` is the baseline mean and ``sigma`` is
``MR̄ / d2(2)`` from the baseline's moving ranges (phase I); ``params=`` freezes them for
new data (phase II). Run rules do not apply: successive EWMA and CUSUM values are strongly
autocorrelated, so only their own decision rule is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _validate as v
from .chart import ControlChart, baseline_mask, check_params, labels_array
from .constants import _d2
from .rules import _signals

if TYPE_CHECKING:
    from .._typing import ArrayLike

__all__ = ["cusum", "ewma"]

#: Series up to this many points run the ``cusum_sums`` kernel interpreted while it is not
#: compiled in this process: about 3 µs a point, so at most ~0.1 s, against ~1 s of CPU to
#: compile it in a fresh process (#19).
SMALL_CUSUM_POINTS = 30_000


def _target_sigma(x, target, sigma, baseline, params, kind, func):
    n = x.size
    if params is not None:
        p = check_params(params, (kind,), func)
        return p["target"], p["sigma"], np.zeros(n, dtype=bool)
    base = baseline_mask(baseline, n, func)
    mu = float(x[base].mean()) if target is None else v.check_real(target, "target", func)
    if sigma is None:
        pairs = base[1:] & base[:-1]
        if not pairs.any():
            v.fail("baseline", func, "a window with at least two consecutive points (to "
                   "estimate sigma), or pass sigma", got="no such pair", data=True)
        sig = float(np.abs(np.diff(x))[pairs].mean() / _d2(2))
        if sig == 0.0:
            v.fail("x", func, "not constant over the baseline (sigma estimate is 0); pass "
                   "sigma", got="a constant baseline", data=True)
    else:
        sig = v.check_real(sigma, "sigma", func, low=0.0, closed="neither")
    return mu, sig, base


def ewma(x: ArrayLike, *, lam: float = 0.2, L: float = 3.0, target: float | None = None,
         sigma: float | None = None, baseline: int | slice | ArrayLike | None = None,
         params: dict[str, Any] | None = None, asymptotic: bool = False,
         labels: ArrayLike | None = None) -> ControlChart:
    """Exponentially weighted moving average chart with time-varying limits.

    Parameters
    ----------
    x : array-like of float
        Observations in time order.
    lam : float, default 0.2
        Smoothing weight ``λ`` in (0, 1]; small values detect small shifts.
    L : float, default 3.0
        Limit width in σ of the EWMA statistic. ``λ = 0.2, L = 3`` has an in-control
        ARL of about 560 (Lucas & Saccucci 1990) against 370 for a 3σ Shewhart chart, and
        detects a 1σ shift in about 11 periods; Montgomery's example uses
        ``λ = 0.1, L = 2.7``.
    target : float, optional
        ``μ0``; default the baseline mean.
    sigma : float, optional
        Process σ; default ``MR̄/d2(2)`` of the baseline.
    baseline : None, int, slice or bool mask, optional
        Phase I window for the estimates.
    params : dict, optional
        Frozen ``target``/``sigma`` of an earlier result (phase II; the EWMA restarts at
        ``μ0``).
    asymptotic : bool, default False
        Use the steady-state limits from the first point on.
    labels : sequence, optional
        Point labels.

    Returns
    -------
    ControlChart
        ``values`` are ``z_i = λ x_i + (1-λ) z_{i-1}`` (``z_0 = μ0``); limits
        ``μ0 ± L σ √(λ/(2-λ) [1 - (1-λ)^{2i}])``. Signals use the code ``"EWMA"``.
        ``extra["observation"]`` holds ``x``.

    Raises
    ------
    DataError
        If ``x`` holds NaN or infinity.
    InvalidParameterError
        If ``lam`` is outside (0, 1] or ``L``/``sigma`` is not positive.

    References
    ----------
    Montgomery, D. C. (2009). *Introduction to Statistical Quality Control*, 6th ed., §9.2,
    Example 9.2. Roberts, S. W. (1959). Control chart tests based on geometric moving
    averages. *Technometrics* 1(3), 239–250.

    Examples
    --------
    >>> chart = ewma([10.0, 10.2, 9.9, 10.1, 11.2, 11.4, 11.1, 11.3], lam=0.2, target=10.0,
    ...              sigma=0.3)
    >>> chart.signals.index.tolist()
    [5, 6, 7]
    """
    func = "spc.ewma"
    x = v.as_float_array(x, "x", func)
    lam = v.check_real(lam, "lam", func, low=0.0, high=1.0, closed="right")
    width = v.check_real(L, "L", func, low=0.0, closed="neither")
    v.check_bool(asymptotic, "asymptotic", func)
    labs = labels_array(labels, x.size, func)
    mu, sig, base = _target_sigma(x, target, sigma, baseline, params, "ewma", func)
    from scipy.signal import lfilter

    z, _ = lfilter([lam], [1.0, -(1.0 - lam)], x, zi=[(1.0 - lam) * mu])
    i = np.arange(1, x.size + 1)
    factor = lam / (2.0 - lam) * (np.ones(x.size) if asymptotic else
                                  1.0 - (1.0 - lam) ** (2 * i))
    sd = sig * np.sqrt(factor)
    center = np.full(x.size, mu)
    lcl, ucl = center - width * sd, center + width * sd
    up, down = z > ucl, z < lcl
    idx = np.flatnonzero(up | down)
    side = np.where(up[idx], 1, -1)
    expl = [f"EWMA {z[j]:.4g} {'above the upper' if s > 0 else 'below the lower'} limit "
            f"{(ucl if s > 0 else lcl)[j]:.4g} ({_lab(labs, j)})"
            for j, s in zip(idx.tolist(), side.tolist())]
    signals = _signals(["EWMA"] * idx.size, idx, idx, side, expl)
    params = {"chart": "ewma", "target": mu, "sigma": sig, "lam": lam, "L": width}
    return ControlChart("ewma", "EWMA", z, center, lcl, ucl, sd, base,
                        np.zeros(x.size, dtype=bool), signals, params, ("EWMA",), labs, None,
                        {"observation": x})


def _lab(labels, i):
    return f"point {i}" if labels is None else str(labels[i])


def cusum(x: ArrayLike, *, k: float = 0.5, h: float = 5.0, target: float | None = None,
          sigma: float | None = None, baseline: int | slice | ArrayLike | None = None,
          params: dict[str, Any] | None = None, reset: bool = False,
          labels: ArrayLike | None = None) -> ControlChart:
    """Tabular (two one-sided) CUSUM chart, with ``k`` and ``h`` in σ units.

    Parameters
    ----------
    x : array-like of float
        Observations in time order.
    k : float, default 0.5
        Reference value in σ: half the shift to detect quickly (0.5 → a 1σ shift).
    h : float, default 5.0
        Decision interval in σ. ``k = 0.5, h = 5`` gives an in-control ARL of about 465
        and detects a 1σ shift in about 10 periods (Montgomery Table 9.3); ``h = 4`` is
        the other common choice (ARL 168).
    target, sigma, baseline, params, labels
        As in :func:`ewma`.
    reset : bool, default False
        Restart a sum at 0 after it signals.

    Returns
    -------
    ControlChart
        ``values`` is the upper sum ``C+``, ``extra["lower"]`` the lower sum ``C-``, both
        compared with ``ucl = H = hσ`` (``center`` and ``lcl`` are 0);
        ``extra["observation"]`` is ``x`` and ``extra["n_upper"]``/``extra["n_lower"]`` the
        run lengths ``N+``/``N-``. A signal (``"CUSUM+"`` / ``"CUSUM-"``) explains when
        the shift likely began (``i - N``) and estimates the new mean
        ``μ0 ± (K + C/N)``.

    Raises
    ------
    DataError
        If ``x`` holds NaN or infinity.
    InvalidParameterError
        If ``k`` is negative or ``h``/``sigma`` is not positive.

    References
    ----------
    Montgomery, D. C. (2009). *Introduction to Statistical Quality Control*, 6th ed., §9.1,
    Example 9.1. Page, E. S. (1954). Continuous inspection schemes. *Biometrika* 41, 100–115.

    Examples
    --------
    >>> chart = cusum([10.2, 9.7, 10.1, 11.6, 11.9, 11.4, 12.0], target=10.0, sigma=0.5)
    >>> chart.signals.rule.tolist(), chart.signals.index.tolist()
    (['CUSUM+', 'CUSUM+', 'CUSUM+'], [4, 5, 6])
    """
    func = "spc.cusum"
    x = v.as_float_array(x, "x", func)
    kk = v.check_real(k, "k", func, low=0.0)
    hh = v.check_real(h, "h", func, low=0.0, closed="neither")
    v.check_bool(reset, "reset", func)
    labs = labels_array(labels, x.size, func)
    mu, sig, base = _target_sigma(x, target, sigma, baseline, params, "cusum", func)
    from .._kernels import spc as _k
    from .._kernels._jit import by_work

    big_k, big_h = kk * sig, hh * sig
    sums = by_work(_k.cusum_sums, x.size, SMALL_CUSUM_POINTS)
    up, low, n_up, n_low = sums(np.ascontiguousarray(x - mu), big_k, big_h, bool(reset))
    rows = []
    for j in np.flatnonzero((up > big_h) | (low > big_h)).tolist():
        for s, c, nn in ((1, up[j], n_up[j]), (-1, low[j], n_low[j])):
            if c > big_h:
                shift = mu + s * (big_k + c / nn)
                onset = j - int(nn)
                rows.append((("CUSUM+" if s > 0 else "CUSUM-"), j, max(onset + 1, 0), s,
                             f"{'upper' if s > 0 else 'lower'} CUSUM {c:.4g} > H = {big_h:.4g}"
                             f" ({_lab(labs, j)}); shift likely began after "
                             f"{_lab(labs, onset) if onset >= 0 else 'the start'}, estimated"
                             f" mean {shift:.4g}"))
    signals = _signals(*zip(*rows)) if rows else _signals([], [], [], [], [])
    n = x.size
    params = {"chart": "cusum", "target": mu, "sigma": sig, "k": kk, "h": hh}
    return ControlChart("cusum", "C+ (upper CUSUM)", up, np.zeros(n), np.zeros(n),
                        np.full(n, big_h), np.full(n, sig), base, np.zeros(n, dtype=bool),
                        signals, params, ("CUSUM+", "CUSUM-"), labs, None,
                        {"lower": low, "n_upper": n_up, "n_lower": n_low, "observation": x})
