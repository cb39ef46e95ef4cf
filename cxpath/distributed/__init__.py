"""Scale out on Dask: journey statistics for logs that outgrow one machine.

Needs the optional extra ``dask`` (``pip install 'cxpath[dask]'``).
"""

from .stats import journey_stats

__all__ = ["journey_stats"]
