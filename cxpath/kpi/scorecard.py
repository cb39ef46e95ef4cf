"""Fair scorecards: empirical-Bayes shrinkage, ranks with intervals, funnel plots.

An agent with 5 tickets and 5 first-contact resolutions has a raw FCR of 100 %; ranking
agents on raw rates puts the smallest volumes at the top and the bottom by chance.
:func:`rate_scorecard` (successes out of trials, beta-binomial) and :func:`mean_scorecard`
(means with SD and n, normal-normal) shrink each unit towards the overall level in
proportion to how little data it has, give credible intervals and rank intervals, and
:func:`funnel_chart` draws control limits by volume around the overall rate (Spiegelhalter
2005) so that only units outside them are called out.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _validate as v
from .._budget import check_memory
from .._frames import column
from .._results import Result, derived_columns, result

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .._typing import ColumnLike, TableLike

__all__ = ["Caterpillar", "FunnelChart", "MeanScorecard", "RateScorecard", "funnel_chart",
           "mean_scorecard", "rate_scorecard"]

_MAX_PRECISION = 1e8  # prior precision a + b standing for "no between-unit variation"


def _drawn_by(function: str):
    """Class decorator: ``.plot(ax=None, **kw)`` drawing with
    ``cxpath.plot._scorecard.<function>`` (imported when called; analyses never draw)."""

    def plot(self, ax: Any = None, **kw: Any) -> Any:
        import importlib

        drawing = importlib.import_module("cxpath.plot._scorecard")
        return getattr(drawing, function)(self, ax=ax, **kw)

    def decorate(cls):
        plot.__doc__ = (f"Draw the result with :func:`cxpath.plot.{function}` (extra "
                        "``plot``) on ``ax`` or a new figure; returns the Axes.")
        plot.__qualname__ = f"{cls.__qualname__}.plot"
        cls.plot = plot
        return cls

    return decorate


def _units(data, units, n: int, func: str) -> np.ndarray:
    if units is None:
        return np.array([f"u{i + 1}" for i in range(n)], dtype=object)
    lab = column(data, units, "units", func)
    if len(lab) != n:
        v.fail("units", func, f"of the same length as the data ({n})", got=f"length {len(lab)}",
               data=True)
    out = np.array([str(x) for x in lab.tolist()], dtype=object)
    if len(set(out.tolist())) != n:
        dup = next(s for s in out.tolist() if out.tolist().count(s) > 1)
        v.fail("units", func, "one row per unit (distinct labels)", got=f"{dup!r} twice",
               data=True)
    return out


def _counts(data, successes, trials, func: str):
    y = v.as_int_array(column(data, successes, "successes", func), "successes", func, low=0)
    n = v.as_int_array(column(data, trials, "trials", func), "trials", func, low=0)
    v.check_same_length(func, successes=y, trials=n)
    if (y > n).any():
        i = int(np.argmax(y > n))
        v.fail("successes", func, "at most the trials of the same unit",
               got=f"{y[i]} successes out of {n[i]} trials at position {i}", data=True)
    if (n > 0).sum() < 2:
        v.fail("trials", func, "positive for at least 2 units",
               got=f"{int((n > 0).sum())} unit(s) with trials", data=True)
    return y, n


def _rank_draws(draws: np.ndarray, higher_is_better: bool, confidence: float):
    """Per unit: 2.5 % / 97.5 % rank, P(rank 1), from posterior draws (draws × units)."""
    from scipy import stats

    ranks = stats.rankdata(-draws if higher_is_better else draws, method="min", axis=1)
    a = (1 - confidence) / 2
    lo = np.quantile(ranks, a, axis=0, method="inverted_cdf").astype(np.int64)
    hi = np.quantile(ranks, 1 - a, axis=0, method="inverted_cdf").astype(np.int64)
    return lo, hi, (ranks == 1).mean(axis=0)


def _ranks(estimate: np.ndarray, higher_is_better: bool) -> np.ndarray:
    from scipy import stats

    return stats.rankdata(-estimate if higher_is_better else estimate,
                          method="min").astype(np.int64)


# ------------------------------------------------------------------ caterpillar

@result
@_drawn_by("caterpillar")
class Caterpillar(Result):
    """Shrunken estimates sorted best first, with their intervals: a caterpillar plot's data.

    Attributes
    ----------
    unit : ndarray of str
    estimate : ndarray
        Posterior (shrunken) estimate.
    ci_low, ci_high : ndarray
        Credible interval.
    raw : ndarray
        Unit's own rate or mean.
    n : ndarray
        Trials or answers.
    rank, rank_low, rank_high : ndarray of int
        Rank (1 = best) and its interval.
    centre : float
        The overall level the units are shrunk towards.
    what : str
        ``'rate'`` or ``'mean'``.
    confidence : float
    """

    unit: np.ndarray
    estimate: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    raw: np.ndarray
    n: np.ndarray
    rank: np.ndarray
    rank_low: np.ndarray
    rank_high: np.ndarray
    centre: float
    what: str
    confidence: float

    def _summary(self):
        return [f"shrunken {self.what}s, best first, {self.confidence:.0%} intervals; "
                f"overall {self.centre:.4g}"]

    def _columns(self):
        return {"unit": self.unit, "estimate": self.estimate, "ci_low": self.ci_low,
                "ci_high": self.ci_high, "raw": self.raw, "n": self.n, "rank": self.rank,
                "rank_low": self.rank_low, "rank_high": self.rank_high}


def _caterpillar(card, raw, n, what: str) -> Caterpillar:
    order = np.lexsort((card.unit, card.rank))
    return Caterpillar(unit=card.unit[order], estimate=card.estimate[order],
                       ci_low=card.ci_low[order], ci_high=card.ci_high[order],
                       raw=raw[order], n=n[order], rank=card.rank[order],
                       rank_low=card.rank_low[order], rank_high=card.rank_high[order],
                       centre=card.centre, what=what, confidence=card.confidence)


# ------------------------------------------------------------------ rates

@result
@_drawn_by("caterpillar")
class RateScorecard(Result):
    """Rates per unit shrunk by a beta-binomial empirical-Bayes model.

    Attributes
    ----------
    unit : ndarray of str
    successes, trials : ndarray of int
    rate : ndarray
        Raw rate ``successes / trials`` (NaN for no trials).
    estimate : ndarray
        Posterior mean ``(alpha + successes) / (alpha + beta + trials)``.
    ci_low, ci_high : ndarray
        Equal-tailed credible interval of ``Beta(alpha + y, beta + n − y)``.
    rank : ndarray of int
        Rank of the estimate, 1 = best.
    rank_low, rank_high : ndarray of int
        Rank interval from posterior draws (0 when ``n_draws=0``).
    p_best : ndarray
        Posterior probability of rank 1 (NaN when ``n_draws=0``).
    alpha, beta : float
        Hyperparameters of the beta prior.
    centre : float
        Prior mean ``alpha / (alpha + beta)``.
    fit : str
        ``'mle'``, ``'moments'`` (asked for, or the fallback when the maximum-likelihood fit
        failed) or ``'pooled'`` (no more spread than binomial chance: every unit at the
        overall rate).
    higher_is_better : bool
    confidence : float
    """

    unit: np.ndarray
    successes: np.ndarray
    trials: np.ndarray
    rate: np.ndarray
    estimate: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    rank: np.ndarray
    rank_low: np.ndarray
    rank_high: np.ndarray
    p_best: np.ndarray
    alpha: float
    beta: float
    centre: float
    fit: str
    higher_is_better: bool
    confidence: float

    @property
    def precision(self) -> float:
        """``alpha + beta``: the prior is worth this many trials."""
        return self.alpha + self.beta

    def caterpillar(self) -> Caterpillar:
        """The units sorted by rank with their intervals (for a caterpillar plot)."""
        return _caterpillar(self, self.rate, self.trials.astype(np.float64), "rate")

    def _summary(self):
        return [f"beta-binomial prior Beta({self.alpha:.4g}, {self.beta:.4g}) by {self.fit}: "
                f"centre {self.centre:.4g}, worth {self.precision:.4g} trials; "
                f"{self.confidence:.0%} intervals; rank 1 = "
                f"{'highest' if self.higher_is_better else 'lowest'}"]

    def _columns(self):
        return {"unit": self.unit, "successes": self.successes, "trials": self.trials,
                "rate": self.rate, "estimate": self.estimate, "ci_low": self.ci_low,
                "ci_high": self.ci_high, "rank": self.rank, "rank_low": self.rank_low,
                "rank_high": self.rank_high, "p_best": self.p_best}


def _bb_negloglik(params, y, n):
    """Negative beta-binomial log-likelihood (up to a constant) and its gradient in
    (log a, log b)."""
    from scipy import special

    a, b = np.exp(params)
    ll = (special.betaln(y + a, n - y + b) - special.betaln(a, b)).sum()
    da = (special.digamma(y + a) - special.digamma(n + a + b) - special.digamma(a)
          + special.digamma(a + b)).sum()
    db = (special.digamma(n - y + b) - special.digamma(n + a + b) - special.digamma(b)
          + special.digamma(a + b)).sum()
    return -ll, -np.array([da * a, db * b])


def _bb_newton(a, b, y, n, steps: int = 50):
    """Newton polish of the ML hyperparameters in (a, b); None if it leaves the interior."""
    from scipy import special

    for _ in range(steps):
        s = a + b
        g = np.array([(special.digamma(y + a) - special.digamma(n + s) - special.digamma(a)
                       + special.digamma(s)).sum(),
                      (special.digamma(n - y + b) - special.digamma(n + s)
                       - special.digamma(b) + special.digamma(s)).sum()])
        common = (special.polygamma(1, s) - special.polygamma(1, n + s)).sum()
        h = np.array([[(special.polygamma(1, y + a) - special.polygamma(1, a)).sum() + common,
                       common],
                      [common,
                       (special.polygamma(1, n - y + b) - special.polygamma(1, b)).sum()
                       + common]])
        if not np.all(np.isfinite(h)) or np.linalg.det(h) <= 0 or h[0, 0] >= 0:
            return None
        step = np.linalg.solve(h, g)
        t = 1.0
        while t > 1e-4 and (a - t * step[0] <= 0 or b - t * step[1] <= 0):
            t /= 2
        if a - t * step[0] <= 0 or b - t * step[1] <= 0:
            return None
        a, b = a - t * step[0], b - t * step[1]
        if np.max(np.abs(step) / np.array([a, b])) < 1e-13:
            break
    return a, b


def _bb_moments(y, n):
    """Method-of-moments (ANOVA-type) hyperparameters, or None for no overdispersion.

    With ``mu = Σy / N`` and ``S = Σ n_i (p_i − mu)²``, ``E[S] = mu (1 − mu) [(k − 1) +
    rho (N − Σn_i² / N − (k − 1))]`` for the intra-unit correlation ``rho = 1 / (a + b + 1)``.
    """
    k, total = y.size, n.sum()
    mu = y.sum() / total
    if mu <= 0 or mu >= 1:
        return None
    p = y / n
    s = (n * (p - mu) ** 2).sum()
    denom = total - (n * n).sum() / total - (k - 1)
    if denom <= 0:
        return None
    rho = (s / (mu * (1 - mu)) - (k - 1)) / denom
    if not 0 < rho < 1:
        return None
    m = 1.0 / rho - 1.0
    return mu * m, (1 - mu) * m


def _bb_fit(y, n, method: str, func: str):
    keep = n > 0
    y, n = y[keep].astype(np.float64), n[keep].astype(np.float64)
    mu = y.sum() / n.sum()
    if mu <= 0 or mu >= 1:
        v.fail("successes", func, "not all 0 nor all equal to the trials (the prior would "
               "have no spread to estimate)", got=f"an overall rate of {mu:g}", data=True)
    mom = _bb_moments(y, n)
    if method == "moments":
        if mom is None:
            return mu * _MAX_PRECISION, (1 - mu) * _MAX_PRECISION, "pooled"
        return mom[0], mom[1], "moments"
    from scipy import optimize

    start = np.log(mom) if mom is not None else np.log([mu * 10, (1 - mu) * 10])
    try:
        with np.errstate(over="ignore", invalid="ignore"):
            res = optimize.minimize(_bb_negloglik, start, args=(y, n), jac=True,
                                    method="BFGS", options={"gtol": 1e-8, "maxiter": 500})
    except (ValueError, FloatingPointError, OverflowError):  # pragma: no cover - defensive
        res = None
    if res is not None and np.all(np.isfinite(res.x)) and np.all(np.abs(res.x) < 40):
        a, b = np.exp(res.x)
        if a + b >= 0.5 * _MAX_PRECISION:  # the likelihood grows without bound: pooling
            if mom is None:
                return mu * _MAX_PRECISION, (1 - mu) * _MAX_PRECISION, "pooled"
        else:
            polished = _bb_newton(a, b, y, n)
            if polished is not None:
                return polished[0], polished[1], "mle"
    if mom is None:
        return mu * _MAX_PRECISION, (1 - mu) * _MAX_PRECISION, "pooled"
    return mom[0], mom[1], "moments"


def rate_scorecard(successes: ColumnLike, trials: ColumnLike, units: ColumnLike | None = None,
                   *, data: TableLike | None = None, higher_is_better: bool = True,
                   method: str = "mle", confidence: float = 0.95, n_draws: int = 2000,
                   seed: int | np.random.Generator | None = None) -> RateScorecard:
    """A fair scorecard of rates (FCR, SLA met, defects) with beta-binomial shrinkage.

    Parameters
    ----------
    successes : str or array of int
        Successes per unit (resolved at first contact, answered in time …).
    trials : str or array of int
        Trials per unit (tickets, calls), ≥ ``successes``; 0 is allowed (the unit gets the
        prior).
    units : str or array, optional
        Unit labels (agent, team, supplier); default ``u1`` … ``uk``.
    data : table, optional
        pandas / polars / pyarrow table or dict holding the named columns.
    higher_is_better : bool, default True
        Rank 1 is the highest estimate (False: the lowest, e.g. for a repeat-contact rate).
    method : {'mle', 'moments'}, default 'mle'
        How the prior's hyperparameters are estimated (see Notes).
    confidence : float, default 0.95
        Level of the credible and rank intervals.
    n_draws : int, default 2000
        Posterior draws for the rank intervals and ``p_best`` (0: none).
    seed : int or Generator, optional
        For the posterior draws.

    Returns
    -------
    RateScorecard
        ``.caterpillar()`` sorts it for a caterpillar plot, ``.plot()`` draws that.

    Raises
    ------
    InvalidParameterError, DataError
        Negative or non-integer counts, successes above trials, fewer than 2 units with
        trials, an overall rate of exactly 0 or 1, duplicate unit labels, a draw matrix
        over the memory cap.

    Notes
    -----
    Unit *i*'s successes are binomial with its own rate ``p_i``, and the ``p_i`` are drawn
    from ``Beta(alpha, beta)``. The hyperparameters maximise the beta-binomial marginal
    likelihood ``Π_i B(y_i + alpha, n_i − y_i + beta) / B(alpha, beta)`` (BFGS on
    ``log alpha, log beta`` with the analytic gradient, polished by Newton steps). When that
    fit fails, or with ``method='moments'``, the method-of-moments (ANOVA-type)
    estimate is used: ``mu = Σy / N``, the intra-unit correlation ``rho`` from
    ``S = Σ n_i (p_i − mu)²`` and ``alpha + beta = 1 / rho − 1``. When the rates vary no
    more than binomial chance allows (``rho ≤ 0``, or the likelihood keeps growing with
    ``alpha + beta``) every unit is put at the overall rate (``fit='pooled'``). The
    posterior of unit *i* is ``Beta(alpha + y_i, beta + n_i − y_i)``; its mean is the raw
    rate pulled towards ``mu`` with weight ``(alpha + beta) / (alpha + beta + n_i)``. The
    rank intervals treat the hyperparameters as known (empirical Bayes), so they are a
    little too narrow for few units.

    References
    ----------
    Efron, B. & Morris, C. (1975). Data analysis using Stein's estimator and its
    generalizations. *JASA* 70, 311–319. Kleinman, J. C. (1973). Proportions with
    extraneous variance. *JASA* 68, 90–93. Goldstein, H. & Spiegelhalter, D. J. (1996).
    League tables and their limitations. *JRSS A* 159(3), 385–443.

    Examples
    --------
    >>> from cxpath.kpi import rate_scorecard
    >>> card = rate_scorecard([5, 70, 150, 33, 160], [5, 100, 200, 50, 250],
    ...                       units=["new", "ann", "bob", "cy", "dee"], seed=1)
    >>> card.rank.tolist()
    [2, 3, 1, 4, 5]
    >>> round(float(card.estimate[0]), 3), float(card.rate[0])
    (0.703, 1.0)
    """
    func = "kpi.rate_scorecard"
    higher_is_better = v.check_bool(higher_is_better, "higher_is_better", func)
    v.check_option(method, "method", func, ("mle", "moments"))
    confidence = v.check_real(confidence, "confidence", func, low=0.0, high=1.0,
                              closed="neither")
    n_draws = v.check_int(n_draws, "n_draws", func, low=0)
    y, n = _counts(data, successes, trials, func)
    labels = _units(data, units, y.size, func)
    check_memory(float(n_draws) * y.size * 8.0 * 4, func,
                 f"{n_draws:,} posterior draws of {y.size:,} units",
                 how="Ask for fewer n_draws (0 for none).")
    rng = v.check_seed(seed, "seed", func)
    a, b, fit = _bb_fit(y, n, method, func)
    from scipy import stats

    pa, pb = a + y, b + n - y
    est = pa / (pa + pb)
    alpha = (1 - confidence) / 2
    lo, hi = stats.beta.ppf(alpha, pa, pb), stats.beta.ppf(1 - alpha, pa, pb)
    with np.errstate(divide="ignore", invalid="ignore"):
        raw = np.where(n > 0, y / np.where(n > 0, n, 1), np.nan)
    if n_draws:
        draws = rng.beta(pa, pb, size=(n_draws, y.size))
        r_lo, r_hi, p_best = _rank_draws(draws, higher_is_better, confidence)
    else:
        r_lo = r_hi = np.zeros(y.size, dtype=np.int64)
        p_best = np.full(y.size, np.nan)
    return RateScorecard(unit=labels, successes=y, trials=n, rate=raw, estimate=est,
                         ci_low=lo, ci_high=hi, rank=_ranks(est, higher_is_better),
                         rank_low=r_lo, rank_high=r_hi, p_best=p_best, alpha=float(a),
                         beta=float(b), centre=float(a / (a + b)), fit=fit,
                         higher_is_better=higher_is_better, confidence=confidence)


# ------------------------------------------------------------------ means

@result
@_drawn_by("caterpillar")
class MeanScorecard(Result):
    """Means per unit shrunk by a normal-normal empirical-Bayes model.

    Attributes
    ----------
    unit : ndarray of str
    n : ndarray of int
        Answers per unit.
    mean, sd : ndarray
        The unit's mean and standard deviation of the individual answers.
    se : ndarray
        ``sd / √n``.
    estimate : ndarray
        Posterior mean ``mu + (1 − B_i)(mean_i − mu)`` with ``B_i = se_i² / (se_i² + tau2)``.
    ci_low, ci_high : ndarray
        Normal credible interval.
    rank, rank_low, rank_high : ndarray of int
        Rank (1 = best), and its interval from posterior draws (0 when ``n_draws=0``).
    p_best : ndarray
        Posterior probability of rank 1.
    centre : float
        ``mu``, the precision-weighted overall mean.
    tau2 : float
        Between-unit variance.
    method : str
        ``'reml'`` or ``'dl'``.
    higher_is_better : bool
    confidence : float
    """

    unit: np.ndarray
    n: np.ndarray
    mean: np.ndarray
    sd: np.ndarray
    se: np.ndarray
    estimate: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    rank: np.ndarray
    rank_low: np.ndarray
    rank_high: np.ndarray
    p_best: np.ndarray
    centre: float
    tau2: float
    method: str
    higher_is_better: bool
    confidence: float

    def caterpillar(self) -> Caterpillar:
        """The units sorted by rank with their intervals (for a caterpillar plot)."""
        return _caterpillar(self, self.mean, self.n.astype(np.float64), "mean")

    def _summary(self):
        return [f"normal-normal model by {self.method}: centre {self.centre:.4g}, "
                f"between-unit SD {math.sqrt(self.tau2):.4g}; {self.confidence:.0%} "
                f"intervals; rank 1 = {'highest' if self.higher_is_better else 'lowest'}"]

    def _columns(self):
        return {"unit": self.unit, "n": self.n, "mean": self.mean, "sd": self.sd,
                "se": self.se, "estimate": self.estimate, "ci_low": self.ci_low,
                "ci_high": self.ci_high, "rank": self.rank, "rank_low": self.rank_low,
                "rank_high": self.rank_high, "p_best": self.p_best}


def _tau2_dl(y, var):
    w = 1.0 / var
    mu = (w * y).sum() / w.sum()
    q = (w * (y - mu) ** 2).sum()
    c = w.sum() - (w * w).sum() / w.sum()
    return max(0.0, (q - (y.size - 1)) / c) if c > 0 else 0.0


def _reml_objective(tau2, y, var):
    """Negative restricted log-likelihood of the random-effects model (up to a constant)."""
    w = 1.0 / (var + tau2)
    mu = (w * y).sum() / w.sum()
    return 0.5 * (np.log(var + tau2).sum() + math.log(w.sum()) + (w * (y - mu) ** 2).sum())


def _tau2_reml(y, var):
    """REML between-unit variance: the fixed-point iteration ``tau2 = Σ w² ((y − mu)² − v) /
    Σ w² + 1 / Σ w`` (Viechtbauer 2005) from the DL value, then a bounded search and 0 as
    checks (the largest restricted likelihood wins)."""
    from scipy import optimize

    tau2 = _tau2_dl(y, var)
    for _ in range(500):
        w = 1.0 / (var + tau2)
        mu = (w * y).sum() / w.sum()
        new = max(0.0, (w * w * ((y - mu) ** 2 - var)).sum() / (w * w).sum() + 1.0 / w.sum())
        if abs(new - tau2) <= 1e-12 * max(1.0, tau2):
            tau2 = new
            break
        tau2 = new
    upper = max(float(np.var(y)) * 10 + float(var.max()), 1e-12)
    res = optimize.minimize_scalar(_reml_objective, bounds=(0.0, upper), args=(y, var),
                                   method="bounded", options={"xatol": 1e-12 * upper})
    best = min((tau2, float(res.x), 0.0), key=lambda t: _reml_objective(t, y, var))
    return best


def mean_scorecard(means: ColumnLike, sds: ColumnLike, n: ColumnLike,
                   units: ColumnLike | None = None, *, data: TableLike | None = None,
                   higher_is_better: bool = True, method: str = "reml",
                   confidence: float = 0.95, n_draws: int = 2000,
                   seed: int | np.random.Generator | None = None) -> MeanScorecard:
    """A fair scorecard of means (CSAT, AHT, quality scores) with normal-normal shrinkage.

    Parameters
    ----------
    means : str or array
        Mean score per unit.
    sds : str or array
        Standard deviation of the individual scores per unit (> 0).
    n : str or array of int
        Number of scores per unit (≥ 1).
    units : str or array, optional
        Unit labels; default ``u1`` … ``uk``.
    data : table, optional
        pandas / polars / pyarrow table or dict holding the named columns.
    higher_is_better : bool, default True
        Rank 1 is the highest estimate (False for handle time and other costs).
    method : {'reml', 'dl'}, default 'reml'
        Estimator of the between-unit variance ``tau2``: restricted maximum likelihood
        (Fisher scoring, checked by a bounded search) or DerSimonian–Laird's moment
        estimator.
    confidence : float, default 0.95
    n_draws : int, default 2000
        Posterior draws for the rank intervals (0: none).
    seed : int or Generator, optional

    Returns
    -------
    MeanScorecard

    Raises
    ------
    InvalidParameterError, DataError
        NaN or infinite values, ``sds ≤ 0``, ``n < 1``, arrays of different lengths, fewer
        than 2 units, duplicate labels.

    Notes
    -----
    ``mean_i ~ N(theta_i, se_i²)`` with ``se_i = sd_i / √n_i`` and ``theta_i ~ N(mu, tau2)``.
    Given ``tau2``, ``mu`` is the weighted mean with weights ``1 / (se_i² + tau2)``, the
    posterior mean of unit *i* is ``mu + (1 − B_i)(mean_i − mu)`` and its variance
    ``(1 − B_i) se_i² + B_i² / Σ_j w_j`` (the second term carries the uncertainty of
    ``mu``), with ``B_i = se_i² / (se_i² + tau2)``. ``tau2 = 0`` puts every unit at ``mu``.
    The normal model for a mean needs enough answers per unit for the central limit
    theorem; for 1–5 point scales with a handful of answers read the intervals as rough.

    References
    ----------
    DerSimonian, R. & Laird, N. (1986). Meta-analysis in clinical trials. *Controlled
    Clinical Trials* 7, 177–188. Viechtbauer, W. (2005). Bias and efficiency of
    meta-analytic variance estimators in the random-effects model. *J. Educational and
    Behavioral Statistics* 30(3), 261–293. Morris, C. N. (1983). Parametric empirical Bayes
    inference. *JASA* 78, 47–55.

    Examples
    --------
    >>> from cxpath.kpi import mean_scorecard
    >>> card = mean_scorecard([4.9, 4.4, 4.5, 4.3], [0.9, 0.8, 0.7, 0.9], [3, 120, 80, 95],
    ...                       units=["new", "ann", "bob", "cy"], seed=1)
    >>> card.rank.tolist(), round(float(card.estimate[0]), 2)
    ([2, 3, 1, 4], 4.42)
    """
    func = "kpi.mean_scorecard"
    higher_is_better = v.check_bool(higher_is_better, "higher_is_better", func)
    v.check_option(method, "method", func, ("reml", "dl"))
    confidence = v.check_real(confidence, "confidence", func, low=0.0, high=1.0,
                              closed="neither")
    n_draws = v.check_int(n_draws, "n_draws", func, low=0)
    y = v.as_float_array(column(data, means, "means", func), "means", func)
    s = v.as_float_array(column(data, sds, "sds", func), "sds", func, low=0.0, closed="neither")
    cnt = v.as_int_array(column(data, n, "n", func), "n", func, low=1)
    v.check_same_length(func, means=y, sds=s, n=cnt)
    if y.size < 2:
        v.fail("means", func, "at least 2 units", got=f"{y.size}", data=True)
    labels = _units(data, units, y.size, func)
    check_memory(float(n_draws) * y.size * 8.0 * 4, func,
                 f"{n_draws:,} posterior draws of {y.size:,} units",
                 how="Ask for fewer n_draws (0 for none).")
    rng = v.check_seed(seed, "seed", func)
    var = s * s / cnt
    tau2 = _tau2_reml(y, var) if method == "reml" else _tau2_dl(y, var)
    w = 1.0 / (var + tau2)
    mu = float((w * y).sum() / w.sum())
    shrink = var / (var + tau2) if tau2 > 0 else np.ones_like(var)
    est = mu + (1 - shrink) * (y - mu)
    post_var = (1 - shrink) * var + shrink ** 2 / w.sum()
    from scipy import stats

    z = float(stats.norm.ppf(0.5 + confidence / 2))
    sd_post = np.sqrt(post_var)
    if n_draws:
        draws = est + sd_post * rng.standard_normal((n_draws, y.size))
        r_lo, r_hi, p_best = _rank_draws(draws, higher_is_better, confidence)
    else:
        r_lo = r_hi = np.zeros(y.size, dtype=np.int64)
        p_best = np.full(y.size, np.nan)
    return MeanScorecard(unit=labels, n=cnt, mean=y, sd=s, se=np.sqrt(var), estimate=est,
                         ci_low=est - z * sd_post, ci_high=est + z * sd_post,
                         rank=_ranks(est, higher_is_better), rank_low=r_lo, rank_high=r_hi,
                         p_best=p_best, centre=mu, tau2=float(tau2), method=method,
                         higher_is_better=higher_is_better, confidence=confidence)


# ------------------------------------------------------------------ funnel

def _level_name(level: float) -> str:
    return f"{level * 100:g}"


@result
@_drawn_by("funnel_chart")
class FunnelChart(Result):
    """A funnel plot's data: each unit's rate against its volume, with control limits.

    Attributes
    ----------
    unit : ndarray of str
    successes, trials : ndarray of int
    rate : ndarray
    z : ndarray
        ``(rate − target) / sd(trials)``, with the overdispersion adjustment if any.
    flag : ndarray of str
        ``'within'``, or ``'high'`` / ``'low'`` with the widest level crossed
        (``'high 99.8'``). Exact limits flag by the binomial tail probability
        (``P(Y ≥ y) < (1 − level) / 2`` is high), which is what the interpolated limits
        smooth; normal limits flag a rate beyond them.
    target : float
        Centre line (the overall rate unless given).
    levels : tuple of float
        Coverage of each pair of limits (0.95, 0.998).
    method : str
        ``'exact'`` (binomial) or ``'normal'``.
    interpolate : bool
        Exact limits interpolated between the integers (Spiegelhalter 2005, A.1.1).
    overdispersion : str or None
        ``'multiplicative'``, ``'additive'`` or None.
    phi : float
        Overdispersion factor from the winsorised z-scores (1 without adjustment).
    tau2 : float
        Additive between-unit variance (0 unless ``'additive'``).
    lower, upper : ndarray, shape (levels, units)
        Limits at each unit's volume.
    volume : ndarray
        Volumes of the limit curves.
    curve_lower, curve_upper : ndarray, shape (levels, volume)
        The limit curves.
    """

    unit: np.ndarray
    successes: np.ndarray
    trials: np.ndarray
    rate: np.ndarray
    z: np.ndarray
    flag: np.ndarray
    target: float
    levels: tuple
    method: str
    interpolate: bool
    overdispersion: str | None
    phi: float
    tau2: float
    lower: np.ndarray
    upper: np.ndarray
    volume: np.ndarray
    curve_lower: np.ndarray
    curve_upper: np.ndarray

    _derived = derived_columns({
        "lower_{level}": "the lower limit of that level (in %) at the unit's volume "
                         "(a row of ``lower``)",
        "upper_{level}": "the upper limit of that level (in %) at the unit's volume "
                         "(a row of ``upper``)"})

    def _summary(self):
        adj = "" if self.overdispersion is None else \
            f"; {self.overdispersion} overdispersion phi = {self.phi:.3g}" + \
            (f", tau2 = {self.tau2:.3g}" if self.overdispersion == "additive" else "")
        levels = ", ".join(f"{x:.1%}" for x in self.levels)
        n_out = int((self.flag != "within").sum())
        return [f"target {self.target:.4g}; {self.method} limits at {levels}{adj}; "
                f"{n_out} unit(s) outside"]

    def _columns(self):
        cols = {"unit": self.unit, "successes": self.successes, "trials": self.trials,
                "rate": self.rate, "z": self.z}
        for i, lev in enumerate(self.levels):
            cols[f"lower_{_level_name(lev)}"] = self.lower[i]
            cols[f"upper_{_level_name(lev)}"] = self.upper[i]
        cols["flag"] = self.flag
        return cols


def _exact_limits(p: float, n: np.ndarray, theta: float, interpolate: bool) -> np.ndarray:
    """The ``p`` quantile of Binomial(n, theta) / n, interpolated as Spiegelhalter (2005)."""
    from scipy import stats

    r = stats.binom.ppf(p, n, theta)
    if not interpolate:
        return r / n
    f_r = stats.binom.cdf(r, n, theta)
    f_r1 = stats.binom.cdf(r - 1, n, theta)
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(f_r > f_r1, (f_r - p) / (f_r - f_r1), 0.0)
    return np.clip((r - a) / n, 0.0, 1.0)


def funnel_chart(successes: ColumnLike, trials: ColumnLike, units: ColumnLike | None = None, *,
                 data: TableLike | None = None, target: float | None = None,
                 levels: Sequence[float] = (0.95, 0.998), method: str = "exact",
                 interpolate: bool = True, overdispersion: str | None = None,
                 n_points: int = 200) -> FunnelChart:
    """Funnel plot data for rates: control limits by volume around the overall rate.

    Parameters
    ----------
    successes, trials : str or array of int
        Per unit (``trials ≥ 1``).
    units : str or array, optional
        Unit labels; default ``u1`` … ``uk``.
    data : table, optional
        pandas / polars / pyarrow table or dict holding the named columns.
    target : float, optional
        Centre line in (0, 1); default the overall rate ``Σ successes / Σ trials``.
    levels : sequence of float, default (0.95, 0.998)
        Two-sided coverage of each pair of limits (about 2 and 3 standard deviations).
    method : {'exact', 'normal'}, default 'exact'
        Binomial quantiles, or ``target ± z √(target (1 − target) / n)``.
    interpolate : bool, default True
        For ``'exact'``: interpolate between the integer quantiles so that the limits are
        smooth in *n* (Spiegelhalter 2005, appendix A.1.1); False gives the plain quantile
        ``binom.ppf(p, n, target) / n``.
    overdispersion : {None, 'multiplicative', 'additive'}, default None
        Widen normal limits for more spread than binomial chance (``method='normal'``
        only): by ``√phi``, or by a between-unit variance ``tau2`` (see Notes).
    n_points : int, default 200
        Points of the limit curves (volumes from 1 to the largest trials, geometric).

    Returns
    -------
    FunnelChart
        ``.plot()`` draws the funnel.

    Raises
    ------
    InvalidParameterError, DataError
        Bad counts, ``trials`` of 0, a target outside (0, 1), levels outside (0, 1),
        overdispersion with ``method='exact'``.

    Notes
    -----
    The z-score of unit *i* is ``(y_i / n_i − target) / √(target (1 − target) / n_i)``.
    With overdispersion the z-scores are winsorised at their 10 % and 90 % points and
    ``phi = Σ z² / k``. Multiplicative: the variance is ``phi · target (1 − target) / n``
    (``phi`` below 1 is taken as 1). Additive: ``tau2 = (k phi − (k − 1)) / (Σ w_i −
    Σ w_i² / Σ w_i)`` with ``w_i = 1 / s_i²`` (0 if negative), and the variance is
    ``s² + tau2`` (Spiegelhalter 2005b).

    References
    ----------
    Spiegelhalter, D. J. (2005). Funnel plots for comparing institutional performance.
    *Statistics in Medicine* 24, 1185–1202. Spiegelhalter, D. J. (2005b). Handling
    over-dispersion of performance indicators. *Quality and Safety in Health Care* 14,
    347–351.

    Examples
    --------
    >>> from cxpath.kpi import funnel_chart
    >>> f = funnel_chart([5, 70, 150, 33, 140], [5, 100, 200, 50, 250],
    ...                  units=["new", "ann", "bob", "cy", "dee"])
    >>> f.flag.tolist()
    ['within', 'within', 'high 95', 'within', 'low 99.8']
    """
    func = "kpi.funnel_chart"
    v.check_option(method, "method", func, ("exact", "normal"))
    interpolate = v.check_bool(interpolate, "interpolate", func)
    v.check_option(overdispersion, "overdispersion", func, (None, "multiplicative", "additive"))
    if overdispersion is not None and method == "exact":
        v.fail("overdispersion", func, "None with method='exact' (the adjustment widens "
               "normal limits; use method='normal')", overdispersion)
    n_points = v.check_int(n_points, "n_points", func, low=2, high=100_000)
    if isinstance(levels, (int, float, np.number)) and not isinstance(levels, bool):
        levels = (levels,)
    lev = v.as_float_array(levels, "levels", func, low=0.0, high=1.0, closed="neither")
    lev = tuple(sorted(set(lev.tolist())))
    y, n = _counts(data, successes, trials, func)
    if (n < 1).any():
        i = int(np.argmax(n < 1))
        v.fail("trials", func, "at least 1 for every unit of a funnel plot",
               got=f"0 at position {i}", data=True)
    labels = _units(data, units, y.size, func)
    if target is None:
        theta = float(y.sum() / n.sum())
        if not 0 < theta < 1:
            v.fail("successes", func, "not all 0 nor all equal to the trials (or give "
                   "'target')", got=f"an overall rate of {theta:g}", data=True)
    else:
        theta = v.check_real(target, "target", func, low=0.0, high=1.0, closed="neither")
    from scipy import stats

    rate = y / n
    s2 = theta * (1 - theta) / n
    z0 = (rate - theta) / np.sqrt(s2)
    phi, tau2 = 1.0, 0.0
    if overdispersion is not None:
        lo_z, hi_z = np.quantile(z0, [0.1, 0.9])
        zw = np.clip(z0, lo_z, hi_z)
        phi_hat = float((zw * zw).mean())
        k = y.size
        if overdispersion == "multiplicative":
            phi = max(phi_hat, 1.0)
        else:
            phi = phi_hat
            w = 1.0 / s2
            denom = w.sum() - (w * w).sum() / w.sum()
            tau2 = max(0.0, (k * phi_hat - (k - 1)) / denom) if denom > 0 else 0.0
    volume = np.unique(np.round(np.geomspace(1, max(int(n.max()), 2), n_points)))

    def limits(m):
        m = np.asarray(m, dtype=np.float64)
        lows, highs = [], []
        for level in lev:
            p_lo, p_hi = (1 - level) / 2, 1 - (1 - level) / 2
            if method == "exact":
                lows.append(_exact_limits(p_lo, m, theta, interpolate))
                highs.append(_exact_limits(p_hi, m, theta, interpolate))
            else:
                var = theta * (1 - theta) / m
                var = var * phi if overdispersion == "multiplicative" else var + tau2
                half = stats.norm.ppf(p_hi) * np.sqrt(var)
                lows.append(np.clip(theta - half, 0.0, 1.0))
                highs.append(np.clip(theta + half, 0.0, 1.0))
        return np.array(lows), np.array(highs)

    lower, upper = limits(n)
    c_lo, c_hi = limits(volume)
    if overdispersion == "multiplicative":
        z = z0 / math.sqrt(phi)
    elif overdispersion == "additive":
        z = (rate - theta) / np.sqrt(s2 + tau2)
    else:
        z = z0
    flag = np.array(["within"] * y.size, dtype=object)
    if method == "exact":  # tail probabilities, so a 5 out of 5 is not 'outside' by rounding
        p_high = stats.binom.sf(y - 1, n, theta)
        p_low = stats.binom.cdf(y, n, theta)
    for i, level in enumerate(lev):  # ascending, so the widest level crossed wins
        name = _level_name(level)
        if method == "exact":
            tail = (1 - level) / 2
            high, low = p_high < tail, p_low < tail
        else:
            high, low = rate > upper[i], rate < lower[i]
        flag[high] = f"high {name}"
        flag[low] = f"low {name}"
    return FunnelChart(unit=labels, successes=y, trials=n, rate=rate, z=z, flag=flag,
                       target=theta, levels=lev, method=method, interpolate=interpolate,
                       overdispersion=overdispersion, phi=phi, tau2=tau2, lower=lower,
                       upper=upper, volume=volume, curve_lower=c_lo, curve_upper=c_hi)
