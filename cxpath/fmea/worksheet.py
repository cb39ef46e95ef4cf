"""The FMEA worksheet: failure modes with their ratings, controls and actions.

A :class:`Worksheet` is columnar (one numpy array per field) so that scoring and ranking
thousands of modes is vectorised; :class:`FailureMode` is one row of it. Worksheets are built
from records (dicts or ``FailureMode``), a CSV file, a JSON file written by
:meth:`Worksheet.to_json`, or any table (pandas, polars, pyarrow, dict of columns), and are
written back to CSV or JSON without loss.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import math
import numbers
import os
import re
from collections.abc import Iterable, Mapping
from typing import IO, TYPE_CHECKING, Any

import attrs
import numpy as np

from .. import _validate as v
from .._frames import column as _column
from .._frames import frame_kind
from .._results import Result, alias, drawn_by, result

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .._typing import ArrayLike, TableLike

__all__ = ["FIELDS", "FailureMode", "Worksheet"]

TEXT_FIELDS = ("step", "function", "failure_mode", "effect", "cause", "prevention",
               "detection_control", "action", "owner")
RATING_FIELDS = ("severity", "occurrence", "detection")
REVISED_FIELDS = ("revised_severity", "revised_occurrence", "revised_detection")
#: Worksheet fields in column order.
FIELDS = ("step", "function", "failure_mode", "effect", "cause", "severity", "occurrence",
          "detection", "prevention", "detection_control", "action", "owner", "due",
          "revised_severity", "revised_occurrence", "revised_detection")

# header spellings that map onto a field (compared after lower-casing and turning every run of
# non-alphanumerics into one underscore)
_ALIASES = {
    "process_step": "step", "item": "step", "process_item": "step", "process": "step",
    "failure": "failure_mode", "mode": "failure_mode", "potential_failure_mode": "failure_mode",
    "failure_effect": "effect", "effects": "effect", "potential_effect": "effect",
    "failure_cause": "cause", "causes": "cause", "potential_cause": "cause",
    "s": "severity", "sev": "severity", "o": "occurrence", "occ": "occurrence",
    "d": "detection", "det": "detection",
    "prevention_control": "prevention", "prevention_controls": "prevention",
    "current_prevention": "prevention", "detection_controls": "detection_control",
    "current_detection": "detection_control",
    "recommended_action": "action", "actions": "action", "responsible": "owner",
    "due_date": "due", "target_date": "due",
    "new_s": "revised_severity", "new_o": "revised_occurrence", "new_d": "revised_detection",
    "s_after": "revised_severity", "o_after": "revised_occurrence",
    "d_after": "revised_detection",
}


def _normal(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", str(name).strip().lower()).strip("_")


def _field_of(name: str):
    key = _normal(name)
    if key in FIELDS:
        return key
    return _ALIASES.get(key)


def _is_missing(x) -> bool:
    if x is None:
        return True
    if isinstance(x, str):
        return x.strip() == ""
    if isinstance(x, (float, np.floating)):
        return math.isnan(x)
    if isinstance(x, np.datetime64):
        return bool(np.isnat(x))
    return type(x).__name__ in ("NAType", "NaTType")


def _as_date(x, field, func, where):
    if _is_missing(x):
        return None
    if isinstance(x, np.datetime64):
        return x.astype("datetime64[D]").item()
    if isinstance(x, _dt.datetime):
        return x.date()
    if isinstance(x, _dt.date):
        return x
    if isinstance(x, str):
        try:
            return _dt.date.fromisoformat(x.strip()[:10])
        except ValueError:
            pass
    v.fail(field, func, "a date (datetime.date, datetime64 or an ISO 'YYYY-MM-DD' string)",
           got=f"{x!r} at {where}", data=True)


def _as_rating(x, field, func, where, required):
    if _is_missing(x):
        if required:
            v.fail(field, func, "an integer in [1, 10]", got=f"a missing value at {where}",
                   data=True)
        return 0
    value = None
    if isinstance(x, (bool, np.bool_)):
        value = None
    elif isinstance(x, (numbers.Integral, np.integer)) or (
            isinstance(x, (numbers.Real, np.floating)) and float(x).is_integer()):
        value = int(x)
    elif isinstance(x, str):
        text = x.strip()
        try:
            value = int(text)
        except ValueError:
            try:
                f = float(text)
                value = int(f) if f.is_integer() else None
            except ValueError:
                value = None
    if value is None or not 1 <= value <= 10:
        shown = x.item() if isinstance(x, np.generic) else x
        must = "an integer in [1, 10]" + ("" if required else " (or blank)")
        v.fail(field, func, must, got=f"{shown!r} at {where}", data=True)
    return value


# starts that a spreadsheet runs as a formula, and the quote that defuses them
_DEFUSED = ("=", "+", "-", "@", "\t", "\r", "'")


def _check_delimiter(delimiter, func: str) -> str:
    """A one-character CSV delimiter other than the quote character and line breaks."""
    must = "a one-character string other than '\"', '\\r' and '\\n'"
    if not isinstance(delimiter, str):
        v.fail("delimiter", func, must, delimiter, wrong_type=True)
    if len(delimiter) != 1 or delimiter in "\"\r\n":
        v.fail("delimiter", func, must, delimiter)
    return delimiter


def _check_encoding(encoding, func: str) -> str:
    """The name of a text encoding Python knows (``codecs.lookup``)."""
    import codecs

    if not isinstance(encoding, str):
        v.fail("encoding", func, "the name of a text encoding such as 'utf-8'", encoding,
               wrong_type=True)
    try:
        if not getattr(codecs.lookup(encoding), "_is_text_encoding", True):  # e.g. 'base64'
            raise LookupError(encoding)
    except (LookupError, ValueError):  # ValueError: a NUL character in the name
        v.fail("encoding", func, "the name of a text encoding such as 'utf-8'", encoding)
    return encoding


def _safe_cell(x):
    """A text cell that a spreadsheet would run as a formula, defused with a leading ``'``
    (OWASP's advice against CSV injection); other cells as they are."""
    if isinstance(x, str) and x.startswith(_DEFUSED):
        return "'" + x
    return x


def _unsafe_cell(x: str) -> str:
    """:func:`_safe_cell` undone when reading the CSV back."""
    return x[1:] if x.startswith("'") and x[1:].startswith(_DEFUSED) else x


def _as_text(x) -> str:
    if _is_missing(x) and not isinstance(x, str):
        return ""
    return x if type(x) is str else str(x)


def _texts(raw) -> np.ndarray:
    """A column as an object array of ``str`` ("" for missing)."""
    if isinstance(raw, list) and all(type(x) is str for x in raw):
        return np.array(raw, dtype=object)
    arr = np.asarray(raw) if not isinstance(raw, list) else None
    if arr is not None and arr.dtype.kind == "U":
        return arr.astype(object)
    return np.array([_as_text(x) for x in raw], dtype=object)


def _fast_ratings(raw, required: bool):
    """Ratings written as plain integer strings, vectorised; None when the slow path is needed."""
    try:
        arr = np.asarray(raw)
        if arr.dtype.kind not in "UO" or arr.ndim != 1:
            return None
        arr = np.char.strip(arr.astype(str))
        blank = arr == ""
        if required and blank.any():
            return None
        out = np.where(blank, "0", arr).astype(np.int64)
    except (ValueError, TypeError, OverflowError):
        return None
    low = 1 if required else 0
    if ((out < low) | (out > 10) | (~blank & (out == 0))).any():
        return None
    return out


@attrs.frozen
class FailureMode:
    """One worksheet row: a failure mode with its ratings, controls and action.

    Parameters
    ----------
    failure_mode : str
        What goes wrong.
    severity, occurrence, detection : int
        Ratings in [1, 10].
    step, function, effect, cause : str
        Process step (or item), its function, the effect on the customer and the cause.
    prevention, detection_control : str
        Current prevention and detection controls.
    action, owner : str
        Recommended action and who owns it.
    due : datetime.date or None
        Due date of the action (an ISO string is accepted).
    revised_severity, revised_occurrence, revised_detection : int or None
        Ratings after the action; ``None`` while not re-rated.
    extra : dict
        Further columns of the source table (kept as text and written back).

    Raises
    ------
    DataError
        A rating that is not an integer in [1, 10], or an unreadable date.

    Examples
    --------
    >>> m = FailureMode("Part delivered late", 6, 6, 3, step="parts")
    >>> m.rpn, m.action_priority
    (108, 'M')
    """

    failure_mode: str
    severity: int
    occurrence: int
    detection: int
    step: str = ""
    function: str = ""
    effect: str = ""
    cause: str = ""
    prevention: str = ""
    detection_control: str = ""
    action: str = ""
    owner: str = ""
    due: _dt.date | None = None
    revised_severity: int | None = None
    revised_occurrence: int | None = None
    revised_detection: int | None = None
    extra: dict = attrs.field(factory=dict)

    _key = "failure_mode"

    def __attrs_post_init__(self):
        func, where = "fmea.FailureMode", f"failure mode {self.failure_mode!r}"
        for f in RATING_FIELDS:
            object.__setattr__(self, f, _as_rating(getattr(self, f), f, func, where, True))
        for f in REVISED_FIELDS:
            r = _as_rating(getattr(self, f), f, func, where, False)
            object.__setattr__(self, f, r or None)
        for f in TEXT_FIELDS:
            object.__setattr__(self, f, _as_text(getattr(self, f)))
        object.__setattr__(self, "due", _as_date(self.due, "due", func, where))
        if not isinstance(self.extra, Mapping):
            v.fail("extra", func, "a mapping of column name to value", self.extra,
                   wrong_type=True)
        object.__setattr__(self, "extra", {str(k): _as_text(x) for k, x in self.extra.items()})

    @property
    def rpn(self) -> int:
        """``S * O * D``."""
        return self.severity * self.occurrence * self.detection

    @property
    def action_priority(self) -> str:
        """AIAG-VDA 2019 Action Priority."""
        from .scores import action_priority

        return action_priority(self.severity, self.occurrence, self.detection)

    def to_dict(self) -> dict:
        """The fields as plain Python values (``due`` as an ISO string), extras merged in."""
        out = {f: getattr(self, f) for f in FIELDS}
        out["due"] = None if self.due is None else self.due.isoformat()
        out.update(self.extra)
        return out


@drawn_by("risk_matrix")
@result
class Worksheet(Result):
    """A set of failure modes held column by column.

    Build one with :meth:`from_records`, :meth:`from_frame`, :meth:`from_csv` or
    :meth:`from_json`. Revised ratings are 0 where not yet re-rated (``None`` in
    :class:`FailureMode`, an empty cell in CSV); ``due`` is ``datetime64[D]`` with NaT for
    none. Text fields are ``str`` (empty when absent). Columns of the source that are not
    worksheet fields are kept in ``extra`` and written back.

    Every view shows the RPN and the Action Priority next to the ratings: the table
    (``to_frame()``, the HTML repr) has every field with ``rpn`` and ``ap`` after
    ``detection``; the text repr shows ``failure_mode``, the ratings, ``rpn`` and ``ap``
    and names the other columns. ``ws[i]`` is the :class:`FailureMode` at position ``i``
    and ``ws["a failure mode"]`` (like ``ws.loc(...)``) its row of the table.

    Attributes
    ----------
    step, function, failure_mode, effect, cause, prevention, detection_control, action,
    owner : ndarray of object (str)
    severity, occurrence, detection : ndarray of int64
    revised_severity, revised_occurrence, revised_detection : ndarray of int64
    due : ndarray of datetime64[D]
    extra : dict of str to ndarray of object (str)
    rpn, criticality : ndarray of int64
        ``S * O * D`` and ``S * O``.
    action_priority, ap : ndarray of str
        AIAG-VDA 2019 Action Priority (``ap`` is the table's column name).

    Examples
    --------
    >>> ws = Worksheet.from_records([
    ...     {"failure_mode": "IVR misroutes the call", "S": 4, "O": 7, "D": 4},
    ...     {"failure_mode": "Chatbot cannot hand over", "S": 7, "O": 7, "D": 6}])
    >>> len(ws), ws.rpn.tolist(), ws.action_priority.tolist()
    (2, [112, 294], ['M', 'H'])
    >>> ws[1].failure_mode
    'Chatbot cannot hand over'
    """

    step: np.ndarray
    function: np.ndarray
    failure_mode: np.ndarray
    effect: np.ndarray
    cause: np.ndarray
    severity: np.ndarray
    occurrence: np.ndarray
    detection: np.ndarray
    prevention: np.ndarray
    detection_control: np.ndarray
    action: np.ndarray
    owner: np.ndarray
    due: np.ndarray
    revised_severity: np.ndarray
    revised_occurrence: np.ndarray
    revised_detection: np.ndarray
    extra: dict = attrs.field(factory=dict)

    _key = "failure_mode"

    def __attrs_post_init__(self):
        # cheap, vectorised consistency checks for worksheets built field by field
        func = "fmea.Worksheet"
        n = len(self.failure_mode)
        for f in FIELDS:
            arr = getattr(self, f)
            if not isinstance(arr, np.ndarray) or arr.ndim != 1 or len(arr) != n:
                v.fail(f, func, f"a 1-D numpy array of length {n} (use Worksheet.from_records, "
                       "from_frame or from_csv to build one)", got=type(arr).__name__)
        for f in RATING_FIELDS + REVISED_FIELDS:
            arr = getattr(self, f)
            low = 1 if f in RATING_FIELDS else 0
            if arr.dtype != np.int64 or (n and (arr.min() < low or arr.max() > 10)):
                v.fail(f, func, f"int64 ratings in [{low}, 10]",
                       got=f"dtype {arr.dtype}, range [{arr.min() if n else ''}, "
                           f"{arr.max() if n else ''}]", data=True)
        for k, col in self.extra.items():
            if len(col) != n:
                v.fail("extra", func, f"columns of length {n}",
                       got=f"length {len(col)} for {k!r}", data=True)

    # ----------------------------------------------------------------------------- building
    @classmethod
    def _from_columns(cls, cols: dict, n: int, func: str, where=None, extra=None) -> Worksheet:
        """Validate raw columns (field -> sequence of length n) into a worksheet."""
        if where is None:
            def where(i):
                return f"row {i}"
        if n == 0 and not cols and not extra:   # no records at all: an empty worksheet
            cols = {f: [] for f in ("failure_mode", *RATING_FIELDS)}
        if "failure_mode" not in cols:
            v.fail("failure_mode", func, "present (a column naming the failure mode)",
                   got="no such column", data=True)
        for f in RATING_FIELDS:
            if f not in cols:
                v.fail(f, func, "present (a column of ratings 1-10)", got="no such column",
                       data=True)
        out = {}
        names_arr = _texts(cols["failure_mode"])
        names = names_arr.tolist()

        def at(i):
            return f"{where(i)} (failure mode {names[i]!r})"

        for f in TEXT_FIELDS:
            raw = cols.get(f)
            out[f] = (names_arr if f == "failure_mode" else _texts(raw)) if raw is not None \
                else np.full(n, "", dtype=object)
        for f in RATING_FIELDS + REVISED_FIELDS:
            raw = cols.get(f)
            required = f in RATING_FIELDS
            if raw is None:
                out[f] = np.zeros(n, dtype=np.int64)
                continue
            arr = np.asarray(raw) if not isinstance(raw, list) else None
            if arr is not None and arr.dtype.kind in "iu" and arr.ndim == 1:
                bad = (arr < (1 if required else 0)) | (arr > 10)
                if not required:
                    bad &= arr != 0
                if bad.any():
                    i = int(np.argmax(bad))
                    must = "an integer in [1, 10]" + ("" if required else " (or blank)")
                    v.fail(f, func, must, got=f"{int(arr[i])} at {at(i)}", data=True)
                out[f] = np.ascontiguousarray(arr, dtype=np.int64)
            elif (fast := _fast_ratings(raw, required)) is not None:
                out[f] = fast
            else:
                out[f] = np.fromiter((_as_rating(x, f, func, at(i), required)
                                      for i, x in enumerate(raw)), dtype=np.int64, count=n)
        raw = cols.get("due")
        if raw is None:
            out["due"] = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
        else:
            arr = np.asarray(raw)
            if arr.dtype.kind == "M":
                out["due"] = arr.astype("datetime64[D]")
            else:
                dates = [_as_date(x, "due", func, at(i)) for i, x in enumerate(raw)]
                out["due"] = np.array([np.datetime64("NaT") if d is None else np.datetime64(d)
                                       for d in dates], dtype="datetime64[D]")
        extras = {str(k): _texts(col) for k, col in (extra or {}).items()}
        return cls(**out, extra=extras)

    @classmethod
    def _map_names(cls, names, columns, func):
        """Source column name -> field (or None for an extra column)."""
        if columns is not None and not isinstance(columns, Mapping):
            v.fail("columns", func, "None or a mapping from source column names to worksheet "
                   "fields", columns, wrong_type=True)
        columns = dict(columns or {})
        for src, dst in columns.items():
            if dst not in FIELDS:
                v.fail("columns", func, "a mapping from source column names to worksheet "
                       f"fields ({', '.join(FIELDS)})", got=f"{src!r} -> {dst!r}")
            if src not in names:
                shown = ", ".join(repr(n) for n in list(names)[:12])
                v.fail("columns", func, f"keys that are columns of the data (one of {shown})",
                       got=repr(src), data=True)
        mapping, taken = {}, {}
        for name in names:
            field = columns.get(name) if name in columns else (
                None if columns and name in columns.values() else _field_of(name))
            if field is not None and field in taken:
                v.fail("columns", func, "a mapping that gives each field one source column",
                       got=f"both {taken[field]!r} and {name!r} for {field!r}", data=True)
            if field is not None:
                taken[field] = name
            mapping[name] = field
        return mapping

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any] | FailureMode], *,
                     columns: Mapping[str, str] | None = None) -> Worksheet:
        """Build a worksheet from an iterable of dicts or :class:`FailureMode` objects.

        Dict keys are matched to fields by name (case and punctuation ignored, common
        spellings such as ``'S'``, ``'Process Step'`` or ``'Recommended Action'`` accepted);
        ``columns`` maps any other key to a field. Keys that match no field are kept in
        ``extra``.

        Raises
        ------
        DataError
            A missing or out-of-range rating (the message names the field and the row), a
            record of another type, or a missing ``failure_mode``.

        Examples
        --------
        >>> ws = Worksheet.from_records([FailureMode("Wrong part shipped", 7, 5, 4)])
        >>> ws.severity
        array([7])
        """
        func = "fmea.Worksheet.from_records"
        if isinstance(records, (str, bytes, Mapping)) or not isinstance(records, Iterable):
            v.fail("records", func, "an iterable of FailureMode objects or mappings", records,
                   wrong_type=True)
        records = list(records)
        rows = []
        for i, rec in enumerate(records):
            if isinstance(rec, FailureMode):
                rows.append(rec.to_dict())
            elif isinstance(rec, Mapping):
                rows.append(dict(rec))
            else:
                v.fail("records", func, "dicts or FailureMode objects",
                       got=f"{type(rec).__name__} at row {i}", data=True)
        names = list(dict.fromkeys(k for r in rows for k in r))
        mapping = cls._map_names(names, columns, func)
        cols, extra = {}, {}
        for name, field in mapping.items():
            values = [r.get(name) for r in rows]
            if field is None:
                extra[name] = values
            else:
                cols[field] = values
        return cls._from_columns(cols, len(rows), func, extra=extra)

    @classmethod
    def from_frame(cls, data: TableLike, *, columns: Mapping[str, str] | None = None) -> Worksheet:
        """Build a worksheet from a pandas or polars DataFrame, a pyarrow Table or a dict.

        Column names are matched as in :meth:`from_records`; ``columns`` maps source
        column names to fields, e.g. ``{"Fehlerart": "failure_mode", "B": "severity"}``.
        The ``rpn`` and ``ap`` columns of :meth:`to_frame` are not kept as extra columns
        when they agree with the ratings (they are computed from them).

        Raises
        ------
        InvalidParameterError, DataError
            ``data`` of an unknown type, a required column missing (``failure_mode``,
            ``severity``, ``occurrence``, ``detection``), or a bad rating (named with its row).

        Examples
        --------
        >>> ws = Worksheet.from_frame({"failure_mode": ["a", "b"], "severity": [5, 9],
        ...                            "occurrence": [5, 2], "detection": [5, 7]})
        >>> ws.rpn.tolist()
        [125, 126]
        """
        func = "fmea.Worksheet.from_frame"
        kind = frame_kind(data)
        if kind in ("none", "unknown"):
            v.fail("data", func, "a pandas or polars DataFrame, a pyarrow Table or a dict of "
                   "columns", got=f"an object of type {type(data).__name__}")
        if kind == "pandas":
            names = [str(c) for c in data.columns]
        elif kind == "arrow":
            names = list(data.column_names)
        else:
            names = [str(c) for c in (data.columns if kind == "polars" else data)]
        mapping = cls._map_names(names, columns, func)
        cols, extra, n = {}, {}, None
        for name, field in mapping.items():
            arr = _column(data, name, name, func)
            if n is None:
                n = len(arr)
            elif len(arr) != n:
                v.fail(name, func, f"of the same length as the other columns ({n})",
                       got=f"length {len(arr)}", data=True)
            if field is None:
                extra[name] = arr
            else:
                cols[field] = arr
        return cls._from_columns(cols, n or 0, func, extra=extra)._without_computed()

    @classmethod
    def from_csv(cls, source: str | os.PathLike | IO[str], *,
                 columns: Mapping[str, str] | None = None, delimiter: str = ",",
                 encoding: str = "utf-8") -> Worksheet:
        """Read a worksheet from a CSV file (path or text file object) with a header row.

        Empty cells are missing values: an error for S, O and D, "not re-rated" for the
        revised ratings. Errors name the field, the data row and the line of the file.

        Examples
        --------
        >>> import io
        >>> text = "Failure Mode,S,O,D\\nPart delivered late,6,6,3\\n"
        >>> Worksheet.from_csv(io.StringIO(text)).action_priority.tolist()
        ['M']
        """
        func = "fmea.Worksheet.from_csv"
        _check_delimiter(delimiter, func)
        if isinstance(source, (str, os.PathLike, bytes)):
            path = v.check_path(source, "source", func)
            _check_encoding(encoding, func)
            with open(path, newline="", encoding=encoding) as fh:
                return cls.from_csv(fh, columns=columns, delimiter=delimiter)
        if not hasattr(source, "read"):
            v.fail("source", func, "a path or a text file object",
                   got=f"an object of type {type(source).__name__}", wrong_type=True)
        reader = csv.reader(source, delimiter=delimiter)
        try:
            header = [_unsafe_cell(c) for c in next(reader)]
        except StopIteration:
            v.fail("source", func, "a CSV file with a header row", got="an empty file",
                   data=True)
        rows, lines = [], []
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            row = [_unsafe_cell(c) for c in row]
            if len(row) > len(header):
                v.fail("source", func, f"rows of at most {len(header)} cells (the header)",
                       got=f"{len(row)} cells on line {reader.line_num}", data=True)
            rows.append(row + [""] * (len(header) - len(row)))
            lines.append(reader.line_num)
        if len(set(header)) != len(header):
            v.fail("source", func, "a header with distinct column names", got=repr(header),
                   data=True)
        mapping = cls._map_names(header, columns, func)
        cols, extra = {}, {}
        for j, name in enumerate(header):
            values = [r[j] for r in rows]
            if mapping[name] is None:
                extra[name] = values
            else:
                cols[mapping[name]] = values
        return cls._from_columns(cols, len(rows), func,
                                 where=lambda i: f"row {i} (line {lines[i]} of the file)",
                                 extra=extra)

    @classmethod
    def from_json(cls, source: str | os.PathLike | IO[str] | None = None, *,
                  text: str | None = None, encoding: str = "utf-8") -> Worksheet:
        """Read a worksheet written by :meth:`to_json`: from a path or file object
        (``source``), or from JSON text (``text=``) — never guessed from the string.

        Plain JSON lists of records are accepted too.

        Examples
        --------
        >>> ws = Worksheet.from_records([FailureMode("Wrong part shipped", 7, 5, 4)])
        >>> Worksheet.from_json(text=ws.to_json())[0] == ws[0]
        True
        """
        func = "fmea.Worksheet.from_json"
        if (source is None) == (text is None):
            v.fail("source", func, "given, or else 'text' (one of the two)", source)
        given = "text" if text is not None else "source"
        if text is not None:
            if not isinstance(text, str):
                v.fail("text", func, "a string of JSON", got=type(text).__name__)
        elif hasattr(source, "read"):
            text = source.read()
        elif isinstance(source, (str, os.PathLike)):
            if isinstance(source, str) and source.lstrip().startswith(("{", "[")):
                v.fail("source", func, "a path or a file object (pass JSON text as text=)",
                       got=f"JSON-like text {source[:30]!r}")
            path = v.check_path(source, "source", func)
            _check_encoding(encoding, func)
            with open(path, encoding=encoding) as fh:
                text = fh.read()
        else:
            v.fail("source", func, "a path or a file object",
                   got=f"an object of type {type(source).__name__}")
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            v.fail(given, func, "valid JSON", got=f"a parse error ({exc})", data=True)
        records = doc.get("modes") if isinstance(doc, dict) else doc
        if not isinstance(records, list):
            v.fail("source", func, "a list of records or an object with a 'modes' list",
                   got=type(records).__name__, data=True)
        return cls.from_records(records)

    # ------------------------------------------------------------------------------ access
    def __len__(self) -> int:
        return len(self.failure_mode)

    def __getitem__(self, i) -> FailureMode:
        """The :class:`FailureMode` at position ``i``; with a str, the row of that mode."""
        if isinstance(i, str):
            return self.loc(i)
        n = len(self)
        i = v.check_int(i, "i", "fmea.Worksheet.__getitem__", low=-n, high=n - 1)
        return FailureMode(**self._row(i % n))

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def _row(self, i: int) -> dict:
        row = {f: getattr(self, f)[i] for f in TEXT_FIELDS}
        row.update({f: int(getattr(self, f)[i]) for f in RATING_FIELDS})
        row.update({f: int(getattr(self, f)[i]) or None for f in REVISED_FIELDS})
        due = self.due[i]
        row["due"] = None if np.isnat(due) else due.item()
        row["extra"] = {k: col[i] for k, col in self.extra.items()}
        return row

    def _without_computed(self) -> Worksheet:
        """Drop extra ``rpn`` and ``ap`` columns that equal the computed ones (as
        ``to_frame()`` writes them), so that a table round trip gives the same worksheet."""
        computed = {"rpn": self.rpn, "ap": self.action_priority}
        same = [k for k, x in computed.items() if k in self.extra
                and [str(c) for c in self.extra[k]] == [str(c) for c in x.tolist()]]
        if not same:
            return self
        return attrs.evolve(self, extra={k: c for k, c in self.extra.items() if k not in same})

    def records(self) -> list[dict]:
        """Every mode as a dict of plain values (``due`` as ISO text, extras merged)."""
        return [m.to_dict() for m in self]

    @property
    def rpn(self) -> np.ndarray:
        """``S * O * D`` of every mode."""
        return self.severity * self.occurrence * self.detection

    @property
    def criticality(self) -> np.ndarray:
        """``S * O`` of every mode."""
        return self.severity * self.occurrence

    @property
    def action_priority(self) -> np.ndarray:
        """AIAG-VDA 2019 Action Priority of every mode."""
        from .scores import AP_LEVELS, ap_table

        codes = ap_table()._codes_of(self.severity, self.occurrence, self.detection)
        return np.array(AP_LEVELS)[codes]

    ap = alias("action_priority", "``action_priority`` under its column name.")

    @property
    def revised(self) -> np.ndarray:
        """True for modes with at least one revised rating."""
        return ((self.revised_severity > 0) | (self.revised_occurrence > 0)
                | (self.revised_detection > 0))

    def subset(self, index: ArrayLike) -> Worksheet:
        """The modes at ``index`` (integer positions or a boolean mask), in that order.

        Examples
        --------
        >>> ws = Worksheet.from_frame({"failure_mode": ["a", "b"], "S": [5, 9], "O": [5, 2],
        ...                            "D": [5, 7]})
        >>> ws.subset(ws.severity > 6).failure_mode.tolist()
        ['b']
        """
        func = "fmea.Worksheet.subset"
        idx = v.array(index, "index", func)
        if idx.dtype.kind == "b":
            if idx.shape != (len(self),):
                v.fail("index", func, f"a boolean mask of length {len(self)}",
                       got=f"shape {idx.shape}")
            idx = np.flatnonzero(idx)
        else:
            idx = v.as_int_array(index, "index", func, low=-len(self), high=len(self) - 1,
                                 min_size=0)
        fields = {f: getattr(self, f)[idx] for f in FIELDS}
        return Worksheet(**fields, extra={k: c[idx] for k, c in self.extra.items()})

    def with_ratings(self, **ratings: ArrayLike) -> Worksheet:
        """A copy with some rating columns replaced (``severity=…``, ``occurrence=…``, …).

        Examples
        --------
        >>> ws = Worksheet.from_records([FailureMode("x", 5, 5, 5)])
        >>> ws.with_ratings(occurrence=[2]).rpn.tolist()
        [50]
        """
        func = "fmea.Worksheet.with_ratings"
        new = {}
        for name, values in ratings.items():
            v.check_option(name, "ratings", func, RATING_FIELDS + REVISED_FIELDS)
            low = 1 if name in RATING_FIELDS else 0
            arr = v.as_int_array(values, name, func, low=low, high=10, min_size=0)
            if arr.size != len(self):
                v.fail(name, func, f"of length {len(self)} (one per mode)",
                       got=f"length {arr.size}", data=True)
            new[name] = arr
        return attrs.evolve(self, **new)

    # ----------------------------------------------------------------------------- writing
    def _cells(self):
        header = list(FIELDS) + list(self.extra)
        for i in range(len(self)):
            row = [self.step[i], self.function[i], self.failure_mode[i], self.effect[i],
                   self.cause[i], str(self.severity[i]), str(self.occurrence[i]),
                   str(self.detection[i]), self.prevention[i], self.detection_control[i],
                   self.action[i], self.owner[i],
                   "" if np.isnat(self.due[i]) else str(self.due[i]),
                   *(str(x) if x else "" for x in (self.revised_severity[i],
                                                   self.revised_occurrence[i],
                                                   self.revised_detection[i])),
                   *(col[i] for col in self.extra.values())]
            yield header, row

    def to_csv(self, path: str | os.PathLike | None = None, *, delimiter: str = ",",
               encoding: str = "utf-8") -> str | None:
        """Write the worksheet as CSV (all fields, then the extra columns).

        With ``path=None`` the CSV text is returned. Text cells that a spreadsheet would run
        as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return)
        get a leading ``'``, as OWASP recommends against CSV injection; :meth:`from_csv`
        removes it again.

        Examples
        --------
        >>> ws = Worksheet.from_records([FailureMode("Wrong part shipped", 7, 5, 4)])
        >>> print(ws.to_csv().splitlines()[1])
        ,,Wrong part shipped,,,7,5,4,,,,,,,,
        """
        func = "fmea.Worksheet.to_csv"
        _check_delimiter(delimiter, func)
        if path is not None:
            path = v.check_path(path, "path", func)
            _check_encoding(encoding, func)
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
        writer.writerow([_safe_cell(x) for x in list(FIELDS) + list(self.extra)])
        for _, row in self._cells():
            writer.writerow([_safe_cell(x) for x in row])
        text = buf.getvalue()
        if path is None:
            return text
        with open(path, "w", newline="", encoding=encoding) as fh:
            fh.write(text)
        return None

    def to_json(self, path: str | os.PathLike | None = None, *, indent: int | None = None,
                encoding: str = "utf-8") -> str | None:
        """Write the worksheet as JSON ``{"format": …, "fields": […], "modes": [records]}``.

        With ``path=None`` the JSON text is returned. ``indent`` is None (one line) or an
        integer in [0, 16].

        Examples
        --------
        >>> ws = Worksheet.from_records([FailureMode("Wrong part shipped", 7, 5, 4)])
        >>> ws.to_json(indent=2).splitlines()[1]
        '  "format": "cxpath.fmea.Worksheet",'
        """
        func = "fmea.Worksheet.to_json"
        if indent is not None:
            v.check_int(indent, "indent", func, low=0, high=16)
        if path is not None:
            path = v.check_path(path, "path", func)
            _check_encoding(encoding, func)
        doc = {"format": "cxpath.fmea.Worksheet", "version": 1,
               "fields": list(FIELDS), "extra_columns": list(self.extra),
               "modes": self.records()}
        text = json.dumps(doc, indent=indent, ensure_ascii=False)
        if path is None:
            return text
        with open(path, "w", encoding=encoding) as fh:
            fh.write(text)
        return None

    # ------------------------------------------------------------------------------ result
    def _title(self) -> str:
        return "FMEA worksheet"

    def _summary(self):
        if not len(self):
            return []
        ap = self.action_priority
        return [f"Action Priority: H {int((ap == 'H').sum())}, M {int((ap == 'M').sum())}, "
                f"L {int((ap == 'L').sum())}; {int(self.revised.sum())} re-rated"]

    def _columns(self):
        def opt(a):
            return np.array([int(x) if x else None for x in a], dtype=object)

        cols = {f: getattr(self, f) for f in FIELDS[:8]}
        cols.update(rpn=self.rpn, ap=self.action_priority)
        cols.update({f: getattr(self, f) for f in FIELDS[8:12]})
        cols["due"] = self.due
        cols.update({f: opt(getattr(self, f)) for f in REVISED_FIELDS})
        cols.update(self.extra)
        return cols

    def __repr__(self) -> str:
        head = f"{self._title()} ({len(self)} modes)"
        if not len(self):
            return head
        from .._results import format_table

        table = self._columns()
        shown = ("failure_mode", "severity", "occurrence", "detection", "rpn", "ap")
        rest = [k for k in table if k not in shown]
        more = f"… and {len(rest)} more columns: {', '.join(rest)}"
        return "\n".join([head, *self._summary(), format_table({k: table[k] for k in shown}),
                          more])
