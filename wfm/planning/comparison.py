"""Scenario figures and their side-by-side comparison: light enough for ``wfm scenario list`` to start fast.

The figures are made by :mod:`wfm.planning.scenarios` (which loads the modelling stack); reading them back
from the store and comparing them needs only this module.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any, Literal

import pandas as pd

from wfm.errors import ConfigError
from wfm.plain import to_plain
from wfm.planning.store import ScenarioRecord

#: At most this many scenarios are compared side by side.
MAX_COMPARED = 4


@dataclass(frozen=True)
class ScenarioFigures:
    """What a scenario delivers for a week (``week``, ISO, as ``2026-W47``).

    ``cost_basis`` says where cost comes from: ``"schedule"`` (a solved schedule) or ``"estimate"``
    (required hours at the cheapest shift cost of each group). Schedule-only figures are None until solved.
    Service level and occupancy are volume-weighted over the queue channels. Hours follow the vocabulary
    of :mod:`wfm.staffing`: ``productive_agent_hours`` are the agents the queues need, ``required_agent_hours``
    add shrinkage (``required_fte`` is them in full-time equivalents), ``paid_hours`` are the solved shifts'.
    """

    required_fte: float
    productive_agent_hours: float
    required_agent_hours: float
    projected_service_level: float
    projected_occupancy: float
    cost: float
    cost_basis: Literal["schedule", "estimate"]
    week: str | None = None
    scheduled_fte: float | None = None
    paid_hours: float | None = None
    under_agent_hours: float | None = None
    coverage: float | None = None
    solver_status: str | None = None
    #: Queue channels, given the forecast's band (:mod:`wfm.staffing.risk`): every interval meets its target
    #: with at least ``target_probability``, the whole week with ``week_probability``; ``expected_service_level``
    #: averages the service level over the volume's distribution. None for figures stored before they existed.
    target_probability: float | None = None
    week_probability: float | None = None
    expected_service_level: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain data (NaN as null) for the store."""
        return dict(to_plain(asdict(self)))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScenarioFigures:
        """Figures back from stored plain data (of this or an earlier version: a figure it lacks is NaN)."""
        data = dict(data)
        if "productive_agent_hours" not in data:  # before 0.2, required_agent_hours held the productive hours
            data["productive_agent_hours"] = data.pop("required_agent_hours", None)
        known = {f.name for f in fields(cls)}  # figures stored by another version may have more keys
        values: dict[str, Any] = {k: v for k, v in data.items() if k in known}
        values |= {k: math.nan for k in _ALWAYS if values.get(k) is None}
        return cls(**values)


_ALWAYS = {"required_fte", "productive_agent_hours", "required_agent_hours", "projected_service_level",
           "projected_occupancy", "cost"}


def stored_figures(record: ScenarioRecord) -> ScenarioFigures | None:
    """A stored scenario's figures, typed; None until it was evaluated."""
    return ScenarioFigures.from_dict(dict(record.results)) if record.results else None


COMPARED_FIGURES = ("week", "required_fte", "scheduled_fte", "paid_hours", "cost", "cost_basis",
                    "projected_service_level", "projected_occupancy", "under_agent_hours")


def compare(records: Sequence[ScenarioRecord]) -> pd.DataFrame:
    """Scenarios side by side: one column per scenario, one row per figure (and the modifiers)."""
    if not 1 <= len(records) <= MAX_COMPARED:
        raise ConfigError(f"compare: give 1 to {MAX_COMPARED} scenarios, got {len(records)}")
    columns = {}
    for record in records:
        if not record.results:
            raise ConfigError(f"compare: scenario {record.name!r} has no results yet; evaluate it first")
        figures = ScenarioFigures.from_dict(dict(record.results)).to_dict()
        changes = ", ".join(f"{k}={v}" for k, v in sorted(record.modifiers.items())) or "none"
        columns[record.name] = {"modifiers": changes, **{k: figures.get(k) for k in COMPARED_FIGURES}}
    return pd.DataFrame(columns)
