"""Input forms of cxpath.customers: arrays, column names of pandas/polars/dict tables, bool
or 0/1 events, and the default covariates of a Cox model (every other column)."""

from __future__ import annotations

import numpy as np
import pytest

from cxpath.customers import cox, kaplan_meier, logrank_test, nelson_aalen, rmst
from cxpath.errors import DataError, InvalidParameterError

T = [5.0, 8.0, 9.0, 12.0, 20.0, 3.0, 4.0, 9.5, 10.0, 15.0]
E = [1, 1, 0, 1, 0, 1, 1, 1, 0, 1]
G = ["a"] * 5 + ["b"] * 5
X = [0.2, 1.0, 0.0, 0.5, 0.1, 1.0, 0.9, 0.3, 0.8, 0.4]
TABLE = {"t": T, "e": E, "g": G, "x": X}


def _tables():
    yield "dict", TABLE
    pd = pytest.importorskip("pandas")
    yield "pandas", pd.DataFrame(TABLE)
    try:
        import polars as pl
    except ImportError:
        return
    yield "polars", pl.DataFrame(TABLE)


@pytest.mark.parametrize("kind", ["dict", "pandas", "polars"])
def test_table_columns_equal_arrays(kind):
    tables = dict(_tables())
    if kind not in tables:
        pytest.skip(f"{kind} is not installed")
    data = tables[kind]
    np.testing.assert_array_equal(kaplan_meier("t", "e", data=data).survival,
                                  kaplan_meier(T, E).survival)
    assert logrank_test("t", "e", "g", data=data).statistic == \
        logrank_test(T, E, G).statistic
    assert rmst("t", "e", data=data, tau=10, group="g").rmst.tolist() == \
        rmst(T, E, tau=10, group=G).rmst.tolist()
    by_default = cox("t", "e", data={k: x for k, x in TABLE.items() if k != "g"})
    assert by_default.covariate.tolist() == ["x"]
    assert by_default.coef == pytest.approx(cox(T, E, X).coef, abs=1e-12)


def test_bool_events_and_default_all_events():
    np.testing.assert_array_equal(kaplan_meier(T, np.array(E, dtype=bool)).survival,
                                  kaplan_meier(T, E).survival)
    np.testing.assert_array_equal(nelson_aalen(T).cumulative_hazard,
                                  nelson_aalen(T, np.ones(10)).cumulative_hazard)


def test_labels_and_columns_errors():
    with pytest.raises(InvalidParameterError, match=r"'durations' parameter of customers\."
                       r"kaplan_meier must be a sequence of values when no 'data' table is "
                       r"given\. Got the column name 't' instead"):
        kaplan_meier("t")
    with pytest.raises(InvalidParameterError, match=r"'group' parameter of customers\.rmst "
                       r"must be a column of 'data' .*Got 'gg' \(close: 'g'\)"):
        rmst("t", "e", data=TABLE, tau=5, group="gg")
    with pytest.raises(DataError, match=r"'event' parameter of customers\.nelson_aalen must "
                       r"be event flags \(0/1 or True/False\)\. Got an array of dtype <U1"):
        nelson_aalen(T, ["y"] * 10)
    with pytest.raises(DataError, match=r"'covariates' parameter of customers\.cox must be at "
                       r"least one covariate"):
        cox("t", "e", data={"t": T, "e": E})
