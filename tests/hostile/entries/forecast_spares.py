"""Hostile-suite entries of spare-part forecasts, demand classes and stock policies
(cxpath.forecast.intermittent_dist, cxpath.forecast.demand_classes, cxpath.kpi.stock_policy)."""

from __future__ import annotations

from ..registry import E

_F = (">>> from cxpath.forecast import spares_forecast\n"
      ">>> f = spares_forecast([[0, 2, 0, 0, 1, 0, 0, 3, 0, 1, 0, 0]], 2, calibrate=False)\n")
_P = _F + (">>> from cxpath.kpi import stock_policy\n"
           ">>> pol = stock_policy(f, target=0.9, measure='fill')\n")

REGISTRY: dict[str, E] = {
    'cxpath.forecast.spares_forecast': E({'demand': 'matrix', 'lead_time': 'count',
        'level': 'array', 'parts': 'labels', 'calibrate': 'bool'}),
    'cxpath.forecast.SparesForecast.pmf': E({'periods': 'count'},
        example=_F + ">>> f.pmf(3)"),
    'cxpath.forecast.SparesForecast.quantiles': E({'q': 'array', 'periods': 'count'},
        example=_F + ">>> f.quantiles([0.5, 0.9], periods=3)"),
    'cxpath.forecast.SparesForecast.lead_time_demand': E({'part': 'any', 'periods': 'count'},
        example=_F + ">>> f.lead_time_demand(0, periods=2)"),
    'cxpath.forecast.demand_classes': E({'demand': 'matrix', 'unit_cost': 'array',
        'parts': 'labels', 'adi_cut': 'real', 'cv2_cut': 'real', 'abc_cuts': 'array',
        'xyz_cuts': 'array'}),
    'cxpath.kpi.stock_policy': E({'forecast': 'result', 'target': 'probability',
        'measure': 'option', 'policy': 'option', 'review': 'count',
        'order_quantity': 'array', 'order_cost': 'array', 'holding_cost': 'array'}),
    'cxpath.kpi.StockPolicy.replay': E({'demand': 'matrix', 'warm': 'int'},
        example=_P + ">>> pol.replay([[0, 1, 0, 2, 0, 0, 1, 0]], warm=1)"),
    'cxpath.kpi.StockPolicy.simulate': E({'periods': 'count', 'paths': 'count',
        'seed': 'seed', 'warm': 'int'},
        example=_P + ">>> pol.simulate(30, paths=5, seed=1, warm=2)"),
    'cxpath.kpi.replay_policy': E({'demand': 'matrix', 'lead_time': 'count',
        'order_up_to': 'array', 'reorder_level': 'array', 'order_quantity': 'array',
        'review': 'count', 'warm': 'int', 'parts': 'labels'},
        example=(">>> from cxpath.kpi import replay_policy\n"
                 ">>> replay_policy([[0, 1, 0, 2, 0, 0, 1, 0]], 1, order_up_to=[2], "
                 "reorder_level=[1], review=1, warm=0, parts=['a'])")),
}
