"""Hostile-suite entries for confirmatory factor analysis and SEM (cxpath.survey.confirmatory)."""

from __future__ import annotations

from ..registry import E

_FIT = {'data': 'frame', 'model': 'text', 'std_lv': 'bool', 'nan_policy': 'option',
        'max_iter': 'count', 'n_boot': 'count', 'confidence': 'probability', 'seed': 'seed',
        'progress': 'bool', 'estimator': 'option'}

_SEM = ("import numpy as np\n>>> from cxpath.survey import sem\n"
        ">>> rng = np.random.default_rng(0)\n"
        ">>> x = rng.standard_normal(200)\n"
        ">>> m = 0.5 * x + rng.standard_normal(200)\n"
        ">>> data = {'x': x, 'm': m, 'y': 0.5 * m + rng.standard_normal(200)}\n"
        ">>> fit = sem(data, 'm ~ x; y ~ m')\n")

REGISTRY: dict[str, E] = {
    'cxpath.survey.cfa': E(dict(_FIT)),
    'cxpath.survey.sem': E(dict(_FIT)),
    'cxpath.survey.parse_model': E({'model': 'text', 'func': 'text'}),
    'cxpath.survey.Sem.validity': E({'cr_threshold': 'probability',
        'ave_threshold': 'probability', 'htmt_threshold': 'real'}),
    'cxpath.survey.Sem.modification_indices': E({'backend': 'option', 'minimum': 'real'}),
    'cxpath.survey.Sem.effects_frame': E({'backend': 'option'},
        example=">>> " + _SEM + ">>> fit.effects_frame('dict')"),
    'cxpath.survey.Sem.indirect_frame': E({'backend': 'option'},
        example=">>> " + _SEM + ">>> fit.indirect_frame('dict')"),
}
