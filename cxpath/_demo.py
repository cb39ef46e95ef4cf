"""The report printed by ``python -m cxpath demo``: every analysis on the bundled sample."""

from __future__ import annotations

import importlib
import time

__all__ = ["SECTIONS", "demo_report"]

# (module, title): each module has ``demo_section(sample) -> str``
SECTIONS = (
    ("cxpath.datasets._demo", "Data overview"),
    ("cxpath._demo", "Journeys and cleaning"),
    ("cxpath.journeys._demo", "Paths: variants, breakpoints, bottlenecks, critical path"),
    ("cxpath.attribution._demo", "Attribution: which touchpoints earn resolutions"),
    ("cxpath.fmea._demo", "FMEA: action priority, occurrence from data, Pareto"),
    ("cxpath.kpi._demo", "KPIs: NPS, FCR change, SLA, peak staffing, spare parts"),
    ("cxpath.spc._demo", "Control charts: early warning on daily complaints"),
    ("cxpath.forecast._demo", "Forecasting: contact volume, backtest, spare parts"),
    ("cxpath.survey._demo", "Survey reliability, validity and key drivers"),
)

RULE = "=" * 78


def demo_section(sample) -> str:
    """The Journeys built from the sample's event log and what cleaning did."""
    journeys = sample.journeys
    return "\n".join([repr(journeys), "", repr(journeys.cleaning_report)])


def demo_report(sample=None) -> str:
    """Run every section on ``sample`` (default: the bundled sample) and join the texts."""
    if sample is None:
        from .datasets import load_sample

        sample = load_sample()
    parts = ["cxpath demo: an after-sales service operation (bundled sample data)"]
    for module_name, title in SECTIONS:
        start = time.perf_counter()
        text = importlib.import_module(module_name).demo_section(sample)
        took = time.perf_counter() - start
        parts += ["", RULE, f"{title}  [{took:.2f} s]", RULE, text.rstrip()]
    return "\n".join(parts) + "\n"
