"""The Kaplan–Meier risk table by counting or one sort equals the np.unique formulation.

Reference: distinct times by ``numpy.unique``, events and totals by ``numpy.bincount``, the
number at risk as ``Σ w [t >= time]`` by direct comparison (written here).
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath.customers._data import read
from cxpath.customers.survival import _table


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.booleans(), st.integers(1, 4)), min_size=1,
                max_size=60),
       st.sampled_from(["whole", "halves", "wide"]), st.booleans())
def test_risk_table_equals_a_direct_count(rows, kind, weighted):
    t = np.array([r[0] for r in rows], dtype=float)
    if kind == "halves":
        t = t / 2  # not whole numbers: the sort path
    elif kind == "wide":
        t = t * 1e6  # whole numbers in a range far wider than their number: the sort path
    e = np.array([r[1] for r in rows])
    w = np.array([r[2] for r in rows], dtype=float) if weighted else None
    times, at_risk, events, censored = _table(read("f", t, e, weights=w))
    ww = np.ones(t.size) if w is None else w
    want_times, inv = np.unique(t, return_inverse=True)
    np.testing.assert_array_equal(times, want_times)
    np.testing.assert_allclose(events, np.bincount(inv, weights=ww * e), rtol=0, atol=1e-12)
    np.testing.assert_allclose(events + censored, np.bincount(inv, weights=ww), rtol=0,
                               atol=1e-12)
    np.testing.assert_allclose(at_risk, [ww[t >= x].sum() for x in want_times], rtol=0,
                               atol=1e-12)
