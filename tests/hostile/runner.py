"""Drive the suite: hostile cases per parameter, run in forked workers, collect outcomes.

One *worker* (a forked child of the test process) per public callable: it replays the
baseline once (which also compiles the numba kernels the call needs and imports what it
imports lazily), draws the hostile cases, and runs each in its own forked child (see
:mod:`hostile.sandbox`) under the memory limit and timeout. It sends back a
:class:`FunctionReport`: counts of outcomes, and a :class:`Record` per failure.

Settings come from the environment (see :func:`settings_from_env`):

``CXPATH_HOSTILE``
    ``ci`` (default): a derandomised sample, a few hypothesis examples per parameter;
    ``full``: every explicit hostile value of the kind and many more hypothesis examples.
``CXPATH_HOSTILE_EXAMPLES``, ``CXPATH_HOSTILE_TIMEOUT``, ``CXPATH_HOSTILE_MEMORY``,
``CXPATH_HOSTILE_JOBS``
    Override hypothesis examples per parameter, seconds per call, GiB of address space a
    call may add, and calls run at once.
"""

from __future__ import annotations

import collections
import concurrent.futures
import contextlib
import functools
import gc
import os
import tempfile
import time
import warnings
import zlib
from typing import Any

import attrs
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from . import strategies as hs
from .api import Callable
from .baseline import Baseline, capture_all, sources_of
from .registry import E
from .sandbox import GiB, Outcome, Running, run_many


@attrs.frozen
class Settings:
    """How much to run."""

    mode: str = "ci"
    examples: int = 4  # hypothesis examples per parameter
    explicit: bool = False  # also every explicit value of the kind and every generic value
    timeout: float = 5.0  # seconds per hostile call
    memory: int = 2 * GiB  # address space a call may add to the warmed worker
    jobs: int = 1  # hostile calls in flight at once, per callable
    worker_timeout: float = 600.0  # seconds for one callable's worker, baseline included
    workers: int = 2  # callables run at once (pool processes)


def settings_from_env(environ: dict[str, str] | None = None) -> Settings:
    """The settings ``CXPATH_HOSTILE*`` ask for."""
    env = os.environ if environ is None else environ
    mode = env.get("CXPATH_HOSTILE", "ci").strip().lower() or "ci"
    base = (Settings(mode="full", examples=25, explicit=True, timeout=20.0,
                     worker_timeout=3600.0) if mode == "full" else Settings())
    return attrs.evolve(
        base,
        examples=int(env.get("CXPATH_HOSTILE_EXAMPLES", base.examples)),
        timeout=float(env.get("CXPATH_HOSTILE_TIMEOUT", base.timeout)),
        memory=int(float(env.get("CXPATH_HOSTILE_MEMORY", base.memory / GiB)) * GiB),
        jobs=int(env.get("CXPATH_HOSTILE_JOBS", base.jobs)),
        workers=int(env.get("CXPATH_HOSTILE_WORKERS", base.workers)),
    )


@attrs.frozen
class Case:
    """One hostile call: ``param`` replaced by ``value`` in the baseline."""

    param: str
    kind: str
    value: Any
    text: str  # repr for the report


@attrs.frozen
class Record:
    """A failed hostile call."""

    function: str
    param: str
    kind: str
    value: str
    outcome: Outcome
    reproducer: str


@attrs.define
class FunctionReport:
    """What one callable's worker found."""

    name: str
    baseline: str = ""  # where the baseline came from
    error: str = ""  # why the callable could not be tested (no baseline, worker died)
    calls: int = 0
    outcomes: dict[str, int] = attrs.field(factory=dict)
    warned: dict[str, int] = attrs.field(factory=dict)  # non-cxpath warning categories
    failures: list[Record] = attrs.field(factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return bool(self.error or self.failures)


def draw(kind: str, n: int, label: str) -> list[Any]:
    """``n`` hostile values for a parameter of ``kind``, the same on every run for ``label``."""
    if n <= 0:
        return []
    out: list[Any] = []

    @seed(zlib.crc32(label.encode()))
    @settings(max_examples=n, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck), derandomize=False)
    @given(st.data())
    def collect(data):
        out.append(data.draw(hs.strategy(kind)))

    collect()
    return out


def cases_for(target: Callable, entry: E, conf: Settings) -> list[Case]:
    """The hostile cases of one callable: per parameter, deduplicated by repr."""
    cases = []
    for p in target.params:
        if (p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) or p.name in entry.skip
                or p.name.startswith("_")):  # private keywords are not the caller's
            continue
        kind = entry.kinds.get(p.name, "any")
        values: list[Any] = []
        if conf.explicit:
            values += [*hs.fixed_values(kind), *hs.GENERIC]
        values += draw(kind, conf.examples, f"{target.name}:{p.name}")
        seen = set()
        for value in values:
            text = hs.show(value)
            key = (type(value).__name__, text)
            if key in seen:
                continue
            seen.add(key)
            cases.append(Case(p.name, kind, value, text))
    return cases


