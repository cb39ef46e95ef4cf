"""Reading event tables from CSV and Parquet files: :func:`read_events`."""

from __future__ import annotations

import codecs
import csv
import gzip
import importlib.util
import io
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _validate as v
from .._frames import column
from .._optional import require
from ..errors import CxpathError, MissingExtraError
from ._common import check_path, to_journeys

if TYPE_CHECKING:
    import os
    from collections.abc import Sequence

    from ..journeys import Journeys

__all__ = ["read_events"]

_FUNC = "io.read_events"
_FORMATS = {".csv": "csv", ".csv.gz": "csv", ".tsv": "csv", ".tsv.gz": "csv",
            ".txt": "csv", ".parquet": "parquet", ".pq": "parquet"}
_ENGINES = ("auto", "pyarrow", "pandas", "polars", "python")


def read_events(path: str | os.PathLike, *, case: str | None = None, touchpoint: str | None = None,
                timestamp: str | None = None, format: str | None = None, to: str = "journeys",
                engine: str = "auto", delimiter: str | None = None, encoding: str = "utf-8",
                text_columns: Sequence[str] = (),
                **options: Any) -> Journeys | dict[str, np.ndarray]:
    """Read an event table from a CSV or Parquet file, mapping its columns to journeys.

    Parameters
    ----------
    path : str or os.PathLike
        A ``.csv``/``.tsv`` file (optionally ``.gz``) or a ``.parquet``/``.pq`` file.
    case, touchpoint : str
        Column names of the case id and of the touchpoint (activity). Required with
        ``to='journeys'``.
    timestamp : str, optional
        Column name of the event time (see :meth:`Journeys.from_events` for accepted
        texts; ``time_format=`` goes in ``options``).
    format : {None, 'csv', 'parquet'}
        The file format; ``None`` infers it from the suffix.
    to : {'journeys', 'table'}
        ``'journeys'``: :meth:`Journeys.from_events` on the mapped columns; ``'table'``: the
        whole file as a dict of numpy columns.
    engine : {'auto', 'pyarrow', 'pandas', 'polars', 'python'}
        The library that reads the file. ``'auto'``: pyarrow if installed, else pandas, else
        (CSV) the standard-library :mod:`csv` module; Parquet needs pyarrow or polars.
    delimiter : str, optional
        CSV field separator; ``','`` (``'\\t'`` for ``.tsv``) by default.
    encoding : str
        Text encoding of a CSV file.
    text_columns : sequence of str
        CSV columns to keep as text even when every value looks like a number (ids with
        leading zeros, codes).
    **options
        Passed to :meth:`Journeys.from_events` (``channel=``, ``outcome=``, ``success=``,
        ``value=``, ``time_format=``, ``strict=`` …) with ``to='journeys'``.

    Returns
    -------
    Journeys or dict of str to numpy.ndarray

    Raises
    ------
    CxpathError
        A missing file, an unknown suffix without ``format``, a mapped column that the
        file does not have, bad options.
    MissingExtraError
        A Parquet file without pyarrow or polars (extra ``arrow``), or an ``engine`` that is
        not installed.

    Notes
    -----
    A header that repeats a name gets ``.1``, ``.2`` … appended to the later copies (as
    pandas does). CSV cells are typed the same way by every engine: each column is read as text, an
    empty cell is missing (``None``), and a column whose present cells all read as integers
    becomes int64 (float64 with NaN when some are missing), all as numbers float64;
    anything else stays text (object array). Dates stay text and are parsed by
    :meth:`Journeys.from_events`. Parquet columns keep their stored types (timestamps as
    ``datetime64`` in UTC, integers with nulls as float64 with NaN).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from cxpath.io import read_events
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "log.csv"
    >>> _ = path.write_text("ticket,step,at,cost\\n"
    ...                     "T1,open,2024-01-02T09:00:00Z,1.5\\n"
    ...                     "T1,close,2024-01-02T10:00:00Z,2\\n"
    ...                     "T2,open,2024-01-03T09:00:00Z,\\n")
    >>> j = read_events(path, case="ticket", touchpoint="step", timestamp="at")
    >>> j.n_cases, j.n_events
    (2, 3)
    >>> read_events(path, to="table")["cost"]
    array([1.5, 2. , nan])
    """
    v.check_option(to, "to", _FUNC, ("journeys", "table"))
    v.check_option(engine, "engine", _FUNC, _ENGINES)
    if format is not None:
        v.check_option(format, "format", _FUNC, ("csv", "parquet"))
    if delimiter is not None and (not isinstance(delimiter, str) or len(delimiter) != 1):
        v.fail("delimiter", _FUNC, "a single character", delimiter)
    if not isinstance(encoding, str):
        v.fail("encoding", _FUNC, "the name of a text encoding", encoding, wrong_type=True)
    try:
        if not getattr(codecs.lookup(encoding), "_is_text_encoding", True):  # e.g. 'base64'
            raise LookupError(encoding)
    except (LookupError, ValueError):  # ValueError: a NUL character in the name
        v.fail("encoding", _FUNC, "the name of a text encoding Python knows (e.g. 'utf-8', "
               "'cp1252', 'latin-1')", encoding)
    if isinstance(text_columns, str):
        text_columns = (text_columns,)
    try:
        text_columns = frozenset(text_columns)
    except TypeError:
        v.fail("text_columns", _FUNC, "a sequence of column names", text_columns)
    if to == "table" and options:
        v.fail("to", _FUNC, "'journeys' when Journeys.from_events options are given",
               got=f"'table' with options {sorted(options)}")
    p = check_path(path, _FUNC, () if format else tuple(_FORMATS), "a CSV or Parquet file")
    if format is None:
        format = next(f for s, f in _FORMATS.items() if p.name.lower().endswith(s))
    if delimiter is None:
        delimiter = "\t" if p.name.lower().endswith((".tsv", ".tsv.gz")) else ","
    if format == "parquet":
        table = _read_parquet(p, engine)
    else:
        table = _read_csv(p, engine, delimiter, encoding, text_columns)
    if to == "table":
        return table
    mapping = {"case": case, "touchpoint": touchpoint, "timestamp": timestamp}
    for name, spec in mapping.items():
        if spec is None and name == "timestamp":
            continue
        if not isinstance(spec, str):
            v.fail(name, _FUNC, "a column name of the file", spec)
        if spec not in table:
            v.fail_unknown_column(name, _FUNC, spec, list(table), "of the file")
    for name, spec in options.items():
        if name in ("channel", "outcome", "value") and isinstance(spec, str) and \
                spec not in table:
            v.fail_unknown_column(name, _FUNC, spec, list(table), "of the file")
    auto = {k: s for k, s in mapping.items() if s is not None}
    return to_journeys(table, auto, options)


