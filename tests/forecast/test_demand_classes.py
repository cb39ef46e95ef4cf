"""ADI / CV², ABC and XYZ classes of parts (cxpath.forecast.demand_classes)."""

from __future__ import annotations

import numpy as np
import pytest

from cxpath.errors import DataError, InvalidParameterError
from cxpath.forecast import demand_classes


def test_hand_computed_classes():
    y = [[3, 4, 3, 5, 4, 3], [0, 0, 9, 0, 1, 0], [0, 2, 0, 0, 2, 0], [1, 10, 1, 10, 1, 10]]
    c = demand_classes(y, unit_cost=[1.0, 2.0, 1.0, 0.5])
    # part 1: demands at periods 3 and 5 -> ADI 5 / 2; sizes 9, 1: var 16, mean 5 -> 0.64
    assert c.adi.tolist() == pytest.approx([1.0, 2.5, 2.5, 1.0])
    assert c.cv2[1] == pytest.approx(16 / 25)
    # part 0: sizes mean 22/6, population variance 14 - (22/6)^2
    assert c.cv2[0] == pytest.approx((14 - (22 / 6) ** 2) / (22 / 6) ** 2)
    # part 3: sizes 1, 10: mean 5.5, variance 20.25 -> CV² 0.669 (erratic)
    assert c.cv2[3] == pytest.approx(20.25 / 30.25)
    # Syntetos, Boylan & Croston (2005) cut-offs 1.32 and 0.49
    assert c.category.tolist() == ["smooth", "lumpy", "intermittent", "erratic"]
    # values 22, 20, 4, 16.5 of 62.5, sorted 22, 20, 16.5, 4: cumulative share before each
    # 0, .352, .672, .936 -> A, A, A (crosses .8 from .672), B (.936 < .95)
    assert c.value.tolist() == [22, 20, 4, 16.5]
    assert c.abc.tolist() == ["A", "A", "B", "A"]
    # XYZ on the per-period CV (population sd): part 0 0.745 / 3.667
    assert c.cv[0] == pytest.approx(np.std([3, 4, 3, 5, 4, 3]) / (22 / 6))
    assert c.xyz.tolist() == ["X", "Z", "Z", "Y"]
    frame = c.to_frame()
    assert list(frame.columns) == ["part", "demands", "adi", "cv2", "category", "value",
                                   "value_share", "abc", "cv", "xyz"]
    assert c.counts() == {"erratic": 1, "intermittent": 1, "lumpy": 1, "smooth": 1}


def test_no_demand_and_no_costs():
    c = demand_classes([[0, 0, 0], [0, 1, 0]])
    assert c.category.tolist() == ["none", "intermittent"]
    assert np.isinf(c.adi[0]) and np.isnan(c.cv2[0])
    assert c.xyz.tolist() == ["none", "Z"]
    assert c.abc.tolist() == ["C", "A"]


def test_errors():
    with pytest.raises(InvalidParameterError, match=r"two increasing cut-offs in \(0, 1\]"):
        demand_classes([[1, 0]], abc_cuts=(0.9, 0.8))
    with pytest.raises(DataError, match=r"one value or one per part \(1\)"):
        demand_classes([[1, 0]], unit_cost=[1, 2])
    with pytest.raises(DataError):
        demand_classes([[1, -1]])
