"""Statistical process control: control charts and run rules, the early-warning layer.

Shewhart charts for measured KPIs (:func:`imr`, :func:`xbar_r`, :func:`xbar_s`) and for
counted ones (:func:`p_chart`, :func:`np_chart`, :func:`c_chart`, :func:`u_chart`, with a
Laney p′/u′ option), time-weighted charts for small shifts (:func:`ewma`, :func:`cusum`),
Western Electric and Nelson run rules (:func:`western_electric`, :func:`nelson`,
:func:`run_rules`), and chart constants computed from the normal distribution
(:func:`control_constants`). Every chart returns a :class:`ControlChart`.

Run lengths and monitoring at scale: exact ARL, SD and run-length distribution of a design
(:func:`arl_shewhart` with any zone run rules, :func:`arl_ewma`, :func:`arl_cusum`), limits
for a target in-control ARL (:func:`shewhart_limit`, :func:`ewma_limit`,
:func:`cusum_limit`), and a streaming :class:`Monitor` of many charts with fixed limits,
per-period p-values and Benjamini–Hochberg control across charts
(:meth:`Monitor.from_baseline`, :func:`benjamini_hochberg`).

Examples
--------
>>> from cxpath.spc import c_chart
>>> chart = c_chart([4, 6, 5, 3, 7, 5, 19])
>>> chart.signals.explanation[0]
'point above the upper control limit (point 6)'
"""

from .arl import (
    RunLength,
    RunLengthDistribution,
    arl_cusum,
    arl_ewma,
    arl_shewhart,
    cusum_limit,
    ewma_limit,
    shewhart_limit,
)
from .attributes import c_chart, np_chart, p_chart, u_chart
from .chart import ControlChart
from .constants import ControlConstants, c4, control_constants, d2, d3
from .monitor import Monitor, MonitorUpdate, benjamini_hochberg
from .rules import Rule, RuleSet, Signals, nelson, run_rules, western_electric
from .timeweighted import cusum, ewma
from .variables import imr, xbar_r, xbar_s

__all__ = ["ControlChart", "ControlConstants", "Monitor", "MonitorUpdate", "Rule", "RuleSet",
           "RunLength", "RunLengthDistribution", "Signals", "arl_cusum", "arl_ewma",
           "arl_shewhart", "benjamini_hochberg", "c4", "c_chart", "control_constants",
           "cusum", "cusum_limit", "d2", "d3", "ewma", "ewma_limit", "imr", "nelson",
           "np_chart", "p_chart", "run_rules", "shewhart_limit", "u_chart",
           "western_electric", "xbar_r", "xbar_s"]
