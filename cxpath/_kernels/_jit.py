"""The one place kernels are compiled: lazy ``njit(nogil=True)`` with a switchable disk cache.

* No eager signatures: nothing compiles at import; a kernel compiles on first call.
* Caching is on unless ``CXPATH_NUMBA_CACHE`` is ``0``/``false``/``no``/``off``.
* A read-only install (no writable cache location) falls back to an uncached kernel.
* ``NUMBA_DISABLE_JIT=1`` makes every kernel its plain-Python self (used by the test suite).
"""

from __future__ import annotations

import os

import numba

__all__ = ["cache_enabled", "examples", "kernel"]

_EXAMPLES: list = []  # (dispatcher, zero-argument callable returning example args)


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


def kernel(example=None):
    """Decorate a kernel. ``example`` returns a tuple of arguments used by ``warmup()``."""

    def decorate(func):
        dispatcher = _compile(func)
        if example is not None:
            _EXAMPLES.append((dispatcher, example))
        return dispatcher

    return decorate


def examples() -> list:
    """The registered (kernel, example-arguments) pairs."""
    return list(_EXAMPLES)
