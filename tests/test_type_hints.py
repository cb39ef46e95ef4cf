"""Every public signature carries type hints (the package ships ``py.typed``).

Public: the functions and classes in the ``__all__`` of each package users import, the
public methods and properties of those classes, and, found by following the hints, of the
cxpath classes they take and return. Every parameter (``*args`` / ``**kwargs`` too) and
every return must be annotated, and each annotation must resolve, with the module's
globals plus the names it imports under ``if TYPE_CHECKING:``.
"""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import sys
import types
import typing

import cxpath

#: every subpackage cxpath declares (a new one is covered without editing this list)
PACKAGES = ("cxpath", *(f"cxpath.{name}" for name in cxpath._SUBPACKAGES),
            "cxpath.journeys.graph_svg")


class _Missing:
    """Stands in for a TYPE_CHECKING import whose package is not installed."""

    def __getattr__(self, name):
        return typing.Any


@functools.cache
def _type_checking_names(module_name: str) -> dict:
    """The names ``module_name`` imports under ``if TYPE_CHECKING:``."""
    module = sys.modules[module_name]
    try:
        tree = ast.parse(inspect.getsource(module))
    except (OSError, TypeError):
        return {}
    module_ns = vars(module)
    ns = dict(module_ns)
    for node in tree.body:
        if not (isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)):
            continue
        for stmt in node.body:  # one by one: a package not installed spoils only its names
            try:
                exec(compile(ast.Module([stmt], []), module.__file__, "exec"), ns)
            except ImportError:
                if isinstance(stmt, ast.ImportFrom):  # the names are types
                    ns.update({a.asname or a.name: typing.Any for a in stmt.names})
                else:  # a module: its attributes are types
                    ns.update({a.asname or a.name.split(".")[0]: _Missing()
                               for a in stmt.names})
    return {k: x for k, x in ns.items() if k not in module_ns or module_ns[k] is not x}


def _namespace(func, owner) -> dict:
    """Where the annotations of ``func`` are evaluated: its module's names, and for the
    ``__init__`` attrs writes, those of every module the fields come from."""
    if _is_cxpath(func):
        modules = [func.__module__]
    else:
        modules = [k.__module__ for k in reversed(owner.__mro__) if _is_cxpath(k)]
    ns: dict = {}
    for name in modules:
        ns.update(vars(sys.modules[name]))
        ns.update(_type_checking_names(name))
    return ns


def _is_cxpath(obj) -> bool:
    return (getattr(obj, "__module__", None) or "").split(".")[0] == "cxpath"


def _callables(cls: type):
    """(name, function, kind) of the public callables of a cxpath class."""
    own = [k for k in cls.__mro__ if _is_cxpath(k)]
    seen = set()
    for klass in own:
        for name, attr in vars(klass).items():
            if name in seen or (name.startswith("_") and name not in ("__init__", "__call__")):
                continue
            seen.add(name)
            if isinstance(attr, property):
                if attr.fget is not None:
                    yield name, attr.fget, "property"
            elif isinstance(attr, functools.cached_property):
                yield name, attr.func, "property"
            elif isinstance(attr, (staticmethod, classmethod)):
                yield name, attr.__func__, "method"
            elif inspect.isfunction(attr):
                yield name, attr, "method"


def _classes_in(hint) -> list:
    """The cxpath classes named in a resolved hint (through unions and generics)."""
    out = []
    if isinstance(hint, type) and _is_cxpath(hint):
        out.append(hint)
    for arg in typing.get_args(hint):
        out += _classes_in(arg)
    return out


def _label(func, owner) -> str:
    if _is_cxpath(func):
        return f"{func.__module__}.{func.__qualname__}"
    return f"{owner.__module__}.{owner.__qualname__}.{func.__name__}"  # attrs' __init__


def _check(func, owner, kind: str, problems: list) -> list:
    """Check one callable; return the cxpath classes its hints name."""
    label = _label(func, owner)
    sig = inspect.signature(func)
    params = list(sig.parameters.values())
    if params and params[0].name in ("self", "cls") and (kind != "function"):
        params = params[1:]
    for p in params:
        if p.annotation is inspect.Parameter.empty or p.annotation in ("", None):
            problems.append(f"{label}: parameter {p.name!r} has no annotation")
    if sig.return_annotation is inspect.Signature.empty or sig.return_annotation == "":
        problems.append(f"{label}: no return annotation")
    try:
        hints = typing.get_type_hints(func, globalns=_namespace(func, owner))
    except Exception as exc:  # report every annotation that does not resolve
        problems.append(f"{label}: annotations do not resolve ({type(exc).__name__}: {exc})")
        return []
    found = []
    for hint in hints.values():
        found += _classes_in(hint)
    return found


def _walk():
    """Check every public callable; return their labels and the problems found."""
    problems: list = []
    checked: list = []
    queue: list = []
    for name in PACKAGES:
        module = importlib.import_module(name)
        for attr in module.__all__:
            obj = getattr(module, attr)
            if isinstance(obj, types.ModuleType):
                continue
            if inspect.isclass(obj) or inspect.isfunction(obj):
                queue.append(obj)
    done = set()
    while queue:
        obj = queue.pop()
        if obj in done:
            continue
        done.add(obj)
        if inspect.isfunction(obj):
            queue += _check(obj, obj, "function", problems)
            checked.append(_label(obj, obj))
            continue
        if issubclass(obj, BaseException):
            continue
        for _, func, kind in _callables(obj):
            func = inspect.unwrap(func)
            queue += _check(func, obj, kind, problems)
            checked.append(_label(func, obj))
    return checked, problems


def test_every_public_signature_is_annotated(capsys):
    checked, problems = _walk()
    with capsys.disabled():
        print(f"\n{len(checked)} public callables checked for type hints "
              f"({len(set(checked))} distinct functions)")
    assert not problems, "\n".join(sorted(set(problems)))
    assert len(checked) > 300
    # the walk reaches functions, classmethods, properties, inherited result methods and
    # the constructors attrs writes
    for name in ("cxpath.warmup", "cxpath.journeys.model.Journeys.from_events",
                 "cxpath.journeys.graph.JourneyGraph.nodes", "cxpath._results.Result.to_frame",
                 "cxpath.kpi.efficiency.Rates.__init__", "cxpath.report.Report.to_html"):
        assert name in checked, name
