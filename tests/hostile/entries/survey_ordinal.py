"""Hostile-suite entries for ordinal items (cxpath.survey.ordinal): polychoric and polyserial
correlations, the polychoric matrix, ordinal alpha and omega."""

from __future__ import annotations

from ..registry import E

_MATRIX = {'data': 'matrix', 'items': 'labels', 'correct': 'probability', 'sparse': 'option',
           'smooth': 'option', 'nan_policy': 'option', 'max_pairs': 'count'}

REGISTRY: dict[str, E] = {
    'cxpath.survey.polychoric': E({'x': 'array', 'y': 'array', 'correct': 'probability',
        'sparse': 'option', 'nan_policy': 'option'}),
    'cxpath.survey.polyserial': E({'x': 'array', 'y': 'array', 'nan_policy': 'option'}),
    'cxpath.survey.polychoric_matrix': E({**_MATRIX, 'acov': 'bool'}),
    'cxpath.survey.ordinal_alpha': E(dict(_MATRIX)),
    'cxpath.survey.ordinal_omega': E({**_MATRIX, 'method': 'option'}),
}
