"""Warranty claims: the Nevada triangle, claim rates, a lifetime fit and claim forecasts.

Units produced (or sold) in month ``i`` enter service that month; ``claims[i, k - 1]`` is
the number of them claimed in their ``k``-th month in service. At the end of the last
month of the data, units of period ``i`` (of ``n``) have been in service
``age_i = n - i`` months (the newest period one month), or the warranty limit if that is
shorter: the cells beyond a period's age are not observed yet. That staircase of observed
cells is the *Nevada* triangle.

* :func:`nevada` builds :class:`WarrantyData` from the matrix (by month in service, or by
  calendar month of the claim); :meth:`WarrantyData.from_records` from one row per claim
  (production month, claim month, optional cost) and the sales per month.
* :meth:`WarrantyData.claim_rates` gives, per month in service, the units that have
  reached it, the unclaimed units at risk, the claims and the conditional claim
  probability; :meth:`WarrantyData.to_life_data` turns the triangle into
  :class:`~cxpath.reliability.LifeData` (each cell interval-censored in ``(k - 1, k]``,
  the unclaimed units right-censored at their age) for :func:`~cxpath.reliability.fit`.
* :func:`forecast_claims` forecasts the claims (and their cost) of the next months, from
  the units already in service and from planned sales, with prediction intervals.
* :func:`warranty_dashboard` gives the claim rate by production month with a u chart of
  claims per unit-month of exposure.

A claim is taken as the end of the unit's claim-free life (the first claim), which is the
model of the lifetime fit; repeat claims of one unit belong to a repairable-system model.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import _validate as v
from .._budget import check_memory
from .._results import Result, derived_columns, result
from .._typing import ArrayLike
from .data import LifeData

__all__ = ["ClaimForecast", "ClaimRates", "WarrantyDashboard", "WarrantyData",
           "forecast_claims", "nevada", "warranty_dashboard"]


# -- months --------------------------------------------------------------------------------

def _months(x, name: str, func: str, *, scalar: bool = False) -> tuple[np.ndarray, bool]:
    """Month indices (int64) of integers, or of dates / ``'YYYY-MM'`` text (months since
    1970-01); the flag says which."""
    arr = v.array(x, name, func)
    if scalar:
        arr = np.atleast_1d(arr)
    if arr.ndim != 1:
        v.fail(name, func, "a 1-dimensional array" if not scalar else "one month",
               got=f"an array of shape {np.shape(x)}")
    if arr.dtype.kind == "M":
        return arr.astype("datetime64[M]").astype(np.int64), True
    if arr.dtype.kind in "USO" and arr.size and all(isinstance(a, str) or hasattr(a, "year")
                                                   for a in arr.tolist()):
        try:
            out = np.array([np.datetime64(str(a)[:10] if len(str(a)) >= 10 else str(a))
                            for a in arr.tolist()]).astype("datetime64[M]")
        except (ValueError, TypeError):
            v.fail(name, func, "whole numbers (month indices) or months such as '2025-03'",
                   got=v.show(x), data=True)
        if np.isnat(out).any():
            v.fail(name, func, "months such as '2025-03' (not NaT)", got=v.show(x), data=True)
        return out.astype(np.int64), True
    return v.as_int_array(arr, name, func, min_size=0 if not scalar else 1), False


def _label(months: np.ndarray, dated: bool) -> np.ndarray:
    if dated:
        return np.array(np.datetime_as_string(months.astype("datetime64[M]"), unit="M"),
                        dtype=object)
    return months.astype(np.int64)


def _limit(limit, func: str) -> int | None:
    return None if limit is None else v.check_int(limit, "limit", func, low=1)


# -- the triangle --------------------------------------------------------------------------

@result
class WarrantyData(Result):
    """Warranty claims by production (or sale) month and month in service, with the sales.

    Build it with :func:`nevada` (from the triangle) or :meth:`from_records` (from one row
    per claim).

    Attributes
    ----------
    period : ndarray
        Label of each production month (integers, or ``'YYYY-MM'`` text for dated data).
    month : ndarray of int
        Month index of each period (months since 1970-01 for dated data).
    sales : ndarray of float
        Units produced or sold in each period.
    age : ndarray of int
        Months in service each period's units have completed at the end of the data
        (``n - i`` for period ``i`` of ``n``, capped at ``limit``).
    claims : ndarray of float, shape (n_periods, n_months)
        ``claims[i, k - 1]``: claims of period ``i`` in its ``k``-th month in service (0
        where not observed yet).
    cost : ndarray of float, shape (n_periods, n_months), or None
        Cost of those claims.
    limit : int or None
        Warranty limit in months (claims beyond it are not covered).
    dated : bool
        True when the periods are calendar months.
    total_claims, claims_cost : ndarray of float
        Claims and their cost per period (the row sums; cost NaN without costs).

    Examples
    --------
    >>> from cxpath.reliability import nevada
    >>> w = nevada([[2, 3, 1], [4, 2, 0], [1, 0, 0]], sales=[100, 120, 90])
    >>> w.age.tolist(), w.total_claims.tolist()
    ([3, 2, 1], [6.0, 6.0, 1.0])
    """

    period: np.ndarray
    month: np.ndarray
    sales: np.ndarray
    age: np.ndarray
    claims: np.ndarray
    cost: np.ndarray | None
    limit: int | None
    dated: bool

    _derived = derived_columns({"m{k}": "claims in the k-th month in service "
                                        "(``claims[:, k - 1]``; blank where not observed)"})
    _key = "period"

    @property
    def n_periods(self) -> int:
        return int(self.sales.size)

    @property
    def n_units(self) -> float:
        """Units sold (the sum of ``sales``)."""
        return float(self.sales.sum())

    @property
    def n_claims(self) -> float:
        return float(self.claims.sum())

    @property
    def total_claims(self) -> np.ndarray:
        """Claims per period."""
        return self.claims.sum(axis=1)

    @property
    def claims_cost(self) -> np.ndarray:
        """Cost of the claims per period (NaN without costs)."""
        if self.cost is None:
            return np.full(self.sales.size, np.nan)
        return self.cost.sum(axis=1)

    @property
    def unclaimed(self) -> np.ndarray:
        """Units of each period without a claim (right-censored at ``age``)."""
        return self.sales - self.total_claims

    def _title(self) -> str:
        return "WarrantyData"

    def _summary(self) -> list[str]:
        lim = f"; warranty {self.limit} months" if self.limit else ""
        return [f"{self.n_periods} production months, {self.n_units:g} units, "
                f"{self.n_claims:g} claims{lim}"]

    def _columns(self) -> dict:
        cols = {"period": self.period, "sales": self.sales, "age": self.age,
                "total_claims": self.total_claims, "claims_cost": self.claims_cost}
        seen = np.arange(1, self.claims.shape[1] + 1)[None, :] <= self.age[:, None]
        for k in range(self.claims.shape[1]):
            cols[f"m{k + 1}"] = np.where(seen[:, k], self.claims[:, k], np.nan)
        return cols

    # -- constructors -------------------------------------------------------------------
    @classmethod
    def from_records(cls, production: ArrayLike, claim: ArrayLike, sales: ArrayLike, *,
                     cost: ArrayLike | None = None, start: Any = None,
                     limit: int | None = None) -> WarrantyData:
        """Warranty data from one row per claim and the sales per month.

        Parameters
        ----------
        production : array-like
            Production (or sale) month of the claimed unit: integer month indices, or
            dates / ``'YYYY-MM'`` text.
        claim : array-like
            Month of the claim, same kind; the month in service is
            ``claim - production + 1`` (a claim in the month of sale is month 1).
        sales : array-like of float
            Units produced in each month from ``start`` on; the data end with the last
            of these months, so ``len(sales)`` months are observed.
        cost : array-like of float, optional
            Cost of each claim (≥ 0).
        start : int or month, optional
            First production month; default the earliest of ``production``.
        limit : int, optional
            Warranty limit in months.

        Returns
        -------
        WarrantyData

        Raises
        ------
        DataError
            For a claim before its production month, after the last month of the data or
            beyond the warranty limit, a production month outside the sales months, more
            claims than units in a month, or arrays of different lengths.

        Examples
        --------
        >>> from cxpath.reliability import WarrantyData
        >>> w = WarrantyData.from_records(["2025-01", "2025-01", "2025-02"],
        ...                               ["2025-01", "2025-03", "2025-03"],
        ...                               sales=[100, 120, 90], cost=[50.0, 80.0, 65.0])
        >>> w.period.tolist(), w.claims.tolist()
        (['2025-01', '2025-02', '2025-03'], [[1.0, 0.0, 1.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]])
        """
        func = "reliability.WarrantyData.from_records"
        prod, dated = _months(production, "production", func)
        clm, dated_c = _months(claim, "claim", func)
        if prod.size and dated != dated_c:
            v.fail("claim", func, "months of the same kind as 'production' (both integers "
                   "or both dates)", got="dates" if dated_c else "integers", data=True)
        n_sold = v.as_float_array(sales, "sales", func, low=0.0)
        c = None if cost is None else v.as_float_array(cost, "cost", func, low=0.0,
                                                       min_size=0)
        v.check_same_length(func, production=prod, claim=clm, cost=c)
        limit = _limit(limit, func)
        if start is None:
            if prod.size == 0:
                v.fail("start", func, "given when there is no claim", None)
            first = int(prod.min())
        else:
            s, dated_s = _months(start, "start", func, scalar=True)
            if s.size != 1:
                v.fail("start", func, "one month", start)
            if prod.size and dated_s != dated:
                v.fail("start", func, "a month of the same kind as 'production'", start)
            first, dated = int(s[0]), dated_s if not prod.size else dated
        n = n_sold.size
        i = prod - first
        k = clm - prod + 1
        for bad, must in ((i < 0, "on or after 'start'"),
                          (i >= n, "within the months of 'sales'")):
            if bad.any():
                j = int(np.argmax(bad))
                v.fail("production", func, must, data=True,
                       got=f"{_label(prod[j:j + 1], dated)[0]} at position {j}")
        for bad, must in ((k < 1, "on or after the production month"),
                          (clm > first + n - 1, "within the months of 'sales' (the data "
                           "end with its last month)"),
                          (k > min(limit or n, n),
                           f"within the warranty limit of {limit} months")):
            if bad.any():
                j = int(np.argmax(bad))
                v.fail("claim", func, must, data=True,
                       got=f"{_label(clm[j:j + 1], dated)[0]} at position {j}")
        width = n if limit is None else min(n, limit)
        check_memory(8.0 * n * width * (1 if c is None else 2), func, "the triangle")
        counts = np.zeros((n, width))
        np.add.at(counts, (i, k - 1), 1.0)
        money = None
        if c is not None:
            money = np.zeros((n, width))
            np.add.at(money, (i, k - 1), c)
        months = first + np.arange(n, dtype=np.int64)
        return _make(months, dated, n_sold, counts, money, limit, func)

    # -- views --------------------------------------------------------------------------
    def claim_rates(self) -> ClaimRates:
        """Claims per month in service with the units that have reached it and those at risk.

        Returns
        -------
        ClaimRates

        Examples
        --------
        >>> from cxpath.reliability import nevada
        >>> r = nevada([[2, 3, 1], [4, 2, 0], [1, 0, 0]], sales=[100, 120, 90]).claim_rates()
        >>> r.at_risk.tolist(), r.claims.tolist()
        ([310.0, 214.0, 95.0], [7.0, 5.0, 1.0])
        """
        width = self.claims.shape[1]
        k = np.arange(1, width + 1)
        reached = k[None, :] <= self.age[:, None]
        before = np.cumsum(self.claims, axis=1) - self.claims  # claims before month k
        units = (self.sales[:, None] * reached).sum(axis=0)
        at_risk = ((self.sales[:, None] - before) * reached).sum(axis=0)
        claims = (self.claims * reached).sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            hazard = np.where(at_risk > 0, claims / at_risk, np.nan)
            per_unit = np.where(units > 0, claims / units, np.nan)
        cum = 1.0 - np.cumprod(1.0 - np.nan_to_num(hazard))
        cum[np.isnan(hazard)] = np.nan
        return ClaimRates(k, units, at_risk, claims, hazard, per_unit, cum)

    def to_life_data(self) -> LifeData:
        """The triangle as life data for :func:`~cxpath.reliability.fit`.

        Each observed cell ``(i, k)`` is a row of ``claims[i, k - 1]`` units that failed
        in ``(k - 1, k]`` months (left-censored at 1 for ``k = 1``); the unclaimed units of
        period ``i`` are right-censored at ``age[i]``.

        Examples
        --------
        >>> from cxpath.reliability import fit, nevada
        >>> w = nevada([[2, 3, 1], [4, 2, 0], [1, 0, 0]], sales=[100, 120, 90])
        >>> d = w.to_life_data()
        >>> d.n_units, d.n_failures, d.n_right
        (310.0, 13.0, 297.0)
        """
        width = self.claims.shape[1]
        k = np.broadcast_to(np.arange(1, width + 1, dtype=float), self.claims.shape)
        reached = k <= self.age[:, None]
        cells = reached & (self.claims > 0)
        lower = np.concatenate([(k - 1)[cells], self.age.astype(float)])
        upper = np.concatenate([k[cells], np.full(self.age.size, np.inf)])
        count = np.concatenate([self.claims[cells], self.unclaimed])
        if count.sum() <= 0:
            v.fail("data", "reliability.WarrantyData.to_life_data", "warranty data with "
                   "at least one unit", data=True, got="no units sold")
        return LifeData._make(lower, upper, count)


def _make(months, dated, sales, counts, money, limit, func) -> WarrantyData:
    n = sales.size
    age = n - np.arange(n, dtype=np.int64)
    if limit is not None:
        age = np.minimum(age, min(limit, n))
    over = counts.sum(axis=1) > sales + 1e-9
    if over.any():
        j = int(np.argmax(over))
        v.fail("sales", func, "at least the claims of each month (a unit is claimed once)",
               data=True, got=f"{sales[j]:g} units and {counts[j].sum():g} claims at "
                              f"position {j}")
    return WarrantyData(_label(months, dated), months, sales, age, counts, money, limit,
                        dated)


def nevada(claims: ArrayLike, sales: ArrayLike, *, cost: ArrayLike | None = None,
           layout: str = "age", limit: int | None = None, start: Any = None) -> WarrantyData:
    """Warranty data from the Nevada triangle of claims and the sales per month.

    Parameters
    ----------
    claims : array-like of float, shape (n_periods, n_columns)
        Claim counts, one row per production month (oldest first). With
        ``layout='age'`` column ``k - 1`` is the ``k``-th month in service; with
        ``layout='calendar'`` column ``j`` is the calendar month of the claim, the same
        months as the rows (the classic Nevada chart). Cells not observed yet (beyond a
        period's age, or before its production month) must be 0 or NaN.
    sales : array-like of float, length n_periods
        Units produced or sold in each period.
    cost : array-like of float, optional
        Claim cost per cell, in the layout of ``claims``.
    layout : {'age', 'calendar'}, default 'age'
    limit : int, optional
        Warranty limit in months: ages stop there and claims beyond it must be 0.
    start : int or month, optional
        Label of the first period (e.g. ``'2025-01'``); default 0.

    Returns
    -------
    WarrantyData

    Raises
    ------
    DataError
        For negative, fractional or NaN observed counts, claims in cells not observed yet
        or beyond the limit, more claims than sales in a period, or shapes that disagree.

    Examples
    --------
    >>> from cxpath.reliability import nevada
    >>> w = nevada([[2, 3, 1], [0, 4, 2], [0, 0, 1]], sales=[100, 120, 90],
    ...            layout="calendar", start="2025-01")
    >>> w.period.tolist(), w.claims.tolist()
    (['2025-01', '2025-02', '2025-03'], [[2.0, 3.0, 1.0], [4.0, 2.0, 0.0], [1.0, 0.0, 0.0]])
    """
    func = "reliability.nevada"
    m = v.as_float_array(claims, "claims", func, ndim=2, allow_nan=True)
    n_sold = v.as_float_array(sales, "sales", func, low=0.0)
    layout = v.check_option(layout, "layout", func, ("age", "calendar"))
    limit = _limit(limit, func)
    n = m.shape[0]
    if n_sold.size != n:
        v.fail("sales", func, f"one value per row of 'claims' ({n})",
               got=f"{n_sold.size} values", data=True)
    money = None
    if cost is not None:
        money = v.as_float_array(cost, "cost", func, ndim=2, allow_nan=True)
        if money.shape != m.shape:
            v.fail("cost", func, f"of the shape of 'claims' {m.shape}",
                   got=f"shape {money.shape}", data=True)
    if start is None:
        first, dated = 0, False
    else:
        s, dated = _months(start, "start", func, scalar=True)
        if s.size != 1:
            v.fail("start", func, "one month", start)
        first = int(s[0])
    if layout == "calendar":
        if m.shape[1] != n:
            v.fail("claims", func, "square (one column per production month) for "
                   "layout='calendar'", got=f"shape {m.shape}", data=True)
        i, j = np.indices(m.shape)
        early = (j < i) & ~np.isnan(m) & (m != 0)
        if early.any():
            r, c = np.argwhere(early)[0]
            v.fail("claims", func, "0 or NaN before the production month of the row",
                   got=f"{m[r, c]:g} at position ({r}, {c})", data=True)
        m = _to_age(m)
        money = None if money is None else _to_age(money)
    age = n - np.arange(n)
    width = m.shape[1]
    if width < min(n, limit or n):
        v.fail("claims", func, f"a column for every month in service up to the oldest "
               f"period's age ({min(n, limit or n)}), or give the warranty 'limit'",
               got=f"{width} columns", data=True)
    k = np.arange(1, width + 1)[None, :]
    seen = k <= age[:, None]
    if limit is not None:
        seen &= k <= min(limit, width)
    for name, x in (("claims", m), ("cost", money)):
        if x is None:
            continue
        hole = seen & np.isnan(x)
        if hole.any():
            r, c = np.argwhere(hole)[0]
            v.fail(name, func, "free of NaN in the observed cells (month in service up to "
                   "the period's age)", got=f"NaN at position ({r}, {c})", data=True)
        late = ~seen & ~np.isnan(x) & (x != 0)
        if late.any():
            r, c = np.argwhere(late)[0]
            why = ("beyond the warranty limit" if limit is not None and c + 1 > limit
                   else "beyond the age the period has reached")
            v.fail(name, func, f"0 or NaN in cells not observed ({why})",
                   got=f"{x[r, c]:g} at position ({r}, {c})", data=True)
        neg = seen & (x < 0)
        if neg.any():
            r, c = np.argwhere(neg)[0]
            v.fail(name, func, "non-negative", got=f"{x[r, c]:g} at position ({r}, {c})",
                   data=True)
    frac = seen & (m != np.round(m))
    if frac.any():
        r, c = np.argwhere(frac)[0]
        v.fail("claims", func, "whole numbers (claim counts)",
               got=f"{m[r, c]:g} at position ({r}, {c})", data=True)
    cols = min(width, n) if limit is None else min(width, n, limit)
    counts = np.where(seen, m, 0.0)[:, :cols]
    cost_m = None if money is None else np.where(seen, money, 0.0)[:, :cols]
    months = first + np.arange(n, dtype=np.int64)
    return _make(months, dated, n_sold, np.ascontiguousarray(counts), cost_m, limit, func)


def _to_age(m: np.ndarray) -> np.ndarray:
    """Calendar layout (row i, column j = calendar month j) to months in service."""
    n = m.shape[0]
    out = np.full((n, n), np.nan)
    for i in range(n):
        out[i, : n - i] = m[i, i:]
    return out


# -- claim rates ---------------------------------------------------------------------------

@result
class ClaimRates(Result):
    """Claims per month in service: the actuarial (life-table) view of a warranty triangle.

    Attributes
    ----------
    month : ndarray of int
        Month in service ``k``.
    units : ndarray of float
        Units of the periods that have reached month ``k`` (their sales).
    at_risk : ndarray of float
        Those of them not claimed before month ``k``.
    claims : ndarray of float
        Claims in month ``k`` (of the periods that reached it).
    hazard : ndarray of float
        ``claims / at_risk``: probability that an unclaimed unit is claimed in month
        ``k`` (NaN where no unit is at risk).
    claims_per_unit : ndarray of float
        ``claims / units``.
    cumulative : ndarray of float
        ``1 − Π (1 − hazard)``: fraction claimed by the end of month ``k`` (the
        Kaplan–Meier estimate of the grouped data).
    """

    month: np.ndarray
    units: np.ndarray
    at_risk: np.ndarray
    claims: np.ndarray
    hazard: np.ndarray
    claims_per_unit: np.ndarray
    cumulative: np.ndarray

    def _title(self) -> str:
        return "Claim rates by month in service"

    def _summary(self) -> list[str]:
        last = self.cumulative[np.isfinite(self.cumulative)]
        tail = f"; {last[-1]:.3%} claimed by month {last.size}" if last.size else ""
        return [f"{self.claims.sum():g} claims over {self.month.size} months{tail}"]

    def _columns(self) -> dict:
        return {"month": self.month, "units": self.units, "at_risk": self.at_risk,
                "claims": self.claims, "hazard": self.hazard,
                "claims_per_unit": self.claims_per_unit, "cumulative": self.cumulative}


# -- forecast ------------------------------------------------------------------------------

@result
class ClaimForecast(Result):
    """Claims (and their cost) forecast for the next months, with prediction intervals.

    Attributes
    ----------
    step : ndarray of int
        Months ahead (1 is the month after the data).
    period : ndarray
        Label of the calendar month of each step.
    installed, new : ndarray of float
        Expected claims from the units already in service and from the planned sales.
    expected : ndarray of float
        ``installed + new``: mean of the predictive distribution.
    lower, upper : ndarray of float
        Prediction interval at ``level`` (quantiles of the simulated counts).
    expected_cost, cost_lower, cost_upper : ndarray of float
        The same times the cost per claim (NaN without a cost).
    total, total_lower, total_upper : float
        Claims over the whole horizon: mean and prediction interval.
    cost_per_claim : float
    level : float
    draws : ndarray of float, shape (n_sims, horizon)
        The simulated claim counts.
    fit : LifeFit
        The lifetime the forecast comes from.
    """

    step: np.ndarray
    period: np.ndarray
    installed: np.ndarray
    new: np.ndarray
    expected: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    total: float
    total_lower: float
    total_upper: float
    cost_per_claim: float
    level: float
    draws: np.ndarray
    fit: Any

    _key = "step"

    @property
    def expected_cost(self) -> np.ndarray:
        return self.expected * self.cost_per_claim

    @property
    def cost_lower(self) -> np.ndarray:
        return self.lower * self.cost_per_claim

    @property
    def cost_upper(self) -> np.ndarray:
        return self.upper * self.cost_per_claim

    @property
    def total_cost(self) -> float:
        return self.total * self.cost_per_claim

    def _title(self) -> str:
        return f"Claim forecast, {self.step.size} months"

    def _summary(self) -> list[str]:
        line = (f"total {self.total:.1f} claims, {self.level:.0%} interval "
                f"[{self.total_lower:g}, {self.total_upper:g}]")
        if math.isfinite(self.cost_per_claim):
            line += (f"; cost {self.total_cost:,.0f} [{self.total_lower * self.cost_per_claim:,.0f}"
                     f", {self.total_upper * self.cost_per_claim:,.0f}]")
        return [line, f"{self.fit._family.label} lifetime; {self.draws.shape[0]} simulations"]

    def _columns(self) -> dict:
        return {"step": self.step, "period": self.period, "installed": self.installed,
                "new": self.new, "expected": self.expected, "lower": self.lower,
                "upper": self.upper, "expected_cost": self.expected_cost,
                "cost_lower": self.cost_lower, "cost_upper": self.cost_upper}


def _parameter_draws(lf, n: int, rng: np.random.Generator, func: str) -> np.ndarray:
    """``n`` parameter vectors from the asymptotic normal of the MLE (on the log scale for
    positive parameters, logit for proportions); parameters at a bound held fixed."""
    from ._optim import warn

    th = np.asarray(lf.estimate, dtype=float)
    free = np.flatnonzero(~lf.at_bound)
    out = np.tile(th, (n, 1))
    if free.size == 0:
        return out
    kinds = [lf._family.kinds[j] for j in free]
    jac = np.array([1 / th[j] if k == "positive" else 1 / (th[j] * (1 - th[j]))
                    if k == "proportion" else 1.0 for j, k in zip(free, kinds)])
    cov = lf.covariance[np.ix_(free, free)] * np.outer(jac, jac)
    if not np.all(np.isfinite(cov)):
        warn(f"{func}: the fit has no finite covariance; the intervals leave out the "
             "uncertainty of the parameters.")
        return out
    cov = 0.5 * (cov + cov.T)
    w, vec = np.linalg.eigh(cov)
    z = rng.standard_normal((n, free.size)) @ (vec * np.sqrt(np.maximum(w, 0.0))).T
    for col, (j, k) in enumerate(zip(free, kinds)):
        if k == "positive":
            out[:, j] = th[j] * np.exp(z[:, col])
        elif k == "proportion":
            lg = math.log(th[j] / (1 - th[j])) + z[:, col]
            out[:, j] = 1 / (1 + np.exp(-lg))
        elif k == "location":
            out[:, j] = np.maximum(th[j] + z[:, col], 0.0)
        else:
            out[:, j] = th[j] + z[:, col]
    return out


def _logsf_rows(fam, grid: np.ndarray, thetas: np.ndarray) -> np.ndarray:
    """``log R(grid)`` for every parameter row: broadcast when the family allows it
    (checked against the first row), else one row at a time."""
    with np.errstate(all="ignore"):
        first = np.asarray(fam.logsf(grid, thetas[0]), dtype=float)
        try:
            out = np.asarray(fam.logsf(grid[None, :], thetas.T[:, :, None]), dtype=float)
            if out.shape == (thetas.shape[0], grid.size) and np.allclose(
                    out[0], first, rtol=1e-12, atol=0.0, equal_nan=True):
                return out
        except (TypeError, ValueError, IndexError):
            pass
        return np.array([fam.logsf(grid, th) for th in thetas])


#: largest forecast horizon in months (100 years) and number of simulations
MAX_HORIZON = 1200
MAX_SIMS = 1_000_000


def forecast_claims(data: WarrantyData, fit: Any = None, *, horizon: int = 3,
                    future_sales: ArrayLike | float | None = None,
                    cost_per_claim: float | None = None, level: float = 0.8,
                    n_sims: int = 4000, seed: Any = None) -> ClaimForecast:
    """Forecast the claims of the next ``horizon`` months, with prediction intervals.

    Parameters
    ----------
    data : WarrantyData
    fit : LifeFit, optional
        Lifetime in months; default the 2-parameter Weibull MLE of
        ``data.to_life_data()``.
    horizon : int, default 3
        Months to forecast (at most 1200).
    future_sales : float or array-like of float, optional
        Units planned to be sold in each forecast month (one value for every month, or
        ``horizon`` values); default none.
    cost_per_claim : float, optional
        Default the data's cost over its claims (NaN without costs).
    level : float, default 0.8
        Level of the prediction intervals.
    n_sims : int, default 4000
        Simulations (at most 1,000,000).
    seed : int or numpy Generator, optional

    Returns
    -------
    ClaimForecast

    Raises
    ------
    InvalidTypeError
        If ``data`` is not WarrantyData or ``fit`` not a LifeFit.
    DataError
        If the data hold no claim (and no fit is given), or ``future_sales`` has the
        wrong length or negative values.
    CostError
        If the simulations would need more memory than the cap.

    Notes
    -----
    An unclaimed unit of age ``a`` is claimed in the ``h``-th month ahead with probability
    ``(R(a + h − 1) − R(a + h)) / R(a)`` (ages capped at the warranty limit), a unit sold
    in forecast month ``j`` in step ``h ≥ j`` with ``R(h − j) − R(h − j + 1)``. Each
    simulation draws the parameters from the asymptotic normal distribution of the MLE
    (log scale for positive parameters, with the fit's covariance), sums these
    probabilities over the units into a mean ``μ_h`` and draws the claims of step ``h``
    as Poisson(``μ_h``): the Poisson limit of the Poisson-binomial count, whose variance
    ``Σ p`` exceeds the exact ``Σ p (1 − p)`` by a factor ``1 / (1 − p)`` (negligible for
    monthly claim probabilities of a few percent). The intervals are the
    ``(1 ± level) / 2`` quantiles of the simulated counts (``inverted_cdf``, so they
    cover at least ``level`` of the simulated distribution). Costs are counts times the
    cost per claim: the spread of single claim costs is not in their intervals.

    References
    ----------
    Kalbfleisch, J. D., Lawless, J. F. & Robinson, J. A. (1991). Methods for the analysis
    and prediction of warranty claims. *Technometrics* 33(3), 273-285.
    Meeker, W. Q. & Escobar, L. A. (1998). *Statistical Methods for Reliability Data*,
    §12.7 (prediction of the number of future failures).

    Examples
    --------
    >>> from cxpath.reliability import forecast_claims, nevada
    >>> w = nevada([[2, 3, 1], [4, 2, 0], [1, 0, 0]], sales=[100, 120, 90])
    >>> f = forecast_claims(w, horizon=2, future_sales=100, seed=1)
    >>> f.step.tolist(), bool(f.total_lower <= f.total <= f.total_upper)
    ([1, 2], True)
    """
    from .fitting import LifeFit
    from .fitting import fit as fit_life

    func = "reliability.forecast_claims"
    if not isinstance(data, WarrantyData):
        v.fail("data", func, "a WarrantyData (see nevada)", data, wrong_type=True)
    horizon = v.check_int(horizon, "horizon", func, low=1, high=MAX_HORIZON)
    level = v.check_real(level, "level", func, low=0.0, high=1.0, closed="neither")
    n_sims = v.check_int(n_sims, "n_sims", func, low=1, high=MAX_SIMS)
    rng = v.check_seed(seed, "seed", func)
    check_memory(8.0 * n_sims * (2 * data.n_periods + 8 * horizon + 8), func,
                 "the simulated claim probabilities")
    if future_sales is None:
        plan = np.zeros(horizon)
    else:
        plan = v.as_float_array(np.atleast_1d(v.array(future_sales, "future_sales", func)),
                                "future_sales", func, low=0.0)
        if plan.size == 1:
            plan = np.full(horizon, plan[0])
        elif plan.size != horizon:
            v.fail("future_sales", func, f"one value or {horizon} values (one per month)",
                   got=f"{plan.size} values", data=True)
    if cost_per_claim is None:
        total = float(np.nansum(data.claims_cost)) if data.cost is not None else math.nan
        cpc = total / data.n_claims if data.n_claims > 0 else math.nan
    else:
        cpc = v.check_real(cost_per_claim, "cost_per_claim", func, low=0.0)
    if fit is None:
        if data.n_claims <= 0:
            v.fail("data", func, "warranty data with at least one claim to fit a lifetime "
                   "to (or give 'fit')", data=True, got="no claim")
        lf = fit_life(data.to_life_data(), "weibull")
    elif isinstance(fit, LifeFit):
        lf = fit
    else:
        v.fail("fit", func, "a LifeFit (see reliability.fit) or None", fit, wrong_type=True)
    big = data.n_periods + horizon + 1  # no age reaches it within the horizon
    lim = big if data.limit is None else min(data.limit, big)
    live = (data.unclaimed > 0) & (data.age < lim)
    a = data.age[live].astype(np.int64)
    units = data.unclaimed[live]
    top = int(min((a.max() if a.size else 0) + horizon, lim))
    check_memory(8.0 * n_sims * (top + 2 + 2 * a.size + 7 * horizon), func,
                 "the simulated claim probabilities")
    thetas = _parameter_draws(lf, n_sims, rng, func)
    grid = np.arange(top + 1, dtype=float)
    R = np.exp(_logsf_rows(lf._family, grid, thetas))  # (n_sims, top + 1)
    R[:, 0] = 1.0
    mu_old = np.zeros((n_sims, horizon))
    mu_new = np.zeros((n_sims, horizon))
    base = R[:, a]
    for h in range(1, horizon + 1):
        if not a.size or a.min() + h - 1 >= lim:  # every unit past the limit
            break
        lo = np.minimum(a + h - 1, lim)
        hi = np.minimum(a + h, lim)
        with np.errstate(all="ignore"):
            p = np.where(base > 0, (R[:, lo] - R[:, hi]) / base, 0.0)
        mu_old[:, h - 1] = np.clip(p, 0.0, 1.0) @ units
    # a unit sold in forecast month j is claimed in step h >= j with q[h - j]
    d = np.arange(min(horizon, top + 1))
    q = np.zeros((n_sims, horizon))
    q[:, : d.size] = R[:, d] - R[:, np.minimum(d + 1, lim)]
    sold = np.flatnonzero(plan > 0)
    if sold.size <= 64:
        for j in sold:
            mu_new[:, j:] += plan[j] * q[:, : horizon - j]
    else:
        from scipy.signal import fftconvolve

        mu_new = np.maximum(fftconvolve(plan[None, :], q, axes=1)[:, :horizon], 0.0)
    mu = np.clip(mu_old + mu_new, 0.0, None)
    big = ~(mu < 1e12)  # beyond numpy's Poisson: the normal limit (or inf) instead
    draws = rng.poisson(np.where(big, 0.0, mu)).astype(float)
    if big.any():
        with np.errstate(invalid="ignore"):
            z = mu[big] + np.sqrt(mu[big]) * rng.standard_normal(int(big.sum()))
        draws[big] = np.where(np.isfinite(z), np.round(z), mu[big])
    probs = ((1 - level) / 2, (1 + level) / 2)
    lower, upper = np.quantile(draws, probs, axis=0, method="inverted_cdf")
    t_lo, t_hi = np.quantile(draws.sum(axis=1), probs, method="inverted_cdf")
    last = int(data.month[-1])
    months = last + np.arange(1, horizon + 1, dtype=np.int64)
    return ClaimForecast(np.arange(1, horizon + 1), _label(months, data.dated),
                         mu_old.mean(axis=0), mu_new.mean(axis=0), mu.mean(axis=0),
                         lower, upper, float(mu.sum(axis=1).mean()), float(t_lo),
                         float(t_hi), float(cpc), level, draws, lf)


# -- dashboard -----------------------------------------------------------------------------

@result
class WarrantyDashboard(Result):
    """Claim rate by production month, with a u chart of claims per unit-month.

    Attributes
    ----------
    period : ndarray
    sales : ndarray of float
    months : ndarray of int
        Months in service counted for each period (its age, capped at ``window``).
    claims : ndarray of float
        Claims in those months.
    exposure : ndarray of float
        Unit-months in service: ``sales × months``.
    claim_rate : ndarray of float
        Claims per unit sold.
    rate : ndarray of float
        Claims per unit-month (the u chart's statistic; NaN without exposure).
    center, lcl, ucl : ndarray of float
        The u chart's centre line and limits (NaN for periods left out of the chart).
    signal : ndarray of bool
        Periods where a run rule of the chart fired.
    cost : ndarray of float
        Cost of those claims (NaN without costs).
    window : int or None
        Months in service compared (None: every observed month).
    chart : ControlChart
        The u chart over the periods with exposure.
    """

    period: np.ndarray
    sales: np.ndarray
    months: np.ndarray
    claims: np.ndarray
    exposure: np.ndarray
    claim_rate: np.ndarray
    rate: np.ndarray
    center: np.ndarray
    lcl: np.ndarray
    ucl: np.ndarray
    signal: np.ndarray
    cost: np.ndarray
    window: int | None
    chart: Any

    _key = "period"

    def _title(self) -> str:
        return "Warranty dashboard"

    def _summary(self) -> list[str]:
        total = float(np.nansum(self.claims))
        expo = float(np.nansum(self.exposure))
        win = f"first {self.window} months in service; " if self.window else ""
        rate = total / expo if expo > 0 else math.nan
        return [f"{win}{total:g} claims over {expo:g} unit-months ({rate:.4g} per "
                f"unit-month); {int(self.signal.sum())} periods signal"]

    def _columns(self) -> dict:
        return {"period": self.period, "sales": self.sales, "months": self.months,
                "claims": self.claims, "exposure": self.exposure,
                "claim_rate": self.claim_rate, "rate": self.rate, "center": self.center,
                "lcl": self.lcl, "ucl": self.ucl, "signal": self.signal, "cost": self.cost}


def warranty_dashboard(data: WarrantyData, *, window: int | None = None,
                       rules: str = "we", nsigma: float = 3.0) -> WarrantyDashboard:
    """Claim rate by production month, with a u chart of claims per unit-month of exposure.

    Parameters
    ----------
    data : WarrantyData
    window : int, optional
        Count only the first ``window`` months in service of each period, so periods of
        different ages compare over the same part of the life (a rising hazard otherwise
        makes old periods look worse); default every observed month.
    rules : str, default 'we'
        Run rules of the chart (see :func:`cxpath.spc.u_chart`).
    nsigma : float, default 3.0

    Returns
    -------
    WarrantyDashboard

    Raises
    ------
    InvalidTypeError
        If ``data`` is not WarrantyData.
    DataError
        If no period has exposure (no sales).

    Notes
    -----
    The chart is :func:`cxpath.spc.u_chart` of the claims with the exposure
    ``sales × months`` unit-months (periods without sales are left out): centre
    ``ū = Σ claims / Σ exposure``, limits ``ū ± nsigma √(ū / exposure)``. Young periods
    have little exposure and wide limits.

    Examples
    --------
    >>> from cxpath.reliability import nevada, warranty_dashboard
    >>> w = nevada([[2, 3, 1], [4, 2, 0], [1, 0, 0]], sales=[100, 120, 90])
    >>> d = warranty_dashboard(w)
    >>> d.exposure.tolist(), round(float(d.center[0]), 5)
    ([300.0, 240.0, 90.0], 0.02063)
    """
    from ..spc import u_chart

    func = "reliability.warranty_dashboard"
    if not isinstance(data, WarrantyData):
        v.fail("data", func, "a WarrantyData (see nevada)", data, wrong_type=True)
    if window is not None:
        window = v.check_int(window, "window", func, low=1)
    nsigma = v.check_real(nsigma, "nsigma", func, low=0.0, closed="neither")
    months = data.age if window is None else np.minimum(data.age,
                                                         min(window, int(data.age.max())))
    k = np.arange(1, data.claims.shape[1] + 1)[None, :]
    mask = k <= months[:, None]
    claims = (data.claims * mask).sum(axis=1)
    cost = (data.cost * mask).sum(axis=1) if data.cost is not None else \
        np.full(claims.size, np.nan)
    exposure = data.sales * months
    ok = exposure > 0
    if not ok.any():
        v.fail("data", func, "warranty data with some units sold", data=True,
               got="no sales")
    chart = u_chart(claims[ok].astype(np.int64), exposure[ok], rules=rules, nsigma=nsigma,
                    labels=data.period[ok])
    n = claims.size
    center, lcl, ucl = (np.full(n, np.nan) for _ in range(3))
    center[ok], lcl[ok], ucl[ok] = chart.center, chart.lcl, chart.ucl
    signal = np.zeros(n, dtype=bool)
    hit = np.zeros(int(ok.sum()), dtype=bool)
    idx = np.asarray(chart.signals.index, dtype=np.int64)
    hit[idx] = True
    signal[ok] = hit
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(ok, claims / np.where(ok, exposure, 1.0), np.nan)
        claim_rate = np.where(data.sales > 0, claims / np.where(data.sales > 0,
                                                               data.sales, 1.0), np.nan)
    return WarrantyDashboard(data.period, data.sales, months.astype(np.int64), claims,
                             exposure, claim_rate, rate, center, lcl, ucl, signal, cost,
                             window, chart)
