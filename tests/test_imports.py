"""Importing a subpackage stays light (#27 point 5): no networkx, scipy, numba, pandas … until
a function needs them. Each import runs in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import cxpath

HEAVY = ("networkx", "scipy", "numba", "llvmlite", "pandas", "polars", "pyarrow", "dask",
         "matplotlib", "sklearn", "statsmodels")
SCRIPT = """
import json, sys
import cxpath.{name}
print(json.dumps(sorted({{m.split(".")[0] for m in sys.modules}} & set({heavy!r}))))
"""


@pytest.mark.parametrize("name", [n for n in cxpath._SUBPACKAGES])
def test_subpackage_import_pulls_in_no_heavy_dependency(name):
    out = subprocess.run([sys.executable, "-c", SCRIPT.format(name=name, heavy=HEAVY)],
                         capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == [], f"import cxpath.{name} loads {out.stdout.strip()}"


def test_a_graph_still_loads_networkx_when_built():
    script = ("import sys\nfrom cxpath import Journeys\nfrom cxpath.journeys import journey_graph"
              "\nassert 'networkx' not in sys.modules\n"
              "g = journey_graph(Journeys.from_paths(['a > b']))\n"
              "print('networkx' in sys.modules, g.number_of_edges())")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True)
    assert out.stdout.split() == ["True", "3"]  # start -> a -> b -> drop
