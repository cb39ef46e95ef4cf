"""Instances of the staffing-plan and roster results (cxpath.kpi.forecast_staffing,
cxpath.kpi.roster)."""

from __future__ import annotations

from cxpath import kpi
from cxpath.kpi.forecast_staffing import _example_plan


def build(sample, tmp) -> dict:
    plan = _example_plan()
    shifts = kpi.shift_patterns([0, 2], 4, breaks=[2])
    return {
        "staffing_plan": plan,
        "staffing_blocks": plan.blocks(2),
        "shift_patterns": shifts,
        "roster": plan.roster(shifts),
    }
