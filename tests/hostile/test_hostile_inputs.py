"""Every public callable, called with hostile arguments, returns or raises CxpathError.

Issue #18 point 7. For each registry entry the valid baseline call (from the docstring
examples) is replayed with one argument at a time replaced by a hostile value drawn for the
parameter's kind; each call runs in a forked child under a 2 GiB address-space limit and a
timeout. Anything but a return or a :class:`cxpath.errors.CxpathError` (or
:class:`~cxpath.errors.MissingExtraError`) fails the callable's test, listing every failing
call with a reproducer.

CI runs a derandomised sample (``CXPATH_HOSTILE=ci``, the default); ``CXPATH_HOSTILE=full``
runs every explicit hostile value and many more drawn ones (``benchmarks/hostile_full.py``
writes the failure list).
"""

from __future__ import annotations

import inspect

import pytest

from .api import EXEMPT_CATEGORIES, public_callables
from .conftest import REPORTS
from .registry import REGISTRY
from .strategies import KIND_NAMES
from .suggest import suggest


def _targets() -> dict:
    return {c.name: c for c in public_callables() if c.category not in EXEMPT_CATEGORIES}


def test_every_public_callable_has_an_entry():
    targets = _targets()
    missing = sorted(set(targets) - set(REGISTRY))
    stale = sorted(set(REGISTRY) - set(targets))
    assert not missing, ("public callables without a hostile-suite entry; add to "
                         "tests/hostile/registry.py (check the guessed kinds):\n"
                         + "\n".join(suggest(targets[name]) for name in missing))
    assert not stale, f"registry entries for callables that are not public: {stale}"
    # the enumeration reaches functions, classmethods, methods of results and constructors
    for name in ("cxpath.kpi.erlang_b", "cxpath.journeys.Journeys.from_events",
                 "cxpath._results.Result.to_frame", "cxpath.journeys.Funnel.plot",
                 "cxpath.calendar.BusinessCalendar.__init__"):
        assert name in targets, name
    assert len(targets) >= 250


def test_exempt_callables_take_nothing_from_the_caller():
    for c in public_callables():
        if c.category in ("property", "no-argument"):
            assert not c.params, c.name


def test_registry_kinds_name_real_parameters():
    targets = _targets()
    problems = []
    for name, entry in REGISTRY.items():
        if name not in targets:
            continue
        params = {p.name for p in targets[name].params}
        problems += [f"{name}: unknown kind {k!r}" for k in entry.kinds.values()
                     if k not in KIND_NAMES]
        problems += [f"{name}: no parameter {p!r}" for p in [*entry.kinds, *entry.skip]
                     if p not in params]
        fuzzable = {p.name for p in targets[name].params
                    if p.kind not in (inspect.Parameter.VAR_POSITIONAL,
                                      inspect.Parameter.VAR_KEYWORD)
                    and not p.name.startswith("_")}
        problems += [f"{name}: parameter {p!r} has no kind" for p in fuzzable - set(entry.kinds)
                     - set(entry.skip)]
    assert not problems, "\n".join(problems)


@pytest.mark.hostile
@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_hostile_inputs(name, hostile_reports):
    report = hostile_reports.report(name)
    REPORTS.append(report)
    if report.error:
        pytest.fail(report.error, pytrace=False)
    if report.failures:
        lines = [f"{f.param} = {f.value}: {f.outcome.kind} {f.outcome.exc_type} "
                 f"{f.outcome.message[:150]} [{f.outcome.where}]\n    {f.reproducer}"
                 for f in report.failures]
        pytest.fail(f"{len(report.failures)} of {report.calls} hostile calls failed:\n"
                    + "\n".join(lines), pytrace=False)
