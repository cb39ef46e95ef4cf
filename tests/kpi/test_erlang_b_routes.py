"""Erlang B on both sides of ``queueing.RECURSION_AGENTS`` (the recursion below, which
needs no scipy, and the O(1) Poisson ratio above; #19 point 2).

Reference: the textbook definition ``B = (A^n / n!) / sum_k A^k / k!`` in exact rationals.
"""

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath.kpi import erlang_b, queueing


def _exact(n: int, a: Fraction) -> float:
    terms = [a**k / math.factorial(k) for k in range(n + 1)]
    return float(terms[-1] / sum(terms))


@settings(max_examples=80, deadline=None)
@given(n=st.integers(queueing.RECURSION_AGENTS - 20, queueing.RECURSION_AGENTS + 20),
       a10=st.integers(1, 4_000))
def test_both_routes_match_the_exact_definition(n, a10):
    got = erlang_b(n, a10 / 10)
    assert got == pytest.approx(_exact(n, Fraction(a10, 10)), rel=1e-12)


def test_tiny_and_huge_loads_on_the_recursion():
    n = queueing.RECURSION_AGENTS
    # A^n / n! underflows double precision for A = 1e-5: the exact value rounds to 0.0
    assert erlang_b(n, 1e-5) == _exact(n, Fraction(1, 100_000)) == 0.0
    # far above n the loss approaches 1 - n / A (the exact value, to 1e-12)
    assert erlang_b(n, 1e6) == pytest.approx(_exact(n, Fraction(10**6)), rel=1e-12)
