"""Kernels import numba only when one is compiled (#19 point 2): ``@kernel`` gives a light
object that builds its numba dispatcher on first need, and a first small job (run
interpreted) never imports numba.

References: numba's own dispatchers (the index path of their disk cache, the dispatchers
numba compiles callees from) and fresh subprocesses (what a new process imports).
"""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import time

import numpy as np
import pytest

import cxpath
from cxpath._kernels import _jit

_JITTED = pytest.mark.skipif(os.environ.get("NUMBA_DISABLE_JIT", "0") != "0",
                             reason="NUMBA_DISABLE_JIT=1: kernels are plain Python already")


def _run(script, **env_extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NUMBA_", "CXPATH_"))}
    env.update(env_extra)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1]


# the first calls of bench_cold_start.py, each with the modules it must not import
FIRST_CALLS = {
    "staffing": ("from cxpath.kpi import staffing",
                 "staffing(100, 180, answer_time=20, target=0.8, max_occupancy=0.85, "
                 "shrinkage=0.3)", ("numba", "scipy.special")),
    "journey_graph": ("from cxpath.datasets import load_sample\n"
                      "from cxpath.journeys import journey_graph\nj = load_sample().journeys",
                      "journey_graph(j)", ("numba",)),
    "markov": ("from cxpath.datasets import load_sample\n"
               "from cxpath.attribution import markov\nj = load_sample().journeys",
               "markov(j)", ("numba",)),
}


@pytest.mark.parametrize("task", FIRST_CALLS)
def test_a_first_small_call_imports_no_numba(task, tmp_path):
    setup, call, absent = FIRST_CALLS[task]
    script = (f"import json, sys\nimport cxpath\n{setup}\n{call}\n"
              f"print(json.dumps([m for m in {list(absent)!r} if m in sys.modules]))")
    assert json.loads(_run(script, NUMBA_CACHE_DIR=str(tmp_path))) == []


def test_compiling_a_kernel_still_imports_numba(tmp_path):
    # the check above is not vacuous: the same process does import numba when a kernel runs
    script = ("import sys\nfrom cxpath._kernels import kpi\n"
              "before = 'numba' in sys.modules\nkpi.erlang_c_search(*kpi._example_search())\n"
              "print(before, 'numba' in sys.modules, type(kpi.erlang_c_search).__name__)")
    assert _run(script, NUMBA_CACHE_DIR=str(tmp_path)).split() == [
        "False", "True", "CPUDispatcher"]


def test_with_jit_disabled_kernels_are_their_python_functions():
    script = ("import sys, types\nfrom cxpath._kernels import kpi\n"
              "print(type(kpi.erlang_c_search) is types.FunctionType, 'numba' in sys.modules)")
    assert _run(script, NUMBA_DISABLE_JIT="1").split() == ["True", "False"]


# every lazy kernel: the index path computed without numba, then numba's own
INDEX_SCRIPT = """
import importlib, json, pkgutil
from cxpath import _kernels
from cxpath._kernels import _jit
for info in pkgutil.iter_modules(_kernels.__path__):
    importlib.import_module("cxpath._kernels." + info.name)
lazy = [k for k in _jit._KERNELS if isinstance(k, _jit._Kernel)]
ours = [_jit._index_path(k) for k in lazy]
import numba  # noqa: E402 -- only now
theirs = [k._cx_get()._cache._cache_file._index_path for k in lazy]
print(json.dumps({"n": len(lazy), "differ": [[a, b] for a, b in zip(ours, theirs) if a != b],
                  "folders": sorted({p.rsplit("/", 1)[0] for p in theirs})}))
"""


@_JITTED
def test_index_path_in_numba_cache_dir_is_numbas(tmp_path):
    got = json.loads(_run(INDEX_SCRIPT, NUMBA_CACHE_DIR=str(tmp_path)))
    assert got["n"] > 50 and got["differ"] == []
    assert all(f.startswith(str(tmp_path)) for f in got["folders"])


@_JITTED
def test_index_path_in_the_source_tree_is_numbas():
    kernels = pathlib.Path(cxpath.__file__).resolve().parent / "_kernels"
    if not os.access(kernels, os.W_OK):
        pytest.skip("read-only checkout: numba would not use the in-tree cache")
    got = json.loads(_run(INDEX_SCRIPT))  # no NUMBA_CACHE_DIR: numba's __pycache__ locator
    assert got["n"] > 50 and got["differ"] == []
    assert got["folders"] == [str(kernels / "__pycache__")]


