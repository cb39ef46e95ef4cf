"""Report section: what was read, and what cleaning removed or changed."""

from __future__ import annotations

from ._blocks import Section, Text

__all__ = ["section"]

#: How many journeys the data section lists.


def section(inputs) -> Section:
    """The inputs, the journeys built from the event log and the cleaning report."""
    blocks = []
    if inputs.sample is not None:
        blocks.append(Text(repr(inputs.sample)))
    j = inputs.journeys
    findings = []
    if j is not None:
        blocks.append(_journeys(j))
        report = j.cleaning_report
        if report is not None:
            blocks.append(Text(repr(report)))
            if report.n_removed or report.n_changed:
                findings.append(f"Cleaning removed {report.n_removed:,} and changed "
                                f"{report.n_changed:,} of the event log's rows (see the "
                                "data section).")
    return Section("data", "Data overview and cleaning", tuple(blocks), tuple(findings))


def _journeys(j) -> Text:
    """The journeys' repr; by default its first cases are listed as #1 … instead of by id."""
    note = "\n  (cases listed as #1, #2 … instead of their ids: show_ids=True or --show-ids " \
        "shows them)" if len(j) else ""
    return Text(j.to_text() + note, with_ids=j.to_text(show_ids=True))
