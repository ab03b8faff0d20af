"""The weekly plan end to end on a tiny center: every stage's frames, and a summary that adds up."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from tiny_center import tiny_config, tiny_history

from wfm.errors import ConfigError, DataError
from wfm.planning.plan import Plan, plan_week
from wfm.planning.whatif import Modifiers
from wfm.staffing import required_agents, scheduled_agents, staffing_by_channel, weighted_mean
from wfm.weeks import parse_week, week_after, week_label


@pytest.fixture(scope="module")
def plan() -> Plan:
    return plan_week(tiny_history(), tiny_config())


def test_weeks() -> None:
    assert parse_week("2026-W48") == dt.date(2026, 11, 23)
    assert week_label(dt.date(2026, 11, 23)) == "2026-W48"
    assert week_label(dt.date(2027, 1, 1)) == "2026-W53"
    assert week_after(tiny_history()) == dt.date(2026, 11, 16)
    with pytest.raises(ConfigError, match="'48' is not an ISO week; write it as YYYY-Www"):
        parse_week("48")


def test_plans_the_week_after_the_history(plan: Plan) -> None:
    assert plan.summary.week == "2026-W47"
    starts = plan.forecast.frame["interval_start"]
    assert starts.min() == pd.Timestamp("2026-11-16", tz="Europe/London")
    assert len(plan.requirements) == 7 * 96


def test_requirements_follow_the_forecast(plan: Plan) -> None:
    req = plan.requirements
    # Seasonal naive repeats last week: Monday 12:30 had the peak of 22 calls.
    peak = req[req["interval_start"] == pd.Timestamp("2026-11-16 12:30", tz="Europe/London")].iloc[0]
    assert peak["volume"] == 22
    assert peak["agents"] == required_agents(22, 240, 15, 0.8, 20, 0.9)
    assert peak["scheduled_agents"] == scheduled_agents(int(peak["agents"]), 0.2)
    assert req.loc[req["interval_start"].dt.day_of_week >= 5, "scheduled_agents"].sum() == 0


def test_schedule_covers_and_summary_adds_up(plan: Plan) -> None:
    summary = plan.summary
    roster = plan.schedule.roster
    assert summary.paid_hours == pytest.approx(roster["paid_hours"].sum())
    assert summary.cost == pytest.approx(roster["paid_hours"].sum() * 20.0)
    assert summary.under_agent_hours == 0 and summary.coverage == 1.0
    hours = 0.25
    assert summary.required_agent_hours == pytest.approx(plan.requirements["scheduled_agents"].sum() * hours)
    voice = summary.channel_table.set_index("channel").loc["voice"]
    assert voice["model"] == "seasonal_naive"
    assert voice["volume"] == pytest.approx(plan.forecast.frame["volume"].sum())


def test_projection_meets_the_target_where_covered(plan: Plan) -> None:
    projection = plan.projection
    busy = projection["volume"] > 0
    # Coverage meets the requirement everywhere, so every busy interval meets 80/20.
    assert (projection.loc[busy, "service_level"] >= 0.8 - 1e-12).all()
    daily = plan.summary.daily_table
    weekdays = daily[pd.to_datetime(daily["date"]).dt.day_of_week < 5]
    assert (weekdays["projected_service_level"] >= 0.8).all()
    assert np.isnan(daily.loc[pd.to_datetime(daily["date"]).dt.day_of_week >= 5, "projected_service_level"]).all()


def test_summary_serialises(plan: Plan) -> None:
    data = plan.summary.to_dict()
    assert data["week"] == "2026-W47" and data["solver"]["status"] in ("optimal", "feasible")
    assert {"forecast", "staffing", "schedule", "projection"} <= set(data["timings_seconds"])
    assert data["daily"][0]["date"] == "2026-11-16"


def test_what_if_raises_the_requirement() -> None:
    base = plan_week(tiny_history(), tiny_config(solver={"time_limit_seconds": 20}),
                     modifiers=Modifiers(volume_pct=50, shrinkage=0.3))
    assert base.config.channels["voice"].shrinkage == 0.3
    peak = base.requirements["volume"].max()
    assert peak == pytest.approx(22 * 1.5)


def test_week_inside_history_is_refused() -> None:
    with pytest.raises(DataError, match="inside the history"):
        plan_week(tiny_history(), tiny_config(), dt.date(2026, 11, 9))
    with pytest.raises(ConfigError, match="is a Tuesday; a planning week starts on a Monday"):
        plan_week(tiny_history(), tiny_config(), dt.date(2026, 11, 17))


def test_staffing_by_channel_adds_up(plan: Plan) -> None:
    table = staffing_by_channel(plan.requirements, plan.config).set_index("channel")
    req = plan.requirements
    assert table.loc["voice", "productive_agent_hours"] == pytest.approx(req["agents"].sum() * 0.25)
    assert table.loc["voice", "peak_agents"] == req["agents"].max()
    busy = req["volume"] > 0
    expected = (req.loc[busy, "service_level"] * req.loc[busy, "volume"]).sum() / req.loc[busy, "volume"].sum()
    assert table.loc["voice", "service_level"] == pytest.approx(expected)


def test_weighted_mean_skips_missing_values() -> None:
    values = pd.Series([0.9, np.nan, 0.5])
    assert weighted_mean(values, pd.Series([1.0, 5.0, 3.0])) == pytest.approx((0.9 + 1.5) / 4)
    assert np.isnan(weighted_mean(values, pd.Series([0.0, 1.0, 0.0])))
