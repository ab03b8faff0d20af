"""The cost-vs-risk frontier: what each probability of meeting the service-level targets costs in a week.

Each point staffs the forecast week to meet every queue interval's target with probability ``P``
(:func:`wfm.staffing.risk.risk_requirements`) and prices it as a scenario estimate does (required hours at each
group's cheapest shift cost; no schedule is solved, so every point is an *estimate*). The probabilities are
those of the required agents.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from wfm.config import Config
from wfm.planning.scenarios import risk_figures, staffing_figures
from wfm.planning.whatif import Modifiers
from wfm.staffing.risk import risk_requirements, volume_distribution

#: The probabilities of the default frontier: 8 points from 0.5 to 0.95.
DEFAULT_PROBABILITIES = (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)

#: The frontier's columns, in order.
FRONTIER_COLUMNS = ("risk", "required_fte", "required_agent_hours", "cost", "cost_basis", "projected_service_level",
                    "target_probability", "week_probability", "expected_service_level")


def risk_frontier(forecast_frame: pd.DataFrame, config: Config, modifiers: Modifiers | None = None,
                  probabilities: Sequence[float] = DEFAULT_PROBABILITIES) -> pd.DataFrame:
    """Cost and risk of staffing the week to each probability, one row per probability (ascending).

    Returns
    -------
    pandas.DataFrame
        ``risk`` (the probability staffed to), ``required_fte``, ``required_agent_hours``, ``cost`` (estimate,
        in the config's currency), ``cost_basis`` ("estimate"), ``projected_service_level`` (at the forecast
        volume, queue channels, volume-weighted), ``target_probability`` (every queue interval
        meets its target with at least this), ``week_probability`` (every queue interval of the week meets it)
        and ``expected_service_level`` (queue channels, volume-weighted).
    """
    modifiers = modifiers or Modifiers()
    effective = modifiers.apply_to_config(config)
    changed = modifiers.apply_to_forecast(forecast_frame)
    distribution = volume_distribution(changed)  # the same for every point: made once
    rows = []
    for probability in sorted(float(p) for p in probabilities):
        required = risk_requirements(changed, effective, probability, distribution=distribution)
        figures = staffing_figures(required, effective)
        rows.append({"risk": probability, **{k: getattr(figures, k) for k in ("required_fte", "required_agent_hours",
                                                                      "cost", "cost_basis",
                                                                      "projected_service_level")},
                     **risk_figures(changed, required, effective, distribution=distribution)})
    frame = pd.DataFrame(rows, columns=list(FRONTIER_COLUMNS))
    return frame.astype({c: float for c in FRONTIER_COLUMNS if c != "cost_basis"}).replace({np.inf: np.nan})
