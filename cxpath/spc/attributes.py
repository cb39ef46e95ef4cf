"""Charts for counted KPIs: p and np (proportions), c and u (counts per exposure), Laney p′/u′.

Subgroup sizes and exposures may vary from point to point: the limits then vary too.
Lower limits are clipped at 0. The shared keywords ``baseline``, ``exclude``, ``refit``,
``params``, ``rules``, ``nsigma`` and ``labels`` work as in :mod:`cxpath.spc.variables`.

For large subgroups (thousands of orders a day) the binomial or Poisson limits are often far
too narrow because the true rate drifts from day to day (over-dispersion) and nearly every
point signals. ``laney=True`` widens them by the observed spread of the standardised points
(Laney 2002): ``σ_i' = σ_i · σ_z`` with ``σ_z = MR̄(z) / d2(2)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _validate as v
from .chart import ControlChart, beyond, build, check_params, limits, refit_loop
from .constants import _d2
from .variables import _common

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .._typing import ArrayLike
    from .rules import Rule, RuleSet

__all__ = ["c_chart", "np_chart", "p_chart", "u_chart"]


def _sizes(sizes, n, name, func, integer=True):
    arr = np.atleast_1d(v.array(sizes, name, func))
    if integer:
        out = v.as_int_array(arr, name, func, low=1)
    else:
        out = v.as_float_array(arr, name, func, low=0.0, closed="neither")
    if out.size == 1:
        out = np.full(n, out[0])
    v.check_same_length(func, counts=np.empty(n), **{name: out})
    return out.astype(np.float64)


def _laney_sigma_z(z, mask, func):
    pairs = mask[1:] & mask[:-1]
    if not pairs.any():
        v.fail("baseline", func, "a window with at least two consecutive points for the "
               "Laney adjustment", got="no such pair", data=True)
    return float(np.abs(np.diff(z))[pairs].mean() / _d2(2))


def _rate_chart(func, kind, counts, sizes, *, binomial, laney, baseline, exclude, refit,
                params, rules, nsigma, labels, scale_center=False):
    """p / np / u / c charts: ``rate_i = counts_i / sizes_i`` around a pooled rate."""
    n = counts.size
    ruleset, nsig, refit, labs, base, excl = _common(func, n, baseline, exclude, refit, rules,
                                                     nsigma, labels, params)
    rate = counts / sizes
    chart_kind = kind + ("'" if laney else "")

    def unit_sigma(pbar):
        var = pbar * (1.0 - pbar) if binomial else pbar
        return np.sqrt(var / sizes)

    def estimate(mask):
        pbar = float(counts[mask].sum() / sizes[mask].sum())
        sz = 1.0
        if laney:
            s = unit_sigma(pbar)
            if np.any(s[mask] == 0):
                v.fail("counts", func, "not all zero (or, for p, not all equal to the sizes) in "
                       "the baseline for the Laney adjustment", got="a degenerate rate",
                       data=True)
            sz = _laney_sigma_z((rate - pbar) / s, mask, func)
        return {"chart": chart_kind, "center": pbar, "sigma_z": sz}

    def stat(p):
        s = unit_sigma(p["center"]) * p["sigma_z"]
        if scale_center:
            return p["center"] * sizes, s * sizes, counts
        return np.full(n, p["center"]), s, rate

    def out(p):
        c, s, val = stat(p)
        lo, hi = limits(c, s, nsig, 0.0)
        return beyond(val, lo, hi)

    if params is None:
        params, excl = refit_loop(estimate, out, base, excl, refit, func)
    else:
        params = check_params(params, (chart_kind,), func)
    center, sigma, values = stat(params)
    statistic = {"p": "proportion", "np": "count of nonconforming", "u": "rate per unit",
                 "c": "count"}[kind]
    return build(chart_kind, statistic, values, center, sigma, nsigma=nsig, floor=0.0,
                 ruleset=ruleset, base=base, excl=excl, params=params, labels=labs,
                 ceiling=1.0 if kind == "p" else None)


def _counts(counts, func):
    return v.as_int_array(counts, "counts", func, low=0).astype(np.float64)


def _nonconforming(counts, sizes, func):
    """Checked counts of nonconforming items and subgroup sizes (counts ≤ sizes)."""
    d = _counts(counts, func)
    n = _sizes(sizes, d.size, "sizes", func)
    over = d > n
    if over.any():
        i = int(np.argmax(over))
        v.fail("counts", func, "at most the subgroup size at every position",
               got=f"{int(d[i])} > {int(n[i])} at position {i}", data=True)
    return d, n


def p_chart(counts: ArrayLike, sizes: ArrayLike, *, laney: bool = False,
            baseline: int | slice | ArrayLike | None = None, exclude: ArrayLike | None = None,
            refit: int = 0, params: dict[str, Any] | None = None,
            rules: str | RuleSet | Sequence[Rule] = "we", nsigma: float = 3.0,
            labels: ArrayLike | None = None) -> ControlChart:
    """p chart of the proportion nonconforming, with varying subgroup sizes.

    Parameters
    ----------
    counts : array-like of int
        Nonconforming items per subgroup (e.g. tickets breaching the SLA each day).
    sizes : int or array-like of int
        Subgroup sizes (tickets each day), ``counts <= sizes``.
    laney : bool, default False
        Laney p′ chart: widen the limits by the observed over-dispersion.
    baseline, exclude, refit, params, rules, nsigma, labels
        See :mod:`cxpath.spc.attributes`.

    Returns
    -------
    ControlChart
        ``values`` are proportions; ``params`` holds ``center`` (p̄) and ``sigma_z``
        (1 unless Laney).

    Raises
    ------
    DataError
        For negative or non-integer counts, sizes below 1, counts above sizes, NaN.

    Notes
    -----
    ``p̄ = Σd/Σn`` over the baseline; limits ``p̄ ± 3 √(p̄(1-p̄)/n_i)`` with the lower
    limit clipped at 0 (and the upper at 1).

    References
    ----------
    Montgomery, D. C. (2009). *Introduction to Statistical Quality Control*, 6th ed., §7.2,
    Example 7.1. Laney, D. B. (2002). Improved control charts for attributes. *Quality
    Engineering* 14(4), 531–537.

    Examples
    --------
    >>> chart = p_chart([3, 5, 2, 9], [100, 120, 90, 100])
    >>> round(chart.params["center"], 4), round(float(chart.ucl[0]), 4)
    (0.0463, 0.1094)
    """
    func = "spc.p_chart"
    d, n = _nonconforming(counts, sizes, func)
    v.check_bool(laney, "laney", func)
    return _rate_chart(func, "p", d, n, binomial=True, laney=laney, baseline=baseline,
                       exclude=exclude, refit=refit, params=params, rules=rules,
                       nsigma=nsigma, labels=labels)


def np_chart(counts: ArrayLike, sizes: ArrayLike, *,
             baseline: int | slice | ArrayLike | None = None, exclude: ArrayLike | None = None,
             refit: int = 0, params: dict[str, Any] | None = None,
             rules: str | RuleSet | Sequence[Rule] = "we", nsigma: float = 3.0,
             labels: ArrayLike | None = None) -> ControlChart:
    """np chart of the number nonconforming (sizes may vary; then the centre varies too).

    Parameters
    ----------
    counts : array-like of int
        Nonconforming items per subgroup.
    sizes : int or array-like of int
        Subgroup size(s).
    baseline, exclude, refit, params, rules, nsigma, labels
        See :mod:`cxpath.spc.attributes`.

    Returns
    -------
    ControlChart
        ``values`` are counts; centre ``n_i p̄``, limits ``n_i p̄ ± 3 √(n_i p̄ (1-p̄))``.

    Raises
    ------
    DataError
        For negative or non-integer counts, sizes below 1, counts above sizes, NaN.

    Examples
    --------
    >>> chart = np_chart([3, 5, 2, 9], 100)
    >>> round(float(chart.center[0]), 2), round(float(chart.ucl[0]), 3)
    (4.75, 11.131)
    """
    func = "spc.np_chart"
    d, n = _nonconforming(counts, sizes, func)
    return _rate_chart(func, "np", d, n, binomial=True, laney=False, baseline=baseline,
                       exclude=exclude, refit=refit, params=params, rules=rules,
                       nsigma=nsigma, labels=labels, scale_center=True)


def c_chart(counts: ArrayLike, *, baseline: int | slice | ArrayLike | None = None,
            exclude: ArrayLike | None = None, refit: int = 0, params: dict[str, Any] | None = None,
            rules: str | RuleSet | Sequence[Rule] = "we", nsigma: float = 3.0,
            labels: ArrayLike | None = None) -> ControlChart:
    """c chart of nonconformities per inspection unit (constant exposure).

    Parameters
    ----------
    counts : array-like of int
        Count per period (e.g. complaints per day when volume is stable).
    baseline, exclude, refit, params, rules, nsigma, labels
        See :mod:`cxpath.spc.attributes`.

    Returns
    -------
    ControlChart
        Centre ``c̄``, limits ``c̄ ± 3√c̄`` (lower clipped at 0).

    Raises
    ------
    DataError
        For negative or non-integer counts or NaN.

    References
    ----------
    Montgomery, D. C. (2009). *Introduction to Statistical Quality Control*, 6th ed., §7.3,
    Example 7.3.

    Examples
    --------
    >>> chart = c_chart([4, 6, 5, 3, 7, 5, 19])
    >>> chart.signals.index.tolist()
    [6]
    """
    func = "spc.c_chart"
    d = _counts(counts, func)
    return _rate_chart(func, "c", d, np.ones(d.size), binomial=False, laney=False,
                       baseline=baseline, exclude=exclude, refit=refit, params=params,
                       rules=rules, nsigma=nsigma, labels=labels)


def u_chart(counts: ArrayLike, exposure: ArrayLike, *, laney: bool = False,
            baseline: int | slice | ArrayLike | None = None, exclude: ArrayLike | None = None,
            refit: int = 0, params: dict[str, Any] | None = None,
            rules: str | RuleSet | Sequence[Rule] = "we", nsigma: float = 3.0,
            labels: ArrayLike | None = None) -> ControlChart:
    """u chart of nonconformities per unit of exposure, with varying exposure.

    Parameters
    ----------
    counts : array-like of int
        Count per period (complaints per day).
    exposure : float or array-like of float
        Exposure per period (orders per day, or inspection units), > 0.
    laney : bool, default False
        Laney u′ chart: widen the limits by the observed over-dispersion.
    baseline, exclude, refit, params, rules, nsigma, labels
        See :mod:`cxpath.spc.attributes`.

    Returns
    -------
    ControlChart
        ``values`` are rates ``c_i / e_i``; centre ``ū = Σc/Σe``, limits
        ``ū ± 3 √(ū/e_i)`` (lower clipped at 0).

    Raises
    ------
    DataError
        For negative or non-integer counts, exposure of 0 or below, NaN.

    References
    ----------
    Montgomery, D. C. (2009). *Introduction to Statistical Quality Control*, 6th ed., §7.3,
    Examples 7.5 and 7.6.

    Examples
    --------
    >>> chart = u_chart([10, 12, 8, 30], [5, 6, 4, 5])
    >>> round(chart.params["center"], 3)
    3.0
    """
    func = "spc.u_chart"
    d = _counts(counts, func)
    e = _sizes(exposure, d.size, "exposure", func, integer=False)
    v.check_bool(laney, "laney", func)
    return _rate_chart(func, "u", d, e, binomial=False, laney=laney, baseline=baseline,
                       exclude=exclude, refit=refit, params=params, rules=rules,
                       nsigma=nsigma, labels=labels)
