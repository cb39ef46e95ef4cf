"""Package-level behaviour: lazy import, public names, errors, kernel infrastructure."""

from __future__ import annotations

import subprocess
import sys
import types

import pytest

import cxpath
from cxpath import errors


def test_import_loads_neither_numba_nor_pandas():
    code = ("import sys, cxpath; "
            "print(sorted(m for m in ('numba', 'pandas', 'polars', 'pyarrow', 'scipy', "
            "'networkx', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"


@pytest.mark.parametrize("module", ["cxpath.kpi", "cxpath.survey", "cxpath.spc",
                                    "cxpath.forecast", "cxpath.fmea", "cxpath.distributed"])
def test_subpackages_import_scipy_and_numba_only_when_used(module):
    # services pay for scipy.stats (about 0.7 s) and numba on the first call that needs them
    code = (f"import sys, {module}; "
            "print(sorted(m for m in ('numba', 'pandas', 'scipy', 'dask') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"


def test_dir_lists_the_lazy_public_names():
    listed = dir(cxpath)
    for name in cxpath.__all__:
        assert name in listed
        assert getattr(cxpath, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        cxpath.nope


def test_errors_are_value_errors_with_one_message_shape():
    from cxpath._validate import check_real

    assert issubclass(errors.CxpathError, ValueError)
    with pytest.raises(errors.InvalidParameterError) as info:
        check_real(float("nan"), "alpha", "forecast.ses")
    assert str(info.value) == ("The 'alpha' parameter of forecast.ses must be a finite real "
                               "number. Got nan instead.")


def test_missing_extra_names_the_extra(monkeypatch):
    from cxpath._optional import require

    monkeypatch.setitem(sys.modules, "polars", None)  # makes 'import polars' fail
    with pytest.raises(errors.MissingExtraError, match=r"pip install 'cxpath\[polars\]'"):
        require("polars", "to_frame(backend='polars')")


def test_cache_switch_and_read_only_fallback(monkeypatch):
    from cxpath._kernels import _jit

    monkeypatch.setenv("CXPATH_NUMBA_CACHE", "0")
    assert not _jit.cache_enabled()
    monkeypatch.setenv("CXPATH_NUMBA_CACHE", "1")
    assert _jit.cache_enabled()

    calls = []
    real_njit = _jit.numba.njit

    def njit(**options):
        calls.append(options["cache"])
        if options["cache"]:
            raise RuntimeError("cannot cache function: no locator available")  # read-only
        return real_njit(**options)

    monkeypatch.setattr(_jit, "numba", types.SimpleNamespace(njit=njit))

    def add_one(x):
        return x + 1

    compiled = _jit._compile(add_one)
    assert calls == [True, False]
    assert compiled(1) == 2


def test_warmup_compiles_every_registered_kernel():
    assert cxpath.warmup() >= 2


def test_test_file_names_are_unique():
    # pytest's default import mode needs unique basenames across non-package test folders
    import collections
    import pathlib

    names = collections.Counter(p.name for p in pathlib.Path(__file__).parent.rglob("test_*.py")
                                if not (p.parent / "__init__.py").exists())
    assert [n for n, c in names.items() if c > 1] == []