def _have(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _choose(engine: str, candidates: tuple[str, ...], what: str) -> str:
    if engine == "auto":
        for name in candidates:
            if name == "python" or _have(name):
                return name
        raise MissingExtraError(
            f"Reading {what} needs the optional dependency 'pyarrow' (or polars), which is "
            "not installed. Install it with: pip install 'cxpath[arrow]'")
    if engine not in candidates:
        v.fail("engine", _FUNC, f"one of {', '.join(repr(c) for c in candidates)} for {what}",
               engine)
    if engine != "python":
        require(engine, f"io.read_events(engine={engine!r})")
    return engine


# --- Parquet -------------------------------------------------------------------------------

def _read_parquet(path, engine: str) -> dict:
    engine = _choose(engine, ("pyarrow", "polars"), "a Parquet file")
    if engine == "pyarrow":
        pq = require("pyarrow.parquet", "Reading a Parquet file")
        data = pq.read_table(path)
        names = list(data.column_names)
    else:
        pl = require("polars", "Reading a Parquet file")
        data = pl.read_parquet(path)
        names = list(data.columns)
    return {name: _typed(column(data, name, name, _FUNC)) for name in names}


def _typed(arr: np.ndarray) -> np.ndarray:
    """Datetimes at microsecond precision; everything else as the frame reader returns it."""
    if arr.dtype.kind == "M":
        return arr.astype("datetime64[us]")
    return arr


# --- CSV -----------------------------------------------------------------------------------

def _open_text(path, encoding):
    with open(path, "rb") as probe:
        gz = probe.read(2) == b"\x1f\x8b"
    raw = gzip.open(path, "rb") if gz else open(path, "rb")  # noqa: SIM115 (closed by wrapper)
    return io.TextIOWrapper(raw, encoding=encoding, newline="")


def _header(path, delimiter, encoding) -> list[str]:
    with _open_text(path, encoding) as f:
        try:
            return next(csv.reader(f, delimiter=delimiter))
        except StopIteration:
            v.fail("path", _FUNC, "a CSV file with a header row", got=f"{str(path)!r}, "
                   "which is empty", data=True)
        except UnicodeDecodeError as exc:
            v.fail("encoding", _FUNC, "the encoding of the file", encoding,
                   got=f"{encoding!r} ({exc.reason})")


def _read_csv(path, engine, delimiter, encoding, text_columns) -> dict:
    engine = _choose(engine, ("pyarrow", "pandas", "python"), "a CSV file")
    names = _distinct_names(_header(path, delimiter, encoding))
    try:
        if engine == "pyarrow":
            texts = _csv_pyarrow(path, names, delimiter, encoding)
        elif engine == "pandas":
            texts = _csv_pandas(path, names, delimiter, encoding)
        else:
            texts = _csv_python(path, names, delimiter, encoding)
    except CxpathError:
        raise
    except (ValueError, UnicodeDecodeError) as exc:
        v.fail("path", _FUNC, "a readable CSV file", got=f"{str(path)!r}: {exc}", data=True)
    return {name: (col if name in text_columns else _infer(col))
            for name, col in texts.items()}


def _distinct_names(names: list[str]) -> list[str]:
    """A repeated header gets ``.1``, ``.2`` … appended, as pandas does."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        new = name
        while new in seen:
            seen[name] += 1
            new = f"{name}.{seen[name]}"
        seen.setdefault(new, 0)
        out.append(new)
    return out


def _csv_pyarrow(path, names, delimiter, encoding):
    pa = require("pyarrow", "Reading a CSV file with pyarrow")
    pcsv = require("pyarrow.csv", "Reading a CSV file with pyarrow")
    with open(path, "rb") as probe:
        gz = probe.read(2) == b"\x1f\x8b"
    with (gzip.open(path, "rb") if gz else open(path, "rb")) as raw:
        data = raw.read()
    if encoding.lower().replace("-", "") not in ("utf8",):
        data = data.decode(encoding).encode("utf-8")
    table = pcsv.read_csv(
        pa.py_buffer(data),
        read_options=pcsv.ReadOptions(column_names=names, skip_rows=1),
        parse_options=pcsv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
        convert_options=pcsv.ConvertOptions(
            column_types={n: pa.string() for n in names}, strings_can_be_null=True,
            null_values=[""], quoted_strings_can_be_null=True))
    return {n: np.asarray(table.column(i).to_numpy(zero_copy_only=False), dtype=object)
            for i, n in enumerate(table.column_names)}


def _csv_pandas(path, names, delimiter, encoding):
    pd = require("pandas", "Reading a CSV file with pandas")
    with _open_text(path, encoding) as f:
        frame = pd.read_csv(f, sep=delimiter, dtype=str, keep_default_na=False,
                            na_values=[""], engine="c", header=0, names=names)
    return {n: frame.iloc[:, i].to_numpy(dtype=object, na_value=None)
            for i, n in enumerate(names)}


def _csv_python(path, names, delimiter, encoding):
    with _open_text(path, encoding) as f:
        reader = csv.reader(f, delimiter=delimiter)
        next(reader)
        rows = list(reader)
    width = len(names)
    for i, row in enumerate(rows):
        if len(row) != width:
            v.fail("path", _FUNC, f"a CSV file with {width} fields in every row",
                   got=f"{len(row)} fields in data row {i + 1}", data=True)
    cols = list(zip(*rows)) if rows else [() for _ in names]
    return {n: np.array([x if x != "" else None for x in col] + [None],
                        dtype=object)[:-1] for n, col in zip(names, cols)}


def _infer(col: np.ndarray) -> np.ndarray:
    """Integers, numbers or text (see :func:`read_events` notes)."""
    present = np.array([x is not None for x in col.tolist()], dtype=bool)
    texts = col[present].tolist()
    if not texts:
        return col
    try:
        arr = np.array(texts)
        if not np.char.isdigit(np.char.lstrip(arr, "+-")).all():
            raise ValueError
        ints = arr.astype(np.int64)
    except (ValueError, OverflowError):
        ints = None
    if ints is not None:
        if present.all():
            return ints
        out = np.full(len(col), np.nan)
        out[present] = ints
        return out
    try:
        floats = np.array(texts).astype(np.float64)
    except ValueError:
        return col
    out = np.full(len(col), np.nan)
    out[present] = floats
    return out
