"""The ``cxpath`` command: the report on your own files, the demo, the version.

Examples::

    cxpath demo                                   # every analysis on the bundled sample
    cxpath demo --out report/                     # ... as one self-contained HTML page
    cxpath report events.csv --case ticket --activity step --timestamp at \\
        --success resolved --out report/
    cxpath report log.xes.gz --out report/        # XES: standard attribute names
    cxpath report --config cxpath.toml            # the same mapping in a file
    cxpath report events.csv ... --show-ids       # raw case ids instead of #1, #2 …

Exit codes: 0 done, 2 bad arguments, 3 bad data (the message names the column or rows).
"""

from __future__ import annotations

import argparse
import pathlib
import sys
import time

__all__ = ["main"]

EXAMPLES = __doc__.split("Examples::", 1)[1].split("Exit codes", 1)[0]
MAPPING = ("case", "activity", "timestamp", "start_timestamp", "lifecycle", "resource",
           "channel", "success", "outcome", "tz", "sla")
FILES = ("events", "tickets", "demand", "calendar")


class _Progress:
    """Section-by-section progress on stderr (silent with ``-q``)."""

    def __init__(self, quiet: bool):
        self.quiet = quiet
        self.started = time.perf_counter()

    def __call__(self, key: str) -> None:
        if self.quiet:
            return
        note = " (compiling kernels, first run only)" if key == "journeys" else ""
        print(f"cxpath: {key}{note} … [{time.perf_counter() - self.started:.1f} s]",
              file=sys.stderr, flush=True)

    def say(self, text: str) -> None:
        if not self.quiet:
            print(f"cxpath: {text}", file=sys.stderr, flush=True)


