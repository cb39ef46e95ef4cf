"""BLAS on one thread inside cxpath's BLAS and LAPACK calls (when threadpoolctl is installed).

cxpath's BLAS and LAPACK calls are small (dense LUs of chains up to a few hundred states,
20 × 20 factor fits) or tall-skinny (item covariances of 50,000 × 20 answers). OpenBLAS
still wakes its second thread for them, at any size: a 4 × 4 ``scipy.linalg.lu_solve``
keeps that thread spinning for 40-80 ms afterwards, and eleven 50 × 50 LUs, 0.1 ms of
work, took 80-130 ms on the busy 2-core machine while the main thread waited for a
descheduled worker (#27 point 4). The spinning thread also takes the core from the caller
and from every other process. So these calls run on one thread, whatever their size.

The limit is process-wide (OpenBLAS has one thread pool): nested uses keep it; from
threads, threadpoolctl lets only the first thread that sets it change it until that thread
leaves, so a use starting meanwhile on another thread (the LU fallback of the Markov
removals on threads) runs with whatever is set then. Setting it costs about 40 µs (a
cached ``threadpoolctl.ThreadpoolController``; ``threadpool_limits`` itself rescans the
loaded libraries, about 3 ms a call). ``threadpoolctl`` is optional (it comes with
scikit-learn); without it this does nothing.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

_CACHE: list = [-1, None]  # [len(sys.modules) when scanned, the BLAS controller]


def _controller():
    """A controller of the loaded BLAS libraries (None without threadpoolctl), rescanned
    only when modules were imported since the last scan (one may bring its own BLAS, as
    scipy.linalg does)."""
    loaded = len(sys.modules)
    if _CACHE[0] != loaded:
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:  # an optional dependency
            return None
        _CACHE[:] = [len(sys.modules), ThreadpoolController().select(user_api="blas")]
    return _CACHE[1]


@contextlib.contextmanager
def one_blas_thread() -> Iterator[None]:
    """A context (or decorator) running the BLAS libraries on one thread, whatever the size
    of the products inside (OpenBLAS wakes its threads at every size: see the module notes).

    Examples
    --------
    >>> import numpy as np
    >>> with one_blas_thread():
    ...     float((np.ones((2, 2)) @ np.ones((2, 2)))[0, 0])
    2.0
    """
    controller = _controller()
    if controller is None:
        yield
        return
    with controller.limit(limits=1):
        yield
