"""Hostile-suite entries for run lengths and monitoring (cxpath.spc.arl, cxpath.spc.monitor)."""

from __future__ import annotations

from ..registry import E

REGISTRY: dict[str, E] = {
    'cxpath.spc.Monitor.from_baseline': E({'baseline': 'matrix', 'chart': 'option',
        'names': 'labels', 'rules': 'option', 'nsigma': 'real', 'lam': 'probability',
        'L': 'real', 'k': 'real', 'h': 'real', 'reset': 'bool', 'target_arl': 'real',
        'target': 'array', 'sigma': 'array', 'residuals': 'option', 'fdr': 'probability'}),
    'cxpath.spc.Monitor.run_length': E({'shift': 'array'}),
    'cxpath.spc.Monitor.update': E({'new_points': 'matrix'}),
    'cxpath.spc.RunLength.distribution': E({'upto': 'count'}),
    'cxpath.spc.RunLength.quantile': E({'p': 'probability'}),
    'cxpath.spc.arl_cusum': E({'k': 'real', 'h': 'real', 'sides': 'option', 'shift': 'array',
        'nodes': 'count'}),
    'cxpath.spc.arl_ewma': E({'lam': 'probability', 'L': 'real', 'shift': 'array',
        'nodes': 'count'}),
    'cxpath.spc.arl_shewhart': E({'rules': 'option', 'nsigma': 'real', 'shift': 'array'}),
    'cxpath.spc.benjamini_hochberg': E({'p_values': 'array', 'q': 'probability'}),
    'cxpath.spc.cusum_limit': E({'k': 'real', 'target_arl': 'real', 'sides': 'option',
        'nodes': 'count'}),
    'cxpath.spc.ewma_limit': E({'lam': 'probability', 'target_arl': 'real',
        'nodes': 'count'}),
    'cxpath.spc.shewhart_limit': E({'target_arl': 'real', 'rules': 'option'}),
}
