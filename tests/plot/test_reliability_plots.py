"""Drawings of life-data results: what is drawn is the result's own coordinates."""

from __future__ import annotations

import numpy as np
import pytest

from cxpath import plot
from cxpath.errors import CxpathError
from cxpath.reliability import LifeData, fit, plotting_positions, probability_plot

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

DATA = LifeData.from_times([16, 34, 53, 75, 93, 120, 150], failed=[1] * 6 + [0])


@pytest.fixture(autouse=True)
def _close():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.mark.parametrize("dist", ["weibull", "lognormal", "exponential_2p", "loglogistic"])
def test_probability_plot_draws_the_points_line_and_band_of_the_result(dist):
    pp = probability_plot(fit(DATA, dist))
    ax = pp.plot()
    line = ax.lines[0]
    np.testing.assert_allclose(line.get_xdata(), pp.line_x)
    np.testing.assert_allclose(line.get_ydata(), pp.line_y)
    np.testing.assert_allclose(ax.collections[-1].get_offsets(), np.c_[pp.x, pp.y])
    # the band's edges are the bound times on the same axis as the line: the line lies
    # inside it wherever both are finite
    band = ax.collections[0].get_paths()[0].vertices
    assert np.isfinite(band).all()
    assert ax.get_xlabel() == pp.x_label and ax.get_ylabel() == pp.y_label


def test_plotting_positions_and_fitted_curves():
    pos = plotting_positions(DATA)
    ax = plot.plotting_positions(pos)
    np.testing.assert_allclose(ax.lines[1].get_ydata(), pos.probability)
    f = fit(DATA, "weibull")
    ax = f.plot(curve="hazard", bounds=False)
    t = ax.lines[0].get_xdata()
    np.testing.assert_allclose(ax.lines[0].get_ydata(), f.hazard(t))
    ax = f.plot()
    rb = f.reliability_bounds(ax.lines[0].get_xdata())
    assert len(ax.collections) == 1 and np.all(rb.lower <= rb.reliability)


def test_bad_arguments_are_clear_errors():
    f = fit(DATA, "weibull")
    with pytest.raises(CxpathError, match=r"'curve' parameter of plot.life_fit"):
        f.plot(curve="survival")
    with pytest.raises(CxpathError, match=r"'points' parameter of plot.life_fit"):
        f.plot(points=2)
    with pytest.raises(CxpathError, match=r"'result' parameter of plot.probability_plot"):
        plot.probability_plot(f)
    with pytest.raises(CxpathError, match=r"'ax' parameter of plot.plotting_positions"):
        plot.plotting_positions(plotting_positions(DATA), ax="left")
