"""Streaming XES parsing into columns (pure Python, standard library only).

Two tokenisers feed one column builder (:class:`_Columns`):

* a **fast scanner** for the regular layout that XES writers produce (every attribute a
  self-closing ``<kind key="…" value="…"/>`` tag, ``<trace>``/``<event>`` tags without
  attributes). It splits each block of text on the ``"`` character and classifies the few
  distinct pieces between quoted strings with a regular expression, so the per-attribute work
  is done by C code (``str.split``, dictionary look-ups through ``map``, numpy). Anything it
  does not recognise (comments or CDATA between traces, nested or list attributes, single
  quotes, another encoding, characters XML forbids) makes it give up, and the file is read
  again by
* the **expat** reader (:mod:`xml.parsers.expat`), a complete XML parser, which is the
  reference: the tests check that both give identical tables on every file the scanner
  accepts.

Both read the file in blocks and keep only the converted columns, so memory grows with the
number of events, not with the size of the XML text.
"""

from __future__ import annotations

import gzip
import re
import xml.parsers.expat as expat
import zlib
from html import unescape

import numpy as np

from ._timestamps import NAT, NO_OFFSET, parse_iso

__all__ = ["KINDS", "parse_xes"]

KINDS = ("string", "date", "int", "float", "boolean", "id")
_KIND_CODE = {k: i for i, k in enumerate(KINDS)}
STRING, DATE, INT, FLOAT, BOOLEAN, ID = range(6)
_CONTAINERS = ("list", "container")
_BLOCK = 1 << 23  # bytes of XML text per block


class XesSyntaxError(Exception):
    """The XML is malformed; ``args[0]`` is the parser's message with line and column."""


class _GiveUp(Exception):
    """The fast scanner met a layout it does not handle; the expat reader takes over."""


class _Stop(Exception):
    pass


def _open(path):
    with open(path, "rb") as probe:
        magic = probe.read(2)
    return gzip.open(path, "rb") if magic == b"\x1f\x8b" else open(path, "rb")


# --- column building ------------------------------------------------------------------------

