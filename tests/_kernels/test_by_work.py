"""``_jit.by_work``: small jobs run a kernel interpreted, with the kernels it calls, until it
is compiled (#19 point 2: a fresh process should not compile for a millisecond of work).

Reference: the compiled kernels themselves (the same operations in the same order).
"""

import warnings

import numpy as np
import pytest

from cxpath._kernels import _jit


def _mix(h, x):  # an unsigned hash step: wraps around, as numba's uint64 does
    return (h ^ np.uint64(x + 1)) * np.uint64(1099511628211)


def _hashes(codes):
    out = np.empty(codes.shape[0], dtype=np.uint64)
    h = np.uint64(14695981039346656037)
    for i in range(codes.shape[0]):
        h = mix(h, codes[i])  # noqa: F821 -- the fixture's kernel, a module global
        out[i] = h
    return out


@pytest.fixture
def pair(monkeypatch):
    """Fresh kernels ``hashes`` calling ``mix`` (uncached: nothing on disk, nothing compiled)."""
    monkeypatch.setenv("CXPATH_NUMBA_CACHE", "0")
    mix = _jit.kernel()(_mix)
    monkeypatch.setitem(globals(), "mix", mix)
    return _jit.kernel()(_hashes), mix


def test_a_small_job_compiles_nothing_and_gives_the_kernels_numbers(pair):
    if not hasattr(pair[0], "py_func") or not hasattr(pair[0], "signatures"):
        pytest.skip("NUMBA_DISABLE_JIT=1: kernels are plain Python already")
    hashes, mix = pair
    codes = np.arange(50, dtype=np.int64) % 7
    run = _jit.by_work(hashes, codes.size, 100)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # numpy would warn on the uint64 overflow
        got = run(codes)
    assert hashes.signatures == [] and mix.signatures == []  # nothing compiled
    want = hashes(codes)  # compiles both
    assert got.dtype == want.dtype and np.array_equal(got, want)


def test_large_jobs_and_compiled_kernels_take_the_kernel(pair):
    hashes, _ = pair
    codes = np.arange(5, dtype=np.int64)
    assert _jit.by_work(hashes, 101, 100) is hashes
    hashes(codes)  # compiled now (or plain Python under NUMBA_DISABLE_JIT=1)
    assert _jit.by_work(hashes, 1, 100) is hashes


def test_many_small_jobs_compile_after_about_one_compile_of_work(pair, monkeypatch):
    """Rent until the rent paid is the price of buying: a service making many small calls
    stops running the kernel interpreted after INTERPRETED_BUDGET x limit of work."""
    if not hasattr(pair[0], "py_func") or not hasattr(pair[0], "signatures"):
        pytest.skip("NUMBA_DISABLE_JIT=1: kernels are plain Python already")
    hashes, _ = pair
    monkeypatch.setattr(_jit, "INTERPRETED_BUDGET", 3)
    monkeypatch.setattr(_jit, "_SPENT", {})
    routes = [_jit.by_work(hashes, 40, 100) is hashes for _ in range(9)]
    assert routes == [False] * 7 + [True] * 2  # 7 x 40 = 280 <= 300 < 8 x 40


def test_a_kernel_on_disk_is_loaded_not_interpreted(monkeypatch, tmp_path):
    """A kernel whose index is in numba's disk cache costs milliseconds to load: a fresh
    dispatcher of it (as in a new process) takes the kernel, not the interpreted route."""
    import numba

    monkeypatch.setenv("CXPATH_NUMBA_CACHE", "1")
    monkeypatch.setattr(numba.config, "CACHE_DIR", str(tmp_path))
    first = _jit.kernel()(_mix)
    if not hasattr(first, "signatures"):
        pytest.skip("NUMBA_DISABLE_JIT=1: kernels are plain Python already")
    assert not _jit.cached(first)
    assert _jit.by_work(first, 1, 100) is not first
    first(np.uint64(1), 2)  # compiles and writes the index under tmp_path
    fresh = _jit.kernel()(_mix)  # the same function, nothing compiled in this dispatcher
    assert fresh.signatures == [] and _jit.cached(fresh)
    assert _jit.by_work(fresh, 1, 100) is fresh
