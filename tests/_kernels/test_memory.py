"""Huge-page advice for the kernels' large arrays (cxpath#27)."""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest

from cxpath._kernels import _jit
from cxpath._kernels.memory import HUGE_BYTES, huge_pages
from cxpath._kernels.paths import case_hashes

THP = "/sys/kernel/mm/transparent_hugepage/enabled"


def huge_kib(array: np.ndarray) -> int:
    """AnonHugePages (KiB) of the mapping holding ``array``'s middle byte (/proc/self/smaps;
    the advice splits the mapping: the first page, not advised, is a mapping of its own)."""
    address = array.ctypes.data + array.nbytes // 2
    inside = False
    with open("/proc/self/smaps") as smaps:
        for line in smaps:
            head = line.split()[0]
            if "-" in head and not head.endswith(":"):
                lo, hi = (int(x, 16) for x in head.split("-"))
                inside = lo <= address < hi
            elif inside and head == "AnonHugePages:":
                return int(line.split()[1])
    return 0


@pytest.mark.skipif(not sys.platform.startswith("linux") or not os.path.exists(THP),
                    reason="transparent huge pages are a Linux feature")
def test_a_kernels_large_output_gets_huge_pages_as_numpy_does():
    with open(THP) as f:
        if "[never]" in f.read():
            pytest.skip("transparent huge pages are off on this system")
    n_cases = 4 * HUGE_BYTES // 8  # a 16 MiB hash array
    offsets = np.arange(n_cases + 1, dtype=np.int64)
    codes = np.zeros(n_cases, dtype=np.int64)
    control = np.ones(n_cases)  # numpy's own allocation, advised by numpy
    if huge_kib(control) == 0:
        pytest.skip("the system gives no huge pages to numpy's arrays either right now")
    hashes = case_hashes(codes, offsets)  # huge_pages(out) before it is written
    assert huge_kib(hashes) > 0
    # every case is the path (0,): the values are the interpreted route's for one case
    with np.errstate(over="ignore"):  # the hash wraps, silently in the compiled kernel
        one = _jit.interpreted(case_hashes)(codes[:1], offsets[:2])
    assert np.array_equal(hashes, np.repeat(one, n_cases))


def test_huge_pages_changes_no_value_on_either_route():
    a = np.arange(HUGE_BYTES // 4, dtype=np.int64)  # 8 MiB
    before = a.copy()
    assert huge_pages(a.ctypes.data, a.nbytes) is None and np.array_equal(a, before)
    assert _jit.interpreted(huge_pages)(a.ctypes.data, a.nbytes) is None
    assert np.array_equal(a, before)
    small = np.arange(3.0)
    huge_pages(small.ctypes.data, small.nbytes)
    assert small.tolist() == [0.0, 1.0, 2.0]


def test_an_external_function_runs_its_python_stand_in_outside_kernels():
    f = _jit.external("madvise", lambda t: t.int32(t.voidptr, t.intp, t.int32),
                      lambda *args: len(args))
    assert f(0, 0, 0) == 3
    assert "madvise" in repr(f)
    from numba.core import types

    assert f._numba_type_ == types.ExternalFunction("madvise", types.int32(
        types.voidptr, types.intp, types.int32))
