"""Propensity scores and outreach: who will churn, complain or escalate in the next N days.

* :func:`propensity_frame`: a time-split training/evaluation frame from an activity log,
  built with :func:`~cxpath.customers.customer_histories`. Training features use only the
  activities **strictly before** the training cut-off ``c1``; training outcomes are the
  activities in ``[c1, c1 + N)``; evaluation features are built at a later cut-off
  ``c2 >= c1 + N`` and evaluation outcomes lie in ``[c2, c2 + N)``. A ``c2`` closer than
  ``c1 + N`` is refused (the training outcomes would overlap the evaluation period), and an
  evaluation window that runs past the last activity of the log is warned about.
* :func:`fit_propensity`: fits a model on the training rows and scores the evaluation rows:
  by default an L2-regularised logistic regression on standardised features
  (scikit-learn, extra ``text``), or any estimator with ``fit`` and ``predict_proba``.
  The result carries AUC, Brier score and log loss, and gives
  :meth:`PropensityModel.calibration` (reliability curve),
  :meth:`PropensityModel.lift` (lift and gains by decile) and
  :meth:`PropensityModel.explain` (per-customer contributions of the default model).
* :func:`calibration_table` and :func:`lift_table`: the same tables from any outcomes and
  probabilities.
* :func:`outreach`: a ranked outreach list with expected savings
  ``probability × value at risk × success rate − contact cost``.

**Outcomes.** ``outcome='inactive'`` is a customer without any activity in the outcome
window (a churn proxy); an event type, or a collection of them (``'cancel'``,
``'complaint'``, ``'escalation'``), is a customer with at least one such activity in the
window. With ``churn_event``, customers who churned (an activity of those types) before a
cut-off are left out of that cut-off's rows: they can no longer churn.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _validate as v
from .._frames import column, column_zone
from .._optional import require
from .._results import Result, derived_columns, result
from .._warnings import warn
from ..errors import CxpathWarning
from .histories import (
    _UNITS,
    _instant_on,
    _instants,
    _label_set,
    _labels_of,
    customer_histories,
)

if TYPE_CHECKING:
    from .._typing import ArrayLike, ColumnLike, TableLike, TimeLike

__all__ = ["Calibration", "Explanations", "LiftTable", "OutreachList", "PropensityFrame",
           "PropensityModel", "calibration_table", "fit_propensity", "lift_table", "outreach",
           "propensity_frame", "simulate_activity"]

_PF = "customers.propensity_frame"
_FP = "customers.fit_propensity"
_CT = "customers.calibration_table"
_LT = "customers.lift_table"
_OR = "customers.outreach"
_EPS = 1e-15


# ----------------------------------------------------------------------------- metrics

def _auc(y: np.ndarray, p: np.ndarray) -> float:
    """Area under the ROC curve: the Mann–Whitney statistic with mid-ranks for ties."""
    n1 = int(y.sum())
    n0 = y.size - n1
    if n1 == 0 or n0 == 0:
        return math.nan
    order = np.argsort(p, kind="mergesort")
    sp = p[order]
    ranks = np.empty(p.size)
    starts = np.flatnonzero(np.r_[True, sp[1:] != sp[:-1]])
    stops = np.r_[starts[1:], sp.size]
    ranks[order] = np.repeat((starts + stops + 1) / 2.0, stops - starts)
    return float((ranks[y].sum() - n1 * (n1 + 1) / 2.0) / (n1 * n0))


def _scores(y, p, func: str) -> tuple[np.ndarray, np.ndarray]:
    yy = v.as_float_array(y, "outcome", func)
    if not np.isin(yy, (0.0, 1.0)).all():
        i = int(np.argmax(~np.isin(yy, (0.0, 1.0))))
        v.fail("outcome", func, "0/1 or boolean outcomes", got=f"{yy[i]!r} at position {i}",
               data=True)
    pp = v.as_float_array(p, "probability", func, low=0.0, high=1.0)
    v.check_same_length(func, outcome=yy, probability=pp)
    return yy.astype(bool), pp


@result
class Calibration(Result):
    """A reliability curve: predicted against observed rates in probability bins.

    Attributes
    ----------
    lower, upper : ndarray of float
        Edges of each non-empty bin (``bins`` equal-width bins of [0, 1]).
    n : ndarray of int
        Customers in the bin.
    mean_probability : ndarray of float
        Their mean predicted probability.
    observed_rate : ndarray of float
        The share of them with the outcome.
    brier : float
        Brier score ``mean((p − y)²)``.
    log_loss : float
        ``−mean(y log p + (1 − y) log(1 − p))`` (p clipped to [1e-15, 1 − 1e-15]).
    bins : int
    """

    lower: np.ndarray
    upper: np.ndarray
    n: np.ndarray
    mean_probability: np.ndarray
    observed_rate: np.ndarray
    brier: float
    log_loss: float
    bins: int

    def _title(self) -> str:
        return "Calibration (reliability curve)"

    def _summary(self) -> list[str]:
        return [f"{int(self.n.sum())} customers in {self.bins} bins; Brier score "
                f"{self.brier:.4g}, log loss {self.log_loss:.4g}"]

    def _columns(self) -> dict:
        return {"lower": self.lower, "upper": self.upper, "n": self.n,
                "mean_probability": self.mean_probability,
                "observed_rate": self.observed_rate}


def calibration_table(outcome: ArrayLike, probability: ArrayLike, *,
                      bins: int = 10) -> Calibration:
    """Reliability curve, Brier score and log loss of predicted probabilities.

    Parameters
    ----------
    outcome : array-like of bool or 0/1
        What happened.
    probability : array-like of float in [0, 1]
        What was predicted.
    bins : int, default 10
        Equal-width bins of [0, 1]; a probability on an inner edge goes to the bin below
        it (as ``sklearn.calibration.calibration_curve``). Empty bins are left out.

    Returns
    -------
    Calibration

    Raises
    ------
    DataError
        Outcomes not 0/1, probabilities outside [0, 1], different lengths.

    Examples
    --------
    >>> from cxpath.customers import calibration_table
    >>> c = calibration_table([0, 0, 1, 1], [0.1, 0.3, 0.6, 0.9], bins=2)
    >>> c.observed_rate.tolist(), c.mean_probability.tolist(), round(c.brier, 4)
    ([0.0, 1.0], [0.2, 0.75], 0.0675)
    """
    bins = v.check_int(bins, "bins", _CT, low=1, high=10_000)
    y, p = _scores(outcome, probability, _CT)
    return _calibration(y, p, bins)


def _calibration(y: np.ndarray, p: np.ndarray, bins: int) -> Calibration:
    edges = np.linspace(0.0, 1.0, bins + 1)
    ids = np.searchsorted(edges[1:-1], p)
    n = np.bincount(ids, minlength=bins)
    s = np.bincount(ids, weights=p, minlength=bins)
    t = np.bincount(ids, weights=y.astype(float), minlength=bins)
    keep = n > 0
    pc = np.clip(p, _EPS, 1 - _EPS)
    brier = float(np.mean((p - y) ** 2))
    loss = float(-np.mean(np.where(y, np.log(pc), np.log1p(-pc))))
    return Calibration(edges[:-1][keep], edges[1:][keep], n[keep].astype(np.int64),
                       s[keep] / n[keep], t[keep] / n[keep], brier, loss, bins)


@result
class LiftTable(Result):
    """Lift and cumulative gains by group of customers ranked by predicted probability.

    Attributes
    ----------
    group : ndarray of int
        1 = the highest probabilities (the first decile with ``groups=10``).
    n : ndarray of int
        Customers in the group (groups differ by at most one customer).
    positives : ndarray of int
        Customers with the outcome.
    min_probability, mean_probability : ndarray of float
    rate : ndarray of float
        ``positives / n``.
    lift : ndarray of float
        ``rate`` over the overall rate.
    share : ndarray of float
        Cumulative share of customers contacted down to this group.
    gains : ndarray of float
        Cumulative share of all positives found down to this group.
    cumulative_lift : ndarray of float
        ``gains / share``.
    base_rate : float
        Overall rate of the outcome.
    """

    group: np.ndarray
    n: np.ndarray
    positives: np.ndarray
    min_probability: np.ndarray
    mean_probability: np.ndarray
    rate: np.ndarray
    lift: np.ndarray
    share: np.ndarray
    gains: np.ndarray
    cumulative_lift: np.ndarray
    base_rate: float

    def _title(self) -> str:
        return "Lift and gains"

    def _summary(self) -> list[str]:
        return [f"{int(self.n.sum())} customers in {self.group.size} groups; base rate "
                f"{self.base_rate:.4g}; top-group lift {float(self.lift[0]):.3g}"]

    def _columns(self) -> dict:
        return {"group": self.group, "n": self.n, "positives": self.positives,
                "min_probability": self.min_probability,
                "mean_probability": self.mean_probability, "rate": self.rate,
                "lift": self.lift, "share": self.share, "gains": self.gains,
                "cumulative_lift": self.cumulative_lift}


def lift_table(outcome: ArrayLike, probability: ArrayLike, *, groups: int = 10) -> LiftTable:
    """Lift and gains table: customers ranked by probability, cut into equal groups.

    Parameters
    ----------
    outcome : array-like of bool or 0/1
    probability : array-like of float in [0, 1]
    groups : int, default 10
        Number of groups (deciles); at most the number of customers. Customers are sorted
        by decreasing probability (ties in their given order) and split into groups whose
        sizes differ by at most one (the larger first).

    Returns
    -------
    LiftTable

    Raises
    ------
    DataError
        Outcomes not 0/1, probabilities outside [0, 1], no positive outcome, more groups
        than customers.

    Examples
    --------
    >>> from cxpath.customers import lift_table
    >>> t = lift_table([1, 0, 1, 0, 0, 0], [0.9, 0.8, 0.7, 0.3, 0.2, 0.1], groups=3)
    >>> t.positives.tolist(), t.lift.tolist(), t.gains.tolist()
    ([1, 1, 0], [1.5, 1.5, 0.0], [0.5, 1.0, 1.0])
    """
    groups = v.check_int(groups, "groups", _LT, low=1, high=100_000)
    y, p = _scores(outcome, probability, _LT)
    return _lift(y, p, groups, _LT)


def _lift(y: np.ndarray, p: np.ndarray, groups: int, func: str) -> LiftTable:
    if groups > y.size:
        v.fail("groups", func, f"at most the number of customers ({y.size})", groups)
    total = int(y.sum())
    if total == 0:
        v.fail("outcome", func, "at least one positive outcome", got="none", data=True)
    order = np.argsort(-p, kind="stable")
    parts = np.array_split(order, groups)
    n = np.array([q.size for q in parts], dtype=np.int64)
    pos = np.array([int(y[q].sum()) for q in parts], dtype=np.int64)
    base = total / y.size
    rate = pos / n
    share = np.cumsum(n) / y.size
    gains = np.cumsum(pos) / total
    return LiftTable(np.arange(1, groups + 1), n, pos,
                     np.array([float(p[q].min()) for q in parts]),
                     np.array([float(p[q].mean()) for q in parts]), rate, rate / base,
                     share, gains, gains / share, base)


# ----------------------------------------------------------------------------- the frame

@result
class PropensityFrame(Result):
    """A time-split training and evaluation frame: one row per customer and cut-off.

    Attributes
    ----------
    features : tuple of str
        Names of the feature columns: ``recency``, ``frequency``, ``age`` (in ``unit``),
        ``mean_amount`` and ``total`` (with ``amount``) and the covariates.
    train_customer, eval_customer : ndarray
    train_X, eval_X : ndarray of float, shape (n, len(features))
    train_y, eval_y : ndarray of bool
        Outcome in ``[cutoff, cutoff + horizon)``.
    train_last, eval_last : ndarray of datetime64[s]
        The last activity each row's features use (strictly before its cut-off).
    train_outcome_time, eval_outcome_time : ndarray of datetime64[s]
        The first outcome activity in the window (NaT without one; for
        ``outcome='inactive'`` the cut-off + horizon of inactive rows).
    train_cutoff, eval_cutoff : numpy.datetime64
    horizon : float
        In ``unit``.
    unit : str
    outcome : str
        ``'inactive'`` or the outcome event types joined by ``|``.
    n_dropped : int
        Rows left out because their customer had churned before the cut-off.
    """

    features: tuple
    train_customer: np.ndarray
    train_X: np.ndarray
    train_y: np.ndarray
    train_last: np.ndarray
    train_outcome_time: np.ndarray
    eval_customer: np.ndarray
    eval_X: np.ndarray
    eval_y: np.ndarray
    eval_last: np.ndarray
    eval_outcome_time: np.ndarray
    train_cutoff: np.datetime64
    eval_cutoff: np.datetime64
    horizon: float
    unit: str
    outcome: str
    n_dropped: int

    _key = ("set", "customer")
    _derived = derived_columns({
        "set": "'train' for the rows of train_*, 'eval' for those of eval_*",
        "customer": "train_customer, then eval_customer",
        "y": "train_y, then eval_y (the outcome)",
        "last": "train_last, then eval_last",
        "{feature}": "a column of train_X, then of eval_X (named in features)"})

    def _title(self) -> str:
        return "Propensity frame (time split)"

    def _summary(self) -> list[str]:
        return [f"outcome {self.outcome!r} within {self.horizon:g} {self.unit}",
                f"train: {self.train_y.size} customers before {self.train_cutoff}, "
                f"{int(self.train_y.sum())} with the outcome",
                f"eval: {self.eval_y.size} customers before {self.eval_cutoff}, "
                f"{int(self.eval_y.sum())} with the outcome"]

    def _columns(self) -> dict:
        out = {"set": np.array(["train"] * self.train_y.size + ["eval"] * self.eval_y.size,
                               dtype=object),
               "customer": np.concatenate([self.train_customer, self.eval_customer]),
               "y": np.concatenate([self.train_y, self.eval_y]),
               "last": np.concatenate([self.train_last, self.eval_last])}
        both = np.vstack([self.train_X, self.eval_X])
        for j, name in enumerate(self.features):
            out[name] = both[:, j]
        return out


def _covariates(covariates, customer_key, func):
    if covariates is None:
        return None, [], None
    if not isinstance(covariates, Mapping) and not hasattr(covariates, "columns"):
        v.fail("covariates", func, "a table with a customer column and numeric columns",
               covariates, wrong_type=True)
    names = [str(c) for c in (covariates.keys() if isinstance(covariates, Mapping)
                              else covariates.columns)]
    if customer_key not in names:
        v.fail("covariates", func, f"a table with a {customer_key!r} column (the customer "
               "of each row)", got=f"columns {names}")
    keys = _labels_of(column(covariates, customer_key, "covariates", func), "covariates",
                      func)
    if np.unique(keys).size != keys.size:
        v.fail("covariates", func, "one row per customer", got="repeated customers",
               data=True)
    cols = [c for c in names if c != customer_key]
    if not cols:
        v.fail("covariates", func, "a table with at least one covariate column besides "
               f"{customer_key!r}", got=f"columns {names}")
    values = np.column_stack([v.as_float_array(column(covariates, c, "covariates", func),
                                               "covariates", func) for c in cols])
    if values.shape[0] != keys.size:
        v.fail("covariates", func, "columns of one length", got="ragged columns", data=True)
    return keys, cols, values


def _outcome_spec(outcome, ev, func):
    if isinstance(outcome, str) and outcome == "inactive":
        return None
    if ev is None:
        v.fail("outcome", func, "'inactive' without 'event' (event types need 'event')",
               outcome)
    return _label_set(outcome, "outcome", func)


def propensity_frame(data: TableLike = None, *, customer: ColumnLike, timestamp: ColumnLike,
                     outcome: str | Collection[str], train_cutoff: TimeLike,
                     eval_cutoff: TimeLike, horizon: float, amount: ColumnLike | None = None,
                     event: ColumnLike | None = None, covariates: TableLike | None = None,
                     churn_event: str | Collection[str] | None = None,
                     unit: str = "D") -> PropensityFrame:
    """A leakage-free training/evaluation frame for propensity models (module notes).

    Parameters
    ----------
    data : table, optional
        The activity log (one row per activity); the other arguments name its columns or
        give arrays.
    customer, timestamp : column or array-like
        As :func:`~cxpath.customers.customer_histories`.
    outcome : str or collection of str
        ``'inactive'`` (no activity in the window), or the event types whose occurrence in
        the window is the outcome (needs ``event``).
    train_cutoff, eval_cutoff : instant
        The cut-offs ``c1`` and ``c2``; ``c2 >= c1 + horizon``.
    horizon : float
        Length ``N`` of the outcome windows, in ``unit`` (> 0).
    amount : column or array-like of float, optional
        Adds the features ``mean_amount`` and ``total``.
    event : column or array-like of str, optional
        The type of each activity.
    covariates : table, optional
        One row per customer: a column named like ``customer`` (when ``customer`` is a
        column name; else ``'customer'``) and numeric columns, added as features.
        Customers without a row are left out.
    churn_event : str or collection of str, optional
        Customers with such an activity before a cut-off are left out of its rows.
    unit : {'D', 'W', 'h', 's'}, default 'D'

    Returns
    -------
    PropensityFrame

    Raises
    ------
    InvalidParameterError
        ``eval_cutoff`` before ``train_cutoff + horizon`` (training outcomes would overlap
        the evaluation period); event-type outcomes without ``event``.
    DataError
        As :func:`~cxpath.customers.customer_histories`; no customer at a cut-off.

    Warns
    -----
    CxpathWarning
        When the evaluation window ends after the last activity of the log (its outcomes
        are incomplete).

    Examples
    --------
    >>> from cxpath.customers import propensity_frame
    >>> log = {"customer": ["a", "a", "b", "b", "c", "c", "a", "c", "b"],
    ...        "day": np.array(["2025-01-02", "2025-01-20", "2025-01-05", "2025-02-03",
    ...                         "2025-01-09", "2025-02-10", "2025-03-05", "2025-03-20",
    ...                         "2025-04-01"], "datetime64[D]")}
    >>> f = propensity_frame(log, customer="customer", timestamp="day", outcome="inactive",
    ...                      train_cutoff="2025-02-01", eval_cutoff="2025-03-01", horizon=28)
    >>> f.train_y.tolist(), f.eval_y.tolist()  # no activity in the next 28 days
    ([True, False, False], [False, True, False])
    """
    func = _PF
    if not isinstance(unit, str):
        v.fail("unit", func, "one of 'D', 'W', 'h', 's'", unit, wrong_type=True)
    scale = _UNITS[v.check_option(unit, "unit", func, tuple(_UNITS))]
    h = v.check_real(horizon, "horizon", func, low=0.0, closed="neither")
    if h * scale > 3.2e12:
        v.fail("horizon", func, "at most 100,000 years", horizon)
    zone = column_zone(data, timestamp) if timestamp is not None else None
    c1 = _instant_on(train_cutoff, zone, "train_cutoff", func)
    c2 = _instant_on(eval_cutoff, zone, "eval_cutoff", func)
    if c2 < c1 + h * scale:
        v.fail("eval_cutoff", func, "at least 'train_cutoff' + 'horizon' (training outcomes "
               f"end at {np.datetime64(round(c1 + h * scale), 's')})", eval_cutoff)
    if customer is None or timestamp is None:
        v.fail("customer" if customer is None else "timestamp", func,
               "a column name or an array", None, wrong_type=True)
    cust = _labels_of(column(data, customer, "customer", func), "customer", func)
    t = _instants(column(data, timestamp, "timestamp", func), "timestamp", func)
    ev = None if event is None else _labels_of(column(data, event, "event", func), "event",
                                               func, cust.size).astype(str)
    amt = None if amount is None else v.as_float_array(
        column(data, amount, "amount", func), "amount", func, min_size=0)
    spec = _outcome_spec(outcome, ev, func)
    churn_set = None if churn_event is None else _label_set(churn_event, "churn_event", func)
    if churn_set is not None and ev is None:
        v.fail("churn_event", func, "None without 'event' (it names event types)",
               sorted(churn_set))
    key = customer if isinstance(customer, str) else "customer"
    ckeys, cnames, cvals = _covariates(covariates, key, func)
    if t.size != cust.size:
        v.fail("timestamp", func, f"of the same length as 'customer' ({cust.size})",
               got=f"length {t.size}", data=True)
    if amt is not None and amt.size != cust.size:
        v.fail("amount", func, f"of the same length as 'customer' ({cust.size})",
               got=f"length {amt.size}", data=True)
    if not cust.size:
        v.fail("customer", func, "an array with at least 1 element(s)", got="0 element(s)",
               data=True)
    if not (t < c1).any():
        v.fail("train_cutoff", func, "after the first activity (a cut-off with at least "
               "one customer to score)", train_cutoff, data=True)
    if t.size and c2 + h * scale > float(t.max()):
        warn(f"customers.propensity_frame: the evaluation window ends at "
             f"{np.datetime64(round(c2 + h * scale), 's')}, after the last activity "
             f"({np.datetime64(round(float(t.max())), 's')}): its outcomes are "
             "incomplete.", CxpathWarning, stacklevel=2)
    names = ["recency", "frequency", "age"] + (["mean_amount", "total"] if amt is not None
                                               else []) + cnames
    dropped = 0
    sets = []
    for cut, label in ((c1, "train_cutoff"), (c2, "eval_cutoff")):
        hist = customer_histories(customer=cust, timestamp=t, amount=amt, event=ev,
                                  cutoff=cut, horizon=h, churn_event=churn_set, unit=unit)
        ids = hist.customer
        cols = [hist.recency, hist.frequency, hist.age]
        if amt is not None:
            cols += [hist.mean_amount, hist.total]
        keep = np.ones(ids.size, bool)
        if churn_set is not None:
            keep &= ~hist.churned
        x = np.column_stack(cols)
        if cvals is not None:
            pos = {k: i for i, k in enumerate(ckeys.tolist())}
            at = np.array([pos.get(k, -1) for k in ids.tolist()])
            keep &= at >= 0
            x = np.column_stack([x, cvals[np.maximum(at, 0)]])
        dropped += int((~keep).sum())
        if not keep.any():
            v.fail(label, func, "a cut-off with at least one customer to score",
                   got="no customer left", data=True)
        ids, x, last = ids[keep], x[keep], hist.last[keep]
        # outcome times, from the raw log: first outcome activity in [cut, cut + h)
        win = (t >= cut) & (t < cut + h * scale)
        first = np.full(ids.size, np.inf)
        rows = np.flatnonzero(win if spec is None else win & np.isin(ev, list(spec)))
        who = cust[rows]
        at = np.minimum(np.searchsorted(ids, who), ids.size - 1)  # ids are sorted
        hit = ids[at] == who
        np.minimum.at(first, at[hit], t[rows][hit])
        if spec is None:
            y = ~np.isfinite(first)
            when = np.where(y, cut + h * scale, np.nan)
        else:
            y = np.isfinite(first)
            when = np.where(y, first, np.nan)
        stamp = np.full(ids.size, np.datetime64("NaT"), dtype="datetime64[s]")
        ok = np.isfinite(when)
        stamp[ok] = np.round(when[ok]).astype(np.int64).astype("datetime64[s]")
        sets.append((ids, x, y, last, stamp))
    (i1, x1, y1, l1, o1), (i2, x2, y2, l2, o2) = sets
    label = "inactive" if spec is None else "|".join(sorted(spec))
    return PropensityFrame(tuple(names), i1, x1, y1, l1, o1, i2, x2, y2, l2, o2,
                           np.datetime64(round(c1), "s"), np.datetime64(round(c2), "s"), h,
                           unit, label, dropped)


# ----------------------------------------------------------------------------- the model

@result
class Explanations(Result):
    """Per-customer contributions of the default model's features to the log-odds.

    Attributes
    ----------
    customer : ndarray
    probability : ndarray of float
    contributions : ndarray of float, shape (n, len(features))
        ``coefficient × standardised value`` of each feature: the log-odds move from the
        average customer (intercept) that the feature causes.
    features : tuple of str
    top : int
        Number of top contributors shown (largest absolute contributions).
    """

    customer: np.ndarray
    probability: np.ndarray
    contributions: np.ndarray
    features: tuple
    top: int

    _key = "customer"
    _derived = derived_columns({
        "feature_{k}": "the k-th largest absolute contributor (names in features)",
        "contribution_{k}": "its contribution (a column of contributions)"})

    def _title(self) -> str:
        return "Propensity explanations (coefficient × standardised value)"

    def _columns(self) -> dict:
        out = {"customer": self.customer, "probability": self.probability}
        order = np.argsort(-np.abs(self.contributions), axis=1, kind="stable")[:, :self.top]
        names = np.array(self.features, dtype=object)
        for k in range(order.shape[1]):
            out[f"feature_{k + 1}"] = names[order[:, k]]
            out[f"contribution_{k + 1}"] = np.take_along_axis(
                self.contributions, order[:, k:k + 1], axis=1)[:, 0]
        return out


@result
class PropensityModel(Result):
    """A fitted propensity model and its scores on the evaluation rows.

    Attributes
    ----------
    customer : ndarray
        The evaluation customers.
    probability : ndarray of float
        Their predicted probability of the outcome.
    outcome : ndarray of bool
        What happened in the evaluation window.
    features : tuple of str
    coef : ndarray of float or None
        Coefficients of the default model per standardised feature (log-odds per standard
        deviation); None for a user's estimator.
    intercept : float or None
    mean, scale : ndarray of float
        Training means and standard deviations used to standardise.
    auc, brier, log_loss : float
        On the evaluation rows (AUC NaN when only one outcome occurs).
    base_rate : float
        Share of evaluation customers with the outcome.
    n_train : int
    estimator : object
        The fitted estimator.
    frame : PropensityFrame
    """

    customer: np.ndarray
    probability: np.ndarray
    outcome: np.ndarray
    features: tuple
    coef: np.ndarray | None
    intercept: float | None
    mean: np.ndarray
    scale: np.ndarray
    auc: float
    brier: float
    log_loss: float
    base_rate: float
    n_train: int
    estimator: Any
    frame: PropensityFrame

    _key = "customer"

    def _title(self) -> str:
        return "Propensity model"

    def _summary(self) -> list[str]:
        out = [f"{self.n_train} training, {self.customer.size} evaluation customers; base "
               f"rate {self.base_rate:.4g}; AUC {self.auc:.4g}, Brier {self.brier:.4g}, "
               f"log loss {self.log_loss:.4g}"]
        if self.coef is not None:
            out.append("coefficients per SD: " + ", ".join(
                f"{n} {c:+.3g}" for n, c in zip(self.features, self.coef.tolist())))
        return out

    def _columns(self) -> dict:
        return {"customer": self.customer, "probability": self.probability,
                "outcome": self.outcome}

    def calibration(self, bins: int = 10) -> Calibration:
        """Reliability curve, Brier score and log loss on the evaluation rows
        (:func:`calibration_table`)."""
        bins = v.check_int(bins, "bins", "customers.PropensityModel.calibration", low=1,
                           high=10_000)
        return _calibration(self.outcome, self.probability, bins)

    def lift(self, groups: int = 10) -> LiftTable:
        """Lift and gains by group on the evaluation rows (:func:`lift_table`)."""
        func = "customers.PropensityModel.lift"
        groups = v.check_int(groups, "groups", func, low=1, high=100_000)
        return _lift(self.outcome, self.probability, groups, func)

    def explain(self, top: int = 3) -> Explanations:
        """Per-customer contributions ``coefficient × standardised value`` (default model).

        Parameters
        ----------
        top : int, default 3
            Number of top contributors per customer in the table (at most the number of
            features).
        """
        func = "customers.PropensityModel.explain"
        if self.coef is None:
            v.fail("self", func, "a model fitted with the default logistic regression",
                   got="a user's estimator")
        top = v.check_int(top, "top", func, low=1, high=len(self.features))
        z = (self.frame.eval_X - self.mean) / self.scale
        return Explanations(self.customer, self.probability, z * self.coef, self.features,
                            top)


def fit_propensity(frame: PropensityFrame, *, estimator: Any = None, C: float = 1.0,
                   max_iter: int = 1000) -> PropensityModel:
    """Fit a propensity model on the training rows and score the evaluation rows.

    Parameters
    ----------
    frame : PropensityFrame
        From :func:`propensity_frame`.
    estimator : object, optional
        Any unfitted estimator with ``fit(X, y)`` and ``predict_proba(X)`` (scikit-learn
        API; cloned with ``sklearn.base.clone`` when it supports it), trained on the raw
        features. Default: ``LogisticRegression(C=C)`` on features standardised with the
        training means and standard deviations.
    C : float, default 1.0
        Inverse L2 regularisation strength of the default model (> 0).
    max_iter : int, default 1000
        Iterations of the default model's solver.

    Returns
    -------
    PropensityModel

    Raises
    ------
    InvalidTypeError
        ``frame`` not a PropensityFrame, an estimator without ``fit``/``predict_proba``.
    DataError
        Training outcomes of a single class.
    MissingExtraError
        Without scikit-learn (``pip install 'cxpath[text]'``).

    Examples
    --------
    >>> from cxpath.customers import fit_propensity, propensity_frame, simulate_activity
    >>> sim = simulate_activity(400, seed=3)
    >>> f = propensity_frame(sim["log"], customer="customer", timestamp="day",
    ...                      event="event", outcome="cancel", churn_event="cancel",
    ...                      covariates=sim["profile"], train_cutoff="2025-04-01",
    ...                      eval_cutoff="2025-07-01", horizon=90)
    >>> m = fit_propensity(f)
    >>> dict(zip(m.features, m.coef.round(2).tolist()))["price_rise"] > 0
    True
    >>> round(m.auc, 2)
    0.76
    """
    if not isinstance(frame, PropensityFrame):
        v.fail("frame", _FP, "a PropensityFrame (from customers.propensity_frame)", frame,
               wrong_type=True)
    C = v.check_real(C, "C", _FP, low=0.0, closed="neither")
    max_iter = v.check_int(max_iter, "max_iter", _FP, low=1, high=1_000_000)
    if estimator is not None and not (callable(getattr(estimator, "fit", None))
                                      and callable(getattr(estimator, "predict_proba", None))):
        v.fail("estimator", _FP, "an estimator with fit and predict_proba methods",
               estimator, wrong_type=True)
    y = frame.train_y
    if y.all() or not y.any():
        v.fail("frame", _FP, "training rows with both outcomes",
               got=f"only {'positive' if y.any() else 'negative'} outcomes", data=True)
    sk_base = require("sklearn.base", "customers.fit_propensity")
    mean = frame.train_X.mean(axis=0)
    sd = frame.train_X.std(axis=0)
    sd = np.where(sd > 0, sd, 1.0)
    if estimator is None:
        lm = require("sklearn.linear_model", "customers.fit_propensity")
        model = lm.LogisticRegression(C=C, max_iter=max_iter)
        model.fit((frame.train_X - mean) / sd, y)
        p = model.predict_proba((frame.eval_X - mean) / sd)[:, 1]
        coef, icpt = model.coef_[0].astype(float), float(model.intercept_[0])
    else:
        try:
            model = sk_base.clone(estimator)
        except (TypeError, ValueError, AttributeError):
            model = estimator
        try:
            model.fit(frame.train_X, y)
            proba = np.asarray(model.predict_proba(frame.eval_X), dtype=float)
        except Exception as exc:  # the user's estimator: report in our shape
            v.fail("estimator", _FP, "an estimator that fits and predicts these features",
                   got=f"{type(exc).__name__}: {exc}")
        if proba.ndim != 2 or proba.shape[0] != frame.eval_y.size or proba.shape[1] != 2:
            v.fail("estimator", _FP, "an estimator whose predict_proba gives (n, 2) "
                   "probabilities", got=f"shape {proba.shape}", data=True)
        p = proba[:, 1]
        coef = icpt = None
    p = np.clip(p, 0.0, 1.0)
    ye = frame.eval_y
    cal = _calibration(ye, p, 10)
    return PropensityModel(frame.eval_customer, p, ye, frame.features, coef, icpt, mean, sd,
                           _auc(ye, p), cal.brier, cal.log_loss, float(ye.mean()),
                           int(y.size), model, frame)


# ----------------------------------------------------------------------------- outreach

@result
class OutreachList(Result):
    """Customers ranked by expected savings of contacting them.

    Attributes
    ----------
    rank : ndarray of int
        1 = the largest expected savings.
    customer : ndarray
    probability : ndarray of float
    value_at_risk : ndarray of float
    expected_savings : ndarray of float
        ``probability × value_at_risk × success_rate − contact_cost``.
    cumulative_savings : ndarray of float
        Expected savings of contacting everyone down to this rank.
    contact : ndarray of bool
        Positive expected savings.
    success_rate, contact_cost : float
    """

    rank: np.ndarray
    customer: np.ndarray
    probability: np.ndarray
    value_at_risk: np.ndarray
    expected_savings: np.ndarray
    cumulative_savings: np.ndarray
    contact: np.ndarray
    success_rate: float
    contact_cost: float

    _key = "customer"

    def _title(self) -> str:
        return "Outreach list"

    def _summary(self) -> list[str]:
        k = int(self.contact.sum())
        best = float(self.expected_savings[self.contact].sum()) if k else 0.0
        return [f"{self.customer.size} customers; {k} worth contacting (success rate "
                f"{self.success_rate:g}, cost {self.contact_cost:g} each), expected savings "
                f"{best:.6g}"]

    def _columns(self) -> dict:
        return {"rank": self.rank, "customer": self.customer, "probability": self.probability,
                "value_at_risk": self.value_at_risk,
                "expected_savings": self.expected_savings,
                "cumulative_savings": self.cumulative_savings, "contact": self.contact}


def outreach(model: PropensityModel, *, value: str | float | ArrayLike | Any,
             success_rate: float, contact_cost: float = 0.0) -> OutreachList:
    """A ranked outreach list: expected savings of contacting each evaluation customer.

    Parameters
    ----------
    model : PropensityModel
        From :func:`fit_propensity`; its evaluation customers and probabilities.
    value : str, float, array-like or CLV
        Value at risk per customer: the name of a feature of the frame (``'total'``,
        ``'mean_amount'``, a covariate), one number for all, an array in the order of
        ``model.customer``, or a :class:`~cxpath.customers.CLV` result (matched by
        customer label; every evaluation customer must be in it).
    success_rate : float in [0, 1]
        Share of the contacted customers whose outcome the contact prevents.
    contact_cost : float, default 0
        Cost of one contact (>= 0), in the unit of ``value``.

    Returns
    -------
    OutreachList

    Raises
    ------
    InvalidParameterError
        An unknown feature name; a CLV without some evaluation customers.
    DataError
        Negative or non-finite values, an array of the wrong length.

    Examples
    --------
    >>> from cxpath.customers import fit_propensity, outreach, propensity_frame
    >>> from cxpath.customers import simulate_activity
    >>> sim = simulate_activity(400, seed=3)
    >>> m = fit_propensity(propensity_frame(
    ...     sim["log"], customer="customer", timestamp="day", amount="amount", event="event",
    ...     outcome="cancel", churn_event="cancel", covariates=sim["profile"],
    ...     train_cutoff="2025-04-01", eval_cutoff="2025-07-01", horizon=90))
    >>> o = outreach(m, value="total", success_rate=0.3, contact_cost=5.0)
    >>> bool(o.expected_savings[0] >= o.expected_savings[-1]), int(o.rank[0])
    (True, 1)
    """
    if not isinstance(model, PropensityModel):
        v.fail("model", _OR, "a PropensityModel (from customers.fit_propensity)", model,
               wrong_type=True)
    s = v.check_probability(success_rate, "success_rate", _OR)
    cost = v.check_real(contact_cost, "contact_cost", _OR, low=0.0)
    n = model.customer.size
    from .ltv import CLV

    if isinstance(value, CLV):
        pos = {k: i for i, k in enumerate(np.asarray(value.customer).tolist())}
        missing = [k for k in model.customer.tolist() if k not in pos]
        if missing:
            v.fail("value", _OR, "a CLV with every evaluation customer",
                   got=f"a CLV without customer {missing[0]!r}")
        val = np.asarray(value.clv, dtype=float)[[pos[k] for k in model.customer.tolist()]]
    elif isinstance(value, str):
        if value not in model.features:
            v.fail("value", _OR, "a feature of the frame (" + ", ".join(
                map(repr, model.features)) + ")", value)
        val = model.frame.eval_X[:, model.features.index(value)]
    elif isinstance(value, (int, float, np.integer, np.floating)) \
            and not isinstance(value, (bool, np.bool_)):
        val = np.full(n, v.check_real(value, "value", _OR, low=0.0))
    else:
        val = v.as_float_array(value, "value", _OR)
        if val.size != n:
            v.fail("value", _OR, f"one value per evaluation customer ({n})",
                   got=f"length {val.size}", data=True)
    if not np.isfinite(val).all() or (val < 0).any():
        i = int(np.argmax(~np.isfinite(val) | (val < 0)))
        v.fail("value", _OR, "finite values >= 0", got=f"{val[i]!r} at position {i}",
               data=True)
    saving = model.probability * val * s - cost
    order = np.argsort(-saving, kind="stable")
    return OutreachList(np.arange(1, n + 1), model.customer[order], model.probability[order],
                        val[order], saving[order], np.cumsum(saving[order]),
                        saving[order] > 0, s, cost)


# ----------------------------------------------------------------------------- simulation

def simulate_activity(n: int, *, days: int = 365, seed: Any = None) -> dict:
    """A customer base with a planted churn mechanism, for examples and tests.

    Customers join on a day uniform in the first 60 days of 2025 and are active (orders,
    one in ten a complaint) at a Poisson rate drawn from Gamma(2, 0.05) per day until they
    cancel. The cancellation hazard per day is
    ``0.004 · exp(1.2 · price_rise − 0.7 · tenure + 0.3 · support_calls)`` with the three
    covariates independent standard normal: a planted effect of known signs (+, −, +) and
    ranking (price_rise, tenure, support_calls).

    Parameters
    ----------
    n : int
        Number of customers (1 to 1,000,000).
    days : int, default 365
        Days simulated from 2025-01-01.
    seed : int or Generator, optional

    Returns
    -------
    dict
        ``'log'``: columns ``customer`` (int), ``day`` (datetime64[D]), ``amount`` and
        ``event`` (``'order'``, ``'complaint'``, ``'cancel'``); ``'profile'``: one row per
        customer with ``customer``, ``price_rise``, ``tenure``, ``support_calls``.

    Examples
    --------
    >>> from cxpath.customers import simulate_activity
    >>> sim = simulate_activity(100, seed=1)
    >>> sorted(sim["log"]), sorted(sim["profile"])
    (['amount', 'customer', 'day', 'event'], ['customer', 'price_rise', 'support_calls', 'tenure'])
    """
    func = "customers.simulate_activity"
    n = v.check_int(n, "n", func, low=1, high=1_000_000)
    days = v.check_int(days, "days", func, low=1, high=36_500)
    rng = v.check_seed(seed, "seed", func)
    z = rng.standard_normal((n, 3))
    hazard = 0.004 * np.exp(z @ np.array([1.2, -0.7, 0.3]))
    join = rng.integers(0, min(60, days), n)
    stop = np.minimum(join + rng.exponential(1.0 / hazard), days)
    rate = rng.gamma(2.0, 0.05, n)
    cust, day, event = [], [], []
    for i in range(n):
        k = rng.poisson(rate[i] * (stop[i] - join[i]))
        when = np.sort(rng.uniform(join[i], stop[i], k))
        when = np.r_[join[i], when].astype(int)
        cust.append(np.full(when.size, i))
        day.append(when)
        event.append(np.where(rng.random(when.size) < 0.1, "complaint", "order"))
        if stop[i] < days:
            cust.append([i])
            day.append([int(stop[i])])
            event.append(["cancel"])
    c = np.concatenate(cust).astype(np.int64)
    d = np.concatenate(day).astype(np.int64)
    e = np.concatenate(event).astype(object)
    amount = np.where(e == "order", np.round(rng.lognormal(3.0, 0.5, c.size), 2), 0.0)
    log = {"customer": c, "day": np.datetime64("2025-01-01") + d.astype("timedelta64[D]"),
           "amount": amount, "event": e}
    profile = {"customer": np.arange(n), "price_rise": z[:, 0], "tenure": z[:, 1],
               "support_calls": z[:, 2]}
    return {"log": log, "profile": profile}
