"""cxpath._blas: one BLAS thread inside cxpath's BLAS calls, counted across nesting and
threads, checked against threadpoolctl's own report of the libraries' thread counts."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading

import numpy as np
import pytest

from cxpath._blas import one_blas_thread

threadpoolctl = pytest.importorskip("threadpoolctl")


def _blas_threads() -> list[int]:
    return [i["num_threads"] for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas"]


@pytest.fixture
def two_threads():
    """The BLAS libraries on two threads where they can be (some single-threaded builds
    stay at one); the test gets their counts before it starts."""
    with threadpoolctl.threadpool_limits(2, user_api="blas"):
        before = _blas_threads()
        if 2 not in before:
            pytest.skip("no multi-threaded BLAS library that threadpoolctl can control")
        yield before


def test_one_thread_inside_and_the_setting_restored_after(two_threads):
    with one_blas_thread():
        assert set(_blas_threads()) == {1}
        with one_blas_thread():  # nested: still one, and the outer exit restores
            assert set(_blas_threads()) == {1}
        assert set(_blas_threads()) == {1}
        np.ones((3, 3)) @ np.ones((3, 3))
    assert _blas_threads() == two_threads


def test_restored_after_an_exception(two_threads):
    with pytest.raises(ZeroDivisionError), one_blas_thread():
        1 / 0
    assert _blas_threads() == two_threads


def test_uses_from_threads_limit_and_restore_the_setting():
    # the removal solves call it from worker threads, one at a time or overlapping
    before = _blas_threads()
    if not before or max(before) < 2:
        pytest.skip("BLAS runs on one thread here anyway")
    a_in, b_in, seen = threading.Event(), threading.Event(), {}

    def a():
        with one_blas_thread():
            seen["a"] = set(_blas_threads())
            a_in.set()
            b_in.wait(5)

    def b():
        a_in.wait(5)
        with one_blas_thread():
            b_in.set()

    for target in ([a], [a, b]):
        a_in.clear(), b_in.clear()
        threads = [threading.Thread(target=t) for t in target]
        if len(target) == 1:
            b_in.set()
        for t in threads:
            t.start()
        for t in threads:
            t.join(10)
        assert seen.pop("a") == {1}
        assert _blas_threads() == before


def test_a_decorated_function_runs_on_one_thread(two_threads):
    @one_blas_thread()
    def inside():
        return set(_blas_threads())

    assert inside() == {1} and inside() == {1}
    assert _blas_threads() == two_threads


def test_scipy_blas_loaded_after_the_first_use_is_limited_too():
    # a fresh process: the first use sees numpy's BLAS only; scipy.linalg brings its own
    code = textwrap.dedent("""
        import sys
        import numpy
        from threadpoolctl import threadpool_info, threadpool_limits
        from cxpath._blas import one_blas_thread

        assert "scipy.linalg" not in sys.modules
        with one_blas_thread():
            pass
        import scipy.linalg
        with threadpool_limits(2, user_api="blas"):
            libs = [i for i in threadpool_info() if i["user_api"] == "blas"]
            with one_blas_thread():
                inside = {i["filepath"]: i["num_threads"] for i in threadpool_info()
                          if i["user_api"] == "blas"}
        print(len(libs), sorted(set(inside.values())))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    if int(out[0]) < 2:
        pytest.skip("numpy and scipy share one BLAS library here")
    assert out[1:] == ["[1]"]
