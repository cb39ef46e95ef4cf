"""Model names accepted by :func:`forecast_many` and :func:`backtest`."""

from __future__ import annotations

import inspect
from collections.abc import Mapping

import numpy as np

from .. import _validate as v


def _table():
    import importlib

    b = importlib.import_module("cxpath.forecast.baselines")
    e = importlib.import_module("cxpath.forecast.ets")
    i = importlib.import_module("cxpath.forecast.intermittent")

    return {
        "naive": lambda y, h, m, lv, sid, kw: b.naive(y, h, level=lv, series_id=sid, **kw),
        "seasonal_naive": lambda y, h, m, lv, sid, kw: b.seasonal_naive(
            y, h, m, level=lv, series_id=sid, **kw),
        "mean": lambda y, h, m, lv, sid, kw: b.mean_forecast(y, h, level=lv, series_id=sid,
                                                             **kw),
        "drift": lambda y, h, m, lv, sid, kw: b.drift(y, h, level=lv, series_id=sid, **kw),
        "theta": lambda y, h, m, lv, sid, kw: b.theta(y, h, m, level=lv, series_id=sid, **kw),
        "ses": lambda y, h, m, lv, sid, kw: e.ses(y, h, level=lv, series_id=sid, **kw),
        "holt": lambda y, h, m, lv, sid, kw: e.holt(y, h, level=lv, series_id=sid, **kw),
        "holt_winters": lambda y, h, m, lv, sid, kw: e.holt_winters(
            y, h, m, level=lv, series_id=sid, **kw),
        "auto_ets": lambda y, h, m, lv, sid, kw: e.auto_ets(y, h, m, level=lv, series_id=sid,
                                                            **kw),
        "ets": lambda y, h, m, lv, sid, kw: e.ets(y, h, m, level=lv, series_id=sid, **kw),
        "croston": lambda y, h, m, lv, sid, kw: i.croston(y, h, level=lv, series_id=sid, **kw),
        "croston_sba": lambda y, h, m, lv, sid, kw: i.croston(
            y, h, variant="sba", level=lv, series_id=sid, **kw),
        "croston_optimized": lambda y, h, m, lv, sid, kw: i.croston(
            y, h, variant="optimized", level=lv, series_id=sid, **kw),
        "tsb": lambda y, h, m, lv, sid, kw: i.tsb(y, h, level=lv, series_id=sid, **kw),
        "adida": lambda y, h, m, lv, sid, kw: i.adida(y, h, level=lv, series_id=sid, **kw),
        "imapa": lambda y, h, m, lv, sid, kw: i.imapa(y, h, level=lv, series_id=sid, **kw),
    }


METHODS = ("naive", "seasonal_naive", "mean", "drift", "theta", "ses", "holt",
           "holt_winters", "auto_ets", "ets", "croston", "croston_sba", "croston_optimized",
           "tsb", "adida", "imapa")


def _not_a_method(method, name, func, exc):
    v.fail(name, func, "a method name or a callable taking (y, h, *, level, series_id)",
           got=f"{method!r}, which cannot be called so ({exc})", wrong_type=True)


def resolve(method, name, func):
    """``(label, call(y, h, m, level, series_id))`` for a method name or a callable.

    A callable is called as ``method(y, h, level=..., series_id=...)`` and must return a
    :class:`~cxpath.forecast.Forecast`.
    """
    if callable(method):
        label = getattr(method, "__name__", repr(method))

        checked = []  # the signature is read once, on the first call

        def call(y, h, m, lv, sid):
            if not checked:
                try:
                    inspect.signature(method).bind(y, h, level=lv, series_id=sid)
                except ValueError:  # no signature to read (some builtins): try the call
                    try:
                        out = method(y, h, level=lv, series_id=sid)
                    except TypeError as exc:
                        _not_a_method(method, name, func, exc)
                    checked.append(True)
                    return out
                except TypeError as exc:
                    _not_a_method(method, name, func, exc)
                checked.append(True)
            return method(y, h, level=lv, series_id=sid)

        return label, call
    v.check_option(method, name, func, METHODS)
    fn = _table()[method]
    return method, lambda y, h, m, lv, sid, kw=None: fn(y, h, m, lv, sid, kw or {})


# the function behind each name, and the keywords its entry above sets itself
_TARGETS = {"naive": ("baselines", "naive", ()), "seasonal_naive": ("baselines",
            "seasonal_naive", ()), "mean": ("baselines", "mean_forecast", ()),
            "drift": ("baselines", "drift", ()), "theta": ("baselines", "theta", ()),
            "ses": ("ets", "ses", ()), "holt": ("ets", "holt", ()),
            "holt_winters": ("ets", "holt_winters", ()), "auto_ets": ("ets", "auto_ets", ()),
            "ets": ("ets", "ets", ()), "croston": ("intermittent", "croston", ()),
            "croston_sba": ("intermittent", "croston", ("variant",)),
            "croston_optimized": ("intermittent", "croston", ("variant",)),
            "tsb": ("intermittent", "tsb", ()), "adida": ("intermittent", "adida", ()),
            "imapa": ("intermittent", "imapa", ())}


def option_names(method: str) -> tuple:
    """The keyword options a method name takes through ``options=`` (its keyword-only
    parameters, less ``level`` and ``series_id``, which the caller sets).

    Examples
    --------
    >>> option_names("ses")
    ('alpha',)
    """
    import importlib
    import inspect

    module, name, fixed = _TARGETS[method]
    fn = getattr(importlib.import_module(f"cxpath.forecast.{module}"), name)
    return tuple(p.name for p in inspect.signature(fn).parameters.values()
                 if p.kind is inspect.Parameter.KEYWORD_ONLY
                 and p.name not in ("level", "series_id", "dates", "freq", *fixed))


def check_options(method: str, options: dict, name: str, func: str) -> dict:
    """``options`` if every key is an option of ``method``; the error lists the valid ones."""
    valid = option_names(method)
    for key in options:
        if key not in valid:
            must = (f"keyword options of {method!r}: " + ", ".join(map(repr, valid))
                    if valid else f"empty: {method!r} takes no options")
            v.fail(name, func, must, got=f"the key {key!r}")
    return options


def resolve_methods(methods, func: str) -> list:
    """``[(label, method, call)]`` for a method name, a callable, or a sequence or mapping
    (label → method) of them; labels default to the method's name."""
    if isinstance(methods, Mapping):
        items = list(methods.items())
    else:
        if isinstance(methods, str) or callable(methods):
            methods = [methods]
        elif not isinstance(methods, (list, tuple, np.ndarray)):
            v.fail("methods", func, "a method name, a callable, or a sequence or mapping of "
                   "them", methods, wrong_type=True)
        items = [(None, meth) for meth in methods]
    if not items:
        v.fail("methods", func, "at least one method", methods)
    out = []
    for label, meth in items:
        name, call = resolve(meth, "methods", func)
        out.append((name if label is None else label, meth, call))
    return out

