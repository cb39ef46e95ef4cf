"""Risk scores of a failure mode: RPN, criticality and the AIAG-VDA Action Priority.

Ratings are the integers 1-10 of the FMEA scales: severity (S) of the effect, occurrence (O)
of the cause and detection (D) of the failure before it reaches the customer (10 = cannot be
detected). Every function takes scalars or equal-length arrays.
"""

from __future__ import annotations

import numbers
from typing import TYPE_CHECKING

import attrs
import numpy as np

from .. import _validate as v
from .._results import drawn_by

if TYPE_CHECKING:

    from .._typing import ArrayLike

__all__ = ["AP_LEVELS", "ActionPriorityTable", "action_priority", "ap_table", "criticality",
           "rpn"]

#: Action Priority letters by code: 0 = Low, 1 = Medium, 2 = High.
AP_LEVELS = ("L", "M", "H")
_LETTERS = np.array(AP_LEVELS)


def _rating(values, name: str, func: str):
    """Ratings as int64 (scalar int or 1-D array), each an integer in [1, 10]."""
    if isinstance(values, (numbers.Integral, np.integer)) and not isinstance(values, bool):
        return v.check_int(values, name, func, low=1, high=10), True
    if isinstance(values, (bool, np.bool_, numbers.Real, str, bytes)):
        v.fail(name, func, "an integer in [1, 10]", values, wrong_type=True)
    arr = v.array(values, name, func)
    if arr.ndim == 0:
        v.fail(name, func, "an integer in [1, 10]", values, wrong_type=True)
    if arr.dtype.kind == "b":
        v.fail(name, func, "integers in [1, 10]", got="booleans", data=True)
    return v.as_int_array(values, name, func, low=1, high=10, min_size=0), False


def _ratings(func: str, **named):
    out, scalar = {}, True
    for name, values in named.items():
        out[name], is_scalar = _rating(values, name, func)
        scalar &= is_scalar
    if not scalar:
        arrays = {k: np.asarray(x, dtype=np.int64) for k, x in out.items()}
        n = max(a.size for a in arrays.values())
        arrays = {k: (np.full(n, a, dtype=np.int64) if a.ndim == 0 else a)
                  for k, a in arrays.items()}
        v.check_same_length(func, **arrays)
        out = arrays
    return out, scalar


def rpn(severity: ArrayLike, occurrence: ArrayLike, detection: ArrayLike) -> int | np.ndarray:
    """Risk priority number ``S * O * D`` (1-1000).

    Parameters
    ----------
    severity, occurrence, detection : int or array-like of int
        Ratings in [1, 10]; arrays must have equal length (scalars broadcast).

    Returns
    -------
    int or ndarray of int64

    Raises
    ------
    InvalidParameterError, DataError
        A rating that is not an integer in [1, 10]; the message names the rating and the
        position.

    Notes
    -----
    Only 120 of the numbers 1-1000 can occur, and equal RPNs hide very different risks:
    ``S=10, O=1, D=1`` gives 10 while ``S=O=D=5`` gives 125. Rank with
    :func:`action_priority` first (see :func:`~cxpath.fmea.rank`).

    Examples
    --------
    >>> rpn(7, 5, 4)
    140
    >>> rpn([10, 5], [1, 5], [1, 5])
    array([ 10, 125])
    """
    r, scalar = _ratings("fmea.rpn", severity=severity, occurrence=occurrence,
                         detection=detection)
    out = r["severity"] * r["occurrence"] * r["detection"]
    return int(out) if scalar else out


def criticality(severity: ArrayLike, occurrence: ArrayLike) -> int | np.ndarray:
    """Criticality ``S * O`` (1-100), the FMECA-style score that ignores detection.

    Examples
    --------
    >>> criticality(9, 2)
    18
    >>> criticality([9, 4], 2)
    array([18,  8])
    """
    r, scalar = _ratings("fmea.criticality", severity=severity, occurrence=occurrence)
    out = r["severity"] * r["occurrence"]
    return int(out) if scalar else out


# --------------------------------------------------------------------------------------------
# AIAG-VDA 2019 Action Priority
# --------------------------------------------------------------------------------------------

