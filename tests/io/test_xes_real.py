"""read_xes on the real XES logs in ../shared/data against pm4py's reader and rustxes.

Reference: pm4py 2.7 ``pm4py.read_xes`` (its lxml ``iterparse`` importer, the default when
rustxes is not installed, and its default when it is), run here on the same files.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from cxpath.io import read_xes
from cxpath.io.xes import _read_python

pytestmark = pytest.mark.realdata

FILES = ["reviewing.xes.gz", "interval_event_log.xes.gz", "helpdesk.xes.gz", "bpic2012.xes.gz"]
# ../shared/data/README.md: events and cases of each log
SIZES = {"reviewing.xes.gz": (3730, 100), "interval_event_log.xes.gz": (8109, 1266),
         "helpdesk.xes.gz": (21348, 4580), "bpic2012.xes.gz": (262200, 13087)}


@pytest.fixture(scope="module")
def logs(shared_data):
    return {name: _read_python(shared_data / name) for name in FILES}


def _pm4py():
    pm4py = pytest.importorskip("pm4py")
    warnings.filterwarnings("ignore", module="pm4py")
    return pm4py


def _same(ours: np.ndarray, theirs) -> bool:
    """Equal values, missing matching missing; timestamps compared as UTC instants (us)."""
    if ours.dtype.kind == "M":
        col = theirs
        if getattr(col.dt, "tz", None) is not None:
            col = col.dt.tz_convert("UTC").dt.tz_localize(None)
        return np.array_equal(ours, col.to_numpy().astype("datetime64[us]"), equal_nan=True)
    missing = theirs.isna().to_numpy()
    mine = np.array([x is None or (isinstance(x, float) and x != x) for x in ours.tolist()])
    if not np.array_equal(missing, mine):
        return False
    return ours[~mine].tolist() == theirs.to_numpy(dtype=object)[~missing].tolist()


@pytest.mark.parametrize("name", FILES)
def test_sizes(logs, name):
    log = logs[name]
    assert (log.n_events, log.n_traces) == SIZES[name]
    assert log.n_empty_traces == 0 and log.unparseable == {}


@pytest.mark.parametrize("variant", ["iterparse", None])
@pytest.mark.parametrize("name", FILES)
def test_same_events_attributes_and_timestamps_as_pm4py(logs, shared_data, name, variant):
    pm4py = _pm4py()
    theirs = pm4py.read_xes(str(shared_data / name), variant=variant, show_progress_bar=False)
    table = logs[name].table
    # pm4py has no offset columns: every other column is the same set
    assert set(theirs.columns) == {c for c in table if not c.endswith("@utc_offset")}
    assert len(theirs) == logs[name].n_events
    assert table["case:concept:name"].tolist() == theirs["case:concept:name"].tolist()
    for col in theirs.columns:
        assert _same(table[col], theirs[col]), col


@pytest.mark.parametrize("name", FILES)
def test_scanner_and_expat_agree_exactly(logs, shared_data, name):
    fast, full = logs[name], _read_python(shared_data / name, fast=False)
    assert list(fast.table) == list(full.table)
    for col in fast.table:
        a, b = fast.table[col], full.table[col]
        assert a.dtype == b.dtype
        assert np.array_equal(a, b, equal_nan=a.dtype.kind in "fM") if a.dtype.kind != "O" \
            else a.tolist() == b.tolist()
    assert (fast.kinds, fast.attributes.keys(), fast.nested) == (
        full.kinds, full.attributes.keys(), full.nested)


@pytest.mark.parametrize("name", FILES)
def test_rustxes_engine_agrees_exactly(logs, shared_data, name):
    pytest.importorskip("rustxes")
    rust = read_xes(shared_data / name, to="log", engine="rustxes")
    table = logs[name].table
    # rustxes does not report UTC offsets: the same columns without the @utc_offset ones
    assert set(rust.table) == {c for c in table if not c.endswith("@utc_offset")}
    for col, values in rust.table.items():
        assert values.dtype == table[col].dtype, col
        if values.dtype.kind == "O":
            assert values.tolist() == table[col].tolist(), col
        else:
            assert np.array_equal(values, table[col], equal_nan=values.dtype.kind in "fM"), col
    assert rust.trace_index.tolist() == logs[name].trace_index.tolist()
    assert rust.classifiers == logs[name].classifiers


def test_bpic2012_offsets_are_the_dutch_clock(logs):
    off = logs["bpic2012.xes.gz"].table["time:timestamp@utc_offset"]
    # BPIC 2012 runs Oct 2011 - Mar 2012 in the Netherlands: CEST (+02:00) until
    # 30 Oct 2011, CET (+01:00) after
    assert set(np.unique(off).tolist()) == {60, 120}


def test_bpic2012_to_journeys(shared_data):
    j = read_xes(shared_data / "bpic2012.xes.gz")
    report = j.cleaning_report
    assert report.n_rows == 262200 and j.n_cases == 13087
    if j.starts is not None:  # lifecycle pairing (START/COMPLETE; SCHEDULE removed)
        # 24 activities (README); those with START events pair with their COMPLETE
        assert len(j.vocab) == 24
        assert "resource" in j.event_attributes


def test_interval_log_to_journeys_uses_the_start_timestamp(shared_data):
    j = read_xes(shared_data / "interval_event_log.xes.gz")
    assert (j.n_cases, j.n_events) == (1266, 8109)
    if j.starts is not None:
        assert (j.times >= j.starts).all() and (j.times > j.starts).any()
