"""Run lengths of control charts: exact ARL, SD and distribution, and limits for a target ARL.

The run length of a chart is the number of points plotted until its first signal. Its mean
(the *average run length*, ARL) when the process is in control is the mean time between
false alarms (``ARL0``); for a mean shift of ``shift`` σ it is the mean detection delay.

* :func:`arl_shewhart`: Shewhart chart with any zone-based run rules (a :class:`RuleSet`),
  as an exact finite Markov chain (Champ & Woodall 1987);
* :func:`arl_ewma`: EWMA chart with asymptotic limits, by the integral equation solved
  with Gauss–Legendre quadrature (Nyström; Crowder 1987), the limit of the Markov chain of
  Lucas & Saccucci (1990) as its number of states grows;
* :func:`arl_cusum`: tabular CUSUM, one- or two-sided, by the same quadrature applied to
  the Brook & Evans (1972) chain (an atom at 0 and the continuous part on ``(0, h]``).

:func:`shewhart_limit`, :func:`ewma_limit` and :func:`cusum_limit` solve for the limit width
(``nsigma``, ``L``, ``h``) that gives a target in-control ARL. Every quantity is in units
of the σ of the plotted points; observations are independent and normal.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import numpy as np

from .. import _validate as v
from .._budget import check_memory
from .._results import Result, result
from ..errors import CostError
from .rules import RuleSet, resolve_rules

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .._typing import ArrayLike
    from .rules import Rule

__all__ = ["RunLength", "RunLengthDistribution", "arl_cusum", "arl_ewma", "arl_shewhart",
           "cusum_limit", "ewma_limit", "shewhart_limit"]

_MAX_STATES = 200_000  # Shewhart chains larger than this are refused (CostError)


# ---------------------------------------------------------------------------------------
# result objects


@result
class RunLength(Result):
    """Run-length properties of one chart design, one row per mean shift.

    Attributes
    ----------
    chart : str
        ``"shewhart"``, ``"ewma"`` or ``"cusum"``.
    params : dict
        The design: ``rules``/``nsigma``, ``lam``/``L`` or ``k``/``h``/``sides``, and the
        number of quadrature ``nodes`` or chain ``states``.
    shift : numpy.ndarray
        Mean shift in σ of the plotted points (0 is in control).
    arl : numpy.ndarray
        Average run length at each shift (``inf`` beyond 1e12: such a design never
        signals in practice, and its chain is singular in floating point).
    sd : numpy.ndarray
        Standard deviation of the run length (NaN for the two-sided CUSUM, whose ARL comes
        from the one-sided ones).
    method : str
        How the numbers were computed.
    chains : tuple
        Per shift, the ``(start_row, transient_matrix)`` of the chain (None for the
        two-sided CUSUM); used by :meth:`distribution` and :meth:`quantile`.

    Examples
    --------
    >>> r = arl_shewhart("limits", shift=[0.0, 1.0])
    >>> r.arl.round(2).tolist()
    [370.4, 43.89]
    """

    chart: str
    params: dict
    shift: np.ndarray
    arl: np.ndarray
    sd: np.ndarray
    method: str
    chains: tuple = ()

    _key = "shift"

    def _title(self) -> str:
        return f"RunLength {self.chart} ({_design(self.chart, self.params)})"

    def _summary(self) -> list[str]:
        return [f"method: {self.method}"]

    def _columns(self) -> dict:
        return {"shift": self.shift, "arl": self.arl, "sd": self.sd}

    def distribution(self, upto: int | None = None) -> RunLengthDistribution:
        """The run-length pmf, cdf and survival function for run lengths ``1..upto``.

        Parameters
        ----------
        upto : int, optional
            Largest run length, at most 100 000; default the 99th percentile of the slowest
            shift (capped there).

        Returns
        -------
        RunLengthDistribution

        Raises
        ------
        InvalidParameterError
            For the two-sided CUSUM (its ARL is combined from the one-sided ones, which
            gives no distribution), or if ``upto`` is not a positive integer.

        Examples
        --------
        >>> d = arl_shewhart("limits").distribution(upto=3)
        >>> d.pmf.round(6).tolist()   # geometric: 0.0027 (1 - 0.0027)^(t-1)
        [0.0027, 0.002693, 0.002685]
        """
        func = "spc.RunLength.distribution"
        self._need_chains(func)
        if upto is None:
            n = int(min(100_000, np.max(self.quantile(0.99))))
        else:
            n = v.check_int(upto, "upto", func, low=1, high=100_000)
        check_memory(16.0 * n * self.shift.size, func, "the run-length table")
        surv = np.vstack([_survival(r, q, n) for r, q in self.chains])
        prev = np.hstack([np.ones((surv.shape[0], 1)), surv[:, :-1]])
        t = np.arange(1, n + 1)
        return RunLengthDistribution(np.repeat(self.shift, n), np.tile(t, self.shift.size),
                                     (prev - surv).ravel(), (1.0 - surv).ravel(),
                                     surv.ravel())

    def quantile(self, p: float) -> np.ndarray:
        """The smallest run length ``t`` with ``P(RL <= t) >= p``, per shift.

        Examples
        --------
        >>> arl_shewhart("limits").quantile(0.5).tolist()  # median of a geometric(0.0027)
        [257]
        """
        func = "spc.RunLength.quantile"
        p = v.check_real(p, "p", func, low=0.0, high=1.0, closed="neither")
        self._need_chains(func)
        out = np.empty(self.shift.size, dtype=np.int64)
        for i, (row, q) in enumerate(self.chains):
            out[i] = _quantile(row, q, p, func)
        return out

    def _need_chains(self, func: str) -> None:
        if not self.chains or any(c is None for c in self.chains):
            v.fail("self", func, "a RunLength with a Markov chain (not the two-sided CUSUM; "
                   "use sides='upper' for its one-sided distribution)",
                   got=f"{self.chart} with sides={self.params.get('sides')!r}")


@result
class RunLengthDistribution(Result):
    """Run-length distribution: one row per (shift, run length).

    Attributes
    ----------
    shift : numpy.ndarray
        Mean shift in σ.
    run_length : numpy.ndarray of int
        Run length ``t``.
    pmf, cdf, survival : numpy.ndarray
        ``P(RL = t)``, ``P(RL <= t)`` and ``P(RL > t)``.
    """

    shift: np.ndarray
    run_length: np.ndarray
    pmf: np.ndarray
    cdf: np.ndarray
    survival: np.ndarray

    _key = ("shift", "run_length")

    def _title(self) -> str:
        return "RunLengthDistribution"

    def _columns(self) -> dict:
        return {"shift": self.shift, "run_length": self.run_length, "pmf": self.pmf,
                "cdf": self.cdf, "survival": self.survival}


def _design(chart: str, p: dict) -> str:
    if chart == "shewhart":
        return f"rules {', '.join(p['rules']) or 'none'}, nsigma {p['nsigma']:g}"
    if chart == "ewma":
        return f"lam {p['lam']:g}, L {p['L']:g}"
    return f"k {p['k']:g}, h {p['h']:g}, {p['sides']}"


# ---------------------------------------------------------------------------------------
# shared chain algebra: start row r, transient matrix Q; RL > t  <=>  r Q^(t-1) 1


def _solve_moments(row, q, func: str = "spc", name: str = "the limit", check: bool = False):
    """ARL and SD of the run length from the start row and transient matrix.

    A design so wide that ``I - Q`` is singular in floating point (an ARL beyond 1e12) has
    an infinite ARL (SD NaN): it never signals in practice. ``check=True`` refuses it with
    the error on ``name`` instead.
    """
    n = q.shape[0]
    ones = np.ones(n)
    try:  # numpy's errstate is per context, unlike warning filters; singular is checked
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            if _is_sparse(q):
                from scipy.sparse import identity
                from scipy.sparse.linalg import splu

                solve = splu((identity(n, format="csc") - q).tocsc()).solve
            else:
                from scipy.linalg import lu_factor, lu_solve

                fac = lu_factor(np.eye(n) - q, check_finite=False)
                if not np.all(np.isfinite(fac[0])) or not np.all(np.diagonal(fac[0])):
                    raise np.linalg.LinAlgError("singular")  # scipy only warns

                def solve(b):
                    return lu_solve(fac, b, check_finite=False)
            a = solve(ones)
            s = solve(ones + 2.0 * (q @ a))
    except (ArithmeticError, RuntimeError, ValueError, np.linalg.LinAlgError):
        a = s = np.full(n, np.nan)
    arl = 1.0 + row @ a
    second = 1.0 + 2.0 * (row @ a) + row @ s
    if not (np.isfinite(arl) and 1.0 <= arl <= 1e12):
        if not check:
            return float("inf"), float("nan")
        v.fail(name, func, "a design whose ARL is below 1e12 (a wider one never signals in "
               "practice and its chain is numerically singular)",
               got=f"an ARL of {arl:.3g}" if np.isfinite(arl) else "a singular chain")
    return float(arl), float(np.sqrt(max(second - arl * arl, 0.0)))


def _is_sparse(q) -> bool:
    return hasattr(q, "tocsc")


def _survival(row, q, n: int) -> np.ndarray:
    out = np.empty(n)
    vec = np.ones(q.shape[0])
    for t in range(n):
        out[t] = row @ vec
        vec = q @ vec
    return np.minimum(np.maximum(out, 0.0), 1.0)


def _quantile(row, q, p: float, func: str) -> int:
    """Smallest ``t`` with ``P(RL <= t) >= p``: steps the chain up to 20 000 periods, then
    extrapolates the geometric tail ``S(t) ~ c ρ^t`` (ρ from the last steps)."""
    vec = np.ones(q.shape[0])
    prev = 1.0
    for t in range(1, 20_001):
        surv = float(row @ vec)
        if 1.0 - surv >= p:
            return t
        vec = q @ vec
        nxt = float(row @ vec)
        prev = surv
        if t == 20_000:
            rho = nxt / prev if prev > 0 else 0.0
            if not 0.0 < rho < 1.0:
                break
            extra = np.log((1.0 - p) / nxt) / np.log(rho)
            return int(t + 1 + max(0, np.ceil(extra)))
    raise CostError(f"{func} found no run length with probability {p:g}: the chart almost "
                    "never signals.")


def _shifts(shift, func: str) -> np.ndarray:
    out = np.atleast_1d(v.as_float_array(np.atleast_1d(v.array(shift, "shift", func)),
                                         "shift", func, low=-50.0, high=50.0))
    if out.size > 200:
        v.fail("shift", func, "at most 200 shifts (one chain is solved per shift)",
               got=f"{out.size:,} shifts")
    return out


def _normal_cell(a, b, mu):
    """``P(a < X < b)`` for ``X ~ N(mu, 1)``, accurate in both tails."""
    from scipy.special import ndtr

    a, b = np.asarray(a, dtype=float) - mu, np.asarray(b, dtype=float) - mu
    upper = ndtr(-a) - ndtr(-b)
    lower = ndtr(b) - ndtr(a)
    return np.where(a > 0, upper, lower)


# ---------------------------------------------------------------------------------------
# Shewhart with run rules: Champ & Woodall's Markov chain on zone histories


def _zones(ruleset: RuleSet, nsigma: float):
    cuts = {0.0}
    for r in ruleset.rules:
        k = nsigma if r.kind == "beyond" else r.k
        cuts.update((k, -k))
    cuts = np.array(sorted(cuts))
    lo = np.concatenate([[-np.inf], cuts])
    hi = np.concatenate([cuts, [np.inf]])
    rep = np.where(np.isinf(lo), hi - 1.0, np.where(np.isinf(hi), lo + 1.0, (lo + hi) / 2))
    return lo, hi, rep


def _rule_step(rule: Rule, nsigma: float, state, z: float):
    """One rule's next state after a point ``z``, and whether it signals."""
    kind = rule.kind
    if kind == "beyond":
        return None, abs(z) > nsigma
    if kind == "m_of_n":
        mark = 1 if z > rule.k else -1 if z < -rule.k else 0
        if rule.count == rule.window:  # a run on one side: signed run length
            if mark == 0:
                return 0, False
            run = state + mark if state * mark > 0 else mark
            return (int(np.sign(run)) * min(abs(run), rule.window - 1),
                    abs(run) >= rule.window)
        hist = (*state, mark)
        fired = mark != 0 and sum(1 for m in hist if m == mark) >= rule.count
        return hist[1:], fired
    inside = abs(z) < rule.k if kind == "within" else abs(z) > rule.k
    run = state + 1 if inside else 0
    return min(run, rule.window - 1), run >= rule.window


