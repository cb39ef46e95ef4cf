"""Building :class:`~cxpath.journeys.Journeys` from event logs and aggregated paths."""

from __future__ import annotations

import numpy as np

from .. import _validate as v
from .._frames import column, column_zone
from .._warnings import warn
from .._zones import localize, parse_zone
from ..errors import CxpathError, CxpathWarning, DataError
from ._encode import (
    factorize,
    implausible_times,
    label_variants,
    naive_times,
    to_epoch_seconds,
)
from .attributes import case_attribute, encode_attribute
from .cleaning import CleaningReport

__all__ = ["from_events", "from_paths"]

_VALUE_AGGS = ("sum", "first", "last", "max", "mean")


def _no_rows(func: str, why: str = "", report=None):
    """Raise for an input without usable rows; ``report`` (what cleaning removed) rides along
    on the error as ``cleaning_report``."""
    err = DataError(f"The 'data' parameter of {func} must hold at least one usable row. "
                    f"Got {why or 'an empty input'} instead.")
    err.cleaning_report = report
    raise err


_FLAG_RULE = ("booleans or the numbers 0 and 1 (for other codings pass the rule itself, "
              "e.g. outcome=df['score'] >= 9 or outcome=df['status'] == 'won')")


def _flags(raw: np.ndarray, func: str):
    """Success flags from bool / 0-1 / object input -> (bool array, missing mask).

    Any other number (−1/1 codings, scores) is an error naming the values: read as
    "non-zero is success" it would silently count every case as successful.
    """
    kind = raw.dtype.kind
    if kind == "b":
        return raw, np.zeros(len(raw), dtype=bool)
    if kind in "iuf":
        missing = np.isnan(raw) if kind == "f" else np.zeros(len(raw), dtype=bool)
        present = raw[~missing]
        odd = (present != 0) & (present != 1)
        if odd.any():
            seen = np.unique(present)
            v.fail("outcome", func, _FLAG_RULE, data=True,
                   got=f"the values {v.show_list(seen.tolist())} "
                       f"({int(odd.sum()):,} rows neither 0 nor 1)")
        return np.where(missing, False, raw == 1), missing
    if kind == "O":
        missing = np.zeros(len(raw), dtype=bool)
        out = np.zeros(len(raw), dtype=bool)
        for i, x in enumerate(raw.tolist()):
            if x is None or (isinstance(x, float) and x != x):
                missing[i] = True
            elif isinstance(x, (bool, np.bool_)) or (
                    isinstance(x, (int, float, np.number)) and x in (0, 1)):
                out[i] = bool(x)
            else:
                v.fail("outcome", func, _FLAG_RULE, got=f"{x!r} at row {i}", data=True)
        return out, missing
    v.fail("outcome", func, "booleans or 0/1 numbers", got=f"an array of dtype {raw.dtype}",
           data=True)


def _aggregate(values: np.ndarray, starts: np.ndarray, how: str) -> np.ndarray:
    valid = ~np.isnan(values)
    if how == "sum":
        return np.add.reduceat(np.where(valid, values, 0.0), starts)
    if how == "max":
        return np.fmax.reduceat(values, starts)
    if how == "mean":
        total = np.add.reduceat(np.where(valid, values, 0.0), starts)
        count = np.add.reduceat(valid.astype(np.int64), starts)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(count > 0, total / np.maximum(count, 1), np.nan)
    n = len(values)
    pos = np.arange(n)
    if how == "first":
        idx = np.minimum.reduceat(np.where(valid, pos, n), starts)
        return np.where(idx < n, values[np.minimum(idx, n - 1)], np.nan)
    idx = np.maximum.reduceat(np.where(valid, pos, -1), starts)
    return np.where(idx >= 0, values[np.maximum(idx, 0)], np.nan)


