"""Money: ROI, payback period, NPV and IRR of an improvement programme."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from .. import _validate as v
from .._results import Result, result
from ..errors import DataError
from ._common import broadcast, scenario

if TYPE_CHECKING:
    from .._typing import ArrayLike

__all__ = ["BusinessCase", "business_case", "irr", "npv", "payback_period", "roi"]


def roi(gain: ArrayLike, cost: ArrayLike) -> np.ndarray:
    """Return on investment ``(gain − cost) / cost``.

    Parameters
    ----------
    gain : float or array
        Total benefit (savings, extra margin) attributed to the programme.
    cost : float or array
        Total cost, > 0.

    Returns
    -------
    ndarray

    Raises
    ------
    InvalidParameterError, DataError
        Non-positive cost, NaN.

    Examples
    --------
    >>> from cxpath.kpi import roi
    >>> roi(150_000, 100_000)
    array([0.5])
    """
    func = "kpi.roi"
    g = scenario(gain, "gain", func)
    c = scenario(cost, "cost", func, low=0.0, closed="neither")
    (g, c), _ = broadcast(func, gain=g, cost=c)
    return (g - c) / c


def _flows(cashflows, func):
    cf = v.as_float_array(cashflows, "cashflows", func)
    return cf


def npv(rate: float, cashflows: ArrayLike) -> float:
    """Net present value of cash flows at periods 0, 1, 2, … (period 0 undiscounted).

    Parameters
    ----------
    rate : float
        Discount rate per period, > −1.
    cashflows : array
        Net cash flow of each period, starting with period 0 (usually the investment,
        negative).

    Returns
    -------
    float

    Raises
    ------
    InvalidParameterError, DataError
        Rate ≤ −1, empty or non-finite cash flows.

    Examples
    --------
    >>> from cxpath.kpi import npv
    >>> round(npv(0.08, [-40_000, 5_000, 8_000, 12_000, 30_000]), 2)
    3065.22
    """
    func = "kpi.npv"
    rate = v.check_real(rate, "rate", func, low=-1.0, closed="neither")
    cf = _flows(cashflows, func)
    return float((cf / (1.0 + rate) ** np.arange(cf.size)).sum())


def irr(cashflows: ArrayLike) -> float:
    """Internal rate of return: the rate at which the NPV is zero.

    Parameters
    ----------
    cashflows : array
        As in :func:`npv`; needs at least one negative and one positive flow.

    Returns
    -------
    float
        The root in (−1, 1e6) closest to 0 when several exist (non-conventional flows).

    Raises
    ------
    InvalidParameterError, DataError
        Flows without a sign change, or no root found.

    Examples
    --------
    >>> from cxpath.kpi import irr
    >>> round(irr([-100, 39, 59, 55, 20]), 5)
    0.28095
    """
    from scipy import optimize

    func = "kpi.irr"
    cf = _flows(cashflows, func)
    if not ((cf > 0).any() and (cf < 0).any()):
        v.fail("cashflows", func, "a mix of negative and positive flows",
               got=str(cf.tolist()[:8]), data=True)
    # roots of the polynomial in x = 1 / (1 + r)
    roots = np.roots(cf[::-1])
    real = roots[(np.abs(roots.imag) < 1e-9) & (roots.real > 0)].real
    rates = 1.0 / real - 1.0
    rates = rates[(rates > -1) & (rates < 1e6)]
    if rates.size == 0:
        v.fail("cashflows", func, "flows with an internal rate of return",
               got="no real root", data=True)
    best = float(rates[np.argmin(np.abs(rates))])

    def f(r):
        return float((cf / (1.0 + r) ** np.arange(cf.size)).sum())

    try:  # polish the root
        lo, hi = best - 1e-6 * max(1, abs(best)), best + 1e-6 * max(1, abs(best))
        if f(lo) * f(hi) < 0:
            best = optimize.brentq(f, lo, hi, xtol=1e-14)
    except ValueError:
        pass
    return best


def payback_period(cashflows: ArrayLike) -> float:
    """Periods until cumulative cash flow turns non-negative (linear within a period).

    Parameters
    ----------
    cashflows : array
        Net cash flow of each period, starting with period 0.

    Returns
    -------
    float
        ``inf`` when the programme never pays back within the flows given.

    Raises
    ------
    DataError
        Empty or non-finite cash flows.

    Examples
    --------
    >>> from cxpath.kpi import payback_period
    >>> payback_period([-1000, 300, 400, 500])
    2.6
    """
    func = "kpi.payback_period"
    cf = _flows(cashflows, func)
    cum = np.cumsum(cf)
    if cum[0] >= 0:
        return 0.0
    hit = np.flatnonzero(cum >= 0)
    if hit.size == 0:
        return math.inf
    k = int(hit[0])
    return float(k - 1 + (-cum[k - 1]) / cf[k])


@result
class BusinessCase(Result):
    """An improvement programme's cash flows and headline figures.

    Attributes
    ----------
    period : ndarray of int
    cashflow, cumulative, discounted : ndarray
    npv, irr, roi, payback : float
        ``irr`` is NaN when the flows have no sign change; ``payback`` is ``inf`` when never
        reached.
    rate : float
    """

    period: np.ndarray
    cashflow: np.ndarray
    cumulative: np.ndarray
    discounted: np.ndarray
    npv: float
    irr: float
    roi: float
    payback: float
    rate: float

    def _summary(self):
        return [f"NPV {self.npv:,.0f} at {self.rate:.1%}; IRR {self.irr:.1%}; "
                f"ROI {self.roi:.1%}; payback {self.payback:.2f} periods"]

    def _columns(self):
        return {"period": self.period, "cashflow": self.cashflow,
                "cumulative": self.cumulative, "discounted": self.discounted}


def business_case(investment: float, benefit: ArrayLike, *, running_cost: ArrayLike = 0.0,
                  periods: int = 3, rate: float = 0.08) -> BusinessCase:
    """Cash flows, NPV, IRR, ROI and payback of a service-improvement programme.

    Parameters
    ----------
    investment : float
        Up-front cost at period 0 (≥ 0).
    benefit : float or array
        Benefit per period (one value, or one per period 1…``periods``).
    running_cost : float or array, default 0
        Cost per period.
    periods : int, default 3
    rate : float, default 0.08
        Discount rate per period.

    Returns
    -------
    BusinessCase

    Raises
    ------
    InvalidParameterError, DataError
        Negative investment, benefit arrays of the wrong length.

    Examples
    --------
    >>> from cxpath.kpi import business_case
    >>> c = business_case(100_000, 45_000, running_cost=5_000, periods=4, rate=0.1)
    >>> round(c.npv), c.payback
    (26795, 2.5)
    """
    func = "kpi.business_case"
    investment = v.check_real(investment, "investment", func, low=0.0)
    periods = v.check_int(periods, "periods", func, low=1, high=10_000)
    rate = v.check_real(rate, "rate", func, low=-1.0, closed="neither")
    b = scenario(benefit, "benefit", func)
    c = scenario(running_cost, "running_cost", func, low=0.0)
    for name, arr in (("benefit", b), ("running_cost", c)):
        if arr.size not in (1, periods):
            v.fail(name, func, f"one value or one per period ({periods})",
                   got=f"{arr.size} values", data=True)
    flows = np.concatenate([[-investment], np.broadcast_to(b, (periods,))
                            - np.broadcast_to(c, (periods,))])
    disc = flows / (1 + rate) ** np.arange(flows.size)
    total_cost = investment + float(np.broadcast_to(c, (periods,)).sum())
    total_gain = float(np.broadcast_to(b, (periods,)).sum())
    try:
        rr = irr(flows)
    except DataError:
        rr = float("nan")
    return BusinessCase(period=np.arange(flows.size), cashflow=flows,
                        cumulative=np.cumsum(flows), discounted=disc, npv=float(disc.sum()),
                        irr=rr, roi=(total_gain - total_cost) / total_cost if total_cost > 0
                        else float("inf"), payback=payback_period(flows), rate=rate)
