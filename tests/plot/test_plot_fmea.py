"""FMEA pictures drawn on the sample's real results (Agg backend)."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.collections import PathCollection
from matplotlib.colors import to_hex

from cxpath import plot
from cxpath.errors import InvalidParameterError


def test_pareto_one_bar_per_category_and_cumulative_line(results, save):
    p = results["pareto"]
    ax = plot.pareto(p)
    assert len(ax.patches) == p.labels.size
    assert [b.get_height() for b in ax.patches] == pytest.approx(p.counts)
    dark = {to_hex(b.get_facecolor()) for b, v in zip(ax.patches, p.vital) if v}
    light = {to_hex(b.get_facecolor()) for b, v in zip(ax.patches, p.vital) if not v}
    assert len(dark) == len(light) == 1 and dark != light  # the vital few stand out
    (twin,) = [a for a in ax.figure.axes if a is not ax]
    cumulative = twin.lines[0]
    assert cumulative.get_ydata() == pytest.approx(p.cumulative * 100)
    assert twin.lines[1].get_ydata()[0] == pytest.approx(p.cut * 100)
    save(ax)


def test_pareto_bad_input(results):
    with pytest.raises(InvalidParameterError, match=r"'result' parameter of plot\.pareto must "
                       r"be a cxpath\.fmea\.Pareto"):
        plot.pareto(results["risk_matrix"])


def test_risk_matrix_cells_and_counts(results, save):
    m = results["risk_matrix"]
    ax = plot.risk_matrix(m)
    image = ax.images[0].get_array()
    assert image.shape == (10, 10)
    assert image[0, 0] == m.grid[9, 0]  # top-left cell: severity 10, occurrence 1
    assert np.array_equal(np.asarray(image)[::-1], m.grid)
    assert len(ax.texts) == int((m.grid > 0).sum())
    assert sum(int(t.get_text()) for t in ax.texts) == int(m.grid.sum())
    save(ax)
    assert not plot.risk_matrix(m, annotate=False).texts


def test_risk_matrix_bad_input(results):
    with pytest.raises(InvalidParameterError, match=r"'result' parameter of plot\.risk_matrix"):
        plot.risk_matrix(results["pareto"])
    with pytest.raises(InvalidParameterError, match="'cmap' parameter"):
        plot.risk_matrix(results["risk_matrix"], cmap_name="no-such-map")


def test_action_priority_slice_and_overlay(results, save):
    t, m = results["ap_table"], results["risk_matrix"]
    ax = plot.action_priority(t, detection=6, matrix=m)
    image = np.asarray(ax.images[0].get_array())
    assert np.array_equal(image[::-1], t.codes[:, :, 5])
    # AIAG-VDA 2019: S 9-10, O 8-10 is H at any detection
    assert image[0, 9] == 2
    assert len(ax.texts) == int((m.grid > 0).sum())
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["H", "M", "L"]
    save(ax)


def test_action_priority_bad_input(results):
    with pytest.raises(InvalidParameterError, match=r"'table' parameter of plot\.action_priority"):
        plot.action_priority(results["risk_matrix"])
    with pytest.raises(InvalidParameterError, match="'detection' parameter"):
        plot.action_priority(detection=11)
    with pytest.raises(InvalidParameterError, match="'matrix' parameter"):
        plot.action_priority(matrix=results["pareto"])


def test_value_effort_points_per_quadrant(results, save):
    r = results["value_effort"]
    ax = plot.value_effort(r)
    groups = [c for c in ax.collections if isinstance(c, PathCollection)]
    counts = r.counts()
    assert [len(g.get_offsets()) for g in groups] == [n for n in counts.values() if n]
    assert sum(len(g.get_offsets()) for g in groups) == r.labels.size
    points = np.vstack([g.get_offsets() for g in groups])
    assert sorted(map(tuple, points)) == sorted(zip(r.effort, r.impact))
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[0] == f"quick win ({counts['quick win']})"
    save(ax)


def test_value_effort_bad_input(results):
    with pytest.raises(InvalidParameterError, match=r"'result' parameter of plot\.value_effort"):
        plot.value_effort(results["pareto"])
    with pytest.raises(InvalidParameterError, match="'annotate' parameter"):
        plot.value_effort(results["value_effort"], annotate="yes")
