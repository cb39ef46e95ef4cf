"""cxpath.distributed.journey_stats equals the single-machine JourneyStats."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath import Journeys
from cxpath.datasets import load_sample
from cxpath.distributed import journey_stats
from cxpath.errors import CxpathError, CxpathWarning, DataError, StrictCleaningError
from cxpath.journeys import JourneyStats, bottlenecks, breakpoints, variants

pd = pytest.importorskip("pandas")
dd = pytest.importorskip("dask.dataframe")

COLUMNS = dict(case="case_id", touchpoint="touchpoint", timestamp="timestamp",
               channel="channel")


def single_machine(frame, vocab, order=1):
    j = Journeys.from_events(frame, success={"resolved"}, vocab=vocab, **COLUMNS)
    return JourneyStats.from_journeys(j, order=order)


@pytest.fixture(scope="module")
def sample_frame():
    events = load_sample().events
    return pd.DataFrame({k: np.asarray(v) for k, v in events.items()})


@pytest.mark.parametrize("order", [1, 2])
def test_threads_scheduler_matches_single_machine(sample_frame, order):
    ddf = dd.from_pandas(sample_frame.sample(frac=1.0, random_state=1), npartitions=7)
    got = journey_stats(ddf, success={"resolved"}, order=order, scheduler="threads", **COLUMNS)
    expected = single_machine(sample_frame, got.vocab, order)
    assert got.vocab == tuple(sorted(sample_frame["touchpoint"].unique()))
    assert got.equals(expected)
    # analyses run unchanged on the distributed result
    assert breakpoints(got).steps[0] == "chatbot"
    assert bottlenecks(got).steps[0] == "escalation -> field_visit"
    assert variants(got).counts.sum() == 5000


def test_attribution_runs_unchanged_on_the_distributed_result(sample_frame):
    from cxpath.attribution import attribute, markov

    frame = sample_frame.assign(value=np.where(sample_frame["touchpoint"] == "resolved",
                                               np.arange(len(sample_frame)) % 7 + 1.0, 0.0))
    ddf = dd.from_pandas(frame.sample(frac=1.0, random_state=3), npartitions=5)
    got = journey_stats(ddf, success={"resolved"}, value="value", scheduler="threads",
                        **COLUMNS)
    j = Journeys.from_events(frame, success={"resolved"}, vocab=got.vocab, value="value",
                             **COLUMNS)
    models = ("linear", "markov_1", "markov_3", "shapley")
    ours, single = (attribute(x, models=models, exclude="resolved") for x in (got, j))
    np.testing.assert_allclose(ours.conversions, single.conversions, rtol=1e-10)
    np.testing.assert_allclose(ours.value, single.value, rtol=1e-10)
    assert ours.value[1].sum() == pytest.approx(frame["value"].sum())
    ci = markov(got, exclude="resolved", n_boot=5, seed=0).conversions_ci
    assert ci.shape == (len(got.vocab) - 1, 2)


def test_local_cluster_with_two_workers(sample_frame):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        ddf = dd.from_pandas(sample_frame, npartitions=4)
        got = journey_stats(ddf, success={"resolved"}, scheduler=client, **COLUMNS)
    assert got.equals(single_machine(sample_frame, got.vocab))


def test_real_helpdesk_log(shared_data):
    frame = pd.read_csv(shared_data / "helpdesk.csv.gz")
    frame["ts"] = pd.to_datetime(frame["Complete Timestamp"], format="%Y/%m/%d %H:%M:%S")
    cols = dict(case="Case ID", touchpoint="Activity", timestamp="ts")
    got = journey_stats(dd.from_pandas(frame, npartitions=5), scheduler="threads", **cols)
    j = Journeys.from_events(frame, vocab=got.vocab, **cols)
    assert got.equals(JourneyStats.from_journeys(j))
    assert got.n_cases == 4580


@settings(max_examples=15, deadline=None)
@given(n_parts=st.integers(1, 6), seed=st.integers(0, 1000))
def test_any_partitioning_gives_the_same_statistics(sample_frame, n_parts, seed):
    small = sample_frame.iloc[:600]
    ddf = dd.from_pandas(small.sample(frac=1.0, random_state=seed), npartitions=n_parts)
    got = journey_stats(ddf, success={"resolved"}, scheduler="synchronous", **COLUMNS)
    assert got.equals(single_machine(small, got.vocab))


def test_declared_partitioning_is_checked(sample_frame):
    shuffled = dd.from_pandas(sample_frame.sample(frac=1.0, random_state=3), npartitions=4)
    with pytest.raises(DataError, match="cases span several partitions"):
        journey_stats(shuffled, partitioned_by_case=True, scheduler="threads", **COLUMNS)
    # set_index on the case column keeps each case in one partition
    by_case = dd.from_pandas(sample_frame, npartitions=4).set_index("case_id").reset_index()
    got = journey_stats(by_case, partitioned_by_case=True, success={"resolved"},
                        scheduler="threads", **COLUMNS)
    assert got.n_cases == 5000


def dirty_log(sample_frame):
    """The sample with unusable rows in some cases, plus a partition of unusable rows only."""
    good = sample_frame.copy()
    good.loc[good.index[::97], "touchpoint"] = None
    good.loc[good.index[5::131], "timestamp"] = pd.NaT
    bad = pd.DataFrame({"case_id": ["X1", "X1", "X2"], "touchpoint": [None, None, None],
                        "timestamp": good["timestamp"].iloc[:3].to_numpy(),
                        "channel": ["app", "app", "web"]})
    ddf = dd.concat([dd.from_pandas(good, npartitions=1), dd.from_pandas(bad, npartitions=1)])
    return pd.concat([good, bad], ignore_index=True), ddf


def test_cleaning_is_reported_once_never_silently(sample_frame):
    whole, ddf = dirty_log(sample_frame)
    j = Journeys.from_events(whole, success={"resolved"}, **COLUMNS)
    report = j.cleaning_report
    assert report.n_removed > 0
    with pytest.warns(CxpathWarning) as caught:
        got = journey_stats(ddf, success={"resolved"}, partitioned_by_case=True,
                            vocab=j.vocab, scheduler="threads", **COLUMNS)
    assert len(caught) == 1
    message = str(caught[0].message)
    for why, rows in report.removed.items():
        if len(rows):
            assert f"removed: {why} {len(rows):,}" in message
    assert got.equals(JourneyStats.from_journeys(j))
    with pytest.raises(StrictCleaningError):
        journey_stats(ddf, success={"resolved"}, partitioned_by_case=True, vocab=j.vocab,
                      strict=True, scheduler="threads", **COLUMNS)


def test_top_variants_reports_cleaning_too(sample_frame):
    from cxpath.distributed import top_variants

    whole, ddf = dirty_log(sample_frame)
    with pytest.warns(CxpathWarning, match="distributed.top_variants cleaned"):
        top = top_variants(ddf, success={"resolved"}, partitioned_by_case=True,
                           scheduler="threads", k=3, case="case_id", touchpoint="touchpoint",
                           timestamp="timestamp")
    j = Journeys.from_events(whole, success={"resolved"}, **COLUMNS)
    assert top.n_cases == j.n_cases


@pytest.mark.parametrize("kwargs, fragment", [
    (dict(ddf="not a frame"), "a dask DataFrame"),
    (dict(strict="yes"), "'strict' parameter of distributed.journey_stats"),
    (dict(order=7), "'order' parameter of distributed.journey_stats"),
    (dict(case="nope"), "a column of the dask DataFrame"),
])
def test_bad_input(sample_frame, kwargs, fragment):
    args = dict(ddf=dd.from_pandas(sample_frame.iloc[:50], npartitions=2), **COLUMNS)
    args.update(kwargs)
    with pytest.raises(CxpathError) as info:
        journey_stats(args.pop("ddf"), **args)
    assert fragment in str(info.value)
