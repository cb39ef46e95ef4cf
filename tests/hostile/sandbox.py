"""Run calls in forked children under an address-space limit and a wall-clock timeout.

The child inherits the warmed worker (imports done, numba kernels compiled, the baseline
already run once), so a hostile call pays only for itself. :func:`run_batch` runs a
callable's hostile calls one after another in one child, each under the timeout, and
starts a fresh child after a hang, a crash or a MemoryError; the limit is the child's
address space at the fork plus ``memory`` bytes. Outcomes:

Outcomes:

``returned``
    The call returned and ``repr()`` of the result worked.
``cxpath-error``
    It raised :class:`cxpath.errors.CxpathError` (or :class:`MissingExtraError`).
``exception``
    Any other exception (the failure the suite exists to find).
``memory``
    :class:`MemoryError`: the call wanted more than the limit.
``hang``
    Still running at the timeout (killed with SIGKILL: numba kernels ignore SIGINT).
``crash``
    The child died without reporting (a signal, ``os._exit``, a segfault in a kernel).
``bad-result``
    The call returned but ``repr()`` of the result raised.
``os-error``
    A file-system error (``FileNotFoundError`` …) from a well-formed hostile *path*: the
    documented exception to the one-error-shape rule; set by the runner, not a failure.
"""

from __future__ import annotations

import contextlib
import faulthandler
import os
import pickle
import resource
import select
import signal
import time
import traceback
import warnings
from collections.abc import Callable
from typing import Any

import attrs

GiB = 1024**3

#: outcomes that fail the suite
FAILURES = ("exception", "memory", "hang", "crash", "bad-result")


@attrs.frozen
class Outcome:
    """What one call did."""

    kind: str  # see the module docstring
    exc_type: str = ""  # qualified exception class, for raises
    message: str = ""
    where: str = ""  # innermost cxpath frame of the traceback (file:line function)
    seconds: float = 0.0
    warnings: tuple[str, ...] = ()  # categories of warnings other than CxpathWarning

    @property
    def failed(self) -> bool:
        return self.kind in FAILURES


