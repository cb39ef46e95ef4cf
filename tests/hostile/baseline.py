"""Valid baseline calls, taken from the docstring examples the library already runs.

Every public callable documents a runnable ``>>>`` example (``pytest --doctest-modules``
checks them). :func:`capture` runs the examples of a callable's own docstring, then of its
class and its module, with a profiler hook that records the arguments of each call into the
callable's code object (including calls the library makes internally, which is how the
constructors of graphs and layouts get a baseline). :func:`Baseline.call` replays one with
any single argument replaced.
"""

from __future__ import annotations

import contextlib
import copy
import doctest
import importlib
import inspect
import io
import pkgutil
import sys
import warnings
from typing import Any

import attrs
import numpy as np

from .api import Callable

#: errors the recording hook met in the last :func:`capture_all` (for debugging a registry)
CAPTURE_ERRORS: list[str] = []

#: how many recorded calls to keep per callable (the first that replays cleanly is used)
MAX_RECORDED = 8


@attrs.define
class Baseline:
    """One recorded call: the bound arguments, by parameter name."""

    target: Callable
    bound: dict[str, Any]  # parameter name -> value (``self``/``cls`` included)
    source: str  # where it was recorded: ``module::test`` or ``registry::name`` (its example)
    slot: str = "other"  # "registry" (its own example), "own" (its docstring) or "other"

    def arguments(self) -> dict[str, Any]:
        """The caller's arguments (no ``self``/``cls``), deep-copied so calls stay independent."""
        out = {}
        for p in self.target.params:
            if p.name in self.bound:
                out[p.name] = _copy(self.bound[p.name])
        return out

    def call(self, replace: dict[str, Any] | None = None) -> Any:
        """Call the public callable with the recorded arguments, ``replace`` substituted."""
        values = self.arguments()
        values.update(replace or {})
        args: list = []
        kwargs: dict = {}
        params = self.target.params
        has_var_positional = any(p.kind is p.VAR_POSITIONAL for p in params)
        for p in params:
            if p.name not in values:
                continue
            value = values[p.name]
            if p.kind is p.POSITIONAL_ONLY or (has_var_positional
                                               and p.kind is p.POSITIONAL_OR_KEYWORD):
                args.append(value)
            elif p.kind is p.VAR_POSITIONAL:
                args.extend(value)
            elif p.kind is p.VAR_KEYWORD:
                kwargs.update(value)
            else:
                kwargs[p.name] = value
        return resolve(self.target, self.bound)(*args, **kwargs)


def resolve(target: Callable, bound: dict[str, Any]):
    """The object to call as a user would: the package attribute, the bound method, the class."""
    if target.category == "function":
        package = importlib.import_module(target.name.rsplit(".", 1)[0])
        return getattr(package, target.attr)
    if target.category == "constructor":
        return bound.get("self").__class__ if "self" in bound else target.owner
    if "self" in bound:
        return getattr(bound["self"], target.attr)
    if "cls" in bound:
        return getattr(bound["cls"], target.attr)
    return getattr(target.owner, target.attr)  # staticmethod


def _copy(value):
    try:
        return copy.deepcopy(value)
    except Exception:  # generators, locks, modules: passed as they are
        return value


def _code_of(target: Callable):
    return getattr(target.func, "__code__", None)


def _docstring_tests(only: set[str] | None = None) -> list[tuple[str, doctest.DocTest]]:
    """``(key, test)`` for the docstring examples in cxpath (``key`` is
    ``"module::test name"``), all of them or the keys in ``only``. Modules needing an absent
    extra are left out, as the doctest collection leaves them out."""
    import cxpath

    finder = doctest.DocTestFinder(recurse=True, exclude_empty=True)
    tests: list[tuple[str, doctest.DocTest]] = []
    if only is None:
        names = ["cxpath"] + [m.name for m in pkgutil.walk_packages(cxpath.__path__, "cxpath.")]
    else:
        names = sorted({key.split("::")[0] for key in only})
    for name in names:
        if name.endswith("__main__"):
            continue
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        try:
            found = finder.find(module, name, globs={"np": np, **vars(module)})
        except Exception:  # a module doctest cannot inspect
            continue
        for test in found:
            key = f"{name}::{test.name}"
            if test.examples and (only is None or key in only):
                tests.append((key, test))
    return tests


