"""Run every benchmark and print one table: ``python benchmarks/run.py [--quick] [topic …]``.

Benchmark modules are ``benchmarks/bench_<topic>.py``; each exposes ``run(quick) -> rows``.
Peers are compared side by side when installed (``pip install -e '.[bench]'``).
Times are medians of repeated runs; ``speedup`` is the peer's time over cxpath's.
"""

from __future__ import annotations

import argparse
import importlib
import pathlib
import platform
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from _harness import format_rows  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, for smoke runs")
    parser.add_argument("topics", nargs="*", help="only these bench_<topic>.py modules")
    args = parser.parse_args(argv)
    available = sorted(p.stem[len("bench_"):] for p in HERE.glob("bench_*.py"))
    topics = args.topics or available
    unknown = sorted(set(topics) - set(available))
    if unknown:
        parser.error(f"unknown topics {unknown}; available: {available}")
    print(f"python {platform.python_version()} on {platform.machine()}, "
          f"{'quick' if args.quick else 'full'} sizes")
    rows = []
    for topic in topics:
        module = importlib.import_module(f"bench_{topic}")
        rows += module.run(quick=args.quick)
        print(f"[{topic} done]", flush=True)
    print(format_rows(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
