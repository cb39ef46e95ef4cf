"""Loop-by-loop references of the ETS initial-state heuristic (Hyndman et al. 2008, R
forecast's ``initstate``) and of ETS sample paths, against which the numpy versions
(``cxpath._kernels.forecast._initial_states``, ``cxpath.forecast._simulate``) are checked
bit for bit."""

import math

import numpy as np

from cxpath._kernels import forecast as k


def init_states_reference(y, m, trend, season):
    """Heuristic initial states of R forecast's ``initstate`` (decomposition then regression),
    written as loops over the series (the test oracle of :func:`_initial_states`).

    Returns ``[l0, (b0), (s_0..s_{m-2})]``; the last seasonal state is implied by the
    normalisation (sum 0 for additive, m for multiplicative seasonality).
    """
    n = y.shape[0]
    mm = m if season != 0 else 1
    if season != 0:
        if n < 3 * m:
            cols = 4 if m != 2 else 3
            x = np.empty((n, cols))
            for t in range(n):
                x[t, 0] = 1.0
                x[t, 1] = t + 1.0
                if m != 2:
                    x[t, 2] = math.sin(2.0 * math.pi * (t + 1.0) / m)
                    x[t, 3] = math.cos(2.0 * math.pi * (t + 1.0) / m)
                else:
                    x[t, 2] = math.cos(2.0 * math.pi * (t + 1.0) / m)
            coef = k.least_squares(x, y)
            seas = np.empty(n)
            for t in range(n):
                base = coef[0] + coef[1] * (t + 1.0)
                seas[t] = y[t] - base if season == 1 else y[t] / base
        else:
            seas = k.classical_seasonal(y, m, season)
        init_s = np.empty(m - 1)
        for j in range(m - 1):
            init_s[j] = seas[m - 1 - j]
        ysa = np.empty(n)
        if season == 1:
            for t in range(n):
                ysa[t] = y[t] - seas[t]
        else:
            tot = 0.0
            for j in range(m - 1):
                init_s[j] = max(init_s[j], 1e-2)
                tot += init_s[j]
            if tot > m:
                tot2 = 0.0
                for j in range(m - 1):
                    tot2 += init_s[j] + 1e-2
                for j in range(m - 1):
                    init_s[j] = init_s[j] / tot2
            for t in range(n):
                ysa[t] = y[t] / max(seas[t], 1e-2)
    else:
        init_s = np.empty(0)
        ysa = y
    maxn = min(max(10, 2 * mm), n)
    out = np.empty(1 + (1 if trend != 0 else 0) + init_s.shape[0])
    if trend == 0:
        acc = 0.0
        for t in range(maxn):
            acc += ysa[t]
        out[0] = acc / maxn
        off = 1
    else:
        tbar = (maxn + 1.0) / 2.0
        ybar = 0.0
        for t in range(maxn):
            ybar += ysa[t]
        ybar /= maxn
        sxy = 0.0
        sxx = 0.0
        for t in range(maxn):
            sxy += (t + 1.0 - tbar) * (ysa[t] - ybar)
            sxx += (t + 1.0 - tbar) ** 2
        b = sxy / sxx if sxx > 0 else 0.0
        a = ybar - b * tbar
        if abs(a + b) < 1e-8:
            a = a * (1.0 + 1e-3)
            b = b * (1.0 - 1e-3)
        out[0] = a
        out[1] = b
        off = 2
    for j in range(init_s.shape[0]):
        out[off + j] = init_s[j]
    return out


def simulate_reference(state, m, error, trend, season, alpha, beta, gamma, phi, sigma, h, npaths,
                 seed):
    """Sample paths ``npaths x h`` of an ETS model from its last state, Gaussian errors,
    path by path and step by step (the compiled kernel cxpath had before the numpy version;
    the test oracle of :func:`cxpath.forecast._simulate.simulate_paths`)."""
    rng = np.random.RandomState(seed)  # numba's legacy generator, as numpy's
    out = np.empty((npaths, h))
    p = state.shape[0]
    ms = m if season != 0 else 0
    off = 2 if trend != 0 else 1
    s = np.empty(max(ms, 1))
    for path in range(npaths):
        level = state[0]
        slope = state[1] if trend != 0 else 0.0
        for j in range(ms):
            s[j] = state[off + j]
        for i in range(h):
            if trend == 0:
                q = level
                phib = 0.0
            elif trend == 1:
                phib = phi * slope
                q = level + phib
            else:
                phib = slope ** phi if slope >= 0.0 else np.nan
                q = level * phib
            if season == 0:
                f = q
            elif season == 1:
                f = q + s[ms - 1]
            else:
                f = q * s[ms - 1]
            eps = rng.standard_normal() * sigma
            yv = f + eps if error == 1 else f * (1.0 + eps)
            out[path, i] = yv
            old_l = level
            if season == 0:
                pv = yv
            elif season == 1:
                pv = yv - s[ms - 1]
            else:
                pv = k._HUGE if abs(s[ms - 1]) < k._TOL else yv / s[ms - 1]
            level = q + alpha * (pv - q)
            if trend != 0:
                r = level - old_l if trend == 1 else level / old_l
                slope = phib + (beta / alpha) * (r - phib)
            if season != 0:
                t = yv - q if season == 1 else (k._HUGE if abs(q) < k._TOL else yv / q)
                new_s = s[ms - 1] + gamma * (t - s[ms - 1])
                for j in range(ms - 1, 0, -1):
                    s[j] = s[j - 1]
                s[0] = new_s
    _ = p
    return out
