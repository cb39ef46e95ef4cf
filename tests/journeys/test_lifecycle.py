"""Activity instances: lifecycle pairing and start timestamps.

References: pm4py 2.7 (run live, test-only) — ``interval_lifecycle.to_interval`` (FIFO pairing
per activity, completes without a start kept with start = complete, other transitions
dropped) and the performance DFG with a start timestamp (wait = max(0, next start −
previous complete)); and a plain-Python FIFO oracle written here.
"""

from __future__ import annotations

import pathlib
import warnings
from collections import defaultdict, deque

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath import Journeys
from cxpath.errors import CxpathError
from cxpath.journeys import bottlenecks, journey_graph, rework, variants


def _lifecycle_log():
    # case 1: a START/COMPLETE pair, then b START, b START, b COMPLETE, b COMPLETE (FIFO)
    # case 2: a SCHEDULE (dropped), a COMPLETE without start, c START never completed
    return dict(case=[1, 1, 1, 1, 1, 1, 2, 2, 2],
                touchpoint=["a", "a", "b", "b", "b", "b", "a", "a", "c"],
                timestamp=[0, 10, 20, 25, 40, 60, 0, 5, 9],
                lifecycle=["start", "COMPLETE", "Start", "start", "complete", "complete",
                           "schedule", "complete", "start"])


def test_fifo_pairing_service_and_waiting_times():
    j = Journeys.from_events(**_lifecycle_log())
    assert j.n_events == 4 and j.lengths.tolist() == [3, 1]
    # instances of case 1: a [0, 10], b [20, 40] (first start with first complete),
    # b [25, 60]; ordered by start
    assert j.starts.tolist() == [0, 20, 25, 5] and j.times.tolist() == [10, 40, 60, 5]
    assert j.service_times.tolist() == [10, 20, 35, 0]
    g = journey_graph(j)
    assert g.edges["a", "b"]["time_mean"] == 10.0  # a completes at 10, b starts at 20
    assert g.edges["b", "b"]["time_mean"] == 0.0   # b [25, 60] started before b [20, 40] ended
    assert g.nodes["b"]["service_mean"] == 27.5 and g.nodes["b"]["service_median"] == 27.5


def test_lifecycle_cleaning_report_entries():
    j = Journeys.from_events(**_lifecycle_log())
    r = j.cleaning_report
    assert r.removed["lifecycle_other"].tolist() == [6]
    assert r.removed["unpaired_start"].tolist() == [8]
    assert r.changed["unpaired_complete"].tolist() == [7]
    assert r.paired_starts == 3
    text = repr(r)
    assert text.startswith("CleaningReport: 9 input rows -> 4 events in 2 cases; removed 2, "
                           "changed 1")
    assert "3 lifecycle start row(s) paired with their complete rows" in text
    assert "lifecycle start never completed" in text
    assert "cleaning removed 2 and changed 1 input rows" in repr(j)
    with pytest.raises(CxpathError, match=r"needs cleaning and strict=True"):
        Journeys.from_events(**_lifecycle_log(), strict=True)


def test_touchpoints_never_started_are_atomic_not_unpaired():
    j = Journeys.from_events(case=[1, 1, 1], touchpoint=["submitted", "work", "work"],
                             timestamp=[0, 5, 9], lifecycle=["complete", "start", "complete"])
    r = j.cleaning_report
    assert r.clean and r.atomic_events == 1 and r.paired_starts == 1
    assert j.service_times.tolist() == [0, 4]
    assert "1 complete row(s) of touchpoints never started in the log" in repr(r)


def test_rework_counts_instances_not_lifecycle_rows():
    # one visit of 'a' as START + COMPLETE is no rework (BPIC 2012: 100 % rework before)
    j = Journeys.from_events(case=[1, 1, 2, 2], touchpoint=["a"] * 4, timestamp=[0, 1, 0, 1],
                             lifecycle=["start", "complete"] * 2)
    assert rework(j).rework_cases.tolist() == [0]
    assert variants(j).counts.tolist() == [2]


