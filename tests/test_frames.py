"""cxpath._frames.column: every backend dtype maps to its plain numpy equivalent."""

from __future__ import annotations

from datetime import date, datetime, timezone

import numpy as np
import pytest

from cxpath import Journeys
from cxpath._frames import column, dictionary_codes
from cxpath.journeys._encode import factorize

pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")
pl = pytest.importorskip("polars")

JAN1 = 1735689600.0  # 2025-01-01T00:00:00Z (date -u -d 2025-01-01 +%s)


def col(data, name="x"):
    return column(data, name, name, "f")


def same(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype.kind == "f" and b.dtype.kind == "f":
        return a.shape == b.shape and bool(((a == b) | (np.isnan(a) & np.isnan(b))).all())
    return a.dtype == b.dtype and a.tolist() == b.tolist()


@pytest.mark.parametrize("series, expected", [
    (pd.Series([1, None, 3], dtype="Int64"), np.array([1.0, np.nan, 3.0])),
    (pd.Series([1, 2], dtype="Int64"), np.array([1, 2], dtype=np.int64)),
    (pd.Series([1.5, None], dtype="Float64"), np.array([1.5, np.nan])),
    (pd.Series([True, None, False], dtype="boolean"), np.array([True, None, False], object)),
    (pd.Series([True, False], dtype="boolean"), np.array([True, False])),
    (pd.Series(["a", None], dtype="string[python]"), np.array(["a", None], dtype=object)),
    (pd.Series(["a", None], dtype="string[pyarrow]"), np.array(["a", None], dtype=object)),
    (pd.Series(["b", None, "a"], dtype="category"), np.array(["b", None, "a"], dtype=object)),
    (pd.Series(pd.to_datetime(["2025-01-01 01:00"]).tz_localize("Europe/Berlin")),
     np.array(["2025-01-01T00:00"], dtype="datetime64[ns]")),
    (pd.Series([datetime(2025, 1, 1, 1, tzinfo=timezone.utc)],
               dtype=pd.ArrowDtype(pa.timestamp("us", tz="Europe/Berlin"))),
     np.array(["2025-01-01T01:00"], dtype="datetime64[us]")),
    (pd.Series([date(2025, 1, 1), None], dtype=pd.ArrowDtype(pa.date32())),
     np.array(["2025-01-01", "NaT"], dtype="datetime64[D]")),
])
def test_pandas_dtypes(series, expected):
    got = col(pd.DataFrame({"x": series}))
    assert same(got, expected), (got, expected)


@pytest.mark.parametrize("array, expected", [
    (pa.array([date(2025, 1, 1), None], pa.date32()),
     np.array(["2025-01-01", "NaT"], dtype="datetime64[D]")),
    (pa.array([date(2025, 1, 1)], pa.date64()), np.array(["2025-01-01"], dtype="datetime64[ms]")),
    (pa.array([datetime(2025, 1, 1, 1, tzinfo=timezone.utc)], pa.timestamp("s", tz="Asia/Tokyo")),
     np.array(["2025-01-01T01:00"], dtype="datetime64[s]")),
    (pa.array([True, None, False]), np.array([True, None, False], dtype=object)),
    (pa.array([1, None]), np.array([1.0, np.nan])),
    (pa.array(["b", None, "a", "b"]), np.array(["b", None, "a", "b"], dtype=object)),
    (pa.array(["b", None], pa.large_string()), np.array(["b", None], dtype=object)),
    (pa.array(["b", None, "b"]).dictionary_encode(), np.array(["b", None, "b"], dtype=object)),
    (pa.chunked_array([["a", "b"], ["b", None]]), np.array(["a", "b", "b", None], dtype=object)),
])
def test_arrow_types(array, expected):
    got = col(pa.table({"x": array}))
    assert same(got, expected), (got, expected)


def test_arrow_mostly_distinct_strings_skip_the_dictionary_and_read_the_same():
    values = [f"2025-01-01T00:00:{i % 60:02d}.{i:06d}Z" for i in 5000 * [0] + list(range(5000))]
    got = col(pa.table({"x": values}))
    assert got.dtype == object and got.tolist() == values


@pytest.mark.parametrize("series, expected", [
    (pl.Series("x", [date(2025, 1, 1), None]), np.array(["2025-01-01", "NaT"],
                                                        dtype="datetime64[D]")),
    (pl.Series("x", [datetime(2025, 1, 1, 1)]).dt.replace_time_zone("Europe/Berlin"),
     np.array(["2025-01-01T00:00"], dtype="datetime64[us]")),
    (pl.Series("x", ["b", None, "a"], dtype=pl.Categorical),
     np.array(["b", None, "a"], dtype=object)),
    (pl.Series("x", ["x", None, "y"], dtype=pl.Enum(["y", "x"])),
     np.array(["x", None, "y"], dtype=object)),
    (pl.Series("x", [True, None, False]), np.array([True, None, False], dtype=object)),
    (pl.Series("x", [True, False]), np.array([True, False])),
    (pl.Series("x", [1, None]), np.array([1.0, np.nan])),
    (pl.Series("x", ["a", None]), np.array(["a", None], dtype=object)),
])
def test_polars_dtypes(series, expected):
    got = col(pl.DataFrame({"x": series}))
    assert same(got, expected), (got, expected)


def test_dictionary_columns_factorize_like_object_columns():
    values = ["web", None, "app", "web", "chat", None]
    plain = factorize(np.array(values, dtype=object), "x", "f")
    for table in (pa.table({"x": values}), pl.DataFrame({"x": values}),
                  pd.DataFrame({"x": pd.Series(values, dtype="category")})):
        arr = col(table)
        assert dictionary_codes(arr) is not None
        codes, uniques = factorize(arr, "x", "f")
        assert codes.tolist() == plain[0].tolist() == [2, -1, 0, 2, 1, -1]
        assert uniques.tolist() == plain[1].tolist()
        assert dictionary_codes(arr.copy()) is None


def test_dictionary_registry_forgets_freed_arrays():
    from cxpath import _frames

    before = len(_frames._ENCODINGS)
    arr = col(pa.table({"x": ["a", "b"]}))
    assert len(_frames._ENCODINGS) == before + 1
    del arr
    assert len(_frames._ENCODINGS) == before


# --- end to end through Journeys.from_events ------------------------------------------------
def test_nullable_pandas_columns_end_to_end():
    frame = pd.DataFrame({
        "case": pd.Series([1, 1, 2, None], dtype="Int64"),
        "step": pd.Series(["a", "b", "a", "c"], dtype="category"),
        "at": pd.Series([0, 60, 0, 5], dtype="Int64"),
        "flag": pd.Series([False, True, None, True], dtype="boolean"),
        "channel": pd.Series(["web", None, "app", "web"], dtype="string[pyarrow]"),
    })
    j = Journeys.from_events(frame, case="case", touchpoint="step", timestamp="at",
                             outcome="flag", channel="channel")
    assert j.case_ids.tolist() == [1, 2]
    assert [x.path for x in j] == ["a > b", "a"]
    assert j.outcome.tolist() == [True, False]
    assert j.cleaning_report.removed["missing_case"].tolist() == [3]
    assert j.cleaning_report.changed["missing_outcome"].tolist() == [2]
    assert j.cleaning_report.changed["missing_channel"].tolist() == [1]
    assert j.channel_vocab == ("app", "web")


@pytest.mark.parametrize("make", [
    lambda d: pd.DataFrame({"case": [1, 1], "at": np.array(d, dtype=object)}),
    lambda d: pd.DataFrame({"case": [1, 1], "at": pd.Series(d, dtype=pd.ArrowDtype(pa.date32()))}),
    lambda d: pa.table({"case": [1, 1], "at": pa.array(d, pa.date32())}),
    lambda d: pa.table({"case": [1, 1], "at": pa.array(d, pa.date64())}),
    lambda d: pl.DataFrame({"case": [1, 1], "at": d}),
])
def test_dates_are_midnight_utc_end_to_end(make):
    data = make([date(2025, 1, 2), date(2025, 1, 1)])
    data = data.assign(step=["b", "a"]) if hasattr(data, "assign") else (
        data.with_columns(pl.Series("step", ["b", "a"])) if hasattr(data, "with_columns")
        else data.append_column("step", pa.array(["b", "a"])))
    j = Journeys.from_events(data, case="case", touchpoint="step", timestamp="at")
    assert j.times.tolist() == [JAN1, JAN1 + 86400]
    assert j[0].touchpoints == ("a", "b")


def test_polars_and_arrow_booleans_with_nulls_as_outcome():
    for data in (pl.DataFrame({"case": [1, 2, 2], "step": ["a", "a", "b"],
                               "flag": [True, None, False]}),
                 pa.table({"case": [1, 2, 2], "step": ["a", "a", "b"],
                           "flag": [True, None, False]})):
        j = Journeys.from_events(data, case="case", touchpoint="step", outcome="flag")
        assert j.outcome.tolist() == [True, False]
        assert j.cleaning_report.changed["missing_outcome"].tolist() == [1]


def test_integer_labels_and_repeated_names_get_the_library_message():
    # issue 18, point 3: pd.DataFrame(ndarray) gave KeyError: '0'; repeated names an
    # AttributeError
    import pandas as pd

    from cxpath.errors import DataError

    df = pd.DataFrame(np.array([[1, "a", "2025-01-01"], [1, "b", "2025-01-02"]], dtype=object))
    by_text = Journeys.from_events(df, case="0", touchpoint="1", timestamp="2")
    by_int = Journeys.from_events(df, case=0, touchpoint=1, timestamp=2)
    assert by_text.vocab == by_int.vocab == ("a", "b") and by_int.n_events == 2
    assert Journeys.from_events({1: [1, 1], 2: ["a", "b"]}, case=1, touchpoint=2).n_events == 2
    twice = pd.DataFrame([[1, "a", "b"]], columns=["case", "step", "step"])
    with pytest.raises(DataError, match=r"'touchpoint' parameter.*appears once.*2 columns"):
        Journeys.from_events(twice, case="case", touchpoint="step")


def test_lists_mixing_labels_and_missing_values_keep_them_missing():
    # issue 18, point 4: ['a', nan, 'b'] became the label 'nan' (numpy's string cast)
    for gap in (float("nan"), None):
        j = Journeys.from_events(case=[1, 1, 2], touchpoint=["a", gap, "b"])
        assert j.vocab == ("a", "b")
        assert j.cleaning_report.removed["missing_touchpoint"].tolist() == [1]
    assert column(None, ["a", 1], "x", "f").tolist() == ["a", 1]  # not '1'
