"""Demo section: which touchpoints earn the sample's resolutions."""

from __future__ import annotations

from .._results import format_table
from . import absorbing_measures, attribute


def demo_section(sample) -> str:
    """Heuristic, Markov and Shapley credit for resolutions, and absorbing-chain measures."""
    j = sample.journeys
    att = attribute(j, exclude="resolved",
                    models=("first_touch", "last_touch", "linear", "time_decay", "markov_1",
                            "markov_2", "shapley"))
    cols = att._columns()
    order = cols["markov_1"].argsort()[::-1]
    table = {k: cols[k][order] for k in cols if not k.endswith("_value")}
    markov = att.details["markov_1"]
    absorbing = absorbing_measures(j, exclude="resolved")
    acols = absorbing._columns()
    worst = acols["success_probability"].argsort()[:4]
    return "\n".join([
        f"Resolutions credited to touchpoints ({att.total_conversions:,.0f} resolved cases; "
        f"P(resolution) = {markov.conversion_probability:.3f} in the order-1 chain):",
        format_table(table, max_rows=13), "",
        "Touchpoints with the lowest chance of ending resolved (absorbing chain):",
        format_table({k: acols[k][worst] for k in ("touchpoint", "success_probability",
                                                  "observed_success_rate", "expected_steps",
                                                  "expected_time_h")}, max_rows=4,
                     durations=absorbing._durations(acols))])


def demo_figures(sample) -> list:
    """Figure for ``demo --out``: credit per touchpoint under each model."""
    import matplotlib.pyplot as plt

    from .. import plot

    att = attribute(sample.journeys, exclude="resolved",
                    models=("first_touch", "last_touch", "linear", "markov_1", "shapley"))
    fig, ax = plt.subplots(figsize=(12, 5), layout="constrained")
    plot.attribution(att, ax=ax)
    return [("Share of resolutions credited to each touchpoint, by model", fig)]
