"""The two periods a change is measured between, checked once for every rca function."""

from __future__ import annotations

from .. import _validate as v


def two_periods(seen: list, before, after, func: str) -> tuple[str, str]:
    """``(before, after)`` labels among the period labels ``seen`` (in order).

    Both None: the data must hold exactly two periods, taken in order; otherwise both must
    be given, differ, and occur in the data.
    """
    if before is None and after is None:
        if len(seen) != 2:
            v.fail("period", func, "two periods (or give 'before' and 'after')",
                   got=f"{len(seen)} distinct values {v.show_list(seen, 4)}", data=True)
        before, after = seen
    elif before is None or after is None:
        v.fail("before" if before is None else "after", func,
               "given together with the other period label", None)
    before, after = str(before), str(after)
    if before == after:
        v.fail("after", func, "a period other than 'before'", after)
    for arg, lab in (("before", before), ("after", after)):
        if lab not in seen:
            v.fail(arg, func, f"a value of 'period' (one of {v.show_list(seen, 6)})", lab)
    return before, after
