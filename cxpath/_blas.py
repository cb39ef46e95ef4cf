"""BLAS threads for small and tall-skinny products: one, when threadpoolctl is installed.

OpenBLAS splits even a 50,000 × 20 product over its threads; on a busy machine one of them
is often descheduled and the whole call waits for it (#27 point 4: ``cronbach_alpha`` on
50,000 × 20 took 2× longer beside one CPU-bound process, 1× on one thread). cxpath's BLAS
calls are all of that kind, so they run on one thread. ``threadpoolctl`` is optional (it
comes with scikit-learn); without it this does nothing. Limiting costs about 1 ms a call,
so callers use it only above :data:`MIN_ELEMENTS`.
"""

from __future__ import annotations

import contextlib
from typing import Any

MIN_ELEMENTS = 100_000
"""Products over fewer matrix elements run as they are (the limit's own cost dominates)."""


def one_blas_thread(elements: int | None = None) -> Any:
    """A context limiting BLAS to one thread (a null context without threadpoolctl, or for
    ``elements`` below :data:`MIN_ELEMENTS`).

    Examples
    --------
    >>> import numpy as np
    >>> with one_blas_thread(10):
    ...     float((np.ones((2, 2)) @ np.ones((2, 2)))[0, 0])
    2.0
    """
    if elements is not None and elements < MIN_ELEMENTS:
        return contextlib.nullcontext()
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # an optional dependency
        return contextlib.nullcontext()
    return threadpool_limits(1, user_api="blas")
