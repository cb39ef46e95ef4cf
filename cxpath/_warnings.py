"""cxpath's warnings, collected per call instead of through process-wide filters.

``warnings.catch_warnings`` swaps the ``warnings`` module's filters and ``showwarning`` for
the whole process (Python < 3.14): in a service, a call that records or silences warnings
in one thread would swallow, silence or turn into errors the warnings of every other thread
while it runs, and could undo a filter another thread set. cxpath therefore raises its own
warnings through :func:`warn`, and a caller that wants them as data (one summary warning
per batch, a note per fitted distribution, a renamed message) opens :func:`collected`,
which lives in a :class:`contextvars.ContextVar`: it sees only the warnings raised by its
own thread (or task), and touches no global state. Outside :func:`collected`, :func:`warn`
is :func:`warnings.warn`, so users' filters and ``pytest.warns`` work as usual.

Examples
--------
>>> from cxpath._warnings import collected, warn
>>> with collected() as caught:
...     warn("the fit did not converge")
>>> [str(w.message) for w in caught]
['the fit did not converge']
"""

from __future__ import annotations

import contextlib
import contextvars
import warnings

import attrs

from .errors import CxpathWarning

__all__ = ["Caught", "collected", "warn"]

_SINK: contextvars.ContextVar = contextvars.ContextVar("cxpath_warnings", default=None)


@attrs.frozen
class Caught:
    """A warning held by :func:`collected`: its ``message`` (text) and ``category``."""

    message: str
    category: type


def warn(message: str, category: type = CxpathWarning, stacklevel: int = 1) -> None:
    """Warn with ``message``, or hand it to the innermost :func:`collected` of this context.

    ``stacklevel`` counts as in :func:`warnings.warn` from the caller's frame (1 = the line
    that calls :func:`warn`).
    """
    sink = _SINK.get()
    if sink is not None:
        sink.append(Caught(str(message), category))
        return
    warnings.warn(message, category, stacklevel=stacklevel + 1)


@contextlib.contextmanager
def collected():
    """Collect the :func:`warn` calls of this thread (task) into a list instead of warning.

    Nested blocks collect into the innermost list; other threads are not affected (a worker
    thread starts with no collector: open one inside the task).
    """
    sink: list = []
    token = _SINK.set(sink)
    try:
        yield sink
    finally:
        _SINK.reset(token)
