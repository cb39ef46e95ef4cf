"""Hostile-suite entries of customer and journey segments (cxpath.customers.segments)."""

from __future__ import annotations

from ..registry import E

_C = "cxpath.customers."
_MPL = "import matplotlib\n>>> matplotlib.use('Agg')\n"
_SEG = (">>> " + _MPL + ">>> import numpy as np\n>>> from cxpath.customers import "
        "segment_customers\n>>> rng = np.random.default_rng(0)\n>>> x = np.vstack([rng.normal"
        "(0, 1, (20, 2)), rng.normal(6, 1, (20, 2))])\n>>> seg = segment_customers(x, k=[2, 3],"
        " n_boot=0, n_init=2)\n")
_PLOT_KW = {"kw": "forwarded to the plot function (matplotlib style keywords)"}

REGISTRY: dict[str, E] = {
    _C + 'segment_customers': E({'features': 'matrix', 'data': 'frame', 'customer': 'column',
                                 'method': 'option', 'k': 'count', 'standardise': 'bool',
                                 'n_boot': 'count', 'n_init': 'count', 'seed': 'seed'}),
    _C + 'segment_journeys': E({'journeys': 'journeys', 'k': 'count', 'distance': 'option',
                                'gram': 'count', 'n_boot': 'count', 'n_init': 'count',
                                'seed': 'seed'}),
    _C + 'JourneyClusters.attach': E({'journeys': 'journeys', 'name': 'text'}),
    _C + 'CustomerSegments.plot': E({'ax': 'axes'}, example=_SEG + ">>> seg.plot()",
                                    skip=_PLOT_KW),
    _C + 'ClusterSelection.plot': E({'ax': 'axes'}, example=_SEG + ">>> seg.selection.plot()",
                                    skip=_PLOT_KW),
}
