"""Pareto analysis."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath.datasets import load_sample
from cxpath.errors import DataError, InvalidParameterError
from cxpath.fmea import pareto


def test_textbook_example():
    # hand-computed: total 100; cumulative 0.5, 0.8, 0.92, 1.0; the 80 % cut is reached at 2
    p = pareto({"late": 50, "wrong part": 30, "no-show": 12, "billing": 8})
    assert p.labels.tolist() == ["late", "wrong part", "no-show", "billing"]
    np.testing.assert_allclose(p.cumulative, [0.5, 0.8, 0.92, 1.0])
    np.testing.assert_allclose(p.share, [0.5, 0.3, 0.12, 0.08])
    assert p.n_vital == 2 and p.vital_few.tolist() == ["late", "wrong part"]
    assert p.total == 100 and not p.tie_at_cut
    assert pareto({"a": 50, "b": 30, "c": 20}, cut=0.81).n_vital == 3
    assert pareto({"a": 50, "b": 30, "c": 20}, cut=1.0).n_vital == 3
    assert pareto({"a": 50, "b": 30, "c": 20}, cut=0.1).n_vital == 1


def test_raw_values_table_and_ties():
    p = pareto(["b", "a", "b", "c", "a", "d"])
    assert p.labels.tolist() == ["a", "b", "c", "d"]          # equal counts: label order
    assert p.counts.tolist() == [2, 2, 1, 1]
    assert p.n_vital == 3 and p.tie_at_cut                     # c and d tie across the cut
    t = pareto({"reason": ["x", "y"], "n": [1.5, 4.5]}, counts="n", labels="reason")
    assert t.labels.tolist() == ["y", "x"] and t.cumulative.tolist() == [0.75, 1.0]
    assert pareto(labels=["x", "y"], counts=[1, 3]).labels.tolist() == ["y", "x"]
    assert pareto({"fm": ["a", "a", "b"]}, labels="fm").counts.tolist() == [2, 1]
    assert "vital few: 3 of 4" in repr(p) and "tie at the cut" in repr(p)
    assert pareto([]).n_vital == 0


def test_sample_failures():
    sample = load_sample()
    p = pareto(sample.failures["failure_mode"])
    assert p.total == len(sample.failures["failure_mode"])
    assert p.cumulative[p.n_vital - 1] >= 0.8 > (p.cumulative[p.n_vital - 2]
                                                 if p.n_vital > 1 else 0)
    assert p.labels[0] == "Wrong product model recorded"       # the planted 27 % share
    pd = pytest.importorskip("pandas")
    vc = pd.Series(sample.failures["failure_mode"]).value_counts()
    assert dict(zip(p.labels, p.counts)) == {k: float(c) for k, c in vc.items()}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 50), min_size=1, max_size=20).filter(lambda c: sum(c) > 0),
       st.floats(0.05, 1.0))
def test_vital_few_is_the_shortest_head_reaching_the_cut(counts, cut):
    p = pareto({f"c{i}": c for i, c in enumerate(counts)}, cut=cut)
    assert (np.diff(p.counts) <= 0).all()
    assert p.cumulative[-1] == 1.0
    k = p.n_vital
    assert p.cumulative[k - 1] >= cut - 1e-9
    assert k == 1 or p.cumulative[k - 2] < cut - 1e-12


def test_bad_inputs():
    with pytest.raises(DataError, match=r"'counts' parameter of fmea.pareto.*position 1"):
        pareto({"a": 1, "b": -1})
    with pytest.raises(DataError, match=r"positive total"):
        pareto({"a": 0, "b": 0})
    with pytest.raises(InvalidParameterError, match=r"'cut' parameter of fmea.pareto .*\(0, 1\]"):
        pareto({"a": 1}, cut=0)
    with pytest.raises(DataError, match=r"'labels'.*distinct.*'x' twice"):
        pareto(labels=["x", "x"], counts=[1, 2])
    with pytest.raises(DataError, match=r"same length"):
        pareto(labels=["x", "y"], counts=[1])
    with pytest.raises(InvalidParameterError, match=r"'labels'.*given together with 'counts'"):
        pareto(counts=[1, 2])
    with pytest.raises(InvalidParameterError, match=r"'data'"):
        pareto()
    with pytest.raises(DataError, match=r"NaN"):
        pareto(labels=["x"], counts=[float("nan")])
