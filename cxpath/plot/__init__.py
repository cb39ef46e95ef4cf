"""Pictures of cxpath results with matplotlib (optional extra ``plot``).

One function per kind of picture. Each takes a result object and an optional matplotlib
``ax`` and returns the Axes it drew on (or a Figure when it draws several Axes). Results
with a picture also have ``.plot(ax=None, **options)``, which calls the function here
(``markov(j).plot()`` is ``plot.attribution(markov(j))``). matplotlib is imported only
when a picture is drawn: ``pip install 'cxpath[plot]'``.

==========================  ==============================================================
function                    draws
==========================  ==============================================================
``attribution``             ``Attribution``, ``MarkovAttribution``, ``ShapleyAttribution``
``control_chart``           ``ControlChart``
``forecast``                ``Forecast``
``retention``               ``Cohorts``
``loadings``                ``Efa``, ``Omega``
``pareto``                  ``Pareto``
``risk_matrix``             ``RiskMatrix``, ``Worksheet``
``action_priority``         ``ActionPriorityTable`` (``matrix=``: ``RiskMatrix``, ``Worksheet``)
``value_effort``            ``ValueEffort``
``funnel``                  ``Funnel``
``breakpoints``             ``Breakpoints``
``bottlenecks``             ``Bottlenecks``
``journey_flow``            ``Journeys``
``journey_graph``           the journey graph (``journeys.journey_graph``) or ``Journeys``
``caterpillar``             ``Caterpillar``, ``RateScorecard``, ``MeanScorecard``
``funnel_chart``            ``FunnelChart``
``life_fit``                ``LifeFit`` (reliability, unreliability, hazard or density)
``probability_plot``        ``ProbabilityPlot``
``plotting_positions``      ``PlottingPositions``
``change_decomposition``    ``ChangeDecomposition``
``fishbone``                ``Fishbone``
``impact``                  ``TimeSeriesImpact``, ``DiffInDiff``, ``EventStudy``,
                            ``SyntheticControl``
``mstl_decomposition``      ``MSTLDecomposition``
``cluster_selection``       ``ClusterSelection``, ``CustomerSegments``, ``JourneyClusters``
``segment_profiles``        ``CustomerSegments``
==========================  ==============================================================

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
from ._mstl import mstl_decomposition
from ._rca_change import change_decomposition
from ._rca_impact import impact
from ._rca_trees import fishbone
from ._reliability import life_fit, plotting_positions, probability_plot
from ._scorecard import caterpillar, funnel_chart
from ._segments import cluster_selection, segment_profiles

__all__ = ["action_priority", "attribution", "bottlenecks", "breakpoints", "caterpillar",
           "change_decomposition", "cluster_selection", "control_chart", "fishbone",
           "forecast", "funnel", "funnel_chart", "impact", "journey_flow", "journey_graph",
           "life_fit", "loadings", "mstl_decomposition", "pareto", "plotting_positions",
           "probability_plot", "retention", "risk_matrix", "segment_profiles",
           "value_effort"]