def _arrange(cases: np.ndarray, n_cases: int, times: np.ndarray | None, codes: np.ndarray):
    """Sort rows by (case, time), stably.

    Returns ``(order, cases, times, codes, moved)`` with the three columns in the new order;
    ``order`` is ``None`` when the rows were in order already, and ``moved`` counts events
    that were out of time order within their case.
    """
    n = len(cases)
    if n < 2 or bool((cases[1:] >= cases[:-1]).all()):
        order = None
    else:
        from .._kernels.ordering import group_by_key

        floats = times if times is not None else np.zeros(n)
        order, floats, codes = group_by_key(cases, n_cases, floats, codes)
        times = None if times is None else floats
        cases = np.repeat(np.arange(n_cases), np.bincount(cases, minlength=n_cases))
    if times is None or n < 2 or not ((times[1:] < times[:-1]) & (cases[1:] == cases[:-1])).any():
        return order, cases, times, codes, 0
    from .._kernels.ordering import sort_within_groups

    within = sort_within_groups(_group_bounds(cases), times)
    order = within if order is None else order[within]
    return order, cases[within], times[within], codes[within], int(
        (within != np.arange(n)).sum())


def _group_bounds(cases: np.ndarray) -> np.ndarray:
    """Offsets of the runs of equal values in the grouped array ``cases``."""
    bounds = np.flatnonzero(cases[1:] != cases[:-1]) + 1
    return np.concatenate(([0], bounds, [len(cases)])).astype(np.int64)


def _duplicate_positions(keys: list, cases: np.ndarray, times: np.ndarray) -> np.ndarray:
    """Sorted positions repeating an earlier row: same case and time and same ``keys``."""
    tie = (cases[1:] == cases[:-1]) & (times[1:] == times[:-1])
    if not tie.any():
        return np.zeros(0, dtype=np.int64)
    in_tie = np.zeros(len(cases), dtype=bool)
    in_tie[1:] |= tie
    in_tie[:-1] |= tie
    idx = np.flatnonzero(in_tie)
    cols = [k[idx] for k in keys]
    order = np.lexsort((idx, *cols[::-1], times[idx], cases[idx]))
    same = np.ones(len(idx) - 1, dtype=bool)
    for col in (cases[idx], times[idx], *cols):
        s = col[order]
        same &= (s[1:] == s[:-1]) | ((s[1:] != s[1:]) & (s[:-1] != s[:-1]))  # NaN == NaN
    return np.sort(idx[order[1:][same]])


_LIFECYCLE_COMPLETE, _LIFECYCLE_START, _LIFECYCLE_OTHER = 0, 1, 2


def _lifecycle_roles(raw: np.ndarray, func: str) -> np.ndarray:
    """0 complete (also missing), 1 start, 2 any other transition; compared case-insensitively."""
    codes, uniques = factorize(raw, "lifecycle", func)
    table = np.array([_LIFECYCLE_OTHER] * len(uniques) + [_LIFECYCLE_COMPLETE], dtype=np.int64)
    for i, label in enumerate(uniques.tolist()):
        text = str(label).strip().lower()
        if text == "complete":
            table[i] = _LIFECYCLE_COMPLETE
        elif text == "start":
            table[i] = _LIFECYCLE_START
    return table[codes]


def _named_columns(data, spec, what: str, func: str) -> dict:
    """``event_attributes`` / ``case_attributes`` as ``{name: raw column}``."""
    if spec is None:
        return {}
    if isinstance(spec, str):
        spec = (spec,)
    if isinstance(spec, dict):
        items = list(spec.items())
    else:
        try:
            items = [(name, name) for name in spec]
        except TypeError:
            v.fail(what, func, "a sequence of column names or a dict of name -> column", spec)
    out = {}
    for name, col in items:
        if not isinstance(name, str) or not name:
            v.fail(what, func, "column names (non-empty strings)", name)
        out[name] = column(data, col, name, func)
    return out


def _fill_values(fill, names, func) -> dict:
    if fill is None:
        return {}
    if not isinstance(fill, dict):
        v.fail("fill", func, "a dict of column name -> value for missing entries", fill)
    unknown = sorted(set(fill) - set(names))
    if unknown:
        v.fail("fill", func, f"keys among the carried columns ({', '.join(sorted(names))})",
               got=f"unknown keys {unknown}")
    return fill


def _filled(values: np.ndarray, missing: np.ndarray, value) -> np.ndarray:
    out = values.astype(object)
    out[missing] = value
    return out


