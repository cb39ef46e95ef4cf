"""Spare-part kernels: the occurrence-and-size count model of
:mod:`cxpath.forecast.intermittent_dist`, its lead-time demand pmf, and the inventory replay
of :mod:`cxpath.kpi.stock_policy`.

Model (Harvey & Fernandes 1989 discounted conjugate states, one for the occurrence and one
for the size of demand): in period ``t`` a demand occurs with probability ``p`` whose state
is ``Beta(a, b)``; a demand has size ``1 + w`` with ``w | lam ~ Poisson(lam)`` and the state
of ``lam`` is ``Gamma(s, r)`` (shape, rate). Before each period the occurrence state is
discounted (``a, b <- w_o a, w_o b``) and then updated by the indicator; the size state is
discounted and updated (``s <- w_s s + w``, ``r <- w_s r + 1``) in periods with demand only.
The one-step predictive distributions are Bernoulli(``a / (a + b)``) and ``1 +``
NegBin(``s``, ``r / (r + 1)``), so the prequential log-likelihood is exact.
"""

from __future__ import annotations

import math

import numpy as np

from ._jit import kernel

_Y = np.array([[0.0, 2.0, 0.0, 0.0, 3.0, 0.0, 1.0, 0.0, 0.0, 1.0]])
_W = np.array([0.8, 0.9, 0.95])


@kernel(example=lambda: (_Y, _W, _W, _W * 0 + 1, 1, 0.5, 0.5, 0.5, 0.5))
def count_model_prefix(y, w_occ, w_size, k_size, default, a0, b0, s0, r0):
    """States of the count model after every prefix of every series, with the discounts
    chosen by maximum prequential likelihood on that prefix.

    ``y`` is (series, n) of whole non-negative counts. For each prefix length ``t`` in
    ``0..n`` the occurrence discount is the grid value of ``w_occ`` with the largest
    log-likelihood of ``y[:, :t]`` (ties keep index ``default``) and likewise the size
    discount from ``w_size``. Returns ``(a, b, s, r, i_occ, i_size, loglik)`` each of shape
    (series, n + 1): the posterior states after ``t`` periods (not yet discounted for the
    next), the chosen grid indices, and the total log-likelihood at the chosen discounts.
    """
    m, n = y.shape
    go = w_occ.shape[0]
    gs = w_size.shape[0]
    a_out = np.empty((m, n + 1))
    b_out = np.empty((m, n + 1))
    s_out = np.empty((m, n + 1))
    r_out = np.empty((m, n + 1))
    io_out = np.empty((m, n + 1), dtype=np.int64)
    is_out = np.empty((m, n + 1), dtype=np.int64)
    ll_out = np.empty((m, n + 1))
    a = np.empty(go)
    b = np.empty(go)
    llo = np.empty(go)
    s = np.empty(gs)
    r = np.empty(gs)
    lls = np.empty(gs)
    for i in range(m):
        for g in range(go):
            a[g] = a0
            b[g] = b0
            llo[g] = 0.0
        for g in range(gs):
            s[g] = s0
            r[g] = r0
            lls[g] = 0.0
        for t in range(n + 1):
            if t > 0:
                x = y[i, t - 1]
                for g in range(go):
                    w = w_occ[g]
                    aa = w * a[g]
                    bb = w * b[g]
                    if x > 0:
                        llo[g] += math.log(aa / (aa + bb))
                        a[g] = aa + 1.0
                        b[g] = bb
                    else:
                        llo[g] += math.log(bb / (aa + bb))
                        a[g] = aa
                        b[g] = bb + 1.0
                if x > 0:
                    k = x - 1.0
                    for g in range(gs):
                        w = w_size[g]
                        ss = w * s[g]
                        rr = w * r[g]
                        sk = ss / k_size[g]
                        rk = rr / k_size[g]
                        lls[g] += (math.lgamma(sk + k) - math.lgamma(sk) - math.lgamma(k + 1.0)
                                   + sk * math.log(rk / (rk + 1.0))
                                   - k * math.log(rk + 1.0))
                        s[g] = ss + k
                        r[g] = rr + 1.0
            bo = default
            for g in range(go):
                if llo[g] > llo[bo] + 1e-9:
                    bo = g
            bs = default if default < gs else 0
            for g in range(gs):
                if lls[g] > lls[bs] + 1e-9:
                    bs = g
            a_out[i, t] = a[bo]
            b_out[i, t] = b[bo]
            s_out[i, t] = s[bs]
            r_out[i, t] = r[bs]
            io_out[i, t] = bo
            is_out[i, t] = bs
            ll_out[i, t] = llo[bo] + lls[bs]
    return a_out, b_out, s_out, r_out, io_out, is_out, ll_out


@kernel(example=lambda: (1.5, 2.5))
def _lbeta(x, y):
    """log B(x, y)."""
    return math.lgamma(x) + math.lgamma(y) - math.lgamma(x + y)


_S = np.array([0.45])
_KMAX = np.array([20], dtype=np.int64)


