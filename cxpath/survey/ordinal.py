"""Ordinal items: polychoric and polyserial correlations, their matrix, ordinal alpha and omega.

Likert answers are ordered categories of an unobserved continuous response. The polychoric
correlation is the correlation of the two latent standard normal responses behind two
ordinal items; the polyserial correlation pairs an ordinal item with a continuous variable.
Both are estimated by two-step maximum likelihood (Olsson 1979; Olsson, Drasgow & Dorans
1982): thresholds from the marginal proportions, then the correlation that maximises the
likelihood of the observed table. Nothing here ever falls back to Pearson correlations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .. import _validate as v
from .._results import Result, alias, result
from .._warnings import warn
from ..errors import CostError, CxpathWarning
from ._common import read_items

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .._typing import ArrayLike, TableLike
    from .reliability import Omega

__all__ = ["OrdinalAlpha", "Polychoric", "PolychoricMatrix", "ordinal_alpha", "ordinal_omega",
           "polychoric", "polychoric_matrix", "polyserial"]

SPARSE = ("warn", "error", "ignore")
SMOOTH = ("error", "eigen")
MAX_CATEGORIES = 50
_EDGE = 1.0 - 1e-6          # |rho| at or beyond this is the boundary of the parameter space
_SMOOTH_FLOOR = 1e-6        # eigenvalue floor of smooth='eigen'

# Gauss-Legendre nodes and weights of Genz's BVNU (Genz 2004), for |r| < 0.3, 0.75, 1
_GL = {
    6: (np.array([0.1713244923791705, 0.3607615730481384, 0.4679139345726904]),
        np.array([0.9324695142031522, 0.6612093864662647, 0.2386191860831970])),
    12: (np.array([.04717533638651177, 0.1069393259953183, 0.1600783285433464,
                   0.2031674267230659, 0.2334925365383547, 0.2491470458134029]),
         np.array([0.9815606342467191, 0.9041172563704750, 0.7699026741943050,
                   0.5873179542866171, 0.3678314989981802, 0.1252334085114692])),
    20: (np.array([.01761400713915212, .04060142980038694, .06267204833410906,
                   .08327674157670475, 0.1019301198172404, 0.1181945319615184,
                   0.1316886384491766, 0.1420961093183821, 0.1491729864726037,
                   0.1527533871307259]),
         np.array([0.9931285991850949, 0.9639719272779138, 0.9122344282513259,
                   0.8391169718222188, 0.7463319064601508, 0.6360536807265150,
                   0.5108670019508271, 0.3737060887154196, 0.2277858511416451,
                   0.07652652113349733])),
}


def _bvnu(h: np.ndarray, k: np.ndarray, r: float) -> np.ndarray:
    """P(X > h, Y > k) for standard bivariate normals with correlation r (finite h, k).

    Genz's (2004) BVNU: Drezner & Wesolowsky's method with Gauss–Legendre quadrature,
    double precision, vectorised over (h, k) for one r.
    """
    from scipy.special import ndtr

    if r == 0.0:
        return ndtr(-h) * ndtr(-k)
    ar = abs(r)
    w, x = _GL[6] if ar < 0.3 else _GL[12] if ar < 0.75 else _GL[20]
    w = np.concatenate([w, w])
    x = np.concatenate([1.0 - x, 1.0 + x])
    tp = 2.0 * np.pi
    hk = h * k
    if ar < 0.925:
        hs = (h * h + k * k) / 2.0
        asr = np.arcsin(r) / 2.0
        sn = np.sin(asr * x)
        bvn = np.exp((sn * hk[..., None] - hs[..., None]) / (1.0 - sn**2)) @ w
        return np.clip(bvn * asr / tp + ndtr(-h) * ndtr(-k), 0.0, 1.0)
    if r < 0:
        k, hk = -k, -hk
    bvn = np.zeros(h.shape)
    if ar < 1:
        as_ = 1.0 - r * r
        a = np.sqrt(as_)
        bs = (h - k) ** 2
        asr = -(bs / as_ + hk) / 2.0
        c = (4.0 - hk) / 8.0
        d = (12.0 - hk) / 80.0
        bvn = np.where(asr > -100, a * np.exp(np.maximum(asr, -100))
                       * (1 - c * (bs - as_) * (1 - d * bs) / 3 + c * d * as_**2), 0.0)
        b = np.sqrt(bs)
        sp = np.sqrt(tp) * ndtr(-b / a)
        bvn = bvn - np.where(hk > -100, np.exp(-np.maximum(hk, -100) / 2) * sp * b
                             * (1 - c * bs * (1 - d * bs) / 3), 0.0)
        a = a / 2.0
        xs = (a * x) ** 2
        asr2 = -(bs[..., None] / xs + hk[..., None]) / 2.0
        ok = asr2 > -100
        sp2 = 1.0 + c[..., None] * xs * (1.0 + 5.0 * d[..., None] * xs)
        rs = np.sqrt(1.0 - xs)
        ep = np.exp(-(hk[..., None] / 2.0) * xs / (1.0 + rs) ** 2) / rs
        terms = np.where(ok, np.exp(np.where(ok, asr2, 0.0)) * (sp2 - ep), 0.0)
        bvn = (a * (terms @ w) - bvn) / tp
    if r > 0:
        bvn = bvn + ndtr(-np.maximum(h, k))
    else:
        low = np.where(h < 0, ndtr(k) - ndtr(h), ndtr(-h) - ndtr(-k))
        bvn = np.where(h >= k, -bvn, low - bvn)
    return np.clip(bvn, 0.0, 1.0)


def _grid(a: np.ndarray, b: np.ndarray, rho: float):
    """Lower-orthant probabilities F[i, j] = P(X < a_i, Y < b_j) on the threshold grid, with
    a and b padded by -inf/+inf, and their first two derivatives in rho."""
    from scipy.special import ndtr

    na, nb = len(a), len(b)
    f = np.zeros((na + 2, nb + 2))
    f[-1, 1:-1] = ndtr(b)
    f[1:-1, -1] = ndtr(a)
    f[-1, -1] = 1.0
    aa = np.repeat(a[:, None], nb, axis=1)
    bb = np.repeat(b[None, :], na, axis=0)
    f[1:-1, 1:-1] = _bvnu(-aa, -bb, rho)
    s = 1.0 - rho * rho
    q = aa * aa - 2.0 * rho * aa * bb + bb * bb
    dens = np.exp(-q / (2.0 * s)) / (2.0 * np.pi * np.sqrt(s))
    d1 = np.zeros_like(f)
    d2 = np.zeros_like(f)
    d1[1:-1, 1:-1] = dens
    d2[1:-1, 1:-1] = dens * ((rho + aa * bb) / s - rho * q / s**2)
    return f, d1, d2


def _cells(g: np.ndarray) -> np.ndarray:
    return g[1:, 1:] - g[:-1, 1:] - g[1:, :-1] + g[:-1, :-1]


def _thresholds(counts: np.ndarray) -> np.ndarray:
    from scipy.special import ndtri

    c = np.cumsum(counts)[:-1] / counts.sum()
    return ndtri(c)


def _loglik(table, a, b, rho, order=0):
    f, d1, d2 = _grid(a, b, rho)
    p = np.maximum(_cells(f), 1e-300)
    pos = table > 0
    ll = float((table[pos] * np.log(p[pos])).sum())
    if order == 0:
        return ll
    p1, p2 = _cells(d1), _cells(d2)
    g = float((table[pos] * p1[pos] / p[pos]).sum())
    h = float((table[pos] * (p2[pos] / p[pos] - (p1[pos] / p[pos]) ** 2)).sum())
    return (ll, g, h) if order == 2 else (ll, g, h, p)


def _newton(table, a, b, start=None):
    """Newton's method on the second-step likelihood from the Pearson correlation of the
    category scores (or ``start``), halving steps that lower the likelihood; None if it
    does not converge to an interior maximum."""
    if start is None:
        n = table.sum()
        u = np.arange(table.shape[0], dtype=float)
        w = np.arange(table.shape[1], dtype=float)
        pu, pw = table.sum(axis=1) / n, table.sum(axis=0) / n
        mu, mw = pu @ u, pw @ w
        cov = (u - mu) @ (table / n) @ (w - mw)
        start = cov / np.sqrt((pu @ (u - mu) ** 2) * (pw @ (w - mw) ** 2))
    rho = float(np.clip(start, -0.95, 0.95))
    ll, g, h = _loglik(table, a, b, rho, order=2)
    for _ in range(50):
        if not h < 0:
            return None
        step = g / h
        for _ in range(30):
            new = rho - step
            if abs(new) < _EDGE:
                nll, ng, nh = _loglik(table, a, b, new, order=2)
                if nll >= ll - 1e-12 * abs(ll):
                    break
            step /= 2.0
        else:
            return None
        if abs(new - rho) < 1e-12:
            return new
        rho, ll, g, h = new, nll, ng, nh
    return None


def _fit_table(table: np.ndarray, where: str, func: str, sparse: str):
    """Two-step ML of one contingency table: thresholds, rho, its SE and the G2 test."""
    from scipy import optimize

    a = _thresholds(table.sum(axis=1))
    b = _thresholds(table.sum(axis=0))
    rho = _newton(table, a, b)
    if rho is None:  # Newton did not settle: Brent's method, then a Newton polish
        res = optimize.minimize_scalar(lambda r: -_loglik(table, a, b, r),
                                       bounds=(-_EDGE, _EDGE), method="bounded",
                                       options={"xatol": 1e-9})
        rho = _newton(table, a, b, float(res.x))
        rho = float(res.x) if rho is None else rho
    edge = np.copysign(_EDGE, rho)
    if abs(rho) > 0.9 and _loglik(table, a, b, edge) >= _loglik(table, a, b, rho) - 1e-9:
        # the likelihood does not fall towards +-1: the supremum is on the boundary
        v.fail("data", func, "tables whose polychoric correlation is inside (-1, 1)",
               got=f"a maximum-likelihood estimate on the boundary (rho -> {edge:+.0f}) for "
               f"{where}: the table has empty cells that make the items look perfectly "
               "related; ask for a continuity correction of the empty cells (correct=0.5) or "
               "merge sparse categories", data=True)
    _, _, h, p = _loglik(table, a, b, rho, order=3)
    se = float(np.sqrt(-1.0 / h)) if h < 0 else np.nan
    n = table.sum()
    pos = table > 0
    g2 = float(2.0 * (table[pos] * np.log(table[pos] / (n * p[pos]))).sum())
    df = table.size - table.shape[0] - table.shape[1]
    return rho, se, a, b, max(g2, 0.0), df


def _influence(a: np.ndarray, b: np.ndarray, rho: float) -> np.ndarray:
    """Influence of one answer in cell (i, j) on the two-step rho (per respondent), with the
    thresholds' own sampling error carried through (model-based expectations)."""
    from scipy.special import ndtr

    f, d1, _ = _grid(a, b, rho)
    pi = np.maximum(_cells(f), 1e-300)
    pp = _cells(d1)
    score = pp / pi
    info = float((pp**2 / pi).sum())
    sq = np.sqrt(1.0 - rho * rho)
    big_a = np.concatenate([[-np.inf], a, [np.inf]])
    big_b = np.concatenate([[-np.inf], b, [np.inf]])
    phi_a = np.exp(-a**2 / 2) / np.sqrt(2 * np.pi)
    phi_b = np.exp(-b**2 / 2) / np.sqrt(2 * np.pi)
    g = phi_a[:, None] * ndtr((big_b[None, :] - rho * a[:, None]) / sq)
    dg = g[:, 1:] - g[:, :-1]                    # d pi[k, j] / d a_k = +dg, pi[k+1, j]: -dg
    hh = phi_b[:, None] * ndtr((big_a[None, :] - rho * b[:, None]) / sq)
    dh = hh[:, 1:] - hh[:, :-1]                  # d pi[i, l] / d b_l = +dh, pi[i, l+1]: -dh
    da = -((score[:-1] - score[1:]) * dg).sum(axis=1)
    db = -((score[:, :-1] - score[:, 1:]) * dh.T).sum(axis=0)
    ra, cb = np.arange(len(a) + 1), np.arange(len(b) + 1)
    ifa = ((ra[:, None] <= np.arange(len(a))[None, :]) - ndtr(a)[None, :]) / phi_a
    ifb = ((cb[:, None] <= np.arange(len(b))[None, :]) - ndtr(b)[None, :]) / phi_b
    return (score + (ifa @ da)[:, None] + (ifb @ db)[None, :]) / info


