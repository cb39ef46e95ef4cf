"""Hostile-suite entries of the MSTL decomposition and forecast (#20 point 1:
cxpath.forecast.mstl)."""

from __future__ import annotations

from ..registry import E

_F = "cxpath.forecast."
_PLOT = (">>> import matplotlib\n>>> matplotlib.use('Agg')\n>>> import numpy as np\n"
         ">>> from cxpath.forecast import mstl_decompose\n"
         ">>> mstl_decompose(10 + np.sin(np.arange(96) * 2 * np.pi / 12), [12]).plot()")

REGISTRY: dict[str, E] = {
    _F + 'MSTLDecomposition.plot': E({'ax': 'axes'}, example=_PLOT,
                                     skip={"kw": "forwarded to the plot function "
                                                 "(matplotlib style keywords)"}),
    _F + 'mstl_decompose': E({'y': 'array', 'periods': 'array', 'windows': 'array',
                              'iterate': 'count', 'robust': 'bool', 'seasonal_deg': 'int',
                              'trend_deg': 'int', 'low_pass_deg': 'int',
                              'inner_iter': 'count', 'outer_iter': 'count', 'fast': 'bool'}),
    _F + 'mstl_forecast': E({'y': 'array', 'h': 'count', 'periods': 'array',
                             'windows': 'array', 'iterate': 'count', 'robust': 'bool',
                             'trend': 'option', 'intervals': 'option', 'level': 'array',
                             'holidays': 'labels', 'events': 'mapping',
                             'calendar_effect': 'option', 'n_origins': 'count',
                             'seed': 'seed', 'dates': 'array', 'freq': 'option'}),
}
