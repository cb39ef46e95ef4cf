"""FMEA for service processes and products: worksheet, RPN, AIAG-VDA Action Priority,
ranking, Pareto, prioritisation matrices, occurrence from data and before/after comparison.

Examples
--------
>>> from cxpath.fmea import Worksheet, rank
>>> ws = Worksheet.from_frame({"failure_mode": ["late part", "gas leak"], "S": [6, 10],
...                            "O": [6, 2], "D": [3, 7]})
>>> rank(ws).failure_mode.tolist()
['gas leak', 'late part']
"""

from .compare import RiskReduction, risk_reduction
from .matrices import RiskMatrix, ValueEffort, risk_matrix, value_effort
from .occurrence import (
    AIAG_FMEA4_PFMEA_OCCURRENCE,
    ESCAPE_DECILES_DETECTION,
    ObservedDetection,
    ObservedOccurrence,
    RatingScale,
    detection_rating,
    observed_detection,
    observed_occurrence,
    occurrence_rating,
)
from .pareto import Pareto, pareto
from .ranking import Ranking, filter_modes, rank
from .scores import AP_LEVELS, ActionPriorityTable, action_priority, ap_table, criticality, rpn
from .worksheet import FIELDS, FailureMode, Worksheet

__all__ = ["AIAG_FMEA4_PFMEA_OCCURRENCE", "AP_LEVELS", "ESCAPE_DECILES_DETECTION", "FIELDS",
           "ActionPriorityTable", "FailureMode", "ObservedDetection", "ObservedOccurrence",
           "Pareto", "Ranking", "RatingScale", "RiskMatrix", "RiskReduction", "ValueEffort",
           "Worksheet", "action_priority", "ap_table", "criticality", "detection_rating",
           "filter_modes", "observed_detection", "observed_occurrence", "occurrence_rating",
           "pareto", "rank", "risk_matrix", "risk_reduction", "rpn", "value_effort"]
