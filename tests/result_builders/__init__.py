"""Result instances for ``test_result_columns``, one module per topic.

Each module defines ``build(sample, tmp) -> dict`` returning cheap instances of its topic's
public result classes (keyed by a unique name); ``test_result_columns._build`` merges them.
"""

from __future__ import annotations

import importlib
import pkgutil


def build_all(sample, tmp) -> dict:
    """Every builder module's instances, merged; a key built twice raises."""
    out: dict = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        built = importlib.import_module(f"{__name__}.{info.name}").build(sample, tmp)
        twice = set(out) & set(built)
        if twice:
            raise AssertionError(f"result instances built twice: {sorted(twice)}")
        out.update(built)
    return out
