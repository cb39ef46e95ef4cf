"""Weibull maximum-likelihood kernel for :mod:`cxpath.reliability` (exact and right-censored).

Groups are rows of a CSR layout (``offsets``). Within a group, row ``i`` has the log time
``log_t[i]``, the weight of its failures ``failed[i]`` (0 for a right-censored row) and the
weight of all its units ``weight[i]`` (``failed[i] <= weight[i]``).

For a fixed shape β the scale that maximises the likelihood is ``α^β = Σ w t^β / r``
(``r = Σ failed``), so the fit is a one-dimensional root of the profile score

    g(β) = r / β + Σ d ln t − r Σ w t^β ln t / Σ w t^β,

which decreases in β (the last term is a tilted mean of ``ln t``). The root is found by
Newton's method kept inside a bracket (bisection when a step leaves it). Times are taken
relative to the group's largest time so that ``t^β`` never overflows.

Status codes: 0 converged, 1 no failure in the group, 2 no finite maximum (every failure
at the group's largest time, so the likelihood grows without bound in β), 3 no
convergence within the iteration limit.
"""

from __future__ import annotations

import math

import numpy as np

from ._jit import kernel

__all__ = ["weibull_groups"]


def _example():
    log_t = np.log(np.array([10.0, 20.0, 30.0, 40.0, 50.0], dtype=np.float64))
    failed = np.array([1.0, 1.0, 0.0, 1.0, 0.0], dtype=np.float64)
    weight = np.ones(5, dtype=np.float64)
    offsets = np.array([0, 5], dtype=np.int64)
    return log_t, failed, weight, offsets


@kernel(example=_example)
def weibull_groups(log_t, failed, weight, offsets):
    """Per group: ``(alpha, beta, loglik, r, n, h_aa, h_ab, h_bb, status)`` as one
    ``(n_groups, 9)`` float64 array; ``h_*`` are second derivatives of the log-likelihood
    in ``(alpha, beta)`` at the maximum."""
    n_groups = offsets.shape[0] - 1
    out = np.full((n_groups, 9), np.nan)
    for g in range(n_groups):
        a = offsets[g]
        b = offsets[g + 1]
        r = 0.0
        n = 0.0
        c = -np.inf
        for i in range(a, b):
            r += failed[i]
            n += weight[i]
            if weight[i] > 0.0 and log_t[i] > c:
                c = log_t[i]
        out[g, 3] = r
        out[g, 4] = n
        if r <= 0.0:
            out[g, 8] = 1.0
            continue
        t1 = 0.0  # Σ d (ln t − c)
        for i in range(a, b):
            t1 += failed[i] * (log_t[i] - c)
        if t1 >= 0.0:
            out[g, 8] = 2.0
            continue
        beta = 1.0
        lo = 0.0
        hi = np.inf
        status = 3.0
        for _ in range(200):
            s0 = 0.0
            s1 = 0.0
            s2 = 0.0
            for i in range(a, b):
                u = log_t[i] - c
                e = weight[i] * math.exp(beta * u)
                s0 += e
                s1 += e * u
                s2 += e * u * u
            m1 = s1 / s0
            score = r / beta + t1 - r * m1
            slope = -r / (beta * beta) - r * (s2 / s0 - m1 * m1)
            if score > 0.0:
                lo = beta
            else:
                hi = beta
            step = -score / slope
            new = beta + step
            if not (new > lo and new < hi):
                new = 2.0 * beta if hi == np.inf else (
                    0.5 * (lo + hi) if lo == 0.0 else math.sqrt(lo * hi))
            done = abs(new - beta) <= 1e-14 * beta
            beta = new
            if done:
                status = 0.0
                break
        s0 = 0.0
        for i in range(a, b):
            s0 += weight[i] * math.exp(beta * (log_t[i] - c))
        log_alpha = c + (math.log(s0) - math.log(r)) / beta
        alpha = math.exp(log_alpha)
        ssum = 0.0
        sl = 0.0
        sll = 0.0
        for i in range(a, b):
            ln = log_t[i] - log_alpha
            z = weight[i] * math.exp(beta * ln)
            ssum += z
            sl += z * ln
            sll += z * ln * ln
        lnt = t1 + r * c
        out[g, 0] = alpha
        out[g, 1] = beta
        out[g, 2] = r * math.log(beta) - r * beta * log_alpha + (beta - 1.0) * lnt - ssum
        out[g, 5] = r * beta / (alpha * alpha) - beta * (beta + 1.0) / (alpha * alpha) * ssum
        out[g, 6] = -r / alpha + ssum / alpha + beta / alpha * sl
        out[g, 7] = -r / (beta * beta) - sll
        out[g, 8] = status
    return out