def _initial(rule: Rule):
    if rule.kind == "beyond":
        return None
    if rule.kind == "m_of_n" and rule.count != rule.window:
        return (0,) * (rule.window - 1)
    return 0


def _shewhart_structure(ruleset: RuleSet, nsigma: float, func: str):
    """States reachable without a signal and their transitions (from, to, zone)."""
    lo, hi, rep = _zones(ruleset, nsigma)
    rules = ruleset.rules
    start = tuple(_initial(r) for r in rules)
    index = {start: 0}
    frontier = [start]
    src, dst, zone = [], [], []
    while frontier:
        nxt = []
        for state in frontier:
            i = index[state]
            for zi, z in enumerate(rep.tolist()):
                new, fired = [], False
                for r, s in zip(rules, state):
                    ns, f = _rule_step(r, nsigma, s, z)
                    fired = fired or f
                    new.append(ns)
                if fired:
                    continue
                key = tuple(new)
                j = index.get(key)
                if j is None:
                    j = index[key] = len(index)
                    if j >= _MAX_STATES:
                        raise CostError(
                            f"{func} would need a Markov chain of more than {_MAX_STATES:,} "
                            "states for these rules; use fewer or shorter run rules.")
                    nxt.append(key)
                src.append(i)
                dst.append(j)
                zone.append(zi)
        frontier = nxt
    return (np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64),
            np.array(zone, dtype=np.int64), len(index), lo, hi)


