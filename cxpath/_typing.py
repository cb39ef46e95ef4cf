"""Type aliases for cxpath's annotations.

Annotations are strings (``from __future__ import annotations``), so modules import these
names only under ``if TYPE_CHECKING:``; cxpath itself never imports this module (nor
:mod:`numpy.typing`) at run time.
"""

from __future__ import annotations

import datetime
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["ArrayLike", "ColumnLike", "DurationLike", "TableLike", "TimeLike"]

#: A table: a pandas or polars DataFrame, a pyarrow Table or a mapping of column names to
#: 1-D values (cxpath recognises the library by the type; it depends on none of them).
TableLike = Any

#: A column: the name of a column of the ``data`` table, or the values themselves.
ColumnLike = str | ArrayLike

#: A duration: a number of seconds, a :class:`datetime.timedelta` (so also
#: ``pandas.Timedelta``), a :class:`numpy.timedelta64` or a string such as ``"48h"``.
DurationLike = float | datetime.timedelta | np.timedelta64 | str

#: An instant: epoch seconds, a :class:`datetime.datetime` (so also ``pandas.Timestamp``)
#: or a :class:`numpy.datetime64`.
TimeLike = float | datetime.datetime | np.datetime64
