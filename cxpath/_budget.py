"""Cost guards: refuse, before any work starts, a call that would need unbounded memory or time.

Every guard compares a cheap estimate with a cap and raises :class:`~cxpath.errors.CostError`
naming the estimate, the cap and how to raise it. The memory cap is read at call time (no
global state) from ``CXPATH_MAX_MEMORY`` (bytes, or a number with ``KiB``/``MiB``/``GiB``/``TiB``;
default 4 GiB); a call may also pass its own cap.

Examples
--------
>>> check_memory(8 * 10**6, "forecast.naive", "the forecast paths")
>>> check_memory(2**45, "forecast.naive", "the forecast paths")
Traceback (most recent call last):
...
cxpath.errors.CostError: forecast.naive would need about 32.0 TiB for the forecast paths, more \
than the 4.0 GiB cap. Ask for less, or raise the cap with the CXPATH_MAX_MEMORY environment \
variable (e.g. CXPATH_MAX_MEMORY=64GiB).
"""

from __future__ import annotations

import os
import re

from .errors import CostError

__all__ = ["check_memory", "format_bytes", "memory_cap"]

_DEFAULT_CAP = 4 * 2**30
_UNITS = {"": 1, "b": 1, "k": 2**10, "kb": 10**3, "kib": 2**10, "m": 2**20, "mb": 10**6,
          "mib": 2**20, "g": 2**30, "gb": 10**9, "gib": 2**30, "t": 2**40, "tb": 10**12,
          "tib": 2**40}
_SIZE = re.compile(r"\s*(\d+(?:\.\d*)?)\s*([a-zA-Z]*)\s*")


def memory_cap() -> int:
    """The memory cap in bytes: ``CXPATH_MAX_MEMORY`` if set and readable, else 4 GiB.

    Examples
    --------
    >>> memory_cap() > 0
    True
    """
    text = os.environ.get("CXPATH_MAX_MEMORY", "")
    match = _SIZE.fullmatch(text)
    if not match or match.group(2).lower() not in _UNITS:
        return _DEFAULT_CAP
    return int(float(match.group(1)) * _UNITS[match.group(2).lower()])


def format_bytes(n: float) -> str:
    """Bytes in binary units, e.g. ``'1.5 GiB'``.

    Examples
    --------
    >>> format_bytes(1536 * 2**20)
    '1.5 GiB'
    """
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if abs(n) < 1024 or unit == "PiB":
            return f"{n:.0f} B" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    raise AssertionError("unreachable")  # pragma: no cover


def check_memory(nbytes: float, func: str, what: str, *, cap: int | None = None,
                 how: str | None = None) -> None:
    """Raise :class:`CostError` if ``nbytes`` (an estimate) exceeds the cap.

    ``how`` replaces the default advice on raising the cap (e.g. a parameter of ``func``).
    """
    limit = memory_cap() if cap is None else cap
    if nbytes > limit:
        advice = how or ("Ask for less, or raise the cap with the CXPATH_MAX_MEMORY "
                         "environment variable (e.g. CXPATH_MAX_MEMORY=64GiB).")
        raise CostError(f"{func} would need about {format_bytes(nbytes)} for {what}, more than "
                        f"the {format_bytes(limit)} cap. {advice}")
