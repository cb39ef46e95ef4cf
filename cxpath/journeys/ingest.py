"""Building :class:`~cxpath.journeys.Journeys` from event logs and aggregated paths."""

from __future__ import annotations

import numpy as np

from .. import _validate as v
from .._frames import column
from ..errors import DataError
from ._encode import factorize, to_epoch_seconds
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


def _flags(raw: np.ndarray, func: str):
    """Success flags from bool / 0-1 / object input -> (bool array, missing mask)."""
    kind = raw.dtype.kind
    if kind == "b":
        return raw, np.zeros(len(raw), dtype=bool)
    if kind in "iuf":
        missing = np.isnan(raw) if kind == "f" else np.zeros(len(raw), dtype=bool)
        return np.where(missing, False, raw != 0), missing
    if kind == "O":
        missing = np.zeros(len(raw), dtype=bool)
        out = np.zeros(len(raw), dtype=bool)
        for i, x in enumerate(raw.tolist()):
            if x is None or (isinstance(x, float) and x != x):
                missing[i] = True
            elif isinstance(x, (bool, int, float, np.bool_, np.number)):
                out[i] = bool(x)
            else:
                v.fail("outcome", func, "booleans or 0/1 numbers",
                       got=f"{x!r} at row {i}", data=True)
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
    within = np.lexsort((times, cases))
    order = within if order is None else order[within]
    return order, cases[within], times[within], codes[within], int(
        (within != np.arange(n)).sum())


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


def from_events(cls, data, *, case, touchpoint, timestamp, channel, outcome, value, success,
                strict, duplicates, value_agg, time_format, vocab):
    func = "Journeys.from_events"
    strict = v.check_bool(strict, "strict", func)
    v.check_option(duplicates, "duplicates", func, ("keep", "drop"))
    v.check_option(value_agg, "value_agg", func, _VALUE_AGGS)
    if outcome is not None and success is not None:
        v.fail("success", func, "None when 'outcome' is given (use one of them)", success)
    if time_format is not None and not isinstance(time_format, str):
        v.fail("time_format", func, "a strptime format string or None", time_format)

    raw = {name: column(data, spec, name, func) for name, spec in (
        ("case", case), ("touchpoint", touchpoint), ("timestamp", timestamp),
        ("channel", channel), ("outcome", outcome), ("value", value))}
    n = v.check_same_length(func, **raw)
    if n == 0:
        _no_rows(func)

    bad: dict[str, np.ndarray] = {}
    case_codes, case_uniques = factorize(raw["case"], "case", func)
    bad["missing_case"] = case_codes < 0
    if vocab is None:
        tp_codes, tp_uniques = factorize(raw["touchpoint"], "touchpoint", func)
        labels = tuple(str(x) for x in tp_uniques.tolist())
    else:
        labels = _check_vocab(vocab, func)
        tp_codes = _coded(raw["touchpoint"], labels, func)
    bad["missing_touchpoint"] = tp_codes < 0
    secs = None
    if raw["timestamp"] is not None:
        secs, missing_t, unparseable = to_epoch_seconds(raw["timestamp"], time_format,
                                                        "timestamp", func)
        bad["missing_timestamp"] = missing_t
        bad["unparseable_timestamp"] = unparseable

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

    def arranged(x):
        x = kept(x)
        return x if (x is None or order is None) else x[order]

    if order is None:
        source_rows = np.arange(n) if rows is None else rows
    else:
        source_rows = order if rows is None else rows[order]
    ch_codes = ch_labels = None
    changed = {}
    if raw["channel"] is not None:
        ch_all, ch_uniques = factorize(raw["channel"], "channel", func)
        ch_labels = tuple(str(x) for x in ch_uniques.tolist())
        ch_codes = arranged(ch_all)
        if (ch_codes < 0).any():
            changed["missing_channel"] = np.sort(source_rows[ch_codes < 0])
    flags = val = None
    if raw["outcome"] is not None:
        flags, missing_o = _flags(raw["outcome"], func)
        flags, missing_o = arranged(flags), arranged(missing_o)
        if missing_o.any():
            changed["missing_outcome"] = np.sort(source_rows[missing_o])
    if raw["value"] is not None:
        val = arranged(v.as_float_array(raw["value"], "value", func, allow_nan=True,
                                        min_size=0))
        if np.isnan(val).any():
            changed["missing_value"] = np.sort(source_rows[np.isnan(val)])

    dup = np.zeros(0, dtype=np.int64)
    if t is not None and len(c) > 1:
        keys = [x for x in (tp, ch_codes, flags, val) if x is not None]
        dup = _duplicate_positions(keys, c, t)
    dup_rows = np.sort(source_rows[dup])
    if duplicates == "drop" and len(dup):
        removed["duplicate"] = dup_rows
        keep = np.ones(len(c), dtype=bool)
        keep[dup] = False
        c, tp, source_rows = c[keep], tp[keep], source_rows[keep]
        t, ch_codes, flags, val = (None if x is None else x[keep]
                                   for x in (t, ch_codes, flags, val))

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
        np.zeros(0, dtype=np.int64), out_of_order=out_of_order)
    if strict:
        report.raise_if_unclean(func)
    if len(c) == 0:
        _no_rows(func, f"no row left after cleaning ({report._summary()[0]})", report)

    starts = offsets[:-1]
    case_outcome = None
    if flags is not None:
        case_outcome = np.maximum.reduceat(flags, starts)
    elif success is not None:
        case_outcome = np.isin(tp[offsets[1:] - 1], _success_codes(success, labels, func))
    case_value = None if val is None else _aggregate(val, starts, value_agg)
    return cls(codes=tp, offsets=offsets, vocab=labels, case_ids=case_uniques[present],
               times=t, channels=ch_codes, channel_vocab=ch_labels, outcome=case_outcome,
               value=case_value, cleaning_report=report)


def _check_vocab(vocab, func):
    if isinstance(vocab, str):
        v.fail("vocab", func, "a sequence of touchpoint labels", vocab)
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
        codes, uniques = factorize(values, "touchpoint", func)
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
               got=f"unknown labels {unknown}" if unknown else "an empty set")
    return np.array([labels.index(s) for s in sorted(wanted)], dtype=np.int64)


def from_paths(cls, paths, conversions, nulls, value, *, sep, strict):
    func = "Journeys.from_paths"
    strict = v.check_bool(strict, "strict", func)
    if not isinstance(sep, str) or not sep:
        v.fail("sep", func, "a non-empty string", sep)
    if isinstance(paths, str):
        v.fail("paths", func, "a sequence of path strings", got="a single string")
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