def _codes(col: np.ndarray, name: str, func: str):
    """Categories (sorted distinct answers) and 0-based codes of one ordinal item."""
    cats, codes = np.unique(col, return_inverse=True)
    if len(cats) < 2:
        v.fail("data", func, "ordinal items with at least 2 categories",
               got=f"only the answer {cats[0]:g} in {name}" if len(cats) else
               f"no answers in {name}", data=True)
    if len(cats) > MAX_CATEGORIES:
        v.fail("data", func, f"ordinal items with at most {MAX_CATEGORIES} categories",
               got=f"{len(cats)} distinct answers in {name} (a continuous variable: use "
               "survey.polyserial)", data=True)
    return cats, codes


def _table(cx, cy, nx, ny):
    return np.bincount(cx * ny + cy, minlength=nx * ny).reshape(nx, ny).astype(np.float64)


def _correct(table: np.ndarray, correct: float) -> tuple[np.ndarray, int]:
    empty = table == 0
    n_empty = int(empty.sum())
    if correct > 0 and n_empty:
        table = table.copy()
        table[empty] = correct
    return table, n_empty


def _sparse_note(pairs: list[str], sparse: str, func: str, stacklevel: int,
                 hint: bool = True) -> None:
    if not pairs or sparse == "ignore":
        return
    text = (f"{len(pairs)} table(s) with empty cells: {v.show_list(pairs, 5)}. Empty cells are "
            "kept as zero counts in the likelihood (no correction); pass correct=0.5 to add "
            "0.5 to empty cells" + (", or sparse='ignore' to accept them silently"
                                    if hint else ""))
    if sparse == "error":
        v.fail("data", func, "contingency tables without empty cells (sparse='error')",
               got=text.split(". ")[0], data=True)
    warn(f"{func}: {text}.", CxpathWarning, stacklevel=stacklevel)


