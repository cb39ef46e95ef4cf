"""Pictures of the impact of a change: the interrupted series, event-study coefficients and
the synthetic control against its treated unit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ._common import check_result, get_axes

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..rca import DiffInDiff, EventStudy, SyntheticControl, TimeSeriesImpact

__all__ = ["impact"]


def impact(result: TimeSeriesImpact | DiffInDiff | EventStudy | SyntheticControl,
           ax: Axes | None = None, **style: Any) -> Axes:
    """The impact of a change, as each design shows it.

    Parameters
    ----------
    result : TimeSeriesImpact, DiffInDiff, EventStudy or SyntheticControl
        From :func:`cxpath.rca.interrupted_time_series`, :func:`~cxpath.rca.diff_in_diff`
        or :func:`~cxpath.rca.synthetic_control`.
    ax : matplotlib Axes, optional
    **style
        Passed to :meth:`~matplotlib.axes.Axes.plot` for the main line (the fit, the
        coefficients or the treated unit).

    Returns
    -------
    matplotlib.axes.Axes
        Interrupted time series: the observed series (points), the fitted line and the
        counterfactual (the pre-change fit carried on, dashed), a vertical line at the
        change. Event study (or a panel difference-in-differences): one coefficient per
        period relative to the change with its interval, zero line, the reference period
        at −1. 2×2 difference-in-differences: the four cell means, one line per group.
        Synthetic control: the treated unit and its synthetic control over time, with a
        vertical line at the change.

    Raises
    ------
    InvalidParameterError
        If ``result`` is none of these, or ``ax`` is not a matplotlib Axes.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from cxpath.plot._rca_impact import impact
    >>> from cxpath.rca import interrupted_time_series
    >>> y = np.r_[np.arange(10.0), np.arange(10.0) + 15]
    >>> ax = impact(interrupted_time_series(y, 10, errors="classical"))
    >>> len(ax.lines)  # observed, fit, counterfactual, change line
    4
    """
    from ..rca import DiffInDiff, EventStudy, SyntheticControl, TimeSeriesImpact

    check_result(result, (TimeSeriesImpact, DiffInDiff, EventStudy, SyntheticControl),
                 "impact", "a cxpath.rca TimeSeriesImpact, DiffInDiff, EventStudy or "
                 "SyntheticControl")
    ax = get_axes(ax, "impact", figsize=(9.0, 4.5))
    if isinstance(result, TimeSeriesImpact):
        return _series(result, ax, style)
    if isinstance(result, DiffInDiff):
        if result.event_study is not None:
            _event(result.event_study, ax, style)
            ax.set_title(f"Difference-in-differences: effect {result.effect:+.3g} "
                         f"[{result.effect_low:+.3g}, {result.effect_high:+.3g}]")
            return ax
        return _cells(result, ax, style)
    if isinstance(result, EventStudy):
        return _event(result, ax, style)
    return _synthetic(result, ax, style)


def _series(r, ax, style):
    x = r.index
    if r.tz is not None:  # aware datetimes: placed by instant, labelled in the zone
        from .._frames import in_zone

        x = in_zone(x, r.tz).to_pydatetime()
    ax.plot(x, r.observed, linestyle="none", marker="o", markersize=2.5, color="grey",
            label="observed")
    style = {"color": "#08306b", "linewidth": 1.5, **style}
    ax.plot(x, r.fitted, label="fit", **style)
    post = slice(r.change_index, None)
    ax.plot(x[post], r.counterfactual[post], color="#d62728", linestyle="--", linewidth=1.2,
            label="without the change")
    ax.axvline(x[r.change_index], color="black", linestyle=":", linewidth=1)
    ax.set_title(f"Interrupted time series: level {r.level_change:+.3g}, effect "
                 f"{r.effect:+.3g} [{r.effect_low:+.3g}, {r.effect_high:+.3g}]")
    ax.legend(fontsize=7, loc="best")
    return ax


def _event(es, ax, style):
    t = es.event_time.astype(float)
    err = np.vstack([np.nan_to_num(es.estimate - es.ci_low, nan=0.0),
                     np.nan_to_num(es.ci_high - es.estimate, nan=0.0)])
    style = {"color": "#08306b", "marker": "o", "linestyle": "-", "linewidth": 1, **style}
    ax.errorbar(t, es.estimate, yerr=err, capsize=3, **style,
                label=f"gap ({es.confidence:.0%} interval)")
    ax.axhline(0.0, color="grey", linewidth=1)
    ax.axvline(-0.5, color="black", linestyle=":", linewidth=1)
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("periods relative to the change (reference −1)")
    ax.set_title("Event study")
    ax.legend(fontsize=7, loc="best")
    return ax


def _cells(r, ax, style):
    style = {"marker": "o", **style}
    for i, name in ((0, "comparison"), (1, "treated")):
        ax.plot([0, 1], r.cell_means[i], label=name, **style)
    ax.set_xticks([0, 1], ["before", "after"])
    ax.set_title(f"Difference-in-differences: effect {r.effect:+.3g} "
                 f"[{r.effect_low:+.3g}, {r.effect_high:+.3g}]")
    ax.legend(fontsize=7, loc="best")
    return ax


def _synthetic(r, ax, style):
    x = r.periods
    style = {"color": "#08306b", "linewidth": 1.5, **style}
    ax.plot(x, r.treated_path, label=str(r.treated_unit), **style)
    ax.plot(x, r.synthetic_path, color="#d62728", linestyle="--", linewidth=1.2,
            label="synthetic control")
    ax.axvline(x[r.n_pre], color="black", linestyle=":", linewidth=1)
    ax.set_title(f"Synthetic control: effect {r.effect:+.3g}, placebo p = {r.p_value:.3g}")
    ax.legend(fontsize=7, loc="best")
    return ax
