"""``cxpath.kpi`` loads its submodules on first use of their names (#19: a first staffing
call pays for the queueing module only, not for all fifteen)."""

import subprocess
import sys

import pytest

import cxpath.kpi as kpi


def test_importing_one_name_imports_its_submodule_only():
    code = ("import sys; from cxpath.kpi import staffing; "
            "print(sorted(m.rsplit('.', 1)[1] for m in sys.modules "
            "if m.startswith('cxpath.kpi.') and not m.endswith('._common')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    # stock_policy: the function of that name is bound at import (see the package)
    assert out == "['queueing', 'stock_policy']"


@pytest.mark.parametrize("name", kpi.__all__)
def test_every_public_name_is_its_submodules_object(name):
    import importlib

    module = importlib.import_module(f"cxpath.kpi.{kpi._WHERE[name]}")
    assert getattr(kpi, name) is getattr(module, name)
    assert name in module.__all__
    assert name in dir(kpi)


def test_a_function_named_as_its_module_stays_the_function():
    import importlib

    module = importlib.import_module("cxpath.kpi.stock_policy")  # sets the package attribute
    assert callable(kpi.stock_policy) and kpi.stock_policy is module.stock_policy


def test_unknown_names_raise_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        kpi.nope
