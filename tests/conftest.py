"""Shared fixtures: the third-party logs in ../shared/data (skipped cleanly when absent)."""

from __future__ import annotations

import os
import pathlib

import pytest

SHARED_DATA = pathlib.Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> pathlib.Path:
    """Folder of the real third-party logs; skips the test when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real-data folder {SHARED_DATA} is absent (tests on real logs skipped)")
    return SHARED_DATA


def _hypothesis_profiles() -> None:
    from hypothesis import settings

    # CI: derandomised, so a red run can be reproduced; locally: random exploration
    settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
    settings.register_profile("dev", deadline=None)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


_hypothesis_profiles()


@pytest.fixture
def fresh_kernels(monkeypatch):
    """Kernels as in a fresh process with an empty numba cache, for the small-job routes
    of ``cxpath._kernels._jit.by_work``: nothing compiled, nothing on disk, no interpreted
    work spent yet."""
    from cxpath._kernels import _jit

    monkeypatch.setattr(_jit, "compiled", lambda dispatcher: False)
    monkeypatch.setattr(_jit, "cached", lambda dispatcher: False)
    monkeypatch.setattr(_jit, "_SPENT", {})
