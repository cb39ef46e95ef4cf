"""Column access for pandas / polars / pyarrow / dict inputs, and building output frames.

cxpath depends on no dataframe library: it recognises one by the module its type comes from
and only imports that library when the caller's data is already of its type.

Every backend type maps to its plain numpy equivalent: nullable integers and floats to
float64 with NaN for missing (int64 when nothing is missing), nullable booleans to an object
array of True/False/None (plain bool when nothing is missing), dates to ``datetime64[D]``
(or ``[ms]`` for arrow ``date64``), time-zone aware times to UTC ``datetime64``, strings and
categories to object arrays with None for missing. Strings from arrow and polars are read
through a dictionary encoding, so equal values share one Python object (see
:func:`dictionary_codes`); mostly distinct string columns (time stamps) are read directly.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping

import numpy as np

from . import _validate as v
from ._optional import require

__all__ = ["column", "column_zone", "dictionary_codes", "frame_kind", "in_zone",
           "make_frame"]

BACKENDS = ("pandas", "polars", "dict")


def frame_kind(data) -> str:
    """Name the kind of table ``data`` is: 'pandas', 'polars', 'arrow', 'dict' or 'none'."""
    if data is None:
        return "none"
    module = type(data).__module__.split(".")[0]
    if module == "pandas" and hasattr(data, "columns"):
        return "pandas"
    if module == "polars" and hasattr(data, "get_column"):
        return "polars"
    if module == "pyarrow" and hasattr(data, "column_names"):
        return "arrow"
    if isinstance(data, Mapping):
        return "dict"
    return "unknown"


def _column_names(data, kind):
    if kind == "pandas":
        return [str(c) for c in data.columns]
    if kind == "polars":
        return list(data.columns)
    if kind == "arrow":
        return list(data.column_names)
    return [str(k) for k in data]


def _raw_column(data, kind: str, position: int, name: str):
    """The table's own column object: by position for pandas and dicts (whose labels may
    be numbers), by name for polars and arrow (whose names are strings)."""
    if kind == "pandas":
        return data.iloc[:, position]
    if kind == "polars":
        return data.get_column(name)
    if kind == "arrow":
        return data.column(name)
    return data[list(data)[position]]


def column(data, spec, name: str, func: str) -> np.ndarray | None:
    """Return column ``spec`` of ``data`` as a 1-D numpy array.

    ``spec`` is a column name (when ``data`` is a table) or the values themselves.
    Datetimes come back as ``datetime64`` in UTC (time-zone aware input is converted),
    strings and categoricals as object or unicode arrays (see the module notes for the
    other types).
    """
    if spec is None:
        return None
    kind = frame_kind(data)
    if isinstance(spec, (int, np.integer)) and not isinstance(spec, bool) and \
            kind in ("pandas", "polars", "arrow", "dict"):
        spec = str(spec)  # an integer column label (pd.DataFrame(ndarray) has 0, 1, …)
    if not isinstance(spec, str):
        if not hasattr(spec, "__len__") and not hasattr(spec, "__array__"):  # a scalar
            v.fail(name, func, "a column name or a sequence of values (one per row)", spec,
                   wrong_type=True)
        try:
            arr = _from_values(spec)
        except (TypeError, ValueError) as error:  # ragged lists, unreadable objects
            v.fail(name, func, "a sequence of values (one per row)",
                   got=f"values numpy cannot read ({str(error).split('.')[0]})",
                   wrong_type=True)
    else:
        if kind == "none":
            v.fail(name, func, "a sequence of values when no 'data' table is given",
                   got=f"the column name {spec!r}")
        if kind == "unknown":
            v.fail("data", func, "a pandas or polars DataFrame, a pyarrow Table or a dict "
                   "of arrays", got=f"an object of type {type(data).__name__}")
        names = _column_names(data, kind)
        if spec not in names:
            v.fail_unknown_column(name, func, spec, names)
        if names.count(spec) > 1:
            v.fail(name, func, "a column name that appears once in 'data'",
                   got=f"{spec!r}, which {names.count(spec)} columns share", data=True)
        raw = _raw_column(data, kind, names.index(spec), spec)
        reader = {"pandas": _from_pandas, "polars": _from_polars, "arrow": _from_arrow}
        arr = reader.get(kind, _from_values)(raw)
    if arr.ndim != 1:
        v.fail(name, func, "one-dimensional", got=f"an array of shape {arr.shape}", data=True)
    return arr


def column_zone(data, spec) -> str | None:
    """Time zone of a typed time-zone-aware datetime column (pandas, polars, arrow), else None.

    The name is the IANA key where there is one (``'Europe/Berlin'``, ``'UTC'``), else a
    fixed offset as ``'+01:00'`` (which pandas and polars both read); values of an aware
    column are instants, whatever the zone.
    """
    if spec is None:
        return None
    col = spec
    kind = frame_kind(data)
    if isinstance(spec, (int, np.integer)) and not isinstance(spec, bool):
        spec = str(spec)
    if isinstance(spec, str):
        names = _column_names(data, kind) if kind in ("pandas", "polars", "arrow") else []
        if spec not in names:
            return None
        col = _raw_column(data, kind, names.index(spec), spec)
    dtype = getattr(col, "dtype", None)
    tz = getattr(dtype, "tz", None)  # pandas
    if tz is None:
        tz = getattr(dtype, "time_zone", None)  # polars
    if tz is None:
        typ = getattr(col, "type", None)  # arrow
        tz = getattr(typ, "tz", None)
    if tz is None:
        return None
    name = getattr(tz, "key", None) or getattr(tz, "zone", None)  # zoneinfo, pytz
    path = getattr(tz, "_filename", None)  # dateutil's tzfile('/usr/share/zoneinfo/…')
    if name is None and isinstance(path, str) and "zoneinfo/" in path:
        name = path.split("zoneinfo/", 1)[1]
    fixed = tz.utcoffset(None) if name is None and hasattr(tz, "utcoffset") else None
    if fixed is not None:  # a fixed offset, spelled as pandas and polars both read it
        minutes = int(fixed.total_seconds() // 60)
        name = "UTC" if minutes == 0 else \
            f"{'+' if minutes > 0 else '-'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return str(name or tz)


def _from_values(values) -> np.ndarray:
    kind = type(values).__module__.split(".")[0]
    if kind == "pandas":
        return _from_pandas(values)
    if kind == "polars":
        return _from_polars(values)
    if kind == "pyarrow":
        return _from_arrow(values)
    arr = np.asarray(values)
    if arr.dtype.kind == "U" and isinstance(values, (list, tuple)) and \
            not all(isinstance(x, str) for x in values):
        # numpy spells None as 'None' and NaN as 'nan' when strings are mixed in: keep the
        # values as they are, so that missing ones are seen as missing
        arr = np.empty(len(values), dtype=object)
        arr[:] = list(values)
    return arr


def _from_pandas(series) -> np.ndarray:
    dtype = series.dtype
    if type(dtype).__name__ == "ArrowDtype" or getattr(dtype, "storage", None) == "pyarrow":
        return _from_arrow(series.array.__arrow_array__())  # pyarrow-backed: read as arrow
    tz = getattr(dtype, "tz", None)
    if tz is not None:
        series = series.dt.tz_convert("UTC").dt.tz_localize(None)
        return series.to_numpy()
    if getattr(dtype, "name", "") == "category":
        codes = series.cat.codes.to_numpy()
        labels = dtype.categories.to_numpy(dtype=object).tolist()
        return _take_labels(np.where(codes < 0, len(labels), codes), labels)
    numpy_dtype = getattr(dtype, "numpy_dtype", None)  # nullable Int64 / Float64 / boolean
    if numpy_dtype is not None and dtype.kind in "iufb":
        if not series.hasnans:
            return series.to_numpy(dtype=numpy_dtype)
        if dtype.kind == "b":  # True / False / None, as arrow and polars give them
            return series.to_numpy(dtype=object, na_value=None)
        return series.to_numpy(dtype=np.float64, na_value=np.nan)  # <NA> -> NaN
    if dtype.kind in "iufbmM":
        return series.to_numpy()
    if dtype.kind == "O" and isinstance(dtype, np.dtype):
        return series.to_numpy()  # object columns as they are: missing values stay None/NaN
    # string and other extension types: object array with None for missing values
    return series.to_numpy(dtype=object, na_value=None)


def _from_polars(series) -> np.ndarray:
    pl = require("polars", "Reading a polars column")
    dtype = series.dtype
    if isinstance(dtype, pl.Datetime):
        if dtype.time_zone is not None:
            series = series.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
        return series.to_numpy()
    if isinstance(dtype, pl.Enum):
        labels = dtype.categories.to_list()
        return _take_labels(series.to_physical().fill_null(len(labels)).to_numpy(), labels)
    if isinstance(dtype, pl.Categorical):
        series = series.cast(pl.Utf8)
    if series.dtype == pl.Utf8:
        try:
            import pyarrow  # noqa: F401  (the fast route only; polars works without it)
        except ImportError:
            return _dedupe(np.asarray(series.to_list(), dtype=object))
        return _from_arrow(series.to_arrow())
    if series.dtype == pl.Object:
        return np.asarray(series.to_list(), dtype=object)
    return series.to_numpy()


def _from_arrow(col) -> np.ndarray:
    pa = require("pyarrow", "Reading a pyarrow column")
    if isinstance(col, pa.ChunkedArray):
        col = col.combine_chunks() if col.num_chunks != 1 else col.chunk(0)
    typ = col.type
    if pa.types.is_dictionary(typ):
        value_type = typ.value_type
        if _is_arrow_string(pa, value_type):
            return _from_dictionary(pa, col)
        col = col.dictionary_decode()
        typ = col.type
    if pa.types.is_timestamp(typ):
        if typ.tz is not None:
            col = col.cast(pa.timestamp(typ.unit))  # stored values are already UTC
        return col.to_numpy(zero_copy_only=False)
    if _is_arrow_string(pa, typ):
        import pyarrow.compute as pc

        sample = col.slice(0, _SAMPLE)
        if len(sample) > 1024 and len(pc.unique(sample)) > len(sample) // 2:
            return col.to_numpy(zero_copy_only=False)  # mostly distinct (e.g. time stamps)
        return _from_dictionary(pa, pc.dictionary_encode(col))
    return col.to_numpy(zero_copy_only=False)


_SAMPLE = 1 << 16  # rows looked at to tell repeated labels from mostly distinct strings


def _is_arrow_string(pa, typ) -> bool:
    return (pa.types.is_string(typ) or pa.types.is_large_string(typ)
            or getattr(pa.types, "is_string_view", lambda t: False)(typ))


def _from_dictionary(pa, col) -> np.ndarray:
    """Object array from a dictionary-encoded string array: one Python string per distinct
    value, shared by its rows (cheap to build, and cheap to factorize by identity)."""
    import pyarrow.compute as pc

    labels = col.dictionary.to_pylist()
    indices = col.indices
    if indices.null_count:
        indices = pc.fill_null(indices, len(labels))
    return _take_labels(indices.to_numpy(zero_copy_only=False), labels)


def _take_labels(codes: np.ndarray, labels: list) -> np.ndarray:
    """``labels[code]`` per row as an object array, code ``len(labels)`` meaning None.

    The array is registered with its codes and labels (see :func:`dictionary_codes`).
    """
    table = np.empty(len(labels) + 1, dtype=object)
    table[:-1] = labels
    table[-1] = None
    codes = codes.astype(np.intp, copy=False)
    out = table.take(codes)
    _remember(out, codes, table)
    return out


# Arrays that column() built from a dictionary encoding (arrow, polars, pandas categories)
# keep that encoding here, keyed by identity and dropped when the array is freed, so that
# factorising them costs a sort of the few labels rather than a pass over every row.
_ENCODINGS: dict[int, tuple] = {}


def _remember(arr: np.ndarray, codes: np.ndarray, table: np.ndarray) -> None:
    key = id(arr)

    def forget(ref, key=key):
        if _ENCODINGS.get(key, (None,))[0] is ref:  # not a newer array at the same address
            del _ENCODINGS[key]

    _ENCODINGS[key] = (weakref.ref(arr, forget), codes, table)


def dictionary_codes(arr):
    """``(codes, table)`` if ``arr`` is an array :func:`column` built from a dictionary
    encoding, else None: ``arr[i] is table[codes[i]]``; the last entry of ``table`` is None
    (missing). Arrays derived from ``arr`` (slices, copies) are not registered.

    Examples
    --------
    >>> import pyarrow as pa
    >>> arr = column(pa.table({"x": ["b", "a", None, "b"]}), "x", "x", "f")
    >>> codes, table = dictionary_codes(arr)
    >>> codes.tolist(), table.tolist()
    ([0, 1, 2, 0], ['b', 'a', None])
    >>> dictionary_codes(arr[:2]) is None
    True
    """
    entry = _ENCODINGS.get(id(arr))
    if entry is None or entry[0]() is not arr:
        return None
    return entry[1], entry[2]


def _dedupe(values: np.ndarray) -> np.ndarray:
    """The same strings with equal values made one shared object (cheaper to factorize)."""
    table: dict = {}
    setdefault = table.setdefault
    out = np.empty(len(values), dtype=object)
    out[:] = [x if x is None else setdefault(x, x) for x in values.tolist()]
    return out


def make_frame(columns: dict, backend: str = "pandas", *, func: str = "to_frame",
               durations: Mapping[str, float] | None = None,
               zones: Mapping[str, str] | None = None):
    """Build a table from ordered 1-D columns with the requested backend.

    ``backend='dict'`` returns the columns as a plain ``dict`` and needs no extra.
    ``durations`` maps the names of columns holding durations to their seconds per unit
    (1 for seconds, 3600 for hours …): those become ``timedelta64[ns]`` (pandas, dict) or
    ``Duration`` (polars) columns, see :func:`as_timedelta`. ``zones`` maps the names of
    ``datetime64`` columns holding UTC instants to the time zone they are shown in: pandas
    and polars columns aware of that zone (the dict keeps the UTC instants; polars, which
    knows fixed offsets of whole hours only, shows other offsets in UTC).
    """
    v.check_option(backend, "backend", func, BACKENDS)
    if durations:
        columns = {k: as_timedelta(c, durations[k]) if k in durations else c
                   for k, c in columns.items()}
    zones = {k: z for k, z in (zones or {}).items() if z is not None and k in columns}
    if backend == "dict":
        return dict(columns)
    if backend == "pandas":
        pd = require("pandas", f"{func}(backend='pandas')")
        return pd.DataFrame({k: in_zone(c, zones[k]) if k in zones else np.asarray(c)
                             for k, c in columns.items()})
    pl = require("polars", f"{func}(backend='polars')")
    frame = pl.DataFrame({k: _polars_ready(np.asarray(c)) for k, c in columns.items()})
    for k, z in zones.items():
        utc = pl.col(k).dt.replace_time_zone("UTC")
        try:
            frame = frame.with_columns(utc.dt.convert_time_zone(z))
        except pl.exceptions.ComputeError:  # an offset polars has no zone for ('-05:30')
            frame = frame.with_columns(utc)
    return frame


def in_zone(instants, zone: str | None):
    """UTC instants (``datetime64``) as a pandas ``DatetimeIndex`` aware of ``zone``; naive
    as they are when ``zone`` is None."""
    pd = require("pandas", "Dates in a time zone")
    out = pd.DatetimeIndex(np.asarray(instants, dtype="M8[ns]"))
    return out if zone is None else out.tz_localize("UTC").tz_convert(zone)


_NS_MAX = np.iinfo(np.int64).max / 1e9  # the longest duration timedelta64[ns] holds (s)


def as_timedelta(values, seconds_per_unit: float = 1.0) -> np.ndarray:
    """Durations (numbers of ``seconds_per_unit`` seconds) as ``timedelta64[ns]``.

    Rounded to the nearest nanosecond, whole and fractional seconds apart so that whole
    seconds stay exact at any size. Values in other units than seconds are first rounded
    to 15 significant digits, which undoes the last-bit error of converting them
    (``1e9 / 3600 * 3600`` is 119 ns short of 1e9 s). NaN, None, infinities and durations
    beyond the ±292 years ``timedelta64[ns]`` holds become NaT.

    >>> as_timedelta([1800.0, 0.5, float("nan")], 3600.0)
    array([6480000000000000,    1800000000000,                'NaT'],
          dtype='timedelta64[ns]')
    """
    arr = np.asarray(values)
    if arr.dtype.kind == "m":
        return arr.astype("m8[ns]")
    if arr.dtype.kind == "O":
        arr = np.array([np.nan if x is None else x for x in arr.tolist()], dtype=np.float64)
    seconds = arr.astype(np.float64) * float(seconds_per_unit)
    ok = np.isfinite(seconds) & (np.abs(seconds) < _NS_MAX)
    seconds = np.where(ok, seconds, 0.0)
    whole = np.floor(seconds)
    ns = whole.astype(np.int64) * 1_000_000_000 + np.rint((seconds - whole) * 1e9).astype(
        np.int64)
    if seconds_per_unit != 1.0:
        # 15 significant digits: a step of 10**(e - 5) ns for |seconds| in [10**e, 10**e+1)
        with np.errstate(divide="ignore"):
            e = np.floor(np.log10(np.abs(seconds)))
        step = 10 ** np.clip(e - 5, 0, 18).astype(np.int64)
        q, r = np.divmod(np.abs(ns), step)
        ns = np.sign(ns) * (q + (2 * r >= step)) * step
    ns[~ok] = np.iinfo(np.int64).min  # NaT
    return ns.view("m8[ns]")


def _polars_ready(arr: np.ndarray):
    if arr.dtype.kind == "O":
        return arr.tolist()
    return arr
