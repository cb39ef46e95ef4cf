"""Column access for pandas / polars / pyarrow / dict inputs, and building output frames.

cxpath depends on no dataframe library: it recognises one by the module its type comes from
and only imports that library when the caller's data is already of its type.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from . import _validate as v
from ._optional import require

__all__ = ["column", "frame_kind", "make_frame"]

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


def column(data, spec, name: str, func: str) -> np.ndarray | None:
    """Return column ``spec`` of ``data`` as a 1-D numpy array.

    ``spec`` is a column name (when ``data`` is a table) or the values themselves.
    Datetimes come back as ``datetime64`` in UTC (time-zone aware input is converted),
    strings and categoricals as object or unicode arrays.
    """
    if spec is None:
        return None
    kind = frame_kind(data)
    if not isinstance(spec, str):
        arr = _from_values(spec)
    else:
        if kind == "none":
            v.fail(name, func, "a sequence of values when no 'data' table is given",
                   got=f"the column name {spec!r}")
        if kind == "unknown":
            v.fail("data", func, "a pandas or polars DataFrame, a pyarrow Table or a dict "
                   "of arrays", got=f"an object of type {type(data).__name__}")
        names = _column_names(data, kind)
        if spec not in names:
            shown = ", ".join(repr(n) for n in names[:12]) + (", …" if len(names) > 12 else "")
            v.fail(name, func, f"a column of 'data' (one of {shown})", spec)
        if kind == "pandas":
            arr = _from_pandas(data[spec])
        elif kind == "polars":
            arr = _from_polars(data.get_column(spec))
        elif kind == "arrow":
            arr = _from_arrow(data.column(spec))
        else:
            arr = _from_values(data[spec])
    if arr.ndim != 1:
        v.fail(name, func, "one-dimensional", got=f"an array of shape {arr.shape}", data=True)
    return arr


def _from_values(values) -> np.ndarray:
    kind = type(values).__module__.split(".")[0]
    if kind == "pandas":
        return _from_pandas(values)
    if kind == "polars":
        return _from_polars(values)
    if kind == "pyarrow":
        return _from_arrow(values)
    return np.asarray(values)


def _from_pandas(series) -> np.ndarray:
    dtype = series.dtype
    tz = getattr(dtype, "tz", None)
    if tz is not None:
        series = series.dt.tz_convert("UTC").dt.tz_localize(None)
        return series.to_numpy()
    if getattr(dtype, "name", "") == "category":
        return series.astype(object).to_numpy()
    if dtype.kind in "iufb":
        return series.to_numpy()
    if dtype.kind in "MO":
        return series.to_numpy()  # object columns as they are: missing values stay None/NaN
    # string and nullable extension types: object array with None for missing values
    return series.to_numpy(dtype=object, na_value=None)


def _from_polars(series) -> np.ndarray:
    pl = require("polars", "Reading a polars column")
    dtype = series.dtype
    if isinstance(dtype, pl.Datetime):
        if dtype.time_zone is not None:
            series = series.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
        return series.to_numpy()
    if isinstance(dtype, (pl.Categorical, pl.Enum)):
        series = series.cast(pl.Utf8)
    if series.dtype == pl.Utf8 or series.dtype == pl.Object:
        return np.asarray(series.to_list(), dtype=object)
    return series.to_numpy()


def _from_arrow(col) -> np.ndarray:
    pa = require("pyarrow", "Reading a pyarrow column")
    if isinstance(col, pa.ChunkedArray):
        col = col.combine_chunks()
    typ = col.type
    if pa.types.is_dictionary(typ):
        col = col.dictionary_decode()
        typ = col.type
    if pa.types.is_timestamp(typ):
        if typ.tz is not None:
            col = col.cast(pa.timestamp(typ.unit))  # stored values are already UTC
        return col.to_numpy(zero_copy_only=False)
    if pa.types.is_string(typ) or pa.types.is_large_string(typ):
        return np.asarray(col.to_pylist(), dtype=object)
    return col.to_numpy(zero_copy_only=False)


def make_frame(columns: dict, backend: str = "pandas", *, func: str = "to_frame"):
    """Build a table from ordered 1-D columns with the requested backend.

    ``backend='dict'`` returns the columns as a plain ``dict`` and needs no extra.
    """
    v.check_option(backend, "backend", func, BACKENDS)
    if backend == "dict":
        return dict(columns)
    if backend == "pandas":
        pd = require("pandas", f"{func}(backend='pandas')")
        return pd.DataFrame({k: np.asarray(c) for k, c in columns.items()})
    pl = require("polars", f"{func}(backend='polars')")
    return pl.DataFrame({k: _polars_ready(np.asarray(c)) for k, c in columns.items()})


def _polars_ready(arr: np.ndarray):
    if arr.dtype.kind == "O":
        return arr.tolist()
    return arr
