"""Regression tests for hostile-input failures of cxpath.plot (issue #18)."""

from __future__ import annotations

import pytest

from cxpath import Journeys
from cxpath.errors import InvalidParameterError

pytest.importorskip("matplotlib")

from cxpath.plot import journey_flow


@pytest.mark.parametrize("steps", [101, 15_000_000, 2**31])
def test_journey_flow_steps_cap(steps):
    j = Journeys.from_paths(["a > b", "b", "a"])
    with pytest.raises(InvalidParameterError, match=r"'steps' parameter of plot\.journey_flow "
                       rf"must be an integer in \[2, 100\]\. Got {steps} instead"):
        journey_flow(j, steps=steps)
