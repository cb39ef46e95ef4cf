"""Analyses never draw and never compose reports: an import-graph check over the source.

Imports of ``cxpath.plot`` or ``cxpath.report`` are forbidden everywhere but in those two
packages and the command line, at module level and inside functions alike. A result's
``.plot()`` comes from ``cxpath._results.drawn_by``, which looks the plot function up by
name when it is called.
"""

from __future__ import annotations

import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2] / "cxpath"
ABOVE = ("plot", "report", "cli.py", "__main__.py")


def _module_name(path: pathlib.Path) -> list:
    return list(path.relative_to(ROOT.parent).with_suffix("").parts)


def _imported(node, module: list) -> list:
    """Absolute names a (possibly relative) import statement refers to."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    base = module[:-node.level] if node.level else []
    if node.level and module[-1] == "__init__":
        base = module[:-node.level]
    prefix = ".".join(base + ([node.module] if node.module else []))
    return [prefix] + [f"{prefix}.{a.name}" for a in node.names]


def _violations(path: pathlib.Path, module: list | None = None) -> list:
    module = module or _module_name(path)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []

    def visit(node, in_function: str | None):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                visit(child, in_function or child.name)
            elif isinstance(child, (ast.Import, ast.ImportFrom)):
                for name in _imported(child, module):
                    upper = name in ("cxpath.plot", "cxpath.report") or \
                        name.startswith(("cxpath.plot.", "cxpath.report."))
                    if upper:
                        found.append(f"{'.'.join(module)}:{child.lineno} imports {name}")
            else:
                visit(child, in_function)

    visit(tree, None)
    return found


def test_no_analysis_module_imports_plot_or_report():
    analyses = [p for p in ROOT.rglob("*.py")
                if p.relative_to(ROOT).parts[0] not in ABOVE]
    assert len(analyses) > 50
    problems = [v for p in analyses for v in _violations(p)]
    assert problems == []


def test_the_check_finds_relative_imports_in_functions_too(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("from .. import plot\n\n"
                     "def draw():\n    from ..report import build_report\n\n"
                     "class R:\n    def plot(self):\n        from .. import plot\n")
    found = _violations(probe, ["cxpath", "journeys", "probe"])
    assert found == ["cxpath.journeys.probe:1 imports cxpath.plot",
                     "cxpath.journeys.probe:4 imports cxpath.report",
                     "cxpath.journeys.probe:4 imports cxpath.report.build_report",
                     "cxpath.journeys.probe:8 imports cxpath.plot"]
