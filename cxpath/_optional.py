"""Import optional dependencies inside the functions that need them."""

from __future__ import annotations

import importlib

from .errors import MissingExtraError

__all__ = ["require"]

_EXTRA_OF = {
    "pandas": "pandas",
    "polars": "polars",
    "pyarrow": "arrow",
    "matplotlib": "plot",
    "dask": "dask",
    "distributed": "dask",
    "rustxes": "xes",
    "holidays": "holidays",
    "openpyxl": "excel",
    "jieba": "zh",
    "sklearn": "text",
}


def require(module: str, purpose: str):
    """Import and return ``module``, or raise :class:`MissingExtraError` naming the extra.

    Examples
    --------
    >>> require("math", "doctests").sqrt(4.0)
    2.0
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        top = module.split(".")[0]
        extra = _EXTRA_OF.get(top)
        how = f"pip install 'cxpath[{extra}]'" if extra else f"pip install {top}"
        raise MissingExtraError(f"{purpose} needs the optional dependency '{top}', "
                                f"which is not installed. Install it with: {how}") from exc