def _pair_rows(x, y, nan_policy: str, func: str):
    x = v.as_float_array(x, "x", func, allow_nan=True)
    y = v.as_float_array(y, "y", func, allow_nan=True)
    v.check_same_length(func, x=x, y=y)
    miss = np.isnan(x) | np.isnan(y)
    if miss.any():
        if nan_policy == "error":
            i = int(np.argmax(miss))
            v.fail("x" if np.isnan(x[i]) else "y", func,
                   "free of missing answers (nan_policy='error')", got=f"NaN at position {i}",
                   data=True)
        x, y = x[~miss], y[~miss]
    if len(x) < 3:
        v.fail("x", func, "at least 3 rows with both values", got=f"{len(x)}", data=True)
    return x, y


@result
class Polychoric(Result):
    """A polychoric or polyserial correlation with its thresholds and standard errors.

    Attributes
    ----------
    rho, se : float
        Two-step maximum-likelihood correlation of the latent normals and its standard error
        (observed information of the second step, thresholds held fixed).
    thresholds_x, thresholds_y : ndarray
        Thresholds of ``x`` (empty for the continuous ``x`` of a polyserial correlation) and
        of ``y`` on the standard normal scale.
    categories_x, categories_y : ndarray
        The distinct answers of ``x`` and ``y`` (empty for a continuous ``x``).
    n_obs, n_empty : int
        Rows used (both values present) and empty cells of the contingency table.
    g2, df, p_value : float
        Likelihood-ratio test of bivariate normality of the table (polychoric only;
        NaN by definition for polyserial and when ``df <= 0``, a 2 x 2 table).
    parameter, estimate : ndarray
        ``rho`` then each threshold (``tau_x1``, …, ``tau_y1``, …) and their values.
    """

    kind: str
    rho: float
    se: float
    thresholds_x: np.ndarray
    thresholds_y: np.ndarray
    categories_x: np.ndarray
    categories_y: np.ndarray
    n_obs: int
    n_empty: int
    correct: float
    g2: float
    df: int
    p_value: float
    parameters: np.ndarray
    estimates: np.ndarray
    standard_errors: np.ndarray

    parameter = alias("parameters")
    estimate = alias("estimates")

    def _title(self) -> str:
        return f"{self.kind.capitalize()} correlation"

    def _summary(self) -> list[str]:
        lines = [f"rho = {self.rho:.4f} (se {self.se:.4f}), n = {self.n_obs}"]
        if self.kind == "polychoric":
            lines.append(f"{self.n_empty} empty cell(s), correction {self.correct:g}; "
                         f"bivariate normality: G2 = {self.g2:.3f}, df = {self.df}, "
                         f"p = {self.p_value:.3g}")
        return lines

    def _columns(self) -> dict:
        return {"parameter": self.parameters, "estimate": self.estimates,
                "se": self.standard_errors}


def _threshold_se(counts: np.ndarray, tau: np.ndarray) -> np.ndarray:
    """Delta-method SE of tau_j = Phi^-1(P_j): sqrt(P(1-P)/n) / phi(tau)."""
    n = counts.sum()
    pc = np.cumsum(counts)[:-1] / n
    dens = np.exp(-tau**2 / 2) / np.sqrt(2 * np.pi)
    return np.sqrt(pc * (1 - pc) / n) / dens


