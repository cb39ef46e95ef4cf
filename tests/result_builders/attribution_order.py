"""Instances of the Markov order choice result (cxpath.attribution.order)."""

from __future__ import annotations

from cxpath.attribution import markov_order


def build(sample, tmp) -> dict:
    return {"order_choice": markov_order(sample.journeys, orders=(1, 2), exclude="resolved",
                                         seed=1)}
