"""The one input every attribution model reads: weighted paths with outcomes and value."""

from __future__ import annotations

import attrs
import numpy as np

from .. import _validate as v
from .._frames import column, frame_kind
from ..journeys import Journeys, JourneyStats

__all__ = ["AttributionPaths", "prepare"]


@attrs.frozen(eq=False)
class AttributionPaths:
    """Paths in CSR layout with per-path converting and non-converting weights.

    ``conversions[i]``, ``nulls[i]`` and ``value[i]`` belong to path ``i``
    (``codes[offsets[i]:offsets[i + 1]]``, codes into ``channels``). Paths left empty (no
    touch, or only excluded touches) are not among them: their conversions and value are
    counted in ``unattributed_conversions`` and ``unattributed_value``.
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


def _from_journeys(j: Journeys, by: str, func: str):
    if j.outcome is None:
        v.fail("data", func, "journeys with outcomes (Journeys.from_events(..., outcome= or "
               "success=), or from_paths with conversions)", got="journeys without outcomes")
    w = j.case_weights.astype(np.float64)
    ok = j.outcome
    conv, null = w * ok, w * ~ok
    value = j.value * ok if j.value is not None else np.zeros(len(w))
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
            end_time)


def _from_stats(s: JourneyStats, by: str, func: str):
    if by != "touchpoint":
        v.fail("by", func, "'touchpoint' for JourneyStats (they count touchpoints)", by)
    conv = s.variant_success.astype(np.float64)
    null = (s.variant_counts - s.variant_success).astype(np.float64)
    return (s.variant_codes, s.variant_offsets, s.vocab, conv, null, s.variant_value,
            s.has_value, None, None)


def _from_table(data, func, path, conversions, nulls, value, sep):
    if path is None:
        v.fail("path", func, "the column of path strings when 'data' is a table", None)
    args = [column(data, spec, name, func) for spec, name in (
        (path, "path"), (conversions, "conversions"), (nulls, "nulls"), (value, "value"))]
    if args[1] is None:
        v.fail("conversions", func, "the column of conversion counts when 'data' is a table",
               None)
    return Journeys.from_paths(*args, sep=sep)


def prepare(data, func: str, *, by: str = "touchpoint", exclude=None, path=None,
            conversions=None, nulls=None, value=None, sep: str = ">") -> AttributionPaths:
    """Read ``Journeys``, ``JourneyStats`` or an aggregated path table into paths."""
    by = v.check_option(by, "by", func, ("touchpoint", "channel"))
    if not isinstance(data, (Journeys, JourneyStats)):
        if frame_kind(data) in ("none", "unknown"):
            v.fail("data", func, "Journeys, JourneyStats or a table of aggregated paths",
                   got=f"an object of type {type(data).__name__}")
        data = _from_table(data, func, path, conversions, nulls, value, sep)
    elif path is not None:
        v.fail("path", func, "None unless 'data' is a table of aggregated paths", path)
    parts = _from_journeys(data, by, func) if isinstance(data, Journeys) else \
        _from_stats(data, by, func)
    codes, offsets, labels, conv, null, val, has_value, times, end_time = parts
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
    return AttributionPaths(
        codes=np.ascontiguousarray(codes), offsets=offsets, channels=labels,
        conversions=_as_float(conv), nulls=_as_float(null), value=_as_float(val),
        has_value=bool(has_value), times=None if times is None else _as_float(times),
        end_time=None if end_time is None else _as_float(end_time),
        unattributed_conversions=lost_conv, unattributed_value=lost_value)
