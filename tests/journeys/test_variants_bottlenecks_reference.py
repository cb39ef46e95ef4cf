"""``variants`` and ``bottlenecks`` against plain-Python references, on both code paths.

Bottlenecks of logs from :data:`cxpath.journeys.stats.SMALL_EVENTS` events on take one kernel
pass and the grouped waits (cxpath#27); smaller logs the transition list and
``numpy.bincount``. Both must give the numbers of a dictionary-per-transition reference
summing in event order, bit for bit, and each other's results field by field.
"""

from __future__ import annotations

from contextlib import contextmanager
from unittest import mock

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath import Journeys, _stats
from cxpath.journeys import bottlenecks, stats, variants
from cxpath.journeys.variants import group_paths


@contextmanager
def path(one_pass: bool, buckets: bool = False):
    """Force the one-pass bottleneck kernels (any size) or the numpy path (any size);
    ``buckets``: the wait quantiles by bucket selection whatever the events per table cell
    (on one thread the weighted pass then counts the waits by bucket)."""
    with mock.patch.object(stats, "SMALL_EVENTS", 0 if one_pass else 1 << 62), \
            mock.patch.object(_stats, "BUCKET_SHARE", 0 if buckets else _stats.BUCKET_SHARE):
        yield


def assert_same(a, b):
    assert type(a) is type(b)
    for field in attrs.fields(type(a)):
        x, y = getattr(a, field.name), getattr(b, field.name)
        if isinstance(x, np.ndarray):
            assert x.dtype == y.dtype and x.shape == y.shape, field.name
            if x.dtype.kind == "f":
                assert np.array_equal(x, y, equal_nan=True), field.name
                assert np.array_equal(np.signbit(x), np.signbit(y)), field.name
            else:
                assert np.array_equal(x, y), field.name
        else:
            assert x == y, field.name


@st.composite
def journeys(draw, intervals=None):
    n_states = draw(st.integers(1, 5))
    lengths = draw(st.lists(st.integers(0, 6), min_size=1, max_size=30))
    n = sum(lengths)
    codes = np.array(draw(st.lists(st.integers(0, n_states - 1), min_size=n, max_size=n)),
                     dtype=np.int64)
    gaps = draw(st.lists(st.sampled_from([0.0, 0.5, 1.0, 60.0, 3600.0, 0.001]),
                         min_size=n, max_size=n))
    offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    times = np.cumsum(gaps) + 1.7e9
    weight = np.array(draw(st.lists(st.integers(0, 3), min_size=len(lengths),
                                    max_size=len(lengths))))
    outcome = np.array(draw(st.lists(st.booleans(), min_size=len(lengths),
                                     max_size=len(lengths))))
    with_starts = draw(st.booleans()) if intervals is None else intervals
    starts = None
    if with_starts:  # shifted completions: non-decreasing, and overlapping at short gaps
        starts = times - draw(st.sampled_from([0.0, 0.7, 120.0]))
    return Journeys(codes=codes, offsets=offsets, case_ids=np.arange(len(lengths)),
                    vocab=[f"s{i}" for i in range(n_states)], times=times, starts=starts,
                    weight=weight, outcome=outcome)


def type7(values, q):
    """Hyndman & Fan's type 7 quantile (numpy's default method) as ``low·(1−f) + high·f``,
    the interpolation cxpath's grouped quantiles use (``numpy.quantile`` interpolates as
    ``low + (high − low)·f``, which can differ in the last bit)."""
    ordered = sorted(values)
    pos = q * (len(ordered) - 1)
    below = int(np.floor(pos))
    above = min(below + 1, len(ordered) - 1)
    frac = pos - below
    return ordered[below] * (1.0 - frac) + ordered[above] * frac


def reference_bottlenecks(j, level, sla):
    """Per step: weighted count, weighted total wait, waits, weighted breaches (dicts)."""
    start = j.times if j.starts is None else j.starts
    steps: dict = {}
    for case in range(len(j)):
        w = float(j.case_weights[case])
        lo, hi = j.offsets[case], j.offsets[case + 1]
        for i in range(lo, hi - 1):
            wait = np.rint((start[i + 1] - j.times[i]) * 1e6) / 1e6
            if j.starts is not None and wait < 0:
                wait = 0.0
            src, dst = j.vocab[j.codes[i]], j.vocab[j.codes[i + 1]]
            key = f"{src} -> {dst}" if level == "transition" else src
            entry = steps.setdefault(key, [0.0, 0.0, [], 0.0])
            entry[0] += w
            entry[1] += w * wait
            entry[2].append(wait)
            entry[3] += w * (1.0 if sla is not None and wait > sla else 0.0)
    return steps


@settings(max_examples=60, deadline=None)
@given(j=journeys(), level=st.sampled_from(["transition", "touchpoint"]),
       sla=st.sampled_from([None, 0.5, 60.0]), min_count=st.integers(1, 3),
       buckets=st.booleans())
