"""The synthetic Helpdesk stand-in that ships with the docs (docs/_data) is small, in the real
log's layout, and exactly what its generator writes."""

from __future__ import annotations

import csv
import gzip
import importlib.util
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT / "docs" / "_data"


def _generator():
    spec = importlib.util.spec_from_file_location("docs_make_helpdesk_excerpt",
                                                  DATA / "make_helpdesk_excerpt.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rows(path: pathlib.Path) -> list[list[str]]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def test_excerpt_is_small_and_regenerates_exactly():
    excerpt = DATA / "helpdesk_excerpt.csv.gz"
    assert excerpt.stat().st_size < 100_000
    make = _generator()
    header, *rows = _rows(excerpt)
    assert header == make.HEADER
    assert rows == make.generate()
    assert len({row[0] for row in rows}) == make.N_CASES


def test_excerpt_has_the_real_logs_columns(shared_data):
    header = _rows(DATA / "helpdesk_excerpt.csv.gz")[0]
    with gzip.open(shared_data / "helpdesk.csv.gz", "rt", encoding="utf-8", newline="") as f:
        real = next(csv.reader(f))
    assert header == real
