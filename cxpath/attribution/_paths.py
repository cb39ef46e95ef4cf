"""The one input every attribution model reads: weighted paths with outcomes and value."""

from __future__ import annotations

import math
import numbers

import attrs
import numpy as np

from .. import _validate as v
from .._frames import column, frame_kind
from .._warnings import warn
from ..errors import CxpathError, CxpathWarning
from ..journeys import Journeys, JourneyStats

__all__ = ["AttributionPaths", "check_seed", "prepare"]

MAX_COUNT = 2 ** 53  # counts above this are not exact in the float64 weights


@attrs.frozen(eq=False)
class AttributionPaths:
    """Paths in CSR layout with per-path converting and non-converting weights.

    ``conversions[i]``, ``nulls[i]`` and ``value[i]`` belong to path ``i``
    (``codes[offsets[i]:offsets[i + 1]]``, codes into ``channels``). Paths left empty (no
    touch, or only excluded touches) are not among them: their conversions and value are
    counted in ``unattributed_conversions`` and ``unattributed_value``. Converting journeys
    whose value is missing keep their conversions and get value 0; their conversions are
    counted in ``missing_value_conversions``.
    """

    codes: np.ndarray
    offsets: np.ndarray
    channels: tuple
    conversions: np.ndarray
    nulls: np.ndarray
    value: np.ndarray
    has_value: bool
    times: np.ndarray | None
    end_time: np.ndarray | None
    unattributed_conversions: float
    unattributed_value: float
    missing_value_conversions: float = 0.0

    @property
    def n_channels(self) -> int:
        return len(self.channels)

    @property
    def total_conversions(self) -> float:
        """Conversions on paths with at least one touch."""
        return float(self.conversions.sum())

    @property
    def total_value(self) -> float:
        return float(self.value.sum())

    def resampled(self, rng: np.random.Generator) -> AttributionPaths:
        """The same paths with weights of a bootstrap resample of the journeys.

        Drawing ``N`` journeys with replacement is one multinomial draw over the
        (path, outcome) cells; a cell's value scales with its new conversion count.
        """
        cells = np.concatenate([self.conversions, self.nulls])
        total = round(cells.sum())
        counts = rng.multinomial(total, cells / cells.sum()).astype(np.float64)
        n = len(self.conversions)
        conv = counts[:n]
        per_conversion = np.divide(self.value, self.conversions,
                                   out=np.zeros(n), where=self.conversions > 0)
        return attrs.evolve(self, conversions=conv, nulls=counts[n:],
                            value=conv * per_conversion)


def _as_float(x) -> np.ndarray:
    return np.ascontiguousarray(x, dtype=np.float64)


def _from_journeys(j: Journeys, by: str, func: str, value_missing=None):
    if j.outcome is None:
        v.fail("data", func, "journeys with outcomes (Journeys.from_events(..., outcome= or "
               "success=), or from_paths with conversions)", got="journeys without outcomes")
    w = j.case_weights.astype(np.float64)
    ok = j.outcome
    conv, null = w * ok, w * ~ok
    missing = np.zeros(len(w), dtype=bool)
    if j.value is not None:
        missing = ok & (np.isnan(j.value) if value_missing is None else value_missing)
        value = np.where(ok & ~missing, j.value, 0.0)
    else:
        value = np.zeros(len(w))
    if by == "channel":
        if j.channels is None:
            v.fail("by", func, "'touchpoint' for journeys built without a channel column",
                   "channel")
        unknown = np.flatnonzero(j.channels < 0)
        if len(unknown):
            v.fail("data", func, "a channel on every event when by='channel' (fill missing "
                   "channels with Journeys.from_events(..., fill={'channel': 'unknown'}))",
                   got=f"{len(unknown)} events without one (first at event {unknown[0]})",
                   data=True)
        codes, labels = j.channels, j.channel_vocab
    else:
        codes, labels = j.codes, j.vocab
    end_time = None
    if j.times is not None:
        end_time = j.times[np.maximum(j.offsets[1:] - 1, 0)] if j.n_events else np.zeros(len(w))
    return (codes, j.offsets, labels, conv, null, value, j.value is not None, j.times,
            end_time, float(conv[missing].sum()))


