"""Results carry durations as timedeltas in to_frame() and show them in human units."""

from __future__ import annotations

import json

import numpy as np
import pytest

import cxpath
from cxpath._frames import as_timedelta, make_frame
from cxpath._results import Result, duration_columns, format_duration, result
from cxpath.journeys import bottlenecks, funnel, variants
from cxpath.journeys.handovers import handovers


@pytest.mark.parametrize(("seconds", "text"), [
    (187200, "2 d 4 h"), (172800, "2 d"), (86400, "1 d"), (86399.9, "1 d"),
    (11100, "3 h 05 min"), (3600, "1 h"), (3599.6, "1 h"), (7199, "2 h"),
    (2700, "45 min"), (2707, "45 min 07 s"), (60, "1 min"), (59.6, "1 min"),
    (12, "12 s"), (12.4, "12 s"), (10, "10 s"), (9.96, "10 s"), (9.94, "9.9 s"),
    (0.4, "0.4 s"), (0.42, "0.4 s"), (0.0, "0 s"), (-0.0, "0 s"),
    (-90.5, "-1 min 31 s"), (-187200, "-2 d 4 h"), (float("nan"), "nan"), (None, "nan"),
    (np.float32(45.0), "45 s"), (np.int64(5400), "1 h 30 min"), (float("inf"), "inf"),
    (float("-inf"), "-inf"), (400 * 86400 + 5 * 3600, "400 d 5 h"),
])
def test_format_duration(seconds, text):
    assert format_duration(seconds) == text


def test_format_duration_never_carries_over_a_full_unit():
    # rounding to the smaller unit must never show "60 min", "24 h" or "60 s"
    for x in np.linspace(0, 3 * 86400, 40_001):
        text = format_duration(x)
        parts = text.split()
        if len(parts) == 4:
            minor, unit = int(parts[2]), parts[3]
            assert minor < {"h": 24, "min": 60, "s": 60}[unit], text


@result
class _Waits(Result):
    steps: np.ndarray
    wait: np.ndarray
    rate: np.ndarray

    _duration_columns = duration_columns(wait_h=3600.0, wait_s=1.0)

    def _columns(self):
        return {"step": self.steps, "wait_h": self.wait / 3600, "wait_s": self.wait,
                "rate": self.rate}


@pytest.fixture
def waits():
    return _Waits(np.array(["a", "b", "c", "d"], dtype=object),
                  np.array([1800.0, 187200.0, np.nan, 0.25]), np.array([0.5, 1.0, 2.0, 3.0]))


EXPECTED_NS = [1_800_000_000_000, 187_200_000_000_000, None, 250_000_000]


def _ns(arr):
    return [None if np.isnat(t) else int(t.astype(np.int64)) for t in arr]


def test_dict_frame_has_exact_timedelta64_columns(waits):
    d = waits.to_frame("dict")
    for name in ("wait_h", "wait_s"):
        assert d[name].dtype == np.dtype("m8[ns]")
        assert _ns(d[name]) == EXPECTED_NS
    assert d["rate"].dtype == np.float64  # not a duration: untouched
    assert d["step"].dtype == object


def test_pandas_frame_has_timedelta_columns_with_nat(waits):
    pd = pytest.importorskip("pandas")
    df = waits.to_frame("pandas")
    assert list(df.columns) == ["step", "wait_h", "wait_s", "rate"]  # names unchanged
    for name in ("wait_h", "wait_s"):
        assert str(df[name].dtype) == "timedelta64[ns]"
        assert df[name].iloc[0] == pd.Timedelta(minutes=30)
        assert df[name].iloc[1] == pd.Timedelta(days=2, hours=4)
        assert df[name].iloc[2] is pd.NaT
        assert df[name].iloc[3] == pd.Timedelta(milliseconds=250)
    np.testing.assert_array_equal(df["wait_s"].dt.total_seconds(), waits.wait)
    assert df["rate"].dtype == np.float64


def test_polars_frame_has_duration_columns_with_null(waits):
    pl = pytest.importorskip("polars")
    df = waits.to_frame("polars")
    import datetime

    for name in ("wait_h", "wait_s"):
        assert df.schema[name] == pl.Duration("ns")
        assert df[name].to_list() == [datetime.timedelta(minutes=30),
                                      datetime.timedelta(days=2, hours=4), None,
                                      datetime.timedelta(milliseconds=250)]
        assert df[name].null_count() == 1
    assert df.schema["rate"] == pl.Float64


def test_fields_and_to_dict_stay_floats(waits):
    assert waits.wait.dtype == np.float64
    d = waits.to_dict()
    assert d["wait"][:2] == [1800.0, 187200.0] and np.isnan(d["wait"][2])
    json.dumps(d)  # JSON-ready


