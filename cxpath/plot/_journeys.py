"""Pictures of journeys: the journey graph, step flows, funnels, breakpoints, bottlenecks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _validate as v
from ._common import check_result, check_top, cmap, get_axes, pyplot, short

if TYPE_CHECKING:
    import networkx as nx
    from matplotlib.axes import Axes
    from matplotlib.colors import Colormap

    from ..journeys import Bottlenecks, Breakpoints, Funnel, JourneyGraph, Journeys

__all__ = ["bottlenecks", "breakpoints", "funnel", "journey_flow", "journey_graph"]

def _mpl_measure():
    """Text width in points with matplotlib's own font (what the boxes must hold)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    cache: dict = {}

    def measure(text, size, bold):
        key = (text, size, bold)
        if key not in cache:
            prop = FontProperties(size=size, weight="bold" if bold else "normal")
            cache[key] = text_to_path.get_text_width_height_descent(text, prop,
                                                                   ismath=False)[0] * 1.03
        return cache[key]

    return measure


def _mpl_path(path):
    from matplotlib.path import Path

    verts, codes = [], []
    for cmd, *xy in path:
        if cmd == "M":
            verts.append(tuple(xy))
            codes.append(Path.MOVETO)
        elif cmd == "L":
            verts.append(tuple(xy))
            codes.append(Path.LINETO)
        else:
            verts += [tuple(xy[0:2]), tuple(xy[2:4]), tuple(xy[4:6])]
            codes += [Path.CURVE4] * 3
    return Path(verts, codes)


