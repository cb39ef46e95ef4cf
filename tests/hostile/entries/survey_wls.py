"""Hostile-suite entries for ordinal CFA (cxpath.survey.ordinal_cfa), hierarchical omega
(cxpath.survey.omega) and HTMT2 (cxpath.survey.validity.htmt2)."""

from __future__ import annotations

from ..registry import E

_OM = ("import numpy as np\n>>> from cxpath.survey import omega_hierarchical\n"
       ">>> g, f = np.array([0.9, 0.8, 0.7]), np.array([0.8, 0.7, 0.6] * 3)\n"
       ">>> lam = np.zeros((9, 3))\n"
       ">>> lam[np.arange(9), np.repeat(np.arange(3), 3)] = f\n"
       ">>> phi = np.outer(g, g) + np.diag(1 - g**2)\n"
       ">>> r = lam @ phi @ lam.T\n"
       ">>> np.fill_diagonal(r, 1.0)\n"
       ">>> om = omega_hierarchical(r, correlation='given')\n")

REGISTRY: dict[str, E] = {
    'cxpath.survey.cfa_ordinal': E({'data': 'frame', 'model': 'text', 'std_lv': 'bool',
        'nan_policy': 'option', 'max_iter': 'count', 'max_items': 'count'}),
    'cxpath.survey.omega_hierarchical': E({'data': 'matrix', 'items': 'labels',
        'n_factors': 'count', 'method': 'option', 'correlation': 'option',
        'correct': 'probability', 'nan_policy': 'option', 'flip': 'bool'}),
    'cxpath.survey.omega_bifactor': E({'fit': 'result', 'general': 'text'}),
    'cxpath.survey.OmegaHierarchical.subscale_frame': E({'backend': 'option'},
        example=">>> " + _OM + ">>> om.subscale_frame('dict')"),
    'cxpath.survey.htmt2': E({'data': 'frame', 'constructs': 'mapping', 'threshold': 'real',
        'absolute': 'bool', 'nan_policy': 'option', 'n_boot': 'count',
        'confidence': 'probability', 'seed': 'seed', 'progress': 'bool'}),
}
