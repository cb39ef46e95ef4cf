"""Journeys: the touchpoint event-log model and path analysis.

Examples
--------
>>> from cxpath.journeys import Journeys
>>> Journeys.from_paths(["app > chat", "app"]).n_events
3
"""

from .attributes import Attribute
from .bottlenecks import Bottlenecks, bottlenecks
from .breakpoints import Breakpoints, breakpoints
from .channels import ChannelSwitching, channel_switching
from .cleaning import CleaningReport
from .conformance import Conformance, conformance
from .critical_path import CriticalPath, critical_path
from .export import to_dot, to_graphml, to_mermaid
from .funnel import Funnel, funnel
from .graph import JourneyGraph, journey_graph
from .handovers import Handovers, WorkingTogether, Workload, handovers
from .model import Journey, Journeys
from .rework import RepeatContacts, Rework, repeat_contacts, rework
from .segments import Segmented
from .stats import JourneyStats
from .variants import Variants, variants

__all__ = ["Attribute", "Bottlenecks", "Breakpoints", "ChannelSwitching", "CleaningReport",
           "Conformance", "CriticalPath", "Funnel", "Handovers", "Journey", "JourneyGraph",
           "JourneyStats",
           "Journeys", "RepeatContacts", "Rework", "Segmented", "Variants", "WorkingTogether",
           "Workload", "bottlenecks", "breakpoints", "channel_switching", "conformance",
           "critical_path", "funnel", "handovers", "journey_graph", "repeat_contacts", "rework",
           "to_dot", "to_graphml", "to_mermaid", "variants"]
