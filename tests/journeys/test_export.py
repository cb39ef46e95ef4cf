"""Tests for the journey-graph exporters (DOT, Mermaid, GraphML)."""

from __future__ import annotations

import io
import math
import re

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cxpath
from cxpath.errors import InvalidParameterError
from cxpath.journeys import Journeys, journey_graph, to_dot, to_graphml, to_mermaid


@pytest.fixture(scope="module")
def sample_graph():
    return journey_graph(cxpath.datasets.load_sample().journeys)


@pytest.fixture(scope="module")
def awkward_graph():
    # Labels with quotes, backslashes, markup, pipes, hashes and a newline.
    paths = [['say "hi"', "a\\b", "x<y>|z"], ['say "hi"', "#tag\nnext"], ["a\\b"]]
    j = Journeys.from_events(
        case=[1, 1, 1, 2, 2, 3], touchpoint=[p for path in paths for p in path],
        timestamp=[0, 10, 30, 0, 5, 0], success={"x<y>|z"})
    return journey_graph(j)


_DOT_ID = r'"(?:[^"\\]|\\.)*"'
_DOT_NODE = re.compile(rf"^  ({_DOT_ID}) \[label=({_DOT_ID})(?:, shape=\w+)?\];$")
_DOT_EDGE = re.compile(rf"^  ({_DOT_ID}) -> ({_DOT_ID}) \[label=({_DOT_ID}), "
                       r"penwidth=[0-9.]+\];$")


def _unquote(text):
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), text[1:-1])


def _parse_dot(text):
    """A strict line parser for the DOT subset to_dot writes (pydot parses it too, below)."""
    lines = text.splitlines()
    assert lines[0].startswith("digraph ") and lines[0].endswith("{")
    assert lines[-1] == "}"
    nodes, edges = {}, {}
    for line in lines[1:-1]:
        if (m := _DOT_NODE.match(line)) is not None:
            nodes[_unquote(m.group(1))] = _unquote(m.group(2))
        elif (m := _DOT_EDGE.match(line)) is not None:
            edges[_unquote(m.group(1)), _unquote(m.group(2))] = _unquote(m.group(3))
        else:
            assert line.startswith(("  rankdir", "  node [", "  edge [")), line
    return nodes, edges


@pytest.mark.parametrize("which", ["sample_graph", "awkward_graph"])
def test_dot_has_every_node_and_edge(which, request):
    g = request.getfixturevalue(which)
    nodes, edges = _parse_dot(to_dot(g))
    assert set(nodes) == set(g.nodes)
    assert set(edges) == set(g.edges)
    for (a, b), label in edges.items():
        assert label.split()[0] == str(g.edges[a, b]["count"])


def test_dot_parses_with_pydot_when_installed(sample_graph):
    pydot = pytest.importorskip("pydot")
    (parsed,) = pydot.graph_from_dot_data(to_dot(sample_graph))
    assert len(parsed.get_edges()) == sample_graph.number_of_edges()


def test_dot_escapes_quotes_and_backslashes(awkward_graph):
    text = to_dot(awkward_graph)
    assert '"say \\"hi\\""' in text
    assert '"a\\\\b"' in text
    assert '"#tag\\nnext"' in text  # the newline in the name becomes the escape \n


@pytest.mark.parametrize("which", ["sample_graph", "awkward_graph"])
def test_mermaid_one_line_per_edge(which, request):
    g = request.getfixturevalue(which)
    text = to_mermaid(g)
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    edge_lines = [ln for ln in lines if "-->" in ln]
    assert len(edge_lines) == g.number_of_edges()
    ids = {}
    for ln in lines[1:]:
        if (m := re.match(r'^    (n\d+)(?:\(\(|\[|\{\{)"([^"]*)"', ln)) and "-->" not in ln:
            ids[m.group(1)] = m.group(2)
    assert len(ids) == g.number_of_nodes()
    pairs = {re.match(r'^    (n\d+) -->\|"[^"|]*"\| (n\d+)$', ln).groups() for ln in edge_lines}
    assert len(pairs) == g.number_of_edges()


def test_mermaid_labels_are_safe(awkward_graph):
    text = to_mermaid(awkward_graph)
    body = [ln for ln in text.splitlines()[1:] if "-->" not in ln]
    labels = [re.search(r'"(.*)"', ln).group(1) for ln in body]
    assert all('"' not in lab and "<" not in lab.replace("<br/>", "") for lab in labels)
    assert any("#quot;hi#quot;" in lab for lab in labels)
    assert any("x#lt;y#gt;#124;z" in lab for lab in labels)
    assert "TB" in to_mermaid(awkward_graph, direction="TB").splitlines()[0]


def _same(a, b):
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


