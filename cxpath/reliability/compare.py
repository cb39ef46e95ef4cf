"""Comparing suppliers, batches or production months: lifetimes and claim rates.

* :func:`compare_lifetimes` fits a 2-parameter Weibull to each group and tests, by the
  likelihood ratio, whether the groups share a shape (same failure mechanism, scales free)
  and whether they share shape and scale (one lifetime for all).
* :func:`rate_ratios` compares claims per unit of exposure (unit-months in service,
  units shipped) of each group with the rest or with a reference group: rate ratios with
  exact conditional (binomial) or Wald intervals on the log scale, ranked by rate, with
  the groups' share of the claims (a Pareto view).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from .. import _validate as v
from .._lazy import lazy_module
from .._results import Result, result
from .._typing import ArrayLike
from ..errors import DataError
from .data import LifeData, as_life_data
from .groups import GroupFits

optimize = lazy_module("scipy.optimize")
stats = lazy_module("scipy.stats")

__all__ = ["LifeComparison", "RateRatios", "compare_lifetimes", "rate_ratios"]

_HYPOTHESES = ("common shape", "common shape and scale", "common scale given common shape")


@result
class LifeComparison(Result):
    """Likelihood-ratio tests of a common Weibull shape, and of a common lifetime.

    One row per test:

    * ``common shape``: separate fits (``2g`` parameters) against one shape with a scale
      per group (``g + 1``), ``df = g − 1``;
    * ``common shape and scale``: separate fits against one Weibull for all (2),
      ``df = 2 (g − 1)``;
    * ``common scale given common shape``: the common-shape model against one Weibull,
      ``df = g − 1``.

    Attributes
    ----------
    hypothesis : ndarray of str
    statistic : ndarray of float
        ``2 (ln L_bigger − ln L_smaller)``.
    df : ndarray of int
    p_value : ndarray of float
        Upper tail of χ²(df) (the large-sample distribution of the statistic).
    reject : ndarray of bool
        ``p_value < 1 − level``.
    groups : GroupFits
        The separate fits, with Fisher-matrix bounds at ``level``.
    common_beta : float
        Shape of the common-shape model.
    common_alpha : ndarray of float
        Scale of each group in the common-shape model.
    pooled_alpha, pooled_beta : float
        The one Weibull for all groups.
    log_likelihood_separate, log_likelihood_common_shape, log_likelihood_pooled : float
    level : float

    References
    ----------
    Meeker, W. Q. & Escobar, L. A. (1998). *Statistical Methods for Reliability Data*,
    §8.3 and ch. 17 (likelihood-ratio comparisons of Weibull groups).
    Nelson, W. (1982). *Applied Life Data Analysis*, ch. 12 (comparisons with the
    maximum-likelihood method).
    """

    hypothesis: np.ndarray
    statistic: np.ndarray
    df: np.ndarray
    p_value: np.ndarray
    reject: np.ndarray
    groups: GroupFits
    common_beta: float
    common_alpha: np.ndarray
    pooled_alpha: float
    pooled_beta: float
    log_likelihood_separate: float
    log_likelihood_common_shape: float
    log_likelihood_pooled: float
    level: float

    _key = "hypothesis"

    def _title(self) -> str:
        return f"Weibull comparison of {self.groups.group.size} groups"

    def _summary(self) -> list[str]:
        return [f"common shape {self.common_beta:.4g}; pooled alpha {self.pooled_alpha:.4g},"
                f" beta {self.pooled_beta:.4g}; tests at {1 - self.level:.0%}"]

    def _columns(self) -> dict:
        return {"hypothesis": self.hypothesis, "statistic": self.statistic, "df": self.df,
                "p_value": self.p_value, "reject": self.reject}


def _split(data, group, failed, count, func: str) -> tuple[np.ndarray, list[LifeData]]:
    """Group labels and one LifeData per group."""
    from .warranty import WarrantyData

    if isinstance(data, Mapping):
        if group is not None or failed is not None or count is not None:
            v.fail("group", func, "None when 'data' maps groups to their life data", group)
        labels, parts = [], []
        for key, item in data.items():
            if isinstance(item, WarrantyData):
                item = item.to_life_data()
            parts.append(as_life_data(item, func, f"data[{key!r}]"))
            labels.append(key)
        return np.array(labels, dtype=object), parts
    if isinstance(data, (str, bytes, LifeData)):
        v.fail("data", func, "a mapping of group -> LifeData, or failure times with "
               "'group'", data, wrong_type=True)
    if group is None:
        v.fail("group", func, "the group of each time when 'data' holds times", None)
    if failed is not None:
        v.array(failed, "failed", func)
    d = LifeData.from_times(data, failed=failed, count=count)
    labels = v.array(group, "group", func)
    if labels.ndim != 1:
        v.fail("group", func, "a 1-dimensional array", got=f"an array of shape {labels.shape}")
    t = v.as_float_array(data, "data", func, low=0.0)
    v.check_same_length(func, data=t, group=labels)
    if count is not None:  # LifeData drops zero-count rows: keep labels aligned
        w = v.as_float_array(count, "count", func, low=0.0)
        labels = labels[w > 0]
    try:
        names, inverse = np.unique(labels, return_inverse=True)
    except TypeError:
        v.fail("group", func, "labels of one comparable type", data=True,
               got="labels of mixed types")
    return names, [d._select(inverse == g) for g in range(names.size)]


def _group_loglik(prep, fam, log_beta: float, start: float) -> tuple[float, float]:
    """Maximum over the scale of one group's log-likelihood at a fixed shape."""
    beta = math.exp(log_beta)

    def nll(log_alpha):
        value = prep.loglik(fam, np.array([math.exp(log_alpha), beta]))
        return -value if math.isfinite(value) else 1e300

    res = optimize.minimize_scalar(nll, bracket=(start - 0.1, start + 0.1), method="brent",
                                   options={"xtol": 1e-12})
    return -float(res.fun), float(res.x)


