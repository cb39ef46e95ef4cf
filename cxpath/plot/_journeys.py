"""Pictures of journeys: the journey graph, step flows, funnels, breakpoints, bottlenecks."""

from __future__ import annotations

import math

import numpy as np

from .. import _validate as v
from ._common import check_result, check_top, cmap, get_axes, short

__all__ = ["bottlenecks", "breakpoints", "funnel", "journey_flow", "journey_graph"]

_COLOR_BY = ("drop_rate", "dwell_median", "dwell_mean", None)


def _layers(graph, start, ends):
    """Layer of every node: BFS distance from start; end nodes one past the deepest."""
    import networkx as nx

    depth = nx.single_source_shortest_path_length(graph, start) if start in graph else {}
    inner = [n for n in graph.nodes if n != start and n not in ends]
    deepest = max((depth.get(n, 1) for n in inner), default=0)
    layer = {start: 0}
    for n in inner:
        layer[n] = depth.get(n, 1)
    for n in ends:
        layer[n] = deepest + 1
    return layer


def journey_graph(graph, ax=None, *, color_by="drop_rate", min_share: float = 0.01,
                  label_share: float = 0.05, cmap_name: str = "RdYlGn_r", **style):
    """Draw the journey graph left to right, from the start node to the end nodes.

    Parameters
    ----------
    graph : networkx.DiGraph or Journeys
        From :func:`cxpath.journeys.journey_graph` (a :class:`~cxpath.journeys.Journeys`
        is turned into one first).
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.
    color_by : {"drop_rate", "dwell_median", "dwell_mean", None}, default "drop_rate"
        Node colour: the share of cases whose journey ends there without success, or the
        median or mean wait (hours) before the next event. ``None`` colours all alike.
    min_share : float, default 0.01
        Leave out edges carried by fewer than this share of all cases (keeps the picture
        readable; 0 draws every edge). Nodes are always drawn.
    label_share : float, default 0.05
        Label edges carried by at least this share of cases with their count.
    cmap_name : str, default "RdYlGn_r"
        Colormap of the node colour.
    **style
        Passed to :meth:`~matplotlib.axes.Axes.scatter` for the nodes.

    Returns
    -------
    matplotlib.axes.Axes
        Nodes are one scatter collection (area by visits; the start, success and drop nodes
        by cases), edges are arrow patches (width by count).

    Raises
    ------
    InvalidParameterError
        For a graph that is not a DiGraph, an unknown ``color_by`` or a share outside [0, 1].

    Notes
    -----
    Touchpoints are laid out in columns by their fewest steps from the start (a
    breadth-first layering), the end nodes in a last column; within a column the busiest
    touchpoint is at the top. Edges that go back to the same or an earlier column (rework,
    repeat contacts) are drawn red and bent further so they do not hide forward edges.
    Self-loops are not drawn.

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

    from ..journeys import Journeys
    from ..journeys.graph import DROP, START, SUCCESS
    from ..journeys.graph import journey_graph as build

    func = "plot.journey_graph"
    if isinstance(graph, Journeys):
        graph = build(graph)
    check_result(graph, nx.DiGraph, "journey_graph",
                 "a networkx.DiGraph from journeys.journey_graph or a Journeys", "graph")
    color_by = v.check_option(color_by, "color_by", func, _COLOR_BY)
    min_share = v.check_real(min_share, "min_share", func, low=0.0, high=1.0)
    label_share = v.check_real(label_share, "label_share", func, low=0.0, high=1.0)
    colors = cmap(cmap_name, "journey_graph")
    from matplotlib.patches import FancyArrowPatch

    ax = get_axes(ax, "journey_graph", figsize=(11.0, 6.0))
    n_cases = graph.graph.get("n_cases")
    if n_cases is None:  # a graph built elsewhere: the cases are the starts
        n_cases = sum(d.get("count", 0) for _, _, d in graph.out_edges(START, data=True)) \
            if START in graph else 0
    n_success = graph.graph.get("n_success", 0)
    ends = [n for n in (SUCCESS, DROP) if n in graph]
    layer = _layers(graph, START, ends)
    volume = {}
    for n, d in graph.nodes(data=True):
        if n == START:
            volume[n] = n_cases
        elif n == SUCCESS:
            volume[n] = n_success
        elif n == DROP:
            volume[n] = n_cases - n_success
        else:
            volume[n] = d.get("visits", d.get("cases", 1))
    columns: dict = {}
    for n in graph.nodes:
        columns.setdefault(layer[n], []).append(n)
    pos = {}
    for x, nodes in columns.items():
        nodes.sort(key=lambda n: (n == DROP, -volume[n], str(n)))
        for k, n in enumerate(nodes):
            pos[n] = (float(x), (len(nodes) - 1) / 2.0 - k)
    nodes = list(graph.nodes)
    top = max(volume.values(), default=1) or 1
    sizes = np.array([200.0 + 2200.0 * volume[n] / top for n in nodes])
    xy = np.array([pos[n] for n in nodes])
    values = None
    if color_by is not None:
        scale = 1.0 if color_by == "drop_rate" else 1 / 3600
        values = np.array([graph.nodes[n].get(color_by, np.nan) * scale for n in nodes], float)
    face = []
    virtual = {START: "#9e9e9e", SUCCESS: "#2e7d32", DROP: "#c62828"}
    finite = values[np.isfinite(values)] if values is not None else np.array([])
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    norm = None
    if values is not None:
        from matplotlib.colors import Normalize

        norm = Normalize(lo, hi if hi > lo else lo + 1.0)
    for i, n in enumerate(nodes):
        if n in virtual:
            face.append(virtual[n])
        elif values is None or not math.isfinite(values[i]):
            face.append("#90a4ae")
        else:
            face.append(colors(norm(values[i])))
    style = {"edgecolors": "black", "linewidths": 0.8, "zorder": 3, **style}
    ax.scatter(xy[:, 0], xy[:, 1], s=sizes, c=face, **style)
    edges = [(a, b, d) for a, b, d in graph.edges(data=True)
             if d.get("count", 0) >= min_share * n_cases and a != b]
    widest = max((d.get("count", 0) for _, _, d in edges), default=1) or 1
    for a, b, d in edges:
        (x0, y0), (x1, y1) = pos[a], pos[b]
        back = x1 <= x0
        rad = 0.35 if back else 0.08
        arrow = FancyArrowPatch(
            (x0, y0), (x1, y1), arrowstyle="-|>", mutation_scale=10,
            connectionstyle=f"arc3,rad={rad}", shrinkA=14, shrinkB=14,
            linewidth=0.4 + 6.0 * d.get("count", 0) / widest,
            color="#b0413e" if back else "#455a64", alpha=0.55, zorder=2)
        ax.add_patch(arrow)
        if d.get("count", 0) >= label_share * n_cases:
            mx, my = (x0 + x1) / 2, (y0 + y1) / 2 + (0.18 if back else 0.05)
            ax.text(mx, my, f"{d['count']:,}", fontsize=7, ha="center", va="center",
                    color="#263238", zorder=4,
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none",
                          "alpha": 0.8})
    names = {START: "start", SUCCESS: "success", DROP: "drop"}
    for n, size in zip(nodes, sizes):
        ax.annotate(short(names.get(n, n), 18), pos[n], xytext=(0, -np.sqrt(size) / 2 - 2),
                    textcoords="offset points", ha="center", va="top", fontsize=8, zorder=5)
    if values is not None and finite.size:
        from matplotlib.cm import ScalarMappable

        label = {"drop_rate": "drop-off rate", "dwell_median": "median wait (h)",
                 "dwell_mean": "mean wait (h)"}[color_by]
        ax.figure.colorbar(ScalarMappable(norm=norm, cmap=colors), ax=ax, label=label,
                           shrink=0.7)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    ax.set_xlim(min(xs) - 0.6, max(xs) + 0.6)
    ax.set_ylim(min(ys) - 0.8, max(ys) + 0.6)
    ax.set_axis_off()
    ax.set_title(f"Journey graph ({n_cases:,} cases; edges with ≥ {min_share:.0%} of cases)")
    return ax


_ENDED = "(ended)"
_OTHER = "(other)"


def journey_flow(journeys, ax=None, *, steps: int = 4, top: int = 6, **style):
    """Sankey-style flows of the cases over their first ``steps`` touchpoints.

    Parameters
    ----------
    journeys : Journeys
    ax : matplotlib Axes, optional
    steps : int, default 4
        Number of positions (columns) drawn.
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
        If ``journeys`` is not a Journeys, or ``steps`` < 2 or ``top`` < 1.

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
    steps = v.check_int(steps, "steps", func, low=2)
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


def funnel(result, ax=None, **style):
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


def breakpoints(result, ax=None, *, top: int | None = 10, **style):
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


def bottlenecks(result, ax=None, *, top: int | None = 10, unit: str = "h", **style):
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
