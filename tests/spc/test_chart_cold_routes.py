"""Small control-chart inputs run the spc kernels interpreted in a fresh process (#19 point 2).

Reference: the compiled kernels themselves. The interpreted route runs the same operations
in the same order, so flags, sums and run counts must be equal bit for bit, and every chart
must give the same signals on both sides of the size rules.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath._kernels import _jit
from cxpath._kernels import spc as k
from cxpath.spc import Monitor, cusum, nelson, run_rules, timeweighted, u_chart, western_electric
from cxpath.spc import rules as spc_rules
from cxpath.spc.rules import KINDS


def _python(kernel):
    """The route ``by_work`` takes for a small job in a fresh process."""
    return _jit._quiet(_jit._python_tree(kernel))


def _rule_arrays(ruleset, nsigma=3.0):
    rules = ruleset.rules
    return (np.array([KINDS.index(r.kind) for r in rules], dtype=np.int64),
            np.array([r.window for r in rules], dtype=np.int64),
            np.array([r.count for r in rules], dtype=np.int64),
            np.array([nsigma if r.kind == "beyond" else r.k for r in rules], dtype=np.float64))


# every kind: Nelson 1-8 and Western Electric 1-4 (run of 8), alone and combined
RULESETS = [nelson(), western_electric(), nelson() + western_electric(run_length=9)]
points = st.lists(st.one_of(st.floats(-5.0, 5.0, allow_nan=False),
                            st.sampled_from([0.0, 1.0, -1.0, 2.0, 3.0])),
                  min_size=0, max_size=80)


@settings(max_examples=150, deadline=None)
@given(z=points, which=st.integers(0, len(RULESETS) - 1),
       nsigma=st.sampled_from([2.0, 3.0]))
def test_interpreted_rule_flags_equal_the_compiled_kernel(z, which, nsigma):
    z = np.array(z, dtype=np.float64)
    args = (z, *_rule_arrays(RULESETS[which], nsigma))
    want = k.rule_flags(*args)
    got = _python(k.rule_flags)(*args)
    assert got.dtype == want.dtype and got.shape == want.shape
    assert np.array_equal(got, want)


@settings(max_examples=150, deadline=None)
@given(d=st.lists(st.floats(-50.0, 50.0, allow_nan=False), max_size=80),
       kk=st.floats(0.0, 3.0), h=st.floats(0.1, 20.0), reset=st.booleans())
def test_interpreted_cusum_sums_equal_the_compiled_kernel(d, kk, h, reset):
    d = np.array(d, dtype=np.float64)
    want = k.cusum_sums(d, kk, h, reset)
    got = _python(k.cusum_sums)(d, kk, h, reset)
    for g, w in zip(got, want):
        assert g.dtype == w.dtype
        assert np.array_equal(g, w)


def _charts():
    rng = np.random.default_rng(19)
    orders = rng.integers(800, 1200, size=120)
    rate = np.r_[np.full(60, 0.004), np.full(60, 0.006)]
    complaints = rng.poisson(orders * rate)
    x = np.r_[rng.normal(10.0, 1.0, 60), rng.normal(11.0, 1.0, 60)]
    monitor = Monitor.from_baseline(rng.normal(10.0, 1.0, size=(40, 3)), rules="nelson")
    new = rng.normal(10.5, 1.0, size=(12, 3))
    return [
        lambda: u_chart(complaints, orders, baseline=slice(0, 60), rules="nelson").signals,
        lambda: run_rules(x, 10.0, 1.0, rules="nelson"),
        lambda: cusum(x, baseline=slice(0, 60)).signals,
        lambda: cusum(x, baseline=slice(0, 60), reset=True).values,
        lambda: monitor.update(new).rules,
    ]


def _columns(result):
    if isinstance(result, np.ndarray):
        return [result]
    return [np.asarray(getattr(result, name)) for name in ("rule", "index", "start", "side",
                                                          "explanation")]


@pytest.mark.parametrize("case", range(5))
def test_charts_are_the_same_on_both_sides_of_the_size_rules(fresh_kernels, monkeypatch, case):
    chart = _charts()[case]
    small = chart()
    monkeypatch.setattr(spc_rules, "SMALL_RULE_WORK", 0)  # the compiled kernels
    monkeypatch.setattr(timeweighted, "SMALL_CUSUM_POINTS", 0)
    large = chart()
    for got, want in zip(_columns(small), _columns(large)):
        assert np.array_equal(got, want)


def test_small_charts_compile_nothing(fresh_kernels, monkeypatch):
    # a fresh process would compile both kernels if the route were not taken; count calls
    # that reach the dispatchers instead of their Python functions
    reached = []
    for name in ("rule_flags", "cusum_sums"):
        kernel = getattr(k, name)
        monkeypatch.setattr(k, name, _Spy(kernel, reached))
    for chart in _charts():
        chart()
    assert reached == []
    monkeypatch.setattr(spc_rules, "SMALL_RULE_WORK", 0)
    _charts()[1]()
    assert reached == ["rule_flags"]


class _Spy:
    """A kernel stand-in that records calls to the compiled dispatcher."""

    def __init__(self, kernel, log):
        self.kernel, self.log = kernel, log
        self.py_func = getattr(kernel, "py_func", kernel)

    def __call__(self, *args):
        self.log.append(self.py_func.__name__)
        return self.kernel(*args)
