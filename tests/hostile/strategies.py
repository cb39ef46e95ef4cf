"""Hostile values, by parameter kind, as hypothesis strategies.

Every parameter gets :data:`GENERIC` (values wrong for any parameter: ``None``, objects
without any protocol, bytes, NaN, integers past int64, ragged lists, …) mixed with the
values typical of its kind (:data:`KINDS`): for an integer, ``2**63``, ``-1``, ``0``,
``True`` and ``1.5``; for a 1-D array, 2-D and empty arrays, NaN/inf, strings and objects;
for a table, empty frames, integer and duplicated column labels, columns of the wrong type;
and so on. Every hostile value has a short ``repr`` that the failure list prints.

Values are built in the forked worker (they never cross a pipe), so they need not pickle;
objects that name cxpath types (a wrong result object, an empty ``Journeys``) are made
there too, through :class:`Lazy`.

Files: hostile *paths* are always relative (the worker runs in a scratch directory), so a
write under hostile input never lands outside it.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Callable
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

#: The parameter kinds the registry uses (see :mod:`hostile.registry`).
KIND_NAMES = (
    "journeys",     # a cxpath.Journeys
    "stats",        # a JourneyStats (or Journeys)
    "graph",        # a JourneyGraph / networkx graph
    "frame",        # a table (pandas/polars/mapping of columns)
    "array",        # 1-D numbers
    "matrix",       # 2-D numbers, or a table of items
    "labels",       # a sequence of names / touchpoints
    "column",       # a column name, or the values themselves
    "int",          # an integer (any range)
    "count",        # a positive integer that sizes work (horizons, boots, agents, windows)
    "seed",         # a random seed or Generator
    "real",         # a real number
    "probability",  # a real in [0, 1] (confidence, level, quantile, service level)
    "bool",         # a flag
    "option",       # a string naming one of a few choices
    "text",         # free text (titles, separators, names)
    "instant",      # a point in time
    "duration",     # seconds, timedelta or "48h"
    "calendar",     # a BusinessCalendar
    "path",         # a file to read or write
    "callable",     # a function
    "mapping",      # a dict of options or of per-label values
    "result",       # a cxpath result object
    "axes",         # a matplotlib Axes
    "any",          # anything: only the generic values
)


class Opaque:
    """An object with no protocol at all (no len, no iteration, no number)."""

    def __repr__(self) -> str:
        return "Opaque()"


class Lazy:
    """A value built in the worker on first use (cxpath objects of the wrong kind)."""

    def __init__(self, text: str, make: Callable[[], Any]):
        self.text, self.make = text, make

    def __repr__(self) -> str:
        return self.text


class Raw:
    """A value whose repr is given (for arrays and frames, whose own repr is long)."""

    def __init__(self, text: str, value: Any):
        self.text, self.value = text, value

    def __repr__(self) -> str:
        return self.text


def realise(value: Any) -> Any:
    """The value a call receives (builds :class:`Lazy`, unwraps :class:`Raw`)."""
    if isinstance(value, Lazy):
        return value.make()
    if isinstance(value, Raw):
        return value.value
    return value


def _raw(text: str, make: Callable[[], Any]) -> Lazy:
    return Lazy(text, make)


def _pandas(text: str, make: Callable[[Any], Any]) -> Lazy:
    def build():
        import pandas as pd

        return make(pd)

    return Lazy(text, build)


def _journeys_empty():
    import cxpath

    return cxpath.Journeys.from_paths([])


def _journeys_one():
    import cxpath

    return cxpath.Journeys.from_paths(["a"], conversions=[0], nulls=[1])


def _wrong_result():
    import cxpath

    return cxpath.fmea.rpn([5], [5], [5])


#: values wrong for any parameter
GENERIC: tuple[Any, ...] = (
    None,
    True,
    Opaque(),
    "",
    "x",
    "ü漢字🙂\x00\n",
    -1,
    0,
    2**63,
    -(2**63) - 1,
    1.5,
    math.nan,
    math.inf,
    -math.inf,
    [],
    [[1, 2], [3]],
    [None],
    {"a": 1},
    b"\xff\xfe",
    1 + 2j,
    Raw("np.array([])", np.array([])),
    Raw("np.zeros((2, 2))", np.zeros((2, 2))),
    Raw("np.array(['a', None], dtype=object)", np.array(["a", None], dtype=object)),
    len,
)

_HUGE_INTS = (2**31, 2**32, 2**53 + 1, 2**63 - 1, 2**63, 2**64, 10**12, 10**18, 10**30,
              -(2**63), -(2**31), -1, 0)

_INT = st.one_of(
    st.sampled_from(_HUGE_INTS),
    st.integers(),
    st.sampled_from((True, False, 1.5, -0.5, 3.0, "3", math.nan, math.inf)),
    st.builds(lambda x: Raw(f"np.int64({x})", np.int64(x)), st.integers(-(2**63), 2**63 - 1)),
    st.builds(lambda x: Raw(f"np.uint64({x})", np.uint64(x)), st.integers(2**63, 2**64 - 1)),
)

_COUNT = st.one_of(
    st.sampled_from((0, -1, 2**31, 2**40, 2**62, 10**12, 2**63, 10**100)),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from((1.0, 2.5, True, "10", math.inf, math.nan)),
)

_SEED = st.one_of(
    st.sampled_from((-1, 2**64, 2**128, 1.5, "seed", math.nan, True)),
    st.integers(),
    st.builds(lambda x: Raw(f"np.float64({x!r})", np.float64(x)), st.floats()),
)

_REAL = st.one_of(
    st.sampled_from((math.nan, math.inf, -math.inf, -0.0, -1.0, 0.0, 1e308, -1e308, 5e-324,
                     2**63, True, "0.5", 1 + 0j)),
    st.floats(),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.integers(min_value=-(2**80), max_value=2**80),
)

_PROBABILITY = st.one_of(
    st.sampled_from((0.0, 1.0, -0.0, -1e-12, 1 + 1e-12, 1.0000000000000002, 95, 100.0,
                     math.nan, math.inf, "0.95", True)),
    st.floats(min_value=-2, max_value=2),
    st.floats(),
)

_BOOL = st.sampled_from((0, 1, 2, -1, 0.0, "yes", "False", "", Raw("np.bool_(True)",
                         np.bool_(True)), math.nan, [True], None))

_OPTION = st.one_of(
    st.sampled_from(("", " ", "none", "NONE", "default", "auto ", "ALL", "\x00", "é", "nan",
                     "mean;drop table", "🙂" * 3, "a" * 10_000)),
    st.text(max_size=12),
    st.integers(),
)

_TEXT = st.one_of(
    st.sampled_from(("", "\x00", "\u202e", "<script>alert(1)</script>", "a" * 100_000,
                     "line\nbreak", "\t", "🙂", "=cmd|' /C calc'!A0", "{}", "%s%n")),
    st.text(max_size=20),
)

_LABELS = st.one_of(
    st.sampled_from(([], [None], [math.nan], ["a", "a"], [1, 2], [[1], [2]], "abc",
                     ["__start__"], ["__success__", "__drop__"], [True, False], [b"x"],
                     [""], ["a", None, "b"], [math.nan, "a"], list(range(2000)))),
    st.lists(st.one_of(st.text(max_size=5), st.integers(), st.none(), st.floats()),
             max_size=6),
)

_COLUMN = st.one_of(
    st.sampled_from(("no_such_column", "", 0, -1, 10**6, 1.5, None, ("a", "b"), ["a", "b"],
                     True, "ü漢字", math.nan)),
    st.text(max_size=8),
)

_INSTANT = st.one_of(
    st.sampled_from((
        "not a date", "9999-12-31", "0001-01-01", "2024-02-30", -1e18, 1e18, 1e300, math.nan,
        math.inf, True, -(2**63), 2**63,
        Raw("np.datetime64('NaT')", np.datetime64("NaT")),
        Raw("np.datetime64('2262-04-12')", np.datetime64("2262-04-12")),
        Raw("datetime.datetime.max", _dt.datetime.max),
        Raw("datetime.datetime.min", _dt.datetime.min),
        Raw("datetime.date(2024, 1, 1)", _dt.date(2024, 1, 1)),
        Raw("datetime.time(12)", _dt.time(12)),
        _pandas("pd.NaT", lambda pd: pd.NaT),
        _pandas("pd.Timestamp('2024-01-01', tz='Asia/Kolkata')",
                lambda pd: pd.Timestamp("2024-01-01", tz="Asia/Kolkata")),
    )),
    st.floats(),
    st.integers(),
)

_DURATION = st.one_of(
    st.sampled_from(("48x", "h48", "-1h", "1e400s", "nan", "inf", "", "1 fortnight", -1,
                     -1e-9, math.nan, math.inf, 1e300, 2**63, True,
                     Raw("datetime.timedelta(days=-1)", _dt.timedelta(days=-1)),
                     Raw("datetime.timedelta.max", _dt.timedelta.max),
                     Raw("np.timedelta64('NaT')", np.timedelta64("NaT")),
                     Raw("np.timedelta64(1, 'Y')", np.timedelta64(1, "Y")),
                     _pandas("pd.NaT", lambda pd: pd.NaT))),
    st.floats(),
    st.text(max_size=6),
)


def _array_strategy() -> st.SearchStrategy:
    fixed = st.sampled_from((
        Raw("np.array([np.nan, np.nan])", np.array([np.nan, np.nan])),
        Raw("np.array([np.inf, -np.inf, 1.0])", np.array([np.inf, -np.inf, 1.0])),
        Raw("np.array([1e308, 1e308])", np.array([1e308, 1e308])),
        Raw("np.zeros((0, 3))", np.zeros((0, 3))),
        Raw("np.zeros((2, 2, 2))", np.zeros((2, 2, 2))),
        Raw("np.array(5.0)", np.array(5.0)),
        Raw("np.array(['a', 'b'])", np.array(["a", "b"])),
        Raw("np.array([1, 2], dtype=np.uint64) * 2**62",
            np.array([1, 2], dtype=np.uint64) * np.uint64(2**62)),
        Raw("np.array([2**63 - 1, -2**63])", np.array([2**63 - 1, -(2**63)])),
        Raw("np.array(['2024-01-01'], dtype='datetime64[s]')",
            np.array(["2024-01-01"], dtype="datetime64[s]")),
        Raw("np.array([True, False])", np.array([True, False])),
        Raw("np.array([1+1j])", np.array([1 + 1j])),
        Raw("np.ones(3)[::-1] (negative strides)", np.ones(3)[::-1]),
        Raw("np.ones(100_000)", np.ones(100_000)),
        [1, "a", None],
        [math.nan],
        [-1, -2],
        [0, 0, 0],
        [10**30],
        "1,2,3",
        _pandas("pd.Series([1.0, None], dtype='Float64')",
                lambda pd: pd.Series([1.0, None], dtype="Float64")),
        _pandas("pd.Series(['a', 'b'], dtype='category')",
                lambda pd: pd.Series(["a", "b"], dtype="category")),
    ))
    shapes = st.one_of(st.just((0,)), hnp.array_shapes(min_dims=1, max_dims=2, max_side=4))
    dtypes = st.one_of(hnp.floating_dtypes(), hnp.integer_dtypes(), hnp.unsigned_integer_dtypes(),
                       hnp.boolean_dtypes())
    drawn = st.builds(lambda a: Raw(f"np.array({a.tolist()!r}, dtype={a.dtype.name!r})", a),
                      hnp.arrays(dtypes, shapes))
    return st.one_of(fixed, drawn)


_ARRAY = _array_strategy()

_MATRIX = st.one_of(
    st.sampled_from((
        Raw("np.zeros((0, 0))", np.zeros((0, 0))),
        Raw("np.zeros((3, 0))", np.zeros((3, 0))),
        Raw("np.ones((1, 3))", np.ones((1, 3))),
        Raw("np.ones((5, 3)) (constant items)", np.ones((5, 3))),
        Raw("np.full((4, 3), np.nan)", np.full((4, 3), np.nan)),
        Raw("np.array([1.0, 2.0])", np.array([1.0, 2.0])),
        Raw("np.eye(3)", np.eye(3)),
        Raw("np.array([[1, 2], [2, 4], [3, 6]]) (collinear)",
            np.array([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]])),
        Raw("np.ones((2, 2, 2))", np.ones((2, 2, 2))),
        _pandas("pd.DataFrame()", lambda pd: pd.DataFrame()),
        _pandas("pd.DataFrame(np.ones((4, 3)))", lambda pd: pd.DataFrame(np.ones((4, 3)))),
        _pandas("pd.DataFrame({'a': ['x', 'y'], 'b': [1, 2]})",
                lambda pd: pd.DataFrame({"a": ["x", "y"], "b": [1, 2]})),
    )),
    _ARRAY,
)


def _frames() -> tuple:
    return (
        _pandas("pd.DataFrame()", lambda pd: pd.DataFrame()),
        _pandas("pd.DataFrame({'a': []})", lambda pd: pd.DataFrame({"a": []})),
        _pandas("pd.DataFrame(np.arange(6).reshape(3, 2)) (integer column labels)",
                lambda pd: pd.DataFrame(np.arange(6).reshape(3, 2))),
        _pandas("pd.DataFrame([[1, 2]], columns=['a', 'a']) (duplicated labels)",
                lambda pd: pd.DataFrame([[1, 2]], columns=["a", "a"])),
        _pandas("pd.DataFrame({'case': [None], 'touchpoint': [None], 'timestamp': [None]})",
                lambda pd: pd.DataFrame({"case": [None], "touchpoint": [None],
                                         "timestamp": [None]})),
        _pandas("pd.DataFrame({'x': [object()]})", lambda pd: pd.DataFrame({"x": [object()]})),
        _pandas("pd.Series([1, 2])", lambda pd: pd.Series([1, 2])),
        {"a": [1, 2], "b": [1]},
        {"a": 1},
        {1: [1, 2]},
        [{"a": 1}, {"b": 2}],
        Raw("np.ones((3, 2))", np.ones((3, 2))),
    )


_FRAME = st.sampled_from(_frames())

_JOURNEYS = st.sampled_from((
    Lazy("Journeys.from_paths([])", _journeys_empty),
    Lazy("Journeys.from_paths(['a'], conversions=[0], nulls=[1])", _journeys_one),
    Lazy("cxpath.fmea.rpn([5], [5], [5]) (a different result)", _wrong_result),
    ["web > chat", "web"],
    *_frames()[:3],
))

_CALENDAR = st.sampled_from(("24/7", "Europe/Nowhere", {"mon": "9-17"}, 9, "business",
                             Lazy("cxpath.fmea.rpn([5], [5], [5]) (a different result)",
                                  _wrong_result)))

_PATH = st.sampled_from(("", ".", "no/such/dir/file.csv", "a\x00b", "x" * 5000, "ü漢字.csv",
                         b"bytes.csv", 12, "scratch_dir/", ".."))

_CALLABLE = st.sampled_from((
    Lazy("lambda *a, **k: None", lambda: (lambda *a, **k: None)),
    Lazy("lambda *a, **k: 1 / 0", lambda: (lambda *a, **k: 1 / 0)),
    Lazy("lambda *a, **k: 'x'", lambda: (lambda *a, **k: "x")),
    "not callable", 42,
))

_MAPPING = st.one_of(
    st.sampled_from(({}, {None: None}, {"": ""}, {"no_such_option": 1}, {1: 2},
                     {"a": [math.nan]}, {"a": {"b": {"c": Opaque()}}}, [("a", 1)])),
    st.dictionaries(st.text(max_size=4), st.one_of(st.integers(), st.text(max_size=3),
                                                   st.none()), max_size=3),
)

_RESULT = st.sampled_from((
    Lazy("cxpath.fmea.rpn([5], [5], [5]) (a different result)", _wrong_result),
    Lazy("Journeys.from_paths([])", _journeys_empty),
    "result",
))

_AXES = st.sampled_from(("ax", 1, Lazy("matplotlib Figure (not an Axes)", lambda: _figure())))


def _figure():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt.figure()


KINDS: dict[str, st.SearchStrategy] = {
    "journeys": _JOURNEYS,
    "stats": _JOURNEYS,
    "graph": st.one_of(_JOURNEYS, st.sampled_from(([("a", "b")], [("a",)], "a>b"))),
    "frame": _FRAME,
    "array": _ARRAY,
    "matrix": _MATRIX,
    "labels": _LABELS,
    "column": st.one_of(_COLUMN, _ARRAY),
    "int": _INT,
    "count": _COUNT,
    "seed": _SEED,
    "real": _REAL,
    "probability": _PROBABILITY,
    "bool": _BOOL,
    "option": _OPTION,
    "text": _TEXT,
    "instant": _INSTANT,
    "duration": _DURATION,
    "calendar": _CALENDAR,
    "path": _PATH,
    "callable": _CALLABLE,
    "mapping": _MAPPING,
    "result": _RESULT,
    "axes": _AXES,
    "any": st.nothing(),
}
assert set(KINDS) == set(KIND_NAMES)

_GENERIC = st.sampled_from(GENERIC)


def strategy(kind: str) -> st.SearchStrategy:
    """Hostile values for a parameter of ``kind``: its own, mixed with :data:`GENERIC`."""
    own = KINDS[kind]
    return _GENERIC if own.is_empty else st.one_of(own, _GENERIC)


def fixed_values(kind: str) -> tuple[Any, ...]:
    """The explicit hostile values of ``kind`` (the ``sampled_from`` lists), for full mode."""
    out: list[Any] = []

    def walk(strategy):
        wrapped = getattr(strategy, "wrapped_strategy", None)
        if wrapped is not None:
            walk(wrapped)
            return
        elements = getattr(strategy, "elements", None)
        if isinstance(elements, (tuple, list)):
            out.extend(elements)
        for sub in getattr(strategy, "original_strategies", ()) or ():
            walk(sub)

    walk(KINDS[kind])
    return tuple(out)


def show(value: Any, limit: int = 100) -> str:
    """A short repr for the failure list."""
    try:
        text = repr(value)
    except Exception as exc:  # a value whose repr fails is still reported
        text = f"<{type(value).__name__} (repr failed: {type(exc).__name__})>"
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 2**31:
        text = _power_of_two(value) or text
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _power_of_two(value: int) -> str | None:
    """``2**63``, ``2**63 - 1``, ``-(2**63) - 1``, ``10**12``: how big integers read best."""
    magnitude = abs(value)
    for base in (2, 10):
        for offset, suffix in ((0, ""), (1, " - 1"), (-1, " + 1")):
            exp = round(math.log(max(magnitude + offset, 1), base))
            if exp > 4 and base**exp == magnitude + offset:
                text = f"{base}**{exp}"
                if value >= 0:
                    return text + suffix
                flipped = {"": "", " - 1": " + 1", " + 1": " - 1"}[suffix]
                return f"-({text}){flipped}" if suffix else f"-{text}"
    return None
