"""Hostile-suite entries of :mod:`cxpath.rca.impact` (did the change work?)."""

from __future__ import annotations

from ..registry import E

REGISTRY: dict[str, E] = {
    'cxpath.rca.interrupted_time_series': E({
        'y': 'column', 'at': 'any', 'data': 'frame', 'time': 'column', 'period': 'count',
        'seasonal': 'option', 'harmonics': 'count', 'slope': 'bool', 'errors': 'option',
        'maxlags': 'int', 'small_sample': 'bool', 'horizon': 'int',
        'confidence': 'probability', 'alpha': 'probability', 'label': 'text'}),
    'cxpath.rca.diff_in_diff': E({
        'y': 'column', 'treated': 'column', 'post': 'column', 'data': 'frame',
        'unit': 'column', 'time': 'column', 'cov': 'option', 'confidence': 'probability',
        'alpha': 'probability', 'label': 'text'}),
    'cxpath.rca.synthetic_control': E({
        'y': 'column', 'unit': 'column', 'time': 'column', 'treated_unit': 'any',
        'start': 'any', 'data': 'frame', 'placebo': 'bool', 'confidence': 'probability',
        'alpha': 'probability', 'label': 'text'}),
}

_MPL = ">>> import matplotlib\n>>> matplotlib.use('Agg')\n"
_PLOT_KW = {"kw": "forwarded to the plot function (matplotlib style keywords)"}
_PLOTS = {
    "TimeSeriesImpact": ">>> from cxpath.rca import interrupted_time_series\n"
                        ">>> interrupted_time_series([1.0, 2, 1, 3, 5, 6, 5, 7], 4).plot()",
    "DiffInDiff": ">>> from cxpath.rca import diff_in_diff\n"
                  ">>> diff_in_diff([7.0, 7.2, 7.1, 8.3, 6.9, 7.0, 7.1, 7.3], [1, 1, 1, 1, 0, 0, "
                  "0, 0], [0, 0, 1, 1, 0, 0, 1, 1]).plot()",
    "EventStudy": ">>> from cxpath.rca import diff_in_diff\n"
                  ">>> diff_in_diff([1.0, 2, 3, 5, 1, 2.5, 3, 4, 2, 3, 4, 4.5], [1] * 4 + [0] * 8, "
                  "[0, 0, 1, 1] * 3, unit=[1] * 4 + [2] * 4 + [3] * 4, time=[0, 1, 2, 3] * 3)"
                  ".event_study.plot()",
    "SyntheticControl": ">>> import numpy as np\n>>> from cxpath.rca import synthetic_control\n"
                        ">>> synthetic_control([1.0, 2, 2, 3, 5, 0, 2, 1, 3, 2, 2, 2, 3, 3, 8], "
                        "np.repeat(['t', 'a', 'b'], 5), [0, 1, 2, 3, 4] * 3, treated_unit='t', "
                        "start=4).plot()",
}
REGISTRY.update({f"cxpath.rca.{name}.plot": E({"ax": "axes"}, example=_MPL + ex, skip=_PLOT_KW)
                 for name, ex in _PLOTS.items()})
