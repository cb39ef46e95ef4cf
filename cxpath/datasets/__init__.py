"""Bundled sample data: a seeded, documented after-sales service operation.

Examples
--------
>>> from cxpath.datasets import load_sample
>>> sample = load_sample()
>>> sorted(sample.survey_constructs)
['loyal', 'reso', 'sat', 'staff', 'wait']
"""

from .sample import ServiceSample, generate_sample, load_sample, write_cache

__all__ = ["ServiceSample", "generate_sample", "load_sample", "write_cache"]
