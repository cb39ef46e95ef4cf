"""cxpath.journeys._encode: factorisation and timestamp parsing against per-value oracles."""

from __future__ import annotations

import string
import sys
import warnings
from datetime import date, datetime, timedelta, timezone

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cxpath.errors import CxpathWarning, DataError, InvalidParameterError
from cxpath.journeys._encode import (
    factorize,
    implausible_times,
    infer_time_unit,
    label_variants,
    to_epoch_seconds,
)


# --- oracles: the per-value code these functions replaced (cxpath 0.1.0.dev0) -------------
def oracle_parse(text, time_format=None) -> float:
    if not isinstance(text, str):
        if isinstance(text, datetime):
            dt = text
        else:
            return np.nan
    else:
        text = text.strip()
        try:
            if time_format is None:
                if text.endswith(("Z", "z")):
                    text = text[:-1] + "+00:00"
                dt = datetime.fromisoformat(text)
            else:
                dt = datetime.strptime(text, time_format)
        except ValueError:
            return np.nan
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.timestamp()


def oracle_factorize(values):
    """One pass with a dict over the rows, then the uniques sorted (the old object path)."""
    table: dict = {}
    raw = [-1 if (x is None or x != x) else table.setdefault(x, len(table)) for x in values]
    firsts = list(table)
    order = sorted(range(len(firsts)), key=firsts.__getitem__)
    rank = {old: new for new, old in enumerate(order)}
    return [rank[c] if c >= 0 else -1 for c in raw], [firsts[i] for i in order]


