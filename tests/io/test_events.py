"""read_events: CSV (every engine types the same way) and Parquet, column mapping, errors."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from cxpath.errors import DataError, InvalidParameterError, MissingExtraError
from cxpath.io import read_events

CSV = """ticket,step,at,cost,code,note
T1,open,2024-01-02T09:00:00Z,1.5,007,a
T1,close,2024-01-02T10:00:00Z,2,008,"b, quoted"
T2,open,2024-01-03T09:00:00+01:00,,009,
"""
ENGINES = ["pyarrow", "pandas", "python"]


@pytest.mark.parametrize("engine", ENGINES)
def test_csv_table_types_are_the_same_for_every_engine(write, engine):
    t = read_events(write("log.csv", CSV), to="table", engine=engine)
    assert list(t) == ["ticket", "step", "at", "cost", "code", "note"]
    assert t["ticket"].dtype == object and t["ticket"].tolist() == ["T1", "T1", "T2"]
    assert t["cost"].dtype == np.float64 and np.isnan(t["cost"][2])
    assert t["code"].dtype == np.int64 and t["code"].tolist() == [7, 8, 9]
    assert t["note"].tolist() == ["a", "b, quoted", None]
    assert t["at"].tolist()[2] == "2024-01-03T09:00:00+01:00"  # dates stay text


@pytest.mark.parametrize("engine", ENGINES)
def test_csv_to_journeys_with_mapping_and_options(write, engine):
    path = write("log.csv.gz", CSV)
    j = read_events(path, case="ticket", touchpoint="step", timestamp="at", engine=engine,
                    success={"close"}, value="cost")
    assert (j.n_cases, j.n_events) == (2, 3)
    assert j.outcome.tolist() == [True, False] and j.value.tolist() == [3.5, 0.0]
    # 09:00+01:00 is 08:00 UTC
    assert j.times[2] == np.datetime64("2024-01-03T08:00:00", "s").astype(np.int64)


def test_text_columns_and_tsv(write):
    t = read_events(write("log.tsv", CSV.replace(",", "\t").replace('"b\t quoted"', "b")),
                    to="table", text_columns=["code"])
    assert t["code"].tolist() == ["007", "008", "009"]


@pytest.mark.realdata
def test_real_helpdesk_csv_all_engines_agree(shared_data):
    pd = pytest.importorskip("pandas")
    tables = [read_events(shared_data / "helpdesk.csv.gz", to="table", engine=e)
              for e in ENGINES]
    # the file repeats the 'Variant' header (README): the second copy is 'Variant.1', as in
    # pandas.read_csv
    ref = pd.read_csv(shared_data / "helpdesk.csv.gz")
    for t in tables:
        assert list(t) == list(ref.columns)
        assert len(t["Case ID"]) == 21348
        assert t["Variant index"].tolist() == ref["Variant index"].tolist()
        assert t["Activity"].tolist() == ref["Activity"].tolist()
    j = read_events(shared_data / "helpdesk.csv.gz", case="Case ID", touchpoint="Activity",
                    timestamp="Complete Timestamp", time_format="%Y/%m/%d %H:%M:%S")
    assert (j.n_cases, j.n_events) == (4580, 21348)


@pytest.mark.realdata
def test_real_receipt_csv(shared_data):
    j = read_events(shared_data / "receipt.csv.gz", case="case:concept:name",
                    touchpoint="concept:name", timestamp="time:timestamp")
    # ../shared/data/README.md: 8,577 events, 1,434 cases, 27 activities
    assert (j.n_events, j.n_cases, len(j.vocab)) == (8577, 1434, 27)
    tables = [read_events(shared_data / "receipt.csv.gz", to="table", engine=e)
              for e in ENGINES]
    for other in tables[1:]:
        assert list(other) == list(tables[0])
        for k in other:
            assert other[k].astype(str).tolist() == tables[0][k].astype(str).tolist()


@pytest.mark.parametrize("engine", ["pyarrow", "polars"])
def test_parquet(tmp_path, engine):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    pytest.importorskip(engine)
    table = pa.table({"case": ["a", "a", "b"], "step": ["x", "y", None],
                      "at": pa.array(np.array(["2024-01-01T00:00", "2024-01-01T01:00",
                                               "2024-01-02T00:00"], dtype="datetime64[s]")),
                      "n": pa.array([1, None, 3], type=pa.int64())})
    path = tmp_path / "log.parquet"
    pq.write_table(table, path)
    t = read_events(path, to="table", engine=engine)
    assert t["at"].dtype == np.dtype("datetime64[us]")
    assert t["step"].tolist() == ["x", "y", None]
    j = read_events(path, case="case", touchpoint="step", timestamp="at", engine=engine)
    assert j.n_events == 2 and j.cleaning_report.n_removed == 1  # the missing step, reported


def test_parquet_without_arrow_or_polars_names_the_extra(tmp_path, monkeypatch):
    path = tmp_path / "log.parquet"
    path.write_bytes(b"PAR1")
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name in ("pyarrow", "polars") else real(name, *a))
    with pytest.raises(MissingExtraError, match=r"cxpath\[arrow\]"):
        read_events(path, to="table")
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(MissingExtraError, match=r"cxpath\[arrow\]"):
        read_events(path, to="table", engine="pyarrow")


def test_csv_falls_back_to_the_csv_module(write, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name in ("pyarrow", "pandas") else real(name, *a))
    t = read_events(write("log.csv", CSV), to="table")
    assert t["code"].tolist() == [7, 8, 9]


def test_bad_arguments(write, tmp_path):
    path = write("log.csv", CSV)
    with pytest.raises(InvalidParameterError, match=r"'case' parameter of io.read_events must be "
                       "a column of the file"):
        read_events(path, case="nope", touchpoint="step")
    with pytest.raises(InvalidParameterError, match=r"'touchpoint' parameter .* a column name"):
        read_events(path, case="ticket")
    with pytest.raises(InvalidParameterError, match=r"'value' parameter .* a column of the file"):
        read_events(path, case="ticket", touchpoint="step", value="price")
    with pytest.raises(InvalidParameterError, match="'format' parameter"):
        read_events(path, format="xlsx")
    with pytest.raises(InvalidParameterError, match="'to' parameter"):
        read_events(path, to="frame")
    with pytest.raises(InvalidParameterError, match="'engine' parameter"):
        read_events(path, engine="duckdb")
    with pytest.raises(InvalidParameterError, match=r"'engine' parameter .* for a CSV file"):
        read_events(path, engine="polars", to="table")
    with pytest.raises(InvalidParameterError, match="'delimiter' parameter"):
        read_events(path, delimiter=";;")
    with pytest.raises(InvalidParameterError, match=r"'path' parameter .* CSV or Parquet"):
        read_events(write("log.xlsx", "x"))
    with pytest.raises(InvalidParameterError, match="does not exist"):
        read_events(tmp_path / "none.csv")
    with pytest.raises(InvalidParameterError, match=r"'to' parameter .* options"):
        read_events(path, to="table", success={"close"})
    with pytest.raises(DataError, match="with a header row"):
        read_events(write("empty.csv", ""), to="table")
    assert list(read_events(write("dup.csv", "a,a,a.1\n1,2,3\n"), to="table")) == [
        "a", "a.1", "a.1.1"]
    with pytest.raises(DataError, match="fields in every row"):
        read_events(write("ragged.csv", "a,b\n1\n"), to="table", engine="python")
    assert read_events(write("noext.dat", CSV), format="csv", to="table")["code"].tolist() == \
        [7, 8, 9]
