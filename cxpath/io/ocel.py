"""Object-centric event logs (OCEL 2.0, and the OCEL 1.0 JSON layout): :func:`read_ocel`,
the :class:`OcelLog` result and :func:`flatten` onto one object type."""

from __future__ import annotations

import gzip
import json
import sqlite3
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from .. import _validate as v
from .._results import Result, derived_columns, result
from ..errors import DataError
from ._common import check_path, to_journeys
from ._xes_parse import BOOLEAN, DATE, FLOAT, INT, STRING, _Columns

if TYPE_CHECKING:
    import os

    from ..journeys import Journeys

__all__ = ["OcelLog", "flatten", "read_ocel"]

_FUNC = "io.read_ocel"
_FORMATS = {".jsonocel": "json", ".jsonocel.gz": "json", ".json": "json", ".json.gz": "json",
            ".xmlocel": "xml", ".xmlocel.gz": "xml", ".xml": "xml", ".xml.gz": "xml",
            ".sqlite": "sqlite", ".sqlite3": "sqlite", ".db": "sqlite"}
_TYPE_KIND = {"string": STRING, "time": DATE, "date": DATE, "integer": INT, "int": INT,
              "float": FLOAT, "double": FLOAT, "boolean": BOOLEAN, "bool": BOOLEAN}


@result
class OcelLog(Result):
    """An object-centric event log as five tables (dicts of numpy columns).

    Attributes
    ----------
    events : dict
        One row per event: ``ocel:eid``, ``ocel:activity`` (the event type),
        ``ocel:timestamp`` (``datetime64[us]`` UTC) and its ``ocel:timestamp@utc_offset``
        (minutes, :data:`~cxpath.io.NO_OFFSET` when absent), then one column per event
        attribute (typed as declared: string, time, integer, float, boolean — the same
        typing rules as :func:`~cxpath.io.read_xes`).
    objects : dict
        One row per object: ``ocel:oid``, ``ocel:type`` and each attribute's **first** value
        in time (ties: the first listed), as pm4py's object table holds it.
    relations : dict
        Event-to-object relations: ``ocel:eid``, ``ocel:oid``, ``ocel:type`` (of the object)
        and ``ocel:qualifier`` (``None`` in OCEL 1.0).
    o2o : dict
        Object-to-object relations: ``ocel:oid``, ``ocel:oid_2``, ``ocel:qualifier``.
    object_changes : dict
        Every attribute value with its time, long format: ``ocel:oid``, ``ocel:type``,
        ``ocel:field``, ``ocel:timestamp`` and ``value`` (object array).
    event_types, object_types : dict
        Declared type name -> {attribute: type}.
    version : str
        ``"2.0"`` or ``"1.0"``; ``format`` is ``"json"``, ``"xml"`` or ``"sqlite"``.
    """

    events: dict
    objects: dict
    relations: dict
    o2o: dict
    object_changes: dict
    event_types: dict = attrs.field(factory=dict)
    object_types: dict = attrs.field(factory=dict)
    version: str = "2.0"
    format: str = "json"

    _derived = derived_columns({
        "object_type": "an object type present in ``objects``",
        "objects": "objects of that type (rows of ``objects``)",
        "relations": "event-to-object relations to objects of that type (rows of "
                     "``relations``)"})

    @property
    def n_events(self) -> int:
        return len(self.events["ocel:eid"])

    @property
    def n_objects(self) -> int:
        return len(self.objects["ocel:oid"])

    def _columns(self) -> dict:
        types, counts = np.unique(self.objects["ocel:type"].astype(str), return_counts=True)
        rel_types = self.relations["ocel:type"].astype(str)
        return {"object_type": types, "objects": counts,
                "relations": np.array([int((rel_types == t).sum()) for t in types.tolist()])}

    def _title(self) -> str:
        return f"OcelLog (OCEL {self.version}, {self.format})"

    def _summary(self) -> list[str]:
        return [f"{self.n_events} events of {len(set(self.events['ocel:activity'].tolist()))} "
                f"types, {self.n_objects} objects, {len(self.relations['ocel:eid'])} "
                f"event-object and {len(self.o2o['ocel:oid'])} object-object relations"]

    def flatten(self, object_type: str, *, to: str = "table",
                **journeys_options: Any) -> dict[str, np.ndarray] | Journeys:
        """See :func:`flatten`."""
        return flatten(self, object_type, to=to, **journeys_options)


