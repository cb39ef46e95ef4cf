"""Messy-data traps found on real logs: each gets a report entry, a warning or an error."""

from __future__ import annotations

import pytest

from cxpath import Journeys
from cxpath.attribution import markov
from cxpath.errors import CxpathError, CxpathWarning


def test_fill_missing_channels_and_resources():
    data = dict(case=[1, 1, 2], touchpoint=["a", "b", "a"], timestamp=[0, 1, 2],
                channel=["web", None, "app"], resource=["x", None, "y"], outcome=[0, 1, 0])
    with pytest.raises(CxpathError, match=r"fill=\{'channel': 'unknown'\}"):
        markov(Journeys.from_events(**data), by="channel")
    j = Journeys.from_events(**data, fill={"channel": "unknown", "resource": "unassigned"})
    assert j.channel_vocab == ("app", "unknown", "web") and j.channels.tolist() == [2, 1, 0]
    assert j.event_attributes["resource"].decoded().tolist() == ["x", "unassigned", "y"]
    r = j.cleaning_report
    assert r.changed["filled_channel"].tolist() == [1]
    assert r.changed["filled_resource"].tolist() == [1]
    assert "channel missing: filled with the value given in 'fill'" in repr(r)
    markov(j, by="channel")  # no longer blocked
    with pytest.raises(CxpathError, match=r"The 'fill' parameter of Journeys.from_events must "
                                          r"be keys among the carried columns"):
        Journeys.from_events(**data, fill={"team": "none"})


def test_success_label_that_never_ends_a_case_warns():
    with pytest.warns(CxpathWarning, match=r"no case ends with \['resolved'\] .* pass an "
                                           r"event- or case-level flag as 'outcome='"):
        j = Journeys.from_events(case=[1, 1, 2, 2], touchpoint=["resolved", "close"] * 2,
                                 success={"resolved"})
    assert "success rate 0.0% (no case succeeds: check the 'outcome' or 'success' " \
           "definition)" in repr(j)


def test_success_rate_of_one_is_called_out():
    j = Journeys.from_events(case=[1, 2], touchpoint=["ok", "ok"], success={"ok"})
    assert "success rate 100.0% (every case succeeds" in repr(j)


def test_repr_says_what_cleaning_changed_even_when_nothing_was_removed():
    j = Journeys.from_events(case=[1, 1], touchpoint=["a", "b"], channel=["web", None])
    r = j.cleaning_report
    assert repr(r).startswith("CleaningReport: 2 input rows -> 2 events in 1 cases; removed "
                              "0, changed 1")
    assert "cleaning removed 0 and changed 1 input rows" in repr(j)
    clean = Journeys.from_events(case=[1], touchpoint=["a"]).cleaning_report
    assert repr(clean).endswith("nothing removed or changed")


def test_summary_line_shows_dates_uncut():
    j = Journeys.from_events(case=[1, 1], touchpoint=["a", "b"],
                             timestamp=["2025-03-01T08:00:00Z", "2025-03-02T17:30:05Z"])
    assert "from 2025-03-01T08:00:00 to 2025-03-02T17:30:05 (UTC)" in repr(j)
