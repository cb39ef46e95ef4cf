"""Ratings from data: occurrence from observed failure rates, detection from catch rates.

A :class:`RatingScale` is a breakpoint table: a value at or above ``thresholds[k]`` (and below
the previous threshold) gets ``ratings[k]``; anything below the last threshold gets
``floor``. Two defaults ship:

* :data:`AIAG_FMEA4_PFMEA_OCCURRENCE` - incidents per 1,000 items (units, orders, contacts):
  the AIAG *Potential FMEA* reference manual, 4th edition (2008), PFMEA occurrence table
  (>= 100 -> 10, 50 -> 9, 20 -> 8, 10 -> 7, 2 -> 6, 0.5 -> 5, 0.1 -> 4, 0.01 -> 3,
  <= 0.001 -> 2).
* :data:`ESCAPE_DECILES_DETECTION` - the share of failures that escape detection, in ten equal
  bands. The AIAG-VDA handbook rates detection by the maturity of the detection method and
  gives no rate table; this decile scale is a cxpath convention, stated as such.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import TYPE_CHECKING

import attrs
import numpy as np

from .. import _validate as v
from .._frames import column as _column
from .._results import Result, alias, result
from .worksheet import Worksheet

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .._typing import ArrayLike, ColumnLike, TableLike

__all__ = ["AIAG_FMEA4_PFMEA_OCCURRENCE", "ESCAPE_DECILES_DETECTION", "ObservedDetection",
           "ObservedOccurrence", "RatingScale", "detection_rating", "observed_detection",
           "observed_occurrence", "occurrence_rating"]


def _floats(values: Iterable[float]) -> tuple:
    must = "a non-empty, strictly decreasing sequence of finite numbers"
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        v.fail("thresholds", "fmea.RatingScale", must, values, wrong_type=True)
    arr = v.as_float_array(list(values) if not isinstance(values, np.ndarray) else values,
                           "thresholds", "fmea.RatingScale", min_size=0)
    return tuple(float(t) for t in arr)


def _ints(values: Iterable[int]) -> tuple:
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable) or \
            (isinstance(values, np.ndarray) and values.ndim == 0):
        v.fail("ratings", "fmea.RatingScale", "a sequence of integers in [1, 10]", values,
               wrong_type=True)
    return tuple(values)


@attrs.frozen(eq=False)
class RatingScale:
    """A breakpoint table from a measured value to a 1-10 rating.

    Parameters
    ----------
    thresholds : sequence of float
        Strictly decreasing lower edges; ``value >= thresholds[k]`` earns ``ratings[k]``
        unless an earlier threshold is met.
    ratings : sequence of int
        Ratings in [1, 10], one per threshold, strictly decreasing.
    floor : int
        Rating of values below the last threshold.
    name, unit, source : str
        What the scale measures and where it comes from.

    Examples
    --------
    >>> scale = RatingScale([10.0, 1.0], [9, 5], floor=1, unit="per 1,000")
    >>> scale.rate([12.0, 10.0, 9.99, 1.0, 0.0]).tolist()
    [9, 9, 5, 5, 1]
    """

    thresholds: tuple = attrs.field(converter=_floats)
    ratings: tuple = attrs.field(converter=_ints)
    floor: int = 1
    name: str = "custom"
    unit: str = ""
    source: str = ""

    def __attrs_post_init__(self):
        func = "fmea.RatingScale"
        th = np.asarray(self.thresholds, dtype=float)
        if th.size == 0 or not np.all(np.isfinite(th)) or np.any(np.diff(th) >= 0):
            v.fail("thresholds", func, "a non-empty, strictly decreasing sequence of finite "
                   "numbers", self.thresholds)
        if len(self.ratings) != th.size:
            v.fail("ratings", func, f"one rating per threshold ({th.size})",
                   got=f"{len(self.ratings)} ratings")
        for r in self.ratings:
            v.check_int(r, "ratings", func, low=1, high=10)
        v.check_int(self.floor, "floor", func, low=1, high=10)
        seq = [*self.ratings, self.floor]
        if any(a <= b for a, b in itertools.pairwise(seq)):
            v.fail("ratings", func, "strictly decreasing and above 'floor'",
                   got=repr(tuple(seq)))

    def rate(self, values: ArrayLike) -> np.ndarray:
        """Rating of each value (NaN is an error, +inf gets the top rating)."""
        x = v.as_float_array(values, "values", f"fmea.RatingScale.rate ({self.name})",
                             allow_inf=True, min_size=0)
        # number of thresholds strictly above x  ->  position in the rating list
        pos = np.searchsorted(-np.asarray(self.thresholds), -x, side="left")
        table = np.asarray([*self.ratings, self.floor], dtype=np.int64)
        return table[pos]

    def rows(self) -> list[tuple]:
        """``(lower edge, rating)`` pairs, then ``(None, floor)``."""
        return [*zip(self.thresholds, self.ratings), (None, self.floor)]


#: AIAG FMEA-4 (2008) PFMEA occurrence: incidents per 1,000 items.
AIAG_FMEA4_PFMEA_OCCURRENCE = RatingScale(
    thresholds=(100.0, 50.0, 20.0, 10.0, 2.0, 0.5, 0.1, 0.01),
    ratings=(10, 9, 8, 7, 6, 5, 4, 3), floor=2, name="aiag-fmea4-pfmea",
    unit="incidents per 1,000 items",
    source="AIAG, Potential Failure Mode and Effects Analysis (FMEA), 4th edition (2008), "
           "PFMEA suggested occurrence evaluation criteria")

#: Share of failures that escape detection, in ten equal bands (a cxpath convention).
ESCAPE_DECILES_DETECTION = RatingScale(
    thresholds=(0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1),
    ratings=(10, 9, 8, 7, 6, 5, 4, 3, 2), floor=1, name="escape-deciles",
    unit="share of failures not detected before the customer",
    source="cxpath convention: ten equal bands of the escape share (the AIAG-VDA handbook "
           "gives no numeric detection table)")

_SCALES = {"aiag-fmea4-pfmea": AIAG_FMEA4_PFMEA_OCCURRENCE,
           "escape-deciles": ESCAPE_DECILES_DETECTION}


def _scale(scale, func) -> RatingScale:
    if isinstance(scale, RatingScale):
        return scale
    v.check_option(scale, "scale", func, tuple(_SCALES))
    return _SCALES[scale]


def occurrence_rating(rate: ArrayLike, *, per: float = 1000.0,
                      scale: str | RatingScale = "aiag-fmea4-pfmea") -> int | np.ndarray:
    """Occurrence rating of an observed failure rate.

    Parameters
    ----------
    rate : float or array-like of float
        Failures per ``per`` items of exposure (units, orders, contacts).
    per : float, default 1000
        The exposure unit of ``rate``; rates are converted to per 1,000 for the default
        scale (``rate=0.02, per=1`` is 20 per 1,000).
    scale : str or RatingScale, default 'aiag-fmea4-pfmea'
        :data:`AIAG_FMEA4_PFMEA_OCCURRENCE` or your own breakpoint table (its thresholds
        are then in units per 1,000 items as well).

    Returns
    -------
    int or ndarray of int

    Raises
    ------
    InvalidParameterError, DataError
        A negative or NaN rate, a non-positive ``per`` or an unknown scale name.

    Notes
    -----
    A rate exactly on a breakpoint earns the higher rating (20 per 1,000 -> 8). Rating 1
    ("failure eliminated through prevention") is never given from data: an observed zero
    gets the floor 2.

    Examples
    --------
    >>> occurrence_rating(20.0)
    8
    >>> occurrence_rating([150, 0.5, 0.499, 0.0]).tolist()
    [10, 5, 4, 2]
    >>> occurrence_rating(0.02, per=1)
    8
    """
    func = "fmea.occurrence_rating"
    per = v.check_real(per, "per", func, low=0.0, closed="neither")
    sc = _scale(scale, func)
    rate = v.array(rate, "rate", func)
    scalar = np.ndim(rate) == 0
    x = v.as_float_array(np.atleast_1d(rate), "rate", func, low=0.0, allow_inf=True,
                         min_size=0)
    out = sc.rate(np.round(x * 1000.0 / per, 10))  # snap float noise onto breakpoints
    return int(out[0]) if scalar else out


def detection_rating(detected: ArrayLike, total: ArrayLike | None = None, *,
                     scale: str | RatingScale = "escape-deciles") -> int | np.ndarray:
    """Detection rating from how often failures were caught before the customer.

    Parameters
    ----------
    detected : float or array-like
        Detection rate in [0, 1] when ``total`` is None, else the count of failures caught.
    total : int or array-like of int, optional
        Count of all failures (caught + escaped).
    scale : str or RatingScale, default 'escape-deciles'
        Breakpoints on the escape share ``1 - detected / total``; the default gives
        D = 1 for under 10 % escaping, 2 for 10-20 %, …, 10 for 90 % or more.

    Returns
    -------
    int or ndarray of int

    Raises
    ------
    InvalidParameterError, DataError
        A rate outside [0, 1], a count above its total or a total of zero.

    Examples
    --------
    >>> detection_rating(0.95)
    1
    >>> detection_rating([45, 10], [50, 100]).tolist()
    [2, 10]
    """
    func = "fmea.detection_rating"
    sc = _scale(scale, func)
    detected = v.array(detected, "detected", func)
    total = None if total is None else v.array(total, "total", func)
    scalar = np.ndim(detected) == 0 and (total is None or np.ndim(total) == 0)
    if total is None:
        rate = v.as_float_array(np.atleast_1d(detected), "detected", func, low=0.0, high=1.0,
                                min_size=0)
    else:
        hit = v.as_float_array(np.atleast_1d(detected), "detected", func, low=0.0,
                               min_size=0)
        tot = v.as_float_array(np.atleast_1d(total), "total", func, low=0.0,
                               closed="neither", min_size=0)
        if tot.size == 1 and hit.size != 1:
            tot = np.full(hit.size, tot[0])
        v.check_same_length(func, detected=hit, total=tot)
        over = hit > tot
        if over.any():
            i = int(np.argmax(over))
            v.fail("detected", func, "at most 'total'",
                   got=f"{hit[i]:g} > {tot[i]:g} at position {i}", data=True)
        escape = (tot - hit) / tot
    if total is None:
        escape = 1.0 - rate
    # decimal inputs such as 0.9 are not exact in binary: snap to 12 decimals so that an
    # escape share of exactly 0.1 lands on its breakpoint
    out = sc.rate(np.round(escape, 12))
    return int(out[0]) if scalar else out


class _MeasuredRatings(Result):
    """What measured occurrence and detection ratings share: matching a worksheet."""

    _rating = ""  # the worksheet column the ratings replace

    @property
    def unmatched(self) -> np.ndarray:
        """Recorded failure modes that the worksheet does not list."""
        return self.failure_mode[~self.in_worksheet]

    def apply(self, worksheet: Worksheet) -> Worksheet:
        """The worksheet with the measured ratings in place of its own.

        Modes without records keep the worksheet's rating.
        """
        func = f"fmea.{type(self).__name__}.apply"
        if not isinstance(worksheet, Worksheet):
            v.fail("worksheet", func, "a cxpath.fmea.Worksheet",
                   got=f"an object of type {type(worksheet).__name__}")
        mine = self.failure_mode[self.in_worksheet]
        if len(mine) != len(worksheet) or not np.array_equal(mine, worksheet.failure_mode):
            v.fail("worksheet", func, "the worksheet these ratings were measured for",
                   got="a worksheet with other failure modes", data=True)
        return worksheet.with_ratings(**{self._rating: self.rating[self.in_worksheet]})


@result
class ObservedOccurrence(_MeasuredRatings):
    """Occurrence ratings measured from failure records.

    ``apply(worksheet)`` returns the worksheet with these ratings as its occurrence;
    ``unmatched`` lists recorded modes the worksheet does not have.

    Attributes
    ----------
    failure_mode : ndarray of str
        Worksheet modes (in worksheet order), then any recorded mode not in the worksheet.
    in_worksheet : ndarray of bool
    count : ndarray of int
        Recorded failures of the mode.
    exposure : ndarray of float
        Items of exposure (orders, units, contacts) behind the rate.
    rate, rate_low, rate_high : ndarray of float
        Failures per 1,000 items with its exact (Clopper-Pearson) interval at ``confidence``.
    rate_per_1000 : ndarray of float
        ``rate`` under its column name.
    rating : ndarray of int
        Occurrence from ``rate`` (or from ``rate_high`` with ``conservative=True``).
    current : ndarray of int
        The worksheet's occurrence (0 for modes not in the worksheet).
    change : ndarray of int
        ``rating - current`` (0 for modes not in the worksheet).
    scale : str
    confidence : float
    conservative : bool
    """

    failure_mode: np.ndarray
    in_worksheet: np.ndarray
    count: np.ndarray
    exposure: np.ndarray
    rate: np.ndarray
    rate_low: np.ndarray
    rate_high: np.ndarray
    rating: np.ndarray
    current: np.ndarray
    change: np.ndarray
    scale: str
    confidence: float
    conservative: bool
    _rating = "occurrence"
    rate_per_1000 = alias("rate")

    def _title(self):
        return "Observed occurrence"

    def _summary(self):
        n_up = int((self.change > 0).sum())
        n_down = int((self.change < 0).sum())
        lines = [f"scale {self.scale}; {n_up} rated higher, {n_down} lower than the worksheet"]
        if (~self.in_worksheet).any():
            lines.append(f"{int((~self.in_worksheet).sum())} recorded mode(s) not in the "
                         "worksheet")
        return lines

    def _columns(self):
        return {"failure_mode": self.failure_mode, "in_worksheet": self.in_worksheet,
                "count": self.count, "exposure": self.exposure, "rate_per_1000": self.rate,
                "rate_low": self.rate_low, "rate_high": self.rate_high,
                "rating": self.rating, "current": self.current, "change": self.change}


def _match_modes(worksheet, records, mode, func):
    """Worksheet modes then unlisted recorded modes, the label code of every record, extras."""
    if mode is None:
        v.fail("mode", func, "a column name or the failure modes themselves", None,
               wrong_type=True)
    names = _column(records, mode, "mode", func)
    names = ["" if x is None else str(x) for x in names]
    modes = worksheet.failure_mode
    dup = [m for m, c in zip(*np.unique(modes.astype(str), return_counts=True)) if c > 1]
    if dup:
        v.fail("worksheet", func, "a worksheet whose failure modes have distinct names",
               got=f"{str(dup[0])!r} more than once", data=True)
    known = set(modes.tolist())
    extra = [m for m in dict.fromkeys(names) if m not in known]
    labels = np.array(list(modes) + extra, dtype=object)
    where = {m: i for i, m in enumerate(labels.tolist())}
    code = np.fromiter((where[m] for m in names), dtype=np.int64, count=len(names))
    return labels, code, extra


def _exact_interval(k, n, confidence):
    """Clopper-Pearson interval of k successes in n trials (arrays; n > 0)."""
    from scipy import stats

    alpha = 1.0 - confidence
    low = np.where(k > 0, stats.beta.ppf(alpha / 2, k, n - k + 1), 0.0)
    high = np.where(k < n, stats.beta.ppf(1 - alpha / 2, k + 1, np.maximum(n - k, 1e-300)),
                    1.0)
    return low, high


def observed_occurrence(worksheet: Worksheet, records: TableLike | None = None, *,
                        mode: ColumnLike = "failure_mode",
                        exposure: ArrayLike | Mapping[str, float] | None = None,
                        scale: str | RatingScale = "aiag-fmea4-pfmea", confidence: float = 0.95,
                        conservative: bool = False,
                        level: float | None = None) -> ObservedOccurrence:
    """Rate each worksheet mode's occurrence from a ticket or warranty table.

    Parameters
    ----------
    worksheet : Worksheet
    records : table, optional
        One row per recorded failure (pandas/polars/pyarrow/dict). Without it, ``mode`` is
        the sequence of recorded failure-mode names.
    mode : str or array-like, default 'failure_mode'
        Column of ``records`` (or the values) naming each failure's mode.
    exposure : float, array-like or dict
        Items the failures could have happened on (orders, units sold, contacts): one
        number for all modes, one per worksheet mode, or a dict mode -> exposure.
    scale : str or RatingScale, default 'aiag-fmea4-pfmea'
        Breakpoints in failures per 1,000 items.
    confidence : float, default 0.95
        Confidence level of the exact binomial interval of each rate.
    level : float, optional
        Deprecated name of ``confidence``.
    conservative : bool, default False
        Rate on the upper confidence bound instead of the point rate (small counts then do
        not earn a low occurrence by luck).

    Returns
    -------
    ObservedOccurrence
        Modes recorded but missing from the worksheet are listed (``in_worksheet`` False),
        never dropped.

    Raises
    ------
    InvalidParameterError, DataError
        Missing or non-positive exposure, failures exceeding exposure, a missing column.

    Examples
    --------
    >>> from cxpath.fmea import Worksheet
    >>> ws = Worksheet.from_frame({"failure_mode": ["late", "wrong"], "S": [6, 7],
    ...                            "O": [6, 5], "D": [3, 4]})
    >>> obs = observed_occurrence(ws, mode=["late"] * 30 + ["wrong"] * 3, exposure=1000)
    >>> obs.rating.tolist(), obs.change.tolist()
    ([8, 6], [2, 1])
    """
    func = "fmea.observed_occurrence"
    if not isinstance(worksheet, Worksheet):
        v.fail("worksheet", func, "a cxpath.fmea.Worksheet",
               got=f"an object of type {type(worksheet).__name__}")
    sc = _scale(scale, func)
    confidence = v.check_probability(v.renamed(level, confidence, "level", "confidence", func),
                                     "confidence", func, closed="neither")
    v.check_bool(conservative, "conservative", func)
    labels, code, extra = _match_modes(worksheet, records, mode, func)
    modes = worksheet.failure_mode
    count = np.bincount(code, minlength=len(labels)).astype(np.int64)
    if exposure is None:
        v.fail("exposure", func, "given (orders, units or contacts the failures are counted "
               "against)", None)
    if isinstance(exposure, dict):
        missing = [m for m in labels.tolist() if m not in exposure]
        if missing:
            v.fail("exposure", func, "a dict with an entry for every failure mode",
                   got=f"no entry for {missing[0]!r}", data=True)
        expo = v.as_float_array([exposure[m] for m in labels.tolist()], "exposure", func,
                                low=0.0, closed="neither")
    elif np.ndim(v.array(exposure, "exposure", func)) == 0:
        e = v.check_real(exposure, "exposure", func, low=0.0, closed="neither")
        expo = np.full(len(labels), e)
    else:
        e = v.as_float_array(exposure, "exposure", func, low=0.0, closed="neither")
        if e.size != len(modes):
            v.fail("exposure", func, f"one value per worksheet mode ({len(modes)})",
                   got=f"{e.size} values", data=True)
        if extra:
            v.fail("exposure", func, "a scalar or a dict when records name modes outside the "
                   "worksheet", got=f"an array (unlisted mode {extra[0]!r})", data=True)
        expo = e
    over = count > expo
    if over.any():
        i = int(np.argmax(over))
        v.fail("exposure", func, "at least the number of failures recorded",
               got=f"{expo[i]:g} for {labels[i]!r} with {count[i]} failures", data=True)
    low, high = _exact_interval(count, expo, confidence)
    rate = count * 1000.0 / expo
    low, high = low * 1000.0, high * 1000.0
    rating = sc.rate(np.round(high if conservative else rate, 10))
    in_ws = np.arange(len(labels)) < len(modes)
    current = np.zeros(len(labels), dtype=np.int64)
    current[:len(modes)] = worksheet.occurrence
    change = np.where(in_ws, rating - current, 0)
    return ObservedOccurrence(failure_mode=labels, in_worksheet=in_ws, count=count,
                              exposure=expo, rate=rate, rate_low=low, rate_high=high,
                              rating=rating, current=current, change=change, scale=sc.name,
                              confidence=confidence, conservative=conservative)


@result
class ObservedDetection(_MeasuredRatings):
    """Detection ratings measured from failure records that say whether each was caught.

    ``apply(worksheet)`` returns the worksheet with these ratings as its detection (modes
    without records keep theirs); ``unmatched`` lists recorded modes the worksheet does not
    have.

    Attributes
    ----------
    failure_mode : ndarray of str
        Worksheet modes (in worksheet order), then any recorded mode not in the worksheet.
    in_worksheet, measured : ndarray of bool
        ``measured`` is False for modes without any record: their rating stays the
        worksheet's.
    failures, detected : ndarray of int
        Recorded failures of the mode and how many were caught before the customer.
    escape, escape_low, escape_high : ndarray of float
        Share that escaped, with its exact (Clopper-Pearson) interval at ``confidence``
        (NaN where nothing was recorded).
    rating : ndarray of int
        Detection from ``escape`` (or ``escape_high`` with ``conservative=True``).
    current, change : ndarray of int
        The worksheet's detection and ``rating - current`` (0 where not measured).
    scale : str
    confidence : float
    conservative : bool
    """

    failure_mode: np.ndarray
    in_worksheet: np.ndarray
    measured: np.ndarray
    failures: np.ndarray
    detected: np.ndarray
    escape: np.ndarray
    escape_low: np.ndarray
    escape_high: np.ndarray
    rating: np.ndarray
    current: np.ndarray
    change: np.ndarray
    scale: str
    confidence: float
    conservative: bool
    _rating = "detection"

    def _title(self):
        return "Observed detection"

    def _summary(self):
        n_up = int((self.change > 0).sum())
        n_down = int((self.change < 0).sum())
        n_un = int((self.in_worksheet & ~self.measured).sum())
        return [f"scale {self.scale}; {n_up} rated worse, {n_down} better than the worksheet; "
                f"{n_un} mode(s) without records"]

    def _columns(self):
        return {"failure_mode": self.failure_mode, "in_worksheet": self.in_worksheet,
                "measured": self.measured, "failures": self.failures,
                "detected": self.detected, "escape": self.escape,
                "escape_low": self.escape_low, "escape_high": self.escape_high,
                "rating": self.rating, "current": self.current, "change": self.change}


def observed_detection(worksheet: Worksheet, records: TableLike | None = None, *,
                       mode: ColumnLike = "failure_mode", detected: ColumnLike = "detected",
                       scale: str | RatingScale = "escape-deciles", confidence: float = 0.95,
                       conservative: bool = False, level: float | None = None) -> ObservedDetection:
    """Rate each worksheet mode's detection from failure records flagged caught / escaped.

    Parameters
    ----------
    worksheet : Worksheet
    records : table, optional
        One row per failure (pandas/polars/pyarrow/dict); without it ``mode`` and
        ``detected`` are the values themselves.
    mode : str or array-like, default 'failure_mode'
        Column (or values) naming each failure's mode.
    detected : str or array-like of bool, default 'detected'
        Column (or values): True when the failure was caught before it reached the customer.
    scale : str or RatingScale, default 'escape-deciles'
        Breakpoints on the escape share (see :func:`detection_rating`).
    confidence : float, default 0.95
        Confidence level of the exact interval of each escape share.
    level : float, optional
        Deprecated name of ``confidence``.
    conservative : bool, default False
        Rate on the upper bound of the escape share.

    Returns
    -------
    ObservedDetection

    Raises
    ------
    InvalidParameterError, DataError
        A missing column, a ``detected`` value that is not a boolean, mismatched lengths.

    Examples
    --------
    >>> from cxpath.fmea import Worksheet
    >>> ws = Worksheet.from_frame({"failure_mode": ["late", "wrong"], "S": [6, 7],
    ...                            "O": [6, 5], "D": [3, 4]})
    >>> obs = observed_detection(ws, mode=["late"] * 4 + ["wrong"] * 2,
    ...                          detected=[True, True, True, False, False, False])
    >>> obs.escape.tolist(), obs.rating.tolist()
    ([0.25, 1.0], [3, 10])
    """
    func = "fmea.observed_detection"
    if not isinstance(worksheet, Worksheet):
        v.fail("worksheet", func, "a cxpath.fmea.Worksheet",
               got=f"an object of type {type(worksheet).__name__}")
    sc = _scale(scale, func)
    confidence = v.check_probability(v.renamed(level, confidence, "level", "confidence", func),
                                     "confidence", func, closed="neither")
    v.check_bool(conservative, "conservative", func)
    labels, code, _ = _match_modes(worksheet, records, mode, func)
    if detected is None:
        v.fail("detected", func, "a column name or True/False for every failure", None,
               wrong_type=True)
    flags = _column(records, detected, "detected", func)
    if flags.dtype.kind != "b":
        bad = [i for i, x in enumerate(flags.tolist()) if not isinstance(x, (bool, np.bool_))]
        if bad:
            v.fail("detected", func, "True or False for every failure",
                   got=f"{flags.tolist()[bad[0]]!r} at position {bad[0]}", data=True)
        flags = flags.astype(bool)
    v.check_same_length(func, mode=code, detected=flags)
    n = np.bincount(code, minlength=len(labels)).astype(np.int64)
    hit = np.bincount(code, weights=flags.astype(float), minlength=len(labels)).astype(np.int64)
    measured = n > 0
    safe_n = np.maximum(n, 1)
    esc = np.where(measured, (n - hit) / safe_n, np.nan)
    low, high = _exact_interval(n - hit, safe_n, confidence)
    low, high = np.where(measured, low, np.nan), np.where(measured, high, np.nan)
    in_ws = np.arange(len(labels)) < len(worksheet)
    current = np.zeros(len(labels), dtype=np.int64)
    current[:len(worksheet)] = worksheet.detection
    basis = np.where(measured, np.round(high if conservative else esc, 12), 0.0)
    rating = np.where(measured, sc.rate(basis), current)
    change = np.where(in_ws & measured, rating - current, 0)
    return ObservedDetection(failure_mode=labels, in_worksheet=in_ws, measured=measured,
                             failures=n, detected=hit, escape=esc, escape_low=low,
                             escape_high=high, rating=rating.astype(np.int64),
                             current=current, change=change, scale=sc.name, confidence=confidence,
                             conservative=conservative)
