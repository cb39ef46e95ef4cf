"""Hostile-suite entries of the pictures of reliability and root-cause results."""

from __future__ import annotations

from ..registry import E

_STYLE = {"style": "forwarded to matplotlib (style keywords)"}

REGISTRY: dict[str, E] = {
    'cxpath.plot.change_decomposition': E({'result': 'result', 'ax': 'axes', 'top': 'count'},
                                          skip=_STYLE),
    'cxpath.plot.fishbone': E({'result': 'result', 'ax': 'axes', 'depth': 'count'},
                              skip=_STYLE),
    'cxpath.plot.impact': E({'result': 'result', 'ax': 'axes'}, skip=_STYLE),
    'cxpath.plot.cluster_selection': E({'result': 'result', 'ax': 'axes'}, skip=_STYLE),
    'cxpath.plot.segment_profiles': E({'result': 'result', 'ax': 'axes', 'cmap_name': 'option',
                                       'annotate': 'bool'}),
    'cxpath.plot.mstl_decomposition': E({'result': 'result', 'ax': 'axes', 'last': 'count'},
                                        skip=_STYLE),
    'cxpath.plot.life_fit': E({'result': 'result', 'ax': 'axes', 'curve': 'option',
                               'bounds': 'bool', 'points': 'count'}, skip=_STYLE),
    'cxpath.plot.plotting_positions': E({'result': 'result', 'ax': 'axes'}, skip=_STYLE),
    'cxpath.plot.probability_plot': E({'result': 'result', 'ax': 'axes'}, skip=_STYLE),
}
