"""Pictures of life data: probability plots, plotting positions and fitted lifetimes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _validate as v
from ._common import check_result, get_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..reliability import LifeFit, PlottingPositions, ProbabilityPlot

__all__ = ["life_fit", "plotting_positions", "probability_plot"]

_CURVES = ("reliability", "cdf", "hazard", "pdf")


def probability_plot(result: ProbabilityPlot, ax: Axes | None = None, **style: Any) -> Axes:
    """The probability plot: the failures on the linearised axes, the fitted straight line
    and its confidence band.

    Parameters
    ----------
    result : ProbabilityPlot
        From :func:`cxpath.reliability.probability_plot`.
    ax : matplotlib Axes, optional
    **style
        Passed to :meth:`~matplotlib.axes.Axes.scatter` for the points.

    Returns
    -------
    matplotlib.axes.Axes
        Axes in the linearised coordinates (``x_label``, ``y_label``), in which the
        fitted distribution is the straight line.

    Raises
    ------
    InvalidParameterError
        If ``result`` is not a ProbabilityPlot or ``ax`` is not an Axes.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from cxpath.reliability import LifeData, fit, probability_plot
    >>> f = fit(LifeData.from_times([16, 34, 53, 75, 93, 120], failed=[1] * 6), "weibull")
    >>> ax = probability_plot(f).plot()
    >>> ax.get_xlabel()
    'ln(t)'
    """
    from ..reliability import ProbabilityPlot

    func = "probability_plot"
    check_result(result, ProbabilityPlot, func, "a ProbabilityPlot "
                 "(reliability.probability_plot)")
    ax = get_axes(ax, func)
    band = np.isfinite(result.line_lower) & np.isfinite(result.line_upper)
    ax.plot(result.line_x, result.line_y, color="C0", lw=1.5, label="fit")
    if band.any():
        lx = _linear_x(result, result.line_lower[band])
        ux = _linear_x(result, result.line_upper[band])
        ax.fill_betweenx(result.line_y[band], lx, ux, color="C0", alpha=0.15,
                         label=f"{result.level:.0%} bounds")
    ax.scatter(result.x, result.y, **{"color": "C1", "s": 18, "zorder": 3,
                                      "label": "failures", **style})
    ax.set_xlabel(result.x_label)
    ax.set_ylabel(result.y_label)
    ax.set_title(f"Probability plot ({result.distribution})")
    ax.legend(loc="upper left", frameon=False)
    return ax


def _linear_x(result, times):
    """Times mapped onto the plot's x axis (``ln(t − γ)`` or ``t − γ``), with the location
    γ read off the fitted line itself."""
    t0, x0 = float(result.line_time[0]), float(result.line_x[0])
    with np.errstate(divide="ignore", invalid="ignore"):
        if result.x_label.startswith("ln"):
            shifted = times - (t0 - np.exp(x0))
            return np.log(np.where(shifted > 0, shifted, np.nan))
        return times - (t0 - x0)


def plotting_positions(result: PlottingPositions, ax: Axes | None = None,
                       **style: Any) -> Axes:
    """The empirical unreliability: each failure at its median rank.

    Parameters
    ----------
    result : PlottingPositions
        From :func:`cxpath.reliability.plotting_positions`.
    ax : matplotlib Axes, optional
    **style
        Passed to :meth:`~matplotlib.axes.Axes.step`.

    Returns
    -------
    matplotlib.axes.Axes
        Time on x, the median-rank unreliability F(t) on y (0–1).

    Raises
    ------
    InvalidParameterError
        If ``result`` is not a PlottingPositions or ``ax`` is not an Axes.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from cxpath.reliability import plotting_positions
    >>> ax = plotting_positions([16, 34, 53, 75]).plot()
    >>> ax.get_ylabel()
    'unreliability F(t) (median rank)'
    """
    from ..reliability import PlottingPositions

    func = "plotting_positions"
    check_result(result, PlottingPositions, func, "a PlottingPositions "
                 "(reliability.plotting_positions)")
    ax = get_axes(ax, func)
    ax.step(result.time, result.probability, where="post", **{"color": "C0", **style})
    ax.plot(result.time, result.probability, "o", color="C0", ms=4)
    ax.set_ylim(0.0, 1.0)
    ax.set_xlabel("time")
    ax.set_ylabel("unreliability F(t) (median rank)")
    ax.set_title(f"Plotting positions ({result.time.size} failures of "
                 f"{result.n_units:g} units)")
    return ax


def life_fit(result: LifeFit, ax: Axes | None = None, *, curve: str = "reliability",
             bounds: bool = True, points: int = 200, **style: Any) -> Axes:
    """A fitted lifetime: reliability, unreliability, hazard or density over time.

    Parameters
    ----------
    result : LifeFit
        From :func:`cxpath.reliability.fit`.
    ax : matplotlib Axes, optional
    curve : {'reliability', 'cdf', 'hazard', 'pdf'}, default 'reliability'
    bounds : bool, default True
        Shade the Fisher-matrix bounds of the reliability (``reliability`` and ``cdf``).
    points : int, default 200
        Points of the curve, from 0 to the fit's 99.9 % quantile (or the largest time).
    **style
        Passed to :meth:`~matplotlib.axes.Axes.plot`.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    InvalidParameterError
        Unknown ``curve``, ``points`` below 10, ``result`` not a LifeFit.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from cxpath.reliability import LifeData, fit
    >>> f = fit(LifeData.from_times([16, 34, 53, 75, 93, 120], failed=[1] * 6), "weibull")
    >>> f.plot(curve="hazard").get_ylabel()
    'hazard h(t)'
    """
    from ..reliability import LifeFit

    func = "life_fit"
    check_result(result, LifeFit, func, "a LifeFit (reliability.fit)")
    curve = v.check_option(curve, "curve", f"plot.{func}", _CURVES)
    bounds = v.check_bool(bounds, "bounds", f"plot.{func}")
    points = v.check_int(points, "points", f"plot.{func}", low=10, high=100_000)
    ax = get_axes(ax, func)
    top = float(result.quantile(0.999))
    times = np.asarray(result.data.upper if hasattr(result.data, "upper") else [])
    finite = times[np.isfinite(times)] if times.size else times
    if finite.size:
        top = max(top, float(finite.max()))
    t = np.linspace(0.0, top, points)[1:]
    y = {"reliability": result.reliability, "cdf": result.cdf, "hazard": result.hazard,
         "pdf": result.pdf}[curve](t)
    ax.plot(t, y, **{"color": "C0", **style})
    if bounds and curve in ("reliability", "cdf"):
        rb = result.reliability_bounds(t)
        lo, hi = np.asarray(rb.lower, float), np.asarray(rb.upper, float)
        if curve == "cdf":
            lo, hi = 1.0 - hi, 1.0 - lo
        ok = np.isfinite(lo) & np.isfinite(hi)
        if ok.any():
            ax.fill_between(t[ok], lo[ok], hi[ok], color="C0", alpha=0.15,
                            label=f"{result.level:.0%} bounds")
            ax.legend(loc="best", frameon=False)
    labels = {"reliability": "reliability R(t)", "cdf": "unreliability F(t)",
              "hazard": "hazard h(t)", "pdf": "density f(t)"}
    ax.set_xlabel("time")
    ax.set_ylabel(labels[curve])
    ax.set_title(f"{result.distribution} fit")
    return ax
