"""Ingestion of the real third-party logs in ../shared/data (skipped when absent)."""

from __future__ import annotations

import numpy as np
import pytest

from cxpath import Journeys

pd = pytest.importorskip("pandas")

pytestmark = pytest.mark.realdata


def load_helpdesk(shared_data):
    frame = pd.read_csv(shared_data / "helpdesk.csv.gz")
    return frame, Journeys.from_events(frame, case="Case ID", touchpoint="Activity",
                                       timestamp="Complete Timestamp",
                                       time_format="%Y/%m/%d %H:%M:%S")


def test_helpdesk_loads_every_event(shared_data):
    frame, j = load_helpdesk(shared_data)
    # ../shared/data/README.md: 21,348 events, 4,580 cases, 14 activities
    assert (j.n_cases, j.n_events, len(j.vocab)) == (4580, 21348, 14)
    assert j.cleaning_report.n_removed == 0
    # 127 rows repeat case, activity and timestamp exactly (pandas .duplicated on the file)
    assert len(j.cleaning_report.duplicates_kept) == int(
        frame.duplicated(["Case ID", "Activity", "Complete Timestamp"]).sum()) == 127


def test_bpi13_ties_keep_file_order(shared_data):
    frame = pd.read_csv(shared_data / "bpi13_incidents.csv.gz")
    j = Journeys.from_events(frame, case="CaseID", touchpoint="ActivityID",
                             timestamp="CompleteTimestamp")
    # ../shared/data/README.md: 65,533 events in 7,554 cases, 13 activities
    assert (j.n_cases, j.n_events, len(j.vocab)) == (7554, 65533, 13)
    # independent reference: pandas stable sort by (case, time) keeps file order for ties
    ref = frame.assign(t=pd.to_datetime(frame["CompleteTimestamp"])).sort_values(
        ["CaseID", "t"], kind="stable")
    labels = np.asarray(j.vocab)[j.codes]
    assert labels.tolist() == ref["ActivityID"].astype(str).tolist()
    ties = ref.duplicated(["CaseID", "t"], keep=False)
    assert ties.sum() > 1000  # the log is full of ties, so the check above has teeth
