"""Exceptions and warnings raised by cxpath.

Every error about a caller's input is a :class:`CxpathError`, which subclasses
:class:`ValueError` so that ``except ValueError`` keeps working. Messages have one shape::

    The 'severity' parameter of fmea.rpn must be an integer in [1, 10]. Got 11 instead.

Examples
--------
>>> from cxpath.errors import CxpathError, InvalidParameterError
>>> issubclass(InvalidParameterError, ValueError)
True
"""

from __future__ import annotations

__all__ = [
    "CxpathError",
    "CostError",
    "CxpathWarning",
    "DataError",
    "InvalidParameterError",
    "InvalidTypeError",
    "MissingExtraError",
    "StrictCleaningError",
    "UnknownLabelError",
    "VocabularyMismatchError",
]


class CxpathError(ValueError):
    """Base class of every error cxpath raises about its input."""


class InvalidParameterError(CxpathError):
    """A parameter has the wrong type, is out of range or is not one of the allowed options."""


class InvalidTypeError(InvalidParameterError, TypeError):
    """A parameter has the wrong type. Also a :class:`TypeError`, as Python's own checks raise."""


class CostError(CxpathError):
    """A call would need more memory or time than its documented cap; the message says how much.

    Raised before any work starts. The message names the estimate, the cap and how to raise it
    (a parameter of the call, or the ``CXPATH_MAX_MEMORY`` environment variable).
    """


class DataError(CxpathError):
    """The data passed in cannot be analysed as given (wrong shape, missing values, …)."""


class UnknownLabelError(InvalidParameterError, KeyError):
    """No row of a result's table has the label asked for (``result.loc``, ``result[label]``).

    Also a :class:`KeyError`, as a failed lookup by key is.
    """

    __str__ = BaseException.__str__  # the message itself, not KeyError's quoted repr


class StrictCleaningError(DataError):
    """Raised with ``strict=True`` where the default would clean the data and report it."""


class VocabularyMismatchError(CxpathError):
    """Two objects that must share a touchpoint vocabulary do not."""


class MissingExtraError(ImportError):
    """An optional dependency is needed; the message names the extra that installs it."""


class CxpathWarning(UserWarning):
    """A documented, recoverable condition that the caller should know about."""
