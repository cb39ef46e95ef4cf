"""Pictures of attribution, control charts, forecasts, cohort retention and factor loadings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _validate as v
from ._common import cell_text_color, check_result, cmap, get_axes, pyplot, short

if TYPE_CHECKING:
    from collections.abc import Sequence

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from .._typing import ArrayLike
    from ..attribution import Attribution, MarkovAttribution, ShapleyAttribution
    from ..forecast import Forecast
    from ..kpi import Cohorts
    from ..spc import ControlChart
    from ..survey import Efa, Omega

__all__ = ["attribution", "control_chart", "forecast", "loadings", "retention"]


def attribution(result: Attribution | MarkovAttribution | ShapleyAttribution,
                ax: Axes | None = None, *, kind: str = "share",
                models: Sequence[str] | None = None, **style: Any) -> Axes:
    """Grouped bars comparing the credit each model gives every channel.

    Parameters
    ----------
    result : Attribution, MarkovAttribution or ShapleyAttribution
        From :func:`cxpath.attribution.attribute` (or any model function); a single
        model's result (:func:`~cxpath.attribution.markov`,
        :func:`~cxpath.attribution.shapley`) draws one bar per channel.
    ax : matplotlib Axes, optional
    kind : {"share", "conversions", "value"}, default "share"
        Bar height: each model's share of its credit, the conversions or the value credited.
    models : sequence of str, optional
        Models to draw, in order (default all).
    **style
        Passed to :meth:`~matplotlib.axes.Axes.bar`.

    Returns
    -------
    matplotlib.axes.Axes
        One bar per (model, channel), channels along the axis sorted by the credit of the
        headline model (:attr:`~cxpath.attribution.Attribution.headline`, when drawn; else
        the first model drawn), one colour per model with a legend.

    Raises
    ------
    InvalidParameterError
        If ``result`` is not an attribution result, ``kind`` or a model is unknown, or
        ``kind`` is ``"value"`` for journeys without value.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from cxpath import Journeys, plot
    >>> from cxpath.attribution import attribute
    >>> j = Journeys.from_paths(["web > chat", "web", "app > chat"], conversions=[1, 0, 1])
    >>> att = attribute(j, models=("first_touch", "last_touch"))
    >>> len(plot.attribution(att).patches)
    6
    """
    from ..attribution import Attribution, MarkovAttribution, ShapleyAttribution

    func = "plot.attribution"
    check_result(result, (Attribution, MarkovAttribution, ShapleyAttribution), "attribution",
                 "a cxpath.attribution.Attribution (attribution.attribute), "
                 "MarkovAttribution or ShapleyAttribution")
    if not isinstance(result, Attribution):
        result = result.to_attribution()
    kind = v.check_option(kind, "kind", func, ("share", "conversions", "value"))
    if models is None:
        models = result.models
    elif isinstance(models, str):
        models = (models,)
    elif not isinstance(models, (list, tuple, np.ndarray)):
        v.fail("models", func, "None, a model name or a list of model names", models,
               wrong_type=True)
    for m in models:
        v.check_option(m, "models", func, result.models)
    if kind == "value" and result.value is None:
        v.fail("kind", func, "'share' or 'conversions' for journeys without value", kind)
    table = {"share": result.share(), "conversions": result.conversions,
             "value": result.value}[kind]
    rows = np.array([table[result.models.index(m)] for m in models])
    lead = models.index(result.headline) if result.headline in models else 0
    order = np.argsort(-rows[lead], kind="stable") if rows.size else np.arange(0)
    ax = get_axes(ax, "attribution", figsize=(9.0, 4.5))
    x = np.arange(len(result.channels))
    width = 0.8 / max(len(models), 1)
    for k, (m, row) in enumerate(zip(models, rows)):
        ax.bar(x + (k - (len(models) - 1) / 2) * width, row[order], width=width, label=m,
               **style)
    ax.set_xticks(x, [short(result.channels[i], 18) for i in order], rotation=45,
                  ha="right", fontsize=8)
    ax.set_ylabel({"share": "share of credit", "conversions": "conversions credited",
                   "value": "value credited"}[kind])
    if kind == "share":
        from matplotlib.ticker import PercentFormatter

        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.legend(fontsize=8, ncols=min(len(models), 4))
    ax.set_title(f"Attribution of {result.total_conversions:,.0f} conversions by model")
    return ax


def _x_of(result):
    """x positions: the labels when they are dates, else 0..n-1."""
    labels = result.labels
    if labels is not None and np.issubdtype(np.asarray(labels).dtype, np.datetime64):
        return np.asarray(labels)
    return np.arange(result.values.size)


def _draw_chart(chart, ax, style):
    x = _x_of(chart)
    style = {"color": "#1f77b4", "marker": "o", "markersize": 2.5, "linewidth": 0.8,
             **style}
    ax.plot(x, chart.values, label=chart.statistic, **style)
    ax.step(x, chart.center, where="mid", color="#2ca02c", linewidth=1.0, label="centre")
    ax.step(x, chart.ucl, where="mid", color="#d62728", linewidth=1.0, linestyle="--",
            label="limits")
    ax.step(x, chart.lcl, where="mid", color="#d62728", linewidth=1.0, linestyle="--")
    pts = chart.signals.points
    if pts.size:
        ax.plot(x[pts], chart.values[pts], linestyle="none", marker="o", markersize=7,
                markerfacecolor="none", markeredgecolor="#d62728", markeredgewidth=1.4,
                label=f"signal ({pts.size} points)", gid="signals")
    base = np.flatnonzero(chart.baseline)
    if base.size and base[-1] < chart.values.size - 1:
        ax.axvline(x[base[-1]], color="grey", linestyle=":", linewidth=1)
        ax.text(x[base[-1]], 1.0, " end of phase I", transform=ax.get_xaxis_transform(),
                fontsize=7, va="top", color="grey")
    if chart.excluded.any():
        ex = np.flatnonzero(chart.excluded)
        ax.plot(x[ex], chart.values[ex], linestyle="none", marker="x", color="grey",
                markersize=5, label="excluded from limits")
    ax.set_ylabel(chart.statistic)
    ax.legend(fontsize=7, loc="upper left", ncols=2)
    ax.set_title(f"{chart.chart} chart: {len(chart.signals)} signal(s) on {pts.size} "
                 "point(s)")


def control_chart(result: ControlChart, ax: Axes | None = None, *, companion: bool = False,
                  **style: Any) -> Axes | Figure:
    """Control chart: the statistic, centre line, per-point limits as steps, signals circled.

    Parameters
    ----------
    result : ControlChart
        From any chart of :mod:`cxpath.spc` (``imr``, ``p_chart``, ``u_chart``, ``ewma`` …).
    ax : matplotlib Axes, optional
        Where to draw the main chart (not allowed with ``companion=True``).
    companion : bool, default False
        Also draw the companion moving-range / range / s chart below, in a new figure.
    **style
        Passed to :meth:`~matplotlib.axes.Axes.plot` for the statistic's line.

    Returns
    -------
    matplotlib.axes.Axes or matplotlib.figure.Figure
        The Axes; a Figure with two Axes when ``companion=True``. Each point flagged by a run
        rule gets one circle marker (a point flagged by several rules is circled once); the
        end of the phase I window is a dotted line; dates are used on the x axis when the
        chart's labels are dates.

    Raises
    ------
    InvalidParameterError
        If ``result`` is not a ControlChart, or ``companion=True`` on a chart without a
        companion or together with ``ax``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from cxpath import plot
    >>> from cxpath.spc import imr
    >>> c = imr([5.0, 6.0, 5.5, 6.2, 5.8, 5.9, 6.1, 5.6, 15.0], baseline=8)
    >>> ax = plot.control_chart(c)
    >>> ax.get_title()
    'i chart: 1 signal(s) on 1 point(s)'
    """
    from ..spc import ControlChart

    func = "plot.control_chart"
    check_result(result, ControlChart, "control_chart",
                 "a cxpath.spc.ControlChart (spc.imr, spc.p_chart, …)")
    v.check_bool(companion, "companion", func)
    if not companion:
        ax = get_axes(ax, "control_chart", figsize=(10.0, 4.0))
        _draw_chart(result, ax, style)
        return ax
    if result.dispersion is None:
        v.fail("companion", func, f"False for a {result.chart} chart, which has no "
               "companion chart", companion)
    if ax is not None:
        v.fail("ax", func, "None when companion=True (a new two-panel figure is drawn)",
               got=type(ax).__name__)
    plt = pyplot("control_chart")
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(10.0, 6.0), sharex=True,
                                      height_ratios=[2, 1], layout="constrained")
    _draw_chart(result, top, style)
    _draw_chart(result.dispersion, bottom, {})
    return fig


def forecast(result: Forecast, ax: Axes | None = None, *, history: ArrayLike | None = None,
             actual: ArrayLike | None = None, last: int | None = None,
             flag_level: float | None = None, **style: Any) -> Axes:
    """Forecast fan: history, point forecast, nested interval bands, flagged actuals.

    Parameters
    ----------
    result : Forecast
        From any model of :mod:`cxpath.forecast`.
    ax : matplotlib Axes, optional
    history : array-like, optional
        The series the model was fitted on (drawn before the forecast).
    actual : array-like, optional
        Observed values of the first steps of the horizon: drawn as points, and those
        outside the ``flag_level`` band (see :func:`cxpath.forecast.flag_outside`) get a
        red cross.
    last : int, optional
        Draw only the last ``last`` points of ``history`` (default ``4 * h``).
    flag_level : float, optional
        Band level for flags; default the widest of the forecast's levels.
    **style
        Passed to :meth:`~matplotlib.axes.Axes.plot` for the point forecast.

    Returns
    -------
    matplotlib.axes.Axes
        Steps on the x axis (history at ``<= 0``, forecasts at ``1..h``), or the dates
        when the forecast has them (``result.ds``: the history ends one period of
        ``result.freq`` before the first forecast date), one shaded band per interval
        level (wider bands lighter).

    Raises
    ------
    InvalidParameterError
        If ``result`` is not a Forecast, or ``flag_level`` is not one of its levels.
    DataError
        More actuals than forecast steps, or non-finite values.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from cxpath import plot
    >>> from cxpath.forecast import naive
    >>> f = naive([10.0, 11.0, 10.0, 12.0, 11.0], 3, level=[80, 95])
    >>> ax = plot.forecast(f, history=[10.0, 11.0, 10.0, 12.0, 11.0], actual=[11.0, 30.0])
    >>> len(ax.collections)  # two bands and the flagged actual
    3
    """
    from ..forecast import Forecast, flag_outside

    func = "plot.forecast"
    check_result(result, Forecast, "forecast", "a cxpath.forecast.Forecast")
    h = result.h
    last = 4 * h if last is None else v.check_int(last, "last", func, low=1)
    ax = get_axes(ax, "forecast", figsize=(10.0, 4.5))
    dated = result.ds is not None and result.ds.dtype.kind == "M"
    x_of = _step_dates(result) if dated else None  # step (… -1, 0, 1 …) -> timestamp
    if history is not None:
        y = v.as_float_array(history, "history", func)
        y = y[-last:]
        back = np.arange(-y.size + 1, 1)
        ax.plot(x_of(back) if dated else back, y, color="black", linewidth=1,
                label="history")
    steps = np.arange(1, h + 1)
    xs = _local_ds(result) if dated else steps
    levels = np.asarray(result.levels, dtype=float)
    blues = cmap("Blues", "forecast")
    for k in np.argsort(-levels):
        shade = 0.25 + 0.35 * (1 - k / max(levels.size, 1))
        ax.fill_between(xs, result.lower[k], result.upper[k], color=blues(shade),
                        alpha=0.7, linewidth=0, label=f"{levels[k]:g}% interval")
    style = {"color": "#08306b", "linewidth": 1.5, **style}
    ax.plot(xs, result.mean, label=f"forecast ({result.model})", **style)
    if actual is not None:
        if flag_level is None:
            flag_level = float(levels.max()) if levels.size else None
        if flag_level is None:
            v.fail("result", func, "a Forecast with interval levels to flag actuals",
                   got="no levels")
        ex = flag_outside(actual, result, level=flag_level)
        ex_x = xs[ex.step - 1]
        ax.plot(ex_x, ex.actual, linestyle="none", marker="o", markersize=3,
                color="black", label="actual")
        if ex.outside.any():
            ax.scatter(ex_x[ex.outside], ex.actual[ex.outside], marker="X", s=60,
                       color="#d62728", zorder=4,
                       label=f"outside {ex.level:g}% band ({int(ex.outside.sum())})")
    if dated:
        ax.axvline(x_of(np.array([0]))[0] + (xs[0] - x_of(np.array([0]))[0]) / 2,
                   color="grey", linestyle=":", linewidth=1)
        ax.set_xlabel(f"date (frequency {result.freq})" if result.freq else "date")
        ax.figure.autofmt_xdate()
    else:
        ax.axvline(0.5, color="grey", linestyle=":", linewidth=1)
        ax.set_xlabel("step (0 = last observation)")
    ax.legend(fontsize=7, loc="upper left")
    ax.set_title(f"Forecast {result.model}, {h} steps ({result.interval_method} intervals)")
    return ax


def _local_ds(result: Forecast) -> np.ndarray:
    """The forecast's dates to plot: ``ds``, or for time-zone-aware dates (UTC instants)
    the aware local datetimes, which matplotlib places by instant and labels in the zone."""
    if result.tz is None:
        return result.ds
    from .._frames import in_zone

    return in_zone(result.ds, result.tz).to_pydatetime()


def _step_dates(result: Forecast):
    """``steps -> timestamps`` of a dated forecast: step 1 is ``ds[0]``, step 0 the last
    observation, one period of ``freq`` apart (the steps of ``ds`` when no ``freq``)."""
    ds = _local_ds(result)
    if result.freq:
        import pandas as pd

        off = pd.tseries.frequencies.to_offset(result.freq)

        def x_of(steps):
            first = pd.Timestamp(ds[0])
            low = int(min(steps.min(), 1))
            grid = pd.date_range(end=first, periods=2 - low, freq=off)  # steps low .. 1
            return (grid.to_numpy() if result.tz is None else grid.to_pydatetime())[
                steps - low]
        return x_of
    gap = ds[1] - ds[0] if ds.shape[0] > 1 else np.timedelta64(1, "D")
    return lambda steps: ds[0] + (steps - 1) * gap


def retention(result: Cohorts, ax: Axes | None = None, *, annotate: bool = True,
              cmap_name: str = "Blues") -> Axes:
    """Cohort retention heat map: cohorts down, periods since first activity across.

    Parameters
    ----------
    result : Cohorts
        From :func:`cxpath.kpi.retention_cohorts`.
    ax : matplotlib Axes, optional
    annotate : bool, default True
        Write the percentage in each cell.
    cmap_name : str, default "Blues"

    Returns
    -------
    matplotlib.axes.Axes
        One image (cells beyond the data left blank), cohort sizes in the row labels.

    Raises
    ------
    InvalidParameterError
        If ``result`` is not a Cohorts.

    Examples
    --------
    >>> import numpy as np, matplotlib
    >>> matplotlib.use("Agg")
    >>> from cxpath import plot
    >>> from cxpath.kpi import retention_cohorts
    >>> t = np.array(["2025-01-03", "2025-02-03", "2025-01-09", "2025-02-01"], "datetime64[s]")
    >>> c = retention_cohorts(["a", "a", "b", "c"], t)
    >>> plot.retention(c).images[0].get_array().shape
    (2, 2)
    """
    from ..kpi import Cohorts

    check_result(result, Cohorts, "retention", "a cxpath.kpi.Cohorts (kpi.retention_cohorts)")
    v.check_bool(annotate, "annotate", "plot.retention")
    rows, cols = result.retention.shape
    ax = get_axes(ax, "retention", figsize=(max(6.0, 0.55 * cols + 2), max(3.0, 0.35 * rows
                                                                          + 1.5)))
    data = np.ma.masked_invalid(result.retention)
    image = ax.imshow(data, cmap=cmap(cmap_name, "retention"), vmin=0.0, vmax=1.0,
                      aspect="auto")
    if annotate:
        for (i, j), val in np.ndenumerate(result.retention):
            if np.isfinite(val):
                ax.text(j, i, f"{val:.0%}", ha="center", va="center", fontsize=7,
                        color=cell_text_color(val, 0.0, 1.0))
    ax.set_xticks(np.arange(cols), [str(k) for k in range(cols)])
    ax.set_yticks(np.arange(rows), [f"{c} (n={s:,})" for c, s in zip(result.cohort,
                                                                     result.size)],
                  fontsize=8)
    unit = {"M": "months", "W": "weeks", "D": "days"}.get(result.period, result.period)
    ax.set_xlabel(f"{unit} since first activity")
    ax.figure.colorbar(image, ax=ax, label="share active")
    ax.set_title("Cohort retention")
    return ax


def loadings(result: Efa | Omega, ax: Axes | None = None, *, structure: bool = False,
             cutoff: float = 0.3, annotate: bool = True, cmap_name: str = "RdBu_r") -> Axes:
    """Heat map of factor loadings: items down, factors across, on a -1..1 scale.

    Parameters
    ----------
    result : Efa or Omega
        From :func:`cxpath.survey.efa`, or the one-factor model of
        :func:`cxpath.survey.omega_total` (one column).
    ax : matplotlib Axes, optional
    structure : bool, default False
        Draw the structure loadings (item-factor correlations) instead of the pattern
        (the same for one factor).
    cutoff : float, default 0.3
        Loadings at least this large in absolute value are written in bold.
    annotate : bool, default True
        Write the loadings in the cells.
    cmap_name : str, default "RdBu_r"

    Returns
    -------
    matplotlib.axes.Axes
        One image; communalities h² in the row labels.

    Raises
    ------
    InvalidParameterError
        If ``result`` is not an Efa or an Omega, or ``cutoff`` is outside [0, 1].

    Examples
    --------
    >>> import numpy as np, matplotlib
    >>> matplotlib.use("Agg")
    >>> from cxpath import plot
    >>> from cxpath.survey import efa
    >>> rng = np.random.default_rng(0)
    >>> f = rng.normal(size=(200, 1))
    >>> x = f @ np.ones((1, 4)) + rng.normal(size=(200, 4))
    >>> plot.loadings(efa(x)).images[0].get_array().shape
    (4, 1)
    """
    from ..survey import Efa, Omega

    func = "plot.loadings"
    check_result(result, (Efa, Omega), "loadings",
                 "a cxpath.survey.Efa (survey.efa) or Omega (survey.omega_total)")
    v.check_bool(structure, "structure", func)
    v.check_bool(annotate, "annotate", func)
    cutoff = v.check_real(cutoff, "cutoff", func, low=0.0, high=1.0)
    if isinstance(result, Omega):
        data = result.loadings[:, None]
        factors, communalities = ["F1"], result.loadings ** 2
        title = f"Factor loadings ({result.method}, one factor; omega {result.omega:.3f})"
    else:
        data = result.structure if structure else result.loadings
        factors, communalities = list(result.factors), result.communalities
        title = f"Factor loadings ({result.method}, {result.rotation or 'unrotated'})"
    rows, cols = data.shape
    ax = get_axes(ax, "loadings", figsize=(max(4.0, 0.9 * cols + 3), max(3.0, 0.3 * rows
                                                                        + 1.5)))
    image = ax.imshow(data, cmap=cmap(cmap_name, "loadings"), vmin=-1.0, vmax=1.0,
                      aspect="auto")
    if annotate:
        for (i, j), val in np.ndenumerate(data):
            ax.text(j, i, f"{val:.2f}", ha="center", va="center", fontsize=7,
                    fontweight="bold" if abs(val) >= cutoff else "normal",
                    color="white" if abs(val) > 0.6 else "black")
    ax.set_xticks(np.arange(cols), factors)
    ax.set_yticks(np.arange(rows), [f"{short(i, 16)} (h²={c:.2f})" for i, c in
                                    zip(result.items, communalities)], fontsize=8)
    ax.xaxis.tick_top()
    ax.figure.colorbar(image, ax=ax, label="structure" if structure else "loading")
    ax.set_title(title, pad=18)
    return ax
