"""Hostile-suite entries of criteria weights, composite indices and fair scorecards
(cxpath.kpi.weights, cxpath.kpi.scorecard)."""

from __future__ import annotations

from ..registry import E

_MPL = ">>> import matplotlib\n>>> matplotlib.use('Agg')\n"
_PLOT_KW = {"kw": "forwarded to the plot function (matplotlib style keywords)"}
_RATES = "[5, 70, 150, 33, 140], [5, 100, 200, 50, 250]"

EX: dict[str, str] = {
    'cxpath.kpi.RateScorecard.plot': (_MPL + ">>> from cxpath.kpi import rate_scorecard\n"
        f">>> rate_scorecard({_RATES}, seed=1).plot()"),
    'cxpath.kpi.MeanScorecard.plot': (_MPL + ">>> from cxpath.kpi import mean_scorecard\n"
        ">>> mean_scorecard([4.9, 4.4, 4.5], [0.9, 0.8, 0.7], [3, 120, 80], seed=1).plot()"),
    'cxpath.kpi.Caterpillar.plot': (_MPL + ">>> from cxpath.kpi import rate_scorecard\n"
        f">>> rate_scorecard({_RATES}, seed=1).caterpillar().plot()"),
    'cxpath.kpi.FunnelChart.plot': (_MPL + ">>> from cxpath.kpi import funnel_chart\n"
        f">>> funnel_chart({_RATES}).plot()"),
}

REGISTRY: dict[str, E] = {
    'cxpath.kpi.ahp': E({'matrix': 'matrix', 'criteria': 'labels', 'method': 'option',
        'max_cr': 'real', 'inconsistent': 'option'}),
    'cxpath.kpi.entropy_weights': E({'data': 'matrix', 'criteria': 'labels',
        'direction': 'option', 'normalization': 'option'}),
    'cxpath.kpi.critic_weights': E({'data': 'matrix', 'criteria': 'labels',
        'direction': 'option'}),
    'cxpath.kpi.composite_index': E({'data': 'matrix', 'weights': 'array',
        'criteria': 'labels', 'alternatives': 'column', 'direction': 'option',
        'normalization': 'option', 'targets': 'array', 'baselines': 'array'}),
    'cxpath.kpi.rank_sensitivity': E({'index': 'result', 'method': 'option',
        'concentration': 'real', 'delta': 'probability', 'n_samples': 'count',
        'coverage': 'probability', 'seed': 'seed'}),
    'cxpath.kpi.rate_scorecard': E({'successes': 'column', 'trials': 'column',
        'units': 'column', 'data': 'frame', 'higher_is_better': 'bool', 'method': 'option',
        'confidence': 'probability', 'n_draws': 'count', 'seed': 'seed'}),
    'cxpath.kpi.mean_scorecard': E({'means': 'column', 'sds': 'column', 'n': 'column',
        'units': 'column', 'data': 'frame', 'higher_is_better': 'bool', 'method': 'option',
        'confidence': 'probability', 'n_draws': 'count', 'seed': 'seed'}),
    'cxpath.kpi.funnel_chart': E({'successes': 'column', 'trials': 'column',
        'units': 'column', 'data': 'frame', 'target': 'probability', 'levels': 'array',
        'method': 'option', 'interpolate': 'bool', 'overdispersion': 'option',
        'n_points': 'count'}),
    **{name: E({'ax': 'axes'}, example=example, skip=_PLOT_KW) for name, example in EX.items()},
}


def _plot_entries() -> dict[str, E]:
    """Entries of the plot functions once ``cxpath.plot`` exports them."""
    import cxpath.plot

    out = {}
    if hasattr(cxpath.plot, "caterpillar"):
        out['cxpath.plot.caterpillar'] = E({'result': 'result', 'ax': 'axes', 'top': 'count'},
            example=(_MPL + ">>> from cxpath import plot\n>>> from cxpath.kpi import "
                     f"rate_scorecard\n>>> plot.caterpillar(rate_scorecard({_RATES}, "
                     "seed=1))"),
            skip={"style": "matplotlib style keywords"})
    if hasattr(cxpath.plot, "funnel_chart"):
        out['cxpath.plot.funnel_chart'] = E({'result': 'result', 'ax': 'axes'},
            example=(_MPL + ">>> from cxpath import plot\n>>> from cxpath.kpi import "
                     f"funnel_chart\n>>> plot.funnel_chart(funnel_chart({_RATES}))"),
            skip={"style": "matplotlib style keywords"})
    return out


REGISTRY.update(_plot_entries())
