"""Export the journey graph to DOT (Graphviz), Mermaid and GraphML, without matplotlib.

These writers take the :class:`~cxpath.journeys.graph.JourneyGraph` returned by
:func:`cxpath.journeys.journey_graph` (or any journey-shaped :class:`networkx.DiGraph`, such
as ``Handovers.graph``) and return text that users render in their own tools (``dot
-Tsvg``, a Mermaid-enabled Markdown viewer, Gephi or yEd). The journey graph draws itself
too, without any of them: ``JourneyGraph.to_svg()`` (:mod:`cxpath.journeys.graph_svg`).

Examples
--------
>>> from cxpath.journeys import Journeys, journey_graph, to_mermaid
>>> j = Journeys.from_paths(["app > chat", "app"])
>>> print(to_mermaid(journey_graph(j)).splitlines()[0])
flowchart LR
"""

from __future__ import annotations

import io
import math
import os
import re
from typing import TYPE_CHECKING

from .. import _validate as v
from .graph import DROP, START, SUCCESS

if TYPE_CHECKING:
    import networkx as nx

    from .graph import JourneyGraph

__all__ = ["to_dot", "to_graphml", "to_mermaid"]

_VIRTUAL_LABEL = {START: "start", SUCCESS: "success", DROP: "drop"}


def _check_graph(graph, func: str) -> nx.DiGraph:
    """The DiGraph itself: ``graph``, or the one a JourneyGraph wraps."""
    import networkx as nx

    inner = getattr(graph, "graph", None)
    if not isinstance(graph, nx.DiGraph) and isinstance(inner, nx.DiGraph):
        return inner
    if not isinstance(graph, nx.DiGraph):
        v.fail("graph", func, "a JourneyGraph or networkx.DiGraph (journeys.journey_graph or "
               "Handovers.graph)", got=type(graph).__name__)
    return graph


def _node_label(node, attrs) -> str:
    if node in _VIRTUAL_LABEL:
        return _VIRTUAL_LABEL[node]
    visits = attrs.get("visits")
    text = str(node)
    if visits is not None:
        text += f"\n{visits} visits"
    elif attrs.get("events") is not None:  # a hand-over graph: the resource's workload
        text += f"\n{attrs['events']} events"
    rate = attrs.get("drop_rate")
    if rate is not None and not math.isnan(rate):
        text += f", {rate:.0%} drop"
    return text