class _Columns:
    """Attribute values of one scope (events or traces), gathered block by block.

    ``add(key, kind, owners, texts)`` receives the raw texts of one key and kind for a block:
    they are converted at once (strings interned per key, numbers and dates parsed with
    vectorised numpy) and only the converted arrays are kept.
    """

    def __init__(self):
        self.parts: dict[str, list] = {}   # key -> [(kind, owners, values, extra), ...]
        self.bad: dict[str, int] = {}
        self.intern: dict[str, dict] = {}
        self.first: dict[str, int] = {}

    def add(self, key: str, kind: int, owners: np.ndarray, texts: list, first: int = 0):
        """``first``: document position of the first value (orders the columns)."""
        if first < self.first.get(key, first + 1):
            self.first[key] = first
        extra = None
        if kind in (STRING, ID):
            cache = self.intern.setdefault(key, {})
            if cache is not None:  # share one str object per distinct value (memory)
                canon = dict(zip(texts, texts))
                if len(canon) > 65536 or len(canon) > len(texts) // 2 + 16:
                    self.intern[key] = None  # high cardinality: not worth it
                else:
                    canon.update((t, cache[t]) for t in canon.keys() & cache.keys())
                    cache.update(canon)
                    texts = list(map(canon.__getitem__, texts))
            values = np.array(texts, dtype=object)
            missing = np.array([t is None for t in texts], dtype=bool) if None in texts \
                else None
        elif kind == DATE:
            values, extra, bad = parse_iso(texts)
            missing = values == NAT
            self._count_bad(key, int(bad.sum()))
        elif kind in (INT, FLOAT):
            values, missing = _numbers(texts, int if kind == INT else float)
            self._count_bad(key, int((missing & np.array([t is not None for t in texts],
                                                          dtype=bool)).sum()))
        else:
            values, missing = _booleans(texts)
            self._count_bad(key, int((missing & np.array([t is not None for t in texts],
                                                          dtype=bool)).sum()))
        self.parts.setdefault(key, []).append((kind, owners, values, extra, missing))

    def _count_bad(self, key, n):
        if n:
            self.bad[key] = self.bad.get(key, 0) + n

    def build(self, n_rows: int, prefix: str = "") -> tuple[dict, dict]:
        """Full-length columns (one value per owner row), named ``prefix + key``; a date
        column also gets ``<name>@utc_offset``. Returns (columns, kinds of each column)."""
        out, kinds = {}, {}
        for key in sorted(self.parts, key=self.first.__getitem__):
            parts = self.parts[key]
            name = prefix + key
            owners = np.concatenate([p[1] for p in parts])
            part_kinds = {p[0] for p in parts}
            # a repeated key within one element: the last value wins (like a dict)
            last = np.ones(len(owners), dtype=bool)
            if len(owners) > 1:
                if (owners[1:] >= owners[:-1]).all():  # document order (one kind)
                    last[:-1] = owners[1:] != owners[:-1]
                else:
                    order = np.argsort(owners, kind="stable")
                    so = owners[order]
                    last[order[:-1]] = so[1:] != so[:-1]
            if len(part_kinds) == 1:
                kind = part_kinds.pop()
                values = _cat([p[2] for p in parts])[last]
                missing = _cat_missing(parts)[last]
                rows = owners[last]
                out[name], kinds[name] = _full(kind, values, missing, rows, n_rows), KINDS[kind]
                if kind == DATE:
                    offsets = np.full(n_rows, NO_OFFSET, dtype=np.int16)
                    offsets[rows] = _cat([p[3] for p in parts])[last]
                    out[name + "@utc_offset"] = offsets
                    kinds[name + "@utc_offset"] = "utc_offset"
            elif part_kinds <= {INT, FLOAT}:
                values = np.concatenate([p[2].astype(np.float64) for p in parts])[last]
                missing = _cat_missing(parts)[last]
                out[name] = _full(FLOAT, values, missing, owners[last], n_rows)
                kinds[name] = "float"
            else:
                col = np.full(n_rows, None, dtype=object)
                for kind, own, values, _extra, missing in parts:
                    keep = last[:len(own)]
                    last = last[len(own):]
                    py = _python_values(kind, values, missing)
                    col[own[keep]] = py[keep]
                out[name], kinds[name] = col, "mixed"
        return out, kinds


def _cat(arrays):
    return arrays[0] if len(arrays) == 1 else np.concatenate(arrays)


def _cat_missing(parts):
    return _cat([np.zeros(len(p[1]), dtype=bool) if p[4] is None else p[4] for p in parts])


def _full(kind, values, missing, rows, n):
    """Scatter ``values`` into a column of length ``n`` with the kind's missing value."""
    complete = len(rows) == n and not missing.any()
    if kind in (STRING, ID):
        col = np.full(n, None, dtype=object)
        col[rows] = values
        return col
    if kind == DATE:
        col = np.full(n, NAT, dtype=np.int64)
        col[rows] = values
        return col.view("datetime64[us]")
    if kind == INT:
        if complete:
            col = np.empty(n, dtype=np.int64)
            col[rows] = values
            return col
        col = np.full(n, np.nan)
        col[rows[~missing]] = values[~missing]
        return col
    if kind == FLOAT:
        col = np.full(n, np.nan)
        col[rows] = np.where(missing, np.nan, values)
        return col
    if complete:  # boolean
        col = np.empty(n, dtype=bool)
        col[rows] = values
        return col
    col = np.full(n, None, dtype=object)
    keep = rows[~missing]
    col[keep] = values[~missing].astype(object)
    return col


def _python_values(kind, values, missing):
    if kind in (STRING, ID):
        return values
    if kind == DATE:
        out = values.view("datetime64[us]").astype(object)
        out = np.array([np.datetime64(x, "us") if x is not None else None for x in out],
                       dtype=object)
    elif kind == INT:
        out = np.array([int(x) for x in values.tolist()], dtype=object)
    elif kind == FLOAT:
        out = np.array(values.tolist(), dtype=object)
    else:
        out = np.array(values.tolist(), dtype=object)
    if missing is not None and missing.any():
        out[missing] = None
    return out