@pytest.mark.parametrize("which", ["sample_graph", "awkward_graph"])
def test_graphml_round_trip(which, request, tmp_path):
    g = request.getfixturevalue(which)
    back = nx.read_graphml(io.BytesIO(to_graphml(g).encode("utf-8")))
    assert back.is_directed()
    assert nx.is_isomorphic(g, back)
    assert set(back.nodes) == {str(n) for n in g.nodes}
    for n, attrs in g.nodes(data=True):
        got = back.nodes[str(n)]
        assert set(got) == set(attrs)
        assert all(_same(attrs[k], got[k]) for k in attrs), n
    for a, b, attrs in g.edges(data=True):
        got = back.edges[str(a), str(b)]
        assert set(got) == set(attrs)
        assert all(_same(attrs[k], got[k]) for k in attrs), (a, b)
    assert back.graph["n_cases"] == g.graph.graph["n_cases"] == g.n_cases
    path = tmp_path / "g.graphml"
    assert to_graphml(g, path) is None
    assert nx.is_isomorphic(nx.read_graphml(path), g)


@pytest.mark.parametrize("func", [to_dot, to_mermaid, to_graphml])
def test_bad_graph(func):
    with pytest.raises(InvalidParameterError, match=r"'graph' parameter of journeys\.to_"):
        func({"a": 1})


def test_bad_options(sample_graph):
    with pytest.raises(InvalidParameterError, match="'direction' parameter"):
        to_mermaid(sample_graph, direction="up")
    with pytest.raises(InvalidParameterError, match="'path' parameter"):
        to_graphml(sample_graph, 3)
    with pytest.raises(InvalidParameterError, match="'name' parameter"):
        to_dot(sample_graph, name=1)


# control characters and line separators are spelt out (tested below); a blank label is a
# missing touchpoint to from_events, so every label holds something besides white space
_LABEL = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp"),
                               blacklist_characters="\r"), min_size=1, max_size=8
                 ).filter(str.strip)


# labels differing only by case or white space ('Ī' / 'ī') are kept apart, with a warning
@pytest.mark.filterwarnings("ignore:.*written more than one way:cxpath.errors.CxpathWarning")
@settings(max_examples=50, deadline=None)
@given(st.lists(st.lists(_LABEL, min_size=1, max_size=4), min_size=1, max_size=5))
def test_any_labels_survive_every_format(paths):
    case = [i for i, p in enumerate(paths) for _ in p]
    touch = [t for p in paths for t in p]
    g = journey_graph(Journeys.from_events(case=case, touchpoint=touch,
                                           timestamp=list(range(len(touch)))))
    nodes, edges = _parse_dot(to_dot(g))
    assert set(nodes) == set(g.nodes) and set(edges) == set(g.edges)
    mermaid = to_mermaid(g).splitlines()
    assert sum("-->" in ln for ln in mermaid) == g.number_of_edges()
    assert all(ln.count('"') in (0, 2, 4) for ln in mermaid)  # no stray quote in a label
    back = nx.read_graphml(io.BytesIO(to_graphml(g).encode("utf-8")))
    assert set(back.nodes) == set(g.nodes)
    assert set(back.edges) == set(g.edges)


def test_control_characters_are_spelt_out_in_every_export():
    import xml.etree.ElementTree as ET

    g = journey_graph(Journeys.from_paths(["a\x07b > c\x00d"]))
    graphml = to_graphml(g)
    ET.fromstring(graphml)  # valid XML (control characters are not allowed in XML 1.0)
    assert "a\\x07b" in graphml and "\x07" not in graphml
    mermaid = to_mermaid(g)
    assert '"a\\x07b<br/>' in mermaid and "\x07" not in mermaid
    dot = to_dot(g)
    assert "\x07" not in dot and "\x00" not in dot and "a\\\\x07b" in dot


def test_line_separators_are_spelt_out_in_the_line_based_exports():
    # U+2028 / U+2029 / NEL are legal inside DOT and Mermaid strings, but str.splitlines and
    # editors break the statement there; GraphML (XML) keeps them as they are
    g = journey_graph(Journeys.from_events(case=[0, 0], touchpoint=["a\u2028b", "c\x85d"],
                                           timestamp=[0, 1]))
    for text in (to_dot(g), to_mermaid(g)):
        assert "\u2028" not in text and "\x85" not in text
        plain = text.replace("\\\\", "\\")  # DOT doubles the backslash
        assert "a\\u2028b" in plain and "c\\u0085d" in plain
        lines = text.splitlines()
        assert all(ln.startswith(("digraph", "flowchart", " ", "}")) for ln in lines)
    back = nx.read_graphml(io.BytesIO(to_graphml(g).encode("utf-8")))
    assert "a\u2028b" in back.nodes