def polychoric(x: ArrayLike, y: ArrayLike, *, correct: float = 0.0, sparse: str = "warn",
               nan_policy: str = "pairwise") -> Polychoric:
    """Polychoric correlation of two ordinal items by two-step maximum likelihood.

    Parameters
    ----------
    x, y : array-like of shape (n,)
        Answers to two ordinal items (any ordered numeric codes; at most 50 categories).
    correct : float, default 0
        Added to each empty cell of the contingency table before estimation (0.5 is the
        usual continuity correction, the default of R ``psych::polychoric``). The default
        0 leaves the table as observed.
    sparse : {'warn', 'error', 'ignore'}
        What an uncorrected table with empty cells (``correct=0``) does: a
        :class:`~cxpath.errors.CxpathWarning`, a :class:`~cxpath.errors.DataError`, or
        nothing.
    nan_policy : {'pairwise', 'listwise', 'error'}
        Rows with a missing value in ``x`` or ``y`` are dropped (``'pairwise'`` and
        ``'listwise'`` are the same for two items) or refused (``'error'``).

    Returns
    -------
    Polychoric

    Raises
    ------
    DataError
        Non-numeric answers, an item with a single category (or more than 50), fewer than
        3 rows, an estimate on the boundary +-1 (the message names the table and proposes
        ``correct=0.5``), empty cells under ``sparse='error'``.

    Warns
    -----
    CxpathWarning
        Empty cells in the table (``sparse='warn'``, the default, with ``correct=0``).

    Notes
    -----
    Step 1: the thresholds of each item are :math:`\\tau_j = \\Phi^{-1}(P_j)` with
    :math:`P_j` the cumulative marginal proportion of the table. Step 2: with the
    thresholds fixed, :math:`\\hat\\rho` maximises
    :math:`\\sum_{ij} n_{ij}\\log\\pi_{ij}(\\rho)`, where :math:`\\pi_{ij}` is the
    bivariate normal probability of the rectangle of cell ij (Olsson 1979, "two-step"
    estimator, as R ``polycor::polychor(ML=FALSE)``). Rectangle probabilities use Genz's
    (2004) double-precision bivariate normal algorithm; the maximum is found by Brent's
    method and polished by Newton steps with the analytic derivative
    :math:`\\partial\\Phi_2(a, b; \\rho)/\\partial\\rho = \\phi_2(a, b; \\rho)`. The
    standard error is :math:`(-\\partial^2\\ell/\\partial\\rho^2)^{-1/2}` at the estimate
    (thresholds treated as known); threshold SEs are the delta-method
    :math:`\\sqrt{P(1-P)/n}/\\phi(\\tau)`. ``g2`` is the likelihood-ratio statistic of
    the table against the fitted bivariate normal with :math:`rc - r - c` degrees of
    freedom. Empty cells contribute nothing to the likelihood; with ``correct > 0`` they
    get that count and the thresholds come from the corrected margins.

    References
    ----------
    Olsson, U. (1979). Maximum likelihood estimation of the polychoric correlation
    coefficient. Psychometrika 44, 443–460.
    Genz, A. (2004). Numerical computation of rectangular bivariate and trivariate normal
    and t probabilities. Statistics and Computing 14, 251–260.

    Examples
    --------
    >>> import numpy as np
    >>> from cxpath.survey import polychoric
    >>> rng = np.random.default_rng(0)
    >>> z = rng.multivariate_normal([0, 0], [[1, 0.6], [0.6, 1]], size=2000)
    >>> x = np.digitize(z[:, 0], [-1.0, 0.0, 1.0]) + 1    # 4-point items
    >>> y = np.digitize(z[:, 1], [-0.5, 0.5]) + 1         # 3-point item
    >>> res = polychoric(x, y)
    >>> round(res.rho, 2), res.n_empty
    (0.6, 0)
    """
    func = "survey.polychoric"
    correct = v.check_real(correct, "correct", func, low=0.0, high=1.0)
    v.check_option(sparse, "sparse", func, SPARSE)
    v.check_option(nan_policy, "nan_policy", func, ("pairwise", "listwise", "error"))
    x, y = _pair_rows(x, y, nan_policy, func)
    cx, kx = _codes(x, "x", func)
    cy, ky = _codes(y, "y", func)
    table, n_empty = _correct(_table(kx, ky, len(cx), len(cy)), correct)
    if correct == 0:
        _sparse_note(["x and y"] if n_empty else [], sparse, func, 3)
    rho, se, a, b, g2, df = _fit_table(table, "x and y", func, sparse)
    from scipy import stats

    pval = float(stats.chi2.sf(g2, df)) if df > 0 else np.nan
    sa = _threshold_se(table.sum(axis=1), a)
    sb = _threshold_se(table.sum(axis=0), b)
    names = (["rho"] + [f"tau_x{j + 1}" for j in range(len(a))]
             + [f"tau_y{j + 1}" for j in range(len(b))])
    return Polychoric(kind="polychoric", rho=rho, se=se, thresholds_x=a, thresholds_y=b,
                      categories_x=cx, categories_y=cy, n_obs=len(x), n_empty=n_empty,
                      correct=correct, g2=g2 if df > 0 else np.nan, df=int(df),
                      p_value=pval, parameters=np.array(names),
                      estimates=np.concatenate([[rho], a, b]),
                      standard_errors=np.concatenate([[se], sa, sb]))


def _polyserial_ll(z, codes, tau, rho):
    from scipy.special import ndtr

    s = np.sqrt(1.0 - rho * rho)
    up = np.append(tau, np.inf)
    lo = np.insert(tau, 0, -np.inf)
    p = ndtr((up[codes] - rho * z) / s) - ndtr((lo[codes] - rho * z) / s)
    return float(np.log(np.maximum(p, 1e-300)).sum())


