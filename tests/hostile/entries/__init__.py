"""Registry entries kept beside their subpackage's topic, one module per topic.

Each module defines ``REGISTRY: dict[str, E]`` (and may define ``EX: dict[str, str]`` for
examples it refers to); :mod:`hostile.registry` merges them all. A name defined twice is an
error, so two modules can never silently disagree about one callable.
"""

from __future__ import annotations

import importlib
import pkgutil


def merged() -> dict:
    """Every entry module's ``REGISTRY``, merged; a name defined twice raises."""
    out: dict = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        twice = set(out) & set(module.REGISTRY)
        if twice:
            raise AssertionError(f"registry entries defined twice: {sorted(twice)}")
        out.update(module.REGISTRY)
    return out
