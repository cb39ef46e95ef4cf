"""Pictures of FMEA results: Pareto chart, risk matrix, Action Priority map, value-effort."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _validate as v
from ._common import cell_text_color, check_result, cmap, get_axes, short

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from ..fmea import ActionPriorityTable, Pareto, RiskMatrix, ValueEffort, Worksheet

__all__ = ["action_priority", "pareto", "risk_matrix", "value_effort"]


def pareto(result: Pareto, ax: Axes | None = None, **style: Any) -> Axes:
    """Pareto chart: bars by count, largest first, with the cumulative share as a line.

    Parameters
    ----------
    result : Pareto
        From :func:`cxpath.fmea.pareto`.
    ax : matplotlib Axes, optional
    **style
        Passed to :meth:`~matplotlib.axes.Axes.bar`.

    Returns
    -------
    matplotlib.axes.Axes
        The bar axes: one bar per category (the vital few in a darker colour). The
        cumulative line and the dashed cut line are on a twin axis (``ax.figure.axes``)
        scaled 0–100 %.

    Raises
    ------
    InvalidParameterError
        If ``result`` is not a Pareto.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from cxpath import plot
    >>> from cxpath.fmea import pareto
    >>> ax = plot.pareto(pareto(["late", "late", "rude", "late", "lost"]))
    >>> len(ax.patches)
    3
    """
    from ..fmea import Pareto

    check_result(result, Pareto, "pareto", "a cxpath.fmea.Pareto (fmea.pareto)")
    ax = get_axes(ax, "pareto", figsize=(8.0, 4.5))
    x = np.arange(result.labels.size)
    colors = np.where(result.vital, "#1f4e79", "#9dc3e6")
    style = {"color": colors, "edgecolor": "black", "linewidth": 0.5, **style}
    ax.bar(x, result.counts, **style)
    ax.set_xticks(x, [short(s, 20) for s in result.labels], rotation=45, ha="right",
                  fontsize=8)
    ax.set_ylabel("count")
    right = ax.twinx()
    right.plot(x, result.cumulative * 100, color="#c00000", marker="o", markersize=3)
    right.axhline(result.cut * 100, color="#c00000", linestyle="--", linewidth=0.8)
    right.set_ylim(0, 105)
    right.set_ylabel("cumulative %")
    n_vital = int(result.vital.sum())
    ax.set_title(f"Pareto: {n_vital} of {result.labels.size} categories carry "
                 f"{result.cumulative[n_vital - 1] if n_vital else 0:.0%} "
                 f"(cut {result.cut:.0%})")
    return ax


def _grid(ax, data, *, cm, vmin, vmax, annotate, fmt, xlabels, ylabels):
    image = ax.imshow(data, cmap=cm, vmin=vmin, vmax=vmax, aspect="auto")
    if annotate:
        for (i, j), val in np.ndenumerate(data):
            text = fmt(val)
            if text:
                ax.text(j, i, text, ha="center", va="center", fontsize=7,
                        color=cell_text_color(val, vmin, vmax))
    ax.set_xticks(np.arange(len(xlabels)), xlabels)
    ax.set_yticks(np.arange(len(ylabels)), ylabels)
    return image


def risk_matrix(result: RiskMatrix | Worksheet, ax: Axes | None = None, *,
                annotate: bool = True, cmap_name: str = "Reds") -> Axes:
    """Heat map of failure modes per severity x occurrence cell (severity 10 at the top).

    Parameters
    ----------
    result : RiskMatrix or Worksheet
        From :func:`cxpath.fmea.risk_matrix`; a worksheet is placed on the grid first.
    ax : matplotlib Axes, optional
    annotate : bool, default True
        Write the count in every non-empty cell.
    cmap_name : str, default "Reds"

    Returns
    -------
    matplotlib.axes.Axes
        One 10 x 10 image; a colour bar of the counts.

    Raises
    ------
    InvalidParameterError
        If ``result`` is not a RiskMatrix or a Worksheet.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from cxpath import plot
    >>> from cxpath.fmea import Worksheet, risk_matrix
    >>> ws = Worksheet.from_frame({"failure_mode": ["a", "b"], "S": [7, 2], "O": [5, 9],
    ...                            "D": [4, 4]})
    >>> plot.risk_matrix(risk_matrix(ws)).images[0].get_array().shape
    (10, 10)
    """
    from ..fmea import RiskMatrix, Worksheet
    from ..fmea import risk_matrix as build

    check_result(result, (RiskMatrix, Worksheet), "risk_matrix", "a cxpath.fmea.RiskMatrix "
                 "(fmea.risk_matrix) or a Worksheet")
    if isinstance(result, Worksheet):
        result = build(result)
    v.check_bool(annotate, "annotate", "plot.risk_matrix")
    ax = get_axes(ax, "risk_matrix", figsize=(6.0, 5.0))
    data = result.grid[::-1].astype(float)  # row 0 = severity 10
    image = _grid(ax, data, cm=cmap(cmap_name, "risk_matrix"), vmin=0.0,
                  vmax=max(float(data.max()), 1.0), annotate=annotate,
                  fmt=lambda x: f"{x:.0f}" if x else "",
                  xlabels=[str(o) for o in range(1, 11)],
                  ylabels=[str(s) for s in range(10, 0, -1)])
    from matplotlib.ticker import MaxNLocator

    bar = ax.figure.colorbar(image, ax=ax, label="failure modes")
    bar.locator = MaxNLocator(integer=True)
    bar.update_ticks()
    ax.set_xlabel("occurrence")
    ax.set_ylabel("severity")
    ax.set_title(f"Risk matrix ({int(result.grid.sum())} failure modes)")
    return ax


_AP_COLORS = ("#70ad47", "#ffc000", "#c00000")  # L, M, H


def action_priority(table: ActionPriorityTable | None = None, ax: Axes | None = None, *,
                    detection: int = 5, matrix: RiskMatrix | Worksheet | None = None) -> Axes:
    """Heat map of the Action Priority (H/M/L) over severity x occurrence at one detection.

    Parameters
    ----------
    table : ActionPriorityTable, optional
        From :func:`cxpath.fmea.ap_table`; default the AIAG-VDA 2019 table.
    ax : matplotlib Axes, optional
    detection : int, default 5
        The detection rating (1–10) of the slice drawn.
    matrix : RiskMatrix or Worksheet, optional
        From :func:`cxpath.fmea.risk_matrix` (or the worksheet it would be built from): its
        counts are written in the cells, so the map shows where the failure modes sit.

    Returns
    -------
    matplotlib.axes.Axes
        One 10 x 10 image coloured L (green), M (amber), H (red), severity 10 at the top.

    Raises
    ------
    InvalidParameterError
        If ``table`` is not an ActionPriorityTable, ``matrix`` not a RiskMatrix or a
        Worksheet, or ``detection`` outside 1–10.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from cxpath import plot
    >>> ax = plot.action_priority(detection=7)
    >>> ax.get_title()
    'Action Priority at detection 7 (aiag-vda-2019)'
    """
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    from ..fmea import ActionPriorityTable, RiskMatrix, Worksheet, ap_table, risk_matrix

    func = "plot.action_priority"
    if table is None:
        table = ap_table("aiag-vda-2019")
    check_result(table, ActionPriorityTable, "action_priority",
                 "None or a cxpath.fmea.ActionPriorityTable (fmea.ap_table)", "table")
    detection = v.check_int(detection, "detection", func, low=1, high=10)
    if matrix is not None:
        check_result(matrix, (RiskMatrix, Worksheet), "action_priority",
                     "None, a cxpath.fmea.RiskMatrix (fmea.risk_matrix) or a Worksheet",
                     "matrix")
        if isinstance(matrix, Worksheet):
            matrix = risk_matrix(matrix)
    ax = get_axes(ax, "action_priority", figsize=(6.0, 5.0))
    codes = table.codes[:, :, detection - 1][::-1].astype(float)
    ax.imshow(codes, cmap=ListedColormap(_AP_COLORS), vmin=-0.5, vmax=2.5, aspect="auto")
    if matrix is not None:
        counts = matrix.grid[::-1]
        for (i, j), n in np.ndenumerate(counts):
            if n:
                ax.text(j, i, str(n), ha="center", va="center", fontsize=8,
                        color="white" if codes[i, j] == 2 else "black", fontweight="bold")
    ax.set_xticks(np.arange(10), [str(o) for o in range(1, 11)])
    ax.set_yticks(np.arange(10), [str(s) for s in range(10, 0, -1)])
    ax.set_xlabel("occurrence")
    ax.set_ylabel("severity")
    ax.legend(handles=[Patch(color=c, label=k) for k, c in zip("LMH", _AP_COLORS)][::-1],
              loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, title="AP")
    ax.set_title(f"Action Priority at detection {detection} ({table.name})")
    return ax


_QUADRANT_COLORS = {"quick win": "#2ca02c", "major project": "#1f77b4",
                    "fill-in": "#7f7f7f", "thankless task": "#d62728"}


def value_effort(result: ValueEffort, ax: Axes | None = None, *, annotate: bool = True,
                 **style: Any) -> Axes:
    """Value-effort quadrant chart: effort across, impact up, cut lines and quadrant names.

    Parameters
    ----------
    result : ValueEffort
        From :func:`cxpath.fmea.value_effort`.
    ax : matplotlib Axes, optional
    annotate : bool, default True
        Write each action's label next to its point.
    **style
        Passed to :meth:`~matplotlib.axes.Axes.scatter`.

    Returns
    -------
    matplotlib.axes.Axes
        One scatter collection per non-empty quadrant (in the legend), dashed cut lines.

    Raises
    ------
    InvalidParameterError
        If ``result`` is not a ValueEffort.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from cxpath import plot
    >>> from cxpath.fmea import value_effort
    >>> r = value_effort(labels=["a", "b", "c", "d"], impact=[9, 8, 2, 1],
    ...                  effort=[1, 9, 2, 8])
    >>> len(plot.value_effort(r).collections)
    4
    """
    from ..fmea import ValueEffort
    from ..fmea.matrices import QUADRANTS

    check_result(result, ValueEffort, "value_effort",
                 "a cxpath.fmea.ValueEffort (fmea.value_effort)")
    v.check_bool(annotate, "annotate", "plot.value_effort")
    ax = get_axes(ax, "value_effort", figsize=(7.0, 5.5))
    style = {"s": 40, "edgecolors": "black", "linewidths": 0.5, "zorder": 3, **style}
    for q in QUADRANTS:
        on = result.quadrant == q
        if on.any():
            ax.scatter(result.effort[on], result.impact[on], color=_QUADRANT_COLORS[q],
                       label=f"{q} ({int(on.sum())})", **style)
    if annotate:
        for lab, x, y in zip(result.labels, result.effort, result.impact):
            ax.annotate(short(lab, 22), (x, y), xytext=(4, 3), textcoords="offset points",
                        fontsize=7)
    ax.axvline(result.effort_cut, color="black", linestyle="--", linewidth=0.8)
    ax.axhline(result.impact_cut, color="black", linestyle="--", linewidth=0.8)
    corners = {"quick win": (0.02, 0.98, "left", "top"),
               "major project": (0.98, 0.98, "right", "top"),
               "fill-in": (0.02, 0.02, "left", "bottom"),
               "thankless task": (0.98, 0.02, "right", "bottom")}
    for q, (x, y, ha, va) in corners.items():
        ax.text(x, y, q, transform=ax.transAxes, ha=ha, va=va, fontsize=9, alpha=0.6,
                color=_QUADRANT_COLORS[q], fontweight="bold")
    ax.set_xlabel("effort")
    ax.set_ylabel("impact")
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8)
    ax.set_title("Value-effort quadrants")
    return ax
