"""Instances of the weights, composite-index and fair-scorecard results (cxpath.kpi.weights,
cxpath.kpi.scorecard)."""

from __future__ import annotations

from cxpath import kpi


def build(sample, tmp) -> dict:
    x = [[0.71, 320, 4.1], [0.64, 280, 4.4], [0.80, 410, 3.9], [0.69, 300, 4.0]]
    index = kpi.composite_index(x, [0.4, 0.3, 0.3], alternatives=["ann", "bob", "cy", "dee"],
                                direction=["benefit", "cost", "benefit"])
    sens = kpi.rank_sensitivity(index, n_samples=200, seed=1)
    rates = kpi.rate_scorecard([5, 70, 150, 33, 140], [5, 100, 200, 50, 250], n_draws=200,
                               seed=1)
    return {
        "ahp": kpi.ahp([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]]),
        "entropy_weights": kpi.entropy_weights(x, direction=["benefit", "cost", "benefit"]),
        "critic_weights": kpi.critic_weights(x),
        "composite_index": index,
        "rank_sensitivity": sens,
        "weight_flips": sens.flips,
        "rate_scorecard": rates,
        "caterpillar": rates.caterpillar(),
        "mean_scorecard": kpi.mean_scorecard([4.9, 4.4, 4.5], [0.9, 0.8, 0.7], [3, 120, 80],
                                             n_draws=200, seed=1),
        "funnel_chart": kpi.funnel_chart([5, 70, 150, 33, 140], [5, 100, 200, 50, 250]),
    }
