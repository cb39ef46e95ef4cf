"""Small journey logs run the journey and attribution kernels interpreted in a fresh process
(#19 point 2: the bundled sample's first graph should not compile).

Reference: the compiled kernels themselves. The interpreted route runs the same operations
in the same order, so every column must be equal bit for bit.
"""

import sys

import numpy as np
import pytest

from cxpath.attribution import heuristic, shapley
from cxpath.datasets import load_sample
from cxpath.journeys import journey_graph, stats, variants

shapley_module = sys.modules["cxpath.attribution.shapley"]  # the name is the function


def _columns(result):
    return {k: np.asarray(v) for k, v in result._columns().items()}


def _same(a, b):
    ca, cb = _columns(a), _columns(b)
    assert ca.keys() == cb.keys()
    for k in ca:
        x, y = ca[k], cb[k]
        if x.dtype.kind == "f":
            assert np.array_equal(x, y, equal_nan=True), k
        else:
            assert np.array_equal(x, y), k


CALLS = {
    "journey_graph": lambda j: journey_graph(j),
    "variants": lambda j: variants(j),
    "heuristic": lambda j: heuristic(j),
    "shapley": lambda j: shapley(j),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_small_logs_give_the_compiled_numbers(fresh_kernels, monkeypatch, name):
    j = load_sample().journeys
    assert j.n_events <= stats.INTERPRETED_EVENTS  # the sample takes the interpreted route
    small = CALLS[name](j)
    monkeypatch.setattr(stats, "INTERPRETED_EVENTS", 0)  # the compiled kernels
    monkeypatch.setattr(shapley_module, "SHAPLEY_SMALL_WORK", 0)
    _same(small, CALLS[name](j))
