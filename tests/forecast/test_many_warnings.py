"""forecast_many gathers the series' cxpath warnings: one per category, not one per series,
collected per call and thread (no process-wide warning filters touched)."""

import threading
import warnings

import numpy as np
import pytest

from cxpath._warnings import warn
from cxpath.errors import CxpathWarning
from cxpath.forecast import forecast_many, naive


def warns_on(ids, emit=warn):
    def method(y, h, level=None, series_id=None):
        if series_id in ids:
            emit(f"series {series_id}: odd", CxpathWarning, stacklevel=2)
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


def test_a_callables_own_warnings_pass_through():
    with pytest.warns(CxpathWarning) as record:
        forecast_many(np.arange(40.0).reshape(5, 8), 2, warns_on({0, 2}, warnings.warn))
    assert sorted(str(w.message) for w in record) == ["series 0: odd", "series 2: odd"]


def test_the_process_filters_are_left_alone_while_it_runs():
    seen = []

    def method(y, h, level=None, series_id=None):
        seen.append((list(warnings.filters), warnings.showwarning))
        return naive(y, h, level=level, series_id=series_id)

    before = (list(warnings.filters), warnings.showwarning)
    forecast_many(np.arange(40.0).reshape(5, 8), 2, method, n_jobs=2)
    assert seen and all(s == before for s in seen)


def test_another_threads_warning_is_not_swallowed():
    """While a forecast_many in one thread collects its series' warnings, a warning raised
    in another thread reaches that thread's caller (catch_warnings(record=True) would have
    taken it into the batch and hidden it)."""
    inside, done = threading.Event(), threading.Event()

    def method(y, h, level=None, series_id=None):
        warn(f"series {series_id}: odd", CxpathWarning, stacklevel=2)
        if series_id == 0:
            inside.set()
            done.wait(10)
        return naive(y, h, level=level, series_id=series_id)

    errors = []

    def batch():
        try:
            forecast_many(np.arange(40.0).reshape(5, 8), 2, method)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        worker = threading.Thread(target=batch)
        worker.start()
        assert inside.wait(10)
        warn("the other thread's own warning")
        done.set()
        worker.join(10)
    assert not errors
    messages = sorted(str(w.message) for w in record)
    assert len(messages) == 2
    assert "5 warnings (CxpathWarning) from the 5 series" in messages[0]
    assert messages[1] == "the other thread's own warning"
