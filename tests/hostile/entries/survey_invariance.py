"""Hostile-suite entries for multiple-group CFA and measurement invariance
(cxpath.survey.invariance)."""

from __future__ import annotations

from ..registry import E

REGISTRY: dict[str, E] = {
    'cxpath.survey.multigroup_cfa': E({'data': 'frame', 'model': 'text', 'group': 'column',
        'group_equal': 'labels', 'group_partial': 'labels', 'std_lv': 'bool', 'estimator': 'option',
        'nan_policy': 'option', 'max_iter': 'count'}),
    'cxpath.survey.measurement_invariance': E({'data': 'frame', 'model': 'text',
        'group': 'column', 'steps': 'labels', 'group_partial': 'labels', 'strict': 'bool',
        'rule': 'option',
        'alpha': 'probability', 'estimator': 'option', 'nan_policy': 'option',
        'std_lv': 'bool', 'max_iter': 'count'}),
    'cxpath.survey.MultiGroupSem.release_tests': E({'backend': 'option', 'minimum': 'real'}),
}
