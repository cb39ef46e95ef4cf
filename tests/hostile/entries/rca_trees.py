"""Hostile-suite entries of the cause trees: fault trees and fishbones (cxpath.rca)."""

from __future__ import annotations

from ..registry import E

_CAPS = {'max_nodes': 'count', 'max_cut_sets': 'count'}
_FB = (">>> import matplotlib\n>>> matplotlib.use('Agg')\n"
       ">>> from cxpath.rca import fishbone\n"
       ">>> fb = fishbone({'People': ['untrained', 'rude'], 'System': ['CRM down']}, "
       "{'untrained': 40, 'rude': 10, 'CRM down': 30})\n")

REGISTRY: dict[str, E] = {
    'cxpath.rca.And.__init__': E({'name': 'text'}),
    'cxpath.rca.Or.__init__': E({'name': 'text'}),
    'cxpath.rca.AtLeast.__init__': E({'k': 'int', 'name': 'text'}),
    'cxpath.rca.FaultTree.__init__': E({'gates': 'mapping', 'probabilities': 'mapping',
        'top': 'text'}),
    'cxpath.rca.FaultTree.with_probabilities': E({'probabilities': 'mapping'}),
    'cxpath.rca.FaultTree.cut_sets': E({'max_order': 'count', 'max_cut_sets': 'count'}),
    'cxpath.rca.FaultTree.probability': E({'method': 'option', 'order': 'labels', **_CAPS}),
    'cxpath.rca.FaultTree.importance': E({'order': 'labels', **_CAPS}),
    'cxpath.rca.probabilities_from_worksheet': E({'worksheet': 'result', 'table': 'mapping'}),
    'cxpath.rca.probabilities_from_counts': E({'counts': 'mapping', 'exposure': 'real',
        'bound': 'option', 'confidence': 'probability'}),
    'cxpath.rca.fishbone': E({'causes': 'mapping', 'data': 'frame', 'cause': 'column',
        'value': 'column', 'effect': 'text', 'cut': 'probability', 'unmatched': 'option'}),
    'cxpath.rca.Fishbone.pareto': E({'node': 'text', 'level': 'int', 'cut': 'probability'}),
    'cxpath.rca.Fishbone.plot': E({'ax': 'axes'}, example=_FB + ">>> fb.plot()",
        skip={'kw': 'forwarded to plot.fishbone (depth= and matplotlib style keywords)'}),
}
