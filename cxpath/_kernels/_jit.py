"""The one place kernels are compiled: lazy ``njit(nogil=True)`` with a switchable disk cache.

* No eager signatures: nothing compiles at import; a kernel compiles on first call.
* Caching is on unless ``CXPATH_NUMBA_CACHE`` is ``0``/``false``/``no``/``off``.
* A read-only install (no writable cache location) falls back to an uncached kernel and
  warns once per process, at the first compile, that kernels are compiled in every process.
* A cache that cannot be read (truncated or garbage ``.nbi``/``.nbc`` files) does not make
  the kernel fail: it compiles instead, rewrites the cache and warns once per process per
  kernel family (kernel module) with the files to delete. numba itself already ignores an
  index written by another numba version (it recompiles and overwrites it).
* ``NUMBA_DISABLE_JIT=1`` makes every kernel its plain-Python self (used by the test suite).
* A job too small to be worth a compile in a fresh process can run the kernel interpreted
  (:func:`by_work`: below the caller's documented work limit, while the kernel is neither
  compiled nor on disk, for about one compile's worth of interpreted work).
"""

from __future__ import annotations

import functools
import os
import sys
import types
import warnings

import numba
import numpy as np
from numba.core import caching as _caching
from numba.core.dispatcher import Dispatcher

from ..errors import CxpathWarning

__all__ = ["by_work", "cache_enabled", "cached", "compiled", "examples", "interpreted",
           "kernel"]

_EXAMPLES: list = []  # (dispatcher, zero-argument callable returning example args)
_WARNED: set = set()  # warnings already given in this process: "read-only", family names
# frames inside these folders are skipped so that a warning points at the caller's code
_INTERNAL = (os.path.dirname(numba.__file__) + os.sep,
             os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep)


def cache_enabled() -> bool:
    """Whether compiled kernels are cached on disk (``CXPATH_NUMBA_CACHE``, default on)."""
    return os.environ.get("CXPATH_NUMBA_CACHE", "1").strip().lower() not in (
        "0", "false", "no", "off")


def _compile(func):
    if cache_enabled():
        try:
            return numba.njit(cache=True, nogil=True)(func)
        except RuntimeError:  # no writable cache locator (read-only install)
            pass
    return numba.njit(cache=False, nogil=True)(func)


def _warn_once(key: str, message: str) -> None:
    """Warn with ``message`` unless ``key`` was warned about in this process already."""
    if key in _WARNED:
        return
    _WARNED.add(key)  # before warning: with warnings as errors the next call goes on quietly
    frame, level = sys._getframe(0), 1
    while frame is not None and frame.f_code.co_filename.startswith(_INTERNAL):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, CxpathWarning, stacklevel=level)


def _family(func) -> str:
    return func.__module__.rsplit(".", 1)[-1]


class _GuardedCache(_caching.FunctionCache):
    """numba's disk cache, except that a cache it cannot read means "compile" instead of failing.

    numba raises whatever unpickling or LLVM parsing raises on a truncated or garbage index
    (``.nbi``) or data file (``.nbc``), on every call. Here the failed load empties the index
    (numba's own ``flush``, so the next save rewrites it), warns once per kernel family and
    returns "not cached", so that the dispatcher compiles. A failed save never fails the call.
    """

    def __init__(self, py_func):
        super().__init__(py_func)
        self._family = _family(py_func)

    def load_overload(self, sig, target_context):
        try:
            return super().load_overload(sig, target_context)
        except Exception as error:  # any unreadable cache means "not cached"
            self._recover(error)
            return None

    def save_overload(self, sig, data):
        try:
            super().save_overload(sig, data)
        except Exception as error:  # the kernel is compiled; caching is optional
            self.disable()
            self._warn(error, "could not be written")

    def _recover(self, error: Exception) -> None:
        try:
            self.flush()  # an empty index: the next save writes a fresh one
            rewritten = True
        except Exception:  # cannot rewrite it: run uncached in this process
            self.disable()
            rewritten = False
        self._warn(error, "could not be read", rewritten)

    def _warn(self, error: Exception, what: str, rewritten: bool = False) -> None:
        family = self._family
        then = ("they are compiled instead and the cache is rewritten" if rewritten else
                "they are compiled instead, without the cache, in this process")
        detail = str(error).strip().splitlines()
        reason = type(error).__name__ + (f": {detail[0]}" if detail else "")
        _warn_once(f"corrupt:{family}", (
            f"The numba cache of cxpath's {family!r} kernels in {self.cache_path} {what} "
            f"({reason}); {then}. If this warning comes back, clear the cache by deleting the "
            f"files {family}.*.nbi and {family}.*.nbc in that folder (they are rebuilt on "
            "the next call), or turn the cache off with CXPATH_NUMBA_CACHE=0."))


class _UncachedNotice(_caching.NullCache):
    """No disk cache (read-only install): warns once per process at the first compile."""

    def __init__(self, py_func):
        self._folder = os.path.dirname(os.path.abspath(py_func.__code__.co_filename))

    def load_overload(self, sig, target_context):
        _warn_once("read-only", (
            f"cxpath's numba kernels are not cached: there is no writable cache folder for "
            f"{self._folder} (a read-only install), so they are compiled again in every "
            "process, which makes the first calls slow. Set NUMBA_CACHE_DIR to a writable "
            "folder to cache them, or CXPATH_NUMBA_CACHE=0 to run uncached without this "
            "warning."))


