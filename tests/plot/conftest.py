"""Agg backend and real result objects computed from the bundled sample."""

from __future__ import annotations

import numpy as np
import pytest

mpl = pytest.importorskip("matplotlib")
mpl.use("Agg")

import cxpath  # noqa: E402


@pytest.fixture(scope="session")
def sample():
    return cxpath.datasets.load_sample()


@pytest.fixture(scope="session")
def results(sample):
    """One real result of every kind the plot functions draw."""
    from cxpath import attribution, fmea, forecast, journeys, kpi, spc, survey

    j = sample.journeys
    ws = fmea.Worksheet.from_frame(sample.failure_modes)
    ranked = fmea.rank(ws)
    data = sample.daily_complaints
    base = data["date"] < np.datetime64("2025-07-01")
    y = np.asarray(sample.daily_contacts["contacts"], dtype=float)
    held = forecast.auto_ets(y[:-28], 28, 7, level=[80, 95])
    items = [i for c in sample.survey_constructs.values() for i in c]
    out = {
        "journeys": j,
        "graph": journeys.journey_graph(j),
        "funnel": journeys.funnel(j, ["ivr", "phone_agent", "resolved"], mode="any_order"),
        "breakpoints": journeys.breakpoints(j),
        "bottlenecks": journeys.bottlenecks(j, sla=2 * 86400),
        "attribution": attribution.attribute(
            j, exclude="resolved", models=("first_touch", "last_touch", "linear", "markov_1")),
        "pareto": fmea.pareto(sample.failures["failure_mode"]),
        "risk_matrix": fmea.risk_matrix(ws),
        "ap_table": fmea.ap_table("aiag-vda-2019"),
        "value_effort": fmea.value_effort(labels=ranked.failure_mode,
                                          impact=ranked.rpn.astype(float),
                                          effort=np.arange(ranked.rpn.size, 0, -1) % 7 + 1.0),
        "control_chart": spc.u_chart(data["complaints"], data["orders"], baseline=base,
                                     refit=1, labels=data["date"], rules="we"),
        "imr": spc.imr(np.asarray(sample.tickets["handle_time_s"][:200], dtype=float)),
        "forecast": held,
        "history": y[:-28],
        "actual": y[-28:],
        "excursions": forecast.flag_outside(y[-28:], held, level=95),
        "cohorts": kpi.retention_cohorts(sample.events["customer_id"],
                                         sample.events["timestamp"], period="M"),
        "efa": survey.efa(sample.survey, items, n_factors=5, rotation="varimax"),
    }
    return out


@pytest.fixture(autouse=True)
def _close_figures():
    import matplotlib.pyplot as plt

    yield
    plt.close("all")


@pytest.fixture
def save(tmp_path):
    """Save the figure of an Axes (or a Figure) as PNG and check the file is a PNG."""

    def _save(out, name="figure"):
        fig = out if hasattr(out, "savefig") else out.figure
        path = tmp_path / f"{name}.png"
        fig.savefig(path, dpi=50)
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        return path

    return _save