def _numbers(texts, conv):
    """Python ``int``/``float`` of each text (as pm4py does); unparseable -> missing."""
    try:
        if None in texts:
            raise ValueError
        values = list(map(conv, texts))
        missing = np.zeros(len(texts), dtype=bool)
    except (ValueError, TypeError, OverflowError):
        values, missing = [], np.zeros(len(texts), dtype=bool)
        for i, t in enumerate(texts):
            try:
                values.append(conv(t))
            except (ValueError, TypeError, OverflowError):
                values.append(0)
                missing[i] = True
    if conv is int:
        try:
            return np.array(values, dtype=np.int64), missing
        except OverflowError:  # beyond int64: keep as float
            return np.array(values, dtype=np.float64), missing
    return np.array(values, dtype=np.float64), missing


_TRUE = frozenset(("true", "1"))
_FALSE = frozenset(("false", "0"))


def _booleans(texts):
    """xs:boolean: 'true'/'1' and 'false'/'0' (any case, surrounding blanks allowed)."""
    values = np.zeros(len(texts), dtype=bool)
    missing = np.zeros(len(texts), dtype=bool)
    for i, t in enumerate(texts):
        s = t.strip().lower() if isinstance(t, str) else None
        if s in _TRUE:
            values[i] = True
        elif s not in _FALSE:
            missing[i] = True
    return values, missing


# --- shared state of one read ------------------------------------------------------------------

class _Log:
    """What a read collects: event and trace columns, event -> trace, log-level metadata."""

    def __init__(self):
        self.events = _Columns()
        self.traces = _Columns()
        self.event_trace: list[np.ndarray] = []
        self.n_events = 0
        self.n_traces = 0
        self.meta = {"attributes": {}, "extensions": [], "classifiers": {},
                     "globals": {"trace": {}, "event": {}}, "nested": set(), "version": None}


# --- expat reader (reference) ------------------------------------------------------------------

def _local(name: str) -> str:
    return name.rsplit(":", 1)[-1] if ":" in name else name