def vm_size() -> int:
    """This process's current address space (bytes)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _classify(exc: BaseException) -> str:
    from cxpath.errors import CxpathError, MissingExtraError

    if isinstance(exc, (CxpathError, MissingExtraError)):
        return "cxpath-error"
    if isinstance(exc, MemoryError):
        return "memory"
    return "exception"


def _where(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    inside = [f for f in frames if f"{os.sep}cxpath{os.sep}" in f.filename]
    frame = (inside or frames or [None])[-1]
    if frame is None:
        return ""
    path = frame.filename
    if f"{os.sep}cxpath{os.sep}" in path:
        path = "cxpath" + path.rsplit(f"{os.sep}cxpath", 1)[1]
    return f"{path}:{frame.lineno} {frame.name}"


def _quiet(keep: int) -> None:
    """A sandboxed child prints nothing (stdin, stdout and stderr on /dev/null, pytest's
    faulthandler off) and holds no descriptor of its parents but ``keep``: a hostile
    ``path=13`` must not write into the pipes of the process pool."""
    faulthandler.disable()
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.closerange(3, keep)
    os.closerange(keep + 1, 1 << 16)
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _child(call: Callable[[], Any], write_fd: int, memory: int | None, raw: bool) -> None:
    _quiet(write_fd)
    if memory is not None:
        limit = vm_size() + memory
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if raw:  # the caller wants the return value itself (a worker's report)
        try:
            data = pickle.dumps(call())
        except BaseException as exc:
            data = pickle.dumps(Outcome("exception", _qualname(exc), _message(exc), _where(exc)))
        with os.fdopen(write_fd, "wb") as pipe:
            pipe.write(data)
        return
    outcome = _one(call)
    try:
        data = pickle.dumps(outcome)
    except Exception:
        data = pickle.dumps(Outcome(outcome.kind, outcome.exc_type, "(message not picklable)"))
    with os.fdopen(write_fd, "wb") as pipe:
        pipe.write(data)


def _qualname(exc: BaseException) -> str:
    klass = type(exc)
    module = klass.__module__
    return klass.__qualname__ if module in ("builtins", "") else f"{module}.{klass.__qualname__}"


def _message(exc: BaseException) -> str:
    try:
        text = str(exc)
    except Exception:
        text = "(str() of the exception failed)"
    return " ".join(text.split())[:300]


class Running:
    """One forked call in flight (``raw``: the child sends back what ``call()`` returns, not an
    :class:`Outcome`)."""

    def __init__(self, call: Callable[[], Any], memory: int | None, timeout: float,
                 raw: bool = False):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns into the caller's code
            code = 0
            try:
                if raw:  # a worker leads its own group, so a kill reaches its calls too
                    os.setpgid(0, 0)
                os.close(read_fd)
                _child(call, write_fd, memory, raw)
            except BaseException:
                code = 3
            finally:
                os._exit(code)
        os.close(write_fd)
        self.pid, self.fd, self.timeout = pid, read_fd, timeout
        self.start = time.monotonic()
        self.chunks: list[bytes] = []
        self.outcome: Any = None

    @property
    def deadline(self) -> float:
        return self.start + self.timeout

    def poll(self, wait: float) -> bool:
        """Read what is there (up to ``wait`` seconds); True once the outcome is known."""
        if self.outcome is not None:
            return True
        ready, _, _ = select.select([self.fd], [], [], max(0.0, wait))
        if ready:
            chunk = os.read(self.fd, 1 << 16)
            if chunk:
                self.chunks.append(chunk)
                return False
            self._finish()  # end of file: the child is done (or dead)
            return True
        if time.monotonic() >= self.deadline:
            self.kill()
            self.outcome = Outcome("hang", message=f"still running after {self.timeout:g} s",
                                   seconds=self.timeout)
            return True
        return False

    def kill(self) -> None:
        """Kill the child and its own children (a worker's calls in flight)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.fd)

    def _finish(self) -> None:
        _, status = os.waitpid(self.pid, 0)
        os.close(self.fd)
        seconds = time.monotonic() - self.start
        data = b"".join(self.chunks)
        if data:
            try:
                self.outcome = pickle.loads(data)
                return
            except Exception:
                pass
        if os.WIFSIGNALED(status):
            sig = os.WTERMSIG(status)
            name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else sig
            self.outcome = Outcome("crash", message=f"killed by signal {name}", seconds=seconds)
        else:
            self.outcome = Outcome("crash", message=f"exited with status "
                                   f"{os.WEXITSTATUS(status)} without a result", seconds=seconds)


def _one(call: Callable[[], Any]) -> Outcome:
    """Run one call in this (sandboxed) process and classify what it did."""
    from cxpath.errors import CxpathWarning

    start = time.perf_counter()
    caught: list = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = call()
            try:
                repr(result)
            except Exception as exc:
                outcome = Outcome("bad-result", _qualname(exc), _message(exc), _where(exc))
            else:
                outcome = Outcome("returned")
            del result
    except BaseException as exc:
        outcome = Outcome(_classify(exc), _qualname(exc), _message(exc), _where(exc))
    other = tuple(sorted({w.category.__name__ for w in caught or ()
                          if not issubclass(w.category, CxpathWarning)}))
    return attrs.evolve(outcome, seconds=time.perf_counter() - start, warnings=other)


def _batch_child(calls: list, start: int, write_fd: int, memory: int) -> None:
    _quiet(write_fd)
    limit = vm_size() + memory
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    with os.fdopen(write_fd, "wb", buffering=0) as pipe:
        for i in range(start, len(calls)):
            outcome = _one(calls[i])
            try:
                data = pickle.dumps((i, outcome))
            except Exception:
                data = pickle.dumps((i, Outcome(outcome.kind, outcome.exc_type)))
            pipe.write(len(data).to_bytes(8, "little") + data)
            if outcome.kind == "memory":  # start the next call in a fresh process
                return


def _read_exactly(fd: int, n: int, deadline: float) -> bytes | None:
    """``n`` bytes from ``fd``; None at end of file or past ``deadline``."""
    chunks, need = [], n
    while need:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            return None
        chunk = os.read(fd, need)
        if not chunk:
            return None
        chunks.append(chunk)
        need -= len(chunk)
    return b"".join(chunks)


def run_batch(calls: list[Callable[[], Any]], *, memory: int, timeout: float) -> list[Outcome]:
    """Run ``calls`` one after another in a forked child (a fresh child after a hang, a
    crash or a MemoryError, from the next call on): each under the address-space limit
    (``memory`` bytes more than at the fork) and ``timeout`` seconds. Forking once per
    batch instead of once per call is what keeps the CI sample fast."""
    outcomes: list[Outcome | None] = [None] * len(calls)
    start = 0
    while start < len(calls):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                os.close(read_fd)
                _batch_child(calls, start, write_fd, memory)
            except BaseException:
                code = 3
            finally:
                os._exit(code)
        os.close(write_fd)
        began = time.monotonic()
        current = start
        reason = None
        while current < len(calls):
            head = _read_exactly(read_fd, 8, began + timeout)
            data = None if head is None else _read_exactly(
                read_fd, int.from_bytes(head, "little"), time.monotonic() + 60)
            if data is None:
                reason = "hang" if time.monotonic() >= began + timeout else "eof"
                break
            i, outcome = pickle.loads(data)
            outcomes[i] = outcome
            current = i + 1
            began = time.monotonic()
            if outcome.kind == "memory":
                break
        if reason == "hang":
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        os.close(read_fd)
        if reason == "hang":
            outcomes[current] = Outcome("hang", message=f"still running after {timeout:g} s",
                                        seconds=timeout)
            current += 1
        elif reason == "eof":
            if os.WIFSIGNALED(status):
                sig = os.WTERMSIG(status)
                name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ \
                    else sig
                message = f"killed by signal {name}"
            else:
                message = f"exited with status {os.WEXITSTATUS(status)} without a result"
            outcomes[current] = Outcome("crash", message=message,
                                        seconds=time.monotonic() - began)
            current += 1
        start = current
    return outcomes  # type: ignore[return-value]


def run_many(calls: list[Callable[[], Any]], *, memory: int, timeout: float,
             jobs: int = 1) -> list[Outcome]:
    """:func:`run_batch` over ``jobs`` interleaved shares of ``calls`` at once (threads
    waiting on forked children); outcomes in the order of ``calls``."""
    if jobs <= 1 or len(calls) <= 1:
        return run_batch(calls, memory=memory, timeout=timeout)
    import concurrent.futures

    shares = [list(range(k, len(calls), jobs)) for k in range(jobs)]
    outcomes: list[Outcome | None] = [None] * len(calls)
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        done = pool.map(lambda share: run_batch([calls[i] for i in share], memory=memory,
                                                timeout=timeout), shares)
        for share, got in zip(shares, done):
            for i, outcome in zip(share, got):
                outcomes[i] = outcome
    return outcomes  # type: ignore[return-value]
