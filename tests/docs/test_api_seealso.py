"""The API reference lists every object in a summary table, and the "See also" boxes of the
object pages (docs/_ext/seealso.py) pair functions with the results they return."""

from __future__ import annotations

import importlib.util
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("docs_seealso_ext",
                                              ROOT / "docs" / "_ext" / "seealso.py")
seealso = importlib.util.module_from_spec(spec)
spec.loader.exec_module(seealso)
API = ROOT / "docs" / "api"


def test_every_summarised_name_imports_and_is_listed_once():
    names = seealso.documented_names(API)
    assert len(names) > 200
    assert len(set(names)) == len(names)
    assert all(seealso._resolve(n) is not None for n in names), \
        [n for n in names if seealso._resolve(n) is None]
    assert "cxpath.journeys.Journeys" in names and "cxpath.kpi.sla_clocks" in names


def test_functions_and_their_results_see_each_other():
    related = seealso.related_objects(seealso.summary_tables(API))
    assert "cxpath.journeys.Variants" in related["cxpath.journeys.variants"]
    assert "cxpath.journeys.variants" in related["cxpath.journeys.Variants"]
    assert "cxpath.kpi.NPS" in related["cxpath.kpi.nps"]
    assert "cxpath.forecast.auto_ets" in related["cxpath.forecast.Forecast"]
    # plot.funnel draws a Funnel but returns an Axes: no pairing across packages
    assert "cxpath.journeys.Funnel" not in related["cxpath.plot.funnel"]
