"""Report section: which touchpoints earn the successes (resolutions, conversions)."""

from __future__ import annotations

import numpy as np

from ._blocks import Figure, Section, Table, table_of

__all__ = ["section"]

MODELS = ("first_touch", "last_touch", "linear", "time_decay", "markov_1", "markov_2",
          "shapley")


def section(inputs) -> Section:
    """Heuristic, Markov and Shapley credit, and absorbing-chain measures."""
    from ..attribution import absorbing_measures, attribute

    title = "Attribution: which touchpoints earn resolutions"
    j = inputs.journeys
    if j is None or j.outcome is None:
        return Section("attribution", title, skipped="an event log with --success LABEL "
                       "or --outcome COLUMN would add attribution")
    exclude = inputs.success
    models = MODELS if j.times is not None else tuple(m for m in MODELS if m != "time_decay")
    att = attribute(j, exclude=exclude, models=models)
    cols = att._columns()
    order = np.argsort(-np.asarray(cols["markov_1"]), kind="stable")
    table = {k: np.asarray(cols[k])[order] for k in cols if not k.endswith("_value")}
    markov = att.details["markov_1"]
    absorbing = absorbing_measures(j, exclude=exclude)
    worst = np.argsort(absorbing.success_probability, kind="stable")[:4]
    success_word = "resolved" if exclude == "resolved" else "successful"
    blocks = [
        Table(title=f"Resolutions credited to touchpoints ({att.total_conversions:,.0f} "
                    f"{success_word} cases; P(resolution) = "
                    f"{markov.conversion_probability:.3f} in the order-1 chain)",
              columns=table, max_rows=13,
              how_to_read="Each column is one attribution model: how many of the successes "
                          "it credits to each touchpoint. Rows are ranked by the first-order "
                          "Markov credit (the removal effect)."),
        table_of(absorbing, ["touchpoint", "success_probability", "observed_success_rate",
                             "expected_steps"] + (["expected_time_h"]
                                                 if absorbing.expected_time is not None
                                                 else []),
                 rows=worst, k=4,
                 title="Touchpoints with the lowest chance of ending resolved "
                       "(absorbing chain)",
                 how_to_read="From each touchpoint: the chance the journey still ends in "
                             "success, the steps and the time it takes.",
                 headers={"success_probability": "chance of success",
                          "observed_success_rate": "observed",
                          "expected_steps": "steps to go", "expected_time_h": "time to go"},
                 percent=("success_probability", "observed_success_rate")),
    ]
    label = next(iter(table))  # the channel / touchpoint column
    findings = []
    if len(table[label]):
        share = float(table["markov_1"][0]) / max(float(att.total_conversions), 1.0)
        findings.append(f"{table[label][0]} earns the most resolutions in the Markov model: "
                        f"{share:.0%} of {att.total_conversions:,.0f}.")
    if worst.size:
        i = int(worst[0])
        findings.append(f"Journeys that reach {absorbing.touchpoints[i]} end in success "
                        f"only {absorbing.success_probability[i]:.0%} of the time.")
    figure = Figure("Share of resolutions credited to each touchpoint, by model",
                    lambda: _figure(j, exclude))
    return Section("attribution", title, (*blocks, figure), tuple(findings))


def _figure(j, exclude):
    import matplotlib.pyplot as plt

    from .. import plot
    from ..attribution import attribute

    att = attribute(j, exclude=exclude,
                    models=("first_touch", "last_touch", "linear", "markov_1", "shapley"))
    fig, ax = plt.subplots(figsize=(12, 5), layout="constrained")
    plot.attribution(att, ax=ax)
    return fig
