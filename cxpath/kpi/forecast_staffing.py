"""Staffing from a volume forecast under forecast uncertainty (Poisson–Gamma arrivals).

A forecast gives, for each interval, a mean volume and prediction bands. Staffing the mean
alone ignores that the arrival rate itself is uncertain; :func:`staffing_plan` treats the
rate of each interval as Gamma distributed around the forecast mean (the Poisson–Gamma
mixture), staffs to the expected service level, to a quantile of the rate, or to the
mean, and reports the service level to expect under that uncertainty.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .. import _validate as v
from .._results import Result, result
from .queueing import _erlang_b, _erlang_c_metrics, _shrink

if TYPE_CHECKING:
    from .._typing import ArrayLike
    from ..forecast._base import Forecast
    from .roster import Roster, ShiftPatterns

__all__ = ["StaffingBlocks", "StaffingPlan", "expected_service_level", "staffing_plan"]

_RULES = ("expected", "quantile", "mean")
_BANDS = ("count", "rate")


def _quadrature(nodes: int) -> tuple[np.ndarray, np.ndarray]:
    """Gauss–Legendre nodes and weights on (0, 1) (probabilities of the rate's quantiles)."""
    from scipy.special import roots_legendre

    x, w = roots_legendre(nodes)
    return (x + 1.0) / 2.0, w / 2.0


def _rate_quantiles(mean: np.ndarray, var: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Quantiles ``u`` of Gamma(mean, var) per row; the mean itself where var or mean is 0."""
    from scipy.special import gammaincinv

    mean = mean[:, None]
    var = var[:, None]
    out = np.broadcast_to(mean, (mean.shape[0], u.size)).copy()
    gam = ((var > 0) & (mean > 0))[:, 0]
    if gam.any():
        m, s2 = mean[gam], var[gam]
        out[gam] = gammaincinv(m * m / s2, u[None, :]) * (s2 / m)
    return out


def _sl(n: np.ndarray, volume: np.ndarray, aht: np.ndarray, interval: float,
        t: float) -> np.ndarray:
    """Erlang C service level of ``n`` agents (broadcast against ``volume``)."""
    n, volume, aht = np.broadcast_arrays(n, volume, aht)
    shape = volume.shape
    n = np.ascontiguousarray(n, dtype=np.int64).ravel()
    a = (volume * aht / interval).ravel()
    aht = np.ascontiguousarray(aht, dtype=np.float64).ravel()
    b = _erlang_b(n, a)
    _, sl, _, _ = _erlang_c_metrics(a, n, b, t / aht, aht)
    return sl.reshape(shape)


def _expected_sl(n, lam, w, aht, interval, t):
    """``sum_j w_j SL(n, lam_j)`` per row (rows: intervals, columns: quadrature nodes)."""
    return _sl(np.asarray(n)[:, None], lam, aht[:, None], interval, t) @ w


def _check_forecast(forecast, func: str):
    from ..forecast._base import Forecast

    if not isinstance(forecast, Forecast):
        v.fail("forecast", func, "a cxpath.forecast.Forecast (e.g. from forecast.ets)",
               forecast, wrong_type=True)
    return forecast


def _band_sd(forecast, level, func: str) -> tuple[np.ndarray, float]:
    """Standard deviation read from the band at ``level`` (default the lowest level)."""
    from scipy.special import ndtri

    if forecast.levels.size == 0:
        v.fail("forecast", func, "a forecast with prediction bands (level=...)",
               got="a forecast without bands", data=True)
    if level is None:
        level = float(forecast.levels[0])
    else:
        level = v.check_real(level, "level", func, low=1.0, high=100.0, closed="neither")
        if not np.isclose(forecast.levels, level).any():
            v.fail("level", func, "one of the forecast's levels "
                   + ", ".join(f"{x:g}" for x in forecast.levels), level)
    lo, hi = forecast.band(level)
    width = np.asarray(hi, dtype=np.float64) - np.asarray(lo, dtype=np.float64)
    if not np.all(np.isfinite(width)) or (width < 0).any():
        i = int(np.argmax(~np.isfinite(width) | (width < 0)))
        v.fail("forecast", func, "a forecast with finite, ordered bands",
               got=f"a band of width {width[i]:g} at step {i + 1}", data=True)
    return width / (2.0 * float(ndtri(0.5 + level / 200.0))), level


def _interval_of(forecast, interval, func: str) -> float:
    if interval is not None:
        return v.check_real(interval, "interval", func, low=0.0, closed="neither")
    ds = forecast.ds
    if ds is not None and len(ds) >= 2:
        step = np.diff(np.asarray(ds, dtype="datetime64[ns]")).astype(np.int64) / 1e9
        if (step > 0).all() and np.allclose(step, step[0]):
            return float(step[0])
    return 1800.0


@result
class StaffingPlan(Result):
    """Agents per interval of a forecast, with the service level to expect under its
    uncertainty.

    Attributes
    ----------
    start : ndarray
        The forecast's dates (``ds``) when it has them, else its steps ``1..h``.
    mean : ndarray
        Forecast volume per interval (contacts per ``interval``).
    sd : ndarray
        Standard deviation of the arrival rate (contacts per interval) used for the Gamma.
    aht : ndarray
        Average handle time per interval.
    agents : ndarray of int
        Agents on the phones.
    scheduled : ndarray of int
        Agents to schedule, ``ceil(agents / (1 - shrinkage))``: the requirement a roster
        covers.
    expected_service_level : ndarray
        ``E[SL(agents, λ)]`` over the Gamma rate.
    service_level_at_mean : ndarray
        Erlang C service level if the volume were exactly the mean.
    p_target : ndarray
        Probability that the interval's service level meets ``target`` (``P(λ ≤ λ*)``,
        λ* the largest rate the agents serve to target).
    rule : str
        ``'expected'``, ``'quantile'`` or ``'mean'``.
    target, answer_time, interval : float
    quantile : float or None
        The rate quantile staffed to (``rule='quantile'``).
    level : float
        The forecast band the variance was read from (percent).
    tz : str, optional
        The time zone of the forecast's time-zone-aware dates: ``start`` then holds their
        UTC instants, which ``to_frame()`` shows in the zone.
    """

    start: np.ndarray
    mean: np.ndarray
    sd: np.ndarray
    aht: np.ndarray
    agents: np.ndarray
    scheduled: np.ndarray
    expected_service_level: np.ndarray
    service_level_at_mean: np.ndarray
    p_target: np.ndarray
    rule: str
    target: float
    answer_time: float
    interval: float
    quantile: float | None
    level: float
    tz: str | None = None

    @property
    def scheduled_hours(self) -> float:
        """Scheduled agent-hours over all intervals (interval in seconds)."""
        return float(self.scheduled.sum() * self.interval / 3600.0)

    def _zones(self) -> dict:
        return {"start": self.tz}

    @property
    def overall_service_level(self) -> float:
        """Expected share of all contacts answered within ``answer_time``: the intervals'
        expected service levels weighted by their mean volumes."""
        total = float(self.mean.sum())
        if total <= 0:
            return 1.0
        return float(self.expected_service_level @ self.mean / total)

    def roster(self, shifts: ShiftPatterns, *, method: str = "milp",
               time_limit: float = 60.0) -> Roster:
        """A shift roster covering :attr:`scheduled` (see :func:`cxpath.kpi.shift_roster`).

        Examples
        --------
        >>> from cxpath.kpi import shift_patterns
        >>> from cxpath.kpi.forecast_staffing import _example_plan
        >>> plan = _example_plan()
        >>> plan.roster(shift_patterns([0, 2], 4)).count.tolist()
        [27, 2]
        """
        from .roster import shift_roster

        return shift_roster(self.scheduled, shifts, method=method, time_limit=time_limit)

    def blocks(self, size: int) -> StaffingBlocks:
        """Roll the intervals up into blocks of ``size`` intervals (e.g. 16 half-hours for
        an 8-hour shift): the peak scheduled agents and the agent-hours of each block.

        Examples
        --------
        >>> from cxpath.kpi.forecast_staffing import _example_plan
        >>> b = _example_plan().blocks(2)
        >>> b.peak.tolist(), b.agent_hours.tolist()
        ([27, 9, 2], [20.5, 7.5, 1.0])
        """
        size = v.check_int(size, "size", "StaffingPlan.blocks", low=1)
        n = self.scheduled.size
        first = np.arange(0, n, size)
        peak = np.maximum.reduceat(self.scheduled, first)
        hours = np.add.reduceat(self.scheduled, first) * self.interval / 3600.0
        return StaffingBlocks(start=self.start[first], intervals=np.diff(np.append(first, n)),
                              peak=peak.astype(np.int64), agent_hours=hours.astype(float))

    def _title(self):
        return f"Staffing plan ({self.rule})"

    def _summary(self):
        return [f"target {self.target:g} within {self.answer_time:g}; expected service "
                f"level {self.overall_service_level:.4f} overall; "
                f"{self.scheduled_hours:,.1f} scheduled agent-hours; "
                f"rate sd read from the {self.level:g} % band"]

    def _columns(self):
        return {"start": self.start, "mean": self.mean, "sd": self.sd, "aht": self.aht,
                "agents": self.agents, "scheduled": self.scheduled,
                "expected_service_level": self.expected_service_level,
                "service_level_at_mean": self.service_level_at_mean,
                "p_target": self.p_target}


@result
class StaffingBlocks(Result):
    """Intervals of a staffing plan rolled up into blocks (:meth:`StaffingPlan.blocks`).

    Attributes
    ----------
    start : ndarray
        First interval label of each block.
    intervals : ndarray of int
        Intervals in the block (the last block may be shorter).
    peak : ndarray of int
        Most scheduled agents in any interval of the block: the agents a shift spanning the
        block must bring.
    agent_hours : ndarray
        Scheduled agent-hours in the block.
    """

    start: np.ndarray
    intervals: np.ndarray
    peak: np.ndarray
    agent_hours: np.ndarray

    def _columns(self):
        return {"start": self.start, "intervals": self.intervals, "peak": self.peak,
                "agent_hours": self.agent_hours}


def _aht_array(aht, h: int, func: str) -> np.ndarray:
    arr = v.as_float_array(aht, "aht", func, ndim=None, low=0.0, closed="neither")
    if arr.ndim == 0 or arr.size == 1:
        return np.full(h, float(arr.ravel()[0]))
    if arr.ndim != 1:
        v.fail("aht", func, "a number or a 1-dimensional array",
               got=f"an array of shape {arr.shape}")
    if arr.size != h:
        v.fail("aht", func, f"one number or one per forecast step ({h})",
               got=f"length {arr.size}", data=True)
    return arr


def _gamma_inputs(forecast, level, band, func):
    mean = np.asarray(forecast.mean, dtype=np.float64)
    if not np.all(np.isfinite(mean)) or (mean < 0).any():
        i = int(np.argmax(~np.isfinite(mean) | (mean < 0)))
        v.fail("forecast", func, "a forecast with finite, non-negative means (volumes; "
               "clip a model's negative means with numpy.maximum first)",
               got=f"{mean[i]:g} at step {i + 1}", data=True)
    sd, level = _band_sd(forecast, level, func)
    var = sd * sd
    if band == "count":  # the band is of the count: Var(Y) = E[λ] + Var(λ)
        var = np.maximum(var - mean, 0.0)
    return mean, var, level


def _p_target(n, mean, var, aht, interval, t, target):
    """``P(λ <= λ*)``: λ* the largest rate ``n`` agents serve to ``target`` (bisection)."""
    from scipy.special import gammainc

    lo = np.zeros_like(mean)
    hi = n * interval / aht  # stability limit: SL 0 there
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        good = _sl(n, mid, aht, interval, t) >= target
        lo = np.where(good, mid, lo)
        hi = np.where(good, hi, mid)
    star = lo
    out = np.where(mean <= star, 1.0, 0.0)  # no uncertainty: met or not
    gam = (var > 0) & (mean > 0)
    if gam.any():
        k = mean[gam] ** 2 / var[gam]
        out[gam] = gammainc(k, star[gam] * mean[gam] / var[gam])
    return np.where(mean <= 0, 1.0, out)


def expected_service_level(forecast: Forecast, aht: ArrayLike, agents: ArrayLike, *,
                           interval: float | None = None, answer_time: float = 20.0,
                           level: float | None = None, band: str = "count",
                           nodes: int = 64) -> np.ndarray:
    """Service level to expect from given agents under the forecast's uncertainty.

    Parameters
    ----------
    forecast : Forecast
        Volume forecast per interval with prediction bands.
    aht : float or array
        Average handle time (> 0), one value or one per step, same unit as ``interval``.
    agents : int or array of int
        Agents on the phones per step (one count or one per step), at least 0.
    interval, answer_time, level, band, nodes
        As in :func:`staffing_plan`.

    Returns
    -------
    ndarray
        ``E[SL(agents, λ)]`` per step, λ ~ Gamma (see :func:`staffing_plan`, Notes).

    Raises
    ------
    InvalidParameterError, InvalidTypeError, DataError
        Not a Forecast, bands missing or unordered, bad ranges or lengths.

    Examples
    --------
    >>> from cxpath.kpi import expected_service_level
    >>> from cxpath.kpi.forecast_staffing import _example_forecast
    >>> expected_service_level(_example_forecast(), 180, 14).round(4).tolist()
    [0.8028, 0.0203, 0.9948, 1.0, 1.0, 1.0]
    """
    func = "kpi.expected_service_level"
    forecast = _check_forecast(forecast, func)
    v.check_option(band, "band", func, _BANDS)
    nodes = v.check_int(nodes, "nodes", func, low=2, high=1000)
    t = v.check_real(answer_time, "answer_time", func, low=0.0)
    interval = _interval_of(forecast, interval, func)
    mean, var, _ = _gamma_inputs(forecast, level, band, func)
    aht = _aht_array(aht, mean.size, func)
    n = v.as_int_array(agents, "agents", func, ndim=None, low=0, high=2**31)
    if n.ndim > 1 or (n.size not in (1, mean.size)):
        v.fail("agents", func, f"one count or one per forecast step ({mean.size})",
               got=f"an array of shape {n.shape}", data=True)
    n = np.broadcast_to(n.ravel(), mean.shape).copy()
    u, w = _quadrature(nodes)
    return _expected_sl(n, _rate_quantiles(mean, var, u), w, aht, interval, t)


def staffing_plan(forecast: Forecast, aht: ArrayLike, *, rule: str = "expected",
                  target: float = 0.8, answer_time: float = 20.0, quantile: float = 0.9,
                  interval: float | None = None, level: float | None = None,
                  band: str = "count", shrinkage: float = 0.0, max_occupancy: float = 1.0,
                  nodes: int = 64) -> StaffingPlan:
    """Agents per interval of a forecast, staffed against the forecast's uncertainty.

    Parameters
    ----------
    forecast : Forecast
        Volume forecast (contacts per interval) with prediction bands, from any
        :mod:`cxpath.forecast` model.
    aht : float or array
        Average handle time (> 0), one value or one per step, same unit as ``interval``.
    rule : {'expected', 'quantile', 'mean'}, default 'expected'
        ``'expected'``: fewest agents whose *expected* service level ``E[SL(N, λ)]`` meets
        ``target``. ``'quantile'``: fewest agents meeting ``target`` at the ``quantile`` of
        the rate — the same as meeting the target *with probability* ``quantile``, since
        the service level falls as the rate grows. ``'mean'``: Erlang C at the mean (as
        :func:`interval_staffing`), with the expected service level reported.
    target : float, default 0.8
        Service-level target in [0, 1).
    answer_time : float, default 20
        Service-level threshold ("answered within").
    quantile : float, default 0.9
        Rate quantile (probability of meeting the target) for ``rule='quantile'``, in (0, 1).
    interval : float, optional
        Interval length in seconds; by default the spacing of the forecast's dates
        (``ds``) when it has regular ones, else 1800.
    level : float, optional
        The band (percent) the variance is read from; default the forecast's lowest level.
    band : {'count', 'rate'}, default 'count'
        What the band describes: the *count* of contacts (a forecast's prediction
        interval, Poisson noise included) or the *rate* itself.
    shrinkage : float, default 0
        Share of paid time off the phones, in [0, 1).
    max_occupancy : float, default 1
        Upper bound on mean load / agents, in (0, 1].
    nodes : int, default 64
        Quadrature nodes over the rate's distribution.

    Returns
    -------
    StaffingPlan

    Raises
    ------
    InvalidParameterError, InvalidTypeError, DataError
        Not a Forecast, negative or non-finite means, bands missing or unordered, bad
        ranges.

    Notes
    -----
    *The rate.* The arrival rate λ of an interval is Gamma distributed with mean the
    forecast mean *m* and variance *s²*; arrivals are Poisson given λ (so the count is
    negative binomial). *s²* is read from the band at ``level``: its width ``hi − lo``
    is taken as that of a normal interval, ``sd = (hi − lo) / (2 z)`` with
    ``z = Φ⁻¹(1/2 + level/200)`` (1.2816 for 80 %). With ``band='count'`` the band is the
    prediction interval of the count, whose variance is ``m + s²`` (Poisson part plus
    rate part), so ``s² = max(sd² − m, 0)``; with ``band='rate'``, ``s² = sd²``. A band
    that a model clipped at 0 is narrower than the normal one, so the variance is then
    understated; where ``s² = 0`` the rate is the mean and the plan is plain Erlang C.

    *The expected service level* is ``E[SL(N, λ)] = ∫₀¹ SL(N, F⁻¹(u)) du`` with *F* the
    Gamma distribution function: Gauss–Legendre quadrature on the probability scale
    (``nodes`` quantiles ``F⁻¹(u_j)`` from ``scipy.special.gammaincinv``), which is exact
    for any shape parameter, large or small, where Gauss–Laguerre weights over- or
    underflow. The integrand is bounded (0 past the stability limit λ = N / AHT); 64 nodes
    agree with adaptive quadrature (``scipy.integrate.quad``) to 1e-4. ``SL`` is the
    Erlang C service level of :func:`erlang_c`. The expected level falls as λ's spread
    grows at a fixed mean, so staffing the mean under-delivers: the plan adds the agents
    the uncertainty costs. ``p_target`` is ``F(λ*)``, λ* the largest rate at which the
    agents meet the target (bisection).

    The expected level of each interval is an average over the rate; the overall figure
    (:attr:`StaffingPlan.overall_service_level`) weights the intervals by their means.

    References
    ----------
    Jongbloed, G. and Koole, G. (2001). Managing uncertainty in call centres using
    Poisson mixtures. *Applied Stochastic Models in Business and Industry* 17(4), 307–318.
    Steckley, S. G., Henderson, S. G. and Mehrotra, V. (2009). Forecast errors in service
    systems. *Probability in the Engineering and Informational Sciences* 23(2), 305–332.

    Examples
    --------
    >>> from cxpath.kpi import staffing_plan
    >>> from cxpath.kpi.forecast_staffing import _example_forecast
    >>> plan = staffing_plan(_example_forecast(), 180)
    >>> plan.agents.tolist()
    [14, 27, 9, 6, 0, 2]
    >>> staffing_plan(_example_forecast(), 180, rule="mean").agents.tolist()
    [14, 24, 9, 5, 0, 2]
    >>> staffing_plan(_example_forecast(), 180, rule="quantile", quantile=0.9).agents.tolist()
    [16, 30, 11, 6, 0, 2]
    """
    func = "kpi.staffing_plan"
    forecast = _check_forecast(forecast, func)
    v.check_option(rule, "rule", func, _RULES)
    v.check_option(band, "band", func, _BANDS)
    target = v.check_real(target, "target", func, low=0.0, high=1.0, closed="left")
    t = v.check_real(answer_time, "answer_time", func, low=0.0)
    q = v.check_real(quantile, "quantile", func, low=0.0, high=1.0, closed="neither")
    shrink = v.check_real(shrinkage, "shrinkage", func, low=0.0, high=1.0, closed="left")
    occ = v.check_real(max_occupancy, "max_occupancy", func, low=0.0, high=1.0,
                       closed="right")
    nodes = v.check_int(nodes, "nodes", func, low=2, high=1000)
    interval = _interval_of(forecast, interval, func)
    mean, var, level = _gamma_inputs(forecast, level, band, func)
    aht = _aht_array(aht, mean.size, func)
    load = mean * aht / interval
    if (load > 1e7).any():
        i = int(np.argmax(load > 1e7))
        v.fail("forecast", func, "a load (mean x aht / interval) of at most 1e7 Erlangs",
               got=f"{load[i]:.6g} Erlangs at step {i + 1}", data=True)
    u, w = _quadrature(nodes)
    lam = _rate_quantiles(mean, var, u)
    # fewest agents within the occupancy cap (0 with no contacts)
    floor_n = np.ceil(load / occ * (1.0 - 1e-12)).astype(np.int64)
    if rule == "expected":
        n = _search(lambda k: _expected_sl(k, lam, w, aht, interval, t) >= target, load,
                    lam[:, -1] * aht / interval)
    else:
        vol = mean if rule == "mean" else _rate_quantiles(mean, var, np.array([q]))[:, 0]
        n = _search(lambda k: _sl(k, vol, aht, interval, t) >= target, load,
                    vol * aht / interval)
    n = np.where(mean > 0, np.maximum(n, floor_n), 0)
    esl = _expected_sl(n, lam, w, aht, interval, t)
    at_mean = _sl(n, mean, aht, interval, t)
    p = _p_target(n, mean, var, aht, interval, t, target)
    start = np.asarray(forecast.ds) if forecast.ds is not None else forecast.step
    return StaffingPlan(start=start, mean=mean, sd=np.sqrt(var), aht=aht, agents=n,
                        scheduled=_shrink(n, shrink), expected_service_level=esl,
                        service_level_at_mean=at_mean, p_target=p, rule=rule, target=target,
                        answer_time=t, interval=interval,
                        quantile=q if rule == "quantile" else None, level=level,
                        tz=forecast.tz)


def _search(ok, load: np.ndarray, high_load: np.ndarray) -> np.ndarray:
    """Fewest agents ``n >= 1`` with ``ok(n)`` per row: ``ok`` is monotone in ``n``."""
    lo = np.zeros(load.shape, dtype=np.int64)  # never tested; ok(0) is False for load > 0
    hi = np.maximum(np.ceil(high_load * 1.1 + 5.0 * np.sqrt(high_load) + 5.0), 1.0)
    hi = hi.astype(np.int64)
    for _ in range(64):
        bad = ~ok(hi)
        if not bad.any():
            break
        lo = np.where(bad, hi, lo)
        hi = np.where(bad, 2 * hi, hi)
    while (hi - lo > 1).any():
        mid = (lo + hi) // 2
        good = ok(mid)
        move = hi - lo > 1
        hi = np.where(move & good, mid, hi)
        lo = np.where(move & ~good, mid, lo)
    return hi


def _example_forecast():
    """A six-step forecast with 80 % and 95 % bands (the docstring examples')."""
    from scipy.special import ndtri

    from ..forecast._base import Forecast

    mean = np.array([100.0, 200.0, 60.0, 30.0, 0.0, 5.0])
    sd = np.sqrt(mean + (0.2 * mean) ** 2)  # Poisson plus a 20 % rate sd
    levels = np.array([80.0, 95.0])
    z = ndtri(0.5 + levels / 200.0)[:, None]
    return Forecast(model="example", mean=mean, levels=levels, lower=mean - z * sd,
                    upper=mean + z * sd, fitted=np.empty(0), residuals=np.empty(0),
                    interval_method="analytic")


def _example_plan():
    return staffing_plan(_example_forecast(), 180)
