"""Demo section: what the bundled sample holds."""

from __future__ import annotations


def demo_section(sample) -> str:
    """Sizes, date range and resolution rate of the sample."""
    return repr(sample)
