"""Control-chart constants computed from the normal distribution, not typed in.

``d2`` and ``d3`` are the mean and standard deviation of the relative range ``W = R / σ`` of
``n`` independent standard normal observations, found by numerical integration of the
distribution of the range; ``c4`` is the mean of ``s / σ`` from gamma functions. The chart
factors ``A2, A3, D3, D4, B3, B4, E2`` follow from them.
"""

from __future__ import annotations

import functools
import math
from typing import TYPE_CHECKING

import numpy as np

from .. import _validate as v
from .._results import Result, result

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["ControlConstants", "c4", "control_constants", "d2", "d3"]

# The integrands are negligible beyond |x| = 10 (Φ(-10) ≈ 7.6e-24); a step of 1/256 makes the
# trapezoid rule exact to ~1e-13 for these smooth, Gaussian-tailed integrands.
_X = np.linspace(-10.0, 10.0, 5121)
_DX = _X[1] - _X[0]


def _phi_cdf(x):
    from scipy.special import ndtr

    return ndtr(x)


def _trapezoid(y, dx):
    return dx * (y.sum(axis=-1) - 0.5 * (y[..., 0] + y[..., -1]))


def _check_n(n, func):
    return v.check_int(n, "n", func, low=2, high=100_000)


@functools.lru_cache(maxsize=512)
def _d2(n: int) -> float:
    # E[W] = ∫ 1 - Φ(x)^n - (1 - Φ(x))^n dx
    cdf = _phi_cdf(_X)
    return float(_trapezoid(1.0 - cdf**n - (1.0 - cdf) ** n, _DX))


def _range_survival(w: np.ndarray, n: int) -> np.ndarray:
    """P(W > w) = 1 - n ∫ φ(x) [Φ(x + w) - Φ(x)]^(n-1) dx for each w."""
    x = _X[None, :]
    dens = np.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)
    inner = (_phi_cdf(x + w[:, None]) - _phi_cdf(x)) ** (n - 1)
    return 1.0 - n * _trapezoid(dens * inner, _DX)


@functools.lru_cache(maxsize=512)
def _d3(n: int) -> float:
    from scipy.integrate import quad

    # E[W^2] = ∫_0^∞ 2 w P(W > w) dw; P(W > 20) is below 1e-80 for the sizes allowed here
    second, _ = quad(lambda w: 2.0 * w * float(_range_survival(np.array([w]), n)[0]), 0.0,
                     20.0, epsabs=1e-13, epsrel=1e-12, limit=200)
    return float(math.sqrt(max(float(second) - _d2(n) ** 2, 0.0)))


def d2(n: int) -> float:
    """Mean of the relative range ``R / σ`` of ``n`` normal observations.

    Parameters
    ----------
    n : int
        Subgroup size, at least 2.

    Returns
    -------
    float
        ``d2(n) = ∫ [1 - Φ(x)^n - (1 - Φ(x))^n] dx``.

    Raises
    ------
    InvalidParameterError
        If ``n`` is not an integer of at least 2.

    References
    ----------
    Montgomery, D. C. (2009). *Introduction to Statistical Quality Control*, 6th ed.,
    Appendix Table VI.

    Examples
    --------
    >>> round(d2(5), 3)
    2.326
    """
    return _d2(_check_n(n, "spc.d2"))


def d3(n: int) -> float:
    """Standard deviation of the relative range ``R / σ`` of ``n`` normal observations.

    Computed as ``sqrt(E[W²] - d2²)`` with ``E[W²] = ∫ 2 w P(W > w) dw`` and the
    distribution of the range ``P(W ≤ w) = n ∫ φ(x) [Φ(x + w) - Φ(x)]^(n-1) dx``.

    Parameters
    ----------
    n : int
        Subgroup size, at least 2.

    Returns
    -------
    float

    Raises
    ------
    InvalidParameterError
        If ``n`` is not an integer of at least 2.

    Examples
    --------
    >>> round(d3(5), 3)
    0.864
    """
    return _d3(_check_n(n, "spc.d3"))


def c4(n: int) -> float:
    """Mean of ``s / σ`` for ``n`` normal observations: ``sqrt(2/(n-1)) Γ(n/2) / Γ((n-1)/2)``.

    Parameters
    ----------
    n : int
        Subgroup size, at least 2.

    Returns
    -------
    float

    Raises
    ------
    InvalidParameterError
        If ``n`` is not an integer of at least 2.

    Examples
    --------
    >>> round(c4(5), 4)
    0.94
    """
    return _c4(_check_n(n, "spc.c4"))