def polyserial(x: ArrayLike, y: ArrayLike, *, nan_policy: str = "pairwise") -> Polychoric:
    """Polyserial correlation of a continuous variable and an ordinal item (two-step ML).

    Parameters
    ----------
    x : array-like of shape (n,)
        The continuous variable (e.g. a satisfaction score or spend).
    y : array-like of shape (n,)
        The ordinal item (at most 50 categories).
    nan_policy : {'pairwise', 'listwise', 'error'}
        Rows with a missing value are dropped, or refused with ``'error'``.

    Returns
    -------
    Polychoric
        With ``kind='polyserial'``; ``thresholds_x`` is empty.

    Raises
    ------
    DataError
        Non-numeric values, a constant ``x``, an item with a single category, fewer than 3
        rows, or an estimate on the boundary +-1.

    Notes
    -----
    Two-step estimator of Olsson, Drasgow & Dorans (1982), as R
    ``polycor::polyserial(ML=FALSE)``: ``x`` is standardised, :math:`z = (x-\\bar x)/s`
    (:math:`s` with :math:`n-1`), the thresholds of ``y`` are :math:`\\Phi^{-1}` of its
    cumulative proportions, and :math:`\\hat\\rho` maximises
    :math:`\\sum_i \\log[\\Phi(\\tau^*_{y_i}) - \\Phi(\\tau^*_{y_i-1})]` with
    :math:`\\tau^*_j = (\\tau_j - \\rho z_i)/\\sqrt{1-\\rho^2}`. The standard error is the
    inverse square root of the (numerical, central-difference) observed information.

    References
    ----------
    Olsson, U., Drasgow, F., & Dorans, N. J. (1982). The polyserial correlation
    coefficient. Psychometrika 47, 337–347.

    Examples
    --------
    >>> import numpy as np
    >>> from cxpath.survey import polyserial
    >>> rng = np.random.default_rng(0)
    >>> z = rng.multivariate_normal([0, 0], [[1, 0.5], [0.5, 1]], size=2000)
    >>> res = polyserial(z[:, 0], np.digitize(z[:, 1], [-1.0, 0.0, 1.0]))
    >>> round(res.rho, 2)
    0.5
    """
    from scipy import optimize

    func = "survey.polyserial"
    v.check_option(nan_policy, "nan_policy", func, ("pairwise", "listwise", "error"))
    x, y = _pair_rows(x, y, nan_policy, func)
    sd = x.std(ddof=1)
    if not sd > 0:
        v.fail("x", func, "a variable with some variance", got=f"every value {x[0]:g}",
               data=True)
    z = (x - x.mean()) / sd
    cy, ky = _codes(y, "y", func)
    counts = np.bincount(ky, minlength=len(cy)).astype(np.float64)
    tau = _thresholds(counts)
    res = optimize.minimize_scalar(lambda r: -_polyserial_ll(z, ky, tau, r),
                                   bounds=(-_EDGE, _EDGE), method="bounded",
                                   options={"xatol": 1e-10})
    rho = float(res.x)
    edge = np.copysign(_EDGE, rho)
    if _polyserial_ll(z, ky, tau, edge) >= _polyserial_ll(z, ky, tau, rho) - 1e-9:
        v.fail("data", func, "variables whose polyserial correlation is inside (-1, 1)",
               got=f"a maximum-likelihood estimate on the boundary (rho -> {edge:+.0f})",
               data=True)
    eps = 1e-4 * max(1e-3, 1 - abs(rho))
    h = (_polyserial_ll(z, ky, tau, rho + eps) - 2 * _polyserial_ll(z, ky, tau, rho)
         + _polyserial_ll(z, ky, tau, rho - eps)) / eps**2
    se = float(np.sqrt(-1.0 / h)) if h < 0 else np.nan
    st = _threshold_se(counts, tau)
    names = ["rho"] + [f"tau_y{j + 1}" for j in range(len(tau))]
    return Polychoric(kind="polyserial", rho=rho, se=se, thresholds_x=np.empty(0),
                      thresholds_y=tau, categories_x=np.empty(0), categories_y=cy,
                      n_obs=len(x), n_empty=0, correct=0.0, g2=np.nan, df=0, p_value=np.nan,
                      parameters=np.array(names), estimates=np.concatenate([[rho], tau]),
                      standard_errors=np.concatenate([[se], st]))


@result
class PolychoricMatrix(Result):
    """A polychoric correlation matrix of many ordinal items, one row per pair.

    Attributes
    ----------
    items : ndarray of str
        Item labels (rows and columns of ``matrix``).
    matrix : ndarray (k, k)
        The polychoric correlations (after smoothing when ``smoothed``).
    raw : ndarray (k, k)
        The pairwise estimates before any smoothing.
    se : ndarray (k, k)
        Standard error of each pairwise estimate (0 on the diagonal).
    n_pairs, empty_cells : ndarray (k, k) of int
        Rows used and empty cells of each pair's table.
    min_eigenvalue : float
        Smallest eigenvalue of ``raw``.
    acov : ndarray (n_pairs, n_pairs)
        Asymptotic covariance matrix of the pairwise estimates in ``to_frame()`` row order
        (``acov=True``; an empty (0, 0) array otherwise).
    smoothed : bool
        Whether ``smooth='eigen'`` changed the matrix (``raw`` was not positive definite).
    item_a, item_b, rho, rho_se, n, empty : ndarray
        One row per pair ``i < j``: the two items, the correlation in ``matrix``, its SE,
        the rows used and the empty cells.
    """

    items: np.ndarray
    matrix: np.ndarray
    raw: np.ndarray
    se: np.ndarray
    n_pairs: np.ndarray
    empty_cells: np.ndarray
    min_eigenvalue: float
    smoothed: bool
    correct: float
    nan_policy: str
    n_obs: int
    acov: np.ndarray

    def _pairs(self):
        return np.triu_indices(len(self.items), 1)

    @property
    def item_a(self) -> np.ndarray:
        """First item of each pair."""
        return self.items[self._pairs()[0]]

    @property
    def item_b(self) -> np.ndarray:
        """Second item of each pair."""
        return self.items[self._pairs()[1]]

    @property
    def rho(self) -> np.ndarray:
        """Correlation of each pair (from ``matrix``)."""
        return self.matrix[self._pairs()]

    @property
    def rho_se(self) -> np.ndarray:
        """Standard error of each pair's estimate."""
        return self.se[self._pairs()]

    @property
    def n(self) -> np.ndarray:
        """Rows used by each pair."""
        return self.n_pairs[self._pairs()]

    @property
    def empty(self) -> np.ndarray:
        """Empty cells of each pair's table."""
        return self.empty_cells[self._pairs()]

    def _title(self) -> str:
        return "Polychoric correlation matrix"

    def _summary(self) -> list[str]:
        k = len(self.items)
        s = (f"{k} items, {k * (k - 1) // 2} pairs, n = {self.n_obs} ({self.nan_policy}), "
             f"correction {self.correct:g}; smallest eigenvalue {self.min_eigenvalue:.4g}")
        return [s + (" (smoothed to positive definite)" if self.smoothed else "")]

    def _columns(self) -> dict:
        return {"item_a": self.item_a, "item_b": self.item_b, "rho": self.rho,
                "rho_se": self.rho_se, "n": self.n, "empty": self.empty}


def _smooth(r: np.ndarray) -> np.ndarray:
    """Eigenvalue smoothing (psych::cor.smooth): floor the eigenvalues, rescale them to sum
    to k, rebuild and rescale to unit diagonal."""
    w, vec = np.linalg.eigh(r)
    w = np.maximum(w, _SMOOTH_FLOOR)
    w *= len(r) / w.sum()
    s = (vec * w) @ vec.T
    d = 1.0 / np.sqrt(np.diag(s))
    s = d[:, None] * s * d[None, :]
    np.fill_diagonal(s, 1.0)
    return (s + s.T) / 2.0


