"""Hostile-suite entries for cxpath.rca's KPI change decomposition and multiple testing."""

from __future__ import annotations

from ..registry import E

_PERIODS = {"before": "text", "after": "text"}
_READ = {"value": "column", "period": "column", "by": "column", "data": "frame",
         "denominator": "column", **_PERIODS, "confidence": "probability", "label": "text"}
_POWER = {"n": "count", "power": "probability", "alpha": "probability", "ratio": "real",
          "alternative": "option"}

_PLOT = (">>> import matplotlib\n>>> matplotlib.use('Agg')\n"
         ">>> from cxpath.rca import decompose_change\n"
         ">>> d = decompose_change([1, 1, 0, 1, 0, 0, 1, 0], ['a'] * 4 + ['b'] * 4, "
         "by={'channel': ['chat', 'chat', 'phone', 'phone'] * 2})\n"
         ">>> d.plot()")

REGISTRY: dict[str, E] = {
    "cxpath.rca.ChangeDecomposition.plot": E(
        {"ax": "axes"}, example=_PLOT,
        skip={"kw": "forwarded to the plot function (top=, matplotlib bar style)"}),
    "cxpath.rca.decompose_change": E(dict(_READ)),
    "cxpath.rca.explain_change": E({**_READ, "min_power": "probability",
                                    "min_segment_power": "probability", "top": "count"}),
    "cxpath.rca.drill_down": E({**_READ, "min_lift": "probability", "min_records": "count",
                                "max_depth": "count"}),
    "cxpath.rca.adjust_p": E({"p_values": "array", "method": "option", "alpha": "probability",
                              "labels": "labels"}),
    "cxpath.rca.compare_many": E({"kpis": "labels", "period": "column", "data": "frame",
                                  "by": "column", "kind": "option", **_PERIODS,
                                  "method": "option", "alpha": "probability",
                                  "confidence": "probability", "n_boot": "count",
                                  "seed": "seed"}),
    "cxpath.rca.power_proportions": E({"p1": "probability", "p2": "probability", **_POWER,
                                       "method": "option", "correction": "bool"}),
    "cxpath.rca.power_means": E({"difference": "real", "sd": "real", **_POWER}),
    "cxpath.rca.power_nps": E({"before": "array", "after": "array", **_POWER}),
}
