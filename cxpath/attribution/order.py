"""Choosing the Markov order from data: cross-validated likelihood and conversion prediction.

A higher order remembers more of the path and always fits the journeys it was estimated on
better; whether it predicts *new* journeys better is what decides it. :func:`markov_order`
splits the journeys into folds, estimates each order's chain on all folds but one and scores
it on the held-out fold: the log-likelihood of the held-out journeys' transitions (the
sequence model), and how well the state a journey ends in predicts whether it converts
(AUC). The transitions of every order are listed once; each fold only re-weights them, so
the folds cost a few array passes over the events.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from .. import _validate as v
from .._results import Result, derived_columns, result
from ._paths import AttributionPaths, check_seed, prepare

if TYPE_CHECKING:
    from .._typing import ColumnLike, TableLike
    from ..journeys import Journeys, JourneyStats

__all__ = ["OrderChoice", "markov_order"]

FUNC = "attribution.markov_order"
CRITERIA = ("likelihood", "auc")
RULES = ("best", "one_se")


@result
class OrderChoice(Result):
    """Cross-validated fit of each Markov order, and the order chosen.

    Attributes
    ----------
    orders : ndarray of int
    states : ndarray of int
        Transient states of each order's chain on all journeys (start state included).
    log_likelihood, log_likelihood_se : ndarray
        Mean held-out log-likelihood per journey (natural log, higher is better) and its
        standard error across folds.
    auc, auc_se : ndarray
        Held-out area under the ROC curve of the conversion probability of the state each
        journey ends in, and its standard error across folds.
    chosen : int
        The order picked by ``criterion`` and ``rule``.
    criterion, rule : str
    folds : int
    smoothing : float
    journeys : float
    """

    orders: np.ndarray
    states: np.ndarray
    log_likelihood: np.ndarray
    log_likelihood_se: np.ndarray
    auc: np.ndarray
    auc_se: np.ndarray
    chosen: int
    criterion: str
    rule: str
    folds: int
    smoothing: float
    journeys: float

    _key = ("order",)

    def _title(self):
        return "Markov order choice"

    def _summary(self):
        return [f"order {self.chosen} chosen by {self.folds}-fold held-out {self.criterion} "
                f"({self.rule.replace('_', '-')} rule) over {self.journeys:,.0f} journeys"]

    def _columns(self):
        return {"order": self.orders, "states": self.states,
                "log_likelihood": self.log_likelihood,
                "log_likelihood_se": self.log_likelihood_se, "auc": self.auc,
                "auc_se": self.auc_se, "chosen": self.orders == self.chosen}

    _derived = derived_columns({"order": "one row per entry of ``orders``",
                                "chosen": "True on the row of the ``chosen`` order"})


def _weighted_auc(score, pos, neg) -> float:
    """AUC of ``score`` with positive and negative weights per item; ties count one half."""
    total_pos, total_neg = pos.sum(), neg.sum()
    if total_pos <= 0 or total_neg <= 0:
        return float("nan")
    levels, inverse = np.unique(score, return_inverse=True)
    p = np.bincount(inverse, pos, levels.size)
    n = np.bincount(inverse, neg, levels.size)
    below = np.cumsum(n) - n
    return float((p * (below + 0.5 * n)).sum() / (total_pos * total_neg))


def _fold_counts(paths: AttributionPaths, folds: int, rng,
                 func: str) -> tuple[np.ndarray, np.ndarray]:
    """Journeys of every path and outcome dealt to folds at random: ``(conv, null)``, each
    of shape ``(folds, n_paths)``, every fold holding ``N // folds`` or one more journeys."""
    cells = np.concatenate([paths.conversions, paths.nulls])
    whole = np.round(cells)
    if np.any(np.abs(cells - whole) > 1e-9):
        v.fail("data", func, "whole journey counts (folds deal journeys, not weights)",
               got="fractional conversions or nulls (weighted journeys)", data=True)
    if whole.sum() < folds:
        v.fail("folds", func, f"at most the number of journeys ({whole.sum():,.0f})", folds)
    # balanced folds (sizes differ by at most one journey, so none is empty): each fold
    # draws its share of the journeys left, without replacement
    left = whole.astype(np.int64)
    sizes = np.full(folds, int(left.sum()) // folds)
    sizes[:int(left.sum()) % folds] += 1
    dealt = np.empty((folds, left.size), dtype=np.int64)
    for f in range(folds - 1):
        dealt[f] = rng.multivariate_hypergeometric(left, int(sizes[f]), method="marginals")
        left = left - dealt[f]
    dealt[-1] = left
    n = paths.conversions.size
    return dealt[:, :n].astype(np.float64), dealt[:, n:].astype(np.float64)


def _order_scores(paths, order, collapse, conv, null, smoothing):
    """Per-fold held-out log-likelihood per journey and AUC of one order."""
    from .._kernels.attribution import markov_transitions

    n = paths.n_channels
    from_key, to_col, owner = markov_transitions(paths.codes, paths.offsets, n, order,
                                                 collapse)
    keys, state = np.unique(from_key, return_inverse=True)
    m = keys.size
    exits = to_col == n
    moving = ~exits
    pair_key = np.stack([state[moving], to_col[moving]], axis=1)
    pairs, pair = np.unique(pair_key, axis=0, return_inverse=True)
    pair = pair.ravel()
    exit_state = np.empty(paths.conversions.size, dtype=np.int64)
    exit_state[owner[exits]] = state[exits]
    k_next = n + 2  # any channel, conversion or null
    folds = conv.shape[0]
    ll, auc = np.empty(folds), np.empty(folds)
    total_conv, total_null = conv.sum(axis=0), null.sum(axis=0)
    for f in range(folds):
        tr_c, tr_n = total_conv - conv[f], total_null - null[f]
        tr_w = tr_c + tr_n
        move_counts = np.bincount(pair, tr_w[owner[moving]], pairs.shape[0])
        s_conv = np.bincount(exit_state, tr_c, m)
        s_null = np.bincount(exit_state, tr_n, m)
        s_total = np.bincount(state[moving], tr_w[owner[moving]], m) + s_conv + s_null
        denom = s_total + smoothing * k_next
        te_w = (conv[f] + null[f])
        p_move = (move_counts[pair] + smoothing) / denom[state[moving]]
        p_conv = (s_conv + smoothing) / denom
        p_null = (s_null + smoothing) / denom
        loglik = (te_w[owner[moving]] * np.log(p_move)).sum()
        loglik += (conv[f] * np.log(p_conv[exit_state])).sum()
        loglik += (null[f] * np.log(p_null[exit_state])).sum()
        ll[f] = loglik / te_w.sum()
        score = p_conv[exit_state] / (p_conv[exit_state] + p_null[exit_state])
        auc[f] = _weighted_auc(score, conv[f], null[f])
    return m, ll, auc


def _pick(orders, mean, se, rule) -> int:
    best = int(np.nanargmax(mean))
    if rule == "best" or not np.isfinite(se[best]):
        return int(orders[best])
    ok = np.flatnonzero(mean >= mean[best] - se[best])
    return int(orders[ok.min()])


def markov_order(data: Journeys | JourneyStats | TableLike, *,
                 orders: Sequence[int] = (1, 2, 3, 4), folds: int = 5,
                 criterion: str = "likelihood", rule: str = "best", smoothing: float = 0.5,
                 collapse_repeats: bool = False, by: str = "touchpoint",
                 exclude: str | Sequence[str] | None = None,
                 seed: int | np.random.Generator | None = None,
                 path: ColumnLike | None = None, conversions: ColumnLike | None = None,
                 nulls: ColumnLike | None = None, value: ColumnLike | None = None,
                 sep: str = ">") -> OrderChoice:
    """Choose the Markov order by cross-validated likelihood or conversion prediction.

    Parameters
    ----------
    data : Journeys, JourneyStats or table
        As in :func:`~cxpath.attribution.markov` (journey counts must be whole numbers:
        folds deal out journeys).
    orders : sequence of int, default (1, 2, 3, 4)
        Orders compared (each 1–4).
    folds : int, default 5
        Journeys are dealt to folds at random (``seed``), the folds differing in size by
        at most one journey; each order is estimated on all folds but one and scored on
        the one left out.
    criterion : {'likelihood', 'auc'}, default 'likelihood'
        ``likelihood``: mean held-out log-likelihood per journey of its transitions (every
        touch, then conversion or null), under the chain estimated without it.
        ``auc``: held-out AUC of the conversion probability of the state the journey ends
        in (which journeys convert).
    rule : {'best', 'one_se'}, default 'best'
        ``best``: the order with the best mean score; ``one_se``: the lowest order whose
        mean is within one standard error (across folds) of the best (Hastie, Tibshirani &
        Friedman 2009, §7.10), which prefers the smaller chain when the data cannot tell.
    smoothing : float, default 0.5
        Additive (Lidstone) smoothing of the estimated transition probabilities, so a
        transition or state never seen in training gets a small probability instead of
        zero (add ``smoothing`` to each of the ``n_channels + 2`` next-step counts).
    collapse_repeats, by, exclude, path, conversions, nulls, value, sep
        As in :func:`~cxpath.attribution.markov`.
    seed : int or numpy.random.Generator, optional
        Seed of the fold assignment.

    Returns
    -------
    OrderChoice

    Raises
    ------
    InvalidParameterError, DataError
        Orders outside 1–4 or repeated, fewer journeys than folds, fractional journey
        counts, and the input errors of :func:`~cxpath.attribution.markov`.

    Notes
    -----
    The likelihood is that of the full sequence model, self-loops included (they do not
    change the attribution's absorption probabilities but they are part of how journeys
    move). Work is ``len(orders) × folds`` passes over the transitions, no linear solves.

    Examples
    --------
    >>> from cxpath import Journeys
    >>> from cxpath.attribution import markov_order
    >>> paths = ["a > b", "b > a", "a > a", "b > b"] * 50
    >>> j = Journeys.from_paths(paths, conversions=[1, 0, 0, 1] * 50, nulls=[0, 1, 1, 0] * 50)
    >>> choice = markov_order(j, orders=(1, 2), seed=1)
    >>> choice.chosen
    2
    """
    if isinstance(orders, (str, bytes)) or not hasattr(orders, "__iter__"):
        v.fail("orders", FUNC, "a sequence of orders 1–4", orders, wrong_type=True)
    orders_list = [v.check_int(o, "orders", FUNC, low=1, high=4) for o in orders]
    if not orders_list or len(set(orders_list)) != len(orders_list):
        v.fail("orders", FUNC, "a non-empty sequence of distinct orders 1–4", orders)
    folds = v.check_int(folds, "folds", FUNC, low=2, high=100)
    criterion = v.check_option(criterion, "criterion", FUNC, CRITERIA)
    rule = v.check_option(rule, "rule", FUNC, RULES)
    smoothing = v.check_real(smoothing, "smoothing", FUNC, low=0.0, closed="neither")
    collapse = v.check_bool(collapse_repeats, "collapse_repeats", FUNC)
    rng = check_seed(seed, FUNC)
    paths = prepare(data, FUNC, by=by, exclude=exclude, path=path, conversions=conversions,
                    nulls=nulls, value=value, sep=sep, use_value=False)
    return choose_order(paths, orders_list, folds, criterion, rule, smoothing, collapse, rng)


def choose_order(paths: AttributionPaths, orders, folds: int, criterion: str, rule: str,
                 smoothing: float, collapse: bool, rng, func: str = FUNC) -> OrderChoice:
    """:func:`markov_order` on prepared paths with checked options."""
    from .._budget import check_memory

    check_memory(paths.codes.size * 8.0 * 8 + paths.conversions.size * folds * 8.0 * 6,
                 func, f"the transitions of {paths.codes.size:,} touches over {folds} folds")
    conv, null = _fold_counts(paths, folds, rng, func)
    orders_arr = np.asarray(sorted(orders), dtype=np.int64)
    states, ll, ll_se, auc, auc_se = (np.empty(orders_arr.size) for _ in range(5))
    for i, order in enumerate(orders_arr.tolist()):
        m, fold_ll, fold_auc = _order_scores(paths, order, collapse, conv, null, smoothing)
        ok = fold_auc[np.isfinite(fold_auc)]
        states[i] = m
        ll[i], ll_se[i] = fold_ll.mean(), fold_ll.std(ddof=1) / np.sqrt(folds)
        auc[i] = ok.mean() if ok.size else np.nan
        auc_se[i] = ok.std(ddof=1) / np.sqrt(ok.size) if ok.size > 1 else np.nan
    if criterion == "auc" and not np.isfinite(auc).any():
        v.fail("criterion", func, "'likelihood' when no fold holds both converting and "
               "non-converting journeys", criterion)
    mean, se = (ll, ll_se) if criterion == "likelihood" else (auc, auc_se)
    chosen = _pick(orders_arr, mean, se, rule)
    return OrderChoice(orders=orders_arr, states=states.astype(np.int64), log_likelihood=ll,
                       log_likelihood_se=ll_se, auc=auc, auc_se=auc_se, chosen=chosen,
                       criterion=criterion, rule=rule, folds=folds, smoothing=smoothing,
                       journeys=float(conv.sum() + null.sum()))
