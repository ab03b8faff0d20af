"""Short histories, missing days, closed weekdays, holiday eves and catch-up, calibrated bands (issue 10).

Expected values come from the generating process of each synthetic history (its weekday levels, its day
factors, its noise), never from the code under test.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import WEEKDAY_LEVELS

from forecasting import backtest, forecast, history_check
from forecasting.backtest import FoldResult, band_scale, choose, score
from forecasting.calendar import country_holidays
from forecasting.models import Prediction
from wfm.config import Config, parse_config
from wfm.errors import DataError

TZ = "Europe/London"
Z80 = 1.2815515655446004  # the two-sided 80% normal quantile (a published table value)


def config(**forecast_settings: object) -> Config:
    return parse_config({"timezone": TZ, "interval_minutes": 60,
                         "channels": {"voice": {"kind": "voice", "service_level": 0.8, "answer_seconds": 20}},
                         "forecast": {"country": "", **forecast_settings}})


def daily_totals(frame: pd.DataFrame) -> pd.Series:
    local = frame["interval_start"].dt.tz_convert(TZ).dt.tz_localize(None).dt.normalize()
    return frame.groupby(local)["volume"].sum()


def drop_days(history: pd.DataFrame, days: list[str]) -> pd.DataFrame:
    local = history["interval_start"].dt.tz_convert(TZ).dt.tz_localize(None).dt.normalize()
    return history[~local.isin(pd.to_datetime(days))].reset_index(drop=True)


def test_short_histories_get_a_forecast_and_say_how(history_factory) -> None:
    """14 days: no backtest, the fallback model; 28: two folds of a week, models needing 28 days skipped."""
    short = forecast(history_factory(days=14), config(), horizon_days=7)
    choice = short.choices.iloc[0]
    assert (choice["selection"], choice["model"], choice["folds"]) == ("fallback", "daily", 0)
    assert "too short for a backtest" in choice["note"]
    # no noise: every weekday's level exactly, Monday first (the history starts on Monday 2026-01-05)
    np.testing.assert_allclose(daily_totals(short.frame).to_numpy(), WEEKDAY_LEVELS, rtol=0.02)

    four_weeks = history_factory(days=28, noise=True, seed=1)
    result = backtest(four_weeks, config(), models=["daily", "weekday_mean", "ets", "mstl"])  # folds fitted
    winner = result.winners.iloc[0]
    assert (winner["folds"], winner["horizon_days"]) == (2, 7)
    assert winner["skipped"] == ("ets (needs 28 days of training, the first fold has 14); "
                                 "mstl (needs 21 days of training, the first fold has 14)")
    assert set(result.summary["model"]) == {"daily", "weekday_mean"}
    assert 1 <= winner["auto_rank"] <= winner["models_ranked"] == 2 and winner["baseline_wmape"] > 0

    lines = history_check(history_factory(days=65), config())
    assert "backtest of 4 folds of 12 days (asked 4 of 14)" in lines[0]
    with pytest.raises(DataError, match="only 13 days of history; forecasting needs at least 14 days"):
        history_check(history_factory(days=13), config())


def test_a_missing_day_is_unknown_not_zero(history_factory) -> None:
    """Exact weekday levels with fractional volumes; days left out of the file in training and in a test fold
    must neither pull the forecast down nor be scored as zero-volume days."""
    history = history_factory(days=42)
    history = history.assign(volume=history["volume"] + 0.5 * (history["volume"] > 0))
    gappy = drop_days(history, ["2026-01-14", "2026-02-04", "2026-02-12"])  # a Wednesday in training, two tested
    result = backtest(gappy, config(), folds=2, horizon_days=7, models=["weekday_mean", "seasonal_naive"])
    assert result.summary["wmape_interval"].max() == pytest.approx(0.0, abs=1e-9)
    days = forecast(gappy, config(), model="weekday_mean", horizon_days=7).frame
    expected = daily_totals(history).iloc[-7:].to_numpy()  # the generating levels, half-calls included
    np.testing.assert_allclose(daily_totals(days).to_numpy(), expected, rtol=1e-9)


def test_a_history_without_weekends_keeps_them_closed(history_factory) -> None:
    history = history_factory(days=35, noise=True, seed=2)
    local = history["interval_start"].dt.tz_convert(TZ).dt.tz_localize(None)
    weekdays = history[local.dt.day_of_week < 5].reset_index(drop=True)
    frame = forecast(weekdays, config(), model="daily", horizon_days=7).frame
    totals = daily_totals(frame)
    assert (totals[totals.index.day_of_week >= 5] == 0).all()
    assert (totals[totals.index.day_of_week < 5] > 0).all()


def test_holiday_eves_and_catch_up_days_get_their_factors(history_factory) -> None:
    """GB holidays at 20% of a day, their eves at 130% and the days after at 150% of the same weekday."""
    names = country_holidays("GB", None, range(2024, 2027))

    def factor(day: pd.Timestamp) -> float:
        one = pd.Timedelta(days=1)
        if day.date() in names:
            return 0.2
        if (day + one).date() in names:
            return 1.3
        return 1.5 if (day - one).date() in names else 1.0

    history = history_factory(days=448, start="2025-01-06", day_factor=factor)  # to Sunday 2026-03-29
    frame = forecast(history, config(country="GB"), model="weekday_mean", horizon_days=14).frame
    totals = daily_totals(frame)
    level = dict(enumerate(WEEKDAY_LEVELS))
    for day, expected in (("2026-04-02", 1.3), ("2026-04-04", 1.5), ("2026-04-01", 1.0)):
        stamp = pd.Timestamp(day)
        assert totals[stamp] == pytest.approx(expected * level[stamp.day_of_week], rel=0.03), day


def test_band_scale_of_normal_errors_is_the_normal_quantile() -> None:
    """Errors N(0, 1) against a half-width of 1: the factor that covers 80% is the 80% two-sided quantile."""
    errors = np.abs(np.random.default_rng(0).normal(size=200_000))
    assert band_scale([errors[:100_000], errors[100_000:]]) == pytest.approx(Z80, abs=0.01)


@pytest.mark.parametrize("dispersion", [1.0, 3.0])
def test_calibrated_bands_cover_80_percent(history_factory, dispersion: float) -> None:
    """Poisson and over-dispersed (variance 3 x mean) counts: each model's out-of-fold calibrated band holds
    75-85% of the tested slots (6 folds x 7 days x 12 open hours = 504 slots: binomial sd 0.018)."""
    history = history_factory(days=70, noise=True, dispersion=dispersion, seed=4)
    result = backtest(history, config(), folds=6, horizon_days=7, models=["weekday_mean", "daily", "seasonal_naive"])
    coverage = result.summary.set_index("model")["coverage"]
    assert coverage.between(0.75, 0.85).all(), coverage.to_dict()


def test_a_short_backtest_keeps_a_robust_model_unless_another_is_clearly_better() -> None:
    """Hand-made scores: under 28 test days a lead of 5% is noise (the robust model stays), one of 20% is not;
    from 28 test days the lowest score wins."""
    close = {"prophet": 0.19, "weekday_mean": 0.20, "daily": 0.21}
    assert choose(close, test_days=14) == "weekday_mean"
    assert choose(close, test_days=28) == "prophet"
    assert choose({"prophet": 0.16, "weekday_mean": 0.20, "daily": 0.21}, test_days=14) == "prophet"
    assert choose({"sarimax": 0.19, "ets": 0.30}, test_days=14) == "sarimax"


def test_weekday_mean_on_a_short_history_averages_the_same_weekdays_only(history_factory) -> None:
    """Two weeks of noiseless history: the mean of the last 4 same weekdays can only repeat those two weeks,
    so each forecast day is its weekday's level, never another weekday's."""
    history = history_factory(days=14)
    totals = daily_totals(forecast(history, config(), model="weekday_mean", horizon_days=7).frame)
    for day, total in totals.items():
        assert total == pytest.approx(WEEKDAY_LEVELS[day.day_of_week], rel=0.005), day  # whole calls per slot


def test_the_issued_band_is_calibrated_on_the_later_folds() -> None:
    """Four folds of normal errors whose 80% two-sided quantile is 3 half-widths in the two early folds (short
    training) and 1 in the two later ones: the forecast is issued with the later folds' factor, 1, not the
    mixture's (about 2)."""
    rng = np.random.default_rng(1)
    dates = pd.date_range("2026-03-02", periods=7, freq="D")
    mean = np.full((7, 500), 100.0)
    half = Z80 * np.sqrt(mean)  # the band of a Poisson slot with no daily error: sd sqrt(100) = 10
    folds = []
    for fold, sd in enumerate((3.0, 3.0, 1.0, 1.0), start=1):
        actual = mean + rng.normal(scale=sd, size=mean.shape) * half / Z80
        prediction = Prediction(dates=dates, interval_minutes=60, volume=mean, daily_rel_sd=np.zeros(7),
                                dispersion=1.0)
        folds.append(FoldResult(channel="voice", fold=fold, origin=dates[0], actual=actual, scale=1.0,
                                predictions={"weekday_mean": prediction, "daily": prediction}))
    summary = score(folds, ensemble=False).summary.set_index("model")
    assert summary.loc["weekday_mean", "band_scale"] == pytest.approx(1.0, abs=0.03)
