"""Common behaviour of cxpath result objects.

A result is an ``attrs`` frozen class decorated with :func:`result` that derives from
:class:`Result` and implements ``_columns()`` (the ordered table behind ``to_frame()``).
It may override ``_title()`` and ``_summary()`` for its repr, and declares its duration
columns in ``_duration_columns`` (see :func:`duration_columns`): their values stay plain
floats in the result's fields and ``to_dict()``, ``to_frame()`` turns them into timedeltas
(``timedelta64[ns]`` for pandas and dict, ``Duration`` for polars) and the reprs show them
in human units (:func:`format_duration`).

Examples
--------
>>> import numpy as np
>>> import attrs
>>> @result
... class Counts(Result):
...     labels: np.ndarray
...     counts: np.ndarray
...     def _columns(self):
...         return {"label": self.labels, "count": self.counts}
>>> c = Counts(np.array(["a", "b"]), np.array([3, 1]))
>>> c.to_frame("dict")["count"]
array([3, 1])
>>> c
Counts (2 rows)
label  count
    a      3
    b      1
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import ClassVar

import attrs
import numpy as np

from ._frames import as_timedelta, make_frame

__all__ = ["Result", "duration_columns", "format_duration", "format_p", "format_table",
           "result"]


def result(cls):
    """Class decorator for result types: frozen attrs, our repr, identity equality."""
    return attrs.frozen(cls, repr=False, eq=False)


def _cell(x) -> str:
    if isinstance(x, (float, np.floating)):
        if math.isnan(x):
            return "nan"
        ax = abs(x)
        if ax != 0 and (ax >= 1e6 or ax < 1e-3):
            return f"{x:.4g}"
        return f"{x:.4f}".rstrip("0").rstrip(".") if ax < 1e6 else f"{x:.0f}"
    if isinstance(x, np.datetime64):
        return str(x)
    return str(x)


def duration_columns(**seconds_per_unit: float) -> Mapping[str, float]:
    """Read-only ``{column: seconds per unit}`` for a result's ``_duration_columns``.

    ``1.0`` for a column in seconds, ``3600.0`` in hours, ``86400.0`` in days.

    >>> dict(duration_columns(wait_h=3600.0, duration_s=1.0))
    {'wait_h': 3600.0, 'duration_s': 1.0}
    """
    return MappingProxyType({k: float(x) for k, x in seconds_per_unit.items()})


def _half_up(x: float) -> int:
    return math.floor(x + 0.5)


def format_duration(seconds) -> str:
    """A duration in seconds in at most two units: ``'2 d 4 h'``, ``'3 h 05 min'``, ``'12 s'``.

    Days and hours from one day, hours and minutes from one hour, minutes and seconds from
    one minute, whole seconds from 10 s and tenths of a second below; the value is rounded
    to the smaller unit shown and a zero second unit left out. Negative durations get a
    leading minus; NaN and None give ``'nan'``.

    >>> [format_duration(x) for x in (187200, 11100, 2700, 12.3, 0.42, 0.0, -90.5)]
    ['2 d 4 h', '3 h 05 min', '45 min', '12 s', '0.4 s', '0 s', '-1 min 31 s']
    >>> format_duration(86399.9), format_duration(float("nan")), format_duration(None)
    ('1 d', 'nan', 'nan')
    """
    if seconds is None:
        return "nan"
    x = float(seconds)
    if math.isnan(x):
        return "nan"
    if x < 0:
        return "-" + format_duration(-x)
    if math.isinf(x):
        return "inf"
    if x == 0:
        return "0 s"
    tenths = _half_up(x * 10)
    if tenths < 100:
        return f"{tenths / 10:.1f} s"
    whole = _half_up(x)
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        major, minor, units = *divmod(whole, 60), ("min", "s")
    else:
        minutes = _half_up(x / 60)
        if minutes < 1440:
            major, minor, units = *divmod(minutes, 60), ("h", "min")
        else:
            major, minor, units = *divmod(_half_up(x / 3600), 24), ("d", "h")
    if minor == 0:
        return f"{major} {units[0]}"
    pad = 1 if units[1] == "h" else 2
    return f"{major} {units[0]} {minor:0{pad}d} {units[1]}"


def format_p(p: float) -> str:
    """A p-value for a sentence: ``'p < 0.001'`` or ``'p = 0.042'``.

    >>> format_p(3e-12), format_p(0.04213)
    ('p < 0.001', 'p = 0.042')
    """
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _cells(columns: dict, name: str, rows: int, durations: Mapping | None) -> list[str]:
    values = columns[name]
    scale = durations.get(name) if durations else None
    if scale is None:
        return [_cell(values[i]) for i in range(rows)]
    # through the nanoseconds of to_frame(), so that text and table agree (hours * 3600 is
    # not always the exact seconds: 922.4999… s must show as the 922.5 s it stands for)
    ns = as_timedelta(values[:rows], scale)
    return [format_duration(None if np.isnat(t) else t.astype(np.int64) / 1e9) for t in ns]


def format_table(columns: dict, max_rows: int = 10,
                 durations: Mapping[str, float] | None = None) -> str:
    """Right-aligned text table of the first ``max_rows`` rows of ``columns``.

    ``durations`` maps columns holding durations to their seconds per unit; their cells are
    shown by :func:`format_duration`.
    """
    names = list(columns)
    if not names:
        return "(no columns)"
    n = len(next(iter(columns.values())))
    shown = min(n, max_rows)
    cells = [_cells(columns, k, shown, durations) for k in names]
    widths = [max([len(k)] + [len(c) for c in col]) for k, col in zip(names, cells)]
    lines = ["  ".join(k.rjust(w) for k, w in zip(names, widths))]
    for i in range(shown):
        lines.append("  ".join(cells[j][i].rjust(widths[j]) for j in range(len(names))))
    if n > shown:
        lines.append(f"… {n - shown} more rows")
    return "\n".join(lines)


def _jsonable(x):
    if isinstance(x, np.ndarray):
        return [_jsonable(e) for e in x.tolist()] if x.dtype.kind in "OMm" else x.tolist()
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (np.floating,)):
        return float(x)
    if isinstance(x, (np.bool_,)):
        return bool(x)
    if isinstance(x, np.datetime64):
        return str(x)
    if isinstance(x, dict):
        return {str(k): _jsonable(val) for k, val in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(e) for e in x]
    if isinstance(x, Result):
        return x.to_dict()
    return x


class Result:
    """Mixin giving results ``to_frame()``, ``to_dict()``, a text repr and an HTML repr."""

    __slots__ = ()

    #: Columns of ``_columns()`` that are durations, with their seconds per unit
    #: (:func:`duration_columns`); only durations, never rates or counts.
    _duration_columns: ClassVar[Mapping[str, float]] = MappingProxyType({})

    def _columns(self) -> dict:
        raise NotImplementedError

    def _durations(self, columns: dict) -> dict:
        """``{name: seconds per unit}`` of the duration columns present in ``columns``.

        A result whose ``results`` field holds the results its table stacks (a drill-down,
        :class:`~cxpath.journeys.segments.Segmented`) has their duration columns too.
        """
        scales = {k: x for k, x in self._duration_columns.items() if k in columns}
        parts = getattr(self, "results", None)
        if isinstance(parts, tuple):
            for part in parts:
                if isinstance(part, Result):
                    for k, x in part._durations(columns).items():
                        scales.setdefault(k, x)
        return scales

    def _title(self) -> str:
        return type(self).__name__

    def _summary(self) -> list[str]:
        """Lines of scalar facts shown above the table."""
        return []

    def to_frame(self, backend: str = "pandas"):
        """The result as a table: ``'pandas'``, ``'polars'`` or ``'dict'`` of columns.

        Duration columns are timedeltas (pandas ``timedelta64[ns]``, polars ``Duration``,
        numpy ``timedelta64[ns]`` in the dict) with NaT for missing values.
        """
        cols = self._columns()
        return make_frame(cols, backend, func=f"{type(self).__name__}.to_frame",
                          durations=self._durations(cols))

    def to_dict(self) -> dict:
        """All fields as JSON-ready Python values (arrays become lists)."""
        return {a.name: _jsonable(getattr(self, a.name)) for a in attrs.fields(type(self))
                if not a.name.startswith("_")}

    def __repr__(self) -> str:
        cols = self._columns()
        n = len(next(iter(cols.values()))) if cols else 0
        head = f"{self._title()} ({n} rows)"
        table = [format_table(cols, durations=self._durations(cols))] if n else []
        return "\n".join([head, *self._summary(), *table])

    def _repr_html_(self) -> str:
        cols = self._columns()
        names = list(cols)
        n = len(next(iter(cols.values()))) if cols else 0
        durations = self._durations(cols)
        cells = [_cells(cols, k, min(n, 50), durations) for k in names]
        rows = ["<tr>" + "".join(f"<td>{html.escape(c[i])}</td>" for c in cells) + "</tr>"
                for i in range(min(n, 50))]
        summary = "".join(f"<div>{html.escape(s)}</div>" for s in self._summary())
        more = f"<div>… {n - 50} more rows</div>" if n > 50 else ""
        header = "".join(f"<th>{html.escape(k)}</th>" for k in names)
        return (f"<div><strong>{html.escape(self._title())}</strong> ({n} rows){summary}"
                f"<table><thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody>"
                f"</table>{more}</div>")