def _labels(values: np.ndarray, name: str, normalize: bool, func: str, variants: dict):
    """Codes and labels of a label column (touchpoint, channel): blank strings are missing,
    and spellings that differ only by white space or case are recorded in ``variants``
    and, with ``normalize``, merged into the most frequent one.

    Returns ``(codes, labels, respelled)``; ``respelled`` marks the rows whose spelling was
    merged into another (None when nothing was merged).
    """
    codes, uniques = factorize(values, name, func, blank_missing=True)
    present = codes >= 0
    lv = label_variants(uniques, np.bincount(codes[present], minlength=len(uniques)))
    respelled = None
    if lv.groups:
        variants[name] = lv.groups
        if normalize:
            respelled = present & lv.respelled[np.maximum(codes, 0)]
            codes = np.where(present, lv.codes[np.maximum(codes, 0)], -1)
            uniques = lv.uniques
        else:
            shown = "; ".join(" / ".join(map(repr, g)) for g in lv.groups[:5])
            warn(f"Journeys.from_events: {len(lv.groups)} {name} label(s) are "
                 f"written more than one way, differing only by white space or "
                 f"case ({shown}); pass normalize_labels=True to merge each into "
                 "its most frequent spelling.", CxpathWarning, stacklevel=4)
    return codes, tuple(str(x) for x in uniques.tolist()), respelled


def _warn_implausible(secs: np.ndarray, raw: np.ndarray, name: str) -> None:
    odd = implausible_times(secs)
    if odd.any():
        i = int(np.argmax(odd))
        warn(f"Journeys.from_events: {int(odd.sum())} of {len(secs)} '{name}' values "
             f"lie before 1970-01-01 or after 2100-01-01 (first at row {i}: "
             f"{raw[i]!r}); check the time unit (unit='s', 'ms', 'us' or 'ns') or "
             "the time_format.", CxpathWarning, stacklevel=4)


def _zone_of(tz, naive: bool, typed_zone) -> str | None:
    """The zone Journeys keep: the declared one, else the input's, else UTC (instants) or
    None (naive wall-clock times with no zone declared)."""
    if tz is not None:
        return tz
    if naive:
        return None
    if typed_zone is not None:
        try:
            return parse_zone(typed_zone, "tz", "Journeys.from_events")
        except CxpathError:
            return "UTC"  # a fixed offset such as '+01:00': the instants are still exact
    return "UTC"


