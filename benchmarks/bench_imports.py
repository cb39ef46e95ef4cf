"""Cold import time of each subpackage in a fresh interpreter (#27 point 5).

Each import runs in its own ``python -c`` process; the figure is the time of the import
statement itself (numpy already loaded, as any caller has it), median of 5 runs.
"""

from __future__ import annotations

import statistics
import subprocess
import sys

from _harness import row

SCRIPT = ("import time, numpy\nt = time.perf_counter()\nimport cxpath.{name}\n"
          "print(time.perf_counter() - t)")


def run(quick: bool = False) -> list[dict]:
    import cxpath

    rows = []
    for name in cxpath._SUBPACKAGES:
        times = [float(subprocess.run([sys.executable, "-c", SCRIPT.format(name=name)],
                                      capture_output=True, text=True, check=True).stdout)
                 for _ in range(3 if quick else 5)]
        rows.append(row(f"import cxpath.{name}", cxpath_s=statistics.median(times)))
    return rows
