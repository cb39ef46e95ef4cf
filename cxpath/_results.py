"""Common behaviour of cxpath result objects.

A result is an ``attrs`` frozen class decorated with :func:`result` that derives from
:class:`Result` and implements ``_columns()`` (the ordered table behind ``to_frame()``).
It may override ``_title()`` and ``_summary()`` for its repr, and declares its duration
columns in ``_duration_columns`` (see :func:`duration_columns`): their values stay plain
floats in the result's fields and ``to_dict()``, ``to_frame()`` turns them into timedeltas
(``timedelta64[ns]`` for pandas and dict, ``Duration`` for polars) and the reprs show them
in human units (:func:`format_duration`).

Results explain themselves: every column of ``_columns()`` (the repr, the HTML and
``to_frame()`` show the same columns) is an attribute of the same name (a field, or a
property such as :func:`alias` or :func:`in_hours`), or is listed in the class's
``_derived`` mapping (:func:`derived_columns`), ``{column: where it comes from}``, which
:func:`result` writes into the class docstring. ``result.loc(label)`` and
``result[label]`` give one row as a dict, found by its key column (``_key``, default the
first column).

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
>>> c["b"]
{'label': 'b', 'count': 1}
"""

from __future__ import annotations

import difflib
import hashlib
import html
import importlib
import math
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar

import attrs
import numpy as np

from ._frames import as_timedelta, make_frame

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl

__all__ = ["ID_COLUMNS", "IdLabel", "Result", "alias", "derived_columns", "drawn_by",
           "duration_columns", "format_duration", "format_p", "format_table", "in_hours",
           "ordinal_labels", "result"]

#: Column names that hold case or customer keys: reprs show them as ``#1``, ``#2`` …
#: (:func:`ordinal_labels`) unless asked (``to_text(show_ids=True)``).
ID_COLUMNS = frozenset({"case", "case_id", "customer", "customer_id", "ticket_id"})


def result(cls):
    """Class decorator for result types: frozen attrs, our repr, identity equality.

    The class's own ``_derived`` columns are written into its docstring (in *Notes*).
    """
    if "_derived" in cls.__dict__ and cls.__doc__:
        cls.__doc__ = _document_derived(cls.__doc__, cls.__dict__["_derived"])
    return attrs.frozen(cls, repr=False, eq=False)


_SECTION = re.compile(r"^(?P<indent>[ ]*)(?P<name>[A-Z][A-Za-z ]+)\n(?P=indent)-{3,}[ ]*$",
                      re.MULTILINE)


def _document_derived(doc: str, derived: Mapping[str, str]) -> str:
    """``doc`` with a paragraph naming the derived columns at the end of its Notes section.

    A Notes section is added (before References and Examples) when there is none.
    """
    if not derived:
        return doc
    sections = list(_SECTION.finditer(doc))
    indent = sections[0]["indent"] if sections else _body_indent(doc)
    items = "\n".join(f"{indent}* ``{k}``: {x}" for k, x in derived.items())
    text = (f"{indent}Columns of the table that are not attributes of the same name:\n\n"
            f"{items}\n")
    names = [m["name"] for m in sections]
    if "Notes" in names:
        k = names.index("Notes")
        at = sections[k + 1].start() if k + 1 < len(sections) else None
        head, tail = (doc, "") if at is None else (doc[:at], doc[at:])
        return f"{head.rstrip()}\n\n{text}\n{tail}" if tail else \
            f"{head.rstrip()}\n\n{text}{indent}"
    notes = f"{indent}Notes\n{indent}-----\n{text}"
    after = [m for m in sections if m["name"] in ("References", "Examples")]
    if after:
        at = after[0].start()
        return f"{doc[:at]}{notes}\n{doc[at:]}"
    return f"{doc.rstrip()}\n\n{notes}{indent}"


def _body_indent(doc: str) -> str:
    lines = [ln for ln in doc.splitlines()[1:] if ln.strip()]
    return min((ln[: len(ln) - len(ln.lstrip())] for ln in lines), key=len, default="")


