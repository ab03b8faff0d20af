"""Each model on synthetic series with a known weekly season (and trend), against the truth."""

from __future__ import annotations

import numpy as np
import pytest

from forecasting.backtest import training_for
from forecasting.calendar import day_calendar
from forecasting.grid import series_from_history
from forecasting.metrics import wmape
from forecasting.models import BASE_MODELS, MODELS, Ensemble

TZ = "Europe/London"


def split(history, train_days: int):
    """Training window and the true next days on the grid."""
    series = series_from_history(history, "voice", 60, TZ)
    return training_for(series.head(train_days), None), series.dates[train_days:], series.volume[train_days:]


@pytest.fixture(scope="module")
def flat(history_factory):
    return split(history_factory(days=16 * 7 + 14, interval_minutes=60), 16 * 7)


@pytest.fixture(scope="module")
def trending(history_factory):
    return split(history_factory(days=16 * 7 + 14, interval_minutes=60, trend_per_day=0.004), 16 * 7)


def test_model_names() -> None:
    assert list(MODELS) == ["seasonal_naive", "weekly_average", "ets", "sarimax", "mstl", "prophet", "ensemble"]


@pytest.mark.parametrize(("name", "tolerance"), [("seasonal_naive", 1e-12), ("weekly_average", 1e-12), ("ets", 0.02),
                                                 ("sarimax", 0.02), ("mstl", 0.02), ("prophet", 0.02)])
def test_weekly_season_is_recovered(flat, name: str, tolerance: float) -> None:
    training, dates, truth = flat
    prediction = BASE_MODELS[name]().fit(training).predict(dates)
    assert prediction.volume.shape == truth.shape
    assert wmape(truth, prediction.volume) <= tolerance
    assert (prediction.volume[:, truth.max(axis=0) == 0] == 0).all() or name == "mstl"
    finished = training.finish(day_calendar(dates, None, "voice"), prediction.volume)
    assert (finished[truth == 0] == 0).all()  # closed slots stay closed after finishing
    assert (prediction.daily_rel_sd >= 0).all()


@pytest.mark.parametrize("name", ["ets", "sarimax", "prophet"])
def test_trend_is_followed(trending, name: str) -> None:
    training, dates, truth = trending
    naive = BASE_MODELS["seasonal_naive"]().fit(training).predict(dates).volume
    model = BASE_MODELS[name]().fit(training).predict(dates).volume
    assert wmape(truth, model) < 0.03
    assert wmape(truth, model) < 0.7 * wmape(truth, naive)  # naive lags a week of +0.4%/day growth


def test_prediction_after_a_gap_keeps_the_weekday(flat) -> None:
    training, dates, truth = flat
    later = dates + np.timedelta64(21, "D")  # same weekdays three weeks on
    for name in ("seasonal_naive", "ets"):
        prediction = BASE_MODELS[name]().fit(training).predict(later)
        assert wmape(truth, prediction.volume) < 0.02


def test_ensemble_is_the_mean_of_its_members(flat) -> None:
    training, dates, _ = flat
    members = ("seasonal_naive", "weekly_average", "ets")
    parts = [BASE_MODELS[m]().fit(training).predict(dates) for m in members]
    ensemble = Ensemble(members).fit(training).predict(dates)
    np.testing.assert_allclose(ensemble.volume, np.mean([p.volume for p in parts], axis=0))
    np.testing.assert_allclose(ensemble.daily_rel_sd, np.mean([p.daily_rel_sd for p in parts], axis=0))
    # copied-slot noise: sum of squared weights, 1 for the naive, 0.4^2 + 0.3^2 + 0.2^2 + 0.1^2 for the average
    assert [p.slot_noise for p in parts] == pytest.approx([1.0, 0.3, 0.0])
    assert ensemble.slot_noise == pytest.approx(1.3 / 3)


def test_models_fit_on_the_history_contract(history_factory) -> None:
    from forecasting import prepare_channel
    from wfm.errors import DataError

    history = history_factory(days=35, channels=("voice", "chat"))
    training = prepare_channel(history, "chat", interval_minutes=60)
    assert training.series.channel == "chat" and training.clean.shape == (35, 24)
    prediction = MODELS["weekly_average"]().fit(training).predict(training.dates[-7:] + np.timedelta64(7, "D"))
    np.testing.assert_allclose(prediction.volume, training.series.volume[-7:])
    with pytest.raises(DataError, match="no rows for channel 'email'; channels present: chat, voice"):
        prepare_channel(history, "email", interval_minutes=60)