def reproducer(target: Callable, baseline: Baseline, param: str, text: str) -> str:
    """A line that reads as the failing call: the baseline's short arguments shown as they
    are, long ones by type, the hostile one by its repr."""
    parts = []
    for p in target.params:
        if p.name == param:
            shown = text
        elif p.name in baseline.bound:
            value = baseline.bound[p.name]
            shown = hs.show(value, limit=60)
            if len(shown) >= 60 or shown.startswith("<") or "\n" in shown:
                shown = f"<{type(value).__name__}>"
        else:
            continue
        if p.kind is p.VAR_KEYWORD and isinstance(baseline.bound.get(p.name), dict):
            parts += [f"{k}={hs.show(v, 40)}" for k, v in baseline.bound[p.name].items()]
        elif p.kind is p.VAR_POSITIONAL:
            parts += [hs.show(v, 40) for v in baseline.bound.get(p.name, ())]
        else:
            parts.append(f"{p.name}={shown}")
    if target.category in ("function", "constructor"):
        head = target.name.removesuffix(".__init__")
    elif "self" in baseline.bound:
        head = f"<{type(baseline.bound['self']).__name__}>.{target.attr}"
    else:
        head = target.name
    args = ", ".join(parts)
    if len(args) > 240:  # many arguments (constructors): the hostile one only
        args = f"<baseline arguments>, {param}={text}"
    return f"{head}({args})"


def _call(baseline: Baseline, param: str, value: Any):
    return lambda: baseline.call({param: hs.realise(value)})


def run_function(target: Callable, entry: E, baselines: list[Baseline],
                 conf: Settings, only_param: str | None = None) -> FunctionReport:
    """In the worker: warm with a baseline, then run every hostile case."""
    start = time.perf_counter()
    report = FunctionReport(target.name)
    chosen = None
    problems = []
    for candidate in baselines:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                repr(candidate.call())
        except Exception as exc:  # a recorded call that shows an error: try the next
            problems.append(f"{candidate.source}: {type(exc).__name__}: {exc}"[:200])
            continue
        chosen = candidate
        break
    if chosen is None:
        report.error = ("no valid baseline call: " + ("; ".join(problems) if problems else
                        "no docstring example calls it (add an example to its registry entry)"))
        return report
    report.baseline = chosen.source
    cases = [c for c in cases_for(target, entry, conf)
             if only_param is None or c.param == only_param]
    outcomes = run_many([_call(chosen, c.param, c.value) for c in cases], memory=conf.memory,
                        timeout=conf.timeout, jobs=conf.jobs)
    counts: collections.Counter = collections.Counter()
    warned: collections.Counter = collections.Counter()
    for case, outcome in zip(cases, outcomes):
        if case.kind == "path" and outcome.kind == "exception" and \
                outcome.exc_type.rsplit(".", 1)[-1] in FILE_SYSTEM_ERRORS:
            outcome = attrs.evolve(outcome, kind="os-error")
        counts[outcome.kind] += 1
        warned.update(outcome.warnings)
        if outcome.failed:
            report.failures.append(Record(target.name, case.param, case.kind, case.text, outcome,
                                          reproducer(target, chosen, case.param, case.text)))
    report.calls = len(cases)
    report.outcomes = dict(counts)
    report.warned = dict(warned)
    report.seconds = time.perf_counter() - start
    return report


#: what opening a well-formed path may raise: the documented exception to the one-error-shape
#: rule (``_validate.check_path``), so that ``except FileNotFoundError`` keeps working
FILE_SYSTEM_ERRORS = ("OSError", "FileNotFoundError", "IsADirectoryError", "NotADirectoryError",
                      "PermissionError", "FileExistsError")


def warm() -> None:
    """Initializer of a pool process: imports and every numba kernel compiled, once; the
    objects made so far are frozen out of the garbage collector, so forked children do not
    copy their pages."""
    warm_imports()
    import cxpath

    cxpath.warmup()
    for kind in hs.KIND_NAMES:  # hypothesis sets itself up on first use: once, here
        draw(kind, 2, f"warm:{kind}")
    gc.freeze()


@functools.cache
def _targets() -> dict[str, Callable]:
    from .api import covered_callables

    return {c.name: c for c in covered_callables()}


