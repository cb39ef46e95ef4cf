"""Factorability of a correlation matrix: Kaiser–Meyer–Olkin and Bartlett's sphericity test."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .._results import Result, alias, result
from ._common import check_correlation, check_pairs, correlation, read_items

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .._typing import ArrayLike, TableLike

__all__ = ["Bartlett", "Kmo", "bartlett_sphericity", "kmo"]


def _verdict(m: float) -> str:
    # Kaiser (1974) labels
    for cut, word in ((0.9, "marvelous"), (0.8, "meritorious"), (0.7, "middling"),
                      (0.6, "mediocre"), (0.5, "miserable")):
        if m >= cut:
            return word
    return "unacceptable"


@result
class Kmo(Result):
    """Kaiser–Meyer–Olkin measure of sampling adequacy, overall and per item.

    Attributes
    ----------
    overall : float
        Overall KMO (MSA); Kaiser's labels: >= 0.9 marvelous, 0.8 meritorious, 0.7 middling,
        0.6 mediocre, 0.5 miserable, below unacceptable.
    verdict : str
        Kaiser's label of the overall KMO.
    items : ndarray of str
    per_item : ndarray
        Item MSA values.
    item, msa : ndarray
        ``items`` and ``per_item`` under their column names.
    msa_verdict : ndarray of str
        Kaiser's label of each item's MSA.
    """

    overall: float
    verdict: str
    items: np.ndarray
    per_item: np.ndarray
    n_obs: int
    nan_policy: str

    item = alias("items")
    msa = alias("per_item")

    @property
    def msa_verdict(self) -> np.ndarray:
        """Kaiser's label of each item's MSA."""
        return np.array([_verdict(m) for m in self.per_item])

    def _title(self) -> str:
        return "Kaiser-Meyer-Olkin sampling adequacy"

    def _summary(self) -> list[str]:
        return [f"overall KMO = {self.overall:.4f} ({self.verdict}), n = {self.n_obs} "
                f"({self.nan_policy})"]

    def _columns(self) -> dict:
        return {"item": self.items, "msa": self.per_item, "msa_verdict": self.msa_verdict}


def kmo(data: ArrayLike | TableLike, items: Sequence[str] | None = None, *,
        nan_policy: str = "pairwise") -> Kmo:
    """Kaiser–Meyer–Olkin measure of sampling adequacy.

    Parameters
    ----------
    data : array-like of shape (n_respondents, n_items) or table
        The answers (see :func:`cxpath.survey.cronbach_alpha`).
    items : sequence of str, optional
        Columns to analyse, or labels of a 2-D array's columns.
    nan_policy : {'pairwise', 'listwise', 'error'}
        Missing-answer handling of the correlation matrix.

    Returns
    -------
    Kmo

    Raises
    ------
    DataError
        Non-numeric or constant items, too few respondents, a singular correlation matrix.

    Notes
    -----
    With correlations :math:`r_{ij}` and partial correlations
    :math:`a_{ij} = -P_{ij}/\\sqrt{P_{ii}P_{jj}}` from :math:`P = R^{-1}`,
    :math:`\\mathrm{KMO} = \\sum_{i\\ne j} r_{ij}^2 / (\\sum_{i\\ne j} r_{ij}^2 +
    \\sum_{i\\ne j} a_{ij}^2)`; the item MSA restricts both sums to row :math:`i`.

    References
    ----------
    Kaiser, H. F. (1974). An index of factorial simplicity. Psychometrika 39, 31–36.

    Examples
    --------
    >>> import numpy as np
    >>> from cxpath.survey import kmo
    >>> rng = np.random.default_rng(0)
    >>> f = rng.standard_normal(300)
    >>> x = np.column_stack([f + rng.standard_normal(300) for _ in range(4)])
    >>> res = kmo(x)
    >>> bool(res.overall > 0.7), res.per_item.shape
    (True, (4,))
    """
    func = "survey.kmo"
    it = read_items(data, items, func, nan_policy=nan_policy, min_items=2, min_rows=3)
    r, npair = correlation(it.x)
    check_pairs(npair, it.labels, func)
    check_correlation(r, it.labels, func)
    p = np.linalg.inv(r)
    d = np.sqrt(np.diag(p))
    a = -p / np.outer(d, d)
    np.fill_diagonal(a, 0.0)
    r0 = r.copy()
    np.fill_diagonal(r0, 0.0)
    r2, a2 = r0**2, a**2
    per = r2.sum(axis=0) / (r2.sum(axis=0) + a2.sum(axis=0))
    overall = float(r2.sum() / (r2.sum() + a2.sum()))
    return Kmo(overall=overall, verdict=_verdict(overall), items=np.array(it.labels),
               per_item=per, n_obs=it.x.shape[0], nan_policy=nan_policy)


@result
class Bartlett(Result):
    """Bartlett's test that the item correlation matrix is the identity.

    Attributes
    ----------
    statistic : float
        :math:`\\chi^2 = -(n - 1 - (2p + 5)/6)\\,\\ln|R|`.
    df : int
        :math:`p(p-1)/2`.
    p_value : float
    n_obs : int
        :math:`n` used in the statistic (the smallest pairwise count under ``'pairwise'``).
    """

    statistic: float
    df: int
    p_value: float
    n_obs: int
    n_items: int
    nan_policy: str

    def _title(self) -> str:
        return "Bartlett's test of sphericity"

    def _columns(self) -> dict:
        return {"statistic": np.array([self.statistic]), "df": np.array([self.df]),
                "p_value": np.array([self.p_value]), "n_obs": np.array([self.n_obs]),
                "n_items": np.array([self.n_items])}


def bartlett_sphericity(data: ArrayLike | TableLike, items: Sequence[str] | None = None, *,
                        nan_policy: str = "pairwise") -> Bartlett:
    """Bartlett's test of sphericity (are the items correlated at all?).

    Parameters
    ----------
    data : array-like of shape (n_respondents, n_items) or table
        The answers.
    items : sequence of str, optional
        Columns to analyse, or labels of a 2-D array's columns.
    nan_policy : {'pairwise', 'listwise', 'error'}
        Missing-answer handling; under ``'pairwise'`` the sample size in the statistic is
        the smallest number of respondents answering a pair of items (conservative).

    Returns
    -------
    Bartlett

    Raises
    ------
    DataError
        Non-numeric or constant items, too few respondents, a singular correlation matrix.

    References
    ----------
    Bartlett, M. S. (1951). The effect of standardization on a chi square approximation in
    factor analysis. Biometrika 38, 337–344.

    Examples
    --------
    >>> import numpy as np
    >>> from cxpath.survey import bartlett_sphericity
    >>> rng = np.random.default_rng(0)
    >>> f = rng.standard_normal(200)
    >>> x = np.column_stack([f + rng.standard_normal(200) for _ in range(3)])
    >>> res = bartlett_sphericity(x)
    >>> res.df, res.p_value < 1e-10
    (3, True)
    """
    from scipy import stats

    func = "survey.bartlett_sphericity"
    it = read_items(data, items, func, nan_policy=nan_policy, min_items=2, min_rows=3)
    r, npair = correlation(it.x)
    check_pairs(npair, it.labels, func)
    check_correlation(r, it.labels, func)
    n = int(npair.min())
    p = r.shape[0]
    _, logdet = np.linalg.slogdet(r)
    stat = float(-logdet * (n - 1 - (2 * p + 5) / 6))
    df = p * (p - 1) // 2
    return Bartlett(statistic=stat, df=df, p_value=float(stats.chi2.sf(stat, df)), n_obs=n,
                    n_items=p, nan_policy=nan_policy)
