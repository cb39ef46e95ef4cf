"""Journeys.from_events / from_paths: backends, timestamps, ordering, cleaning, bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath import Journeys
from cxpath.errors import CxpathError, DataError, InvalidParameterError, StrictCleaningError

pd = pytest.importorskip("pandas")

ROWS = {
    "case": ["c2", "c1", "c2", "c1", "c3", "c2"],
    "step": ["ivr", "web", "agent", "chat", "app", "resolved"],
    "channel": ["phone", "web", "phone", "chat", "app", "phone"],
    "at": ["2025-03-01T10:00:00Z", "2025-03-01T09:00:00Z", "2025-03-01T10:05:00+00:00",
           "2025-03-01T09:30:00Z", "2025-03-02T08:00:00Z", "2025-03-01T11:00:00Z"],
    "converted": [0, 0, 0, 1, 0, 0],
    "amount": [0.0, 0.0, 0.0, 12.5, 0.0, 3.0],
}


def build(data, **kw):
    return Journeys.from_events(data, case="case", touchpoint="step", timestamp="at",
                                channel="channel", outcome="converted", value="amount", **kw)


def test_same_journeys_from_pandas_polars_arrow_and_dict():
    pl = pytest.importorskip("polars")
    pa = pytest.importorskip("pyarrow")
    frame = pd.DataFrame(ROWS)
    frame["at"] = pd.to_datetime(frame["at"], utc=True).dt.tz_convert("Europe/Berlin")
    as_dict = {k: np.asarray(v, dtype=object) for k, v in ROWS.items()}
    reference = build(as_dict)
    for data in (frame, pl.from_pandas(frame), pa.Table.from_pandas(frame), ROWS):
        got = build(data)
        assert got.equals(reference), type(data)
    assert reference.case_ids.tolist() == ["c1", "c2", "c3"]  # sorted case ids
    assert [j.path for j in reference] == ["web > chat", "ivr > agent > resolved", "app"]
    assert reference.outcome.tolist() == [True, False, False]
    assert reference.value.tolist() == [12.5, 3.0, 0.0]
    assert reference.channel_vocab == ("app", "chat", "phone", "web")


def test_timezone_aware_pandas_times_are_converted_to_utc():
    t = pd.Series(pd.to_datetime(["2025-06-01 12:00"]).tz_localize("Asia/Shanghai"))
    j = Journeys.from_events(case=[1], touchpoint=["x"], timestamp=t)
    # 12:00 in Shanghai (UTC+8) is 04:00 UTC
    assert j.times[0] == pd.Timestamp("2025-06-01 04:00", tz="UTC").timestamp()


@pytest.mark.parametrize("values", [
    np.array(["2025-01-01T00:00:00Z", "2025-01-01T01:00:00+01:00"], dtype=object),
    np.array(["2025-01-01T00:00:00", "2025-01-01T00:00:00"]),
    np.array(["2025-01-01", "2025-01-01"], dtype="datetime64[D]"),
    np.array([1735689600, 1735689600]),
    np.array([1735689600.0, 1735689600.0]),
])
def test_timestamp_forms_give_epoch_seconds(values):
    j = Journeys.from_events(case=[1, 2], touchpoint=["a", "b"], timestamp=values)
    # 2025-01-01T00:00Z is 1,735,689,600 s after the epoch (date -u -d 2025-01-01 +%s)
    assert j.times.tolist() == [1735689600.0, 1735689600.0]


def test_equal_timestamps_keep_input_order_and_unsorted_input_is_sorted():
    j = Journeys.from_events(case=[1, 1, 1, 1], touchpoint=["d", "b", "c", "a"],
                             timestamp=[5, 1, 1, 0])
    assert j[0].touchpoints == ("a", "b", "c", "d")  # b before c: tie kept in input order
    assert j.cleaning_report.out_of_order > 0
    assert j.cleaning_report.clean


def test_missing_values_are_removed_reported_and_strict_raises():
    data = {"case": ["a", None, "a", "b", float("nan")],
            "step": ["x", "y", None, "z", "w"],
            "at": ["2025-01-01T00:00Z", "2025-01-01T00:01Z", "2025-01-01T00:02Z",
                   "not a time", "2025-01-01T00:04Z"]}
    j = Journeys.from_events(data, case="case", touchpoint="step", timestamp="at")
    report = j.cleaning_report
    assert report.removed["missing_case"].tolist() == [1, 4]
    assert report.removed["missing_touchpoint"].tolist() == [2]
    assert report.removed["unparseable_timestamp"].tolist() == [3]
    assert report.empty_cases.tolist() == ["b"]
    assert (report.n_rows, report.n_events, report.n_cases) == (5, 1, 1)
    assert "4 input rows" not in repr(report) and "removed 4" in repr(report)
    with pytest.raises(StrictCleaningError, match="case id missing"):
        Journeys.from_events(data, case="case", touchpoint="step", timestamp="at", strict=True)


def test_missing_channel_outcome_and_value_are_changed_not_dropped():
    j = Journeys.from_events(case=[1, 1, 2], touchpoint=["a", "b", "a"],
                             channel=np.array(["web", None, "app"], dtype=object),
                             outcome=[0.0, np.nan, 1.0], value=[1.0, np.nan, 2.0])
    report = j.cleaning_report
    assert j.n_events == 3
    assert report.changed["missing_channel"].tolist() == [1]
    assert report.changed["missing_outcome"].tolist() == [1]
    assert report.changed["missing_value"].tolist() == [1]
    assert j.channels.tolist() == [1, -1, 0]
    assert j.outcome.tolist() == [False, True]
    assert j.value.tolist() == [1.0, 2.0]


def test_duplicates_are_kept_and_reported_by_default_or_dropped():
    kw = dict(case=[1, 1, 1, 1], touchpoint=["a", "b", "a", "a"], timestamp=[0, 0, 0, 1])
    kept = Journeys.from_events(**kw)
    assert kept.n_events == 4 and kept.cleaning_report.duplicates_kept.tolist() == [2]
    dropped = Journeys.from_events(**kw, duplicates="drop")
    assert dropped[0].touchpoints == ("a", "b", "a")
    assert dropped.cleaning_report.removed["duplicate"].tolist() == [2]
    with pytest.raises(StrictCleaningError, match="duplicate"):
        Journeys.from_events(**kw, duplicates="drop", strict=True)


def test_success_means_last_touchpoint_in_the_set():
    j = Journeys.from_events(case=[1, 1, 2, 2], touchpoint=["resolved", "ivr", "ivr",
                                                            "resolved"],
                             timestamp=[0, 1, 0, 1], success={"resolved"})
    assert j.outcome.tolist() == [False, True]


@pytest.mark.parametrize("agg, expected", [("sum", [6.0]), ("first", [1.0]), ("last", [3.0]),
                                           ("max", [3.0]), ("mean", [2.0])])
def test_value_aggregation(agg, expected):
    j = Journeys.from_events(case=[1, 1, 1], touchpoint=["a", "b", "c"], value=[1, 2, 3],
                             value_agg=agg)
    assert j.value.tolist() == expected


def test_pre_encoded_touchpoints_with_vocab():
    j = Journeys.from_events(case=[0, 0, 1], touchpoint=[2, 0, 1], timestamp=[0.0, 1.0, 0.0],
                             vocab=["web", "app", "phone"])
    assert j.vocab == ("web", "app", "phone")
    assert j[0].touchpoints == ("phone", "web")


def test_fixed_vocab_with_labels_keeps_its_codes():
    j = Journeys.from_events(case=[0, 0], touchpoint=["phone", "web"], vocab=["web", "app",
                                                                              "phone"])
    assert j.codes.tolist() == [2, 0] and j.vocab == ("web", "app", "phone")
    with pytest.raises(DataError, match=r"unknown labels \['fax'\]"):
        Journeys.from_events(case=[0], touchpoint=["fax"], vocab=["web"])


def test_time_format_for_non_iso_strings():
    j = Journeys.from_events(case=[1], touchpoint=["a"], timestamp=["2012/10/9 14:50:17"],
                             time_format="%Y/%m/%d %H:%M:%S")
    assert j.times[0] == pd.Timestamp("2012-10-09 14:50:17", tz="UTC").timestamp()


# --- bad input ---------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs, error, fragment", [
    (dict(case=[1, 2], touchpoint=["a"]), DataError, "same length as 'case'"),
    (dict(case=[], touchpoint=[]), DataError, "at least one usable row"),
    (dict(case=[1], touchpoint=["a"], success={"nope"}), InvalidParameterError,
     "unknown labels ['nope']"),
    (dict(case=[1], touchpoint=["a"], success={"a"}, outcome=[1]), InvalidParameterError,
     "'success' parameter"),
    (dict(case=[1, 2], touchpoint=["a", "b"], timestamp=["later", "soon"]), DataError,
     "time_format"),
    (dict(case=[1], touchpoint=["a"], duplicates="remove"), InvalidParameterError,
     "'duplicates' parameter of Journeys.from_events must be one of 'keep', 'drop'"),
    (dict(case=[1], touchpoint=["a"], strict="yes"), InvalidParameterError, "True or False"),
    (dict(case=[1], touchpoint=[5], vocab=["a"]), DataError, "codes in [0, 0]"),
    (dict(case=[1], touchpoint=["a"], outcome=["yes"]), DataError, "booleans or 0/1"),
    (dict(case=np.array([1, "x"], dtype=object), touchpoint=["a", "b"]), DataError,
     "values of one type"),
    (dict(case=[1], touchpoint=["a"], timestamp=[True]), DataError, "booleans"),
])
def test_bad_input_raises_clear_errors(kwargs, error, fragment):
    with pytest.raises(error) as info:
        Journeys.from_events(**kwargs)
    assert fragment in str(info.value)
    assert str(info.value).startswith("The '")


def test_unknown_column_and_data_type():
    with pytest.raises(InvalidParameterError, match="a column of 'data'"):
        Journeys.from_events({"a": [1]}, case="case", touchpoint="a")
    with pytest.raises(InvalidParameterError, match="pandas or polars DataFrame"):
        Journeys.from_events([1, 2], case="case", touchpoint="a")
    with pytest.raises(InvalidParameterError, match="when no 'data' table is given"):
        Journeys.from_events(case="case", touchpoint="a")


def test_all_rows_removed_is_an_error_not_an_empty_result():
    with pytest.raises(DataError, match="no row left after cleaning"):
        Journeys.from_events(case=[None, None], touchpoint=["a", "b"])


# --- from_paths --------------------------------------------------------------------------
def test_from_paths_builds_weighted_cases_and_reports_zero_rows():
    j = Journeys.from_paths(["a > b", " b>a ", "a"], conversions=[2, 0, 0], nulls=[1, 3, 0],
                            value=[10.0, 0.0, 0.0])
    assert [(x.path, x.outcome, x.weight, x.value) for x in j] == [
        ("a > b", True, 2, 10.0), ("a > b", False, 1, 0.0), ("b > a", False, 3, 0.0)]
    assert j.case_ids.tolist() == [0, 0, 1]
    assert j.cleaning_report.removed["zero_count"].tolist() == [2]
    with pytest.raises(StrictCleaningError, match="zero conversions"):
        Journeys.from_paths(["a"], conversions=[0], nulls=[0], strict=True)


def test_from_paths_without_counts_is_one_unweighted_case_per_row():
    j = Journeys.from_paths(["x|y", "y"], sep="|")
    assert j.weight is None and j.outcome is None and [x.path for x in j] == ["x > y", "y"]


@pytest.mark.parametrize("kwargs, fragment", [
    (dict(paths=["a", "b"], conversions=[1, -1]), "in [0, inf]. Got -1 at position 1"),
    (dict(paths=["a > > b"]), "no empty label"),
    (dict(paths=[]), "at least one usable row"),
    (dict(paths="a > b"), "a sequence of path strings"),
    (dict(paths=["a", 3]), "strings. Got 3 at row 1"),
    (dict(paths=["a"], conversions=[1.5]), "whole numbers"),
    (dict(paths=["a"], conversions=[1, 2]), "same length as 'paths'"),
    (dict(paths=["a"], sep=""), "'sep' parameter"),
    (dict(paths=["a"], conversions=[0], nulls=[0]), "only rows with zero counts"),
])
def test_from_paths_bad_input(kwargs, fragment):
    with pytest.raises(CxpathError) as info:
        Journeys.from_paths(**kwargs)
    assert fragment in str(info.value)


# --- round trip --------------------------------------------------------------------------
events = st.lists(st.tuples(st.sampled_from(["c1", "c2", "c3", "c4"]),
                            st.sampled_from(["web", "app", "ivr", "agent"]),
                            st.integers(1_700_000_000, 1_700_000_100),
                            st.sampled_from(["phone", "digital"]),
                            st.booleans()), min_size=1, max_size=40)


@settings(max_examples=80, deadline=None)
@given(rows=events)
def test_round_trip_from_events_to_frame_from_events(rows):
    case, step, at, channel, flag = (list(x) for x in zip(*rows))
    first = Journeys.from_events(case=case, touchpoint=step, timestamp=at, channel=channel,
                                 outcome=flag, value=[float(t % 7) for t in at],
                                 value_agg="sum")
    frame = first.to_frame()
    second = Journeys.from_events(frame, case="case_id", touchpoint="touchpoint",
                                  timestamp="timestamp", channel="channel", outcome="outcome",
                                  value="value", value_agg="first")
    assert second.equals(first)
    assert second.cleaning_report.out_of_order == 0


@settings(max_examples=60, deadline=None)
@given(rows=events, seed=st.integers(0, 2**31))
def test_row_order_does_not_change_journeys_without_ties(rows, seed):
    # distinct timestamps make the time order total, so any row permutation gives the same
    rows = [(c, s, i, ch, f) for i, (c, s, _, ch, f) in enumerate(rows)]
    perm = np.random.default_rng(seed).permutation(len(rows))
    a = Journeys.from_events(case=[r[0] for r in rows], touchpoint=[r[1] for r in rows],
                             timestamp=[r[2] for r in rows])
    shuffled = [rows[i] for i in perm]
    b = Journeys.from_events(case=[r[0] for r in shuffled], touchpoint=[r[1] for r in shuffled],
                             timestamp=[r[2] for r in shuffled])
    assert a.equals(b)
