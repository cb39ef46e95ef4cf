"""cxpath.distributed.top_variants: exact when it fits, guaranteed bounds when it does not."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath import Journeys
from cxpath.datasets import load_sample
from cxpath.distributed import top_variants
from cxpath.errors import CxpathError
from cxpath.journeys import variants

pd = pytest.importorskip("pandas")
dd = pytest.importorskip("dask.dataframe")


@pytest.fixture(scope="module")
def sample_frame():
    events = load_sample().events
    return pd.DataFrame({k: np.asarray(v) for k, v in events.items()})


def skewed_log(n_cases, seed):
    """Cases whose paths follow a Zipf law over thousands of distinct paths."""
    rng = np.random.default_rng(seed)
    index = np.minimum(rng.zipf(1.4, n_cases), 5000) - 1
    rows = {"case": [], "step": [], "t": []}
    for case, i in enumerate(index.tolist()):
        digits = [int(d) for d in np.base_repr(i, 5)]
        for t, d in enumerate(digits):
            rows["case"].append(case)
            rows["step"].append("abcde"[d])
            rows["t"].append(t)
    return pd.DataFrame(rows)


def true_counts(frame):
    j = Journeys.from_events(frame, case="case", touchpoint="step", timestamp="t")
    var = variants(j)
    return dict(zip(var.paths.tolist(), var.counts.tolist()))


def test_exact_when_every_path_fits(sample_frame):
    ddf = dd.from_pandas(sample_frame.sample(frac=1.0, random_state=2), npartitions=7)
    top = top_variants(ddf, case="case_id", touchpoint="touchpoint", timestamp="timestamp",
                       success={"resolved"}, k=1000, capacity=5000, scheduler="threads")
    j = Journeys.from_events(sample_frame, case="case_id", touchpoint="touchpoint",
                             timestamp="timestamp", success={"resolved"})
    var = variants(j)
    assert top.exact and top.max_undercount == 0
    assert top.n_cases == 5000
    assert dict(zip(top.paths, top.count_low)) == dict(zip(var.paths, var.counts))
    np.testing.assert_array_equal(top.count_low, top.count_high)
    rates = dict(zip(var.paths, var.success_rate))
    assert all(rates[p] == pytest.approx(r) for p, r in zip(top.paths, top.success_rate))
    frame = top.to_frame("dict")
    assert frame["path"][0] == "ivr > phone_agent > resolved"


def test_bounded_summary_keeps_its_guarantees():
    frame = skewed_log(20_000, seed=0)
    truth = true_counts(frame)
    assert len(truth) > 1000
    capacity = 50
    top = top_variants(dd.from_pandas(frame, npartitions=8), case="case", touchpoint="step",
                       timestamp="t", k=capacity, capacity=capacity, scheduler="threads")
    assert not top.exact
    bound = top.n_cases / (capacity + 1)
    assert 0 < top.max_undercount <= bound
    for path, low, high in zip(top.paths, top.count_low, top.count_high):
        assert low <= truth[path] <= high
    heavy = {p for p, c in truth.items() if c > bound}
    assert heavy and heavy <= set(top.paths)
    # the largest paths are found and ranked as in the exact table
    best = sorted(truth, key=truth.get, reverse=True)[:3]
    assert top.paths[:3].tolist() == best


@settings(max_examples=10, deadline=None)
@given(n_parts=st.integers(1, 6), capacity=st.integers(3, 60), seed=st.integers(0, 100))
def test_bounds_hold_for_any_partitioning_and_capacity(n_parts, capacity, seed):
    frame = skewed_log(1500, seed)
    truth = true_counts(frame)
    top = top_variants(dd.from_pandas(frame.sample(frac=1.0, random_state=seed),
                                      npartitions=n_parts),
                       case="case", touchpoint="step", timestamp="t", k=3,
                       capacity=capacity, split_every=2, scheduler="synchronous")
    assert top.max_undercount <= top.n_cases / (capacity + 1)
    for path, low, high in zip(top.paths, top.count_low, top.count_high):
        assert low <= truth[path] <= high


@pytest.mark.parametrize("kwargs, fragment", [
    ({"k": 0}, "'k' parameter of distributed.top_variants"),
    ({"k": 10, "capacity": 5}, "'capacity' parameter"),
    ({"touchpoint": "nope"}, "'touchpoint' parameter"),
    ({"split_every": 1}, "'split_every' parameter"),
])
def test_bad_input(sample_frame, kwargs, fragment):
    args = {"case": "case_id", "touchpoint": "touchpoint", "timestamp": "timestamp"} | kwargs
    with pytest.raises(CxpathError, match=fragment):
        top_variants(dd.from_pandas(sample_frame, npartitions=2), **args)
    with pytest.raises(CxpathError, match="'ddf' parameter"):
        top_variants(sample_frame, case="case_id", touchpoint="touchpoint")


def test_local_cluster_with_two_workers(sample_frame):
    # summaries and the merge closure travel between worker processes
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        top = top_variants(dd.from_pandas(sample_frame, npartitions=4), case="case_id",
                           touchpoint="touchpoint", timestamp="timestamp",
                           success={"resolved"}, k=3, capacity=50, scheduler=client)
    local = top_variants(dd.from_pandas(sample_frame, npartitions=4), case="case_id",
                         touchpoint="touchpoint", timestamp="timestamp",
                         success={"resolved"}, k=3, capacity=50, scheduler="synchronous")
    assert top.paths.tolist() == local.paths.tolist()
    np.testing.assert_array_equal(top.count_low, local.count_low)
    assert top.paths[0] == "ivr > phone_agent > resolved" and top.count_low[0] == 524
