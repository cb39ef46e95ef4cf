"""cxpath raises its own warnings through ``cxpath._warnings.warn`` and never swaps the
process-wide warning filters to collect or silence them (``warnings.catch_warnings`` is not
thread-safe before Python 3.14): a source scan keeps it so."""

import ast
import pathlib

import cxpath

ROOT = pathlib.Path(cxpath.__file__).parent

#: ``warnings.warn`` itself: the one wrapper, and the once-per-process cache notices.
WARN_ALLOWED = {"_warnings.py", "_kernels/_jit.py"}
#: ``catch_warnings`` only around third-party calls whose warnings cxpath cannot prevent.
CATCH_ALLOWED = {
    "text/themes.py": "scikit-learn's ConvergenceWarning at the max_iter the caller gave",
    "text/classify.py": "scikit-learn's ConvergenceWarning",
    "forecast/_dates.py": "pandas' FutureWarning for deprecated aliases and date inference",
}


def _calls(attr):
    for path in sorted(ROOT.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == attr and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == "warnings"):
                yield path.relative_to(ROOT).as_posix(), node.lineno


def test_cxpath_warns_through_its_wrapper():
    found = [f"{p}:{line}" for p, line in _calls("warn") if p not in WARN_ALLOWED]
    assert found == []


def test_no_process_wide_warning_filters_around_cxpath_code():
    found = [f"{p}:{line}" for p, line in _calls("catch_warnings") if p not in CATCH_ALLOWED]
    assert found == []


def test_the_scan_finds_calls():  # the scan itself can fail: it sees the allowed sites
    assert {p for p, _ in _calls("catch_warnings")} == set(CATCH_ALLOWED)
    assert {p for p, _ in _calls("warn")} >= {"_warnings.py"}
