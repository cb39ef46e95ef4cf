"""Dates in and out of the forecasts: regular timestamps, their frequency, the season length
it implies, and the future timestamps of a horizon.

Season length from the frequency (used when ``m`` is not given), the number of periods in
the natural cycle above the frequency, rounded down (``W``: 52.18 weeks a year → 52):

* sub-daily (``h``, ``30min``, ``15min``, ``min``, ``s``): the periods in one day, 24, 48,
  96, 1440, 86400 (1 when the period does not divide a day);
* ``D``: 7 (a week); ``nD``: ``7 / n`` when whole, else 1; ``7D`` is a week (52);
* ``B`` (business days): 5;
* ``W`` (any anchor, e.g. ``W-SUN``): 52; ``2W``: 26;
* ``SM`` (semi-month): 24;
* ``M``, ``ME``, ``MS``, ``BM`` …: 12; ``2MS``: 6;
* ``Q``, ``QE``, ``QS`` …: 4;
* ``A``, ``Y``, ``YE``, ``YS`` …: 1;
* anything else (business hours …): 1.

Examples
--------
>>> from cxpath.forecast._dates import season_length
>>> [season_length(f) for f in ("h", "D", "W", "MS", "QS", "YS", "30min", "15min")]
[24, 7, 52, 12, 4, 1, 48, 96]
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from .. import _validate as v
from .._optional import require

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DATES_DOC", "check_fits", "dated", "follows", "future_dates", "parse_freq",
           "read_dates", "regular_freq", "season_length", "zone_of"]

_DAY = 86_400 * 10**9  # nanoseconds


def _cycle(periods: int, n: int) -> int:
    return periods // n if n >= 1 and periods % n == 0 else 1


def season_length(freq: Any) -> int:
    """The season length ``m`` a frequency implies (the table in the module notes).

    Examples
    --------
    >>> season_length("W-SUN"), season_length("2D"), season_length("7D")
    (52, 1, 52)
    """
    pd = require("pandas", "Season length from a frequency")
    off = pd.tseries.frequencies.to_offset(freq)
    o = pd.offsets
    n = abs(int(off.n)) or 1
    if isinstance(off, o.Tick):
        nanos = int(off.nanos)
        if nanos < _DAY:
            return _DAY // nanos if _DAY % nanos == 0 else 1
        if nanos % _DAY:
            return 1
        days = nanos // _DAY
        return _cycle(52, days // 7) if days % 7 == 0 else _cycle(7, days)
    if isinstance(off, o.BusinessDay):
        return _cycle(5, n)
    if isinstance(off, o.Week):
        return _cycle(52, n)
    if isinstance(off, (o.SemiMonthBegin, o.SemiMonthEnd)):
        return _cycle(24, n)
    if isinstance(off, (o.MonthBegin, o.MonthEnd, o.BusinessMonthBegin, o.BusinessMonthEnd)):
        return _cycle(12, n)
    if isinstance(off, (o.QuarterBegin, o.QuarterEnd, o.BQuarterBegin, o.BQuarterEnd)):
        return _cycle(4, n)
    return 1


def parse_freq(freq, name: str, func: str):
    """A pandas offset from an alias (``"D"``, ``"MS"``, ``"15min"``) or an offset."""
    pd = require("pandas", func)
    if isinstance(freq, bool) or not isinstance(freq, (str, pd.DateOffset, pd.Timedelta)):
        v.fail(name, func, "a pandas frequency alias such as 'D', 'W', 'MS' or '15min'",
               freq, wrong_type=True)
    try:
        import warnings

        with warnings.catch_warnings():  # deprecated aliases ('H', 'M') still work
            warnings.simplefilter("ignore")
            off = pd.tseries.frequencies.to_offset(freq)
    except (ValueError, TypeError):
        v.fail(name, func, "a pandas frequency alias such as 'D', 'W', 'MS' or '15min'", freq)
    if off is None or off.n < 1:
        v.fail(name, func, "a pandas frequency alias with a positive step", freq)
    return off


def read_dates(dates, name: str, func: str) -> pd.DatetimeIndex:
    """A ``DatetimeIndex`` from datetimes (pandas, numpy ``datetime64``, ISO strings,
    ``datetime`` objects); numbers are refused (they are not dates)."""
    pd = require("pandas", func)
    if isinstance(dates, pd.PeriodIndex):
        dates = dates.to_timestamp()
    elif isinstance(dates, pd.Series) and isinstance(dates.dtype, pd.PeriodDtype):
        dates = pd.PeriodIndex(dates).to_timestamp()
    if isinstance(dates, (str, bytes)) or not hasattr(dates, "__len__"):
        v.fail(name, func, "a sequence of dates (datetime64, pandas timestamps or ISO "
               "strings)", dates, wrong_type=True)
    if isinstance(dates, pd.DatetimeIndex):
        stamps = dates
    else:
        try:
            arr = np.asarray(dates) if not hasattr(dates, "dtype") else dates
        except (ValueError, TypeError):  # ragged lists
            v.fail(name, func, "a flat sequence of dates", got="values numpy cannot read "
                   "as one sequence", wrong_type=True)
        if getattr(arr, "ndim", 1) != 1:
            v.fail(name, func, "a flat sequence of dates",
                   got=f"an array of shape {np.shape(arr)}", wrong_type=True)
        kind = getattr(getattr(arr, "dtype", None), "kind", "O")
        if kind == "O" and len(arr) and isinstance(arr[0], pd.Period):  # a period column
            try:
                arr = pd.PeriodIndex(list(arr)).to_timestamp()
            except (ValueError, TypeError) as exc:  # mixed frequencies, missing periods
                v.fail(name, func, "periods of one frequency without missing values",
                       got=f"periods pandas cannot read together ({str(exc)[:80]})",
                       data=True)
        if kind in "iufbc":
            v.fail(name, func, "dates (datetime64, pandas timestamps or ISO strings), not "
                   "numbers", got=f"values of dtype {arr.dtype}", wrong_type=True)
        try:
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                stamps = pd.DatetimeIndex(pd.to_datetime(arr))
        except (ValueError, TypeError, OverflowError) as exc:
            v.fail(name, func, "dates (datetime64, pandas timestamps or ISO strings)",
                   got=f"values pandas cannot read as dates ({str(exc).splitlines()[0][:80]})",
                   wrong_type=True)
    if stamps.hasnans:
        pos = int(np.flatnonzero(stamps.isna())[0])
        v.fail(name, func, "dates without missing values", got=f"NaT at position {pos}",
               data=True)
    try:  # one unit, so that integer views (asi8) are nanoseconds whatever the source
        # (polars and arrow datetimes are microseconds by default)
        return stamps.as_unit("ns")
    except (OverflowError, pd.errors.OutOfBoundsDatetime):
        v.fail(name, func, "dates between 1677 and 2262 (pandas' nanosecond timestamps)",
               got=f"dates from {stamps.min()} to {stamps.max()}", data=True)


def _show(stamp) -> str:
    text = str(stamp)
    return text[:-9] if text.endswith(" 00:00:00") else text


def _listed(stamps, limit: int = 5) -> str:
    shown = ", ".join(_show(s) for s in stamps[:limit])
    return shown + (f" and {len(stamps) - limit} more" if len(stamps) > limit else "")


def _order_problem(stamps) -> str | None:
    """Text about dates out of order or repeated, or None."""
    vals = stamps.asi8
    if vals.size < 2:
        return None
    d = np.diff(vals)
    if (d == 0).any():
        pos = int(np.flatnonzero(d == 0)[0]) + 1
        return f"the date {_show(stamps[pos])} repeated at positions {pos - 1} and {pos}"
    if (d < 0).any():
        pos = int(np.flatnonzero(d < 0)[0]) + 1
        return (f"dates out of order: {_show(stamps[pos])} at position {pos} comes after "
                f"{_show(stamps[pos - 1])}")
    return None


def _span(nanos: int) -> str:
    """A step in words: ``3 days``, ``1 hour 30 minutes``."""
    out, rest = [], int(nanos)
    for unit, size in (("day", _DAY), ("hour", 3600 * 10**9), ("minute", 60 * 10**9),
                       ("second", 10**9)):
        k, rest = divmod(rest, size)
        if k:
            out.append(f"{k} {unit}" + ("s" if k != 1 else ""))
    if rest or not out:
        out.append(f"{rest} ns")
    return " ".join(out)


def _steps_text(stamps) -> str:
    """The steps between consecutive dates, the usual one first, with where the others are."""
    d = np.diff(stamps.asi8)
    values, counts = np.unique(d, return_counts=True)
    usual = values[np.argmax(counts)]
    odd = np.flatnonzero(d != usual)
    places = "; ".join(f"{_span(d[i])} between {_show(stamps[i])} and "
                       f"{_show(stamps[i + 1])}" for i in odd[:5])
    more = f" and {odd.size - 5} more" if odd.size > 5 else ""
    return (f"irregular dates: the usual step is {_span(usual)} "
            f"({int(counts.max())} of {d.size}) but there are gaps of {places}{more}")


def regular_freq(stamps: pd.DatetimeIndex, freq, name: str, func: str) -> Any:
    """The offset of regular, increasing ``stamps``: ``freq`` (checked) or inferred.

    Irregular dates fail with a :class:`~cxpath.errors.DataError` listing the gaps (the
    dates missing from the grid when ``freq`` is given, the unusual steps otherwise).
    """
    pd = require("pandas", func)
    off = None if freq is None else parse_freq(freq, "freq", func)
    problem = _order_problem(stamps)
    if problem:
        v.fail(name, func, "increasing dates, one per observation", got=problem, data=True)
    n = len(stamps)
    if off is None:
        if n < 2:
            v.fail("freq", func, "given when there is a single date (nothing to infer the "
                   "frequency from)", None)
        if n == 2:
            off = pd.tseries.frequencies.to_offset(stamps[1] - stamps[0])
        else:
            alias = pd.infer_freq(stamps)
            if alias is None:
                v.fail(name, func, "regular dates (one frequency, no gaps); give freq= to "
                       "name the frequency, or fill the gaps", got=_steps_text(stamps),
                       data=True)
            off = pd.tseries.frequencies.to_offset(alias)
        return off
    if n >= 2:
        bad = np.flatnonzero(~follows(stamps, off))
        span = int(stamps.asi8[-1] - stamps.asi8[0])
        if bad.size and isinstance(off, pd.offsets.Tick) and \
                span // int(off.nanos) > 100 * n + 10_000:  # no grid of that many dates
            i = int(bad[0])
            v.fail(name, func, f"regular dates of frequency {off.freqstr!r} with no gaps",
                   got=f"a step of {_span(stamps.asi8[i + 1] - stamps.asi8[i])} from "
                       f"{_show(stamps[i])} to {_show(stamps[i + 1])}", data=True)
        if bad.size:
            grid = pd.date_range(stamps[0], stamps[-1], freq=off)
            missing = grid.difference(stamps)
            off_grid = stamps.difference(grid)
            parts = []
            if len(missing):
                parts.append(f"{len(missing)} date(s) missing: {_listed(missing)}")
            if len(off_grid):
                parts.append(f"{len(off_grid)} date(s) off the {off.freqstr!r} grid: "
                             f"{_listed(off_grid)}")
            if not parts:
                i = int(bad[0])
                parts.append(f"{_show(stamps[i + 1])} does not follow {_show(stamps[i])}")
            v.fail(name, func, f"regular dates of frequency {off.freqstr!r} with no gaps",
                   got="; ".join(parts), data=True)
    return off


def follows(stamps, off) -> np.ndarray:
    """Whether each timestamp after the first is the one before plus a period of ``off``.

    For time-zone-aware dates a period of days is one of the local calendar, midnight to
    midnight across a daylight-saving switch (pandas adds 24 hours: 23:00 the next
    evening); steps shorter than a day are elapsed time (an hourly series has both 02:00
    of the night the clocks go back).
    """
    pd = require("pandas", "Regular dates")
    if stamps.tz is not None and isinstance(off, pd.offsets.Day):
        stamps = stamps.tz_localize(None)  # the wall clock
    return (stamps[:-1] + off).asi8 == stamps.asi8[1:]


def zone_of(stamps) -> str | None:
    """The time zone of time-zone-aware timestamps as a name pandas and polars read (the
    IANA key where there is one: ``'Europe/Berlin'``, ``'UTC'``; else ``'+02:00'``), None
    for naive ones."""
    from .._frames import column_zone

    return column_zone(None, stamps)


def future_dates(last, off, h: int, func: str = "forecast") -> np.ndarray:
    """``h`` timestamps after ``last``, as ``datetime64[ns]``: the instants in UTC when
    ``last`` is time-zone aware (one period of ``off`` of the local calendar apart: a day
    is 23 or 25 hours across a daylight-saving switch); a horizon past pandas' last
    timestamp fails on ``h``."""
    pd = require("pandas", func)
    try:
        if last.tz is not None and isinstance(off, pd.offsets.Day):  # local midnights
            out = pd.date_range(start=last, periods=h + 1, freq=off)[1:]
        else:
            out = pd.date_range(start=last + off, periods=h, freq=off)
    except (OverflowError, pd.errors.OutOfBoundsDatetime, ValueError):
        out = None
    if out is None or len(out) != h:
        v.fail("h", func, f"a horizon whose dates fit in pandas' timestamps (up to "
               f"{_show(pd.Timestamp.max.floor('D'))})",
               got=f"{h} steps of {off.freqstr!r} after {_show(last)}")
    if out.tz is not None:
        out = out.tz_convert("UTC").tz_localize(None)
    return out.to_numpy(dtype="datetime64[ns]")


def check_fits(last_ns: int, nanos: int, h: int, func: str) -> None:
    """Fail on ``h`` when ``h`` steps of ``nanos`` after ``last_ns`` pass pandas' last
    timestamp (exact integer arithmetic: no silent wrap-around)."""
    pd = require("pandas", func)
    if int(last_ns) + int(nanos) * int(h) > pd.Timestamp.max.value:
        v.fail("h", func, f"a horizon whose dates fit in pandas' timestamps (up to "
               f"{_show(pd.Timestamp.max.floor('D'))})", got=f"{h} steps of {nanos} ns")


DATES_DOC = """\
dates : array-like of datetimes, optional
    Timestamps of the observations (one per value, increasing, regular); taken from
    ``y``'s index when ``y`` is a pandas Series with a ``DatetimeIndex``. With dates the
    result has the future timestamps in ``ds`` (a ``ds`` column in ``to_frame()``) and,
    when ``m`` is not given, the season length comes from the frequency (``D`` → 7,
    ``h`` → 24, ``W`` → 52, ``MS`` → 12, ``QS`` → 4, ``YS`` → 1, ``15min`` → 96, see
    :mod:`cxpath.forecast` *Notes*). Irregular dates are refused, naming the gaps.