def _poly_matrix(data, items, func, *, correct, sparse, smooth, nan_policy, max_pairs,
                 stacklevel, hint=True, acov=False):
    correct = v.check_real(correct, "correct", func, low=0.0, high=1.0)
    v.check_option(sparse, "sparse", func, SPARSE)
    v.check_option(smooth, "smooth", func, SMOOTH)
    max_pairs = v.check_int(max_pairs, "max_pairs", func, low=1)
    it = read_items(data, items, func, nan_policy=nan_policy, min_items=2, min_rows=3)
    x, labels = it.x, it.labels
    n, k = x.shape
    n_pairs = k * (k - 1) // 2
    if n_pairs > max_pairs:
        raise CostError(
            f"{func} would estimate {n_pairs:,} polychoric correlations ({k} items; roughly "
            f"{n_pairs * 0.004 + n_pairs * n * 2e-8:,.0f} s on one core), more than the "
            f"max_pairs={max_pairs:,} cap. Analyse fewer items, or raise the cap "
            f"(max_pairs={n_pairs}).")
    miss = np.isnan(x)
    cats, codes = [], np.zeros((n, k), dtype=np.int64)
    for j in range(k):
        ok = ~miss[:, j]
        c, cj = _codes(x[ok, j], f"item {labels[j]!r}", func)
        cats.append(c)
        codes[ok, j] = cj
    r = np.eye(k)
    se = np.zeros((k, k))
    npair = np.zeros((k, k), dtype=np.int64)
    nempty = np.zeros((k, k), dtype=np.int64)
    sparse_pairs = []
    fits = []
    for i in range(k):
        for j in range(i + 1, k):
            where = f"items {labels[i]!r} and {labels[j]!r}"
            ok = ~(miss[:, i] | miss[:, j])
            ci, cj = (codes[:, i], codes[:, j]) if ok.all() else (codes[ok, i], codes[ok, j])
            table = _table(ci, cj, len(cats[i]), len(cats[j]))
            table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
            if min(table.shape) < 2:
                v.fail("data", func, "pairs of items that each vary among the rows answering "
                       "both", got=f"a single category of one item among the {int(ok.sum())} "
                       f"rows answering {where}", data=True)
            table, ne = _correct(table, correct)
            if ne and correct == 0:
                sparse_pairs.append(f"{labels[i]}-{labels[j]}")
            npair[i, j] = npair[j, i] = int(ok.sum())
            nempty[i, j] = nempty[j, i] = ne
            fits.append((i, j, table, where))
    _sparse_note(sparse_pairs, sparse, func, stacklevel, hint)
    if acov:
        if miss.any():
            v.fail("data", func, "free of missing answers for acov=True",
                   got=f"{int(miss.sum())} missing answer(s); use nan_policy='listwise'",
                   data=True)
        from .._budget import check_memory

        check_memory(8.0 * n * (n_pairs + 1), func, "the influence values of acov=True",
                     how="Pass acov=False, analyse fewer items or respondents, or raise the "
                         "cap with CXPATH_MAX_MEMORY (e.g. CXPATH_MAX_MEMORY=64GiB).")
        infl = np.empty((n, n_pairs))
    for q, (i, j, table, where) in enumerate(fits):
        rho, s, a, b, *_ = _fit_table(table, where, func, sparse)
        r[i, j] = r[j, i] = rho
        se[i, j] = se[j, i] = s
        if acov:
            infl[:, q] = _influence(a, b, rho)[codes[:, i], codes[:, j]]
    np.fill_diagonal(npair, (~miss).sum(axis=0))
    w, vec = np.linalg.eigh(r)
    smallest = float(w[0])
    out, smoothed = r, False
    if smallest <= 1e-10 * max(w[-1], 1.0):
        if smooth == "error":
            idx = np.argsort(-np.abs(vec[:, 0]))[:3]
            shown = ", ".join(repr(labels[q]) for q in sorted(idx))
            v.fail("data", func, "items whose polychoric matrix is positive definite",
                   got=f"smallest eigenvalue {smallest:.3g} (items involved include {shown}); "
                   "pass smooth='eigen' to smooth it (psych::cor.smooth) or drop items",
                   data=True)
        out, smoothed = _smooth(r), True
    cov = (infl.T @ infl) / float(n) ** 2 if acov else np.empty((0, 0))
    return PolychoricMatrix(items=np.array(labels), matrix=out, raw=r, se=se, n_pairs=npair,
                            empty_cells=nempty, min_eigenvalue=smallest, smoothed=smoothed,
                            correct=correct, nan_policy=nan_policy, n_obs=n, acov=cov)