def test_repr_and_html_show_human_units(waits):
    text = repr(waits)
    lines = text.splitlines()
    assert lines[0] == "_Waits (4 rows)"
    assert lines[2].split() == ["a", "30", "min", "30", "min", "0.5"]
    assert lines[3].split() == ["b", "2", "d", "4", "h", "2", "d", "4", "h", "1"]
    assert lines[4].split() == ["c", "nan", "nan", "2"]
    assert lines[5].split() == ["d", "0.3", "s", "0.3", "s", "3"]  # 0.25 s, half up
    assert "187200" not in text and "52" not in text
    html = waits._repr_html_()
    assert "<td>2 d 4 h</td>" in html and "<td>30 min</td>" in html and "<td>nan</td>" in html


def test_as_timedelta_rounds_to_nanoseconds():
    # hours that are not exact in binary still give the exact seconds they stand for
    hours = np.array([1000.0, 922.5, 1 / 3, 1e9]) / 3600
    assert _ns(as_timedelta(hours, 3600.0)) == [10**12, 922_500_000_000, 333_333_333,
                                                 10**18]
    assert _ns(as_timedelta([-0.5, 1.5e-9])) == [-500_000_000, 2]
    # object columns (a drill-down fills missing columns with None) and non-finite values
    got = as_timedelta(np.array([None, 2.0, np.inf, 1e12], dtype=object), 1.0)
    assert _ns(got) == [None, 2_000_000_000, None, None]
    td = np.array([5], dtype="m8[s]")
    assert _ns(as_timedelta(td)) == [5_000_000_000]


def test_make_frame_converts_only_the_named_columns():
    cols = {"a": np.array([1.0, 2.0]), "b": np.array([3.0, 4.0])}
    d = make_frame(cols, "dict", durations={"a": 60.0})
    assert _ns(d["a"]) == [60 * 10**9, 120 * 10**9] and d["b"] is cols["b"]
    assert make_frame(cols, "dict")["a"] is cols["a"]


@pytest.fixture
def journeys():
    return cxpath.Journeys.from_events(
        case=[1, 1, 1, 2, 2, 2], touchpoint=["a", "b", "c", "a", "b", "c"],
        timestamp=[0, 1800, 1800 + 187200, 0, 45, 3645], resource=list("xyxxyx"))


def test_bottlenecks_frame_has_timedelta_columns_equal_to_the_fields(journeys):
    pd = pytest.importorskip("pandas")
    b = bottlenecks(journeys, sla=7200)
    df = b.to_frame()
    for name, field in [("total_wait_h", b.total_wait), ("mean_wait_h", b.mean_wait),
                        ("median_wait_h", b.median_wait), ("p90_wait_h", b.p90_wait)]:
        assert str(df[name].dtype) == "timedelta64[ns]"
        assert df[name].tolist() == [pd.Timedelta(seconds=s) for s in field]
    for name in ("count", "share", "sla_breach"):
        assert df[name].dtype.kind in "if"
    assert b.total_wait.dtype == np.float64


def test_bottlenecks_repr_shows_human_units(journeys):
    b = bottlenecks(journeys, sla=7200)
    text = repr(b)
    assert "SLA 2 h;" in text
    rows = {"".join(line.split()[:3]): line for line in text.splitlines()[3:]}
    assert rows["b->c"].split()[4:8] == ["2", "d", "5", "h"]  # 187200 + 3600 s in all
    assert "1 d 3 h" in rows["b->c"]  # mean wait 95400 s = 26.5 h, rounded half up
    assert "30 min 45 s" in rows["a->b"] and "15 min 23 s" in rows["a->b"]  # 922.5 s
    assert "53.00" not in text and "187200" not in text


def test_service_times_are_timedeltas():
    j = cxpath.Journeys.from_events(case=[1, 1], touchpoint=["a", "b"], timestamp=[1000, 1600],
                                    start_timestamp=[910, 1300])
    b = bottlenecks(j, level="touchpoint", rank_by="service")
    d = b.to_frame("dict")
    assert _ns(d["total_service_h"]) == [int(s * 1e9) for s in b.total_service]
    assert d["share_of_service"].dtype == np.float64


def test_other_journey_results_declare_their_durations(journeys):
    v = variants(journeys).to_frame("dict")
    assert v["median_duration_s"].dtype == np.dtype("m8[ns]")
    assert _ns(v["median_duration_s"]) == [96_322_500_000_000]  # of 189000 s and 3645 s
    assert v["success_rate"].dtype == np.float64
    f = funnel(journeys, ["a", "b", "c"]).to_frame("dict")
    assert _ns(f["median_time_s"]) == [None, 922_500_000_000, 95_400_000_000_000]
    h = handovers(journeys)
    hf = h.to_frame("dict")
    for name in ("total_wait_h", "mean_wait_h", "median_wait_h", "p90_wait_h"):
        assert hf[name].dtype == np.dtype("m8[ns]")
    assert hf["probability"].dtype == np.float64 and hf["share"].dtype == np.float64
    assert _ns(hf["total_wait_h"]) == [round(s * 1e9) for s in h.total_wait]