def _shewhart_chains(ruleset, nsigma, shifts, func):
    from scipy.sparse import csr_matrix

    src, dst, zone, n, lo, hi = _shewhart_structure(ruleset, nsigma, func)
    out = []
    for mu in shifts.tolist():
        p = _normal_cell(lo, hi, mu)
        q = csr_matrix((p[zone], (src, dst)), shape=(n, n))
        row = np.asarray(q[0].todense()).ravel()
        out.append((row, q))
    return out, n


def _check_rules(rules, func: str) -> RuleSet:
    ruleset = resolve_rules(rules, func)
    if not ruleset.rules:
        v.fail("rules", func, "at least one rule (with no rule the chart never signals)",
               rules)
    bad = [r.code for r in ruleset.rules if r.kind in ("trend", "alternating")]
    if bad:
        v.fail("rules", func, "zone rules only (beyond, m_of_n, within, outside): trend and "
               "alternating patterns depend on the values, not on zones, and have no finite "
               "Markov chain", got=f"rules {', '.join(bad)}")
    for r in ruleset.rules:
        if r.window < 1 or r.count < 1 or r.count > r.window or not np.isfinite(r.k) \
                or r.k < 0:
            v.fail("rules", func, "rules with 1 <= count <= window and a finite k >= 0",
                   got=f"rule {r.code} (window {r.window}, count {r.count}, k {r.k})")
    return ruleset


