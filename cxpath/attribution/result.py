"""One result for every attribution model, so models compare side by side."""

from __future__ import annotations

import attrs
import numpy as np

from .. import _validate as v
from .._results import Result, result

__all__ = ["Attribution"]


@result
class Attribution(Result):
    """Credit per channel under one or more models.

    Attributes
    ----------
    channels : tuple of str
    models : tuple of str
        Model names, in column order.
    conversions : ndarray (n_models, n_channels)
        Conversions credited to each channel; each row sums to ``total_conversions``.
    value : ndarray (n_models, n_channels) or None
        Value credited (None when the journeys carry no value).
    total_conversions, total_value : float
        Conversions and value of journeys with at least one touch.
    unattributed_conversions, unattributed_value : float
        Conversions and value of journeys left without any touch (e.g. after ``exclude``):
        no model can credit them, so they are reported here instead.
    details : dict
        Model name -> its detailed result (Markov and Shapley models).
    """

    channels: tuple
    models: tuple
    conversions: np.ndarray
    value: np.ndarray | None
    total_conversions: float
    total_value: float
    unattributed_conversions: float = 0.0
    unattributed_value: float = 0.0
    details: dict = attrs.field(factory=dict)

    def credit(self, model: str, kind: str = "conversions") -> dict:
        """``{channel: credit}`` of one model (``kind``: 'conversions' or 'value')."""
        model = v.check_option(model, "model", "Attribution.credit", self.models)
        kind = v.check_option(kind, "kind", "Attribution.credit", ("conversions", "value"))
        table = self.conversions if kind == "conversions" else self.value
        if table is None:
            v.fail("kind", "Attribution.credit", "'conversions' for journeys without value",
                   kind)
        row = table[self.models.index(model)]
        return dict(zip(self.channels, row.tolist()))

    def share(self) -> np.ndarray:
        """Each model's conversion credit as a share of its total (n_models, n_channels)."""
        total = self.conversions.sum(axis=1, keepdims=True)
        return np.divide(self.conversions, total, out=np.zeros_like(self.conversions),
                         where=total > 0)

    def join(self, other: Attribution) -> Attribution:
        """The models of both results in one table (same channels; ``other`` wins ties)."""
        if not isinstance(other, Attribution) or other.channels != self.channels:
            v.fail("other", "Attribution.join", "an Attribution over the same channels",
                   got=type(other).__name__ if not isinstance(other, Attribution)
                   else f"channels {other.channels}")
        keep = [i for i, m in enumerate(self.models) if m not in other.models]
        value = None
        if self.value is not None and other.value is not None:
            value = np.vstack([self.value[keep], other.value])
        return Attribution(
            channels=self.channels, models=tuple(self.models[i] for i in keep) + other.models,
            conversions=np.vstack([self.conversions[keep], other.conversions]), value=value,
            total_conversions=self.total_conversions, total_value=self.total_value,
            unattributed_conversions=self.unattributed_conversions,
            unattributed_value=self.unattributed_value,
            details={**self.details, **other.details})

    def _columns(self) -> dict:
        cols = {"channel": np.array(self.channels, dtype=object)}
        for model, row in zip(self.models, self.conversions):
            cols[model] = row
        if self.value is not None:
            for model, row in zip(self.models, self.value):
                cols[f"{model}_value"] = row
        return cols

    def _title(self) -> str:
        return f"Attribution ({len(self.channels)} channels, models: {', '.join(self.models)})"

    def _summary(self) -> list[str]:
        lines = [f"{self.total_conversions:,.6g} conversions"
                 + (f", value {self.total_value:,.6g}" if self.value is not None else "")]
        if self.unattributed_conversions:
            lines.append(f"{self.unattributed_conversions:,.6g} conversions on journeys "
                         "without touches are not attributed")
        return lines
