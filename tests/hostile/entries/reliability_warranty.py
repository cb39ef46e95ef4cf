"""Hostile-suite entries of warranty claims and supplier comparison
(cxpath.reliability.warranty, cxpath.reliability.compare)."""

from __future__ import annotations

from ..registry import E

REGISTRY: dict[str, E] = {
    'cxpath.reliability.nevada': E({'claims': 'matrix', 'sales': 'array', 'cost': 'matrix',
        'layout': 'option', 'limit': 'count', 'start': 'instant'}),
    'cxpath.reliability.WarrantyData.from_records': E({'production': 'array',
        'claim': 'array', 'sales': 'array', 'cost': 'array', 'start': 'instant',
        'limit': 'count'}),
    'cxpath.reliability.forecast_claims': E({'data': 'result', 'fit': 'result',
        'horizon': 'count', 'future_sales': 'array', 'cost_per_claim': 'real',
        'level': 'probability', 'n_sims': 'count', 'seed': 'seed'}),
    'cxpath.reliability.warranty_dashboard': E({'data': 'result', 'window': 'count',
        'rules': 'option', 'nsigma': 'real'}),
    'cxpath.reliability.compare_lifetimes': E({'data': 'array', 'group': 'labels',
        'failed': 'array', 'count': 'array', 'level': 'probability'}),
    'cxpath.reliability.rate_ratios': E({'claims': 'array', 'exposure': 'array',
        'labels': 'labels', 'reference': 'text', 'method': 'option',
        'level': 'probability'}),
}