def alias(field: str, doc: str | None = None) -> property:
    """A read-only attribute named like a table column, giving the field ``field``.

    For a column whose name differs from the field it shows (``step`` for ``steps``).

    >>> @result
    ... class Steps(Result):
    ...     steps: np.ndarray
    ...     step = alias("steps")
    ...     def _columns(self):
    ...         return {"step": self.steps}
    >>> Steps(np.array(["a", "b"])).step.tolist()
    ['a', 'b']
    """
    def get(self) -> Any:
        return getattr(self, field)

    return property(get, doc=doc or f"``{field}``, under the name of its table column.")


def in_hours(field: str, doc: str | None = None) -> property:
    """A read-only attribute giving the field ``field`` (seconds) in hours (None stays None).

    For the ``<field>_h`` columns of a table; ``to_frame()`` turns those into timedeltas.
    """
    def get(self) -> float | np.ndarray | None:
        x = getattr(self, field)
        return None if x is None else x / 3600

    return property(get, doc=doc or f"``{field}`` in hours (its table column).")


def derived_columns(columns: Mapping[str, str]) -> Mapping[str, str]:
    """Read-only ``{column: explanation}`` for a result's ``_derived``.

    A name may hold ``{placeholders}`` for columns named after data (``lo_{level}``
    matches ``lo_80`` and ``lo_95``).

    >>> d = derived_columns({"lo_{level}": "lower end of the level % interval"})
    >>> Result._match_derived(d, "lo_80")
    'lower end of the level % interval'
    """
    return MappingProxyType(dict(columns))


class IdLabel(str):
    """A neutral label standing for a case or customer id: ``#1``, shown without quotes."""

    __slots__ = ()

    def __repr__(self) -> str:
        return str(self)


def ordinal_labels(values) -> np.ndarray:
    """Neutral labels for ids: ``#1``, ``#2`` … per distinct value, in order of appearance.

    Equal ids get equal labels, so a table still shows which rows are the same case; the
    ids themselves are not shown. Missing values (None, NaN) stay missing.

    >>> print(*ordinal_labels(["T-9", "T-4", "T-9", None]))
    #1 #2 #1 None
    >>> ordinal_labels(["T-9"])[0] == "#1"
    True
    """
    out = np.empty(len(values), dtype=object)
    seen: dict = {}
    for i, x in enumerate(values):
        if x is None or (isinstance(x, (float, np.floating)) and math.isnan(x)):
            out[i] = x
            continue
        key = _hashable(x.item() if isinstance(x, np.generic) else x)
        out[i] = seen.setdefault(key, IdLabel(f"#{len(seen) + 1}"))
    return out


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


def drawn_by(function: str):
    """Class decorator: the result gets ``.plot(ax=None, **kw)``, which calls
    ``cxpath.plot.<function>(result, ax=ax, **kw)``.

    The plot package is looked up when ``.plot()`` is called, so analysis modules never
    import it (they never draw; matplotlib is an optional extra).
    """

    def plot(self, ax: Any = None, **kw: Any) -> Any:
        drawing = importlib.import_module("cxpath.plot")
        return getattr(drawing, function)(self, ax=ax, **kw)

    plot.__doc__ = (f"Draw the result with :func:`cxpath.plot.{function}` (extra ``plot``) "
                    "on ``ax`` or a new figure; returns what it returns (the Axes).")

    def decorate(cls):
        plot.__qualname__ = f"{cls.__qualname__}.plot"
        cls.plot = plot
        return cls

    return decorate


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


_HTML_ROWS, _HTML_HEAD, _HTML_TAIL = 20, 10, 5  # notebook tables: all up to 20, else 10 + 5


def _html_cells(columns: dict, name: str, rows: list, durations: Mapping) -> list[str]:
    """Cells of the given rows, as :func:`_cells` formats them."""
    if not rows:
        return []
    picked = {name: np.asarray(columns[name])[rows]}
    return _cells(picked, name, len(rows), durations)


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


def _hashable(x):
    try:
        hash(x)
    except TypeError:
        return repr(x)
    return x


def _same(x, label) -> bool:
    try:
        return bool(x == label)
    except (TypeError, ValueError):
        return False


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


def _plain(x):
    """A table cell as a plain Python value (numbers, str, bool); dates stay numpy."""
    if isinstance(x, np.generic) and not isinstance(x, (np.datetime64, np.timedelta64)):
        return x.item()
    return x


