"""The capacity plan end to end in the library: long-range forecast, required FTE, supply, files."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from tiny_center import erlang_c_agents, tiny_config, tiny_history

from forecasting.longrange import long_range_forecast
from wfm.capacity.hiring import CAPACITY_COLUMNS, LEAD_TIME
from wfm.config import Config, parse_config
from wfm.io import read_agents
from wfm.planning.capacity import plan_capacity, with_capacity
from wfm.planning.capacity_export import CAPACITY_FILES, write_capacity
from wfm.planning.whatif import Modifiers


def _agents(tmp_path: Path, count: int, hours: float = 37.5) -> pd.DataFrame:
    path = tmp_path / "agents.csv"
    rows = "".join(f"A{i:03d},team,10,{hours}\n" for i in range(count))
    path.write_text("agent_id,group,min_hours,max_hours\n" + rows, encoding="utf-8")
    return read_agents(path, tiny_config())


def _hourly_voice(days: pd.DatetimeIndex, totals: np.ndarray) -> tuple[pd.DataFrame, Config]:
    """A voice history spreading each day's total evenly over 08:00-18:00 (UTC, hourly), and its config."""
    stamps = [day + pd.Timedelta(hours=h) for day in days for h in range(8, 18)]
    history = pd.DataFrame({"channel": "voice", "interval_start": pd.DatetimeIndex(stamps).tz_localize("UTC"),
                            "volume": np.repeat(totals / 10, 10), "aht_seconds": 240.0})
    config = parse_config({"timezone": "UTC", "interval_minutes": 60, "channels": {
        "voice": {"kind": "voice", "service_level": 0.8, "answer_seconds": 20}}})
    return history, config


def test_trend_and_yearly_season_are_recovered_six_months_ahead() -> None:
    # Two years of daily totals 1,000 x e^(0.1 years) x (1 + 0.2 sin(2 pi day / 365.25)), spread over 08:00-18:00.
    days = pd.date_range("2024-11-18", periods=728, freq="D")
    years = np.arange(len(days)) / 365.25
    truth = 1000 * np.exp(0.1 * years) * (1 + 0.2 * np.sin(2 * np.pi * years))
    made = long_range_forecast(*_hourly_voice(days, truth), weeks=26)
    ahead = len(days) + np.arange(26 * 7)
    expected = 1000 * np.exp(0.1 * ahead / 365.25) * (1 + 0.2 * np.sin(2 * np.pi * ahead / 365.25))
    daily = made.frame.groupby(made.frame["interval_start"].dt.date)["volume"].sum().to_numpy()
    assert made.methods.loc[0, "model"] == "trend+yearly"
    assert made.methods.loc[0, "growth_per_year"] == pytest.approx(math.exp(0.1) - 1, abs=0.005)
    assert np.abs(daily / expected - 1).max() < 0.01



def test_under_a_year_the_forecast_stays_at_the_recent_level() -> None:
    # Four weeks at 500 calls a day, then eight weeks at 1,000: a fitted trend would extrapolate the step into
    # steep growth; under a year of history the forecast is the last eight weeks' level, flat, and says so.
    days = pd.date_range("2026-08-24", periods=84, freq="D")
    totals = np.where(np.arange(84) < 28, 500.0, 1000.0)
    made = long_range_forecast(*_hourly_voice(days, totals), weeks=26)
    daily = made.frame.groupby(made.frame["interval_start"].dt.date)["volume"].sum().to_numpy()
    assert (made.methods.loc[0, "model"], made.methods.loc[0, "growth_per_year"]) == ("level+weekday", 0.0)
    assert daily == pytest.approx(np.full(26 * 7, 1000.0), rel=1e-9)

def test_required_fte_is_the_erlang_requirement_of_a_steady_week(tmp_path: Path) -> None:
    # A steady history: every future weekday repeats it, so a week needs, per slot, the Erlang C agents of its calls
    # (an independent textbook computation), after 20% shrinkage, x 5 weekdays x 0.25 h, over 37.5 h per FTE.
    history = tiny_history(weeks=6)
    weekday = history[history["interval_start"].dt.date == history["interval_start"].dt.date.min()]
    scheduled = [math.ceil(erlang_c_agents(calls, 240, 15, "0.8", 20, "0.9") / 0.8 - 1e-9)
                 for calls in weekday["volume"]]
    expected = 5 * sum(scheduled) * 0.25 / 37.5
    plan = plan_capacity(history, tiny_config(), _agents(tmp_path, 30), weeks=4)
    assert plan.forecast.methods.loc[0, "model"] == "level+weekday"
    assert plan.weekly["required_fte"].to_numpy() == pytest.approx([expected] * 4, rel=1e-9)
    assert plan.weekly["week"].tolist() == [dt.date(2026, 11, 16) + dt.timedelta(weeks=i) for i in range(4)]
    assert list(plan.weekly.columns) == list(CAPACITY_COLUMNS)
    assert plan.summary.status == "covered"
    more = plan_capacity(history, tiny_config(), _agents(tmp_path, 30), weeks=4, modifiers=Modifiers(volume_pct=50))
    assert (more.weekly["required_fte"] > plan.weekly["required_fte"]).all()


def test_a_short_plan_says_what_is_short_and_why_and_writes_its_files(tmp_path: Path) -> None:
    config = with_capacity(tiny_config(), {"lead_time_weeks": 2, "training_weeks": 1, "monthly_attrition": 0.05,
                                           "shortage_cost_per_fte_week": 1e6})
    plan = plan_capacity(tiny_history(weeks=6), config, _agents(tmp_path, 5), weeks=6)
    summary = plan.summary
    assert summary.status == "short"
    assert summary.short_fte_weeks_lead_time > 0
    assert "lead time 2 + training 1 weeks" in summary.message
    assert summary.first_productive_week == "2026-W50"
    assert {row["cause"] for row in summary.short_weeks} == {LEAD_TIME}
    assert summary.hires["team"] > 0
    out = write_capacity(plan, tmp_path / "out")
    assert sorted(p.name for p in out.iterdir()) == sorted(CAPACITY_FILES)
    frame = pd.read_csv(out / "capacity.csv")
    assert frame["gap_fte"].sum() == pytest.approx(summary.short_fte_weeks)
    assert json.loads((out / "capacity_summary.json").read_text())["status"] == "short"
    sheet = load_workbook(out / "capacity.xlsx")["Capacity"]
    assert [cell.value for cell in sheet[1]][:4] == ["Week", "Staff group", "Required FTE", "Available FTE"]
    page = (out / "capacity.html").read_text()
    assert "Short before 2026-W50" not in page and "short before 2026-W50" in page
