"""Capacity: the supply of agents over months (attrition, hiring classes, training, nesting) and the hiring plan.

- :mod:`~wfm.capacity.supply`: the arithmetic of supply, in FTE per week: attrition as a weekly survival
  factor, the productivity of a hire by week of tenure, and the FTE of the current agents;
- :mod:`~wfm.capacity.hiring`: :func:`plan_hiring`, the integer program (pulp) that chooses when and how many
  to hire per staff group to meet a weekly FTE requirement at least cost.

A stage: it imports only the core (``wfm.config``, ``wfm.errors``) and pulp.
"""

from wfm.capacity.hiring import CAPACITY_COLUMNS, HiringPlan, plan_hiring
from wfm.capacity.supply import current_fte, tenure_productivity, weekly_survival

__all__ = [
    "CAPACITY_COLUMNS",
    "HiringPlan",
    "current_fte",
    "plan_hiring",
    "tenure_productivity",
    "weekly_survival",
]