def test_interval_log_with_start_timestamp():
    j = Journeys.from_events(case=[1, 1, 1], touchpoint=["a", "b", "c"],
                             timestamp=[10, 30, 50], start_timestamp=[0, np.nan, 60])
    assert j.starts.tolist() == [0, 30, 50]
    assert j.cleaning_report.changed["missing_start"].tolist() == [1]
    assert j.cleaning_report.changed["start_after_complete"].tolist() == [2]
    b = bottlenecks(j, level="touchpoint", rank_by="service")
    assert b.steps.tolist()[0] == "a" and b.total_service.tolist()[0] == 10.0


def test_single_timestamp_logs_unchanged():
    j = Journeys.from_events(case=[1, 1, 1], touchpoint=["a", "b", "a"], timestamp=[0, 5, 7])
    assert j.starts is None and j.service_times is None
    assert journey_graph(j).edges["a", "b"]["time_mean"] == 5.0
    with pytest.raises(CxpathError, match=r"'rank_by' parameter of journeys.bottlenecks"):
        bottlenecks(j, level="touchpoint", rank_by="service")


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"lifecycle": ["start"] * 2, "start_timestamp": [0, 0]}, "'lifecycle' parameter"),
    ({"lifecycle": ["start", "complete"], "timestamp": None}, "'timestamp' parameter"),
])
def test_bad_lifecycle_arguments(kwargs, match):
    base = dict(case=[1, 1], touchpoint=["a", "a"], timestamp=[0, 1])
    with pytest.raises(CxpathError, match=match):
        Journeys.from_events(**{**base, **kwargs})


def _fifo_oracle(cases, acts, roles):
    """Plain-Python FIFO pairing: returns the instance (case, act, start row, complete row)."""
    out, queues = [], defaultdict(deque)
    for i, (c, a, r) in enumerate(zip(cases, acts, roles)):
        if r == "start":
            queues[c, a].append(i)
        elif r == "complete":
            out.append((c, a, queues[c, a].popleft() if queues[c, a] else i, i))
    return out


@settings(max_examples=80, deadline=None)
@given(rows=st.lists(st.tuples(st.integers(0, 3), st.sampled_from("abc"),
                               st.sampled_from(["start", "complete", "schedule"])),
                     min_size=1, max_size=40))
def test_pairing_matches_fifo_oracle(rows):
    cases = [r[0] for r in rows]
    order = np.argsort(cases, kind="stable")  # the oracle walks each case in row order
    rows = [rows[i] for i in order]
    cases, acts, roles = zip(*rows)
    times = list(range(len(rows)))  # strictly increasing: row order is time order
    expected = _fifo_oracle(cases, acts, roles)
    if not expected:
        with pytest.raises(CxpathError, match=r"usable row"):
            Journeys.from_events(case=cases, touchpoint=acts, timestamp=times,
                                 lifecycle=roles)
        return
    j = Journeys.from_events(case=cases, touchpoint=acts, timestamp=times, lifecycle=roles)
    expected.sort(key=lambda x: (x[0], x[2], x[3]))
    assert j.starts.tolist() == [float(s) for _, _, s, _ in expected]
    assert j.times.tolist() == [float(e) for _, _, _, e in expected]
    assert [j.vocab[c] for c in j.codes] == [a for _, a, _, _ in expected]


# --- parity with pm4py on real logs ------------------------------------------------------



# ../shared/data beside the repository (tests/conftest.py's SHARED_DATA; a module named
# ``tests`` installed by a peer package can shadow ``tests.conftest``, so not imported)
_SHARED_DATA = pathlib.Path(__file__).resolve().parents[3] / "shared" / "data"


def _shared(name):
    path = _SHARED_DATA / name
    if not path.exists():
        pytest.skip(f"real-data file {path} is absent")
    return path


def _pm4py_reference(name: str, pair_lifecycle: bool):
    """pm4py's reading, interval conversion (for lifecycle logs) and performance DFG with
    the start timestamp: ``(frame, interval_log, performance)``."""
    pm4py = pytest.importorskip("pm4py")
    path = _shared(name)
    from pm4py.algo.discovery.dfg.variants import performance
    from pm4py.objects.conversion.log import converter
    from pm4py.objects.log.util import interval_lifecycle

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = pm4py.read_xes(str(path))
        log = converter.apply(frame, variant=converter.Variants.TO_EVENT_LOG)
        if pair_lifecycle:
            log = interval_lifecycle.to_interval(log)
        perf = performance.apply(log, parameters={
            "aggregationMeasure": "all",
            performance.Parameters.START_TIMESTAMP_KEY: "start_timestamp"})
    return frame, log, perf


