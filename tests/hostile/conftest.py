"""Fixtures of the hostile suite: the recorded baselines and a pool of warmed workers.

The session fixture starts a pool of fresh, warmed interpreters (``cxpath.warmup()`` once
each), has them run every docstring example once to learn which examples call each public
callable, then hands them every selected callable at once: the callables run two at a time
while pytest collects their reports in order.
"""

from __future__ import annotations

import os

import pytest

from .runner import FunctionReport, settings_from_env

#: reports of the callables run in this session, for the terminal summary
REPORTS: list[FunctionReport] = []
#: the callables the session selected (``-k``, ``-m``), in test order
SELECTED: list[str] = []


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "hostile: property-based bad-input run over one public callable "
        "(CXPATH_HOSTILE=full for the long run)")


def pytest_collection_finish(session):
    SELECTED[:] = [item.callspec.params["name"] for item in session.items
                   if getattr(item, "originalname", "") == "test_hostile_inputs"]


@pytest.fixture(scope="session")
def hostile_settings():
    return settings_from_env()


@pytest.fixture(scope="session")
def hostile_reports(hostile_settings):
    """The pool, with every selected callable submitted: ``.report(name)`` waits for one."""
    from .runner import Pool

    pool = Pool(hostile_settings.workers)
    sources = pool.record_sources()
    for name in SELECTED:
        pool.submit(name, sources.get(name, []), hostile_settings)
    yield pool
    pool.close()


def pytest_terminal_summary(terminalreporter):
    if not REPORTS:
        return
    from .summary import counts_text, write_json

    terminalreporter.write_sep("=", "hostile inputs")
    terminalreporter.write_line(counts_text(REPORTS, settings_from_env()))
    path = os.environ.get("CXPATH_HOSTILE_REPORT")
    if path:
        write_json(REPORTS, settings_from_env(), path)
        terminalreporter.write_line(f"report written to {path}")