def from_events(cls, data, *, case, touchpoint, timestamp, channel, outcome, value, success,
                start_timestamp, lifecycle, resource, event_attributes, case_attributes,
                fill, normalize_labels, unit, tz, strict, duplicates, value_agg, time_format,
                vocab):
    func = "Journeys.from_events"
    for name, spec in (("case", case), ("touchpoint", touchpoint)):
        if spec is None:
            v.fail(name, func, "a column name or the column's values", spec, wrong_type=True)
    if tz is not None:
        tz = parse_zone(tz, "tz", func)
    zone = tz
    strict = v.check_bool(strict, "strict", func)
    normalize_labels = v.check_bool(normalize_labels, "normalize_labels", func)
    v.check_option(duplicates, "duplicates", func, ("keep", "drop"))
    v.check_option(value_agg, "value_agg", func, _VALUE_AGGS)
    if outcome is not None and success is not None:
        v.fail("success", func, "None when 'outcome' is given (use one of them)", success)
    if time_format is not None and not isinstance(time_format, str):
        v.fail("time_format", func, "a strptime format string or None", time_format)
    if (start_timestamp is not None or lifecycle is not None) and timestamp is None:
        v.fail("timestamp", func, "given with 'start_timestamp' or 'lifecycle'", None)
    if start_timestamp is not None and lifecycle is not None:
        v.fail("lifecycle", func, "None when 'start_timestamp' is given (an interval log has "
               "one row per activity instance already)", lifecycle)

    raw = {name: column(data, spec, name, func) for name, spec in (
        ("case", case), ("touchpoint", touchpoint), ("timestamp", timestamp),
        ("channel", channel), ("outcome", outcome), ("value", value),
        ("start_timestamp", start_timestamp), ("lifecycle", lifecycle),
        ("resource", resource))}
    event_raw = _named_columns(data, event_attributes, "event_attributes", func)
    case_raw = _named_columns(data, case_attributes, "case_attributes", func)
    if raw["resource"] is not None:
        if "resource" in event_raw:
            v.fail("event_attributes", func, "free of the name 'resource' when 'resource' "
                   "is given", "resource")
        event_raw = {"resource": raw["resource"], **event_raw}
    clash = sorted(set(event_raw) & set(case_raw))
    if clash:
        v.fail("case_attributes", func, "names not also used by event attributes",
               got=f"{clash} in both")
    n = v.check_same_length(
        func, **raw, **{f"event_attributes[{k!r}]": x for k, x in event_raw.items()},
        **{f"case_attributes[{k!r}]": x for k, x in case_raw.items()})
    fill = _fill_values(fill, [*(["channel"] if channel is not None else []), *event_raw,
                               *case_raw], func)
    filled_rows = {}
    for name, value_ in fill.items():
        col = raw["channel"] if name == "channel" else {**event_raw, **case_raw}[name]
        if col.dtype.kind == "f" and isinstance(value_, (int, float)):
            missing = np.isnan(col)
            fixed = np.where(missing, float(value_), col)
        else:
            missing = factorize(col, name, func, blank_missing=True)[0] < 0
            fixed = _filled(col, missing, value_)
        if missing.any():
            filled_rows[name] = missing
            if name == "channel":
                raw["channel"] = fixed
            elif name in event_raw:
                event_raw[name] = fixed
            else:
                case_raw[name] = fixed
    if n == 0:
        _no_rows(func)

    bad: dict[str, np.ndarray] = {}
    variants: dict = {}
    respelled: dict = {}
    case_codes, case_uniques = factorize(raw["case"], "case", func, blank_missing=True)
    bad["missing_case"] = case_codes < 0
    if vocab is None:
        tp_codes, labels, respelled["touchpoint"] = _labels(
            raw["touchpoint"], "touchpoint", normalize_labels, func, variants)
    else:
        labels = _check_vocab(vocab, func)
        tp_codes = _coded(raw["touchpoint"], labels, func)
    bad["missing_touchpoint"] = tp_codes < 0
    secs = None
    if raw["timestamp"] is not None:
        secs, missing_t, unparseable, aware = to_epoch_seconds(
            raw["timestamp"], time_format, "timestamp", func, unit=unit)
        _warn_implausible(secs, raw["timestamp"], "timestamp")
        naive = naive_times(aware, ~missing_t & ~unparseable, column_zone(data, timestamp),
                       raw["timestamp"], "timestamp", func)
        zone = _zone_of(tz, naive, column_zone(data, timestamp))
        if naive and tz is not None:
            secs = localize(secs, zone)
        bad["missing_timestamp"] = missing_t
        bad["unparseable_timestamp"] = unparseable
    roles = None
    if raw["lifecycle"] is not None:
        roles = _lifecycle_roles(raw["lifecycle"], func)
        bad["lifecycle_other"] = roles == _LIFECYCLE_OTHER

    removed, drop = {}, np.zeros(n, dtype=bool)
    for reason, mask in bad.items():
        first_reason = mask & ~drop
        if first_reason.any():
            removed[reason] = np.flatnonzero(first_reason)
        drop |= mask
    rows = None if not drop.any() else np.flatnonzero(~drop)

    def kept(x):
        return x if (x is None or rows is None) else x[rows]

    order, c, t, tp, out_of_order = _arrange(kept(case_codes), len(case_uniques), kept(secs),
                                             kept(tp_codes))
    if order is None:
        source_rows = np.arange(n) if rows is None else rows
    else:
        source_rows = order if rows is None else rows[order]

    def arranged(x):
        return None if x is None else x[source_rows]

    ch_all = ch_labels = None
    if raw["channel"] is not None:
        ch_all, ch_labels, respelled["channel"] = _labels(raw["channel"], "channel",
                                                          normalize_labels, func, variants)
    flags_all = missing_o_all = val_all = None
    if raw["outcome"] is not None:
        flags_all, missing_o_all = _flags(raw["outcome"], func)
    if raw["value"] is not None:
        val_all = v.as_float_array(raw["value"], "value", func, allow_nan=True, min_size=0)
    start_all = None
    if raw["start_timestamp"] is not None:
        start_all, missing_s, bad_s, aware_s = to_epoch_seconds(
            raw["start_timestamp"], time_format, "start_timestamp", func, unit=unit)
        _warn_implausible(start_all, raw["start_timestamp"], "start_timestamp")
        naive_s = naive_times(aware_s, ~missing_s & ~bad_s, column_zone(data, start_timestamp),
                         raw["start_timestamp"], "start_timestamp", func)
        if naive_s != naive:
            v.fail("start_timestamp", func, "time-zone aware exactly when 'timestamp' is",
                   got=f"{'naive' if naive_s else 'aware'} start times with "
                       f"{'naive' if naive else 'aware'} completion times", data=True)
        if naive and tz is not None:
            start_all = localize(start_all, zone)

    dup = np.zeros(0, dtype=np.int64)
    if t is not None and len(c) > 1:
        keys = [x for x in (tp, *(arranged(y) for y in (ch_all, flags_all, val_all, roles,
                                                          start_all)))
                if x is not None]
        dup = _duplicate_positions(keys, c, t)
    dup_rows = np.sort(source_rows[dup])
    if duplicates == "drop" and len(dup):
        removed["duplicate"] = dup_rows
        keep = np.ones(len(c), dtype=bool)
        keep[dup] = False
        c, tp, t, source_rows = c[keep], tp[keep], t[keep], source_rows[keep]

    changed = {}
    starts_t = None
    paired = atomic = 0
    if roles is not None:
        c, tp, t, starts_t, source_rows, paired, atomic = _pair_instances(
            c, tp, t, roles[source_rows], source_rows, len(labels), removed, changed)
    elif start_all is not None:
        starts_t = start_all[source_rows]
        no_start = np.isnan(starts_t)
        late = starts_t > t
        for reason, mask in (("missing_start", no_start), ("start_after_complete", late)):
            if mask.any():
                changed[reason] = np.sort(source_rows[mask])
        starts_t = np.where(no_start | late, t, starts_t)
    if starts_t is not None and len(c) > 1:
        from .._kernels.ordering import sort_within_groups

        # rows are in (case, completion) order: a stable sort by start within each case
        # orders instances by (start, completion)
        by_start = sort_within_groups(_group_bounds(c), starts_t)
        if not np.array_equal(by_start, np.arange(len(c))):
            c, tp, t, starts_t, source_rows = (x[by_start] for x in
                                               (c, tp, t, starts_t, source_rows))

    for name, mask in respelled.items():
        if mask is not None and mask[source_rows].any():
            changed[f"respelled_{name}"] = np.sort(source_rows[mask[source_rows]])
    for name, missing in filled_rows.items():
        rows_filled = np.sort(source_rows[missing[source_rows]])
        if len(rows_filled):
            changed[f"filled_{name}"] = rows_filled
    ch_codes = arranged(ch_all)
    if ch_codes is not None and (ch_codes < 0).any():
        changed["missing_channel"] = np.sort(source_rows[ch_codes < 0])
    flags = arranged(flags_all)
    if flags is not None:
        missing_o = arranged(missing_o_all)
        if missing_o.any():
            changed["missing_outcome"] = np.sort(source_rows[missing_o])
    val = arranged(val_all)
    if val is not None and np.isnan(val).any():
        changed["missing_value"] = np.sort(source_rows[np.isnan(val)])

    # cases that lost every row vanish; the rest are renumbered densely
    present = np.zeros(len(case_uniques), dtype=bool)
    present[c] = True
    had_rows = np.zeros(len(case_uniques), dtype=bool)
    had_rows[case_codes[case_codes >= 0]] = True
    empty_cases = case_uniques[had_rows & ~present]
    counts = np.bincount(c, minlength=len(case_uniques))[present]
    offsets = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])

    report = CleaningReport(
        n_rows=n, n_events=len(c), n_cases=len(counts), removed=removed, changed=changed,
        empty_cases=empty_cases, duplicates_kept=dup_rows if duplicates == "keep" else
        np.zeros(0, dtype=np.int64), out_of_order=out_of_order, paired_starts=paired,
        atomic_events=atomic,
        label_variants=variants)
    if strict:
        report.raise_if_unclean(func)
    if len(c) == 0:
        _no_rows(func, f"no row left after cleaning ({report._summary()[0]})", report)

    starts = offsets[:-1]
    case_outcome = None
    if flags is not None:
        case_outcome = np.maximum.reduceat(flags, starts)
    elif success is not None:
        wanted = _success_codes(success, labels, func)
        case_outcome = np.isin(tp[offsets[1:] - 1], wanted)
        if not case_outcome.any():
            warn(
                "Journeys.from_events: no case ends with "
                f"{v.show_list(sorted(labels[k] for k in wanted))} "
                "('success' counts a case as successful only when one of these is its last "
                "event), so the success rate is 0. If success is recorded elsewhere in the "
                "case, pass an event- or case-level flag as 'outcome=' instead.",
                CxpathWarning, stacklevel=3)
    case_value = None if val is None else _aggregate(val, starts, value_agg)
    ev_attrs = {name: encode_attribute(col[source_rows], name, func)
                for name, col in event_raw.items()}
    cs_attrs = {name: case_attribute(encode_attribute(col[source_rows], name, func), starts,
                                     source_rows, name, func)
                for name, col in case_raw.items()}
    return cls(codes=tp, offsets=offsets, vocab=labels, case_ids=case_uniques[present],
               times=t, channels=ch_codes, channel_vocab=ch_labels, outcome=case_outcome,
               value=case_value, starts=starts_t, event_attributes=ev_attrs,
               case_attributes=cs_attrs, cleaning_report=report,
               tz=zone if t is not None else None)