#: Rating bands of the AIAG-VDA table, from the highest band down.
S_BANDS = ((9, 10), (7, 8), (4, 6), (2, 3), (1, 1))
O_BANDS = ((8, 10), (6, 7), (4, 5), (2, 3), (1, 1))
D_BANDS = ((7, 10), (5, 6), (2, 4), (1, 1))

# One string per severity band; within it one 4-letter cell per occurrence band, the letters
# being the AP for D = 7-10, 5-6, 2-4, 1. Checked cell by cell against independent public
# reproductions of the handbook's "Action Priority for DFMEA and PFMEA" table (see the user
# guide): H 318, M 214, L 468 over the 1000 combinations.
_AIAG_VDA_2019 = (
    "HHHH HHHH HHHM HMLL LLLL",   # S 9-10
    "HHHH HHHM HMMM MMLL LLLL",   # S 7-8
    "HHMM MMML MLLL LLLL LLLL",   # S 4-6
    "MMLL LLLL LLLL LLLL LLLL",   # S 2-3
    "LLLL LLLL LLLL LLLL LLLL",   # S 1
)


def _expand(rows, s_bands=S_BANDS, o_bands=O_BANDS, d_bands=D_BANDS) -> np.ndarray:
    codes = np.zeros((10, 10, 10), dtype=np.int64)
    for (s0, s1), row_text in zip(s_bands, rows):
        for (o0, o1), cell in zip(o_bands, row_text.split()):
            for (d0, d1), letter in zip(d_bands, cell):
                codes[s0 - 1:s1, o0 - 1:o1, d0 - 1:d1] = AP_LEVELS.index(letter)
    return codes


@drawn_by("action_priority")
@attrs.frozen(eq=False)
class ActionPriorityTable:
    """A complete S x O x D -> H/M/L lookup.

    Attributes
    ----------
    name : str
    codes : ndarray of int64, shape (10, 10, 10)
        ``codes[s-1, o-1, d-1]`` is 0 (L), 1 (M) or 2 (H).
    source : str
        Where the table comes from.

    Examples
    --------
    >>> t = ap_table("aiag-vda-2019")
    >>> t.counts()
    {'H': 318, 'M': 214, 'L': 468}
    >>> t.is_monotone()
    True
    """

    name: str
    codes: np.ndarray
    source: str = ""

    def __attrs_post_init__(self) -> None:
        func = "fmea.ActionPriorityTable"
        if not isinstance(self.name, str):
            v.fail("name", func, "a str", self.name, wrong_type=True)
        if not isinstance(self.source, str):
            v.fail("source", func, "a str", self.source, wrong_type=True)
        if isinstance(self.codes, (bool, np.bool_)) or \
                np.ndim(v.array(self.codes, "codes", func)) != 3:
            v.fail("codes", func, "an integer array of shape (10, 10, 10)", self.codes,
                   wrong_type=not isinstance(self.codes, (np.ndarray, list, tuple)))
        codes = v.as_int_array(self.codes, "codes", func, ndim=3, low=0, high=2)
        if codes.shape != (10, 10, 10):
            v.fail("codes", func, "an integer array of shape (10, 10, 10)",
                   got=f"an array of shape {codes.shape}")
        codes = codes.copy()  # never freeze the caller's array
        codes.setflags(write=False)
        object.__setattr__(self, "codes", codes)

    @classmethod
    def from_array(cls, letters: ArrayLike, name: str = "custom",
                   source: str = "") -> ActionPriorityTable:
        """Build a table from a (10, 10, 10) array of 'H'/'M'/'L' indexed [S-1, O-1, D-1].

        Examples
        --------
        >>> import numpy as np
        >>> t = ActionPriorityTable.from_array(np.full((10, 10, 10), "M"), name="flat")
        >>> t.counts()["M"]
        1000
        """
        func = "fmea.ActionPriorityTable.from_array"
        arr = v.array(letters, "letters", func)
        if arr.shape != (10, 10, 10):
            v.fail("letters", func, "an array of shape (10, 10, 10)",
                   got=f"an array of shape {arr.shape}")
        codes = np.zeros(arr.shape, dtype=np.int64)
        for k, letter in enumerate(AP_LEVELS):
            codes[arr == letter] = k
        bad = ~np.isin(arr, AP_LEVELS)
        if bad.any():
            s, o, d = (int(i) + 1 for i in np.argwhere(bad)[0])
            v.fail("letters", func, "'H', 'M' or 'L' in every cell",
                   got=f"{str(arr[s - 1, o - 1, d - 1])!r} at S={s}, O={o}, D={d}", data=True)
        return cls(name=name, codes=codes, source=source)

    def lookup(self, severity: int | np.ndarray, occurrence: int | np.ndarray,
               detection: int | np.ndarray) -> np.ndarray | np.integer:
        """AP codes (0 = L, 1 = M, 2 = H) of ratings in [1, 10] (integers or equal-length arrays).

        Raises
        ------
        InvalidParameterError, DataError
            A rating that is not an integer in [1, 10].

        Examples
        --------
        >>> int(ap_table().lookup(9, 4, 2))
        2
        """
        r, _ = _ratings("fmea.ActionPriorityTable.lookup", severity=severity,
                        occurrence=occurrence, detection=detection)
        return self._codes_of(r["severity"], r["occurrence"], r["detection"])

    def _codes_of(self, severity, occurrence, detection):
        """AP codes of already validated int64 ratings."""
        return self.codes[severity - 1, occurrence - 1, detection - 1]

    def counts(self) -> dict:
        """How many of the 1000 combinations are H, M and L."""
        return {letter: int((self.codes == k).sum())
                for k, letter in reversed(list(enumerate(AP_LEVELS)))}

    def is_monotone(self) -> bool:
        """True when AP never falls as S, O or D rises."""
        return all(bool((np.diff(self.codes, axis=ax) >= 0).all()) for ax in range(3))

    def __repr__(self) -> str:
        c = self.counts()
        return f"ActionPriorityTable({self.name!r}: H {c['H']}, M {c['M']}, L {c['L']})"