def test_bottlenecks_match_the_reference_on_both_paths(j, level, sla, min_count, buckets):
    with path(one_pass=True, buckets=buckets):
        fast = bottlenecks(j, level=level, sla=sla, min_count=min_count)
    with path(one_pass=False):
        slow = bottlenecks(j, level=level, sla=sla, min_count=min_count)
    assert_same(fast, slow)
    ref = reference_bottlenecks(j, level, sla)
    for k, step in enumerate(fast.steps):
        count, total, waits, late = ref.get(step, (0.0, 0.0, [], 0.0))
        if level == "transition":
            assert fast.count[k] == count
        assert fast.total_wait[k] == total
        if waits:
            assert fast.median_wait[k] == type7(waits, 0.5)
            assert fast.p90_wait[k] == type7(waits, 0.9)
        if sla is not None and count > 0:
            assert fast.sla_breach[k] == late / count
    if level == "transition":
        assert sorted(fast.steps) == sorted(s for s, e in ref.items() if e[0] >= min_count)
    order = fast.total_wait if fast.rank_by == "wait" else fast.total_service
    assert (np.diff(order) <= 0).all()


@settings(max_examples=30, deadline=None)
@given(j=journeys(intervals=True))
def test_bottlenecks_by_service_on_both_paths(j):
    with path(one_pass=True):
        fast = bottlenecks(j, level="touchpoint", rank_by="service")
    with path(one_pass=False):
        slow = bottlenecks(j, level="touchpoint", rank_by="service")
    assert_same(fast, slow)


def reference_variants(j):
    """Plain Python: paths in order of first appearance with weights, successes, durations."""
    seen: dict = {}
    for case in range(len(j)):
        lo, hi = j.offsets[case], j.offsets[case + 1]
        key = tuple(j.codes[lo:hi].tolist())
        entry = seen.setdefault(key, [0, 0, []])
        w = int(j.case_weights[case])
        entry[0] += w
        entry[1] += w * bool(j.outcome is not None and j.outcome[case])
        if hi > lo:
            last = j.times[hi - 1] if j.starts is None else j.times[lo:hi].max()
            first = j.event_starts[lo]
            entry[2].append(np.round((last - first) * 1e6) / 1e6)
        else:
            entry[2].append(0.0)
    ranked = sorted(seen.items(), key=lambda kv: -kv[1][0])  # stable: first appearance
    return ranked


@settings(max_examples=60, deadline=None)
@given(j=journeys())
def test_variants_match_the_reference(j):
    got = variants(j)
    ref = reference_variants(j)
    assert got.n_variants == len(ref)
    assert got.counts.tolist() == [e[0] for _, e in ref]
    assert got.success.tolist() == [e[1] for _, e in ref]
    for i, (key, (_, _, durations)) in enumerate(ref):
        lo, hi = got.path_offsets[i], got.path_offsets[i + 1]
        assert tuple(got.path_codes[lo:hi].tolist()) == key
        assert got.median_duration[i] == type7(durations, 0.5)
        assert got.p90_duration[i] == type7(durations, 0.9)


def test_instance_durations_with_a_trailing_empty_case():
    t = 1.7e9 + np.arange(3.0)
    j = Journeys(codes=np.zeros(3, dtype=np.int64), offsets=np.array([0, 3, 3]),
                 case_ids=np.arange(2), vocab=["a"], times=t, starts=t - 0.5)
    assert variants(j).median_duration.tolist() == [2.5, 0.0]


def colliding_pairs(k):
    """``k`` different two-code paths with equal 64-bit case hashes (see
    tests/_kernels/test_paths.py)."""
    basis, prime, mask = 14695981039346656037, 1099511628211, 2**64 - 1
    first = [((basis ^ (a + 1)) * prime) & mask for a in range(k)]
    pairs = [(a, ((first[0] ^ first[a] ^ 1) - 1) % 2**64) for a in range(k)]
    return [[a, b - 2**64 if b >= 2**63 else b] for a, b in pairs]


def test_hash_collisions_never_merge_paths():
    x, y, z = colliding_pairs(3)
    paths = [x, y, [7], x, z, y, z]
    codes = np.array([c for p in paths for c in p], dtype=np.int64)
    offsets = np.concatenate(([0], np.cumsum([len(p) for p in paths]))).astype(np.int64)
    rep, group, n = group_paths(codes, offsets)
    # the colliding paths keep their own groups, numbered by first appearance like the rest
    assert group.tolist() == [0, 1, 2, 0, 3, 1, 3]
    assert rep.tolist() == [0, 1, 2, 4] and n == 4


@pytest.mark.realdata
@pytest.mark.parametrize("name", ["helpdesk.csv.gz", "bpi13_incidents.csv.gz"])
def test_real_logs_on_both_paths(shared_data, name):
    pd = pytest.importorskip("pandas")
    frame = pd.read_csv(shared_data / name)
    case, activity, ts, fmt = (
        ("Case ID", "Activity", "Complete Timestamp", "%Y/%m/%d %H:%M:%S") if "helpdesk" in name
        else ("CaseID", "ActivityID", "CompleteTimestamp", "%Y-%m-%d %H:%M:%S"))
    frame[activity] = frame[activity].astype(str)
    frame["ts"] = pd.to_datetime(frame[ts], format=fmt)
    j = Journeys.from_events(frame, case=case, touchpoint=activity, timestamp="ts")
    for kw in ({}, {"level": "touchpoint"}, {"sla": "8h"}, {"min_count": 20}):
        with path(one_pass=True):
            fast = bottlenecks(j, **kw)
        with path(one_pass=False):
            slow = bottlenecks(j, **kw)
        assert_same(fast, slow)
    ref = reference_bottlenecks(j, "transition", None)
    assert dict(zip(fast.steps, fast.total_wait)) == {
        s: e[1] for s, e in ref.items() if e[0] >= 20}
    got = variants(j)
    assert got.counts.tolist() == [e[0] for _, e in reference_variants(j)]
