"""cxpath: customer-service and after-sales analytics.

Subpackages load lazily on first attribute access, so ``import cxpath`` is fast and
imports neither numba nor any dataframe library.

Examples
--------
>>> import cxpath
>>> j = cxpath.Journeys.from_paths(["web > chat", "web"], conversions=[3, 0], nulls=[1, 2])
>>> len(j), j.n_events
(3, 5)
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0.dev0"

_SUBPACKAGES = ("attribution", "calendar", "customers", "datasets", "distributed", "errors",
                "fmea", "forecast", "io", "journeys", "kpi", "plot", "privacy", "rca",
                "reliability", "report", "spc", "survey", "text")
_ATTRIBUTES = {"Journeys": "journeys", "Journey": "journeys", "CleaningReport": "journeys",
               "JourneyStats": "journeys"}

__all__ = ["__version__", "warmup", *_SUBPACKAGES, *_ATTRIBUTES]


def __getattr__(name: str):
    if name in _SUBPACKAGES:
        module = importlib.import_module(f"{__name__}.{name}")
        globals()[name] = module
        return module
    if name in _ATTRIBUTES:
        value = getattr(importlib.import_module(f"{__name__}.{_ATTRIBUTES[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))


def warmup() -> int:
    """Compile every numba kernel now (for services that must not pay it on a first request).

    Returns the number of kernels compiled. With the on-disk cache enabled (the default),
    later processes load the compiled kernels from the cache instead.

    Examples
    --------
    >>> import cxpath
    >>> cxpath.warmup() >= 1
    True
    """
    import pkgutil

    from . import _kernels
    from ._kernels._jit import examples

    for info in pkgutil.iter_modules(_kernels.__path__):
        importlib.import_module(f"{_kernels.__name__}.{info.name}")
    done = 0
    for dispatcher, make_args in examples():
        dispatcher(*make_args())
        done += 1
    return done