def arl_shewhart(rules: str | RuleSet | Sequence[Rule] = "limits", *, nsigma: float = 3.0,
                 shift: float | ArrayLike = 0.0) -> RunLength:
    """Exact run length of a Shewhart chart with run rules (Champ & Woodall's Markov chain).

    Each state of the chain is what the rules still need to remember of the past points
    (which zone the last few fell in, the length of the current run); it is built from the
    :class:`RuleSet` itself, so any combination of ``beyond``, ``m_of_n``, ``within`` and
    ``outside`` rules (Western Electric 1–4, Nelson 1, 2, 5–8, your own) is exact.

    Parameters
    ----------
    rules : str, RuleSet or sequence of Rule, default "limits"
        As in the chart functions: ``"limits"`` (rule 1 only), ``"we"`` (Western Electric
        1–4), ``"nelson"`` or a :class:`RuleSet`. Trend and alternating rules (Nelson 3
        and 4) are refused: they have no finite chain.
    nsigma : float, default 3.0
        Width of the control limits in σ (the zone rules keep their own 1σ/2σ zones).
    shift : float or array-like, default 0.0
        Mean shift(s) in σ of the plotted points.

    Returns
    -------
    RunLength

    Raises
    ------
    InvalidParameterError
        If ``rules`` holds a trend/alternating rule or none, or ``nsigma`` is not positive.
    CostError
        If the chain would have more than 200 000 states.

    References
    ----------
    Champ, C. W. and Woodall, W. H. (1987). Exact results for Shewhart control charts with
    supplementary runs rules. *Technometrics* 29(4), 393–399 (rule 1 alone: ARL 370.40;
    rules 1–4: 91.75).

    Examples
    --------
    >>> round(float(arl_shewhart("we").arl[0]), 2)
    91.75
    """
    func = "spc.arl_shewhart"
    nsig = v.check_real(nsigma, "nsigma", func, low=0.0, high=20.0, closed="right")
    ruleset = _check_rules(rules, func)
    shifts = _shifts(shift, func)
    chains, n = _shewhart_chains(ruleset, nsig, shifts, func)
    arl, sd = np.array([_solve_moments(r, q, func, "nsigma") for r, q in chains]
                       ).T.reshape(2, -1)
    return RunLength("shewhart", {"rules": ruleset.codes, "nsigma": nsig, "states": n},
                     shifts, arl, sd, f"exact Markov chain on {n} states (Champ & Woodall "
                     "1987)", tuple(chains))


