"""Timing and memory helpers shared by the benchmark modules.

Each ``benchmarks/bench_<topic>.py`` exposes ``run(quick: bool) -> list[dict]``; a row has
the keys of :data:`COLUMNS` (missing ones print as blank). ``run.py`` prints them as a table.
"""

from __future__ import annotations

import multiprocessing as mp
import resource
import statistics
import time

COLUMNS = ("task", "cxpath_s", "peer", "peer_s", "speedup", "throughput", "peak_mb", "note")


def median_time(fn, repeat: int = 5, warmup: int = 1) -> float:
    """Median wall time of ``fn()`` over ``repeat`` runs after ``warmup`` untimed runs."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def first_call_time(fn) -> float:
    """Wall time of a single call (use for compile / cold-start latency)."""
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise OSError(field)


def _release_free_heap() -> None:
    """Give freed heap pages back to the OS so reused memory shows up as growth."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _child(fn, queue):
    _release_free_heap()
    try:  # Linux: reset the peak-RSS mark so only this call's growth counts
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
        before = _status_kb("VmRSS")
        fn()
        queue.put((_status_kb("VmHWM") - before) / 1024.0)
    except OSError:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        fn()
        queue.put((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024.0)


def peak_memory_mb(fn) -> float:
    """Peak resident memory added by ``fn()``, in MiB, measured in a forked child process.

    The child starts as a copy of this process, so data built before the call is not
    counted: the figure is the child's peak resident set while ``fn`` ran minus its
    resident set before (Linux ``VmHWM`` after resetting it through ``clear_refs``).
    """
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(fn, queue))
    proc.start()
    value = queue.get()
    proc.join()
    return value


def row(task: str, **fields) -> dict:
    """A benchmark row; ``speedup`` is computed as peer_s / cxpath_s when both are given."""
    out = {"task": task, **fields}
    if out.get("peer_s") and out.get("cxpath_s") and "speedup" not in out:
        out["speedup"] = out["peer_s"] / out["cxpath_s"]
    return out


def format_rows(rows: list[dict]) -> str:
    """Rows as a fixed-width text table."""

    def cell(value) -> str:
        if value is None:
            return ""
        if isinstance(value, float):
            if value >= 1e5:
                return f"{value:.3g}"
            return f"{value:.4g}"
        return str(value)

    table = [[cell(r.get(c)) for c in COLUMNS] for r in rows]
    widths = [max(len(c), *(len(t[i]) for t in table)) if table else len(c)
              for i, c in enumerate(COLUMNS)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(COLUMNS, widths))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(t[i].ljust(widths[i]) for i in range(len(COLUMNS))) for t in table]
    return "\n".join(lines)
