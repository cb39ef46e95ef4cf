"""The journey map: a layered, left-to-right drawing of the journey graph, written as SVG.

:func:`map_layout` places the touchpoints of a journey graph in columns (layers), from the
virtual start node on the left to the end nodes on the right, orders every column so that
few edges cross, sizes every box to its full label and routes the edges between the
columns with their labels in the gaps between columns, where no label can cover a box.
:func:`render_svg` writes a layout as one self-contained SVG document (no fonts, scripts or
links to fetch; no Graphviz); :func:`cxpath.plot.journey_graph` draws the same layout with
matplotlib. Pure Python: nothing beyond networkx and the standard library.

The layout is the classic layered (Sugiyama) scheme: a weighted greedy ordering
(Eades, Lin and Smyth 1993) decides which transitions run against the flow (rework: drawn
dashed, back to an earlier column), longest-path layering then pulls every touchpoint
towards its busiest neighbours, long edges pass through reserved slots of the columns
between, barycentre sweeps cut crossings and a weighted least-squares placement under the
spacing constraints (pool-adjacent-violators) straightens the busiest flows.

Examples
--------
>>> from cxpath.journeys import Journeys, journey_graph
>>> from cxpath.journeys.graph_svg import map_layout, render_svg
>>> g = journey_graph(Journeys.from_paths(["web > chat", "web > phone > chat", "web"]))
>>> lay = map_layout(g)
>>> [n.label for n in sorted(lay.nodes, key=lambda n: n.layer)][:2]
['start', 'web']
>>> render_svg(lay).startswith("<svg")
True
"""

from __future__ import annotations

import itertools
import math
import numbers
import os
import re
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import attrs

from .. import _validate as v
from .._results import format_duration
from .graph import DROP, START, SUCCESS

if TYPE_CHECKING:
    import networkx as nx

    from .graph import JourneyGraph

__all__ = ["COLOR_BY", "LegendEntry", "MapEdge", "MapLayout", "MapNode", "map_layout",
           "render_svg", "to_svg"]

#: Node attributes a map can colour its touchpoints by (None: all alike).
COLOR_BY = ("drop_rate", "dwell_median", "dwell_mean", "dwell_p90", "service_median",
            "service_mean", None)

_COLOR_TITLE = {"drop_rate": "drop-off rate (ended here without success)",
                "dwell_median": "median wait to the next step",
                "dwell_mean": "mean wait to the next step",
                "dwell_p90": "90th-percentile wait to the next step",
                "service_median": "median service time", "service_mean": "mean service time"}
_COLOR_SHORT = {"drop_rate": "drop", "dwell_median": "median wait",
                "dwell_mean": "mean wait", "dwell_p90": "p90 wait",
                "service_median": "median service", "service_mean": "mean service"}
_VIRTUAL = {START: "start", SUCCESS: "success", DROP: "drop"}
_VIRTUAL_FILL = {START: "#cfd8dc", SUCCESS: "#a5d6a7", DROP: "#ef9a9a"}
_VIRTUAL_STROKE = {START: "#546e7a", SUCCESS: "#2e7d32", DROP: "#c62828"}
# pale sequential scale (low: green, middle: sand, high: red) so black text stays readable
_SCALE = ((0.0, (0xd9, 0xf0, 0xd3)), (0.5, (0xfd, 0xe7, 0xa9)), (1.0, (0xf2, 0x8e, 0x86)))
_MISSING_FILL = "#eceff1"
_FORWARD = "#546e7a"
_BACK = "#c0392b"
_FONT_FAMILY = "Helvetica, Arial, 'Liberation Sans', 'Nimbus Sans', sans-serif"

