"""Regression tests for hostile-input failures of cxpath.attribution (issue #18)."""

from __future__ import annotations

import pytest

from cxpath import Journeys
from cxpath.attribution import markov
from cxpath.errors import CostError, InvalidParameterError


@pytest.fixture
def journeys():
    return Journeys.from_paths(["a > b", "b", "a"], conversions=[1, 1, 0], nulls=[0, 1, 1])


def test_markov_solve_cap(journeys):
    # (n_boot + 1) * (2 channels + 1) solves = 23,085,207
    with pytest.raises(CostError, match=r"attribution\.markov would solve a chain of 3 states "
                       r"23,085,207 times \(7,695,069 fits of 3 solves; roughly .* on one core\),"
                       r" more than the max_solves=200,000 cap\. .*\(max_solves=23085207\)"):
        markov(journeys, n_boot=7_695_068)


def test_markov_solve_cap_can_be_met(journeys):
    m = markov(journeys, n_boot=2, seed=0, max_solves=9)  # 3 fits x 3 solves
    assert m.n_boot == 2
    with pytest.raises(CostError, match=r"more than the max_solves=8 cap"):
        markov(journeys, n_boot=2, seed=0, max_solves=8)
    with pytest.raises(InvalidParameterError, match=r"'max_solves' parameter of attribution\."
                       r"markov must be an integer in \[1, inf\]"):
        markov(journeys, max_solves=0)
