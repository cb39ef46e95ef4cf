"""Scale out on Dask: journey statistics for logs that outgrow one machine.

Needs the optional extra ``dask`` (``pip install 'cxpath[dask]'``).
"""

from .stats import journey_stats
from .variants import TopVariants, top_variants

__all__ = ["TopVariants", "journey_stats", "top_variants"]
