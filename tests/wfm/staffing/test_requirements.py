"""From forecast to requirements: queue channels, chat concurrency, deferred work, shrinkage."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from wfm.config import Config
from wfm.contracts import REQUIREMENTS_COLUMNS
from wfm.errors import DataError
from wfm.staffing import deferred_agents, required_agents, requirements, scheduled_agents


def forecast_frame(channel: str, volumes: list[float], aht_seconds: float, start: str = "2026-11-23 08:00",
                   minutes: int = 15) -> pd.DataFrame:
    stamps = pd.date_range(start, periods=len(volumes), freq=f"{minutes}min", tz="Europe/London")
    return pd.DataFrame({"channel": channel, "interval_start": stamps, "volume": volumes,
                         "volume_lo": [v * 0.9 for v in volumes], "volume_hi": [v * 1.1 for v in volumes],
                         "aht_seconds": aht_seconds, "model": "test"})


def test_voice_is_sized_with_erlang_c_and_shrinkage(example_config: Config) -> None:
    out = requirements(forecast_frame("voice", [0, 50, 250], 300), example_config)
    assert list(out.columns) == list(REQUIREMENTS_COLUMNS)
    expected = required_agents(np.array([0, 50, 250]), 300, 15, 0.8, 20, 0.85)
    assert out["agents"].tolist() == expected.tolist()
    assert out["scheduled_agents"].tolist() == scheduled_agents(expected, 0.30).tolist()
    assert out["erlangs"].tolist() == pytest.approx([0, 50 * 300 / 900, 250 * 300 / 900])
    assert (out["service_level"].iloc[1:] >= 0.8).all() and (out["occupancy"] <= 0.85).all()
    assert out["service_level"].iloc[0] == 1.0


def test_chat_uses_concurrency(example_config: Config) -> None:
    out = requirements(forecast_frame("chat", [80], 600), example_config)
    servers = required_agents(80, 600, 15, 0.8, 60, 0.85)
    assert out["agents"].iloc[0] == -(-servers // 2)


def test_email_spreads_work_over_the_response_window(example_config: Config) -> None:
    # 12 items of 240 s arrive at 08:00; an 8-hour window of 15-minute intervals has 32 slots.
    volumes = [12.0] + [0.0] * 47
    out = requirements(forecast_frame("email", volumes, 240), example_config)
    busy = 12 * 240 / 32 / 900  # agents busy in each of the 32 slots
    assert out["agents"].iloc[:32].tolist() == [int(np.ceil(busy / 0.9))] * 32
    assert out["agents"].iloc[32:].sum() == 0
    assert np.isnan(out["service_level"]).all()


def test_deferred_work_waits_for_opening_hours() -> None:
    # Interval 0 is closed; work arriving there starts at the first working interval.
    working = np.array([False, True, True, True, False])
    agents, busy = deferred_agents(np.array([1800.0, 0, 0, 0, 0]), working, interval_minutes=15,
                                   response_hours=0.5, max_occupancy=1.0)
    assert busy.tolist() == pytest.approx([0, 1.0, 1.0, 0, 0])
    assert agents.tolist() == [0, 1, 1, 0, 0]
    # All the work is planned: busy agent-seconds equal the workload.
    assert busy.sum() * 900 == pytest.approx(1800.0)


def test_deferred_plan_finishes_every_item_in_time() -> None:
    rng = np.random.default_rng(4)
    workload = rng.uniform(0, 3000, 96)
    working = np.tile(np.r_[np.zeros(8, bool), np.ones(40, bool)], 2)
    _, busy = deferred_agents(workload, working, interval_minutes=15, response_hours=4, max_occupancy=1.0)
    # Cumulative capacity never runs behind the work due (arrived at least 16 working intervals ago).
    capacity = np.cumsum(busy[working] * 900)
    position = np.cumsum(working) - working
    due = np.array([workload[position + 16 <= k].sum() for k in range(int(working.sum()))])
    assert (capacity + 1e-6 >= due).all()


def test_unknown_channel_in_forecast(example_config: Config) -> None:
    with pytest.raises(DataError, match="unknown channel 'sms'"):
        requirements(forecast_frame("sms", [1.0], 200), example_config)


def test_volume_outside_its_band_is_refused(example_config: Config) -> None:
    frame = forecast_frame("voice", [10.0, 20.0], 200).assign(volume_hi=[11.0, 5.0])
    with pytest.raises(DataError, match=r"row 2: volume: must lie in its interval \[volume_lo, volume_hi\], got 20 "
                                        r"outside \[18, 5\]"):
        requirements(frame, example_config)


def test_week_has_every_interval(example_config: Config) -> None:
    frames = [forecast_frame(c, list(np.linspace(0, 300, 672)), 300, start="2026-11-23 00:00")
              for c in ("voice", "chat", "email")]
    out = requirements(pd.concat(frames), example_config)
    assert len(out) == 3 * 672


def test_a_planning_week_wraps_late_work_onto_monday() -> None:
    # Two days of a repeating horizon stand for a week here: work arriving late on the last day lands first thing.
    working = np.tile(np.r_[np.zeros(8, bool), np.ones(32, bool), np.zeros(8, bool)], 2)
    workload = np.zeros(96)
    workload[95] = 3600.0  # arrives after hours on the last day
    _, busy = deferred_agents(workload, working, interval_minutes=15, response_hours=1, max_occupancy=1.0,
                              cyclic=True)
    assert busy[8:12].tolist() == pytest.approx([1.0] * 4)  # the first morning's four intervals
    assert busy.sum() * 900 == pytest.approx(3600.0)
    _, open_ended = deferred_agents(workload, working, interval_minutes=15, response_hours=1, max_occupancy=1.0)
    assert open_ended.sum() == 0  # without wrapping it belongs to the next horizon


def test_a_week_of_email_plans_all_its_work(example_config: Config) -> None:
    rng = np.random.default_rng(7)
    volumes = list(rng.uniform(0, 30, 7 * 96))
    out = requirements(forecast_frame("email", volumes, 240, start="2026-11-23 00:00"), example_config)
    assert out["erlangs"].sum() * 900 == pytest.approx(sum(volumes) * 240)  # every item's work is planned
    staffed = out["agents"] > 0
    assert out.loc[staffed, "occupancy"].to_numpy() == pytest.approx(
        (out.loc[staffed, "erlangs"] / out.loc[staffed, "agents"]).to_numpy())
    assert (out.loc[~staffed, "erlangs"] == 0).all()


def test_the_four_demand_columns_are_enough(example_config: Config) -> None:
    full = forecast_frame("voice", [50.0, 0.0], 180)
    demand = full[["channel", "interval_start", "volume", "aht_seconds"]]
    out = requirements(demand, example_config)
    # 50 calls of 180 s in 15 minutes are 10 erlangs; Erlang C by hand: 13 agents answer 79.6% within 20 s,
    # 14 agents 88.8%. Scheduled with 30% shrinkage: ceil(14 / 0.7) = 20.
    assert out["agents"].tolist() == [14, 0]
    assert out["scheduled_agents"].tolist() == [20, 0]
    pd.testing.assert_frame_equal(out, requirements(full, example_config))


def test_demand_needs_aht_and_both_band_columns(example_config: Config) -> None:
    full = forecast_frame("voice", [50.0], 180)
    with pytest.raises(DataError, match=r"^forecast: missing column aht_seconds; the header must name channel, "
                                        r"interval_start, volume, aht_seconds \(found: channel, interval_start, "
                                        r"volume\)"):
        requirements(full[["channel", "interval_start", "volume"]], example_config)
    with pytest.raises(DataError, match=r"^forecast: missing column volume_hi"):
        requirements(full.drop(columns="volume_hi"), example_config)