def _edge_label(attrs) -> str:
    count = attrs.get("count")
    prob = attrs.get("probability")
    parts = []
    if count is not None:
        parts.append(str(count))
    if prob is not None and not math.isnan(prob):
        parts.append(f"({prob:.0%})")
    return " ".join(parts)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _visible(text) -> str:
    """Text with control characters (other than tab and line breaks) spelt as ``\\xNN``:
    XML cannot hold them and diagram tools show them as nothing."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))


# Unicode line and paragraph separators: legal in DOT and Mermaid strings, but line-based
# readers (editors, ``str.splitlines``, grep) would cut a statement in two at them.
_SEPARATOR = re.compile("[\x85\u2028\u2029]")


def _one_line(text) -> str:
    """:func:`_visible` text with the Unicode line separators also spelt (``\\u2028``)."""
    return _SEPARATOR.sub(lambda m: f"\\u{ord(m.group()):04x}", _visible(text))


def _dot_quote(text: str) -> str:
    """A DOT double-quoted ID: backslash and quote escaped, newlines as ``\\n``."""
    text = _one_line(text).replace("\\", "\\\\").replace('"', '\\"')
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return f'"{text}"'


def to_dot(graph: JourneyGraph | nx.DiGraph, *, name: str = "journeys") -> str:
    """Write the journey graph as a Graphviz DOT digraph laid out left to right.

    Parameters
    ----------
    graph : JourneyGraph or networkx.DiGraph
        From :func:`cxpath.journeys.journey_graph`.
    name : str, default "journeys"
        The graph's name in the DOT text.

    Returns
    -------
    str
        DOT text. Every node ID and label is double-quoted with ``\\`` and ``"`` escaped.
        Node labels show visits and drop-off rate; edge labels show the count and the
        transition probability; edge ``penwidth`` grows with the count. The virtual start,
        success and drop nodes are drawn as a circle, a double circle and an octagon.

    Raises
    ------
    InvalidParameterError
        If ``graph`` is not a JourneyGraph or :class:`networkx.DiGraph`.

    Examples
    --------
    >>> from cxpath.journeys import Journeys, journey_graph, to_dot
    >>> g = journey_graph(Journeys.from_paths(["app > chat", "app"]))
    >>> '"app" -> "chat" [label="1 (50%)"' in to_dot(g)
    True
    """
    func = "journeys.to_dot"
    graph = _check_graph(graph, func)
    if not isinstance(name, str):
        v.fail("name", func, "a str", name)
    counts = [d.get("count", 0) for _, _, d in graph.edges(data=True)]
    top = max(counts, default=1) or 1
    shape = {START: "circle", SUCCESS: "doublecircle", DROP: "octagon"}
    lines = [f"digraph {_dot_quote(name)} {{", "  rankdir=LR;",
             '  node [shape=box, style=rounded, fontname="Helvetica"];',
             '  edge [fontname="Helvetica", fontsize=10];']
    for node, attrs in graph.nodes(data=True):
        extra = f", shape={shape[node]}" if node in shape else ""
        lines.append(f"  {_dot_quote(node)} [label={_dot_quote(_node_label(node, attrs))}"
                     f"{extra}];")
    for src, dst, attrs in graph.edges(data=True):
        width = 1.0 + 4.0 * attrs.get("count", 0) / top
        lines.append(f"  {_dot_quote(src)} -> {_dot_quote(dst)} "
                     f"[label={_dot_quote(_edge_label(attrs))}, penwidth={width:.2f}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _mermaid_text(text: str) -> str:
    """Text for a Mermaid quoted label: quotes and markup characters as entity codes."""
    text = _one_line(text)
    for char, code in (("#", "#35;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"),
                       ("|", "#124;")):
        text = text.replace(char, code)
    return text.replace("\r\n", "\n").replace("\n", "<br/>")


def to_mermaid(graph: JourneyGraph | nx.DiGraph, *, direction: str = "LR") -> str:
    """Write the journey graph as a Mermaid flowchart.

    Parameters
    ----------
    graph : JourneyGraph or networkx.DiGraph
        From :func:`cxpath.journeys.journey_graph`.
    direction : {"LR", "TB", "RL", "BT"}, default "LR"
        Flowchart direction.

    Returns
    -------
    str
        Mermaid text: a ``flowchart`` header, one line per node (ids ``n0``, ``n1``, … with
        the touchpoint in a quoted label, so any characters are safe) and then exactly one
        line per edge, labelled with the count and the transition probability.

    Raises
    ------
    InvalidParameterError
        If ``graph`` is not a JourneyGraph or :class:`networkx.DiGraph`, or ``direction``
        is unknown.

    Examples
    --------
    >>> from cxpath.journeys import Journeys, journey_graph, to_mermaid
    >>> g = journey_graph(Journeys.from_paths(["app > chat", "app"]))
    >>> [line for line in to_mermaid(g).splitlines() if "-->" in line][0]
    '    n0 -->|"2 (100%)"| n3'
    """
    func = "journeys.to_mermaid"
    graph = _check_graph(graph, func)
    direction = v.check_option(direction, "direction", func, ("LR", "TB", "RL", "BT"))
    ids = {node: f"n{i}" for i, node in enumerate(graph.nodes)}
    lines = [f"flowchart {direction}"]
    for node, attrs in graph.nodes(data=True):
        label = _mermaid_text(_node_label(node, attrs))
        if node in (START, SUCCESS):
            lines.append(f'    {ids[node]}(("{label}"))')
        elif node == DROP:
            lines.append(f'    {ids[node]}{{{{"{label}"}}}}')
        else:
            lines.append(f'    {ids[node]}["{label}"]')
    for src, dst, attrs in graph.edges(data=True):
        lines.append(f'    {ids[src]} -->|"{_mermaid_text(_edge_label(attrs))}"| {ids[dst]}')
    return "\n".join(lines) + "\n"


def to_graphml(graph: JourneyGraph | nx.DiGraph,
               path: str | os.PathLike | None = None) -> str | None:
    """Write the journey graph as GraphML with all node, edge and graph attributes.

    Parameters
    ----------
    graph : JourneyGraph or networkx.DiGraph
        From :func:`cxpath.journeys.journey_graph`.
    path : str or os.PathLike, optional
        File to write. Without it the GraphML text is returned.

    Returns
    -------
    str or None
        The GraphML text, or ``None`` when written to ``path``. Reading it back with
        :func:`networkx.read_graphml` gives an isomorphic graph with the same attributes
        (touchpoint labels become strings).

    Raises
    ------
    InvalidParameterError
        If ``graph`` is not a JourneyGraph or :class:`networkx.DiGraph`, or ``path`` is not
        a path.

    Examples
    --------
    >>> import io, networkx as nx
    >>> from cxpath.journeys import Journeys, journey_graph, to_graphml
    >>> g = journey_graph(Journeys.from_paths(["app > chat", "app"]))
    >>> back = nx.read_graphml(io.BytesIO(to_graphml(g).encode()))
    >>> back.edges["app", "chat"]["count"]
    1
    """
    import networkx as nx

    func = "journeys.to_graphml"
    graph = _check_graph(graph, func)
    if path is not None:
        path = v.check_path(path, "path", func)
    copy = nx.relabel_nodes(graph, {n: _visible(n) for n in graph.nodes}, copy=True)
    for _, data in copy.nodes(data=True):
        data.update({k: _visible(x) for k, x in data.items() if isinstance(x, str)})
    for _, _, data in copy.edges(data=True):
        data.update({k: _visible(x) for k, x in data.items() if isinstance(x, str)})
    copy.graph.update({k: _visible(x) for k, x in copy.graph.items() if isinstance(x, str)})
    buffer = io.BytesIO()
    nx.write_graphml(copy, buffer, encoding="utf-8", prettyprint=True)
    text = buffer.getvalue().decode("utf-8")
    if path is None:
        return text
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    return None
