"""Attribution on 1M raw journeys against ChannelAttribution (same run, same data)."""

from __future__ import annotations

import os
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


def _in_child(fn, queue):
    from _harness import _release_free_heap, _status_kb

    _release_free_heap()
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")
    before = _status_kb("VmRSS")
    waited = run_queue_seconds()
    start = time.perf_counter()
    cpu = time.process_time()
    try:
        out = fn()
    except BaseException as error:  # report, do not hang the parent
        queue.put((None, None, repr(error)))
        return
    wall = time.perf_counter() - start
    CPU_SECONDS.append(time.process_time() - cpu)
    WAIT_SECONDS.append(run_queue_seconds() - waited)
    queue.put((wall, (_status_kb("VmHWM") - before) / 1024.0,
               (out, CPU_SECONDS[-1], WAIT_SECONDS[-1])))


CPU_SECONDS: list = []  # in the child: CPU time of the call (all threads)
WAIT_SECONDS: list = []  # in the child: the calling thread's time waiting for a core


def run_queue_seconds() -> float:
    """Time the calling thread has spent runnable but waiting for a core (Linux schedstat;
    0 elsewhere).

    A call's wall time minus this is what the call itself took: computing, or waiting for
    its own threads (a BLAS or worker thread descheduled by other processes shows up
    there, the caller's own descheduling does not). On the shared 2-core machine other
    processes' load moves the wall time; this separates the two.
    """
    try:
        with open("/proc/thread-self/schedstat") as stat:
            return int(stat.read().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


def timed_child(fn, timeout: float | None = None):
    """``(seconds, peak MiB, fn())`` of one call in a forked child (None, None, 'timeout').

    The child's CPU time of the call (all its threads) is appended to ``CPU_SECONDS``, and
    the time its calling thread waited for a core to ``WAIT_SECONDS``.
    """
    import multiprocessing as mp
    import queue as queues

    ctx = mp.get_context("fork")
    q = ctx.Queue()
    proc = ctx.Process(target=_in_child, args=(fn, q))
    proc.start()
    try:
        got = q.get(timeout=timeout)
    except queues.Empty:
        proc.kill()
        got = (None, None, "timeout")
    proc.join()
    if got[0] is not None:
        out, cpu, waited = got[2]
        CPU_SECONDS.append(cpu)
        WAIT_SECONDS.append(waited)
        got = (got[0], got[1], out)
    return got


def _peer_markov(data, order, channels):
    """ChannelAttribution's conversions per channel (in ``channels`` order), its defaults."""
    import ChannelAttribution as ca

    res = ca.markov_model(data, "path", "conv", var_value="value", var_null="null",
                          order=order, verbose=False, flg_pro=False)
    got = res.set_index("channel_name")["total_conversions"]
    return np.array([float(got.get(c, 0.0)) for c in channels])


GRID_CHANNELS = (10, 20, 40, 60)
PEER_TIMEOUT = 60.0  # seconds a ChannelAttribution run may take before it is stopped
BEFORE_STATES = 8_000  # the previous (LU) route is timed on chains up to this size
SHORT_STATES = 20_000  # chains up to this size (runs under ~1 s) are timed 5 times, not 3


def markov_grid(quick: bool = False, channels=GRID_CHANNELS, orders=(1, 2, 3, 4)):
    """Orders 1-4 x 10, 20, 40, 60 channels on 1M generated journeys (#27).

    Each cell: the chain's states, the time of ``markov`` (median and max of 3 runs, each
    in a forked child after one warm call in the parent; 5 runs for chains up to
    ``SHORT_STATES`` states, 1 for chains above 350k states, said in the note), the same
    without the time the calling thread waited for a core (other processes' load on the
    shared machine; see :func:`run_queue_seconds`) and the load average, its peak memory,
    the previous LU route's time on chains up to ``BEFORE_STATES`` states (same run), and
    ChannelAttribution's time at its defaults and its largest credit error against the
    exact credit, where it finishes within ``PEER_TIMEOUT``.
    """
    import sys

    from cxpath.attribution import markov

    module = sys.modules["cxpath.attribution.markov"]
    n = 100_000 if quick else 1_000_000
    try:
        import ChannelAttribution  # noqa: F401  (GPL: benchmark only)

        has_peer = True
    except ImportError:
        has_peer = False
    rows = []
    for k in channels:
        j = journeys(n, k=k)
        data = aggregated(j) if has_peer else None
        for order in orders:
            rows.append(_grid_cell(markov, module, j, data, k, order))
            print(rows[-1], flush=True)
    return rows


def _grid_cell(markov, module, j, data, k: int, order: int) -> dict:
    import statistics

    def ours():
        got = markov(j, order=order, max_states=10**7)
        return got.conversions, got.removal_effects

    m = markov(j, order=order, max_states=10**7)  # warm call: compiles, counts the states
    states = len(m.states) - 2
    repeat = 1 if states > 350_000 else 3 if states > SHORT_STATES else 5
    runs = [timed_child(ours) for _ in range(repeat)]
    cpu = statistics.median(CPU_SECONDS[-repeat:])
    times = [r[0] for r in runs]
    own = [t - w for t, w in zip(times, WAIT_SECONDS[-repeat:])]
    med, top = statistics.median(times), max(times)
    spread = max(float(np.max(np.abs(r[2][1] - m.removal_effects))) for r in runs)
    fields = dict(cxpath_s=med, peak_mb=max(r[1] for r in runs))
    notes = [f"{states:,} states", f"max {top:.2f} s ({top / med:.2f}x median of {repeat})",
             f"not waiting for a core: median {statistics.median(own):.2f} s, max "
             f"{max(own):.2f} s ({max(own) / statistics.median(own):.2f}x)",
             f"CPU {cpu:.2f} s", f"load {os.getloadavg()[0]:.1f}"]
    if states <= BEFORE_STATES:
        real = module._effects
        module._effects = lambda *args, **kw: real(*args, **{**kw, "route": "lu"})
        try:
            before = timed_child(ours)
        finally:
            module._effects = real
        notes.append(f"before (LU route) {before[0]:.2f} s, removal effects differ by "
                     f"{np.max(np.abs(before[2][1] - m.removal_effects)):.1e}")
    if data is not None:
        t_peer, _, got = timed_child(lambda: _peer_markov(data, order, m.channels),
                                     timeout=PEER_TIMEOUT)
        if t_peer is None:
            notes.append(f"peer stopped after {PEER_TIMEOUT:.0f} s")
        else:
            fields.update(peer="ChannelAttribution 2.2.5", peer_s=t_peer)
            notes.append(f"peer credit error {np.max(np.abs(got / m.conversions - 1)):.1%}")
    notes.append(f"run-to-run removal-effect spread {spread:.0e}")
    return row(f"markov order {order}, {k} channels", **fields, note="; ".join(notes))


def bound_sweeps(cells=((20, 4), (40, 4)), n: int = 1_000_000) -> list[dict]:
    """#27 point 1: the weighted error bound against the unweighted one, same kernel.

    For each (channels, order) cell on ``n`` generated journeys: the Gauss-Seidel sweeps
    of all the removal solves (the plan's own solves apart), wall and CPU time of the
    solves (after a warm call), and how far the removal effects of the two moved apart.
    The unweighted runs are the same code with the visit weights switched off (the plan
    then bounds the error by ``t(start) * max residual``, as before the weighted bound).
    """
    import sys

    import cxpath._kernels.attribution as kernels
    from cxpath.attribution import _removal as rm
    from cxpath.attribution._chain import build_chain
    from cxpath.attribution._paths import prepare

    module = sys.modules["cxpath.attribution.markov"]
    real_solve, real_visits = kernels.removal_solve, rm._visits
    sweeps: list = []

    def counting(*args):
        out = real_solve(*args)
        sweeps.append(out[3])
        return out

    rows = []
    for k, order in cells:
        paths = prepare(journeys(n, k=k), "f")
        chain = build_chain(paths, order, False, "f").without_self_loops()
        probs = chain.probabilities()
        got = {}
        for name, visits in (("unweighted", lambda *a: None), ("weighted", real_visits)):
            rm._visits = visits
            kernels.removal_solve = counting
            try:
                module._effects(chain, probs, k, order, route="structured")  # warm
                sweeps.clear()
                load = os.getloadavg()[0]
                start, cpu = time.perf_counter(), time.process_time()
                _, effects = module._effects(chain, probs, k, order, route="structured")
                wall, cpu = time.perf_counter() - start, time.process_time() - cpu
            finally:
                rm._visits, kernels.removal_solve = real_visits, real_solve
            plan_calls = 3 if name == "weighted" else 2  # t (and visits), then the chain
            got[name] = (effects, sum(sweeps[plan_calls - 1:]), sum(sweeps[:plan_calls - 1]),
                         wall, cpu, load)
        (e0, s0, p0, w0, c0, l0), (e1, s1, p1, w1, c1, l1) = got["unweighted"], got["weighted"]
        rows.append(row(f"markov order {order}, {k} channels: weighted error bound",
                        cxpath_s=w1,
                        note=(f"{chain.n_states:,} states; sweeps of the chain and removals "
                              f"{s1} (plan {p1}) against {s0} (plan {p0}) unweighted "
                              f"({1 - s1 / s0:.0%} fewer); wall {w1:.2f} s against "
                              f"{w0:.2f} s, CPU {c1:.2f} s against {c0:.2f} s; load "
                              f"{l1:.1f} / {l0:.1f}; removal effects differ by "
                              f"{np.max(np.abs(e1 - e0)):.1e}")))
        print(rows[-1], flush=True)
    return rows


_COLD = """
import sys, time
sys.path.insert(0, {bench!r})
from bench_attribution import journeys
import cxpath.attribution._removal as rm
from cxpath.attribution import markov
j = journeys({n}, k={k})
if {structured}:
    rm.lu_first = lambda *a: False
start, cpu = time.perf_counter(), time.process_time()
markov(j, order={order}, max_states=10**7)
print(time.perf_counter() - start, time.process_time() - cpu)
"""


def cold_start(cells=((10, 3), (10, 4), (20, 3), (60, 2), (40, 2)),
               n: int = 1_000_000) -> list[dict]:
    """#27 point 1: the first ``markov`` call in a fresh process with an empty numba cache.

    Each cell: the default route (mid-size chains take the LU while removal_solve is not
    compiled or cached, see ``_removal.lu_first``) against forcing the component solver
    (which compiles it), both in fresh processes with their own empty cache folder. The
    times include compiling the chain-counting kernels, the same in both.
    """
    import subprocess
    import sys
    import tempfile

    bench = os.path.dirname(os.path.abspath(__file__))
    rows = []
    for k, order in cells:
        got = {}
        for structured in (False, True):
            with tempfile.TemporaryDirectory() as cache:
                env = {**os.environ, "NUMBA_CACHE_DIR": cache}
                code = _COLD.format(bench=bench, n=n, k=k, order=order,
                                    structured=structured)
                load = os.getloadavg()[0]
                out = subprocess.run([sys.executable, "-c", code], env=env, check=True,
                                     capture_output=True, text=True).stdout.split()
                got[structured] = (float(out[0]), float(out[1]), load)
        (w, c, l0), (ws, cs, l1) = got[False], got[True]
        rows.append(row(f"markov order {order}, {k} channels: first call, empty cache",
                        cxpath_s=w,
                        note=(f"CPU {c:.2f} s; forcing the component solver (compiles "
                              f"removal_solve) {ws:.2f} s, CPU {cs:.2f} s; load "
                              f"{l0:.1f} / {l1:.1f}")))
        print(rows[-1], flush=True)
    return rows


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
    rows += markov_grid(quick)
    j16 = journeys(n, k=16, seed=1)
    t_s = median_time(lambda: shapley(j16, method="exact"), repeat=3)
    rows.append(row("shapley exact, 16 channels (zeta transform), raw journeys", cxpath_s=t_s,
                    throughput=f"{j16.n_events / t_s / 1e6:.0f}M touches/s",
                    note="target < 1 s"))
    t_b = median_time(lambda: markov(j, order=1, n_boot=20, seed=0), repeat=1)
    rows.append(row("markov order 1 + 20 bootstrap resamples", cxpath_s=t_b))
    return rows


def _spin(seconds: float) -> None:  # pragma: no cover - a CPU-bound competitor
    end = time.perf_counter() + seconds
    x = 0
    while time.perf_counter() < end:
        x += 1


def thread_times(fn) -> tuple[float, float, float, float]:
    """``(wall, run, wait, cpu)`` seconds of one call: the calling thread's time on a core
    and runnable but waiting for one (Linux schedstat), and the process's CPU time (all
    threads, also those that ended during the call).

    ``wall - run - wait`` is the time the calling thread slept: waiting for its own BLAS
    or worker threads (the case #27 point 4 is about), or for I/O; ``cpu - run`` is what
    the other threads computed.
    """
    def stat():
        try:
            with open("/proc/thread-self/schedstat") as f:
                run, wait, _ = f.read().split()
            return int(run) / 1e9, int(wait) / 1e9
        except (OSError, ValueError):
            return 0.0, 0.0

    (r0, w0), c0, t0 = stat(), time.process_time(), time.perf_counter()
    fn()
    wall, cpu, (r1, w1) = time.perf_counter() - t0, time.process_time() - c0, stat()
    return wall, r1 - r0, w1 - w0, cpu


def _calibration(n: int = 2_000_000) -> None:
    """A fixed pure-Python loop: no BLAS, no threads, the interpreter alone."""
    x = 0
    for i in range(n):
        x += i


def blas_under_load(repeat: int = 5) -> list[dict]:
    """#27 point 4: BLAS-sensitive rows alone and beside a second CPU-bound process.

    Default BLAS threads in both cases; the competitor is one busy Python process. The
    previous Markov route (LU solves through LAPACK/SuperLU) is shown at order 2 for
    comparison, and 10 channels at order 2 (110 states) take the dense LU route. The
    target: the two wall-time medians (of ``repeat`` runs) agree within 1.5x.

    The machine is shared, so each row also splits the medians by :func:`thread_times`:
    the calling thread's own CPU time (its ratio), the time it waited for a core (its own
    descheduling: the competitor and the background load share the two cores with it),
    and the time it slept (waiting for descheduled BLAS or worker threads, which BLAS
    thread limits remove). A last row times a pure-Python loop the same way: what the
    competitor alone does to code without BLAS or threads on this machine.
    """
    import multiprocessing as mp
    import statistics
    import sys

    from bench_survey import _likert

    from cxpath.attribution import markov
    from cxpath.survey import cronbach_alpha, efa

    module = sys.modules["cxpath.attribution.markov"]
    j = journeys(1_000_000, k=20)
    j10 = journeys(1_000_000, k=10)
    x = _likert(50_000, 20, 4, missing=0.02)
    xc = x[~np.isnan(x).any(axis=1)]
    real = module._effects

    def lu_route(order):
        module._effects = lambda *args, **kw: real(*args, **{**kw, "route": "lu"})
        try:
            return markov(j, order=order)
        finally:
            module._effects = real

    tasks = [(f"markov order {o}, 20 channels, 1M journeys", lambda o=o: markov(j, order=o))
             for o in (2, 3, 4)]
    tasks.append(("markov order 2, previous LU route", lambda: lu_route(2)))
    tasks.append(("markov order 2, 10 channels (dense LU)", lambda: markov(j10, order=2)))
    tasks.append(("cronbach_alpha 50,000 x 20", lambda: cronbach_alpha(x)))
    tasks.append((f"EFA minres/promax {len(xc)} x 20, 4 factors",
                  lambda: efa(xc, n_factors=4, method="minres", rotation="promax")))
    tasks.append(("calibration: pure-Python loop (no BLAS, no threads)", _calibration))
    rows = []
    for name, fn in tasks:
        fn()  # warm
        load = os.getloadavg()[0]
        alone = [thread_times(fn) for _ in range(repeat)]
        ctx = mp.get_context("fork")
        busy = ctx.Process(target=_spin, args=(3600.0,))
        busy.start()
        try:
            time.sleep(0.2)
            loaded = [thread_times(fn) for _ in range(repeat)]
        finally:
            busy.kill()
            busy.join()
        a, b = ([statistics.median(r[k] for r in runs) for k in range(4)]
                for runs in (alone, loaded))
        slept = [max(0.0, statistics.median(r[0] - r[1] - r[2] for r in runs))  # clock grains
                 for runs in (alone, loaded)]
        others = [max(0.0, c[3] - c[1]) for c in (a, b)]
        verdict = "within" if b[0] <= 1.5 * a[0] else "above"
        note = (f"with a CPU-bound competitor {b[0]:.3f} s ({b[0] / a[0]:.2f}x, {verdict} "
                f"1.5x); median of {repeat}, max alone {max(r[0] for r in alone):.3f} s, "
                f"loaded {max(r[0] for r in loaded):.3f} s; calling thread alone/loaded: "
                f"on a core {a[1]:.3f}/{b[1]:.3f} s ({b[1] / a[1]:.2f}x), waiting for a "
                f"core {a[2]:.3f}/{b[2]:.3f} s, asleep (its threads) {slept[0]:.3f}/"
                f"{slept[1]:.3f} s; other threads' CPU {others[0]:.3f}/{others[1]:.3f} s; "
                f"load {load:.1f} -> {os.getloadavg()[0]:.1f}")
        rows.append(row(name, cxpath_s=a[0], note=note))
        print(rows[-1], flush=True)
    return rows


if __name__ == "__main__":
    import sys

    from _harness import format_rows

    which = sys.argv[1] if len(sys.argv) > 1 else "grid"
    if which == "blas":
        print(format_rows(blas_under_load()))
    elif which == "bound":
        print(format_rows(bound_sweeps()))
    elif which == "cold":
        print(format_rows(cold_start()))
    elif which == "grid":
        print(format_rows(markov_grid()))
    else:
        print(format_rows(run(quick=which == "quick")))
