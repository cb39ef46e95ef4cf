"""Attribution, control-chart, forecast, retention and loadings pictures (Agg backend)."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.collections import PathCollection, PolyCollection
from matplotlib.figure import Figure

from cxpath import plot
from cxpath.errors import DataError, InvalidParameterError, MissingExtraError


def test_attribution_grouped_bars(results, save):
    a = results["attribution"]
    ax = plot.attribution(a)
    assert len(ax.patches) == len(a.models) * len(a.channels)
    heights = np.array([p.get_height() for p in ax.patches]).reshape(len(a.models), -1)
    share = a.share()
    order = np.argsort(-share[a.models.index(a.headline)], kind="stable")  # markov_1
    assert order.tolist() == list(range(len(a.channels)))  # the result is ranked already
    assert heights == pytest.approx(share[:, order])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(a.models)
    save(ax)
    ax2 = plot.attribution(a, kind="conversions", models=["markov_1"])
    assert sum(p.get_height() for p in ax2.patches) == pytest.approx(a.total_conversions)


def test_attribution_bad_input(results):
    a = results["attribution"]
    with pytest.raises(InvalidParameterError, match=r"'result' parameter of plot\.attribution"):
        plot.attribution(results["pareto"])
    with pytest.raises(InvalidParameterError, match="'models' parameter"):
        plot.attribution(a, models=["shapley_x"])
    with pytest.raises(InvalidParameterError, match="'kind' parameter"):
        plot.attribution(a, kind="value")  # the sample journeys carry no value


def test_control_chart_limits_and_one_marker_per_signalled_point(results, save):
    c = results["control_chart"]
    ax = plot.control_chart(c)
    (signals,) = [ln for ln in ax.lines if ln.get_gid() == "signals"]
    assert len(signals.get_xdata()) == c.signals.points.size
    assert len(signals.get_xdata()) == int(c.signalled.sum())
    ucl = next(ln for ln in ax.lines if ln.get_label() == "limits")
    assert ucl.get_drawstyle() == "steps-mid"
    assert np.asarray(ucl.get_ydata()) == pytest.approx(c.ucl)  # per-point u-chart limits
    centre = next(ln for ln in ax.lines if ln.get_label() == "centre")
    assert np.asarray(centre.get_ydata()) == pytest.approx(c.center)
    assert np.issubdtype(np.asarray(signals.get_xdata()).dtype, np.datetime64)
    save(ax)


def test_control_chart_with_companion(results, save):
    c = results["imr"]
    fig = plot.control_chart(c, companion=True)
    assert isinstance(fig, Figure)
    top, bottom = fig.axes
    assert top.get_title().startswith("i chart")
    assert bottom.get_title().startswith("mr chart")
    marks = [ln for ln in bottom.lines if ln.get_gid() == "signals"]
    assert sum(len(m.get_xdata()) for m in marks) == c.dispersion.signals.points.size
    save(fig)


def test_control_chart_bad_input(results):
    with pytest.raises(InvalidParameterError, match=r"'result' parameter of plot\.control_chart"):
        plot.control_chart(results["forecast"])
    with pytest.raises(InvalidParameterError, match="'companion' parameter"):
        plot.control_chart(results["control_chart"], companion=True)  # u chart: none
    import matplotlib.pyplot as plt

    _, ax = plt.subplots()
    with pytest.raises(InvalidParameterError, match="'ax' parameter"):
        plot.control_chart(results["imr"], ax=ax, companion=True)


def test_forecast_fan_bands_and_flagged_actuals(results, save):
    f = results["forecast"]
    actual = results["actual"].copy()
    actual[[3, 10]] = f.upper[-1, [3, 10]] * 1.5  # two actuals far above the 95 % band
    ax = plot.forecast(f, history=results["history"], actual=actual)
    bands = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(bands) == f.levels.size
    flagged = [c for c in ax.collections if isinstance(c, PathCollection)]
    (marks,) = flagged
    assert sorted(marks.get_offsets()[:, 0]) == [4, 11]  # steps are 1-based
    mean = next(ln for ln in ax.lines if ln.get_label().startswith("forecast"))
    assert np.asarray(mean.get_ydata()) == pytest.approx(f.mean)
    hist = next(ln for ln in ax.lines if ln.get_label() == "history")
    assert len(hist.get_xdata()) == 4 * f.h and hist.get_xdata()[-1] == 0
    save(ax)


def test_forecast_without_history_or_flags(results, save):
    ax = plot.forecast(results["forecast"], actual=results["actual"])
    assert not [c for c in ax.collections if isinstance(c, PathCollection)]  # none outside
    save(ax)


def test_forecast_bad_input(results):
    f = results["forecast"]
    with pytest.raises(InvalidParameterError, match=r"'result' parameter of plot\.forecast"):
        plot.forecast(results["control_chart"])
    with pytest.raises(InvalidParameterError, match="level"):
        plot.forecast(f, actual=results["actual"], flag_level=90)
    with pytest.raises(DataError):
        plot.forecast(f, actual=np.ones(f.h + 1))


def test_retention_heat_map(results, save):
    c = results["cohorts"]
    ax = plot.retention(c)
    image = ax.images[0].get_array()
    assert image.shape == c.retention.shape
    assert np.ma.getmaskarray(image).sum() == int(np.isnan(c.retention).sum())
    assert len(ax.texts) == int(np.isfinite(c.retention).sum())
    assert ax.get_yticklabels()[0].get_text() == f"{c.cohort[0]} (n={c.size[0]:,})"
    save(ax)


def test_retention_bad_input(results):
    with pytest.raises(InvalidParameterError, match=r"'result' parameter of plot\.retention "
                       r"must be a cxpath\.kpi\.Cohorts"):
        plot.retention(results["efa"])


def test_loadings_heat_map(results, save):
    e = results["efa"]
    ax = plot.loadings(e)
    image = np.asarray(ax.images[0].get_array())
    assert image == pytest.approx(e.loadings)
    bold = [t for t in ax.texts if t.get_fontweight() == "bold"]
    assert len(bold) == int((np.abs(e.loadings) >= 0.3).sum())
    assert [t.get_text() for t in ax.get_xticklabels()] == list(e.factors)
    save(ax)
    ax2 = plot.loadings(e, structure=True, annotate=False)
    assert np.asarray(ax2.images[0].get_array()) == pytest.approx(e.structure)
    assert not ax2.texts


def test_loadings_bad_input(results):
    with pytest.raises(InvalidParameterError, match=r"'result' parameter of plot\.loadings"):
        plot.loadings(results["cohorts"])
    with pytest.raises(InvalidParameterError, match="'cutoff' parameter"):
        plot.loadings(results["efa"], cutoff=1.5)


def test_draws_on_a_given_axes(results):
    import matplotlib.pyplot as plt

    _fig, (left, right) = plt.subplots(1, 2)
    assert plot.pareto(results["pareto"], ax=left) is left
    assert plot.funnel(results["funnel"], ax=right) is right


def test_missing_matplotlib_names_the_extra(results, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(MissingExtraError, match=r"plot.pareto.*pip install 'cxpath\[plot\]'"):
        plot.pareto(results["pareto"])
