"""Counts and the failure list, as text, JSON and Markdown."""

from __future__ import annotations

import collections
import json
import time
from collections.abc import Iterable

import attrs

from .runner import FunctionReport, Record, Settings


def _kind_of_failure(record: Record) -> str:
    o = record.outcome
    return o.exc_type if o.kind in ("exception", "bad-result") else o.kind


def totals(reports: Iterable[FunctionReport]) -> dict:
    """Functions covered, calls, outcomes, failures by kind, warnings."""
    reports = list(reports)
    outcomes: collections.Counter = collections.Counter()
    warned: collections.Counter = collections.Counter()
    failures: collections.Counter = collections.Counter()
    for r in reports:
        outcomes.update(r.outcomes)
        warned.update(r.warned)
        failures.update(_kind_of_failure(f) for f in r.failures)
    return {
        "callables": len(reports),
        "callables_tested": sum(1 for r in reports if not r.error),
        "callables_untestable": sorted(r.name for r in reports if r.error),
        "callables_failing": sum(1 for r in reports if r.failures),
        "calls": sum(r.calls for r in reports),
        "outcomes": dict(outcomes.most_common()),
        "failures_by_kind": dict(failures.most_common()),
        "non_cxpath_warnings": dict(warned.most_common()),
        "seconds": round(sum(r.seconds for r in reports), 1),
    }


def counts_text(reports: Iterable[FunctionReport], conf: Settings) -> str:
    t = totals(reports)
    lines = [
        f"mode {conf.mode}: {conf.examples} hypothesis "
        f"examples per parameter{' + every explicit value' if conf.explicit else ''}, "
        f"{conf.timeout:g} s and {conf.memory / 2**30:g} GiB per call",
        f"callables: {t['callables']} ({t['callables_tested']} tested, "
        f"{len(t['callables_untestable'])} without a valid baseline, "
        f"{t['callables_failing']} with failures)",
        f"calls: {t['calls']:,}; outcomes: "
        + ", ".join(f"{k} {v:,}" for k, v in t["outcomes"].items()),
        "failures by kind: " + (", ".join(f"{k} {v:,}" for k, v in
                                          t["failures_by_kind"].items()) or "none"),
    ]
    if t["callables_untestable"]:
        lines.append("untestable: " + ", ".join(t["callables_untestable"]))
    return "\n".join(lines)


def write_json(reports: Iterable[FunctionReport], conf: Settings, path: str) -> None:
    reports = list(reports)
    data = {"settings": attrs.asdict(conf), "totals": totals(reports),
            "reports": [attrs.asdict(r) for r in reports],
            "written": time.strftime("%Y-%m-%d %H:%M:%S %Z")}
    with open(path, "w", encoding="utf-8") as out:
        json.dump(data, out, indent=1, default=str)


def _group(records: list[Record]) -> list[tuple[tuple, list[Record]]]:
    """Failures of one function grouped by (parameter, failure kind, place raised)."""
    groups: dict[tuple, list[Record]] = collections.defaultdict(list)
    for r in records:
        groups[(r.param, _kind_of_failure(r), r.outcome.where)].append(r)
    return sorted(groups.items(), key=lambda item: (item[0][0], item[0][1]))


def markdown(reports: Iterable[FunctionReport], conf: Settings, *, started: str,
             command: str) -> str:
    """The failure list: by module, then function; one reproducer per distinct failure."""
    reports = sorted(reports, key=lambda r: r.name)
    out = [
        "# Hostile-input failures (issue #18 point 7)",
        "",
        f"Snapshot of the working tree run at {started} with `{command}` "
        "(other engineers are fixing the library concurrently: re-run for the current state).",
        "",
        "```",
        counts_text(reports, conf),
        "```",
        "",
        "A failure is a hostile call that raised something other than `CxpathError` / "
        "`MissingExtraError`, hung past the timeout, ran out of memory or crashed. Each line: "
        "the failing parameter, what happened (exception type and where it was raised, the "
        "innermost cxpath frame), how many hostile values hit it, and one reproducer: the "
        "baseline call (from the docstring examples; `<Type>` stands for a long baseline "
        "argument) with that argument replaced. Replay exactly with "
        "`python benchmarks/hostile_full.py --only NAME --param PARAM`.",
        "",
    ]
    by_module: dict[str, list[FunctionReport]] = collections.defaultdict(list)
    for r in reports:
        if r.failed:
            module = ".".join(r.name.split(".")[:2])
            by_module[module].append(r)
    ranking = sorted(by_module.items(), key=lambda kv: -sum(len(r.failures) for r in kv[1]))
    out += ["## Modules by failures", "", "| module | functions failing | failed calls |",
            "|---|---:|---:|"]
    out += [f"| `{m}` | {len(rs)} | {sum(len(r.failures) for r in rs)} |" for m, rs in ranking]
    out.append("")
    for module, rs in sorted(by_module.items()):
        out += [f"## `{module}`", ""]
        for r in rs:
            out.append(f"### `{r.name}`")
            out.append("")
            if r.error:
                out += [f"- **not tested**: {r.error}", ""]
                continue
            out.append(f"{len(r.failures)} failed of {r.calls} calls "
                       f"(baseline: {r.baseline}).")
            out.append("")
            for (param, kind, where), records in _group(r.failures):
                first = records[0]
                values = ", ".join(f"`{x.value}`" for x in records[:4])
                more = f" (+{len(records) - 4} more)" if len(records) > 4 else ""
                message = first.outcome.message.replace("`", "'")[:160]
                out.append(f"- `{param}` ({first.kind}) → **{kind}**"
                           f"{f' at `{where}`' if where else ''}: {message} — "
                           f"{len(records)} value(s): {values}{more}")
                out.append(f"  - `{first.reproducer}`")
            out.append("")
    return "\n".join(out) + "\n"
