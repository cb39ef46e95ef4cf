"""read_xes on hand-written XES: every type, offsets, globals, missing values, gzip, errors."""

from __future__ import annotations

import numpy as np
import pytest

from cxpath.errors import CxpathError, DataError, InvalidParameterError, MissingExtraError
from cxpath.io import NO_OFFSET, XesLog, read_xes
from cxpath.io.xes import _read_python

ALL_TYPES = """<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1.0" xmlns="http://www.xes-standard.org/">
  <extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>
  <global scope="event">
    <string key="concept:name" value="NONE"/>
    <string key="lifecycle:transition" value="complete"/>
  </global>
  <classifier name="Activity" keys="concept:name lifecycle:transition"/>
  <string key="concept:name" value="the log"/>
  <trace>
    <string key="concept:name" value="c1"/>
    <int key="prio" value="3"/>
    <event>
      <string key="concept:name" value="a &amp; b"/>
      <date key="time:timestamp" value="2011-10-01T00:38:44.546+02:00"/>
      <int key="n" value="5"/>
      <float key="x" value="1.5"/>
      <boolean key="ok" value="true"/>
      <id key="ident" value="abc-1"/>
    </event>
    <event>
      <string key="concept:name" value="b"/>
      <date key="time:timestamp" value="2011-10-01T01:00:00Z"/>
      <float key="x" value="2"/>
      <boolean key="ok" value="FALSE"/>
    </event>
  </trace>
  <trace>
    <string key="concept:name" value="c2"/>
    <event>
      <string key="concept:name" value="a"/>
      <date key="time:timestamp" value="2011-10-01T01:00:00.123456789"/>
      <int key="n" value="6"/>
      <string key="lifecycle:transition" value="start"/>
    </event>
  </trace>
  <trace><string key="concept:name" value="empty"/></trace>
</log>
"""


@pytest.fixture(params=[True, False], ids=["scanner", "expat"])
def fast(request):
    return request.param


def read(path, fast):
    return _read_python(path, fast=fast)


def test_every_type_and_missing_values(write, fast):
    log = read(write("t.xes", ALL_TYPES), fast)
    t = log.table
    assert t["concept:name"].tolist() == ["a & b", "b", "a"]  # entity decoded
    assert t["case:concept:name"].tolist() == ["c1", "c1", "c2"]
    assert t["n"].dtype == np.float64 and np.isnan(t["n"][1]) and t["n"][[0, 2]].tolist() == [5, 6]
    assert t["x"].dtype == np.float64 and t["x"][:2].tolist() == [1.5, 2.0] and np.isnan(t["x"][2])
    assert t["ok"].dtype == object and t["ok"].tolist() == [True, False, None]
    assert t["ident"].tolist() == ["abc-1", None, None]
    assert t["case:prio"].tolist()[:2] == [3.0, 3.0] and np.isnan(t["case:prio"][2])
    assert t["lifecycle:transition"].tolist() == [None, None, "start"]  # globals not applied
    assert log.kinds["n"] == "int" and log.kinds["time:timestamp"] == "date"
    assert (log.n_traces, log.n_empty_traces, log.n_events) == (3, 1, 3)
    assert log.trace_index.tolist() == [0, 0, 1]
    assert log.attributes == {"concept:name": "the log"}
    assert log.classifiers == {"Activity": ["concept:name", "lifecycle:transition"]}
    assert log.extensions[0]["prefix"] == "concept"
    assert log.globals["event"]["lifecycle:transition"] == ("string", "complete")


def test_offsets_and_utc_instants(write, fast):
    t = read(write("t.xes", ALL_TYPES), fast).table
    # 00:38:44.546 at +02:00 is 22:38:44.546 UTC the day before; 'Z' is offset 0; a text
    # without offset is UTC with the NO_OFFSET sentinel; digits past microseconds truncated
    assert t["time:timestamp"].dtype == np.dtype("datetime64[us]")
    assert t["time:timestamp"].tolist()[0].isoformat() == "2011-09-30T22:38:44.546000"
    assert str(t["time:timestamp"][2]) == "2011-10-01T01:00:00.123456"
    off = t["time:timestamp@utc_offset"]
    assert off.dtype == np.int16 and off.tolist() == [120, 0, int(NO_OFFSET)]


