"""Charts for measured KPIs: individuals and moving range, X̄-R and X̄-S for subgroups.

Every chart function shares these keywords:

* ``baseline`` — the phase I window the limits are estimated from: ``None`` (all points), the
  number of leading points, a slice or a boolean mask. Later points are monitored against
  the frozen limits (phase II).
* ``exclude`` — baseline positions to leave out of the estimate (known special causes).
* ``refit`` — rounds of exclude-and-refit: baseline points beyond the limits are dropped and
  the limits re-estimated, up to ``refit`` times (0: off).
* ``params`` — the ``params`` of an earlier result: skip estimation and chart every point
  against those frozen limits (phase II on new data).
* ``rules`` — run rules on the location chart (``"we"``, ``"nelson"``, ``"limits"``,
  ``"none"`` or a :class:`~cxpath.spc.rules.RuleSet`). Dispersion charts (MR, R, S) only
  get rule 1: zone rules assume a symmetric, independent statistic, which they are not.
* ``nsigma`` — limit width in σ (3). ``labels`` — point labels for explanations.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _validate as v
from .chart import (
    ControlChart,
    baseline_mask,
    beyond,
    build,
    check_params,
    exclude_mask,
    labels_array,
    limits,
    refit_loop,
)
from .constants import _c4, _d2, _d3
from .rules import resolve_rules

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .._typing import ArrayLike
    from .rules import Rule, RuleSet

__all__ = ["imr", "xbar_r", "xbar_s"]


def _common(func, n, baseline, exclude, refit, rules, nsigma, labels, params):
    ruleset = resolve_rules(rules, func)
    nsig = v.check_real(nsigma, "nsigma", func, low=0.0, closed="neither")
    refit = v.check_int(refit, "refit", func, low=0, high=100)
    labs = labels_array(labels, n, func)
    if params is not None:
        base = np.zeros(n, dtype=bool)
        excl = np.zeros(n, dtype=bool)
    else:
        base = baseline_mask(baseline, n, func)
        excl = exclude_mask(exclude, n, func)
    return ruleset, nsig, refit, labs, base, excl


def imr(x: ArrayLike, *, baseline: int | slice | ArrayLike | None = None,
        exclude: ArrayLike | None = None, refit: int = 0, params: dict[str, Any] | None = None,
        rules: str | RuleSet | Sequence[Rule] = "we", nsigma: float = 3.0,
        labels: ArrayLike | None = None) -> ControlChart:
    """Individuals (I) chart with its moving-range (MR) companion.

    Parameters
    ----------
    x : array-like of float
        One observation per period (e.g. daily average handle time).
    baseline, exclude, refit, params, rules, nsigma, labels
        See :mod:`cxpath.spc.variables`.

    Returns
    -------
    ControlChart
        The I chart; ``.dispersion`` is the MR chart (its first value is NaN: there is no
        moving range before the second point). ``params`` holds ``center``, ``sigma`` and
        ``mr_bar``.

    Raises
    ------
    DataError
        If ``x`` holds NaN or infinity, or the baseline has no two consecutive points.
    InvalidParameterError
        For a bad option.

    Notes
    -----
    ``σ̂ = MR̄ / d2(2)`` with moving ranges of consecutive baseline points;
    limits ``x̄ ± 3σ̂``. The MR chart has centre ``MR̄``, ``UCL = D4(2) MR̄ = 3.267 MR̄`` and
    lower limit 0, and only rule 1 is applied to it. Exclude-and-refit drops points beyond
    the I-chart limits (a moving range belongs to two points, so the MR chart does not
    decide exclusions).

    References
    ----------
    Montgomery, D. C. (2009). *Introduction to Statistical Quality Control*, 6th ed., §6.4.

    Examples
    --------
    >>> chart = imr([10.0, 10.4, 9.8, 10.1, 10.2, 9.9, 13.5])
    >>> round(chart.params["sigma"], 4), chart.signals.index.tolist()
    (0.7828, [6])
    """
    func = "spc.imr"
    x = v.as_float_array(x, "x", func, min_size=2)
    n = x.size
    ruleset, nsig, refit, labs, base, excl = _common(func, n, baseline, exclude, refit, rules,
                                                     nsigma, labels, params)
    mr = np.empty(n)
    mr[0] = np.nan
    mr[1:] = np.abs(np.diff(x))
    dd2 = _d2(2)

    def estimate(mask):
        pairs = mask[1:] & mask[:-1]
        if not pairs.any():
            v.fail("baseline", func, "a window with at least two consecutive points (to form "
                   "a moving range)", got="no such pair", data=True)
        mr_bar = float(mr[1:][pairs].mean())
        return {"chart": "imr", "center": float(x[mask].mean()), "sigma": mr_bar / dd2,
                "mr_bar": mr_bar}

    def out(p):
        lo, hi = limits(p["center"], p["sigma"], nsig, None)
        return beyond(x, lo, hi)

    if params is None:
        params, excl = refit_loop(estimate, out, base, excl, refit, func)
    else:
        params = check_params(params, ("imr",), func)
    sigma = params["sigma"]
    mr_chart = build("mr", "moving range", mr, params["mr_bar"], _d3(2) * sigma, nsigma=nsig,
                     floor=0.0, ruleset=ruleset.without_zones(), base=base, excl=excl,
                     params=params, labels=labs, prefix="MR chart: ", skip=1)
    return build("i", "individual value", x, params["center"], sigma, nsigma=nsig, floor=None,
                 ruleset=ruleset, base=base, excl=excl, params=params, labels=labs,
                 dispersion=mr_chart)


def _subgroups(data, func) -> np.ndarray:
    arr = v.as_float_array(data, "data", func, ndim=None)
    if arr.ndim != 2:
        v.fail("data", func, "a 2-D array of subgroups (one row per subgroup, equal sizes)",
               got=f"an array of shape {arr.shape}", data=True)
    if arr.shape[1] < 2:
        v.fail("data", func, "subgroups of at least 2 observations (use spc.imr for single "
               "observations)", got=f"subgroup size {arr.shape[1]}", data=True)
    return arr


def _paired(func, data, spread_name, spread_fn, spread_const, rules, baseline, exclude,
            refit, params, nsigma, labels, kind):
    arr = _subgroups(data, func)
    m, size = arr.shape
    ruleset, nsig, refit, labs, base, excl = _common(func, m, baseline, exclude, refit, rules,
                                                     nsigma, labels, params)
    means = arr.mean(axis=1)
    spread = spread_fn(arr)
    unbias, spread_sd = spread_const(size)  # E[spread]/σ and sd(spread)/σ

    def estimate(mask):
        bar = float(spread[mask].mean())
        return {"chart": kind, "n": size, "center": float(means[mask].mean()),
                f"{spread_name}_bar": bar, "sigma": bar / unbias}

    def out(p):
        s = p["sigma"]
        lo, hi = limits(p["center"], s / math.sqrt(size), nsig, None)
        slo, shi = limits(p[f"{spread_name}_bar"], spread_sd * s, nsig, 0.0)
        return beyond(means, lo, hi) | beyond(spread, slo, shi)

    if params is None:
        params, excl = refit_loop(estimate, out, base, excl, refit, func)
    else:
        params = check_params(params, (kind,), func)
        if params["n"] != size:
            v.fail("data", func, f"subgroups of size {params['n']} like the phase I data",
                   got=f"size {size}", data=True)
    sigma = params["sigma"]
    disp = build(spread_name, "range" if spread_name == "r" else "standard deviation", spread,
                 params[f"{spread_name}_bar"], spread_sd * sigma, nsigma=nsig, floor=0.0,
                 ruleset=ruleset.without_zones(), base=base, excl=excl, params=params,
                 labels=labs, prefix=f"{spread_name.upper()} chart: ")
    return build("xbar", "subgroup mean", means, params["center"], sigma / math.sqrt(size),
                 nsigma=nsig, floor=None, ruleset=ruleset, base=base, excl=excl,
                 params=params, labels=labs, dispersion=disp)


def xbar_r(data: ArrayLike, *, baseline: int | slice | ArrayLike | None = None,
           exclude: ArrayLike | None = None, refit: int = 0, params: dict[str, Any] | None = None,
           rules: str | RuleSet | Sequence[Rule] = "we", nsigma: float = 3.0,
           labels: ArrayLike | None = None) -> ControlChart:
    """X̄ chart with its range (R) companion, for equal-size subgroups.

    Parameters
    ----------
    data : array-like of float, shape (m, n)
        One row per subgroup, ``n ≥ 2`` observations each.
    baseline, exclude, refit, params, rules, nsigma, labels
        See :mod:`cxpath.spc.variables`; positions refer to subgroups. Exclude-and-refit
        drops subgroups beyond the limits of either chart.

    Returns
    -------
    ControlChart
        The X̄ chart; ``.dispersion`` is the R chart. ``params`` holds ``center`` (x̄̄),
        ``r_bar``, ``sigma = R̄/d2`` and ``n``.

    Raises
    ------
    DataError
        If ``data`` is not 2-D, a subgroup has fewer than 2 observations, or holds NaN.

    Notes
    -----
    ``x̄̄ ± A2 R̄`` and ``[D3 R̄, D4 R̄]``, written as ``x̄̄ ± 3 σ̂/√n`` and
    ``R̄ ± 3 d3 σ̂`` (lower limit clipped at 0) with ``σ̂ = R̄/d2``, constants from
    :func:`~cxpath.spc.constants.control_constants`.

    References
    ----------
    Montgomery, D. C. (2009). *Introduction to Statistical Quality Control*, 6th ed., §6.2,
    Example 6.1.

    Examples
    --------
    >>> chart = xbar_r([[1.0, 2.0, 3.0], [2.0, 2.5, 3.5], [1.5, 2.0, 2.2]])
    >>> round(chart.params["r_bar"], 4), round(float(chart.ucl[0]), 4)
    (1.4, 3.6215)
    """
    sizes = _ragged_rows(data, "spc.xbar_r")
    if sizes is not None:
        v.fail("data", "spc.xbar_r", "subgroups of equal size (spc.xbar_s handles varying "
               "sizes)", got=f"sizes {sorted({r.size for r in sizes})}", data=True)
    return _paired("spc.xbar_r", data, "r", lambda a: np.ptp(a, axis=1),
                   lambda n: (_d2(n), _d3(n)), rules, baseline, exclude, refit, params,
                   nsigma, labels, "xbar_r")


def xbar_s(data: ArrayLike, *, baseline: int | slice | ArrayLike | None = None,
           exclude: ArrayLike | None = None, refit: int = 0, params: dict[str, Any] | None = None,
           rules: str | RuleSet | Sequence[Rule] = "we", nsigma: float = 3.0,
           labels: ArrayLike | None = None) -> ControlChart:
    """X̄ chart with its standard-deviation (S) companion; subgroup sizes may vary.

    Parameters
    ----------
    data : array-like of float, shape (m, n), or a sequence of sequences
        One row per subgroup, ``n ≥ 2`` observations each. Rows of different lengths
        (e.g. tickets sampled per day) give limits that vary with the subgroup size.
    baseline, exclude, refit, params, rules, nsigma, labels
        See :mod:`cxpath.spc.variables`.

    Returns
    -------
    ControlChart
        The X̄ chart; ``.dispersion`` is the S chart. ``params`` holds ``center``,
        ``s_bar``, ``sigma = s̄/c4`` and ``n``.

    Raises
    ------
    DataError
        If ``data`` is not 2-D, a subgroup has fewer than 2 observations, or holds NaN.

    Notes
    -----
    ``x̄̄ ± A3 s̄`` and ``[B3 s̄, B4 s̄]``, written as ``x̄̄ ± 3 σ̂/√n`` and
    ``s̄ ± 3 σ̂ √(1 - c4²)`` with ``σ̂ = s̄/c4``. With varying sizes ``n_i`` (Montgomery
    §6.3.2) the centre is the size-weighted mean ``x̄̄ = Σ n_i x̄_i / Σ n_i``, ``s̄`` is the
    pooled ``√(Σ (n_i - 1) s_i² / Σ (n_i - 1))`` and each point gets ``A3(n_i)``,
    ``B3(n_i)``, ``B4(n_i)``; ``params["n"]`` is then ``None``.

    References
    ----------
    Montgomery, D. C. (2009). *Introduction to Statistical Quality Control*, 6th ed., §6.3.

    Examples
    --------
    >>> chart = xbar_s([[1.0, 2.0, 3.0], [2.0, 2.5, 3.5], [1.5, 2.0, 2.2]])
    >>> round(chart.params["s_bar"], 4)
    0.7081
    """
    rows = _ragged_rows(data, "spc.xbar_s")
    if rows is None and isinstance(params, dict) and params.get("chart") == "xbar_s" \
            and params.get("n") is None:  # limits frozen from subgroups of varying size
        rows = list(_subgroups(data, "spc.xbar_s"))
    if rows is not None:
        return _xbar_s_varying(rows, rules, baseline, exclude, refit, params, nsigma, labels)
    return _paired("spc.xbar_s", data, "s", lambda a: a.std(axis=1, ddof=1),
                   lambda n: (_c4(n), math.sqrt(1.0 - _c4(n) ** 2)), rules, baseline,
                   exclude, refit, params, nsigma, labels, "xbar_s")


def _ragged_rows(data, func):
    """The rows of a ragged sequence of subgroups, or None when ``data`` is rectangular."""
    if isinstance(data, np.ndarray) or not isinstance(data, (list, tuple)):
        return None
    rows = []
    for i, row in enumerate(data):
        if np.ndim(row) != 1:
            return None
        rows.append(v.as_float_array(row, f"data[{i}]", func, min_size=0))
    if len({r.size for r in rows}) <= 1:
        return None
    for i, r in enumerate(rows):
        if r.size < 2:
            v.fail("data", func, "subgroups of at least 2 observations (use spc.imr for single "
                   "observations)", got=f"subgroup size {r.size} at position {i}", data=True)
    return rows


def _xbar_s_varying(rows, rules, baseline, exclude, refit, params, nsigma, labels):
    func = "spc.xbar_s"
    m = len(rows)
    ruleset, nsig, refit, labs, base, excl = _common(func, m, baseline, exclude, refit, rules,
                                                     nsigma, labels, params)
    sizes = np.array([r.size for r in rows], dtype=np.float64)
    means = np.array([r.mean() for r in rows])
    sds = np.array([r.std(ddof=1) for r in rows])
    c4s = np.array([_c4(int(n)) for n in sizes])

    def estimate(mask):
        w = sizes[mask]
        pooled = float(np.sqrt(((w - 1) * sds[mask] ** 2).sum() / (w - 1).sum()))
        return {"chart": "xbar_s", "n": None, "center": float((w * means[mask]).sum() / w.sum()),
                "s_bar": pooled}

    def spreads(p):
        return p["s_bar"] / (c4s * np.sqrt(sizes)), p["s_bar"] * np.sqrt(1 - c4s**2) / c4s

    def out(p):
        sx, ss = spreads(p)
        lo, hi = limits(p["center"], sx, nsig, None)
        slo, shi = limits(p["s_bar"], ss, nsig, 0.0)
        return beyond(means, lo, hi) | beyond(sds, slo, shi)

    if params is None:
        params, excl = refit_loop(estimate, out, base, excl, refit, func)
    else:
        params = check_params(params, ("xbar_s",), func)
    sx, ss = spreads(params)
    disp = build("s", "standard deviation", sds, params["s_bar"], ss, nsigma=nsig, floor=0.0,
                 ruleset=ruleset.without_zones(), base=base, excl=excl, params=params,
                 labels=labs, prefix="S chart: ")
    return build("xbar", "subgroup mean", means, params["center"], sx, nsigma=nsig,
                 floor=None, ruleset=ruleset, base=base, excl=excl, params=params,
                 labels=labs, dispersion=disp)
