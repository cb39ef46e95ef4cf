"""``python -m cxpath demo`` runs end to end and prints every section."""

from __future__ import annotations

import subprocess
import sys

from cxpath._demo import SECTIONS


def test_demo_command_prints_every_section():
    out = subprocess.run([sys.executable, "-m", "cxpath", "demo"], capture_output=True,
                         text=True, check=True, timeout=600).stdout
    for _, title in SECTIONS:
        assert title in out
    assert "5,000 cases" in out
    # the planted segment bottleneck of the sample (docs/guide/datasets.md) is found
    assert ("Drill-down of escalation -> field_visit: median wait for fridge" in out
            and "by team: field_south" in out)


def test_version_command():
    out = subprocess.run([sys.executable, "-m", "cxpath", "version"], capture_output=True,
                         text=True, check=True).stdout
    assert out.strip().startswith("0.")
