"""What a report is built from: journeys, optional tables, and where each came from."""

from __future__ import annotations

import attrs

__all__ = ["Inputs", "Source"]


@attrs.frozen
class Source:
    """An input file (or the bundled sample) with what was read from it."""

    role: str
    path: str
    rows: int
    note: str = ""


@attrs.frozen
class Inputs:
    """Everything the report's sections may use.

    Parameters
    ----------
    journeys : Journeys, optional
        The event log as journeys (sections on paths, attribution, hand-overs).
    success : str, optional
        The touchpoint that marks success (left out of attribution as a touchpoint).
    tickets, survey, demand : table, optional
        A ticket table (the sample's column names: ``created``, ``first_response``,
        ``resolved_at``, ``resolved``, ``first_contact_resolution``, ``handle_time_s``,
        ``contacts``, ``priority``), survey answers (numeric item columns) and a demand
        history (``date`` and ``demand`` columns).
    calendar : BusinessCalendar, optional
        Business clock for waits and ticket times.
    sample : ServiceSample, optional
        The bundled sample: its extra tables feed the FMEA, control-chart, staffing and
        spare-part sections.
    sources : tuple of Source
    """

    journeys: object = None
    success: str | None = None
    tickets: object = None
    survey: object = None
    demand: object = None
    calendar: object = None
    sample: object = None
    sources: tuple = ()
    sla: float | None = None