def journey_graph(graph: JourneyGraph | nx.DiGraph | Journeys, ax: Axes | None = None, *,
                  color_by: str | None = "drop_rate", min_share: float = 0.01,
                  label_share: float = 0.0, top_edges: int | None = None,
                  font_size: float = 9.0, cmap_name: str | Colormap | None = None,
                  **style: Any) -> Axes:
    """Draw the journey map: touchpoints left to right, from the start to the end nodes.

    The same layered layout as the SVG journey map (:meth:`JourneyGraph.to_svg
    <cxpath.journeys.graph.JourneyGraph.to_svg>`, :mod:`cxpath.journeys.graph_svg`): boxes
    sized to their full labels, edges routed between the columns with their labels in
    the gaps (never on a box), rework dashed, and a legend.

    Parameters
    ----------
    graph : JourneyGraph, networkx.DiGraph or Journeys
        From :func:`cxpath.journeys.journey_graph` (a :class:`~cxpath.journeys.Journeys`
        is turned into one first).
    ax : matplotlib Axes, optional
        Where to draw; by default a new figure sized to the map (1 point per layout unit),
        so that every label keeps ``font_size``. In a given Axes the map is scaled to fit
        and the fonts with it.
    color_by : str or None, default "drop_rate"
        Node colour: ``"drop_rate"`` (the share of the cases reaching the touchpoint that
        end there without success), ``"dwell_median"``, ``"dwell_mean"``, ``"dwell_p90"``
        (wait to the next step), ``"service_median"`` or ``"service_mean"``; ``None``
        colours all alike.
    min_share : float, default 0.01
        Leave out edges carried by fewer than this share of all cases (0 draws every edge).
        Nodes are always drawn; self-loops show as a ``↻`` line in their box.
    label_share : float, default 0.0
        Label the edges carried by at least this share of cases (count and median wait).
    top_edges : int, optional
        Draw at most this many edges (the busiest), after ``min_share``.
    font_size : float, default 9.0
        Size of the touchpoint names in points (details 85%, edge labels 80%).
    cmap_name : str or matplotlib Colormap, optional
        Colour the touchpoints with this colormap instead of the map's pale palette.
    **style
        Passed to the collection of node boxes (e.g. ``linewidths``, ``alpha``).

    Returns
    -------
    matplotlib.axes.Axes
        Node boxes are one :class:`~matplotlib.collections.PatchCollection` (rounded:
        the start and end nodes), edges are :class:`~matplotlib.patches.FancyArrowPatch`
        paths (one per drawn edge, width by count) with their arrowheads in a
        :class:`~matplotlib.collections.PolyCollection`; all texts are Axes texts.

    Raises
    ------
    InvalidParameterError
        For a graph that is not a journey graph, an unknown ``color_by`` or a share outside
        [0, 1].

    Notes
    -----
    Columns (layers) come from the flow: loops of the graph are kept together, only an
    edge that closes a loop is drawn back to an earlier column (dashed red, "rework"),
    and every touchpoint sits as close to its busiest neighbours as the flow allows. See
    :mod:`cxpath.journeys.graph_svg` for the algorithm.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from cxpath import Journeys, plot
    >>> j = Journeys.from_paths(["web > chat > resolved", "web > phone"])
    >>> ax = plot.journey_graph(j, color_by=None)
    >>> len(ax.patches)  # one arrow per edge
    6
    """
    import networkx as nx
    from matplotlib.collections import PatchCollection, PolyCollection
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    from ..journeys import Journeys
    from ..journeys.graph import JourneyGraph
    from ..journeys.graph import journey_graph as build
    from ..journeys.graph_svg import check_options, map_layout

    func = "plot.journey_graph"
    if isinstance(graph, Journeys):
        graph = build(graph)
    if isinstance(graph, JourneyGraph):
        graph = graph.graph
    check_result(graph, nx.DiGraph, "journey_graph",
                 "a JourneyGraph or networkx.DiGraph from journeys.journey_graph, or a "
                 "Journeys", "graph")
    check_options(func, color_by, min_share, top_edges, label_share, font_size)
    colors = cmap(cmap_name, "journey_graph") if cmap_name is not None else None
    if ax is not None:
        get_axes(ax, "journey_graph")
    lay = map_layout(graph, color_by=color_by, min_share=min_share, top_edges=top_edges,
                     label_share=label_share, font_size=font_size, measure=_mpl_measure())
    if ax is None:
        plt = pyplot("journey_graph")
        fig = plt.figure(figsize=(lay.width / 72.0, lay.height / 72.0))
        ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
        scale = 1.0
    else:
        box = ax.get_window_extent()
        dpi = ax.figure.dpi
        scale = min(box.width * 72.0 / dpi / lay.width, box.height * 72.0 / dpi / lay.height)
        ax.set_aspect("equal")
    ax.set_xlim(0, lay.width)
    ax.set_ylim(lay.height, 0)
    ax.set_axis_off()
    fs = lay.font_size
    small, tiny = fs * 0.85 * scale, fs * 0.8 * scale
    # edges: busiest drawn last (on top); arrowheads in one collection
    heads, head_colors = [], []
    for e in sorted(lay.edges, key=lambda e: e.count):
        ax.add_patch(FancyArrowPatch(
            path=_mpl_path(e.path), arrowstyle="-", linewidth=e.width * scale,
            color=e.color, alpha=0.6, linestyle=(0, (4, 3)) if e.back else "-", zorder=1,
            capstyle="round"))
        heads.append(e.arrow)
        head_colors.append(e.color)
    if heads:
        ax.add_collection(PolyCollection(heads, facecolors=head_colors, edgecolors="none",
                                         alpha=0.85, zorder=2))
    for e in lay.edges:
        if e.label_box is None:
            continue
        bx, by, bw, bh = e.label_box
        ax.text(bx + bw / 2, by + bh / 2, e.label, fontsize=tiny, ha="center",
                va="center_baseline", color="#c0392b" if e.back else "#263238", zorder=3,
                bbox={"boxstyle": "round,pad=0.25", "fc": "white", "ec": e.color,
                      "lw": 0.5 * scale, "alpha": 0.92})
    # nodes
    boxes, faces, edges_c = [], [], []
    lo, hi = lay.color_range
    for n in lay.nodes:
        r = n.height / 2 if n.virtual else 0.35 * fs
        boxes.append(FancyBboxPatch((n.x, n.y), n.width, n.height,
                                    boxstyle=f"round,pad=0,rounding_size={r:.2f}"))
        face = n.fill
        if colors is not None and not n.virtual and n.value is not None:
            from matplotlib.colors import to_hex

            face = to_hex(colors((n.value - lo) / (hi - lo) if hi > lo else 0.0))
        faces.append(face)
        edges_c.append(n.stroke)
    style = {"linewidths": 1.0 * scale, "zorder": 4, **style}
    ax.add_collection(PatchCollection(boxes, facecolors=faces, edgecolors=edges_c, **style))
    for n, face in zip(lay.nodes, faces):
        color = _text_color(face)
        for i, (line, base) in enumerate(zip(n.lines, n.baselines)):
            ax.text(n.x + n.width / 2, base, line, fontsize=fs * scale if i == 0 else small,
                    fontweight="bold" if i == 0 else "normal", ha="center", va="baseline",
                    color=color, zorder=5)
    # title and legend
    tx, ty, _, th = lay.title_box
    ax.text(tx, ty + th * 0.8, lay.title, fontsize=fs * 1.1 * scale, fontweight="bold",
            va="baseline", color="#263238", zorder=5)
    marks = []
    for e in lay.legend:
        if e.kind in ("text", "heading"):
            ax.text(e.x, e.y + e.height * 0.72, e.text, fontsize=small, va="baseline",
                    fontweight="bold" if e.kind == "heading" else "normal", color="#263238",
                    zorder=5)
        elif e.kind == "line":
            ax.plot([e.x, e.x + e.width], [e.y, e.y], color=e.stroke,
                    linewidth=e.line_width * scale, alpha=0.8,
                    linestyle=(0, (4, 3)) if e.dash else "-", zorder=5)
        else:
            r = e.height / 2 if e.kind == "pill" else 2.0
            marks.append((FancyBboxPatch((e.x, e.y), e.width, e.height,
                                         boxstyle=f"round,pad=0,rounding_size={r:.2f}"),
                          e.fill, e.stroke))
    if marks:
        ax.add_collection(PatchCollection([m for m, _, _ in marks],
                                          facecolors=[f for _, f, _ in marks],
                                          edgecolors=[s for _, _, s in marks],
                                          linewidths=0.8 * scale, zorder=5))
    return ax


