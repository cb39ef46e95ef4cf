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
"""

from .change import Cohorts, Comparison, compare, retention_cohorts
from .efficiency import (
    Backlog,
    Durations,
    Rates,
    TicketKPIs,
    abandonment_rate,
    average_handle_time,
    average_speed_of_answer,
    backlog,
    business_seconds,
    durations,
    first_contact_resolution,
    rate,
    repeat_contact_rate,
    resolution_times,
    response_times,
    task_completion_rate,
    ticket_kpis,
)
from .forecast_staffing import StaffingBlocks, StaffingPlan, expected_service_level, staffing_plan
from .inventory import (
    EOQ,
    PartsPolicy,
    ReorderPoint,
    SlowMoverStock,
    days_of_supply,
    eoq,
    inventory_turnover,
    parts_policy,
    reorder_point,
    slow_mover_stock,
)
from .money import BusinessCase, business_case, irr, npv, payback_period, roi
from .queueing import (
    ErlangA,
    ErlangC,
    IntervalStaffing,
    Staffing,
    erlang_a,
    erlang_b,
    erlang_c,
    interval_staffing,
    staffing,
    staffing_erlang_a,
)
from .roster import Roster, ShiftPatterns, shift_patterns, shift_roster
from .satisfaction import NPS, Rating, ces, csat, nps, nps_sample_size
from .scorecard import (
    Caterpillar,
    FunnelChart,
    MeanScorecard,
    RateScorecard,
    funnel_chart,
    mean_scorecard,
    rate_scorecard,
)
from .sla import SLA, AtRisk, SLAClocks, sla_attainment, sla_clocks
from .stock_policy import PolicySimulation, StockPolicy, replay_policy, stock_policy
from .system import AlertDigest, Indicator, IndicatorEvaluation, IndicatorSystem, alert_digest
from .weights import (
    AHP,
    CompositeIndex,
    CriteriaWeights,
    RankSensitivity,
    WeightFlips,
    ahp,
    composite_index,
    critic_weights,
    entropy_weights,
    rank_sensitivity,
)

__all__ = [
    # satisfaction
    "NPS", "Rating", "ces", "csat", "nps", "nps_sample_size",
    # efficiency
    "Backlog", "Durations", "Rates", "TicketKPIs", "abandonment_rate",
    "average_handle_time", "average_speed_of_answer", "backlog", "business_seconds",
    "durations", "first_contact_resolution", "rate", "repeat_contact_rate",
    "resolution_times", "response_times", "task_completion_rate",
    "ticket_kpis",
    # SLA
    "SLA", "AtRisk", "SLAClocks", "sla_attainment", "sla_clocks",
    # indicator systems
    "AlertDigest", "Indicator", "IndicatorEvaluation", "IndicatorSystem", "alert_digest",
    # queueing
    "ErlangA", "ErlangC", "IntervalStaffing", "Staffing", "erlang_a", "erlang_b", "erlang_c",
    "interval_staffing", "staffing", "staffing_erlang_a",
    # staffing plans and rosters
    "Roster", "ShiftPatterns", "StaffingBlocks", "StaffingPlan", "expected_service_level",
    "shift_patterns", "shift_roster", "staffing_plan",
    # inventory
    "EOQ", "PartsPolicy", "ReorderPoint", "SlowMoverStock", "days_of_supply", "eoq",
    "inventory_turnover", "parts_policy", "reorder_point", "slow_mover_stock",
    # stock policies from forecasts
    "PolicySimulation", "StockPolicy", "replay_policy", "stock_policy",
    # money
    "BusinessCase", "business_case", "irr", "npv", "payback_period", "roi",
    # change
    "Cohorts", "Comparison", "compare", "retention_cohorts",
    # weights and composite indices
    "AHP", "CompositeIndex", "CriteriaWeights", "RankSensitivity", "WeightFlips", "ahp",
    "composite_index", "critic_weights", "entropy_weights", "rank_sensitivity",
    # fair scorecards
    "Caterpillar", "FunnelChart", "MeanScorecard", "RateScorecard", "funnel_chart",
    "mean_scorecard", "rate_scorecard",
]
