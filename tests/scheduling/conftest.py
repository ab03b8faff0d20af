"""Small configs and requirement frames for scheduling tests."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import pytest

from wfm.config import Config, parse_config


def make_config(shifts: Sequence[dict[str, Any]], *, interval_minutes: int = 60, breaks: dict | None = None,
                group: dict | None = None, solver: dict | None = None) -> Config:
    """One voice channel served by group ``all``, the given templates and break rules."""
    return parse_config({
        "timezone": "Europe/London", "interval_minutes": interval_minutes,
        "channels": {"voice": {"kind": "voice", "service_level": 0.8, "answer_seconds": 20}},
        "groups": {"all": {"channels": ["voice"], **(group or {})}},
        "breaks": breaks or {},
        "shifts": [{"group": "all", "start_step_minutes": interval_minutes, "breaks": [], **s} for s in shifts],
        "solver": solver or {"gap": 0.0, "time_limit_seconds": 30}}, source="test")


def make_requirements(start: str, agents: Sequence[int], *, interval_minutes: int = 60) -> pd.DataFrame:
    """Requirements for consecutive intervals from ``start`` (local time, Europe/London)."""
    stamps = pd.date_range(start, periods=len(agents), freq=f"{interval_minutes}min", tz="Europe/London")
    return pd.DataFrame({"channel": "voice", "interval_start": stamps, "scheduled_agents": list(agents)})


def recompute_coverage(result: Any, interval_minutes: int) -> pd.DataFrame:
    """Agents per group and interval from roster and breaks alone, wrapping past the plan's end as the model
    does; the frame is ``result.coverage`` with a ``recomputed`` column."""
    coverage = result.coverage.copy()
    stamps = coverage["interval_start"]
    first, n = stamps.min(), stamps.nunique()
    step = pd.Timedelta(minutes=interval_minutes)
    group_of = dict(zip(result.roster["agent_id"], result.roster["group"], strict=True))
    counts: dict[tuple[str, int], int] = {}

    def add(group: str, begin: pd.Timestamp, end: pd.Timestamp, sign: int) -> None:
        for i in range(int((end - begin) // step)):
            key = (group, (int((begin - first) // step) + i) % n)
            counts[key] = counts.get(key, 0) + sign

    for row in result.roster.itertuples():
        add(row.group, row.shift_start, row.shift_end, 1)
    for row in result.breaks.itertuples():
        add(group_of[row.agent_id], row.break_start, row.break_end, -1)
    coverage["recomputed"] = [counts.get((g, int((s - first) // step)), 0)
                              for g, s in zip(coverage["group"], stamps, strict=True)]
    return coverage


def recount_hours(result: Any, requirements: pd.DataFrame, interval_minutes: int,
                  group_of: dict[str, str] | None = None) -> dict[str, float]:
    """Required, scheduled, under and over agent-hours recounted without the result's own counts: the
    requirement from the input frame (channels summed into groups by ``group_of``, default all into ``all``),
    the agents from roster and breaks (:func:`recompute_coverage`), compared interval by interval."""
    covered = recompute_coverage(result, interval_minutes)
    groups = requirements["channel"].map(group_of) if group_of else pd.Series("all", index=requirements.index)
    need = requirements.assign(group=groups).groupby(["group", "interval_start"])["scheduled_agents"].sum()
    keys = list(zip(covered["group"], covered["interval_start"], strict=True))
    required = np.array([need.get(key, 0) for key in keys])
    assert required.sum() == need.sum()  # every required interval is in the plan
    working = covered["recomputed"].to_numpy()
    hours = interval_minutes / 60
    return {"required": required.sum() * hours, "scheduled": working.sum() * hours,
            "under": np.maximum(required - working, 0).sum() * hours,
            "over": np.maximum(working - required, 0).sum() * hours}


def paid_hours_by_agent(result: Any, unpaid: set[str]) -> pd.Series:
    """Each agent's paid hours summed from the roster and breaks frames: shift lengths less the breaks of the
    ``unpaid`` kinds."""
    def hours(agent_ids: pd.Series, starts: pd.Series, ends: pd.Series) -> pd.Series:
        spans = [(end - start).total_seconds() / 3600 for start, end in zip(starts, ends, strict=True)]
        return pd.Series(spans, index=agent_ids.to_numpy(), dtype=float).groupby(level=0).sum()

    roster, breaks = result.roster, result.breaks[result.breaks["kind"].isin(unpaid)]
    worked = hours(roster["agent_id"], roster["shift_start"], roster["shift_end"])
    return worked.sub(hours(breaks["agent_id"], breaks["break_start"], breaks["break_end"]), fill_value=0.0)


@pytest.fixture
def post_office_config() -> Config:
    """Winston's post office: one shift a day, 5 consecutive working days; a shift costs 1/5 (an agent 1)."""
    return make_config([{"name": "clerk", "earliest_start": "09:00", "latest_start": "09:00", "lengths_hours": [1],
                         "cost_per_hour": 0.2, "days_off": {"working_days": 5, "consecutive_off": True}}])