def _pair_instances(c, tp, t, roles, source_rows, n_labels, removed, changed):
    """Pair lifecycle start and complete rows (already in (case, time) order) into instances.

    Returns the instance columns ``(cases, codes, completion, start, source_rows)`` with
    the complete row as each instance's source row, the number of paired starts and of
    atomic completions, and records unpaired rows.
    """
    from .._kernels.lifecycle import pair_lifecycle

    is_start = roles == _LIFECYCLE_START
    match = pair_lifecycle(c, tp, is_start.astype(np.int64), n_labels)
    open_starts = is_start & (match == -1)
    if open_starts.any():
        removed["unpaired_start"] = np.sort(source_rows[open_starts])
    complete = ~is_start
    # a touchpoint never started anywhere in the log is recorded as completions only
    # (atomic events, e.g. BPIC 2012's A_ and O_ states): zero service time by design
    started = np.bincount(tp[is_start], minlength=n_labels) > 0
    lone = complete & (match == -1)
    atomic = int((lone & ~started[tp]).sum())
    lone &= started[tp]
    if lone.any():
        changed["unpaired_complete"] = np.sort(source_rows[lone])
    start_t = np.where(match >= 0, t[np.maximum(match, 0)], t)[complete]
    return (c[complete], tp[complete], t[complete], start_t, source_rows[complete],
            int((match >= 0).sum()), atomic)