# ---------------------------------------------------------------------------------------
# EWMA: Nyström / Gauss–Legendre (Crowder 1987)


@functools.lru_cache(maxsize=32)
def _legendre(n: int):
    from scipy.special import roots_legendre  # O(n) asymptotic nodes for large n

    return roots_legendre(n)


def _gauss(a: float, b: float, n: int):
    x, w = _legendre(n)
    return (b - a) / 2 * x + (a + b) / 2, (b - a) / 2 * w


def _ewma_nodes(lam: float, c: float) -> int:
    return int(min(400, max(48, np.ceil(6.0 * 2.0 * c / lam) + 24)))


def _ewma_chain(lam: float, L: float, mu: float, n: int):
    from scipy.stats import norm

    c = L * np.sqrt(lam / (2.0 - lam))
    x, w = _gauss(-c, c, n)
    k = w[None, :] / lam * norm.pdf((x[None, :] - (1.0 - lam) * x[:, None]) / lam - mu)
    row = w / lam * norm.pdf(x / lam - mu)  # from the start value 0
    return row, k


def _check_nodes(nodes, func):
    if nodes is None:
        return None
    return v.check_int(nodes, "nodes", func, low=8, high=400)


def arl_ewma(lam: float, L: float, *, shift: float | ArrayLike = 0.0,
             nodes: int | None = None) -> RunLength:
    """Run length of an EWMA chart with asymptotic limits ``±L σ √(λ/(2-λ))``, started at μ0.

    The ARL solves the integral equation of the EWMA's Markov process (Crowder 1987),
    discretised on Gauss–Legendre nodes (the Nyström method) — the limit of the Lucas &
    Saccucci (1990) Markov chain as its number of states grows; the same discretisation gives
    the SD and the distribution.

    Parameters
    ----------
    lam : float
        Smoothing weight λ in (0, 1] (1 is a Shewhart chart with limits ``±L``).
    L : float
        Limit width in σ of the EWMA statistic.
    shift : float or array-like, default 0.0
        Mean shift(s) in σ of the observations.
    nodes : int, optional
        Quadrature nodes (default ``12 c/λ + 24`` between 48 and 400, with ``c`` the
        half-width of the limits: results then agree with twice the nodes to 8 digits).

    Returns
    -------
    RunLength

    Raises
    ------
    InvalidParameterError
        If ``lam`` is outside (0, 1], ``L`` is not positive or ``nodes`` is outside
        [8, 400].

    References
    ----------
    Lucas, J. M. and Saccucci, M. S. (1990). Exponentially weighted moving average control
    schemes: properties and enhancements. *Technometrics* 32(1), 1–12. Crowder, S. V.
    (1987). A simple method for studying run-length distributions of exponentially weighted
    moving average charts. *Technometrics* 29(4), 401–407.

    Examples
    --------
    >>> round(float(arl_ewma(0.1, 2.814).arl[0]))  # Lucas & Saccucci: ARL0 = 500
    500
    """
    func = "spc.arl_ewma"
    lam = v.check_real(lam, "lam", func, low=0.0, high=1.0, closed="right")
    L = v.check_real(L, "L", func, low=0.0, high=20.0, closed="right")
    n = _check_nodes(nodes, func)
    shifts = _shifts(shift, func)
    if n is None:
        n = _ewma_nodes(lam, L * np.sqrt(lam / (2.0 - lam)))
    check_memory(8.0 * shifts.size * n * (n + 2), func, "the chains of every shift")
    chains = [_ewma_chain(lam, L, mu, n) for mu in shifts.tolist()]
    arl, sd = np.array([_solve_moments(r, q, func, "L") for r, q in chains]).T.reshape(2, -1)
    return RunLength("ewma", {"lam": lam, "L": L, "nodes": n}, shifts, arl, sd,
                     f"integral equation, Gauss-Legendre Nystrom with {n} nodes (Crowder "
                     "1987)", tuple(chains))