def polychoric_matrix(data: ArrayLike | TableLike, items: Sequence[str] | None = None, *,
                      correct: float = 0.0, sparse: str = "warn", smooth: str = "error",
                      nan_policy: str = "pairwise", max_pairs: int = 20_000,
                      acov: bool = False) -> PolychoricMatrix:
    """Polychoric correlation matrix of ordinal items, pair by pair, with standard errors.

    Parameters
    ----------
    data : array-like of shape (n_respondents, n_items) or table
        The answers (see :func:`cxpath.survey.cronbach_alpha`); at most 50 categories per
        item.
    items : sequence of str, optional
        Columns to analyse, or labels of a 2-D array's columns.
    correct : float, default 0
        Added to the empty cells of every pair's table (0.5: the continuity correction of
        R ``psych::polychoric``); 0 leaves the tables as observed.
    sparse : {'warn', 'error', 'ignore'}
        What uncorrected tables with empty cells do: one
        :class:`~cxpath.errors.CxpathWarning` naming the pairs, a
        :class:`~cxpath.errors.DataError`, or nothing.
    smooth : {'error', 'eigen'}
        A matrix that is not positive definite (pairwise estimates need not fit together)
        raises a :class:`~cxpath.errors.DataError` (``'error'``), or is smoothed
        (``'eigen'``): eigenvalues below 1e-6 are raised to 1e-6, rescaled to sum to the
        number of items and the matrix rebuilt with unit diagonal (the method of
        ``psych::cor.smooth``); ``raw`` keeps the unsmoothed estimates.
    nan_policy : {'pairwise', 'listwise', 'error'}
        ``'pairwise'``: each pair uses the rows answering both; ``'listwise'``: complete
        rows only; ``'error'``: refuse missing answers.
    max_pairs : int, default 20,000
        Budget: more pairs than this (k (k-1) / 2 for k items; 20,000 is 200 items) raise
        :class:`~cxpath.errors.CostError` before any estimation, with a rough time.
    acov : bool, default False
        Also estimate the asymptotic covariance matrix of the pairwise correlations (the
        weight matrix of WLS / DWLS estimation of ordinal factor models); needs complete
        answers and n x n_pairs floats of memory (guarded by ``CXPATH_MAX_MEMORY``).

    Returns
    -------
    PolychoricMatrix
        The matrix in ``matrix``; one row per pair in ``to_frame()``.

    Raises
    ------
    DataError
        Non-numeric answers, an item with one category or more than 50, a pair whose rows
        leave one item constant, an estimate on the boundary (names the pair), empty cells
        under ``sparse='error'``, a non-positive-definite matrix under ``smooth='error'``.
    CostError
        More pairs than ``max_pairs``.

    Warns
    -----
    CxpathWarning
        Tables with empty cells (``sparse='warn'``, ``correct=0``), naming the pairs.

    Notes
    -----
    Each entry is the two-step estimate of :func:`polychoric` on the pair's table, with
    the thresholds from that table's margins (the same as each item's own margins when no
    answer is missing; ``psych::polychoric`` uses each item's overall margins instead).
    Categories are each item's distinct answers; a category absent from a pair's rows has
    no threshold in that pair. Time grows with the number of pairs (tables are built in
    one pass over the rows each).

    With ``acov=True`` each respondent's influence on each two-step estimate is
    :math:`\\mathrm{IF} = I^{-1}[s + \\sum_k D_k\\,\\mathrm{IF}(\\hat\\tau_k)]`: the
    second-step score :math:`s = \\pi'_{ij}/\\pi_{ij}` of the respondent's cell, plus the
    propagated influence :math:`(1\\{x \\le k\\} - P_k)/\\phi(\\tau_k)` of each threshold
    with :math:`D_k = E[\\partial s/\\partial\\tau_k]`, scaled by the expected information
    :math:`I = \\sum \\pi'^2/\\pi` (model-based expectations at the estimates; the
    linearisation of Muthén 1984). The covariance of two estimates is
    :math:`\\sum_r \\mathrm{IF}_{r,p}\\mathrm{IF}_{r,q} / n^2`. Its diagonal includes the
    thresholds' sampling error, which ``se`` (thresholds held fixed) does not.

    References
    ----------
    Olsson, U. (1979). Maximum likelihood estimation of the polychoric correlation
    coefficient. Psychometrika 44, 443–460.
    Muthén, B. (1984). A general structural equation model with dichotomous, ordered
    categorical, and continuous latent variable indicators. Psychometrika 49, 115–132.

    Examples
    --------
    >>> import numpy as np
    >>> from cxpath.survey import polychoric_matrix
    >>> rng = np.random.default_rng(0)
    >>> z = rng.standard_normal((1000, 1)) * 0.8 + rng.standard_normal((1000, 4)) * 0.6
    >>> x = np.digitize(z, [-0.5, 0.5]) + 1                # 3-point items
    >>> res = polychoric_matrix(x)
    >>> np.round(res.matrix[0], 2)
    array([1.  , 0.59, 0.62, 0.58])
    """
    acov = v.check_bool(acov, "acov", "survey.polychoric_matrix")
    return _poly_matrix(data, items, "survey.polychoric_matrix", correct=correct,
                        sparse=sparse, smooth=smooth, nan_policy=nan_policy,
                        max_pairs=max_pairs, stacklevel=4, acov=acov)


@result
class OrdinalAlpha(Result):
    """Ordinal alpha: Cronbach's alpha of the polychoric correlation matrix.

    Attributes
    ----------
    alpha : float
        :math:`\\frac{k}{k-1}(1 - k / \\mathbf 1'R\\mathbf 1)` for the polychoric matrix
        :math:`R`.
    mean_r : float
        Mean polychoric correlation between distinct items.
    items : ndarray of str
        Item labels.
    alpha_if_deleted, item_total : ndarray
        Ordinal alpha without each item, and the polychoric item–rest correlation
        :math:`\\sum_{j\\ne i} r_{ij} / \\sqrt{\\mathbf 1'R_{-i}\\mathbf 1}`. Alpha if deleted
        is NaN by definition for a 2-item scale.
    item : ndarray of str
        ``items`` under its column name.
    """

    alpha: float
    mean_r: float
    n_items: int
    n_obs: int
    nan_policy: str
    smoothed: bool
    items: np.ndarray
    alpha_if_deleted: np.ndarray
    item_total: np.ndarray

    item = alias("items")

    def _title(self) -> str:
        return "Ordinal alpha (polychoric)"

    def _summary(self) -> list[str]:
        return [f"ordinal alpha = {self.alpha:.4f}, mean polychoric r = {self.mean_r:.4f}, "
                f"{self.n_items} items, n = {self.n_obs} ({self.nan_policy})"
                + (", smoothed matrix" if self.smoothed else "")]

    def _columns(self) -> dict:
        return {"item": self.items, "item_total": self.item_total,
                "alpha_if_deleted": self.alpha_if_deleted}


def _alpha_r(r: np.ndarray) -> float:
    k = len(r)
    return k / (k - 1) * (1.0 - k / r.sum())


