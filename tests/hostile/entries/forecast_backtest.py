"""Hostile-suite entries of many-series backtests and scaled accuracy (#19 point 5:
cxpath.forecast.evaluation, cxpath.forecast.accuracy)."""

from __future__ import annotations

from ..registry import E

_F = "cxpath.forecast."

REGISTRY: dict[str, E] = {
    _F + 'backtest_many': E({'series': 'matrix', 'h': 'count', 'methods': 'mapping',
                             'm': 'count', 'n_windows': 'count', 'step': 'count',
                             'refit': 'bool', 'window': 'count', 'benchmark': 'option',
                             'id': 'column', 'value': 'column', 'ds': 'column',
                             'freq': 'option', 'level': 'array', 'options': 'mapping',
                             'layout': 'option', 'n_jobs': 'count', 'progress': 'bool',
                             'scheduler': 'option'}),
    _F + 'rmsse': E({'actual': 'array', 'forecast': 'array', 'insample': 'array',
                     'm': 'count'}),
    _F + 'scaled_pinball': E({'actual': 'array', 'quantile_forecasts': 'matrix',
                              'q': 'array', 'insample': 'array', 'm': 'count'}),
    _F + 'BacktestSet.evaluate': E({'metrics': 'labels'}),
    _F + 'BacktestSet.leaderboard': E({'metric': 'option', 'aggregate': 'option'}),
    _F + 'Evaluation.aggregate': E({'how': 'option'}),
    _F + 'Evaluation.leaderboard': E({'metric': 'option', 'aggregate': 'option'}),
}
