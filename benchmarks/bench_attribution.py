"""Attribution on 1M raw journeys against ChannelAttribution (same run, same data)."""

from __future__ import annotations

import time

import numpy as np
from _harness import first_call_time, median_time, peak_memory_mb, row


def journeys(n: int, k: int = 10, seed: int = 0):
    """Raw journeys over ``k`` channels from a skewed first-order chain.

    Lengths 1–12 (geometric, mean ~3.7); about 8% convert, more often after some channels.
    With n = 1M and k = 10 they hold about 160k distinct paths.
    """
    from cxpath import Journeys

    rng = np.random.default_rng(seed)
    start = rng.dirichlet(np.full(k, 0.5))
    moves = rng.dirichlet(np.full(k, 0.3), size=k)
    lengths = np.minimum(rng.geometric(0.26, n), 12)
    offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    codes = np.empty(offsets[-1], dtype=np.int64)
    current = rng.choice(k, n, p=start)
    codes[offsets[:-1]] = current
    for step in range(1, 12):
        alive = np.flatnonzero(lengths > step)
        cdf = np.cumsum(moves[current[alive]], axis=1)
        current[alive] = np.minimum((rng.random(len(alive))[:, None] > cdf).sum(axis=1), k - 1)
        codes[offsets[alive] + step] = current[alive]
    lift = np.linspace(0.4, 1.8, k)[current] * (1 + 0.08 * lengths)
    outcome = rng.random(n) < 0.06 * lift
    value = np.where(outcome, rng.gamma(2.0, 50.0, n), 0.0)
    return Journeys(codes=codes, offsets=offsets, vocab=[f"ch{i:02d}" for i in range(k)],
                    case_ids=np.arange(n), outcome=outcome, value=value)


def aggregated(j):
    """One row per distinct path: the pre-aggregated input ChannelAttribution takes."""
    import pandas as pd

    from cxpath.journeys import JourneyStats

    s = JourneyStats.from_journeys(j)
    labels = np.array(s.vocab, dtype=object)
    paths = [" > ".join(labels[s.variant_codes[a:b]])
             for a, b in zip(s.variant_offsets[:-1], s.variant_offsets[1:])]
    return pd.DataFrame({"path": paths, "conv": s.variant_success,
                         "null": s.variant_counts - s.variant_success,
                         "value": s.variant_value})


def run(quick: bool = False) -> list[dict]:
    from cxpath.attribution import heuristic, markov, shapley

    n = 100_000 if quick else 1_000_000
    j = journeys(n)
    n_events = j.n_events
    rows = [row("first call (compile or cache load): markov + heuristic + shapley",
                cxpath_s=first_call_time(lambda: (markov(j.select(np.arange(100))),
                                                  heuristic(j.select(np.arange(100))),
                                                  shapley(j.select(np.arange(100))))))]
    data = aggregated(j)
    note = (f"{n:,} journeys, {n_events:,} touches, {len(data):,} distinct paths, "
            f"{j.outcome.mean():.1%} converting")
    t_h = median_time(lambda: heuristic(j, models=("first_touch", "last_touch", "linear")))
    t_m1 = median_time(lambda: markov(j, order=1))
    exact = markov(j, order=1)
    peer = {}
    try:
        import ChannelAttribution as ca

        peer["h"] = median_time(lambda: ca.heuristic_models(data, "path", "conv",
                                                            var_value="value",
                                                            flg_pro=False), repeat=3)
        start = time.perf_counter()
        res = ca.markov_model(data, "path", "conv", var_value="value", var_null="null",
                              verbose=False, flg_pro=False)
        peer["m"] = time.perf_counter() - start
        got = res.set_index("channel_name").loc[list(exact.channels), "total_conversions"]
        peer["err"] = np.max(np.abs(got.to_numpy() / exact.conversions - 1))
        start = time.perf_counter()
        res = ca.markov_model(data, "path", "conv", var_value="value", var_null="null",
                              verbose=False, flg_pro=False, nsim_start=2e6, max_step=200)
        peer["m_big"] = time.perf_counter() - start
        got = res.set_index("channel_name").loc[list(exact.channels), "total_conversions"]
        peer["err_big"] = np.max(np.abs(got.to_numpy() / exact.conversions - 1))
    except ImportError:
        pass
    name = "ChannelAttribution 2.2.5"
    rows.append(row("heuristic first/last/linear, raw journeys (peer: aggregated)",
                    cxpath_s=t_h, peer=name if "h" in peer else None, peer_s=peer.get("h"),
                    throughput=f"{n_events / t_h / 1e6:.0f}M touches/s", note=note))
    rows.append(row("markov order 1 exact, raw journeys (peer: aggregated, defaults)",
                    cxpath_s=t_m1, peer=name if "m" in peer else None, peer_s=peer.get("m"),
                    throughput=f"{n_events / t_m1 / 1e6:.0f}M touches/s",
                    peak_mb=peak_memory_mb(lambda: markov(j, order=1)),
                    note=(f"peer max credit error {peer['err']:.1%} (defaults), "
                          f"{peer['err_big']:.2%} with 2M sims in {peer['m_big']:.1f} s")
                    if "err" in peer else "target < 0.3 s"))
    for order in (2, 3, 4):
        t = median_time(lambda order=order: markov(j, order=order), repeat=3)
        states = len(markov(j, order=order).states) - 2
        rows.append(row(f"markov order {order} exact, raw journeys", cxpath_s=t,
                        throughput=f"{n_events / t / 1e6:.0f}M touches/s",
                        note=f"{states:,} states" + ("; target < 1 s" if order == 3 else "")))
    j16 = journeys(n, k=16, seed=1)
    t_s = median_time(lambda: shapley(j16, method="exact"), repeat=3)
    rows.append(row("shapley exact, 16 channels (zeta transform), raw journeys", cxpath_s=t_s,
                    throughput=f"{j16.n_events / t_s / 1e6:.0f}M touches/s",
                    note="target < 1 s"))
    t_b = median_time(lambda: markov(j, order=1, n_boot=20, seed=0), repeat=1)
    rows.append(row("markov order 1 + 20 bootstrap resamples", cxpath_s=t_b))
    return rows
