"""Common behaviour of cxpath result objects.

A result is an ``attrs`` frozen class decorated with :func:`result` that derives from
:class:`Result` and implements ``_columns()`` (the ordered table behind ``to_frame()``).
It may override ``_title()`` and ``_summary()`` for its repr.

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

import attrs
import numpy as np

from ._frames import make_frame

__all__ = ["Result", "format_p", "format_table", "result"]


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


def format_p(p: float) -> str:
    """A p-value for a sentence: ``'p < 0.001'`` or ``'p = 0.042'``.

    >>> format_p(3e-12), format_p(0.04213)
    ('p < 0.001', 'p = 0.042')
    """
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def format_table(columns: dict, max_rows: int = 10) -> str:
    """Right-aligned text table of the first ``max_rows`` rows of ``columns``."""
    names = list(columns)
    if not names:
        return "(no columns)"
    n = len(next(iter(columns.values())))
    shown = min(n, max_rows)
    cells = [[_cell(columns[k][i]) for i in range(shown)] for k in names]
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

    def _columns(self) -> dict:
        raise NotImplementedError

    def _title(self) -> str:
        return type(self).__name__

    def _summary(self) -> list[str]:
        """Lines of scalar facts shown above the table."""
        return []

    def to_frame(self, backend: str = "pandas"):
        """The result as a table: ``'pandas'``, ``'polars'`` or ``'dict'`` of columns."""
        return make_frame(self._columns(), backend, func=f"{type(self).__name__}.to_frame")

    def to_dict(self) -> dict:
        """All fields as JSON-ready Python values (arrays become lists)."""
        return {a.name: _jsonable(getattr(self, a.name)) for a in attrs.fields(type(self))
                if not a.name.startswith("_")}

    def __repr__(self) -> str:
        cols = self._columns()
        n = len(next(iter(cols.values()))) if cols else 0
        head = f"{self._title()} ({n} rows)"
        return "\n".join([head, *self._summary(), *([format_table(cols)] if n else [])])

    def _repr_html_(self) -> str:
        cols = self._columns()
        names = list(cols)
        n = len(next(iter(cols.values()))) if cols else 0
        rows = []
        for i in range(min(n, 50)):
            rows.append("<tr>" + "".join(f"<td>{html.escape(_cell(cols[k][i]))}</td>"
                                         for k in names) + "</tr>")
        summary = "".join(f"<div>{html.escape(s)}</div>" for s in self._summary())
        more = f"<div>… {n - 50} more rows</div>" if n > 50 else ""
        header = "".join(f"<th>{html.escape(k)}</th>" for k in names)
        return (f"<div><strong>{html.escape(self._title())}</strong> ({n} rows){summary}"
                f"<table><thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody>"
                f"</table>{more}</div>")