def compare_lifetimes(data: Any, group: ArrayLike | None = None, *,
                      failed: ArrayLike | None = None, count: ArrayLike | None = None,
                      level: float = 0.95) -> LifeComparison:
    """Test whether groups (suppliers, batches, production months) share a Weibull shape,
    or a whole Weibull lifetime, by the likelihood ratio.

    Parameters
    ----------
    data : mapping or array-like of float
        ``{group: LifeData}`` (any censoring; failure times or
        :class:`~cxpath.reliability.WarrantyData` are accepted as values), or the time
        of each unit with ``group`` (and ``failed``, ``count``) as for
        :func:`~cxpath.reliability.fit_groups`.
    group : array-like, optional
        Group label of each time.
    failed : array-like of bool, optional
        True for a failure, False for a right-censored unit; default all failed.
    count : array-like of float, optional
        Units in each row.
    level : float, default 0.95
        Level of the bounds of the separate fits; the tests reject at ``1 − level``.

    Returns
    -------
    LifeComparison

    Raises
    ------
    DataError
        If there are fewer than two groups, or a group has too few failures for a
        Weibull fit (the message names it).

    Notes
    -----
    The separate fits and the pooled fit are :func:`~cxpath.reliability.fit` (maximum
    likelihood); the common-shape model maximises ``Σ_g ln L_g(α_g, β)`` by Brent's method
    on ``ln β``, each ``α_g`` profiled out by Brent's method on ``ln α_g``. The statistics
    are referred to χ² with the differences in parameter counts as degrees of freedom
    (Meeker & Escobar 1998, §8.3); with few failures per group the test is liberal.

    Examples
    --------
    >>> from cxpath.reliability import compare_lifetimes
    >>> c = compare_lifetimes([16, 34, 53, 75, 93, 120, 5, 11, 19, 30, 44, 60],
    ...                       group=["A"] * 6 + ["B"] * 6)
    >>> c.hypothesis.tolist()[:2], c.df.tolist()
    (['common shape', 'common shape and scale'], [1, 2, 1])
    """
    from ._models import FAMILIES
    from ._optim import Prepared
    from .fitting import fit

    func = "reliability.compare_lifetimes"
    level = v.check_real(level, "level", func, low=0.0, high=1.0, closed="neither")
    if isinstance(data, Mapping) and len(data) < 2:
        v.fail("data", func, "at least two groups", data=True, got=f"{len(data)} group(s)")
    names, parts = _split(data, group, failed, count, func)
    if names.size < 2:
        v.fail("group", func, "at least two distinct groups", data=True,
               got=f"{names.size} group(s)")
    fits = []
    for name, d in zip(names, parts):
        if d.lower.size == 0:
            label = name.item() if isinstance(name, np.generic) else name
            v.fail("data", func, "units in every group", data=True,
                   got=f"no unit in group {label!r}")
        try:
            fits.append(fit(d, "weibull", level=level))
        except DataError as err:
            label = name.item() if isinstance(name, np.generic) else name
            v.fail("data", func, "life data with enough failures for a Weibull fit in every "
                   "group", data=True, got=f"group {label!r}, where {err}")
    pooled = fit(LifeData._make(np.concatenate([d.lower for d in parts]),
                                np.concatenate([d.upper for d in parts]),
                                np.concatenate([d.count for d in parts])), "weibull")
    fam = FAMILIES["weibull"]
    preps = [Prepared(d) for d in parts]
    starts = [math.log(f.estimate[0]) for f in fits]
    state = {"starts": list(starts)}

    def nll(log_beta):
        total = 0.0
        new = []
        for prep, s in zip(preps, state["starts"]):
            ll, la = _group_loglik(prep, fam, log_beta, s)
            total += ll
            new.append(la)
        if math.isfinite(total):
            state["starts"] = new
        return -total if math.isfinite(total) else 1e300

    logs = [math.log(f.estimate[1]) for f in fits]
    lo, hi = min(logs), max(logs)
    if hi - lo < 1e-6:
        lo, hi = lo - 0.05, hi + 0.05
    res = optimize.minimize_scalar(nll, bracket=(lo, hi), method="brent",
                                   options={"xtol": 1e-12})
    log_beta = float(res.x)
    ll_common = -float(nll(log_beta))
    common_alpha = np.exp(np.array(state["starts"]))
    ll_sep = float(sum(f.log_likelihood for f in fits))
    ll_pool = pooled.log_likelihood
    # a local optimiser never beats the nested models' maxima: keep the statistics >= 0
    ll_common = min(max(ll_common, ll_pool), ll_sep)
    g = names.size
    stat = np.array([2 * (ll_sep - ll_common), 2 * (ll_sep - ll_pool),
                     2 * (ll_common - ll_pool)])
    stat = np.maximum(stat, 0.0)
    df = np.array([g - 1, 2 * (g - 1), g - 1], dtype=np.int64)
    p = stats.chi2.sf(stat, df)
    alpha = np.array([f.estimate[0] for f in fits])
    beta = np.array([f.estimate[1] for f in fits])
    gf = GroupFits(names, np.array([f.n_units for f in fits]),
                   np.array([f.n_failures for f in fits]), alpha, beta,
                   np.array([f.lower[0] for f in fits]), np.array([f.upper[0] for f in fits]),
                   np.array([f.lower[1] for f in fits]), np.array([f.upper[1] for f in fits]),
                   alpha * (-math.log(0.9)) ** (1 / beta),
                   np.array([f.log_likelihood for f in fits]),
                   np.full(g, "", dtype=object), level)
    return LifeComparison(np.array(_HYPOTHESES, dtype=object), stat, df, p, p < 1 - level,
                          gf, math.exp(log_beta), common_alpha, float(pooled.estimate[0]),
                          float(pooled.estimate[1]), ll_sep, ll_common, ll_pool, level)