def read_ocel(path: str | os.PathLike, *, format: str | None = None) -> OcelLog:
    """Read an object-centric event log: OCEL 2.0 JSON, XML or SQLite, or OCEL 1.0 JSON.

    Parameters
    ----------
    path : str or os.PathLike
        ``.jsonocel``/``.json`` (optionally ``.gz``), ``.xmlocel``/``.xml`` (optionally
        ``.gz``) or ``.sqlite``/``.sqlite3``/``.db``.
    format : {None, 'json', 'xml', 'sqlite'}
        Overrides the suffix. The OCEL 1.0 JSON layout (``ocel:events``, ``ocel:objects``)
        is recognised by its keys; OCEL 1.0 XML is not supported.

    Returns
    -------
    OcelLog

    Raises
    ------
    CxpathError
        A missing file or unknown suffix, malformed JSON/XML, an OCEL 1.0 XML file, an event
        without id, type or time.

    Examples
    --------
    >>> import json, pathlib, tempfile
    >>> from cxpath.io import read_ocel
    >>> log = {"objectTypes": [{"name": "ticket", "attributes": []}],
    ...        "eventTypes": [{"name": "open", "attributes": []},
    ...                       {"name": "close", "attributes": []}],
    ...        "objects": [{"id": "t1", "type": "ticket"}],
    ...        "events": [{"id": "e1", "type": "open", "time": "2024-01-01T09:00:00Z",
    ...                    "relationships": [{"objectId": "t1", "qualifier": "opens"}]},
    ...                   {"id": "e2", "type": "close", "time": "2024-01-01T10:00:00Z",
    ...                    "relationships": [{"objectId": "t1", "qualifier": "closes"}]}]}
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "tiny.jsonocel"
    >>> _ = path.write_text(json.dumps(log))
    >>> ocel = read_ocel(path)
    >>> ocel.n_events, ocel.relations["ocel:qualifier"].tolist()
    (2, ['opens', 'closes'])
    """
    if format is not None:
        v.check_option(format, "format", _FUNC, ("json", "xml", "sqlite"))
    p = check_path(path, _FUNC, () if format else tuple(_FORMATS), "an OCEL file")
    if format is None:
        format = next(f for s, f in _FORMATS.items() if p.name.lower().endswith(s))
    try:
        if format == "json":
            raw = _read_json(p)
        elif format == "xml":
            raw = _read_xml(p)
        else:
            raw = _read_sqlite(p)
    except (ValueError, ET.ParseError, sqlite3.Error, OSError, EOFError, KeyError,
            TypeError) as exc:
        if isinstance(exc, DataError):
            raise
        v.fail("path", _FUNC, f"a well-formed OCEL {format.upper()} file",
               got=f"{str(p)!r}: {type(exc).__name__}: {exc}", data=True)
    return _assemble(raw, format)


# --- format readers -> one raw layout ---------------------------------------------------------

def _raw(version="2.0"):
    return {"events": [], "objects": [], "e2o": [], "o2o": [], "event_types": {},
            "object_types": {}, "version": version}


def _open(path):
    with open(path, "rb") as probe:
        gz = probe.read(2) == b"\x1f\x8b"
    return gzip.open(path, "rb") if gz else open(path, "rb")


def _read_json(path) -> dict:
    with _open(path) as f:
        doc = json.load(f)
    if not isinstance(doc, dict):
        raise ValueError("the top level is not a JSON object")
    if "ocel:events" in doc:
        return _ocel1(doc)
    raw = _raw()
    for kind, key in (("event_types", "eventTypes"), ("object_types", "objectTypes")):
        for t in doc.get(key) or []:
            raw[kind][t["name"]] = {a["name"]: a.get("type", "string")
                                    for a in t.get("attributes") or []}
    for o in doc.get("objects") or []:
        oid = o["id"]
        raw["objects"].append((oid, o.get("type"), [
            (a["name"], a.get("time"), a.get("value")) for a in o.get("attributes") or []]))
        for r in o.get("relationships") or []:
            raw["o2o"].append((oid, r["objectId"], r.get("qualifier")))
    for e in doc.get("events") or []:
        raw["events"].append((e["id"], e["type"], e.get("time"), [
            (a["name"], a.get("value")) for a in e.get("attributes") or []]))
        for r in e.get("relationships") or []:
            raw["e2o"].append((e["id"], r["objectId"], r.get("qualifier")))
    return raw