@pytest.fixture(scope="module")
def bpic2012():
    frame, ilog, perf = _pm4py_reference("bpic2012.xes.gz", pair_lifecycle=True)
    ours = Journeys.from_events(frame, case="case:concept:name", touchpoint="concept:name",
                                timestamp="time:timestamp", lifecycle="lifecycle:transition",
                                resource="org:resource", case_attributes=["case:AMOUNT_REQ"])
    return ours, ilog, perf


def _assert_perf_equal(ours, perf):
    g = journey_graph(ours)
    edges = {(a, b): d for a, b, d in g.edges(data=True) if "time_mean" in d}
    assert set(edges) == set(perf)
    for key, ref in perf.items():
        d = edges[key]
        for ours_name, ref_name in (("time_mean", "mean"), ("time_median", "median"),
                                    ("time_min", "min"), ("time_max", "max")):
            assert d[ours_name] == pytest.approx(ref[ref_name], rel=1e-9, abs=1e-9), \
                (key, ours_name)


@pytest.mark.realdata
def test_bpic2012_instances_equal_pm4py_to_interval(bpic2012):
    ours, ilog, _ = bpic2012
    assert ours.n_events == sum(len(t) for t in ilog) == 164_506
    ref_cases = {t.attributes["concept:name"]: t for t in ilog}
    for i in range(0, len(ours), 97):  # every 97th case, in full
        case = ours[i]
        trace = ref_cases[case.case_id]
        assert case.touchpoints == tuple(e["concept:name"] for e in trace)
        durations = (case.times - case.starts) / np.timedelta64(1, "s")
        np.testing.assert_allclose(durations, [e["@@duration"] for e in trace], rtol=1e-12)
    r = ours.cleaning_report
    assert len(r.removed["lifecycle_other"]) == 26_318  # the SCHEDULE rows
    assert r.paired_starts + len(r.removed.get("unpaired_start", [])) == 71_376
    # the A_ and O_ states are completions only; the W_ work items are started
    assert r.atomic_events + len(r.changed.get("unpaired_complete", [])) + \
        r.paired_starts == 164_506


@pytest.mark.realdata
def test_bpic2012_waiting_times_equal_pm4py_performance_dfg(bpic2012):
    ours, _, perf = bpic2012
    _assert_perf_equal(ours, perf)


@pytest.mark.realdata
def test_bpic2012_bottleneck_is_waiting_not_processing(bpic2012):
    ours, _, perf = bpic2012
    b = bottlenecks(ours)
    row = b.steps.tolist().index("W_Nabellen offertes -> W_Nabellen offertes")
    # pm4py's performance DFG on the paired log: median wait 177,568.8 s = 49.3 h, where
    # the unpaired events showed 0.08 h (the processing time between START and COMPLETE)
    assert b.median_wait[row] == pytest.approx(
        perf["W_Nabellen offertes", "W_Nabellen offertes"]["median"], rel=1e-9)
    assert b.median_wait[row] / 3600 > 40
    r = rework(ours)
    completeren = r.touchpoints.tolist().index("W_Completeren aanvraag")
    assert r.rework_rate[completeren] < 0.7  # was 100 % with START and COMPLETE as visits


@pytest.mark.realdata
def test_interval_log_waiting_times_equal_pm4py():
    frame, _, perf = _pm4py_reference("interval_event_log.xes.gz", pair_lifecycle=False)
    ours = Journeys.from_events(frame, case="case:concept:name", touchpoint="concept:name",
                                timestamp="time:timestamp", start_timestamp="start_timestamp")
    assert ours.n_events == len(frame)
    _assert_perf_equal(ours, perf)


@pytest.mark.realdata
def test_reviewing_log_instances_and_waits_equal_pm4py():
    frame, ilog, perf = _pm4py_reference("reviewing.xes.gz", pair_lifecycle=True)
    ours = Journeys.from_events(frame, case="case:concept:name", touchpoint="concept:name",
                                timestamp="time:timestamp", lifecycle="lifecycle:transition",
                                resource="org:resource")
    assert ours.n_events == sum(len(t) for t in ilog)
    _assert_perf_equal(ours, perf)
