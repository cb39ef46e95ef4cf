"""Hostile-suite entries of customer histories, RFM scores and lifetime value
(cxpath.customers.histories, cxpath.customers.rfm, cxpath.customers.ltv)."""

from __future__ import annotations

from ..registry import E

_C = "cxpath.customers."
_SIM = (">>> from cxpath.customers import bgnbd, gamma_gamma, simulate_customers\n"
        ">>> sim = simulate_customers(300, seed=1)\n"
        ">>> fit = bgnbd(sim['frequency'], sim['span'], sim['age'])\n"
        ">>> gg = gamma_gamma(sim['frequency'], sim['monetary'])\n")
_BG = {'frequency': 'column', 'span': 'column', 'age': 'column', 'data': 'frame'}

REGISTRY: dict[str, E] = {
    _C + 'customer_histories': E({
        'data': 'frame', 'customer': 'column', 'timestamp': 'column', 'amount': 'column',
        'event': 'column', 'end': 'instant', 'cutoff': 'instant', 'horizon': 'real',
        'churn_after': 'real', 'churn_event': 'labels', 'complaint': 'labels',
        'unit': 'option'}),
    _C + 'rfm_scores': E({'recency': 'column', 'frequency': 'column', 'monetary': 'column',
                          'data': 'frame', 'customer': 'column'}),
    _C + 'bgnbd': E({**_BG, 'weights': 'column', 'level': 'probability',
                     'max_iter': 'count'}),
    _C + 'gamma_gamma': E({'frequency': 'column', 'monetary': 'column', 'data': 'frame',
                           'level': 'probability', 'max_iter': 'count'}),
    _C + 'clv': E({'transactions': 'result', 'spend': 'result', **_BG, 'monetary': 'column',
                   'customer': 'column', 'periods': 'count', 'period_length': 'real',
                   'discount_rate': 'real'},
                  example=_SIM + ">>> clv(fit, gg, sim['frequency'], sim['span'], sim['age'], "
                  "sim['monetary'], periods=3)"),
    _C + 'repurchase_rate': E({'frequency': 'column', 'data': 'frame', 'weights': 'column',
                               'level': 'probability'}),
    _C + 'simulate_customers': E({'n': 'count', 'r': 'real', 'alpha': 'real', 'a': 'real',
                                  'b': 'real', 'p': 'real', 'q': 'real', 'gamma': 'real',
                                  'age': 'array', 'seed': 'seed'}),
    _C + 'BGNBDFit.p_alive': E({'frequency': 'array', 'span': 'array', 'age': 'array'},
                               example=_SIM + ">>> fit.p_alive([0, 2], [0.0, 30.4], "
                               "[38.9, 38.9])"),
    _C + 'BGNBDFit.expected_transactions': E(
        {'horizon': 'real', 'frequency': 'array', 'span': 'array', 'age': 'array'},
        example=_SIM + ">>> fit.expected_transactions(39, [0, 2], [0.0, 30.4], [38.9, 38.9])"),
    _C + 'BGNBDFit.expected_population': E({'times': 'array'},
                                           example=_SIM + ">>> fit.expected_population([1.0])"),
    _C + 'GammaGammaFit.expected_value': E({'frequency': 'array', 'monetary': 'array'},
                                           example=_SIM + ">>> gg.expected_value([1], [20.0])"),
}