# -- rate ratios ---------------------------------------------------------------------------

@result
class RateRatios(Result):
    """Claims per unit of exposure by group, with rate ratios ranked highest first.

    Attributes
    ----------
    label : ndarray of str
        Groups, highest rate first (equal rates keep the input order).
    claims, exposure : ndarray of float
    rate : ndarray of float
        ``claims / exposure``.
    ratio : ndarray of float
        The group's rate over the comparison rate: the rest of the groups pooled, or the
        reference group.
    lower, upper : ndarray of float
        Interval on the ratio at ``level`` (NaN for the reference group, and for Wald
        intervals with a zero count).
    p_value : ndarray of float
        Two-sided test of ratio 1.
    share, cumulative : ndarray of float
        The group's share of all claims, and the running share down the ranking.
    method : str
        ``'exact'`` or ``'wald'``.
    reference : object
        The reference group, or None (each group against the rest).
    level : float
    pareto : Pareto
        The groups' claims as a :func:`cxpath.fmea.pareto` (largest count first).

    Notes
    -----
    With ``c`` claims over exposure ``e`` in the group and ``c₀``, ``e₀`` in the
    comparison, the exact interval conditions on ``n = c + c₀``: ``c`` is binomial with
    ``π = ρ e / (ρ e + e₀)`` for the ratio ``ρ``, so the Clopper–Pearson bounds
    ``π_L = B(α/2; c, n − c + 1)``, ``π_U = B(1 − α/2; c + 1, n − c)`` give
    ``ρ = π / (1 − π) · e₀ / e``, and the p-value is the exact binomial test of
    ``π = e / (e + e₀)`` (R's ``poisson.test`` of two samples). The Wald interval is
    ``ln ρ ± z √(1/c + 1/c₀)``.

    References
    ----------
    Breslow, N. E. & Day, N. E. (1987). *Statistical Methods in Cancer Research II*, §2.3
    (exact and approximate limits of a rate ratio).
    """

    label: np.ndarray
    claims: np.ndarray
    exposure: np.ndarray
    rate: np.ndarray
    ratio: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    p_value: np.ndarray
    share: np.ndarray
    cumulative: np.ndarray
    method: str
    reference: Any
    level: float
    pareto: Any

    _key = "label"

    @property
    def rank(self) -> np.ndarray:
        return np.arange(1, self.label.size + 1)

    def _title(self) -> str:
        return "Rate ratios"

    def _summary(self) -> list[str]:
        against = ("the rest of the groups" if self.reference is None
                   else f"{self.reference!r}")
        high = int(np.sum(self.lower > 1))
        return [f"against {against}; {self.level:.0%} {self.method} intervals; "
                f"{high} group(s) above 1"]

    def _columns(self) -> dict:
        return {"rank": self.rank, "label": self.label, "claims": self.claims,
                "exposure": self.exposure, "rate": self.rate, "ratio": self.ratio,
                "lower": self.lower, "upper": self.upper, "p_value": self.p_value,
                "share": self.share, "cumulative": self.cumulative}


