"""Queueing kernels for ``cxpath.kpi``: Erlang B/C recursions, staffing searches, Erlang A.

Every kernel works in units of the average handle time (service rate 1): the offered load
``a`` is in Erlangs, answer-time thresholds ``tau`` and patience ratios are multiples of the
AHT. Arrays are scenarios; each scenario is independent.
"""

from __future__ import annotations

import math

import numpy as np

from ._jit import kernel

# states beyond the last server a chain may use before we call the queue unstable
MAX_QUEUE_STATES = 2_000_000
# queue states x uniformisation steps of one answered-within-t computation (a few seconds)
MAX_UNIFORM_WORK = 2e9


def _f(*values):
    return tuple(np.array(v, dtype=np.float64) for v in values)


def _example_search():
    return (*_f([10.0], [20.0 / 180.0], [0.8], [np.inf]), np.array([11], dtype=np.int64),
            np.array([0.2]))


@kernel(example=_example_search)
def erlang_c_search(a, tau, target, max_asa, start, b_start):
    """Fewest agents per scenario meeting every target under Erlang C, searched upwards from
    ``start`` agents whose Erlang B value ``b_start`` the caller computed in O(1)
    (:func:`cxpath.kpi.erlang_b`): the work is the agents added above ``start`` (order
    ``sqrt(a)``), not ``a`` steps of the recursion. Service level rises and ASA falls with
    agents, so the first count meeting the targets is the minimum; ``start`` must be a count
    with a stable queue (more agents than the load). Returns ``(agents, erlang_b_there)``;
    a zero load needs zero agents.
    """
    m = a.shape[0]
    # np.empty and explicit zeros: np.zeros compiles two more numpy implementations
    # (zero-fill per dtype), a third of this kernel's cold compile
    agents = np.empty(m, dtype=np.int64)
    blocking = np.empty(m, dtype=np.float64)
    for s in range(m):
        agents[s] = 0
        blocking[s] = 0.0
        load = a[s]
        if load <= 0.0:
            continue
        n = start[s]
        b = b_start[s]
        while True:
            c = n * b / (n - load * (1.0 - b))
            sl = 1.0 - c * math.exp(-(n - load) * tau[s])
            asa = c / (n - load)
            if sl >= target[s] and asa <= max_asa[s]:
                break
            n += 1
            b = load * b / (n + load * b)
        agents[s] = n
        blocking[s] = b
    return agents, blocking


def _example_a():
    return (np.array([10.0]), np.array([11], dtype=np.int64), np.array([0.5]),
            np.array([20.0 / 180.0]))


@kernel()
def _erlang_a_one(load, n, g, tau, res):
    """One Erlang A (M/M/n+M) scenario in AHT units: ``load`` = lambda/mu, ``g`` = theta/mu.

    Fills ``res`` (length 8) with (status, p_wait, p_abandon, wait_all, wait_answered, p_served,
    answered_within_tau, n_states). status 1 means the chain needed more than
    ``MAX_QUEUE_STATES`` queue states (patience too long for an overloaded queue); status 2
    that the answered-within-tau computation would take more than ``MAX_UNIFORM_WORK`` steps.
    """
    log_load = math.log(load)
    # pass 1: how far the chain must be followed (log weights relative to state 0)
    logw = 0.0
    wmax = 0.0
    k = 0
    status = 0
    while True:
        k += 1
        rate = float(k) if k <= n else n + (k - n) * g
        logw += log_load - math.log(rate)
        if logw > wmax:
            wmax = logw
        if k > n and rate > load:
            ratio = load / rate
            # the tail beyond k is below w_k * ratio / (1 - ratio)
            if logw + math.log(ratio / (1.0 - ratio)) < wmax - 40.0:
                break
        if k - n > MAX_QUEUE_STATES:
            status = 1
            break
    top = k
    if status != 0:
        for j in range(8):
            res[j] = 0.0
        res[0] = status
        return
    pi = np.empty(top + 1, dtype=np.float64)
    logw = 0.0
    pi[0] = math.exp(-wmax)
    total = pi[0]
    for k in range(1, top + 1):
        rate = float(k) if k <= n else n + (k - n) * g
        logw += log_load - math.log(rate)
        pi[k] = math.exp(logw - wmax)
        total += pi[k]
    for k in range(top + 1):
        pi[k] /= total
    p_wait = 0.0
    queue = 0.0
    below = 0.0
    for k in range(top + 1):
        if k >= n:
            p_wait += pi[k]
            queue += (k - n) * pi[k]
        else:
            below += pi[k]
    p_abandon = g * queue / load
    wait_all = queue / load
    # a customer arriving to j waiting customers is served with probability
    # n / (n + (j + 1) g) after stages of mean 1 / (n + (i + 1) g), i = j..0
    served_queued = 0.0
    wait_served = 0.0
    stages = 0.0
    for j in range(top - n + 1):
        stages += 1.0 / (n + (j + 1) * g)
        ps = n / (n + (j + 1) * g)
        served_queued += pi[n + j] * ps
        wait_served += pi[n + j] * ps * stages
    p_served = below + served_queued
    wait_answered = wait_served / p_served if p_served > 0.0 else 0.0
    # served within tau: uniformisation of the tagged customer's position chain
    within = 0.0
    n_pos = top - n + 1
    if tau > 0.0 and n_pos > 0:
        lam = n + n_pos * g
        x = lam * tau
        steps = x + 10.0 * math.sqrt(x) + 30.0
        if steps * n_pos > MAX_UNIFORM_WORK:
            for j in range(8):
                res[j] = 0.0
            res[0] = 2
            return
        steps = int(steps)
        v = pi[n:top + 1].copy()
        nv = np.empty(n_pos, dtype=np.float64)
        served = 0.0
        cdf = math.exp(-x)  # P(Poisson(x) <= 0)
        for m in range(1, steps + 1):
            served += v[0] * n / lam
            remaining = 0.0
            for i in range(n_pos):
                stay = 1.0 - (n + (i + 1) * g) / lam
                val = v[i] * stay
                if i + 1 < n_pos:
                    val += v[i + 1] * (n + (i + 1) * g) / lam
                nv[i] = val
                remaining += val
            for i in range(n_pos):
                v[i] = nv[i]
            pmf = math.exp(-x + m * math.log(x) - math.lgamma(m + 1.0))
            within += pmf * served
            cdf += pmf
            if remaining < 1e-17:
                within += served * max(0.0, 1.0 - cdf)
                break
    res[0] = status
    res[1] = p_wait
    res[2] = p_abandon
    res[3] = wait_all
    res[4] = wait_answered
    res[5] = p_served
    res[6] = below + within
    res[7] = top


