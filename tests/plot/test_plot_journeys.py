"""Journey pictures drawn on the sample's real results (Agg backend)."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.collections import PatchCollection
from matplotlib.container import BarContainer
from matplotlib.patches import FancyArrowPatch, PathPatch, Rectangle

from cxpath import plot
from cxpath.errors import InvalidParameterError
from cxpath.journeys.graph import DROP, START, SUCCESS


def _bars(ax):
    (bars,) = [c for c in ax.containers if isinstance(c, BarContainer)]
    return bars


def test_journey_graph_nodes_edges_and_layers(results, save):
    g = results["graph"]
    n_cases = g.n_cases
    assert n_cases == g.graph.graph["n_cases"]
    ax = plot.journey_graph(g, min_share=0.01)
    (nodes,) = [c for c in ax.collections if isinstance(c, PatchCollection)
                and len(c.get_paths()) == g.number_of_nodes()]
    kept = [(a, b) for a, b, d in g.edges(data=True)
            if d["count"] >= 0.01 * n_cases and a != b]
    arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    assert len(arrows) == len(kept)
    # arrow width grows with the count: the widest arrow is the busiest kept edge
    widths = [a.get_linewidth() for a in arrows]
    counts = sorted(g.edges[e]["count"] for e in kept)  # arrows are drawn busiest last
    assert int(np.argmax(widths)) == int(np.argmax(counts))
    # layered left to right: start in the first column, the end nodes in the last
    boxes = dict(zip(g.nodes, (p.get_extents() for p in nodes.get_paths())))
    left = {n: b.x0 for n, b in boxes.items()}
    assert left[START] == min(left.values())
    assert min(left[SUCCESS], left[DROP]) > max(b.x1 for n, b in boxes.items()
                                                if n not in (SUCCESS, DROP))
    # boxes hold their full labels: names, cases and drop-off rate
    texts = {t.get_text() for t in ax.texts}
    assert {"start", "success", "drop", "ivr"} <= texts
    ivr = g.nodes["ivr"]
    assert f"{ivr['cases']:,} cases · {ivr['drop_rate']:.0%} drop" in texts
    assert set(g.nodes) - {START, SUCCESS, DROP} <= texts
    # the colour legend is drawn in the map (no colour-bar Axes)
    assert "Touchpoint colour: drop-off rate (ended here without success)" in texts
    assert len(ax.figure.axes) == 1
    save(ax)


def test_journey_graph_from_journeys_all_edges_no_colour(results, save):
    g = results["graph"]
    ax = plot.journey_graph(results["journeys"], min_share=0.0, color_by=None)
    loops = sum(1 for a, b in g.edges if a == b)
    assert len(ax.patches) == g.number_of_edges() - loops
    assert len(ax.figure.axes) == 1
    save(ax)


def test_journey_graph_bad_input(results):
    with pytest.raises(InvalidParameterError, match=r"'graph' parameter of plot\.journey_graph"):
        plot.journey_graph(results["funnel"])
    with pytest.raises(InvalidParameterError, match="'color_by' parameter"):
        plot.journey_graph(results["graph"], color_by="volume")
    with pytest.raises(InvalidParameterError, match="'min_share' parameter"):
        plot.journey_graph(results["graph"], min_share=2)
    with pytest.raises(InvalidParameterError, match="'ax' parameter"):
        plot.journey_graph(results["graph"], ax="left")


def test_journey_flow_blocks_and_flows_conserve_cases(results, save):
    j = results["journeys"]
    ax = plot.journey_flow(j, steps=3, top=4)
    blocks = [p for p in ax.patches if isinstance(p, Rectangle)]
    flows = [p for p in ax.patches if isinstance(p, PathPatch)]
    cols = {}
    for b in blocks:
        cols.setdefault(round(b.get_x() + b.get_width() / 2), []).append(b.get_height())
    assert sorted(cols) == [0, 1, 2]
    for heights in cols.values():  # every column holds all cases
        assert sum(heights) == pytest.approx(j.n_cases)
        assert len(heights) <= 4 + 2  # top touchpoints + (other) + (ended)
    # first column: the 4 busiest first touchpoints and (other); nobody has ended yet
    first = np.bincount(j.codes[j.offsets[:-1]], minlength=len(j.vocab))
    assert max(cols[0]) == first.max()
    assert flows  # flows between consecutive columns
    save(ax)


def test_journey_flow_bad_input(results):
    with pytest.raises(InvalidParameterError, match=r"'journeys' parameter of plot\.journey_flow"):
        plot.journey_flow(results["graph"])
    with pytest.raises(InvalidParameterError, match="'steps' parameter"):
        plot.journey_flow(results["journeys"], steps=1)


def test_funnel_one_patch_per_step(results, save):
    f = results["funnel"]
    ax = plot.funnel(f)
    assert len(ax.patches) == f.steps.size
    widths = sorted((p.get_width() for p in ax.patches), reverse=True)
    assert widths == sorted(f.reached.astype(float).tolist(), reverse=True)
    at = {t.get_text(): t.get_position()[1] for t in ax.get_yticklabels()}
    assert sorted(at, key=at.get, reverse=True) == list(f.steps)  # first step at the top
    save(ax)


def test_funnel_bad_input(results):
    with pytest.raises(InvalidParameterError, match=r"'result' parameter of plot\.funnel must "
                       r"be a cxpath\.journeys\.Funnel"):
        plot.funnel(results["breakpoints"])


def test_breakpoints_bars_with_intervals(results, save):
    b = results["breakpoints"]
    ax = plot.breakpoints(b, top=5)
    assert len(ax.patches) == 5
    assert [p.get_width() for p in ax.patches] == pytest.approx(b.dropoff_rate[:5])
    (errorbar,) = _bars(ax).errorbar.lines[2]
    segs = errorbar.get_segments()
    assert [s[0][0] for s in segs] == pytest.approx(b.ci_low[:5])
    assert [s[1][0] for s in segs] == pytest.approx(b.ci_high[:5])
    assert any(line.get_xdata()[0] == b.expected_rate for line in ax.lines)
    save(ax)
    assert len(plot.breakpoints(b, top=None).patches) == b.steps.size


def test_breakpoints_bad_input(results):
    with pytest.raises(InvalidParameterError, match=r"'result' parameter of plot\.breakpoints"):
        plot.breakpoints(results["bottlenecks"])
    with pytest.raises(InvalidParameterError, match="'top' parameter"):
        plot.breakpoints(results["breakpoints"], top=0)


def test_bottlenecks_bars_with_p90_whiskers(results, save):
    b = results["bottlenecks"]
    ax = plot.bottlenecks(b, top=4, unit="h")
    assert len(ax.patches) == 4
    assert [p.get_width() for p in ax.patches] == pytest.approx(b.median_wait[:4] / 3600)
    (errorbar,) = _bars(ax).errorbar.lines[2]
    ends = [s[1][0] for s in errorbar.get_segments()]
    assert ends == pytest.approx(np.maximum(b.p90_wait[:4], b.median_wait[:4]) / 3600)
    assert any(line.get_xdata()[0] == pytest.approx(48.0) for line in ax.lines)  # SLA 2 d
    save(ax)


def test_bottlenecks_bad_input(results):
    with pytest.raises(InvalidParameterError, match=r"'result' parameter of plot\.bottlenecks"):
        plot.bottlenecks(results["breakpoints"])
    with pytest.raises(InvalidParameterError, match="'unit' parameter"):
        plot.bottlenecks(results["bottlenecks"], unit="weeks")


def test_tiny_journeys_draw_without_warnings(save, recwarn):
    from cxpath import Journeys
    from cxpath.journeys import bottlenecks, breakpoints, funnel

    j = Journeys.from_events(case=[1, 1, 2], touchpoint=["web", "chat", "web"],
                             timestamp=[0, 60, 0], success={"chat"})
    ax = plot.journey_graph(j, color_by="dwell_mean")
    assert len(ax.patches) == 4  # start->web, web->chat, chat->success, web->drop
    save(ax, "graph")
    flow = plot.journey_flow(Journeys.from_paths(["web"]), steps=2)
    assert len([p for p in flow.patches if isinstance(p, Rectangle)]) == 2  # web, (ended)
    save(flow, "flow")
    assert len(plot.funnel(funnel(j, ["web", "chat"])).patches) == 2
    b = breakpoints(j)
    assert len(plot.breakpoints(b).patches) == b.steps.size
    assert len(plot.bottlenecks(bottlenecks(j)).patches) == 1
    assert not [w for w in recwarn if issubclass(w.category, UserWarning)]
