"""Pictures of cxpath results with matplotlib (optional extra ``plot``).

One function per result type. Each takes the result object and an optional matplotlib
``ax`` and returns the Axes it drew on (or a Figure when it draws several Axes).
matplotlib is imported only when a function is called: ``pip install 'cxpath[plot]'``.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> from cxpath import plot
>>> from cxpath.fmea import pareto
>>> ax = plot.pareto(pareto(["late", "late", "rude"]))
>>> [t.get_text() for t in ax.get_xticklabels()]
['late', 'rude']
"""

from ._charts import attribution, control_chart, forecast, loadings, retention
from ._fmea import action_priority, pareto, risk_matrix, value_effort
from ._journeys import bottlenecks, breakpoints, funnel, journey_flow, journey_graph

__all__ = ["action_priority", "attribution", "bottlenecks", "breakpoints", "control_chart",
           "forecast", "funnel", "journey_flow", "journey_graph", "loadings", "pareto",
           "retention", "risk_matrix", "value_effort"]