def _text_color(face: str) -> str:
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(face)
    return "black" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.45 else "white"


_ENDED = "(ended)"
_OTHER = "(other)"


MAX_FLOW_STEPS = 100  # columns of journey_flow: the table is cases x steps


def journey_flow(journeys: Journeys, ax: Axes | None = None, *, steps: int = 4, top: int = 6,
                 **style: Any) -> Axes:
    """Sankey-style flows of the cases over their first ``steps`` touchpoints.

    Parameters
    ----------
    journeys : Journeys
    ax : matplotlib Axes, optional
    steps : int, default 4
        Number of positions (columns) drawn, 2 to 100 (a chart of more columns cannot be
        read).
    top : int, default 6
        Touchpoints shown per column; the rest are pooled as ``'(other)'``. Cases whose
        journey is shorter continue as ``'(ended)'``.
    **style
        Passed to the flow patches (e.g. ``alpha``).

    Returns
    -------
    matplotlib.axes.Axes
        One rectangle per (column, touchpoint) block and one patch per flow between
        consecutive columns, with widths proportional to (weighted) cases.

    Raises
    ------
    InvalidParameterError
        If ``journeys`` is not a Journeys, ``steps`` is not in [2, 100] or ``top`` < 1.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from cxpath import Journeys, plot
    >>> ax = plot.journey_flow(Journeys.from_paths(["web > chat", "web", "app > chat"]),
    ...                        steps=2)
    >>> ax.get_title()
    'Flows over the first 2 steps (3 cases)'
    """
    from matplotlib.patches import PathPatch, Rectangle
    from matplotlib.path import Path

    from ..journeys import Journeys

    func = "plot.journey_flow"
    check_result(journeys, Journeys, "journey_flow", "a cxpath.journeys.Journeys",
                 "journeys")
    steps = v.check_int(steps, "steps", func, low=2, high=MAX_FLOW_STEPS)
    top = v.check_int(top, "top", func, low=1)
    ax = get_axes(ax, "journey_flow", figsize=(10.0, 5.5))
    weights = journeys.case_weights.astype(float)
    lengths = np.diff(journeys.offsets)
    n = len(journeys)
    vocab = list(journeys.vocab)
    # codes per (case, position); -1 ended
    table = np.full((n, steps), -1, dtype=np.int64)
    for p in range(steps):
        has = lengths > p
        table[has, p] = journeys.codes[journeys.offsets[:-1][has] + p]
    names = [*vocab, _OTHER, _ENDED]
    other, ended = len(vocab), len(vocab) + 1
    for p in range(steps):
        col = table[:, p]
        live = col >= 0
        volume = np.bincount(col[live], weights=weights[live], minlength=len(vocab))
        keep = np.zeros(len(vocab), dtype=bool)
        keep[np.argsort(-volume, kind="stable")[:top]] = True
        keep &= volume > 0
        col = np.where(live, np.where(keep[np.maximum(col, 0)], col, other), ended)
        table[:, p] = col
    total = weights.sum()
    gap = 0.02 * total
    blocks = []  # per column: {code: (y0, height)}
    palette = cmap("tab20", "journey_flow")
    color_of = {}
    for p in range(steps):
        vol = np.bincount(table[:, p], weights=weights, minlength=len(names))
        order = [c for c in np.argsort(-vol[:other], kind="stable") if vol[c] > 0]
        order += [c for c in (other, ended) if vol[c] > 0]
        y = 0.0
        col_blocks = {}
        for c in order:
            col_blocks[c] = [y, vol[c]]
            y += vol[c] + gap
        blocks.append(col_blocks)
        for c in order:
            if c not in color_of:
                color_of[c] = ("#bdbdbd" if c == other else "#eeeeee" if c == ended
                               else palette(len(color_of) % 20))
    width = 0.12
    for p, col_blocks in enumerate(blocks):
        for c, (y0, h) in col_blocks.items():
            ax.add_patch(Rectangle((p - width / 2, y0), width, h, facecolor=color_of[c],
                                   edgecolor="black", linewidth=0.6, zorder=3))
            if h >= 0.03 * total:
                ax.text(p + width / 2 + 0.02, y0 + h / 2, f"{short(names[c], 18)} "
                        f"({h:,.0f})", va="center", fontsize=7, zorder=4)
    style = {"alpha": 0.45, "linewidth": 0, **style}
    for p in range(steps - 1):
        src, dst = table[:, p], table[:, p + 1]
        flows = np.bincount(src * len(names) + dst, weights=weights,
                            minlength=len(names) ** 2).reshape(len(names), len(names))
        out_y = {c: blocks[p][c][0] for c in blocks[p]}
        in_y = {c: blocks[p + 1][c][0] for c in blocks[p + 1]}
        for a in blocks[p]:
            if a == ended:
                continue  # ended cases stay ended: no flow drawn
            for b in blocks[p + 1]:
                f = flows[a, b]
                if f <= 0:
                    continue
                x0, x1 = p + width / 2, p + 1 - width / 2
                ya, yb = out_y[a], in_y[b]
                xm = (x0 + x1) / 2
                verts = [(x0, ya), (xm, ya), (xm, yb), (x1, yb), (x1, yb + f),
                         (xm, yb + f), (xm, ya + f), (x0, ya + f), (x0, ya)]
                codes = [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4, Path.LINETO,
                         Path.CURVE4, Path.CURVE4, Path.CURVE4, Path.CLOSEPOLY]
                ax.add_patch(PathPatch(Path(verts, codes), facecolor=color_of[a], zorder=2,
                                       **style))
                out_y[a] += f
                in_y[b] += f
    height = max(sum(h for _, h in col.values()) + gap * (len(col) - 1) for col in blocks)
    height = height if height > 0 else 1.0
    ax.set_xlim(-0.3, steps - 1 + 0.6)
    ax.set_ylim(height * 1.02, -0.02 * height)
    ax.set_xticks(range(steps), [f"step {p + 1}" for p in range(steps)])
    ax.set_yticks([])
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.set_title(f"Flows over the first {steps} steps ({total:,.0f} cases)")
    return ax