class _ExpatReader:
    """Complete XML parser; collects raw texts per (scope, key, kind) and flushes them to the
    column builder every few thousand events."""

    FLUSH = 20000

    def __init__(self, log: _Log):
        self.log = log
        self.stack: list[str] = []       # local names of the open elements
        self.event_open = False
        self.trace_open = False
        self.attr_depth = 0               # > 0 inside an attribute element (nested values)
        self.global_scope = None
        self.ev_buf: dict = {}
        self.tr_buf: dict = {}
        self.ev_trace: list[int] = []
        self.pending_events = 0
        self.position = 0

    def start(self, name, attrs):
        local = _local(name)
        self.stack.append(local)
        log = self.log
        if self.attr_depth:
            self.attr_depth += 1
            return
        if local in _KIND_CODE or local in _CONTAINERS:
            parent = self.stack[-2] if len(self.stack) > 1 else None
            key = attrs.get("key")
            self.attr_depth = 1
            self._nested_scope = None
            if parent == "event" and self.event_open:
                scope = "event"
            elif parent == "trace" and self.trace_open:
                scope = "trace"
            elif parent == "log":
                scope = "log"
            elif parent == "global" and self.global_scope in ("trace", "event"):
                scope = "global"
            else:
                return
            if key is None:
                raise XesSyntaxError(f"<{name}> attribute without a 'key' in the {scope} "
                                     "scope")
            if local in _CONTAINERS:
                log.meta["nested"].add((scope, key))
                return
            value = attrs.get("value")
            self.position += 1
            if scope == "event":
                rows, texts, _ = self.ev_buf.setdefault((key, _KIND_CODE[local]),
                                                        ([], [], self.position))
                rows.append(log.n_events)
                texts.append(value)
            elif scope == "trace":
                rows, texts, _ = self.tr_buf.setdefault((key, _KIND_CODE[local]),
                                                        ([], [], self.position))
                rows.append(log.n_traces)
                texts.append(value)
            elif scope == "log":
                log.meta["attributes"][key] = _meta_value(_KIND_CODE[local], value)
            else:
                log.meta["globals"][self.global_scope][key] = (local, value)
            self._nested_scope = (scope, key)
            return
        if local == "event":
            if self.event_open:
                raise XesSyntaxError("<event> inside another <event>")
            if not self.trace_open:
                return  # events outside traces are not part of any case (ignored, as pm4py)
            self.event_open = True
        elif local == "trace":
            if self.trace_open:
                raise XesSyntaxError("<trace> inside another <trace>")
            self.trace_open = True
            self.trace_events = 0
        elif local == "global":
            self.global_scope = attrs.get("scope", "event")
        elif local == "extension":
            log.meta["extensions"].append({k: attrs.get(k) for k in ("name", "prefix", "uri")})
        elif local == "classifier":
            keys = attrs.get("keys", "")
            log.meta["classifiers"][attrs.get("name")] = (
                [x for x in keys.split("'") if x.strip()] if "'" in keys else keys.split())
        elif local == "log" and log.meta["version"] is None:
            log.meta["version"] = attrs.get("xes.version")

    def end(self, name):
        local = self.stack.pop()
        log = self.log
        if self.attr_depth:
            self.attr_depth -= 1
            if self.attr_depth == 1 and self._nested_scope is not None:
                log.meta["nested"].add(self._nested_scope)  # a child element just closed
            return
        if local == "event" and self.event_open:
            self.event_open = False
            self.ev_trace.append(log.n_traces)
            log.n_events += 1
            self.pending_events += 1
        elif local == "trace" and self.trace_open:
            self.trace_open = False
            log.n_traces += 1
            if self.pending_events >= self.FLUSH:
                self.flush()
        elif local == "global":
            self.global_scope = None

    def flush(self):
        log = self.log
        for (key, kind), (rows, texts, first) in self.ev_buf.items():
            log.events.add(key, kind, np.array(rows, dtype=np.int64), texts, first)
        for (key, kind), (rows, texts, first) in self.tr_buf.items():
            log.traces.add(key, kind, np.array(rows, dtype=np.int64), texts, first)
        log.event_trace.append(np.array(self.ev_trace, dtype=np.int64))
        self.ev_buf, self.tr_buf, self.ev_trace = {}, {}, []
        self.pending_events = 0


def _meta_value(kind, text):
    if text is None:
        return None
    if kind == DATE:
        us, _off, bad = parse_iso([text])
        return None if bad[0] else us.view("datetime64[us]")[0]
    if kind in (INT, FLOAT):
        values, missing = _numbers([text], int if kind == INT else float)
        return None if missing[0] else values[0].item()
    if kind == BOOLEAN:
        values, missing = _booleans([text])
        return None if missing[0] else bool(values[0])
    return text


def _expat_parser(handler):
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.ordered_attributes = False
    parser.StartElementHandler = handler.start
    parser.EndElementHandler = handler.end
    return parser


def _read_expat(path) -> _Log:
    log = _Log()
    reader = _ExpatReader(log)
    parser = _expat_parser(reader)
    with _open(path) as f:
        try:
            while True:
                block = f.read(_BLOCK)
                parser.Parse(block, not block)
                if not block:
                    break
        except expat.ExpatError as exc:
            raise XesSyntaxError(f"{expat.errors.messages[exc.code]} at line {exc.lineno}, "
                                 f"column {exc.offset + 1}") from None
    reader.flush()
    return log


# --- fast scanner ------------------------------------------------------------------------------

_STRUCT = {"<trace>": 0, "</trace>": 1, "<event>": 2, "</event>": 3}
_BEFORE = np.array([0, 1, 1, 2])  # depth required before each structural tag
_AFTER = np.array([1, 0, 2, 1])   # depth after it
_NAME = r"[A-Za-z_][\w.\-]*"
_SAME_TAG = re.compile(rf"\s+({_NAME})\s*=\s*")
_NEW_TAG = re.compile(
    rf"(\s*/>)?((?:\s*</?(?:trace|event)\s*>)*)\s*(?:<({'|'.join(KINDS)})\s+({_NAME})\s*=\s*)?")
