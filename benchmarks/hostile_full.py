"""Run the hostile-input suite outside pytest and write the failure list.

``python benchmarks/hostile_full.py [--mode full] [--only NAME …] [--param P] [--module M]
[--markdown PATH] [--json PATH]``

The same workers as ``tests/hostile`` (one forked worker per public callable, each hostile
call in its own forked child under an address-space limit and a timeout), without pytest:
progress on stderr, the totals on stdout, the failure list as Markdown (grouped by module
and function, a reproducer per distinct failure) and the full reports as JSON. ``--mode``
sets ``CXPATH_HOSTILE`` (``ci`` sample or ``full``); the other ``CXPATH_HOSTILE_*``
variables apply too (see ``tests/hostile/runner.py``).

Replay one failure exactly: ``--only cxpath.kpi.erlang_b --param agents``.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
sys.path.insert(0, str(HERE.parent))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mode", choices=("ci", "full"), default=None,
                        help="CXPATH_HOSTILE: the CI sample or the full run (default: env or ci)")
    parser.add_argument("--only", nargs="*", default=(), help="only these callables")
    parser.add_argument("--module", default="", help="only callables whose name starts so")
    parser.add_argument("--param", default=None, help="only this parameter (with --only)")
    parser.add_argument("--markdown", default=None, help="write the failure list here")
    parser.add_argument("--json", default=None, help="write every report here")
    parser.add_argument("--verbose", action="store_true", help="print every failure")
    args = parser.parse_args(argv)
    if args.mode:
        os.environ["CXPATH_HOSTILE"] = args.mode
    os.environ.setdefault("MPLBACKEND", "Agg")
    from hostile.api import covered_callables
    from hostile.registry import REGISTRY
    from hostile.runner import Pool, settings_from_env
    from hostile.summary import counts_text, markdown, write_json

    conf = settings_from_env()
    started = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    targets = {c.name: c for c in covered_callables()}
    names = [n for n in sorted(REGISTRY) if n in targets and n.startswith(args.module)
             and (not args.only or n in args.only)]
    missing = sorted(set(targets) - set(REGISTRY))
    if missing:
        print(f"warning: {len(missing)} public callables have no registry entry: {missing}",
              file=sys.stderr)
    t0 = time.perf_counter()
    pool = Pool(conf.workers)
    sources = pool.record_sources()
    print(f"recorded baselines in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    for name in names:
        pool.submit(name, sources.get(name, []), conf, args.param)
    reports = []
    try:
        for i, name in enumerate(names, 1):
            report = pool.report(name)
            reports.append(report)
            status = ("ERROR " + report.error[:80]) if report.error else (
                f"{len(report.failures)} failed" if report.failures else "ok")
            print(f"[{i}/{len(names)}] {name}: {report.calls} calls, {status} "
                  f"({report.seconds:.1f} s)", file=sys.stderr, flush=True)
            if args.verbose:
                for f in report.failures:
                    print(f"    {f.param} = {f.value}: {f.outcome.kind} {f.outcome.exc_type} "
                          f"{f.outcome.message[:120]}\n      {f.reproducer}", file=sys.stderr)
    finally:
        pool.close()
    print(counts_text(reports, conf))
    print(f"wall time {time.perf_counter() - t0:.0f} s")
    command = "python benchmarks/hostile_full.py " + " ".join(argv or sys.argv[1:])
    if args.markdown:
        pathlib.Path(args.markdown).write_text(
            markdown(reports, conf, started=started, command=command.strip()), encoding="utf-8")
        print(f"failure list written to {args.markdown}")
    if args.json:
        write_json(reports, conf, args.json)
    return 1 if any(r.failed for r in reports) else 0


if __name__ == "__main__":
    sys.exit(main())