@kernel(example=_example_a)
def erlang_a(a, n, g, tau):
    """Erlang A metrics per scenario (``n`` int64 agents, the rest float64).

    Returns a ``(7, m)`` float array: status, p_wait, p_abandon, wait_all, wait_answered,
    p_served, answered_within_tau.
    """
    m = a.shape[0]
    out = np.empty((7, m), dtype=np.float64)
    r = np.empty(8, dtype=np.float64)
    for s in range(m):
        _erlang_a_one(a[s], n[s], g[s], tau[s], r)
        for j in range(7):
            out[j, s] = r[j]
    return out


@kernel()
def _erlang_a_feasible(load, n, g, tau, target, max_abandon, max_occupancy, max_asa, r):
    """Fill ``r`` for ``n`` agents; 1 if every target is met (or the chain failed), else 0."""
    _erlang_a_one(load, n, g, tau, r)
    occ = load * (1.0 - r[2]) / n
    if r[0] != 0 or (r[6] >= target and r[2] <= max_abandon and occ <= max_occupancy
                     and r[4] <= max_asa):
        return 1
    return 0


@kernel(example=lambda: _f([10.0], [0.5], [20.0 / 180.0], [0.8], [1.0], [1.0], [np.inf]))
def erlang_a_staffing(a, g, tau, target, max_abandon, max_occupancy, max_asa):
    """Fewest agents per scenario meeting every Erlang A target.

    Answered-within-tau can never exceed ``n / a`` (the servers' throughput bound), so the
    search starts at ``max(1, floor(a * target))``. Service level and occupancy fall, and
    abandonment and waits fall, as agents are added, so feasibility is monotone in the
    agents: a galloping search (steps 1, 2, 4, …) brackets the first feasible count and a
    bisection finds it. Returns ``(agents, metrics)`` with ``metrics`` as in
    :func:`erlang_a` at the chosen agents.
    """
    m = a.shape[0]
    agents = np.zeros(m, dtype=np.int64)
    out = np.zeros((7, m), dtype=np.float64)
    r = np.empty(8, dtype=np.float64)
    for s in range(m):
        load = a[s]
        if load <= 0.0:
            continue
        low = max(1, math.floor(load * target[s]))
        args = (g[s], tau[s], target[s], max_abandon[s], max_occupancy[s], max_asa[s])
        if _erlang_a_feasible(load, low, args[0], args[1], args[2], args[3], args[4],
                              args[5], r) == 1:
            n = low
        else:
            # low is infeasible: gallop to a feasible high, then bisect (low, high]
            step = 1
            high = low + step
            while _erlang_a_feasible(load, high, args[0], args[1], args[2], args[3],
                                     args[4], args[5], r) == 0:
                low = high
                step *= 2
                high = low + step
            while high - low > 1:
                mid = (low + high) // 2
                if _erlang_a_feasible(load, mid, args[0], args[1], args[2], args[3],
                                      args[4], args[5], r) == 1:
                    high = mid
                else:
                    low = mid
            n = high
            _erlang_a_feasible(load, n, args[0], args[1], args[2], args[3], args[4], args[5],
                               r)
        agents[s] = n
        for j in range(7):
            out[j, s] = r[j]
    return agents, out
