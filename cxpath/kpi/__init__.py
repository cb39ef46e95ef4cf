"""KPI maths: satisfaction, service efficiency, queueing, inventory, money, tests of change,
weights and fair scorecards.

Submodules, one topic each: :mod:`~cxpath.kpi.satisfaction` (NPS, CSAT, CES),
:mod:`~cxpath.kpi.efficiency` (FCR, AHT, ASA, backlog …), :mod:`~cxpath.kpi.sla` (SLA attainment,
SLA clocks that pause, the at-risk list), :mod:`~cxpath.kpi.queueing`
(Erlang B/C/A and staffing), :mod:`~cxpath.kpi.inventory` (EOQ, safety stock, slow movers),
:mod:`~cxpath.kpi.money` (ROI, NPV, payback), :mod:`~cxpath.kpi.change` (did it change?),
:mod:`~cxpath.kpi.weights` (AHP, entropy and CRITIC weights, composite indices and their
rank sensitivity) and :mod:`~cxpath.kpi.scorecard` (fair scorecards: empirical-Bayes
shrinkage, rank intervals, funnel plots).

Examples
--------
>>> from cxpath.kpi import staffing
>>> int(staffing(100, 180, target=0.8).agents[0])
14

The submodules load on first use of one of their names (``from cxpath.kpi import staffing``
imports :mod:`~cxpath.kpi.queueing` only), so a first call pays for what it needs (#19).
"""

from __future__ import annotations

import importlib

# a function named as its module, bound after the submodule import (which sets the package
# attribute to the module): ``cxpath.kpi.stock_policy`` stays the function
from .stock_policy import stock_policy  # noqa: F401

_EXPORTS = {  # submodule: its public names
    "change": ("Cohorts", "Comparison", "compare", "retention_cohorts"),
    "efficiency": ("Backlog", "Durations", "Rates", "TicketKPIs", "abandonment_rate",
                   "average_handle_time", "average_speed_of_answer", "backlog",
                   "business_seconds", "durations", "first_contact_resolution", "rate",
                   "repeat_contact_rate", "resolution_times", "response_times",
                   "task_completion_rate", "ticket_kpis"),
    "forecast_staffing": ("StaffingBlocks", "StaffingPlan", "expected_service_level",
                          "staffing_plan"),
    "inventory": ("EOQ", "PartsPolicy", "ReorderPoint", "SlowMoverStock", "days_of_supply", "eoq",
                  "inventory_turnover", "parts_policy", "reorder_point", "slow_mover_stock"),
    "money": ("BusinessCase", "business_case", "irr", "npv", "payback_period", "roi"),
    "queueing": ("ErlangA", "ErlangC", "IntervalStaffing", "Staffing", "erlang_a", "erlang_b",
                 "erlang_c", "interval_staffing", "staffing", "staffing_erlang_a"),
    "roster": ("Roster", "ShiftPatterns", "shift_patterns", "shift_roster"),
    "satisfaction": ("NPS", "Rating", "ces", "csat", "nps", "nps_sample_size"),
    "scorecard": ("Caterpillar", "FunnelChart", "MeanScorecard", "RateScorecard", "funnel_chart",
                  "mean_scorecard", "rate_scorecard"),
    "sla": ("SLA", "AtRisk", "SLAClocks", "sla_attainment", "sla_clocks"),
    "stock_policy": ("PolicySimulation", "StockPolicy", "replay_policy", "stock_policy"),
    "system": ("AlertDigest", "Indicator", "IndicatorEvaluation", "IndicatorSystem",
               "alert_digest"),
    "weights": ("AHP", "CompositeIndex", "CriteriaWeights", "RankSensitivity", "WeightFlips",
                "ahp", "composite_index", "critic_weights", "entropy_weights", "rank_sensitivity"),
}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = list(_WHERE)


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
