"""Root cause and impact: which segment moved a KPI, cause and fault trees, whether a change
worked over time, and many KPIs tested honestly.

Examples
--------
>>> import cxpath.rca
"""

from .decompose import (
    ChangeDecomposition,
    ChangeExplanation,
    DrillDown,
    decompose_change,
    drill_down,
    explain_change,
)
from .faulttree import (
    AIAG_FMEA4_OCCURRENCE_PROBABILITY,
    And,
    AtLeast,
    CutSets,
    FaultTree,
    Gate,
    Importance,
    Or,
    probabilities_from_counts,
    probabilities_from_worksheet,
)
from .fishbone import Fishbone, fishbone
from .impact import (
    DiffInDiff,
    EventStudy,
    SyntheticControl,
    TimeSeriesImpact,
    diff_in_diff,
    interrupted_time_series,
    synthetic_control,
)
from .multiple import (
    Adjustment,
    ManyComparisons,
    PowerAnalysis,
    adjust_p,
    compare_many,
    power_means,
    power_nps,
    power_proportions,
)

__all__: list[str] = []
__all__ += ["ChangeDecomposition", "ChangeExplanation", "DrillDown", "decompose_change",
            "drill_down", "explain_change"]
__all__ += ["Adjustment", "ManyComparisons", "PowerAnalysis", "adjust_p", "compare_many",
            "power_means", "power_nps", "power_proportions"]
__all__ += ["DiffInDiff", "EventStudy", "SyntheticControl", "TimeSeriesImpact", "diff_in_diff",
            "interrupted_time_series", "synthetic_control"]
__all__ += ["AIAG_FMEA4_OCCURRENCE_PROBABILITY", "And", "AtLeast", "CutSets", "FaultTree", "Gate",
            "Importance", "Or", "probabilities_from_counts", "probabilities_from_worksheet"]
__all__ += ["Fishbone", "fishbone"]
