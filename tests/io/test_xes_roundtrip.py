"""Property: events written to XES read back identical, through both Python tokenisers."""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cxpath.io.xes import _read_python

TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc"),
                             blacklist_characters="\ufffe\uffff"), max_size=8)
KEYS = st.sampled_from(["concept:name", "org:resource", "a", "b&c", "x y"])
VALUE = st.one_of(
    st.tuples(st.just("string"), TEXT),
    st.tuples(st.just("int"), st.integers(-2**62, 2**62)),
    st.tuples(st.just("float"), st.floats(allow_nan=False, allow_infinity=False)),
    st.tuples(st.just("boolean"), st.booleans()),
    st.tuples(st.just("date"), st.datetimes(timezones=st.sampled_from([None]))),
)
EVENT = st.dictionaries(KEYS, VALUE, max_size=4)
TRACE = st.tuples(TEXT, st.lists(EVENT, max_size=4))


def _text(kind, value):
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "date":
        return value.isoformat(timespec="microseconds") + "Z"
    return repr(value) if kind == "float" else str(value)


def _xes(traces) -> str:
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<log xes.version="1.0">']
    for name, events in traces:
        out.append(f'  <trace>\n    <string key="concept:name" value={quoteattr(name)}/>')
        for event in events:
            out.append("    <event>")
            for key, (kind, value) in event.items():
                out.append(f"      <{kind} key={quoteattr(key)} "
                           f"value={quoteattr(_text(kind, value))}/>")
            out.append("    </event>")
        out.append("  </trace>")
    out.append("</log>\n")
    return "\n".join(out)


@settings(max_examples=60, deadline=None)
@given(st.lists(TRACE, max_size=5))
def test_written_events_read_back(tmp_path_factory, traces):
    path = tmp_path_factory.mktemp("xes") / "log.xes"
    path.write_text(_xes(traces), encoding="utf-8")
    fast, full = _read_python(path, fast=True), _read_python(path, fast=False)
    rows = [(name, e) for name, events in traces for e in events]
    assert fast.n_events == full.n_events == len(rows)
    assert fast.table.keys() == full.table.keys()
    for col in fast.table:
        a, b = fast.table[col], full.table[col]
        assert a.dtype == b.dtype and a.astype(str).tolist() == b.astype(str).tolist()
    for i, (name, event) in enumerate(rows):
        assert fast.table["case:concept:name"][i] == name
        for key, (kind, value) in event.items():
            got = fast.table[key][i]
            if kind == "date":
                assert got == np.datetime64(value.replace(tzinfo=None), "us")
            elif kind == "float":
                assert float(got) == value
            else:
                assert got == value
