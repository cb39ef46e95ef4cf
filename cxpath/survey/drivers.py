"""Key-driver analysis: which service factors drive satisfaction, and what to fix first."""

from __future__ import annotations

import itertools
import math
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _validate as v
from .._budget import check_memory
from .._progress import reporter
from .._results import Result, alias, derived_columns, result
from ._common import bootstrap_covariances, check_correlation, read_items

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from .._typing import TableLike

__all__ = ["ImportancePerformance", "KeyDrivers", "importance_performance", "key_drivers"]

MAX_DRIVERS = 15
MEASURES = ("correlation", "beta", "relative_weight", "dominance")


class _Subsets:
    """Every non-empty subset of p drivers grouped by size, with the Shapley bookkeeping."""

    def __init__(self, p: int):
        self.p = p
        self.groups = []  # (size, index array (m, s), masks (m,))
        for s in range(1, p + 1):
            idx = np.array(list(itertools.combinations(range(p), s)), dtype=np.int64)
            masks = (np.left_shift(1, idx)).sum(axis=1)
            self.groups.append((s, idx, masks))
        full = np.arange(2**p, dtype=np.int64)
        size = np.array([bin(m).count("1") for m in range(2**p)], dtype=np.int64)
        self.size = size
        self.pairs = []  # per driver j: masks without j, same masks with j, their sizes
        for j in range(p):
            without = full[(full >> j) & 1 == 0]
            self.pairs.append((without, without | (1 << j), size[without]))
        fact = [math.factorial(i) for i in range(p + 1)]
        self.shapley_w = np.array([fact[s] * fact[p - s - 1] / fact[p] for s in range(p)])
        self.n_of_size = np.array([math.comb(p - 1, s) for s in range(p)], dtype=np.float64)

    def r2_all(self, rxx: np.ndarray, rxy: np.ndarray) -> np.ndarray:
        out = np.zeros(2**self.p)
        for _s, idx, masks in self.groups:
            sub = rxx[idx[:, :, None], idx[:, None, :]]
            rs = rxy[idx]
            sol = np.linalg.solve(sub, rs[..., None])[..., 0]
            out[masks] = (rs * sol).sum(axis=1)
        return out

    def dominance(self, r2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """General dominance (= Shapley value of R²) and conditional dominance by size."""
        p = self.p
        cond = np.zeros((p, p))
        for j, (without, with_, sizes) in enumerate(self.pairs):
            inc = r2[with_] - r2[without]
            cond[j] = np.bincount(sizes, weights=inc, minlength=p) / self.n_of_size
        return cond.mean(axis=1), cond


def _measures(r: np.ndarray, subsets: _Subsets | None):
    rxx, rxy = r[1:, 1:], r[1:, 0]
    beta = np.linalg.solve(rxx, rxy)
    r2 = float(rxy @ beta)
    w, q = np.linalg.eigh(rxx)
    w = np.maximum(w, 0.0)
    lam_half = (q * np.sqrt(w)) @ q.T
    beta_star = np.linalg.solve(lam_half, rxy)
    rw = (lam_half**2) @ beta_star**2
    if subsets is not None:
        dom, cond = subsets.dominance(subsets.r2_all(rxx, rxy))
    else:
        dom = cond = None
    return rxy.copy(), beta, rw, dom, cond, r2


@result
class KeyDrivers(Result):
    """Importance of each driver of an outcome, with bootstrap intervals.

    Attributes
    ----------
    outcome : str
    drivers : ndarray of str
    correlation, beta : ndarray
        Pearson correlation with the outcome and standardised regression weight.
    relative_weight : ndarray
        Johnson's relative weights; they sum to ``r2``.
    dominance : ndarray
        General dominance weights (the Shapley decomposition of R², exact over all subsets);
        they sum to ``r2``. NaN-free; absent (all NaN) only when ``dominance=False``.
    conditional_dominance : ndarray (n_drivers, n_drivers)
        Mean R² increment of each driver added to subsets of 0, 1, … other drivers.
    r2 : float
        R² of the outcome regressed on all drivers.
    ci : dict of str to ndarray (n_drivers, 2)
        Percentile bootstrap intervals per measure (and ``'r2'`` of shape (1, 2)).
    mean : ndarray
        Mean score of each driver (its current performance).
    driver : ndarray of str
        ``drivers`` under its column name.
    rw_share, dominance_share : ndarray
        ``relative_weight`` and ``dominance`` as shares of ``r2``.
    rank : ndarray of int
        Rank of each driver by dominance (by relative weight without dominance), 1 the
        most important.
    """

    outcome: str
    drivers: np.ndarray
    correlation: np.ndarray
    beta: np.ndarray
    relative_weight: np.ndarray
    dominance: np.ndarray
    conditional_dominance: np.ndarray
    r2: float
    ci: dict
    confidence: float
    n_boot: int
    n_boot_failed: int
    seed: int | None
    mean: np.ndarray
    n_obs: int
    n_rows: int

    _derived = derived_columns({
        "{measure}_low": "lower end of the measure's bootstrap interval, ``ci[measure][:, 0]``",
        "{measure}_high": "upper end, ``ci[measure][:, 1]``"})
    driver = alias("drivers")

    @property
    def rw_share(self) -> np.ndarray:
        """``relative_weight / r2``."""
        return self.relative_weight / self.r2

    @property
    def dominance_share(self) -> np.ndarray:
        """``dominance / r2``."""
        return self.dominance / self.r2

    @property
    def rank(self) -> np.ndarray:
        """Rank by dominance (by relative weight without dominance), 1 the most important."""
        return _rank(self.dominance if np.isfinite(self.dominance).all()
                     else self.relative_weight)

    def _explain_column(self, column: str) -> str | None:
        for side in ("low", "high"):
            if column.removesuffix(f"_{side}") in self.ci:
                return self._derived["{measure}_" + side]
        return None

    def _title(self) -> str:
        return f"Key drivers of {self.outcome}"

    def _summary(self) -> list[str]:
        ci = self.ci.get("r2")
        extra = (f" [{ci[0, 0]:.3f}, {ci[0, 1]:.3f}]" if ci is not None else "")
        return [f"R2 = {self.r2:.4f}{extra}, n = {self.n_obs} of {self.n_rows} rows "
                f"(listwise), bootstrap: {self.n_boot} resamples, "
                f"{self.confidence:.0%} percentile intervals"]

    def _columns(self) -> dict:
        cols = {"driver": self.drivers, "mean": self.mean, "correlation": self.correlation,
                "beta": self.beta, "relative_weight": self.relative_weight,
                "rw_share": self.rw_share, "dominance": self.dominance,
                "dominance_share": self.dominance_share, "rank": self.rank}
        for m in MEASURES:
            if m in self.ci:
                cols[f"{m}_low"] = self.ci[m][:, 0]
                cols[f"{m}_high"] = self.ci[m][:, 1]
        return cols


def _rank(x):
    order = np.argsort(-x, kind="stable")
    rank = np.empty(len(x), dtype=np.int64)
    rank[order] = np.arange(1, len(x) + 1)
    return rank


def key_drivers(data: TableLike, outcome: str, drivers: Sequence[str], *, n_boot: int = 500,
                confidence: float = 0.95, seed: int | None = None, dominance: bool = True,
                nan_policy: str = "listwise",
                progress: bool | Callable[[int, int], Any] | None = None,
                max_boot: int = 100_000) -> KeyDrivers:
    """Key-driver analysis of an outcome (e.g. overall satisfaction) on service attributes.

    Parameters
    ----------
    data : table
        Answers: a pandas / polars DataFrame, pyarrow Table or dict of columns.
    outcome : str
        The outcome column (overall satisfaction, NPS, a construct score, …).
    drivers : sequence of str
        Driver columns (attribute ratings or construct scores).
    n_boot : int
        Bootstrap resamples for the intervals (0 skips the bootstrap).
    confidence : float
        Level of the percentile intervals.
    seed : int, optional
        Seed of the bootstrap, for reproducible intervals.
    dominance : bool
        Compute the exact dominance / Shapley decomposition over all :math:`2^p` subsets
        (at most 15 drivers).
    nan_policy : {'listwise', 'error'}
        Respondents with a missing answer in any used column are dropped (and counted in
        ``n_obs`` vs ``n_rows``), or refused.
    progress : bool or callable, optional
        ``True`` shows the bootstrap's progress (a tqdm bar when tqdm is installed, else
        lines on stderr); a callable is called as ``progress(done, n_boot)``.
    max_boot : int, default 100,000
        Cap on ``n_boot``: more raise :class:`~cxpath.errors.CostError` before any work,
        with a rough time; raise the cap to run it anyway.

    Returns
    -------
    KeyDrivers

    Raises
    ------
    DataError
        Non-numeric or constant columns, fewer respondents than drivers + 2, collinear
        drivers (singular correlation matrix).
    InvalidParameterError
        Malformed arguments; more than 15 drivers with ``dominance=True``.

    Notes
    -----
    All measures come from the correlation matrix: standardised weights
    :math:`\\beta = R_{xx}^{-1} r_{xy}`; Johnson's relative weights
    :math:`\\varepsilon_j = \\sum_k \\Lambda_{jk}^2 \\beta^{*2}_k` with
    :math:`\\Lambda = R_{xx}^{1/2}` and :math:`\\beta^* = \\Lambda^{-1} r_{xy}`; general
    dominance (Budescu 1993), which equals the Shapley value of the R² game (Lipovetsky &
    Conklin 2001), averages each driver's R² increment over all subsets of the other
    drivers, first within each subset size. Both relative weights and dominance weights
    sum to the model R². Intervals are percentile intervals over rows resampled with
    replacement; resamples in which a column is constant are skipped and counted.

    References
    ----------
    Johnson, J. W. (2000). A heuristic method for estimating the relative weight of predictor
    variables in multiple regression. Multivariate Behavioral Research 35, 1–19.
    Budescu, D. V. (1993). Dominance analysis: a new approach to the problem of relative
    importance of predictors in multiple regression. Psychological Bulletin 114, 542–551.
    Lipovetsky, S., & Conklin, M. (2001). Analysis of regression in game theory approach.
    Applied Stochastic Models in Business and Industry 17, 319–330.

    Examples
    --------
    >>> import numpy as np
    >>> from cxpath.survey import key_drivers
    >>> rng = np.random.default_rng(0)
    >>> x = rng.standard_normal((300, 3))
    >>> data = {"a": x[:, 0], "b": x[:, 1], "c": x[:, 2],
    ...         "sat": x @ [0.6, 0.3, 0.0] + rng.standard_normal(300) * 0.7}
    >>> res = key_drivers(data, "sat", ["a", "b", "c"], n_boot=100, seed=1)
    >>> bool(np.isclose(res.relative_weight.sum(), res.r2))
    True
    >>> res.to_frame("dict")["rank"]
    array([1, 2, 3])
    """
    func = "survey.key_drivers"
    if not isinstance(outcome, str):
        v.fail("outcome", func, "a column name", outcome)
    if isinstance(drivers, str):
        names = [drivers]
    elif isinstance(drivers, (list, tuple)) or (isinstance(drivers, np.ndarray)
                                                and drivers.ndim == 1):
        names = list(drivers)
    else:
        v.fail("drivers", func, "a column name or a sequence of column names", drivers,
               wrong_type=True)
    if len(names) < 1:
        v.fail("drivers", func, "at least one driver column", drivers)
    if outcome in names:
        v.fail("drivers", func, "columns other than the outcome", got=f"{outcome!r} among them")
    n_boot = v.check_int(n_boot, "n_boot", func, low=0)
    max_boot = v.check_int(max_boot, "max_boot", func, low=1)
    confidence = v.check_real(confidence, "confidence", func, low=0.0, high=1.0,
                              closed="neither")
    if seed is not None:
        seed = v.check_int(seed, "seed", func, low=0)
    dominance = v.check_bool(dominance, "dominance", func)
    v.check_option(nan_policy, "nan_policy", func, ("listwise", "error"))
    p = len(names)
    if dominance and p > MAX_DRIVERS:
        v.fail("drivers", func, f"at most {MAX_DRIVERS} columns when dominance=True (exact "
               "dominance needs all 2^p subsets; pass dominance=False for relative weights)",
               got=f"{p} columns")
    if isinstance(data, np.ndarray):
        v.fail("data", func, "a table (DataFrame or dict of columns)",
               got=f"a bare array of shape {data.shape}")
    it = read_items(data, [outcome, *names], func, nan_policy=nan_policy, min_items=2,
                    min_rows=p + 2)
    x = it.x
    n = x.shape[0]
    r = np.corrcoef(x, rowvar=False)
    check_correlation(r[1:, 1:], it.labels[1:], func)
    subsets = _Subsets(p) if dominance else None
    corr, beta, rw, dom, cond, r2 = _measures(r, subsets)
    if dom is None:
        dom = np.full(p, np.nan)
        cond = np.full((p, p), np.nan)
    ci = {}
    failed = 0
    if n_boot:
        check_memory(n_boot * (len(MEASURES) * (112.0 + 8 * p) + 32), func,
                     f"{n_boot:,} bootstrap resamples of {len(MEASURES)} measures",
                     how="Ask for fewer resamples ('n_boot'), or raise the cap with the "
                         "CXPATH_MAX_MEMORY environment variable (e.g. "
                         "CXPATH_MAX_MEMORY=64GiB).")
        if n_boot > max_boot:
            from ..errors import CostError

            rows = x.shape[0]
            per = 3e-5 + 3e-8 * (rows * (p + 1) ** 2 + (2 ** p * p * p if dominance else p ** 3))
            raise CostError(
                f"{func} would refit the {p} drivers on {n_boot:,} bootstrap resamples of "
                f"{rows:,} rows (roughly {n_boot * per:,.0f} s on one core), more than the "
                f"max_boot={max_boot:,} cap. Ask for fewer resamples (n_boot=), or raise the "
                f"cap (max_boot={n_boot}).")
        rng = np.random.default_rng(seed)
        draws = {m: [] for m in (*MEASURES, "r2")}
        floor = 1e-12 * x.var(axis=0)
        report = reporter(progress, n_boot, "resamples", func)
        for done, cb in enumerate(bootstrap_covariances(x, n_boot, rng), start=1):
            report(done)
            var = np.diag(cb)
            if (var <= floor).any():
                failed += 1
                continue
            sd = np.sqrt(var)
            rb = cb / np.outer(sd, sd)
            np.fill_diagonal(rb, 1.0)
            try:
                out = _measures(rb, subsets)
            except np.linalg.LinAlgError:
                failed += 1
                continue
            for m, val in zip((*MEASURES, "r2"), (out[0], out[1], out[2], out[3], out[5])):
                draws[m].append(val)
        report.close()
        if n_boot - failed < 2:
            v.fail("data", func, "enough variation for the bootstrap",
                   got=f"{failed} of {n_boot} resamples with a constant column", data=True)
        a = (1.0 - confidence) / 2
        for m, vals in draws.items():
            if m == "dominance" and not dominance:
                continue
            arr = np.asarray(vals, dtype=np.float64).reshape(len(vals), -1)
            ci[m] = np.quantile(arr, [a, 1 - a], axis=0).T
    return KeyDrivers(outcome=outcome, drivers=np.array(it.labels[1:]), correlation=corr,
                      beta=beta, relative_weight=rw, dominance=dom,
                      conditional_dominance=cond, r2=r2, ci=ci, confidence=confidence,
                      n_boot=n_boot, n_boot_failed=failed, seed=seed,
                      mean=x[:, 1:].mean(axis=0), n_obs=n, n_rows=it.n_rows)


@result
class ImportancePerformance(Result):
    """An importance–performance table: what drives the outcome vs how well it does now.

    Quadrants (Martilla & James 1977), split at the mean importance and mean performance:
    ``'concentrate here'`` (important, under-performing: fix first), ``'keep up the good
    work'``, ``'low priority'`` and ``'possible overkill'`` (performing well on what matters
    little).

    Attributes
    ----------
    drivers : ndarray of str
    driver : ndarray of str
        ``drivers`` under its column name.
    importance, performance : ndarray
        The driver's importance (share of R² by ``measure``) and current performance.
    quadrant : ndarray of str
    priority : ndarray of int
        Order in which to work on the drivers, 1 first.
    importance_cut, performance_cut : float
    measure : str
    """

    drivers: np.ndarray
    importance: np.ndarray
    performance: np.ndarray
    quadrant: np.ndarray
    priority: np.ndarray
    importance_cut: float
    performance_cut: float
    measure: str

    driver = alias("drivers")

    def _title(self) -> str:
        return "Importance-performance"

    def _summary(self) -> list[str]:
        return [f"importance = {self.measure} share; cut-offs: importance "
                f"{self.importance_cut:.3f}, performance {self.performance_cut:.1f}"]

    def _columns(self) -> dict:
        return {"driver": self.drivers, "importance": self.importance,
                "performance": self.performance, "quadrant": self.quadrant,
                "priority": self.priority}


def importance_performance(drivers: KeyDrivers, *, measure: str = "relative_weight",
                           scale: tuple[float, float] | None = None,
                           importance_cut: float | None = None,
                           performance_cut: float | None = None) -> ImportancePerformance:
    """Importance–performance table for prioritising service improvements.

    Parameters
    ----------
    drivers : KeyDrivers
        The result of :func:`key_drivers`; performance is each driver's mean score.
    measure : {'relative_weight', 'dominance', 'beta', 'correlation'}
        Importance measure; relative weights and dominance are shown as shares of R².
    scale : (float, float), optional
        Lowest and highest possible answer (e.g. ``(1, 7)``); performance is then rescaled to
        0–100. Without it the raw means are used.
    importance_cut, performance_cut : float, optional
        Quadrant boundaries; the means over drivers by default.

    Returns
    -------
    ImportancePerformance
        Rows sorted by priority: ``concentrate here`` first, then by importance.

    Raises
    ------
    InvalidParameterError
        Not a :class:`KeyDrivers`, an unknown measure, a malformed scale.

    References
    ----------
    Martilla, J. A., & James, J. C. (1977). Importance-performance analysis. Journal of
    Marketing 41, 77–79.

    Examples
    --------
    >>> import numpy as np
    >>> from cxpath.survey import key_drivers, importance_performance
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(4, 1, (300, 3))
    >>> data = {"wait": x[:, 0] - 1, "staff": x[:, 1] + 1, "web": x[:, 2] - 0.5,
    ...         "sat": x @ [0.6, 0.4, 0.05] + rng.standard_normal(300)}
    >>> kd = key_drivers(data, "sat", ["wait", "staff", "web"], n_boot=0)
    >>> ipa = importance_performance(kd, scale=(1, 7))
    >>> ipa.to_frame("dict")["quadrant"].tolist()
    ['concentrate here', 'keep up the good work', 'low priority']
    """
    func = "survey.importance_performance"
    if not isinstance(drivers, KeyDrivers):
        v.fail("drivers", func, "a KeyDrivers result (from survey.key_drivers)",
               got=f"an object of type {type(drivers).__name__}")
    v.check_option(measure, "measure", func, MEASURES)
    imp = np.asarray(getattr(drivers, measure), dtype=np.float64)
    if not np.isfinite(imp).all():
        v.fail("measure", func, "a measure that was computed",
               got=f"{measure!r} (key_drivers ran with dominance=False)")
    if measure in ("relative_weight", "dominance"):
        imp = imp / drivers.r2
    perf = drivers.mean.astype(np.float64)
    if scale is not None:
        try:
            lo, hi = (float(s) for s in scale)
        except (TypeError, ValueError):
            v.fail("scale", func, "a pair (lowest, highest) of numbers", scale)
        if not (np.isfinite(lo) and np.isfinite(hi) and hi > lo):
            v.fail("scale", func, "a pair (lowest, highest) with highest > lowest", scale)
        perf = (perf - lo) / (hi - lo) * 100.0
    icut = float(imp.mean()) if importance_cut is None else v.check_real(
        importance_cut, "importance_cut", func)
    pcut = float(perf.mean()) if performance_cut is None else v.check_real(
        performance_cut, "performance_cut", func)
    high_i = imp >= icut
    high_p = perf >= pcut
    quad = np.where(high_i & ~high_p, "concentrate here",
                    np.where(high_i & high_p, "keep up the good work",
                             np.where(~high_i & ~high_p, "low priority", "possible overkill")))
    rank_key = {"concentrate here": 0, "keep up the good work": 1, "low priority": 2,
                "possible overkill": 3}
    order = sorted(range(len(imp)), key=lambda j: (rank_key[quad[j]], -imp[j]))
    prio = np.empty(len(imp), dtype=np.int64)
    prio[order] = np.arange(1, len(imp) + 1)
    o = np.array(order)
    return ImportancePerformance(drivers=drivers.drivers[o], importance=imp[o],
                                 performance=perf[o], quadrant=quad[o].astype(object),
                                 priority=prio[o], importance_cut=icut, performance_cut=pcut,
                                 measure=measure)
