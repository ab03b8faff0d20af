"""Each model on synthetic series with a known weekly season (and trend), against the truth."""

from __future__ import annotations

import numpy as np
import pytest

from forecasting.backtest import training_for
from forecasting.calendar import day_calendar
from forecasting.grid import series_from_history
from forecasting.metrics import wmape
from forecasting.models import BASE_MODELS, MODELS, Ensemble
from wfm.errors import InputError, WfmError

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
    assert list(MODELS) == ["seasonal_naive", "weekday_mean", "weekly_average", "daily", "ets", "sarimax", "mstl",
                            "prophet", "ensemble"]


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
    ensemble = Ensemble(members=members).fit(training).predict(dates)
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


def test_weekly_average_weights_pick_the_weeks_they_name(history_factory) -> None:
    """Hand-computed: row -7 is last week's same weekday, row -14 the week before, and so on."""
    training, _, _ = split(history_factory(days=8 * 7, noise=True, seed=4), 7 * 7)
    dates = training.dates[-7:] + np.timedelta64(7, "D")
    clean = training.clean
    last_week = MODELS["weekly_average"](weights=(1, 0, 0, 0)).fit(training).predict(dates)
    np.testing.assert_array_equal(last_week.volume, clean[-7:])
    assert last_week.slot_noise == 1.0  # one copied week, as the seasonal naive
    two_weeks_ago = MODELS["weekly_average"](weights=(0, 5, 0, 0)).fit(training).predict(dates)
    np.testing.assert_allclose(two_weeks_ago.volume, clean[-14:-7])
    plain = MODELS["weekly_average"](weights=(1, 1, 1, 1)).fit(training).predict(dates)
    np.testing.assert_allclose(plain.volume, (clean[-7:] + clean[-14:-7] + clean[-21:-14] + clean[-28:-21]) / 4)
    assert plain.slot_noise == pytest.approx(4 * 0.25 ** 2)
    default = MODELS["weekly_average"]().fit(training).predict(dates)
    np.testing.assert_allclose(default.volume, (4 * clean[-7:] + 3 * clean[-14:-7] + 2 * clean[-21:-14]
                                                + clean[-28:-21]) / 10)


def test_settings_change_the_forecast_as_they_say(trending) -> None:
    training, dates, _ = trending
    damped = MODELS["ets"]().fit(training).predict(dates).daily()["volume"].to_numpy()
    linear = MODELS["ets"](damped_trend=False).fit(training).predict(dates).daily()["volume"].to_numpy()
    growth = np.diff(linear[::7][:2])[0] / np.diff(damped[::7][:2])[0]  # same weekday a week apart
    assert growth > 1.05  # an undamped trend keeps rising; a damped one flattens
    defaults = MODELS["sarimax"]().fit(training).predict(dates).volume
    explicit = MODELS["sarimax"](order=(1, 1, 1), seasonal_order=(0, 1, 1), max_days=365).fit(training)
    np.testing.assert_array_equal(explicit.predict(dates).volume, defaults)
    other = MODELS["sarimax"](order=(0, 1, 1)).fit(training).predict(dates).volume
    assert not np.allclose(other, defaults)
    short = MODELS["mstl"](weeks=3).fit(training).predict(dates).volume
    assert not np.allclose(short, MODELS["mstl"]().fit(training).predict(dates).volume)
    assert Ensemble(members=("ets",)).fit(training).predict(dates).volume == pytest.approx(
        MODELS["ets"]().fit(training).predict(dates).volume)


@pytest.mark.parametrize(("name", "settings", "message"), [
    ("weekly_average", {"weights": ()}, r"weights must be one or more finite numbers >= 0 .* got \(\)"),
    ("weekly_average", {"weights": (1, -1)}, r"weights must be .* >= 0 with a positive sum.*got \(1, -1\)"),
    ("weekly_average", {"weights": (0, 0)}, r"with a positive sum, one per past week, newest first"),
    ("weekly_average", {"weights": "4321"}, r"e\.g\. \(4, 3, 2, 1\)\), got '4321'"),
    ("weekly_average", {"weights": (1, float("nan"))}, r"finite numbers"),
    ("ets", {"max_days": 10}, r"max_days must be an integer >= 28 \(the most recent days .*\), got 10"),
    ("ets", {"max_days": True}, r"max_days must be an integer >= 28"),
    ("ets", {"damped_trend": "yes"}, r"damped_trend must be True or False, got 'yes'"),
    ("sarimax", {"order": (1, 1)}, r"order must be three integers >= 0 \(p, d, q: .*\), got \(1, 1\)"),
    ("sarimax", {"seasonal_order": (0, -1, 1)}, r"seasonal_order must be three integers >= 0 \(P, D, Q of the weekly"),
    ("prophet", {"seasonality_mode": "mult"}, r"seasonality_mode must be 'additive' or 'multiplicative', got 'mult'"),
    ("prophet", {"changepoint_prior_scale": 0}, r"changepoint_prior_scale must be a number > 0 .*0\.05\), got 0"),
    ("mstl", {"weeks": 2}, r"weeks must be an integer >= 3 \(.*drops a season longer than half the series\), got 2"),
    ("ensemble", {"members": ("ets", "arima")}, r"members must be a sequence of single model names \(seasonal_naive, "
                                                r"weekday_mean, weekly_average, daily, ets, sarimax, mstl, prophet\), "
                                                r"e\.g\. \('ets', "
                                                r"'sarimax'\), got \('ets', 'arima'\)"),
    ("ensemble", {"members": "ets+mstl"}, r"members must be a sequence .* got 'ets\+mstl'"),
    ("ensemble", {"members": ()}, r"members must be a sequence"),
])
def test_bad_settings_are_refused_by_name(name: str, settings: dict, message: str) -> None:
    with pytest.raises(InputError, match=message) as refused:
        MODELS[name](**settings)
    assert isinstance(refused.value, WfmError) and refused.value.field == next(iter(settings))


def test_settings_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        MODELS["weekly_average"]((1, 1, 1, 1))  # type: ignore[misc]
    assert MODELS["weekly_average"](weights=[2, 1]).weights == (2.0, 1.0)
