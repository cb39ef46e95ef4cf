"""The journey graph: touchpoints as nodes, transitions as edges, with virtual start/end."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _validate as v
from .._results import Result, derived_columns, drawn_by, duration_columns, result
from .._stats import quantiles_by_group
from .model import Journeys

if TYPE_CHECKING:
    import networkx as nx
    from networkx.classes.coreviews import AdjacencyView
    from networkx.classes.reportviews import (
        DiDegreeView,
        InDegreeView,
        InEdgeView,
        NodeView,
        OutDegreeView,
        OutEdgeView,
    )

    from .graph_svg import MapLayout
    from .segments import Segmented
    from .stats import JourneyStats

__all__ = ["DROP", "START", "SUCCESS", "JourneyGraph", "journey_graph"]

START, SUCCESS, DROP = "__start__", "__success__", "__drop__"

_MUTATORS = frozenset({"add_node", "add_nodes_from", "remove_node", "remove_nodes_from",
                       "add_edge", "add_edges_from", "add_weighted_edges_from", "remove_edge",
                       "remove_edges_from", "update", "clear", "clear_edges"})
_NX_DUNDERS = frozenset({"__networkx_backend__", "__networkx_cache__"})
_EDGE_TIMES = (("time_median", "median_wait_h"), ("time_p90", "p90_wait_h"),
               ("time_mean", "mean_wait_h"), ("time_min", "min_wait_h"),
               ("time_max", "max_wait_h"))


@drawn_by("journey_graph")
@result
class JourneyGraph(Result):
    """The journey graph: a :class:`networkx.DiGraph` with its edge table and journey map.

    ``journey_graph`` returns it. It reads like the graph it wraps — ``g.nodes``,
    ``g.edges(data=True)``, ``g["a"]["b"]``, ``"a" in g``, ``len(g)`` (nodes),
    ``g.number_of_edges()``, ``g.successors("a")`` … are the graph's own, read-only —, shows
    as a journey map in notebooks (SVG, drawn by cxpath, no Graphviz needed) and exports to
    DOT, Mermaid, GraphML and SVG. The rest of the graph's read-only API is passed on too
    (``g.order()``, ``g.subgraph(…)``), so networkx algorithms that only read a graph
    accept it (``nx.shortest_path(g, …)``); the methods that change a graph are refused.
    Pass ``g.graph`` where a real DiGraph is needed (``nx.relabel_nodes(g.graph, …)``,
    ``isinstance`` checks) and change a copy (``g.graph.copy()``).

    Attributes
    ----------
    graph : networkx.DiGraph
        The graph itself: nodes, edges and attributes as documented in
        :func:`journey_graph`. Its own graph-level attributes (``n_cases``, ``n_success``)
        are in ``g.graph.graph``, as for any networkx graph.
    n_cases : int
        Cases (weighted) the graph was built from.
    n_success : int
        Of which successful.
    min_count : int
    min_coverage : float
        The filters it was built with.

    Notes
    -----
    The table (``to_frame()``, the repr) lists the edges, busiest first; its wait columns
    are timedeltas in ``to_frame()`` (the graph keeps seconds). ``g.loc((source,
    target))`` gives one edge's row. Unlike other results, ``g[node]``, ``node in g`` and
    ``iter(g)`` are the graph's (adjacency, node membership, nodes), as they were when
    ``journey_graph`` returned the bare DiGraph.

    Examples
    --------
    >>> from cxpath.journeys import Journeys, journey_graph
    >>> j = Journeys.from_events(case=[1, 1, 1, 2], touchpoint=["web", "chat", "ok", "web"],
    ...                          success={"ok"})
    >>> g = journey_graph(j)
    >>> g.number_of_nodes(), g["web"]["chat"]["count"], g.n_cases, "chat" in g
    (6, 1, 2, True)
    >>> g.to_frame("dict")["target"].tolist()
    ['web', 'ok', '__success__', '__drop__', 'chat']
    >>> g.to_svg().count("<rect") > g.number_of_nodes()
    True
    """

    graph: nx.DiGraph
    n_cases: int
    n_success: int
    min_count: int = 1
    min_coverage: float = 0.0

    _duration_columns = duration_columns(**{name: 3600.0 for _, name in _EDGE_TIMES})
    _key = ("source", "target")
    _derived = derived_columns({
        "source": "the edge's source node (``graph.edges``)",
        "target": "the edge's target node",
        "count": "edge attribute ``count``: weighted cases' transitions",
        "probability": "edge attribute ``probability``: count / all ways out of the source",
        "success_share": "edge attribute ``success_share`` (NaN on start and end edges)",
        **{name: f"edge attribute ``{attr}`` (seconds) in hours" for attr, name in _EDGE_TIMES},
    })

    # -- the table and the repr
    def _title(self) -> str:
        return "JourneyGraph"

    def _summary(self) -> list[str]:
        touch = sum(1 for n in self.graph if n not in (START, SUCCESS, DROP))
        rate = f" ({self.n_success / self.n_cases:.0%})" if self.n_cases else ""
        cases = "case" if self.n_cases == 1 else "cases"
        line = (f"{touch} touchpoints, {self.graph.number_of_edges()} edges; "
                f"{self.n_cases:,} {cases}, {self.n_success:,} successful{rate}")
        rules = []
        if self.min_count > 1:
            rules.append(f"edges seen at least {self.min_count} times")
        if self.min_coverage > 0:
            rules.append(f"touchpoints reached by at least {self.min_coverage:.0%} of cases")
        if rules:
            line += "; " + ", ".join(rules)
        return [line]

    def _columns(self) -> dict:
        edges = sorted(self.graph.edges(data=True), key=lambda e: -e[2].get("count", 0))
        cols = {"source": np.array([a for a, _, _ in edges], dtype=object),
                "target": np.array([b for _, b, _ in edges], dtype=object),
                "count": np.array([d.get("count", 0) for _, _, d in edges], dtype=np.int64),
                "probability": np.array([d.get("probability", np.nan) for _, _, d in edges],
                                        dtype=float),
                "success_share": np.array([d.get("success_share", np.nan)
                                           for _, _, d in edges], dtype=float)}
        for attr, name in _EDGE_TIMES:
            if any(attr in d for _, _, d in edges):
                cols[name] = np.array([d.get(attr, np.nan) for _, _, d in edges],
                                      dtype=float) / 3600.0
        return cols

    def to_dict(self) -> dict:
        """All fields as JSON-ready values; the graph as node-link data.

        ``networkx.node_link_graph(d["graph"], edges="edges")`` rebuilds the DiGraph.

        >>> import json
        >>> from cxpath.journeys import Journeys, journey_graph
        >>> d = journey_graph(Journeys.from_paths(["web > chat"])).to_dict()
        >>> d["n_cases"], len(d["graph"]["edges"]), len(json.dumps(d)) > 100
        (1, 3, True)
        """
        import networkx as nx

        out = Result.to_dict(self)
        out["graph"] = nx.node_link_data(self.graph, edges="edges")
        return out

    # -- pictures and exports
    def to_svg(self, path: str | os.PathLike | None = None, **options: Any) -> str | None:
        """The journey map as SVG text, or written to ``path``.

        Options of :func:`cxpath.journeys.graph_svg.map_layout` (``color_by``,
        ``min_share``, ``top_edges``, ``label_share``, ``font_size``, ``title``) and
        ``scalable`` (shrink to the container's width).

        >>> from cxpath.journeys import Journeys, journey_graph
        >>> journey_graph(Journeys.from_paths(["web > chat"])).to_svg()[:4]
        '<svg'
        """
        from .graph_svg import to_svg

        return to_svg(self.graph, path, **options)

    def layout(self, **options: Any) -> MapLayout:
        """The journey map's layout (:class:`~cxpath.journeys.graph_svg.MapLayout`): boxes,
        edge paths, labels and legend, for checks or other renderers.

        >>> from cxpath.journeys import Journeys, journey_graph
        >>> lay = journey_graph(Journeys.from_paths(["web > chat"])).layout()
        >>> lay.node("web").layer < lay.node("chat").layer
        True
        """
        from .graph_svg import map_layout

        return map_layout(self.graph, **options)

    def _repr_svg_(self) -> str:
        return self.to_svg()

    def _repr_html_(self) -> str:
        table = Result._repr_html_(self)
        head, _, rest = table.partition("<table>")
        return (f'{head}<div style="overflow-x:auto;max-width:100%">{self.to_svg()}</div>'
                f"<details><summary>edge table</summary><table>{rest}</details>"
                if rest else f"{head}{self.to_svg()}")

    def to_dot(self, **options: Any) -> str:
        """DOT text (:func:`cxpath.journeys.to_dot`)."""
        from .export import to_dot

        return to_dot(self.graph, **options)

    def to_mermaid(self, **options: Any) -> str:
        """Mermaid text (:func:`cxpath.journeys.to_mermaid`)."""
        from .export import to_mermaid

        return to_mermaid(self.graph, **options)

    def to_graphml(self, path: str | os.PathLike | None = None) -> str | None:
        """GraphML text, or written to ``path`` (:func:`cxpath.journeys.to_graphml`)."""
        from .export import to_graphml

        return to_graphml(self.graph, path)

    # -- the graph's read-only API
    @property
    def nodes(self) -> NodeView:
        """The graph's node view (``g.nodes["web"]``, ``g.nodes(data=True)``)."""
        return self.graph.nodes

    @property
    def edges(self) -> OutEdgeView:
        """The graph's edge view (``g.edges["a", "b"]``, ``g.edges(data=True)``)."""
        return self.graph.edges

    @property
    def adj(self) -> AdjacencyView:
        return self.graph.adj

    @property
    def succ(self) -> AdjacencyView:
        return self.graph.succ

    @property
    def pred(self) -> AdjacencyView:
        return self.graph.pred

    @property
    def in_edges(self) -> InEdgeView:
        return self.graph.in_edges

    @property
    def out_edges(self) -> OutEdgeView:
        return self.graph.out_edges

    @property
    def in_degree(self) -> InDegreeView:
        return self.graph.in_degree

    @property
    def out_degree(self) -> OutDegreeView:
        return self.graph.out_degree

    @property
    def degree(self) -> DiDegreeView:
        return self.graph.degree

    def __getitem__(self, node: str) -> Any:
        return self.graph[node]

    def __contains__(self, node: object) -> bool:
        return node in self.graph

    def __iter__(self) -> Iterator[str]:
        return iter(self.graph)

    def __len__(self) -> int:
        return len(self.graph)

    def number_of_nodes(self) -> int:
        return self.graph.number_of_nodes()

    def _node(self, node: object, name: str, method: str, *, known: bool = True) -> str:
        """``node`` checked: a label (``InvalidTypeError`` otherwise) and, with ``known``, a
        node of the graph (``UnknownLabelError`` with the closest labels otherwise)."""
        import difflib

        from ..errors import UnknownLabelError

        func = f"JourneyGraph.{method}"
        if not isinstance(node, str):
            v.fail(name, func, "a node label (str)", node, wrong_type=True)
        if known and node not in self.graph:
            close = difflib.get_close_matches(node, [str(n) for n in self.graph], n=5)
            hint = f" (closest: {', '.join(map(repr, close))})" if close else ""
            raise UnknownLabelError(v.message(name, func, "a node of the journey graph",
                                              f"{node!r}{hint}"))
        return node

    def number_of_edges(self, u: str | None = None, v: str | None = None) -> int:
        if u is None and v is None:
            return self.graph.number_of_edges()
        return self.graph.number_of_edges(self._node(u, "u", "number_of_edges"),
                                          self._node(v, "v", "number_of_edges"))

    def has_node(self, node: str) -> bool:
        return self._node(node, "node", "has_node", known=False) in self.graph

    def has_edge(self, u: str, v: str) -> bool:
        return self.graph.has_edge(self._node(u, "u", "has_edge", known=False),
                                   self._node(v, "v", "has_edge", known=False))

    def successors(self, node: str) -> Iterator[str]:
        return self.graph.successors(self._node(node, "node", "successors"))

    def predecessors(self, node: str) -> Iterator[str]:
        return self.graph.predecessors(self._node(node, "node", "predecessors"))

    def neighbors(self, node: str) -> Iterator[str]:
        return self.graph.neighbors(self._node(node, "node", "neighbors"))

    def is_directed(self) -> bool:
        return True

    def __getattr__(self, name: str) -> Any:
        """Other read-only parts of the graph's API (``g.order()``, ``g.subgraph(…)`` …).

        So that networkx algorithms that only read a graph accept the result too; the
        methods that change a graph are refused (change a copy: ``g.graph.copy()``).
        """
        if name == "graph" or (name.startswith("__") and name not in _NX_DUNDERS):
            raise AttributeError(name)
        if name in _MUTATORS:
            raise AttributeError(
                f"JourneyGraph is read-only: {name}() would change the journey graph; "
                f"change a copy instead (g.graph.copy().{name}(…))")
        try:
            return getattr(self.graph, name)
        except AttributeError:
            raise AttributeError(f"'JourneyGraph' object has no attribute {name!r}") from None


def is_digraph(x: object) -> bool:
    """Whether ``x`` is a networkx DiGraph, without importing networkx (when networkx is not
    loaded, nothing can be one): keeps ``import cxpath.journeys`` light."""
    nx = sys.modules.get("networkx")
    return nx is not None and isinstance(x, nx.DiGraph)


def _as_stats(journeys, func, edges=None):
    """(counts with JourneyStats' attribute names, the journeys or None)."""
    from types import SimpleNamespace

    from .stats import JourneyStats, _counts

    if isinstance(journeys, JourneyStats):
        return journeys, None
    if isinstance(journeys, Journeys):
        counts = SimpleNamespace(**_counts(journeys, edges))
        counts.n_states = len(counts.vocab)
        return counts, journeys
    v.fail("journeys", func, "a Journeys or JourneyStats", got=type(journeys).__name__)


def _graph_stats(journeys, func):
    """:func:`_as_stats` and the times the graph shows: the dwell ``(mean, median, p90)``
    per touchpoint, the transition time ``(median, p90)`` per edge and the service time
    ``(median, p90)`` per touchpoint (None without times or from statistics)."""
    from types import SimpleNamespace

    from .stats import (
        DENSE_TRANSITIONS,
        SMALL_EVENTS,
        _counts_by_edge,
        _edges,
        alongside,
        first_order,
        grouped_wait_quantiles,
        wait_bucket_table,
    )

    if not isinstance(journeys, Journeys) or journeys.times is None:
        return _as_stats(journeys, func)[0], None, None, None
    n = len(journeys.vocab)
    small = journeys.n_events < SMALL_EVENTS
    if small or n * n > DENSE_TRANSITIONS:  # the transition list: O(events + transitions)
        edges = _edges(journeys, kernel=not small)
        stats = SimpleNamespace(**_counts_by_edge(journeys, edges, not small), n_states=n)
        dwell, transition = _dwell(journeys, edges), _transition_quantiles(journeys, edges)
    else:
        hist = wait_bucket_table(journeys)
        if hist is not None:  # one thread: the counting pass also counts the waits
            counts, dwell_sum, dwell_count = first_order(journeys, hist)
            _, per_edge, per_source = grouped_wait_quantiles(journeys, [0.5, 0.9], hist)
        else:
            (counts, dwell_sum, dwell_count), (_, per_edge, per_source) = alongside(
                journeys.n_events, lambda: first_order(journeys),  # one counting pass
                lambda: grouped_wait_quantiles(journeys, [0.5, 0.9]))  # two bucket passes
        stats = SimpleNamespace(**counts, n_states=n)
        dwell = dwell_sum / np.maximum(dwell_count, 1), per_source[:, 0], per_source[:, 1]
        transition = per_edge[:, 0], per_edge[:, 1]
    service = _service_quantiles(journeys) if stats.has_service else None
    return stats, dwell, transition, service


def _transition_quantiles(journeys: Journeys, edges):
    """Median and p90 transition time of each observed transition, in edge-key order."""
    from .stats import compact_keys

    n = len(journeys.vocab)
    src, dst, wait, _ = edges
    keys, edge = compact_keys(src * n + dst, n * n)
    q = quantiles_by_group(edge, wait, len(keys), [0.5, 0.9])
    return q[:, 0], q[:, 1]


def _dwell(journeys: Journeys, edges):
    n = len(journeys.vocab)
    src, _, wait, _ = edges
    mean = np.bincount(src, weights=wait, minlength=n) / np.maximum(
        np.bincount(src, minlength=n), 1)
    q = quantiles_by_group(src, wait, n, [0.5, 0.9])
    return mean, q[:, 0], q[:, 1]


def _service_quantiles(journeys: Journeys):
    q = quantiles_by_group(journeys.codes, journeys.service_times, len(journeys.vocab), [0.5, 0.9])
    return q[:, 0], q[:, 1]


def journey_graph(journeys: Journeys | JourneyStats, *, min_count: int = 1,
                  min_coverage: float = 0.0, by: str | None = None) -> JourneyGraph | Segmented:
    """Directed graph of the journeys with virtual start, success-end and drop-end nodes.

    Parameters
    ----------
    journeys : Journeys or JourneyStats
        With :class:`JourneyStats`, times carry mean/min/max only (no median or p90).
    min_count : int, default 1
        Drop edges seen in fewer (weighted) cases' transitions than this.
    min_coverage : float, default 0.0
        Drop touchpoints reached by less than this share of cases (with their edges).
    by : str, optional
        Drill down by a case attribute: one graph per segment, in a
        :class:`~cxpath.journeys.segments.Segmented` whose table lists every segment's
        edges (``seg["x"]`` is segment x's graph).

    Returns
    -------
    JourneyGraph
        Wraps the :class:`networkx.DiGraph` (``.graph``), reads like it (``g.nodes``,
        ``g.edges``, ``g["a"]["b"]`` …), shows as a journey map in notebooks and lists the
        edges in its table. With ``by``, a
        :class:`~cxpath.journeys.segments.Segmented` of them. In the graph, nodes are
        touchpoint labels plus ``"__start__"``, ``"__success__"`` and
        ``"__drop__"``. Touchpoint node attributes: ``visits`` (events), ``cases``
        (cases reaching it), ``starts``, ``success_exits``, ``drop_exits``, ``drop_rate``
        (drop exits / cases reaching), ``dwell_mean``, ``dwell_median``, ``dwell_p90``
        (seconds to the next event in the case; for activity instances, from this
        completion to the next start), and for activity instances the service times
        ``service_mean``, ``service_min``, ``service_max``, ``service_median``,
        ``service_p90`` (start to completion, seconds). Edge attributes: ``count``,
        ``probability`` (count / all ways out of the source, exits included),
        ``success_share`` (share of the count in successful cases), and with times
        ``time_mean``, ``time_min``, ``time_max``, ``time_median``, ``time_p90`` (seconds
        between the events; for activity instances the waiting time from the source's
        completion to the target's start, 0 where they overlap).
        Edges out of start and into the end nodes carry ``count`` and ``probability``.

    Examples
    --------
    >>> from cxpath import Journeys
    >>> from cxpath.journeys import journey_graph
    >>> j = Journeys.from_events(case=[1, 1, 2], touchpoint=["web", "chat", "web"],
    ...                          timestamp=[0, 60, 0], success={"chat"})
    >>> g = journey_graph(j)
    >>> g.edges["web", "chat"]["count"], g.nodes["web"]["drop_rate"]
    (1, 0.5)
    >>> print(repr(g).splitlines()[1])
    2 touchpoints, 4 edges; 2 cases, 1 successful (50%)
    """
    import networkx as nx

    func = "journeys.journey_graph"
    min_count = v.check_int(min_count, "min_count", func, low=1)
    min_coverage = v.check_real(min_coverage, "min_coverage", func, low=0.0, high=1.0)
    if by is not None:
        from .segments import by_case_segment

        return by_case_segment(journeys, by, func, lambda sub: journey_graph(
            sub, min_count=min_count, min_coverage=min_coverage))
    stats, dwell, quantiles, service_q = _graph_stats(journeys, func)
    labels = stats.vocab
    clash = sorted(set(labels) & {START, SUCCESS, DROP})
    if clash:  # they would merge into the virtual nodes and every path through them
        v.fail("journeys", func, f"touchpoints not named {START!r}, {SUCCESS!r} or {DROP!r} "
               "(the journey graph's own start and end nodes)", got=f"touchpoints {clash}",
               data=True)
    keep = stats.reach >= min_coverage * max(stats.n_cases, 1)
    keep &= stats.reach > 0
    timed = stats.has_times
    median, p90 = (None, None) if quantiles is None else quantiles
    drops = stats.ends - stats.ends_success
    n = stats.n_states
    sources, targets = stats.edge_keys // max(n, 1), stats.edge_keys % max(n, 1)
    out_total = np.bincount(sources, weights=stats.edge_counts, minlength=n) + stats.ends
    g = nx.DiGraph(n_cases=stats.n_cases, n_success=stats.n_success)
    g.add_node(START, virtual=True)
    g.add_node(SUCCESS, virtual=True)
    g.add_node(DROP, virtual=True)
    for i in np.flatnonzero(keep):
        attrs = {"visits": int(stats.visits[i]), "cases": int(stats.reach[i]),
                 "starts": int(stats.starts[i]), "success_exits": int(stats.ends_success[i]),
                 "drop_exits": int(drops[i]),
                 "drop_rate": float(drops[i] / stats.reach[i]), "virtual": False}
        if dwell is not None:
            attrs.update(dwell_mean=float(dwell[0][i]), dwell_median=float(dwell[1][i]),
                         dwell_p90=float(dwell[2][i]))
        if stats.has_service and stats.service_count[i]:
            attrs.update(service_mean=float(stats.service_sum[i] / stats.service_count[i]),
                         service_min=float(stats.service_min[i]),
                         service_max=float(stats.service_max[i]))
            if service_q is not None:
                attrs.update(service_median=float(service_q[0][i]),
                             service_p90=float(service_q[1][i]))
        g.add_node(labels[i], **attrs)
        if stats.starts[i] >= min_count:
            g.add_edge(START, labels[i], count=int(stats.starts[i]),
                       probability=float(stats.starts[i] / max(stats.n_cases, 1)))
        for end, count in ((SUCCESS, stats.ends_success[i]), (DROP, drops[i])):
            if count >= min_count:
                g.add_edge(labels[i], end, count=int(count),
                           probability=float(count / out_total[i]))
    shown = (stats.edge_counts >= min_count) & keep[sources] & keep[targets]
    for e in np.flatnonzero(shown):
        i, j, count = sources[e], targets[e], stats.edge_counts[e]
        attrs = {"count": int(count), "probability": float(count / out_total[i]),
                 "success_share": float(stats.edge_success[e] / count)}
        if timed and stats.edge_wait_count[e]:
            attrs.update(time_mean=float(stats.edge_wait_sum[e] / stats.edge_wait_count[e]),
                         time_min=float(stats.edge_wait_min[e]),
                         time_max=float(stats.edge_wait_max[e]))
            if median is not None:
                attrs.update(time_median=float(median[e]), time_p90=float(p90[e]))
        g.add_edge(labels[i], labels[j], **attrs)
    return JourneyGraph(graph=g, n_cases=int(stats.n_cases), n_success=int(stats.n_success),
                        min_count=min_count, min_coverage=min_coverage)