# Helvetica / Arial advance widths (1/1000 em) of printable ASCII: regular and bold
_ASCII = "".join(chr(c) for c in range(32, 127))
_W_REGULAR = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584)
_W_BOLD = (
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584)
_WIDTHS = (dict(zip(_ASCII, _W_REGULAR)), dict(zip(_ASCII, _W_BOLD)))
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width of ``text`` set in Helvetica/Arial at ``size`` (5% spare for look-alikes).

    Characters outside ASCII count as wide (East Asian) or as an average Latin letter.

    >>> round(text_width("web", 10.0), 1)  # (722 + 556 + 556) / 1000 * 10 * 1.05
    19.3
    """
    table = _WIDTHS[1 if bold else 0]
    total = 0.0
    for ch in str(text):
        w = table.get(ch)
        if w is None:
            w = 1000 if unicodedata.east_asian_width(ch) in "WF" else 620
        total += w
    return total * size / 1000.0 * 1.05


@attrs.frozen
class MapNode:
    """A box of the map: the node, its text and its place (top-left corner, y downwards)."""

    node: object
    label: str
    lines: tuple
    layer: int
    x: float
    y: float
    width: float
    height: float
    fill: str
    stroke: str
    text_color: str
    virtual: bool
    title: str
    baselines: tuple = ()
    value: float | None = None

    @property
    def box(self) -> tuple:
        """``(x0, y0, x1, y1)``."""
        return (self.x, self.y, self.x + self.width, self.y + self.height)


@attrs.frozen
class MapEdge:
    """A drawn transition: a path of line and cubic segments, its arrowhead and label."""

    source: object
    target: object
    count: int
    back: bool
    width: float
    path: tuple
    arrow: tuple
    label: str | None
    label_box: tuple | None
    color: str
    title: str


@attrs.frozen
class LegendEntry:
    """One mark of the legend: ``kind`` is 'text', 'heading', 'swatch', 'pill' or 'line'."""

    kind: str
    x: float
    y: float
    width: float
    height: float
    text: str = ""
    fill: str = "none"
    stroke: str = "none"
    dash: bool = False
    line_width: float = 1.0


@attrs.frozen
class MapLayout:
    """The journey map laid out: boxes, edge paths, labels and legend in SVG units.

    Attributes
    ----------
    nodes : tuple of MapNode
        Every drawn node, with ``layer`` (column, 0 = the start node's) and its box.
    edges : tuple of MapEdge
        Every drawn transition (self-loops are shown as a ``↻`` line in their node).
    legend : tuple of LegendEntry
    width, height : float
        Size of the picture.
    title : str
    font_size : float
        Size of the touchpoint names; details use 85%, edge labels 80% of it.
    n_layers : int
    hidden_edges : int
        Transitions of the graph (self-loops included) not drawn: below ``min_share`` or
        beyond ``top_edges``.
    title_box : tuple
        ``(x, y, width, height)`` of the title line.
    color_range : tuple
        ``(low, high)`` of the colour scale (the nodes' ``value``).
    """

    nodes: tuple
    edges: tuple
    legend: tuple
    width: float
    height: float
    title: str
    font_size: float
    n_layers: int
    hidden_edges: int
    title_box: tuple = (0.0, 0.0, 0.0, 0.0)
    color_range: tuple = (0.0, 1.0)

    def node(self, node: str) -> MapNode:
        """The box of ``node``."""
        if not isinstance(node, str):
            v.fail("node", "MapLayout.node", "a node label (str)", node, wrong_type=True)
        for n in self.nodes:
            if n.node == node:
                return n
        v.fail("node", "MapLayout.node", "a node drawn on the map", node)


# ----------------------------------------------------------------------------- helpers


def _checked_measure(measure, func: str):
    """The caller's ``measure``, whose failures and non-widths get the library's error."""
    if not callable(measure):
        v.fail("measure", func, "None or a callable (text, size, bold) -> width", measure,
               wrong_type=True)

    def checked(text: str, size: float, bold: bool) -> float:
        try:
            width = measure(text, size, bold)
        except Exception as error:  # the caller's function failed: say so in our shape
            v.fail("measure", func, "a callable (text, size, bold) -> width that works",
                   got=f"{type(error).__name__}: {error}")
        if isinstance(width, bool) or not isinstance(width, numbers.Real) or \
                not math.isfinite(width) or width < 0:
            v.fail("measure", func, "a callable returning a finite width >= 0",
                   got=f"{width!r} for {text!r}")
        return float(width)

    return checked


def _mix(t: float) -> str:
    t = min(max(t, 0.0), 1.0)
    for (t0, c0), (t1, c1) in itertools.pairwise(_SCALE):
        if t <= t1:
            u = (t - t0) / (t1 - t0)
            rgb = [round(a + (b - a) * u) for a, b in zip(c0, c1)]
            return "#" + "".join(f"{x:02x}" for x in rgb)
    return "#" + "".join(f"{x:02x}" for x in _SCALE[-1][1])


def _darker(color: str, f: float = 0.55) -> str:
    rgb = [int(color[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x * f):02x}" for x in rgb)


def _text_on(color: str) -> str:
    r, g, b = (int(color[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return "#000000" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.45 else "#ffffff"


def _clean(text) -> str:
    """One line of label text: control characters gone, whitespace single spaces."""
    text = _BAD_XML.sub("\ufffd", str(text))
    return " ".join(text.split()) or " "


def _finite(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _fmt_value(x, color_by: str) -> str:
    if not _finite(x):
        return "n/a"
    return f"{x:.0%}" if color_by == "drop_rate" else format_duration(x)


def _wmedian(values, weights):
    """Lower weighted median, or None without weight."""
    total = sum(weights)
    if total <= 0:
        return None
    acc = 0.0
    for val, w in sorted(zip(values, weights)):
        acc += w
        if acc >= total / 2:
            return val
    return values[-1]


def _place(desired, weights, seps):
    """Least-squares positions near ``desired`` keeping order and minimum separations.

    Weighted isotonic regression (pool adjacent violators) on ``desired - offsets``.

    >>> _place([0.0, 0.0, 10.0], [1.0, 1.0, 1.0], [4.0, 4.0])
    [-2.0, 2.0, 10.0]
    """
    offsets = [0.0]
    for s in seps:
        offsets.append(offsets[-1] + s)
    blocks: list = []  # [weighted sum, weight, count]
    for d, w, o in zip(desired, weights, offsets):
        blocks.append([w * (d - o), w, 1])
        while len(blocks) > 1 and blocks[-2][0] * blocks[-1][1] > blocks[-1][0] * blocks[-2][1]:
            s, w2, c = blocks.pop()
            blocks[-1][0] += s
            blocks[-1][1] += w2
            blocks[-1][2] += c
    out = []
    for s, w, c in blocks:
        out += [s / w] * c
    return [z + o for z, o in zip(out, offsets)]


def _greedy_order(nodes, edges):
    """Eades–Lin–Smyth order, weighted: few (and light) edges point backwards in it."""
    succ = {n: {} for n in nodes}
    pred = {n: {} for n in nodes}
    for a, b, w in edges:
        succ[a][b] = succ[a].get(b, 0) + w
        pred[b][a] = pred[b].get(a, 0) + w
    alive = dict.fromkeys(nodes)
    head, tail = [], []
    while alive:
        moved = True
        while moved:
            moved = False
            for n in list(alive):
                if not any(s in alive for s in succ[n]):
                    del alive[n]
                    tail.append(n)
                    moved = True
            for n in list(alive):
                if not any(p in alive for p in pred[n]):
                    del alive[n]
                    head.append(n)
                    moved = True
        if alive:
            best = max(alive, key=lambda n: (
                sum(w for s, w in succ[n].items() if s in alive)
                - sum(w for p, w in pred[n].items() if p in alive), -list(alive).index(n)))
            del alive[best]
            head.append(best)
    return head + tail[::-1]


def _dfs_order(nodes, edges, start):
    """Reverse postorder of a depth-first search taking the busiest edge first."""
    succ = {n: [] for n in nodes}
    for a, b, w in edges:
        succ[a].append((-w, nodes.index(b), b))
    for n in succ:
        succ[n] = [b for _, _, b in sorted(succ[n])]
    seen, post = set(), []
    roots = ([start] if start is not None else []) + list(nodes)
    for root in roots:
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(succ[root]))]
        while stack:
            n, it = stack[-1]
            nxt = next((b for b in it if b not in seen), None)
            if nxt is None:
                post.append(n)
                stack.pop()
            else:
                seen.add(nxt)
                stack.append((nxt, iter(succ[nxt])))
    return post[::-1]


def _back_weight(order, edges) -> float:
    pos = {n: i for i, n in enumerate(order)}
    return sum(w for a, b, w in edges if pos[a] > pos[b])


def _sift(order, edges, part, passes: int = 4):
    """Move single nodes inside their loop's block while that lightens the backward edges."""
    order = list(order)
    incident = {n: [] for n in order}
    for a, b, w in edges:
        incident[a].append((a, b, w))
        incident[b].append((a, b, w))

    def cost(seq, n):
        pos = {m: i for i, m in enumerate(seq)}
        return sum(w for a, b, w in incident[n] if pos[a] > pos[b])

    for _ in range(passes):
        improved = False
        for n in list(order):
            block = [i for i, m in enumerate(order) if part[m] == part[n]]
            if len(block) < 2:
                continue
            i = order.index(n)
            rest = order[:i] + order[i + 1:]
            best, best_cost = order, cost(order, n)
            for t in range(block[0], block[-1] + 1):
                cand = [*rest[:t], n, *rest[t:]]
                c = cost(cand, n)
                if c < best_cost - 1e-9:
                    best, best_cost = cand, c
            if best is not order:
                order = best
                improved = True
        if not improved:
            break
    return order


def _flow_order(nodes, edges, start):
    """Nodes in flow order (few and light edges backwards) and every node's loop.

    The parts of the graph that are loops (strongly connected) in topological order, so
    that only an edge that closes a loop can point backwards; within a loop, the better of
    the weighted greedy order (Eades, Lin and Smyth) and the busiest-first depth-first
    order, improved by moving single nodes: the backward edges, drawn as rework, are then
    a light feedback set (the least travelled direction of every loop).
    """
    import networkx as nx

    g = nx.DiGraph()
    g.add_nodes_from(nodes)
    g.add_weighted_edges_from(edges)
    parts = nx.condensation(g)
    part = parts.graph["mapping"]
    best = None
    for base in (_greedy_order(nodes, edges), _dfs_order(list(nodes), edges, start)):
        rank = {n: i for i, n in enumerate(base)}
        if start is not None:
            rank[start] = -1
        first = {c: min(rank[n] for n in parts.nodes[c]["members"]) for c in parts}
        topo = list(nx.lexicographical_topological_sort(parts, key=lambda c: first[c]))
        where = {c: i for i, c in enumerate(topo)}
        order = _sift(sorted(nodes, key=lambda n: (where[part[n]], rank[n])), edges, part)
        weight = _back_weight(order, edges)
        if best is None or weight < best[1] - 1e-9:
            best = (order, weight)
    return best[0]


def _layering(order, edges, has_start, ends, passes: int = 12):
    """Layer of every node for a flow order: every edge spans at least one layer.

    An edge forward in ``order`` goes right, a backward one (rework) left. Starts from
    longest-path layering and moves one node at a time (into another layer or a new one in
    between) while the weighted length ``sum w (span - 1)`` falls, so that busy edges are
    short. Edges into the end nodes do not count (the end nodes always close the map).
    """
    pos = {n: i for i, n in enumerate(order)}
    first = 1 if has_start else 0
    dag = [(a, b, w) if pos[a] < pos[b] else (b, a, w) for a, b, w in edges]
    preds = {n: [] for n in order}
    for u, x, _ in dag:
        preds[x].append(u)
    layer = {}
    for n in order:
        if has_start and n == order[0]:
            layer[n] = 0
        elif n not in ends:
            layer[n] = max([layer[u] + 1 for u in preds[n]] + [first])
    inner = [n for n in order if n not in ends and not (has_start and n == order[0])]
    costly = [(u, x, 0.0 if (x in ends or u in ends) else w) for u, x, w in dag
              if x not in ends]

    def dense(values):
        ranks = {x: i for i, x in enumerate(sorted(set(values.values())))}
        return {n: ranks[x] for n, x in values.items()}

    def total(lay):
        out = 0.0
        for u, x, w in costly:
            span = lay[x] - lay[u]
            if span < 1:
                return math.inf
            out += w * (span - 1)
        return out

    layer = dense(layer)
    best = total(layer)
    for _ in range(passes):
        improved = False
        for n in inner:
            top = max(layer.values())
            current = layer[n]
            choice, choice_cost = current, best
            for x in (k / 2 for k in range(2 * first - 1, 2 * top + 3)):
                if x == current:
                    continue
                trial = dict(layer)
                trial[n] = x
                trial = dense(trial)
                if has_start and min(trial[m] for m in inner) < 1:
                    continue
                c = total(trial)
                if c < choice_cost - 1e-9:
                    choice, choice_cost = x, c
            if choice != current:
                layer[n] = choice
                layer = dense(layer)
                best = choice_cost
                improved = True
        if not improved:
            break
    last = max(layer.values(), default=-1) + 1
    for n in ends:
        layer[n] = last if inner or has_start else 0
    return layer


def _crossings(upper_pos, lower_pos, segs):
    """Weighted crossings of the segments between two adjacent layers, ``O(m log m)``.

    Two segments cross when their ends are in opposite orders in the two layers; a pair
    counts ``sqrt(w1 w2)``. A Fenwick tree over the lower positions, filled in the order
    of the upper ones (Barth, Jünger and Mutzel 2004, weighted).

    >>> _crossings({0: 0, 1: 1}, {2: 0, 3: 1}, [(0, 3, 4.0), (1, 2, 1.0), (0, 2, 9.0)])
    2.0
    """
    if len(segs) < 2:
        return 0.0
    pts = sorted((upper_pos[a], lower_pos[b], math.sqrt(w)) for a, b, w in segs)
    ranks = {b: i + 1 for i, b in enumerate(sorted({b for _, b, _ in pts}))}
    size = len(ranks)
    tree = [0.0] * (size + 1)
    inserted = 0.0
    total = 0.0
    k = 0
    while k < len(pts):
        end = k
        while end < len(pts) and pts[end][0] == pts[k][0]:
            end += 1
        for _, b, w in pts[k:end]:  # crossings with earlier segments ending lower
            i, below = ranks[b], 0.0
            while i > 0:
                below += tree[i]
                i -= i & -i
            total += w * (inserted - below)
        for _, b, w in pts[k:end]:
            i = ranks[b]
            while i <= size:
                tree[i] += w
                i += i & -i
            inserted += w
        k = end
    return total


# ----------------------------------------------------------------------------- layout


def _graph_of(graph, func):
    import networkx as nx

    inner = getattr(graph, "graph", None)
    if not isinstance(graph, nx.DiGraph) and isinstance(inner, nx.DiGraph):
        graph = inner
    if not isinstance(graph, nx.DiGraph):
        v.fail("graph", func, "a JourneyGraph or networkx.DiGraph from journeys.journey_graph",
               got=type(graph).__name__)
    return graph


def _n_cases(graph) -> int:
    n = graph.graph.get("n_cases")
    if n is None:
        if START in graph:
            n = sum(d.get("count", 0) for _, _, d in graph.out_edges(START, data=True))
        else:
            n = max((d.get("count", 0) for _, _, d in graph.edges(data=True)), default=0)
    return int(n)


def check_options(func, color_by, min_share, top_edges, label_share, font_size):
    """The map options checked (shared by the SVG writer and the plot function)."""
    color_by = v.check_option(color_by, "color_by", func, COLOR_BY)
    min_share = v.check_real(min_share, "min_share", func, low=0.0, high=1.0)
    label_share = v.check_real(label_share, "label_share", func, low=0.0, high=1.0)
    if top_edges is not None:
        top_edges = v.check_int(top_edges, "top_edges", func, low=1)
    font_size = v.check_real(font_size, "font_size", func, low=4.0, high=72.0)
    return color_by, min_share, top_edges, label_share, font_size


def map_layout(graph: JourneyGraph | nx.DiGraph, *, color_by: str | None = "drop_rate",
               min_share: float = 0.01, top_edges: int | None = None, label_share: float = 0.0,
               font_size: float = 12.0, title: str | None = None,
               measure: Callable | None = None) -> MapLayout:
    """Lay the journey graph out as a left-to-right map.

    Parameters
    ----------
    graph : JourneyGraph or networkx.DiGraph
        From :func:`cxpath.journeys.journey_graph`.
    color_by : str or None, default "drop_rate"
        Node attribute that colours the touchpoints (pale green low, red high; in the
        legend): ``"drop_rate"``, ``"dwell_median"``, ``"dwell_mean"``, ``"dwell_p90"``,
        ``"service_median"`` or ``"service_mean"`` (see :data:`COLOR_BY`); None colours
        all alike.
    min_share : float, default 0.01
        Leave out transitions carried by fewer than this share of the cases (0 draws
        every one). Nodes are always drawn.
    top_edges : int, optional
        Draw at most this many transitions (the busiest), after ``min_share``.
    label_share : float, default 0.0
        Label the transitions carried by at least this share of the cases (0: all drawn).
    font_size : float, default 12.0
        Size of the touchpoint names, in SVG units (points for matplotlib).
    title : str, optional
        Title line; by default the cases and the transitions drawn.
    measure : callable, optional
        ``measure(text, size, bold) -> width``; by default Helvetica/Arial widths
        (:func:`text_width`). The matplotlib plot passes its own font's measure.

    Returns
    -------
    MapLayout

    Raises
    ------
    InvalidParameterError
        For a graph that is not a journey graph or an option out of range.

    Examples
    --------
    >>> from cxpath.journeys import Journeys, journey_graph
    >>> lay = map_layout(journey_graph(Journeys.from_paths(["a > b > a > c", "a > c"])))
    >>> [(e.source, e.target) for e in lay.edges if e.back]
    [('b', 'a')]
    """
    func = "journeys.map_layout"
    graph = _graph_of(graph, func)
    color_by, min_share, top_edges, label_share, font_size = check_options(
        func, color_by, min_share, top_edges, label_share, font_size)
    measure = text_width if measure is None else _checked_measure(measure, func)
    fs = float(font_size)
    small = round(fs * 0.85, 2)
    tiny = round(fs * 0.8, 2)
    n_cases = _n_cases(graph)
    cut = min_share * n_cases

    # ---- what is drawn
    all_edges = list(graph.edges(data=True))
    loops = {a: d.get("count", 0) for a, b, d in all_edges if a == b and d.get("count", 0) >= cut}
    shown = [(a, b, d) for a, b, d in all_edges if a != b and d.get("count", 0) >= cut]
    if top_edges is not None and len(shown) > top_edges:
        keep = sorted(range(len(shown)), key=lambda i: -shown[i][2].get("count", 0))[:top_edges]
        shown = [shown[i] for i in sorted(keep)]
    hidden = len(all_edges) - len(shown) - len(loops)
    nodes = [n for n in graph.nodes
             if not (n in _VIRTUAL and n != START and graph.degree(n) == 0)]
    if START in graph and graph.degree(START) == 0 and len(nodes) > 1:
        nodes.remove(START)
    ends = [n for n in (SUCCESS, DROP) if n in nodes]

    # ---- boxes
    values = {}
    if color_by is not None:
        values = {n: graph.nodes[n].get(color_by) for n in nodes if n not in _VIRTUAL}
    finite = [x for x in values.values() if _finite(x)]
    lo, hi = (min(finite), max(finite)) if finite else (0.0, 1.0)
    if color_by == "drop_rate" and finite:
        lo = 0.0
    span = hi - lo if hi > lo else 1.0
    n_success = graph.graph.get("n_success")
    boxes = {}
    pad_x, pad_y = 0.75 * fs, 0.45 * fs
    for n in nodes:
        d = graph.nodes[n]
        if n in _VIRTUAL:
            name = _VIRTUAL[n]
            if n == START:
                count = n_cases
            else:
                count = sum(e.get("count", 0) for _, _, e in graph.in_edges(n, data=True))
                if n == SUCCESS and n_success is not None:
                    count = int(n_success)
            lines = [name, f"{count:,} cases"]
            fill, stroke = _VIRTUAL_FILL[n], _VIRTUAL_STROKE[n]
            tip = f"{name}: {count:,} cases"
        else:
            name = _clean(n)
            cases = d.get("cases", d.get("events", d.get("visits")))
            detail = [f"{cases:,} cases" if cases is not None else ""]
            if color_by is not None and color_by in d:
                detail.append(f"{_fmt_value(d[color_by], color_by)} {_COLOR_SHORT[color_by]}")
            lines = [name, " · ".join(x for x in detail if x) or " "]
            if n in loops:
                lines.append(f"↻ {loops[n]:,} repeats")
            x = values.get(n)
            fill = _mix((x - lo) / span) if _finite(x) else (
                "#ffffff" if color_by is None else _MISSING_FILL)
            stroke = _darker(fill, 0.5)
            tip = _node_tip(name, d)
        widths = [measure(line, fs if i == 0 else small, i == 0) for i, line in enumerate(lines)]
        height = 2 * pad_y + fs * 1.2 + (len(lines) - 1) * small * 1.25
        boxes[n] = dict(lines=tuple(lines), width=max(widths) + 2 * pad_x, height=height,
                        fill=fill, stroke=stroke, title=tip, label=name)

    # ---- layers
    weight = {(a, b): max(float(d.get("count", 1)), 1e-9) for a, b, d in shown}
    wedges = [(a, b, weight[a, b]) for a, b, _ in shown]
    order = _flow_order(nodes, wedges, START if START in nodes else None)
    layer = _layering(order, wedges, START in nodes, ends)
    pos = {n: i for i, n in enumerate(order)}
    dag = []  # ((u, v) in DAG direction, (source, target, back)) per shown edge
    for a, b, _ in shown:
        back = pos[a] > pos[b]
        dag.append(((b, a) if back else (a, b), (a, b, back)))
    n_layers = max(layer.values(), default=-1) + 1

    # ---- chains of items (nodes and the slots long edges pass through)
    items = list(nodes)  # item ids: the node's index, or a dummy's index past them
    item_layer = [layer[n] for n in nodes]
    index = {n: i for i, n in enumerate(nodes)}
    chains = []  # per shown edge: item ids in DAG (left to right) direction
    edge_info = []
    for (u, w_), (a, b, back) in dag:
        chain = [index[u]]
        for lay in range(layer[u] + 1, layer[w_]):
            items.append(("slot", a, b, lay))
            item_layer.append(lay)
            chain.append(len(items) - 1)
        chain.append(index[w_])
        chains.append(chain)
        edge_info.append((a, b, back, weight[a, b]))
    segs_by_gap = [[] for _ in range(max(n_layers - 1, 0))]
    nbrs = [[] for _ in items]
    for k, chain in enumerate(chains):
        wt = edge_info[k][3]
        for p, q in itertools.pairwise(chain):
            segs_by_gap[item_layer[p]].append((p, q, wt))
            nbrs[p].append((q, wt))
            nbrs[q].append((p, wt))
    layers = [[] for _ in range(n_layers)]
    init = {}
    for i, it in enumerate(items):
        init[i] = pos[it] if i < len(nodes) else pos[it[1]] + 0.5
    for i in sorted(range(len(items)), key=lambda i: (init[i], i)):
        layers[item_layer[i]].append(i)

    # ---- crossing reduction: barycentre sweeps, the best order kept
    def positions():
        return {i: k for lay in layers for k, i in enumerate(lay)}

    def total_crossings(p):
        return sum(_crossings(p, p, segs) for segs in segs_by_gap)

    def sweep(rng, side):
        p = positions()
        for li in rng:
            keys = {}
            for i in layers[li]:
                nb = [(p[j], w) for j, w in nbrs[i] if item_layer[j] == li + side]
                tot = sum(w for _, w in nb)
                keys[i] = sum(x * w for x, w in nb) / tot if tot > 0 else p[i]
            layers[li].sort(key=lambda i: (keys[i], p[i]))
            p.update((i, k) for k, i in enumerate(layers[li]))

    best = [list(x) for x in layers]
    best_c = total_crossings(positions())
    for _ in range(8):
        sweep(range(1, n_layers), -1)
        sweep(range(n_layers - 2, -1, -1), +1)
        c = total_crossings(positions())
        if c < best_c - 1e-9:
            best, best_c = [list(x) for x in layers], c
        if best_c == 0:
            break
    layers = best
    _transpose(layers, nbrs, item_layer)

    # ---- boxes tall enough to keep their edges' ends (arrowheads) apart
    widest = max((d.get("count", 0) for _, _, d in shown), default=1) or 1
    ewidth = {(a, b): 0.8 + 5.2 * d.get("count", 0) / widest for a, b, d in shown}
    sides = {}
    for a, b, back, _ in edge_info:
        w = ewidth[a, b]
        sides.setdefault((a, back), []).append(w + 0.15 * fs)  # False: right side
        sides.setdefault((b, not back), []).append(2 * _head(w)[1] + 0.15 * fs)
    for n, box in boxes.items():
        need = max(sum(sides.get((n, False), [])), sum(sides.get((n, True), [])))
        box["text_height"] = box["height"]
        box["height"] = max(box["height"], need + 0.6 * fs)

    heights = []
    for i, it in enumerate(items):
        heights.append(boxes[it]["height"] if i < len(nodes)
                       else max(ewidth[it[1], it[2]], 1.0) + 0.3 * fs)
    gap_node, gap_slot = 0.9 * fs, 0.25 * fs

    def seps(lay):
        out = []
        for i, j in itertools.pairwise(lay):
            both = i < len(nodes) and j < len(nodes)
            out.append((heights[i] + heights[j]) / 2 + (gap_node if both else gap_slot))
        return out

    y = {}
    for lay in layers:
        s = seps(lay)
        acc = [0.0]
        for x in s:
            acc.append(acc[-1] + x)
        mid = acc[-1] / 2 if acc else 0.0
        for i, a in zip(lay, acc):
            y[i] = a - mid
    for it in range(40):
        rng = range(n_layers) if it % 2 == 0 else range(n_layers - 1, -1, -1)
        for li in rng:
            lay = layers[li]
            if not lay:
                continue
            desired, ws = [], []
            for i in lay:
                tot = sum(w for _, w in nbrs[i])
                desired.append(sum(y[j] * w for j, w in nbrs[i]) / tot if tot > 0 else y[i])
                ws.append(tot + 1e-6 * widest)
            for i, val in zip(lay, _place(desired, ws, seps(lay))):
                y[i] = val

    # ---- columns and gaps
    col_w = [0.0] * n_layers
    for i, n in enumerate(nodes):
        col_w[item_layer[i]] = max(col_w[item_layer[i]], boxes[n]["width"])
    labels = {}
    for k, (a, b, back, _) in enumerate(edge_info):
        d = graph.edges[a, b]
        if d.get("count", 0) < label_share * n_cases:
            continue
        text = f"{d.get('count', 0):,}"
        t = d.get("time_median", d.get("time_mean"))
        if _finite(t) and a != START and b not in ends:
            text += f" · {format_duration(t)}"
        chain = chains[k]
        gap = item_layer[chain[-2]] if back else item_layer[chain[0]]  # next to the source
        labels[k] = (text, gap, measure(text, tiny, False) + 0.6 * fs, tiny * 1.45)
    curve = max(1.6 * fs, 16.0)
    gap_w = [3.2 * fs] * max(n_layers - 1, 0)
    for _text, gap, w, _ in labels.values():
        gap_w[gap] = max(gap_w[gap], w + 2 * curve)
    margin = fs
    title_h = fs * 1.3
    title = title if title is not None else _title(n_cases, len(shown), len(all_edges) - len(loops),
                                                  min_share, top_edges)
    x0 = [margin]
    for li in range(1, n_layers):
        x0.append(x0[-1] + col_w[li - 1] + gap_w[li - 1])

    # ---- label rows: de-overlapped within each gap, on their edge's own line
    label_y = {}
    for gap in range(len(gap_w)):
        ks = [k for k in labels if labels[k][1] == gap]
        if not ks:
            continue

        ideal = {}
        for k in ks:
            chain = chains[k]
            p = next(i for i, q in enumerate(chain) if item_layer[q] == gap)
            ideal[k] = ((y[chain[p]] + y[chain[p + 1]]) / 2, y[chain[p]], y[chain[p + 1]])
        ks.sort(key=lambda k: (*ideal[k], k))
        hs = [labels[k][3] for k in ks]
        placed = _place([ideal[k][0] for k in ks], [1.0] * len(ks),
                        [(h1 + h2) / 2 + 0.15 * fs for h1, h2 in itertools.pairwise(hs)])
        label_y.update(zip(ks, placed))

    # ---- shift so that everything is on the canvas
    tops = [y[i] - heights[i] / 2 for i in range(len(items))]
    tops += [label_y[k] - labels[k][3] / 2 for k in label_y]
    bottoms = [y[i] + heights[i] / 2 for i in range(len(items))]
    bottoms += [label_y[k] + labels[k][3] / 2 for k in label_y]
    top_y = min(tops, default=0.0)
    dy = margin + title_h + 0.6 * fs - top_y
    for i in y:
        y[i] += dy
    for k in label_y:
        label_y[k] += dy
    map_bottom = max(bottoms, default=0.0) + dy
    map_right = (x0[-1] + col_w[-1]) if n_layers else margin

    # ---- boxes placed
    out_nodes = []
    box_of = {}
    for i, n in enumerate(nodes):
        b = boxes[n]
        li = item_layer[i]
        bx = x0[li] + (col_w[li] - b["width"]) / 2
        by = y[i] - b["height"] / 2
        box_of[n] = (bx, by, bx + b["width"], by + b["height"])
        out_nodes.append(MapNode(node=n, label=b["label"], lines=b["lines"], layer=li,
                                 x=bx, y=by, width=b["width"], height=b["height"],
                                 fill=b["fill"], stroke=b["stroke"],
                                 text_color=_text_on(b["fill"]), virtual=n in _VIRTUAL,
                                 title=b["title"], baselines=_baselines(
                                     by + (b["height"] - b["text_height"]) / 2,
                                     len(b["lines"]), fs, pad_y),
                                 value=values.get(n) if _finite(values.get(n)) else None))

    # ---- edges routed: ports on the box sides, runs through slots and labels
    runs = []
    for k, chain in enumerate(chains):
        a, b, back, _ = edge_info[k]
        seq = chain[::-1] if back else chain
        r = []
        for p, q in itertools.pairwise(seq):
            gap = min(item_layer[p], item_layer[q])
            if k in labels and labels[k][1] == gap:
                cx = x0[gap] + col_w[gap] + gap_w[gap] / 2
                w = labels[k][2]
                r.append((cx - w / 2, cx + w / 2, label_y[k]) if not back
                         else (cx + w / 2, cx - w / 2, label_y[k]))
            if q >= len(nodes):
                li = item_layer[q]
                r.append((x0[li], x0[li] + col_w[li], y[q]) if not back
                         else (x0[li] + col_w[li], x0[li], y[q]))
        runs.append(r)
    ports = {}  # (node, side) -> [(next y, k, end)]
    for k in range(len(chains)):
        a, b, back, _ = edge_info[k]
        r = runs[k]
        first_y = r[0][2] if r else y[index[b]]
        last_y = r[-1][2] if r else y[index[a]]
        ports.setdefault((a, "left" if back else "right"), []).append((first_y, k, "out"))
        ports.setdefault((b, "right" if back else "left"), []).append((last_y, k, "in"))
    port_y = {}
    for (n, _), lst in ports.items():
        _bx0, by0, _bx1, by1 = box_of[n]
        lst.sort(key=lambda t: (t[0], t[1]))
        slot = []
        for _, k, end in lst:
            w = ewidth[edge_info[k][0], edge_info[k][1]]
            slot.append(w + 0.15 * fs if end == "out" else 2 * _head(w)[1] + 0.15 * fs)
        at = (by0 + by1) / 2 - sum(slot) / 2
        for (_, k, end), h in zip(lst, slot):
            port_y[k, end] = at + h / 2
            at += h
    out_edges = []
    for k in range(len(chains)):
        a, b, back, _ = edge_info[k]
        d = graph.edges[a, b]
        w = ewidth[a, b]
        sx = box_of[a][0] if back else box_of[a][2]
        tx = box_of[b][2] if back else box_of[b][0]
        sgn = -1.0 if back else 1.0
        head, half = _head(w)
        start = (sx, port_y[k, "out"])
        end = (tx - sgn * head, port_y[k, "in"])
        pts = [start, *[p for x_a, x_b, yy in runs[k] for p in ((x_a, yy), (x_b, yy))], end]
        path = [("M", *pts[0])]
        for (xa, ya), (xb, yb), idx in zip(pts, pts[1:], range(len(pts) - 1)):
            if idx % 2 == 1 or abs(yb - ya) < 1e-6:  # along a run: straight
                path.append(("L", xb, yb))
            else:
                mx = (xb - xa) / 2
                path.append(("C", xa + mx, ya, xb - mx, yb, xb, yb))
        tip = (tx, end[1])
        arrow = (tip, (end[0], end[1] - half), (end[0], end[1] + half))
        lbox = None
        text = None
        if k in labels:
            text, gap, lw, lh = labels[k]
            cx = x0[gap] + col_w[gap] + gap_w[gap] / 2
            lbox = (cx - lw / 2, label_y[k] - lh / 2, lw, lh)
        out_edges.append(MapEdge(source=a, target=b, count=int(d.get("count", 0)), back=back,
                                 width=w, path=tuple(path), arrow=arrow, label=text,
                                 label_box=lbox, color=_BACK if back else _FORWARD,
                                 title=_edge_tip(a, b, d)))

    # ---- legend under the map
    legend, legend_bottom, legend_right = _legend(
        margin, map_bottom + 1.2 * fs, max(map_right, 40 * fs), fs, measure, color_by, lo, hi,
        finite, values, ends, bool(loops), any(e.back for e in out_edges), START in nodes)
    width = max(map_right, legend_right, margin + measure(title, fs * 1.1, True)) + margin
    height = max(map_bottom, legend_bottom) + margin
    return MapLayout(nodes=tuple(out_nodes), edges=tuple(out_edges), legend=tuple(legend),
                     width=round(width, 1), height=round(height, 1), title=title,
                     font_size=fs, n_layers=n_layers, hidden_edges=hidden,
                     title_box=(margin, margin, measure(title, fs * 1.1, True), title_h),
                     color_range=(lo, hi))


def _head(width: float) -> tuple:
    """(length, half width) of the arrowhead of an edge this wide."""
    return max(7.0, 2.0 * width), max(3.2, 1.0 * width)


def _baselines(top: float, n_lines: int, fs: float, pad_y: float) -> tuple:
    """Baselines of a box's lines: the name in ``fs``, then the details in 85%."""
    small = round(fs * 0.85, 2)
    out = [top + pad_y + 0.9 * fs]
    for i in range(1, n_lines):
        out.append(top + pad_y + 1.2 * fs + (i - 1) * small * 1.25 + 0.95 * small)
    return tuple(out)


def _transpose(layers, nbrs, item_layer, rounds: int = 4):
    """Swap neighbours in a column where that removes crossings (Gansner et al. 1993).

    The change of a swap involves only the two items' own segments.
    """
    pos = {i: k for lay in layers for k, i in enumerate(lay)}

    def sides(i):
        out = {}
        for j, w in nbrs[i]:
            out.setdefault(item_layer[j], []).append((pos[j], math.sqrt(w)))
        return out

    for _ in range(rounds):
        improved = False
        for lay in layers:
            for k in range(len(lay) - 1):
                u, v = lay[k], lay[k + 1]
                su, sv = sides(u), sides(v)
                delta = 0.0
                for side, ends in su.items():
                    for p, wu in ends:
                        for q, wv in sv.get(side, ()):
                            if p > q:
                                delta -= wu * wv  # u above v: these cross now
                            elif p < q:
                                delta += wu * wv  # and these would after the swap
                if delta < -1e-9:
                    lay[k], lay[k + 1] = v, u
                    pos[u], pos[v] = k + 1, k
                    improved = True
        if not improved:
            break


def _title(n_cases, shown, total, min_share, top_edges) -> str:
    text = f"Journey map · {n_cases:,} cases · {shown} of {total} transitions drawn"
    rules = []
    if min_share > 0:
        rules.append(f"≥ {min_share:.0%} of cases" if min_share >= 0.01
                     else f"≥ {min_share:.1%} of cases")
    if top_edges is not None:
        rules.append(f"busiest {top_edges}")
    return text + (f" ({', '.join(rules)})" if rules else "")


def _node_tip(name, d) -> str:
    parts = [name]
    if "visits" in d:
        parts.append(f"{d['visits']:,} visits, {d.get('cases', 0):,} cases")
    if "drop_rate" in d and _finite(d["drop_rate"]):
        parts.append(f"{d.get('drop_exits', 0):,} end here without success "
                     f"({d['drop_rate']:.0%})")
    if _finite(d.get("dwell_median")):
        parts.append(f"median wait to the next step {format_duration(d['dwell_median'])}")
    if _finite(d.get("service_median")):
        parts.append(f"median service {format_duration(d['service_median'])}")
    return "\n".join(parts)


def _edge_tip(a, b, d) -> str:
    name = lambda n: _VIRTUAL.get(n, _clean(n))  # noqa: E731
    text = f"{name(a)} → {name(b)}: {d.get('count', 0):,} transitions"
    if _finite(d.get("probability")):
        text += f" ({d['probability']:.0%} of the ways out of {name(a)})"
    if _finite(d.get("time_median")):
        text += f"\nmedian wait {format_duration(d['time_median'])}"
        if _finite(d.get("time_p90")):
            text += f", p90 {format_duration(d['time_p90'])}"
    elif _finite(d.get("time_mean")):
        text += f"\nmean wait {format_duration(d['time_mean'])}"
    return text


def _legend(x, y, max_width, fs, measure, color_by, lo, hi, finite, values, ends, loops,
            back, has_start):
    """Legend entries in rows under the map: (entries, bottom, right)."""
    small = round(fs * 0.85, 2)
    row_h = small * 1.9
    entries = []
    cur_x, cur_y = x, y
    right = x

    def put(parts, gap=1.4 * fs):
        """Place a group of marks on the current row (wrapping first if needed)."""
        nonlocal cur_x, cur_y, right
        width = sum(w for _, w in parts)
        if cur_x > x and cur_x + width > x + max_width:
            cur_x, cur_y = x, cur_y + row_h
        for make, w in parts:
            entries.append(make(cur_x, cur_y))
            cur_x += w
        right = max(right, cur_x)
        cur_x += gap

    def text(s, bold=False):
        w = measure(s, small, bold) + 0.4 * fs
        kind = "heading" if bold else "text"
        return (lambda px, py: LegendEntry(kind, px, py, w, row_h * 0.8, s)), w

    sw = 1.6 * fs
    if color_by is not None:
        put([text("Touchpoint colour: " + _COLOR_TITLE[color_by], True)], gap=0.6 * fs)
        steps = 5 if finite and hi > lo else 1
        group = []
        for s in range(steps):
            val = lo + (hi - lo) * s / max(steps - 1, 1)
            fill = _mix((val - lo) / (hi - lo)) if hi > lo else _mix(0.0)
            group.append(((lambda px, py, f=fill: LegendEntry(
                "swatch", px, py + row_h * 0.15, sw, row_h * 0.5, fill=f, stroke=_darker(f))),
                sw + 0.25 * fs))
            group.append(text(_fmt_value(val, color_by)))
        put(group)
        if any(not _finite(val) for val in values.values()):
            put([((lambda px, py: LegendEntry("swatch", px, py + row_h * 0.15, sw,
                                              row_h * 0.5, fill=_MISSING_FILL,
                                              stroke=_darker(_MISSING_FILL))), sw + 0.25 * fs),
                 text("no data")])
    marks = ([START] if has_start else []) + list(ends)
    if marks:
        group = []
        for n in marks:
            group.append(((lambda px, py, n=n: LegendEntry(
                "pill", px, py + row_h * 0.15, sw, row_h * 0.5, fill=_VIRTUAL_FILL[n],
                stroke=_VIRTUAL_STROKE[n])), sw + 0.25 * fs))
            what = {START: "start", SUCCESS: "success", DROP: "drop: ended without success"}[n]
            group.append(text(what))
        put(group)
    put([((lambda px, py: LegendEntry("line", px, py + row_h * 0.4, 2.2 * fs, 0,
                                      stroke=_FORWARD, line_width=3.0)), 2.5 * fs),
         text("transition (width: cases; label: count · median wait)")])
    if back:
        put([((lambda px, py: LegendEntry("line", px, py + row_h * 0.4, 2.2 * fs, 0,
                                          stroke=_BACK, dash=True, line_width=2.0)),
              2.5 * fs),
             text("rework: back to an earlier step")])
    if loops:
        put([text("↻ repeats: the step followed by itself")])
    return entries, cur_y + row_h, right


# ----------------------------------------------------------------------------- SVG


def _n(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".") if math.isfinite(x) else "0"


def _esc(text) -> str:
    text = _BAD_XML.sub("\ufffd", str(text))
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


def path_d(path) -> str:
    """SVG path data of a :class:`MapEdge` path."""
    out = []
    for cmd, *xy in path:
        out.append(cmd + " ".join(_n(c) for c in xy))
    return " ".join(out)


def render_svg(layout: MapLayout, *, scalable: bool = False) -> str:
    """Write a :class:`MapLayout` as a self-contained SVG document.

    Parameters
    ----------
    layout : MapLayout
        From :func:`map_layout`.
    scalable : bool, default False
        Let the picture shrink to the width of its container (``max-width: 100%``);
        otherwise it keeps its natural size (the ``viewBox`` scales it either way).

    Returns
    -------
    str
        The SVG text: hover titles on every box and edge, no external resources,
        identical for identical input.

    Examples
    --------
    >>> import xml.etree.ElementTree as ET
    >>> from cxpath.journeys import Journeys, journey_graph
    >>> j = Journeys.from_events(case=[1, 1], touchpoint=["a & b", "<c>"])
    >>> svg = render_svg(map_layout(journey_graph(j)))
    >>> ET.fromstring(svg).tag, "a &amp; b" in svg
    ('{http://www.w3.org/2000/svg}svg', True)
    """
    if not isinstance(layout, MapLayout):
        v.fail("layout", "journeys.render_svg", "a MapLayout (journeys.graph_svg.map_layout)",
               got=type(layout).__name__)
    scalable = v.check_bool(scalable, "scalable", "journeys.render_svg")
    fs = layout.font_size
    small, tiny = round(fs * 0.85, 2), round(fs * 0.8, 2)
    w, h = layout.width, layout.height
    style = ' style="max-width:100%;height:auto"' if scalable else ""
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(w)} {_n(h)}" '
           f'width="{_n(w)}" height="{_n(h)}" font-family="{_esc(_FONT_FAMILY)}" '
           f'font-size="{_n(fs)}" role="img" aria-label="{_esc(layout.title)}"{style}>',
           f"<title>{_esc(layout.title)}</title>",
           f'<rect x="0" y="0" width="{_n(w)}" height="{_n(h)}" fill="#ffffff"/>']
    tx, ty, _, th = layout.title_box
    out.append(f'<text x="{_n(tx)}" y="{_n(ty + th * 0.8)}" font-size="{_n(fs * 1.1)}" '
               f'font-weight="bold" fill="#263238">{_esc(layout.title)}</text>')
    out.append('<g class="edges" fill="none" stroke-linecap="round">')
    for e in sorted(layout.edges, key=lambda e: -e.count):
        dash = ' stroke-dasharray="6 4"' if e.back else ""
        (x1, y1), (x2, y2), (x3, y3) = e.arrow
        out.append(f'<g class="edge{" rework" if e.back else ""}"><title>{_esc(e.title)}'
                   f'</title><path d="{path_d(e.path)}" stroke="{e.color}" '
                   f'stroke-width="{_n(e.width)}" stroke-opacity="0.6"{dash}/>'
                   f'<path d="M{_n(x1)} {_n(y1)} L{_n(x2)} {_n(y2)} L{_n(x3)} {_n(y3)} Z" '
                   f'fill="{e.color}" fill-opacity="0.85"/></g>')
    out.append("</g>")
    out.append('<g class="edge-labels">')
    for e in layout.edges:
        if e.label_box is None:
            continue
        bx, by, bw, bh = e.label_box
        color = _BACK if e.back else "#263238"
        out.append(f'<g class="edge-label"><title>{_esc(e.title)}</title>'
                   f'<rect x="{_n(bx)}" y="{_n(by)}" width="{_n(bw)}" height="{_n(bh)}" '
                   f'rx="{_n(bh / 2)}" fill="#ffffff" fill-opacity="0.92" stroke="{e.color}" '
                   f'stroke-opacity="0.35" stroke-width="0.6"/>'
                   f'<text x="{_n(bx + bw / 2)}" y="{_n(by + bh / 2 + tiny * 0.35)}" '
                   f'font-size="{_n(tiny)}" text-anchor="middle" fill="{color}">'
                   f"{_esc(e.label)}</text></g>")
    out.append("</g>")
    out.append('<g class="nodes">')
    for n in layout.nodes:
        rx = n.height / 2 if n.virtual else 0.35 * fs
        out.append(f'<g class="node{" virtual" if n.virtual else ""}"><title>{_esc(n.title)}'
                   f'</title><rect x="{_n(n.x)}" y="{_n(n.y)}" width="{_n(n.width)}" '
                   f'height="{_n(n.height)}" rx="{_n(rx)}" fill="{n.fill}" '
                   f'stroke="{n.stroke}" stroke-width="{1.6 if n.virtual else 1.0}"/>')
        cx = n.x + n.width / 2
        for i, (line, base) in enumerate(zip(n.lines, n.baselines)):
            size = fs if i == 0 else small
            weight = ' font-weight="bold"' if i == 0 else ""
            out.append(f'<text x="{_n(cx)}" y="{_n(base)}" font-size="{_n(size)}"{weight} '
                       f'text-anchor="middle" fill="{n.text_color}">{_esc(line)}</text>')
        out.append("</g>")
    out.append("</g>")
    out.append('<g class="legend">')
    for e in layout.legend:
        out.append(_legend_svg(e, small))
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _legend_svg(e: LegendEntry, small: float) -> str:
    if e.kind in ("text", "heading"):
        weight = ' font-weight="bold"' if e.kind == "heading" else ""
        return (f'<text x="{_n(e.x)}" y="{_n(e.y + e.height * 0.72)}" font-size="{_n(small)}"'
                f'{weight} fill="#263238">{_esc(e.text)}</text>')
    if e.kind in ("swatch", "pill"):
        rx = e.height / 2 if e.kind == "pill" else 2
        return (f'<rect x="{_n(e.x)}" y="{_n(e.y)}" width="{_n(e.width)}" '
                f'height="{_n(e.height)}" rx="{_n(rx)}" fill="{e.fill}" stroke="{e.stroke}"/>')
    dash = ' stroke-dasharray="6 4"' if e.dash else ""
    return (f'<line x1="{_n(e.x)}" y1="{_n(e.y)}" x2="{_n(e.x + e.width)}" y2="{_n(e.y)}" '
            f'stroke="{e.stroke}" stroke-width="{_n(e.line_width)}" stroke-opacity="0.8"'
            f'{dash}/>')


