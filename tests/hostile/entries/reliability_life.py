"""Hostile-suite entries of life-data analysis (cxpath.reliability: data, fitting, ranks)."""

from __future__ import annotations

from ..registry import E

_MPL = "import matplotlib\n>>> matplotlib.use('Agg')\n"
_FIT = (">>> from cxpath.reliability import LifeData, fit\n"
        ">>> f = fit(LifeData.from_times([16, 34, 53, 75, 93, 120], failed=[1] * 6), "
        "'weibull')\n")
_CM = (">>> from cxpath.reliability import fit_competing\n"
       ">>> cm = fit_competing([10, 20, 30, 40, 50, 60, 70, 80], ['a', 'b'] * 4, "
       "failed=[1] * 8)\n")
_PLOT_KW = {"kw": "forwarded to the plot function (matplotlib style keywords)"}

REGISTRY: dict[str, E] = {
    'cxpath.reliability.CompetingModes.b_life': E(
        {'percent': 'real'},
        example=_CM + '>>> cm.b_life(10)'),
    'cxpath.reliability.CompetingModes.cdf': E(
        {'t': 'array'},
        example=_CM + '>>> cm.cdf([5.0, 25.0])'),
    'cxpath.reliability.CompetingModes.fit_of': E(
        {'mode': 'text'},
        example=_CM + ">>> cm.fit_of('a')"),
    'cxpath.reliability.CompetingModes.hazard': E(
        {'t': 'array'},
        example=_CM + '>>> cm.hazard([5.0, 25.0])'),
    'cxpath.reliability.CompetingModes.reliability': E(
        {'t': 'array'},
        example=_CM + '>>> cm.reliability([5.0, 25.0])'),
    'cxpath.reliability.LifeData.from_bounds': E({'lower': 'array', 'upper': 'array',
                                                  'count': 'array'}),
    'cxpath.reliability.LifeData.from_lists': E({'failures': 'array',
        'right_censored': 'array', 'left_censored': 'array', 'interval_lower': 'array',
        'interval_upper': 'array'}),
    'cxpath.reliability.LifeData.from_times': E({'time': 'array', 'failed': 'array',
                                                 'count': 'array'}),
    'cxpath.reliability.LifeFit.b_life': E(
        {'percent': 'real'},
        example=_FIT + '>>> f.b_life(10)'),
    'cxpath.reliability.LifeFit.b_lives': E(
        {'percents': 'array', 'bounds': 'option'},
        example=_FIT + '>>> f.b_lives([10, 50])'),
    'cxpath.reliability.LifeFit.cdf': E(
        {'t': 'array'},
        example=_FIT + '>>> f.cdf([25.0, 50.0])'),
    'cxpath.reliability.LifeFit.conditional_reliability': E(
        {'t': 'array', 'age': 'array'},
        example=_FIT + '>>> f.conditional_reliability([10.0, 20.0], age=[5.0, 5.0])'),
    'cxpath.reliability.LifeFit.cumulative_hazard': E(
        {'t': 'array'},
        example=_FIT + '>>> f.cumulative_hazard([25.0, 50.0])'),
    'cxpath.reliability.LifeFit.hazard': E(
        {'t': 'array'},
        example=_FIT + '>>> f.hazard([25.0, 50.0])'),
    'cxpath.reliability.LifeFit.parameter_bounds': E(
        {'bounds': 'option'},
        example=_FIT + ">>> f.parameter_bounds('likelihood')"),
    'cxpath.reliability.LifeFit.pdf': E(
        {'t': 'array'},
        example=_FIT + '>>> f.pdf([25.0, 50.0])'),
    'cxpath.reliability.LifeFit.plot': E({'ax': 'axes'}, example=">>> " + _MPL + _FIT +
                                         ">>> f.plot()", skip=_PLOT_KW),
    'cxpath.reliability.LifeFit.quantile': E(
        {'p': 'array'},
        example=_FIT + '>>> f.quantile([0.1, 0.5])'),
    'cxpath.reliability.LifeFit.reliability': E(
        {'t': 'array'},
        example=_FIT + '>>> f.reliability([25.0, 50.0])'),
    'cxpath.reliability.LifeFit.reliability_bounds': E(
        {'t': 'array'},
        example=_FIT + '>>> f.reliability_bounds([25.0, 50.0])'),
    'cxpath.reliability.PlottingPositions.plot': E({'ax': 'axes'}, example=(
        ">>> " + _MPL + ">>> from cxpath.reliability import plotting_positions\n"
        ">>> plotting_positions([16, 34, 53, 75]).plot()"), skip=_PLOT_KW),
    'cxpath.reliability.ProbabilityPlot.plot': E({'ax': 'axes'}, example=(
        ">>> " + _MPL + _FIT + ">>> from cxpath.reliability import probability_plot\n"
        ">>> probability_plot(f).plot()"), skip=_PLOT_KW),
    'cxpath.reliability.fit': E({'data': 'array', 'distribution': 'option',
                                 'method': 'option', 'level': 'probability', 'a': 'real'}),
    'cxpath.reliability.fit_best': E({'data': 'array', 'distributions': 'labels',
                                      'criterion': 'option', 'level': 'probability'}),
    'cxpath.reliability.fit_competing': E({'time': 'array', 'mode': 'labels',
        'failed': 'array', 'count': 'array', 'distribution': 'option', 'method': 'option',
        'level': 'probability'}),
    'cxpath.reliability.fit_groups': E({'time': 'array', 'group': 'labels',
        'failed': 'array', 'count': 'array', 'level': 'probability'}),
    'cxpath.reliability.plotting_positions': E({'data': 'array', 'a': 'real'}),
    'cxpath.reliability.probability_plot': E({'fit': 'result', 'a': 'real', 'points': 'count'}),
}
