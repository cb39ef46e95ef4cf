"""Spare-part inventory: EOQ, safety stock and reorder points, service measures for slow movers.

All functions are vectorised over parts: each numeric argument may be a number or a 1-D
array. Demand and lead time share one time unit (days, weeks …).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .. import _validate as v
from .._budget import check_memory
from .._results import Result, result
from ._common import broadcast, scenario

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .._typing import ArrayLike

__all__ = ["EOQ", "PartsPolicy", "ReorderPoint", "SlowMoverStock", "days_of_supply", "eoq",
           "inventory_turnover", "parts_policy", "reorder_point", "slow_mover_stock"]

DISTRIBUTIONS = ("poisson", "negbin")


@result
class EOQ(Result):
    """Economic order quantity per part.

    Attributes
    ----------
    quantity : ndarray
        ``√(2 D S / H)``.
    orders_per_period : ndarray
        ``D / Q``.
    ordering_cost, holding_cost, total_cost : ndarray
        Per period at the EOQ: ``D S / Q``, ``H Q / 2`` and their sum.
    """

    quantity: np.ndarray
    orders_per_period: np.ndarray
    ordering_cost: np.ndarray
    holding_cost: np.ndarray
    total_cost: np.ndarray

    def _columns(self):
        return {"quantity": self.quantity, "orders_per_period": self.orders_per_period,
                "ordering_cost": self.ordering_cost, "holding_cost": self.holding_cost,
                "total_cost": self.total_cost}


def eoq(demand: ArrayLike, order_cost: ArrayLike, holding_cost: ArrayLike) -> EOQ:
    """Economic order quantity (Harris–Wilson).

    Parameters
    ----------
    demand : float or array
        Demand per period (e.g. per year), > 0.
    order_cost : float or array
        Fixed cost per order, > 0.
    holding_cost : float or array
        Cost of holding one unit for one period, > 0.

    Returns
    -------
    EOQ

    Raises
    ------
    InvalidParameterError, DataError
        Non-positive inputs.

    References
    ----------
    Harris, F. W. (1913). How many parts to make at once. *Factory* 10(2), 135–136.

    Examples
    --------
    >>> from cxpath.kpi import eoq
    >>> r = eoq(1000, 10, 0.5)
    >>> float(r.quantity[0]), float(r.total_cost[0])
    (200.0, 100.0)
    """
    func = "kpi.eoq"
    d = scenario(demand, "demand", func, low=0.0, closed="neither")
    s = scenario(order_cost, "order_cost", func, low=0.0, closed="neither")
    h = scenario(holding_cost, "holding_cost", func, low=0.0, closed="neither")
    (d, s, h), _ = broadcast(func, demand=d, order_cost=s, holding_cost=h)
    q = np.sqrt(2 * d * s / h)
    return EOQ(quantity=q, orders_per_period=d / q, ordering_cost=d * s / q,
               holding_cost=h * q / 2, total_cost=d * s / q + h * q / 2)


def _loss(z):
    """Standard normal loss function G(z) = φ(z) − z (1 − Φ(z))."""
    from scipy import stats

    return stats.norm.pdf(z) - z * stats.norm.sf(z)


@result
class ReorderPoint(Result):
    """Safety stock and reorder point under normal lead-time demand, per part.

    Attributes
    ----------
    ltd_mean : ndarray
        Mean lead-time demand ``d̄ L̄``.
    ltd_sd : ndarray
        ``σ_LTD = √(L̄ σ_d² + d̄² σ_L²)``.
    safety_stock : ndarray
        ``z σ_LTD`` with ``z = Φ⁻¹(cycle service level)``.
    reorder_point : ndarray
        ``ltd_mean + safety_stock``.
    cycle_service_level : ndarray
        P(no stock-out in a replenishment cycle).
    stockout_probability : ndarray
        ``1 − cycle_service_level``.
    fill_rate : ndarray or None
        Share of demand met from stock, ``1 − σ_LTD G(z) / Q``, when an order quantity
        ``Q`` is given.
    """

    ltd_mean: np.ndarray
    ltd_sd: np.ndarray
    safety_stock: np.ndarray
    reorder_point: np.ndarray
    cycle_service_level: np.ndarray
    stockout_probability: np.ndarray
    fill_rate: np.ndarray | None

    def _columns(self):
        cols = {"ltd_mean": self.ltd_mean, "ltd_sd": self.ltd_sd,
                "safety_stock": self.safety_stock, "reorder_point": self.reorder_point,
                "cycle_service_level": self.cycle_service_level}
        if self.fill_rate is not None:
            cols["fill_rate"] = self.fill_rate
        return cols


def reorder_point(demand_mean: ArrayLike, demand_sd: ArrayLike, lead_time: ArrayLike, *,
                  lead_time_sd: ArrayLike = 0.0, service_level: ArrayLike = 0.95,
                  order_quantity: ArrayLike | None = None) -> ReorderPoint:
    """Safety stock and reorder point with demand and lead-time variability.

    Parameters
    ----------
    demand_mean, demand_sd : float or array
        Mean and standard deviation of demand per period (≥ 0).
    lead_time : float or array
        Mean replenishment lead time in periods (> 0).
    lead_time_sd : float or array, default 0
        Standard deviation of the lead time.
    service_level : float or array, default 0.95
        Cycle service level in (0, 1): the chance of no stock-out per cycle.
    order_quantity : float or array, optional
        Order size *Q*; gives the fill rate (share of units served from stock), which is
        always at least the cycle service level for sensible *Q*.

    Returns
    -------
    ReorderPoint

    Raises
    ------
    InvalidParameterError, DataError
        Negative demand or spread, non-positive lead time, service level outside (0, 1).

    Notes
    -----
    Demand per period is independent of the (independent) lead time, so lead-time demand
    has variance ``L̄ σ_d² + d̄² σ_L²``; it is taken as normal. For slow movers (a handful
    of units per lead time) the normal is a poor fit: use :func:`slow_mover_stock`.

    References
    ----------
    Silver, E. A., Pyke, D. F. and Thomas, D. J. (2017). *Inventory and Production
    Management in Supply Chains*, 4th ed., ch. 6–7.

    Examples
    --------
    >>> from cxpath.kpi import reorder_point
    >>> r = reorder_point(150, 16, 5, lead_time_sd=1, service_level=0.95)
    >>> round(float(r.ltd_sd[0]), 1), round(float(r.reorder_point[0]))
    (154.2, 1004)
    """
    from scipy import stats

    func = "kpi.reorder_point"
    d = scenario(demand_mean, "demand_mean", func, low=0.0)
    sd = scenario(demand_sd, "demand_sd", func, low=0.0)
    lt = scenario(lead_time, "lead_time", func, low=0.0, closed="neither")
    lsd = scenario(lead_time_sd, "lead_time_sd", func, low=0.0)
    sl = scenario(service_level, "service_level", func, low=0.0, high=1.0, closed="neither")
    arrays = dict(demand_mean=d, demand_sd=sd, lead_time=lt, lead_time_sd=lsd,
                  service_level=sl)
    if order_quantity is not None:
        arrays["order_quantity"] = scenario(order_quantity, "order_quantity", func, low=0.0,
                                            closed="neither")
    out, _ = broadcast(func, **arrays)
    d, sd, lt, lsd, sl = out[:5]
    mean = d * lt
    sigma = np.sqrt(lt * sd**2 + d**2 * lsd**2)
    z = stats.norm.ppf(sl)
    ss = z * sigma
    fill = None
    if order_quantity is not None:
        fill = np.clip(1 - sigma * _loss(z) / out[5], 0.0, 1.0)
    return ReorderPoint(ltd_mean=mean, ltd_sd=sigma, safety_stock=ss, reorder_point=mean + ss,
                        cycle_service_level=sl, stockout_probability=1 - sl, fill_rate=fill)


@result
class SlowMoverStock(Result):
    """Base-stock levels for slow movers under Poisson or negative-binomial lead-time demand.

    Attributes
    ----------
    ltd_mean : ndarray
    distribution : str
    base_stock : ndarray of int
        Smallest stock position *S* meeting the target.
    cycle_service_level : ndarray
        P(D_L ≤ S): no stock-out during a lead time.
    stockout_probability : ndarray
        ``1 − cycle_service_level``.
    fill_rate : ndarray
        P(D_L ≤ S − 1): share of unit demands served at once under one-for-one
        replenishment.
    expected_backorders : ndarray
        E[(D_L − S)⁺].
    """

    ltd_mean: np.ndarray
    distribution: str
    base_stock: np.ndarray
    cycle_service_level: np.ndarray
    stockout_probability: np.ndarray
    fill_rate: np.ndarray
    expected_backorders: np.ndarray

    def _columns(self):
        return {"ltd_mean": self.ltd_mean, "base_stock": self.base_stock,
                "cycle_service_level": self.cycle_service_level,
                "stockout_probability": self.stockout_probability,
                "fill_rate": self.fill_rate, "expected_backorders": self.expected_backorders}


def _dist(mean, vtm, distribution):
    from scipy import stats

    if distribution == "poisson":
        return stats.poisson(mean)
    p = 1.0 / vtm
    return stats.nbinom(mean * p / (1 - p), p)


def slow_mover_stock(demand_rate: ArrayLike, lead_time: ArrayLike, *, target: ArrayLike = 0.95,
                     measure: str = "cycle", distribution: str = "poisson",
                     variance_to_mean: ArrayLike = 1.0) -> SlowMoverStock:
    """Base-stock level for slow-moving spare parts (Poisson or negative binomial demand).

    Parameters
    ----------
    demand_rate : float or array
        Mean demand per period (units), > 0.
    lead_time : float or array
        Lead time in periods, > 0.
    target : float or array, default 0.95
        Target in (0, 1) for ``measure``.
    measure : {'cycle', 'fill'}, default 'cycle'
        Cycle service level P(D_L ≤ S) or fill rate P(D_L ≤ S − 1).
    distribution : {'poisson', 'negbin'}, default 'poisson'
    variance_to_mean : float or array, default 1
        Variance-to-mean ratio of lead-time demand (> 1) for ``'negbin'``.

    Returns
    -------
    SlowMoverStock

    Raises
    ------
    InvalidParameterError, DataError
        Non-positive rates, targets outside (0, 1), a variance-to-mean ratio ≤ 1 with
        ``'negbin'``.

    Notes
    -----
    Lead-time demand is Poisson with mean ``rate × L`` or negative binomial with the same
    mean and variance ``ratio × mean`` (over-dispersed, lumpy demand). *S* is found by
    the distribution's quantile function, so it is the smallest level meeting the target.

    Examples
    --------
    >>> from cxpath.kpi import slow_mover_stock
    >>> r = slow_mover_stock(0.5, 4, target=0.95)
    >>> int(r.base_stock[0]), round(float(r.cycle_service_level[0]), 4)
    (5, 0.9834)
    """
    from scipy import stats

    func = "kpi.slow_mover_stock"
    v.check_option(measure, "measure", func, ("cycle", "fill"))
    v.check_option(distribution, "distribution", func, DISTRIBUTIONS)
    rate = scenario(demand_rate, "demand_rate", func, low=0.0, closed="neither")
    lt = scenario(lead_time, "lead_time", func, low=0.0, closed="neither")
    tgt = scenario(target, "target", func, low=0.0, high=1.0, closed="neither")
    vtm = scenario(variance_to_mean, "variance_to_mean", func, low=0.0, closed="neither")
    if distribution == "negbin" and (vtm <= 1).any():
        i = int(np.flatnonzero(np.atleast_1d(vtm <= 1))[0])
        v.fail("variance_to_mean", func, "greater than 1 for distribution='negbin'",
               got=f"{np.atleast_1d(vtm)[i]:g} at position {i}", data=True)
    (rate, lt, tgt, vtm), _ = broadcast(func, demand_rate=rate, lead_time=lt, target=tgt,
                                        variance_to_mean=vtm)
    mean = rate * lt
    dist = _dist(mean, vtm, distribution)
    # the smallest S with P(D <= S) >= target (cycle) or P(D <= S - 1) >= target (fill)
    q = dist.ppf(tgt)
    if not (np.isfinite(q) & (q < 2**53)).all():
        i = int(np.argmax(~(np.isfinite(q) & (q < 2**53))))
        v.fail("demand_rate", func, "small enough that the base stock (demand_rate x "
               "lead_time and its quantile) is at most 2**53 units",
               got=f"a lead-time demand of {mean[i]:.4g} (scenario {i})", data=True)
    q = q.astype(np.int64)
    s = q if measure == "cycle" else q + 1
    # the backorder sum below holds one term per stock level up to S
    check_memory(24.0 * float(s.max(initial=0)), func,
                 f"the backorder sum up to a base stock of {int(s.max(initial=0)):,} units")
    csl = dist.cdf(s)
    fill = dist.cdf(s - 1)
    # E[(D - S)+] = E[D] - S + E[(S - D)+] = mean - S + sum_{k<S} (S - k) p(k)
    backorders = np.empty(mean.size)
    for i in range(mean.size):
        ks = np.arange(int(s[i]))
        pk = (stats.poisson.pmf(ks, mean[i]) if distribution == "poisson"
              else _dist(mean[i], vtm[i], distribution).pmf(ks))
        backorders[i] = max(mean[i] - s[i] + float(((s[i] - ks) * pk).sum()), 0.0)
    return SlowMoverStock(ltd_mean=mean, distribution=distribution, base_stock=s,
                          cycle_service_level=csl, stockout_probability=1 - csl,
                          fill_rate=fill, expected_backorders=backorders)


def inventory_turnover(cost_of_goods: ArrayLike, average_inventory: ArrayLike) -> np.ndarray:
    """Inventory turnover: cost of goods used per period over average inventory value.

    Parameters
    ----------
    cost_of_goods : float or array
        Cost of the parts consumed in the period (≥ 0).
    average_inventory : float or array
        Average inventory value over the period (> 0).

    Returns
    -------
    ndarray

    Raises
    ------
    InvalidParameterError, DataError
        Negative cost, non-positive inventory.

    Examples
    --------
    >>> from cxpath.kpi import inventory_turnover
    >>> inventory_turnover(120_000, 30_000)
    array([4.])
    """
    func = "kpi.inventory_turnover"
    c = scenario(cost_of_goods, "cost_of_goods", func, low=0.0)
    a = scenario(average_inventory, "average_inventory", func, low=0.0, closed="neither")
    (c, a), _ = broadcast(func, cost_of_goods=c, average_inventory=a)
    return c / a


def days_of_supply(on_hand: ArrayLike, daily_demand: ArrayLike) -> np.ndarray:
    """Days the stock on hand lasts at the current daily demand (``inf`` at zero demand).

    Parameters
    ----------
    on_hand : float or array
        Units (or value) in stock, ≥ 0.
    daily_demand : float or array
        Units (or value) used per day, ≥ 0.

    Returns
    -------
    ndarray

    Raises
    ------
    InvalidParameterError, DataError
        Negative inputs.

    Examples
    --------
    >>> from cxpath.kpi import days_of_supply
    >>> days_of_supply([30, 5], [2.0, 0.0])
    array([15., inf])
    """
    func = "kpi.days_of_supply"
    h = scenario(on_hand, "on_hand", func, low=0.0)
    d = scenario(daily_demand, "daily_demand", func, low=0.0)
    (h, d), _ = broadcast(func, on_hand=h, daily_demand=d)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(d > 0, h / np.where(d > 0, d, 1.0), np.where(h > 0, np.inf, 0.0))


@result
class PartsPolicy(Result):
    """Reorder points for a set of parts from their demand histories.

    Attributes
    ----------
    part : ndarray of str
    mean_demand, sd_demand : ndarray
        Per period, from the history.
    variance_to_mean : ndarray
    model : ndarray of str
        'normal', 'poisson' or 'negbin' (see :func:`parts_policy`).
    lead_time : ndarray
    reorder_point : ndarray of int
        Reorder point (stock position that triggers an order), rounded up to whole units.
    cycle_service_level : ndarray
        Achieved P(no stock-out in a lead time) at the reorder point.
    stock_value : ndarray or None
        ``reorder_point × unit_cost`` when costs are given.
    """

    part: np.ndarray
    mean_demand: np.ndarray
    sd_demand: np.ndarray
    variance_to_mean: np.ndarray
    model: np.ndarray
    lead_time: np.ndarray
    reorder_point: np.ndarray
    cycle_service_level: np.ndarray
    stock_value: np.ndarray | None

    def _columns(self):
        cols = {"part": self.part, "mean_demand": self.mean_demand,
                "sd_demand": self.sd_demand, "variance_to_mean": self.variance_to_mean,
                "model": self.model, "lead_time": self.lead_time,
                "reorder_point": self.reorder_point,
                "cycle_service_level": self.cycle_service_level}
        if self.stock_value is not None:
            cols["stock_value"] = self.stock_value
        return cols


def parts_policy(demand: ArrayLike, lead_time: ArrayLike, *,
                 parts: Sequence[str] | ArrayLike | None = None, service_level: float = 0.95,
                 unit_cost: ArrayLike | None = None, slow_limit: float = 20.0) -> PartsPolicy:
    """Reorder points for many parts from a parts × periods demand history.

    Parameters
    ----------
    demand : 2-D array
        Demand per part (rows) and period (columns), whole units ≥ 0.
    lead_time : float or array
        Lead time per part in periods (> 0).
    parts : array of str, optional
        Part labels.
    service_level : float, default 0.95
        Cycle service level target.
    unit_cost : float or array, optional
        Cost per unit, for the value of the reorder-point stock.
    slow_limit : float, default 20
        Mean lead-time demand below which a part is a slow mover.

    Returns
    -------
    PartsPolicy

    Raises
    ------
    InvalidParameterError, DataError
        Negative or fractional demand, fewer than two periods, bad lead times.

    Notes
    -----
    Slow movers (mean lead-time demand below ``slow_limit``) get an exact discrete
    quantile: Poisson when the variance-to-mean ratio of demand is at most 1.1, negative
    binomial with that ratio otherwise (lumpy, intermittent demand). Faster parts use the
    normal reorder point of :func:`reorder_point` with constant lead time. Parts with no
    demand in the history get a reorder point of 0.

    Examples
    --------
    >>> from cxpath.kpi import parts_policy
    >>> p = parts_policy([[0, 1, 0, 2, 0, 0], [30, 28, 35, 31, 29, 33]], [4, 2])
    >>> p.model.tolist(), p.reorder_point.tolist()
    (['negbin', 'normal'], [5, 69])
    """
    from scipy import stats

    func = "kpi.parts_policy"
    x = v.as_float_array(demand, "demand", func, ndim=2, low=0.0)
    if (x != np.round(x)).any():
        pos = np.argwhere(x != np.round(x))[0]
        v.fail("demand", func, "whole units", got=f"{x[tuple(pos)]:g} at position "
               f"{tuple(int(p) for p in pos)}", data=True)
    if x.shape[1] < 2:
        v.fail("demand", func, "a history of at least 2 periods",
               got=f"{x.shape[1]} period(s)", data=True)
    n = x.shape[0]
    lt = scenario(lead_time, "lead_time", func, low=0.0, closed="neither")
    if lt.size not in (1, n):
        v.fail("lead_time", func, f"one value or one per part ({n})", got=f"{lt.size} values",
               data=True)
    lt = np.broadcast_to(np.atleast_1d(lt), (n,))
    service_level = v.check_real(service_level, "service_level", func, low=0.0, high=1.0,
                                 closed="neither")
    slow_limit = v.check_real(slow_limit, "slow_limit", func, low=0.0)
    if parts is None:
        labels = np.arange(n).astype(str)
    else:
        raw = v.array(parts, "parts", func)
        if raw.ndim > 1 or raw.dtype.kind == "S":
            v.fail("parts", func, "a sequence of part labels", parts, wrong_type=True)
        labels = raw.astype(str)
    if labels.size != n:
        v.fail("parts", func, f"one label per part ({n})", got=f"{labels.size} labels",
               data=True)
    mean = x.mean(axis=1)
    sd = x.std(axis=1, ddof=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        vtm = np.where(mean > 0, sd**2 / np.where(mean > 0, mean, 1.0), 1.0)
    model = np.empty(n, dtype=object)
    rop = np.zeros(n, dtype=np.int64)
    csl = np.ones(n)
    big = mean * lt > 2**53
    if big.any():
        i = int(np.argmax(big))
        v.fail("lead_time", func, "short enough that the lead-time demand (mean demand x "
               "lead time) is at most 2**53 units", got=f"{lt[i]:g} for part {str(labels[i])!r} "
               f"(lead-time demand {mean[i] * lt[i]:.4g})", data=True)
    for i in range(n):
        ltd = mean[i] * lt[i]
        if mean[i] == 0:
            model[i] = "none"
            continue
        if ltd < slow_limit:
            kind = "poisson" if vtm[i] <= 1.1 else "negbin"
            r = slow_mover_stock(mean[i], lt[i], target=service_level, distribution=kind,
                                 variance_to_mean=max(vtm[i], 1.1000001))
            model[i] = kind
            rop[i] = int(r.base_stock[0])
            csl[i] = float(r.cycle_service_level[0])
        else:
            r = reorder_point(mean[i], sd[i], lt[i], service_level=service_level)
            model[i] = "normal"
            rop[i] = int(np.ceil(float(r.reorder_point[0]) - 1e-9))
            sigma = float(r.ltd_sd[0])
            csl[i] = (float(stats.norm.cdf((rop[i] - ltd) / sigma)) if sigma > 0 else 1.0)
    value = None
    if unit_cost is not None:
        cost = scenario(unit_cost, "unit_cost", func, low=0.0)
        if cost.size not in (1, n):
            v.fail("unit_cost", func, f"one value or one per part ({n})",
                   got=f"{cost.size} values", data=True)
        value = rop * np.broadcast_to(np.atleast_1d(cost), (n,))
    return PartsPolicy(part=labels.astype(object), mean_demand=mean, sd_demand=sd,
                       variance_to_mean=vtm, model=model, lead_time=np.asarray(lt, float),
                       reorder_point=rop, cycle_service_level=csl, stock_value=value)