# ---------------------------------------------------------------------------------------
# CUSUM: Brook & Evans chain with Gauss–Legendre nodes on (0, h] and an atom at 0


def _cusum_nodes(nodes, h: float) -> int:
    return int(min(400, max(64, np.ceil(6.0 * h)))) if nodes is None else nodes


def _cusum_chain(k: float, h: float, mu: float, n: int):
    """Upper CUSUM ``C = max(0, C + x - k)`` with ``x ~ N(mu, 1)``; state 0 is the atom."""
    from scipy.special import ndtr
    from scipy.stats import norm

    x, w = _gauss(0.0, h, n)
    u = np.concatenate([[0.0], x])
    q = np.empty((n + 1, n + 1))
    q[:, 0] = ndtr(k - u - mu)
    q[:, 1:] = w[None, :] * norm.pdf(x[None, :] - u[:, None] + k - mu)
    return q[0].copy(), q


def arl_cusum(k: float = 0.5, h: float = 5.0, *, sides: str = "two",
              shift: float | ArrayLike = 0.0, nodes: int | None = None) -> RunLength:
    """Run length of a tabular CUSUM with reference value ``k`` and decision interval ``h``.

    The one-sided (upper) sum ``C+ = max(0, C+ + x - k)`` is a Markov process with an atom
    at 0 (Brook & Evans 1972); its ARL integral equation is solved on Gauss–Legendre nodes
    on ``(0, h]`` plus the atom. The lower sum is the upper one at ``-shift``. The two-sided
    scheme (signal when either sum exceeds ``h``) combines them as
    ``1/ARL = 1/ARL+ + 1/ARL-`` (Kemp 1971; Lucas & Crosier 1982); it has no SD or
    distribution here.

    Parameters
    ----------
    k : float, default 0.5
        Reference value in σ (half the shift to detect).
    h : float, default 5.0
        Decision interval in σ.
    sides : {"two", "upper", "lower"}, default "two"
        Which sums can signal.
    shift : float or array-like, default 0.0
        Mean shift(s) in σ.
    nodes : int, optional
        Quadrature nodes on ``(0, h]`` (at most 400); default ``max(64, 6 h)`` (64 agree
        with 512 to 10 digits for ``h <= 20``).

    Returns
    -------
    RunLength

    Raises
    ------
    InvalidParameterError
        If ``k`` is negative, ``h`` is not positive, ``sides`` is unknown or ``nodes`` is
        outside [8, 400].

    References
    ----------
    Brook, D. and Evans, D. A. (1972). An approach to the probability distribution of CUSUM
    run length. *Biometrika* 59(3), 539–549. Lucas, J. M. and Crosier, R. B. (1982). Fast
    initial response for CUSUM quality-control schemes. *Technometrics* 24(3), 199–205.
    Montgomery, D. C. (2009). *Introduction to Statistical Quality Control*, 6th ed.,
    Table 9.3 (``k = 0.5``: ``h = 4`` ARL0 168, ``h = 5`` ARL0 465).

    Examples
    --------
    >>> r = arl_cusum(0.5, 4.0, shift=[0.0, 1.0])
    >>> r.arl.round(2).tolist()  # Montgomery Table 9.3: 168 and 8.38
    [167.68, 8.38]
    """
    func = "spc.arl_cusum"
    k = v.check_real(k, "k", func, low=0.0, high=20.0)
    h = v.check_real(h, "h", func, low=0.0, high=100.0, closed="right")
    v.check_option(sides, "sides", func, ("two", "upper", "lower"))
    n = _cusum_nodes(_check_nodes(nodes, func), h)
    shifts = _shifts(shift, func)
    check_memory(8.0 * shifts.size * (n + 1) * (n + 3), func, "the chains of every shift")
    params = {"k": k, "h": h, "sides": sides, "nodes": n}
    method = f"Brook & Evans chain, Gauss-Legendre Nystrom with {n} nodes and an atom at 0"
    if sides != "two":
        sign = 1.0 if sides == "upper" else -1.0
        chains = [_cusum_chain(k, h, sign * mu, n) for mu in shifts.tolist()]
        arl, sd = np.array([_solve_moments(r, q, func, "h") for r, q in chains]
                           ).T.reshape(2, -1)
        return RunLength("cusum", params, shifts, arl, sd, method, tuple(chains))
    # a side that (numerically) never signals adds nothing to 1/ARL
    up = np.array([_solve_moments(*_cusum_chain(k, h, mu, n), func, "h", False)[0]
                   for mu in shifts.tolist()])
    down = np.array([_solve_moments(*_cusum_chain(k, h, -mu, n), func, "h", False)[0]
                     for mu in shifts.tolist()])
    with np.errstate(divide="ignore"):
        arl = 1.0 / (1.0 / up + 1.0 / down)
    return RunLength("cusum", params, shifts, arl, np.full(shifts.size, np.nan),
                     method + "; two-sided by 1/ARL = 1/ARL+ + 1/ARL- (Lucas & Crosier 1982)",
                     (None,) * shifts.size)