def funnel(result: Funnel, ax: Axes | None = None, **style: Any) -> Axes:
    """Draw a funnel: one centred bar per step, labelled with reach and conversion.

    Parameters
    ----------
    result : Funnel
        From :func:`cxpath.journeys.funnel`.
    ax : matplotlib Axes, optional
    **style
        Passed to :meth:`~matplotlib.axes.Axes.barh`.

    Returns
    -------
    matplotlib.axes.Axes
        One bar patch per step, first step at the top.

    Raises
    ------
    InvalidParameterError
        If ``result`` is not a Funnel.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from cxpath import Journeys, plot
    >>> from cxpath.journeys import funnel
    >>> f = funnel(Journeys.from_paths(["web > chat", "web", "web > chat"]), ["web", "chat"])
    >>> len(plot.funnel(f).patches)
    2
    """
    from ..journeys import Funnel

    check_result(result, Funnel, "funnel", "a cxpath.journeys.Funnel (journeys.funnel)")
    ax = get_axes(ax, "funnel")
    reached = result.reached.astype(float)
    widest = reached.max() if reached.size and reached.max() > 0 else 1.0
    y = np.arange(reached.size)[::-1]
    style = {"color": "#1f77b4", "edgecolor": "black", "linewidth": 0.6, **style}
    ax.barh(y, reached, left=(widest - reached) / 2, height=0.8, **style)
    for yi, r, sc, oc in zip(y, reached, result.step_conversion, result.overall_conversion):
        ax.text(widest / 2, yi, f"{r:,.0f}  (step {sc:.0%}, overall {oc:.0%})",
                ha="center", va="center", fontsize=8, color="white",
                bbox={"boxstyle": "round,pad=0.2", "fc": "black", "alpha": 0.35, "ec": "none"})
    ax.set_yticks(y, [short(s, 24) for s in result.steps])
    ax.set_xticks([])
    ax.set_xlim(0, widest)
    ax.set_title(f"Funnel ({result.mode}; {result.entry_rate:.0%} of cases enter)")
    return ax


