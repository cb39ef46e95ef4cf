"""Hostile-suite entries of the Markov order choice (cxpath.attribution.order)."""

from __future__ import annotations

from ..registry import E

REGISTRY: dict[str, E] = {
    'cxpath.attribution.markov_order': E({'data': 'stats', 'orders': 'labels',
        'folds': 'count', 'criterion': 'option', 'rule': 'option', 'smoothing': 'real',
        'collapse_repeats': 'bool', 'by': 'column', 'exclude': 'labels', 'seed': 'seed',
        'path': 'column', 'conversions': 'column', 'nulls': 'column', 'value': 'column',
        'sep': 'text'}),
}
