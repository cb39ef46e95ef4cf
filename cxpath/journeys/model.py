"""The central data model: :class:`Journeys`, a columnar, immutable set of customer journeys."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from .. import _validate as v
from .._frames import make_frame
from .._zones import parse_zone, wall_clock
from .attributes import Attribute
from .cleaning import CleaningReport

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl

    from .._typing import ArrayLike, ColumnLike, TableLike

__all__ = ["Journey", "Journeys", "elapsed"]


def _readonly(arr: ArrayLike | None) -> np.ndarray | None:
    if arr is None:
        return None
    arr = np.ascontiguousarray(arr)
    arr.setflags(write=False)
    return arr


def _as(dtype: type, name: str) -> Callable[[ArrayLike | None], np.ndarray | None]:
    """A converter to a read-only 1-D array of ``dtype``; other input gets the library error."""
    def convert(x: ArrayLike | None) -> np.ndarray | None:
        if x is None:
            if name in ("codes", "offsets"):
                v.fail(name, "Journeys", f"a 1-D array of {np.dtype(dtype).name}", x,
                       wrong_type=True)
            return None
        try:
            with np.errstate(invalid="raise", over="raise"):
                arr = np.asarray(x, dtype=dtype) if dtype is not np.bool_ else _bools(x)
        except (TypeError, ValueError, OverflowError, FloatingPointError):
            v.fail(name, "Journeys", f"a 1-D array of {np.dtype(dtype).name}", x,
                   wrong_type=True)
        if arr.ndim != 1:
            v.fail(name, "Journeys", "one-dimensional", got=f"an array of shape {arr.shape}",
                   data=True)
        return _readonly(arr)
    return convert


def _bools(x: ArrayLike) -> np.ndarray:
    """Booleans, or numbers that are all 0 or 1 (never "non-zero is true")."""
    arr = np.asarray(x)
    if arr.dtype == np.bool_:
        return arr
    if arr.dtype.kind not in "iuf" or not np.isin(arr, (0, 1)).all():
        raise TypeError("not booleans")
    return arr.astype(np.bool_)


def _rebuild(cls: type, fields: dict):
    """Unpickle a frozen record through its constructor (converters, validation)."""
    return cls(**fields)


def _seconds_to_datetime(seconds: np.ndarray) -> np.ndarray:
    return np.round(seconds * 1e6).astype(np.int64).astype("datetime64[us]")


def elapsed(later: np.ndarray | float, earlier: np.ndarray | float) -> np.ndarray | float:
    """Seconds from ``earlier`` to ``later``, rounded to the microsecond.

    Times are float64 seconds since 1970, whose resolution there is about 0.24 µs, so a
    plain difference of two millisecond timestamps carries an error of up to ~0.5 µs
    (0.273 s came out as 0.27300024 s on BPI Challenge 2012). Timestamps are given to the
    microsecond at best (datetime64[us], XES, ISO strings), so rounding the difference to
    the microsecond recovers it exactly.

    >>> float(elapsed(np.float64(1325376000.273), np.float64(1325376000.0)))
    0.273
    """
    return np.round((later - earlier) * 1e6) / 1e6


def _labels(x: Iterable[Any], name: str = "vocab") -> tuple:
    if isinstance(x, (str, bytes)) or v.ndim(x) != 1:
        v.fail(name, "Journeys", "a sequence of labels", x, wrong_type=True)
    return tuple(str(s) for s in x)


def _optional_labels(x: Iterable[Any] | None) -> tuple | None:
    return None if x is None else _labels(x, "channel_vocab")


def _case_ids(x: ArrayLike) -> np.ndarray:
    if x is None:
        v.fail("case_ids", "Journeys", "an array of case ids", x, wrong_type=True)
    arr = v.array(x, "case_ids", "Journeys")
    if arr.ndim != 1:
        v.fail("case_ids", "Journeys", "one-dimensional", got=f"an array of shape {arr.shape}",
               data=True)
    return _readonly(arr)


def _attribute_map(mapping: Mapping[str, Attribute] | None) -> dict:
    if mapping is None:
        return {}
    if not isinstance(mapping, dict) or not all(
            isinstance(k, str) and isinstance(a, Attribute) for k, a in mapping.items()):
        v.fail("attributes", "Journeys", "a dict of name -> journeys.Attribute",
               got=type(mapping).__name__)
    return dict(mapping)


@attrs.frozen(repr=False, eq=False)
class Journey:
    """One case of a :class:`Journeys`: its touchpoints in order, times and outcome.

    ``times`` and ``starts`` are ``datetime64`` instants in UTC when the journeys have a
    ``tz`` (also given here; :meth:`local_times` reads them in it), naive wall-clock times
    otherwise.

    Examples
    --------
    >>> from cxpath import Journeys
    >>> j = Journeys.from_events(case=[7, 7], touchpoint=["ivr", "agent"], timestamp=[0, 90],
    ...                          success={"agent"})
    >>> j[0]
    Journey(case=7, 'ivr > agent', success=True, 2 events over 1.5 min)
    """

    case_id: object
    touchpoints: tuple
    times: np.ndarray | None
    channels: tuple | None
    outcome: bool | None
    value: float | None
    weight: int
    starts: np.ndarray | None = None
    event_attributes: dict = attrs.field(factory=dict)
    case_attributes: dict = attrs.field(factory=dict)
    tz: str | None = None

    def __attrs_post_init__(self):
        func = "Journey"
        steps = self.touchpoints
        if isinstance(steps, np.ndarray):
            steps = steps.tolist() if steps.ndim == 1 else None
        if not isinstance(steps, (list, tuple)) or not all(isinstance(t, str) for t in steps):
            v.fail("touchpoints", func, "a sequence of touchpoint labels (str)",
                   self.touchpoints, wrong_type=True)
        object.__setattr__(self, "touchpoints", tuple(steps))
        if self.tz is not None:
            object.__setattr__(self, "tz", parse_zone(self.tz, "tz", func))
        if isinstance(self.weight, bool) or not isinstance(self.weight, (int, np.integer)):
            v.fail("weight", func, "an integer", self.weight, wrong_type=True)
        for name in ("times", "starts"):
            x = getattr(self, name)
            if x is None:
                continue
            x = v.array(x, name, func)
            if x.dtype.kind != "M" or x.shape != (len(self.touchpoints),):
                v.fail(name, func, f"None or {len(self.touchpoints)} datetime64 values (one "
                       "per touchpoint)", got=f"dtype {x.dtype}, shape {x.shape}",
                       wrong_type=x.dtype.kind != "M")
            object.__setattr__(self, name, x)

    def __len__(self) -> int:
        return len(self.touchpoints)

    def local_times(self) -> pd.DatetimeIndex | None:
        """``times`` as pandas timestamps aware of ``tz`` (the naive times without one).

        Examples
        --------
        >>> from cxpath import Journeys
        >>> j = Journeys.from_events(case=[1], touchpoint=["a"], timestamp=["2025-03-30 01:30"],
        ...                          tz="Europe/Berlin")
        >>> str(j[0].local_times()[0])
        '2025-03-30 01:30:00+01:00'
        """
        from .._frames import in_zone

        return None if self.times is None else in_zone(self.times, self.tz)

    @property
    def path(self) -> str:
        """The touchpoints joined with ``' > '``."""
        return " > ".join(self.touchpoints)

    def __repr__(self) -> str:
        steps = self.touchpoints
        shown = " > ".join(steps if len(steps) <= 8 else (*steps[:4], "…", *steps[-3:]))
        parts = [f"case={self.case_id!r}", repr(shown)]
        if self.outcome is not None:
            parts.append(f"success={self.outcome}")
        span = ""
        if self.times is not None and len(self.times) > 1:
            first = self.times[0] if self.starts is None else self.starts[0]
            seconds = (self.times.max() - first) / np.timedelta64(1, "s")
            span = f" over {_duration(seconds)}"
        parts.append(f"{len(self)} events{span}")
        if self.weight != 1:
            parts.append(f"weight={self.weight}")
        return f"Journey({', '.join(parts)})"


def _duration(seconds: float) -> str:
    for unit, size in (("d", 86400.0), ("h", 3600.0), ("min", 60.0)):
        if seconds >= size:
            return f"{seconds / size:.3g} {unit}"
    return f"{seconds:.3g} s"


@attrs.frozen(repr=False, eq=False)
class Journeys:
    """Customer journeys in a compact columnar (CSR) layout.

    Case ``i`` is ``codes[offsets[i]:offsets[i + 1]]``: the touchpoint codes of its events in
    time order. Build one with :meth:`from_events` (a long event log) or :meth:`from_paths`
    (aggregated path strings); constructing directly is for code that already holds the
    arrays, and is validated.

    Parameters
    ----------
    codes : array of int, shape (n_events,)
        Touchpoint code of each event, indexes into ``vocab``.
    offsets : array of int, shape (n_cases + 1,)
        Start of each case in ``codes``; ``offsets[0] == 0`` and ``offsets[-1] == n_events``.
    vocab : tuple of str
        Touchpoint label of each code.
    case_ids : array, shape (n_cases,)
        The original case identifiers.
    times : array of float, shape (n_events,), optional
        Event times in seconds since 1970-01-01 UTC, non-decreasing within a case.
    channels : array of int, shape (n_events,), optional
        Channel code of each event into ``channel_vocab`` (-1: unknown).
    channel_vocab : tuple of str, optional
    outcome : array of bool, shape (n_cases,), optional
        Whether the case ended in success (resolved, converted).
    value : array of float, shape (n_cases,), optional
        Value attached to the case (revenue, cost, satisfaction).
    weight : array of int, shape (n_cases,), optional
        Multiplicity of each case (aggregated paths); all ones when absent.
    starts : array of float, shape (n_events,), optional
        Start time of each event when events are activity instances (lifecycle start and
        complete paired, or a start-timestamp column): ``times`` then hold the completion
        times, service time is ``times - starts`` and the wait before an event is its start
        minus the previous event's completion. Events are ordered by start within a case.
        Absent for logs with one timestamp per event (instants: start = complete).
    event_attributes, case_attributes : dict of str to Attribute, optional
        Further typed columns, one value per event (resource, team, cost, rating …) or per
        case (product, priority, region, segment …). Only what was asked for is carried.
    cleaning_report : CleaningReport, optional
        What ingestion removed or changed.
    tz : str, optional
        IANA time zone of the log. With a zone, ``times`` are exact instants and are shown
        in that zone's local time. None means naive wall-clock times of an unknown zone
        (stored as if UTC); a business calendar reads them as local time in its own zone.

    Examples
    --------
    >>> from cxpath import Journeys
    >>> j = Journeys.from_events(
    ...     {"case": ["a", "a", "b"], "step": ["web", "chat", "web"],
    ...      "at": ["2025-01-01T10:00", "2025-01-01T10:05", "2025-01-02T09:00"]},
    ...     case="case", touchpoint="step", timestamp="at", success={"chat"})
    >>> j.vocab, j.offsets.tolist(), j.outcome.tolist()
    (('chat', 'web'), [0, 2, 3], [True, False])
    """

    codes: np.ndarray = attrs.field(converter=_as(np.int64, "codes"))
    offsets: np.ndarray = attrs.field(converter=_as(np.int64, "offsets"))
    vocab: tuple = attrs.field(converter=_labels)
    case_ids: np.ndarray = attrs.field(converter=_case_ids)
    times: np.ndarray | None = attrs.field(default=None, converter=_as(np.float64, "times"))
    channels: np.ndarray | None = attrs.field(default=None,
                                              converter=_as(np.int64, "channels"))
    channel_vocab: tuple | None = attrs.field(default=None, converter=_optional_labels)
    outcome: np.ndarray | None = attrs.field(default=None, converter=_as(np.bool_, "outcome"))
    value: np.ndarray | None = attrs.field(default=None, converter=_as(np.float64, "value"))
    weight: np.ndarray | None = attrs.field(default=None, converter=_as(np.int64, "weight"))
    starts: np.ndarray | None = attrs.field(default=None,
                                            converter=_as(np.float64, "starts"))
    event_attributes: dict = attrs.field(factory=dict, converter=_attribute_map)
    case_attributes: dict = attrs.field(factory=dict, converter=_attribute_map)
    cleaning_report: CleaningReport | None = attrs.field(default=None)
    tz: str | None = attrs.field(default=None)

    def __reduce__(self):
        """Pickle through the constructor: an unpickled Journeys is validated and read-only
        like any other (restoring the attributes alone would leave writeable arrays)."""
        return (_rebuild, (type(self), {a.name: getattr(self, a.name)
                                        for a in attrs.fields(type(self))}))

    def __attrs_post_init__(self):
        func = "Journeys"
        if self.cleaning_report is not None and not isinstance(self.cleaning_report,
                                                               CleaningReport):
            v.fail("cleaning_report", func, "a CleaningReport or None", self.cleaning_report,
                   wrong_type=True)
        if self.tz is not None:
            object.__setattr__(self, "tz", parse_zone(self.tz, "tz", func))
        offsets, codes = self.offsets, self.codes
        if codes.ndim != 1 or offsets.ndim != 1 or len(offsets) < 1:
            v.fail("offsets", func, "a 1-D array of length n_cases + 1",
                   got=f"shape {offsets.shape}", data=True)
        if offsets[0] != 0 or offsets[-1] != len(codes):
            v.fail("offsets", func, f"0 first and len(codes) = {len(codes)} last",
                   got=f"{offsets[0]} … {offsets[-1]}", data=True)
        if len(offsets) > 1 and (np.diff(offsets) < 0).any():
            v.fail("offsets", func, "non-decreasing", got="a decrease", data=True)
        if len(codes) and (codes.min() < 0 or codes.max() >= len(self.vocab)):
            v.fail("codes", func, f"in [0, {len(self.vocab) - 1}] (indexes into vocab)",
                   got=f"values in [{codes.min()}, {codes.max()}]", data=True)
        n_cases = len(offsets) - 1
        v.check_same_length(func, codes=codes, times=self.times, channels=self.channels,
                            starts=self.starts)
        if self.starts is not None and self.times is None:
            v.fail("times", func, "given when 'starts' is", got="None")
        for kind, attrs_, size in (("event", self.event_attributes, len(codes)),
                                   ("case", self.case_attributes, len(offsets) - 1)):
            for name, attr in attrs_.items():
                if len(attr) != size:
                    v.fail(f"{kind}_attributes", func, f"attributes of length {size}",
                           got=f"{name!r} of length {len(attr)}", data=True)
        v.check_same_length(func, case_ids=self.case_ids, outcome=self.outcome,
                            value=self.value, weight=self.weight)
        if len(self.case_ids) != n_cases:
            v.fail("case_ids", func, f"of length n_cases = {n_cases}",
                   got=f"length {len(self.case_ids)}", data=True)
        if self.channels is not None and self.channel_vocab is None:
            v.fail("channel_vocab", func, "given when 'channels' is", got="None")
        if self.weight is not None and len(self.weight) and self.weight.min() < 0:
            v.fail("weight", func, "non-negative", got=f"{self.weight.min()}", data=True)
        order_by = self.times if self.starts is None else self.starts
        if order_by is not None and len(codes) > 1:
            backwards = order_by[1:] < order_by[:-1]
            bounds = offsets[1:-1]
            backwards[bounds[(bounds > 0) & (bounds < len(codes))] - 1] = False  # across cases
            if backwards.any() or np.isnan(order_by).any():
                name = "times" if self.starts is None else "starts"
                v.fail(name, func, "finite and non-decreasing within each case",
                       got="a decrease or NaN", data=True)
        if self.starts is not None and (self.starts > self.times).any():
            v.fail("starts", func, "no later than the completion 'times'",
                   got="a start after its completion", data=True)

    # --- constructors -------------------------------------------------------------------
    @classmethod
    def from_events(cls, data: TableLike | None = None, *, case: ColumnLike,
                    touchpoint: ColumnLike, timestamp: ColumnLike | None = None,
                    channel: ColumnLike | None = None, outcome: ColumnLike | None = None,
                    value: ColumnLike | None = None, success: Iterable[str] | None = None,
                    start_timestamp: ColumnLike | None = None,
                    lifecycle: ColumnLike | None = None, resource: ColumnLike | None = None,
                    event_attributes: Sequence[str] | Mapping[str, ColumnLike] = (),
                    case_attributes: Sequence[str] | Mapping[str, ColumnLike] = (),
                    fill: Mapping[str, Any] | None = None, normalize_labels: bool = False,
                    unit: str | None = None,
                    tz: str | None = None,
                    strict: bool = False, duplicates: str = "keep",
                    value_agg: str = "sum", time_format: str | None = None,
                    vocab: Sequence[str] | None = None) -> Journeys:
        """Build journeys from a long event log (one row per touchpoint event).

        Parameters
        ----------
        data : pandas.DataFrame, polars.DataFrame, pyarrow.Table, dict of arrays, optional
            The table. When absent, ``case``, ``touchpoint`` … are the columns themselves.
        case, touchpoint : str or array-like
            Column name (or values) of the case id and of the touchpoint label.
        timestamp : str or array-like, optional
            Event time: datetime64, time-zone aware pandas datetimes (converted to UTC),
            ISO-8601 strings (``Z`` or offsets converted to UTC, naive strings taken as UTC)
            or numbers (epoch seconds). Without it, events keep their input order.
        channel : str or array-like, optional
            Channel of each event (phone, chat, app, …).
        outcome : str or array-like, optional
            Success flag per row (bool or 0/1). A case succeeds when any of its rows is
            truthy, so both a case-level column repeated on every row and an event-level
            flag (e.g. a conversion event) work.
        value : str or array-like, optional
            Numeric value per row, aggregated per case by ``value_agg``.
        success : set of str, optional
            Touchpoints that mean success when they are a case's last event (e.g.
            ``{"resolved"}``). Exclusive with ``outcome``.
        start_timestamp : str or array-like, optional
            Start time of each row when every row is an activity instance (an interval
            log): ``timestamp`` is then its completion. A missing start is taken as the
            completion (reported as ``missing_start``), and so is a start later than the
            completion (``start_after_complete``).
        lifecycle : str or array-like, optional
            Lifecycle transition of each row (XES ``lifecycle:transition``). Start and
            complete rows of the same touchpoint in a case are paired first in, first out
            (the earliest open start goes with the next complete, as process-mining tools
            do) into one activity instance that keeps the complete row's other columns.
            A complete without an open start is an instance of zero service time
            (``unpaired_complete``, or, for a touchpoint never started anywhere in the log,
            an atomic event, counted but not flagged); a start never completed is removed
            (``unpaired_start``); other transitions (schedule, suspend, resume, abort …)
            are removed (``lifecycle_other``). A missing transition counts as complete.
            Transitions are compared case-insensitively. Exclusive with
            ``start_timestamp``.
        resource : str or array-like, optional
            Who performed each event (agent, team, system); carried as the event attribute
            ``'resource'``.
        event_attributes, case_attributes : sequence of str, or dict of str to column
            Further columns to carry: column names, or a dict of the name to carry them
            under -> a column name of ``data`` or the values (e.g. ``{"product":
            "case:product"}`` for an XES trace attribute). Numbers stay numbers,
            datetimes become times, everything else is dictionary-encoded. A case attribute
            must be constant within a case (missing rows are ignored); two different values
            in one case are a :class:`~cxpath.errors.DataError` naming both rows.
        fill : dict, optional
            Values for missing entries, by column: ``{"channel": "unknown",
            "resource": "unassigned", "team": "none"}`` (``channel``, ``resource`` or an
            attribute name). Filled rows are reported as ``filled_<name>``; without it a
            missing channel keeps code -1 (``missing_channel``) and a missing attribute
            stays missing.
        normalize_labels : bool, default False
            Touchpoint and channel labels that differ only by surrounding white space or
            case (``'Web'``, ``'web '``) are listed in the cleaning report and warned about
            (:class:`~cxpath.errors.CxpathWarning`); with True they are merged into their
            most frequent spelling, and the rows respelled are reported. Blank and
            white-space-only labels and case ids always count as missing.
        unit : {'s', 'ms', 'us', 'ns'}, optional
            Unit of numeric timestamps. Without it numbers are epoch seconds, unless they
            are too large to be (1e11 and above): then the one unit that puts every value
            between 1970 and 2100 is taken, with a warning, or an error asks for ``unit``.
            Timestamps before 1970 or after 2100 are warned about.
        tz : str, optional
            IANA time zone of the log (``'Europe/Berlin'``). Naive timestamps (no ``Z`` or
            UTC offset) are then read as local wall-clock times there; aware ones keep their
            instant and are shown in ``tz``. Without it the zone of aware input is kept
            (``'UTC'`` for offset strings and epoch numbers) and naive input stays naive
            (``tz`` None): a business calendar then reads it as local time in the
            calendar's zone. A column mixing aware and naive values is an error naming rows.
        strict : bool, default False
            Raise :class:`~cxpath.errors.StrictCleaningError` instead of removing or
            altering rows.
        duplicates : {'keep', 'drop'}, default 'keep'
            Rows repeating an earlier row exactly (same case, touchpoint, timestamp and the
            other given columns) are counted in the report and kept (as process-mining
            tools do) or dropped.
        value_agg : {'sum', 'first', 'last', 'max', 'mean'}, default 'sum'
            How row values make the case value. Use 'first' for a case-level column repeated
            on every row.
        time_format : str, optional
            :func:`~datetime.datetime.strptime` format for non-ISO timestamp strings.
        vocab : sequence of str, optional
            A fixed touchpoint vocabulary, so that journeys built from separate batches
            share codes. ``touchpoint`` then holds either labels from it (a label outside it
            is an error) or integer codes into it (pre-encoded input: the fastest path).

        Returns
        -------
        Journeys
            Cases ordered by case id, events stably sorted by timestamp within each case
            (equal timestamps keep input order), with ``cleaning_report`` set.

        Raises
        ------
        CxpathError
            Mismatched lengths, empty input, unknown columns or success labels, no
            parseable timestamp; with ``strict=True``, anything that needs cleaning.
        """
        from .ingest import from_events

        return from_events(cls, data, case=case, touchpoint=touchpoint, timestamp=timestamp,
                           channel=channel, outcome=outcome, value=value, success=success,
                           start_timestamp=start_timestamp, lifecycle=lifecycle,
                           resource=resource, event_attributes=event_attributes,
                           case_attributes=case_attributes, fill=fill,
                           normalize_labels=normalize_labels, unit=unit, tz=tz,
                           strict=strict,
                           duplicates=duplicates, value_agg=value_agg,
                           time_format=time_format, vocab=vocab)

    @classmethod
    def from_paths(cls, paths: Sequence[str], conversions: ArrayLike | None = None,
                   nulls: ArrayLike | None = None, value: ArrayLike | None = None, *,
                   sep: str = ">", strict: bool = False) -> Journeys:
        """Build journeys from aggregated paths, one row per distinct path.

        Each row becomes up to two weighted cases: one converting case with weight
        ``conversions[i]`` and value ``value[i]``, and one non-converting case with weight
        ``nulls[i]``. Rows whose counts are both zero are reported and left out. Without
        counts each path is one case of weight 1 and no outcome.

        Parameters
        ----------
        paths : sequence of str
            Paths such as ``"web > chat > phone"``; labels are stripped of white space.
        conversions, nulls : array-like of int, optional
            Converting and non-converting journeys that followed each path.
        value : array-like of float, optional
            Total conversion value of each row.
        sep : str, default ">"
            Separator between touchpoints.
        strict : bool, default False
            Raise instead of leaving out rows with zero counts.

        Returns
        -------
        Journeys
            ``case_ids`` hold the row number each case came from.

        Examples
        --------
        >>> from cxpath import Journeys
        >>> j = Journeys.from_paths(["web > chat", "web"], conversions=[2, 0], nulls=[1, 4],
        ...                         value=[50.0, 0.0])
        >>> [(x.path, x.outcome, x.weight) for x in j]
        [('web > chat', True, 2), ('web > chat', False, 1), ('web', False, 4)]
        """
        from .ingest import from_paths

        return from_paths(cls, paths, conversions, nulls, value, sep=sep, strict=strict)

    # --- sizes and access ---------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.offsets) - 1

    @property
    def n_cases(self) -> int:
        """Number of cases."""
        return len(self.offsets) - 1

    @property
    def n_events(self) -> int:
        """Number of events."""
        return len(self.codes)

    @property
    def lengths(self) -> np.ndarray:
        """Events per case."""
        return np.diff(self.offsets)

    @property
    def event_starts(self) -> np.ndarray | None:
        """Start time of each event: ``starts`` for activity instances, else ``times``."""
        return self.times if self.starts is None else self.starts

    @property
    def service_times(self) -> np.ndarray | None:
        """Seconds from start to completion of each event (None without activity instances)."""
        return None if self.starts is None else elapsed(self.times, self.starts)

    def attribute(self, name: str, func: str = "Journeys.attribute") -> tuple[Attribute, str]:
        """The event or case :class:`~cxpath.journeys.attributes.Attribute` called ``name``.

        Returns ``(attribute, level)`` with level ``'event'`` or ``'case'``.
        """
        if not isinstance(name, str):
            v.fail("by" if func != "Journeys.attribute" else "name", func,
                   "the name of a case or event attribute", name, wrong_type=True)
        if name in self.case_attributes:
            return self.case_attributes[name], "case"
        if name in self.event_attributes:
            return self.event_attributes[name], "event"
        known = [*self.case_attributes, *self.event_attributes]
        v.fail("by" if func != "Journeys.attribute" else "name", func,
               f"an attribute of the journeys ({', '.join(map(repr, known)) or 'none carried'})",
               name)

    @property
    def case_weights(self) -> np.ndarray:
        """``weight``, or ones when the journeys are not weighted."""
        return self.weight if self.weight is not None else np.ones(len(self), dtype=np.int64)

    def __getitem__(self, i: int) -> Journey:
        n = len(self)
        if n == 0:
            v.fail("i", "Journeys.__getitem__", "an index of an existing case", i,
                   got=f"{i!r} on empty journeys")
        i = v.check_int(i, "i", "Journeys.__getitem__", low=-n, high=n - 1) % n
        lo, hi = self.offsets[i], self.offsets[i + 1]
        return Journey(
            case_id=self.case_ids[i].item() if hasattr(self.case_ids[i], "item")
            else self.case_ids[i],
            touchpoints=tuple(self.vocab[c] for c in self.codes[lo:hi]),
            times=None if self.times is None else _seconds_to_datetime(self.times[lo:hi]),
            channels=None if self.channels is None else tuple(
                self.channel_vocab[c] if c >= 0 else None for c in self.channels[lo:hi]),
            outcome=None if self.outcome is None else bool(self.outcome[i]),
            value=None if self.value is None else float(self.value[i]),
            weight=1 if self.weight is None else int(self.weight[i]),
            starts=None if self.starts is None else _seconds_to_datetime(self.starts[lo:hi]),
            event_attributes={k: tuple(a.take(slice(lo, hi)).decoded().tolist())
                              for k, a in self.event_attributes.items()},
            case_attributes={k: a.take(slice(i, i + 1)).decoded()[0]
                             for k, a in self.case_attributes.items()},
            tz=self.tz,
        )

    def __iter__(self) -> Iterator[Journey]:
        for i in range(len(self)):
            yield self[i]

    def select(self, which: ArrayLike | Mapping[str, Any]) -> Journeys:
        """Keep a subset of cases, in their current order.

        Parameters
        ----------
        which : array of bool of length n_cases, sequence of case ids, or dict
            A boolean mask over cases, the ids of the cases to keep, or a filter on case
            attributes: ``{"product": "X", "priority": ["high", "urgent"]}`` keeps the
            cases whose attributes take one of the given values (all conditions hold).

        Examples
        --------
        >>> from cxpath import Journeys
        >>> j = Journeys.from_events(case=[1, 1, 2, 3], touchpoint=list("abab"))
        >>> j.select([3, 1]).case_ids.tolist(), j.select(j.lengths > 1).n_events
        ([1, 3], 2)
        """
        func = "Journeys.select"
        if isinstance(which, dict):
            which = self._attribute_filter(which, func)
        arr = v.array(which, "which", func)
        if arr.dtype == bool:
            if arr.shape != (len(self),):
                v.fail("which", func, f"a boolean mask of length {len(self)}",
                       got=f"shape {arr.shape}")
            mask = arr
        else:
            arr = arr.ravel()
            try:
                mask = np.isin(self.case_ids, arr)
                distinct = len(np.unique(arr))
            except TypeError:  # ids numpy cannot order (None, or a mix of types)
                v.fail("which", func, "a boolean mask or ids of existing cases",
                       got="values of types " +
                       v.show_list(sorted({type(x).__name__ for x in arr.tolist()})),
                       wrong_type=True)
            if mask.sum() != distinct:
                missing = np.setdiff1d(arr, self.case_ids)
                v.fail("which", func, "ids of existing cases",
                       got=f"unknown ids {missing[:5].tolist()}")
        lengths = self.lengths
        event_mask = np.repeat(mask, lengths)
        offsets = np.concatenate(([0], np.cumsum(lengths[mask])))

        def cases(x):
            return None if x is None else x[mask]

        def events(x):
            return None if x is None else x[event_mask]

        return attrs.evolve(self, codes=self.codes[event_mask], offsets=offsets,
                            case_ids=self.case_ids[mask], times=events(self.times),
                            channels=events(self.channels), outcome=cases(self.outcome),
                            value=cases(self.value), weight=cases(self.weight),
                            starts=events(self.starts),
                            event_attributes={k: a.take(event_mask) for k, a in
                                              self.event_attributes.items()},
                            case_attributes={k: a.take(mask) for k, a in
                                             self.case_attributes.items()},
                            cleaning_report=None)

    def _attribute_filter(self, conditions: dict, func: str) -> np.ndarray:
        mask = np.ones(len(self), dtype=bool)
        for name, wanted in conditions.items():
            if name not in self.case_attributes:
                known = ", ".join(map(repr, self.case_attributes)) or "none carried"
                v.fail("which", func, f"conditions on case attributes ({known})",
                       got=f"{name!r}")
            attr = self.case_attributes[name]
            values = [wanted] if isinstance(wanted, (str, int, float)) else list(wanted)
            if attr.kind == "category":
                index = {label: i for i, label in enumerate(attr.labels)}
                unknown = [x for x in values if str(x) not in index]
                if unknown:
                    v.fail("which", func, f"values of {name!r} (e.g. {list(attr.labels[:5])})",
                           got=f"unknown values {unknown[:5]}")
                mask &= np.isin(attr.values, [index[str(x)] for x in values])
            else:
                mask &= np.isin(attr.values, np.asarray(values, dtype=np.float64))
        return mask

    def keep_events(self, mask: ArrayLike) -> Journeys:
        """Keep only the events where ``mask`` (boolean, one per event) is true.

        Cases keep their ids and case-level fields; a case left without events stays, with
        no events. Use it to look at one team's or resource's share of the work.

        Examples
        --------
        >>> from cxpath import Journeys
        >>> j = Journeys.from_events(case=[1, 1, 2], touchpoint=["a", "b", "a"])
        >>> j.keep_events(j.codes == 0).lengths.tolist()
        [1, 1]
        """
        func = "Journeys.keep_events"
        mask = v.array(mask, "mask", func)
        if mask.dtype != bool or mask.shape != (self.n_events,):
            v.fail("mask", func, f"a boolean mask of length n_events = {self.n_events}",
                   got=f"dtype {mask.dtype}, shape {mask.shape}")
        case = np.repeat(np.arange(len(self)), self.lengths)
        offsets = np.zeros(len(self) + 1, dtype=np.int64)
        np.cumsum(np.bincount(case[mask], minlength=len(self)), out=offsets[1:])

        def events(x):
            return None if x is None else x[mask]

        return attrs.evolve(self, codes=self.codes[mask], offsets=offsets,
                            times=events(self.times), channels=events(self.channels),
                            starts=events(self.starts),
                            event_attributes={k: a.take(mask) for k, a in
                                              self.event_attributes.items()},
                            cleaning_report=None)

    def equals(self, other: Journeys) -> bool:
        """True when both hold the same cases, events and labels (reports not compared)."""
        if not isinstance(other, Journeys) or self.vocab != other.vocab or \
                self.channel_vocab != other.channel_vocab:
            return False
        for name in ("codes", "offsets", "case_ids", "times", "channels", "outcome", "value",
                     "weight", "starts"):
            a, b = getattr(self, name), getattr(other, name)
            if (a is None) != (b is None):
                return False
            if a is not None and not np.array_equal(a, b):
                return False
        for mine, theirs in ((self.event_attributes, other.event_attributes),
                             (self.case_attributes, other.case_attributes)):
            if mine.keys() != theirs.keys() or not all(a.equals(theirs[k])
                                                       for k, a in mine.items()):
                return False
        return True

    def to_frame(self, backend: str = "pandas") -> pd.DataFrame | pl.DataFrame | dict:
        """Back to a long event log, one row per event.

        Columns: ``case_id``, ``position`` (0-based within the case), ``touchpoint`` and,
        when present, ``start_timestamp`` and ``timestamp`` (datetime64[us]; with a ``tz``,
        pandas and polars columns aware of it, which ``from_events`` reads back with the
        zone, and UTC instants in the dict),
        ``channel``, the event attributes, and the case-level ``outcome``, ``value``,
        ``weight`` and case attributes repeated on every event (read ``value`` back with
        ``value_agg='first'``).

        Examples
        --------
        >>> from cxpath import Journeys
        >>> j = Journeys.from_events(case=[1, 1], touchpoint=["a", "b"])
        >>> j.to_frame("dict")["touchpoint"].tolist()
        ['a', 'b']
        """
        lengths = self.lengths
        case_of_event = np.repeat(np.arange(len(self)), lengths)
        labels = np.asarray(self.vocab, dtype=object)
        cols = {"case_id": self.case_ids[case_of_event],
                "position": np.arange(self.n_events) - np.repeat(self.offsets[:-1], lengths),
                "touchpoint": labels[self.codes] if len(labels) else
                np.zeros(0, dtype=object)}
        if self.starts is not None:
            cols["start_timestamp"] = _seconds_to_datetime(self.starts)
        if self.times is not None:
            cols["timestamp"] = _seconds_to_datetime(self.times)
        if self.channels is not None:
            ch = np.asarray((*self.channel_vocab, None), dtype=object)
            cols["channel"] = ch[self.channels]
        for name, attr in self.event_attributes.items():
            cols.setdefault(name, attr.decoded())
        for name in ("outcome", "value", "weight"):
            x = getattr(self, name)
            if x is not None:
                cols[name] = x[case_of_event]
        for name, attr in self.case_attributes.items():
            cols.setdefault(name, attr.decoded()[case_of_event])
        return make_frame(cols, backend, func="Journeys.to_frame",
                          zones={"timestamp": self.tz, "start_timestamp": self.tz})

    # --- display ------------------------------------------------------------------------
    def _facts(self) -> list[str]:
        n = len(self)
        w = self.case_weights
        facts = [f"{n:,} cases, {self.n_events:,} events, {len(self.vocab)} touchpoints"]
        if self.weight is not None:
            facts[0] += f", {int(w.sum()):,} journeys by weight"
        if self.starts is not None:
            facts[0] += " (activity instances: start and completion)"
        if self.channel_vocab is not None:
            facts.append(f"channels: {', '.join(self.channel_vocab)}")
        for level, found in (("event", self.event_attributes), ("case", self.case_attributes)):
            if found:
                facts.append(f"{level} attributes: {', '.join(found)}")
        if self.times is not None and self.n_events:
            bounds = np.array([self.event_starts.min(), self.times.max()])
            if self.tz is not None:
                bounds = wall_clock(bounds, self.tz)
            span = _seconds_to_datetime(bounds).astype("datetime64[s]")
            where = self.tz if self.tz is not None else "naive times, no time zone"
            facts.append(f"from {span[0]} to {span[1]} ({where})")
        if self.outcome is not None and n:
            rate = float((self.outcome * w).sum() / max(w.sum(), 1))
            facts.append(f"success rate {rate:.1%}")
            if rate in (0.0, 1.0):
                facts[-1] += (f" ({'no' if rate == 0 else 'every'} case succeeds: check "
                              "the 'outcome' or 'success' definition)")
        if n:
            facts.append(f"events per case: mean {self.n_events / n:.2f}, "
                         f"max {int(self.lengths.max())}")
        report = self.cleaning_report
        if report is not None and (report.n_removed or report.n_changed):
            facts.append(f"cleaning removed {report.n_removed:,} and changed "
                         f"{report.n_changed:,} input rows (see .cleaning_report)")
        return facts

    def _listed(self, i: int, show_ids: bool = False) -> Journey:
        """Case ``i``, labelled by its position (``#1`` …) unless ``show_ids``."""
        from .._results import IdLabel

        return self[i] if show_ids else attrs.evolve(self[i], case_id=IdLabel(f"#{i + 1}"))

    def to_text(self, show_ids: bool = False) -> str:
        """The summary and the first five cases; cases are listed as ``#1`` … unless
        ``show_ids`` (the repr never shows raw case ids; ``j[i]`` and ``case_ids`` do).

        Examples
        --------
        >>> from cxpath import Journeys
        >>> j = Journeys.from_events(case=["T-7"], touchpoint=["ivr"])
        >>> print(j.to_text().splitlines()[1], j.to_text(show_ids=True).splitlines()[1])
          Journey(case=#1, 'ivr', 1 events)   Journey(case='T-7', 'ivr', 1 events)
        """
        show_ids = v.check_bool(show_ids, "show_ids", "Journeys.to_text")
        lines = ["Journeys: " + "; ".join(self._facts())]
        for i in range(min(len(self), 5)):
            lines.append("  " + repr(self._listed(i, show_ids)))
        if len(self) > 5:
            lines.append(f"  … {len(self) - 5:,} more cases")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.to_text()

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{html.escape(f)}</li>" for f in self._facts())
        rows = "".join(f"<tr><td>{html.escape(str(j.case_id))}</td><td>"
                       f"{html.escape(j.path)}</td><td>{j.outcome}</td></tr>"
                       for j in (self._listed(i) for i in range(min(len(self), 10))))
        return (f"<div><strong>Journeys</strong><ul>{items}</ul><table><thead><tr>"
                f"<th>case</th><th>path</th><th>success</th></tr></thead><tbody>{rows}"
                f"</tbody></table></div>")

