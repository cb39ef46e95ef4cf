"""Maintenance: availability from a maintenance log, the optimal age-replacement interval
and the periodic preventive-maintenance interval of a deteriorating repairable system.

:func:`availability` reads MTBF, MTTR, MTBM, the mean downtime and the inherent, achieved
and operational availability from a log of maintenance events (system, time it went down,
repair start and end). :func:`age_replacement` finds the age at which replacing a unit
before it fails minimises the long-run cost rate, for a fitted
:class:`~cxpath.reliability.LifeFit`. :func:`pm_interval` gives the periodic
preventive-maintenance interval of a system whose failures between maintenances follow a
power-law process and are minimally repaired.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _validate as v
from .._lazy import lazy_module
from .._results import Result, result
from .fitting import LifeFit
from .repairable import PowerLawFit, _end_value, _label_list

if TYPE_CHECKING:
    from .._typing import ArrayLike

optimize = lazy_module("scipy.optimize")
integrate = lazy_module("scipy.integrate")

__all__ = ["AgeReplacement", "Availability", "PMInterval", "age_replacement",
           "availability", "pm_interval"]

KINDS = ("corrective", "preventive")


# -- availability ------------------------------------------------------------------------

@result
class Availability(Result):
    """Maintenance figures and availabilities per system and for the fleet (row ``'all'``).

    Attributes
    ----------
    system : ndarray
        System labels, then ``'all'``.
    observed : ndarray of float
        Observed calendar time (from 0 to the end of observation).
    uptime : ndarray of float
        ``observed`` minus the downtime (time from going down to the end of the repair).
    failures, maintenances : ndarray of int
        Corrective events; all events (corrective and preventive).
    mtbf : ndarray of float
        ``uptime / failures`` (inf without a failure).
    mttr : ndarray of float
        Mean active corrective repair time (repair end − repair start); NaN without one.
    mtbm : ndarray of float
        Mean time between maintenance: ``uptime / maintenances``.
    mean_active : ndarray of float
        Mean active maintenance time, corrective and preventive (``M̄``).
    mdt : ndarray of float
        Mean downtime per event, including waiting (repair end − time down).
    inherent, achieved, operational : ndarray of float
        ``A_i = MTBF / (MTBF + MTTR)``, ``A_a = MTBM / (MTBM + M̄)``,
        ``A_o = MTBM / (MTBM + MDT) = uptime / observed`` (1 without any event).
    """

    system: np.ndarray
    observed: np.ndarray
    uptime: np.ndarray
    failures: np.ndarray
    maintenances: np.ndarray
    mtbf: np.ndarray
    mttr: np.ndarray
    mtbm: np.ndarray
    mean_active: np.ndarray
    mdt: np.ndarray
    inherent: np.ndarray
    achieved: np.ndarray
    operational: np.ndarray

    _key = "system"

    def _title(self) -> str:
        return "Availability"

    def _summary(self) -> list[str]:
        return [f"{self.system.size - 1} system(s): inherent {self.inherent[-1]:.4f}, "
                f"achieved {self.achieved[-1]:.4f}, operational {self.operational[-1]:.4f}"]

    def _columns(self) -> dict:
        return {"system": self.system, "observed": self.observed, "uptime": self.uptime,
                "failures": self.failures, "maintenances": self.maintenances,
                "mtbf": self.mtbf, "mttr": self.mttr, "mtbm": self.mtbm,
                "mean_active": self.mean_active, "mdt": self.mdt,
                "inherent": self.inherent, "achieved": self.achieved,
                "operational": self.operational}


def _figures(observed, down, active, corrective):
    n_all = down.size
    n_f = int(corrective.sum())
    uptime = observed - float(down.sum())
    mtbf = uptime / n_f if n_f else math.inf
    mttr = float(active[corrective].mean()) if n_f else math.nan
    mtbm = uptime / n_all if n_all else math.inf
    mean_active = float(active.mean()) if n_all else math.nan
    mdt = float(down.mean()) if n_all else math.nan
    a_i = mtbf / (mtbf + mttr) if n_f else 1.0
    a_a = mtbm / (mtbm + mean_active) if n_all else 1.0
    a_o = uptime / observed
    return (observed, uptime, n_f, n_all, mtbf, mttr, mtbm, mean_active, mdt, a_i, a_a, a_o)


def availability(system: ArrayLike, down: ArrayLike, repair_start: ArrayLike,
                 repair_end: ArrayLike, *, kind: ArrayLike | None = None,
                 observed: Any = None) -> Availability:
    """MTBF, MTTR, MTBM, mean downtime and availability from a maintenance log.

    Parameters
    ----------
    system : array-like
        System of each maintenance event (labels).
    down : array-like of float
        Time the system went down (failed, or was stopped for preventive maintenance),
        from the start of observation (≥ 0).
    repair_start, repair_end : array-like of float
        Start and end of the active repair (``down ≤ repair_start ≤ repair_end``); the
        wait between ``down`` and ``repair_start`` is logistic and administrative delay.
    kind : array-like of str, optional
        ``'corrective'`` or ``'preventive'`` for each event; default all corrective.
    observed : float or mapping, optional
        Length of observation (from time 0) of every system, or ``{system: length}``;
        default each system's last ``repair_end``.

    Returns
    -------
    Availability
        One row per system and the fleet (``'all'``: times summed over systems, means over
        all events).

    Raises
    ------
    DataError
        Negative or non-finite times, ``down > repair_start`` or
        ``repair_start > repair_end``, overlapping downtimes of one system, a repair
        ending after the observation, or arrays of different lengths.
    InvalidParameterError
        An unknown ``kind``.

    Notes
    -----
    Definitions (Ebeling 2010, §9.3; MIL-HDBK-338B, §5.7):

    * **inherent** ``A_i = MTBF / (MTBF + MTTR)``: corrective maintenance only, active
      repair time only — what the design achieves in an ideal support environment;
    * **achieved** ``A_a = MTBM / (MTBM + M̄)``: preventive maintenance too, still active
      time only;
    * **operational** ``A_o = MTBM / (MTBM + MDT)``: all downtime, waiting for parts and
      people included — the share of calendar time the customer had the system.

    ``MTBF = uptime / failures`` and ``MTBM = uptime / maintenances`` use the operating
    (up) time, so ``A_o = uptime / observed``.

    References
    ----------
    Ebeling, C. E. (2010). *An Introduction to Reliability and Maintainability
    Engineering*, 2nd ed., Waveland. MIL-HDBK-338B (1998). *Electronic Reliability Design
    Handbook*.

    Examples
    --------
    >>> from cxpath.reliability import availability
    >>> a = availability(["p1", "p1", "p2"], down=[100, 400, 250], repair_start=[102, 401, 260],
    ...                  repair_end=[106, 405, 262], kind=["corrective", "preventive",
    ...                  "corrective"], observed=1000)
    >>> a.loc("all")["failures"], round(a.loc("all")["mttr"], 2)
    (2, 3.0)
    >>> round(float(a.inherent[-1]), 5), round(float(a.operational[-1]), 5)
    (0.99697, 0.9885)
    """
    func = "reliability.availability"
    t_down = v.as_float_array(down, "down", func, low=0.0)
    t_start = v.as_float_array(repair_start, "repair_start", func, low=0.0)
    t_end = v.as_float_array(repair_end, "repair_end", func, low=0.0)
    n = v.check_same_length(func, down=t_down, repair_start=t_start, repair_end=t_end)
    labels = _label_list(system, n, func)
    if kind is None:
        corrective = np.ones(n, dtype=bool)
    else:
        if isinstance(kind, (str, bytes, Mapping)) or v.ndim(kind) != 1:
            v.fail("kind", func, "a 1-D sequence of 'corrective' / 'preventive'", kind,
                   wrong_type=True)
        ks = v.array(kind, "kind", func, dtype=object).tolist()
        if len(ks) != n:
            v.fail("kind", func, f"of the same length as 'down' ({n})", got=f"length {len(ks)}",
                   data=True)
        for i, x in enumerate(ks):
            if not (isinstance(x, str) and x in KINDS):
                v.fail("kind", func, "'corrective' or 'preventive' in every row",
                       got=f"{x!r} at position {i}", data=True)
        corrective = np.array([x == "corrective" for x in ks], dtype=bool)
    for name, a, b in (("repair_start", t_down, t_start), ("repair_end", t_start, t_end)):
        bad = a > b
        if bad.any():
            i = int(np.argmax(bad))
            before = "down" if name == "repair_start" else "repair_start"
            v.fail(name, func, f"at least '{before}' in every row", data=True,
                   got=f"{b[i]:g} < {a[i]:g} at position {i}")
    keys = list(dict.fromkeys(labels))
    if isinstance(observed, Mapping):
        obs = {}
        for key in keys:
            if key not in observed:
                v.fail("observed", func, "a mapping with a length for every system",
                       got=f"no length for system {key!r}", data=True)
            obs[key] = _end_value(observed[key], "observed", func, f" for system {key!r}")
    elif observed is not None:
        o = _end_value(observed, "observed", func)
        obs = dict.fromkeys(keys, o)
    else:
        obs = None
    code = np.array([keys.index(x) for x in labels], dtype=np.int64) if keys else \
        np.zeros(0, dtype=np.int64)
    rows = []
    for i, key in enumerate(keys):
        sel = np.flatnonzero(code == i)
        srt = sel[np.argsort(t_down[sel], kind="stable")]
        d, s, e = t_down[srt], t_start[srt], t_end[srt]
        if d.size > 1 and np.any(d[1:] < e[:-1]):
            j = int(np.argmax(d[1:] < e[:-1]))
            v.fail("down", func, "after the previous repair of the same system ended",
                   data=True, got=f"{d[j + 1]:g} before {e[j]:g} for system {key!r}")
        length = float(e.max()) if obs is None else obs[key]
        if e.max() > length:
            v.fail("repair_end", func, "within the observation of its system", data=True,
                   got=f"{e.max():g} after {length:g} for system {key!r}")
        if length <= 0:
            v.fail("repair_end", func, "positive for some event of each system (else "
                   "nothing was observed)", data=True, got=f"0 for system {key!r}")
        rows.append(_figures(length, e - d, e - s, corrective[srt]))
    total = _figures(float(sum(r[0] for r in rows)), t_end - t_down, t_end - t_start,
                     corrective)
    rows.append(total)
    cols = list(zip(*rows))
    return Availability(np.array([*keys, "all"], dtype=object), np.array(cols[0]),
                        np.array(cols[1]), np.array(cols[2], dtype=np.int64),
                        np.array(cols[3], dtype=np.int64), *(np.array(c) for c in cols[4:]))


# -- age replacement ---------------------------------------------------------------------

@result
class AgeReplacement(Result):
    """The optimal age-replacement interval and the cost-rate curve behind it.

    The table is the curve: the cost rate ``C(T)`` (``curve``) at each candidate age ``T``.

    Attributes
    ----------
    interval : float
        The age ``T*`` minimising ``C(T)``; ``inf`` when no finite age beats running to
        failure (constant or falling hazard, or preventive replacement costing as much as
        a failure).
    cost_rate : float
        ``C(T*)`` (``cost_failure / MTTF`` when ``interval`` is inf).
    run_to_failure : float
        ``cost_failure / MTTF``: the cost rate of replacing only on failure.
    saving : float
        ``1 − cost_rate / run_to_failure``.
    finite : bool
    age, curve : ndarray of float
        Candidate ages ``T`` and their long-run cost rates ``C(T)``.
    cost_preventive, cost_failure : float
    """

    interval: float
    cost_rate: float
    run_to_failure: float
    saving: float
    finite: bool
    age: np.ndarray
    curve: np.ndarray
    cost_preventive: float
    cost_failure: float

    def _title(self) -> str:
        return "Age replacement"

    def _summary(self) -> list[str]:
        if not self.finite:
            return [f"no finite optimum: run to failure (cost rate {self.run_to_failure:.6g})"]
        return [f"replace at age {self.interval:.6g}: cost rate {self.cost_rate:.6g} "
                f"({self.saving:.1%} below run-to-failure {self.run_to_failure:.6g})"]

    def _columns(self) -> dict:
        return {"age": self.age, "curve": self.curve}


def _gl(n: int = 16):
    x, w = np.polynomial.legendre.leggauss(n)
    return (x + 1) / 2, w / 2


def _check_fit(fit, func: str) -> LifeFit:
    if not isinstance(fit, LifeFit):
        v.fail("fit", func, "a LifeFit (from cxpath.reliability.fit)", fit, wrong_type=True)
    return fit


def _costs(cp, cf, func: str) -> tuple[float, float]:
    cp = v.check_real(cp, "cost_preventive", func, low=0.0, closed="neither")
    cf = v.check_real(cf, "cost_failure", func, low=0.0, closed="neither")
    return cp, cf


def age_replacement(fit: LifeFit, cost_preventive: float, cost_failure: float, *,
                    upper: float | None = None, points: int = 200) -> AgeReplacement:
    """The age-replacement interval minimising the long-run cost rate for a fitted life.

    Parameters
    ----------
    fit : LifeFit
        The fitted lifetime of the part (:func:`~cxpath.reliability.fit`).
    cost_preventive, cost_failure : float
        Cost of a planned replacement ``Cp`` and of a replacement on failure ``Cf`` (> 0;
        only their ratio matters for the interval).
    upper : float, optional
        Largest age searched; default the fitted 99.9 % life.
    points : int, default 200
        Ages of the cost curve (in (0, upper]).

    Returns
    -------
    AgeReplacement

    Raises
    ------
    InvalidTypeError
        If ``fit`` is not a :class:`~cxpath.reliability.LifeFit`.
    InvalidParameterError
        Non-positive costs, ``upper`` or ``points`` out of range.

    Notes
    -----
    A unit is replaced at failure or at age ``T``, whichever comes first (Barlow &
    Proschan 1965, ch. 4). The long-run cost per unit time is the renewal-reward ratio
    ``C(T) = (Cp R(T) + Cf F(T)) / ∫₀ᵀ R(t) dt``. A finite minimum needs a rising hazard
    and ``Cp < Cf``; with an exponential (constant hazard) or falling hazard ``C(T)``
    decreases towards ``Cf / MTTF`` and the result says ``interval = inf`` (run to
    failure). The curve integrates ``R`` by 16-point Gauss–Legendre on each step; the
    optimum is polished by Brent's method on an adaptive-quadrature ``C(T)``.

    References
    ----------
    Barlow, R. E. & Proschan, F. (1965). *Mathematical Theory of Reliability*, Wiley.
    Jardine, A. K. S. & Tsang, A. H. C. (2013). *Maintenance, Replacement, and
    Reliability*, 2nd ed., CRC, ch. 3.

    Examples
    --------
    >>> from cxpath.reliability import age_replacement, fit
    >>> f = fit([16, 34, 53, 75, 93, 120, 150, 191], "weibull")
    >>> r = age_replacement(f, cost_preventive=1, cost_failure=10)
    >>> round(r.interval, 1), r.finite, round(r.saving, 3)
    (35.6, True, 0.337)
    """
    func = "reliability.age_replacement"
    fit = _check_fit(fit, func)
    cp, cf = _costs(cost_preventive, cost_failure, func)
    points = v.check_int(points, "points", func, low=2, high=100_000)
    fam, th = fit._family, fit.estimate
    if upper is None:
        upper = float(fam.quantile(np.array([0.999]), th)[0])
    else:
        upper = v.check_real(upper, "upper", func, low=0.0, closed="neither")

    def rel(t):
        return np.exp(fam.logsf(np.asarray(t, dtype=float), th))

    mttf = fit.mttf
    rtf = cf / mttf if math.isfinite(mttf) and mttf > 0 else 0.0
    age = np.linspace(upper / points, upper, points)
    x, w = _gl()
    edges = np.concatenate([[0.0], age])
    width = np.diff(edges)
    nodes = edges[:-1, None] + width[:, None] * x[None, :]
    area = np.cumsum((rel(nodes) * w[None, :]).sum(axis=1) * width)
    r_t = rel(age)
    curve = (cp * r_t + cf * (1 - r_t)) / area

    def cost(t):
        t = float(t)
        integral = integrate.quad(lambda s: float(rel(np.array([s]))[0]), 0.0, t,
                                  epsabs=0.0, epsrel=1e-12, limit=200)[0]
        r = float(rel(np.array([t]))[0])
        return (cp * r + cf * (1 - r)) / integral

    j = int(np.argmin(curve))
    best_t, best_c = float(age[j]), float(curve[j])
    finite = cp < cf and j < points - 1 and best_c < rtf * (1 - 1e-9)
    if finite:
        lo = float(age[j - 1]) if j > 0 else upper / points * 1e-3
        hi = float(age[j + 1])
        res = optimize.minimize_scalar(cost, bounds=(lo, hi), method="bounded",
                                       options={"xatol": 1e-10 * hi})
        if res.fun <= best_c:
            best_t, best_c = float(res.x), float(res.fun)
        return AgeReplacement(best_t, best_c, rtf, 1 - best_c / rtf if rtf > 0 else 0.0,
                              True, age, curve, cp, cf)
    return AgeReplacement(math.inf, rtf, rtf, 0.0, False, age, curve, cp, cf)


# -- periodic preventive maintenance -----------------------------------------------------

@result
class PMInterval(Result):
    """Periodic preventive-maintenance interval with minimal repair between maintenances.

    The table is the cost-rate curve ``C(T) = (Cp + Cf (T/θ)^β) / T`` at intervals ``T``.

    Attributes
    ----------
    interval : float
        ``T* = θ (Cp / (Cf (β − 1)))^(1/β)``; inf when ``β ≤ 1`` (maintenance does not
        pay when the failure rate does not rise).
    cost_rate : float
        ``C(T*)`` (its limit ``Cf / θ`` for β = 1, 0 for β < 1).
    beta, theta : float
        Power-law shape and scale: ``E N(t) = (t/θ)^β`` failures by age ``t``.
    finite : bool
    age, curve : ndarray of float
        Intervals ``T`` and their cost rates ``C(T)``.
    cost_preventive, cost_failure : float
    """

    interval: float
    cost_rate: float
    beta: float
    theta: float
    finite: bool
    age: np.ndarray
    curve: np.ndarray
    cost_preventive: float
    cost_failure: float

    def _title(self) -> str:
        return "Preventive-maintenance interval"

    def _summary(self) -> list[str]:
        if not self.finite:
            return [f"beta {self.beta:.4g} <= 1: no finite interval"]
        return [f"maintain every {self.interval:.6g}: cost rate {self.cost_rate:.6g} "
                f"(beta {self.beta:.4g}, theta {self.theta:.6g})"]

    def _columns(self) -> dict:
        return {"age": self.age, "curve": self.curve}


def pm_interval(cost_preventive: float, cost_failure: float, *,
                model: PowerLawFit | None = None, beta: float | None = None,
                theta: float | None = None, points: int = 200) -> PMInterval:
    """Optimal periodic preventive-maintenance interval for a power-law process with
    minimal repair between maintenances.

    Parameters
    ----------
    cost_preventive, cost_failure : float
        Cost of a preventive maintenance ``Cp`` (which restores the system to as good as
        new) and of a minimal repair on failure ``Cf`` (> 0).
    model : PowerLawFit, optional
        A fitted power-law process (:func:`crow_amsaa`) of the system's failures between
        maintenances; gives ``beta`` and ``theta = λ^(−1/β)``.
    beta, theta : float, optional
        The power-law shape and scale, instead of ``model``.
    points : int, default 200
        Points of the cost curve (up to ``3 T*``, or ``3 θ`` without a finite optimum).

    Returns
    -------
    PMInterval

    Raises
    ------
    InvalidParameterError
        If both or neither of ``model`` and ``beta``/``theta`` are given, or a value is
        out of range.

    Notes
    -----
    Minimal repair leaves the failure intensity ``(β/θ)(t/θ)^(β−1)`` unchanged, so a cycle
    of length ``T`` costs ``Cp + Cf (T/θ)^β`` (Barlow & Hunter 1960). Setting the derivative
    of ``C(T) = (Cp + Cf (T/θ)^β) / T`` to zero gives ``T*`` above, and
    ``C(T*) = Cf β (T*/θ)^β / T*``.

    References
    ----------
    Barlow, R. E. & Hunter, L. C. (1960). Optimum preventive maintenance policies.
    *Operations Research* 8, 90–100.

    Examples
    --------
    >>> from cxpath.reliability import pm_interval
    >>> r = pm_interval(cost_preventive=500, cost_failure=2000, beta=2.0, theta=1000)
    >>> round(r.interval, 2), round(r.cost_rate, 4)
    (500.0, 2.0)
    """
    func = "reliability.pm_interval"
    cp, cf = _costs(cost_preventive, cost_failure, func)
    points = v.check_int(points, "points", func, low=2, high=100_000)
    if model is not None:
        if beta is not None or theta is not None:
            v.fail("model", func, "None when 'beta' and 'theta' are given (one or the other)",
                   got="a model as well")
        if not isinstance(model, PowerLawFit):
            v.fail("model", func, "a PowerLawFit (from cxpath.reliability.crow_amsaa)", model,
                   wrong_type=True)
        b, th = float(model.beta), float(model.theta)
    else:
        if beta is None or theta is None:
            v.fail("beta", func, "given with 'theta' (or pass 'model')",
                   got="beta and theta not both given")
        b = v.check_real(beta, "beta", func, low=0.0, closed="neither")
        th = v.check_real(theta, "theta", func, low=0.0, closed="neither")
    if not (math.isfinite(th) and th > 0):  # pragma: no cover - checked above
        v.fail("theta", func, "a positive finite scale", th)
    finite = b > 1
    if finite:
        with np.errstate(all="ignore"):
            t_star = float(np.float64(th) * (np.float64(cp) / (np.float64(cf) * (b - 1)))
                           ** (1 / np.float64(b)))
            c_star = float((cp + cf * (np.float64(t_star) / th) ** b) / np.float64(t_star))
        if not (0 < t_star < math.inf and 0 < c_star < math.inf):
            v.fail("theta", func, "a scale and costs whose optimal interval and cost rate are "
                   "representable numbers", got=f"theta {th:g}, beta {b:g}, "
                   f"cost_preventive / cost_failure {cp / cf:g}")
        top = 3 * t_star
    else:
        t_star = math.inf
        c_star = cf / th if b == 1 else 0.0
        top = 3 * th
    age = np.linspace(top / points, top, points)
    with np.errstate(over="ignore"):
        curve = (cp + cf * (age / th) ** b) / age
    return PMInterval(float(t_star), float(c_star), b, th, finite, age, curve, cp, cf)
