"""Duration arguments: one convention (seconds, timedeltas, or strings like '48h')."""

from __future__ import annotations

import datetime

import numpy as np
import pytest

from cxpath import Journeys
from cxpath._validate import check_duration
from cxpath.errors import CxpathError
from cxpath.journeys import bottlenecks, repeat_contacts


@pytest.mark.parametrize(("value", "seconds"), [
    (172800, 172800.0), (1.5, 1.5), ("48h", 172800.0), ("2d 4h", 187200.0),
    ("90 min", 5400.0), ("1.5 hours", 5400.0), ("1w", 604800.0), ("250ms", 0.25),
    ("30m", 1800.0), (datetime.timedelta(hours=2), 7200.0),
    (np.timedelta64(3, "h"), 10800.0), (np.timedelta64(1500, "ms"), 1.5),
])
def test_check_duration_accepts_every_form(value, seconds):
    assert check_duration(value, "sla", "f") == seconds


def test_pandas_timedelta_is_accepted():
    pd = pytest.importorskip("pandas")
    assert check_duration(pd.Timedelta("2 days"), "sla", "f") == 172800.0


@pytest.mark.parametrize(("value", "match"), [
    ("48 parsecs", "must be a duration: seconds, a datetime.timedelta"),
    ("", "must be a duration"),
    (np.timedelta64("NaT"), "Got NaT instead"),
    (True, "must be a duration"),
    (float("nan"), r"\(finite\)"),
    (-5, "must be a duration at least 0 s. Got -5 s instead."),
    ([1], "must be a duration"),
])
def test_check_duration_rejects_with_one_error_shape(value, match):
    with pytest.raises(CxpathError, match=match):
        check_duration(value, "sla", "f")


def test_journey_functions_take_timedeltas():
    j = Journeys.from_events(case=[1, 1, 2, 2], touchpoint=["a", "b", "a", "b"],
                             timestamp=[0, 3600, 0, 10 * 3600],
                             case_attributes={"who": ["x", "x", "x", "x"]})
    by_number = bottlenecks(j, sla=2 * 3600).sla_breach.tolist()
    assert by_number == [0.5]
    assert bottlenecks(j, sla="2h").sla_breach.tolist() == by_number
    assert bottlenecks(j, sla=np.timedelta64(2, "h")).sla_breach.tolist() == by_number
    assert bottlenecks(j, sla=datetime.timedelta(hours=2)).sla_breach.tolist() == by_number
    assert repeat_contacts(j, "who", window="1d").window == 86400.0
    with pytest.raises(CxpathError, match=r"The 'sla' parameter of journeys.bottlenecks must "
                                          r"be a duration above 0 s"):
        bottlenecks(j, sla="0h")


def test_one_level_convention():
    from cxpath.attribution import markov
    from cxpath.forecast import naive

    # forecast levels are percent; a fraction is refused with both conventions named
    with pytest.raises(CxpathError, match=r"must be a percentage in \(1, 100\) .* a fraction "
                                          r"such as 0.95 is the confidence= convention"):
        naive([1.0, 2.0, 3.0, 4.0], 1, level=0.95)
    assert naive([1.0, 2.0, 3.0, 4.0], 1, level=95).levels.tolist() == [95.0]
    j = Journeys.from_paths(["a > b", "b"], conversions=[3, 1], nulls=[1, 2])
    new = markov(j, n_boot=20, confidence=0.9, seed=1)
    assert new.confidence == 0.9
    with pytest.warns(DeprecationWarning, match="'level' parameter of attribution.markov is "
                                                "renamed 'confidence'"):
        old = markov(j, n_boot=20, level=0.9, seed=1)
    np.testing.assert_array_equal(old.conversions_ci, new.conversions_ci)