def breakpoints(result: Breakpoints, ax: Axes | None = None, *, top: int | None = 10,
                **style: Any) -> Axes:
    """Horizontal bars of the drop-off rate per step with its Wilson interval.

    Parameters
    ----------
    result : Breakpoints
        From :func:`cxpath.journeys.breakpoints`; steps are drawn in its ranking order
        (successes lost), the worst at the top.
    ax : matplotlib Axes, optional
    top : int or None, default 10
        Draw only the first ``top`` steps (None: all).
    **style
        Passed to :meth:`~matplotlib.axes.Axes.barh`.

    Returns
    -------
    matplotlib.axes.Axes
        One bar per step with an error bar for the interval, a dashed line at the pooled
        (expected) rate, and the successes lost at the step written at the bar ends
        (``'saved'`` when the step loses fewer cases than the pooled rate predicts).

    Raises
    ------
    InvalidParameterError
        If ``result`` is not a Breakpoints or ``top`` < 1.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from cxpath import Journeys, plot
    >>> from cxpath.journeys import breakpoints
    >>> b = breakpoints(Journeys.from_paths(["a > b", "a", "a > b", "c"],
    ...                                      conversions=[1, 0, 1, 0]))
    >>> len(plot.breakpoints(b).patches) == len(b.steps)
    True
    """
    from ..journeys import Breakpoints

    check_result(result, Breakpoints, "breakpoints",
                 "a cxpath.journeys.Breakpoints (journeys.breakpoints)")
    k = check_top(top, "breakpoints")
    ax = get_axes(ax, "breakpoints")
    sel = slice(None) if k is None else slice(0, k)
    rate = result.dropoff_rate[sel]
    y = np.arange(rate.size)[::-1]
    err = np.vstack([rate - result.ci_low[sel], result.ci_high[sel] - rate])
    style = {"color": "#d62728", "alpha": 0.8, **style}
    ax.barh(y, rate, xerr=err, height=0.7, error_kw={"capsize": 3, "lw": 1}, **style)
    ax.axvline(result.expected_rate, color="black", linestyle="--", linewidth=1,
               label=f"pooled rate {result.expected_rate:.1%}")
    for yi, hi, lost in zip(y, result.ci_high[sel], result.lost_successes[sel]):
        text = f"{lost:,.0f} lost" if lost >= 0 else f"{-lost:,.0f} saved"
        ax.text(hi, yi, "  " + text, va="center", fontsize=7)
    ax.set_yticks(y, [short(s) for s in result.steps[sel]])
    ax.set_xlabel("drop-off rate (95% Wilson interval)")
    from matplotlib.ticker import PercentFormatter

    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.legend(loc="lower right", fontsize=8)
    ax.set_title("Breakpoints: drop-off by step (ranked by successes lost)")
    return ax


