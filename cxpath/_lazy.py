"""Modules imported on first attribute access, so that importing a subpackage stays light.

``stats = lazy_module("scipy.stats")`` at the top of a module reads like the import it
replaces; the real import (thread-safe: importlib holds the module lock) happens the first
time a function uses ``stats.norm``.

Examples
--------
>>> special = lazy_module("scipy.special")
>>> round(float(special.gammaln(5.0)), 6)  # ln(4!)
3.178054
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["lazy_module"]


class _LazyModule:
    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self._name), attr)

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}>"


def lazy_module(name: str) -> Any:
    """A stand-in for module ``name`` that imports it on first attribute access."""
    return _LazyModule(name)
