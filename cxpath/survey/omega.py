"""Hierarchical omega: the Schmid–Leiman transformation and omega from a bifactor CFA.

A scale's total score mixes a general factor with group (facet) factors. Omega
hierarchical is the share of the total-score variance due to the general factor alone
(McDonald 1999; Zinbarg, Revelle, Yovel & Li 2005); omega total is the share due to all
common factors. Here they come from an exploratory solution through the Schmid–Leiman
(1957) transformation, as R ``psych::omega`` computes them, or from a fitted bifactor
confirmatory model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _validate as v
from .._results import Result, alias, derived_columns, format_table, result

if TYPE_CHECKING:
    from collections.abc import Sequence

    import pandas as pd
    import polars as pl

    from .._typing import ArrayLike, TableLike

__all__ = ["OmegaHierarchical", "omega_bifactor", "omega_hierarchical"]

CORRELATIONS = ("pearson", "polychoric", "given")


@result
class OmegaHierarchical(Result):
    """Omega hierarchical and total with the Schmid–Leiman (or bifactor) loadings.

    Attributes
    ----------
    omega_h : float
        Omega hierarchical, :math:`(\\sum_i g_i)^2 / V_t` (general-factor share of the
        total-score variance :math:`V_t`, the sum of all item correlations).
    omega_total : float
        :math:`(V_t - \\sum_i u^2_i) / V_t`.
    omega_h_asymptotic : float
        :math:`(\\sum g)^2 / ((\\sum g)^2 + \\sum_f (\\sum_i s_{if})^2)`: the limit of
        omega hierarchical for a test lengthened with parallel items.
    ecv : float
        Explained common variance of the general factor, :math:`\\sum g^2 / \\sum h^2`.
    items, groups : ndarray of str
        Item labels and the group factors.
    general, group_loadings : ndarray (n_items,), (n_items, n_groups)
        Loadings on the general factor and on each group factor.
    communalities, uniquenesses : ndarray
        :math:`h^2 = g^2 + \\sum_f s_f^2` and :math:`u^2 = 1 - h^2`.
    higher_order : ndarray (n_groups,)
        Loadings of the first-order factors on the general (second-order) factor
        (Schmid–Leiman; NaN for a bifactor model).
    subscale_items : ndarray of str
        The group factor each item is assigned to (its largest group loading).
    omega_sub_total, omega_sub_general, omega_sub_group : ndarray (n_groups,)
        Per group factor, over its assigned items: omega total, the general factor's share
        and the group factor's share (``psych::omega``'s ``omega.group`` table).
    flipped : ndarray of str
        Items reversed because their general loading was negative (``flip=True``).
    source : str
        ``'schmid-leiman'`` or ``'bifactor'``.
    n_obs : int
        Respondents behind the correlations (0 for a given matrix).
    item, g, h2, u2, subscale : ndarray
        ``items``, ``general``, ``communalities``, ``uniquenesses`` and ``subscale_items``
        under their column names.
    """

    omega_h: float
    omega_total: float
    omega_h_asymptotic: float
    ecv: float
    items: np.ndarray
    groups: np.ndarray
    general: np.ndarray
    group_loadings: np.ndarray
    communalities: np.ndarray
    uniquenesses: np.ndarray
    higher_order: np.ndarray
    subscale_items: np.ndarray
    omega_sub_total: np.ndarray
    omega_sub_general: np.ndarray
    omega_sub_group: np.ndarray
    flipped: np.ndarray
    source: str
    n_obs: int

    _derived = derived_columns({
        "{group}": "the item's loading on that group factor, ``group_loadings[:, j]``"})
    item = alias("items")
    g = alias("general")
    h2 = alias("communalities")
    u2 = alias("uniquenesses")
    subscale = alias("subscale_items")

    def _explain_column(self, column: str) -> str | None:
        return self._derived["{group}"] if column in self.groups.tolist() else None

    def _title(self) -> str:
        return f"Omega hierarchical ({self.source})"

    def _summary(self) -> list[str]:
        lines = [f"omega_h = {self.omega_h:.4f}, omega_total = {self.omega_total:.4f}, "
                 f"omega_h asymptotic = {self.omega_h_asymptotic:.4f}, ECV = {self.ecv:.4f}; "
                 f"{len(self.items)} items, {len(self.groups)} group factors"]
        lines.append(format_table({"group": self.groups, "omega_total": self.omega_sub_total,
                                   "general": self.omega_sub_general,
                                   "group_share": self.omega_sub_group}))
        return lines

    def _columns(self) -> dict:
        cols = {"item": self.items, "g": self.general}
        cols.update({f: self.group_loadings[:, j] for j, f in enumerate(self.groups)})
        cols.update({"h2": self.communalities, "u2": self.uniquenesses,
                     "subscale": self.subscale_items})
        return cols

    def subscale_frame(self, backend: str = "pandas") -> pd.DataFrame | pl.DataFrame | dict:
        """Omega of each group factor's items (``'pandas'``, ``'polars'`` or ``'dict'``).

        Examples
        --------
        >>> import numpy as np
        >>> from cxpath.survey import omega_hierarchical
        >>> g, f = np.array([0.9, 0.8, 0.7]), np.array([0.8, 0.7, 0.6] * 3)
        >>> lam = np.zeros((9, 3))
        >>> lam[np.arange(9), np.repeat(np.arange(3), 3)] = f
        >>> phi = np.outer(g, g) + np.diag(1 - g**2)
        >>> r = lam @ phi @ lam.T
        >>> np.fill_diagonal(r, 1.0)
        >>> om = omega_hierarchical(r, correlation="given")
        >>> om.subscale_frame("dict")["items"]
        [3, 3, 3]
        """
        from .._frames import make_frame

        counts = [int((self.subscale_items == gname).sum()) for gname in self.groups]
        return make_frame({"group": self.groups, "items": counts,
                           "omega_total": self.omega_sub_total,
                           "omega_general": self.omega_sub_general,
                           "omega_group": self.omega_sub_group}, backend,
                          func="survey.OmegaHierarchical.subscale_frame")


def _omegas(r, g, s, u2, labels, groups, higher, flipped, source, n_obs):
    vt = float(r.sum())
    h2 = g**2 + (s**2).sum(axis=1)
    gsum = float(g.sum())
    ssum = s.sum(axis=0)
    assign = np.argmax(np.abs(s), axis=1) if s.shape[1] else np.zeros(len(g), dtype=int)
    sub_t, sub_g, sub_s = [], [], []
    for f in range(s.shape[1]):
        idx = np.flatnonzero(assign == f)
        if not len(idx):
            sub_t.append(np.nan), sub_g.append(np.nan), sub_s.append(np.nan)
            continue
        vs = float(r[np.ix_(idx, idx)].sum())
        sub_t.append((vs - u2[idx].sum()) / vs)
        sub_g.append(g[idx].sum() ** 2 / vs)
        sub_s.append(s[idx, f].sum() ** 2 / vs)
    return OmegaHierarchical(
        omega_h=gsum**2 / vt, omega_total=float((vt - u2.sum()) / vt),
        omega_h_asymptotic=gsum**2 / (gsum**2 + float((ssum**2).sum())),
        ecv=float((g**2).sum() / h2.sum()), items=np.array(labels), groups=np.array(groups),
        general=g, group_loadings=s, communalities=h2, uniquenesses=u2,
        higher_order=higher, subscale_items=np.array(groups)[assign] if len(groups) else
        np.array([""] * len(g)), omega_sub_total=np.array(sub_t),
        omega_sub_general=np.array(sub_g), omega_sub_group=np.array(sub_s),
        flipped=np.array(flipped, dtype=str), source=source, n_obs=n_obs)


def _schmid(r, m, method, func):
    """Schmid–Leiman of an oblimin solution of r: (general, group, higher-order)."""
    from .factor_analysis import _extract, _fit

    with np.errstate(all="ignore"):
        fa = _fit(r, m, method, "oblimin", [f"i{j}" for j in range(len(r))], 0, "given")
    lam, phi = fa.loadings, fa.phi
    if m == 2:
        # psych::schmid option="equal": both factors load sqrt(phi12) on the general factor
        gl = np.full(2, np.sqrt(max(phi[0, 1], 0.0)))
    else:
        gl, _ = _extract(phi, 1, method, None)
        gl = gl[:, 0]
        if gl.sum() < 0:
            gl = -gl
    gl = np.clip(gl, -1.0, 1.0)
    return lam @ gl, lam * np.sqrt(1.0 - gl**2)[None, :], gl


def omega_hierarchical(data: ArrayLike | TableLike, items: Sequence[str] | None = None, *,
                       n_factors: int = 3, method: str = "minres",
                       correlation: str = "pearson", correct: float = 0.0,
                       nan_policy: str = "pairwise", flip: bool = True) -> OmegaHierarchical:
    """Omega hierarchical, omega total and the Schmid–Leiman solution (``psych::omega``).

    An exploratory factor analysis with ``n_factors`` group factors and oblimin rotation;
    a general factor extracted from their correlations; the Schmid–Leiman transformation
    gives every item a general loading and orthogonal group loadings, from which omega
    hierarchical, omega total, per-subscale omegas and the explained common variance
    follow.

    Parameters
    ----------
    data : array-like of shape (n_respondents, n_items), table, or (k, k) matrix
        The answers, or a correlation matrix with ``correlation='given'``.
    items : sequence of str, optional
        Columns to analyse, or labels of a 2-D array's columns.
    n_factors : int, default 3
        Group factors (at least 2; with 2 the general factor is defined by giving both
        equal loadings, the square root of their correlation, as ``psych::omega``'s
        ``option="equal"``).
    method : {'minres', 'ml', 'pa'}
        Extraction of both the first-order factors and the general factor.
    correlation : {'pearson', 'polychoric', 'given'}
        Factor Pearson or polychoric correlations of the answers, or ``data`` itself (a
        symmetric matrix with unit diagonal).
    correct : float
        Continuity correction for ``correlation='polychoric'``.
    nan_policy : {'pairwise', 'listwise', 'error'}
        Missing-answer handling of the correlations.
    flip : bool, default True
        Reverse items whose general loading is negative and start again (``psych::omega``'s
        ``flip``); they are listed in ``flipped``.

    Returns
    -------
    OmegaHierarchical
        One row per item (general and group loadings, communality); ``subscale_frame()``.

    Raises
    ------
    InvalidParameterError
        ``n_factors`` below 2 or not below the number of items, an unknown option.
    DataError
        A given matrix that is not a correlation matrix; see :func:`efa`.

    Notes
    -----
    With the oblique pattern :math:`L` (items x k) and factor correlations :math:`\\Phi`,
    one factor of :math:`\\Phi` gives the higher-order loadings :math:`\\gamma`; then
    :math:`g = L\\gamma` and :math:`S = L\\,\\operatorname{diag}(\\sqrt{1-\\gamma^2})`
    (Schmid & Leiman 1957). :math:`V_t = \\mathbf 1'R\\mathbf 1`,
    :math:`\\omega_h = (\\mathbf 1'g)^2/V_t` and
    :math:`\\omega_t = (V_t - \\sum u^2)/V_t` with :math:`u^2 = 1 - g^2 - \\sum_f S_f^2`,
    as ``psych::omega``. Items are assigned to the group factor of their largest
    absolute group loading for the subscale omegas.

    References
    ----------
    Schmid, J. & Leiman, J. M. (1957). The development of hierarchical factor solutions.
    Psychometrika 22, 53–61.
    Zinbarg, R. E., Revelle, W., Yovel, I. & Li, W. (2005). Cronbach's α, Revelle's β, and
    McDonald's ωH. Psychometrika 70, 123–133.

    Examples
    --------
    >>> import numpy as np
    >>> from cxpath.survey import omega_hierarchical
    >>> g, f = np.array([0.9, 0.8, 0.7]), np.array([0.8, 0.7, 0.6] * 3)
    >>> lam = np.zeros((9, 3))
    >>> lam[np.arange(9), np.repeat(np.arange(3), 3)] = f
    >>> phi = np.outer(g, g) + np.diag(1 - g**2)       # a general factor behind three
    >>> r = lam @ phi @ lam.T
    >>> np.fill_diagonal(r, 1.0)
    >>> om = omega_hierarchical(r, correlation="given")
    >>> round(om.omega_h, 3), round(om.omega_total, 3)
    (0.734, 0.869)
    """
    func = "survey.omega_hierarchical"
    from .factor_analysis import METHODS, _item_correlation

    v.check_option(method, "method", func, METHODS)
    v.check_option(correlation, "correlation", func, CORRELATIONS)
    flip = v.check_bool(flip, "flip", func)
    if correlation == "given":
        r = v.as_float_array(data, "data", func, ndim=2)
        if r.shape[0] != r.shape[1] or r.shape[0] < 3:
            v.fail("data", func, "a square correlation matrix of at least 3 items",
                   got=f"shape {r.shape}", data=True)
        if not (np.allclose(r, r.T, atol=1e-8) and np.allclose(np.diag(r), 1.0, atol=1e-8)
                and (np.abs(r) <= 1 + 1e-8).all()):
            v.fail("data", func, "a symmetric matrix with unit diagonal and entries in "
                   "[-1, 1] (correlation='given')", got="another matrix", data=True)
        from ._common import _names

        labels = [str(x) for x in _names(items, func)] if items is not None else \
            [f"item{j + 1}" for j in range(len(r))]
        if len(labels) != len(r):
            v.fail("items", func, f"{len(r)} labels (one per row of the matrix)",
                   got=f"{len(labels)}")
        n_obs = 0
        from ._common import check_correlation

        check_correlation(r, labels, func)
    else:
        from ._common import read_items

        it = read_items(data, items, func, nan_policy=nan_policy, min_items=3, min_rows=4)
        r, npair = _item_correlation(data, items, it, func, correlation, correct, nan_policy)
        labels, n_obs = list(it.labels), int(npair.min())
    k = len(r)
    m = v.check_int(n_factors, "n_factors", func, low=2, high=k - 1)
    g, s, gl = _schmid(r, m, method, func)
    flipped = []
    if flip and (g < 0).any():
        sign = np.where(g < 0, -1.0, 1.0)
        flipped = [labels[j] for j in np.flatnonzero(sign < 0)]
        r = r * np.outer(sign, sign)
        g, s, gl = _schmid(r, m, method, func)
    u2 = 1.0 - g**2 - (s**2).sum(axis=1)
    groups = [f"F{j + 1}" for j in range(m)]
    return _omegas(r, g, s, u2, labels, groups, gl, flipped, "schmid-leiman", n_obs)


def omega_bifactor(fit: Any, general: str) -> OmegaHierarchical:
    """Omega hierarchical and total from a fitted bifactor model.

    Parameters
    ----------
    fit : Sem or OrdinalCfa
        A model from :func:`cfa` (or :func:`cfa_ordinal`) with one general factor loading
        on every item and group factors, all factors uncorrelated (``g ~~ 0*s1`` …) and
        every item loading on at most one group factor.
    general : str
        The general factor's name.

    Returns
    -------
    OmegaHierarchical
        With ``source='bifactor'``; loadings are the fitted (unstandardised) ones.

    Raises
    ------
    InvalidParameterError
        ``general`` is not a factor of the model, factors that correlate, an item
        loading on two group factors.

    Notes
    -----
    With :math:`\\hat\\Sigma` the model-implied covariance of the items,
    :math:`\\omega_h = \\phi_{gg}(\\sum\\lambda_g)^2/\\mathbf 1'\\hat\\Sigma\\mathbf 1` and
    :math:`\\omega_t = 1 - \\sum\\theta_{ii}/\\mathbf 1'\\hat\\Sigma\\mathbf 1`
    (Rodriguez, Reise & Haviland 2016). Loadings are scaled by the factors' standard
    deviations, so a marker or a ``std_lv`` scaling give the same omegas.

    References
    ----------
    Rodriguez, A., Reise, S. P. & Haviland, M. G. (2016). Evaluating bifactor models:
    calculating and interpreting statistical indices. Psychological Methods 21, 137–150.

    Examples
    --------
    >>> import numpy as np
    >>> from cxpath.survey import cfa, omega_bifactor
    >>> rng = np.random.default_rng(0)
    >>> g, s = rng.standard_normal((2000, 1)), rng.standard_normal((2000, 3))
    >>> x = 0.6 * g + 0.5 * np.repeat(s, 3, axis=1) + 0.6 * rng.standard_normal((2000, 9))
    >>> data = {f"x{i}": x[:, i] for i in range(9)}
    >>> model = ("g =~ x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8; s1 =~ x0 + x1 + x2;"
    ...          "s2 =~ x3 + x4 + x5; s3 =~ x6 + x7 + x8; g ~~ 0*s1 + 0*s2 + 0*s3;"
    ...          "s1 ~~ 0*s2 + 0*s3; s2 ~~ 0*s3")
    >>> om = omega_bifactor(cfa(data, model, std_lv=True), "g")
    >>> round(om.omega_h, 2), om.groups.tolist()
    (0.75, ['s1', 's2', 's3'])
    """
    func = "survey.omega_bifactor"
    for attr in ("lhs", "op", "rhs", "est", "observed", "latent"):
        if not hasattr(fit, attr):
            v.fail("fit", func, "a fitted model from survey.cfa or survey.cfa_ordinal",
                   got=type(fit).__name__, wrong_type=True)
    implied = getattr(fit, "implied_cov", None)
    if implied is None:
        implied = fit.implied
    latent = [str(x) for x in fit.latent]
    observed = [str(x) for x in fit.observed]
    if not isinstance(general, str) or general not in latent:
        v.fail("general", func, f"one of the model's factors {v.show_list(latent)}", general)
    lhs, op, rhs, est = (np.asarray(fit.lhs).astype(str), np.asarray(fit.op).astype(str),
                         np.asarray(fit.rhs).astype(str), np.asarray(fit.est, dtype=float))
    var = {f: float(est[(op == "~~") & (lhs == f) & (rhs == f)][0]) for f in latent}
    for i, (a, o, b) in enumerate(zip(lhs, op, rhs)):
        if o == "~~" and a != b and a in latent and b in latent and abs(est[i]) > 1e-10:
            v.fail("fit", func, "a bifactor model with uncorrelated factors (fix them: "
                   f"'{a} ~~ 0*{b}')", got=f"{a} ~~ {b} = {est[i]:.3g}")
        if o == "~" and (a in latent or b in latent):
            v.fail("fit", func, "a measurement model without regressions",
                   got=f"{a} ~ {b}")
    groups = [f for f in latent if f != general]
    p = len(observed)
    g = np.zeros(p)
    s = np.zeros((p, len(groups)))
    for i, (a, o, b) in enumerate(zip(lhs, op, rhs)):
        if o != "=~" or b not in observed:
            continue
        j = observed.index(b)
        val = est[i] * np.sqrt(max(var[a], 0.0))
        if a == general:
            g[j] = val
        else:
            f = groups.index(a)
            if np.count_nonzero(s[j]):
                v.fail("fit", func, "a bifactor model with each item on at most one group "
                       "factor", got=f"item {b!r} on two group factors")
            s[j, f] = val
    theta = np.array([float(est[(op == "~~") & (lhs == x) & (rhs == x)][0])
                      for x in observed])
    implied = np.asarray(implied, dtype=float)
    return _omegas(implied, g, s, theta, observed, groups, np.full(len(groups), np.nan), [],
                   "bifactor", int(getattr(fit, "n_obs", 0)))