def _parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="cxpath", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="cxpath: customer-service and after-sales analytics.",
        epilog="examples:" + EXAMPLES)
    parser.add_argument("--version", action="version", version=f"cxpath {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="every analysis on the bundled sample data")
    demo.add_argument("--seed", type=int, default=None,
                      help="generate a fresh sample with this seed instead of the bundled one")
    _outputs(demo)
    report = commands.add_parser(
        "report", help="the report on your own event log (and optional tables)",
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog="examples:" + EXAMPLES)
    report.add_argument("events", nargs="?", help="event log: .csv, .parquet, .xes, .xes.gz")
    report.add_argument("--config", metavar="TOML",
                        help="read the files and column mapping from a TOML file "
                             "(keys as the long options, e.g. case = \"ticket\")")
    report.add_argument("--case", help="case id column (XES default: case:concept:name)")
    report.add_argument("--activity", help="activity column (XES default: concept:name)")
    report.add_argument("--timestamp", help="completion time column (XES: time:timestamp)")
    start = report.add_mutually_exclusive_group()
    start.add_argument("--start-timestamp", dest="start_timestamp",
                       help="start time column of interval logs")
    start.add_argument("--lifecycle", help="lifecycle column pairing start and complete")
    report.add_argument("--resource", help="resource column (adds hand-overs)")
    report.add_argument("--channel", help="channel column")
    success = report.add_mutually_exclusive_group()
    success.add_argument("--success", metavar="LABEL",
                         help="activity that marks success when it ends a journey (adds "
                              "attribution and breakpoints)")
    success.add_argument("--outcome", metavar="COLUMN", help="0/1 success column")
    report.add_argument("--tz", help="IANA time zone of naive timestamps")
    report.add_argument("--sla", help="waiting-time SLA for bottlenecks, e.g. 48h")
    report.add_argument("--calendar", metavar="TOML",
                        help="business calendar file (timezone, hours, holidays)")
    report.add_argument("--tickets", metavar="FILE", help="ticket table (CSV/Parquet)")
    report.add_argument("--demand", metavar="FILE",
                        help="daily demand history with date and demand columns")
    _outputs(report)
    commands.add_parser("version", help="print the version")
    return parser


def _outputs(sub) -> None:
    sub.add_argument("--out", metavar="DIR", default=None,
                     help="write the report into DIR (default: print it)")
    sub.add_argument("--format", choices=("html", "md"), default="html",
                     help="report format with --out (default: html)")
    sub.add_argument("--xlsx", action="store_true",
                     help="with --out, also write the tables to report.xlsx (extra excel)")
    sub.add_argument("--force", action="store_true",
                     help="write into an --out folder that already holds files")
    sub.add_argument("--show-ids", dest="show_ids", action="store_true",
                     help="show raw case and customer ids (default: neutral labels #1, #2 "
                          "… where an id would stand)")
    sub.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")


def _config(args, parser) -> dict:
    """Flags, with a TOML config underneath (flags win)."""
    settings = {}
    if args.config:
        tomllib = _toml(parser)
        try:
            with open(args.config, "rb") as fh:
                settings = tomllib.load(fh)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            parser.error(f"cannot read the config {args.config}: {exc}")
        unknown = sorted(set(settings) - set(MAPPING) - set(FILES))
        if unknown:
            parser.error(f"unknown keys in {args.config}: {', '.join(unknown)} (known: "
                         f"{', '.join(FILES + MAPPING)})")
        base = pathlib.Path(args.config).parent
        for key in FILES:
            if key in settings:
                settings[key] = str(base / settings[key])
    for key in MAPPING + FILES:
        value = getattr(args, key, None)
        if value is not None:
            settings[key] = value
    if "events" not in settings:
        parser.error("give the event log file (or 'events' in --config)")
    return settings


def _toml(parser=None):
    """The TOML reader: the standard library's from Python 3.11, else ``tomli``."""
    try:
        import tomllib
    except ImportError:  # Python 3.10
        try:
            import tomli as tomllib
        except ImportError:
            raise _Usage("TOML files need Python 3.11+ or the tomli package") from None
    return tomllib


def _calendar(path: str):
    from .calendar import BusinessCalendar

    tomllib = _toml()
    with open(path, "rb") as fh:
        spec = tomllib.load(fh)
    return BusinessCalendar(**spec)


def _read_events(settings: dict):
    from .io import read_events, read_xes

    path = settings["events"]
    name = path.lower()
    mapping = {"start_timestamp": settings.get("start_timestamp"),
               "lifecycle": settings.get("lifecycle"), "resource": settings.get("resource"),
               "channel": settings.get("channel"), "tz": settings.get("tz")}
    if settings.get("success") is not None:
        mapping["success"] = {settings["success"]}
    if settings.get("outcome") is not None:
        mapping["outcome"] = settings["outcome"]
    mapping = {k: x for k, x in mapping.items() if x is not None}
    if name.endswith((".xes", ".xes.gz", ".xml", ".xml.gz")):
        for key in ("case", "activity", "timestamp"):
            if settings.get(key) is not None:
                mapping[{"activity": "touchpoint"}.get(key, key)] = settings[key]
        return read_xes(path, **mapping)
    for key in ("case", "activity", "timestamp"):
        if settings.get(key) is None:
            raise _Usage(f"--{key} is needed for {pathlib.Path(path).name} (a table: name "
                         "its case, activity and timestamp columns)")
    return read_events(path, case=settings["case"], touchpoint=settings["activity"],
                       timestamp=settings["timestamp"], **mapping)


class _Usage(Exception):
    """A missing or inconsistent argument found after parsing (exit 2)."""


def _table(path: str):
    from .io import read_events

    return read_events(path, to="table")


def _user_inputs(settings: dict, progress: _Progress):
    from ._validate import check_duration
    from .report import Inputs, Source

    progress.say(f"reading {settings['events']}")
    journeys = _read_events(settings)
    report = journeys.cleaning_report
    rows = journeys.n_events + (report.n_removed if report is not None else 0)
    sources = [Source("events", settings["events"], rows, "rows")]
    tables = {}
    for key in ("tickets", "demand"):
        if settings.get(key):
            tables[key] = _table(settings[key])
            sources.append(Source(key, settings[key], _n_rows(tables[key]), "rows"))
    calendar = _calendar(settings["calendar"]) if settings.get("calendar") else None
    if calendar is not None:
        sources.append(Source("calendar", settings["calendar"], 1, "calendar"))
    sla = check_duration(settings["sla"], "sla", "cxpath report") if settings.get("sla") \
        else None
    return Inputs(journeys=journeys, success=settings.get("success"),
                  tickets=tables.get("tickets"), demand=tables.get("demand"),
                  calendar=calendar, sources=tuple(sources), sla=sla)


def _n_rows(table) -> int:
    return len(next(iter(table.values()))) if isinstance(table, dict) else len(table)


def _emit(report, args, progress) -> None:
    from .report import write_report

    if args.out is None:
        sys.stdout.write(report.to_text())
        return
    path = write_report(args.out, report, fmt=args.format, xlsx=args.xlsx, force=args.force)
    progress.say(f"wrote {path}")
    print(path)


def main(argv=None) -> int:
    """Run the command line; returns the exit code."""
    from .errors import CxpathError, MissingExtraError

    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "version":
        from . import __version__

        print(__version__)
        return 0
    progress = _Progress(args.quiet)
    try:
        from .report import build_report, sample_inputs

        if args.command == "demo":
            sample = None
            if args.seed is not None:
                from .datasets import generate_sample

                sample = generate_sample(seed=args.seed)
            inputs = sample_inputs(sample)
        else:
            inputs = _user_inputs(_config(args, parser), progress)
        report = build_report(inputs, progress=progress, show_ids=args.show_ids)
        _emit(report, args, progress)
    except _Usage as exc:
        parser.error(str(exc))
    except MissingExtraError as exc:
        print(f"cxpath: {exc}", file=sys.stderr)
        return 2
    except (CxpathError, FileNotFoundError, IsADirectoryError) as exc:
        print(f"cxpath: {exc}", file=sys.stderr)
        return 3
    return 0
