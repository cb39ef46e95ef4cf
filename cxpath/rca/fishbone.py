"""Cause-and-effect (Ishikawa, fishbone) diagrams counted from data and rolled up.

The diagram is a nested mapping: major bones (the classic 6 M's, or *people, process,
system, policy* in a service) map to sub-causes, down to leaves. Each record of a ticket or
complaint table names its leaf cause; :func:`fishbone` counts (or sums the cost of) the
records at each leaf, rolls the totals up the bones and runs a Pareto analysis
(:func:`cxpath.fmea.pareto`) among the children of every bone, so each level shows its own
vital few.

References
----------
Ishikawa, K. (1976). *Guide to Quality Control*. Asian Productivity Organization.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from .. import _validate as v
from .._frames import column as _column
from .._results import Result, drawn_by, result
from ..fmea.pareto import Pareto, pareto

if TYPE_CHECKING:
    from .._typing import ColumnLike, TableLike

__all__ = ["Fishbone", "fishbone"]

_SEP = " > "
_UNASSIGNED = "(unassigned)"


@drawn_by("fishbone")
@result
class Fishbone(Result):
    """A fishbone diagram whose causes are counted from data, with totals rolled up.

    Rows are the bones and leaves in depth-first order, the children of every bone sorted
    by total (largest first), so the table reads like the diagram.

    Attributes
    ----------
    path : ndarray of str
        ``'Process > Routing > wrong queue'``: the bones from the effect down to the node.
    cause : ndarray of str
        The node's own name.
    parent : ndarray of str
        The bone above ('' for a major bone).
    level : ndarray of int
        1 for a major bone, 2 for its sub-causes, ...
    leaf : ndarray of bool
        True for a cause without sub-causes (where the data are counted).
    total : ndarray of float
        Records (or their cost) at a leaf; the sum of the children at a bone.
    share : ndarray of float
        ``total`` over the effect's total.
    share_of_parent : ndarray of float
        ``total`` over the parent's total (over the effect's total for a major bone).
    vital : ndarray of bool
        In the vital few of its siblings (the Pareto analysis of its parent's children at
        ``cut``).
    effect : str
    measure : str
        ``'count'`` or the name of the summed value.
    grand_total : float
    dropped : float
        Records (or cost) whose cause the diagram does not have, with ``unmatched='drop'``.
    cut : float
    """

    path: np.ndarray
    cause: np.ndarray
    parent: np.ndarray
    level: np.ndarray
    leaf: np.ndarray
    total: np.ndarray
    share: np.ndarray
    share_of_parent: np.ndarray
    vital: np.ndarray
    effect: str
    measure: str
    grand_total: float
    dropped: float
    cut: float

    _key = "path"

    def _title(self) -> str:
        return f"Fishbone of {self.effect!r}"

    def _summary(self) -> list[str]:
        majors = self.level == 1
        lines = [f"{int(majors.sum())} major bones, {int(self.leaf.sum())} leaf causes; "
                 f"{self.measure} total {self.grand_total:g}"]
        vital = self.cause[majors & self.vital].tolist()
        if vital:
            lines.append("vital major bones: " + ", ".join(vital))
        if self.dropped:
            lines.append(f"{self.dropped:g} not in the diagram (dropped)")
        return lines

    def _columns(self) -> dict:
        return {"path": self.path, "cause": self.cause, "parent": self.parent,
                "level": self.level, "leaf": self.leaf, "total": self.total,
                "share": self.share, "share_of_parent": self.share_of_parent,
                "vital": self.vital}

    def pareto(self, node: str | None = None, *, level: int | None = None,
               cut: float | None = None) -> Pareto:
        """Pareto analysis of the children of ``node``, or of every cause at ``level``.

        Parameters
        ----------
        node : str, optional
            A bone's name; default the effect (the major bones).
        level : int, optional
            Instead of ``node``: every cause at this depth (1: major bones), across bones.
        cut : float, optional
            Share the vital few must reach; default the diagram's ``cut``.

        Returns
        -------
        Pareto

        Examples
        --------
        >>> fb = fishbone({"People": ["untrained", "rude"], "System": ["CRM down"]},
        ...               {"untrained": 40, "rude": 10, "CRM down": 30})
        >>> fb.pareto().labels.tolist(), fb.pareto("People").counts.tolist()
        (['People', 'System'], [40.0, 10.0])
        >>> fb.pareto(level=2).vital_few.tolist()
        ['untrained', 'CRM down']
        """
        func = "rca.Fishbone.pareto"
        cut = self.cut if cut is None else v.check_real(cut, "cut", func, low=0.0, high=1.0,
                                                        closed="right")
        if level is not None:
            if node is not None:
                v.fail("level", func, "None when 'node' is given", level)
            level = v.check_int(level, "level", func, low=1, high=max(int(self.level.max()), 1))
            pick = self.level == level
        else:
            if node is None:
                pick = self.level == 1
            else:
                if not isinstance(node, str):
                    v.fail("node", func, "the name of a bone", node, wrong_type=True)
                bones = self.cause[~self.leaf].tolist()
                if node not in bones:
                    v.fail("node", func, f"one of the bones {v.show_list(bones)}", node)
                pick = self.parent == node
        names, totals = self.cause[pick], self.total[pick]
        if not totals.sum() > 0:
            v.fail("node" if level is None else "level", func, "a part of the diagram with "
                   "records", got="causes that all have a total of 0", data=True)
        return pareto(labels=list(names), counts=totals, cut=cut)


def _tree(causes, func: str) -> list[tuple]:
    """``(path, name, parent, level, leaf)`` rows, depth-first, checking the spec."""
    must = ("a mapping bone -> sub-causes (a mapping, a list of leaf names, or None/[] for a "
            "leaf)")
    if not isinstance(causes, Mapping):
        v.fail("causes", func, must, causes, wrong_type=True)
    if not causes:
        v.fail("causes", func, "at least one bone", got="an empty mapping")
    rows: list[tuple] = []
    seen: dict[str, str] = {}

    def add(name, parent: str, path: str, level: int, sub) -> None:
        if not isinstance(name, str) or not name.strip():
            v.fail("causes", func, "cause names that are non-empty strings",
                   got=f"{v.show(name)} under {parent or 'the effect'!r}",
                   wrong_type=not isinstance(name, str))
        if _SEP.strip() in name:
            v.fail("causes", func, f"cause names without {_SEP.strip()!r}", name)
        if name in seen:
            v.fail("causes", func, "distinct cause names (the data name a cause by its name)",
                   got=f"{name!r} under both {seen[name] or 'the effect'!r} and "
                       f"{parent or 'the effect'!r}", data=True)
        seen[name] = parent
        full = f"{path}{_SEP}{name}" if path else name
        if level > 50:
            v.fail("causes", func, "at most 50 levels deep", got="a deeper nesting")
        if sub is None or (isinstance(sub, (list, tuple)) and not sub):
            rows.append((full, name, parent, level, True))
            return
        rows.append((full, name, parent, level, False))
        if isinstance(sub, Mapping):
            for k, x in sub.items():
                add(k, name, full, level + 1, x)
        elif isinstance(sub, (list, tuple)):
            for x in sub:
                if isinstance(x, Mapping):
                    for k, y in x.items():
                        add(k, name, full, level + 1, y)
                else:
                    add(x, name, full, level + 1, None)
        elif isinstance(sub, str):
            add(sub, name, full, level + 1, None)
        else:
            v.fail("causes", func, must, got=f"{v.show(sub)} under {name!r}", wrong_type=True)

    for k, x in causes.items():
        add(k, "", "", 1, x)
    return rows


def _scalar(x) -> bool:
    return isinstance(x, (numbers.Real, np.number)) and not isinstance(x, (bool, np.bool_))


def fishbone(causes: Mapping, data: TableLike | Mapping[str, float] | Sequence[str] | None
             = None, *, cause: ColumnLike = "cause", value: ColumnLike | None = None,
             effect: str = "effect", cut: float = 0.8, unmatched: str = "error") -> Fishbone:
    """Count a fishbone diagram's leaf causes from data and roll the totals up.

    Parameters
    ----------
    causes : mapping
        The diagram: ``{bone: sub-causes}``, where sub-causes are a mapping (deeper bones),
        a list of leaf names (items may be mappings for deeper bones) or None/[] (the bone is
        itself a leaf). Every name must be distinct: records name their cause by it.
    data : table, mapping or sequence, optional
        One row per record (pandas/polars/pyarrow/dict of columns) with the leaf cause in
        column ``cause``; or a mapping ``leaf -> count`` (or cost); or the sequence of leaf
        names itself.
    cause : str or array-like, default 'cause'
        Column of ``data`` naming each record's leaf cause, or the names themselves.
    value : str or array-like, optional
        Column (or values) summed instead of counting records, e.g. the cost of each record.
    effect : str, default 'effect'
        The problem the diagram explains (the fish's head), for the reprs.
    cut : float in (0, 1], default 0.8
        Share the vital few of each level must reach.
    unmatched : {'error', 'other', 'drop'}, default 'error'
        Records whose cause is not a leaf of the diagram: an error (naming them), a major
        bone ``'(unassigned)'`` holding them, or dropped (their total in ``dropped``).

    Returns
    -------
    Fishbone

    Raises
    ------
    InvalidParameterError, DataError
        A malformed diagram, repeated names, a record naming a bone or an unknown cause
        (with ``unmatched='error'``), negative or NaN values, a zero total.

    Examples
    --------
    >>> causes = {"Process": {"Routing": ["wrong queue", "no skill match"],
    ...                       "Policy": ["refund limit"]},
    ...           "System": ["CRM timeout", "IVR loop"], "People": ["not trained"]}
    >>> tickets = {"cause": ["wrong queue"] * 5 + ["CRM timeout"] * 3 + ["refund limit",
    ...            "no skill match", "not trained"]}
    >>> fb = fishbone(causes, tickets, effect="repeat contacts")
    >>> fb.loc("Process")["total"], fb.loc("Process > Routing")["total"]
    (7.0, 6.0)
    >>> fb.pareto().vital_few.tolist()
    ['Process', 'System']
    """
    func = "rca.fishbone"
    cut = v.check_real(cut, "cut", func, low=0.0, high=1.0, closed="right")
    v.check_option(unmatched, "unmatched", func, ("error", "other", "drop"))
    if not isinstance(effect, str):
        v.fail("effect", func, "a string", effect, wrong_type=True)
    rows = _tree(causes, func)
    leaves = {r[1]: i for i, r in enumerate(rows) if r[4]}
    bones = {r[1] for r in rows if not r[4]}
    measure = "count"
    # per-cause totals from the data
    if isinstance(data, Mapping) and data and all(_scalar(x) for x in data.values()):
        if value is not None:
            v.fail("value", func, "None when 'data' maps causes to their totals", value)
        names = [str(k) for k in data]
        weights = v.as_float_array(list(data.values()), "data", func, low=0.0, min_size=0)
        measure = "total"
    else:
        if data is None or isinstance(data, (list, tuple, np.ndarray)):
            raw = data if data is not None else cause
            if raw is None or isinstance(raw, str):
                v.fail("data", func, "a table, a mapping leaf -> count or the leaf names",
                       None if data is None else data, wrong_type=data is not None)
            raw = v.array(raw, "data" if data is not None else "cause", func, dtype=object)
            if raw.ndim != 1:
                v.fail("data", func, "one-dimensional", got=f"an array of shape {raw.shape}",
                       data=True)
        else:
            if isinstance(data, (str, bytes)):
                v.fail("data", func, "a table, a mapping leaf -> count or the leaf names",
                       data, wrong_type=True)
            if cause is None:
                v.fail("cause", func, "a column name of 'data' or the causes themselves", None,
                       wrong_type=True)
            raw = _column(data, cause, "cause", func)
        names = ["" if x is None else str(x) for x in raw.tolist()]
        if value is None:
            weights = np.ones(len(names))
        else:
            src = data if not isinstance(data, (list, tuple, np.ndarray)) else None
            weights = v.as_float_array(_column(src, value, "value", func), "value", func,
                                       low=0.0, min_size=0)
            v.check_same_length(func, cause=np.asarray(names, dtype=object), value=weights)
            measure = value if isinstance(value, str) else "value"
    at_bone = [n for n in dict.fromkeys(names) if n in bones]
    if at_bone:
        v.fail("data", func, "records naming leaf causes (bones total their leaves)",
               got=f"the bone {at_bone[0]!r}", data=True)
    unknown = [n for n in dict.fromkeys(names) if n not in leaves]
    dropped = 0.0
    if unknown and unmatched == "error":
        v.fail("data", func, "records whose causes are leaves of the diagram (or use "
               "unmatched='other' or 'drop')", got=f"unknown causes {v.show_list(unknown)}",
               data=True)
    if unknown and unmatched == "other":
        if _UNASSIGNED in leaves or _UNASSIGNED in bones:
            v.fail("causes", func, f"free of the name {_UNASSIGNED!r} with unmatched='other'",
                   _UNASSIGNED)
        rows.append((_UNASSIGNED, _UNASSIGNED, "", 1, True))
        leaves[_UNASSIGNED] = len(rows) - 1
    leaf_total = np.zeros(len(rows))
    for n, w in zip(names, weights.tolist()):
        i = leaves.get(n)
        if i is None:
            if unmatched == "other":
                leaf_total[leaves[_UNASSIGNED]] += w
            else:
                dropped += w
        else:
            leaf_total[i] += w
    # roll up: children follow their parent depth-first, so walk backwards
    index = {r[1]: i for i, r in enumerate(rows)}
    total = leaf_total.copy()
    for i in range(len(rows) - 1, -1, -1):
        parent = rows[i][2]
        if parent:
            total[index[parent]] += total[i]
    grand = float(total[[i for i, r in enumerate(rows) if r[3] == 1]].sum())
    if not grand > 0:
        v.fail("data", func, "records with a positive total on the diagram's causes",
               got="a total of 0", data=True)
    # order siblings by total (largest first, ties in diagram order), depth-first
    children: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        children.setdefault(r[2], []).append(i)
    vital = np.zeros(len(rows), dtype=bool)
    order: list[int] = []

    def visit(parent: str) -> None:
        kids = sorted(children.get(parent, []), key=lambda i: (-total[i], i))
        if kids:
            share = total[kids].sum()
            if share > 0:
                p = pareto(labels=[rows[i][1] for i in kids], counts=total[kids], cut=cut)
                vit = set(p.vital_few.tolist())
                for i in kids:
                    vital[i] = rows[i][1] in vit
        for i in kids:
            order.append(i)
            if not rows[i][4]:
                visit(rows[i][1])

    visit("")
    ix = np.array(order, dtype=np.int64)
    parent_total = np.array([total[index[r[2]]] if r[2] else grand for r in rows])
    with np.errstate(divide="ignore", invalid="ignore"):
        of_parent = np.where(parent_total > 0, total / np.where(parent_total > 0,
                                                                 parent_total, 1.0), 0.0)
    col = np.array([r for r in rows], dtype=object)
    return Fishbone(path=col[ix, 0].astype(str).astype(object),
                    cause=col[ix, 1].astype(str).astype(object),
                    parent=col[ix, 2].astype(str).astype(object),
                    level=col[ix, 3].astype(np.int64), leaf=col[ix, 4].astype(bool),
                    total=total[ix], share=total[ix] / grand, share_of_parent=of_parent[ix],
                    vital=vital[ix], effect=effect, measure=measure, grand_total=grand,
                    dropped=float(dropped), cut=cut)
