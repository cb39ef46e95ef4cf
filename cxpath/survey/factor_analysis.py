"""Exploratory factor analysis: extraction, rotation and the number of factors."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .. import _validate as v
from .._blas import one_blas_thread
from .._budget import check_memory
from .._results import Result, alias, derived_columns, drawn_by, format_table, result
from .._warnings import collected, warn
from ..errors import CxpathWarning
from . import _rotation
from ._common import check_correlation, check_pairs, correlation, read_items

if TYPE_CHECKING:
    from collections.abc import Sequence

    import pandas as pd
    import polars as pl

    from .._typing import ArrayLike, TableLike

__all__ = ["Efa", "FactorCount", "efa", "n_factors"]

METHODS = ("minres", "ml", "pa")
ROTATIONS = (None, "varimax", "promax", "oblimin")
_BOUNDS = (0.005, 1.0)


def _smc(r: np.ndarray) -> np.ndarray:
    """Squared multiple correlation of each item with all others."""
    return 1.0 - 1.0 / np.diag(np.linalg.inv(r))


def _top(s: np.ndarray, m: int):
    w, vec = np.linalg.eigh(s)
    return w[::-1], vec[:, ::-1]


def _converged(res) -> bool:
    """Whether an L-BFGS-B fit of the uniquenesses converged: scipy's ``success``, or a line
    search that stopped making progress (status 2, as scipy 1.17 reports on these smooth
    criteria just above ``gtol``) where the projected gradient is below 1e-6."""
    if res.success:
        return True
    g = np.asarray(res.jac, dtype=float)
    lo, hi = _BOUNDS
    free = ~(((res.x <= lo) & (g > 0)) | ((res.x >= hi) & (g < 0)))  # not pushing out
    return bool(res.status == 2 and np.abs(g[free]).max(initial=0.0) <= 1e-6)


def _minres(r: np.ndarray, m: int):
    """Minimum residual (unweighted least squares): minimise the sum of squared residuals of
    the reduced correlation matrix over the uniquenesses; the residual sum equals the sum of
    the squared discarded eigenvalues."""

    from scipy import optimize

    def fg(psi):
        s = r.copy()
        s[np.diag_indices_from(s)] = 1.0 - psi
        w, vec = _top(s, m)
        rest = w[m:]
        f = float((rest**2).sum() + ((w[:m] - np.maximum(w[:m], 1e-12))**2).sum())
        g = -2.0 * (vec[:, m:] ** 2 @ rest)
        return f, g

    start = np.clip(1.0 - _smc(r), *_BOUNDS)
    res = optimize.minimize(fg, start, jac=True, method="L-BFGS-B", bounds=[_BOUNDS] * len(r),
                            options={"maxiter": 5000, "ftol": 1e-15, "gtol": 1e-10})
    s = r.copy()
    s[np.diag_indices_from(s)] = 1.0 - res.x
    w, vec = _top(s, m)
    return vec[:, :m] * np.sqrt(np.maximum(w[:m], 0.0)), _converged(res)


def _ml(r: np.ndarray, m: int):
    """Maximum likelihood (Lawley & Maxwell; the concentrated likelihood of R ``factanal``)."""
    from scipy import optimize

    p = len(r)

    def fg(psi):
        sc = 1.0 / np.sqrt(psi)
        sstar = sc[:, None] * r * sc[None, :]
        w, vec = _top(sstar, m)
        rest = w[m:]
        f = -(np.sum(np.log(rest) - rest) - m + p)
        load = vec[:, :m] * np.sqrt(np.maximum(w[:m] - 1.0, 0.0))
        load = np.sqrt(psi)[:, None] * load
        g = (load**2).sum(axis=1) + psi - np.diag(r)
        return float(f), g / psi**2

    start = np.clip(1.0 - _smc(r), *_BOUNDS)
    res = optimize.minimize(fg, start, jac=True, method="L-BFGS-B", bounds=[_BOUNDS] * p,
                            options={"maxiter": 5000, "ftol": 1e-15, "gtol": 1e-10})
    psi = res.x
    sc = 1.0 / np.sqrt(psi)
    w, vec = _top(sc[:, None] * r * sc[None, :], m)
    load = vec[:, :m] * np.sqrt(np.maximum(w[:m] - 1.0, 0.0))
    return np.sqrt(psi)[:, None] * load, _converged(res)


def _pa(r: np.ndarray, m: int, tol: float = 1e-9, max_iter: int = 10_000):
    """Iterated principal axis factoring from squared multiple correlations."""
    h2 = _smc(r)
    for _ in range(max_iter):
        s = r.copy()
        s[np.diag_indices_from(s)] = h2
        w, vec = _top(s, m)
        lam = vec[:, :m] * np.sqrt(np.maximum(w[:m], 0.0))
        new = (lam**2).sum(axis=1)
        if np.max(np.abs(new - h2)) < tol:
            return lam, True
        h2 = new
    return lam, False


@one_blas_thread()  # L-BFGS-B and 20 x 20 LAPACK calls: one BLAS thread (cxpath._blas)
def _extract(r: np.ndarray, m: int, method: str, _x):
    fn = {"minres": _minres, "ml": _ml, "pa": _pa}[method]
    lam, ok = fn(r, m)
    return lam, ok


@drawn_by("loadings")
@result
class Efa(Result):
    """An exploratory factor solution.

    Attributes
    ----------
    items : ndarray of str
        Item labels (rows of ``loadings``).
    factors : ndarray of str
        Factor labels ``F1 … Fm``, ordered by decreasing sum of squared loadings.
    loadings : ndarray (n_items, n_factors)
        Pattern loadings after rotation (structure = pattern for orthogonal rotations).
    structure : ndarray (n_items, n_factors)
        Structure loadings ``loadings @ phi`` (item–factor correlations).
    phi : ndarray (n_factors, n_factors)
        Factor correlations (the identity for unrotated and orthogonal solutions).
    communalities, uniquenesses : ndarray
        :math:`h^2 = \\operatorname{diag}(\\Lambda\\Phi\\Lambda')` and :math:`1 - h^2`.
    ss_loadings, proportion, cumulative : ndarray
        Sum of squared loadings per factor and its share of the total item variance.
    eigenvalues : ndarray
        Eigenvalues of the item correlation matrix (the scree values).
    chi2, df, p_value, rmsea : float
        Likelihood-ratio test that ``n_factors`` suffice (Bartlett-corrected,
        :math:`(n - 1 - (2p+5)/6 - 2m/3) F` with the ML discrepancy :math:`F` of the fitted
        :math:`\\Lambda\\Lambda' + \\Psi`), its degrees of freedom
        :math:`((p-m)^2 - p - m)/2` and the RMSEA. NaN by definition when ``df <= 0``
        (the model is saturated and cannot be tested).
    item, communality, uniqueness : ndarray
        ``items``, ``communalities`` and ``uniquenesses`` under their column names.
    """

    items: np.ndarray
    factors: np.ndarray
    loadings: np.ndarray
    structure: np.ndarray
    phi: np.ndarray
    communalities: np.ndarray
    uniquenesses: np.ndarray
    ss_loadings: np.ndarray
    proportion: np.ndarray
    cumulative: np.ndarray
    eigenvalues: np.ndarray
    correlation: np.ndarray
    method: str
    rotation: str | None
    n_obs: int
    nan_policy: str
    converged: bool
    chi2: float
    df: int
    p_value: float
    rmsea: float

    _derived = derived_columns({
        "{factor}": "the factor's pattern loadings, ``loadings[:, j]`` for "
                    "``factors[j] == factor`` (``F1`` …)"})
    item = alias("items")
    communality = alias("communalities")
    uniqueness = alias("uniquenesses")

    def _explain_column(self, column: str) -> str | None:
        return self._derived["{factor}"] if column in self.factors.tolist() else None

    def _title(self) -> str:
        return f"Exploratory factor analysis ({self.method}, {self.rotation or 'unrotated'})"

    def _summary(self) -> list[str]:
        lines = [f"{len(self.items)} items, {len(self.factors)} factor(s), n = {self.n_obs} "
                 f"({self.nan_policy})"]
        if self.df > 0:
            lines.append(f"fit: chi2 = {self.chi2:.2f}, df = {self.df}, p = {self.p_value:.3g}, "
                         f"RMSEA = {self.rmsea:.3f}")
        lines.append(format_table(self._variance_columns()))
        if self.rotation in ("promax", "oblimin"):
            cols = {"factor": self.factors}
            cols.update({f: self.phi[:, j] for j, f in enumerate(self.factors)})
            lines.append("factor correlations:")
            lines.append(format_table(cols))
        return lines

    def _variance_columns(self) -> dict:
        return {"factor": self.factors, "ss_loadings": self.ss_loadings,
                "proportion": self.proportion, "cumulative": self.cumulative}

    def variance_frame(self, backend: str = "pandas") -> pd.DataFrame | pl.DataFrame | dict:
        """Variance explained per factor as a table (``'pandas'``, ``'polars'``, ``'dict'``)."""
        from .._frames import make_frame

        return make_frame(self._variance_columns(), backend, func="Efa.variance_frame")

    def _columns(self) -> dict:
        cols = {"item": self.items}
        cols.update({f: self.loadings[:, j] for j, f in enumerate(self.factors)})
        cols["communality"] = self.communalities
        cols["uniqueness"] = self.uniquenesses
        return cols


def efa(data: ArrayLike | TableLike, items: Sequence[str] | None = None, *, n_factors: int = 1,
        method: str = "minres", rotation: str | None = "varimax", nan_policy: str = "pairwise",
        promax_power: int = 4, oblimin_gamma: float = 0.0, correlation: str = "pearson",
        correct: float = 0.0) -> Efa:
    """Exploratory factor analysis of survey items.

    Parameters
    ----------
    data : array-like of shape (n_respondents, n_items) or table
        The answers (see :func:`cxpath.survey.cronbach_alpha`).
    items : sequence of str, optional
        Columns to analyse, or labels of a 2-D array's columns.
    n_factors : int
        Number of factors to extract (at least 1, fewer than the items).
    method : {'minres', 'ml', 'pa'}
        Minimum residual (unweighted least squares), maximum likelihood or iterated
        principal axis factoring.
    rotation : {'varimax', 'promax', 'oblimin', None}
        Orthogonal varimax, oblique promax or direct oblimin, or no rotation. Varimax and
        promax use Kaiser row normalisation.
    nan_policy : {'pairwise', 'listwise', 'error'}
        Missing-answer handling of the correlation matrix.
    promax_power : int
        Power of the promax target (4 by default, as in R and factor_analyzer).
    oblimin_gamma : float
        Obliqueness parameter of oblimin (0 = quartimin, the usual default).
    correlation : {'pearson', 'polychoric'}
        Factor the Pearson correlations, or the polychoric correlations of ordinal items
        (:func:`cxpath.survey.polychoric_matrix`; a non-positive-definite polychoric matrix
        raises, and the chi-square fit test is then only a rough guide).
    correct : float, default 0
        Continuity correction of empty cells for ``correlation='polychoric'``.

    Returns
    -------
    Efa
        Loadings per item in ``to_frame()``; variance explained in ``variance_frame()``.

    Raises
    ------
    DataError
        Non-numeric or constant items, too few respondents, a singular correlation matrix.
    InvalidParameterError
        Unknown method or rotation, ``n_factors`` out of range.

    Warns
    -----
    CxpathWarning
        If the extraction does not converge or gives a Heywood case (a communality at or
        above 1).

    Notes
    -----
    Minres minimises :math:`\\sum_{i,j}(R^*_{ij} - (\\Lambda\\Lambda')_{ij})^2` where
    :math:`R^*` is the correlation matrix with communalities :math:`1-\\psi` on the
    diagonal; ML minimises :math:`\\log|\\Sigma| + \\operatorname{tr}(\\Sigma^{-1}R) -
    \\log|R| - p` with :math:`\\Sigma = \\Lambda\\Lambda' + \\Psi`; both are optimised over
    the uniquenesses :math:`\\psi \\in [0.005, 1]` from :math:`1 - \\mathrm{SMC}`
    (as R ``factanal``, ``psych::fa`` and factor_analyzer), with analytic gradients.
    Factors are sign-aligned (positive column sums) and ordered by decreasing sum of squared
    loadings. Communalities are :math:`\\operatorname{diag}(\\Lambda\\Phi\\Lambda')`, which
    rotation leaves unchanged. The fit test uses :math:`n` = the smallest pairwise count
    under ``'pairwise'``.

    References
    ----------
    Harman, H. H. (1976). Modern factor analysis (3rd ed.). University of Chicago Press.
    Bernaards, C. A., & Jennrich, R. I. (2005). Gradient projection algorithms and software
    for arbitrary rotation criteria in factor analysis. Educational and Psychological
    Measurement 65, 676–696.

    Examples
    --------
    >>> import numpy as np
    >>> from cxpath.survey import efa
    >>> rng = np.random.default_rng(1)
    >>> f = rng.standard_normal((400, 2))
    >>> x = np.column_stack([f[:, 0], f[:, 0], f[:, 0], f[:, 1], f[:, 1], f[:, 1]])
    >>> x = 0.8 * x + 0.6 * rng.standard_normal((400, 6))
    >>> res = efa(x, n_factors=2, rotation="varimax")
    >>> np.round(np.abs(res.loadings).max(axis=1), 1)
    array([0.8, 0.8, 0.8, 0.8, 0.8, 0.8])
    """
    func = "survey.efa"
    v.check_option(method, "method", func, METHODS)
    v.check_option(rotation, "rotation", func, ROTATIONS)
    promax_power = v.check_int(promax_power, "promax_power", func, low=2)
    oblimin_gamma = v.check_real(oblimin_gamma, "oblimin_gamma", func, low=-10.0, high=1.0)
    it = read_items(data, items, func, nan_policy=nan_policy, min_items=3, min_rows=4)
    k = len(it.labels)
    m = v.check_int(n_factors, "n_factors", func, low=1, high=k - 1)
    r, npair = _item_correlation(data, items, it, func, correlation, correct, nan_policy)
    with one_blas_thread():  # 20 x 20 LAPACK calls (see cxpath._blas)
        return _fit(r, m, method, rotation, it.labels, int(npair.min()), nan_policy,
                    promax_power, oblimin_gamma)


CORRELATIONS = ("pearson", "polychoric")


def _item_correlation(data, items, it, func, kind, correct, nan_policy):
    """Pearson (pairwise) or polychoric correlation matrix of the items, checked."""
    v.check_option(kind, "correlation", func, CORRELATIONS)
    correct = v.check_real(correct, "correct", func, low=0.0, high=1.0)
    if kind == "pearson":
        r, npair = correlation(it.x)
        check_pairs(npair, it.labels, func)
    else:
        from .ordinal import _poly_matrix

        pm = _poly_matrix(data, items, func, correct=correct, sparse="warn", smooth="error",
                          nan_policy=nan_policy, max_pairs=20_000, stacklevel=5, hint=False)
        r, npair = pm.matrix, pm.n_pairs
    check_correlation(r, it.labels, func)
    return r, npair


def _fit(r, m, method, rotation, labels, n_obs, nan_policy, promax_power=4, gamma=0.0):
    k = len(r)
    lam, ok = _extract(r, m, method, None)
    if not ok:
        warn(f"{method} extraction did not converge; the loadings may be inaccurate",
             CxpathWarning, stacklevel=3)
    phi = np.eye(m)
    if m > 1 and rotation == "varimax":
        lam, _ = _rotation.varimax(lam)
    elif m > 1 and rotation == "promax":
        lam, _, phi = _rotation.promax(lam, power=promax_power)
    elif m > 1 and rotation == "oblimin":
        lam, _, phi = _rotation.oblimin(lam, gamma=gamma)
    signs = np.where(lam.sum(axis=0) < 0, -1.0, 1.0)
    lam = lam * signs
    phi = phi * np.outer(signs, signs)
    ss = (lam**2).sum(axis=0)
    order = np.argsort(-ss, kind="stable")
    lam, ss, phi = lam[:, order], ss[order], phi[np.ix_(order, order)]
    h2 = np.einsum("ij,jk,ik->i", lam, phi, lam)
    if (h2 >= 1.0 - 1e-6).any():
        j = int(np.argmax(h2))
        warn(f"Heywood case: the communality of item {labels[j]!r} is {h2[j]:.3f} "
             "(>= 1); the solution is improper", CxpathWarning, stacklevel=3)
    prop = ss / k
    chi2, df, pval, rmsea = _fit_test(r, lam, phi, h2, n_obs)
    return Efa(items=np.array(labels), factors=np.array([f"F{j + 1}" for j in range(m)]),
               loadings=lam, structure=lam @ phi, phi=phi, communalities=h2,
               uniquenesses=1.0 - h2, ss_loadings=ss, proportion=prop,
               cumulative=np.cumsum(prop), eigenvalues=np.linalg.eigvalsh(r)[::-1],
               correlation=r, method=method, rotation=rotation if m > 1 else None,
               n_obs=n_obs, nan_policy=nan_policy, converged=ok, chi2=chi2, df=df,
               p_value=pval, rmsea=rmsea)


def _fit_test(r, lam, phi, h2, n):
    """Bartlett-corrected likelihood-ratio test of the fitted model (Lawley & Maxwell 1971)."""
    from scipy import stats

    p, m = lam.shape
    df = ((p - m) ** 2 - p - m) // 2
    if df <= 0:
        return np.nan, int(df), np.nan, np.nan
    sigma = lam @ phi @ lam.T
    sigma[np.diag_indices_from(sigma)] = 1.0  # communality + uniqueness
    _, ld_s = np.linalg.slogdet(sigma)
    _, ld_r = np.linalg.slogdet(r)
    f = ld_s - ld_r + np.trace(np.linalg.solve(sigma, r)) - p
    chi2 = max((n - 1 - (2 * p + 5) / 6 - 2 * m / 3) * f, 0.0)
    rmsea = np.sqrt(max(chi2 / df - 1.0, 0.0) / (n - 1))
    return float(chi2), int(df), float(stats.chi2.sf(chi2, df)), float(rmsea)


@result
class FactorCount(Result):
    """How many factors to keep: the scree, Horn's parallel analysis, Velicer's MAP, Kaiser.

    Attributes
    ----------
    eigenvalues : ndarray
        Observed eigenvalues (of the correlation matrix for ``kind='pca'``, of the reduced
        matrix with squared multiple correlations on the diagonal for ``kind='fa'``).
    random_mean, random_quantile : ndarray
        Mean and ``quantile`` of the same eigenvalues over ``n_iter`` random normal data
        sets of the same size.
    parallel : int
        Leading eigenvalues that exceed their random quantile (Horn's criterion, the
        95th-percentile rule by default).
    parallel_mean : int
        Leading eigenvalues that exceed their random mean (Horn's original mean rule).
    map_squared, map_fourth : ndarray (n_items,)
        Velicer's average squared (1976) and average fourth-power (2000) partial correlation
        after partialling out the first 0, 1, …, n_items - 1 principal components.
    map_1976, map_2000 : int
        Components at the minimum of ``map_squared`` and of ``map_fourth`` (Velicer's MAP
        test, original and revised).
    kaiser : int
        Eigenvalues of the correlation matrix above 1 (Kaiser–Guttman).
    correlation : str
        ``'pearson'`` or ``'polychoric'``.
    suggested : dict
        Number of factors per method.
    eigenvalue : ndarray
        ``eigenvalues`` under its column name.
    retain : ndarray of bool
        ``eigenvalues > random_quantile``.
    """

    eigenvalues: np.ndarray
    correlation_eigenvalues: np.ndarray
    random_mean: np.ndarray
    random_quantile: np.ndarray
    parallel: int
    kaiser: int
    kind: str
    quantile: float
    n_iter: int
    n_obs: int
    seed: int | None
    parallel_mean: int
    map_squared: np.ndarray
    map_fourth: np.ndarray
    map_1976: int
    map_2000: int
    correlation: str

    _derived = derived_columns({"position": "1-based position of the eigenvalue"})
    eigenvalue = alias("eigenvalues")

    @property
    def retain(self) -> np.ndarray:
        """``eigenvalues > random_quantile``: the factors parallel analysis would keep."""
        return self.eigenvalues > self.random_quantile

    @property
    def suggested(self) -> dict:
        """Number of factors per method: ``{'parallel', 'parallel_mean', 'map_1976',
        'map_2000', 'kaiser'}``."""
        return {"parallel": self.parallel, "parallel_mean": self.parallel_mean,
                "map_1976": self.map_1976, "map_2000": self.map_2000, "kaiser": self.kaiser}

    def _title(self) -> str:
        return "Number of factors"

    def _summary(self) -> list[str]:
        return [f"parallel analysis ({self.kind}, {self.correlation}, {self.n_iter} random "
                f"sets): {self.parallel} ({self.quantile:.0%} quantile rule), "
                f"{self.parallel_mean} (mean rule)",
                f"Velicer's MAP: {self.map_1976} (1976, squared), {self.map_2000} "
                f"(2000, fourth power); eigenvalue > 1 (Kaiser): {self.kaiser}"]

    def _columns(self) -> dict:
        n = len(self.eigenvalues)
        return {"position": np.arange(1, n + 1), "eigenvalue": self.eigenvalues,
                "random_mean": self.random_mean, "random_quantile": self.random_quantile,
                "retain": self.retain}


def _map(r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Velicer's MAP: mean squared and mean fourth-power off-diagonal partial correlation
    after partialling out the first m = 0 … p-1 principal components (O'Connor 2000)."""
    p = len(r)
    w, vec = np.linalg.eigh(r)
    w, vec = w[::-1], vec[:, ::-1]
    sq = np.full(p, np.inf)
    fo = np.full(p, np.inf)
    off = ~np.eye(p, dtype=bool)
    for m in range(p):
        a = vec[:, :m] * np.sqrt(np.maximum(w[:m], 0.0))
        c = r - a @ a.T
        d = np.diag(c)
        if not (d > 1e-12).all():
            break
        pr = c / np.sqrt(np.outer(d, d))
        sq[m] = float((pr[off] ** 2).mean())
        fo[m] = float((pr[off] ** 4).mean())
    return sq, fo


def _reduced_eigs(r: np.ndarray, kind: str) -> np.ndarray:
    if kind == "fa":
        r = r.copy()
        r[np.diag_indices_from(r)] = _smc(r)
    return np.linalg.eigvalsh(r)[::-1]


def n_factors(data: ArrayLike | TableLike, items: Sequence[str] | None = None, *, kind: str = "pca",
              n_iter: int = 100, quantile: float = 0.95, seed: int | None = None,
              nan_policy: str = "pairwise", max_iter: int = 100_000,
              correlation: str = "pearson", correct: float = 0.0) -> FactorCount:
    """Number of factors by parallel analysis, Velicer's MAP and eigenvalue > 1, with the scree.

    Parameters
    ----------
    data : array-like of shape (n_respondents, n_items) or table
        The answers.
    items : sequence of str, optional
        Columns to analyse, or labels of a 2-D array's columns.
    kind : {'pca', 'fa'}
        Compare eigenvalues of the correlation matrix (principal components, Horn 1965) or of
        the reduced correlation matrix with squared multiple correlations on the diagonal
        (common factors, as ``psych::fa.parallel``'s factor side).
    n_iter : int
        Random data sets simulated.
    quantile : float
        Quantile of the random eigenvalues used as threshold (0.95, the 95th-percentile
        rule); the mean rule is reported beside it (``parallel_mean``).
    seed : int, optional
        Seed of the random generator, for reproducible results.
    nan_policy : {'pairwise', 'listwise', 'error'}
        Missing-answer handling of the correlation matrix.
    max_iter : int, default 100,000
        Cap on ``n_iter``: more raise :class:`~cxpath.errors.CostError` before any
        simulation, with a rough time; raise the cap to run it anyway.
    correlation : {'pearson', 'polychoric'}
        Correlations of the observed and the random data: Pearson, or polychoric for ordinal
        items (:func:`cxpath.survey.polychoric_matrix`).
    correct : float, default 0
        Continuity correction of empty cells for ``correlation='polychoric'``.

    Returns
    -------
    FactorCount
        Eigenvalues, random means and quantiles per position in ``to_frame()``; the number
        of factors per method in ``suggested``.

    Raises
    ------
    DataError
        Non-numeric or constant items, too few respondents, a singular correlation matrix.

    Warns
    -----
    CxpathWarning
        Polychoric tables with empty cells (see :func:`cxpath.survey.polychoric_matrix`).

    Notes
    -----
    With Pearson correlations, random data sets have the same number of rows (those used)
    and items, with independent standard normal answers. With polychoric correlations each
    random set permutes every item's answers independently (same margins, no association;
    the resampling reference of ``psych::fa.parallel``) and takes its polychoric matrix
    (eigenvalue-smoothed if needed, with empty cells accepted), so each set costs a full
    polychoric matrix. The parallel count is the number of leading
    observed eigenvalues that exceed the random ``quantile`` (or, for ``parallel_mean``,
    the random mean), stopping at the first that does not.

    Velicer's MAP partials the first :math:`m` principal components of the correlation
    matrix :math:`R` (loadings :math:`A_m`) out of it,
    :math:`C_m = R - A_m A_m'`, :math:`P_m = D^{-1/2} C_m D^{-1/2}` with
    :math:`D = \\operatorname{diag} C_m`, and averages :math:`p_{ij}^2` (1976) or
    :math:`p_{ij}^4` (2000) over :math:`i \\ne j`, for :math:`m = 0, 1, \\ldots, p-1`
    (:math:`m = 0` is :math:`R` itself); the suggested number is the :math:`m` at the
    minimum (O'Connor 2000). A zero count means no component is worth keeping.

    References
    ----------
    Horn, J. L. (1965). A rationale and test for the number of factors in factor analysis.
    Psychometrika 30, 179–185.
    Velicer, W. F. (1976). Determining the number of components from the matrix of
    partial correlations. Psychometrika 41, 321–327.
    Velicer, W. F., Eaton, C. A., & Fava, J. L. (2000). Construct explication through
    factor or component analysis: a review and evaluation of alternative procedures for
    determining the number of factors or components. In Problems and solutions in human
    assessment (pp. 41–71). Springer.
    O'Connor, B. P. (2000). SPSS and SAS programs for determining the number of components
    using parallel analysis and Velicer's MAP test. Behavior Research Methods,
    Instruments, & Computers 32, 396–402.

    Examples
    --------
    >>> import numpy as np
    >>> from cxpath.survey import n_factors
    >>> rng = np.random.default_rng(2)
    >>> f = rng.standard_normal((300, 2))
    >>> x = np.repeat(f, 3, axis=1) * 0.8 + 0.6 * rng.standard_normal((300, 6))
    >>> res = n_factors(x, n_iter=50, seed=0)
    >>> res.parallel, res.kaiser
    (2, 2)
    """
    func = "survey.n_factors"
    v.check_option(kind, "kind", func, ("pca", "fa"))
    n_iter = v.check_int(n_iter, "n_iter", func, low=1)
    max_iter = v.check_int(max_iter, "max_iter", func, low=1)
    quantile = v.check_real(quantile, "quantile", func, low=0.0, high=1.0)
    if seed is not None:
        seed = v.check_int(seed, "seed", func, low=0)
    it = read_items(data, items, func, nan_policy=nan_policy, min_items=3, min_rows=4)
    r, _ = _item_correlation(data, items, it, func, correlation, correct, nan_policy)
    n, k = it.x.shape
    obs = _reduced_eigs(r, kind)
    rng = np.random.default_rng(seed)
    check_memory(8.0 * n_iter * (k + 1), func, f"{n_iter:,} simulated eigenvalue sets",
                 how="Ask for fewer simulations ('n_iter'), or raise the cap with the "
                     "CXPATH_MAX_MEMORY environment variable (e.g. CXPATH_MAX_MEMORY=64GiB).")
    if n_iter > max_iter:
        from ..errors import CostError

        seconds = n_iter * (3e-5 + 8e-9 * (n * k + n * k * k + k ** 3))
        if correlation == "polychoric":
            seconds = n_iter * k * (k - 1) / 2 * (4e-3 + 2e-8 * n)
        raise CostError(
            f"{func} would simulate {n_iter:,} random {n} x {k} data sets (roughly "
            f"{seconds:,.0f} s on one core), more than the max_iter={max_iter:,} cap. Ask for "
            f"fewer simulations (n_iter=), or raise the cap (max_iter={n_iter}).")
    sims = np.empty((n_iter, k))
    with one_blas_thread():
        for b in range(n_iter):
            if correlation == "pearson":
                z = rng.standard_normal((n, k))
                sims[b] = _reduced_eigs(np.corrcoef(z, rowvar=False), kind)
            else:
                sims[b] = _reduced_eigs(_permuted_polychoric(it, rng, correct, func), kind)
    thr = np.quantile(sims, quantile, axis=0)
    mean = sims.mean(axis=0)
    full = np.linalg.eigvalsh(r)[::-1]
    sq, fo = _map(r)
    return FactorCount(eigenvalues=obs, correlation_eigenvalues=full,
                       random_mean=mean, random_quantile=thr, parallel=_leading(obs > thr),
                       kaiser=int((full > 1.0).sum()), kind=kind, quantile=quantile,
                       n_iter=n_iter, n_obs=n, seed=seed, parallel_mean=_leading(obs > mean),
                       map_squared=sq, map_fourth=fo, map_1976=int(np.argmin(sq)),
                       map_2000=int(np.argmin(fo)), correlation=correlation)


def _leading(above: np.ndarray) -> int:
    """Leading True values, stopping at the first False."""
    return int(np.argmin(above)) if not above.all() else len(above)


def _permuted_polychoric(it, rng, correct, func):
    """Polychoric matrix of the items with each column permuted independently (NaN kept
    in place per column, so the pairwise counts change little)."""
    from .ordinal import _poly_matrix

    x = it.x.copy()
    for j in range(x.shape[1]):
        x[:, j] = x[rng.permutation(x.shape[0]), j]
    with collected():  # the permuted data's own notices are not the user's
        pm = _poly_matrix(x, list(it.labels), func, correct=correct, sparse="ignore",
                          smooth="eigen", nan_policy="pairwise", max_pairs=20_000,
                          stacklevel=5)
    return pm.matrix