freq : str, optional
    Frequency alias (``"D"``, ``"W-SUN"``, ``"MS"``, ``"15min"``); inferred from the
    dates when None, and checked against them when given."""


def _insert_doc(doc: str | None) -> str | None:
    if not doc or "\n    dates : " in doc:
        return doc
    mark = "\n\n    Returns\n    -------"
    if mark not in doc:
        return doc
    text = "\n".join("    " + line if line else line for line in DATES_DOC.splitlines())
    return doc.replace(mark, "\n" + text + mark, 1)


def _dated_index(y):
    """``y``'s DatetimeIndex (or PeriodIndex) when it is a pandas Series with one, else None."""
    index = getattr(y, "index", None)
    if type(index).__name__ in ("DatetimeIndex", "PeriodIndex") and \
            type(y).__module__.split(".")[0] == "pandas":
        return index
    return None


@attrs.frozen
class _Spec:
    fn: Any
    public: str
    m_pos: int | None  # position of m among the positional parameters, or None
    m_default: Any  # the model's own default for m (inspect.Parameter.empty: required)


def _season_default(spec: _Spec, args: tuple, off) -> tuple:
    """``args`` with ``m`` filled in when the caller left it None: from the dates'
    frequency when there are dates, else the model's own default."""
    if spec.m_pos is None or args[spec.m_pos] is not None:
        return args
    if off is not None:
        m = season_length(off)
    elif spec.m_default is inspect.Parameter.empty:
        v.fail("m", spec.public, "a positive integer (the season length), or dates (a pandas "
               "Series with a DatetimeIndex, or dates=) whose frequency gives it", None)
    else:
        m = spec.m_default
    return (*args[:spec.m_pos], m, *args[spec.m_pos + 1:])