def _exact(c: float, e: float, c0: float, e0: float, level: float):
    n = c + c0
    if n <= 0:
        return math.nan, math.nan, 1.0
    a = 1 - level
    lo = 0.0 if c == 0 else float(stats.beta.ppf(a / 2, c, n - c + 1))
    hi = 1.0 if c == n else float(stats.beta.ppf(1 - a / 2, c + 1, n - c))
    k = e0 / e
    lower = lo / (1 - lo) * k
    upper = math.inf if hi >= 1 else hi / (1 - hi) * k
    p = float(stats.binomtest(int(c), int(n), e / (e + e0)).pvalue)
    return lower, upper, p


def _wald(c: float, e: float, c0: float, e0: float, level: float):
    if c <= 0 or c0 <= 0:
        return math.nan, math.nan, math.nan
    z = float(stats.norm.ppf(0.5 + level / 2))
    lr = math.log((c / e) / (c0 / e0))
    se = math.sqrt(1 / c + 1 / c0)
    return math.exp(lr - z * se), math.exp(lr + z * se), float(2 * stats.norm.sf(abs(lr) / se))


def rate_ratios(claims: ArrayLike, exposure: ArrayLike, labels: ArrayLike | None = None, *,
                reference: Any = None, method: str = "exact",
                level: float = 0.95) -> RateRatios:
    """Rate ratios of claims per exposure across groups, ranked, with intervals.

    Parameters
    ----------
    claims : array-like of int
        Claims of each group (supplier, batch, production month).
    exposure : array-like of float
        Exposure of each group (> 0): unit-months in service, units shipped.
    labels : array-like, optional
        Group names (distinct); default ``'0'``, ``'1'``, ….
    reference : label, optional
        Compare every group with this one; default each group with the rest pooled.
    method : {'exact', 'wald'}, default 'exact'
        Exact conditional (binomial, Clopper–Pearson) or Wald on the log ratio.
    level : float, default 0.95

    Returns
    -------
    RateRatios

    Raises
    ------
    DataError
        For negative, fractional or NaN claims, exposure of 0 or below, duplicate labels,
        fewer than two groups or no claim at all.
    InvalidParameterError
        For a reference that is not a label.

    Examples
    --------
    >>> from cxpath.reliability import rate_ratios
    >>> r = rate_ratios([30, 12, 10], [1000, 1100, 950], ["S1", "S2", "S3"])
    >>> r.label.tolist(), round(float(r.ratio[0]), 3)
    (['S1', 'S2', 'S3'], 2.795)
    """
    from ..fmea import pareto

    func = "reliability.rate_ratios"
    c = v.as_int_array(claims, "claims", func, low=0).astype(float)
    e = v.as_float_array(exposure, "exposure", func, low=0.0, closed="neither")
    if labels is None:
        lab = np.array([str(i) for i in range(c.size)], dtype=object)
    else:
        raw = v.array(labels, "labels", func)
        if raw.ndim != 1:
            v.fail("labels", func, "a 1-dimensional array", got=f"an array of shape "
                   f"{raw.shape}")
        lab = np.array([str(x) for x in raw.tolist()], dtype=object)
    v.check_same_length(func, claims=c, exposure=e, labels=lab)
    if c.size < 2:
        v.fail("claims", func, "given for at least two groups", data=True,
               got=f"{c.size} group(s)")
    if len(set(lab.tolist())) != lab.size:
        seen: set = set()
        dup = next(x for x in lab.tolist() if x in seen or seen.add(x))
        v.fail("labels", func, "distinct (one row per group)", got=f"{dup!r} twice",
               data=True)
    method = v.check_option(method, "method", func, ("exact", "wald"))
    level = v.check_real(level, "level", func, low=0.0, high=1.0, closed="neither")
    total = c.sum()
    if total <= 0:
        v.fail("claims", func, "of positive total", got="no claim in any group", data=True)
    ref = None
    if reference is not None:
        hits = [i for i, x in enumerate(lab.tolist()) if x == str(reference)]
        if not hits:
            v.fail("reference", func, "one of the labels " + v.show_list(lab.tolist()),
                   reference)
        ref = hits[0]
    rate = c / e
    ratio, lower, upper, p = (np.full(c.size, np.nan) for _ in range(4))
    how = _exact if method == "exact" else _wald
    for i in range(c.size):
        if ref is None:
            c0, e0 = total - c[i], e.sum() - e[i]
        elif i == ref:
            ratio[i] = 1.0
            continue
        else:
            c0, e0 = c[ref], e[ref]
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio[i] = rate[i] / (c0 / e0) if c0 > 0 else (math.inf if c[i] > 0 else math.nan)
        lower[i], upper[i], p[i] = how(c[i], e[i], c0, e0, level)
    order = np.lexsort((np.arange(c.size), -rate))
    share = c / total
    cum = np.cumsum(share[order])
    cum[-1] = 1.0
    par = pareto(labels=lab, counts=c)
    return RateRatios(lab[order], c[order], e[order], rate[order], ratio[order],
                      lower[order], upper[order], p[order], share[order], cum, method,
                      None if ref is None else lab[ref], level, par)