def _check_vocab(vocab, func):
    if isinstance(vocab, str) or v.ndim(vocab) != 1:
        v.fail("vocab", func, "a sequence of touchpoint labels", vocab,
               wrong_type=isinstance(vocab, str) or v.ndim(vocab) == 0)
    labels = tuple(str(x) for x in vocab)
    if len(set(labels)) != len(labels) or not labels:
        v.fail("vocab", func, "a non-empty sequence of distinct labels",
               got=f"{len(labels)} labels, {len(labels) - len(set(labels))} repeated")
    return labels


def _coded(values: np.ndarray, labels: tuple, func: str) -> np.ndarray:
    """Touchpoints against a fixed vocabulary: integer codes into it, or its labels.

    NaN (float input) and None are missing (-1); a label outside the vocabulary is an error.
    """
    n_labels = len(labels)
    if values.dtype.kind in "OUS":
        codes, uniques = factorize(values, "touchpoint", func, blank_missing=True)
        index = {label: i for i, label in enumerate(labels)}
        unknown = [u for u in uniques.tolist() if str(u) not in index]
        if unknown:
            v.fail("touchpoint", func, "labels from 'vocab' (or integer codes into it)",
                   got=f"unknown labels {sorted(map(str, unknown))[:5]}", data=True)
        mapping = np.array([index[str(u)] for u in uniques.tolist()] + [-1], dtype=np.int64)
        return mapping[codes]
    if values.dtype.kind == "f":
        missing = np.isnan(values)
        codes = v.as_int_array(np.where(missing, -1, values), "touchpoint", func, min_size=0)
        codes[missing] = -1
    else:
        codes = v.as_int_array(values, "touchpoint", func, min_size=0)
    outside = (codes >= n_labels) | (codes < -1)
    if outside.any():
        i = int(np.argmax(outside))
        v.fail("touchpoint", func, f"codes in [0, {n_labels - 1}] indexing 'vocab'",
               got=f"{codes[i]} at row {i}", data=True)
    return codes


