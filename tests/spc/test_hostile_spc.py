"""SPC under hostile input (#18): every bad argument gets the library's error shape."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxpath import spc
from cxpath.errors import CxpathError, CxpathWarning


@pytest.mark.parametrize("n", [1.5, None, object(), True])
def test_control_constants_refuses_non_integers(n):
    # before: TypeError: 'float' object is not iterable
    with pytest.raises(TypeError) as info:
        spc.control_constants(n)
    assert str(info.value) == ("The 'n' parameter of spc.control_constants must be an integer "
                               f"or a sequence of subgroup sizes. Got {n!r} instead.")


_X = list(50 + np.sin(np.arange(20)))
_BAD = st.one_of(
    st.none(), st.booleans(), st.floats(allow_nan=True),
    st.sampled_from([-1, 0, 1, 2**53 + 1, 2**63, 2**64, -2**70, 10**15]),
    st.text(max_size=4), st.just([]), st.just({}), st.just([[1.0, 2.0], [3.0, 4.0]]),
    st.just(np.zeros((2, 2, 2))), st.just([1.0, float("nan")]), st.just([True, False]),
    st.just(object()), st.just(np.int64(2**62)))
_CALLS = {
    "imr": {"x": _X}, "ewma": {"x": _X}, "cusum": {"x": _X},
    "xbar_r": {"data": np.reshape(_X, (4, 5))}, "xbar_s": {"data": np.reshape(_X, (4, 5))},
    "c_chart": {"counts": [4, 6, 5, 3, 7, 5, 19]},
    "u_chart": {"counts": [4, 6, 5, 3], "exposure": [10, 12, 10, 9]},
    "p_chart": {"counts": [4, 6, 5, 3], "sizes": [50, 50, 50, 50]},
    "np_chart": {"counts": [4, 6, 5, 3], "sizes": [50, 50, 50, 50]},
    "run_rules": {"values": _X, "center": np.full(20, 50.0), "sigma": np.full(20, 1.0)},
    "nelson": {"run_length": 9}, "western_electric": {"run_length": 8},
    "c4": {"n": 5}, "d2": {"n": 5}, "d3": {"n": 5}, "control_constants": {"n": [2, 3]},
}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(which=st.sampled_from(sorted(_CALLS)), data=st.data())
def test_bad_inputs_get_the_library_error_or_a_result(which, data):
    import warnings

    base = _CALLS[which]
    import inspect

    params = inspect.signature(getattr(spc, which)).parameters
    extra = [p for p in ("baseline", "nsigma", "rules", "labels", "lam", "k", "h") if p in params]
    name = data.draw(st.sampled_from(sorted(base) + extra))
    kwargs = dict(base, **{name: data.draw(_BAD)})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CxpathWarning)
            getattr(spc, which)(**kwargs)
    except CxpathError as exc:
        assert "spc." in str(exc) and "-9223372036854775808" not in str(exc)