def _ocel1(doc: dict) -> dict:
    """The OCEL 1.0 JSON layout: no qualifiers, no attribute history, types from values."""
    raw = _raw("1.0")
    for oid, o in (doc.get("ocel:objects") or {}).items():
        raw["objects"].append((oid, o.get("ocel:type"), [
            (k, None, val) for k, val in (o.get("ocel:ovmap") or {}).items()]))
    for eid, e in (doc.get("ocel:events") or {}).items():
        raw["events"].append((eid, e.get("ocel:activity"), e.get("ocel:timestamp"),
                              list((e.get("ocel:vmap") or {}).items())))
        for oid in e.get("ocel:omap") or []:
            raw["e2o"].append((eid, oid, None))
    return raw


def _read_xml(path) -> dict:
    raw = _raw()
    with _open(path) as f:
        context = ET.iterparse(f, events=("start", "end"))
        _, root = next(context)
        if root.tag.rsplit("}", 1)[-1] != "log":
            raise ValueError(f"the root element is <{root.tag}>, not <log>")
        section, depth = None, 1
        for event, el in context:
            tag = el.tag.rsplit("}", 1)[-1]
            depth += 1 if event == "start" else -1
            if event == "start":
                if tag == "global" and section is None:
                    raise DataError(f"The 'path' parameter of {_FUNC} must be an OCEL 2.0 XML "
                                    "file (OCEL 1.0 XML is not supported; OCEL 1.0 JSON is). "
                                    f"Got {str(path)!r} instead.")
                if depth == 2:
                    section = tag
                continue
            if depth == 1:  # a section (child of <log>) ends
                section = None
                root.clear()
            elif tag in ("object-type", "event-type") and section in ("object-types",
                                                                       "event-types"):
                target = raw["object_types" if tag == "object-type" else "event_types"]
                target[el.get("name")] = {a.get("name"): a.get("type", "string")
                                          for a in el.iter("attribute")}
            elif tag == "object" and section == "objects":
                oid = el.get("id")
                raw["objects"].append((oid, el.get("type"), [
                    (a.get("name"), a.get("time"), a.text or "") for a in el.iter("attribute")]))
                raw["o2o"].extend((oid, r.get("object-id"), r.get("qualifier"))
                                  for r in el.iter("relationship"))
                el.clear()
            elif tag == "event" and section == "events":
                eid = el.get("id")
                raw["events"].append((eid, el.get("type"), el.get("time"), [
                    (a.get("name"), a.text or "") for a in el.iter("attribute")]))
                raw["e2o"].extend((eid, r.get("object-id"), r.get("qualifier"))
                                  for r in el.iter("relationship"))
                el.clear()
    return raw


