"""Every survey result converts to pandas, polars and JSON-ready dicts and has a repr."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cxpath import survey


def _all_results(sample):
    s, cons = sample.survey, sample.survey_constructs
    items = [i for c in cons.values() for i in c]
    scores = {c: np.nanmean(np.column_stack([s[i] for i in its]), axis=1)
              for c, its in cons.items()}
    kd = survey.key_drivers(scores, "sat", ["wait", "reso", "staff"], n_boot=20, seed=0)
    return [survey.cronbach_alpha(s, cons["sat"]), survey.omega_total(s, cons["sat"]),
            survey.kmo(s, items), survey.bartlett_sphericity(s, items),
            survey.efa(s, items, n_factors=5, rotation="oblimin"),
            survey.efa(s, items, n_factors=2, rotation=None),
            survey.n_factors(s, items, n_iter=10, seed=0),
            survey.construct_validity(s, cons), survey.htmt(s, cons), kd,
            survey.importance_performance(kd, scale=(1, 7)),
            survey.path_model(scores, "sat ~ wait + reso; loyal ~ sat", n_boot=20, seed=0)]


def test_results_convert_everywhere(sample):
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    for res in _all_results(sample):
        cols = res.to_frame("dict")
        lengths = {len(v) for v in cols.values()}
        assert len(lengths) == 1, type(res).__name__
        assert isinstance(res.to_frame(), pd.DataFrame)
        assert isinstance(res.to_frame("polars"), pl.DataFrame)
        json.dumps(res.to_dict())
        text = repr(res)
        assert text.splitlines()[0]
        assert "<table>" in res._repr_html_()


def test_import_survey_loads_neither_numba_nor_pandas():
    import subprocess
    import sys

    code = ("import sys, cxpath.survey; print(sorted(m for m in ('numba', 'pandas', 'polars', "
            "'pyarrow', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"