def test_complete_int_and_bool_columns_keep_their_dtype(write, fast):
    xes = """<log><trace><string key="concept:name" value="1"/>
      <event><int key="n" value="-7"/><boolean key="b" value="1"/></event>
      <event><int key="n" value="8"/><boolean key="b" value="false"/></event></trace></log>"""
    t = read(write("t.xes", xes), fast).table
    assert t["n"].dtype == np.int64 and t["n"].tolist() == [-7, 8]
    assert t["b"].dtype == bool and t["b"].tolist() == [True, False]


def test_apply_globals_fills_declared_defaults(write):
    t = read_xes(write("t.xes", ALL_TYPES), to="table", apply_globals=True)
    assert t["lifecycle:transition"].tolist() == ["complete", "complete", "start"]
    assert t["concept:name"].tolist() == ["a & b", "b", "a"]  # present values untouched


def test_gzip_gives_the_same_table(write, fast):
    plain = read(write("t.xes", ALL_TYPES), fast).table
    packed = read(write("t.xes.gz", ALL_TYPES), fast).table
    assert plain.keys() == packed.keys()
    for k in plain:
        assert plain[k].tolist() == packed[k].tolist() or (
            plain[k].dtype.kind == "f" and np.array_equal(plain[k], packed[k], equal_nan=True))


def test_nested_and_list_attributes_are_reported(write):
    xes = """<log><trace><string key="concept:name" value="c"/>
      <event><string key="concept:name" value="a"/>
        <string key="nest" value="p"><string key="child" value="c"/></string>
        <list key="lst"><values><string key="i" value="1"/></values></list>
      </event></trace></log>"""
    log = read_xes(write("t.xes", xes), to="log")  # the scanner hands this file to expat
    assert log.table["nest"].tolist() == ["p"] and "lst" not in log.table
    assert log.nested == (("event", "lst"), ("event", "nest"))
    assert "nested attributes not read" in repr(log)


def test_scanner_and_expat_agree_on_odd_layouts(write):
    odd = """<?xml version='1.0'?>
<!-- a comment -->
<log>
<trace><string value='v' key="concept:name"/>
<event><string value="x&#10;y &lt;z&gt;" key="concept:name" /><int key="k" value=" 12 "/></event>
<event></event>
</trace>
<!-- between traces -->
<trace><event><date key="time:timestamp" value="2020-02-30T00:00:00"/></event></trace>
</log>"""
    path = write("odd.xes", odd)
    a, b = _read_python(path, fast=True), _read_python(path, fast=False)
    assert a.table.keys() == b.table.keys()
    for k in a.table:
        assert a.table[k].astype(str).tolist() == b.table[k].astype(str).tolist()
    assert a.table["concept:name"].tolist() == ["x\ny <z>", None, None]
    assert a.table["case:concept:name"].tolist() == ["v", "v", None]
    assert a.table["k"][0] == 12.0 and np.isnan(a.table["k"][1:]).all()  # int(" 12 ")
    assert a.unparseable == {"time:timestamp": 1}  # 30 February


def test_repeated_key_keeps_the_last_value_and_case_prefix_collision(write, fast):
    xes = """<log><trace><string key="concept:name" value="c"/><string key="x" value="T"/>
      <event><string key="a" value="1"/><string key="a" value="2"/>
        <string key="case:x" value="E"/></event></trace></log>"""
    t = read(write("t.xes", xes), fast).table
    assert t["a"].tolist() == ["2"]
    assert t["case:x"].tolist() == ["T"]  # the trace attribute wins, as in pm4py


def test_mixed_types_under_one_key(write, fast):
    xes = """<log><trace><string key="concept:name" value="c"/>
      <event><int key="m" value="1"/><int key="f" value="1"/></event>
      <event><string key="m" value="s"/><float key="f" value="2.5"/></event></trace></log>"""
    log = read(write("t.xes", xes), fast)
    assert log.table["m"].tolist() == [1, "s"] and log.kinds["m"] == "mixed"
    assert log.table["f"].tolist() == [1.0, 2.5] and log.table["f"].dtype == np.float64


LIFECYCLE = """<log><trace><string key="concept:name" value="t1"/>
  <event><string key="concept:name" value="triage"/><string key="org:resource" value="ann"/>
    <string key="lifecycle:transition" value="start"/>
    <date key="time:timestamp" value="2024-01-01T09:00:00+01:00"/></event>
  <event><string key="concept:name" value="triage"/><string key="org:resource" value="ann"/>
    <string key="lifecycle:transition" value="complete"/>
    <date key="time:timestamp" value="2024-01-01T09:20:00+01:00"/></event>
  <event><string key="concept:name" value="fix"/><string key="org:resource" value="bob"/>
    <string key="lifecycle:transition" value="complete"/>
    <date key="time:timestamp" value="2024-01-01T10:00:00+01:00"/></event>
</trace></log>"""


