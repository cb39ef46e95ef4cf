"""One result for every attribution model, so models compare side by side."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs
import numpy as np

from .. import _validate as v
from .._results import Result, derived_columns, drawn_by, result

if TYPE_CHECKING:
    pass

__all__ = ["Attribution"]


def rank_channels(res, credit: np.ndarray, rows: tuple, models: tuple = ()):
    """``res`` with its channels in descending order of ``credit`` (ties keep their order).

    ``rows`` names the fields with one row per channel, ``models`` those of shape
    (n_models, n_channels); None fields stay None.
    """
    order = np.argsort(-np.asarray(credit, dtype=float), kind="stable")
    if (order == np.arange(order.size)).all():
        return res
    new = {"channels": tuple(res.channels[i] for i in order)}
    for name in rows:
        x = getattr(res, name)
        if x is not None:
            new[name] = np.asarray(x)[order]
    for name in models:
        x = getattr(res, name)
        if x is not None:
            new[name] = np.asarray(x)[:, order]
    return attrs.evolve(res, **new)


@drawn_by("attribution")
@result
class Attribution(Result):
    """Credit per channel under one or more models.

    Channels are ranked by the credit of the headline model (:attr:`headline`), largest
    first; channels with equal credit stay in label order.

    Attributes
    ----------
    channels : tuple of str
    channel : ndarray of object
        ``channels`` as the table's column.
    models : tuple of str
        Model names, in column order.
    headline : str
        The model the channels are ranked by: the first data-driven model (Markov or
        Shapley) among ``models``, else the first model.
    conversions : ndarray (n_models, n_channels)
        Conversions credited to each channel; each row sums to ``total_conversions``.
    value : ndarray (n_models, n_channels) or None
        Value credited (None when the journeys carry no value).
    total_conversions, total_value : float
        Conversions and value of journeys with at least one touch.
    unattributed_conversions, unattributed_value : float
        Conversions and value of journeys left without any touch (e.g. after ``exclude``):
        no model can credit them, so they are reported here instead.
    missing_value_conversions : float
        Conversions on journeys whose value is missing (every value row of the journey
        empty): credited in ``conversions``, left out of ``value`` and ``total_value``.
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
    missing_value_conversions: float = 0.0
    details: dict = attrs.field(factory=dict)

    _derived = derived_columns({
        "{model}": "conversions credited by that model, ``conversions[models.index(model)]`` "
                   "(also ``credit(model)``)",
        "{model}_value": "value credited by that model, ``value[models.index(model)]``"})
    _key = "channel"

    def _explain_column(self, column: str) -> str | None:
        if column in self.models:
            return self._derived["{model}"]
        if column.endswith("_value") and column.removesuffix("_value") in self.models:
            return self._derived["{model}_value"]
        return None

    @property
    def channel(self) -> np.ndarray:
        """``channels`` as the table's column."""
        return np.array(self.channels, dtype=object)

    @property
    def headline(self) -> str:
        """The model the channels are ranked by (first Markov or Shapley model, else first)."""
        for m in self.models:
            if m.startswith("markov_") or m == "shapley":
                return m
        return self.models[0]

    def _ranked(self) -> Attribution:
        """The same result with its channels ranked by the headline model's credit."""
        if not self.models:
            return self
        return rank_channels(self, self.conversions[self.models.index(self.headline)], (),
                      ("conversions", "value"))

    def credit(self, model: str, kind: str = "conversions") -> dict:
        """``{channel: credit}`` of one model (``kind``: 'conversions' or 'value')."""
        for name, given in (("model", model), ("kind", kind)):
            if not isinstance(given, str):
                v.fail(name, "Attribution.credit", "a string", given, wrong_type=True)
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
        """The models of both results in one table (same channels; ``other`` wins ties).

        The joined table is ranked by its headline model.
        """
        if not isinstance(other, Attribution) or sorted(other.channels) != sorted(
                self.channels):
            v.fail("other", "Attribution.join", "an Attribution over the same channels",
                   got=type(other).__name__ if not isinstance(other, Attribution)
                   else f"channels {other.channels}")
        at = [other.channels.index(c) for c in self.channels]  # other's rows in our order
        keep = [i for i, m in enumerate(self.models) if m not in other.models]
        value = None
        if self.value is not None and other.value is not None:
            value = np.vstack([self.value[keep], other.value[:, at]])
        return Attribution(
            channels=self.channels, models=tuple(self.models[i] for i in keep) + other.models,
            conversions=np.vstack([self.conversions[keep], other.conversions[:, at]]),
            value=value, total_conversions=self.total_conversions,
            total_value=self.total_value,
            unattributed_conversions=self.unattributed_conversions,
            unattributed_value=self.unattributed_value,
            missing_value_conversions=self.missing_value_conversions,
            details={**self.details, **other.details})._ranked()

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
        if self.missing_value_conversions:
            lines.append(f"{self.missing_value_conversions:,.6g} conversions without a value "
                         "are left out of the value credit")
        return lines
