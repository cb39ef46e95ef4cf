"""Hostile-suite entries of the indicator system (cxpath.kpi.system)."""

from __future__ import annotations

from ..registry import E

REGISTRY: dict[str, E] = {
    'cxpath.kpi.Indicator.__init__': E({'name': 'text', 'measure': 'option',
        'column': 'column', 'denominator': 'column', 'role': 'option', 'direction': 'option',
        'target': 'real', 'tolerance': 'real', 'unit': 'text', 'owner': 'text',
        'parent': 'text', 'weight': 'real'}),
    'cxpath.kpi.IndicatorSystem.__init__': E({'indicators': 'labels'}),
    'cxpath.kpi.IndicatorSystem.children': E({'name': 'text'}),
    'cxpath.kpi.IndicatorSystem.evaluate': E({'data': 'frame', 'period': 'column',
        'freq': 'option', 'by': 'column', 'confidence': 'probability', 'cap': 'real',
        'trend_window': 'count'}),
    'cxpath.kpi.alert_digest': E({'evaluation': 'result', 'charts': 'mapping', 'monitor': 'result',
        'at_risk': 'result', 'period': 'text'}),
}