def _has_instances():
    import inspect

    from cxpath import Journeys

    return "lifecycle" in inspect.signature(Journeys.from_events).parameters


@pytest.mark.skipif(not _has_instances(), reason="Journeys.from_events has no lifecycle= yet")
def test_to_journeys_pairs_lifecycle_and_carries_the_resource(write):
    j = read_xes(write("t.xes", LIFECYCLE))
    assert j.n_cases == 1 and j.n_events == 2  # start + complete of triage -> one instance
    assert j.starts is not None
    # triage: 08:00 -> 08:20 UTC: 20 minutes of service time
    assert (j.times[0] - j.starts[0]) == 1200.0
    assert "resource" in j.event_attributes
    # options override the automatic mapping: no lifecycle pairing, three events
    assert read_xes(write("t.xes", LIFECYCLE), lifecycle=None).n_events == 3


def test_to_journeys_maps_the_xes_names(write):
    j = read_xes(write("t.xes", ALL_TYPES), lifecycle=None)
    assert j.n_cases == 2 and set(j.vocab) == {"a & b", "b", "a"}
    j2 = read_xes(write("t.xes", ALL_TYPES), success={"b"}, lifecycle=None)
    assert j2.outcome.tolist() == [True, False]


def test_traces_without_names_use_their_position(write):
    xes = """<log><trace><event><string key="concept:name" value="a"/></event></trace>
      <trace><event><string key="concept:name" value="b"/></event></trace></log>"""
    j = read_xes(write("t.xes", xes))
    assert j.case_ids.tolist() == [0, 1]


def test_log_result_repr_and_frame(write):
    log = read_xes(write("t.xes", ALL_TYPES), to="log")
    assert isinstance(log, XesLog)
    assert repr(log).startswith("XesLog (3 rows)\n3 events in 3 traces (1 without events)")
    assert log.to_frame("dict")["concept:name"].tolist() == ["a & b", "b", "a"]


def test_bad_arguments(write, tmp_path):
    path = write("t.xes", ALL_TYPES)
    with pytest.raises(InvalidParameterError, match=r"'to' parameter of io.read_xes"):
        read_xes(path, to="frame")
    with pytest.raises(InvalidParameterError, match="'engine' parameter"):
        read_xes(path, engine="lxml")
    with pytest.raises(InvalidParameterError, match="'apply_globals' parameter"):
        read_xes(path, apply_globals="yes")
    with pytest.raises(InvalidParameterError, match=r"'to' parameter .* options"):
        read_xes(path, to="table", success={"b"})
    with pytest.raises(InvalidParameterError, match=r"must be an existing file. Got .* does not"):
        read_xes(tmp_path / "missing.xes")
    with pytest.raises(InvalidParameterError, match=r"an XES file \(.xes, .xes.gz"):
        read_xes(write("t.csv", "a,b\n"))
    with pytest.raises(InvalidParameterError, match="a file path"):
        read_xes(42)
    with pytest.raises(InvalidParameterError, match="is a directory"):
        read_xes(tmp_path / "d.xes") if (tmp_path / "d.xes").mkdir() is None else None


@pytest.mark.parametrize("text, where", [
    ("<log><trace><event></trace></log>", "mismatched tag"),
    ("<log><trace>", "no element found"),
    ('<log><trace><event><string key="a" value="x & y"/></event></trace></log>',
     "not well-formed"),
    ('<log><trace><event><string key="a" value="\x01"/></event></trace></log>',
     "not well-formed"),
    ("", "no element found"),
])
def test_malformed_xml_is_a_clear_error(write, text, where):
    with pytest.raises(DataError, match=f"well-formed XES .*{where}.* at line"):
        read_xes(write("bad.xes", text), to="table")


def test_attribute_without_key_is_an_error(write):
    with pytest.raises(DataError, match="without a 'key'"):
        read_xes(write("t.xes", '<log><trace><event><string value="x"/></event></trace></log>'),
                 to="table")


def test_corrupt_gzip_is_a_clear_error(write, tmp_path):
    path = tmp_path / "t.xes.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00garbage")
    with pytest.raises(CxpathError, match="well-formed XES"):
        read_xes(path, to="table")


def test_rustxes_missing_names_the_extra(write, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "rustxes", None)
    with pytest.raises(MissingExtraError, match=r"cxpath\[xes\]"):
        read_xes(write("t.xes", ALL_TYPES), engine="rustxes")