def _run_dated(spec: _Spec, args: tuple, kwargs: dict, dates, freq):
    """The body of a :func:`dated` function."""
    y = args[0]
    index = _dated_index(y) if dates is None else None
    if dates is None and freq is None and index is None:  # plain arrays: as before
        return spec.fn(*_season_default(spec, args, None), **kwargs)
    public = spec.public
    if dates is not None:
        name, stamps = "dates", read_dates(dates, "dates", public)
    elif index is not None:
        name, stamps = "y", read_dates(index, "y", public)
    else:
        v.fail("freq", public, "given together with 'dates' (or a pandas Series 'y' with a "
               "DatetimeIndex)", freq)
    try:
        n = len(y)
    except TypeError:  # not a sequence: the model says what is wrong with it
        n = None
    if n is not None and n != len(stamps):
        v.fail("dates", public, f"one date per observation ({n})", got=f"{len(stamps)} dates",
               data=True)
    off = regular_freq(stamps, freq, name, public)
    out = spec.fn(*_season_default(spec, args, off), **kwargs)
    return attrs.evolve(out, ds=future_dates(stamps[-1], off, out.h, public),
                        freq=off.freqstr, tz=zone_of(stamps))


def dated(fn):
    """Give a one-series forecasting function ``dates=`` and ``freq=``.

    ``fn(y, h, [m,] ..., series_id=None)`` keeps its behaviour for plain arrays. With dates
    (``dates=``, or ``y`` a pandas Series with a ``DatetimeIndex``) the frequency is read
    and checked (:func:`regular_freq`), ``m`` — None in the new signature when the model
    has one — comes from the frequency when the caller leaves it out
    (:func:`season_length`; without dates it is the model's own default) and the returned
    :class:`~cxpath.forecast.Forecast` carries the future timestamps ``ds`` and the
    frequency ``freq``.

    The function made has the model's parameters by name (not ``*args``), so that
    signatures, profilers and ``inspect.getsource`` see them.

    Examples
    --------
    >>> import inspect
    >>> from cxpath.forecast import seasonal_naive
    >>> list(inspect.signature(seasonal_naive).parameters)
    ['y', 'h', 'm', 'level', 'series_id', 'dates', 'freq']
    """
    sig = inspect.signature(fn)
    kinds = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    if any(p.kind not in kinds for p in sig.parameters.values()) or \
            {"dates", "freq"} & set(sig.parameters):
        raise TypeError(f"dated: {fn.__name__} must take named parameters only")
    ns: dict = {"_run": _run_dated}
    head, positional, keyword = [], [], []
    star = False
    m_pos = m_default = None
    for i, p in enumerate(sig.parameters.values()):
        if p.kind is inspect.Parameter.KEYWORD_ONLY and not star:
            head.append("*")
            star = True
        if p.name == "m":
            m_pos, m_default = len(positional), p.default
            head.append("m=None")
        elif p.default is inspect.Parameter.empty:
            head.append(p.name)
        else:
            ns[f"_d{i}"] = p.default
            head.append(f"{p.name}=_d{i}")
        (positional if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD else keyword).append(
            p.name)
    if not star:
        head.append("*")
    head += ["dates=None", "freq=None"]
    ns["_spec"] = _Spec(fn, f"forecast.{fn.__name__}", m_pos, m_default)
    call_kw = ", ".join(f"{k!r}: {k}" for k in keyword)
    first = max(fn.__code__.co_firstlineno, 1)  # the decorator's line: getsource finds it
    src = ("\n" * (first - 1) + f"def {fn.__name__}({', '.join(head)}):\n"
           f"    return _run(_spec, ({', '.join(positional)},), {{{call_kw}}}, dates, freq)\n")
    exec(compile(src, fn.__code__.co_filename, "exec"), ns)
    wrapper = ns[fn.__name__]
    wrapper.__module__, wrapper.__qualname__ = fn.__module__, fn.__qualname__
    wrapper.__doc__ = _insert_doc(fn.__doc__)
    notes = dict(fn.__annotations__)
    ret = notes.pop("return", None)
    if m_pos is not None:
        notes["m"] = "int | None"
    notes.update(dates="ArrayLike | None", freq="str | None")
    if ret is not None:
        notes["return"] = ret
    wrapper.__annotations__ = notes
    return wrapper