def run_target(name: str, sources: list[str], conf: Settings,
               only_param: str | None = None) -> FunctionReport:
    """In a pool process: fork a worker that records the baseline of ``name`` (its registry
    example and the docstring examples ``sources``), then runs its hostile cases, in a
    scratch directory removed after."""
    from .registry import REGISTRY

    target, entry = _targets()[name], REGISTRY[name]
    with tempfile.TemporaryDirectory(prefix="cxpath-hostile-") as scratch:
        here = os.getcwd()

        def work():
            os.chdir(scratch)
            wanted = {name, *(k.split("::", 1)[1] for k in sources if k.startswith("registry::"))}
            examples = {n: REGISTRY[n].example for n in sorted(wanted) if REGISTRY[n].example}
            docstrings = {k for k in sources if not k.startswith("registry::")}
            baselines = capture_all([target], examples, only=docstrings)[name]
            return run_function(target, entry, baselines, conf, only_param)

        worker = Running(work, memory=None, timeout=conf.worker_timeout, raw=True)
        try:
            while not worker.poll(1.0):
                pass
        finally:
            with contextlib.suppress(OSError):
                os.chdir(here)
    out = worker.outcome
    if isinstance(out, FunctionReport):
        return out
    what = f"{out.kind}: {out.exc_type} {out.message}".strip() if isinstance(out, Outcome) \
        else repr(out)
    return FunctionReport(name, error=f"the worker failed ({what})")


class Pool:
    """Fresh interpreters (``spawn``), warmed once, that run callables' workers in parallel.

    Each pool process stays small (a callable's work happens in a forked child that exits),
    which keeps every fork cheap. Should a pool process die anyway, the pool restarts and
    the callables in flight run again, once.
    """

    def __init__(self, workers: int):
        self.workers = workers
        self.jobs: dict[str, tuple] = {}  # name -> (sources, conf, only_param)
        self.futures: dict[str, concurrent.futures.Future] = {}
        self.retried: set[str] = set()
        self._start()

    def _start(self) -> None:
        import multiprocessing

        self.executor = concurrent.futures.ProcessPoolExecutor(
            max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
            initializer=warm)
        for _ in range(self.workers):  # start (and warm) the processes now
            self.executor.submit(os.getpid)

    def submit(self, name: str, sources: list[str], conf: Settings,
               only_param: str | None = None) -> None:
        self.jobs[name] = (sources, conf, only_param)
        self.futures[name] = self.executor.submit(run_target, name, sources, conf, only_param)

    def report(self, name: str) -> FunctionReport:
        """The report of a submitted callable (waits for it)."""
        try:
            return self.futures[name].result()
        except concurrent.futures.process.BrokenProcessPool:
            if name in self.retried:
                return FunctionReport(name, error="a pool process died while running it")
            self.retried.add(name)
            pending = [n for n, f in self.futures.items()
                       if not f.done() or f.exception() is not None]
            self.executor.shutdown(wait=False, cancel_futures=True)
            self._start()
            for n in pending:
                self.submit(n, *self.jobs[n])
            return self.report(name)

    def record_sources(self) -> dict[str, list[str]]:
        """Run every example once, split over the pool, and return for each registry entry
        the keys of the examples that call it."""
        n = self.workers
        shares = [self.executor.submit(record_share, k, n) for k in range(n)]
        return merge_sources([f.result() for f in shares])

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)


def record_share(k: int, n: int) -> dict[str, list[tuple[str, str]]]:
    """In a pool process: run the k-th of n shares of the examples in a forked child (the
    pool process stays small) and return ``{name: [(slot, key), ...]}``."""
    from .api import covered_callables
    from .registry import REGISTRY

    examples = {name: entry.example for name, entry in REGISTRY.items() if entry.example}
    with tempfile.TemporaryDirectory(prefix="cxpath-hostile-capture-") as scratch:
        here = os.getcwd()

        def work():
            os.chdir(scratch)  # examples that write files write them here
            recorded = capture_all(list(covered_callables()), examples, share=(k, n))
            return {name: sources_of(baselines) for name, baselines in recorded.items()}

        worker = Running(work, memory=None, timeout=600.0, raw=True)
        try:
            while not worker.poll(1.0):
                pass
        finally:
            with contextlib.suppress(OSError):
                os.chdir(here)
    if not isinstance(worker.outcome, dict):
        raise RuntimeError(f"recording the baselines failed: {worker.outcome!r}")
    return worker.outcome


def merge_sources(shares: list[dict[str, list[tuple[str, str]]]],
                  limit: int = 3) -> dict[str, list[str]]:
    """The keys of each callable's best examples over every share: its registry example,
    then its own docstring, then others."""
    rank = {"registry": 0, "own": 1, "other": 2}
    out: dict[str, list[str]] = {}
    for name in set().union(*shares):
        found = sorted({pair for share in shares for pair in share.get(name, [])},
                       key=lambda pair: (rank[pair[0]], pair[1]))
        out[name] = [key for _, key in found][:limit]
    return out


def warm_imports() -> None:
    """Import every cxpath module and the optional libraries they load lazily, once: a
    worker forked afterwards does not pay for them on every callable."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    import importlib
    import pkgutil

    import matplotlib

    matplotlib.use("Agg")
    for name in ("matplotlib.pyplot", "pandas", "polars", "pyarrow", "networkx",
                 "scipy.stats", "dask.dataframe"):
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    import cxpath

    for info in pkgutil.walk_packages(cxpath.__path__, "cxpath."):
        if not info.name.endswith("__main__"):
            with contextlib.suppress(ImportError):
                importlib.import_module(info.name)
