"""The one place kernels are compiled: lazy ``njit(nogil=True)`` with a switchable disk cache.

* No eager signatures: nothing compiles at import; a kernel compiles on first call.
* numba itself is imported then, not before: a kernel is a light object until its first
  compiled call (or a use of a dispatcher attribute), which builds its numba dispatcher and
  those of the kernels it calls (:class:`_Kernel`); :func:`by_work`, :func:`interpreted`,
  :func:`compiled` and :func:`cached` import no numba for a kernel not built yet.
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
import hashlib
import os
import sys
import threading
import types
import warnings

import numpy as np

from ..errors import CxpathWarning

__all__ = ["by_work", "cache_enabled", "cached", "compiled", "examples", "external",
           "interpreted", "kernel"]

_EXAMPLES: list = []  # (kernel, zero-argument callable returning example args)
_KERNELS: list = []  # every kernel decorated in this process (lazy ones: _Kernel)
_WARNED: set = set()  # warnings already given in this process: "read-only", family names
_LOCK = threading.RLock()  # builds dispatchers (and imports numba) one thread at a time
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def __getattr__(name):
    if name == "numba":  # ``_jit.numba``: the module, imported on first use
        return _numba()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _numba():
    """numba, imported on first need (a kernel to compile); ``_jit.numba`` once set."""
    global numba
    if "numba" not in globals():
        import numba
    return numba


def cache_enabled() -> bool:
    """Whether compiled kernels are cached on disk (``CXPATH_NUMBA_CACHE``, default on)."""
    return os.environ.get("CXPATH_NUMBA_CACHE", "1").strip().lower() not in (
        "0", "false", "no", "off")


def _jit_disabled() -> bool:
    """numba's ``DISABLE_JIT``, read as numba reads it, importing numba only when it is
    imported already or a ``.numba_config.yaml`` here may set it."""
    if "numba" in sys.modules or os.path.exists(".numba_config.yaml"):
        from numba.core import config

        return bool(config.DISABLE_JIT)
    try:
        return bool(int(os.environ.get("NUMBA_DISABLE_JIT", "0")))
    except ValueError:  # numba warns and keeps its default
        return False


def _compile(func):
    njit = _numba().njit
    if cache_enabled():
        try:
            return njit(cache=True, nogil=True)(func)
        except RuntimeError:  # no writable cache locator (read-only install)
            pass
    return njit(cache=False, nogil=True)(func)


def _warn_once(key: str, message: str) -> None:
    """Warn with ``message`` unless ``key`` was warned about in this process already."""
    if key in _WARNED:
        return
    _WARNED.add(key)  # before warning: with warnings as errors the next call goes on quietly
    internal = [_PACKAGE]  # frames in these folders are skipped: the warning points at the
    if "numba" in sys.modules:  # caller's code
        internal.append(os.path.dirname(sys.modules["numba"].__file__) + os.sep)
    frame, level = sys._getframe(0), 1
    while frame is not None and frame.f_code.co_filename.startswith(tuple(internal)):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, CxpathWarning, stacklevel=level)


def _family(func) -> str:
    return func.__module__.rsplit(".", 1)[-1]


@functools.cache
def _caches():
    """The two disk-cache guards, numba's cache classes subclassed on first compile."""
    from numba.core import caching

    class _GuardedCache(caching.FunctionCache):
        """numba's disk cache, except that a cache it cannot read means "compile" instead of
        failing.

        numba raises whatever unpickling or LLVM parsing raises on a truncated or garbage
        index (``.nbi``) or data file (``.nbc``), on every call. Here the failed load empties
        the index (numba's own ``flush``, so the next save rewrites it), warns once per kernel
        family and returns "not cached", so that the dispatcher compiles. A failed save never
        fails the call.
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
                f"({reason}); {then}. If this warning comes back, clear the cache by deleting "
                f"the files {family}.*.nbi and {family}.*.nbc in that folder (they are rebuilt "
                "on the next call), or turn the cache off with CXPATH_NUMBA_CACHE=0."))

    class _UncachedNotice(caching.NullCache):
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

    return caching, _GuardedCache, _UncachedNotice


def _guard(dispatcher, func):
    """Give a compiled kernel the cache that falls back to compiling (or the notice)."""
    caching, guarded, notice = _caches()
    cache = getattr(dispatcher, "_cache", None)  # absent under NUMBA_DISABLE_JIT=1
    if isinstance(cache, caching.FunctionCache):
        dispatcher._cache = guarded(func)
    elif isinstance(cache, caching.NullCache) and cache_enabled():
        dispatcher._cache = notice(func)
    return dispatcher


class _Kernel:
    """A kernel before numba: its Python function (``py_func``), and its numba dispatcher
    (``njit(cache=…, nogil=True)`` with the cache guard), built (numba imported) on the
    first call or the first use of a dispatcher attribute, once per process (under a lock).

    Building it builds the kernels it calls (the lazy kernels named in its globals, and
    theirs) and puts their dispatchers in those globals, where numba looks callees up when
    it compiles; the kernel's own module global becomes its dispatcher too. This object
    forwards to the dispatcher ever after, so ``from module import kernel`` copies work.
    ``signatures`` is ``[]`` until then, without importing numba.
    """

    def __init__(self, func):
        functools.update_wrapper(self, func)
        self.py_func = func
        self._cx_dispatcher = None

    @property
    def signatures(self) -> list:
        dispatcher = self._cx_dispatcher
        return [] if dispatcher is None else dispatcher.signatures

    @property
    def _numba_type_(self):  # numba types a lazy kernel met while compiling as its dispatcher
        from numba.core import types as nb_types

        return nb_types.Dispatcher(self._cx_get())

    def _cx_get(self):
        """The numba dispatcher, built on first need."""
        dispatcher = self._cx_dispatcher
        if dispatcher is None:
            with _LOCK:
                if self._cx_dispatcher is None:
                    built: dict = {}
                    _build(self, built)
                    for lazy, made in built.items():  # published once every callee is
                        lazy._cx_dispatcher = made
                dispatcher = self._cx_dispatcher
        return dispatcher

    def __call__(self, *args, **kwargs):
        dispatcher = self._cx_dispatcher
        if dispatcher is None:
            dispatcher = self._cx_get()
        return dispatcher(*args, **kwargs)

    def __getattr__(self, name):  # only for names the object lacks: numba's attributes
        if name.startswith("__") or name.startswith("_cx_"):  # protocol probes build nothing
            raise AttributeError(name)
        return getattr(self._cx_get(), name)

    def __repr__(self) -> str:
        state = "not built" if self._cx_dispatcher is None else repr(self._cx_dispatcher)
        return f"<cxpath kernel {self.__module__}.{self.__qualname__}: {state}>"


def _build(lazy: _Kernel, built: dict):
    """Build ``lazy``'s dispatcher and those of the lazy kernels it calls (into ``built``),
    replacing the lazy objects by them in the calling kernels' globals."""
    if lazy._cx_dispatcher is not None:
        return lazy._cx_dispatcher
    if lazy in built:  # a kernel calling itself, or a callee shared by two callers
        return built[lazy]
    func = lazy.py_func
    dispatcher = built[lazy] = _guard(_compile(func), func)
    scope = func.__globals__
    for name in func.__code__.co_names:
        if isinstance(callee := scope.get(name), _Kernel):
            scope[name] = _build(callee, built)
    for name, value in list(scope.items()):
        if value is lazy:  # its module: later lookups get the dispatcher directly
            scope[name] = dispatcher
    return dispatcher


