"""Files written by write_schedule, and a day of the example config end to end."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest

from scheduling import solve_schedule, write_schedule
from tests.conftest import EXAMPLE_CONFIG
from tests.scheduling.conftest import recompute_coverage
from wfm.config import load_config


def example_day() -> pd.DataFrame:
    """A Monday of the sample center: voice and chat 07:00-22:00, email 08:00-20:00 (15-minute intervals)."""
    stamps = pd.date_range("2026-01-05 07:00", "2026-01-05 21:45", freq="15min", tz="Europe/London")
    hour = stamps.hour + stamps.minute / 60
    curve = np.exp(-((hour - 11) / 3.5) ** 2) + 0.7 * np.exp(-((hour - 16) / 3) ** 2)
    voice = pd.DataFrame({"channel": "voice", "interval_start": stamps, "scheduled_agents": np.round(20 * curve + 3)})
    chat = voice.assign(channel="chat", scheduled_agents=np.round(8 * curve + 1))
    open_email = (hour >= 8) & (hour < 20)
    email = voice[open_email].assign(channel="email", scheduled_agents=4)
    return pd.concat([voice, chat, email], ignore_index=True).astype({"scheduled_agents": "int64"})


@pytest.fixture(scope="module")
def example_result():
    return solve_schedule(example_day(), load_config(EXAMPLE_CONFIG), time_limit_seconds=20, gap=0.01)


def test_example_config_day(example_result):
    s = example_result.summary
    assert s.coverage == 1.0
    assert set(example_result.coverage["group"]) == {"frontline", "backoffice"}
    assert s.solver.status in ("optimal", "feasible") and s.solver.bound <= s.solver.objective
    assert s.solver.gap <= 0.05
    assert 1.0 <= s.paid_hours_per_required_hour <= 1.25
    frontline = example_result.coverage[example_result.coverage["group"] == "frontline"]
    need = example_day().query("channel != 'email'").groupby("interval_start")["scheduled_agents"].sum()
    assert (frontline.set_index("interval_start")["required"].reindex(need.index) == need).all()
    covered = recompute_coverage(example_result, 15)
    assert (covered["recomputed"] == covered["scheduled"]).all()
    assert set(example_result.breaks["kind"]) <= {"lunch", "rest"}


def test_write_schedule(example_result, tmp_path):
    paths = write_schedule(example_result, tmp_path / "week")
    assert {p.name for p in paths.values()} == {"roster.csv", "breaks.csv", "coverage.csv", "summary.json",
                                                 "unmet.csv", "unassigned.csv"}
    roster = pd.read_csv(paths["roster"])
    assert list(roster.columns) == ["agent_id", "group", "date", "shift_start", "shift_end", "paid_hours"]
    assert len(roster) == example_result.summary.shifts
    coverage = pd.read_csv(paths["coverage"])
    assert list(coverage.columns) == ["group", "interval_start", "required", "scheduled", "under", "over"]
    assert coverage["scheduled"].tolist() == example_result.coverage["scheduled"].tolist()
    summary = json.loads(paths["summary"].read_text())
    for key in ("paid_hours", "cost", "under_agent_hours", "over_agent_hours", "coverage", "efficiency", "solver"):
        assert key in summary
    for key in ("status", "bound", "gap", "seconds", "objective", "backend"):
        assert key in summary["solver"]
    assert summary["efficiency"] == pytest.approx(1 - (summary["over_agent_hours"] + summary["under_agent_hours"])
                                                  / summary["required_agent_hours"])
    assert not list((tmp_path / "week").glob(".*.tmp"))


def test_summary_to_dict_maps_nan_to_none(example_result):
    summary = dataclasses.replace(example_result.summary, paid_hours_per_required_hour=float("nan"))
    assert summary.to_dict()["paid_hours_per_required_hour"] is None