def ordinal_alpha(data: ArrayLike | TableLike, items: Sequence[str] | None = None, *,
                  correct: float = 0.0, sparse: str = "warn", smooth: str = "error",
                  nan_policy: str = "pairwise", max_pairs: int = 20_000) -> OrdinalAlpha:
    """Ordinal alpha (Zumbo, Gadermann & Zeisser 2007): alpha on the polychoric matrix.

    Parameters
    ----------
    data : array-like of shape (n_respondents, n_items) or table
        The answers to ordinal items.
    items : sequence of str, optional
        Columns forming the scale, or labels of a 2-D array's columns.
    correct, sparse, smooth, nan_policy, max_pairs
        As in :func:`polychoric_matrix`.

    Returns
    -------
    OrdinalAlpha

    Raises
    ------
    DataError
        As :func:`polychoric_matrix`.

    Warns
    -----
    CxpathWarning
        Tables with empty cells (see :func:`polychoric_matrix`); a negative ordinal alpha
        (the message names the items with a negative item-rest correlation).

    Notes
    -----
    Cronbach's alpha computed from the polychoric correlation matrix :math:`R` instead of
    the Pearson covariances: :math:`\\alpha = \\frac{k}{k-1}(1 - \\operatorname{tr}R /
    \\mathbf 1'R\\mathbf 1)`, which equals :math:`k\\bar r/(1 + (k-1)\\bar r)`. It estimates
    the reliability of the latent continuous responses, not of the observed sum score.

    References
    ----------
    Zumbo, B. D., Gadermann, A. M., & Zeisser, C. (2007). Ordinal versions of coefficients
    alpha and theta for Likert rating scales. Journal of Modern Applied Statistical
    Methods 6, 21–29.

    Examples
    --------
    >>> import numpy as np
    >>> from cxpath.survey import ordinal_alpha
    >>> rng = np.random.default_rng(0)
    >>> z = rng.standard_normal((1000, 1)) * 0.8 + rng.standard_normal((1000, 4)) * 0.6
    >>> res = ordinal_alpha(np.digitize(z, [-0.5, 0.5]) + 1)
    >>> round(res.alpha, 3)
    0.866
    """
    func = "survey.ordinal_alpha"
    pm = _poly_matrix(data, items, func, correct=correct, sparse=sparse, smooth=smooth,
                      nan_policy=nan_policy, max_pairs=max_pairs, stacklevel=4)
    r = pm.matrix
    k = len(r)
    aid = np.full(k, np.nan)
    itc = np.empty(k)
    with np.errstate(divide="ignore", invalid="ignore"):
        for j in range(k):
            keep = np.arange(k) != j
            sub = r[np.ix_(keep, keep)]
            if k > 2:
                aid[j] = _alpha_r(sub)
            itc[j] = r[j, keep].sum() / np.sqrt(sub.sum())
    itc[~np.isfinite(itc)] = np.nan
    aid[~np.isfinite(aid)] = np.nan
    alpha = float(_alpha_r(r))
    if alpha < 0:
        against = [repr(str(lab)) for lab, c in zip(pm.items, itc) if c < 0]
        warn(f"ordinal alpha is negative ({alpha:.4g}): the mean polychoric "
             "correlation is negative, so some items run against the others "
             "(reverse-coded items to recode first). Items with a negative "
             f"item-rest correlation: {', '.join(against) or 'none'}.",
             CxpathWarning, stacklevel=2)
    return OrdinalAlpha(alpha=alpha, mean_r=float((r.sum() - k) / (k * (k - 1))),
                        n_items=k, n_obs=pm.n_obs, nan_policy=nan_policy,
                        smoothed=pm.smoothed, items=pm.items, alpha_if_deleted=aid,
                        item_total=itc)


def ordinal_omega(data: ArrayLike | TableLike, items: Sequence[str] | None = None, *,
                  method: str = "minres", correct: float = 0.0, sparse: str = "warn",
                  smooth: str = "error", nan_policy: str = "pairwise",
                  max_pairs: int = 20_000) -> Omega:
    """Ordinal omega: McDonald's omega total from a one-factor fit to the polychoric matrix.

    Parameters
    ----------
    data : array-like of shape (n_respondents, n_items) or table
        The answers to ordinal items (at least 3 items).
    items : sequence of str, optional
        Columns forming the scale, or labels of a 2-D array's columns.
    method : {'minres', 'ml', 'pa'}
        Extraction of the single factor (see :func:`cxpath.survey.efa`).
    correct, sparse, smooth, nan_policy, max_pairs
        As in :func:`polychoric_matrix`.

    Returns
    -------
    Omega
        As :func:`cxpath.survey.omega_total`, with ``method`` ending in ``', polychoric'``.

    Raises
    ------
    DataError
        As :func:`polychoric_matrix`; fewer than 3 items.

    Warns
    -----
    CxpathWarning
        Tables with empty cells (see :func:`polychoric_matrix`).

    Notes
    -----
    The one-factor model of the polychoric matrix gives standardised loadings
    :math:`\\lambda_i` and uniquenesses :math:`\\psi_i = 1 - \\lambda_i^2`;
    :math:`\\omega = (\\sum\\lambda)^2 / ((\\sum\\lambda)^2 + \\sum\\psi)` (Gadermann,
    Guhn & Zumbo 2012), the reliability of the latent responses' sum.

    References
    ----------
    Gadermann, A. M., Guhn, M., & Zumbo, B. D. (2012). Estimating ordinal reliability for
    Likert-type and ordinal item response data. Practical Assessment, Research &
    Evaluation 17(3).

    Examples
    --------
    >>> import numpy as np
    >>> from cxpath.survey import ordinal_omega
    >>> rng = np.random.default_rng(0)
    >>> z = rng.standard_normal((1000, 1)) * 0.8 + rng.standard_normal((1000, 4)) * 0.6
    >>> res = ordinal_omega(np.digitize(z, [-0.5, 0.5]) + 1)
    >>> round(res.omega, 3)
    0.867
    """
    from .factor_analysis import _extract
    from .reliability import Omega

    func = "survey.ordinal_omega"
    v.check_option(method, "method", func, ("minres", "ml", "pa"))
    pm = _poly_matrix(data, items, func, correct=correct, sparse=sparse, smooth=smooth,
                      nan_policy=nan_policy, max_pairs=max_pairs, stacklevel=4)
    if len(pm.items) < 3:
        v.fail("items", func, "at least 3 items", got=f"{len(pm.items)} item(s)", data=True)
    lam, _ok = _extract(pm.matrix, 1, method, None)
    lam = lam[:, 0]
    if lam.sum() < 0:
        lam = -lam
    psi = 1.0 - lam**2
    s = lam.sum() ** 2
    return Omega(omega=float(s / (s + psi.sum())), method=f"{method}, polychoric",
                 n_items=len(lam), n_obs=pm.n_obs, nan_policy=nan_policy, items=pm.items,
                 loadings=lam, uniquenesses=psi)