def kernel(example=None):
    """Decorate a kernel. ``example`` returns a tuple of arguments used by ``warmup()``.

    The kernel is a light object until it is first called (see :class:`_Kernel`): importing
    a kernel module imports no numba. Under ``NUMBA_DISABLE_JIT=1`` it is its Python function.
    """

    def decorate(func):
        made = func if _jit_disabled() else _Kernel(func)
        _KERNELS.append(made)
        if example is not None:
            _EXAMPLES.append((made, example))
        return made

    return decorate


class _External:
    """A C function of the running process that kernels call by its symbol (see
    :func:`external`)."""

    def __init__(self, symbol: str, signature, python):
        self.symbol, self._signature, self._python = symbol, signature, python

    @property
    def _numba_type_(self):  # numba types the global as the external function
        from numba.core import types as nb_types

        return nb_types.ExternalFunction(self.symbol, self._signature(nb_types))

    def __call__(self, *args):
        return self._python(*args)

    def __repr__(self) -> str:
        return f"<cxpath external function {self.symbol}>"


def external(symbol: str, signature, python):
    """A C function of the process (``symbol``, e.g. libc's ``madvise``) for kernels to call.

    Compiled kernels call it as numba's ``types.ExternalFunction`` of ``signature(types)``
    (``types`` is ``numba.core.types``, passed in so that nothing imports numba before a
    compile); it is linked by name, so kernels calling it stay cacheable on disk. Run as
    Python (a kernel's interpreted route, ``NUMBA_DISABLE_JIT=1``) it calls ``python``.

    Examples
    --------
    >>> madvise = external("madvise", lambda t: t.int32(t.voidptr, t.intp, t.int32),
    ...                    lambda address, size, advice: 0)
    >>> madvise(0, 0, 0)  # from Python: the stand-in
    0
    """
    return _External(symbol, signature, python)


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
    if isinstance(dispatcher, _Kernel):
        dispatcher = dispatcher._cx_dispatcher
        if dispatcher is None:
            return False
    # the overloads themselves: ``signatures`` lists them, ~4 us a call (ETS asks per fit)
    overloads = getattr(dispatcher, "overloads", None)
    return True if overloads is None else len(overloads) > 0


