"""Median ranks with Johnson's adjustment for censoring, rank regression, probability plots.

Plotting positions follow the practice of Weibull analysis (Abernethy, *The New Weibull
Handbook*, ch. 2; the ``reliability`` package's ``plotting_positions``): units are sorted by
time, failures before suspensions at equal times; each failure's adjusted rank is

    i_k = i_{k−1} + (n + 1 − i_{k−1}) / (1 + reverse rank),

(Johnson's rank adjustment; the reverse rank counts the units still at or after that time)
and its median rank is Benard's approximation ``F = (i − a) / (n + 1 − 2a)`` with
``a = 0.3``. Rank regression fits the line of the probability plot by least squares: of
``x = ln t`` on ``y`` (RRX, "X on Y", time regressed on probability) or of ``y`` on ``x``
(RRY), as the ``reliability`` package defines them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _validate as v
from .._lazy import lazy_module
from .._results import Result, drawn_by, result
from ._models import Family, family
from .data import LifeData, as_life_data

optimize = lazy_module("scipy.optimize")

if TYPE_CHECKING:
    from .fitting import LifeFit

__all__ = ["PlottingPositions", "ProbabilityPlot", "plotting_positions", "probability_plot"]


def _johnson(data: LifeData, a: float, func: str) -> tuple[np.ndarray, np.ndarray]:
    """Failure times (one per failed unit, sorted) and their adjusted ranks."""
    if not data.exact_or_right:
        v.fail("data", func, "exact failures and right-censored units only (ranks are not "
               "defined for left- or interval-censored units; fit those by maximum "
               "likelihood)", data=True,
               got=f"{data.n_left:g} left- and {data.n_interval:g} interval-censored units")
    w = data.count
    if np.any(w != np.round(w)):
        i = int(np.argmax(w != np.round(w)))
        v.fail("data", func, "whole unit counts for ranks", data=True,
               got=f"count {w[i]:g} at row {i}")
    code = data.kind_code
    t = data.lower
    order = np.lexsort((code, t))  # by time, failures (0) before suspensions (1)
    t, code, w = t[order], code[order], w[order].astype(np.int64)
    n = int(w.sum())
    before = np.concatenate([[0], np.cumsum(w)[:-1]])
    rev_first = n - before  # reverse rank of the row's first unit
    fail_rows = code == 0
    cf = w[fail_rows]
    total = int(cf.sum())
    if total == 0:
        v.fail("data", func, "life data with at least one failure", data=True,
               got=f"{data.n_right:g} right-censored units and no failure")
    within = np.arange(total) - np.repeat(np.concatenate([[0], np.cumsum(cf)[:-1]]), cf)
    rev = np.repeat(rev_first[fail_rows], cf) - within
    log_keep = np.cumsum(np.log(rev) - np.log1p(rev))
    ranks = (n + 1) * -np.expm1(log_keep)
    return np.repeat(t[fail_rows], cf), ranks


@drawn_by("plotting_positions")
@result
class PlottingPositions(Result):
    """Median-rank plotting positions of the failures (one row per failed unit).

    Attributes
    ----------
    time : ndarray of float
        Failure times, sorted.
    adjusted_rank : ndarray of float
        Johnson's adjusted rank (the plain order number without censoring).
    probability : ndarray of float
        Benard's median rank ``(adjusted_rank − a) / (n + 1 − 2a)``: the empirical CDF.
    n_units : float
    a : float
        The heuristic constant (0.3 for Benard's median ranks, 0.5 for Hazen, 0 for mean
        ranks ``i / (n + 1)``).
    """

    time: np.ndarray
    adjusted_rank: np.ndarray
    probability: np.ndarray
    n_units: float
    a: float

    def _title(self) -> str:
        return "Plotting positions"

    def _summary(self) -> list[str]:
        return [f"{self.time.size} failures of {self.n_units:g} units; "
                f"F = (i − {self.a:g}) / (n + {1 - 2 * self.a:g})"]

    def _columns(self) -> dict:
        return {"time": self.time, "adjusted_rank": self.adjusted_rank,
                "probability": self.probability}


def plotting_positions(data: Any, *, a: float = 0.3) -> PlottingPositions:
    """Median-rank plotting positions with Johnson's adjustment for right-censored units.

    Parameters
    ----------
    data : LifeData or array-like of float
        Exact failures and right-censored units (an array: failure times only).
    a : float, default 0.3
        Heuristic constant of ``(i − a) / (n + 1 − 2a)``: 0.3 is Benard's approximation
        of the median rank.

    Returns
    -------
    PlottingPositions

    Raises
    ------
    DataError
        If there is no failure, a unit is left- or interval-censored, or a count is not
        whole.

    References
    ----------
    Abernethy, R. B. (2006). *The New Weibull Handbook*, 5th ed., §2.11 and §2.15
    (Johnson's adjusted ranks; Benard's median ranks).

    Examples
    --------
    >>> from cxpath.reliability import LifeData, plotting_positions
    >>> d = LifeData.from_times([10, 20, 30, 40], failed=[True, False, True, True])
    >>> pp = plotting_positions(d)
    >>> pp.adjusted_rank.round(4).tolist()
    [1.0, 2.3333, 3.6667]
    >>> pp.probability.round(4).tolist()
    [0.1591, 0.4621, 0.7652]
    """
    func = "reliability.plotting_positions"
    data = as_life_data(data, func)
    a = v.check_real(a, "a", func, low=0.0, high=1.0, closed="left")
    t, ranks = _johnson(data, a, func)
    n = data.n_units
    return PlottingPositions(t, ranks, (ranks - a) / (n + 1 - 2 * a), n, a)


def _ls(x, y, how: str, *, through_origin: bool = False) -> tuple[float, float]:
    """Slope and intercept of ``y = m x + c`` by least squares of y on x ('rry') or of x on
    y ('rrx')."""
    if through_origin:
        if how == "rry":
            return float(np.dot(x, y) / np.dot(x, x)), 0.0
        return float(np.dot(y, y) / np.dot(x, y)), 0.0
    xm, ym = x.mean(), y.mean()
    sxy = float(np.dot(x - xm, y - ym))
    if how == "rry":
        m = sxy / float(np.dot(x - xm, x - xm))
        return m, float(ym - m * xm)
    mx = sxy / float(np.dot(y - ym, y - ym))  # x = mx * y + cx
    m = 1.0 / mx
    return m, float(-(xm - mx * ym) * m)


def _r2(x, y) -> float:
    c = np.corrcoef(x, y)[0, 1]
    return float(c * c)


def rank_fit(fam: Family, t: np.ndarray, F: np.ndarray, how: str, bound: float) -> np.ndarray:
    """Parameters of ``fam`` from the probability-plot line through ``(t, F)``.

    The 3-parameter Weibull takes the location that makes the plot straightest (largest
    R² of the linear fit on ``ln(t − gamma)``, Abernethy §2.9); the 2-parameter
    exponential takes it from the intercept of ``−ln(1 − F)`` on ``t`` (clipped to
    ``[0, first failure]``).
    """
    y = fam.plot_y(F)
    if fam.name == "exponential":
        m, _ = _ls(t, y, how, through_origin=True)
        return fam.from_line(m, 0.0)
    if fam.name == "exponential_2p":
        m, c = _ls(t, y, how)
        gamma = min(max(-c / m, 0.0), bound)
        m, _ = _ls(t - gamma, y, how, through_origin=True)
        return fam.from_line(m, 0.0, gamma)
    if fam.name == "weibull_3p":
        top = bound * (1 - 1e-9)

        def bad(g):
            return 1.0 - _r2(np.log(t - g), y)

        res = optimize.minimize_scalar(bad, bounds=(0.0, top), method="bounded",
                                       options={"xatol": 1e-10 * max(bound, 1e-300)})
        gamma = float(res.x) if res.fun < bad(0.0) else 0.0
        m, c = _ls(np.log(t - gamma), y, how)
        return fam.from_line(m, c, gamma)
    m, c = _ls(np.log(t), y, how)
    return fam.from_line(m, c)


@drawn_by("probability_plot")
@result
class ProbabilityPlot(Result):
    """The coordinates of a probability plot: points, fitted line and its confidence band.

    The axes are linearised so that the fitted distribution is a straight line: ``x`` is
    ``x_label`` of the time, ``y`` is ``y_label`` of the failure probability. The table has
    one row per failed unit; the ``line_*`` arrays hold the fitted line (and the
    Fisher-matrix bounds on time at each of its probabilities).

    Attributes
    ----------
    distribution : str
    time, probability : ndarray of float
        Failure times and their median ranks (:func:`plotting_positions`).
    x, y : ndarray of float
        The same points on the linearised axes.
    line_probability, line_time, line_lower, line_upper : ndarray of float
        The fitted CDF as times at probabilities, with the bounds on time.
    line_x, line_y : ndarray of float
        The fitted line on the linearised axes.
    x_label, y_label : str
    level : float
    """

    distribution: str
    time: np.ndarray
    probability: np.ndarray
    x: np.ndarray
    y: np.ndarray
    line_probability: np.ndarray
    line_time: np.ndarray
    line_lower: np.ndarray
    line_upper: np.ndarray
    line_x: np.ndarray
    line_y: np.ndarray
    x_label: str
    y_label: str
    level: float

    def _title(self) -> str:
        return f"Probability plot ({self.distribution})"

    def _summary(self) -> list[str]:
        return [f"x = {self.x_label}, y = {self.y_label}; band: {self.level:.0%} bounds "
                "on time"]

    def _columns(self) -> dict:
        return {"time": self.time, "probability": self.probability, "x": self.x,
                "y": self.y}


def probability_plot(fit: LifeFit, *, a: float = 0.3, points: int = 100) -> ProbabilityPlot:
    """Probability-plot coordinates of a fitted distribution and its data.

    Parameters
    ----------
    fit : LifeFit
        A fit from :func:`cxpath.reliability.fit` on exact and right-censored data.
    a : float, default 0.3
        Plotting-position constant (Benard).
    points : int, default 100
        Points of the fitted line, spread evenly on the probability axis between the
        0.1 % and 99.9 % quantiles (or the range of the data if wider).

    Returns
    -------
    ProbabilityPlot

    Examples
    --------
    >>> from cxpath.reliability import fit, probability_plot
    >>> pp = probability_plot(fit([16, 34, 53, 75, 93, 120], "weibull"))
    >>> pp.x_label, pp.y_label, pp.x.size
    ('ln(t)', 'ln(−ln(1 − F))', 6)
    """
    from .fitting import LifeFit

    func = "reliability.probability_plot"
    if not isinstance(fit, LifeFit):
        v.fail("fit", func, "a LifeFit (from reliability.fit)", fit, wrong_type=True)
    points = v.check_int(points, "points", func, low=2, high=100_000)
    pos = plotting_positions(fit.data, a=a)
    fam = family(fit.distribution, func)
    th = fit.estimate
    F = pos.probability
    lo_p = min(1e-3, float(F.min()) / 2)
    hi_p = max(1 - 1e-3, 1 - (1 - float(F.max())) / 2)
    ylo, yhi = fam.plot_y(np.array([lo_p, hi_p]))
    grid_y = np.linspace(ylo, yhi, points)
    grid_p = _inverse_y(fam, grid_y)
    bl = fit.b_lives(grid_p * 100)
    line_t = bl.life
    return ProbabilityPlot(fit.distribution, pos.time, F, fam.plot_x(pos.time, th),
                           fam.plot_y(F), grid_p, line_t, bl.lower, bl.upper,
                           fam.plot_x(line_t, th), grid_y, fam.x_label, fam.y_label,
                           fit.level)


def _inverse_y(fam: Family, y: np.ndarray) -> np.ndarray:
    from scipy import special

    if fam.name.startswith("exponential"):
        return -np.expm1(-y)
    if fam.link == "probit":
        return special.ndtr(y)
    if fam.link == "logit":
        return 1.0 / (1.0 + np.exp(-y))
    return -np.expm1(-np.exp(y))