def same_floats(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(((a == b) | (np.isnan(a) & np.isnan(b))).all())


# --- ISO strings ---------------------------------------------------------------------------
def _two(lo, hi):
    return st.integers(lo, hi).map(lambda x: f"{x:02d}")


iso_like = st.builds(
    lambda y, mo, d, sep, clock, frac, tz: f"{y}-{mo}-{d}" + (
        "" if clock is None else sep + clock + frac + tz),
    st.one_of(st.integers(1, 9999).map(lambda y: f"{y:04d}"), st.sampled_from(["0000", "20x5"])),
    _two(0, 13), _two(0, 32),
    st.sampled_from(["T", " ", "t", "_"]),
    st.one_of(st.none(), st.builds(lambda h, m: f"{h}:{m}", _two(0, 25), _two(0, 61)),
              st.builds(lambda h, m, s: f"{h}:{m}:{s}", _two(0, 24), _two(0, 60), _two(0, 61))),
    st.sampled_from(["", ".1", ".123", ".12345", ".123456", ".1234567", ",123"]),
    st.one_of(st.sampled_from(["", "Z", "z", "+00:00", "-05:30", "+0530", "+05", "+23:59",
                               "-24:00", "+05:30:15", "+01:60"]),
              st.builds(lambda s, h, m: f"{s}{h}:{m}", st.sampled_from("+-"), _two(0, 25),
                        _two(0, 61))),
)
noise = st.text(alphabet=string.digits + "-:T Z+.\t\x00é", max_size=30)
texts = st.one_of(iso_like, iso_like.map(lambda s: f" {s}\n"), noise, st.none(),
                  st.just(float("nan")))


@settings(max_examples=300, deadline=None)
@given(values=st.lists(texts, min_size=1, max_size=30))
@example(values=["2025-01-01T00:00:00Z", "2025-01-01T01:00:00+01:00", "2025-01-01",
                 "2025-02-29T00:00", "2024-02-29 23:59:59.999", "9999-12-31T23:59:59-23:59",
                 "0001-01-01T00:00:00+23:59", "2025-13-01", "2025-01-01T24:00", "soon", None])
def test_iso_strings_parse_as_datetime_fromisoformat_value_by_value(values):
    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    expected = np.array([oracle_parse(x) for x in values])
    missing = np.array([x is None or x != x for x in values])
    if np.isnan(expected[~missing]).all() and (~missing).any():
        with pytest.raises(DataError, match="no parseable value"):
            to_epoch_seconds(arr, None, "timestamp", "f")
        return
    secs, miss, bad, aware = to_epoch_seconds(arr, None, "timestamp", "f")
    assert same_floats(secs, expected)
    assert miss.tolist() == missing.tolist()
    assert bad.tolist() == (~missing & np.isnan(expected)).tolist()
    ok = ~np.isnan(expected)  # the oracle: fromisoformat gives a tzinfo exactly then
    assert aware[ok].tolist() == [has_offset(x) for x in np.asarray(values, object)[ok]]


def has_offset(text) -> bool:
    text = text.strip()
    if text.endswith(("Z", "z")):
        return True
    return datetime.fromisoformat(text).tzinfo is not None


@settings(max_examples=100, deadline=None)
@given(values=st.lists(iso_like, min_size=1, max_size=20))
def test_unicode_arrays_parse_like_object_arrays(values):
    expected = np.array([oracle_parse(x) for x in values])
    if np.isnan(expected).all():
        return
    secs, _, _, _ = to_epoch_seconds(np.array(values), None, "timestamp", "f")
    assert same_floats(secs, expected)


formats = st.sampled_from(["%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M", "%Y%m%d", "%m.%d.%Y",
                           "%Y-%m-%dT%H:%M:%S", " %Y-%m-%d", "%Y-%m-%d %H:%M:%S.%f",
                           "%d %b %Y", "%Y %Y"])


@settings(max_examples=200, deadline=None)
@given(fmt=formats, stamps=st.lists(st.datetimes(min_value=datetime(1, 1, 1)), min_size=1,
                                    max_size=10),
       extra=st.lists(st.one_of(noise, st.sampled_from(["2025-02-30 00:00:00", "31/04/2025 10:00",
                                                        "2025-1-9 1:2:3", "00000101"])),
                      max_size=4))
def test_strptime_strings_parse_as_datetime_strptime_value_by_value(fmt, stamps, extra):
    if fmt == "%Y %Y":  # a format strptime rejects: the per-value error, unchanged
        return
    values = [s.strftime(fmt).replace(f"{s.year}", f"{s.year:04d}", 1) for s in stamps] + extra
    expected = np.array([oracle_parse(x, fmt) for x in values])
    if np.isnan(expected).all():
        return
    secs, _, bad, _ = to_epoch_seconds(np.array(values, dtype=object), fmt, "timestamp", "f")
    assert same_floats(secs, expected)
    assert bad.tolist() == np.isnan(expected).tolist()


def test_fractional_and_offset_iso_values():
    secs, _, _, _ = to_epoch_seconds(np.array(["2025-01-01T00:00:00.5Z",
                                            "2025-01-01T02:00:00.250+02:00"], dtype=object),
                                  None, "t", "f")
    # 2025-01-01T00:00Z = 1,735,689,600 s (date -u -d 2025-01-01 +%s)
    assert secs.tolist() == [1735689600.5, 1735689600.25]


def test_date_objects_are_midnight_utc_and_datetimes_keep_their_offset():
    values = np.array([date(2025, 1, 1), datetime(2025, 1, 1, 1, tzinfo=timezone(
        timedelta(hours=1))), None], dtype=object)
    secs, missing, bad, _ = to_epoch_seconds(values, None, "t", "f")
    assert secs[:2].tolist() == [1735689600.0, 1735689600.0]
    assert missing.tolist() == [False, False, True] and not bad.any()


def test_mixed_strings_and_numbers_in_one_timestamp_column_still_error():
    with pytest.raises(DataError, match="values of one type"):
        to_epoch_seconds(np.array(["2025-01-01", 5], dtype=object), None, "t", "f")


# --- numeric units and implausible dates --------------------------------------------------
def test_small_numbers_stay_seconds_without_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        secs, _, _, _ = to_epoch_seconds(np.array([0, 60, 90]), None, "t", "f")
        assert secs.tolist() == [0.0, 60.0, 90.0]
        assert to_epoch_seconds(np.array([1.7e9, 9.9e10]), None, "t", "f")[0].tolist() == [
            1.7e9, 9.9e10]


@pytest.mark.parametrize("unit, scale", [("ms", 10**3), ("us", 10**6), ("ns", 10**9)])
def test_epoch_milli_micro_nano_seconds_are_inferred_with_a_warning(unit, scale):
    values = np.array([1735689600, 1735689601]) * scale  # 2025-01-01T00:00:00Z and +1 s
    with pytest.warns(CxpathWarning, match=f"unit='{unit}'"):
        secs, _, _, _ = to_epoch_seconds(values, None, "timestamp", "f")
    assert secs.tolist() == [1735689600.0, 1735689601.0]
    assert infer_time_unit(values, None, "t", "f") == (unit, True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert to_epoch_seconds(values, None, "t", "f", unit=unit)[0].tolist() == [
            1735689600.0, 1735689601.0]


def test_explicit_unit_scales_and_keeps_precision():
    # 1,735,689,600,123,456,789 ns: the float nearest 1735689600.123456789 s
    secs, _, _, _ = to_epoch_seconds(np.array([1735689600123456789]), None, "t", "f", unit="ns")
    assert secs[0] == 1735689600 + 0.123456789
    secs, _, _, _ = to_epoch_seconds(np.array([1500.0, np.nan]), None, "t", "f", unit="ms")
    assert same_floats(secs, [1.5, np.nan])


@pytest.mark.parametrize("values", [
    np.array([5e13, 6e13]),            # between the ms and us ranges
    np.array([-1.7e12, 1.7e12]),       # negative: before 1970 in every unit
    np.array([1.7e20]),                # beyond ns
])
def test_numbers_fitting_no_single_unit_ask_for_unit(values):
    with pytest.raises(DataError, match="unit='s', 'ms', 'us' or 'ns'"):
        to_epoch_seconds(values, None, "timestamp", "Journeys.from_events")


def test_bad_unit_arguments():
    with pytest.raises(InvalidParameterError, match="'unit' parameter"):
        to_epoch_seconds(np.array([1]), None, "t", "f", unit="min")
    with pytest.raises(InvalidParameterError, match="'unit' parameter"):
        to_epoch_seconds(np.array(["2025-01-01"]), None, "t", "f", unit="s")
    with pytest.raises(InvalidParameterError, match="'unit' parameter"):
        to_epoch_seconds(np.array(["2025-01-01"], dtype="datetime64[D]"), None, "t", "f",
                         unit="s")


def test_implausible_times_flags_before_1970_and_from_2100():
    secs = np.array([-0.5, 0.0, 4102444799.0, 4102444800.0, np.nan, np.inf])
    assert implausible_times(secs).tolist() == [True, False, False, True, False, True]


# --- factorize -----------------------------------------------------------------------------
labels = st.one_of(st.sampled_from(["web", "app", "Web", "a\x00", "a", "", " ", "é", "z" * 12]),
                   st.text(max_size=10), st.none(), st.just(float("nan")))


@settings(max_examples=200, deadline=None)
@given(values=st.lists(labels, min_size=1, max_size=40), share=st.booleans())
def test_factorize_matches_the_dict_oracle(values, share):
    arr = np.empty(len(values), dtype=object)
    # fresh objects for equal strings, or one object per value (as a CSV reader makes)
    arr[:] = [("" + x + "!")[:-1] if isinstance(x, str) and not share else x for x in values]
    codes, uniques = factorize(arr, "x", "f")
    exp_codes, exp_uniques = oracle_factorize(list(arr))
    assert codes.tolist() == exp_codes and uniques.tolist() == exp_uniques


def test_factorize_keeps_the_first_spelling_of_equal_numbers():
    codes, uniques = factorize(np.array([2, 1.0, True, 2.0, None], dtype=object), "x", "f")
    assert codes.tolist() == [1, 0, 0, 1, -1]
    assert [type(u) for u in uniques.tolist()] == [float, int]


def test_factorize_many_distinct_objects_and_long_strings():
    rng = np.random.default_rng(0)
    ids = np.array([f"CASE-{i:09d}" for i in range(5000)], dtype=object)[rng.integers(0, 5000,
                                                                                      20000)]
    codes, uniques = factorize(ids, "case", "f")
    exp_codes, exp_uniques = oracle_factorize(list(ids))
    assert codes.tolist() == exp_codes and uniques.tolist() == exp_uniques


def test_factorize_mixed_types_is_an_error():
    with pytest.raises(DataError, match="values of one type"):
        factorize(np.array([1, "x"], dtype=object), "case", "f")


def test_factorize_without_pandas_loaded(monkeypatch):
    values = np.array(["b", None, "a", "b", float("nan")], dtype=object)
    expected = factorize(values, "x", "f")
    monkeypatch.delitem(sys.modules, "pandas", raising=False)
    codes, uniques = factorize(values, "x", "f")
    assert codes.tolist() == expected[0].tolist() == [1, -1, 0, 1, -1]
    assert uniques.tolist() == ["a", "b"]


@pytest.mark.parametrize("values", [
    np.array(["x", "", "  ", "\t", "y", None], dtype=object),
    np.array(["x", "", "  ", "\t", "y", "y"]),
])
def test_blank_strings_are_missing_when_asked(values):
    codes, uniques = factorize(values, "x", "f", blank_missing=True)
    assert codes.tolist()[:5] == [0, -1, -1, -1, 1] and uniques.tolist() == ["x", "y"]
    kept, _ = factorize(values, "x", "f")
    assert (kept[1:4] >= 0).all()  # the default keeps them as labels


def test_label_variants_merge_into_the_most_frequent_spelling():
    uniques = np.array([" Chat", "Web", "app", "chat", "web", "web "], dtype=object)
    found = label_variants(uniques, [1, 4, 2, 1, 4, 1])
    # ' Chat' and 'chat' tie (1 each): the one that sorts first is kept; 'Web' and 'web' tie
    assert found.groups == ((" Chat", "chat"), ("Web", "web", "web "))
    assert found.uniques.tolist() == [" Chat", "Web", "app"]
    assert found.codes.tolist() == [0, 1, 2, 0, 1, 1]
    assert found.respelled.tolist() == [False, False, False, True, True, True]
    none = label_variants(np.array(["a", "b"], dtype=object), [1, 1])
    assert none.groups == () and none.codes.tolist() == [0, 1] and not none.respelled.any()
