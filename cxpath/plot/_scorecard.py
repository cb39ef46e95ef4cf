"""Pictures of fair scorecards: caterpillar plots of shrunken estimates, funnel plots."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ._common import check_result, check_top, get_axes, short

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..kpi import Caterpillar, FunnelChart, MeanScorecard, RateScorecard

__all__ = ["caterpillar", "funnel_chart"]


def caterpillar(result: Caterpillar | RateScorecard | MeanScorecard, ax: Axes | None = None,
                *, top: int | None = None, **style: Any) -> Axes:
    """Caterpillar plot: each unit's shrunken estimate with its interval, best first.

    Parameters
    ----------
    result : Caterpillar, RateScorecard or MeanScorecard
        From :func:`cxpath.kpi.rate_scorecard` or :func:`cxpath.kpi.mean_scorecard` (or
        their ``.caterpillar()``).
    ax : matplotlib Axes, optional
    top : int, optional
        Draw only the first ``top`` units (all by default).
    **style
        Passed to :meth:`~matplotlib.axes.Axes.errorbar`.

    Returns
    -------
    matplotlib.axes.Axes
        One horizontal interval per unit (best at the top) with the estimate as a dot, the
        raw value as a small cross and the overall level as a dotted line.

    Raises
    ------
    InvalidParameterError
        If ``result`` is not a scorecard, or ``top`` is not a positive integer.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from cxpath.kpi import rate_scorecard
    >>> from cxpath.plot._scorecard import caterpillar
    >>> card = rate_scorecard([5, 70, 150, 33], [5, 100, 200, 50], seed=1)
    >>> caterpillar(card).get_title()
    'Shrunken rate per unit, best first (95% intervals)'
    """
    from ..kpi import Caterpillar, MeanScorecard, RateScorecard

    check_result(result, (Caterpillar, RateScorecard, MeanScorecard), "caterpillar",
                 "a cxpath.kpi.Caterpillar, RateScorecard or MeanScorecard")
    cat = result if isinstance(result, Caterpillar) else result.caterpillar()
    top = check_top(top, "caterpillar")
    k = cat.unit.size if top is None else min(top, cat.unit.size)
    ax = get_axes(ax, "caterpillar", figsize=(7.0, max(2.5, 0.28 * k + 1.2)))
    pos = np.arange(k)[::-1]
    est = cat.estimate[:k]
    err = np.vstack([est - cat.ci_low[:k], cat.ci_high[:k] - est])
    style = {"fmt": "o", "color": "#1f77b4", "markersize": 4, "capsize": 2,
             "linewidth": 1.0, **style}
    ax.errorbar(est, pos, xerr=err, label="shrunken estimate", **style)
    raw = cat.raw[:k]
    ok = np.isfinite(raw)
    ax.plot(raw[ok], pos[ok], linestyle="none", marker="x", color="grey", markersize=4,
            label="raw")
    ax.axvline(cat.centre, color="#2ca02c", linestyle=":", linewidth=1, label="overall")
    ax.set_yticks(pos, [f"{short(u, 18)} (n={n:g})" for u, n in zip(cat.unit[:k], cat.n[:k])],
                  fontsize=7)
    ax.set_xlabel(cat.what)
    ax.legend(fontsize=7, loc="lower right")
    ax.set_title(f"Shrunken {cat.what} per unit, best first ({cat.confidence:.0%} intervals)")
    return ax


def funnel_chart(result: FunnelChart, ax: Axes | None = None, **style: Any) -> Axes:
    """Funnel plot: each unit's rate against its volume, inside control limits by volume.

    Parameters
    ----------
    result : FunnelChart
        From :func:`cxpath.kpi.funnel_chart`.
    ax : matplotlib Axes, optional
    **style
        Passed to :meth:`~matplotlib.axes.Axes.scatter` for the units.

    Returns
    -------
    matplotlib.axes.Axes
        The target line, one pair of limit curves per level (dashed for the inner, solid
        for the outer), the units as dots, flagged units in red and labelled.

    Raises
    ------
    InvalidParameterError
        If ``result`` is not a FunnelChart.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from cxpath.kpi import funnel_chart as funnel_data
    >>> from cxpath.plot._scorecard import funnel_chart
    >>> f = funnel_data([5, 70, 150, 33, 140], [5, 100, 200, 50, 250])
    >>> funnel_chart(f).get_xlabel()
    'volume (trials)'
    """
    from ..kpi import FunnelChart

    check_result(result, FunnelChart, "funnel_chart", "a cxpath.kpi.FunnelChart")
    ax = get_axes(ax, "funnel_chart", figsize=(7.5, 4.5))
    ax.axhline(result.target, color="#2ca02c", linewidth=1, label=f"target {result.target:.3g}")
    for i, level in enumerate(result.levels):
        outer = i == len(result.levels) - 1
        kw = {"color": "#d62728" if outer else "#ff7f0e", "linewidth": 1.0,
              "linestyle": "-" if outer else "--"}
        ax.plot(result.volume, result.curve_upper[i], label=f"{level:.1%} limits", **kw)
        ax.plot(result.volume, result.curve_lower[i], **kw)
    out = result.flag != "within"
    style = {"s": 18, "color": "#1f77b4", "zorder": 3, **style}
    ax.scatter(result.trials[~out], result.rate[~out], label="units", **style)
    if out.any():
        ax.scatter(result.trials[out], result.rate[out], s=style["s"], color="#d62728",
                   zorder=4, label=f"outside ({int(out.sum())})")
        for x, y, u in zip(result.trials[out], result.rate[out], result.unit[out]):
            ax.annotate(short(u, 14), (x, y), fontsize=7, xytext=(3, 3),
                        textcoords="offset points")
    ax.set_xlabel("volume (trials)")
    ax.set_ylabel("rate")
    ax.legend(fontsize=7, loc="lower right")
    ax.set_title(f"Funnel plot ({result.method} limits"
                 + (f", {result.overdispersion} overdispersion" if result.overdispersion
                    else "") + ")")
    return ax
