"""The bundled sample of an after-sales service operation: ``load_sample``/``generate_sample``."""

from __future__ import annotations

import pathlib
from typing import TYPE_CHECKING

import attrs
import numpy as np

from .. import _validate as v
from ._generate import SURVEY_CONSTRUCTS, simulate

if TYPE_CHECKING:
    import os

    from ..journeys import Journeys

__all__ = ["DEFAULT_SEED", "ServiceSample", "generate_sample", "load_sample", "write_cache"]

DEFAULT_SEED = 20261123
DEFAULT_CASES = 5000
CACHE = pathlib.Path(__file__).parent / "_data" / "sample.npz"
TABLES = ("events", "tickets", "survey", "failure_modes", "failures", "daily_contacts",
          "daily_complaints", "interval_volumes", "weekly_parts")


@attrs.frozen(repr=False, eq=False)
class ServiceSample:
    """One year of a home-appliance maker's after-sales service, as plain numpy columns.

    Every table is a ``dict`` of column name to 1-D array (``weekly_parts['demand']`` is
    2-D, parts × weeks). The generative model and the planted patterns are documented in
    the user guide (*The bundled sample*).

    Attributes
    ----------
    events : dict
        Touchpoint log: ``case_id``, ``customer_id``, ``touchpoint``, ``channel``,
        ``timestamp`` (datetime64[s], UTC), ``team`` (who handled the event: ``digital``,
        ``contact_centre``, ``store``, ``back_office``, ``field_north`` or
        ``field_south``; ``resolved`` takes the team of the touch before it), and the
        case's ``product`` and ``priority`` repeated on each event (equal to the ticket's).
        Planted segment bottleneck: for fridges visited by ``field_south`` the
        ``escalation -> field_visit`` wait is three times as long, which the unsegmented
        ranking does not show and ``bottlenecks(journeys, by="product")`` does.
    tickets : dict
        One row per case: ``ticket_id``, ``customer_id``, ``channel`` (first contact),
        ``priority``, ``product``, ``agent``, ``created``, ``first_response``,
        ``resolved_at`` (NaT when unresolved), ``resolved``, ``first_contact_resolution``,
        ``handle_time_s``, ``contacts``.
    survey : dict
        Post-contact answers: ``ticket_id``, ``csat`` (1–5), ``nps`` (0–10), ``ces``
        (1–7) and fifteen 1–7 Likert items (NaN where unanswered).
    survey_constructs : dict
        Construct name -> its item names.
    failure_modes : dict
        FMEA worksheet rows (``step`` … ``severity``, ``occurrence``, ``detection`` …).
    failures : dict
        Ticket-level failure records: ``ticket_id``, ``failure_mode``, ``date``.
    service_orders : int
        Exposure for failure rates (number of tickets).
    daily_contacts, daily_complaints, interval_volumes, weekly_parts : dict
        Demand histories for forecasting, control charts and staffing.
    """

    events: dict
    tickets: dict
    survey: dict
    survey_constructs: dict
    failure_modes: dict
    failures: dict
    service_orders: int
    daily_contacts: dict
    daily_complaints: dict
    interval_volumes: dict
    weekly_parts: dict

    @property
    def journeys(self) -> Journeys:
        """The event log as :class:`~cxpath.Journeys` (success: a ``resolved`` event last).

        Carries the case attributes ``product`` and ``priority`` and the event attribute
        ``team``, for drill-down with ``by=``.

        Examples
        --------
        >>> from cxpath.datasets import load_sample
        >>> from cxpath.journeys import bottlenecks
        >>> fridge = bottlenecks(load_sample().journeys, by="product")["fridge"]
        >>> fridge.steps[0], round(float(fridge.median_wait[0]) / 86400, 1)
        ('escalation -> field_visit', 5.0)
        """
        from ..journeys import Journeys

        return Journeys.from_events(self.events, case="case_id", touchpoint="touchpoint",
                                    timestamp="timestamp", channel="channel",
                                    success={"resolved"},
                                    case_attributes=["product", "priority"],
                                    event_attributes=["team"])

    def __repr__(self) -> str:
        """A summary that never raises, whatever the fields hold (hand-built samples)."""
        try:
            e, t = self.events, self.tickets
            head = (f"ServiceSample: {len(t['ticket_id']):,} cases, {len(e['case_id']):,} "
                    f"events from {str(np.min(e['timestamp']))[:10]} to "
                    f"{str(np.max(e['timestamp']))[:10]}, resolution rate "
                    f"{float(np.mean(t['resolved'])):.1%}")
        except Exception:  # a repr must not fail on odd fields
            head = "ServiceSample"
        lines = [head, *(f"  {name}: {_describe(getattr(self, name))}" for name in TABLES[2:])]
        return "\n".join(lines)


def _describe(table) -> str:
    """``'N rows, columns a, b'`` for a dict of columns, else what the field holds."""
    if not isinstance(table, dict):
        return f"not a dict of columns ({type(table).__name__})"
    if not table:
        return "no columns"
    try:
        rows = f"{len(next(iter(table.values()))):,} rows"
    except TypeError:
        rows = "rows unknown"
    names = ", ".join(str(k) for k in list(table)[:20]) + (", …" if len(table) > 20 else "")
    return f"{rows}, columns {names}"


def _from_columns(columns: dict) -> ServiceSample:
    tables = {name: {} for name in TABLES}
    for key, arr in columns.items():
        if key == "service_orders":
            continue
        table, column = key.split(".", 1)
        tables[table][column] = arr
    return ServiceSample(survey_constructs=dict(SURVEY_CONSTRUCTS),
                         service_orders=int(columns["service_orders"]), **tables)


def generate_sample(seed: int = DEFAULT_SEED, n_cases: int = DEFAULT_CASES) -> ServiceSample:
    """Generate the sample afresh (about 0.4 s for the default size).

    Parameters
    ----------
    seed : int
        Seed of the random generator (PCG64); the bundled copy uses the default.
    n_cases : int
        Number of service cases (tickets) in the event log.

    Examples
    --------
    >>> from cxpath.datasets import generate_sample
    >>> generate_sample(seed=1, n_cases=200).tickets["ticket_id"][:2].tolist()
    ['T000', 'T001']
    """
    func = "datasets.generate_sample"
    seed = v.check_int(seed, "seed", func, low=0)
    n_cases = v.check_int(n_cases, "n_cases", func, low=100, high=1_000_000)
    return _from_columns(simulate(seed, n_cases))


def load_sample() -> ServiceSample:
    """Load the bundled copy of ``generate_sample()`` (default seed and size).

    Examples
    --------
    >>> from cxpath.datasets import load_sample
    >>> sample = load_sample()
    >>> len(sample.tickets["ticket_id"])
    5000
    """
    with np.load(CACHE, allow_pickle=False) as data:
        return _from_columns({k: data[k] for k in data.files})


def write_cache(path: str | os.PathLike = CACHE) -> pathlib.Path:
    """Regenerate the bundled file (maintainers: run after changing the generator).

    ``path`` is checked first (a non-empty ``str`` or ``os.PathLike``); a missing folder
    raises the usual :class:`FileNotFoundError`.
    """
    path = v.check_path(path, "path", "datasets.write_cache")
    columns = simulate(DEFAULT_SEED, DEFAULT_CASES)
    np.savez_compressed(path, **columns)
    return path