#: :func:`by_work` runs a kernel interpreted until the work it has run so in this process
#: reaches this many times the caller's limit (about the cost of one compile: callers set
#: ``limit`` at ~0.1 s of interpreted work against 0.5-2 s to compile), then compiles it.
INTERPRETED_BUDGET = 10

_SPENT: dict = {}  # kernel Python function -> work run interpreted in this process


def cached(dispatcher) -> bool:
    """Whether numba's disk cache holds an index of the kernel, so that a first call in
    this process loads it (milliseconds) instead of compiling it. Asked of a kernel not
    built yet, it imports no numba (:func:`_index_path`).

    Examples
    --------
    >>> from cxpath._kernels.ordering import key_starts
    >>> isinstance(cached(key_starts), bool)
    True
    """
    if isinstance(dispatcher, _Kernel):
        if dispatcher._cx_dispatcher is None:
            path = _index_path(dispatcher)
            return path is not None and os.path.exists(path)
        dispatcher = dispatcher._cx_dispatcher
    path = _numba_index_path(dispatcher)
    return path is not None and os.path.exists(path)


_UNKNOWN = object()  # a cache layout this module does not reproduce: ask numba
_FOLDERS: dict = {}  # (NUMBA_CACHE_DIR, source file) -> its cache folder (None: no cache)


