"""Intraday profiles, the day-by-slot grid (DST days included) and the holiday/event calendar."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from forecasting.calendar import day_calendar
from forecasting.grid import frame_from_grid, interval_starts, series_from_history
from forecasting.profile import fit_profile, pooled_shares
from wfm.config import ForecastEvent, ForecastSettings
from wfm.errors import ConfigError


class TestProfile:
    def test_shares_by_weekday_sum_to_one(self) -> None:
        days = pd.date_range("2026-01-05", periods=14, freq="D")
        volume = np.tile([1.0, 3.0, 0.0], (14, 1))
        volume[days.day_of_week == 6] = [0.0, 0.0, 0.0]  # Sundays closed
        shares = fit_profile(volume, days).shares
        np.testing.assert_allclose(shares[0], [0.25, 0.75, 0.0])
        np.testing.assert_allclose(shares[6], [0.0, 0.0, 0.0])

    def test_recent_weeks_weigh_more(self) -> None:
        days = pd.date_range("2026-01-05", periods=14, freq="D")
        volume = np.vstack([np.tile([1.0, 1.0], (7, 1)), np.tile([1.0, 3.0], (7, 1))])
        shares = fit_profile(volume, days, decay=0.5).shares[0]
        # newest week weight 1 (shares 1/4, 3/4 of 4 contacts), older week weight 0.5
        expected_late = (1 * 3 + 0.5 * 1) / (1 * 4 + 0.5 * 2)
        assert shares[1] == pytest.approx(expected_late)

    def test_excluded_days_and_window(self) -> None:
        days = pd.date_range("2026-01-05", periods=21, freq="D")
        volume = np.tile([1.0, 1.0], (21, 1))
        volume[14] = [0.0, 5.0]  # a Monday left out of training
        include = np.ones(21, dtype=bool)
        include[14] = False
        np.testing.assert_allclose(fit_profile(volume, days, include).shares[0], [0.5, 0.5])
        np.testing.assert_allclose(fit_profile(volume, days, weeks=1).shares[0], [0.0, 1.0])

    def test_pooled_shares(self) -> None:
        volume = np.array([[1.0, 1.0], [0.0, 2.0], [5.0, 5.0]])
        np.testing.assert_allclose(pooled_shares(volume, np.array([True, True, False])), [0.25, 0.75])
        np.testing.assert_allclose(pooled_shares(volume, np.zeros(3, dtype=bool)), [0.0, 0.0])


class TestGrid:
    def test_dst_days_have_23_and_25_hours(self) -> None:
        spring = interval_starts(pd.DatetimeIndex(["2026-03-29"]), "Europe/London", 60)
        autumn = interval_starts(pd.DatetimeIndex(["2026-10-25"]), "Europe/London", 30)
        assert len(spring) == 23 and len(autumn) == 50

    def test_history_round_trips_through_the_grid(self, history_factory) -> None:
        history = history_factory(days=35, interval_minutes=60, start="2026-03-02")  # spans the March change
        series = series_from_history(history, "voice", 60, "Europe/London")
        assert series.volume.shape == (35, 24)
        assert series.volume.sum() == history["volume"].sum()
        frame = frame_from_grid("voice", series.dates, "Europe/London", 60, {"volume": series.volume})
        assert len(frame) == 35 * 24 - 1  # one hour missing on 29 March
        merged = frame.merge(history, on=["channel", "interval_start"], how="left", suffixes=("", "_h"))
        np.testing.assert_array_equal(merged["volume"], merged["volume_h"].fillna(0))

    def test_absent_intervals_are_zero_and_aht_is_volume_weighted(self) -> None:
        stamps = pd.to_datetime(["2026-01-05 09:00", "2026-01-05 09:30"]).tz_localize("UTC")
        history = pd.DataFrame({"channel": "c", "interval_start": stamps, "volume": [10, 30],
                                "aht_seconds": [100.0, 200.0]})
        series = series_from_history(history, "c", 60, "UTC")
        assert series.volume[0, 9] == 40 and series.volume.sum() == 40
        assert series.aht_seconds[0, 9] == pytest.approx((10 * 100 + 30 * 200) / 40)


class TestCalendar:
    def test_gb_holidays_events_and_outliers(self) -> None:
        settings = ForecastSettings(
            country="GB", region="ENG", outlier_dates=(dt.date(2026, 12, 2),),
            events=(ForecastEvent(name="sale", start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 3), uplift=0.5),
                    ForecastEvent(name="eve", start=dt.date(2026, 12, 24), end=dt.date(2026, 12, 24),
                                  like_sunday=True, channels=("chat",))))
        dates = pd.date_range("2026-12-01", "2026-12-31", freq="D")
        voice = day_calendar(dates, settings, "voice")
        chat = day_calendar(dates, settings, "chat")
        assert voice.holiday[24] == "Christmas Day" and voice.holiday[25] == "Boxing Day"
        assert voice.uplift[:4].tolist() == [1.5, 1.5, 1.5, 1.0]
        assert voice.outlier[1] and voice.outlier.sum() == 1
        assert not voice.like_sunday.any() and chat.like_sunday[23] and chat.like_sunday.sum() == 1
        assert voice.holiday[27].startswith("Boxing Day")  # substitute day: the 26th is a Saturday
        # eves: the 24th, the 27th (before the substitute day; also after Boxing Day) and the 31st (New Year)
        assert np.flatnonzero(voice.eve).tolist() == [23, 26, 30]
        assert np.flatnonzero(voice.after).tolist() == [26, 28]
        # the sale (with the outlier inside it), three holidays, the eves and days after (the 27th once)
        assert voice.special.sum() == 3 + 3 + 4

    def test_no_settings_means_no_special_days(self) -> None:
        calendar = day_calendar(pd.date_range("2026-12-20", periods=10, freq="D"), None, "voice")
        assert not calendar.special.any()

    @pytest.mark.parametrize(("country", "region", "field"), [("XX", None, "forecast.country"),
                                                              ("GB", "XXX", "forecast.region")])
    def test_unknown_country_or_region(self, country: str, region: str | None, field: str) -> None:
        with pytest.raises(ConfigError, match=field):
            day_calendar(pd.date_range("2026-01-01", periods=3, freq="D"),
                         ForecastSettings(country=country, region=region), "voice")
