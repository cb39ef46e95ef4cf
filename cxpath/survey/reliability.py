"""Internal-consistency reliability: Cronbach's alpha and McDonald's omega total."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .. import _validate as v
from .._results import Result, alias, drawn_by, result
from .._warnings import warn
from ._common import correlation, covariance, read_items

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .._typing import ArrayLike, TableLike

__all__ = ["Alpha", "Omega", "cronbach_alpha", "omega_total"]


@result
class Alpha(Result):
    """Cronbach's alpha of a scale, with one row per item.

    Attributes
    ----------
    alpha, std_alpha : float
        Raw alpha (from covariances) and standardised alpha (from correlations).
    ci_low, ci_high : float
        Feldt confidence interval of the raw alpha at level ``confidence``.
    n_items, n_obs : int
        Items in the scale; respondents used (all rows under ``'pairwise'``, complete rows
        under ``'listwise'``).
    nan_policy : str
        How missing answers were handled: ``'pairwise'``, ``'listwise'`` or ``'error'``.
    items : ndarray of str
        Item labels.
    alpha_if_deleted, std_alpha_if_deleted, item_total : ndarray
        Alpha without each item and the corrected item–total correlation (item vs the sum
        of the other items). Alpha if deleted is NaN, by definition, for a 2-item scale
        (one item left has no alpha).
    mean, sd, n_answers : ndarray
        Per-item mean, standard deviation and number of answers.
    item : ndarray of str
        ``items`` under its column name.
    """

    alpha: float
    std_alpha: float
    ci_low: float
    ci_high: float
    confidence: float
    n_items: int
    n_obs: int
    n_rows: int
    nan_policy: str
    mean_r: float
    items: np.ndarray
    alpha_if_deleted: np.ndarray
    std_alpha_if_deleted: np.ndarray
    item_total: np.ndarray
    mean: np.ndarray
    sd: np.ndarray
    n_answers: np.ndarray

    item = alias("items")

    def _title(self) -> str:
        return "Cronbach's alpha"

    def _summary(self) -> list[str]:
        return [f"alpha = {self.alpha:.4f} [{self.ci_low:.4f}, {self.ci_high:.4f}] "
                f"({self.confidence:.0%} Feldt CI), standardised alpha = {self.std_alpha:.4f}, "
                f"{self.n_items} items, n = {self.n_obs} ({self.nan_policy})"]

    def _columns(self) -> dict:
        return {"item": self.items, "mean": self.mean, "sd": self.sd,
                "n_answers": self.n_answers, "item_total": self.item_total,
                "alpha_if_deleted": self.alpha_if_deleted,
                "std_alpha_if_deleted": self.std_alpha_if_deleted}


def _alpha_cov(c: np.ndarray) -> float:
    k = c.shape[0]
    return k / (k - 1) * (1.0 - np.trace(c) / c.sum())


def _alpha_std(r: np.ndarray) -> tuple[float, float]:
    k = r.shape[0]
    mean_r = (r.sum() - k) / (k * (k - 1))
    return k * mean_r / (1 + (k - 1) * mean_r), mean_r


def feldt_interval(alpha: float, n: int, k: int, confidence: float) -> tuple[float, float]:
    """Feldt (1965) interval: (1 - alpha) / (1 - alpha_pop) ~ F(n - 1, (n - 1)(k - 1)).

    The F quantiles come from ``scipy.special.fdtri`` (what ``scipy.stats.f.isf`` calls;
    scipy.stats takes about twice as long to import on a first call).
    """
    from scipy.special import fdtri

    df1 = n - 1
    df2 = df1 * (k - 1)
    a = 1.0 - confidence
    low = 1.0 - (1.0 - alpha) * fdtri(df1, df2, 1.0 - a / 2)
    high = 1.0 - (1.0 - alpha) * fdtri(df1, df2, 1.0 - (1 - a / 2))
    return float(low), float(high)


def _warn_negative(alpha: float, item_total: np.ndarray, labels) -> None:
    """Say why alpha is negative: Cronbach's (1951) coefficient is below 0 exactly when the
    mean inter-item covariance is, which a reliability cannot be (reverse-coded items)."""

    from ..errors import CxpathWarning

    against = [repr(lab) for lab, r in zip(labels, item_total) if r < 0]
    which = (f" Items with a negative corrected item-total correlation: {', '.join(against)}."
             if against else "")
    warn(
        f"Cronbach's alpha is negative ({alpha:.4g}): the mean covariance between the items "
        "is negative, so some items are negatively correlated with the others - usually "
        "reverse-coded items that must be recoded (e.g. 6 - x on a 1-5 scale) before alpha "
        "measures reliability. Alpha = k/(k-1) (1 - sum of item variances / variance of the "
        "total) (Cronbach 1951) is below 0 exactly when the mean inter-item covariance is "
        f"(R psych::alpha warns the same way).{which}", CxpathWarning, stacklevel=3)


def cronbach_alpha(data: ArrayLike | TableLike, items: Sequence[str] | None = None, *,
                   nan_policy: str = "pairwise", confidence: float = 0.95) -> Alpha:
    """Cronbach's alpha (raw and standardised) with the Feldt interval and item statistics.

    Parameters
    ----------
    data : array-like of shape (n_respondents, n_items) or table
        The answers: a 2-D array, or a pandas / polars DataFrame, pyarrow Table or dict of
        columns. NaN (or None) marks an unanswered item.
    items : sequence of str, optional
        Columns of ``data`` forming the scale (all columns when omitted), or labels of the
        columns of a 2-D array.
    nan_policy : {'pairwise', 'listwise', 'error'}
        ``'pairwise'`` (default) builds the covariance matrix from every pair's complete
        rows and uses all rows for the interval, like pingouin and R ``psych::alpha``;
        ``'listwise'`` keeps only complete respondents; ``'error'`` refuses missing answers.
    confidence : float
        Level of the Feldt interval, in (0, 1).

    Returns
    -------
    Alpha
        Scale-level figures in the attributes and one row per item in ``to_frame()``.

    Raises
    ------
    DataError
        Fewer than 2 items or respondents, non-numeric answers, a constant item, a constant
        total score, or missing answers under ``nan_policy='error'``.

    Warns
    -----
    CxpathWarning
        A negative alpha: the mean inter-item covariance is negative, which a reliability
        cannot be; the message names the items that run against the rest (reverse-coded
        items to recode).
    InvalidParameterError
        An unknown ``nan_policy`` or a ``confidence`` outside (0, 1).

    Notes
    -----
    With item covariance matrix :math:`C` of :math:`k` items,
    :math:`\\alpha = \\frac{k}{k-1}\\left(1 - \\frac{\\operatorname{tr} C}{\\mathbf 1' C
    \\mathbf 1}\\right)`; the standardised alpha uses the correlation matrix, i.e.
    :math:`k\\bar r / (1 + (k-1)\\bar r)`. The Feldt interval is
    :math:`1 - (1-\\hat\\alpha) F_{1-a/2}` to :math:`1 - (1-\\hat\\alpha) F_{a/2}` with
    :math:`F(n-1, (n-1)(k-1))`. Alpha-if-deleted and the corrected item–total correlations
    come from the same covariance matrix.

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
    Psychometrika 16, 297–334.
    Feldt, L. S., Woodruff, D. J., & Salih, F. A. (1987). Statistical inference for
    coefficient alpha. Applied Psychological Measurement 11, 93–103.

    Examples
    --------
    >>> import numpy as np
    >>> from cxpath.survey import cronbach_alpha
    >>> x = np.array([[4, 5, 4], [2, 3, 3], [5, 5, 4], [3, 2, 2], [4, 4, 5]])
    >>> res = cronbach_alpha(x, ["q1", "q2", "q3"])
    >>> round(res.alpha, 4), round(res.ci_low, 3), round(res.ci_high, 3)
    (0.8857, 0.423, 0.987)
    >>> res.to_frame("dict")["alpha_if_deleted"].round(3)
    array([0.868, 0.762, 0.868])
    """
    func = "survey.cronbach_alpha"
    confidence = v.check_real(confidence, "confidence", func, low=0.0, high=1.0,
                              closed="neither")
    it = read_items(data, items, func, nan_policy=nan_policy)
    x = it.x
    k = x.shape[1]
    c, npair = covariance(x)
    r, _ = correlation(x)
    if (npair < 2).any() or not np.isfinite(c).all() or not np.isfinite(r).all():
        i, j = np.argwhere((npair < 2) | ~np.isfinite(c) | ~np.isfinite(r))[0]
        v.fail("data", func, "at least 2 respondents (with varying answers) for each pair "
               "of items", got=f"{int(npair[i, j])} for {it.labels[i]!r} and "
               f"{it.labels[j]!r}", data=True)
    if not c.sum() > 1e-12 * np.trace(c):
        v.fail("data", func, "items whose total score varies",
               got=f"a total-score variance of {c.sum():.3g} (the items cancel out: "
               "reverse-coded items must be recoded first)", data=True)
    alpha = _alpha_cov(c)
    with np.errstate(divide="ignore", invalid="ignore"):
        std_alpha, mean_r = _alpha_std(r)
    n = x.shape[0]
    low, high = feldt_interval(alpha, n, k, confidence)
    aid = np.empty(k)
    said = np.empty(k)
    itc = np.empty(k)
    with np.errstate(divide="ignore", invalid="ignore"):  # undefined (the rest cancel): NaN
        for j in range(k):
            keep = np.arange(k) != j
            if k > 2:
                aid[j] = _alpha_cov(c[np.ix_(keep, keep)])
                said[j] = _alpha_std(r[np.ix_(keep, keep)])[0]
            else:  # one item left: alpha is undefined, report it as NaN by definition
                aid[j] = said[j] = np.nan
            rest_var = c[np.ix_(keep, keep)].sum()
            itc[j] = c[j, keep].sum() / np.sqrt(c[j, j] * rest_var)
    for arr in (aid, said, itc):
        arr[~np.isfinite(arr)] = np.nan
    if alpha < 0:
        _warn_negative(alpha, itc, it.labels)
    counts = (~np.isnan(x)).sum(axis=0)
    return Alpha(alpha=float(alpha), std_alpha=float(std_alpha), ci_low=low, ci_high=high,
                 confidence=confidence, n_items=k, n_obs=n, n_rows=it.n_rows,
                 nan_policy=nan_policy, mean_r=float(mean_r), items=np.array(it.labels),
                 alpha_if_deleted=aid, std_alpha_if_deleted=said, item_total=itc,
                 mean=np.nanmean(x, axis=0), sd=np.nanstd(x, axis=0, ddof=1),
                 n_answers=counts.astype(np.int64))


@drawn_by("loadings")
@result
class Omega(Result):
    """McDonald's omega total from a one-factor model, with the item loadings.

    Attributes
    ----------
    omega : float
        :math:`(\\sum\\lambda)^2 / ((\\sum\\lambda)^2 + \\sum\\psi)` on standardised items.
    loadings, uniquenesses : ndarray
        Standardised one-factor loadings and uniquenesses :math:`1 - \\lambda^2`.
    item, loading, uniqueness : ndarray
        ``items``, ``loadings`` and ``uniquenesses`` under their column names.
    """

    omega: float
    method: str
    n_items: int
    n_obs: int
    nan_policy: str
    items: np.ndarray
    loadings: np.ndarray
    uniquenesses: np.ndarray

    item = alias("items")
    loading = alias("loadings")
    uniqueness = alias("uniquenesses")

    def _title(self) -> str:
        return "McDonald's omega total"

    def _summary(self) -> list[str]:
        return [f"omega = {self.omega:.4f} (one factor, {self.method}), {self.n_items} items, "
                f"n = {self.n_obs} ({self.nan_policy})"]

    def _columns(self) -> dict:
        return {"item": self.items, "loading": self.loadings,
                "uniqueness": self.uniquenesses}


def omega_total(data: ArrayLike | TableLike, items: Sequence[str] | None = None, *,
                method: str = "minres", nan_policy: str = "pairwise") -> Omega:
    """McDonald's omega total of a scale from a one-factor model of its correlations.

    Parameters
    ----------
    data : array-like of shape (n_respondents, n_items) or table
        The answers (see :func:`cronbach_alpha`).
    items : sequence of str, optional
        Columns forming the scale, or labels of a 2-D array's columns.
    method : {'minres', 'ml', 'pa'}
        Extraction of the single factor (see :func:`cxpath.survey.factor_analysis`).
    nan_policy : {'pairwise', 'listwise', 'error'}
        Missing-answer handling of the correlation matrix.

    Returns
    -------
    Omega

    Raises
    ------
    DataError
        Fewer than 3 items, fewer respondents than items, non-numeric or constant items,
        a singular correlation matrix.

    Notes
    -----
    The one-factor model of the correlation matrix gives loadings :math:`\\lambda_i` and
    uniquenesses :math:`\\psi_i = 1 - \\lambda_i^2`; omega total is
    :math:`(\\sum_i\\lambda_i)^2 / ((\\sum_i\\lambda_i)^2 + \\sum_i\\psi_i)`, the share of
    the unit-weighted sum score's variance due to the common factor. Unlike alpha it does
    not assume equal loadings (tau-equivalence).

    References
    ----------
    McDonald, R. P. (1999). Test theory: A unified treatment. Erlbaum.

    Examples
    --------
    >>> import numpy as np
    >>> from cxpath.survey import omega_total
    >>> rng = np.random.default_rng(0)
    >>> f = rng.standard_normal(500)
    >>> x = np.column_stack([lam * f + np.sqrt(1 - lam**2) * rng.standard_normal(500)
    ...                      for lam in (0.8, 0.7, 0.6, 0.5)])
    >>> res = omega_total(x)
    >>> 0.7 < res.omega < 0.85
    True
    """
    from .factor_analysis import _extract

    func = "survey.omega_total"
    v.check_option(method, "method", func, ("minres", "ml", "pa"))
    it = read_items(data, items, func, nan_policy=nan_policy, min_items=3, min_rows=4)
    from ._common import check_correlation, check_pairs

    r, npair = correlation(it.x)
    check_pairs(npair, it.labels, func)
    check_correlation(r, it.labels, func)
    lam, _conv = _extract(r, 1, method, None)
    lam = lam[:, 0]
    if lam.sum() < 0:
        lam = -lam
    psi = 1.0 - lam**2
    s = lam.sum() ** 2
    return Omega(omega=float(s / (s + psi.sum())), method=method, n_items=len(lam),
                 n_obs=it.x.shape[0], nan_policy=nan_policy, items=np.array(it.labels),
                 loadings=lam, uniquenesses=psi)
