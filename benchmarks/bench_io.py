"""Reader benchmarks: ``cxpath.io.read_xes`` against pm4py's XES reader, same run.

Log: BPI Challenge 2012 (``../shared/data/bpic2012.xes.gz``, 262,200 events, 74 MB of XML),
the largest public XES at hand; ``--quick`` uses the Helpdesk log (21,348 events). Peers:
``pm4py.read_xes(variant="iterparse", show_progress_bar=False)`` — pm4py's reader when
rustxes is not installed, without its progress bar (which parses the file twice) — and
``pm4py.read_xes`` as installed (its default uses rustxes when that is importable). Times are
medians; the table is built in every case (pm4py: a pandas DataFrame).
"""

from __future__ import annotations

import importlib.util
import pathlib
import sys
import warnings

from _harness import median_time, peak_memory_mb, row

DATA = pathlib.Path(__file__).resolve().parents[2] / "shared" / "data"
ROOT = pathlib.Path(__file__).resolve().parents[1]


def _peak_in_fresh_process(call: str) -> float:
    """Peak RSS growth (MiB, Linux ``VmHWM``) of ``call`` in a new interpreter: forking after
    polars or rustxes have started their thread pools deadlocks, so those are measured this
    way (``ru_maxrss`` would carry the parent's peak over the fork)."""
    import subprocess

    hwm = "int(open('/proc/self/status').read().split('VmHWM:')[1].split()[0])"
    code = ("import sys, polars, rustxes; from cxpath.io import read_xes; "
            f"before = {hwm}; {call}; print(({hwm} - before) / 1024)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    return float(out.stdout.strip().splitlines()[-1])


def run(quick: bool = False) -> list[dict]:
    name = "helpdesk.xes.gz" if quick else "bpic2012.xes.gz"
    path = DATA / name
    if not path.is_file():
        return [row(f"read_xes {name}", note=f"skipped: {path} is absent")]
    from cxpath.io import read_xes

    repeat = 3 if quick else 5
    n = read_xes(path, to="log").n_events

    def ours():
        read_xes(path, to="table", engine="python")

    peak = peak_memory_mb(ours)
    t_ours = median_time(ours, repeat=repeat)
    peers = []
    if importlib.util.find_spec("pm4py") is not None:
        warnings.filterwarnings("ignore")
        import pm4py

        def iterparse():
            pm4py.read_xes(str(path), variant="iterparse", show_progress_bar=False)

        peers.append((f"pm4py {pm4py.__version__} iterparse", median_time(iterparse, repeat=3)))

        def default():
            pm4py.read_xes(str(path))

        label = "pm4py read_xes default" + (
            " (rustxes)" if importlib.util.find_spec("rustxes") else " (iterparse+bar)")
        peers.append((label, median_time(default, repeat=3)))
    rows = []
    for peer, t_peer in peers or [("pm4py not installed", None)]:
        rows.append(row(f"read_xes python, {name} ({n:,} events)", cxpath_s=t_ours,
                        peer=peer, peer_s=t_peer, throughput=f"{n / t_ours / 1e6:.2f}M ev/s",
                        peak_mb=peak, note="to='table'"))
    if importlib.util.find_spec("rustxes") is not None:

        def rust():
            read_xes(path, to="table", engine="rustxes")

        t_rust = median_time(rust, repeat=repeat)
        rows.append(row(f"read_xes rustxes, {name}", cxpath_s=t_rust,
                        peer=peers[0][0] if peers else None,
                        peer_s=peers[0][1] if peers else None,
                        throughput=f"{n / t_rust / 1e6:.2f}M ev/s",
                        peak_mb=_peak_in_fresh_process(
                            f"read_xes({str(path)!r}, to='table', "
                            "engine='rustxes')"),
                        note="to='table'; peak in a fresh process"))

    def journeys():
        read_xes(path)

    t_j = median_time(journeys, repeat=max(1, repeat - 2))
    rows.append(row(f"read_xes -> Journeys, {name}", cxpath_s=t_j,
                    throughput=f"{n / t_j / 1e6:.2f}M ev/s",
                    note="lifecycle pairing + resource"))
    return rows


if __name__ == "__main__":
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
    from _harness import format_rows

    print(format_rows(run(quick="--quick" in sys.argv)))