def bottlenecks(result: Bottlenecks, ax: Axes | None = None, *, top: int | None = 10,
                unit: str = "h", **style: Any) -> Axes:
    """Horizontal bars of the median wait per step, with a whisker to the 90th percentile.

    Parameters
    ----------
    result : Bottlenecks
        From :func:`cxpath.journeys.bottlenecks`; drawn in its order (total wait), the
        largest at the top.
    ax : matplotlib Axes, optional
    top : int or None, default 10
        Draw only the first ``top`` steps (None: all).
    unit : {"s", "min", "h", "d"}, default "h"
        Time unit of the axis.
    **style
        Passed to :meth:`~matplotlib.axes.Axes.barh`.

    Returns
    -------
    matplotlib.axes.Axes
        One bar per step (median wait) with a whisker up to the p90 wait and the share of
        all waiting time written at its end; a dotted line at the SLA when one was given.

    Raises
    ------
    InvalidParameterError
        If ``result`` is not a Bottlenecks, ``top`` < 1 or ``unit`` unknown.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from cxpath import Journeys, plot
    >>> from cxpath.journeys import bottlenecks
    >>> j = Journeys.from_events(case=[1, 1, 2, 2], touchpoint=["a", "b", "a", "b"],
    ...                          timestamp=[0, 3600, 0, 7200])
    >>> len(plot.bottlenecks(bottlenecks(j)).patches)
    1
    """
    from ..journeys import Bottlenecks

    check_result(result, Bottlenecks, "bottlenecks",
                 "a cxpath.journeys.Bottlenecks (journeys.bottlenecks)")
    k = check_top(top, "bottlenecks")
    unit = v.check_option(unit, "unit", "plot.bottlenecks", ("s", "min", "h", "d"))
    scale = {"s": 1.0, "min": 60.0, "h": 3600.0, "d": 86400.0}[unit]
    ax = get_axes(ax, "bottlenecks")
    sel = slice(None) if k is None else slice(0, k)
    med = result.median_wait[sel] / scale
    p90 = result.p90_wait[sel] / scale
    y = np.arange(med.size)[::-1]
    err = np.vstack([np.zeros_like(med), np.maximum(p90 - med, 0.0)])
    style = {"color": "#ff7f0e", "alpha": 0.85, **style}
    ax.barh(y, med, xerr=err, height=0.7, error_kw={"capsize": 3, "lw": 1}, **style)
    for yi, end, share in zip(y, np.maximum(p90, med), result.share_of_wait[sel]):
        ax.text(end, yi, f"  {share:.0%} of wait", va="center", fontsize=7)
    if result.sla is not None:
        ax.axvline(result.sla / scale, color="black", linestyle=":", linewidth=1,
                   label=f"SLA {result.sla / scale:g} {unit}")
        ax.legend(loc="lower right", fontsize=8)
    ax.set_yticks(y, [short(s) for s in result.steps[sel]])
    ax.set_xlabel(f"median wait ({unit}); whisker to p90")
    ax.set_title("Bottlenecks: waiting time by step (ranked by total wait)")
    return ax
