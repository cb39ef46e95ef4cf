"""FMEA: score and rank a 10,000-mode worksheet (target < 50 ms), I/O, AP lookups.

Peer: the pandas recipe a spreadsheet user would write (AP by merging the 1000-row lookup
table, then ``sort_values`` and ``rank(method="min")``).
"""

from __future__ import annotations

import io

import numpy as np
from _harness import median_time, peak_memory_mb, row


def _frame(n: int, seed: int = 7) -> dict:
    rng = np.random.default_rng(seed)
    return {"step": np.array([f"step {i % 40}" for i in range(n)], dtype=object),
            "failure_mode": np.array([f"mode {i}" for i in range(n)], dtype=object),
            "effect": np.array(["repeat visit, complaint"] * n, dtype=object),
            "severity": rng.integers(1, 11, n), "occurrence": rng.integers(1, 11, n),
            "detection": rng.integers(1, 11, n)}


def run(quick: bool = False) -> list[dict]:
    from cxpath.fmea import Worksheet, action_priority, ap_table, rank

    n = 10_000
    data = _frame(n)
    ws = Worksheet.from_frame(data)
    t_rank = median_time(lambda: rank(ws), repeat=15, warmup=2)
    mem = peak_memory_mb(lambda: rank(ws))
    rows = []
    peer_s = None
    note = "target < 50 ms"
    try:
        import pandas as pd

        codes = ap_table().codes
        s, o, d = np.meshgrid(np.arange(1, 11), np.arange(1, 11), np.arange(1, 11),
                              indexing="ij")
        lookup = pd.DataFrame({"severity": s.ravel(), "occurrence": o.ravel(),
                               "detection": d.ravel(), "ap": codes.ravel()})
        frame = pd.DataFrame(data)

        def pandas_rank():
            f = frame.merge(lookup, on=["severity", "occurrence", "detection"], how="left")
            f["rpn"] = f["severity"] * f["occurrence"] * f["detection"]
            f = f.sort_values(["ap", "severity", "rpn"], ascending=False, kind="mergesort")
            key = f["ap"] * 10**6 + f["severity"] * 10**4 + f["rpn"]
            f["rank"] = key.rank(method="min", ascending=False)
            return f

        peer_s = median_time(pandas_rank, repeat=9, warmup=1)
        mine = rank(ws)
        assert mine.index.tolist() == pandas_rank().index.tolist()  # same order as the peer
    except ImportError:
        note += "; pandas missing"
    rows.append(row(f"score + rank {n:,} modes (AP > S > RPN)", cxpath_s=t_rank,
                    peer="pandas merge+sort" if peer_s else None, peer_s=peer_s,
                    throughput=f"{n / t_rank / 1e6:.2f}M modes/s", peak_mb=mem,
                    note=note + (" ok" if t_rank < 0.05 else " MISSED")))

    try:
        import pandas as pd

        frame = pd.DataFrame(data)
        t_e2e = median_time(lambda: rank(Worksheet.from_frame(frame)), repeat=5)
        rows.append(row(f"from_frame(pandas) + rank {n:,} modes", cxpath_s=t_e2e,
                        peer="pandas merge+sort" if peer_s else None, peer_s=peer_s,
                        note="end to end from a DataFrame"))
    except ImportError:
        pass
    t_build = median_time(lambda: Worksheet.from_frame(data), repeat=5)
    rows.append(row(f"Worksheet.from_frame {n:,} rows (dict)", cxpath_s=t_build,
                    throughput=f"{n / t_build / 1e3:.0f}k rows/s"))

    text = ws.to_csv()
    t_csv = median_time(lambda: Worksheet.from_csv(io.StringIO(ws.to_csv())), repeat=3)
    peer_csv = None
    try:
        import pandas as pd

        frame = ws.to_frame()
        peer_csv = median_time(lambda: pd.read_csv(io.StringIO(frame.to_csv(index=False))),
                               repeat=3)
    except ImportError:
        pass
    rows.append(row(f"CSV write + read {n:,} modes", cxpath_s=t_csv,
                    peer="pandas to_csv+read_csv" if peer_csv else None, peer_s=peer_csv,
                    note=f"{len(text) / 1e6:.1f} MB, lossless"))

    m = 100_000 if quick else 1_000_000
    rng = np.random.default_rng(1)
    s, o, d = (rng.integers(1, 11, m) for _ in range(3))
    t_ap = median_time(lambda: action_priority(s, o, d), repeat=5)
    rows.append(row(f"action_priority on {m:,} triples", cxpath_s=t_ap,
                    throughput=f"{m / t_ap / 1e6:.0f}M/s"))
    return rows
