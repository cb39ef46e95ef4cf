"""Attribution of conversions, resolutions and value to touchpoints.

Heuristic models, exact k-order Markov removal effects, Shapley values and
absorbing-chain measures, all reading the same inputs: :class:`~cxpath.Journeys`,
:class:`~cxpath.journeys.JourneyStats`, or a table of aggregated paths.

Examples
--------
>>> from cxpath import Journeys
>>> from cxpath.attribution import attribute
>>> j = Journeys.from_paths(["web > chat", "web"], conversions=[3, 1], nulls=[1, 5])
>>> attribute(j, models=("last_touch", "markov")).credit("last_touch")
{'web': 1.0, 'chat': 3.0}
"""

from .absorbing import AbsorbingMeasures, absorbing_measures
from .compare import MODELS, attribute
from .heuristic import HEURISTIC_MODELS, heuristic
from .markov import MarkovAttribution, markov
from .order import OrderChoice, markov_order
from .result import Attribution
from .shapley import ShapleyAttribution, shapley

__all__ = ["HEURISTIC_MODELS", "MODELS", "AbsorbingMeasures", "Attribution",
           "MarkovAttribution", "OrderChoice", "ShapleyAttribution", "absorbing_measures",
           "attribute", "heuristic", "markov", "markov_order", "shapley"]
