"""Regression tests for hostile-input failures of cxpath.survey (issue #18)."""

from __future__ import annotations

import numpy as np
import pytest

from cxpath.errors import CostError, DataError, InvalidParameterError
from cxpath.survey import htmt, key_drivers, n_factors


def test_htmt_ragged_data():
    with pytest.raises(DataError, match=r"'data' parameter of survey\.htmt must be a 2-D array "
                       r"\(respondents x items\) or a table\. Got rows of different lengths"):
        htmt([[1, 2], [3]], {"a": ["item1", "item2"], "b": ["item3", "item4"]})


def test_n_factors_cap():
    x = np.random.default_rng(0).standard_normal((50, 4))
    with pytest.raises(CostError, match=r"survey\.n_factors would simulate 248,000 random "
                       r"50 x 4 data sets .* more than the max_iter=100,000 cap\. .* "
                       r"\(max_iter=248000\)"):
        n_factors(x, n_iter=248_000)
    with pytest.raises(InvalidParameterError, match=r"'max_iter' parameter"):
        n_factors(x, max_iter=0)
    assert n_factors(x, n_iter=20, seed=0, max_iter=20).n_iter == 20  # the cap can be met


def test_key_drivers_cap():
    x = np.random.default_rng(0).standard_normal((50, 3))
    data = {"y": x[:, 0], "a": x[:, 1], "b": x[:, 2]}
    with pytest.raises(CostError, match=r"survey\.key_drivers would refit the 2 drivers on "
                       r"168,000 bootstrap resamples of 50 rows .* max_boot=100,000 cap\. .* "
                       r"\(max_boot=168000\)"):
        key_drivers(data, "y", ["a", "b"], n_boot=168_000)
    assert key_drivers(data, "y", ["a", "b"], n_boot=20, seed=0, max_boot=20).n_boot == 20
