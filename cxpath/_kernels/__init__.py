"""numba kernels: pure functions over contiguous int64 / float64 arrays.

Only the functions that run a kernel import these modules (inside the function body), and
importing one imports no numba either: :func:`cxpath._kernels._jit.kernel` gives a light
object that imports numba and builds the dispatcher on the kernel's first compiled call, so
a small first job run interpreted (:func:`~cxpath._kernels._jit.by_work`) never loads it.
Decorate kernels with :func:`cxpath._kernels._jit.kernel`; give it an ``example`` so that
:func:`cxpath.warmup` can compile it. The decorator caches compiled kernels on disk and
falls back to compiling, with one :class:`~cxpath.errors.CxpathWarning`, when that cache
cannot be read (corrupted files) or written (a read-only install); see :mod:`._jit`.
"""
