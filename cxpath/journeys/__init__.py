"""Journeys: the touchpoint event-log model and path analysis.

Examples
--------
>>> from cxpath.journeys import Journeys
>>> Journeys.from_paths(["app > chat", "app"]).n_events
3
"""

from .bottlenecks import Bottlenecks, bottlenecks
from .breakpoints import Breakpoints, breakpoints
from .cleaning import CleaningReport
from .critical_path import CriticalPath, critical_path
from .graph import journey_graph
from .model import Journey, Journeys
from .stats import JourneyStats
from .variants import Variants, variants

__all__ = ["Bottlenecks", "Breakpoints", "CleaningReport", "CriticalPath", "Journey",
           "JourneyStats", "Journeys", "Variants", "bottlenecks", "breakpoints",
           "critical_path", "journey_graph", "variants"]