def _index_path(lazy: _Kernel) -> str | None:
    """The index file numba's disk cache keeps for kernel ``lazy`` (None: no disk cache),
    computed as numba 0.6x's ``FunctionCache`` does, without importing numba.

    The folder is the first usable one of numba's locators: ``NUMBA_CACHE_DIR``
    (``<dir>/<parent>_<sha1 of the source folder>``), the source's ``__pycache__``, the
    user-wide cache (``$XDG_CACHE_HOME/numba/…`` or ``~/.cache/numba/…``; macOS
    ``~/Library/Caches/numba/…``), each if it can be created and written; the name is
    ``<module>.<qualname>-<first line>.py<major><minor><abiflags>.nbi``. Layouts it does not
    reproduce (overridden locators, a ``.numba_config.yaml``, Windows, frozen, zipped or
    interactive sources) build the dispatcher and read numba's own path; a test compares
    both for every kernel, so a numba release that moves the index fails it.
    """
    if not cache_enabled():
        return None
    func = lazy.py_func
    source = func.__code__.co_filename
    folder = _cache_folder(source)
    if folder is _UNKNOWN:
        return _numba_index_path(lazy._cx_get())
    if folder is None:
        return None
    module = os.path.splitext(os.path.basename(source))[0]
    qualname = func.__qualname__.replace("<", "").replace(">", "")
    version = f"{sys.version_info[0]}{sys.version_info[1]}{getattr(sys, 'abiflags', '')}"
    return os.path.join(folder, f"{module}.{qualname}-{func.__code__.co_firstlineno}"
                                f".py{version}.nbi")


def _cache_folder(source: str):
    """numba's cache folder for kernels of the file ``source`` (None: none is writable;
    ``_UNKNOWN``: a layout not reproduced here)."""
    if "numba" in sys.modules:  # its config was read at import, and tests may change it
        from numba.core import config

        user_dir, locators = config.CACHE_DIR, config.CACHE_LOCATOR_CLASSES
    else:
        user_dir = os.environ.get("NUMBA_CACHE_DIR", "")
        locators = os.environ.get("NUMBA_CACHE_LOCATOR_CLASSES", "")
    key = (user_dir, source)
    if key in _FOLDERS:
        return _FOLDERS[key]
    if (locators or getattr(sys, "frozen", False) or sys.platform == "win32"
            or os.path.exists(".numba_config.yaml") or not os.path.isfile(source)):
        return _UNKNOWN
    here = os.path.dirname(os.path.abspath(source))
    subpath = f"{os.path.basename(here)}_{hashlib.sha1(here.encode()).hexdigest()}"
    user_wide = (os.path.expanduser("~/Library/Caches") if sys.platform == "darwin" else
                 os.getenv("XDG_CACHE_HOME", os.path.expanduser("~/.cache")))
    candidates = [os.path.join(os.path.dirname(source), "__pycache__"),
                  os.path.join(user_wide, "numba", subpath)]
    if user_dir:
        candidates.insert(0, os.path.join(user_dir, subpath))
    folder = next((c for c in candidates if _writable(c)), None)
    if folder is None and os.path.basename(os.path.dirname(source)).startswith("ipykernel_"):
        return _UNKNOWN  # numba's IPython locator comes next
    _FOLDERS[key] = folder
    return folder


def _writable(folder: str) -> bool:
    """numba's locator test of a cache folder: it can be created and a file written in it."""
    import tempfile

    try:
        os.makedirs(folder, exist_ok=True)
        tempfile.TemporaryFile(dir=folder).close()
    except OSError:
        return False
    return True


def _numba_index_path(dispatcher) -> str | None:
    """numba's own index path of a kernel's ``dispatcher`` (None: no disk cache)."""
    cache_file = getattr(getattr(dispatcher, "_cache", None), "_cache_file", None)
    return getattr(cache_file, "_index_path", None)


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
    func = interpreted(dispatcher)  # the function itself under NUMBA_DISABLE_JIT=1
    spent = _SPENT.get(func, 0.0) + work
    if spent > INTERPRETED_BUDGET * limit:
        return dispatcher
    _SPENT[func] = spent  # a race between threads only misplaces the switch by a call
    return _quiet(_python_tree(dispatcher))


_TREES: dict = {}  # kernel Python function -> its copy that calls interpreted kernels


def _is_kernel(value) -> bool:
    """Whether ``value`` is a kernel not run as Python: lazy, or a numba dispatcher."""
    if isinstance(value, _Kernel):
        return True
    dispatcher = sys.modules.get("numba.core.dispatcher")  # none before numba is imported
    return dispatcher is not None and isinstance(value, dispatcher.Dispatcher)


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
             if _is_kernel(value := func.__globals__.get(name))}
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
