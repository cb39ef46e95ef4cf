"""Construct validity: composite reliability, AVE, the Fornell–Larcker table, HTMT and HTMT2."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _validate as v
from .._budget import check_memory
from .._progress import reporter
from .._results import Result, alias, derived_columns, format_table, result
from ..errors import CxpathError
from ._common import (
    bootstrap_covariances,
    check_correlation,
    check_pairs,
    correlation,
    read_items,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    import pandas as pd
    import polars as pl

    from .._typing import TableLike

__all__ = ["ConstructValidity", "Htmt", "Htmt2", "construct_validity", "htmt", "htmt2"]


def _constructs(constructs, func):
    if not isinstance(constructs, Mapping) or len(constructs) < 1:
        v.fail("constructs", func, "a dict mapping each construct to its item columns",
               constructs)
    out = {}
    seen = {}
    for name, items in constructs.items():
        if not isinstance(items, str) and (isinstance(items, (bytes, Mapping))
                                           or not isinstance(items, Iterable)):
            v.fail("constructs", func, "a dict mapping each construct to its item columns",
                   got=f"{v.show(items)} for {name!r}", wrong_type=True)
        items = [items] if isinstance(items, str) else list(items)
        if len(items) < 2:
            v.fail("constructs", func, "at least 2 items per construct",
                   got=f"{len(items)} item(s) for {name!r}")
        for it in items:
            if it in seen:
                v.fail("constructs", func, "constructs with disjoint items",
                       got=f"item {it!r} in both {seen[it]!r} and {name!r}")
            seen[it] = name
        out[str(name)] = [str(i) for i in items]
    return out


def _prepare(data, constructs, func, nan_policy, min_constructs=1):
    cons = _constructs(constructs, func)
    if len(cons) < min_constructs:
        v.fail("constructs", func, f"at least {min_constructs} constructs",
               got=f"{len(cons)}")
    all_items = [i for items in cons.values() for i in items]
    if isinstance(data, np.ndarray):
        v.fail("data", func, "a table whose columns the constructs name (or a dict of "
               "arrays)", got=f"a bare array of shape {data.shape}")
    it = read_items(data, all_items, func, nan_policy=nan_policy, min_rows=3)
    r, npair = correlation(it.x)
    check_pairs(npair, it.labels, func)
    idx = {}
    pos = 0
    for name, items in cons.items():
        idx[name] = np.arange(pos, pos + len(items))
        pos += len(items)
    return cons, idx, r, it


def _htmt_matrix(r, idx, absolute, func):
    names = list(idx)
    c = len(names)
    rr = np.abs(r) if absolute else r
    mono = {}
    for n in names:
        sub = rr[np.ix_(idx[n], idx[n])]
        k = len(idx[n])
        mono[n] = (sub.sum() - np.trace(sub)) / (k * (k - 1))
        if mono[n] <= 0:
            v.fail("constructs", func, "constructs whose items correlate positively on "
                   "average (reverse-code negatively worded items, or use absolute=True)",
                   got=f"a mean within-construct correlation of {mono[n]:.3g} for {n!r}",
                   data=True)
    h = np.full((c, c), np.nan)
    for a in range(c):
        h[a, a] = 1.0
        for b in range(a + 1, c):
            hetero = rr[np.ix_(idx[names[a]], idx[names[b]])].mean()
            prod = mono[names[a]] * mono[names[b]]
            h[a, b] = h[b, a] = hetero / np.sqrt(prod)
    return h, mono


@result
class Htmt(Result):
    """Heterotrait–monotrait ratios of every construct pair.

    Attributes
    ----------
    constructs : ndarray of str
    matrix : ndarray (n_constructs, n_constructs)
        HTMT ratios (1 on the diagonal).
    threshold : float
        Discriminant-validity cut-off used for ``exceeds`` (0.85 strict, 0.90 liberal).
    """

    constructs: np.ndarray
    matrix: np.ndarray
    threshold: float
    absolute: bool
    ci: np.ndarray | None = None
    confidence: float = 0.95
    n_boot: int = 0
    seed: int | None = None
    n_boot_obs: int = 0

    _derived = derived_columns({
        "construct_a": "the pair's first construct, ``constructs[a]`` (one row per pair "
                       "``a < b``)",
        "construct_b": "the pair's second construct, ``constructs[b]``",
        "htmt": "the pair's ratio, ``matrix[a, b]``",
        "above_0.85": "``htmt > 0.85`` (the strict cut-off)",
        "above_0.90": "``htmt > 0.90`` (the liberal cut-off)",
        "exceeds": "``htmt > threshold``",
        "ci_low": "lower end of the bootstrap interval, ``ci[a, b, 0]`` (``n_boot > 0``)",
        "ci_high": "upper end, ``ci[a, b, 1]``",
        "ci_below_threshold": "``ci_high < threshold``: discriminant validity holds"})
    _key = ("construct_a", "construct_b")

    def _title(self) -> str:
        return "Heterotrait-monotrait ratio (HTMT)"

    def _summary(self) -> list[str]:
        n = int(self._columns()["exceeds"].sum())
        return [f"{n} pair(s) above {self.threshold:g} (discriminant validity in doubt)"]

    def _columns(self) -> dict:
        c = len(self.constructs)
        a, b = np.triu_indices(c, 1)
        vals = self.matrix[a, b]
        cols = {"construct_a": self.constructs[a], "construct_b": self.constructs[b],
                "htmt": vals, "above_0.85": vals > 0.85, "above_0.90": vals > 0.90,
                "exceeds": vals > self.threshold}
        if self.ci is not None:
            cols["ci_low"] = self.ci[a, b, 0]
            cols["ci_high"] = self.ci[a, b, 1]
            cols["ci_below_threshold"] = self.ci[a, b, 1] < self.threshold
        return cols


def htmt(data: TableLike, constructs: Mapping[str, Sequence[str]], *, threshold: float = 0.85,
         absolute: bool = True, nan_policy: str = "pairwise", n_boot: int = 0,
         confidence: float = 0.95, seed: int | None = None,
         progress: bool | Callable[[int, int], Any] | None = None) -> Htmt:
    """Heterotrait–monotrait ratio of correlations for every pair of constructs.

    Parameters
    ----------
    data : table
        Item answers: a pandas / polars DataFrame, pyarrow Table or dict of columns.
    constructs : dict of str to sequence of str
        Each construct's item columns (at least 2 items each, no item in two constructs).
    threshold : float
        Cut-off flagged in ``exceeds`` (0.85, Kline; 0.90 for conceptually close
        constructs, Gold et al.). Both cut-offs are always reported.
    absolute : bool
        Average absolute correlations (True, as ``semTools::htmt``) or signed ones (the
        original definition, which assumes positively coded items).
    nan_policy : {'pairwise', 'listwise', 'error'}
        Missing-answer handling of the item correlation matrix.
    n_boot : int
        Bootstrap resamples for percentile intervals of every ratio (0, the default, skips
        them). Resampling uses the respondents who answered every item.
    confidence : float
        Level of the bootstrap intervals; ``ci_below_threshold`` flags pairs whose upper
        bound is below ``threshold`` (the HTMT-inference test of Henseler et al.).
    seed : int, optional
        Seed of the bootstrap, for reproducible intervals.
    progress : bool or callable, optional
        ``True`` shows the bootstrap's progress (a tqdm bar when tqdm is installed, else
        lines on stderr); a callable is called as ``progress(done, n_boot)``.

    Returns
    -------
    Htmt

    Raises
    ------
    DataError
        Non-numeric or constant items, too few respondents.
    InvalidParameterError
        Malformed ``constructs`` (fewer than 2 constructs, a construct with one item, an item
        in two constructs, an unknown column).

    Notes
    -----
    :math:`\\mathrm{HTMT}_{AB} = \\bar r_{AB} / \\sqrt{\\bar r_{A}\\,\\bar r_{B}}`: the mean
    correlation between items of A and items of B over the geometric mean of the average
    within-construct (off-diagonal) correlations.

    References
    ----------
    Henseler, J., Ringle, C. M., & Sarstedt, M. (2015). A new criterion for assessing
    discriminant validity in variance-based structural equation modeling. Journal of the
    Academy of Marketing Science 43, 115–135.

    Examples
    --------
    >>> import numpy as np
    >>> from cxpath.survey import htmt
    >>> rng = np.random.default_rng(0)
    >>> f = rng.multivariate_normal([0, 0], [[1, 0.5], [0.5, 1]], 500)
    >>> data = {f"a{i}": f[:, 0] + rng.standard_normal(500) for i in range(3)}
    >>> data.update({f"b{i}": f[:, 1] + rng.standard_normal(500) for i in range(3)})
    >>> res = htmt(data, {"A": ["a0", "a1", "a2"], "B": ["b0", "b1", "b2"]})
    >>> bool(0.35 < res.matrix[0, 1] < 0.65)
    True
    """
    func = "survey.htmt"
    threshold = v.check_real(threshold, "threshold", func, low=0.0, closed="neither")
    absolute = v.check_bool(absolute, "absolute", func)
    n_boot = v.check_int(n_boot, "n_boot", func, low=0)
    confidence = v.check_real(confidence, "confidence", func, low=0.0, high=1.0,
                              closed="neither")
    if seed is not None:
        seed = v.check_int(seed, "seed", func, low=0)
    _, idx, r, it = _prepare(data, constructs, func, nan_policy, min_constructs=2)
    h, _ = _htmt_matrix(r, idx, absolute, func)
    ci = None
    n_used = 0
    if n_boot:
        x = it.x[~np.isnan(it.x).any(axis=1)]
        n_used = len(x)
        if n_used < 4:
            v.fail("data", func, "at least 4 respondents answering every item for the "
                   "bootstrap", got=f"{n_used}", data=True)
        c = len(idx)
        check_memory(n_boot * (112.0 + 16 * c * c), func,
                     f"{n_boot:,} bootstrap resamples of the {c} x {c} HTMT matrix",
                     how="Ask for fewer resamples ('n_boot'), or raise the cap with the "
                         "CXPATH_MAX_MEMORY environment variable (e.g. "
                         "CXPATH_MAX_MEMORY=64GiB).")
        floor = 1e-12 * x.var(axis=0)
        draws = []
        report = reporter(progress, n_boot, "resamples", func)
        for done, cb in enumerate(bootstrap_covariances(x, n_boot, np.random.default_rng(seed)),
                                  start=1):
            report(done)
            var = np.diag(cb)
            if (var <= floor).any():
                continue
            rb = cb / np.sqrt(np.outer(var, var))
            try:
                draws.append(_htmt_matrix(rb, idx, absolute, func)[0])
            except CxpathError:
                continue
        report.close()
        if len(draws) < 2:
            v.fail("data", func, "enough variation for the bootstrap",
                   got=f"{n_boot - len(draws)} of {n_boot} failed resamples", data=True)
        a = (1.0 - confidence) / 2
        ci = np.moveaxis(np.quantile(np.array(draws), [a, 1 - a], axis=0), 0, -1)
    return Htmt(constructs=np.array(list(idx)), matrix=h, threshold=threshold,
                absolute=absolute, ci=ci, confidence=confidence, n_boot=n_boot, seed=seed,
                n_boot_obs=n_used)


@result
class ConstructValidity(Result):
    """Convergent and discriminant validity of a measurement model, one row per construct.

    Attributes
    ----------
    constructs : ndarray of str
    alpha, cr, ave : ndarray
        Standardised Cronbach's alpha, composite reliability and average variance extracted.
    loadings : dict of str to ndarray
        Standardised one-factor loadings of each construct's items.
    correlations : ndarray (n_constructs, n_constructs)
        Correlations between unit-weighted composites of standardised items.
    fornell_larcker : ndarray (n_constructs, n_constructs)
        ``correlations`` with :math:`\\sqrt{\\mathrm{AVE}}` on the diagonal.
    htmt : ndarray (n_constructs, n_constructs)
        HTMT ratios (absolute correlations).
    construct : ndarray of str
        ``constructs`` under its column name.
    sqrt_ave, max_corr, max_htmt : ndarray
        :math:`\\sqrt{\\mathrm{AVE}}`, and each construct's largest absolute correlation
        and largest HTMT ratio with another construct.
    cr_ok, ave_ok, fornell_larcker_ok, htmt_ok : ndarray of bool
        ``cr >= cr_threshold``, ``ave >= ave_threshold``, ``sqrt_ave > max_corr`` and
        ``max_htmt < htmt_threshold``.
    """

    constructs: np.ndarray
    n_items: np.ndarray
    alpha: np.ndarray
    cr: np.ndarray
    ave: np.ndarray
    loadings: dict
    correlations: np.ndarray
    fornell_larcker: np.ndarray
    htmt: np.ndarray
    cr_threshold: float
    ave_threshold: float
    htmt_threshold: float
    n_obs: int
    nan_policy: str

    construct = alias("constructs")

    def _largest_off_diagonal(self, m: np.ndarray) -> np.ndarray:
        c = len(self.constructs)
        off = ~np.eye(c, dtype=bool)
        return np.array([m[j][off[j]].max() if c > 1 else 0.0 for j in range(c)])

    @property
    def sqrt_ave(self) -> np.ndarray:
        """Square root of the AVE (the Fornell-Larcker diagonal)."""
        return np.sqrt(self.ave)

    @property
    def max_corr(self) -> np.ndarray:
        """Largest absolute correlation of each construct with another."""
        return self._largest_off_diagonal(np.abs(self.correlations))

    @property
    def max_htmt(self) -> np.ndarray:
        """Largest HTMT ratio of each construct with another."""
        return self._largest_off_diagonal(self.htmt)

    @property
    def cr_ok(self) -> np.ndarray:
        """``cr >= cr_threshold``."""
        return self.cr >= self.cr_threshold

    @property
    def ave_ok(self) -> np.ndarray:
        """``ave >= ave_threshold``."""
        return self.ave >= self.ave_threshold

    @property
    def fornell_larcker_ok(self) -> np.ndarray:
        """``sqrt_ave > max_corr`` (the Fornell-Larcker criterion)."""
        return self.sqrt_ave > self.max_corr

    @property
    def htmt_ok(self) -> np.ndarray:
        """``max_htmt < htmt_threshold``."""
        return self.max_htmt < self.htmt_threshold

    def _title(self) -> str:
        return "Construct validity"

    def _summary(self) -> list[str]:
        cols = {"construct": self.constructs}
        cols.update({c: self.fornell_larcker[:, j] for j, c in enumerate(self.constructs)})
        return [f"thresholds: CR >= {self.cr_threshold:g}, AVE >= {self.ave_threshold:g}, "
                f"sqrt(AVE) > correlations (Fornell-Larcker), HTMT < {self.htmt_threshold:g}; "
                f"n = {self.n_obs} ({self.nan_policy})",
                "Fornell-Larcker table (sqrt(AVE) on the diagonal):", format_table(cols)]

    def _columns(self) -> dict:
        return {"construct": self.constructs, "n_items": self.n_items, "alpha": self.alpha,
                "cr": self.cr, "ave": self.ave, "sqrt_ave": self.sqrt_ave,
                "max_corr": self.max_corr, "max_htmt": self.max_htmt, "cr_ok": self.cr_ok,
                "ave_ok": self.ave_ok, "fornell_larcker_ok": self.fornell_larcker_ok,
                "htmt_ok": self.htmt_ok}

    def htmt_frame(self, backend: str = "pandas") -> pd.DataFrame | pl.DataFrame | dict:
        """The HTMT ratio of every construct pair, flagged at 0.85 and 0.90, as a table."""
        return Htmt(constructs=self.constructs, matrix=self.htmt,
                    threshold=self.htmt_threshold, absolute=True).to_frame(backend)


def construct_validity(data: TableLike, constructs: Mapping[str, Sequence[str]], *,
                       method: str = "minres", cr_threshold: float = 0.7,
                       ave_threshold: float = 0.5, htmt_threshold: float = 0.85,
                       nan_policy: str = "pairwise") -> ConstructValidity:
    """Composite reliability, AVE, Fornell–Larcker and HTMT for a set of constructs.

    Parameters
    ----------
    data : table
        Item answers: a pandas / polars DataFrame, pyarrow Table or dict of columns.
    constructs : dict of str to sequence of str
        Each construct's item columns (at least 2 items each).
    method : {'minres', 'ml', 'pa'}
        Extraction of each construct's one-factor model giving the standardised loadings
        (constructs of 2 items use :math:`\\lambda = \\sqrt{|r_{12}|}` for both items).
    cr_threshold, ave_threshold, htmt_threshold : float
        Cut-offs flagged in the table: 0.7, 0.5 and 0.85 (use 0.90 for conceptually close
        constructs).
    nan_policy : {'pairwise', 'listwise', 'error'}
        Missing-answer handling of the item correlation matrix.

    Returns
    -------
    ConstructValidity

    Raises
    ------
    DataError
        Non-numeric or constant items, too few respondents, a construct whose items have a
        singular correlation matrix.
    InvalidParameterError
        Malformed ``constructs`` or thresholds.

    Notes
    -----
    From standardised loadings :math:`\\lambda_i` of a construct's items,
    :math:`\\mathrm{CR} = (\\sum\\lambda_i)^2 / ((\\sum\\lambda_i)^2 + \\sum(1-\\lambda_i^2))`
    and :math:`\\mathrm{AVE} = \\overline{\\lambda^2}`. Construct correlations are those of
    unit-weighted composites of the standardised items,
    :math:`\\mathbf 1'R_{AB}\\mathbf 1 / \\sqrt{\\mathbf 1'R_{AA}\\mathbf 1\\,
    \\mathbf 1'R_{BB}\\mathbf 1}`, computed from the item correlation matrix (a latent
    correlation from a CFA would be larger by the attenuation due to unreliability, so the
    Fornell–Larcker check here is the lenient, composite-based one used by PLS software).

    References
    ----------
    Fornell, C., & Larcker, D. F. (1981). Evaluating structural equation models with
    unobservable variables and measurement error. Journal of Marketing Research 18, 39–50.
    Hair, J. F., et al. (2019). Multivariate data analysis (8th ed.). Cengage.

    Examples
    --------
    >>> import cxpath
    >>> s = cxpath.datasets.load_sample()
    >>> res = construct_validity(s.survey, s.survey_constructs)
    >>> bool(res.cr.min() > 0.7), res.to_frame("dict")["construct"].tolist()
    (True, ['wait', 'reso', 'staff', 'sat', 'loyal'])
    """
    from .factor_analysis import _extract

    func = "survey.construct_validity"
    v.check_option(method, "method", func, ("minres", "ml", "pa"))
    cr_t = v.check_real(cr_threshold, "cr_threshold", func, low=0.0, high=1.0)
    ave_t = v.check_real(ave_threshold, "ave_threshold", func, low=0.0, high=1.0)
    htmt_t = v.check_real(htmt_threshold, "htmt_threshold", func, low=0.0, closed="neither")
    cons, idx, r, it = _prepare(data, constructs, func, nan_policy)
    names = list(cons)
    c = len(names)
    alpha = np.empty(c)
    cr = np.empty(c)
    ave = np.empty(c)
    loads = {}
    for j, n in enumerate(names):
        sub = r[np.ix_(idx[n], idx[n])]
        k = len(idx[n])
        labels = [it.labels[i] for i in idx[n]]
        check_correlation(sub, labels, func)
        if k == 2:
            lam = np.full(2, np.sqrt(abs(sub[0, 1])))
        else:
            lam = _extract(sub, 1, method, None)[0][:, 0]
            if lam.sum() < 0:
                lam = -lam
        loads[n] = lam
        s = lam.sum() ** 2
        cr[j] = s / (s + (1.0 - lam**2).sum())
        ave[j] = (lam**2).mean()
        mr = (sub.sum() - k) / (k * (k - 1))
        alpha[j] = k * mr / (1 + (k - 1) * mr)
    corr = np.eye(c)
    for a in range(c):
        for b in range(a + 1, c):
            num = r[np.ix_(idx[names[a]], idx[names[b]])].sum()
            den = np.sqrt(r[np.ix_(idx[names[a]], idx[names[a]])].sum()
                          * r[np.ix_(idx[names[b]], idx[names[b]])].sum())
            corr[a, b] = corr[b, a] = num / den
    fl = corr.copy()
    np.fill_diagonal(fl, np.sqrt(ave))
    h, _ = _htmt_matrix(r, idx, True, func)
    return ConstructValidity(constructs=np.array(names),
                             n_items=np.array([len(cons[n]) for n in names], dtype=np.int64),
                             alpha=alpha, cr=cr, ave=ave, loadings=loads, correlations=corr,
                             fornell_larcker=fl, htmt=h, cr_threshold=cr_t,
                             ave_threshold=ave_t, htmt_threshold=htmt_t,
                             n_obs=it.x.shape[0], nan_policy=nan_policy)


def _membership(idx: dict, k: int) -> np.ndarray:
    m = np.zeros((k, len(idx)))
    for c, (_, rows) in enumerate(idx.items()):
        m[rows, c] = 1.0
    return m


def _htmt_stack(r: np.ndarray, memb: np.ndarray, absolute: bool):
    """HTMT and HTMT2 of a stack of correlation matrices (..., k, k), vectorised.

    Block sums through the membership matrix: ``M' R M`` gives every construct pair's sum
    of correlations; the within-construct blocks drop the unit diagonal. HTMT2 does the same
    with log correlations (geometric means). Returns (htmt, htmt2, ok) with ``ok`` False where
    a mean within-construct correlation is not positive or (HTMT2) a correlation is not
    positive.
    """
    sizes = memb.sum(axis=0)
    rr = np.abs(r) if absolute else r
    k = r.shape[-1]
    eye = np.eye(k, dtype=bool)
    s = memb.T @ rr @ memb
    within = (np.diagonal(s, axis1=-2, axis2=-1) - sizes) / (sizes * (sizes - 1))
    hetero = s / np.outer(sizes, sizes)
    ok1 = (within > 0).all(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        h1 = hetero / np.sqrt(within[..., :, None] * within[..., None, :])
        pos = np.where(eye, 1.0, rr)
        ok2 = (pos > 0).all(axis=(-2, -1))
        lg = np.where(eye, 0.0, np.log(np.where(pos > 0, pos, 1.0)))
        sl = memb.T @ lg @ memb
        gw = np.exp(np.diagonal(sl, axis1=-2, axis2=-1) / (sizes * (sizes - 1)))
        gh = np.exp(sl / np.outer(sizes, sizes))
        h2 = gh / np.sqrt(gw[..., :, None] * gw[..., None, :])
    c = len(sizes)
    d = np.arange(c)
    h1[..., d, d] = 1.0
    h2[..., d, d] = 1.0
    return h1, h2, ok1, ok2 & ok1


def _boot_correlations(x: np.ndarray, n_boot: int, rng, chunk: int):
    """Yield stacks (b, k, k) of bootstrap correlation matrices of the rows of ``x``."""
    n, k = x.shape
    xc = x - x.mean(axis=0)
    iu = np.triu_indices(k)
    prods = xc[:, iu[0]] * xc[:, iu[1]]                  # (n, k(k+1)/2), one BLAS product
    done = 0
    while done < n_boot:
        b = min(chunk, n_boot - done)
        w = np.stack([np.bincount(rng.integers(0, n, n), minlength=n) for _ in range(b)])
        w = w.astype(np.float64)
        m = w @ xc / n                                   # (b, k)
        cov = np.empty((b, k, k))
        s2 = w @ prods / n
        cov[:, iu[0], iu[1]] = s2
        cov[:, iu[1], iu[0]] = s2
        cov -= m[:, :, None] * m[:, None, :]
        sd = np.sqrt(np.maximum(np.diagonal(cov, axis1=1, axis2=2), 0.0))
        with np.errstate(divide="ignore", invalid="ignore"):
            yield cov / (sd[:, :, None] * sd[:, None, :]), (sd > 1e-12 * x.std(axis=0)).all(1)
        done += b


@result
class Htmt2(Result):
    """HTMT and HTMT2 (geometric-mean) ratios of every construct pair, with bootstrap
    percentile intervals.

    Attributes
    ----------
    constructs : ndarray of str
    htmt, htmt2 : ndarray (n_constructs, n_constructs)
        Henseler et al. (2015) ratios (arithmetic means) and Roemer et al. (2021) ratios
        (geometric means); 1 on the diagonal.
    ci_htmt, ci_htmt2 : ndarray (n_constructs, n_constructs, 2) or None
        Percentile bootstrap intervals (``n_boot > 0``).
    threshold, confidence : float
        Cut-off flagged in ``exceeds`` and the interval level.
    n_boot, n_boot_ok, n_boot_obs : int
        Resamples asked for, resamples used (HTMT2 needs every correlation positive) and
        respondents resampled (complete rows).
    """

    constructs: np.ndarray
    htmt: np.ndarray
    htmt2: np.ndarray
    threshold: float
    absolute: bool
    ci_htmt: np.ndarray | None
    ci_htmt2: np.ndarray | None
    confidence: float
    n_boot: int
    n_boot_ok: int
    n_boot_obs: int
    seed: int | None

    _derived = derived_columns({
        "construct_a": "the pair's first construct, ``constructs[a]`` (one row per pair "
                       "``a < b``)",
        "construct_b": "the pair's second construct, ``constructs[b]``",
        "htmt": "``htmt[a, b]``", "htmt2": "``htmt2[a, b]``",
        "exceeds": "``htmt2 > threshold``",
        "htmt_low": "``ci_htmt[a, b, 0]`` (``n_boot > 0``)",
        "htmt_high": "``ci_htmt[a, b, 1]``",
        "htmt2_low": "``ci_htmt2[a, b, 0]``", "htmt2_high": "``ci_htmt2[a, b, 1]``",
        "htmt2_below_threshold": "``htmt2_high < threshold``: discriminant validity holds "
                                 "(HTMT2 inference)"})
    _key = ("construct_a", "construct_b")

    def _title(self) -> str:
        return "Heterotrait-monotrait ratios (HTMT and HTMT2)"

    def _summary(self) -> list[str]:
        n = int(self._columns()["exceeds"].sum())
        ci = (f"; {self.confidence:.0%} percentile intervals from {self.n_boot_ok} of "
              f"{self.n_boot} resamples" if self.n_boot else "")
        return [f"{n} pair(s) with HTMT2 above {self.threshold:g}{ci}"]

    def _columns(self) -> dict:
        a, b = np.triu_indices(len(self.constructs), 1)
        cols = {"construct_a": self.constructs[a], "construct_b": self.constructs[b],
                "htmt": self.htmt[a, b], "htmt2": self.htmt2[a, b],
                "exceeds": self.htmt2[a, b] > self.threshold}
        if self.ci_htmt is not None:
            cols["htmt_low"] = self.ci_htmt[a, b, 0]
            cols["htmt_high"] = self.ci_htmt[a, b, 1]
            cols["htmt2_low"] = self.ci_htmt2[a, b, 0]
            cols["htmt2_high"] = self.ci_htmt2[a, b, 1]
            cols["htmt2_below_threshold"] = self.ci_htmt2[a, b, 1] < self.threshold
        return cols


def htmt2(data: TableLike, constructs: Mapping[str, Sequence[str]], *, threshold: float = 0.85,
          absolute: bool = True, nan_policy: str = "pairwise", n_boot: int = 0,
          confidence: float = 0.95, seed: int | None = None,
          progress: bool | Callable[[int, int], Any] | None = None) -> Htmt2:
    """HTMT2 (geometric-mean heterotrait–monotrait ratio) beside HTMT, with intervals.

    Parameters
    ----------
    data : table
        Item answers: a pandas / polars DataFrame, pyarrow Table or dict of columns.
    constructs : dict of str to sequence of str
        Each construct's item columns (at least 2 items each, no item in two constructs,
        at least 2 constructs).
    threshold : float
        Cut-off flagged in ``exceeds`` (applied to HTMT2; 0.85 strict, 0.90 liberal).
    absolute : bool
        Use absolute correlations (True, as ``semTools::htmt``). HTMT2 needs every
        correlation positive after this.
    nan_policy : {'pairwise', 'listwise', 'error'}
        Missing-answer handling of the item correlations (the bootstrap resamples the
        respondents who answered every item).
    n_boot : int
        Bootstrap resamples for percentile intervals of both ratios (0 skips them). The
        resamples are built and reduced in vectorised chunks of 64.
    confidence : float
        Interval level.
    seed : int, optional
        Seed of the bootstrap.
    progress : bool or callable, optional
        ``True`` shows the bootstrap's progress; a callable is called as
        ``progress(done, n_boot)``.

    Returns
    -------
    Htmt2
        One row per construct pair.

    Raises
    ------
    DataError
        Non-numeric or constant items, a non-positive correlation (HTMT2 is undefined;
        reverse-code the item or use ``absolute=True``), too few respondents.
    InvalidParameterError
        Malformed ``constructs``.

    Notes
    -----
    :math:`\\mathrm{HTMT2}_{AB} = \\tilde r_{AB} / \\sqrt{\\tilde r_A \\tilde r_B}` with
    :math:`\\tilde r_{AB}` the geometric mean of the :math:`K_A K_B` correlations between
    items of A and B and :math:`\\tilde r_A` that of the :math:`K_A(K_A-1)/2` correlations
    within A (Roemer, Schuberth & Henseler 2021); HTMT uses arithmetic means. HTMT2 is
    consistent for congeneric (unequal-loading) constructs, HTMT only for tau-equivalent
    ones. Resamples in which HTMT2 is undefined (a correlation not positive) are dropped
    from both intervals and counted in ``n_boot_ok``.

    References
    ----------
    Roemer, E., Schuberth, F. & Henseler, J. (2021). HTMT2 – an improved criterion for
    assessing discriminant validity in structural equation modeling. Industrial
    Management & Data Systems 121, 2637–2650.

    Examples
    --------
    >>> import numpy as np
    >>> from cxpath.survey import htmt2
    >>> rng = np.random.default_rng(0)
    >>> f = rng.multivariate_normal([0, 0], [[1, 0.5], [0.5, 1]], 500)
    >>> data = {f"a{i}": f[:, 0] + rng.standard_normal(500) for i in range(3)}
    >>> data.update({f"b{i}": f[:, 1] + rng.standard_normal(500) for i in range(3)})
    >>> res = htmt2(data, {"A": ["a0", "a1", "a2"], "B": ["b0", "b1", "b2"]}, n_boot=200,
    ...             seed=1)
    >>> bool(res.ci_htmt2[0, 1, 0] < res.htmt2[0, 1] < res.ci_htmt2[0, 1, 1])
    True
    """
    func = "survey.htmt2"
    threshold = v.check_real(threshold, "threshold", func, low=0.0, closed="neither")
    absolute = v.check_bool(absolute, "absolute", func)
    n_boot = v.check_int(n_boot, "n_boot", func, low=0)
    confidence = v.check_real(confidence, "confidence", func, low=0.0, high=1.0,
                              closed="neither")
    if seed is not None:
        seed = v.check_int(seed, "seed", func, low=0)
    _, idx, r, it = _prepare(data, constructs, func, nan_policy, min_constructs=2)
    memb = _membership(idx, len(r))
    h1, h2, ok1, ok2 = _htmt_stack(r, memb, absolute)
    if not ok1:
        _htmt_matrix(r, idx, absolute, func)  # raises the shaped error naming the construct
    if not ok2:
        rr = np.abs(r) if absolute else r
        i, j = np.argwhere(np.triu(rr <= 0, 1))[0]
        v.fail("data", func, "items whose correlations are all positive (HTMT2 takes "
               "logarithms; reverse-code negatively worded items, or use absolute=True)",
               got=f"r = {r[i, j]:.3g} between {it.labels[i]!r} and {it.labels[j]!r}",
               data=True)
    ci1 = ci2 = None
    n_used = n_ok = 0
    if n_boot:
        x = it.x[~np.isnan(it.x).any(axis=1)]
        n_used = len(x)
        if n_used < 4:
            v.fail("data", func, "at least 4 respondents answering every item for the "
                   "bootstrap", got=f"{n_used}", data=True)
        k, c = x.shape[1], len(idx)
        chunk = 64
        check_memory(8.0 * (chunk * (n_used + 4 * k * k) + n_used * k * (k + 1) / 2
                           + 2 * n_boot * c * c), func,
                     f"{n_boot:,} bootstrap resamples of {k} items",
                     how="Ask for fewer resamples ('n_boot'), or raise the cap with the "
                         "CXPATH_MAX_MEMORY environment variable (e.g. "
                         "CXPATH_MAX_MEMORY=64GiB).")
        report = reporter(progress, n_boot, "resamples", func)
        d1, d2 = [], []
        done = 0
        for rb, good in _boot_correlations(x, n_boot, np.random.default_rng(seed), chunk):
            b1, b2, g1, g2 = _htmt_stack(rb, memb, absolute)
            keep = good & g1 & g2
            d1.append(b1[keep])
            d2.append(b2[keep])
            done += len(rb)
            report(done)
        report.close()
        d1, d2 = np.concatenate(d1), np.concatenate(d2)
        n_ok = len(d1)
        if n_ok < 2:
            v.fail("data", func, "enough variation for the bootstrap",
                   got=f"{n_boot - n_ok} of {n_boot} failed resamples", data=True)
        a = (1.0 - confidence) / 2
        ci1 = np.moveaxis(np.quantile(d1, [a, 1 - a], axis=0), 0, -1)
        ci2 = np.moveaxis(np.quantile(d2, [a, 1 - a], axis=0), 0, -1)
    return Htmt2(constructs=np.array(list(idx)), htmt=h1, htmt2=h2, threshold=threshold,
                 absolute=absolute, ci_htmt=ci1, ci_htmt2=ci2, confidence=confidence,
                 n_boot=n_boot, n_boot_ok=n_ok, n_boot_obs=n_used, seed=seed)
