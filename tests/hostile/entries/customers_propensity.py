"""Hostile-suite entries of propensity scores and outreach (cxpath.customers.propensity)."""

from __future__ import annotations

from ..registry import E

_C = "cxpath.customers."
_M = (">>> from cxpath.customers import fit_propensity, propensity_frame, simulate_activity\n"
      ">>> sim = simulate_activity(300, seed=3)\n"
      ">>> m = fit_propensity(propensity_frame(sim['log'], customer='customer', "
      "timestamp='day', amount='amount', event='event', outcome='cancel', "
      "churn_event='cancel', covariates=sim['profile'], train_cutoff='2025-04-01', "
      "eval_cutoff='2025-07-01', horizon=90))\n")

REGISTRY: dict[str, E] = {
    _C + 'propensity_frame': E({
        'data': 'frame', 'customer': 'column', 'timestamp': 'column', 'outcome': 'labels',
        'train_cutoff': 'instant', 'eval_cutoff': 'instant', 'horizon': 'real',
        'amount': 'column', 'event': 'column', 'covariates': 'frame',
        'churn_event': 'labels', 'unit': 'option'}),
    _C + 'fit_propensity': E({'frame': 'result', 'estimator': 'any', 'C': 'real',
                              'max_iter': 'count'}),
    _C + 'calibration_table': E({'outcome': 'array', 'probability': 'array', 'bins': 'count'}),
    _C + 'lift_table': E({'outcome': 'array', 'probability': 'array', 'groups': 'count'}),
    _C + 'outreach': E({'model': 'result', 'value': 'any', 'success_rate': 'probability',
                        'contact_cost': 'real'}),
    _C + 'simulate_activity': E({'n': 'count', 'days': 'count', 'seed': 'seed'}),
    _C + 'PropensityModel.calibration': E({'bins': 'count'},
                                          example=_M + ">>> m.calibration(bins=5)"),
    _C + 'PropensityModel.lift': E({'groups': 'count'}, example=_M + ">>> m.lift(groups=5)"),
    _C + 'PropensityModel.explain': E({'top': 'count'}, example=_M + ">>> m.explain(top=2)"),
}
