"""Regression tests for the full-mode hostile failures of cxpath.survey (issue #18, point 3)."""

from __future__ import annotations

import numpy as np
import pytest

from cxpath.errors import InvalidTypeError
from cxpath.survey import construct_validity, htmt


@pytest.mark.parametrize("func", [construct_validity, htmt])
@pytest.mark.parametrize("items", [1, None, 2.5, b"ab"])
def test_constructs_items_not_a_list(func, items):
    with pytest.raises(InvalidTypeError, match=rf"'constructs' parameter of survey\."
                       rf"{func.__name__} must be a dict mapping each construct to its item "
                       r"columns\. Got .* for 'a' instead"):
        func(np.ones((5, 4)), constructs={"a": items})
