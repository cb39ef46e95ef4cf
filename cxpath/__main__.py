"""Command line: ``python -m cxpath demo`` runs every analysis on the bundled sample."""

from __future__ import annotations

import argparse
import sys


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cxpath",
                                     description="cxpath: customer-service analytics.")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="run the end-to-end analysis on the sample data")
    demo.add_argument("--seed", type=int, default=None,
                      help="generate a fresh sample with this seed instead of the bundled one")
    demo.add_argument("--out", metavar="DIR", default=None,
                      help="write the report with figures into DIR instead of printing it")
    demo.add_argument("--format", choices=("html", "md"), default="html",
                      help="report format with --out (default: html)")
    commands.add_parser("version", help="print the version")
    args = parser.parse_args(argv)
    if args.command == "version":
        from . import __version__

        print(__version__)
        return 0
    from ._demo import demo_report
    from .datasets import generate_sample

    sample = None if args.seed is None else generate_sample(seed=args.seed)
    if args.out is not None:
        from ._report import write_report

        print(write_report(args.out, sample, fmt=args.format))
        return 0
    sys.stdout.write(demo_report(sample))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