def _c4(n: int) -> float:
    from scipy.special import gammaln

    return float(math.sqrt(2.0 / (n - 1)) * math.exp(gammaln(n / 2.0) - gammaln((n - 1) / 2.0)))


def _factors(n: int) -> dict:
    dd2, dd3, cc4 = _d2(n), _d3(n), _c4(n)
    root = math.sqrt(n)
    spread_s = 3.0 * math.sqrt(1.0 - cc4 * cc4) / cc4
    return {"n": n, "d2": dd2, "d3": dd3, "c4": cc4, "A2": 3.0 / (dd2 * root),
            "A3": 3.0 / (cc4 * root), "D3": max(0.0, 1.0 - 3.0 * dd3 / dd2),
            "D4": 1.0 + 3.0 * dd3 / dd2, "B3": max(0.0, 1.0 - spread_s),
            "B4": 1.0 + spread_s, "E2": 3.0 / dd2}


@result
class ControlConstants(Result):
    """Control-chart factors for a range of subgroup sizes (one row per ``n``).

    Attributes
    ----------
    n, d2, d3, c4, A2, A3, D3, D4, B3, B4, E2 : numpy.ndarray
        ``A2 = 3/(d2 √n)``, ``A3 = 3/(c4 √n)``, ``D3, D4 = max(0, 1 ∓ 3 d3/d2)``,
        ``B3, B4 = max(0, 1 ∓ 3 √(1 - c4²)/c4)``, ``E2 = 3/d2`` (individuals chart).
    """

    n: np.ndarray
    d2: np.ndarray
    d3: np.ndarray
    c4: np.ndarray
    A2: np.ndarray
    A3: np.ndarray
    D3: np.ndarray
    D4: np.ndarray
    B3: np.ndarray
    B4: np.ndarray
    E2: np.ndarray

    def _title(self) -> str:
        return "Control-chart constants"

    def _columns(self) -> dict:
        return {k: getattr(self, k) for k in ("n", "d2", "d3", "c4", "A2", "A3", "D3", "D4",
                                              "B3", "B4", "E2")}

    def row(self, n: int) -> dict:
        """The factors of subgroup size ``n`` as a dict of floats."""
        n = v.check_int(n, "n", "ControlConstants.row")
        hits = np.flatnonzero(self.n == n)
        if hits.size == 0:
            v.fail("n", "ControlConstants.row", "one of the tabulated subgroup sizes "
                   f"({int(self.n.min())}..{int(self.n.max())})", n)
        i = int(hits[0])
        return {k: (int(c[i]) if k == "n" else float(c[i])) for k, c in self._columns().items()}


def control_constants(n: int | Iterable[int] = range(2, 26)) -> ControlConstants:
    """Chart factors ``d2, d3, c4, A2, A3, D3, D4, B3, B4, E2`` for each subgroup size.

    Parameters
    ----------
    n : int or sequence of int, default ``range(2, 26)``
        Subgroup sizes, each at least 2.

    Returns
    -------
    ControlConstants
        One row per subgroup size.

    Raises
    ------
    InvalidParameterError
        If a size is not an integer of at least 2.

    Notes
    -----
    ``d2`` and ``d3`` come from numerical integration of the distribution of the range of
    ``n`` standard normal variables (Tippett 1925), ``c4`` from gamma functions. Montgomery's
    Appendix VI lists the same numbers rounded to 3–4 decimals; the test-suite checks every
    entry for ``n = 2..25``.

    References
    ----------
    Montgomery, D. C. (2009). *Introduction to Statistical Quality Control*, 6th ed.,
    Appendix Table VI.

    Examples
    --------
    >>> t = control_constants([2, 5])
    >>> [round(float(x), 3) for x in t.A2]
    [1.88, 0.577]
    >>> round(t.row(5)["D4"], 3)
    2.114
    """
    if isinstance(n, np.ndarray) and n.ndim == 0:
        n = n.item()  # a 0-d array is its one value (checked below like any other)
    if isinstance(n, (int, np.integer)) and not isinstance(n, (bool, np.bool_)):
        sizes = [n]
    elif isinstance(n, (str, bytes)) or not hasattr(n, "__iter__"):
        v.fail("n", "spc.control_constants", "an integer or a sequence of subgroup sizes", n,
               wrong_type=True)
    else:
        sizes = list(n)
    if not sizes:
        v.fail("n", "spc.control_constants", "a non-empty sequence of subgroup sizes", n)
    rows = [_factors(_check_n(s, "spc.control_constants")) for s in sizes]
    cols = {k: np.array([r[k] for r in rows], dtype=np.int64 if k == "n" else np.float64)
            for k in rows[0]}
    return ControlConstants(**cols)
