"""``result.plot()`` on every result with a picture, and the plot functions accepting every
result type they can draw (matplotlib Agg: see conftest.py)."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from cxpath import attribution, fmea, plot, survey
from cxpath.errors import InvalidParameterError


def _drawn(out) -> int:
    """Artists drawn on an Axes (or on every Axes of a Figure)."""
    axes = out.axes if isinstance(out, Figure) else [out]
    return sum(len(a.patches) + len(a.lines) + len(a.collections) + len(a.images)
               + len(a.texts) for a in axes)


@pytest.fixture(scope="module")
def more(sample):
    """Results the shared fixture does not hold."""
    j = sample.journeys
    items = list(sample.survey_constructs["wait"])
    return {"markov": attribution.markov(j, exclude="resolved"),
            "shapley": attribution.shapley(j, exclude="resolved"),
            "worksheet": fmea.Worksheet.from_frame(sample.failure_modes),
            "omega": survey.omega_total(sample.survey, items)}


@pytest.mark.parametrize("name", ["attribution", "funnel", "breakpoints", "bottlenecks",
                                  "pareto", "risk_matrix", "ap_table", "value_effort",
                                  "control_chart", "forecast", "cohorts", "efa"])
def test_plot_method_draws_the_result(results, name):
    out = results[name].plot()
    assert isinstance(out, Axes)
    assert _drawn(out) > 0
    assert out.get_title()


@pytest.mark.parametrize("name", ["markov", "shapley", "worksheet", "omega"])
def test_plot_method_of_results_newly_drawn(more, name):
    out = more[name].plot()
    assert isinstance(out, Axes) and _drawn(out) > 0


def test_plot_method_passes_ax_and_options(results, save):
    import matplotlib.pyplot as plt

    _, (left, right) = plt.subplots(1, 2)
    assert results["bottlenecks"].plot(ax=left, top=3, unit="d") is left
    assert len(left.patches) == 3 and "median wait (d)" in left.get_xlabel()
    assert results["breakpoints"].plot(right, top=2) is right
    assert len(right.patches) == 2
    fc = results["forecast"].plot(history=results["history"], actual=results["actual"])
    assert any(line.get_label() == "history" for line in fc.lines)
    chart = results["imr"].plot(companion=True)
    assert isinstance(chart, Figure) and len(chart.axes) == 2
    att = results["attribution"].plot(kind="conversions", models=["linear"])
    assert len(att.patches) == len(results["attribution"].channels)
    ap = results["ap_table"].plot(detection=7, matrix=results["risk_matrix"])
    assert ap.get_title().startswith("Action Priority at detection 7")
    save(ap, "ap")


def test_plot_methods_agree_with_the_functions(results):
    for name, func in [("pareto", plot.pareto), ("funnel", plot.funnel),
                       ("value_effort", plot.value_effort), ("cohorts", plot.retention)]:
        a, b = results[name].plot(), func(results[name])
        assert [t.get_text() for t in a.get_xticklabels()] == \
            [t.get_text() for t in b.get_xticklabels()], name
        assert len(a.patches) == len(b.patches) and a.get_title() == b.get_title(), name


def test_attribution_draws_single_model_results(more):
    for name in ("markov", "shapley"):
        res = more[name]
        ax = plot.attribution(res)
        assert len(ax.patches) == len(res.channels)
        labels = [t.get_text() for t in ax.get_xticklabels()]
        assert labels[0] == res.channels[0]  # largest credit first
        heights = [p.get_height() for p in ax.patches]
        np.testing.assert_allclose(heights, res.conversions / res.conversions.sum())
        assert [t.get_text() for t in ax.get_legend().get_texts()] == [
            "markov_1" if name == "markov" else "shapley"]
    value = plot.attribution(more["markov"], kind="conversions")
    np.testing.assert_allclose([p.get_height() for p in value.patches],
                               more["markov"].conversions)


def test_attribution_sorts_by_the_headline_model(results):
    att = results["attribution"]  # first_touch, last_touch, linear, markov_1
    assert att.headline == "markov_1"
    ax = plot.attribution(att)
    labels = [t.get_text() for t in ax.get_xticklabels()]
    order = np.argsort(-att.share()[att.models.index("markov_1")], kind="stable")
    assert labels == [att.channels[i] for i in order]
    first = plot.attribution(att, models=["linear", "first_touch"])  # headline not drawn
    labels = [t.get_text() for t in first.get_xticklabels()]
    order = np.argsort(-att.share()[att.models.index("linear")], kind="stable")
    assert labels == [att.channels[i] for i in order]


def test_risk_matrix_and_action_priority_take_a_worksheet(more):
    ws = more["worksheet"]
    direct = plot.risk_matrix(ws)
    built = plot.risk_matrix(fmea.risk_matrix(ws))
    np.testing.assert_array_equal(direct.images[0].get_array(), built.images[0].get_array())
    ap = plot.action_priority(matrix=ws)
    assert sum(t.get_text().isdigit() for t in ap.texts) == (fmea.risk_matrix(ws).grid > 0).sum()


def test_loadings_take_a_one_factor_omega(more):
    om = more["omega"]
    ax = plot.loadings(om)
    np.testing.assert_allclose(ax.images[0].get_array()[:, 0], om.loadings)
    assert "omega" in ax.get_title()
    assert [t.get_text() for t in ax.get_xticklabels()] == ["F1"]


def test_plot_functions_still_refuse_what_they_cannot_draw(results, more):
    with pytest.raises(InvalidParameterError, match=r"MarkovAttribution or Shapley"):
        plot.attribution(results["pareto"])
    with pytest.raises(InvalidParameterError, match=r"RiskMatrix \(fmea.risk_matrix\) or a "
                                                    r"Worksheet"):
        plot.risk_matrix(more["markov"])
    with pytest.raises(InvalidParameterError, match=r"Efa \(survey.efa\) or Omega"):
        plot.loadings(results["cohorts"])
    with pytest.raises(InvalidParameterError, match=r"'matrix' parameter of "
                                                    r"plot.action_priority"):
        plot.action_priority(matrix=results["pareto"])


def test_analyses_do_not_import_matplotlib_at_module_level():
    import subprocess
    import sys

    code = ("import sys, cxpath.attribution, cxpath.fmea, cxpath.journeys, cxpath.kpi, "
            "cxpath.spc, cxpath.forecast, cxpath.survey; "
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