def _from_stats(s: JourneyStats, by: str, func: str):
    if by != "touchpoint":
        v.fail("by", func, "'touchpoint' for JourneyStats (they count touchpoints)", by)
    conv = s.variant_success.astype(np.float64)
    null = (s.variant_counts - s.variant_success).astype(np.float64)
    value = np.asarray(s.variant_value, dtype=np.float64)
    # a path whose summed value is NaN had a journey without value: all its conversions
    # count as missing (the statistics keep no finer record)
    missing = np.isnan(value) & (conv > 0) if s.has_value else np.zeros(len(conv), bool)
    value = np.where(np.isnan(value), 0.0, value)
    return (s.variant_codes, s.variant_offsets, s.vocab, conv, null, value, s.has_value, None,
            None, float(conv[missing].sum()))


def _shown_values(raw: np.ndarray, limit: int = 6) -> str:
    """The distinct values of a column in order of appearance, e.g. ``'1, -1'``."""
    seen = list(dict.fromkeys(repr(x) for x in raw.tolist()))
    return ", ".join(seen[:limit]) + (", ..." if len(seen) > limit else "")


def _is_count(x) -> bool:
    if isinstance(x, (bool, np.bool_)):
        return True
    if isinstance(x, numbers.Integral):
        return 0 <= x <= MAX_COUNT
    if isinstance(x, numbers.Real):
        return math.isfinite(x) and x == round(x) and 0 <= x <= MAX_COUNT
    return False


def _counts(raw, name: str, func: str):
    """A column of journey counts (whole numbers >= 0 or booleans) as int64."""
    if raw is None:
        return None
    kind = raw.dtype.kind
    if kind == "b":
        return raw.astype(np.int64)
    if kind in "iuf":
        with np.errstate(invalid="ignore"):
            bad = (raw < 0) | (raw > MAX_COUNT)
            if kind == "f":
                bad |= ~np.isfinite(raw) | (raw != np.round(raw))
    elif kind == "O":
        bad = np.array([not _is_count(x) for x in raw.tolist()], dtype=bool)
    else:
        v.fail(name, func, "counts of journeys: whole numbers >= 0 (or booleans)",
               got=f"an array of dtype {raw.dtype} (values {_shown_values(raw)})", data=True)
    if bad.any():
        i = int(np.argmax(bad))
        v.fail(name, func, "counts of journeys: whole numbers >= 0 (or booleans)",
               got=f"the values {_shown_values(raw)} ({raw.tolist()[i]!r} at row {i})",
               data=True)
    return np.array(raw.tolist(), dtype=np.float64).astype(np.int64)


def _from_table(data, func, path, conversions, nulls, value, sep):
    """Journeys of an aggregated path table, and which of its rows have a missing value."""
    if path is None:
        v.fail("path", func, "the column of path strings when 'data' is a table", None)
    if conversions is None:
        v.fail("conversions", func, "the column of conversion counts when 'data' is a table",
               None)
    if not isinstance(sep, str) or not sep:
        v.fail("sep", func, "a non-empty string", sep, wrong_type=not isinstance(sep, str))
    paths = column(data, path, "path", func)
    conv = _counts(column(data, conversions, "conversions", func), "conversions", func)
    null = _counts(column(data, nulls, "nulls", func), "nulls", func)
    val = column(data, value, "value", func)
    if val is not None:
        val = v.as_float_array(val, "value", func, allow_nan=True, min_size=0)
    v.check_same_length(func, path=paths, conversions=conv, nulls=null, value=val)
    for i, x in enumerate(paths.tolist()):
        if not isinstance(x, str):
            v.fail("path", func, "path strings", got=f"{x!r} at row {i}", data=True)
    missing = None if val is None else np.isnan(val)
    try:
        j = Journeys.from_paths(paths, conv, null, None if val is None else
                                np.where(missing, 0.0, val), sep=sep)
    except CxpathError as err:  # what only from_paths checks, said in the caller's name
        text = str(err).replace("'paths' parameter of Journeys.from_paths",
                                f"'path' parameter of {func}")
        raise type(err)(text.replace("Journeys.from_paths", func)) from None
    return j, None if missing is None else missing[j.case_ids]


def check_seed(seed, func: str) -> np.random.Generator:
    """``seed`` (None, an integer >= 0 or a Generator) as a Generator."""
    return v.check_seed(seed, "seed", func)


def _check_exclude(exclude, func: str):
    if exclude is None or isinstance(exclude, str):
        return exclude
    try:
        items = list(exclude)
    except TypeError:
        items = None
    if isinstance(exclude, (bytes, dict)) or items is None or not all(
            isinstance(x, str) for x in items):
        v.fail("exclude", func, "a label or a sequence of labels", exclude, wrong_type=True)
    return items


