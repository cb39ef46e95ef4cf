"""Monitoring at scale: many charts (KPIs × segments) with fixed limits, streamed updates
and false-discovery-rate control across charts.

:meth:`Monitor.from_baseline` fixes, from a baseline, the target and σ of every chart and
one design for all of them (Shewhart with run rules, EWMA or CUSUM; optionally solved for a
target in-control ARL), and returns a :class:`Monitor`. ``Monitor.update(new_points)`` returns a
:class:`MonitorUpdate` (statistics, per-chart per-period p-values, rule signals and, with
``fdr=q``, the Benjamini–Hochberg decisions across charts at each period) that holds the
*new* monitor in ``.monitor``: nothing is refitted and nothing is changed in place, so a
monitor can be shared between threads and any state can be replayed.

p-values (each is valid, i.e. ``P(p <= a) <= a`` for an in-control chart):

* Shewhart: ``p = 2 Φ(-|z|)`` with ``z = (x - μ0)/σ`` — exact.
* EWMA: ``p = 2 Φ(-|E - μ0| / σ_E)`` with the asymptotic ``σ_E = σ √(λ/(2-λ))`` — the
  EWMA's variance only grows towards it, so this is exact in the limit and conservative
  before.
* CUSUM: ``p = min(1, 2 min(G(C+/σ), G(C-/σ)))`` where ``G(c) = P(M >= c)`` is the
  survival function of the stationary in-control sum ``M = sup_n S_n`` (random walk with
  steps ``x - k``), solved once by Gauss–Legendre quadrature; a sum started at 0 (or
  reset) is stochastically smaller than ``M``, so this is conservative (needs
  ``k >= 0.05``).

Autocorrelated KPIs: ``residuals="ar1"`` fits ``x_t - μ = φ (x_{t-1} - μ) + e_t`` per chart
on the baseline and charts the one-step residuals ``e_t`` (σ is their standard deviation);
the last observation is part of the state. For other models chart forecast residuals
yourself, e.g. ``cxpath.forecast.auto_ets(y, h, m).residuals``, with ``residuals="none"``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _validate as v
from .._budget import check_memory
from .._results import Result, result
from .arl import (
    RunLength,
    _check_rules,
    _gauss,
    arl_cusum,
    arl_ewma,
    arl_shewhart,
    cusum_limit,
    ewma_limit,
    shewhart_limit,
)
from .constants import _d2
from .rules import KINDS, RuleSet, resolve_rules, rule_kernel

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .._typing import ArrayLike
    from .rules import Rule

__all__ = ["Monitor", "MonitorUpdate", "benjamini_hochberg"]

_CHARTS = ("shewhart", "ewma", "cusum")


def benjamini_hochberg(p_values: ArrayLike, q: float = 0.05) -> np.ndarray:
    """Benjamini–Hochberg step-up decisions at false-discovery rate ``q``, along the last axis.

    With ``m`` p-values sorted ``p_(1) <= … <= p_(m)``, rejects the ``r`` smallest where
    ``r`` is the largest ``i`` with ``p_(i) <= q i / m``. For independent (or positively
    dependent) valid p-values the expected share of false discoveries is at most
    ``q m0 / m``. A 2-D input is one family per row (e.g. periods × charts).

    Parameters
    ----------
    p_values : array-like of float
        p-values in [0, 1], 1-D or 2-D.
    q : float, default 0.05
        Target false-discovery rate in (0, 1).

    Returns
    -------
    numpy.ndarray of bool
        Same shape as ``p_values``: True where rejected.

    Raises
    ------
    DataError
        If a p-value is NaN or outside [0, 1].
    InvalidParameterError
        If ``q`` is outside (0, 1) or the input is not 1-D or 2-D.

    References
    ----------
    Benjamini, Y. and Hochberg, Y. (1995). Controlling the false discovery rate: a practical
    and powerful approach to multiple testing. *JRSS B* 57(1), 289–300.

    Examples
    --------
    >>> benjamini_hochberg([0.01, 0.04, 0.03, 0.20], q=0.05).tolist()
    [True, False, False, False]
    >>> benjamini_hochberg([0.01, 0.02, 0.03, 0.04], q=0.05).tolist()
    [True, True, True, True]
    """
    func = "spc.benjamini_hochberg"
    nd = v.ndim(p_values)
    if nd not in (1, 2):
        v.fail("p_values", func, "a 1-D or 2-D array of p-values",
               got=f"{nd}-dimensional input" if nd >= 0 else "ragged input")
    p = v.as_float_array(p_values, "p_values", func, ndim=nd, low=0.0, high=1.0)
    q = v.check_real(q, "q", func, low=0.0, high=1.0, closed="neither")
    return _bh(p, q)


def _bh(p: np.ndarray, q: float) -> np.ndarray:
    m = p.shape[-1]
    order = np.argsort(p, axis=-1, kind="stable")
    ranked = np.take_along_axis(p, order, axis=-1)
    ok = ranked <= q * np.arange(1, m + 1) / m
    last = np.where(ok.any(axis=-1), m - 1 - np.argmax(ok[..., ::-1], axis=-1), -1)
    keep = np.arange(m) <= last[..., None]
    out = np.zeros_like(keep)
    np.put_along_axis(out, order, keep, axis=-1)
    return out


# ---------------------------------------------------------------------------------------
# the monitor


@result
class Monitor(Result):
    """Fixed limits and running state of many charts; ``update`` streams new periods.

    A monitor never changes: :meth:`update` returns a :class:`MonitorUpdate` whose
    ``monitor`` is the next state, so there is no hidden state to share between threads.

    Attributes
    ----------
    names : numpy.ndarray of str
        Chart names (one per KPI × segment).
    chart : str
        ``"shewhart"``, ``"ewma"`` or ``"cusum"``.
    design : dict
        ``nsigma`` and ``rules`` (Shewhart), ``lam`` and ``L`` (EWMA), ``k``, ``h`` and
        ``reset`` (CUSUM), ``residuals`` and ``fdr``.
    target, sigma : numpy.ndarray
        μ0 and σ of the charted points, per chart (σ of the residuals with ``"ar1"``).
    phi : numpy.ndarray
        AR(1) coefficient per chart (0 without ``residuals="ar1"``).
    last : numpy.ndarray
        Last observation per chart (the AR(1) lag; NaN before any).
    state : numpy.ndarray
        Per chart: the EWMA value (EWMA), ``[C+, C-, N+, N-]`` (CUSUM) or the last
        standardised points the run rules still need (Shewhart, oldest first).
    periods : int
        Number of periods monitored so far (the period index of the next point).
    arl0 : float
        In-control ARL of the design (mean periods between false alarms of one chart);
        NaN with trend or alternating rules (no exact chain), infinite with no rules.
    statistic : numpy.ndarray
        Current standardised statistic per chart (its table column).
    tail : tuple
        CUSUM only: a grid and the log of the stationary survival function on it, used for
        p-values (empty otherwise).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> m = Monitor.from_baseline(rng.normal(10.0, 1.0, size=(50, 3)),
    ...                           names=["a", "b", "c"])
    >>> step = m.update([[10.2, 9.1, 15.0]])
    >>> step.rules.tolist()
    ['', '', 'WE1']
    >>> step.monitor.periods
    1
    """

    names: np.ndarray
    chart: str
    design: dict
    target: np.ndarray
    sigma: np.ndarray
    phi: np.ndarray
    last: np.ndarray
    state: np.ndarray
    periods: int
    arl0: float
    tail: tuple = ()

    _key = "name"

    def _title(self) -> str:
        return f"Monitor {self.chart} ({self.names.size} charts, {self.periods} periods)"

    def _summary(self) -> list[str]:
        d = self.design
        if self.chart == "shewhart":
            what = f"rules {', '.join(d['rules'])}, nsigma {d['nsigma']:.4g}"
        elif self.chart == "ewma":
            what = f"lam {d['lam']:g}, L {d['L']:.4g}"
        else:
            what = f"k {d['k']:g}, h {d['h']:.4g}"
        fdr = f"; FDR q = {d['fdr']:g} across charts" if d["fdr"] is not None else ""
        return [f"{what}; in-control ARL {self.arl0:.4g}; residuals {d['residuals']}{fdr}"]

    @property
    def name(self) -> np.ndarray:
        """``names`` under its column name."""
        return self.names

    @property
    def statistic(self) -> np.ndarray:
        """The current standardised statistic per chart (NaN for Shewhart before any point)."""
        if self.chart == "ewma":
            return (self.state[:, 0] - self.target) / self._sd_stat()
        if self.chart == "cusum":
            return np.maximum(self.state[:, 0], self.state[:, 1]) / self.sigma
        if self.state.shape[1] == 0 or self.periods == 0:
            return np.full(self.names.size, np.nan)
        return self.state[:, -1].copy()

    def _columns(self) -> dict:
        return {"name": self.names, "target": self.target, "sigma": self.sigma,
                "phi": self.phi, "statistic": self.statistic}

    def _sd_stat(self) -> np.ndarray:
        lam = self.design["lam"]
        return self.sigma * np.sqrt(lam / (2.0 - lam))

    @classmethod
    def from_baseline(cls, baseline: ArrayLike | Mapping[str, ArrayLike], *,
                      chart: str = "shewhart", names: Sequence[str] | None = None,
                      rules: str | RuleSet | Sequence[Rule] = "we", nsigma: float = 3.0,
                      lam: float = 0.2, L: float = 3.0, k: float = 0.5, h: float = 5.0,
                      reset: bool = False, target_arl: float | None = None,
                      target: ArrayLike | None = None, sigma: ArrayLike | None = None,
                      residuals: str = "none", fdr: float | None = None) -> Monitor:
        """Fix limits for many charts from a baseline and return a streaming :class:`Monitor`.

        Parameters
        ----------
        baseline : array-like (periods × charts) or mapping of name to series
            In-control history of every chart (equal lengths, at least 3 periods). A 1-D
            array is one chart.
        chart : {"shewhart", "ewma", "cusum"}, default "shewhart"
            Chart type of every series.
        names : sequence of str, optional
            Chart names for an array baseline (default ``"0"``, ``"1"`` …).
        rules : str, RuleSet or sequence of Rule, default "we"
            Shewhart run rules (as in :func:`run_rules`).
        nsigma : float, default 3.0
            Shewhart limit width.
        lam, L : float, default 0.2 and 3.0
            EWMA weight and limit width (asymptotic limits ``μ0 ± L σ √(λ/(2-λ))``).
        k, h : float, default 0.5 and 5.0
            CUSUM reference value (at least 0.05, for the p-values) and decision interval
            in σ.
        reset : bool, default False
            CUSUM: restart a sum at 0 after it signals.
        target_arl : float, optional
            Wanted in-control ARL per chart: solves ``nsigma``, ``L`` or ``h`` (replacing the
            value given) with :func:`shewhart_limit`, :func:`ewma_limit` or
            :func:`cusum_limit`.
        target, sigma : float or array-like, optional
            μ0 and σ of the charted points per chart; default the baseline mean and
            ``MR̄/d2(2)`` (the standard deviation of the residuals with ``"ar1"``).
        residuals : {"none", "ar1"}, default "none"
            ``"ar1"`` charts one-step residuals of an AR(1) fitted per chart to the baseline
            (for autocorrelated daily KPIs).
        fdr : float, optional
            False-discovery rate ``q``: each update also applies Benjamini–Hochberg across
            charts within every period (``fdr_signal``).

        Returns
        -------
        Monitor

        Raises
        ------
        DataError
            If the baseline holds NaN or infinity, is shorter than 3 periods or a chart is
            constant.
        InvalidParameterError
            For an unknown ``chart``/``residuals``, bad limits, or a ``target_arl`` out of
            reach.

        Examples
        --------
        >>> import numpy as np
        >>> base = np.random.default_rng(3).normal(100.0, 5.0, size=(60, 4))
        >>> m = Monitor.from_baseline(base, chart="ewma", lam=0.1, target_arl=500.0, fdr=0.1)
        >>> round(m.design["L"], 3), round(m.arl0)
        (2.814, 500)
        """
        return _from_baseline(baseline, chart=chart, names=names, rules=rules, nsigma=nsigma,
                              lam=lam, L=L, k=k, h=h, reset=reset, target_arl=target_arl,
                              target=target, sigma=sigma, residuals=residuals, fdr=fdr)

    def run_length(self, shift: float | ArrayLike = 0.0) -> RunLength:
        """Run length of one chart of this design at a mean shift (in σ of charted points).

        Examples
        --------
        >>> import numpy as np
        >>> base = np.random.default_rng(0).normal(size=(30, 2))
        >>> m = Monitor.from_baseline(base, chart="cusum", h=4.0)
        >>> m.run_length([0.0, 1.0]).arl.round(2).tolist()
        [167.68, 8.38]
        """
        d = self.design
        if self.chart == "shewhart":
            return arl_shewhart(RuleSet(d["ruleset"]), nsigma=d["nsigma"], shift=shift)
        if self.chart == "ewma":
            return arl_ewma(d["lam"], d["L"], shift=shift)
        return arl_cusum(d["k"], d["h"], shift=shift)

    def update(self, new_points: ArrayLike | Mapping[str, ArrayLike]) -> MonitorUpdate:
        """Monitor new periods with the fixed limits; returns the signals and the next state.

        Parameters
        ----------
        new_points : array-like or mapping
            One period (1-D, one value per chart), several (2-D, periods × charts) or a
            mapping ``{name: values}`` holding every chart.

        Returns
        -------
        MonitorUpdate
            Its ``monitor`` is the state after these points; this monitor is unchanged.

        Raises
        ------
        DataError
            If a value is NaN or infinite, or the shape does not match the charts.

        Examples
        --------
        >>> import numpy as np
        >>> base = np.random.default_rng(2).normal(size=(40, 2))
        >>> m = Monitor.from_baseline(base, chart="ewma", lam=0.2, L=3.0)
        >>> s = m.update([[0.1, 3.0], [0.0, 4.0]])
        >>> s.rules.tolist()
        ['', '', '', 'EWMA']
        """
        func = "spc.Monitor.update"
        x = _points(new_points, self.names, func)
        check_memory(x.size * 8.0 * 8, func, "the update table")
        return _advance(self, x)


@result
class MonitorUpdate(Result):
    """What one :meth:`Monitor.update` found: one row per (period, chart).

    Attributes
    ----------
    period : numpy.ndarray of int
        Period index since monitoring began (0 is the first point after the baseline).
    chart : numpy.ndarray of str
        Chart name.
    value : numpy.ndarray
        The observation.
    statistic : numpy.ndarray
        Standardised statistic: ``z`` (Shewhart, of the residual with ``"ar1"``),
        ``(E - μ0)/σ_E`` (EWMA) or ``max(C+, C-)/σ`` (CUSUM).
    p_value : numpy.ndarray
        Per-chart per-period p-value (see :mod:`cxpath.spc.monitor` for each chart type).
    rules : numpy.ndarray of str
        Codes of the rules that fired (comma-separated, empty when none).
    fdr_signal : numpy.ndarray of bool or None
        Benjamini–Hochberg rejection across charts within the period (``fdr=q`` monitors).
    monitor : Monitor
        The state after these points.
    """

    period: np.ndarray
    chart: np.ndarray
    value: np.ndarray
    statistic: np.ndarray
    p_value: np.ndarray
    rules: np.ndarray
    fdr_signal: np.ndarray | None
    monitor: Monitor

    _key = ("period", "chart")

    def _title(self) -> str:
        n = int(self.signalled.sum())
        return f"MonitorUpdate ({np.unique(self.period).size} periods, {n} rule signal(s))"

    def _columns(self) -> dict:
        cols = {"period": self.period, "chart": self.chart, "value": self.value,
                "statistic": self.statistic, "p_value": self.p_value, "rules": self.rules}
        if self.fdr_signal is not None:
            cols["fdr_signal"] = self.fdr_signal
        return cols

    @property
    def signalled(self) -> np.ndarray:
        """Boolean per row: a rule fired."""
        return self.rules != ""


# ---------------------------------------------------------------------------------------
# building a monitor


def _from_baseline(baseline: ArrayLike | Mapping[str, ArrayLike], *, chart: str = "shewhart",
            names: Sequence[str] | None = None,
            rules: str | RuleSet | Sequence[Rule] = "we", nsigma: float = 3.0,
            lam: float = 0.2, L: float = 3.0, k: float = 0.5, h: float = 5.0,
            reset: bool = False, target_arl: float | None = None,
            target: ArrayLike | None = None, sigma: ArrayLike | None = None,
            residuals: str = "none", fdr: float | None = None) -> Monitor:
    func = "spc.Monitor.from_baseline"
    v.check_option(chart, "chart", func, _CHARTS)
    v.check_option(residuals, "residuals", func, ("none", "ar1"))
    x, labels = _baseline(baseline, names, func)
    reset = v.check_bool(reset, "reset", func)
    q = None if fdr is None else v.check_real(fdr, "fdr", func, low=0.0, high=1.0,
                                               closed="neither")
    tgt = None if target_arl is None else v.check_real(target_arl, "target_arl", func,
                                                        low=1.0, high=1e7, closed="neither")
    design: dict[str, Any] = {"residuals": residuals, "fdr": q}
    if chart == "shewhart":
        ruleset = resolve_rules(rules, func)
        exact = not any(r.kind in ("trend", "alternating") for r in ruleset.rules)
        if tgt is not None:
            _check_rules(ruleset, func)
        ns = (v.check_real(nsigma, "nsigma", func, low=0.0, high=20.0, closed="right")
              if tgt is None else shewhart_limit(tgt, ruleset))
        design.update(rules=ruleset.codes, ruleset=ruleset.rules, nsigma=ns)
        arl0 = (float("inf") if not ruleset.rules else float("nan") if not exact
                else float(arl_shewhart(ruleset, nsigma=ns).arl[0]))
        width = max([r.window for r in ruleset.rules] + [1]) - 1
    elif chart == "ewma":
        lam = v.check_real(lam, "lam", func, low=0.0, high=1.0, closed="right")
        LL = (v.check_real(L, "L", func, low=0.0, high=20.0, closed="right")
              if tgt is None else ewma_limit(lam, tgt))
        design.update(lam=lam, L=LL)
        arl0 = float(arl_ewma(lam, LL).arl[0])
    else:
        kk = v.check_real(k, "k", func, low=0.05, high=20.0)
        hh = (v.check_real(h, "h", func, low=0.0, high=100.0, closed="right")
              if tgt is None else cusum_limit(kk, tgt))
        design.update(k=kk, h=hh, reset=reset)
        arl0 = float(arl_cusum(kk, hh).arl[0])
    n_charts = x.shape[1]
    mu = x.mean(axis=0)
    if target is not None:
        mu = _per_chart(target, "target", func, n_charts)
    phi = np.zeros(n_charts)
    charted = x
    if residuals == "ar1":
        phi = _ar1(x, mu)
        charted = (x[1:] - mu) - phi * (x[:-1] - mu) + mu
    if sigma is not None:
        sig = _per_chart(sigma, "sigma", func, n_charts, positive=True)
    elif residuals == "ar1":
        sig = np.sqrt(((charted - mu) ** 2).sum(axis=0) / max(charted.shape[0] - 1, 1))
    else:
        sig = np.abs(np.diff(charted, axis=0)).mean(axis=0) / _d2(2)
    bad = np.flatnonzero(~(sig > 0))
    if bad.size:
        v.fail("baseline", func, "charts that vary over the baseline (the sigma estimate is "
               "0); pass sigma", got=f"a constant chart {labels[bad[0]]!r}", data=True)
    if chart == "shewhart":
        state = np.zeros((n_charts, width))
    elif chart == "ewma":
        state = mu.reshape(-1, 1).copy()
    else:
        state = np.zeros((n_charts, 4))
    tail = _cusum_tail(design["k"], func) if chart == "cusum" else ()
    return Monitor(labels, chart, design, mu, sig, phi, x[-1].copy(), state, 0, arl0, tail)


def _baseline(baseline, names, func):
    if isinstance(baseline, Mapping):
        if names is not None:
            v.fail("names", func, "None when the baseline is a mapping (its keys are the "
                   "names)", names)
        if not baseline:
            v.fail("baseline", func, "a mapping with at least one chart", baseline)
        labels = [str(key) for key in baseline]
        cols = [v.as_float_array(baseline[key], "baseline", func) for key in baseline]
        if len({c.size for c in cols}) != 1:
            v.fail("baseline", func, "series of equal length", got="lengths "
                   + v.show_list([c.size for c in cols]), data=True)
        x = np.column_stack(cols)
    else:
        nd = v.ndim(baseline)
        if nd not in (1, 2):
            v.fail("baseline", func, "a 1-D series or a 2-D array (periods × charts) or a "
                   "mapping of name to series",
                   got=f"{nd}-dimensional input" if nd >= 0 else "ragged input")
        x = v.as_float_array(baseline, "baseline", func, ndim=nd)
        if nd == 1:
            x = x.reshape(-1, 1)
        if names is None:
            labels = [str(i) for i in range(x.shape[1])]
        else:
            if isinstance(names, str) or v.ndim(names) != 1:
                v.fail("names", func, "a sequence of chart names", names)
            labels = [str(s) for s in names]
            if len(labels) != x.shape[1]:
                v.fail("names", func, f"one name per column of the baseline ({x.shape[1]})",
                       got=f"{len(labels)} names", data=True)
    if len(set(labels)) != len(labels):
        v.fail("names", func, "unique chart names", got=v.show_list(labels))
    if x.shape[0] < 3:
        v.fail("baseline", func, "at least 3 periods", got=f"{x.shape[0]} period(s)",
               data=True)
    if x.shape[1] < 1:
        v.fail("baseline", func, "at least one chart", got="0 columns", data=True)
    check_memory(x.size * 8.0 * 6, func, "the baseline estimates")
    return x, np.array(labels, dtype=object)


def _per_chart(value, name, func, n, positive=False):
    arr = v.as_float_array(np.atleast_1d(v.array(value, name, func)), name, func,
                           low=0.0 if positive else None,
                           closed="neither" if positive else "both")
    if arr.size == 1:
        return np.full(n, arr[0])
    if arr.size != n:
        v.fail(name, func, f"a scalar or one value per chart ({n})", got=f"length {arr.size}",
               data=True)
    return arr


def _ar1(x, mu):
    d = x - mu
    num = (d[1:] * d[:-1]).sum(axis=0)
    den = (d[:-1] ** 2).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        phi = np.where(den > 0, num / den, 0.0)
    return np.clip(phi, -0.99, 0.99)


def _cusum_tail(k: float, func: str) -> tuple:
    """``(grid, log G(grid))`` for ``G(c) = P(M >= c)``, ``M = sup_n S_n`` (steps ``x - k``).

    ``G(c) = P(Y > c) + ∫_0^∞ G(u) f_Y(c - u) du`` with ``Y = X - k``, ``X ~ N(0, 1)``, is
    solved by the Nyström method on Gauss–Legendre nodes over ``[0, 12/k]`` (``G`` there is
    about ``e^-24``; ``k >= 0.05``) and evaluated on a fine grid, where ``log G`` is
    interpolated.
    """
    from scipy.special import ndtr
    from scipy.stats import norm

    cmax = min(120.0, 12.0 / k)
    n = int(min(600, max(64, np.ceil(5.0 * cmax))))
    x, w = _gauss(0.0, cmax, n)
    a = w[None, :] * norm.pdf(x[:, None] - x[None, :] + k)
    g = np.linalg.solve(np.eye(n) - a, ndtr(-(x + k)))
    grid = np.linspace(0.0, cmax, int(min(6001, max(2001, 100 * cmax))))
    vals = ndtr(-(grid + k)) + (norm.pdf(grid[:, None] - x[None, :] + k) * w) @ g
    vals[0] = 1.0  # P(M >= 0) = 1 (the atom at 0 included)
    return (grid, np.log(np.clip(vals, 1e-300, 1.0)))


def _cusum_p(tail, c):
    """``G(c)``: 1 at ``c = 0``, log-linear interpolation on the grid, 0 beyond it."""
    grid, logg = tail
    out = np.exp(np.interp(c, grid[1:], logg[1:], right=-np.inf))
    return np.where(c > 0, np.minimum(out, 1.0), 1.0)


# ---------------------------------------------------------------------------------------
# streaming


def _points(new_points, names, func):
    n = names.size
    if isinstance(new_points, Mapping):
        keys = [str(key) for key in new_points]
        if sorted(keys) != sorted(names.tolist()):
            v.fail("new_points", func, "a mapping holding every chart name exactly once",
                   got=v.show_list(keys), data=True)
        lookup = {str(key): val for key, val in new_points.items()}
        cols = [v.as_float_array(np.atleast_1d(v.array(lookup[nm], "new_points", func)),
                                 "new_points", func) for nm in names.tolist()]
        if len({c.size for c in cols}) != 1:
            v.fail("new_points", func, "series of equal length", got="lengths "
                   + v.show_list([c.size for c in cols]), data=True)
        return np.column_stack(cols)
    nd = v.ndim(new_points)
    if nd not in (1, 2):
        v.fail("new_points", func, "one period (1-D) or periods × charts (2-D)",
               got=f"{nd}-dimensional input" if nd >= 0 else "ragged input")
    x = v.as_float_array(new_points, "new_points", func, ndim=nd)
    if nd == 1:
        x = x.reshape(1, -1)
    if x.shape[1] != n:
        v.fail("new_points", func, f"one value per chart ({n} columns)",
               got=f"shape {x.shape}", data=True)
    return x


def _advance(m: Monitor, x: np.ndarray) -> MonitorUpdate:
    from scipy.special import ndtr

    n_new, n_charts = x.shape
    d = m.design
    mu, sig = m.target, m.sigma
    if d["residuals"] == "ar1":
        lagged = np.vstack([m.last.reshape(1, -1), x[:-1]])
        y = (x - mu) - m.phi * (lagged - mu) + mu
    else:
        y = x
    rules = np.full((n_new, n_charts), "", dtype=object)
    if m.chart == "shewhart":
        z = (y - mu) / sig
        stat = z
        p = 2.0 * ndtr(-np.abs(z))
        state = _shewhart_rules(m, z, rules)
    elif m.chart == "ewma":
        lam, sd = d["lam"], m._sd_stat()
        e = np.empty_like(y)
        prev = m.state[:, 0].copy()
        for t in range(n_new):
            prev = lam * y[t] + (1.0 - lam) * prev
            e[t] = prev
        stat = (e - mu) / sd
        p = 2.0 * ndtr(-np.abs(stat))
        rules[np.abs(stat) > d["L"]] = "EWMA"
        state = prev.reshape(-1, 1)
    else:
        stat, p, state = _cusum_step(m, y, rules)
    fdr = None if d["fdr"] is None else _bh(p, d["fdr"])
    new = Monitor(m.names, m.chart, m.design, m.target, m.sigma, m.phi, x[-1].copy(), state,
                  m.periods + n_new, m.arl0, m.tail)
    period = np.repeat(np.arange(m.periods, m.periods + n_new), n_charts)
    return MonitorUpdate(period, np.tile(m.names, n_new), x.ravel(), stat.ravel(),
                         p.ravel(), rules.ravel(), None if fdr is None else fdr.ravel(), new)


def _shewhart_rules(m: Monitor, z: np.ndarray, rules: np.ndarray) -> np.ndarray:
    ruleset = m.design["ruleset"]
    width = m.state.shape[1]
    have = min(m.periods, width)
    kinds = np.array([KINDS.index(r.kind) for r in ruleset], dtype=np.int64)
    windows = np.array([r.window for r in ruleset], dtype=np.int64)
    counts = np.array([r.count for r in ruleset], dtype=np.int64)
    ks = np.array([m.design["nsigma"] if r.kind == "beyond" else r.k for r in ruleset],
                  dtype=np.float64)
    codes = [r.code for r in ruleset]
    full = np.hstack([m.state[:, width - have:], z.T])  # charts × (have + n_new)
    flag = rule_kernel(full.size * kinds.size)
    for c in range(full.shape[0]):
        flags = flag(np.ascontiguousarray(full[c]), kinds, windows, counts, ks)
        fired = flags[:, have:]
        for t in np.flatnonzero(fired.any(axis=0)).tolist():
            rules[t, c] = ",".join(codes[i] for i in np.flatnonzero(fired[:, t]).tolist())
    state = np.zeros_like(m.state)
    keep = min(width, full.shape[1])
    if keep:
        state[:, width - keep:] = full[:, full.shape[1] - keep:]
    return state


def _cusum_step(m: Monitor, y: np.ndarray, rules: np.ndarray):
    d = m.design
    big_k, big_h = d["k"] * m.sigma, d["h"] * m.sigma
    cu, cl, nu, nl = (m.state[:, i].copy() for i in range(4))
    n_new = y.shape[0]
    up, low = np.empty_like(y), np.empty_like(y)
    for t in range(n_new):
        dev = y[t] - m.target
        cu = np.maximum(0.0, dev - big_k + cu)
        cl = np.maximum(0.0, -dev - big_k + cl)
        nu = np.where(cu > 0, nu + 1, 0)
        nl = np.where(cl > 0, nl + 1, 0)
        up[t], low[t] = cu, cl
        hi_u, hi_l = cu > big_h, cl > big_h
        both = hi_u & hi_l
        rules[t, hi_u & ~hi_l] = "CUSUM+"
        rules[t, hi_l & ~hi_u] = "CUSUM-"
        rules[t, both] = "CUSUM+,CUSUM-"
        if d["reset"]:
            cu, nu = np.where(hi_u, 0.0, cu), np.where(hi_u, 0, nu)
            cl, nl = np.where(hi_l, 0.0, cl), np.where(hi_l, 0, nl)
    stat = np.maximum(up, low) / m.sigma
    p = np.minimum(1.0, 2.0 * np.minimum(_cusum_p(m.tail, up / m.sigma),
                                         _cusum_p(m.tail, low / m.sigma)))
    state = np.column_stack([cu, cl, nu, nl]).astype(np.float64)
    return stat, p, state