_STRUCT_TAG = re.compile(r"</?(?:trace|event)")
_FORBIDDEN = bytes(0 if (b < 32 and b not in (9, 10, 13)) else b for b in range(256))
_ENTITY = re.compile(r"&(?:#[0-9]+|#x[0-9A-Fa-f]+|lt|gt|amp|quot|apos);")


class _Gaps:
    """Classification of the distinct texts found between quoted strings."""

    def __init__(self):
        self.index: dict[str, int] = {}
        self.same: list[bool] = []     # '  name=' inside the same tag
        self.close: list[bool] = []    # starts with '/>'
        self.kind: list[int] = []      # kind of the attribute tag it opens, -1 none
        self.name: list[int] = []      # 0 key, 1 value, -1 none
        self.tokens: list[tuple] = []  # structural tags in it

    def code(self, gap: str) -> int:
        code = self.index.get(gap)
        if code is None:
            code = self.index[gap] = self._classify(gap)
        return code

    def _classify(self, gap: str) -> int:
        m = _SAME_TAG.fullmatch(gap)
        if m:
            same, close, kind, name, tokens = True, False, -1, m.group(1), ()
        else:
            m = _NEW_TAG.fullmatch(gap)
            if m is None:
                raise _GiveUp(f"unrecognised text {gap[:40]!r}")
            same, close = False, m.group(1) is not None
            kind = -1 if m.group(3) is None else _KIND_CODE[m.group(3)]
            name = m.group(4)
            tokens = tuple(_STRUCT[t.replace(" ", "").replace("\t", "").replace("\n", "")
                                   .replace("\r", "") + ">"]
                           for t in _STRUCT_TAG.findall(m.group(2)))
        if name is not None and name not in ("key", "value"):
            raise _GiveUp(f"attribute {name!r}")
        self.same.append(same)
        self.close.append(close)
        self.kind.append(kind)
        self.name.append(-1 if name is None else (0 if name == "key" else 1))
        self.tokens.append(tokens)
        return len(self.same) - 1

    def tables(self):
        n = len(self.same)
        width = max([len(t) for t in self.tokens] + [1])
        tok = np.full((n, width), -1, dtype=np.int64)
        for i, t in enumerate(self.tokens):
            tok[i, :len(t)] = t
        return (np.array(self.same), np.array(self.close), np.array(self.kind),
                np.array(self.name), tok, np.array([len(t) for t in self.tokens]))


def _fix_text(s: str) -> str:
    """XML attribute-value normalisation and entity/character references."""
    if "\r" in s:
        s = s.replace("\r\n", "\n").replace("\r", "\n")
    if "\n" in s or "\t" in s:
        s = s.replace("\n", " ").replace("\t", " ")
    if "&" in s:
        if "&" in _ENTITY.sub("", s):
            raise _GiveUp("a bare '&'")  # expat reports it as malformed
        s = unescape(s)
    return s


def _needs_fix(texts) -> bool:
    joined = "".join(texts)
    return "&" in joined or "\n" in joined or "\t" in joined or "\r" in joined or \
        "<" in joined


def _check_chars(chunk: bytes):
    """Give up on characters XML 1.0 forbids (expat reports them as malformed): C0 controls
    other than tab, newline and carriage return; U+FFFE and U+FFFF."""
    if b"\x00" in chunk.translate(_FORBIDDEN) or b"\xef\xbf\xbe" in chunk or \
            b"\xef\xbf\xbf" in chunk:
        raise _GiveUp("a character XML forbids")