def prepare(data, func: str, *, by: str = "touchpoint", exclude=None, path=None,
            conversions=None, nulls=None, value=None, sep: str = ">",
            use_value: bool = True) -> AttributionPaths:
    """Read ``Journeys``, ``JourneyStats`` or an aggregated path table into paths.

    Converting journeys without a value keep their conversions and get value 0, with one
    :class:`~cxpath.errors.CxpathWarning`; when no converting journey has a value the call
    is refused (:class:`~cxpath.errors.DataError`). ``use_value=False`` (a caller that
    reads no value) skips that check.
    """
    if not isinstance(by, str):
        v.fail("by", func, "one of 'touchpoint', 'channel'", by, wrong_type=True)
    by = v.check_option(by, "by", func, ("touchpoint", "channel"))
    exclude = _check_exclude(exclude, func)
    table_missing = None
    if not isinstance(data, (Journeys, JourneyStats)):
        if frame_kind(data) in ("none", "unknown"):
            v.fail("data", func, "Journeys, JourneyStats or a table of aggregated paths",
                   got=f"an object of type {type(data).__name__}", wrong_type=True)
        data, table_missing = _from_table(data, func, path, conversions, nulls, value, sep)
    else:
        for name, given in (("path", path), ("conversions", conversions), ("nulls", nulls),
                            ("value", value)):
            if given is not None:
                v.fail(name, func, "None unless 'data' is a table of aggregated paths", given)
    parts = _from_journeys(data, by, func, table_missing) if isinstance(data, Journeys) \
        else _from_stats(data, by, func)
    codes, offsets, labels, conv, null, val, has_value, times, end_time, missing_conv = parts
    if missing_conv and use_value:
        _report_missing_value(missing_conv, float(conv.sum()), func)
    codes = np.asarray(codes, dtype=np.int64)
    labels = tuple(labels)
    if exclude is not None:
        exclude = [exclude] if isinstance(exclude, str) else list(exclude)
        missing = [x for x in exclude if x not in labels]
        if missing:
            v.fail("exclude", func, f"labels of the {by}s (one of {', '.join(labels[:12])})",
                   missing[0])
        drop = np.isin(np.arange(len(labels)), [labels.index(x) for x in exclude])
        keep_event = ~drop[codes]
        kept_before = np.concatenate(([0], np.cumsum(keep_event)))
        offsets = kept_before[offsets]
        codes = codes[keep_event]
        times = None if times is None else times[keep_event]
        remap = np.cumsum(~drop) - 1
        codes = remap[codes]
        labels = tuple(x for x, d in zip(labels, drop) if not d)
    offsets = np.asarray(offsets, dtype=np.int64)
    nonempty = np.diff(offsets) > 0
    lost_conv = float(conv[~nonempty].sum())
    lost_value = float(val[~nonempty].sum())
    if not nonempty.all():
        lengths = np.diff(offsets)[nonempty]
        offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
        conv, null, val = conv[nonempty], null[nonempty], val[nonempty]
        end_time = None if end_time is None else end_time[nonempty]
    if not (conv.sum() + null.sum()) > 0:
        n_left = int(nonempty.sum())
        v.fail("data", func, "journeys of which at least one has a touch and a weight above 0"
               + (" once 'exclude' is applied" if exclude else ""),
               got=f"{n_left:,} journeys with touches, all of weight 0" if n_left else
               "no journey with a touch", data=True)
    return AttributionPaths(
        codes=np.ascontiguousarray(codes), offsets=offsets, channels=labels,
        conversions=_as_float(conv), nulls=_as_float(null), value=_as_float(val),
        has_value=bool(has_value), times=None if times is None else _as_float(times),
        end_time=None if end_time is None else _as_float(end_time),
        unattributed_conversions=lost_conv, unattributed_value=lost_value,
        missing_value_conversions=missing_conv)


def _report_missing_value(missing: float, total: float, func: str) -> None:
    """Refuse journeys whose converting value is all missing; warn when some of it is."""
    if missing >= total:
        v.fail("data", func, "journeys with a value on at least one converting journey "
               "(leave out value= to attribute conversions only)",
               got=f"no value on any of the {total:,.6g} conversions", data=True)
    warn(f"{func}: {missing:,.6g} of {total:,.6g} conversions are on journeys "
         "without a value (all their value rows are missing); they are credited in "
         "the conversions but left out of the value credit and total_value, and "
         "counted in missing_value_conversions.", CxpathWarning, stacklevel=4)
