"""Progress reporting for long calls: ``progress=`` accepts False/None, True or a callable.

* ``False`` or ``None`` (the default everywhere): silent.
* ``True``: a tqdm bar when tqdm is installed, else about ten lines on stderr.
* a callable: called as ``progress(done, total)`` after each unit of work.

Examples
--------
>>> seen = []
>>> report = reporter(lambda done, total: seen.append((done, total)), 3, "series", "f")
>>> for i in range(3):
...     report(i + 1)
>>> report.close()
>>> seen
[(1, 3), (2, 3), (3, 3)]
"""

from __future__ import annotations

import sys

from ._validate import fail

__all__ = ["reporter"]


class _Silent:
    def __call__(self, done: int) -> None:
        pass

    def close(self) -> None:
        pass


_MUST = "True, False, None or a callable (done, total)"


class _Callback(_Silent):
    def __init__(self, func, total, caller):
        self.func, self.total, self.caller = func, total, caller

    def __call__(self, done: int) -> None:
        try:
            self.func(done, self.total)
        except TypeError as exc:  # e.g. a callable that takes other arguments
            fail("progress", self.caller, _MUST + " that accepts two integers",
                 got=f"{self.func!r}, which raised TypeError: {exc}", wrong_type=True)


class _Lines(_Silent):
    def __init__(self, total, unit, label):
        self.total, self.unit, self.label = total, unit, label
        self.stride = max(1, total // 10)

    def __call__(self, done: int) -> None:
        if done % self.stride == 0 or done == self.total:
            print(f"{self.label}: {done}/{self.total} {self.unit}", file=sys.stderr)


class _Bar(_Silent):
    def __init__(self, tqdm, total, unit, label):
        self.bar, self.done = tqdm(total=total, unit=f" {unit}", desc=label), 0

    def __call__(self, done: int) -> None:
        self.bar.update(done - self.done)
        self.done = done

    def close(self) -> None:
        self.bar.close()


def reporter(progress, total: int, unit: str, func: str):
    """A reporter for ``total`` units: call it with the count done so far; ``close()`` at the end.

    ``func`` names the calling function in the progress line and in the error for a bad
    ``progress`` value.
    """
    if progress is None or progress is False:
        return _Silent()
    if progress is True:
        try:
            from tqdm.auto import tqdm
        except ImportError:
            return _Lines(total, unit, func)
        return _Bar(tqdm, total, unit, func)
    if callable(progress):
        _check_arity(progress, func)
        return _Callback(progress, total, func)
    fail("progress", func, _MUST, progress, wrong_type=True)


def _check_arity(progress, func: str) -> None:
    """Refuse, before any work, a callable that cannot be called with ``(done, total)``."""
    import inspect

    try:
        sig = inspect.signature(progress)
    except (TypeError, ValueError):  # no signature to read (some builtins): the call tells
        return
    try:
        sig.bind(0, 0)
    except TypeError:
        fail("progress", func, _MUST, got=f"{progress!r} with the signature {sig}",
             wrong_type=True)
