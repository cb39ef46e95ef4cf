"""The suite's own machinery: the sandbox tells every outcome apart, values print as code."""

from __future__ import annotations

import os
import time

import numpy as np
import pytest

from .runner import Settings, draw, settings_from_env
from .sandbox import GiB, run_many
from .strategies import KIND_NAMES, show, strategy


def _rpn_out_of_range():
    import cxpath

    cxpath.fmea.rpn([11], [1], [1])


def _segfault():
    import ctypes

    ctypes.string_at(0)


def test_sandbox_classifies_each_outcome():
    calls = [lambda: 1, lambda: {}["missing"], _rpn_out_of_range,
             lambda: np.ones(2**30),  # 8 GiB: over the 1 GiB the call may add
             lambda: time.sleep(60), _segfault]
    start = time.monotonic()
    outcomes = run_many(calls, memory=1 * GiB, timeout=2.0, jobs=2)
    assert time.monotonic() - start < 30  # the sleeping child was killed at its timeout
    kinds = [o.kind for o in outcomes]
    assert kinds == ["returned", "exception", "cxpath-error", "memory", "hang", "crash"]
    assert outcomes[1].exc_type == "KeyError"
    assert outcomes[2].exc_type == "cxpath.errors.DataError"
    # the message of the library's shape, and the frame that raised it
    assert outcomes[2].message.startswith("The 'severity' parameter of fmea.rpn must be")
    assert outcomes[2].where.startswith("cxpath/_validate.py:")
    assert outcomes[5].message == "killed by signal SIGSEGV"
    assert [o.failed for o in outcomes] == [False, True, False, True, True, True]


def test_a_result_whose_repr_raises_is_a_failure():
    class Broken:
        def __repr__(self):
            raise RuntimeError("no repr")

    (outcome,) = run_many([Broken], memory=1 * GiB, timeout=5.0)
    assert (outcome.kind, outcome.exc_type, outcome.message) == ("bad-result", "RuntimeError",
                                                                 "no repr")


@pytest.mark.parametrize(("value", "text"), [(2**63, "2**63"), (2**63 - 1, "2**63 - 1"),
                                             (-(2**63) - 1, "-(2**63) - 1"), (10**12, "10**12"),
                                             (12345, "12345"), ("a" * 200, "'" + "a" * 96 + "...")])
def test_big_values_print_short(value, text):
    assert show(value) == text


def test_draws_are_the_same_on_every_run():
    first = [show(x) for x in draw("count", 5, "cxpath.kpi.erlang_b:agents")]
    again = [show(x) for x in draw("count", 5, "cxpath.kpi.erlang_b:agents")]
    assert first == again and len(first) == 5
    assert [show(x) for x in draw("count", 5, "other:label")] != first


def test_every_kind_has_a_strategy():
    for kind in KIND_NAMES:
        assert not strategy(kind).is_empty, kind


def test_settings_from_the_environment():
    assert settings_from_env({}) == Settings()
    full = settings_from_env({"CXPATH_HOSTILE": "full", "CXPATH_HOSTILE_TIMEOUT": "7"})
    assert (full.mode, full.explicit, full.examples, full.timeout) == ("full", True, 25, 7.0)
    assert settings_from_env({"CXPATH_HOSTILE_MEMORY": "0.5"}).memory == GiB // 2


def test_a_call_cannot_write_into_the_parents_descriptors():
    read_fd, write_fd = os.pipe()
    try:
        (outcome,) = run_many([lambda: os.write(write_fd, b"garbage")], memory=1 * GiB,
                              timeout=5.0)
        assert (outcome.kind, outcome.exc_type) == ("exception", "OSError")  # EBADF
        os.close(write_fd)
        assert os.read(read_fd, 100) == b""  # nothing arrived
    finally:
        os.close(read_fd)