def _guard(dispatcher, func):
    """Give a compiled kernel the cache that falls back to compiling (or the notice)."""
    cache = getattr(dispatcher, "_cache", None)  # absent under NUMBA_DISABLE_JIT=1
    if isinstance(cache, _caching.FunctionCache):
        dispatcher._cache = _GuardedCache(func)
    elif isinstance(cache, _caching.NullCache) and cache_enabled():
        dispatcher._cache = _UncachedNotice(func)
    return dispatcher


def kernel(example=None):
    """Decorate a kernel. ``example`` returns a tuple of arguments used by ``warmup()``."""

    def decorate(func):
        dispatcher = _guard(_compile(func), func)
        if example is not None:
            _EXAMPLES.append((dispatcher, example))
        return dispatcher

    return decorate


def examples() -> list:
    """The registered (kernel, example-arguments) pairs."""
    return list(_EXAMPLES)


def interpreted(dispatcher):
    """The kernel's own Python function, for inputs so small that running it interpreted
    (over numpy scalars and math) costs less than compiling it in a fresh process.

    The caller decides by a documented work estimate; results are the same operations in
    the same order, so they equal the compiled kernel's (tests check it per kernel).
    Under ``NUMBA_DISABLE_JIT=1`` the kernel already is its Python function.
    """
    return getattr(dispatcher, "py_func", dispatcher)


def compiled(dispatcher) -> bool:
    """Whether the kernel has a compiled (or cache-loaded) specialisation in this process,
    so that calling it costs no compile (always true under ``NUMBA_DISABLE_JIT=1``).

    Examples
    --------
    >>> from cxpath._kernels.ordering import key_starts
    >>> isinstance(compiled(key_starts), bool)
    True
    """
    return bool(getattr(dispatcher, "signatures", True))


#: :func:`by_work` runs a kernel interpreted until the work it has run so in this process
#: reaches this many times the caller's limit (about the cost of one compile: callers set
#: ``limit`` at ~0.1 s of interpreted work against 0.5-2 s to compile), then compiles it.
INTERPRETED_BUDGET = 10

_SPENT: dict = {}  # kernel Python function -> work run interpreted in this process


def cached(dispatcher) -> bool:
    """Whether numba's disk cache holds an index of the kernel, so that a first call in
    this process loads it (milliseconds) instead of compiling it.

    Examples
    --------
    >>> from cxpath._kernels.ordering import key_starts
    >>> isinstance(cached(key_starts), bool)
    True
    """
    cache_file = getattr(getattr(dispatcher, "_cache", None), "_cache_file", None)
    path = getattr(cache_file, "_index_path", None)  # absent without a disk cache
    return path is not None and os.path.exists(path)


def by_work(dispatcher, work: float, limit: float):
    """The kernel to call for a job of ``work`` units: run interpreted while that is cheaper
    than compiling it, else the kernel itself (compiled or loaded on its first call).

    ``work`` is the caller's documented estimate of the loop iterations the call runs and
    ``limit`` the size up to which running them interpreted costs far less than compiling
    the kernel in a fresh process. A job runs interpreted when ``work <= limit``, the kernel
    is neither :func:`compiled` in this process nor :func:`cached` on disk, and the work
    already run interpreted here stays within :data:`INTERPRETED_BUDGET` times ``limit``
    (rent until the rent paid is the price of buying: a service making many small calls
    compiles once, after about one compile's worth of interpreted time, instead of paying
    the interpreted cost forever). Interpreted, the kernels it calls run interpreted too
    (nothing compiles) and numpy's floating-point warnings are off, as in the compiled
    kernel (unsigned hashes wrap silently there too); both routes give the same numbers.

    Examples
    --------
    >>> import numpy as np
    >>> from cxpath._kernels.spc import cusum_sums
    >>> run = by_work(cusum_sums, 3, 1_000)
    >>> [float(c) for c in run(np.array([1.0, 2.0, -1.0]), 0.5, 5.0, False)[0]]
    [0.5, 2.0, 0.5]
    >>> by_work(cusum_sums, 10_000, 1_000) is cusum_sums
    True
    """
    if work > limit or compiled(dispatcher) or cached(dispatcher):
        return dispatcher
    func = dispatcher.py_func
    spent = _SPENT.get(func, 0.0) + work
    if spent > INTERPRETED_BUDGET * limit:
        return dispatcher
    _SPENT[func] = spent  # a race between threads only misplaces the switch by a call
    return _quiet(_python_tree(dispatcher))


_TREES: dict = {}  # kernel Python function -> its copy that calls interpreted kernels


def _python_tree(dispatcher):
    """The kernel's Python function, calling the Python functions of the kernels it calls
    (recursively) instead of their compiled dispatchers."""
    func = getattr(dispatcher, "py_func", None)
    if func is None:  # NUMBA_DISABLE_JIT=1: already plain Python all the way down
        return dispatcher
    tree = _TREES.get(func)
    if tree is not None:
        return tree
    calls = {name: value for name in func.__code__.co_names
             if isinstance(value := func.__globals__.get(name), Dispatcher)}
    if not calls:
        _TREES[func] = func
        return func
    scope = dict(func.__globals__)
    tree = types.FunctionType(func.__code__, scope, func.__name__, func.__defaults__,
                              func.__closure__)
    tree.__kwdefaults__, tree.__doc__ = func.__kwdefaults__, func.__doc__
    _TREES[func] = tree  # before the callees: a kernel that calls itself ends here
    scope.update({name: _python_tree(value) for name, value in calls.items()})
    return tree


@functools.cache
def _quiet(func):
    """``func`` with numpy's overflow, underflow and invalid-value warnings off (numba's
    arithmetic does not warn)."""

    @functools.wraps(func)
    def run(*args):
        with np.errstate(over="ignore", under="ignore", invalid="ignore"):
            return func(*args)

    return run
