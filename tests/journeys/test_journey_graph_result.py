"""The JourneyGraph result: the wrapped DiGraph, its edge table, reprs and exports."""

from __future__ import annotations

import io
import pickle
import xml.etree.ElementTree as ET

import networkx as nx
import numpy as np
import pytest

import cxpath
from cxpath.journeys import (
    JourneyGraph,
    Journeys,
    Segmented,
    conformance,
    critical_path,
    handovers,
    journey_graph,
    to_dot,
    to_graphml,
    to_mermaid,
)
from cxpath.journeys.graph import DROP, START, SUCCESS

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def small():
    # by hand: case 1 web > chat (success), case 2 web, case 3 web > chat > web
    j = Journeys.from_events(case=[1, 1, 2, 3, 3, 3],
                             touchpoint=["web", "chat", "web", "web", "chat", "web"],
                             timestamp=[0, 60, 0, 0, 120, 7200], success={"chat"},
                             case_attributes={"product": ["x", "x", "y", "y", "y", "y"]})
    return j, journey_graph(j)


@pytest.fixture(scope="module")
def sample():
    j = cxpath.datasets.load_sample().journeys
    return j, journey_graph(j)


def test_result_wraps_the_digraph_with_summary_facts(small):
    _, g = small
    assert isinstance(g, JourneyGraph) and isinstance(g.graph, nx.DiGraph)
    assert (g.n_cases, g.n_success) == (3, 1)
    # the graph's own attributes stay where networkx keeps them
    assert g.graph.graph == {"n_cases": 3, "n_success": 1}
    # by hand: web -> chat twice (cases 1 and 3), chat -> web once (case 3)
    assert g.graph.edges["web", "chat"]["count"] == 2
    assert g.graph.edges["chat", "web"]["count"] == 1
    assert g.graph.edges["web", "chat"]["time_median"] == 90.0  # median of 60 s and 120 s
    assert g.graph.nodes["web"]["drop_rate"] == pytest.approx(2 / 3)
    assert "1 successful (33%)" in repr(g)


def test_reads_like_the_digraph(small):
    _, g = small
    d = g.graph
    assert list(g) == list(d) and len(g) == len(d) == g.number_of_nodes() == 5
    assert g.number_of_edges() == d.number_of_edges()
    assert "web" in g and "phone" not in g
    assert g["web"]["chat"] == d["web"]["chat"] and g.nodes["web"] == d.nodes["web"]
    assert list(g.edges(data=True)) == list(d.edges(data=True))
    assert g.edges["web", "chat"]["count"] == 2
    assert g.has_edge("chat", "web") and not g.has_edge("chat", START)
    assert g.has_node(DROP) and not g.has_node("phone")
    assert set(g.successors("web")) == set(d.successors("web"))
    assert set(g.predecessors("chat")) == {"web"}
    assert g.in_degree("web") == d.in_degree("web") and dict(g.out_degree) == dict(d.out_degree)
    assert list(g.in_edges("web")) == list(d.in_edges("web"))
    assert g.is_directed()


def test_networkx_algorithms_that_only_read_accept_it(small):
    _, g = small
    assert nx.shortest_path(g, START, "chat") == [START, "web", "chat"]
    assert nx.is_isomorphic(g, g.graph)
    assert nx.descendants(g, "chat") == nx.descendants(g.graph, "chat")
    assert g.order() == 5
    with pytest.raises(AttributeError, match=r"read-only: add_edge\(\)"):
        g.add_edge("a", "b")
    with pytest.raises(AttributeError, match="no attribute 'no_such_thing'"):
        g.no_such_thing
    back = pickle.loads(pickle.dumps(g))
    assert back.n_cases == 3 and nx.utils.graphs_equal(back.graph, g.graph)


def test_edge_table_busiest_first_with_waits_as_timedeltas(sample):
    pd = pytest.importorskip("pandas")
    _, g = sample
    frame = g.to_frame()
    assert list(frame.columns[:5]) == ["source", "target", "count", "probability",
                                       "success_share"]
    assert len(frame) == g.number_of_edges()
    assert frame["count"].is_monotonic_decreasing
    assert frame["count"].sum() == sum(d["count"] for _, _, d in g.edges(data=True))
    assert pd.api.types.is_timedelta64_dtype(frame["median_wait_h"])
    row = frame[(frame.source == "escalation") & (frame.target == "field_visit")].iloc[0]
    seconds = g.edges["escalation", "field_visit"]["time_median"]
    assert row["median_wait_h"].total_seconds() == pytest.approx(seconds, abs=1e-6)
    one = g.loc(("escalation", "field_visit"))
    assert one["count"] == g.edges["escalation", "field_visit"]["count"]
    assert one["median_wait_h"] == pytest.approx(seconds / 3600)


