"""The weekly plan end to end on a tiny center: every stage's frames, and a summary that adds up."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import math
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd
import pytest
from tiny_center import TINY_CONFIG, erlang_c_agents, shrunk, tiny_config, tiny_history

from scheduling import SolveReport
from wfm.errors import ConfigError, DataError, WfmWarning
from wfm.planning.plan import Plan, forecast_week, plan_week
from wfm.planning.summary import ChannelFigures, DailyFigures, PlanSummary
from wfm.planning.whatif import Modifiers
from wfm.staffing import staffing_by_channel, weighted_mean
from wfm.weeks import parse_week, week_after, week_label

LONDON = "Europe/London"
TINY_CHANNELS: dict[str, Any] = TINY_CONFIG["channels"]  # type: ignore[assignment]


@pytest.fixture(scope="module")
def plan() -> Plan:
    return plan_week(tiny_history(), tiny_config())


@pytest.fixture(scope="module")
def busier() -> Plan:
    """The same week with 50% more calls and 30% shrinkage (instead of 20%)."""
    return plan_week(tiny_history(), tiny_config(), modifiers=Modifiers(volume_pct=50, shrinkage=0.3))


@functools.cache
def expected_week(volume_factor: Fraction = Fraction(1), shrinkage: str = "0.2") -> pd.DataFrame:
    """The week's requirement worked out without the library: last week's calls (the seasonal naive forecast)
    times ``volume_factor``, the textbook Erlang C for 80% in 20 s under a 0.9 occupancy cap (AHT 240 s,
    15-minute intervals) and exact shrinkage; one row per interval, indexed by its start."""
    history = tiny_history()
    last = history[history["interval_start"] >= pd.Timestamp("2026-11-09", tz=LONDON)]
    calls = dict(zip(last["interval_start"] + pd.Timedelta(days=7), last["volume"], strict=True))
    stamps = pd.date_range("2026-11-16", periods=7 * 96, freq="15min", tz=LONDON)
    volume = [Fraction(calls.get(t, 0)) * volume_factor for t in stamps]
    sized = {v: erlang_c_agents(v, 240, 15, "0.8", 20, "0.9") for v in set(volume)}
    agents = [sized[v] for v in volume]
    return pd.DataFrame({"volume": [float(v) for v in volume], "agents": agents,
                         "scheduled_agents": [shrunk(a, shrinkage) for a in agents]},
                        index=pd.Index(stamps, name="interval_start"))


def on_shift(plan: Plan) -> pd.Series:
    """Agents on shift and not on a break in each interval of the week, counted from the roster and breaks."""
    roster, breaks = plan.schedule.roster, plan.schedule.breaks
    stamps = pd.date_range("2026-11-16", periods=7 * 96, freq="15min", tz=LONDON)
    t = stamps.to_numpy()[:, None]

    def count(begin: pd.Series, end: pd.Series) -> np.ndarray:
        return ((begin.to_numpy()[None, :] <= t) & (t < end.to_numpy()[None, :])).sum(axis=1)

    counts = count(roster["shift_start"], roster["shift_end"]) - count(breaks["break_start"], breaks["break_end"])
    return pd.Series(counts, index=pd.Index(stamps, name="interval_start"))


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
    req = plan.requirements.set_index("interval_start")
    expected = expected_week()
    # Seasonal naive repeats last week: Monday 12:30 had the peak of 22 calls (5.87 Erlangs at 240 s), which
    # needs 9 agents for 80/20, 12 to schedule at 20% shrinkage (9 / 0.8 = 11.25).
    assert expected.loc[pd.Timestamp("2026-11-16 12:30", tz=LONDON)].tolist() == [22, 9, 12]
    assert req["volume"].tolist() == expected["volume"].tolist()
    assert req["agents"].tolist() == expected["agents"].tolist()
    assert req["scheduled_agents"].tolist() == expected["scheduled_agents"].tolist()
    assert req.loc[req.index.day_of_week >= 5, "scheduled_agents"].sum() == 0


def test_schedule_covers_and_summary_adds_up(plan: Plan) -> None:
    summary, roster, breaks = plan.summary, plan.schedule.roster, plan.schedule.breaks
    assert not plan.config.breaks["lunch"].paid
    # Paid hours: each shift's length less its unpaid lunch, from the roster and breaks frames.
    lengths = (roster["shift_end"] - roster["shift_start"]).dt.total_seconds().sum() / 3600
    lunches = (breaks["break_end"] - breaks["break_start"]).dt.total_seconds().sum() / 3600
    assert len(breaks) == len(roster)  # one lunch per 8-hour shift
    assert summary.paid_hours == pytest.approx(lengths - lunches)
    assert summary.cost == pytest.approx((lengths - lunches) * 20.0)
    # Coverage recounted interval by interval against the independently sized requirement.
    working = on_shift(plan)
    required = expected_week()["scheduled_agents"]
    under = (required - working).clip(lower=0).sum() * 0.25
    over = (working - required).clip(lower=0).sum() * 0.25
    assert plan.schedule.coverage.set_index("interval_start")["scheduled"].tolist() == working.tolist()
    assert summary.required_agent_hours == pytest.approx(required.sum() * 0.25) == pytest.approx(410.0)
    assert summary.scheduled_agent_hours == pytest.approx(working.sum() * 0.25)
    assert summary.under_agent_hours == under == 0
    assert summary.over_agent_hours == pytest.approx(over)
    assert summary.coverage == 1.0 and summary.unmet_intervals == 0
    assert summary.efficiency == pytest.approx(1 - over / (required.sum() * 0.25))
    voice = summary.channel_table.set_index("channel").loc["voice"]
    assert voice["model"] == "seasonal_naive"
    assert voice["volume"] == pytest.approx(expected_week()["volume"].sum())
    assert voice["productive_agent_hours"] == pytest.approx(expected_week()["agents"].sum() * 0.25)


def test_projection_meets_the_target_where_covered(plan: Plan) -> None:
    projection = plan.projection
    busy = projection["volume"] > 0
    # Coverage meets the requirement everywhere, so every busy interval meets 80/20.
    assert (projection.loc[busy, "service_level"] >= 0.8 - 1e-12).all()
    daily = plan.summary.daily_table
    weekdays = daily[pd.to_datetime(daily["date"]).dt.day_of_week < 5]
    assert (weekdays["projected_service_level"] >= 0.8).all()
    assert np.isnan(daily.loc[pd.to_datetime(daily["date"]).dt.day_of_week >= 5, "projected_service_level"]).all()


def same(left: Any, right: Any) -> bool:
    """Equal values of equal types, field by field, with NaN equal to NaN."""
    if type(left) is not type(right):
        return False
    if dataclasses.is_dataclass(left):
        return all(same(getattr(left, f.name), getattr(right, f.name)) for f in dataclasses.fields(left))
    if isinstance(left, tuple | list):
        return len(left) == len(right) and all(same(a, b) for a, b in zip(left, right, strict=True))
    if isinstance(left, dict):
        return left.keys() == right.keys() and all(same(left[k], right[k]) for k in left)
    if isinstance(left, float) and math.isnan(left):
        return math.isnan(right)
    return bool(left == right)


def test_summary_serialises(plan: Plan) -> None:
    data = plan.summary.to_dict()
    assert data["week"] == "2026-W47" and data["solver"]["status"] in ("optimal", "feasible")
    assert {"forecast", "staffing", "schedule", "projection"} <= set(data["timings_seconds"])
    assert data["daily"][0]["date"] == "2026-11-16"
    # The closed weekend has no service level to project and the seasonal naive model no backtest: NaN in the
    # summary, null in JSON, NaN again when read back.
    assert math.isnan(plan.summary.daily[5].projected_service_level) and data["daily"][5][
        "projected_service_level"] is None
    back = PlanSummary.from_dict(json.loads(json.dumps(data, allow_nan=False)))
    assert isinstance(back.solver, SolveReport) and isinstance(back.week_start, dt.date)
    assert all(isinstance(c, ChannelFigures) for c in back.channels)
    assert all(isinstance(d, DailyFigures) and isinstance(d.date, dt.date) for d in back.daily)
    assert same(back, plan.summary)
    assert not same(dataclasses.replace(back, cost=back.cost + 1), plan.summary)


def test_what_if_raises_the_requirement(plan: Plan, busier: Plan) -> None:
    assert busier.config.channels["voice"].shrinkage == 0.3 and plan.config.channel_shrinkage("voice") == 0.2
    base, more = plan.requirements.set_index("interval_start"), busier.requirements.set_index("interval_start")
    assert more["volume"].tolist() == pytest.approx((base["volume"] * 1.5).tolist())
    # The peak of 22 calls becomes 33 (8.8 Erlangs): 12 agents instead of 9 for 80/20, and 12 / 0.7 = 17.1, so 18
    # to schedule instead of 12.
    peak = pd.Timestamp("2026-11-16 12:30", tz=LONDON)
    assert (base.loc[peak, "agents"], base.loc[peak, "scheduled_agents"]) == (9, 12)
    assert (more.loc[peak, "agents"], more.loc[peak, "scheduled_agents"]) == (12, 18)
    expected = expected_week(Fraction(3, 2), shrinkage="0.3")
    assert more["agents"].tolist() == expected["agents"].tolist()
    assert more["scheduled_agents"].tolist() == expected["scheduled_agents"].tolist()
    # More calls never need fewer agents, and more shrinkage never fewer scheduled; closed hours stay empty.
    open_hours = base["volume"] > 0
    assert (more["agents"] >= base["agents"]).all() and (more["agents"][open_hours] > 0).all()
    assert (more["scheduled_agents"] >= base["scheduled_agents"]).all()
    assert (more.loc[~open_hours, ["agents", "scheduled_agents"]] == 0).all().all()
    assert (more["agents"] > base["agents"]).sum() >= 0.5 * open_hours.sum()
    assert busier.summary.required_agent_hours == pytest.approx(expected["scheduled_agents"].sum() * 0.25)
    assert busier.summary.required_agent_hours > plan.summary.required_agent_hours
    assert busier.summary.paid_hours > plan.summary.paid_hours


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


CHAT = {"kind": "chat", "service_level": 0.8, "answer_seconds": 60, "concurrency": 2}
EMAIL = {"kind": "email", "response_hours": 8}


def test_configured_channels_without_history_are_warned_about() -> None:
    config = tiny_config(channels={**TINY_CHANNELS, "chat": CHAT}, groups={"team": {"channels": ["voice", "chat"]}})
    history = tiny_history(weeks=5)
    with pytest.warns(WfmWarning, match=r"^history: no rows for configured channel 'chat': no forecast and no staff "
                                        r"for it this week; add the history, or remove it from the config$"):
        made = forecast_week(history, config, week_after(history))
    assert set(made.frame["channel"]) == {"voice"}


def test_a_group_with_no_history_at_all_is_refused() -> None:
    config = tiny_config(channels={**TINY_CHANNELS, "email": EMAIL},
                         groups={"team": {"channels": ["voice"]}, "back": {"channels": ["email"]}})
    history = tiny_history(weeks=5)
    refused = (r"^history: no rows for any channel of staff group 'back' \('email'\), so the group would be planned "
               r"with no demand at all; add their history, or remove \[groups\.back\] and its channels from the "
               r"config$")
    with pytest.raises(DataError, match=refused):
        forecast_week(history, config, week_after(history))
    # The dashboard passes its cached forecast: the check still runs.
    made = forecast_week(history, tiny_config(), week_after(history))
    with pytest.raises(DataError, match=refused):
        plan_week(history, config, forecast_result=made)


def test_channels_below_target_are_those_whose_projected_level_misses_it(plan: Plan) -> None:
    """A target above the projected level is missed, one at or below it is met; channels without a target never
    miss one."""
    voice = plan.summary.channels[0]
    missed = dataclasses.replace(voice, channel="missed", service_level_target=voice.projected_service_level + 0.01)
    met = dataclasses.replace(voice, channel="met", service_level_target=voice.projected_service_level)
    untargeted = dataclasses.replace(voice, channel="email", service_level_target=None)
    summary = dataclasses.replace(plan.summary, channels=(missed, met, untargeted))
    assert [c.channel for c in summary.channels_below_target] == ["missed"]