def _read_sqlite(path) -> dict:
    raw = _raw()
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        q = con.execute
        names = {r[0] for r in q("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"event", "object", "event_object", "event_map_type"} <= names:
            raise ValueError("tables event, object, event_object, event_map_type are missing")
        for scope, table_prefix, store in (("event", "event_", "event_types"),
                                           ("object", "object_", "object_types")):
            for type_name, suffix in q(f"SELECT ocel_type, ocel_type_map FROM {scope}_map_type"):
                cols = [r[1] for r in q(f'PRAGMA table_info("{table_prefix}{suffix}")')]
                types = {r[1]: (r[2] or "string").lower()
                         for r in q(f'PRAGMA table_info("{table_prefix}{suffix}")')}
                attrs_ = [c for c in cols if not c.startswith("ocel_")]
                raw[store][type_name] = {c: _sql_type(types[c]) for c in attrs_}
                rows = q(f'SELECT * FROM "{table_prefix}{suffix}"').fetchall()
                pos = {c: i for i, c in enumerate(cols)}
                if scope == "event":
                    for row in rows:
                        raw["events"].append((row[pos["ocel_id"]], type_name,
                                              row[pos["ocel_time"]],
                                              [(c, row[pos[c]]) for c in attrs_]))
                else:
                    for row in rows:
                        changed = row[pos["ocel_changed_field"]] if \
                            "ocel_changed_field" in pos else None
                        fields = attrs_ if changed is None else [changed]
                        raw["objects"].append((row[pos["ocel_id"]], type_name, [
                            (c, row[pos["ocel_time"]] if "ocel_time" in pos else None,
                             row[pos[c]]) for c in fields if row[pos[c]] is not None]))
        raw["e2o"] = [tuple(r) for r in q("SELECT ocel_event_id, ocel_object_id, "
                                          "ocel_qualifier FROM event_object")]
        if "object_object" in names:
            raw["o2o"] = [tuple(r) for r in q("SELECT ocel_source_id, ocel_target_id, "
                                              "ocel_qualifier FROM object_object")]
        # objects appear once per type table row (initial values, then changes): merge them,
        # keeping the order of the object table
        object_types = dict(q("SELECT ocel_id, ocel_type FROM object"))
        merged: dict = {oid: [] for oid in object_types}
        for oid, _t, values in raw["objects"]:
            merged.setdefault(oid, []).extend(values)
        raw["objects"] = [(oid, object_types.get(oid), vals) for oid, vals in merged.items()]
        event_order = {eid: i for i, (eid,) in enumerate(q("SELECT ocel_id FROM event"))}
        raw["events"].sort(key=lambda e: event_order.get(e[0], len(event_order)))
    finally:
        con.close()
    return raw


def _sql_type(decl: str) -> str:
    if "int" in decl:
        return "integer"
    if "real" in decl or "float" in decl or "double" in decl:
        return "float"
    if "bool" in decl:
        return "boolean"
    if "time" in decl or "date" in decl:
        return "time"
    return "string"


# --- assembly -------------------------------------------------------------------------------

def _text(value):
    """A JSON/XML/SQLite value as the text the typed column builder reads."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


def _kind_of(declared: str | None, value) -> int:
    if declared is not None:
        return _TYPE_KIND.get(str(declared).lower(), STRING)
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, int):
        return INT
    if isinstance(value, float):
        return FLOAT
    return STRING


def _obj(values) -> np.ndarray:
    return np.array([*values, None], dtype=object)[:-1]


def _assemble(raw: dict, fmt: str) -> OcelLog:
    n_ev = len(raw["events"])
    eids = _obj(e[0] for e in raw["events"])
    for i, (eid, etype, time, _a) in enumerate(raw["events"]):
        if eid is None or etype is None or time is None:
            missing = "id" if eid is None else "type" if etype is None else "time"
            v.fail("path", _FUNC, "an OCEL log whose events all have an id, a type and a time",
                   got=f"event {i} ({eid!r}) without {missing}", data=True)
    cols = _Columns()
    cols.add("ocel:timestamp", DATE, np.arange(n_ev), [_text(e[2]) for e in raw["events"]])
    attr_rows: dict = {}
    for i, (_eid, etype, _t, values) in enumerate(raw["events"]):
        declared = raw["event_types"].get(etype, {})
        for name, value in values:
            kind = _kind_of(declared.get(name) if raw["version"] == "2.0" else None, value)
            rows, texts = attr_rows.setdefault((name, kind), ([], []))
            rows.append(i)
            texts.append(_text(value))
    for (name, kind), (rows, texts) in attr_rows.items():
        cols.add(name, kind, np.array(rows, dtype=np.int64), texts)
    built, _kinds = cols.build(n_ev)
    if built["ocel:timestamp"].size and np.isnat(built["ocel:timestamp"]).any():
        i = int(np.flatnonzero(np.isnat(built["ocel:timestamp"]))[0])
        v.fail("path", _FUNC, "an OCEL log with ISO-8601 event times",
               got=f"{raw['events'][i][2]!r} at event {eids[i]!r}", data=True)
    events = {"ocel:eid": eids, "ocel:activity": _obj(e[1] for e in raw["events"]), **built}

    n_obj = len(raw["objects"])
    oids = _obj(o[0] for o in raw["objects"])
    otypes = _obj(o[1] for o in raw["objects"])
    first: dict = {}
    ch_oid, ch_type, ch_field, ch_time, ch_value = [], [], [], [], []
    for i, (oid, otype, values) in enumerate(raw["objects"]):
        declared = raw["object_types"].get(otype, {})
        seen: dict = {}
        for name, time, value in values:
            ch_oid.append(oid)
            ch_type.append(otype)
            ch_field.append(name)
            ch_time.append(_text(time))
            ch_value.append(value)
            key = _text(time) or ""
            if name not in seen or _earlier(key, seen[name][0]):
                seen[name] = (key, value)
        for name, (_key, value) in seen.items():
            kind = _kind_of(declared.get(name) if raw["version"] == "2.0" else None, value)
            rows, texts = first.setdefault((name, kind), ([], []))
            rows.append(i)
            texts.append(_text(value))
    ocols = _Columns()
    for (name, kind), (rows, texts) in first.items():
        ocols.add(name, kind, np.array(rows, dtype=np.int64), texts)
    obuilt, _ = ocols.build(n_obj)
    objects = {"ocel:oid": oids, "ocel:type": otypes, **obuilt}

    type_of = dict(zip(oids.tolist(), otypes.tolist()))
    rel = raw["e2o"]
    relations = {"ocel:eid": _obj(r[0] for r in rel), "ocel:oid": _obj(r[1] for r in rel),
                 "ocel:type": _obj(type_of.get(r[1]) for r in rel),
                 "ocel:qualifier": _obj(r[2] for r in rel)}
    o2o = {"ocel:oid": _obj(r[0] for r in raw["o2o"]),
           "ocel:oid_2": _obj(r[1] for r in raw["o2o"]),
           "ocel:qualifier": _obj(r[2] for r in raw["o2o"])}
    tcols = _Columns()
    tcols.add("t", DATE, np.arange(len(ch_time)), ch_time)
    tbuilt, _ = tcols.build(len(ch_time))
    changes = {"ocel:oid": _obj(ch_oid), "ocel:type": _obj(ch_type), "ocel:field": _obj(ch_field),
               "ocel:timestamp": tbuilt["t"], "value": _obj(ch_value)}
    return OcelLog(events=events, objects=objects, relations=relations, o2o=o2o,
                   object_changes=changes, event_types=raw["event_types"],
                   object_types=raw["object_types"], version=raw["version"], format=fmt)


def _earlier(a: str, b: str) -> bool:
    """Whether time text ``a`` is strictly before ``b`` (missing times count as earliest)."""
    if a == b or not a:
        return bool(not a and b)
    if not b:
        return False
    from ._timestamps import parse_iso

    us, _o, _bad = parse_iso([a, b])
    return bool(us[0] < us[1])


# --- flattening -----------------------------------------------------------------------------

def flatten(ocel: OcelLog, object_type: str, *, to: str = "table",
            **journeys_options: Any) -> dict[str, np.ndarray] | Journeys:
    """Flatten an object-centric log onto one object type: one case per object.

    Every event related to an object of ``object_type`` becomes an event of that object's
    case; an event related to several objects of the type is copied into each of their
    cases, and an event related to none is left out. This is the standard flattening
    (van der Aalst, 2019; pm4py ``ocel_flattening``), and the table matches pm4py's.

    Parameters
    ----------
    ocel : OcelLog
        From :func:`read_ocel`.
    object_type : str
        The object type whose objects become the cases.
    to : {'table', 'journeys'}
        ``'table'``: a dict of columns in pm4py's names — ``case:concept:name`` (the object
        id), ``concept:name`` (the activity), ``time:timestamp`` (and its ``@utc_offset``),
        ``ocel:eid``, every event attribute, ``case:ocel:type`` and ``case:<attribute>`` for
        every object attribute (the object's first value). Rows: events in log order, each
        followed by its objects in object-table order. ``'journeys'``:
        :meth:`Journeys.from_events` on that table.
    **journeys_options
        Passed to :meth:`Journeys.from_events` with ``to='journeys'``.

    Returns
    -------
    dict or Journeys

    Raises
    ------
    CxpathError
        ``ocel`` not an OcelLog, an object type that the log does not have.

    References
    ----------
    W. M. P. van der Aalst, "Object-Centric Process Mining: Dealing with Divergence and
    Convergence in Event Data", SEFM 2019, LNCS 11724, pp. 3-25.

    Examples
    --------
    >>> import json, pathlib, tempfile
    >>> from cxpath.io import flatten, read_ocel
    >>> log = {"objectTypes": [{"name": "order", "attributes": []},
    ...                        {"name": "item", "attributes": []}],
    ...        "eventTypes": [{"name": "place", "attributes": []},
    ...                       {"name": "pack", "attributes": []}],
    ...        "objects": [{"id": "o1", "type": "order"}, {"id": "i1", "type": "item"},
    ...                    {"id": "i2", "type": "item"}],
    ...        "events": [{"id": "e1", "type": "place", "time": "2024-01-01T09:00:00Z",
    ...                    "relationships": [{"objectId": "o1", "qualifier": ""},
    ...                                      {"objectId": "i1", "qualifier": ""},
    ...                                      {"objectId": "i2", "qualifier": ""}]},
    ...                   {"id": "e2", "type": "pack", "time": "2024-01-01T10:00:00Z",
    ...                    "relationships": [{"objectId": "i1", "qualifier": ""}]}]}
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "orders.jsonocel"
    >>> _ = path.write_text(json.dumps(log))
    >>> items = flatten(read_ocel(path), "item")
    >>> items["case:concept:name"].tolist(), items["concept:name"].tolist()
    (['i1', 'i2', 'i1'], ['place', 'place', 'pack'])
    >>> flatten(read_ocel(path), "item", to="journeys").n_cases
    2
    """
    func = "io.flatten"
    if not isinstance(ocel, OcelLog):
        v.fail("ocel", func, "an OcelLog (from io.read_ocel)", got=type(ocel).__name__)
    v.check_option(to, "to", func, ("table", "journeys"))
    types = sorted({t for t in ocel.objects["ocel:type"].tolist() if t is not None})
    if not isinstance(object_type, str) or object_type not in types:
        v.fail("object_type", func, "an object type of the log (one of "
               + ", ".join(repr(t) for t in types) + ")", object_type)
    if journeys_options and to != "journeys":
        v.fail("to", func, "'journeys' when Journeys.from_events options are given",
               got=f"'table' with options {sorted(journeys_options)}")
    ev_row = {e: i for i, e in enumerate(ocel.events["ocel:eid"].tolist())}
    obj_row = {o: i for i, o in enumerate(ocel.objects["ocel:oid"].tolist())}
    rel = ocel.relations
    pairs = set()
    for eid, oid, otype in zip(rel["ocel:eid"].tolist(), rel["ocel:oid"].tolist(),
                               rel["ocel:type"].tolist()):
        if otype == object_type and eid in ev_row:
            pairs.add((ev_row[eid], obj_row[oid]))
    pairs = np.array(sorted(pairs), dtype=np.int64).reshape(-1, 2)
    e_idx, o_idx = pairs[:, 0], pairs[:, 1]
    table = {"case:concept:name": ocel.objects["ocel:oid"][o_idx],
             "concept:name": ocel.events["ocel:activity"][e_idx]}
    for name, col in ocel.events.items():
        if name == "ocel:activity":
            continue
        out = "time:timestamp" + name[len("ocel:timestamp"):] \
            if name.startswith("ocel:timestamp") else name
        table[out] = col[e_idx]
    for name, col in ocel.objects.items():
        if name != "ocel:oid":
            table["case:" + name] = col[o_idx]
    if to == "table":
        return table
    auto = {"case": "case:concept:name", "touchpoint": "concept:name",
            "timestamp": "time:timestamp"}
    return to_journeys(table, auto, journeys_options)