def test_reprs_show_the_map_and_the_table(small):
    _, g = small
    text = repr(g)
    assert text.splitlines()[0] == f"JourneyGraph ({g.number_of_edges()} rows)"
    assert "2 touchpoints" in text and "median_wait_h" in text
    svg = g._repr_svg_()
    assert ET.fromstring(svg).tag == f"{SVG}svg"
    page = g._repr_html_()
    assert "<svg" in page and "<table>" in page and "overflow-x:auto" in page
    assert page.count("<svg") == 1


def test_exports_are_the_module_functions(small, tmp_path):
    _, g = small
    assert g.to_dot() == to_dot(g) == to_dot(g.graph)
    assert g.to_mermaid(direction="TB") == to_mermaid(g.graph, direction="TB")
    assert g.to_graphml() == to_graphml(g.graph)
    back = nx.read_graphml(io.BytesIO(g.to_graphml().encode()))
    assert nx.is_isomorphic(back, g.graph)
    path = tmp_path / "g.graphml"
    assert g.to_graphml(path) is None and path.read_text(encoding="utf-8") == to_graphml(g)
    svg_path = tmp_path / "g.svg"
    assert g.to_svg(svg_path) is None
    assert svg_path.read_text(encoding="utf-8") == g.to_svg() == g.to_svg()  # deterministic


def test_exporters_still_take_a_bare_digraph():
    j = Journeys.from_events(case=[1, 1, 2, 2], touchpoint=["a", "b", "a", "b"],
                             timestamp=[0, 1, 0, 2],
                             event_attributes={"resource": ["ann", "bob", "ann", "cy"]})
    h = handovers(j).graph
    assert isinstance(h, nx.DiGraph)
    assert '"ann" -> "bob"' in to_dot(h)


def test_drill_down_gives_a_segmented_of_results(small):
    j, whole = small
    seg = journey_graph(j, by="product")
    assert isinstance(seg, Segmented) and seg.segments == ("x", "y")
    assert all(isinstance(r, JourneyGraph) for r in seg.results)
    assert seg["x"].has_edge("web", "chat") and seg["x"].n_cases == 1
    counts = {}
    for _, sub in seg:
        for a, b, d in sub.edges(data=True):
            counts[a, b] = counts.get((a, b), 0) + d["count"]
    assert counts == {(a, b): d["count"] for a, b, d in whole.edges(data=True)}
    frame = seg.to_frame("dict")
    rows = set(zip(frame["product"], frame["source"], frame["target"]))
    assert ("y", "chat", "web") in rows and ("x", "chat", SUCCESS) in rows
    assert "median_wait_h" in frame


def test_analyses_that_take_a_graph_take_the_result(sample):
    j, g = sample
    assert conformance(j, g).abnormal == conformance(j, g.graph).abnormal == 0
    cp = critical_path(j)
    assert cp.steps and cp.steps[-1] in g


def test_plot_delegates(small):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    _, g = small
    ax = g.plot(color_by=None)
    try:
        assert len(ax.patches) == sum(1 for a, b in g.edges if a != b)
    finally:
        plt.close(ax.figure)


def test_summary_names_the_filters():
    j = Journeys.from_paths(["a > b", "a > b", "a > c"])
    g = journey_graph(j, min_count=2, min_coverage=0.5)
    assert "c" not in g
    assert "edges seen at least 2 times" in repr(g)
    assert "reached by at least 50% of cases" in repr(g)
    assert np.isnan(g.to_frame("dict")["success_share"][0])  # start edge: no share


def test_to_dict_is_json_with_the_graph_as_node_link_data(small):
    import json
    import math

    _, g = small
    d = json.loads(json.dumps(g.to_dict()))
    assert (d["n_cases"], d["n_success"]) == (3, 1)
    back = nx.node_link_graph(d["graph"], edges="edges")
    assert set(back.edges) == set(g.edges) and back.graph == g.graph.graph

    def same(x, y):
        return x == y or (isinstance(x, float) and math.isnan(x) and math.isnan(y))

    for a, b, attrs in g.edges(data=True):
        assert all(same(x, back.edges[a, b][k]) for k, x in attrs.items())
