"""Sphinx extension ``seealso``: a "See also" box on every object page of the API reference.

The objects are those listed in the ``autosummary`` tables of ``docs/api/*.rst`` (each has its
own page). An object's related objects are

* for a function, the documented classes it returns (its return annotation, else the first
  line of the numpydoc ``Returns`` section), and for a class, the functions that return it;
* the other documented objects of the module that defines it, when that module has few
  (at most ``SIBLINGS``), e.g. ``rework``/``Rework``/``repeat_contacts``/``RepeatContacts``;
* the other entries of its summary table, when the table is short (at most ``TABLE``), e.g.
  the accuracy measures ``mae``, ``rmse``, ``mase`` … of the forecasting page.

Docstrings are not edited: the box is added to the text autodoc renders, before ``Examples``.
Names a docstring's own ``See Also`` section already lists are not repeated.
"""

from __future__ import annotations

import importlib
import inspect
import pathlib
import re

SIBLINGS = 6
TABLE = 8
_ENTRY = re.compile(r"^\s{3}(~?[\w.]+)\s*$")
_NAME = re.compile(r"[A-Za-z_][\w.]*")


def documented_names(api_folder: pathlib.Path) -> list[str]:
    """Full names of the objects in the autosummary tables of the API pages, in page order."""
    return [name for table in summary_tables(api_folder) for name in table]


def summary_tables(api_folder: pathlib.Path) -> list[list[str]]:
    """The autosummary tables of the API pages, each as the full names of its entries."""
    tables: list[list[str]] = []
    for page in sorted(api_folder.glob("*.rst")):
        current, inside = None, False
        for line in page.read_text(encoding="utf-8").splitlines():
            module = re.match(r"^\.\. (?:current)?module:: (\S+)", line)
            if module:
                current = module.group(1)
                continue
            if line.startswith(".. autosummary::"):
                inside = True
                tables.append([])
                continue
            if inside:
                if line and not line.startswith(" "):
                    inside = False
                    continue
                entry = _ENTRY.match(line)
                if entry and not line.strip().startswith(":"):
                    name = entry.group(1).lstrip("~")
                    full = name if current is None or name.startswith("cxpath") \
                        else f"{current}.{name}"
                    tables[-1].append(full)
    return [table for table in tables if table]


def _resolve(full: str):
    module, _, attr = full.rpartition(".")
    try:
        return getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError):
        return None


def _returned_names(obj) -> list[str]:
    try:
        annotation = inspect.signature(obj).return_annotation
    except (TypeError, ValueError):
        annotation = inspect.Signature.empty
    if annotation is not inspect.Signature.empty:
        text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", "")
        return _NAME.findall(text)
    doc = inspect.getdoc(obj) or ""
    match = re.search(r"^Returns\n-+\n(.+)$", doc, re.M)
    return _NAME.findall(match.group(1)) if match else []


def related_objects(tables: list[list[str]]) -> dict[str, list[str]]:
    """For every documented full name, the documented full names it relates to."""
    names = [name for table in tables for name in table]
    objects = {n: _resolve(n) for n in names}
    objects = {n: o for n, o in objects.items() if o is not None}
    classes = {n: o for n, o in objects.items() if inspect.isclass(o)}
    by_short: dict[str, list[str]] = {}
    for n in classes:
        by_short.setdefault(n.rpartition(".")[2], []).append(n)
    related: dict[str, list[str]] = {n: [] for n in objects}

    def add(a: str, b: str) -> None:
        if a != b and b not in related[a]:
            related[a].append(b)

    for n, o in objects.items():
        if not inspect.isfunction(o):
            continue
        package = n.rpartition(".")[0]
        for short in _returned_names(o):
            short = short.rpartition(".")[2]
            candidates = by_short.get(short, [])
            # the class of the same package first (plot.funnel returns an Axes, not Funnel)
            same = [c for c in candidates if c.rpartition(".")[0] == package]
            for c in same or (candidates if len(candidates) == 1 else []):
                add(n, c)
                add(c, n)
    by_module: dict[str, list[str]] = {}
    for n, o in objects.items():
        module = getattr(o, "__module__", None)
        if module and (inspect.isfunction(o) or inspect.isclass(o)):
            by_module.setdefault(module, []).append(n)
    for members in by_module.values():
        if 1 < len(members) <= SIBLINGS:
            for a in members:
                for b in members:
                    add(a, b)
    for table in tables:
        members = [n for n in table if n in objects]
        if 1 < len(members) <= TABLE:
            for a in members:
                for b in members:
                    add(a, b)
    return related


def _role(obj) -> str:
    if inspect.isclass(obj):
        return "py:exc" if issubclass(obj, BaseException) else "py:class"
    return "py:func" if callable(obj) else "py:data"


def _builder_inited(app) -> None:
    tables = summary_tables(pathlib.Path(app.srcdir) / "api")
    app.env.seealso_related = related_objects(tables)


def _process_docstring(app, what, name, obj, options, lines) -> None:
    related = getattr(app.env, "seealso_related", {}).get(name)
    if not related:
        return
    text = "\n".join(lines)
    shown = [r for r in related if r not in text and f"~{r}" not in text]
    if not shown:
        return
    refs = ", ".join(f":{_role(_resolve(r))}:`~{r}`" for r in shown)
    box = [".. seealso::", "", f"   {refs}", ""]
    at = next((i for i, line in enumerate(lines) if line.strip() == ".. rubric:: Examples"),
              len(lines))
    lines[at:at] = ["", *box]


def setup(app):
    app.connect("builder-inited", _builder_inited)
    # after numpydoc (priority 500) has turned the docstring into reST
    app.connect("autodoc-process-docstring", _process_docstring, priority=600)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