def _success_codes(success, labels, func):
    if isinstance(success, str):
        success = {success}
    try:
        wanted = {str(s) for s in success}
    except TypeError:
        v.fail("success", func, "a set of touchpoint labels", success)
    unknown = sorted(wanted - set(labels))
    if unknown or not wanted:
        shown = ", ".join(repr(x) for x in labels[:12])
        v.fail("success", func, f"touchpoints that occur in the data (e.g. {shown})",
               got=f"unknown labels {v.show_list(unknown)}" if unknown else "an empty set")
    index = {label: i for i, label in enumerate(labels)}
    return np.array([index[s] for s in sorted(wanted)], dtype=np.int64)


def from_paths(cls, paths, conversions, nulls, value, *, sep, strict):
    func = "Journeys.from_paths"
    strict = v.check_bool(strict, "strict", func)
    if not isinstance(sep, str) or not sep:
        v.fail("sep", func, "a non-empty string", sep)
    if isinstance(paths, str) or paths is None or v.ndim(paths) == 0:
        v.fail("paths", func, "a sequence of path strings",
               got="a single string" if isinstance(paths, str) else None, value=paths,
               wrong_type=True)
    if isinstance(paths, (list, tuple)):  # keep each element's own type for the checks
        paths = np.array([*paths, None], dtype=object)[:-1]
    paths = column(None, paths, "paths", func)
    n = len(paths)
    if n == 0:
        _no_rows(func)
    conv = None if conversions is None else v.as_int_array(conversions, "conversions", func,
                                                            low=0, min_size=0)
    null = None if nulls is None else v.as_int_array(nulls, "nulls", func, low=0, min_size=0)
    val = None if value is None else v.as_float_array(value, "value", func, min_size=0)
    v.check_same_length(func, paths=paths, conversions=conv, nulls=null, value=val)

    table: dict[str, int] = {}
    row_codes: list[int] = []
    row_len = np.empty(n, dtype=np.int64)
    for i, path in enumerate(paths.tolist()):
        if not isinstance(path, str):
            v.fail("paths", func, "strings", got=f"{path!r} at row {i}", data=True)
        parts = [p.strip() for p in path.split(sep)]
        if not all(parts):
            v.fail("paths", func, f"touchpoints separated by {sep!r} with no empty label",
                   got=f"{path!r} at row {i}", data=True)
        row_codes.extend(table.setdefault(p, len(table)) for p in parts)
        row_len[i] = len(parts)
    labels = sorted(table)
    rank = np.empty(len(labels), dtype=np.int64)
    rank[[table[x] for x in labels]] = np.arange(len(labels))
    flat = rank[np.asarray(row_codes, dtype=np.int64)]
    row_start = np.concatenate(([0], np.cumsum(row_len)))[:-1]

    removed = {}
    if conv is None and null is None:
        case_rows = np.arange(n)
        weight = outcome = None
        case_value = val
    else:
        conv = np.zeros(n, dtype=np.int64) if conv is None else conv
        null = np.zeros(n, dtype=np.int64) if null is None else null
        counts = np.stack([conv, null], axis=1).ravel()  # row0 conv, row0 null, row1 conv …
        keep = counts > 0
        case_rows = np.repeat(np.arange(n), 2)[keep]
        outcome = np.tile([True, False], n)[keep]
        weight = counts[keep]
        zero = np.flatnonzero((conv == 0) & (null == 0))
        if len(zero):
            removed["zero_count"] = zero
        case_value = None
        if val is not None:
            case_value = np.where(outcome, val[case_rows], 0.0)
    lengths = row_len[case_rows]
    offsets = np.zeros(len(case_rows) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    within = np.arange(offsets[-1]) - np.repeat(offsets[:-1], lengths)
    codes = flat[np.repeat(row_start[case_rows], lengths) + within]
    report = CleaningReport(n_rows=n, n_events=len(codes), n_cases=len(case_rows),
                            removed=removed)
    if strict:
        report.raise_if_unclean(func)
    if len(case_rows) == 0:
        _no_rows(func, "only rows with zero counts")
    return cls(codes=codes, offsets=offsets, vocab=labels, case_ids=case_rows,
               outcome=outcome, value=case_value, weight=weight, cleaning_report=report)
