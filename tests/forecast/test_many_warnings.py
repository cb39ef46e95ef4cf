"""forecast_many gathers the series' warnings: one per category, not one per series."""

import warnings

import numpy as np
import pytest

from cxpath.errors import CxpathWarning
from cxpath.forecast import forecast_many, naive


def warns_on(ids):
    def method(y, h, level=None, series_id=None):
        if series_id in ids:
            warnings.warn(f"series {series_id}: odd", CxpathWarning, stacklevel=2)
        return naive(y, h, level=level, series_id=series_id)
    return method


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_many_series_warning_gives_one_warning_with_the_count(n_jobs):
    panel = np.arange(40.0).reshape(5, 8)
    with pytest.warns(CxpathWarning) as record:
        forecast_many(panel, 2, warns_on({0, 2, 3}), n_jobs=n_jobs)
    assert len(record) == 1
    text = str(record[0].message)
    assert "3 warnings (CxpathWarning) from the 5 series" in text
    assert "odd" in text
    assert record[0].filename == __file__  # points at the caller


def test_a_single_warning_is_passed_on_unchanged():
    with pytest.warns(CxpathWarning, match=r"^series 1: odd$") as record:
        forecast_many(np.arange(40.0).reshape(5, 8), 2, warns_on({1}))
    assert len(record) == 1


def test_no_warning_when_no_series_warns():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        forecast_many(np.arange(40.0).reshape(5, 8), 2, warns_on(set()))
