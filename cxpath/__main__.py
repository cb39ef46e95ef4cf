"""``python -m cxpath`` is the ``cxpath`` command (see :mod:`cxpath.cli`)."""

from __future__ import annotations

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())