# ---------------------------------------------------------------------------------------
# limits for a target in-control ARL


def _solve(arl_at, lo: float, hi: float, step: float, target: float, name: str,
           func: str) -> float:
    """Root of ``log ARL(x) = log target`` for ``x`` in [lo, hi]; the bracket grows by
    ``step`` from ``lo`` so that no huge (ill-conditioned) ARL is ever computed."""
    from scipy.optimize import brentq

    goal = np.log(target)
    a, f_a = lo, np.log(arl_at(lo))
    f_lo = f_a
    b, f_b = a, f_a
    while f_b < goal and b < hi:
        a, f_a = b, f_b
        b = min(hi, b + step)
        f_b = np.log(arl_at(b))
        if not np.isfinite(f_b):
            break
    if not (np.isfinite(f_a) and np.isfinite(f_b) and f_a <= goal <= f_b):
        v.fail("target_arl", func, f"an in-control ARL this design can reach by moving "
               f"{name} in [{lo:g}, {hi:g}] (ARL {np.exp(f_lo):.4g} at {name} = {lo:g}, "
               f"{np.exp(f_b):.4g} at {name} = {b:g})", target)
    if f_a == goal:
        return float(a)
    return float(brentq(lambda x: np.log(arl_at(x)) - goal, a, b, xtol=1e-10, rtol=1e-12))


def _target(target_arl, func):
    return v.check_real(target_arl, "target_arl", func, low=1.0, high=1e7, closed="neither")


