"""Files written by write_schedule, and a day of the example config end to end."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest

from scheduling import solve_schedule, write_schedule
from tests.conftest import EXAMPLE_CONFIG
from tests.scheduling.conftest import paid_hours_by_agent, recompute_coverage, recount_hours
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
    # The written figures against a recount: the requirement from the input day, agents from roster and breaks,
    # paid hours less unpaid lunches (rest breaks are paid), frontline at 22 an hour and backoffice at 20.
    groups = {"voice": "frontline", "chat": "frontline", "email": "backoffice"}
    hours = recount_hours(example_result, example_day(), 15, groups)
    assert hours["required"] == example_day()["scheduled_agents"].sum() * 0.25
    assert summary["required_agent_hours"] == pytest.approx(hours["required"])
    assert summary["scheduled_agent_hours"] == pytest.approx(hours["scheduled"])
    assert summary["under_agent_hours"] == pytest.approx(hours["under"])
    assert summary["over_agent_hours"] == pytest.approx(hours["over"])
    assert summary["efficiency"] == pytest.approx(1 - (hours["over"] + hours["under"]) / hours["required"])
    assert summary["coverage"] == pytest.approx(1 - hours["under"] / hours["required"])
    paid = paid_hours_by_agent(example_result, unpaid={"lunch"})
    group_of_agent = example_result.roster.groupby("agent_id")["group"].first()
    rate = group_of_agent.map({"frontline": 22.0, "backoffice": 20.0})
    assert summary["paid_hours"] == pytest.approx(paid.sum(), abs=1e-3)
    assert summary["cost"] == pytest.approx((paid * rate.reindex(paid.index)).sum(), abs=1e-3)
    assert summary["paid_hours_per_required_hour"] == pytest.approx(paid.sum() / hours["required"], abs=1e-6)
    assert not list((tmp_path / "week").glob(".*.tmp"))


def test_summary_to_dict_maps_nan_to_none(example_result):
    summary = dataclasses.replace(example_result.summary, paid_hours_per_required_hour=float("nan"))
    assert summary.to_dict()["paid_hours_per_required_hour"] is None