@_JITTED
def test_index_path_in_the_user_wide_cache_is_numbas():
    """A read-only install with a writable user cache: numba's third locator."""
    root = pathlib.Path(tempfile.mkdtemp(prefix="cxpath-uw-"))
    try:
        shutil.copytree(pathlib.Path(cxpath.__file__).resolve().parent, root / "pkg" / "cxpath",
                        ignore=shutil.ignore_patterns("__pycache__", "*.nbi", "*.nbc"))
        for path in [root / "pkg", *(root / "pkg").rglob("*")]:
            path.chmod(0o555 if path.is_dir() else 0o444)
        (root / "xdg").mkdir()
        root.chmod(0o755)  # mkdtemp's 0o700 would hide the copy from nobody
        (root / "xdg").chmod(0o777)
        prefix = []
        if os.geteuid() == 0:  # root writes anywhere: run as nobody
            setpriv = shutil.which("setpriv")
            if setpriv is None:
                pytest.skip("running as root without setpriv: cannot drop privileges")
            prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("NUMBA_", "CXPATH_", "PYTHON"))}
        env.update(PYTHONPATH=str(root / "pkg"), XDG_CACHE_HOME=str(root / "xdg"),
                   HOME=str(root / "xdg"))
        done = subprocess.run([*prefix, sys.executable, "-c", INDEX_SCRIPT], env=env,
                              cwd=root / "pkg", capture_output=True, text=True, timeout=600,
                              check=False)
        assert done.returncode == 0, done.stderr[-3000:]
        got = json.loads(done.stdout.strip().splitlines()[-1])
        assert got["n"] > 50 and got["differ"] == []
        assert [f.startswith(str(root / "xdg" / "numba")) for f in got["folders"]] == [True]
    finally:
        for path in [root, *root.rglob("*")]:
            path.chmod(path.stat().st_mode | stat.S_IWUSR | stat.S_IXUSR)
        shutil.rmtree(root)


def _inc(x):
    return x + 1


def _twice(x):
    return inc(inc(x))  # noqa: F821 -- the fixture's kernel, a module global


@pytest.fixture
def pair(monkeypatch):
    """Fresh kernels ``twice`` calling ``inc`` through this module's globals, uncached."""
    monkeypatch.setenv("CXPATH_NUMBA_CACHE", "0")
    inc = _jit.kernel()(_inc)
    monkeypatch.setitem(globals(), "inc", inc)
    twice = _jit.kernel()(_twice)
    if not isinstance(twice, _jit._Kernel):
        pytest.skip("NUMBA_DISABLE_JIT=1: kernels are plain Python already")
    return twice, inc


def test_a_kernel_builds_once_across_threads_with_its_callees(pair, monkeypatch):
    from numba.core.dispatcher import Dispatcher

    twice, inc = pair
    built = []
    real = _jit._compile

    def slow_compile(func):  # widens the window in which two threads could both build
        built.append(func.__name__)
        time.sleep(0.01)
        return real(func)

    monkeypatch.setattr(_jit, "_compile", slow_compile)
    start = threading.Barrier(8)
    got = []

    def build():
        start.wait()
        got.append(twice._cx_get())

    threads = [threading.Thread(target=build) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(built) == ["_inc", "_twice"]  # each once
    assert len({id(d) for d in got}) == 1 and isinstance(got[0], Dispatcher)
    assert globals()["inc"] is inc._cx_dispatcher  # numba compiles the callee it finds here
    assert twice.signatures == [] and inc.signatures == []  # built, nothing compiled yet


@_JITTED
def test_lazy_objects_held_elsewhere_forward_to_the_dispatcher(pair):
    twice, inc = pair
    assert twice.signatures == [] and not _jit.compiled(twice)
    assert twice(np.int64(3)) == 5 and _jit.compiled(twice)  # compiles both
    assert inc(np.int64(3)) == 4 and inc.signatures == inc._cx_dispatcher.signatures
    assert twice.overloads is twice._cx_dispatcher.overloads  # numba's, forwarded
    assert _jit.interpreted(twice) is _twice


def test_a_kernel_reached_through_a_module_attribute_compiles(monkeypatch):
    """numba also types a lazy kernel it meets as ``module.kernel`` (not in globals)."""
    import types

    monkeypatch.setenv("CXPATH_NUMBA_CACHE", "0")
    space = types.ModuleType("space")
    space.inc = _jit.kernel()(_inc)
    if not isinstance(space.inc, _jit._Kernel):
        pytest.skip("NUMBA_DISABLE_JIT=1: kernels are plain Python already")
    monkeypatch.setitem(globals(), "space", space)
    via = _jit.kernel()(_via_module)
    assert via(np.int64(1)) == 2
    assert space.inc.signatures != []  # compiled as the callee's own dispatcher


def _via_module(x):
    return space.inc(x)  # noqa: F821 -- a module set by the test


def test_cached_asks_no_numba_of_a_kernel_not_built(monkeypatch, tmp_path):
    monkeypatch.setenv("CXPATH_NUMBA_CACHE", "1")
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path))
    if "numba" in sys.modules:
        from numba.core import config

        monkeypatch.setattr(config, "CACHE_DIR", str(tmp_path))
    lazy = _jit.kernel()(_inc)
    if not isinstance(lazy, _jit._Kernel):
        pytest.skip("NUMBA_DISABLE_JIT=1: kernels are plain Python already")
    path = pathlib.Path(_jit._index_path(lazy))
    assert not _jit.cached(lazy) and lazy._cx_dispatcher is None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"")  # an index where numba looks (its content is numba's business)
    assert _jit.cached(lazy) and lazy._cx_dispatcher is None
