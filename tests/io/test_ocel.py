"""read_ocel (OCEL 2.0 JSON/XML/SQLite, OCEL 1.0 JSON) and flatten, against pm4py."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest

from cxpath.errors import CxpathError, DataError, InvalidParameterError
from cxpath.io import OcelLog, flatten, read_ocel

EXAMPLES = ["ocel20_example.jsonocel", "ocel20_example.xmlocel", "ocel20_example.sqlite"]

SMALL = {
    "objectTypes": [{"name": "order", "attributes": [{"name": "total", "type": "float"}]},
                    {"name": "item", "attributes": [{"name": "sku", "type": "string"}]}],
    "eventTypes": [{"name": "place", "attributes": [{"name": "n", "type": "integer"}]},
                   {"name": "pack", "attributes": [{"name": "ok", "type": "boolean"}]}],
    "objects": [{"id": "o1", "type": "order",
                 "attributes": [{"name": "total", "time": "2024-01-01T00:00:00Z", "value": 9.5},
                                {"name": "total", "time": "2024-02-01T00:00:00Z", "value": 7}],
                 "relationships": [{"objectId": "i1", "qualifier": "contains"}]},
                {"id": "i1", "type": "item",
                 "attributes": [{"name": "sku", "time": "1970-01-01T00:00:00Z", "value": "A"}]},
                {"id": "i2", "type": "item", "attributes": []}],
    "events": [{"id": "e1", "type": "place", "time": "2024-01-01T09:00:00+01:00",
                "attributes": [{"name": "n", "value": "2"}],
                "relationships": [{"objectId": "o1", "qualifier": "placed"},
                                  {"objectId": "i1", "qualifier": "item"},
                                  {"objectId": "i2", "qualifier": "item"},
                                  {"objectId": "i2", "qualifier": "again"}]},
               {"id": "e2", "type": "pack", "time": "2024-01-01T10:00:00Z",
                "attributes": [{"name": "ok", "value": True}],
                "relationships": [{"objectId": "i1", "qualifier": "packed"}]}],
}


@pytest.fixture
def small(tmp_path):
    path = tmp_path / "small.jsonocel"
    path.write_text(json.dumps(SMALL))
    return read_ocel(path)


def test_tables_and_types(small):
    ev = small.events
    assert ev["ocel:eid"].tolist() == ["e1", "e2"]
    assert str(ev["ocel:timestamp"][0]) == "2024-01-01T08:00:00.000000"
    assert ev["ocel:timestamp@utc_offset"].tolist() == [60, 0]
    assert ev["n"].tolist()[0] == 2.0 and np.isnan(ev["n"][1])  # integer, one missing
    assert ev["ok"].tolist() == [None, True]
    # first value in time, as pm4py's object table
    assert small.objects["total"].tolist()[0] == 9.5
    assert small.relations["ocel:qualifier"].tolist() == ["placed", "item", "item", "again",
                                                          "packed"]
    assert small.relations["ocel:type"].tolist() == ["order", "item", "item", "item", "item"]
    assert small.o2o["ocel:oid_2"].tolist() == ["i1"]
    assert small.object_changes["value"].tolist() == [9.5, 7, "A"]
    assert small.event_types["place"] == {"n": "integer"}
    assert isinstance(small, OcelLog) and "2 events of 2 types, 3 objects" in repr(small)


def test_flatten_copies_shared_events_into_each_case(small):
    items = flatten(small, "item")
    # e1 touches i1 and i2 (i2 twice: one copy), e2 only i1; the order has no copy of e2
    assert items["case:concept:name"].tolist() == ["i1", "i2", "i1"]
    assert items["concept:name"].tolist() == ["place", "place", "pack"]
    assert items["case:sku"].tolist() == ["A", None, "A"]
    orders = small.flatten("order")
    assert orders["ocel:eid"].tolist() == ["e1"]
    j = flatten(small, "item", to="journeys")
    assert j.case_ids.tolist() == ["i1", "i2"] and j.n_events == 3


def test_bad_arguments(small, tmp_path, write):
    with pytest.raises(InvalidParameterError, match=r"'object_type' parameter of io.flatten "
                       "must be an object type of the log \\(one of 'item', 'order'\\)"):
        flatten(small, "customer")
    with pytest.raises(InvalidParameterError, match="'ocel' parameter"):
        flatten({"events": {}}, "item")
    with pytest.raises(InvalidParameterError, match="'to' parameter"):
        flatten(small, "item", to="frame")
    with pytest.raises(InvalidParameterError, match=r"'to' parameter .* options"):
        flatten(small, "item", success={"pack"})
    with pytest.raises(InvalidParameterError, match="'format' parameter"):
        read_ocel(write("x.jsonocel", "{}"), format="csv")
    with pytest.raises(InvalidParameterError, match="an OCEL file"):
        read_ocel(write("x.csv", "{}"))
    with pytest.raises(InvalidParameterError, match="does not exist"):
        read_ocel(tmp_path / "none.jsonocel")
    with pytest.raises(DataError, match="well-formed OCEL JSON"):
        read_ocel(write("bad.jsonocel", "{not json"))
    with pytest.raises(DataError, match="well-formed OCEL JSON"):
        read_ocel(write("list.jsonocel", "[1, 2]"))
    with pytest.raises(DataError, match="well-formed OCEL XML"):
        read_ocel(write("bad.xmlocel", "<log><events>"))
    with pytest.raises(DataError, match="without time"):
        read_ocel(write("notime.jsonocel", json.dumps({"events": [{"id": "e", "type": "t"}]})))
    with pytest.raises(DataError, match="ISO-8601 event times"):
        read_ocel(write("badtime.jsonocel", json.dumps(
            {"events": [{"id": "e", "type": "t", "time": "yesterday"}]})))
    with pytest.raises(CxpathError, match=r"OCEL 1.0 XML is not supported"):
        read_ocel(write("old.xmlocel", '<log><global scope="event"/></log>'))
    with pytest.raises(DataError, match="well-formed OCEL SQLITE"):
        read_ocel(write("x.sqlite", "not a database"))


def _pm4py():
    pm4py = pytest.importorskip("pm4py")
    warnings.filterwarnings("ignore", module="pm4py")
    return pm4py


def _strings(values):
    return [None if (x is None or (isinstance(x, float) and x != x)
                     or str(x) == "<NA>") else str(x) for x in values]


def _compare_flattening(ours: dict, theirs):
    pd = pytest.importorskip("pandas")
    assert set(theirs.columns) == {c for c in ours if not c.endswith("@utc_offset")}
    key = ["case:concept:name", "ocel:eid"]
    theirs = theirs.sort_values(key, kind="stable").reset_index(drop=True)
    mine = pd.DataFrame(ours).sort_values(key, kind="stable").reset_index(drop=True)
    assert len(mine) == len(theirs)
    for col in theirs.columns:
        if col == "time:timestamp":
            t = pd.to_datetime(theirs[col])
            if t.dt.tz is not None:
                t = t.dt.tz_convert("UTC").dt.tz_localize(None)
            assert (mine[col].to_numpy() == t.to_numpy().astype("datetime64[us]")).all()
        else:
            assert _strings(mine[col]) == _strings(theirs[col]), col


@pytest.mark.realdata
@pytest.mark.parametrize("name", EXAMPLES)
def test_flattening_matches_pm4py_on_the_spec_example(shared_data, name):
    pm4py = _pm4py()
    reader = {"jsonocel": pm4py.read_ocel2_json, "xmlocel": pm4py.read_ocel2_xml,
              "sqlite": pm4py.read_ocel2_sqlite}[name.rsplit(".", 1)[1]]
    theirs = reader(str(shared_data / name))
    ours = read_ocel(shared_data / name)
    # the OCEL 2.0 specification's example: 13 events, 9 objects (README)
    assert (ours.n_events, ours.n_objects) == (13, 9) == (len(theirs.events),
                                                          len(theirs.objects))
    assert len(ours.relations["ocel:eid"]) == len(theirs.relations) == 20
    assert len(ours.o2o["ocel:oid"]) == len(theirs.o2o)
    for object_type in sorted(set(theirs.objects["ocel:type"])):
        _compare_flattening(flatten(ours, object_type),
                            pm4py.ocel_flattening(theirs, object_type))


@pytest.mark.realdata
def test_three_formats_of_the_example_give_the_same_log(shared_data):
    logs = [read_ocel(shared_data / name) for name in EXAMPLES]
    for other in logs[1:]:
        for table in ("objects", "o2o"):
            a, b = getattr(logs[0], table), getattr(other, table)
            assert set(a) == set(b)
        order_a = np.argsort(logs[0].events["ocel:eid"].astype(str))
        order_b = np.argsort(other.events["ocel:eid"].astype(str))
        assert (logs[0].events["ocel:activity"][order_a] ==
                other.events["ocel:activity"][order_b]).all()
        # the files differ in their clocks: the JSON writes UTC ('+00:00'), the XML and the
        # SQLite versions the same instants one hour later without an offset (read as UTC,
        # by pm4py too)
        shift = (other.events["ocel:timestamp"][order_b] -
                 logs[0].events["ocel:timestamp"][order_a])
        assert (shift == np.timedelta64(1, "h")).all()


@pytest.mark.realdata
def test_ocel1_json_flattening_matches_pm4py(shared_data, tmp_path):
    import gzip
    import shutil

    pm4py = _pm4py()
    ours = read_ocel(shared_data / "recruiting-red.jsonocel.gz")
    assert ours.version == "1.0"
    plain = tmp_path / "recruiting-red.jsonocel"  # pm4py reads it only uncompressed
    with gzip.open(shared_data / "recruiting-red.jsonocel.gz") as src, open(plain, "wb") as dst:
        shutil.copyfileobj(src, dst)
    theirs = pm4py.read_ocel(str(plain))
    assert ours.n_events == len(theirs.events)
    for object_type in sorted(set(theirs.objects["ocel:type"])):
        _compare_flattening(flatten(ours, object_type),
                            pm4py.ocel_flattening(theirs, object_type))
