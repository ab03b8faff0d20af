"""forecast(): the contract, closed days, holidays, events, outliers, interval lengths, gaps, AHT, auto choice."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from forecasting import MODELS, backtest, forecast
from forecasting.calendar import country_holidays
from wfm.config import Config, parse_config
from wfm.contracts import FORECAST_COLUMNS, validate_demand, validate_forecast
from wfm.errors import ConfigError, DataError

TZ = "Europe/London"


def make_config(interval_minutes: int = 60, **forecast_settings) -> Config:
    return parse_config({"timezone": TZ, "interval_minutes": interval_minutes,
                         "channels": {"voice": {"kind": "voice", "service_level": 0.8, "answer_seconds": 20},
                                      "chat": {"kind": "chat", "service_level": 0.8, "answer_seconds": 60}},
                         "forecast": {"backtest_folds": 2, "backtest_horizon_days": 7, **forecast_settings}})


def daily(frame: pd.DataFrame, column: str = "volume") -> pd.Series:
    local = frame["interval_start"].dt.tz_convert(TZ).dt.tz_localize(None).dt.normalize()
    return frame.groupby(local)[column].sum()


def test_contract_and_closed_hours(history_factory) -> None:
    history = history_factory(days=56, channels=("voice", "chat"))
    result = forecast(history, make_config(), model="ets", horizon_days=7)
    frame = result.frame
    assert list(frame.columns) == list(FORECAST_COLUMNS)
    assert len(frame) == 2 * 7 * 24 and frame["channel"].tolist() == ["chat"] * 168 + ["voice"] * 168
    assert frame["interval_start"].min() == pd.Timestamp("2026-03-02", tz=TZ)  # the day after the history
    assert frame.equals(validate_forecast(frame, source="forecast"))  # sorted, valid
    assert ((frame["volume_lo"] <= frame["volume"]) & (frame["volume"] <= frame["volume_hi"])).all()
    hour = frame["interval_start"].dt.hour
    assert (frame.loc[(hour < 8) | (hour >= 20), ["volume", "volume_lo", "volume_hi"]] == 0).all().all()
    assert (frame.loc[hour == 11, "volume_hi"] > frame.loc[hour == 11, "volume"]).all()
    assert (frame["model"] == "ets").all() and frame["aht_seconds"].eq(300.0).all()
    assert result.backtest is None and result.backtest_summary is None
    assert result.choices["selection"].eq("fixed").all()
    assert result.choices["wmape"].isna().all()


@pytest.mark.parametrize("model", [m for m in MODELS if m != "ensemble"])
def test_closed_weekends_stay_closed(history_factory, model: str) -> None:
    levels = (1200.0, 1100.0, 1000.0, 1000.0, 900.0, 0.0, 0.0)
    history = history_factory(days=56, levels=levels, noise=True)
    frame = forecast(history, make_config(), model=model, horizon_days=7).frame
    per_day = daily(frame)
    assert (per_day[per_day.index.day_of_week >= 5] == 0).all()
    np.testing.assert_allclose(per_day[per_day.index.day_of_week < 5], levels[:5], rtol=0.1)


def test_holidays_get_their_own_level(history_factory) -> None:
    holidays = {dt.date(2026, 4, 3), dt.date(2026, 4, 6), dt.date(2026, 5, 4), dt.date(2026, 5, 25)}
    history = history_factory(days=133, day_factor=lambda day: 0.2 if day.date() in holidays else 1.0)
    config = make_config(country="GB", region="ENG")
    for model in ("ets", "seasonal_naive"):
        per_day = daily(forecast(history, config, model=model, horizon_days=14).frame)
        assert per_day[pd.Timestamp("2026-05-25")] == pytest.approx(0.2 * 1200, rel=0.05)  # Spring Bank Holiday
        assert per_day[pd.Timestamp("2026-05-18")] == pytest.approx(1200, rel=0.03)
    without = daily(forecast(history, make_config(country=""), model="ets", horizon_days=14).frame)
    assert without[pd.Timestamp("2026-05-25")] == pytest.approx(1200, rel=0.03)  # holidays off, no holiday
    # no country set: Europe/London is in one country, so GB's holidays apply by default
    default = daily(forecast(history, make_config(), model="seasonal_naive", horizon_days=14).frame)
    assert default[pd.Timestamp("2026-05-25")] < 0.3 * 1200  # a holiday's level, not an ordinary Monday's 1200


def test_a_holiday_keeps_its_level_on_another_weekday(history_factory) -> None:
    """Boxing Day is a Friday in 2025 and a Saturday in 2026; Christmas Day a Thursday, then a Friday."""
    holidays = country_holidays("GB", "ENG", range(2025, 2027))
    levels = (1200.0, 1100.0, 1000.0, 1000.0, 900.0, 500.0, 300.0)
    mean_day = float(np.mean(levels))  # 857: every holiday is 0.3 of the mean day, whatever its weekday
    history = history_factory(days=413, start="2025-11-03", levels=levels, day_factor=lambda day: (
        0.3 * mean_day / levels[day.day_of_week] if day.date() in holidays else 1.0))
    per_day = daily(forecast(history, make_config(country="GB", region="ENG"), model="seasonal_naive",
                             horizon_days=7).frame)
    assert per_day.index[0] == pd.Timestamp("2026-12-21")
    assert per_day[pd.Timestamp("2026-12-26")] == pytest.approx(0.3 * mean_day, rel=0.03)  # was 0.3 x 857 / 900 x 500
    assert per_day[pd.Timestamp("2026-12-25")] == pytest.approx(0.3 * mean_day, rel=0.03)
    assert per_day[pd.Timestamp("2026-12-27")] == pytest.approx(levels[6], rel=0.03)  # an ordinary Sunday


def test_events_and_outlier_days(history_factory) -> None:
    spiky = history_factory(days=56, day_factor=lambda day: 1.3 if day == pd.Timestamp("2026-02-23") else 1.0)
    plain = daily(forecast(spiky, make_config(), model="seasonal_naive", horizon_days=7).frame)
    assert plain[pd.Timestamp("2026-03-02")] == pytest.approx(1.3 * 1200, rel=0.01)  # naive copies the spike
    events = [{"name": "sale", "start": dt.date(2026, 3, 3), "end": dt.date(2026, 3, 3), "uplift": 0.5},
              {"name": "strike", "start": dt.date(2026, 3, 4), "end": dt.date(2026, 3, 4), "like_sunday": True,
               "channels": ["voice"]}]
    config = make_config(outlier_dates=[dt.date(2026, 2, 23)], events=events)
    frame = forecast(spiky, config, model="seasonal_naive", horizon_days=7).frame
    per_day = daily(frame)
    assert per_day[pd.Timestamp("2026-03-02")] == pytest.approx(1200, rel=0.01)  # outlier left out of training
    assert per_day[pd.Timestamp("2026-03-03")] == pytest.approx(1.5 * 1100, rel=0.01)
    assert per_day[pd.Timestamp("2026-03-04")] == pytest.approx(300, rel=0.01)  # Sunday's level
    sunday = frame[frame["interval_start"].dt.date == dt.date(2026, 3, 8)]["volume"].to_numpy()
    wednesday = frame[frame["interval_start"].dt.date == dt.date(2026, 3, 4)]["volume"].to_numpy()
    np.testing.assert_allclose(wednesday, sunday, rtol=1e-9)  # and Sunday's profile


@pytest.mark.parametrize("interval_minutes", [5, 6, 15, 30, 60])
def test_interval_lengths(history_factory, interval_minutes: int) -> None:
    history = history_factory(days=35, interval_minutes=interval_minutes)
    result = forecast(history, make_config(interval_minutes), interval_minutes=interval_minutes, horizon_days=7,
                      model="weekly_average")
    assert len(result.frame) == 7 * 1440 // interval_minutes
    steps = result.frame["interval_start"].diff().dropna().unique()
    assert steps.tolist() == [pd.Timedelta(minutes=interval_minutes)]
    # a stationary history: each slot repeats the same weekday's slot (rounded per slot, so totals vary a little)
    np.testing.assert_allclose(daily(result.frame).to_numpy(), daily(history).to_numpy()[-7:], rtol=1e-9)


def test_dst_horizon_has_every_interval(history_factory) -> None:
    history = history_factory(days=56, start="2026-08-24")
    frame = forecast(history, make_config(), model="ets", horizon_days=7).frame  # 19-25 Oct: clocks go back on the 25th
    assert len(frame) == 7 * 24 + 1 and frame["interval_start"].is_unique


def test_start_after_a_gap_and_without_config(history_factory) -> None:
    history = history_factory(days=56)
    history["interval_start"] = history["interval_start"].dt.tz_convert("UTC")
    result = forecast(history, interval_minutes=60, start=dt.date(2026, 3, 16), horizon_days=3, model="ets")
    assert result.frame["interval_start"].iloc[0] == pd.Timestamp("2026-03-16", tz="UTC")
    assert len(result.frame) == 72
    np.testing.assert_allclose(daily(result.frame).to_numpy(), [1200, 1100, 1000], rtol=0.03)
    with pytest.raises(ConfigError, match="start: 2026-02-20 is inside the history"):
        forecast(history, interval_minutes=60, start="2026-02-20", model="ets")


def test_aht_is_volume_weighted_by_slot(history_factory) -> None:
    history = history_factory(days=56)
    history["aht_seconds"] = 200.0 + 10.0 * history["interval_start"].dt.hour
    frame = forecast(history, make_config(), model="ets", horizon_days=7).frame
    open_slots = frame[frame["volume"] > 0]
    np.testing.assert_allclose(open_slots["aht_seconds"], 200.0 + 10.0 * open_slots["interval_start"].dt.hour)
    assert (frame["aht_seconds"] > 0).all()


def test_missing_aht_gives_a_volume_forecast_that_staffing_refuses_by_name(history_factory) -> None:
    history = history_factory(days=35, aht_seconds=None)
    volume_only = forecast(history, make_config(), model="weekly_average", horizon_days=1).frame
    assert volume_only["aht_seconds"].isna().all() and (volume_only["volume"] >= 0).all()
    validate_forecast(volume_only, source="f")  # a volume forecast is a valid forecast
    with pytest.raises(DataError, match=r"aht_seconds: channel 'voice' has no handle time.*default_aht_seconds"):
        validate_demand(volume_only, source="f")
    frame = forecast(history, make_config(default_aht_seconds=180), model="weekly_average", horizon_days=1).frame
    assert frame["aht_seconds"].eq(180.0).all()


def test_auto_choice_records_model_and_score(history_factory) -> None:
    history = history_factory(days=56, noise=True, seed=3)
    result = forecast(history, make_config(), horizon_days=7)
    choice = result.choices.iloc[0]
    assert choice["selection"] == "auto" and choice["model"] in MODELS
    summary = result.backtest.groupby("model")["fold"].count()
    assert set(summary.index) == set(MODELS) and (summary == 2).all()
    assert 0 < choice["wmape"] <= choice["seasonal_naive_wmape"]
    pooled = result.backtest_summary.set_index("model")["wmape_interval"]  # what the choice was made on
    assert choice["wmape"] == pooled[choice["model"]] == pooled.min()
    label = result.frame["model"].iloc[0]
    assert label == choice["model"] or label == f"ensemble({'+'.join(choice['member_models'])})"


def test_refuses_bad_input(history_factory) -> None:
    with pytest.raises(DataError, match="only 13 days of history; forecasting needs at least 14 days"):
        forecast(history_factory(days=13), make_config())
    with pytest.raises(DataError, match="model ets needs 28 days of history, it has 20"):
        forecast(history_factory(days=20), make_config(), model="ets")
    with pytest.raises(ConfigError, match="unknown model 'arima'; use auto or one of seasonal_naive"):
        forecast(history_factory(days=35), make_config(), model="arima")
    with pytest.raises(DataError, match="too few for a backtest of 4 folds of 7 days.*use fewer folds"):
        backtest(history_factory(days=35), make_config(), folds=4, horizon_days=7)
    with pytest.raises(ConfigError, match="interval_minutes: unknown"):
        forecast(history_factory(days=35), model="ets")
    with pytest.raises(ConfigError, match="horizon_days: must be > 0, got 0"):
        forecast(history_factory(days=35), make_config(), model="ets", horizon_days=0)


def test_unknown_holiday_country_fails_before_any_fit(history_factory) -> None:
    with pytest.raises(ConfigError, match="forecast.country: Country XX not available"):
        forecast(history_factory(days=35), make_config(country="XX"), model="ets")


def test_daily_totals_carry_the_days_own_band_and_weighted_handle_time(history_factory) -> None:
    history = history_factory(days=56)
    history["aht_seconds"] = 200.0 + 10.0 * history["interval_start"].dt.hour
    result = forecast(history, make_config(), model="ets", horizon_days=7)
    frame, days = result.frame, result.daily
    assert days is not None and len(days) == 7 and days["channel"].eq("voice").all()
    np.testing.assert_allclose(days["volume"], daily(frame).to_numpy())
    # The band model: a slot of mean m has variance (m r)^2 + c m (r the day's relative error, shared by its
    # slots; c the count noise). Solve r^2 and c from two slots' bands, then add the day up: (M r)^2 + c M.
    day = frame[frame["interval_start"].dt.tz_convert(TZ).dt.date == days["date"].iloc[0]]
    busy = day[day["volume"] > 0]
    z_sd2 = ((busy["volume_hi"] - busy["volume"]) ** 2).to_numpy()
    m = busy["volume"].to_numpy()
    (r2z, cz), *_ = np.linalg.lstsq(np.column_stack([m**2, m]), z_sd2, rcond=None)
    total = m.sum()
    expected_half_width = np.sqrt(r2z * total**2 + cz * total)
    assert days["volume_hi"].iloc[0] - days["volume"].iloc[0] == pytest.approx(expected_half_width, rel=1e-6)
    # Narrower than the interval bounds added up (their count noise partly cancels over a day).
    assert days["volume_hi"].iloc[0] < busy["volume_hi"].sum()
    # Handle time weighted by the forecast volume: busy hours count more.
    hours = busy["interval_start"].dt.hour
    assert days["aht_seconds"].iloc[0] == pytest.approx(((200.0 + 10.0 * hours) * m).sum() / total)
    assert result.week_aht_seconds("voice") == pytest.approx(
        (frame["aht_seconds"] * frame["volume"]).sum() / frame["volume"].sum())