class _FastReader:
    def __init__(self, log: _Log):
        self.log = log
        self.gaps = _Gaps()
        self.key_index: dict[str, int] = {}
        self.position = 0

    def block(self, text: str):
        """Scan one block of whole traces: it starts at depth 0 (before a <trace>) and ends
        with '</trace>'."""
        parts = text.split('"')
        if len(parts) % 2 == 0:
            raise _GiveUp("an odd number of quotes")
        gaps = parts[0::2]
        quoted = parts[1::2]
        index = self.gaps.index
        try:
            codes = np.fromiter(map(index.__getitem__, gaps), dtype=np.int64, count=len(gaps))
        except KeyError:
            for gap in set(gaps).difference(index):
                self.gaps.code(gap)
            codes = np.fromiter(map(index.__getitem__, gaps), dtype=np.int64, count=len(gaps))
        same, close, kind, name, tok_table, tok_len = self.gaps.tables()
        k = len(quoted)
        if k % 2:
            raise _GiveUp("a tag with one attribute")
        # gap 2t opens tag t (closing tag t-1 first, except for t=0); gap 2t+1 is between
        # its two attributes; the last gap closes the last tag.
        opens, between = codes[0:k:2], codes[1:k:2]
        if not (same[between].all() and not same[opens].any() and (kind[opens] >= 0).all()):
            raise _GiveUp("a tag that is not <kind key=... value=.../>")
        if k and (close[opens[0]] or not close[opens[1:]].all()):
            raise _GiveUp("an attribute tag with children")
        final = codes[-1]
        if same[final] or kind[final] >= 0 or (k and not close[final]) or \
                (not k and close[final]):
            raise _GiveUp("an unclosed tag")
        first_name, second_name = name[opens], name[between]
        if not ((first_name + second_name) == 1).all():
            raise _GiveUp("a tag without both key and value")
        # structural tags in document order
        lens = tok_len[codes]
        tokens = tok_table[codes][np.arange(tok_table.shape[1])[None, :] < lens[:, None]]
        if len(tokens) == 0 or _BEFORE[tokens[0]] != 0 or _AFTER[tokens[-1]] != 0 or \
                (_BEFORE[tokens[1:]] != _AFTER[tokens[:-1]]).any():
            raise _GiveUp("unbalanced <trace>/<event> tags")
        log = self.log
        is_trace_open = tokens == 0
        trace_at = np.cumsum(is_trace_open) - 1 + log.n_traces
        ev_open = tokens == 2
        event_trace = trace_at[ev_open]
        event_at = np.cumsum(ev_open) - 1 + log.n_events
        # depth and owner at each attribute tag: after the last structural tag before it
        last_tok = np.cumsum(lens)[0:k:2] - 1
        if k and (last_tok < 0).any():
            raise _GiveUp("an attribute outside a trace")
        depth = _AFTER[tokens[last_tok]] if k else np.zeros(0, dtype=np.int64)
        if (depth == 0).any():
            raise _GiveUp("a log attribute between traces")
        key_first = first_name == 0
        if key_first.all():
            keys, values = quoted[0::2], quoted[1::2]
        else:
            q = np.array(quoted, dtype=object)
            keys = np.where(key_first, q[0::2], q[1::2]).tolist()
            values = np.where(key_first, q[1::2], q[0::2]).tolist()
        if _needs_fix(values):
            if "<" in "".join(values):
                raise _GiveUp("'<' in a value")
            values = [_fix_text(v) for v in values]
        key_index = self.key_index
        try:
            key_codes = np.fromiter(map(key_index.__getitem__, keys), dtype=np.int64,
                                    count=len(keys))
        except KeyError:
            for key in dict.fromkeys(keys):  # first-appearance order: the column order
                if key in key_index:
                    continue
                if _needs_fix((key,)):
                    key_index[key] = key_index.setdefault(_fix_text(key), len(key_index))
                else:
                    key_index[key] = len(key_index)
            key_codes = np.fromiter(map(key_index.__getitem__, keys), dtype=np.int64,
                                    count=len(keys))
        if len(key_index) > 4000:
            raise _GiveUp("too many distinct keys for the scanner")
        in_event = depth == 2
        owner = np.where(in_event, event_at[last_tok] if k else 0, trace_at[last_tok])
        # one stable sort groups the tags by (scope, key, kind), document order within each
        group = ((in_event * len(key_index) + key_codes) * len(KINDS) + kind[opens]).astype(
            np.int16 if 2 * len(key_index) * len(KINDS) < 32000 else np.int64)
        order = np.argsort(group, kind="stable")
        sorted_group = group[order]
        starts = np.flatnonzero(np.r_[True, sorted_group[1:] != sorted_group[:-1]])
        ends = np.r_[starts[1:], len(order)]
        vals = np.array(values, dtype=object)[order]
        own = owner[order]
        names = self.key_names()
        per_scope = len(key_index) * len(KINDS)
        for s, e in zip(starts.tolist(), ends.tolist()):
            g = int(sorted_group[s])
            columns = log.events if g >= per_scope else log.traces
            g %= per_scope
            columns.add(names[g // len(KINDS)], g % len(KINDS), own[s:e], vals[s:e].tolist(),
                        self.position + int(order[s]))
        log.event_trace.append(event_trace)
        log.n_events += int(ev_open.sum())
        log.n_traces += int(is_trace_open.sum())
        self.position += len(order)

    def key_names(self) -> list:
        """Key text of each key code (escaped spellings map to the unescaped key)."""
        names = [None] * len(self.key_index)
        for key, code in self.key_index.items():
            if names[code] is None or "&" not in key:
                names[code] = key if not _needs_fix((key,)) else _fix_text(key)
        return names


class _HeaderReader(_ExpatReader):
    """Reads the log header with expat and stops at the first <trace> start tag."""

    def start(self, name, attrs):
        if _local(name) == "trace" and len(self.stack) == 1:
            self.first_trace = name
            self.trace_pos = self.parser.CurrentByteIndex
            raise _Stop
        super().start(name, attrs)


def _read_fast(path) -> _Log:
    log = _Log()
    header = _HeaderReader(log)
    header.first_trace = None
    parser = header.parser = _expat_parser(header)
    blocks = []
    with _open(path) as f:
        try:
            while True:
                block = f.read(1 << 20)
                blocks.append(block)
                parser.Parse(block, not block)
                if not block:
                    break
        except _Stop:
            pass
        except expat.ExpatError as exc:
            raise XesSyntaxError(f"{expat.errors.messages[exc.code]} at line {exc.lineno}, "
                                 f"column {exc.offset + 1}") from None
        if header.first_trace != "trace":
            raise _GiveUp("no <trace> found or prefixed tags")
        root = header.stack[0] if header.stack else None
        start = header.trace_pos
        buffer = b"".join(blocks)
        declared = re.match(rb"\s*<\?xml[^>]*encoding\s*=\s*['\"]([^'\"]+)",
                            buffer[:200].lstrip(b"\xef\xbb\xbf"))
        if declared and declared.group(1).lower() not in (b"utf-8", b"utf8", b"us-ascii",
                                                         b"ascii"):
            raise _GiveUp("not UTF-8")
        pending = buffer[start:]
        fast = _FastReader(log)
        while True:
            block = f.read(_BLOCK)
            pending += block
            cut = pending.rfind(b"</trace>")
            if cut >= 0:
                cut += len(b"</trace>")
                chunk, pending = pending[:cut], pending[cut:]
                _check_chars(chunk)
                try:
                    text = chunk.decode("utf-8")
                except UnicodeDecodeError:
                    raise _GiveUp("not valid UTF-8") from None
                fast.block(text)
            if not block:
                break
    # the rest after the last </trace> must close the log (comments and blanks allowed)
    tail = _ExpatReader(log)
    n_traces = log.n_traces
    tail_parser = _expat_parser(tail)
    try:
        tail_parser.Parse(f"<{root}>".encode() + pending, True)
    except expat.ExpatError as exc:
        raise _GiveUp(f"tail: {exc}") from None
    if tail.ev_trace or tail.tr_buf or tail.ev_buf or log.n_traces != n_traces:
        raise _GiveUp("events after the traces")
    return log


def parse_xes(path, *, fast: bool = True) -> _Log:
    """Read an XES file (plain or gzip) into a :class:`_Log`; ``fast=False`` forces expat."""
    try:
        if fast:
            try:
                return _read_fast(path)
            except _GiveUp:
                pass
        return _read_expat(path)
    except (OSError, EOFError, zlib.error) as exc:
        raise XesSyntaxError(f"the file cannot be read ({exc})") from None