def sources_of(baselines: list[Baseline], limit: int = 3) -> list[tuple[str, str]]:
    """``(slot, key)`` of the examples the recorded calls came from, best first."""
    out: list[tuple[str, str]] = []
    for b in baselines:
        if (b.slot, b.source) not in out:
            out.append((b.slot, b.source))
    return out[:limit]


def capture_all(targets: list[Callable], examples: dict[str, str],
                only: set[str] | None = None,
                share: tuple[int, int] = (0, 1)) -> dict[str, list[Baseline]]:
    """Record calls to every target while running ``examples`` (registry name -> example
    source, run first) and then every docstring example of the package (or those whose key
    is in ``only``, see :func:`sources_of`); with ``share=(k, n)``, the k-th of n shares.

    Returns ``{name: [Baseline, ...]}``, best first: the registry's own example, then the
    callable's own docstring, then calls seen anywhere else (including calls the library
    makes internally, which is how constructors and methods of internal objects get one).
    """
    by_code: dict[Any, list[Callable]] = {}
    for target in targets:
        code = _code_of(target)
        if code is not None:
            by_code.setdefault(code, []).append(target)
    names = {t.name: list(inspect.signature(t.func).parameters) for t in targets}
    recorded: dict[str, dict[str, list[Baseline]]] = {t.name: {"registry": [], "own": [],
                                                               "other": []} for t in targets}
    current = {"label": "", "owner": ""}

    def hook(frame, event, arg):
        if event != "call":
            return
        try:
            record(frame)
        except Exception as exc:  # a hook that raises is switched off: never let it
            errors.append(f"{current['label']}: {type(exc).__name__}: {exc}")

    errors: list[str] = []

    def record(frame):
        candidates = by_code.get(frame.f_code)
        if candidates is None:
            return
        target = _which(candidates, frame.f_locals)
        if target is None:
            return
        if current["owner"] == "registry:" + target.name:
            slot = "registry"
        elif current["owner"] == _qualified(target):
            slot = "own"
        else:
            slot = "other"
        bucket = recorded[target.name][slot]
        if len(bucket) < MAX_RECORDED:
            local = frame.f_locals
            bound = {n: _copy(local[n]) for n in names[target.name] if n in local}
            bucket.append(Baseline(target, bound, current["label"], slot))

    runs: list[tuple[str, str, list, dict]] = []
    parser = doctest.DocTestParser()
    k, n = share  # run every n-th example only, from the k-th (a pool process's share)
    for key, test in _docstring_tests(only)[k::n]:
        runs.append((key, test.name, test.examples, test.globs))
    for name, text in list(examples.items())[k::n]:
        runs.append((f"registry::{name}", "registry:" + name, parser.get_examples(text),
                     {"np": np, "__name__": "__hostile__"}))
    for label, owner, doc_examples, globs in runs:
        current["label"], current["owner"] = label, owner
        for example in doc_examples:
            with (contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings()):
                warnings.simplefilter("ignore")
                sys.setprofile(hook)
                try:
                    exec(compile(example.source, "<example>", "single"), globs)
                except BaseException:  # examples that show an error, or need an extra
                    pass
                finally:
                    sys.setprofile(None)
    CAPTURE_ERRORS[:] = errors
    return {name: slots["registry"] + slots["own"] + slots["other"]
            for name, slots in recorded.items()}


def _which(candidates: list[Callable], local: dict) -> Callable | None:
    """The target a call belongs to: functions made by one ``def`` in a loop or a decorator
    (every result's ``plot``) share a code object, so the receiver decides."""
    if len(candidates) == 1:
        return candidates[0]
    receiver = local.get("self", local.get("cls"))
    klass = receiver if isinstance(receiver, type) else type(receiver)
    for target in candidates:
        attr = inspect.getattr_static(klass, target.attr, None)
        attr = getattr(attr, "__func__", attr)
        if attr is not None and inspect.unwrap(attr) is target.func:
            return target
    return None


def _qualified(target: Callable) -> str:
    return f"{target.func.__module__}.{target.func.__qualname__}"
