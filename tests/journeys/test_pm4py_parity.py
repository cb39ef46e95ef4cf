"""Parity with pm4py (run live, test-only dependency) on the real logs in ../shared/data."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from cxpath import Journeys
from cxpath.journeys import JourneyStats, journey_graph, variants

pd = pytest.importorskip("pandas")
pm4py = pytest.importorskip("pm4py")

pytestmark = pytest.mark.realdata

LOGS = {
    "helpdesk": ("helpdesk.csv.gz", "Case ID", "Activity", "Complete Timestamp",
                 "%Y/%m/%d %H:%M:%S"),
    "bpi13": ("bpi13_incidents.csv.gz", "CaseID", "ActivityID", "CompleteTimestamp",
              "%Y-%m-%d %H:%M:%S"),
}


@pytest.fixture(scope="module", params=sorted(LOGS))
def both(request, tmp_path_factory, shared_data):
    name, case, activity, ts, fmt = LOGS[request.param]
    frame = pd.read_csv(shared_data / name)
    frame[activity] = frame[activity].astype(str)
    frame["ts"] = pd.to_datetime(frame[ts], format=fmt)
    ours = Journeys.from_events(frame, case=case, touchpoint=activity, timestamp="ts")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        log = pm4py.format_dataframe(frame, case_id=case, activity_key=activity,
                                     timestamp_key="ts")
        dfg, starts, ends = pm4py.discover_dfg(log)
        perf, _, _ = pm4py.discover_performance_dfg(log)
        var = pm4py.get_variants(log)
    return ours, {"dfg": dfg, "starts": starts, "ends": ends, "perf": perf, "variants": var}


def test_directly_follows_start_and_end_counts_identical(both):
    ours, ref = both
    stats = JourneyStats.from_journeys(ours)
    labels = ours.vocab
    dfg = {(labels[i], labels[j]): int(stats.transitions[i, j])
           for i, j in zip(*np.nonzero(stats.transitions))}
    assert dfg == {k: int(c) for k, c in ref["dfg"].items()}
    assert {labels[i]: int(c) for i, c in enumerate(stats.starts) if c} == \
        {k: int(c) for k, c in ref["starts"].items()}
    assert {labels[i]: int(c) for i, c in enumerate(stats.ends) if c} == \
        {k: int(c) for k, c in ref["ends"].items()}


def test_variant_counts_identical(both):
    ours, ref = both
    got = variants(ours)
    ours_map = {tuple(p.split(" > ")): int(c) for p, c in zip(got.paths, got.counts)}
    assert ours_map == {k: int(c) for k, c in ref["variants"].items()}


def test_performance_dfg_equal_to_1e9_relative(both):
    ours, ref = both
    g = journey_graph(ours)
    assert len(ref["perf"]) == sum(1 for a, b in g.edges if not a.startswith("__")
                                   and not b.startswith("__"))
    for (a, b), m in ref["perf"].items():
        e = g.edges[a, b]
        for ours_key, theirs in (("time_mean", "mean"), ("time_median", "median"),
                                 ("time_min", "min"), ("time_max", "max")):
            assert e[ours_key] == pytest.approx(float(m[theirs]), rel=1e-9, abs=1e-9), \
                (a, b, theirs)
