"""Hostile-suite entries of survival analysis and Cox models (cxpath.customers.survival,
cxpath.customers.cox)."""

from __future__ import annotations

from ..registry import E

_C = "cxpath.customers."
_IN = {'durations': 'column', 'event': 'column', 'data': 'frame', 'entry': 'column',
       'weights': 'column'}

REGISTRY: dict[str, E] = {
    _C + 'kaplan_meier': E({**_IN, 'level': 'probability', 'ci': 'option'}),
    _C + 'nelson_aalen': E({**_IN, 'level': 'probability', 'ties': 'option'}),
    _C + 'logrank_test': E({**_IN, 'group': 'column', 'strata': 'column',
                            'weighting': 'option', 'p': 'real', 'q': 'real'}),
    _C + 'rmst': E({**_IN, 'tau': 'real', 'group': 'column', 'level': 'probability'}),
    _C + 'cox': E({**_IN, 'covariates': 'matrix', 'strata': 'column', 'cluster': 'column',
                   'ties': 'option', 'robust': 'bool', 'level': 'probability',
                   'max_iter': 'count', 'tol': 'real'}),
    _C + 'KaplanMeier.at': E({'times': 'array'}),
    _C + 'CoxFit.ph_test': E({'transform': 'option'}),
}
