"""Cox partial-likelihood and concordance kernels for :mod:`cxpath.customers`.

Rows are grouped by stratum in a CSR layout (``offsets``). :func:`cox_terms` walks each
stratum's distinct stop times from the last to the first, keeping the risk-set sums
``S0 = Σ w r``, ``S1 = Σ w r x`` and ``S2 = Σ w r x xᵀ`` (``r = exp(x β)``): rows join when
their stop time is reached and leave once the time is at or before their start (a row is at
risk on ``(start, stop]``; without entry times ``start = −inf``). Tied events use Efron's
approximation (``efron=True``) or Breslow's. It returns the log partial likelihood, its
gradient and the information matrix, and per distinct event time the quantities the
residuals need (averaged mean ``x̄``, hazard increments).

:func:`concordance_counts` counts Harrell's comparable, concordant and tied pairs with a
Fenwick tree over the ranks of the risk scores, in ``O(n log n)``.
"""

from __future__ import annotations

import math

import numpy as np

from ._jit import kernel

__all__ = ["concordance_counts", "cox_terms"]


def _example():
    x = np.array([[0.5], [-0.5], [1.0], [-1.0]], dtype=np.float64)
    stop = np.array([1.0, 2.0, 2.0, 3.0])
    start = np.full(4, -np.inf)
    event = np.array([1, 1, 0, 1], dtype=np.int64)
    weight = np.ones(4)
    offsets = np.array([0, 4], dtype=np.int64)
    by_stop = np.array([3, 1, 2, 0], dtype=np.int64)
    by_start = np.arange(4, dtype=np.int64)
    return x, stop, start, event, weight, offsets, by_stop, by_start, np.zeros(1), True, 3


@kernel(example=_example)
def cox_terms(x, stop, start, event, weight, offsets, by_stop, by_start, beta, efron, m):
    """``(loglik, gradient, information, times, strata, xbar, dh, db, dhf, dbf, count)``.

    ``by_stop``/``by_start``: row indices of each stratum segment sorted by stop/start time,
    decreasing. The per-event-time arrays (``m`` rows: at least the number of distinct
    event times) are filled in that (decreasing) order for their first ``count`` entries:
    ``xbar`` the Efron-averaged mean, ``dh = Σ_k m/den_k``, ``db = Σ_k m x̄_k/den_k``,
    ``dhf``/``dbf`` the same with the factors ``k/d``.
    """
    p = x.shape[1]
    eta = x @ beta
    loglik = 0.0
    grad = np.zeros(p)
    info = np.zeros((p, p))
    times = np.empty(m)
    strata = np.empty(m, dtype=np.int64)
    xbar = np.zeros((m, p))
    db = np.zeros((m, p))
    dbf = np.zeros((m, p))
    dh = np.zeros(m)
    dhf = np.zeros(m)
    s1 = np.zeros(p)
    s2 = np.zeros((p, p))
    d1 = np.zeros(p)
    d2 = np.zeros((p, p))
    xd = np.zeros(p)
    mk = np.zeros(p)
    count = 0
    for g in range(offsets.shape[0] - 1):
        a = offsets[g]
        b = offsets[g + 1]
        s0 = 0.0
        s1[:] = 0.0
        s2[:, :] = 0.0
        ia = a
        ir = a
        while ia < b:
            t = stop[by_stop[ia]]
            d0 = 0.0
            d1[:] = 0.0
            d2[:, :] = 0.0
            xd[:] = 0.0
            wsum = 0.0
            nd = 0
            while ia < b and stop[by_stop[ia]] == t:
                i = by_stop[ia]
                r = weight[i] * math.exp(eta[i])
                s0 += r
                for j in range(p):
                    s1[j] += r * x[i, j]
                    for k in range(j + 1):
                        s2[j, k] += r * x[i, j] * x[i, k]
                if event[i] != 0:
                    d0 += r
                    wsum += weight[i]
                    nd += 1
                    loglik += weight[i] * eta[i]
                    for j in range(p):
                        d1[j] += r * x[i, j]
                        xd[j] += weight[i] * x[i, j]
                        for k in range(j + 1):
                            d2[j, k] += r * x[i, j] * x[i, k]
                ia += 1
            while ir < b and start[by_start[ir]] >= t:
                i = by_start[ir]
                r = weight[i] * math.exp(eta[i])
                s0 -= r
                for j in range(p):
                    s1[j] -= r * x[i, j]
                    for k in range(j + 1):
                        s2[j, k] -= r * x[i, j] * x[i, k]
                ir += 1
            if nd == 0:
                continue
            terms = nd if efron else 1
            mult = wsum / nd if efron else wsum
            for j in range(p):
                grad[j] += xd[j]
            for kk in range(terms):
                f = kk / nd if efron else 0.0
                den = s0 - f * d0
                loglik -= mult * math.log(den)
                h = mult / den
                dh[count] += h
                dhf[count] += f * h
                for j in range(p):
                    mk[j] = (s1[j] - f * d1[j]) / den
                    grad[j] -= mult * mk[j]
                    xbar[count, j] += mk[j] * mult / wsum
                    db[count, j] += h * mk[j]
                    dbf[count, j] += f * h * mk[j]
                for j in range(p):
                    for k in range(j + 1):
                        info[j, k] += mult * ((s2[j, k] - f * d2[j, k]) / den - mk[j] * mk[k])
            times[count] = t
            strata[count] = g
            count += 1
    for j in range(p):
        for k in range(j):
            info[k, j] = info[j, k]
    return loglik, grad, info, times, strata, xbar, dh, db, dhf, dbf, count


def _concordance_example():
    time = np.array([1.0, 2.0, 2.0, 3.0])
    event = np.array([1, 1, 0, 1], dtype=np.int64)
    rank = np.array([3, 2, 2, 1], dtype=np.int64)
    return time, event, rank, 3, np.array([0, 4], dtype=np.int64)


@kernel(example=_concordance_example)
def concordance_counts(time, event, rank, n_ranks, offsets):
    """``(concordant, tied, comparable)`` pairs; rows sorted by stratum, then time increasing.

    A pair is comparable when the earlier time is an event (or both times are equal and
    only the first is an event); concordant when the earlier row has the higher risk rank
    (1-based ranks of the risk score, equal scores equal ranks).
    """
    tree = np.zeros(n_ranks + 1)
    correct = 0.0
    tied = 0.0
    pairs = 0.0
    for g in range(offsets.shape[0] - 1):
        a = offsets[g]
        b = offsets[g + 1]
        total = 0.0
        i = b - 1
        while i >= a:
            j = i
            while j - 1 >= a and time[j - 1] == time[i]:
                j -= 1
            for r in range(j, i + 1):
                if event[r] == 0:
                    k = rank[r]
                    while k <= n_ranks:
                        tree[k] += 1.0
                        k += k & (-k)
                    total += 1.0
            for r in range(j, i + 1):
                if event[r] != 0:
                    below = 0.0
                    k = rank[r] - 1
                    while k > 0:
                        below += tree[k]
                        k -= k & (-k)
                    upto = 0.0
                    k = rank[r]
                    while k > 0:
                        upto += tree[k]
                        k -= k & (-k)
                    correct += below
                    tied += upto - below
                    pairs += total
            for r in range(j, i + 1):
                if event[r] != 0:
                    k = rank[r]
                    while k <= n_ranks:
                        tree[k] += 1.0
                        k += k & (-k)
                    total += 1.0
            i = j - 1
        for r in range(a, b):  # empty the tree for the next stratum
            k = rank[r]
            while k <= n_ranks:
                tree[k] = 0.0
                k += k & (-k)
    return correct, tied, pairs