@kernel(example=lambda: (_S, _S * 4, _S, _S, 3, _KMAX))
def count_model_pmf(a, b, s, r, periods, kmax):
    """pmf on ``0..kmax[i]`` of the demand summed over ``periods`` periods, per series.

    The number of periods with demand is beta-binomial(``periods``, ``a``, ``b``) (the
    occurrence probability held over the window); given ``k`` demands the extra units
    beyond one per demand are negative binomial(``s``, ``r / (r + k)``) (Poisson with rate
    ``k lam``, ``lam ~ Gamma(s, r)`` shared). Row ``i`` is filled up to ``kmax[i]``; the
    mass beyond is left out. The output has ``max(kmax) + 1`` columns.
    """
    m = a.shape[0]
    width = 0
    for i in range(m):
        if kmax[i] > width:
            width = kmax[i]
    out = np.zeros((m, width + 1))
    for i in range(m):
        ai = a[i]
        bi = b[i]
        si = s[i]
        ri = r[i]
        top = kmax[i]
        lb = _lbeta(ai, bi)
        for k in range(periods + 1):
            lbb = (math.lgamma(periods + 1.0) - math.lgamma(k + 1.0)
                   - math.lgamma(periods - k + 1.0) + _lbeta(k + ai, periods - k + bi) - lb)
            pk = math.exp(lbb)
            if k == 0:
                out[i, 0] += pk
                continue
            if k > top:
                continue
            lq = si * math.log(ri / (ri + k))
            lp1 = math.log(k / (ri + k))
            lgs = math.lgamma(si)
            for w in range(top - k + 1):
                lw = math.lgamma(si + w) - lgs - math.lgamma(w + 1.0) + lq + w * lp1
                out[i, k + w] += pk * math.exp(lw)
    return out


_U = np.linspace(0.0, 1.0, 11)


@kernel(example=lambda: (np.array([0.2, 0.0]), np.array([0.7, 0.4]), _U))
def pit_cdf_sum(below, at, u):
    """Sum over rows of the non-randomised PIT cdf ``clip((u - F(x-1)) / (F(x) - F(x-1)),
    0, 1)`` at each ``u`` (Czado, Gneiting & Held 2009), with ``below = F(x - 1)`` and
    ``at = F(x)`` of each observed count ``x``."""
    out = np.zeros(u.shape[0])
    for i in range(below.shape[0]):
        lo = below[i]
        width = at[i] - lo
        for j in range(u.shape[0]):
            x = u[j]
            if x <= lo:
                continue
            if width <= 0.0 or x >= at[i]:
                out[j] += 1.0
            else:
                out[j] += (x - lo) / width
    return out


_D = np.array([[0.0, 1.0, 0.0, 2.0, 0.0, 0.0, 1.0, 0.0]])
_L2 = np.array([[2.0] * 8])


@kernel(example=lambda: (_D, _L2 - 1, _L2, _L2 * 0 + 1, 0, 2, 2.0, 2))
def replay(demand, reorder, up_to, quantity, mode, lead_time, start_stock, warm):
    """Run demand through a periodic-review policy with backorders, per series.

    In each period ``t``: the order placed ``lead_time`` periods earlier arrives; the stock
    position (net stock plus orders in transit) is reviewed and, if it is at most
    ``reorder[i, t]``, an order is placed: up to ``up_to[i, t]`` (``mode`` 0: (R, s, S) and,
    with ``s = S - 1``, order-up-to) or the smallest multiple of ``quantity[i, t]`` that
    lifts the position above the reorder level (``mode`` 1: (R, s, nQ)); then the demand
    ``demand[i, t]`` is met from stock on hand and the rest backordered. The net stock
    starts at ``start_stock`` (or ``up_to[i, 0]`` when negative) with nothing in transit.
    Counts from period ``warm`` on. Returns per series ``(demand, served, periods,
    stockout_periods, on_hand_sum, backorder_sum, orders)``; a stock-out period ends with
    backorders (net stock below zero), the complement of the cycle service level.
    """
    m, n = demand.shape
    res = np.zeros((m, 7))
    pipe = np.zeros(lead_time + 1)
    for i in range(m):
        for j in range(lead_time + 1):
            pipe[j] = 0.0
        net = start_stock if start_stock >= 0 else up_to[i, 0]
        transit = 0.0
        for t in range(n):
            slot = t % (lead_time + 1)
            net += pipe[slot]
            transit -= pipe[slot]
            pipe[slot] = 0.0
            pos = net + transit
            order = 0.0
            if pos <= reorder[i, t]:
                if mode == 0:
                    order = up_to[i, t] - pos
                else:
                    q = quantity[i, t]
                    order = q * (math.floor((reorder[i, t] - pos) / q) + 1.0)
            if order > 0:
                if lead_time == 0:
                    net += order
                else:
                    pipe[(t + lead_time) % (lead_time + 1)] += order
                    transit += order
            d = demand[i, t]
            avail = net if net > 0 else 0.0
            served = d if d < avail else avail
            net -= d
            if t >= warm:
                res[i, 0] += d
                res[i, 1] += served
                res[i, 2] += 1.0
                if net < 0:
                    res[i, 3] += 1.0
                res[i, 4] += net if net > 0 else 0.0
                res[i, 5] += -net if net < 0 else 0.0
                if order > 0:
                    res[i, 6] += 1.0
    return res