def shewhart_limit(target_arl: float = 370.4, rules: str | RuleSet | Sequence[Rule] = "limits"
                   ) -> float:
    """Limit width ``nsigma`` giving a target in-control ARL with the chosen run rules.

    Parameters
    ----------
    target_arl : float, default 370.4
        Wanted in-control ARL (mean periods between false alarms).
    rules : str, RuleSet or sequence of Rule, default "limits"
        As in :func:`arl_shewhart`; the zone rules keep their 1σ/2σ zones, so with many
        rules some targets are out of reach (the error says which).

    Returns
    -------
    float

    Raises
    ------
    InvalidParameterError
        If ``target_arl`` is not above 1 or cannot be reached with ``nsigma`` in
        [0.5, 6].

    Examples
    --------
    >>> round(shewhart_limit(500.0), 4)   # two-sided normal quantile at 1 - 1/1000
    3.0902
    """
    func = "spc.shewhart_limit"
    target = _target(target_arl, func)
    ruleset = _check_rules(rules, func)
    def arl_at(ns):
        chains, _ = _shewhart_chains(ruleset, ns, np.zeros(1), func)
        return _solve_moments(*chains[0], func, "nsigma")[0]

    return _solve(arl_at, 0.5, 6.0, 0.5, target, "nsigma", func)


def ewma_limit(lam: float, target_arl: float = 370.4, *, nodes: int | None = None) -> float:
    """Limit width ``L`` of an EWMA chart (asymptotic limits) for a target in-control ARL.

    Parameters
    ----------
    lam : float
        Smoothing weight in (0, 1].
    target_arl : float, default 370.4
        Wanted in-control ARL.
    nodes : int, optional
        Quadrature nodes, as in :func:`arl_ewma`.

    Returns
    -------
    float

    Raises
    ------
    InvalidParameterError
        If ``lam`` is outside (0, 1] or ``target_arl`` cannot be reached with ``L`` in
        [0.1, 6].

    References
    ----------
    Lucas & Saccucci (1990), Table 3 / Montgomery (2009) Table 9.11: ``ARL0 = 500`` needs
    ``L = 2.814`` at ``λ = 0.1`` and ``L = 2.962`` at ``λ = 0.2``.

    Examples
    --------
    >>> round(ewma_limit(0.1, 500.0), 3)
    2.814
    """
    func = "spc.ewma_limit"
    lam = v.check_real(lam, "lam", func, low=0.0, high=1.0, closed="right")
    target = _target(target_arl, func)
    n = _check_nodes(nodes, func)

    def arl_at(L):
        m = n if n is not None else _ewma_nodes(lam, L * np.sqrt(lam / (2.0 - lam)))
        return _solve_moments(*_ewma_chain(lam, L, 0.0, m), func, "L")[0]

    return _solve(arl_at, 0.1, 6.0, 0.5, target, "L", func)


def cusum_limit(k: float = 0.5, target_arl: float = 370.4, *, sides: str = "two",
                nodes: int | None = None) -> float:
    """Decision interval ``h`` of a tabular CUSUM for a target in-control ARL.

    Parameters
    ----------
    k : float, default 0.5
        Reference value in σ.
    target_arl : float, default 370.4
        Wanted in-control ARL.
    sides : {"two", "upper", "lower"}, default "two"
        As in :func:`arl_cusum`.
    nodes : int, optional
        Quadrature nodes, as in :func:`arl_cusum`.

    Returns
    -------
    float

    Raises
    ------
    InvalidParameterError
        If ``k`` is negative, ``sides`` is unknown or ``target_arl`` cannot be reached with
        ``h`` in [0.01, 50].

    Examples
    --------
    >>> round(cusum_limit(0.5, 465.0), 2)   # Montgomery Table 9.3: h = 5 gives 465
    5.0
    """
    func = "spc.cusum_limit"
    k = v.check_real(k, "k", func, low=0.0, high=20.0)
    target = _target(target_arl, func)
    v.check_option(sides, "sides", func, ("two", "upper", "lower"))
    n = _check_nodes(nodes, func)

    def arl_at(h):
        up = _solve_moments(*_cusum_chain(k, h, 0.0, _cusum_nodes(n, h)), func, "h")[0]
        return up / 2.0 if sides == "two" else up

    return _solve(arl_at, 0.01, 50.0, 1.0, target, "h", func)
