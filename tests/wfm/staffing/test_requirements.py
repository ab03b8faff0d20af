"""From forecast to requirements: queue channels, chat concurrency, deferred work, shrinkage."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tiny_center import erlang_c_agents, erlang_c_service_level, shrunk

from wfm.config import Config, parse_config
from wfm.contracts import REQUIREMENTS_COLUMNS
from wfm.errors import DataError
from wfm.staffing import deferred_agents, requirements, scheduled_agents


def forecast_frame(channel: str, volumes: list[float], aht_seconds: float, start: str = "2026-11-23 08:00",
                   minutes: int = 15) -> pd.DataFrame:
    stamps = pd.date_range(start, periods=len(volumes), freq=f"{minutes}min", tz="Europe/London")
    return pd.DataFrame({"channel": channel, "interval_start": stamps, "volume": volumes,
                         "volume_lo": [v * 0.9 for v in volumes], "volume_hi": [v * 1.1 for v in volumes],
                         "aht_seconds": aht_seconds, "model": "test"})


def test_voice_is_sized_with_erlang_c_and_shrinkage(example_config: Config) -> None:
    # The targets the expected values below are computed for.
    voice = example_config.channels["voice"]
    assert (voice.service_level, voice.answer_seconds, voice.max_occupancy) == (0.8, 20, 0.85)
    assert voice.patience_seconds is None and example_config.channel_shrinkage("voice") == 0.3
    assert example_config.interval_minutes == 15
    out = requirements(forecast_frame("voice", [0, 50, 250], 300), example_config)
    assert list(out.columns) == list(REQUIREMENTS_COLUMNS)
    # 50 calls of 300 s in 15 minutes are 16.7 Erlangs: 20 agents keep occupancy under 0.85 but answer only
    # 72.9% within 20 s, 21 answer 82.6%. 250 calls (83.3 Erlangs) meet 80/20 with 98 agents (97.1%) but need
    # ceil(83.3 / 0.85) = 99 for occupancy.
    assert [erlang_c_agents(v, 300, 15, "0.8", 20, "0.85") for v in (0, 50, 250)] == [0, 21, 99]
    level = {n: float(erlang_c_service_level(n, Fraction(50, 3), Fraction(300), Fraction(20))) for n in (20, 21)}
    assert level == pytest.approx({20: 0.72925, 21: 0.82634}, abs=1e-5)
    assert float(erlang_c_service_level(98, Fraction(250, 3), Fraction(300), Fraction(20))) > 0.8
    assert out["agents"].tolist() == [0, 21, 99]
    # 30% shrinkage: 21 / 0.7 = 30 exactly (a float ceil gives 31); 99 / 0.7 = 141.4 -> 142.
    assert out["scheduled_agents"].tolist() == [0, 30, 142]
    assert out["erlangs"].tolist() == pytest.approx([0, 50 * 300 / 900, 250 * 300 / 900])
    assert out["service_level"].iloc[1] == pytest.approx(level[21], abs=1e-12)
    assert out["occupancy"].tolist() == pytest.approx([0, (50 / 3) / 21, (250 / 3) / 99])
    assert (out["service_level"].iloc[1:] >= 0.8).all() and (out["occupancy"] <= 0.85).all()
    assert out["service_level"].iloc[0] == 1.0


def known_answer_config() -> Config:
    """30-minute intervals, 80% in 20 s, 30% shrinkage; ``capped`` adds a 0.70 occupancy cap (FACTS.md)."""
    target = {"kind": "voice", "service_level": 0.8, "answer_seconds": 20}
    return parse_config({"timezone": "Europe/London", "interval_minutes": 30, "shrinkage": 0.3,
                         "channels": {"voice": target, "capped": {**target, "max_occupancy": 0.7}}}, source="test")


def test_published_erlang_c_answer_through_requirements() -> None:
    # 100 calls in 30 minutes, AHT 180 s (10 Erlangs): 13 agents answer 79.6% within 20 s, 14 answer 88.8%;
    # with 30% shrinkage 14 become 20 scheduled; a 0.70 occupancy cap forces 15 (22 scheduled).
    config = known_answer_config()
    frames = [forecast_frame(c, [100.0], 180, minutes=30) for c in ("voice", "capped")]
    out = requirements(pd.concat(frames), config).set_index("channel")
    assert out.loc["voice", "agents"] == 14 and out.loc["voice", "scheduled_agents"] == 20
    assert out.loc["voice", "service_level"] == pytest.approx(0.88835, abs=5e-6)
    assert out.loc["voice", "asa_seconds"] == pytest.approx(7.836, abs=5e-4)
    assert out.loc["voice", "occupancy"] == pytest.approx(10 / 14)
    assert out.loc["capped", "agents"] == 15 and out.loc["capped", "scheduled_agents"] == 22
    # The reference used elsewhere in these tests reproduces the published figures.
    assert float(erlang_c_service_level(14, Fraction(10), Fraction(180), Fraction(20))) == pytest.approx(
        0.88835, abs=5e-6)
    assert float(erlang_c_service_level(13, Fraction(10), Fraction(180), Fraction(20))) == pytest.approx(
        0.79559, abs=5e-6)


@settings(max_examples=25, deadline=None)
@given(calls=st.integers(min_value=0, max_value=400), aht=st.integers(min_value=30, max_value=900))
def test_voice_agents_match_the_textbook_erlang_c(example_config: Config, calls: int, aht: int) -> None:
    out = requirements(forecast_frame("voice", [float(calls)], aht), example_config)
    agents = erlang_c_agents(calls, aht, 15, "0.8", 20, "0.85")
    assert out["agents"].tolist() == [agents]
    assert out["scheduled_agents"].tolist() == [shrunk(agents, "0.3")]


def test_shrinkage_rounds_exactly() -> None:
    # ceil(n / (1 - s)) by hand: 21 / 0.7 = 30 exactly, 22 / 0.7 = 31.4, 14 / 0.7 = 20, 8 / 0.8 = 10, 9 / 0.8 = 11.25.
    assert scheduled_agents(21, 0.3) == 30
    assert scheduled_agents(np.array([0, 14, 21, 22]), 0.3).tolist() == [0, 20, 30, 32]
    assert scheduled_agents(np.array([8, 9]), 0.2).tolist() == [10, 12]
    assert scheduled_agents(7, 0.0) == 7


def test_chat_uses_concurrency(example_config: Config) -> None:
    chat = example_config.channels["chat"]
    assert (chat.service_level, chat.answer_seconds, chat.max_occupancy, chat.concurrency) == (0.8, 60, 0.85, 2)
    out = requirements(forecast_frame("chat", [80], 600), example_config)
    # 80 chats of 600 s in 15 minutes are 53.3 Erlangs on 2 servers per agent: 63 servers meet 80% in 60 s,
    # so 32 agents (64 servers); one server per agent would need 63 agents.
    assert erlang_c_agents(80, 600, 15, "0.8", 60, "0.85", concurrency=2) == 32
    assert erlang_c_agents(80, 600, 15, "0.8", 60, "0.85") == 63
    assert out["agents"].tolist() == [32]
    assert out["occupancy"].iloc[0] == pytest.approx(80 * 600 / 900 / 64)
    assert out["scheduled_agents"].tolist() == [shrunk(32, "0.3")] == [46]


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
