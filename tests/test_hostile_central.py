"""Shared readers refuse what numpy or the standard library cannot read, in the library's
error shape (#18 point 3; found by the full hostile run)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxpath import Journeys
from cxpath.errors import CxpathError, InvalidTypeError


def test_ragged_and_scalar_columns():
    with pytest.raises(InvalidTypeError, match=r"The 'case' parameter of Journeys.from_events "
                                               r"must be a sequence of values \(one per row\). "
                                               r"Got values numpy cannot read"):
        Journeys.from_events(case=[[1, 2], [3]], touchpoint=["a", "b"])
    from cxpath.kpi import business_seconds

    with pytest.raises(InvalidTypeError, match=r"The 'start' parameter of kpi.business_seconds "
                                               r"must be a column name or a sequence of values"):
        business_seconds(pd.NaT, [0.0])


def test_durations_in_years_and_timedelta_numbers():
    from cxpath.datasets import load_sample
    from cxpath.journeys import bottlenecks

    with pytest.raises(CxpathError, match=r"in a unit of fixed length \(not years or months\)"):
        bottlenecks(load_sample().journeys, sla=np.timedelta64(1, "Y"))
    from cxpath._validate import check_real

    with pytest.raises(InvalidTypeError, match=r"The 'half_life' parameter of f must be a real"):
        check_real(np.timedelta64("NaT"), "half_life", "f")


def test_time_zone_names_the_os_cannot_open():
    """A 300-character name made zoneinfo raise OSError (file name too long)."""
    with pytest.raises(CxpathError, match=r"The 'tz' parameter of Journeys.from_events must be "
                                          r"an IANA time-zone name"):
        Journeys.from_events(case=[1], touchpoint=["a"], tz="a" * 300)


def test_direct_construction_with_missing_or_ragged_fields():
    with pytest.raises(InvalidTypeError, match=r"The 'codes' parameter of Journeys must be a "
                                               r"1-D array of int64. Got None instead."):
        Journeys(codes=None, offsets=[0], vocab=[], case_ids=[])
    with pytest.raises(InvalidTypeError, match=r"The 'vocab' parameter of Journeys must be a "
                                               r"sequence of labels"):
        Journeys(codes=[0], offsets=[0, 1], vocab=[[1, 2], [3]], case_ids=[1])


def test_last_full_run_findings():
    """The last four callables the full hostile run caught (one call each)."""
    from cxpath.attribution import attribute
    from cxpath.datasets import load_sample
    from cxpath.plot import attribution as plot_attribution
    from cxpath.report import build_report, sample_inputs

    inputs = sample_inputs()
    with pytest.raises(CxpathError, match=r"The 'progress' parameter of report.build_report "
                                          r"must be a callable progress\(section_name\) that "
                                          r"works. Got ZeroDivisionError: division by zero"):
        build_report(inputs, sections=("data",), progress=lambda key: 1 / 0)
    report = build_report(inputs, sections=("data",))
    with pytest.raises(InvalidTypeError, match=r"'figures' parameter of Report.to_html"):
        report.to_html(figures=np.zeros(2))
    result = attribute(load_sample().journeys)
    with pytest.raises(InvalidTypeError, match=r"The 'models' parameter of plot.attribution "
                                               r"must be None, a model name or a list"):
        plot_attribution(result, models=1.5)


def test_a_dask_get_function_must_take_the_graph_and_keys():
    pytest.importorskip("dask")
    from cxpath.distributed.stats import check_scheduler

    with pytest.raises(InvalidTypeError, match=r"'scheduler' parameter of f must be a dask get "
                                               r"function get\(dsk, keys, \*\*kwargs\)"):
        check_scheduler(lambda: None, "f")
    assert check_scheduler("threads", "f") == "threads"
