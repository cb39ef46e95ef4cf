"""Hostile-suite entries of staffing plans from forecasts and shift rosters
(cxpath.kpi.forecast_staffing, cxpath.kpi.roster)."""

from __future__ import annotations

from ..registry import E

REGISTRY: dict[str, E] = {
    'cxpath.kpi.staffing_plan': E({'forecast': 'result', 'aht': 'array', 'rule': 'option',
        'target': 'probability', 'answer_time': 'real', 'quantile': 'probability',
        'interval': 'real', 'level': 'real', 'band': 'option', 'shrinkage': 'probability',
        'max_occupancy': 'probability', 'nodes': 'count'}),
    'cxpath.kpi.expected_service_level': E({'forecast': 'result', 'aht': 'array',
        'agents': 'array', 'interval': 'real', 'answer_time': 'real', 'level': 'real',
        'band': 'option', 'nodes': 'count'}),
    'cxpath.kpi.StaffingPlan.roster': E({'shifts': 'result', 'method': 'option',
        'time_limit': 'real'}),
    'cxpath.kpi.StaffingPlan.blocks': E({'size': 'count'}),
    'cxpath.kpi.shift_patterns': E({'start': 'array', 'length': 'array', 'breaks': 'array',
        'name': 'labels', 'paid_hours': 'array', 'interval': 'real', 'repeat': 'count',
        'period': 'count'}),
    'cxpath.kpi.shift_roster': E({'requirement': 'array', 'shifts': 'result',
        'method': 'option', 'time_limit': 'real', 'cyclic': 'bool'}),
}
