"""The hostile-input suite: every public callable under bad input (issue #18 point 7).

Promise checked: a public callable, given any one bad argument, either returns a valid
result or raises :class:`cxpath.errors.CxpathError` (or
:class:`~cxpath.errors.MissingExtraError` for an absent extra) — never another exception,
never a hang past the time limit, never a MemoryError or a crash under a 2 GiB limit.

How it works
------------
``api.py``
    Enumerates the public API: every function and class in the ``__all__`` of the public
    packages, the public methods of those classes and of the cxpath classes their type hints
    name (results, graphs, layouts). Properties, methods without parameters and the
    constructors attrs writes for result classes take nothing from the caller and are exempt.
``registry.py``
    One entry per remaining callable (267 at the time of writing): the *kind* of each
    parameter, and an example call where no docstring example calls it.
    ``test_every_public_callable_has_an_entry`` fails for a public callable without an entry
    (printing a guessed entry) and ``test_registry_kinds_name_real_parameters`` for a
    parameter without a kind.
``baseline.py``
    The valid baseline call of each callable, recorded (with a profiler hook) while the
    registry examples and then every docstring example of the package run.
``strategies.py``
    Hypothesis strategies of hostile values per kind (``None``, objects with no protocol,
    bools, NaN/inf, negative and zero, integers ≥ 2**63, 2-D and empty arrays, strings,
    unicode, ragged lists, frames with integer or duplicated labels, impossible dates,
    enormous sizes, …), mixed with generic values wrong for any parameter.
``sandbox.py``
    Runs the calls in a forked child: ``RLIMIT_AS`` of the child's address space at the fork
    plus 2 GiB, a wall-clock timeout per call (SIGKILL: numba kernels ignore SIGINT; a fresh
    child continues after a hang, crash or MemoryError), stdout and stderr to /dev/null;
    classifies returned / cxpath-error / exception / memory / hang / crash / bad-result
    (the result's ``repr()`` raised).
``runner.py``
    A pool of two fresh interpreters, warmed once (``cxpath.warmup()``). Per callable, a
    forked worker re-records the baseline from the examples known to call it and replays it
    once (so the numba compile and lazy imports are paid before any timed call), then
    substitutes hostile values one parameter at a time, and reports counts and failures
    with a reproducer line.

Running
-------
CI sample (derandomised: a fixed seed per parameter, a few values each)::

    python -m pytest -q -p no:cacheprovider tests/hostile

Full run (every explicit hostile value and 25 drawn per parameter, 20 s per call)::

    CXPATH_HOSTILE=full python -m pytest -q -p no:cacheprovider tests/hostile -m hostile
    python benchmarks/hostile_full.py --mode full --markdown failures.md --json report.json

Variables: ``CXPATH_HOSTILE`` (``ci``/``full``), ``CXPATH_HOSTILE_EXAMPLES`` (per
parameter), ``CXPATH_HOSTILE_TIMEOUT`` (seconds per call), ``CXPATH_HOSTILE_MEMORY`` (GiB a
call may add), ``CXPATH_HOSTILE_JOBS`` (calls at once), ``CXPATH_HOSTILE_REPORT`` (write the
session's JSON report there). ``-m "not hostile"`` leaves the per-callable runs out.

Adding a public function
------------------------
Add its line to ``REGISTRY`` (the failing coverage test prints a guess): a kind per
parameter from :data:`strategies.KIND_NAMES`, and ``example=`` doctest source when no
docstring example calls it.
"""
