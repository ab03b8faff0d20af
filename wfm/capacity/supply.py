"""The arithmetic of supply, in FTE per week.

- Attrition: a monthly rate ``a`` leaves ``(1 - a) ** (12 / 52)`` of the staff each week, so that twelve months
  of weeks (52) leave ``(1 - a) ** 12``. Leavers go at the end of a week: staff on payroll in week ``t + 1`` are
  those of week ``t`` times the survival, plus the class starting in week ``t + 1``.
- A hire in tenure week ``k`` (0 = the class's first week) is in training (paid, productivity 0) for
  ``k < training_weeks``, then nests at ``nesting_productivity[k - training_weeks]``, then works fully (1).
- The current agents' FTE is their contract hours (``max_hours`` in the agents file) over ``fte_hours_per_week``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

#: Weeks in the twelve months a monthly attrition rate compounds over.
WEEKS_PER_YEAR = 52


def weekly_survival(monthly_attrition: float) -> float:
    """Share of a week's staff still employed the next week: ``(1 - monthly_attrition) ** (12 / 52)``.

    >>> round(weekly_survival(0.02) ** 52, 6) == round(0.98 ** 12, 6)
    True
    """
    return float((1.0 - monthly_attrition) ** (12 / WEEKS_PER_YEAR))


def tenure_productivity(weeks: int, training_weeks: int, nesting_productivity: Sequence[float]) -> np.ndarray:
    """Productivity of a hire in each of its first ``weeks`` tenure weeks: 0 in training, the nesting ramp, then 1.

    >>> tenure_productivity(5, 2, [0.5]).tolist()
    [0.0, 0.0, 0.5, 1.0, 1.0]
    """
    ramp = np.concatenate([np.zeros(training_weeks), np.asarray(nesting_productivity, dtype=float)])
    out = np.ones(weeks)
    out[:min(weeks, len(ramp))] = ramp[:weeks]
    return out


def current_fte(agents: pd.DataFrame, groups: Sequence[str], fte_hours_per_week: float) -> dict[str, float]:
    """FTE of the current agents per staff group: contract hours (``max_hours``) / ``fte_hours_per_week``.

    Groups without agents have 0 FTE.
    """
    hours = agents.groupby("group")["max_hours"].sum() if len(agents) else pd.Series(dtype=float)
    return {group: float(hours.get(group, 0.0)) / fte_hours_per_week for group in groups}
