"""Instances of the cause-tree results (cxpath.rca.faulttree, cxpath.rca.fishbone)."""

from __future__ import annotations

from cxpath import rca


def build(sample, tmp) -> dict:
    ft = rca.FaultTree(rca.Or("T", rca.And("S", rca.Or("K1", "R"))),
                       {"T": 5e-6, "S": 1e-4, "K1": 3e-5, "R": 1e-4})
    fb = rca.fishbone({"People": ["untrained", "rude"], "System": ["CRM down"]},
                      {"untrained": 40, "rude": 10, "CRM down": 30})
    return {"rca_cut_sets": ft.cut_sets(), "rca_importance": ft.importance(),
            "rca_fishbone": fb}
