"""Regression tests for hostile-input failures of cxpath.spc (issue #18)."""

from __future__ import annotations

import numpy as np
import pytest

from cxpath.errors import InvalidParameterError, InvalidTypeError
from cxpath.spc.rules import Rule


@pytest.mark.parametrize(("side", "cls"), [("x", InvalidTypeError), (True, InvalidTypeError),
                                           (1.0, InvalidTypeError), (0, InvalidParameterError)])
def test_describe_side(side, cls):
    with pytest.raises(cls, match=r"'side' parameter of spc\.Rule\.describe must be one of the "
                       r"integers 1 \(above\), -1 \(below\) or 2"):
        Rule("WE1", "beyond").describe(side)


def test_describe_numpy_side():
    assert Rule("WE1", "beyond").describe(np.int64(-1)) == "point below the lower control limit"