_SOURCE = ("AIAG & VDA FMEA Handbook, 1st edition (2019), Action Priority (AP) for DFMEA and "
           "PFMEA")
_TABLES = {"aiag-vda-2019": ActionPriorityTable("aiag-vda-2019", _expand(_AIAG_VDA_2019),
                                                _SOURCE)}
_ALIASES = {"aiag-vda-2019": "aiag-vda-2019", "aiag-vda": "aiag-vda-2019",
            "dfmea": "aiag-vda-2019", "pfmea": "aiag-vda-2019"}


def ap_table(table: str | ActionPriorityTable = "aiag-vda-2019",
             func: str = "fmea.ap_table") -> ActionPriorityTable:
    """Return a named Action Priority table (or pass an :class:`ActionPriorityTable` through).

    Names: ``'aiag-vda-2019'`` (aliases ``'aiag-vda'``, ``'dfmea'``, ``'pfmea'``: the
    handbook uses one table for design and process FMEA).

    Examples
    --------
    >>> ap_table("pfmea").name
    'aiag-vda-2019'
    """
    if isinstance(table, ActionPriorityTable):
        return table
    v.check_option(table, "table", func, tuple(_ALIASES))
    return _TABLES[_ALIASES[table]]


def action_priority(severity: ArrayLike, occurrence: ArrayLike, detection: ArrayLike, *,
                    table: str | ActionPriorityTable = "aiag-vda-2019") -> str | np.ndarray:
    """AIAG-VDA Action Priority ``'H'``, ``'M'`` or ``'L'`` of each (S, O, D).

    Parameters
    ----------
    severity, occurrence, detection : int or array-like of int
        Ratings in [1, 10].
    table : str or ActionPriorityTable, default 'aiag-vda-2019'
        The lookup table (see :func:`ap_table`).

    Returns
    -------
    str or ndarray of str

    Raises
    ------
    InvalidParameterError, DataError
        A rating outside [1, 10] or not an integer, or an unknown table name.

    References
    ----------
    AIAG & VDA, *FMEA Handbook*, 1st edition, 2019, "Action Priority (AP) for DFMEA and
    PFMEA".

    Examples
    --------
    >>> action_priority(10, 1, 1)
    'L'
    >>> action_priority([9, 5, 5], [4, 8, 5], [2, 5, 5])
    array(['H', 'H', 'L'], dtype='<U1')
    """
    func = "fmea.action_priority"
    tab = ap_table(table, func)
    r, scalar = _ratings(func, severity=severity, occurrence=occurrence, detection=detection)
    codes = tab._codes_of(r["severity"], r["occurrence"], r["detection"])
    return str(_LETTERS[codes]) if scalar else _LETTERS[codes]
