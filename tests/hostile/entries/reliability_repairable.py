"""Hostile-suite entries of repairable systems, maintenance and spare parts
(cxpath.reliability.repairable, .maintenance, .spares)."""

from __future__ import annotations

from ..api import PACKAGES
from ..registry import E

_R = "cxpath.reliability."
_REC = {'time': 'array', 'system': 'labels', 'end': 'real'}

_ENTRIES: dict[str, E] = {
    _R + 'mcf': E({**_REC, 'cost': 'array', 'variance': 'option', 'transform': 'option',
                   'level': 'probability'}),
    _R + 'crow_amsaa': E({**_REC, 'truncation': 'option', 'unbiased': 'bool',
                          'level': 'probability'}),
    _R + 'trend_test': E({**_REC, 'truncation': 'option', 'alpha': 'probability'}),
    _R + 'MeanCumulativeFunction.at': E({'t': 'array'}),
    _R + 'PowerLawFit.expected_failures': E({'t': 'array'}),
    _R + 'PowerLawFit.intensity': E({'t': 'array'}),
    _R + 'PowerLawFit.mtbf_at': E({'t': 'array'}),
    _R + 'availability': E({'system': 'labels', 'down': 'array', 'repair_start': 'array',
                            'repair_end': 'array', 'kind': 'labels', 'observed': 'real'}),
    _R + 'age_replacement': E({'fit': 'result', 'cost_preventive': 'real',
                               'cost_failure': 'real', 'upper': 'real', 'points': 'count'}),
    _R + 'pm_interval': E({'cost_preventive': 'real', 'cost_failure': 'real',
                           'model': 'result', 'beta': 'real', 'theta': 'real',
                           'points': 'count'}),
    _R + 'installed_base_demand': E({'fit': 'result', 'ages': 'array', 'counts': 'array',
                                     'periods': 'count', 'additions': 'array',
                                     'renewal': 'bool', 'period_length': 'real',
                                     'levels': 'array'}),
    _R + 'lead_time_demand': E({'demand': 'result', 'lead_time': 'count', 'start': 'count',
                                'levels': 'array'}),
    _R + 'LeadTimeDemand.cdf': E({'k': 'array'}),
    _R + 'last_time_buy': E({'fit': 'result', 'ages': 'array', 'counts': 'array',
                             'horizon': 'count', 'additions': 'array', 'renewal': 'bool',
                             'service_level': 'probability', 'on_hand': 'int',
                             'period_length': 'real'}),
}

# cxpath.reliability is not (yet) one of the suite's packages (tests/hostile/api.py), so
# its callables are not enumerated and these entries would count as stale; they take
# effect as soon as the package is added there.
REGISTRY: dict[str, E] = _ENTRIES if "cxpath.reliability" in PACKAGES else {}
