"""Readers: XES event logs, CSV and Parquet event tables, OCEL 2.0 object-centric logs.

Examples
--------
>>> from cxpath import io
>>> sorted(n for n in io.__all__ if n.startswith("read_"))
['read_events', 'read_ocel', 'read_xes']
"""

from .events import read_events
from .ocel import OcelLog, flatten, read_ocel
from .xes import NO_OFFSET, XesLog, read_xes

__all__ = ["NO_OFFSET", "OcelLog", "XesLog", "flatten", "read_events", "read_ocel",
           "read_xes"]
