"""Regression tests for hostile-input failures of cxpath.forecast (issue #18)."""

from __future__ import annotations

import numpy as np
import pytest

from cxpath.errors import InvalidParameterError, InvalidTypeError
from cxpath.forecast import forecast_many
from cxpath.forecast._registry import METHODS, option_names

DATA = {"id": ["a"] * 10 + ["b"] * 10, "y": np.arange(20.0)}


@pytest.mark.parametrize("progress", [len, lambda done: None])
def test_progress_arity(progress):
    with pytest.raises(InvalidTypeError, match=r"'progress' parameter of forecast\."
                       r"forecast_many must be True, False, None or a callable \(done, total\)"
                       r"\. Got .* with the signature"):
        forecast_many(DATA, 3, "naive", id="id", value="y", progress=progress)


def test_progress_raising_type_error():
    def progress(done, total):
        raise TypeError("boom")

    with pytest.raises(InvalidTypeError, match=r"'progress' parameter of forecast\."
                       r"forecast_many .* which raised TypeError: boom"):
        forecast_many(DATA, 3, "naive", id="id", value="y", progress=progress)


def test_unknown_options():
    with pytest.raises(InvalidParameterError, match=r"'options' parameter of forecast\."
                       r"forecast_many must be empty: 'drift' takes no options\. Got the key ''"):
        forecast_many(DATA, 3, "drift", id="id", value="y", options={"": -246})
    with pytest.raises(InvalidParameterError, match=r"must be keyword options of 'ses': "
                       r"'alpha'\. Got the key 'beta' instead"):
        forecast_many(DATA, 3, "ses", id="id", value="y", options={"beta": 0.2})


def test_option_names():
    assert option_names("croston") == ("variant", "alpha")
    assert option_names("croston_sba") == ("alpha",)  # its entry sets variant itself
    assert all(isinstance(option_names(m), tuple) for m in METHODS)
