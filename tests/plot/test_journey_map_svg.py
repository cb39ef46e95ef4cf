"""The journey map: layered layout, SVG and matplotlib drawings (readable on BPIC 2012)."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.collections import PatchCollection
from matplotlib.patches import FancyArrowPatch

from cxpath import Journeys, plot
from cxpath.errors import InvalidParameterError
from cxpath.journeys import journey_graph
from cxpath.journeys.graph import DROP, START, SUCCESS
from cxpath.journeys.graph_svg import MapLayout, map_layout, render_svg, text_width, to_svg

SVG = "{http://www.w3.org/2000/svg}"
EPS = 1e-6


def overlap(a, b) -> bool:
    """Do two boxes (x0, y0, x1, y1) share any area?"""
    return a[0] < b[2] - EPS and b[0] < a[2] - EPS and a[1] < b[3] - EPS and b[1] < a[3] - EPS


def label_box(e):
    x, y, w, h = e.label_box
    return (x, y, x + w, y + h)


def check_readable(lay: MapLayout, graph) -> None:
    """No overlaps, every label in full, layered left to right, rework only on loops."""
    boxes = [n.box for n in lay.nodes]
    for a, b in itertools.combinations(boxes, 2):
        assert not overlap(a, b), (a, b)
    labels = [label_box(e) for e in lay.edges if e.label_box is not None]
    for lb in labels:
        assert not any(overlap(lb, nb) for nb in boxes), lb
    for a, b in itertools.combinations(labels, 2):
        assert not overlap(a, b), (a, b)
    for n in lay.nodes:
        assert n.width >= text_width(n.label, lay.font_size, True)  # the box holds its name
        assert n.x >= 0 and n.x + n.width <= lay.width
        assert n.y >= 0 and n.y + n.height <= lay.height
    # columns: every box of a layer left of every box of the next one
    right = {}
    left = {}
    for n in lay.nodes:
        right[n.layer] = max(right.get(n.layer, 0.0), n.x + n.width)
        left[n.layer] = min(left.get(n.layer, float("inf")), n.x)
    for k in range(lay.n_layers - 1):
        assert right[k] < left[k + 1]
    layer = {n.node: n.layer for n in lay.nodes}
    if START in layer:
        assert layer[START] == 0 and [n for n in layer if layer[n] == 0] == [START]
    for end in (SUCCESS, DROP):
        if end in layer:
            assert layer[end] == lay.n_layers - 1
    drawn = nx.DiGraph([(e.source, e.target) for e in lay.edges])
    for e in lay.edges:
        if e.back:  # rework: back to an earlier column, and only where a loop closes
            assert layer[e.target] < layer[e.source]
            assert nx.has_path(drawn, e.target, e.source)
        else:
            assert layer[e.target] > layer[e.source]
    assert {n.node for n in lay.nodes} >= {n for n in graph if n not in (START, SUCCESS, DROP)}


def svg_node_texts(svg: str) -> dict:
    root = ET.fromstring(svg)
    out = {}
    for g in root.iter(f"{SVG}g"):
        if g.get("class", "").split()[:1] == ["node"]:
            texts = [t.text for t in g.findall(f"{SVG}text")]
            out.setdefault(texts[0], []).append(texts)
    return out


@pytest.fixture(scope="module")
def sample_graph(request):
    import cxpath

    return journey_graph(cxpath.datasets.load_sample().journeys)


def test_sample_map_is_readable_and_the_svg_valid(sample_graph):
    lay = map_layout(sample_graph)
    check_readable(lay, sample_graph.graph)
    svg = render_svg(lay)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    assert float(root.get("width")) == pytest.approx(lay.width, abs=0.1)
    texts = svg_node_texts(svg)
    for n in lay.nodes:  # every name once and in full
        assert len(texts[n.label]) == 1 and texts[n.label][0] == list(n.lines)
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")  # nothing to fetch
    assert "<script" not in svg and "@import" not in svg
    # legend: the colour scale, the virtual nodes and the rework line
    kinds = [(e.kind, e.text) for e in lay.legend]
    assert ("heading", "Touchpoint colour: drop-off rate (ended here without success)") in kinds
    assert any(k == "text" and t.startswith("rework") for k, t in kinds)
    assert any(e.back for e in lay.edges)


def test_labels_show_count_and_median_wait_in_human_units():
    j = Journeys.from_events(case=[1, 1, 2, 2], touchpoint=["web", "chat", "web", "chat"],
                             timestamp=[0, 3 * 3600, 0, 5 * 3600])
    lay = map_layout(journey_graph(j))
    (edge,) = [e for e in lay.edges if (e.source, e.target) == ("web", "chat")]
    assert edge.label == "2 · 4 h"  # median of 3 h and 5 h
    assert "median wait 4 h" in edge.title


def test_escaping_and_odd_labels():
    names = ['<b>&"q"', "it's > that", "tab\there", "ctl\x01x", "名前"]
    j = Journeys.from_events(case=[1] * 5 + [2, 2], touchpoint=[*names, names[0], names[4]],
                             timestamp=list(range(7)))
    g = journey_graph(j)
    svg = g.to_svg()
    texts = svg_node_texts(svg)  # parses: everything escaped
    assert {'<b>&"q"', "it's > that", "tab here", "ctl\ufffdx", "名前"} <= set(texts)
    assert "&lt;b&gt;&amp;&quot;q&quot;" in svg
    check_readable(g.layout(), g.graph)


_LABEL = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1,
                 max_size=12).filter(str.strip)  # blank labels are cleaned away


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(_LABEL, min_size=1, max_size=5), min_size=1, max_size=6))
def test_any_labels_give_valid_readable_svg(paths):
    case = [i for i, p in enumerate(paths) for _ in p]
    touch = [t for p in paths for t in p]
    # labels differing only by white space or case ('0' / '0\x85') would warn: merge them
    g = journey_graph(Journeys.from_events(case=case, touchpoint=touch,
                                           timestamp=list(range(len(touch))),
                                           normalize_labels=True))
    lay = map_layout(g, min_share=0.0)
    check_readable(lay, g.graph)
    texts = svg_node_texts(render_svg(lay))
    assert sorted(k for k, v in texts.items() for _ in v) == sorted(n.label for n in lay.nodes)
    assert len(lay.edges) == sum(1 for a, b in g.edges if a != b)


def test_filters_and_determinism(sample_graph):
    g = sample_graph
    n_cases = g.n_cases
    all_edges = [(a, b) for a, b in g.edges if a != b]
    lay = map_layout(g, min_share=0.0)
    assert len(lay.edges) == len(all_edges)
    lay = map_layout(g, min_share=0.05)
    assert {(e.source, e.target) for e in lay.edges} == {
        (a, b) for a, b, d in g.edges(data=True) if a != b and d["count"] >= 0.05 * n_cases}
    top = map_layout(g, min_share=0.0, top_edges=5)
    busiest = sorted((d["count"] for a, b, d in g.edges(data=True) if a != b), reverse=True)
    assert sorted((e.count for e in top.edges), reverse=True) == busiest[:5]
    assert len(top.nodes) == len(lay.nodes)  # nodes are always drawn
    assert "busiest 5" in top.title
    labelled = map_layout(g, label_share=0.1)
    assert all((e.label is not None) == (e.count >= 0.1 * n_cases) for e in labelled.edges)
    assert to_svg(g, color_by="dwell_median") == to_svg(g, color_by="dwell_median")
    assert to_svg(g) != to_svg(g, color_by=None)


def test_colour_by_another_attribute_and_none(sample_graph):
    lay = map_layout(sample_graph, color_by="dwell_median")
    assert any("median wait to the next step" in e.text for e in lay.legend)
    fills = {n.fill for n in lay.nodes if not n.virtual}
    assert len(fills) > 3
    plain = map_layout(sample_graph, color_by=None)
    assert {n.fill for n in plain.nodes if not n.virtual} == {"#ffffff"}
    assert not any(e.kind == "swatch" for e in plain.legend)


def test_bad_options(sample_graph):
    with pytest.raises(InvalidParameterError, match="'color_by' parameter"):
        map_layout(sample_graph, color_by="volume")
    with pytest.raises(InvalidParameterError, match="'top_edges' parameter"):
        map_layout(sample_graph, top_edges=0)
    with pytest.raises(InvalidParameterError, match="'graph' parameter"):
        map_layout({"a": 1})
    with pytest.raises(InvalidParameterError, match="'options' parameter"):
        to_svg(sample_graph, colour="red")
    with pytest.raises(InvalidParameterError, match="'path' parameter"):
        to_svg(sample_graph, 3)
    with pytest.raises(InvalidParameterError, match="'layout' parameter"):
        render_svg("<svg/>")


def test_tiny_and_edge_cases():
    one = journey_graph(Journeys.from_paths(["web"]))
    lay = map_layout(one)
    assert [n.label for n in sorted(lay.nodes, key=lambda n: n.layer)] == ["start", "web",
                                                                          "drop"]
    ET.fromstring(render_svg(lay, scalable=True))
    loop = journey_graph(Journeys.from_paths(["a > a > a > b"]))
    lay = map_layout(loop)
    assert "↻ 2 repeats" in lay.node("a").lines
    assert {(e.source, e.target) for e in lay.edges} == {(START, "a"), ("a", "b"), ("b", DROP)}
    bare = nx.DiGraph([("x", "y"), ("y", "x")])  # no start or end nodes, no counts
    check_readable(map_layout(bare, min_share=0.0), bare)


def _fits(ax, lay):
    """Drawn texts of every node inside its box; edge label boxes off every node box."""
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    inv = ax.transData.inverted()
    boxes = {n.label: n.box for n in lay.nodes}
    names = {n.label for n in lay.nodes}
    checked = 0
    for t in ax.texts:
        bb = inv.transform(t.get_window_extent(renderer).get_points())
        x0, x1 = sorted(bb[:, 0])
        y0, y1 = sorted(bb[:, 1])
        if t.get_text() in names and t.get_fontweight() == "bold":  # a node's name
            bx0, by0, bx1, by1 = boxes[t.get_text()]
            assert bx0 <= x0 and x1 <= bx1 and by0 <= y0 and y1 <= by1, t.get_text()
            checked += 1
        elif t.get_bbox_patch() is not None:  # an edge label
            pb = inv.transform(t.get_bbox_patch().get_window_extent(renderer).get_points())
            box = (*pb.min(axis=0), *pb.max(axis=0))
            assert not any(overlap(box, nb) for nb in boxes.values()), t.get_text()
    assert checked == len(names)


def test_plot_draws_the_same_layout(sample_graph, save):
    from cxpath.plot._journeys import _mpl_measure

    ax = plot.journey_graph(sample_graph, min_share=0.02, top_edges=30)
    lay = map_layout(sample_graph, min_share=0.02, top_edges=30, font_size=9.0,
                     measure=_mpl_measure())
    arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    assert len(arrows) == len(lay.edges) == 30
    (nodes,) = [c for c in ax.collections if isinstance(c, PatchCollection)
                and len(c.get_paths()) == len(lay.nodes)]
    assert nodes.get_zorder() > arrows[0].get_zorder()
    # one point per layout unit: the figure is the map's size
    w, h = ax.figure.get_size_inches()
    assert (w * 72, h * 72) == pytest.approx((lay.width, lay.height), rel=0.01)
    texts = [t.get_text() for t in ax.texts]
    assert lay.title in texts
    assert ("rework: back to an earlier step" in texts) == any(e.back for e in lay.edges)
    save(ax, "map")


def test_plot_labels_fit_their_boxes(sample_graph):
    from cxpath.plot._journeys import _mpl_measure

    ax = plot.journey_graph(sample_graph)
    _fits(ax, map_layout(sample_graph, font_size=9.0, measure=_mpl_measure()))


def test_plot_in_a_given_axes_scales_the_fonts(sample_graph):
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=(8, 3))
    out = plot.journey_graph(sample_graph, ax=ax, cmap_name="viridis")
    assert out is ax
    sizes = {t.get_fontsize() for t in ax.texts}
    assert max(sizes) < 9.0  # shrunk with the map to fit the Axes
    assert ax.get_xlim()[1] > ax.get_xlim()[0] and ax.get_ylim()[0] > ax.get_ylim()[1]


@pytest.mark.realdata
def test_bpic2012_map_is_readable(shared_data, tmp_path):
    from cxpath.io import read_xes
    from cxpath.plot._journeys import _mpl_measure

    path = shared_data / "bpic2012.xes.gz"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    j = read_xes(path)
    assert len(j.vocab) == 24  # ../shared/data/README.md: 24 activities
    g = journey_graph(j)
    touchpoints = {n for n in g if n not in (START, SUCCESS, DROP)}
    # W_Wijzigen contractgegevens has only SCHEDULE events: 23 activities are performed
    assert len(touchpoints) == 23 and "W_Wijzigen contractgegevens" not in touchpoints
    for share in (0.0, 0.01):  # the full graph (every transition) and the default map
        lay = map_layout(g, min_share=share)
        check_readable(lay, g.graph)
        assert {n.node for n in lay.nodes} == touchpoints | {START, DROP}
        # the start events' layer is leftmost: every case starts with A_SUBMITTED
        assert lay.node("A_SUBMITTED").layer == 1 and lay.node(START).layer == 0
        assert lay.node("A_PARTLYSUBMITTED").layer == 2
        # the main flow runs forward: the ten busiest transitions are never rework, and
        # rework is a small share of the transitions (about 10% in this log)
        inner = [e for e in lay.edges if e.source != START and e.target != DROP]
        assert not any(e.back for e in sorted(inner, key=lambda e: -e.count)[:10])
        assert sum(e.count for e in inner if e.back) < 0.15 * sum(e.count for e in inner)
        texts = svg_node_texts(render_svg(lay))
        assert set(texts) == {n.label for n in lay.nodes}
    assert len(map_layout(g, min_share=0.0).edges) == sum(1 for a, b in g.edges if a != b)
    ax = plot.journey_graph(g)
    _fits(ax, map_layout(g, font_size=9.0, measure=_mpl_measure()))
    ax.figure.savefig(tmp_path / "bpic.png", dpi=60)
