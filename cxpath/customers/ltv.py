"""Customer lifetime value: BG/NBD transactions, Gamma–Gamma spend, CLV and repurchase rate.

* :func:`bgnbd`: the beta-geometric/negative binomial model of repeat transactions (Fader,
  Hardie & Lee 2005) fitted by maximum likelihood, with standard errors from the Hessian;
  :meth:`BGNBDFit.expected_transactions` (per customer, over a horizon),
  :meth:`BGNBDFit.p_alive` and :meth:`BGNBDFit.expected_population` (a new customer).
* :func:`gamma_gamma`: the Gamma–Gamma model of average transaction value (Fader & Hardie
  2013), and :meth:`GammaGammaFit.expected_value` (expected average value per customer).
* :func:`clv`: lifetime value over a horizon with a discount rate, from both fits.
* :func:`repurchase_rate`: the share of customers with a repeat transaction.

Inputs per customer, as arrays or column names of ``data`` (the columns of
:func:`~cxpath.customers.customer_histories`): ``frequency`` (x, the number of repeat
transactions: all but the first), ``span`` (t_x, time from the first to the last
transaction, 0 when x = 0), ``age`` (T, time from the first transaction to the end of
observation, ``>= span``) and ``monetary`` (mean value of the repeat transactions). Times
are in any one unit (weeks for CDNOW); the fitted ``alpha`` and ``gamma`` carry it.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from .. import _validate as v
from .._budget import check_memory
from .._frames import column
from .._lazy import lazy_module
from .._results import Result, result

if TYPE_CHECKING:
    from .._typing import ArrayLike, ColumnLike, TableLike

special = lazy_module("scipy.special")
optimize = lazy_module("scipy.optimize")
stats = lazy_module("scipy.stats")

__all__ = ["CLV", "BGNBDFit", "GammaGammaFit", "RepurchaseRate", "bgnbd", "clv", "gamma_gamma",
           "repurchase_rate", "simulate_customers"]

_BG = "customers.bgnbd"
_GG = "customers.gamma_gamma"
_CLV = "customers.clv"
_RR = "customers.repurchase_rate"


# ----------------------------------------------------------------------------- inputs

def _rfm_inputs(func: str, frequency, span, age, data, weights=None):
    x = v.as_float_array(column(data, frequency, "frequency", func), "frequency", func,
                         low=0.0)
    if (x != np.round(x)).any():
        i = int(np.argmax(x != np.round(x)))
        v.fail("frequency", func, "whole numbers of repeat transactions",
               got=f"{x[i]!r} at position {i}", data=True)
    tx = v.as_float_array(column(data, span, "span", func), "span", func, low=0.0)
    t = v.as_float_array(column(data, age, "age", func), "age", func, low=0.0)
    w = None
    if weights is not None:
        w = v.as_float_array(column(data, weights, "weights", func), "weights", func,
                             low=0.0, closed="right")
    v.check_same_length(func, frequency=x, span=tx, age=t, weights=w)
    bad = tx > t * (1 + 1e-12) + 1e-12
    if bad.any():
        i = int(np.argmax(bad))
        v.fail("span", func, "at most the age of its customer (last transaction before the "
               "end of observation)", got=f"span {tx[i]:g} and age {t[i]:g} at position {i}",
               data=True)
    bad = (x == 0) & (tx > 0)
    if bad.any():
        i = int(np.argmax(bad))
        v.fail("span", func, "0 for a customer without repeat transactions",
               got=f"{tx[i]:g} with frequency 0 at position {i}", data=True)
    bad = (x > 0) & (tx == 0)
    if bad.any():
        i = int(np.argmax(bad))
        v.fail("span", func, "> 0 for a customer with repeat transactions",
               got=f"0 with frequency {x[i]:g} at position {i}", data=True)
    return x, tx, t, np.ones(x.size) if w is None else w


def _hessian(f, theta: np.ndarray) -> np.ndarray:
    """Central-difference Hessian of ``f`` at ``theta``."""
    k = theta.size
    h = 1e-4 * np.maximum(np.abs(theta), 1.0)
    out = np.empty((k, k))
    for i in range(k):
        for j in range(i, k):
            ei, ej = np.eye(k)[i] * h[i], np.eye(k)[j] * h[j]
            val = (f(theta + ei + ej) - f(theta + ei - ej) - f(theta - ei + ej)
                   + f(theta - ei - ej)) / (4 * h[i] * h[j])
            out[i, j] = out[j, i] = val
    return out


def _fit(nll, start: np.ndarray, func: str, max_iter: int):
    """Minimise ``nll`` over log-parameters; estimates and their covariance (delta method)."""
    res = optimize.minimize(nll, np.log(start), method="Nelder-Mead",
                            options={"maxiter": max_iter, "xatol": 1e-9, "fatol": 1e-10,
                                     "adaptive": True})
    res2 = optimize.minimize(nll, res.x, method="BFGS", options={"maxiter": max_iter,
                                                                  "gtol": 1e-7})
    best = res2 if res2.fun <= res.fun and np.isfinite(res2.fun) else res
    if not np.isfinite(best.fun):
        v.fail("data", func, "data the model can be fitted to",
               got="a log-likelihood that is not finite at any parameters tried", data=True)
    theta = np.exp(best.x)
    with np.errstate(all="ignore"):
        hess = _hessian(nll, best.x)
        try:
            cov_log = np.linalg.inv(hess)
        except np.linalg.LinAlgError:
            cov_log = np.full_like(hess, np.nan)
    cov = cov_log * np.outer(theta, theta)
    grad_ok = bool(res.success or res2.success)
    return theta, cov, -float(best.fun), grad_ok, int(res.nit + res2.nit)


def _wald(theta, cov, level):
    se = np.sqrt(np.where(np.diag(cov) > 0, np.diag(cov), np.nan))
    z = float(stats.norm.ppf(0.5 + level / 2))
    return se, theta - z * se, theta + z * se


class _Fit(Result):
    """Shared table of a fitted parameter vector."""

    def _columns(self) -> dict:
        return {"parameter": self.parameter, "estimate": self.estimate,
                "std_error": self.std_error, "lower": self.lower, "upper": self.upper}

    def _value(self, name: str) -> float:
        return float(self.estimate[list(self.parameter).index(name)])


# ----------------------------------------------------------------------------- BG/NBD

def _bg_loglik(theta, x, tx, t):
    """Per-customer log-likelihood of BG/NBD, Fader, Hardie & Lee (2005), eq. 6."""
    r, alpha, a, b = theta
    a1 = special.gammaln(r + x) - special.gammaln(r) + r * math.log(alpha)
    a2 = special.betaln(a, b + x) - special.betaln(a, b)
    a3 = -(r + x) * np.log(alpha + t)
    with np.errstate(divide="ignore", invalid="ignore"):
        a4 = np.where(x > 0, math.log(a) - np.log(np.maximum(b + x - 1, 1e-300))
                      - (r + x) * np.log(alpha + tx), -np.inf)
    return a1 + a2 + np.logaddexp(a3, a4)


@result
class BGNBDFit(_Fit):
    """A fitted BG/NBD model of repeat transactions: one row per parameter.

    Attributes
    ----------
    parameter : ndarray of str
        ``'r'``, ``'alpha'`` (gamma shape and scale of the transaction rates λ), ``'a'``,
        ``'b'`` (beta shape of the dropout probabilities p).
    estimate, std_error : ndarray of float
        Maximum likelihood estimates; standard errors from the inverse of the numerical
        Hessian of the log-likelihood (computed on the log scale, delta method back).
    lower, upper : ndarray of float
        Wald interval ``estimate ∓ z · std_error`` at ``level``.
    covariance : ndarray of float, shape (4, 4)
    log_likelihood : float
        Fader, Hardie & Lee (2005), eq. 6, summed (weighted) over customers.
    n : float
        Number (total weight) of customers.
    converged : bool
    iterations : int
    level : float
    r, alpha, a, b : float
        The estimates by name.

    Notes
    -----
    Each customer buys at a Poisson rate λ ~ Gamma(r, alpha) while alive, and after each
    transaction drops out with probability p ~ Beta(a, b). The predictions are eq. 8
    (:meth:`expected_population`), eq. 10 (:meth:`expected_transactions`) and the
    probability of being alive (:meth:`p_alive`) of the paper; the formulas with
    ``(a + b + x − 1) / (a − 1)`` hold for ``a != 1`` (``a < 1`` included, as the paper's
    CDNOW fit).

    References
    ----------
    Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). "Counting your customers" the easy
    way: an alternative to the Pareto/NBD model. *Marketing Science* 24(2), 275–284.
    """

    parameter: np.ndarray
    estimate: np.ndarray
    std_error: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    covariance: np.ndarray
    log_likelihood: float
    n: float
    converged: bool
    iterations: int
    level: float
    _x: np.ndarray
    _tx: np.ndarray
    _t: np.ndarray

    def _title(self) -> str:
        return "BG/NBD model of repeat transactions"

    def _summary(self) -> list[str]:
        return [f"{self.n:g} customers; log-likelihood {self.log_likelihood:.2f}"
                + ("" if self.converged else "; the optimiser did not report convergence")]

    @property
    def r(self) -> float:
        return self._value("r")

    @property
    def alpha(self) -> float:
        return self._value("alpha")

    @property
    def a(self) -> float:
        return self._value("a")

    @property
    def b(self) -> float:
        return self._value("b")

    def _customers(self, func, frequency, span, age):
        if frequency is None and span is None and age is None:
            return self._x, self._tx, self._t
        if frequency is None or span is None or age is None:
            v.fail("frequency", func, "given with 'span' and 'age' (all three or none)",
                   got="only some of them")
        x, tx, t, _ = _rfm_inputs(func, frequency, span, age, None)
        return x, tx, t

    def p_alive(self, frequency: ArrayLike | None = None, span: ArrayLike | None = None,
                age: ArrayLike | None = None) -> np.ndarray:
        """Probability that each customer is still alive at the end of observation.

        ``1 / (1 + [x > 0] a / (b + x − 1) ((alpha + T) / (alpha + t_x))^(r + x))``; 1 for
        customers without repeat transactions. Default: the fitted customers.

        Examples
        --------
        >>> from cxpath.customers import bgnbd, simulate_customers
        >>> sim = simulate_customers(500, seed=1)
        >>> fit = bgnbd(sim["frequency"], sim["span"], sim["age"])
        >>> fit.p_alive([0, 2, 2], [0.0, 30.43, 5.0], [38.86] * 3).round(3).tolist()
        [1.0, 0.73, 0.108]
        """
        x, tx, t = self._customers("BGNBDFit.p_alive", frequency, span, age)
        return _p_alive(self.estimate, x, tx, t)

    def expected_transactions(self, horizon: float, frequency: ArrayLike | None = None,
                              span: ArrayLike | None = None,
                              age: ArrayLike | None = None) -> np.ndarray:
        """Expected transactions of each customer in the next ``horizon`` time units.

        Fader, Hardie & Lee (2005), eq. 10 (conditional on the customer's x, t_x and T).
        Default: the fitted customers.

        Examples
        --------
        >>> from cxpath.customers import bgnbd, simulate_customers
        >>> sim = simulate_customers(500, seed=1)
        >>> fit = bgnbd(sim["frequency"], sim["span"], sim["age"])
        >>> fit.expected_transactions(39).shape
        (500,)
        >>> fit.expected_transactions(39, [2], [30.43], [38.86]).round(3).tolist()
        [1.25]
        """
        func = "BGNBDFit.expected_transactions"
        h = v.check_real(horizon, "horizon", func, low=0.0)
        x, tx, t = self._customers(func, frequency, span, age)
        return _conditional(self.estimate, h, x, tx, t)

    def expected_population(self, times: ArrayLike) -> np.ndarray:
        """Expected repeat transactions of a new customer by each of ``times``, eq. 8.

        Examples
        --------
        >>> from cxpath.customers import bgnbd, simulate_customers
        >>> sim = simulate_customers(500, seed=1)
        >>> fit = bgnbd(sim["frequency"], sim["span"], sim["age"])
        >>> float(fit.expected_population([0.0])[0])
        0.0
        """
        t = v.as_float_array(times, "times", "BGNBDFit.expected_population", low=0.0,
                             min_size=0)
        r, alpha, a, b = self.estimate
        with np.errstate(all="ignore"):
            hyp = special.hyp2f1(r, b, a + b - 1, t / (alpha + t))
            return (a + b - 1) / (a - 1) * (1 - (alpha / (alpha + t)) ** r * hyp)


def _p_alive(theta, x, tx, t):
    r, alpha, a, b = theta
    with np.errstate(all="ignore"):
        odds = np.where(x > 0, a / np.maximum(b + x - 1, 1e-300)
                        * np.exp((r + x) * (np.log(alpha + t) - np.log(alpha + tx))), 0.0)
    return 1.0 / (1.0 + odds)


def _conditional(theta, h, x, tx, t):
    r, alpha, a, b = theta
    with np.errstate(all="ignore"):
        hyp = special.hyp2f1(r + x, b + x, a + b + x - 1, h / (alpha + t + h))
        top = (a + b + x - 1) / (a - 1) * (1 - ((alpha + t) / (alpha + t + h)) ** (r + x)
                                           * hyp)
    return top * _p_alive(theta, x, tx, t)


def bgnbd(frequency: ColumnLike, span: ColumnLike, age: ColumnLike, *,
          data: TableLike = None, weights: ColumnLike | None = None, level: float = 0.95,
          max_iter: int = 5000) -> BGNBDFit:
    """Fit the BG/NBD model of repeat transactions by maximum likelihood.

    Parameters
    ----------
    frequency : column or array-like of int
        x: number of repeat transactions of each customer (>= 0).
    span : column or array-like of float
        t_x: time from the first to the last transaction (0 when x = 0).
    age : column or array-like of float
        T: time from the first transaction to the end of observation (>= span).
    data : table, optional
        When the arguments name columns.
    weights : column or array-like of float, optional
        Number of customers with each row's (x, t_x, T) (> 0).
    level : float, default 0.95
        Level of the Wald intervals.
    max_iter : int, default 5000
        Iterations of each optimiser (Nelder–Mead, then BFGS on the log-parameters).

    Returns
    -------
    BGNBDFit

    Raises
    ------
    DataError
        Negative or non-finite values, fractional frequencies, span after age, span not 0
        exactly for customers without repeat transactions, columns of different lengths.

    Examples
    --------
    The durations and event flags of :func:`~cxpath.customers.customer_histories` go to
    :func:`~cxpath.customers.kaplan_meier`; its ``frequency``, ``span`` and ``age`` here:

    >>> import numpy as np
    >>> from cxpath.customers import bgnbd, customer_histories, kaplan_meier
    >>> log = {"customer": ["a", "a", "a", "b", "b", "c", "d", "d"],
    ...        "at": np.array(["2025-01-01", "2025-01-15", "2025-03-01", "2025-01-05",
    ...                        "2025-01-06", "2025-03-25", "2025-02-01", "2025-03-20"],
    ...                       "datetime64[D]")}
    >>> h = customer_histories(log, customer="customer", timestamp="at", end="2025-03-31",
    ...                        churn_after=4, unit="W")
    >>> h.churned.tolist(), round(kaplan_meier(h.churn_duration, h.churned).median, 3)
    ([True, True, False, True], 4.143)
    >>> h.frequency.tolist(), h.span.round(2).tolist(), h.age.round(2).tolist()
    ([2.0, 1.0, 0.0, 1.0], [8.43, 0.14, 0.0, 6.71], [12.71, 12.14, 0.86, 8.29])

    On more customers (here drawn from the model with the CDNOW parameters):

    >>> from cxpath.customers import simulate_customers
    >>> sim = simulate_customers(500, seed=1)
    >>> fit = bgnbd(sim["frequency"], sim["span"], sim["age"])
    >>> fit.parameter.tolist(), fit.estimate.round(3).tolist()
    (['r', 'alpha', 'a', 'b'], [0.192, 3.152, 0.676, 1.985])
    """
    level = v.check_real(level, "level", _BG, low=0.0, high=1.0, closed="neither")
    max_iter = v.check_int(max_iter, "max_iter", _BG, low=1)
    x, tx, t, w = _rfm_inputs(_BG, frequency, span, age, data, weights)
    scale = float(np.average(t, weights=w)) or 1.0

    def nll(log_theta):
        with np.errstate(all="ignore"):
            theta = np.exp(np.clip(log_theta, -30, 30))
            val = -float(np.dot(w, _bg_loglik(theta, x, tx, t)))
        return val if np.isfinite(val) else np.inf

    theta, cov, ll, ok, nit = _fit(nll, np.array([1.0, scale, 1.0, 1.0]), _BG, max_iter)
    se, lo, hi = _wald(theta, cov, level)
    return BGNBDFit(np.array(["r", "alpha", "a", "b"], dtype=object), theta, se, lo, hi, cov,
                    ll, float(w.sum()), ok, nit, level, x, tx, t)


# ----------------------------------------------------------------------------- Gamma–Gamma

def _gg_loglik(theta, x, m):
    """Per-customer log-likelihood of the Gamma–Gamma model (Fader & Hardie 2013, eq. 3)."""
    p, q, g = theta
    px = p * x
    return (special.gammaln(px + q) - special.gammaln(px) - special.gammaln(q)
            + q * math.log(g) + (px - 1) * np.log(m) + px * np.log(x)
            - (px + q) * np.log(g + x * m))


@result
class GammaGammaFit(_Fit):
    """A fitted Gamma–Gamma model of average transaction value: one row per parameter.

    Attributes
    ----------
    parameter : ndarray of str
        ``'p'`` (shape of each transaction's value), ``'q'`` and ``'gamma'`` (shape and
        scale of the customers' value scale ν).
    estimate, std_error, lower, upper, covariance
        As :class:`BGNBDFit`.
    log_likelihood : float
        Fader & Hardie (2013), eq. 3, summed over the customers with repeat transactions.
    n : float
        Customers used (those with x > 0).
    converged : bool
    iterations : int
    level : float
    p, q, gamma : float
        The estimates by name.
    population_mean : float
        ``p gamma / (q − 1)``: mean transaction value over customers (inf when q <= 1).

    References
    ----------
    Fader, P. S. & Hardie, B. G. S. (2013). The Gamma-Gamma model of monetary value.
    http://brucehardie.com/notes/025/
    """

    parameter: np.ndarray
    estimate: np.ndarray
    std_error: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    covariance: np.ndarray
    log_likelihood: float
    n: float
    converged: bool
    iterations: int
    level: float

    def _title(self) -> str:
        return "Gamma-Gamma model of average transaction value"

    def _summary(self) -> list[str]:
        return [f"{self.n:g} customers with repeat transactions; log-likelihood "
                f"{self.log_likelihood:.2f}"]

    @property
    def p(self) -> float:
        return self._value("p")

    @property
    def q(self) -> float:
        return self._value("q")

    @property
    def gamma(self) -> float:
        return self._value("gamma")

    @property
    def population_mean(self) -> float:
        p, q, g = self.estimate
        return float(p * g / (q - 1)) if q > 1 else math.inf

    def expected_value(self, frequency: ArrayLike, monetary: ArrayLike) -> np.ndarray:
        """Expected average transaction value of each customer, Fader & Hardie (2013) eq. 5.

        ``(gamma + x m) p / (p x + q − 1)``: a weighted mean of the population mean and the
        customer's own mean value ``m``; the population mean for x = 0.

        Examples
        --------
        >>> from cxpath.customers import gamma_gamma, simulate_customers
        >>> sim = simulate_customers(500, seed=1)
        >>> gg = gamma_gamma(sim["frequency"], sim["monetary"])
        >>> gg.expected_value([0.0, 1, 10], [0.0, 50.0, 50.0]).round(2).tolist()
        [35.82, 44.67, 49.19]
        """
        func = "GammaGammaFit.expected_value"
        x = v.as_float_array(frequency, "frequency", func, low=0.0, min_size=0)
        m = v.as_float_array(monetary, "monetary", func, low=0.0, min_size=0)
        v.check_same_length(func, frequency=x, monetary=m)
        p, q, g = self.estimate
        with np.errstate(all="ignore"):
            return np.where(x > 0, (g + x * m) * p / (p * x + q - 1), self.population_mean)


def gamma_gamma(frequency: ColumnLike, monetary: ColumnLike, *, data: TableLike = None,
                level: float = 0.95, max_iter: int = 5000) -> GammaGammaFit:
    """Fit the Gamma–Gamma model of average transaction value by maximum likelihood.

    Customers without repeat transactions (x = 0) carry no information on spend and are left
    out, as in the note.

    Parameters
    ----------
    frequency : column or array-like of int
        x: number of repeat transactions (>= 0).
    monetary : column or array-like of float
        Mean value of the customer's repeat transactions (> 0 when x > 0).
    data : table, optional
    level : float, default 0.95
    max_iter : int, default 5000

    Returns
    -------
    GammaGammaFit

    Raises
    ------
    DataError
        Negative, fractional or non-finite frequencies, monetary values not > 0 where
        x > 0, fewer than 2 customers with repeat transactions.

    Examples
    --------
    >>> from cxpath.customers import gamma_gamma, simulate_customers
    >>> sim = simulate_customers(500, seed=1)
    >>> gg = gamma_gamma(sim["frequency"], sim["monetary"])
    >>> gg.parameter.tolist(), gg.estimate.round(2).tolist(), gg.n
    (['p', 'q', 'gamma'], [5.56, 4.35, 21.59], 196.0)
    """
    level = v.check_real(level, "level", _GG, low=0.0, high=1.0, closed="neither")
    max_iter = v.check_int(max_iter, "max_iter", _GG, low=1)
    x = v.as_float_array(column(data, frequency, "frequency", _GG), "frequency", _GG, low=0.0)
    if (x != np.round(x)).any():
        i = int(np.argmax(x != np.round(x)))
        v.fail("frequency", _GG, "whole numbers of repeat transactions",
               got=f"{x[i]!r} at position {i}", data=True)
    m = v.as_float_array(column(data, monetary, "monetary", _GG), "monetary", _GG)
    v.check_same_length(_GG, frequency=x, monetary=m)
    keep = x > 0
    bad = keep & (m <= 0)
    if bad.any():
        i = int(np.argmax(bad))
        v.fail("monetary", _GG, "> 0 for customers with repeat transactions",
               got=f"{m[i]!r} at position {i}", data=True)
    if keep.sum() < 2:
        v.fail("frequency", _GG, "> 0 for at least 2 customers",
               got=f"{int(keep.sum())} such customer(s)", data=True)
    x, m = x[keep], m[keep]

    def nll(log_theta):
        with np.errstate(all="ignore"):
            val = -float(_gg_loglik(np.exp(np.clip(log_theta, -30, 30)), x, m).sum())
        return val if np.isfinite(val) else np.inf

    theta, cov, ll, ok, nit = _fit(nll, np.array([1.0, 1.0, float(m.mean())]), _GG, max_iter)
    se, lo, hi = _wald(theta, cov, level)
    return GammaGammaFit(np.array(["p", "q", "gamma"], dtype=object), theta, se, lo, hi, cov,
                         ll, float(x.size), ok, nit, level)


# ----------------------------------------------------------------------------- CLV

@result
class CLV(Result):
    """Customer lifetime value over a horizon: one row per customer.

    Attributes
    ----------
    customer : ndarray
        The customers' labels (positions when none were given).
    p_alive : ndarray of float
    expected_transactions : ndarray of float
        Over the whole horizon (``periods × period_length``).
    expected_value : ndarray of float
        Expected average transaction value (Gamma–Gamma).
    clv : ndarray of float
        ``Σ_{k=1}^{K} (E[X(k L)] − E[X((k−1) L)]) · E[M] / (1 + d)^k``: expected
        transactions in each period, valued and discounted at the period's end.
    periods : int
    period_length : float
    discount_rate : float
    """

    customer: np.ndarray
    p_alive: np.ndarray
    expected_transactions: np.ndarray
    expected_value: np.ndarray
    clv: np.ndarray
    periods: int
    period_length: float
    discount_rate: float

    def _title(self) -> str:
        return "Customer lifetime value"

    def _summary(self) -> list[str]:
        return [f"{self.customer.size} customers; {self.periods} periods of "
                f"{self.period_length:g} time units, discount rate {self.discount_rate:g} per "
                f"period; total {float(self.clv.sum()):.6g}"]

    def _columns(self) -> dict:
        return {"customer": self.customer, "p_alive": self.p_alive,
                "expected_transactions": self.expected_transactions,
                "expected_value": self.expected_value, "clv": self.clv}


def clv(transactions: BGNBDFit, spend: GammaGammaFit, frequency: ColumnLike,
        span: ColumnLike, age: ColumnLike, monetary: ColumnLike, *, data: TableLike = None,
        customer: ColumnLike | None = None, periods: int = 12, period_length: float = 4.345,
        discount_rate: float = 0.01) -> CLV:
    """Customer lifetime value over ``periods`` periods, discounted.

    Parameters
    ----------
    transactions : BGNBDFit
        The fitted model of repeat transactions (:func:`bgnbd`).
    spend : GammaGammaFit
        The fitted model of transaction values (:func:`gamma_gamma`).
    frequency, span, age, monetary : column or array-like
        Each customer's x, t_x, T and mean repeat value (as :func:`bgnbd`,
        :func:`gamma_gamma`; any monetary value for x = 0, which get the population mean).
    data : table, optional
    customer : column or array-like, optional
        Labels of the customers.
    periods : int, default 12
        Number of discounting periods.
    period_length : float, default 4.345
        Length of a period in the time unit of the fits (4.345 weeks: a month).
    discount_rate : float, default 0.01
        Discount rate per period (>= 0).

    Returns
    -------
    CLV

    Raises
    ------
    InvalidTypeError
        When the fits are not a BGNBDFit and a GammaGammaFit.
    DataError
        As :func:`bgnbd`, :func:`gamma_gamma`.

    Examples
    --------
    >>> from cxpath.customers import bgnbd, clv, gamma_gamma, simulate_customers
    >>> sim = simulate_customers(500, seed=1)
    >>> fit = bgnbd(sim["frequency"], sim["span"], sim["age"])
    >>> gg = gamma_gamma(sim["frequency"], sim["monetary"])
    >>> value = clv(fit, gg, data=sim, frequency="frequency", span="span", age="age",
    ...             monetary="monetary", periods=12, period_length=4.345,
    ...             discount_rate=0.01)
    >>> value.clv[:3].round(2).tolist()
    [11.71, 36.93, 6.92]
    """
    if not isinstance(transactions, BGNBDFit):
        v.fail("transactions", _CLV, "a BGNBDFit (from customers.bgnbd)", transactions,
               wrong_type=True)
    if not isinstance(spend, GammaGammaFit):
        v.fail("spend", _CLV, "a GammaGammaFit (from customers.gamma_gamma)", spend,
               wrong_type=True)
    periods = v.check_int(periods, "periods", _CLV, low=1, high=100_000)
    length = v.check_real(period_length, "period_length", _CLV, low=0.0, closed="neither")
    d = v.check_real(discount_rate, "discount_rate", _CLV, low=0.0)
    x, tx, t, _ = _rfm_inputs(_CLV, frequency, span, age, data)
    m = v.as_float_array(column(data, monetary, "monetary", _CLV), "monetary", _CLV, low=0.0)
    v.check_same_length(_CLV, frequency=x, monetary=m)
    if customer is None:
        ids = np.arange(x.size)
    else:
        ids = np.asarray(column(data, customer, "customer", _CLV))
        v.check_same_length(_CLV, frequency=x, customer=ids)
    theta = transactions.estimate
    value = spend.expected_value(x, m)
    total = np.zeros(x.size)
    before = np.zeros(x.size)
    for k in range(1, periods + 1):
        now = _conditional(theta, k * length, x, tx, t)
        total += (now - before) * value / (1 + d) ** k
        before = now
    return CLV(ids, _p_alive(theta, x, tx, t), before, value, total, periods, length, d)


# ----------------------------------------------------------------------------- simulation

def simulate_customers(n: int, *, r: float = 0.243, alpha: float = 4.414, a: float = 0.793,
                       b: float = 2.426, p: float = 6.25, q: float = 3.74,
                       gamma: float = 15.44, age: float | ArrayLike = 39.0,
                       seed: int | np.random.Generator | None = None) -> dict:
    """Customers drawn from the BG/NBD and Gamma–Gamma processes (for tests and examples).

    Each customer makes a first transaction at time 0, then repeat transactions at a
    Poisson rate λ ~ Gamma(r, rate alpha) and, after each repeat transaction, drops out
    with probability π ~ Beta(a, b); observed until ``age``. Each transaction's value is
    Gamma(p, rate ν) with ν ~ Gamma(q, rate gamma). Defaults: the CDNOW estimates of Fader,
    Hardie & Lee (2005) and Fader & Hardie (2013), in weeks.

    Parameters
    ----------
    n : int
        Number of customers (>= 1).
    r, alpha, a, b, p, q, gamma : float
        Model parameters (> 0).
    age : float or array-like of float, default 39.0
        Length of observation of each customer (T, > 0).
    seed : int or Generator, optional

    Returns
    -------
    dict of ndarray
        ``frequency``, ``span``, ``age`` and ``monetary`` (mean repeat value, 0 without
        repeat transactions): the inputs of :func:`bgnbd`, :func:`gamma_gamma`, :func:`clv`.

    Examples
    --------
    >>> from cxpath.customers import simulate_customers
    >>> sim = simulate_customers(5, seed=1)
    >>> sorted(sim), sim["age"].tolist()
    (['age', 'frequency', 'monetary', 'span'], [39.0, 39.0, 39.0, 39.0, 39.0])
    """
    func = "customers.simulate_customers"
    n = v.check_int(n, "n", func, low=1, high=10_000_000)
    names = ("r", "alpha", "a", "b", "p", "q", "gamma")
    r, alpha, a, b, p, q, gamma = (v.check_real(x, k, func, low=0.0, closed="neither")
                                   for k, x in zip(names, (r, alpha, a, b, p, q, gamma)))
    t_end = v.as_float_array(np.broadcast_to(age, (n,)) if np.ndim(age) == 0 else age, "age",
                             func, low=0.0, closed="neither")
    if t_end.size != n:
        v.fail("age", func, f"one number or {n} numbers", got=f"{t_end.size} numbers",
               data=True)
    rng = v.check_seed(seed, "seed", func)
    check_memory(n * 8.0 * 12, func, f"{n:,} simulated customers")
    lam = rng.gamma(r, 1.0 / alpha, n)
    drop = rng.beta(a, b, n)
    x = np.zeros(n)
    tx = np.zeros(n)
    now = np.zeros(n)
    alive = np.ones(n, dtype=bool)
    while alive.any():
        i = np.flatnonzero(alive)
        now[i] += rng.exponential(1.0, i.size) / np.maximum(lam[i], 1e-300)
        inside = now[i] <= t_end[i]
        alive[i[~inside]] = False
        j = i[inside]
        x[j] += 1
        tx[j] = now[j]
        alive[j[rng.random(j.size) < drop[j]]] = False
    nu = rng.gamma(q, 1.0 / gamma, n)
    total = rng.gamma(np.maximum(p * x, 1e-300), 1.0 / nu)
    monetary = np.where(x > 0, total / np.maximum(x, 1), 0.0)
    return {"frequency": x, "span": tx, "age": t_end.copy(), "monetary": monetary}


# ----------------------------------------------------------------------------- repurchase

@result
class RepurchaseRate(Result):
    """The share of customers with at least one repeat transaction.

    Attributes
    ----------
    rate : float
        ``repeaters / n``.
    n, repeaters : float
        Customers (total weight), and those with ``frequency > 0``.
    lower, upper : float
        Wilson score interval of the rate at ``level``.
    level : float
    """

    rate: float
    n: float
    repeaters: float
    lower: float
    upper: float
    level: float

    def _title(self) -> str:
        return "Repurchase rate"

    def _columns(self) -> dict:
        return {"rate": np.array([self.rate]), "n": np.array([self.n]),
                "repeaters": np.array([self.repeaters]), "lower": np.array([self.lower]),
                "upper": np.array([self.upper])}


def repurchase_rate(frequency: ColumnLike, *, data: TableLike = None,
                    weights: ColumnLike | None = None, level: float = 0.95) -> RepurchaseRate:
    """The share of customers who bought (or contacted) again, with a Wilson interval.

    Parameters
    ----------
    frequency : column or array-like of float
        Repeat transactions of each customer (>= 0): ``customer_histories(...).frequency``.
    data : table, optional
    weights : column or array-like of float, optional
        Customers per row (> 0).
    level : float, default 0.95

    Returns
    -------
    RepurchaseRate

    Raises
    ------
    DataError
        Negative or non-finite values, weights not > 0, different lengths.

    Examples
    --------
    >>> from cxpath.customers import repurchase_rate
    >>> rr = repurchase_rate([0, 2, 1, 0, 0, 5, 0, 1])
    >>> rr.rate, round(rr.lower, 4), round(rr.upper, 4)
    (0.5, 0.2152, 0.7848)
    """
    level = v.check_real(level, "level", _RR, low=0.0, high=1.0, closed="neither")
    x = v.as_float_array(column(data, frequency, "frequency", _RR), "frequency", _RR, low=0.0)
    w = np.ones(x.size)
    if weights is not None:
        w = v.as_float_array(column(data, weights, "weights", _RR), "weights", _RR, low=0.0,
                             closed="right")
        v.check_same_length(_RR, frequency=x, weights=w)
    n = float(w.sum())
    k = float(w[x > 0].sum())
    p = k / n
    z = float(stats.norm.ppf(0.5 + level / 2))
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return RepurchaseRate(p, n, k, max(centre - half, 0.0), min(centre + half, 1.0), level)