def _label_text(label) -> str:
    return ", ".join(map(str, label)) if isinstance(label, tuple) else str(label)


class Result:
    """Mixin giving results ``to_frame()``, ``to_dict()``, a text repr and an HTML repr.

    ``loc(label)`` (or ``result[label]``) gives one row of the table as a dict and
    ``label in result`` tells whether there is one.
    """

    __slots__ = ()

    #: Columns of ``_columns()`` that are durations, with their seconds per unit
    #: (:func:`duration_columns`); only durations, never rates or counts.
    _duration_columns: ClassVar[Mapping[str, float]] = MappingProxyType({})

    #: Columns of ``_columns()`` that are not attributes of the same name, with where they
    #: come from (:func:`derived_columns`); written into the class docstring.
    _derived: ClassVar[Mapping[str, str]] = MappingProxyType({})

    #: The column (or tuple of columns) whose values label the rows for :meth:`loc`;
    #: None for the first column.
    _key: ClassVar[str | tuple | None] = None

    #: Columns of ``_columns()`` holding case or customer keys, which the reprs show as
    #: ``#1``, ``#2`` …; None for those named in :data:`ID_COLUMNS`.
    _id_columns: ClassVar[tuple | None] = None

    #: Results are not sequences of rows: iterate over ``to_frame()`` instead.
    __iter__ = None

    def _columns(self) -> dict:
        raise NotImplementedError

    @staticmethod
    def _match_derived(derived: Mapping[str, str], column: str) -> str | None:
        if column in derived:
            return derived[column]
        for key, text in derived.items():
            if "{" in key:
                pattern = re.sub(r"\\\{\w+\\\}", ".+", re.escape(key))
                if re.fullmatch(pattern, column):
                    return text
        return None

    def _explain_column(self, column: str) -> str | None:
        """Where a derived column comes from (its ``_derived`` entry), or None."""
        return self._match_derived(self._derived, column)

    def _key_columns(self, columns: dict) -> tuple:
        """The columns labelling the rows: ``_key``, else the fewest leading columns whose
        values together tell the rows apart, leaving out those holding a single value
        (``segment`` ``'all'`` without ``by=``)."""
        if self._key is not None:
            return self._key if isinstance(self._key, tuple) else (self._key,)
        names = list(columns)[:4]
        if not names:
            return (None,)
        values = [[_hashable(x) for x in columns[k]] for k in names]
        n = len(values[0])
        for k in range(1, len(names) + 1):
            if len(set(zip(*values[:k]))) == n:
                break
        else:
            return (names[0],)
        keep = tuple(names[j] for j in range(k) if k == 1 or len(set(values[j])) > 1)
        return keep or (names[0],)

    def loc(self, label: Any) -> dict:
        """The row of the table labelled ``label``, as ``{column: value}``.

        The label is the row's value in the key column: the column the result names (the
        touchpoint, the step, a ``(source, target)`` pair), else the first column, or the
        fewest leading columns that tell the rows apart (without those holding one value
        only) as a tuple. Values are those of the table's columns (plain Python numbers
        and str; durations as numbers in the column's unit, which ``to_frame()`` turns
        into timedeltas). Labels may also be given as text (``"2025-03"`` for a month).

        Raises
        ------
        UnknownLabelError
            If no row, or more than one, has that label; the message lists the closest
            labels.

        Examples
        --------
        >>> from cxpath.fmea import pareto
        >>> p = pareto(["late", "late", "rude", "late"])
        >>> p.loc("late")
        {'label': 'late', 'count': 3.0, 'share': 0.75, 'cumulative': 0.75, 'vital': True}
        >>> p["rude"] == p.loc("rude"), "lost" in p
        (True, False)
        """
        from .errors import UnknownLabelError

        cols = self._columns()
        keys = self._key_columns(cols)
        func = f"{type(self).__name__}.loc"
        n = len(next(iter(cols.values()))) if cols else 0
        parts = label if len(keys) > 1 else (label,)
        if len(keys) > 1 and (not isinstance(label, tuple) or len(label) != len(keys)):
            raise UnknownLabelError(f"The 'label' parameter of {func} must be a tuple of "
                                    f"({', '.join(map(str, keys))}). Got {label!r} instead.")
        mask = np.ones(n, dtype=bool)
        for k, part in zip(keys, parts):
            values = cols[k]
            hit = np.array([_same(x, part) for x in values], dtype=bool)
            if not hit.any() and isinstance(part, str):
                hit = np.array([str(x) == part for x in values], dtype=bool)
            mask &= hit
        rows = np.flatnonzero(mask)
        if rows.size == 1:
            i = int(rows[0])
            return {k: _plain(c[i]) for k, c in cols.items()}
        labels = [" ".join(str(cols[k][i]) for k in keys) if len(keys) > 1
                  else str(cols[keys[0]][i]) for i in range(n)]
        what = " and ".join(map(str, keys))
        if rows.size > 1:
            raise UnknownLabelError(
                f"The 'label' parameter of {func} must label one row of the table; "
                f"{rows.size} rows have the {what} {_label_text(label)!r}. Got "
                f"{label!r} instead.")
        close = difflib.get_close_matches(_label_text(label).replace(", ", " "),
                                          dict.fromkeys(labels), n=5, cutoff=0.5)
        if close:
            hint = "closest: " + ", ".join(map(repr, close))
        else:
            hint = f"{len(labels)} rows: " + ", ".join(map(repr, labels[:5])) + \
                (", …" if len(labels) > 5 else "")
        raise UnknownLabelError(f"The 'label' parameter of {func} must be a {what} of the "
                                f"table ({hint}). Got {label!r} instead.")

    def __getitem__(self, label: Any) -> dict:
        """``result[label]`` is ``result.loc(label)``: one row as a dict."""
        if isinstance(label, (bool, int, np.integer, slice, list, np.ndarray)):
            raise TypeError(f"{type(self).__name__}[...] takes a row label (the value of "
                            f"the key column); got {type(label).__name__}. For rows by "
                            "position use to_frame().")
        return self.loc(label)

    def __contains__(self, label) -> bool:
        """True if one row of the table has the label ``label`` (see :meth:`loc`)."""
        from .errors import UnknownLabelError

        try:
            self.loc(label)
        except UnknownLabelError:
            return False
        return True

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

    def _zones(self) -> dict:
        """``{column: time zone}`` of the ``datetime64`` columns holding UTC instants that
        ``to_frame`` shows in a zone (none by default)."""
        return {}

    def _title(self) -> str:
        return type(self).__name__

    def _summary(self) -> list[str]:
        """Lines of scalar facts shown above the table."""
        return []

    def to_frame(self, backend: str = "pandas") -> pd.DataFrame | pl.DataFrame | dict:
        """The result as a table: ``'pandas'``, ``'polars'`` or ``'dict'`` of columns.

        Duration columns are timedeltas (pandas ``timedelta64[ns]``, polars ``Duration``,
        numpy ``timedelta64[ns]`` in the dict) with NaT for missing values.
        """
        cols = self._columns()
        return make_frame(cols, backend, func=f"{type(self).__name__}.to_frame",
                          durations=self._durations(cols), zones=self._zones())

    def to_dict(self) -> dict:
        """All fields as JSON-ready Python values (arrays become lists)."""
        return {a.name: _jsonable(getattr(self, a.name)) for a in attrs.fields(type(self))
                if not a.name.startswith("_")}

    def _shown_columns(self, show_ids: bool = False) -> tuple[dict, list[str]]:
        """The columns as the reprs show them, and a line saying which ids were hidden."""
        cols = self._columns()
        zones = {k: z for k, z in self._zones().items() if z is not None and k in cols}
        if zones:  # UTC instants shown as the local times to_frame() gives
            from ._frames import in_zone

            cols = {k: in_zone(c, zones[k]).to_numpy(dtype=object) if k in zones else c
                    for k, c in cols.items()}
        names = self._id_columns if self._id_columns is not None else \
            tuple(k for k in cols if k in ID_COLUMNS)
        hidden = [k for k in names if k in cols and len(cols[k])]
        if show_ids or not hidden:
            return cols, []
        cols = {k: ordinal_labels(x) if k in hidden else x for k, x in cols.items()}
        hidden = [k for k in hidden if any(isinstance(x, IdLabel) for x in cols[k])]
        if not hidden:  # the id columns hold only missing values
            return cols, []
        parts = []
        for k in hidden:
            n = len({x for x in cols[k] if isinstance(x, IdLabel)})
            span = "#1" if n == 1 else "#1, #2" if n == 2 else f"#1 … #{n:,}"
            parts.append(f"{k}: {n:,} {'id' if n == 1 else 'ids'} shown as {span}")
        return cols, ["; ".join(parts) + " (to_text(show_ids=True) or to_frame() shows them)"]

    def to_text(self, *, show_ids: bool = False) -> str:
        """The repr: title, summary lines and the first rows of the table.

        Case and customer ids (the columns of ``_id_columns``, by default those named in
        :data:`ID_COLUMNS`) are shown as neutral labels ``#1``, ``#2`` … unless
        ``show_ids=True``; ``to_frame()`` and the attributes always hold the ids.

        Examples
        --------
        >>> from cxpath.kpi.sla import _example_clocks
        >>> clocks = _example_clocks()
        >>> clocks.case_id.tolist()
        ['A', 'B']
        >>> print(clocks.to_text().splitlines()[3])
        case_id: 2 ids shown as #1, #2 (to_text(show_ids=True) or to_frame() shows them)
        >>> [line.split()[0] for line in clocks.to_text().splitlines()[-2:]]
        ['#1', '#2']
        >>> [line.split()[0] for line in clocks.to_text(show_ids=True).splitlines()[-2:]]
        ['A', 'B']
        """
        from ._validate import check_bool

        show_ids = check_bool(show_ids, "show_ids", f"{type(self).__name__}.to_text")
        cols, note = self._shown_columns(show_ids)
        n = len(next(iter(cols.values()))) if cols else 0
        head = f"{self._title()} ({n} rows)"
        table = [format_table(cols, durations=self._durations(cols))] if n else []
        return "\n".join([head, *self._summary(), *note, *table])

    def __repr__(self) -> str:
        return self.to_text()

    def _repr_html_(self) -> str:
        """A notebook table styled like pandas': head and tail rows past 20, numbers right-
        aligned, durations in human units, the shape below. Ids are shown as ``#1`` …"""
        cols, note = self._shown_columns()
        names = list(cols)
        n = len(next(iter(cols.values()))) if cols else 0
        durations = self._durations(cols)
        shown = list(range(n)) if n <= _HTML_ROWS else \
            [*range(_HTML_HEAD), *range(n - _HTML_TAIL, n)]
        cells = {k: _html_cells(cols, k, shown, durations) for k in names}
        numeric = {k: getattr(np.asarray(cols[k]), "dtype", np.dtype(object)).kind in "iufbm"
                   or k in durations for k in names}

        def row(i):
            return "<tr>" + "".join(f"<td>{html.escape(cells[k][i])}</td>"
                                    for k in names) + "</tr>"

        rows = [row(i) for i in range(min(len(shown), _HTML_HEAD if n > _HTML_ROWS else n))]
        if n > _HTML_ROWS:
            rows.append("<tr>" + "<td>…</td>" * len(names) + "</tr>")
            rows += [row(i) for i in range(_HTML_HEAD, len(shown))]
        summary = "".join(f"<div>{html.escape(s)}</div>" for s in [*self._summary(), *note])
        header = "".join(f"<th>{html.escape(k)}</th>" for k in names)
        right = [j + 1 for j, k in enumerate(names) if numeric[k]]
        tag = "cx" + hashlib.sha1(repr((names, right)).encode()).hexdigest()[:8]
        rules = ",".join(f".{tag} td:nth-child({j})" for j in right)
        style = f"<style>.{tag} td{{text-align:left}}{rules}{{text-align:right}}</style>" \
            if right else ""
        return (f'<div class="{tag}">{style}<strong>{html.escape(self._title())}</strong>'
                f"{summary}<table><thead><tr>{header}</tr></thead>"
                f"<tbody>{''.join(rows)}</tbody></table>"
                f"<p>{n:,} rows × {len(names)} columns</p></div>")
