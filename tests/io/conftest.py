"""Helpers for the reader tests: write small files into tmp_path."""

from __future__ import annotations

import gzip

import pytest


@pytest.fixture
def write(tmp_path):
    """``write(name, text)`` -> path; a name ending in .gz is gzip-compressed."""

    def _write(name: str, text: str):
        path = tmp_path / name
        data = text.encode("utf-8")
        path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
        return path

    return _write
