"""The record of everything ingestion removed or changed, and why."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs
import numpy as np

from .._results import Result, derived_columns, format_table, result
from ..errors import StrictCleaningError

if TYPE_CHECKING:
    from .._typing import ArrayLike

__all__ = ["CleaningReport"]

REMOVED_REASONS = {
    "missing_case": "case id missing or blank",
    "missing_touchpoint": "touchpoint missing or blank",
    "missing_timestamp": "timestamp missing",
    "unparseable_timestamp": "timestamp not parseable",
    "duplicate": "exact duplicate of an earlier row",
    "zero_count": "path with zero conversions and zero non-conversions",
    "lifecycle_other": "lifecycle transition other than start or complete (schedule, "
                       "suspend, resume, abort …)",
    "unpaired_start": "lifecycle start never completed",
}
CHANGED_REASONS = {
    "missing_channel": "channel missing or blank: kept with channel code -1",
    "missing_outcome": "outcome flag missing: counted as no success",
    "missing_value": "value missing: left out of the case value",
    "unpaired_complete": "lifecycle complete without an open start: kept as an instance "
                         "of zero service time",
    "missing_start": "start timestamp missing: start taken as the completion",
    "start_after_complete": "start timestamp after the completion: start taken as the "
                            "completion",
}


def _rows(mapping: Mapping[str, ArrayLike]) -> dict:
    return {k: np.asarray(val, dtype=np.int64) for k, val in mapping.items()}


@result
class CleaningReport(Result):
    """What :meth:`Journeys.from_events` / :meth:`Journeys.from_paths` removed or changed.

    Row positions refer to the input rows (0-based), so every removed or changed row can be
    found again. Nothing is dropped without appearing here.

    Attributes
    ----------
    n_rows : int
        Rows in the input.
    n_events, n_cases : int
        Events and cases kept.
    removed : dict of str to ndarray
        Reason -> input row positions removed for it (see ``REMOVED_REASONS``).
    changed : dict of str to ndarray
        Reason -> input row positions kept but altered (see ``CHANGED_REASONS``).
    empty_cases : ndarray
        Case ids all of whose rows were removed (the case is gone).
    duplicates_kept : ndarray
        Positions of rows that exactly repeat an earlier row of the same case and timestamp
        and were kept (``duplicates='keep'``, the default, as process-mining tools do).
    out_of_order : int
        Events that came before an earlier-timestamped event of the same case in the input;
        they are put in time order (this is normal, not an error).
    paired_starts : int
        Lifecycle start rows merged with their complete rows into activity instances (they
        are neither removed nor changed: each pair is one event).
    atomic_events : int
        Lifecycle complete rows of touchpoints that are never started anywhere in the log
        (recorded as completions only): instances of zero service time by design, neither
        removed nor changed. A complete without an open start of a touchpoint that is
        started elsewhere is ``unpaired_complete``.
    label_variants : dict of str to tuple
        Column -> groups of labels that differ only by surrounding white space or case
        (the kept spelling first). With ``normalize_labels=True`` they were merged and the
        rows respelled are listed as ``respelled_<column>``.
    """

    n_rows: int
    n_events: int
    n_cases: int
    removed: dict = attrs.field(factory=dict, converter=_rows)
    changed: dict = attrs.field(factory=dict, converter=_rows)
    empty_cases: np.ndarray = attrs.field(factory=lambda: np.zeros(0, dtype=object))
    duplicates_kept: np.ndarray = attrs.field(factory=lambda: np.zeros(0, dtype=np.int64))
    out_of_order: int = 0
    paired_starts: int = 0
    atomic_events: int = 0
    label_variants: dict = attrs.field(factory=dict)

    _derived = derived_columns({
        "reason": "a key of ``removed`` or ``changed``, or ``'duplicate'`` for "
                  "``duplicates_kept``",
        "action": "``'removed'``, ``'changed'`` or ``'kept'``: which of the three",
        "rows": "how many input rows: the length of that entry",
        "first_rows": "its first input row positions",
        "meaning": "what the reason means"})
    _key = "reason"

    @property
    def n_removed(self) -> int:
        """Number of input rows removed."""
        return int(sum(len(r) for r in self.removed.values()))

    @property
    def n_changed(self) -> int:
        """Number of input rows kept with an altered field."""
        return int(sum(len(r) for r in self.changed.values()))

    @property
    def clean(self) -> bool:
        """True when nothing was removed or changed and no case vanished."""
        return self.n_removed == 0 and self.n_changed == 0 and len(self.empty_cases) == 0

    def raise_if_unclean(self, func: str) -> None:
        """Raise :class:`StrictCleaningError` listing what the default would have cleaned."""
        if self.clean:
            return
        problems = [f"{len(r)} row(s) {REMOVED_REASONS[k]} (rows {_head(r)})"
                    for k, r in self.removed.items() if len(r)]
        problems += [f"{len(r)} row(s) {_changed_reason(k).split(':')[0]} (rows {_head(r)})"
                     for k, r in self.changed.items() if len(r)]
        if len(self.empty_cases):
            problems.append(f"{len(self.empty_cases)} case(s) left empty")
        raise StrictCleaningError(
            f"The data passed to {func} needs cleaning and strict=True was given: "
            + "; ".join(problems) + ". Fix the input or call with strict=False to clean and "
            "report it.")

    def _title(self) -> str:
        return "CleaningReport"

    def _summary(self) -> list[str]:
        lines = [f"{self.n_rows:,} input rows -> {self.n_events:,} events in "
                 f"{self.n_cases:,} cases; removed {self.n_removed:,}, changed "
                 f"{self.n_changed:,}"]
        if len(self.empty_cases):
            lines.append(f"{len(self.empty_cases):,} case(s) vanished: every row removed")
        if len(self.duplicates_kept):
            lines.append(f"{len(self.duplicates_kept):,} exact duplicate row(s) kept "
                         "(pass duplicates='drop' to remove them)")
        if self.out_of_order:
            lines.append(f"{self.out_of_order:,} event(s) were out of time order and sorted")
        for column, groups in self.label_variants.items():
            shown = "; ".join(" / ".join(map(repr, g)) for g in groups[:3])
            more = f" and {len(groups) - 3} more" if len(groups) > 3 else ""
            lines.append(f"{column} labels written more than one way: {shown}{more}")
        if self.paired_starts:
            lines.append(f"{self.paired_starts:,} lifecycle start row(s) paired with their "
                         "complete rows into activity instances")
        if self.atomic_events:
            lines.append(f"{self.atomic_events:,} complete row(s) of touchpoints never "
                         "started in the log: instants (zero service time)")
        return lines

    def __repr__(self) -> str:
        lines = self._summary()
        head = f"CleaningReport: {lines[0]}"
        table = self._columns()
        if len(table["reason"]):
            return "\n".join([head, *lines[1:], format_table(table, max_rows=20)])
        return "\n".join([head, *lines[1:], "nothing removed or changed"])

    def _columns(self) -> dict:
        reasons, actions, counts, examples = [], [], [], []
        for table, action in ((self.removed, "removed"), (self.changed, "changed")):
            for key, rows in table.items():
                if len(rows):
                    reasons.append(key)
                    actions.append(action)
                    counts.append(len(rows))
                    examples.append(_head(rows))
        if len(self.duplicates_kept):
            reasons.append("duplicate")
            actions.append("kept")
            counts.append(len(self.duplicates_kept))
            examples.append(_head(self.duplicates_kept))
        meaning = [REMOVED_REASONS[r] if a == "removed" else _changed_reason(r)
                   if a == "changed" else "exact duplicate of an earlier row, kept"
                   for r, a in zip(reasons, actions)]
        return {"reason": np.array(reasons, dtype=object),
                "action": np.array(actions, dtype=object),
                "rows": np.array(counts, dtype=np.int64),
                "first_rows": np.array(examples, dtype=object),
                "meaning": np.array(meaning, dtype=object)}


def _changed_reason(key: str) -> str:
    if key.startswith("filled_"):
        return f"{key[7:]} missing: filled with the value given in 'fill'"
    if key.startswith("respelled_"):
        return (f"{key[10:]} label differed from a more frequent spelling only by white "
                "space or case: merged into it")
    return CHANGED_REASONS[key]


def _head(rows, k: int = 5) -> str:
    shown = ", ".join(str(int(r)) for r in rows[:k])
    return shown + (", …" if len(rows) > k else "")
