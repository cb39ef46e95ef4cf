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
"""

from __future__ import annotations

import os
import sys
import warnings

import numba
from numba.core import caching as _caching

from ..errors import CxpathWarning

__all__ = ["cache_enabled", "compiled", "examples", "interpreted", "kernel"]

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
