"""Hostile-suite entries of competing risks (cxpath.customers.competing)."""

from __future__ import annotations

from ..registry import E

_C = "cxpath.customers."

REGISTRY: dict[str, E] = {
    _C + 'cumulative_incidence': E({'durations': 'column', 'event': 'column', 'data': 'frame',
                                    'group': 'column', 'entry': 'column', 'weights': 'column',
                                    'censored': 'any', 'level': 'probability'}),
    _C + 'fine_gray': E({'durations': 'column', 'event': 'column', 'covariates': 'matrix',
                         'cause': 'any', 'data': 'frame', 'censored': 'any',
                         'level': 'probability', 'max_iter': 'count', 'tol': 'real'}),
    _C + 'FineGrayFit.predict': E({'covariates': 'matrix', 'times': 'array'}),
    _C + 'gray_test': E({'durations': 'column', 'event': 'column', 'group': 'column',
                         'data': 'frame', 'cause': 'any', 'strata': 'column',
                         'censored': 'any', 'rho': 'real'}),
}
