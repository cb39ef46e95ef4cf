"""Cold start: the first call of each main job in a fresh process with an empty numba cache (#19).

Every run is a new ``python -c`` process with its own empty ``NUMBA_CACHE_DIR``, so each
figure includes compiling every kernel the job needs (the on-disk cache only helps later
processes). A task prints two times: its imports and its first call (the series, log or
inputs are built between the two and not counted). The row is the median of 3 runs (1 with
``--quick``) of import + first call; ``note`` gives the import share and min/max.

statsforecast's AutoETS (import + first fit of the same series, numba-compiled too) is
the peer of ``auto_ets``; the README demo (``python -m cxpath demo``) is timed as a whole
process, wall and CPU seconds. Run alone: ``python benchmarks/run.py cold_start`` (slow:
every run compiles); ``python benchmarks/bench_cold_start.py [--quick] [--only auto_ets]``
runs the tasks whose name starts with the ``--only`` text (and the demo only without it).
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

from _harness import row

_SERIES = ("import numpy as np\n"
           "t = np.arange(60)\n"
           "y = 100 + 0.5 * t + 10 * np.sin(2 * np.pi * t / 12) "
           "+ np.random.default_rng(0).normal(0, 2, 60)\n")

# each: (imports, set-up not timed, first call)
TASKS = {
    "auto_ets (60 points, m=12)": (
        "import cxpath\nfrom cxpath.forecast import auto_ets", _SERIES,
        "auto_ets(y, 12, m=12)"),
    "journey_graph (bundled sample)": (
        "import cxpath\nfrom cxpath.datasets import load_sample\n"
        "from cxpath.journeys import journey_graph",
        "j = load_sample().journeys", "journey_graph(j)"),
    "attribution.markov (bundled sample)": (
        "import cxpath\nfrom cxpath.datasets import load_sample\n"
        "from cxpath.attribution import markov",
        "j = load_sample().journeys", "markov(j)"),
    "kpi.staffing (Erlang C)": (
        "import cxpath\nfrom cxpath.kpi import staffing", "",
        "staffing(100, 180, answer_time=20, target=0.8, max_occupancy=0.85, shrinkage=0.3)"),
}
PEER = ("statsforecast AutoETS", "from statsforecast.models import AutoETS", _SERIES,
        "AutoETS(season_length=12).fit(y).predict(12)")

_TEMPLATE = """\
import time
t0 = time.perf_counter()
{imports}
t1 = time.perf_counter()
{setup}
t2, c2 = time.perf_counter(), time.process_time()
{call}
t3, c3 = time.perf_counter(), time.process_time()
print(t1 - t0, t3 - t2, c3 - c2)
"""


def _env(cache_dir: str) -> dict:
    env = dict(os.environ, NUMBA_CACHE_DIR=cache_dir)
    env.pop("NUMBA_DISABLE_JIT", None)
    return env


def cold_run(imports: str, setup: str, call: str) -> tuple[float, float, float]:
    """``(import s, first-call s, first-call CPU s)`` in a fresh process, empty cache.

    The CPU time of the call is reported too: on a shared, loaded machine it is the figure
    that does not depend on what else runs (compiling is single-threaded).
    """
    code = _TEMPLATE.format(imports=imports, setup=setup, call=call)
    with tempfile.TemporaryDirectory() as cache:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True, env=_env(cache)).stdout.split()
    return float(out[-3]), float(out[-2]), float(out[-1])


def cold_demo() -> tuple[float, float]:
    """``(wall s, CPU s)`` of ``python -m cxpath demo`` in a fresh process, empty cache.

    The CPU time (user + system of the child) is the figure to compare on a loaded machine.
    """
    with tempfile.TemporaryDirectory() as cache:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "cxpath", "demo"], capture_output=True,
                       check=True, env=_env(cache))
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _summary(runs: list[tuple[float, float, float]]) -> tuple[float, str]:
    totals = [a + b for a, b, _ in runs]
    imports = statistics.median(a for a, _, _ in runs)
    cpu = statistics.median(c for _, _, c in runs)
    return statistics.median(totals), (f"import {imports:.2f} s + first call (CPU "
                                       f"{cpu:.2f} s); min {min(totals):.2f} max "
                                       f"{max(totals):.2f} (n={len(runs)})")


def run(quick: bool = False, only: str = "") -> list[dict]:
    repeat = 1 if quick else 3
    tasks = {task: job for task, job in TASKS.items() if task.startswith(only)}
    try:
        peer = ([cold_run(*PEER[1:]) for _ in range(repeat)]
                if any(task.startswith("auto_ets") for task in tasks) else None)
    except subprocess.CalledProcessError:  # statsforecast not installed
        peer = None
    rows = []
    for task, (imports, setup, call) in tasks.items():
        median, note = _summary([cold_run(imports, setup, call) for _ in range(repeat)])
        fields = {"cxpath_s": median, "note": note}
        if peer is not None and task.startswith("auto_ets"):
            fields["peer"] = PEER[0]
            fields["peer_s"], peer_note = _summary(peer)
            fields["note"] = f"{note}; peer {peer_note}"
        rows.append(row(f"cold {task}", **fields))
    if only:
        return rows
    demo = [cold_demo() for _ in range(repeat)]
    walls = [w for w, _ in demo]
    rows.append(row("cold python -m cxpath demo", cxpath_s=statistics.median(walls),
                    note=f"whole process (CPU {statistics.median(c for _, c in demo):.2f} s); "
                         f"min {min(walls):.2f} max {max(walls):.2f} (n={len(demo)})"))
    return rows


if __name__ == "__main__":
    from _harness import format_rows

    args = sys.argv[1:]
    print(format_rows(run(quick="--quick" in args,
                          only=args[args.index("--only") + 1] if "--only" in args else "")))
