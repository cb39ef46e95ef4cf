"""numba kernels: pure functions over contiguous int64 / float64 arrays.

Every module here imports numba at import time, so only the functions that run a kernel
import these modules (inside the function body): ``import cxpath`` never loads numba.
Decorate kernels with :func:`cxpath._kernels._jit.kernel`; give it an ``example`` so that
:func:`cxpath.warmup` can compile it. The decorator caches compiled kernels on disk and
falls back to compiling, with one :class:`~cxpath.errors.CxpathWarning`, when that cache
cannot be read (corrupted files) or written (a read-only install); see :mod:`._jit`.
"""
