"""Small configs and requirement frames for scheduling tests."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

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
    """Agents per interval from roster and breaks alone, wrapping past the plan's end as the model does."""
    coverage = result.coverage.copy()
    stamps = coverage["interval_start"]
    first, n = stamps.min(), stamps.nunique()
    step = pd.Timedelta(minutes=interval_minutes)

    def slots(begin: pd.Series, end: pd.Series) -> list[list[int]]:
        return [[(int((b - first) // step) + i) % n for i in range(int((e - b) // step))]
                for b, e in zip(begin, end, strict=True)]

    counts = [0] * n
    for covered in slots(result.roster["shift_start"], result.roster["shift_end"]):
        for slot in covered:
            counts[slot] += 1
    for covered in slots(result.breaks["break_start"], result.breaks["break_end"]):
        for slot in covered:
            counts[slot] -= 1
    coverage["recomputed"] = [counts[int((s - first) // step)] for s in stamps]
    return coverage


@pytest.fixture
def post_office_config() -> Config:
    """Winston's post office: one shift a day, 5 consecutive working days; a shift costs 1/5 (an agent 1)."""
    return make_config([{"name": "clerk", "earliest_start": "09:00", "latest_start": "09:00", "lengths_hours": [1],
                         "cost_per_hour": 0.2, "days_off": {"working_days": 5, "consecutive_off": True}}])
