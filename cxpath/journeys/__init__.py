"""Journeys: the touchpoint event-log model and path analysis.

Examples
--------
>>> from cxpath.journeys import Journeys
>>> Journeys.from_paths(["app > chat", "app"]).n_events
3
"""

from .cleaning import CleaningReport
from .model import Journey, Journeys

__all__ = ["CleaningReport", "Journey", "Journeys"]
