"""Typed, columnar event and case attributes of :class:`~cxpath.journeys.Journeys`.

An attribute is one column: a *category* (dictionary-encoded like touchpoints: int64 codes
into sorted ``labels``, -1 where missing), a *number* (float64, NaN where missing) or a
*time* (float64 seconds since 1970-01-01 UTC, NaN where missing). Only the columns a caller
asks for are carried, so memory stays proportional to them.

Examples
--------
>>> import numpy as np
>>> a = encode_attribute(np.array(["team B", None, "team A"], dtype=object), "team", "f")
>>> a.kind, a.labels, a.values.tolist(), a.decoded().tolist()
('category', ('team A', 'team B'), [1, -1, 0], ['team B', None, 'team A'])
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from .. import _validate as v
from ._encode import factorize, to_epoch_seconds

if TYPE_CHECKING:
    from .._typing import ArrayLike

__all__ = ["Attribute", "encode_attribute", "case_attribute"]

KINDS = ("category", "number", "time")


def _ro(x: ArrayLike) -> np.ndarray:
    x = np.ascontiguousarray(v.array(x, "values", "journeys.Attribute"))
    x.setflags(write=False)
    return x


@attrs.frozen(repr=False, eq=False)
class Attribute:
    """One attribute column.

    Attributes
    ----------
    values : ndarray
        int64 codes into ``labels`` (-1: missing) for a category; float64 (NaN: missing)
        for a number or a time (seconds since 1970-01-01 UTC).
    labels : tuple of str, or None
        Category labels (sorted); None for numbers and times.
    kind : {'category', 'number', 'time'}
    """

    values: np.ndarray = attrs.field(converter=_ro)
    labels: tuple | None = None
    kind: str = "category"

    def __reduce__(self):
        """Pickle through the constructor, so the unpickled values stay read-only."""
        return (Attribute, (np.array(self.values), self.labels, self.kind))

    def __attrs_post_init__(self):
        v.check_option(self.kind, "kind", "journeys.Attribute", KINDS)
        if self.labels is not None:
            if isinstance(self.labels, (str, bytes)) or v.ndim(self.labels) != 1:
                v.fail("labels", "journeys.Attribute", "None or a sequence of labels",
                       self.labels, wrong_type=True)
            object.__setattr__(self, "labels", tuple(str(x) for x in self.labels))
        if self.kind == "category":
            if self.labels is None or self.values.dtype != np.int64:
                v.fail("values", "journeys.Attribute", "int64 codes with labels for a category",
                       got=f"dtype {self.values.dtype}, labels {self.labels!r}")
            if len(self.values) and (self.values.min() < -1
                                     or self.values.max() >= len(self.labels)):
                v.fail("values", "journeys.Attribute",
                       f"codes in [-1, {len(self.labels) - 1}]",
                       got=f"[{self.values.min()}, {self.values.max()}]", data=True)
        elif self.values.dtype != np.float64 or self.labels is not None:
            v.fail("values", "journeys.Attribute", f"float64 without labels for a {self.kind}",
                   got=f"dtype {self.values.dtype}")

    def __len__(self) -> int:
        return len(self.values)

    @property
    def missing(self) -> np.ndarray:
        """Boolean mask of missing entries."""
        return self.values < 0 if self.kind == "category" else np.isnan(self.values)

    def take(self, index: ArrayLike) -> Attribute:
        """The same attribute at positions ``index`` (a mask, integer positions or a slice)."""
        func = "Attribute.take"
        if isinstance(index, slice):
            return Attribute(self.values[index], self.labels, self.kind)
        arr = v.array(index, "index", func)
        n = len(self.values)
        if arr.dtype == np.bool_:
            if arr.shape != (n,):
                v.fail("index", func, f"a boolean mask of length {n}",
                       got=f"shape {arr.shape}")
        elif arr.dtype.kind in "iu" and arr.ndim == 1:
            if len(arr) and (arr.min() < -n or arr.max() >= n):
                v.fail("index", func, f"positions in [{-n}, {n - 1}]",
                       got=f"values in [{arr.min()}, {arr.max()}]")
        else:
            v.fail("index", func, "a boolean mask or a 1-D array of integer positions",
                   got=f"dtype {arr.dtype}, shape {arr.shape}", wrong_type=True)
        return Attribute(self.values[arr], self.labels, self.kind)

    def decoded(self) -> np.ndarray:
        """Values as users see them: labels (None when missing), numbers, or datetime64[us]."""
        if self.kind == "category":
            table = np.array([*self.labels, None], dtype=object)
            return table[self.values]
        if self.kind == "time":
            return np.where(np.isnan(self.values), np.datetime64("NaT", "us"),
                            (np.nan_to_num(self.values) * 1e6).round().astype(np.int64)
                            .astype("datetime64[us]"))
        return self.values

    def equals(self, other: Any) -> bool:
        """True for the same kind, labels and values (NaN equal to NaN)."""
        return (isinstance(other, Attribute) and self.kind == other.kind
                and self.labels == other.labels
                and np.array_equal(self.values, other.values,
                                   equal_nan=self.kind != "category"))

    def __repr__(self) -> str:
        extra = f", {len(self.labels)} labels" if self.labels is not None else ""
        return f"Attribute({self.kind}, {len(self):,} values{extra})"


def encode_attribute(raw: np.ndarray, name: str, func: str) -> Attribute:
    """Encode a raw column: numbers stay numbers, datetimes become times, the rest categories.

    Booleans and strings are categories (booleans with labels ``'False'``/``'True'``).
    """
    kind = raw.dtype.kind
    if kind in "iuf":
        return Attribute(raw.astype(np.float64), None, "number")
    if kind == "M":
        secs = to_epoch_seconds(raw, None, name, func)[0]
        return Attribute(secs, None, "time")
    if kind == "b":
        return Attribute(raw.astype(np.int64), ("False", "True"), "category")
    if kind == "O" and len(raw):
        numeric = _object_numbers(raw)
        if numeric is not None:
            return Attribute(numeric, None, "number")
    codes, uniques = factorize(raw, name, func, blank_missing=True)
    return Attribute(codes, tuple(str(x) for x in uniques.tolist()), "category")


def _is_number(x) -> bool:
    return isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(
        x, (bool, np.bool_))


def _object_numbers(raw: np.ndarray):
    """Float array when every present entry of an object column is a real number (not bool).

    Decided on the first present entry, so a column of strings costs no pass in Python.
    """
    first = next((x for x in raw if x is not None and x == x), None)
    if first is None or not _is_number(first):
        return None
    values = raw.tolist()
    if not all(x is None or _is_number(x) for x in values):
        return None
    return np.array([np.nan if x is None else x for x in values], dtype=np.float64)


def case_attribute(attr: Attribute, starts: np.ndarray, source_rows: np.ndarray, name: str,
                   func: str) -> Attribute:
    """Collapse an event-level column to one value per case (segments start at ``starts``).

    A case attribute is constant within a case: rows where it is missing are ignored, and
    two different present values in one case are a :class:`~cxpath.errors.DataError` naming
    the input rows (``source_rows`` maps positions to input rows).
    """
    vals = attr.values
    n = len(vals)
    missing = attr.missing
    # the first present value of each case (or missing)
    pos = np.arange(n)
    first = np.minimum.reduceat(np.where(missing, n, pos), starts) if n else starts
    have = first < n
    first_val = np.where(have, vals[np.minimum(first, max(n - 1, 0))],
                         -1 if attr.kind == "category" else np.nan)
    case_of = np.repeat(np.arange(len(starts)), np.diff(np.append(starts, n)))
    conflict = ~missing & (vals != first_val[case_of])
    if conflict.any():
        i = int(np.argmax(conflict))
        j = int(first[case_of[i]])
        shown = attr.decoded()
        v.fail(name, func, "constant within each case (a case attribute)",
               got=f"{shown[j]!r} at input row {int(source_rows[j])} and {shown[i]!r} at "
                   f"input row {int(source_rows[i])} in the same case; "
                   f"{int(conflict.sum())} conflicting row(s) in all", data=True)
    if attr.kind == "category":
        first_val = first_val.astype(np.int64)
    return Attribute(first_val, attr.labels, attr.kind)