def to_svg(graph: JourneyGraph | nx.DiGraph, path: str | os.PathLike | None = None,
           **options: Any) -> str | None:
    """Draw the journey graph as an SVG journey map.

    Parameters
    ----------
    graph : JourneyGraph or networkx.DiGraph
        From :func:`cxpath.journeys.journey_graph`.
    path : str or os.PathLike, optional
        File to write (UTF-8). Without it the SVG text is returned.
    **options
        ``color_by``, ``min_share``, ``top_edges``, ``label_share``, ``font_size``,
        ``title`` of :func:`map_layout`, and ``scalable`` of :func:`render_svg`.

    Returns
    -------
    str or None
        The SVG text, or None when written to ``path``.

    Examples
    --------
    >>> from cxpath.journeys import Journeys, journey_graph
    >>> from cxpath.journeys.graph_svg import to_svg
    >>> "web" in to_svg(journey_graph(Journeys.from_paths(["web > chat"])))
    True
    """
    func = "journeys.to_svg"
    if path is not None:
        path = v.check_path(path, "path", func)
    scalable = v.check_bool(options.pop("scalable", False), "scalable", func)
    unknown = sorted(set(options) - {"color_by", "min_share", "top_edges", "label_share",
                                     "font_size", "title"})
    if unknown:
        v.fail("options", func, "options of map_layout (color_by, min_share, top_edges, "
               "label_share, font_size, title) or scalable", got=", ".join(unknown))
    text = render_svg(map_layout(graph, **options), scalable=scalable)
    if path is None:
        return text
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    return None
