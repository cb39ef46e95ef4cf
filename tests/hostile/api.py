"""The public API the hostile suite must cover: every callable a user can reach.

Public: the functions and classes in the ``__all__`` of each package users import (the
list of :mod:`tests/test_type_hints.py`), the public methods of those classes, and of the
cxpath classes their type hints name (results, graphs, layouts). Each callable gets one
public name (``cxpath.journeys.funnel``, ``cxpath.journeys.Journeys.from_events``) and a
*category*:

``function``
    A module-level function.
``method``
    A method, classmethod or staticmethod with at least one parameter besides
    ``self``/``cls``.
``constructor``
    The ``__init__`` of a class users build themselves (calendars, rules, worksheets).
``result-constructor``
    The ``__init__`` attrs writes for a :class:`cxpath._results.Result` (built by the
    library from checked data; exempt, see :data:`EXEMPT_CATEGORIES`).
``property`` / ``no-argument``
    Nothing the caller can pass (exempt).
"""

from __future__ import annotations

import functools
import importlib
import inspect
import sys
import types
import typing

import attrs

import cxpath

#: every subpackage cxpath declares (so a new one is covered without editing this list)
PACKAGES = ("cxpath", *(f"cxpath.{name}" for name in cxpath._SUBPACKAGES),
            "cxpath.journeys.graph_svg")

#: categories that take nothing from the caller, or only what the library built
EXEMPT_CATEGORIES = ("property", "no-argument", "result-constructor")


@attrs.frozen
class Callable:
    """One public callable: its public name, the function object and how it is reached."""

    name: str
    func: typing.Any
    category: str
    owner: typing.Any = None  # the class, for methods and constructors
    attr: str = ""  # the attribute name on ``owner`` or on the package

    @property
    def params(self) -> list[inspect.Parameter]:
        """Parameters the caller passes (without ``self``/``cls``)."""
        params = list(inspect.signature(self.func).parameters.values())
        if self.owner is not None and params and params[0].name in ("self", "cls"):
            params = params[1:]
        return params


def _is_cxpath(obj) -> bool:
    return (getattr(obj, "__module__", None) or "").split(".")[0] == "cxpath"


def _members(cls: type):
    """(class defining it, name, function, kind) of the public callables of a cxpath class
    and its cxpath bases."""
    seen = set()
    for klass in [k for k in cls.__mro__ if _is_cxpath(k)]:
        for name, attr in vars(klass).items():
            if name in seen or (name.startswith("_") and name not in ("__init__", "__call__")):
                continue
            seen.add(name)
            if isinstance(attr, property):
                if attr.fget is not None:
                    yield klass, name, attr.fget, "property"
            elif isinstance(attr, functools.cached_property):
                yield klass, name, attr.func, "property"
            elif isinstance(attr, (staticmethod, classmethod)):
                yield klass, name, attr.__func__, "method"
            elif inspect.isfunction(attr):
                yield klass, name, attr, "method"


def _hinted_classes(func) -> list[type]:
    """The cxpath classes named in ``func``'s resolvable hints."""
    module = sys.modules.get(getattr(func, "__module__", ""), None)
    try:
        hints = typing.get_type_hints(func, globalns=vars(module) if module else None)
    except Exception:  # unresolvable TYPE_CHECKING names: test_type_hints checks those
        return []
    out: list[type] = []

    def walk(hint):
        if isinstance(hint, type) and _is_cxpath(hint):
            out.append(hint)
        for arg in typing.get_args(hint):
            walk(arg)

    for hint in hints.values():
        walk(hint)
    return out


def _is_result(cls: type) -> bool:
    from cxpath._results import Result

    return issubclass(cls, Result)


@functools.cache
def public_callables() -> tuple[Callable, ...]:
    """Every public callable, once each (by function object), with its public name."""
    queue: list[tuple[str, typing.Any]] = []
    for package in PACKAGES:
        module = importlib.import_module(package)
        for attr in module.__all__:
            obj = getattr(module, attr)
            if isinstance(obj, types.ModuleType):
                continue
            if inspect.isclass(obj) or inspect.isfunction(obj):
                queue.append((f"{package}.{attr}", obj))
    # a name in a subpackage reads better than the top-level alias (cxpath.Journeys)
    queue.sort(key=lambda item: -item[0].count("."))
    out: dict[typing.Any, Callable] = {}
    done: set = set()
    while queue:
        name, obj = queue.pop(0)
        if obj in done:
            continue
        done.add(obj)
        if inspect.isfunction(obj):
            out.setdefault(obj, Callable(name, obj, "function", None, name.rsplit(".", 1)[1]))
            queue += [(f"{k.__module__}.{k.__qualname__}", k) for k in _hinted_classes(obj)]
            continue
        if issubclass(obj, BaseException):
            continue
        for klass, attr, func, kind in _members(obj):
            func = inspect.unwrap(func)
            owner_name = name if klass is obj else f"{klass.__module__}.{klass.__qualname__}"
            if func in out:
                continue
            queue += [(f"{k.__module__}.{k.__qualname__}", k) for k in _hinted_classes(func)]
            params = [p for p in inspect.signature(func).parameters if p not in ("self", "cls")]
            if kind == "property":
                category = "property"
            elif attr == "__init__":
                category = "result-constructor" if _is_result(obj) else "constructor"
            elif not params:
                category = "no-argument"
            else:
                category = "method"
            out[func] = Callable(f"{owner_name}.{attr}", func, category, obj, attr)
    return tuple(sorted(out.values(), key=lambda c: c.name))


def covered_callables() -> tuple[Callable, ...]:
    """The callables the suite must have a registry entry for."""
    return tuple(c for c in public_callables() if c.category not in EXEMPT_CATEGORIES)
