"""Forecast models behind one interface: ``fit`` on a prepared training window, ``predict`` days.

Every model forecasts *ordinary* days, slot by slot; :meth:`forecasting.training.Training.finish` then
applies holidays, events and closed slots, the same way for all models. A model also says how uncertain
each forecast day total is (``daily_rel_sd``), from which the 80% interval is built.

==================  ==========================================================================
``seasonal_naive``  the same slot on the last week's same weekday
``weekly_average``  the same slot over the last 4 same weekdays, weighted 4:3:2:1 (newest first)
``ets``             damped additive Holt-Winters (statsmodels ETS) on daily totals x profile
``sarimax``         SARIMA(1,1,1)(0,1,1)7 on the last year of daily totals x profile
``mstl``            MSTL (daily and weekly seasons) on the last 8 weeks of the slot series
``prophet``         Prophet (multiplicative weekly, and yearly from a year of history) on daily totals x profile
``ensemble``        the mean of several of the above (chosen by backtest)
==================  ==========================================================================
"""

from __future__ import annotations

import logging
import warnings
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd
from pandas.errors import Pandas4Warning
from prophet import Prophet
from statsmodels.tools.sm_exceptions import ConvergenceWarning
from statsmodels.tsa.exponential_smoothing.ets import ETSModel
from statsmodels.tsa.seasonal import MSTL
from statsmodels.tsa.statespace.sarimax import SARIMAX as StateSpaceSARIMAX

from forecasting.training import RECENT_WEEKS, Z80, Training


@dataclass(frozen=True)
class Prediction:
    """An ordinary-day forecast.

    Attributes
    ----------
    volume
        Expected contacts per day and slot, shape ``(days, slots)``, >= 0.
    daily_rel_sd
        Standard deviation of each day's total relative to its mean, shape ``(days,)``.
    slot_noise
        Count noise the forecast carries from the past slot values it copies, relative to that of an actual
        slot: the sum of the squared weights of the copied values (1 for the seasonal naive, 0 for models
        smoothed over days).
    """

    volume: np.ndarray
    daily_rel_sd: np.ndarray
    slot_noise: float = 0.0


class ForecastModel(ABC):
    """A model: ``fit(training)`` then ``predict(dates)`` for days after the training window.

    Examples
    --------
    >>> training = prepare_channel(history, "voice", interval_minutes=15, config=config)  # doctest: +SKIP
    >>> ETS().fit(training).predict(pd.date_range("2026-11-16", periods=7)).volume.shape  # doctest: +SKIP
    (7, 96)
    """

    name: ClassVar[str]

    def fit(self, training: Training) -> ForecastModel:
        """Learn from a prepared training window; returns the model."""
        self.training = training
        self._fit(training)
        return self

    @abstractmethod
    def _fit(self, training: Training) -> None: ...

    @abstractmethod
    def predict(self, dates: pd.DatetimeIndex) -> Prediction:
        """Forecast the local days ``dates`` (all after the training window; gaps allowed)."""

    def _steps(self, dates: pd.DatetimeIndex) -> np.ndarray:
        """Days ahead of the end of training, 1 for the next day."""
        return np.asarray((dates - self.training.dates[-1]).days, dtype=np.int64)


def _relative(spread: np.ndarray, mean: np.ndarray) -> np.ndarray:
    return np.divide(spread, mean, out=np.zeros_like(spread, dtype=float), where=mean > 0)


def _last_same_weekday(training: Training, dates: pd.DatetimeIndex, back: int = 0) -> np.ndarray:
    """Row index of the ``back``-th last training day with each date's weekday."""
    steps = np.asarray((dates - training.dates[-1]).days, dtype=np.int64)
    return np.maximum(len(training.dates) - 1 - (-steps) % 7 - 7 * back, 0)


def _recent_rel_sd(daily: np.ndarray, reference: np.ndarray) -> float:
    """Spread of recent daily totals around a reference forecast, relative to their mean."""
    recent = slice(-7 * RECENT_WEEKS, None)
    error = (daily - reference)[recent]
    mean = daily[recent].mean() if error.size else 0.0  # no comparisons in too short a history: no spread
    return float(error.std() / mean) if mean > 0 else 0.0


class SeasonalNaive(ForecastModel):
    """The same slot on the last week's same weekday."""

    name = "seasonal_naive"

    def _fit(self, training: Training) -> None:
        daily = training.daily.to_numpy()
        self._rel_sd = _recent_rel_sd(daily[7:], daily[:-7])

    def predict(self, dates: pd.DatetimeIndex) -> Prediction:
        volume = self.training.clean[_last_same_weekday(self.training, dates)]
        return Prediction(np.maximum(volume, 0.0), np.full(len(dates), self._rel_sd), slot_noise=1.0)


class WeeklyAverage(ForecastModel):
    """The same slot over the last ``weeks`` same weekdays, newer weeks weighted more (weeks : ... : 1)."""

    name = "weekly_average"
    weeks: ClassVar[int] = 4

    def _weights(self) -> np.ndarray:
        weights = np.arange(self.weeks, 0, -1, dtype=float)
        return weights / weights.sum()

    def _fit(self, training: Training) -> None:
        daily = training.daily.to_numpy()
        lag = 7 * self.weeks
        reference = sum(w * daily[lag - 7 * (k + 1):len(daily) - 7 * (k + 1)]
                        for k, w in enumerate(self._weights()))
        self._rel_sd = _recent_rel_sd(daily[lag:], np.asarray(reference))

    def predict(self, dates: pd.DatetimeIndex) -> Prediction:
        volume = sum(w * self.training.clean[_last_same_weekday(self.training, dates, back=k)]
                     for k, w in enumerate(self._weights()))
        return Prediction(np.maximum(np.asarray(volume), 0.0), np.full(len(dates), self._rel_sd),
                          slot_noise=float((self._weights() ** 2).sum()))


class DailyProfileModel(ForecastModel):
    """Forecast daily totals with a time-series model, then spread them with the intraday profile."""

    #: Most recent days of daily totals the model is fitted on.
    max_days: ClassVar[int] = 3 * 365

    def _fit(self, training: Training) -> None:
        self._fit_daily(training.daily.iloc[-self.max_days:])

    @abstractmethod
    def _fit_daily(self, daily: pd.Series) -> None: ...

    @abstractmethod
    def _forecast_daily(self, steps: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Mean, lower and upper 80% bounds of the next ``steps`` daily totals."""

    def predict(self, dates: pd.DatetimeIndex) -> Prediction:
        steps = self._steps(dates)
        mean, lower, upper = (values[steps - 1] for values in self._forecast_daily(int(steps.max())))
        mean = np.maximum(mean, 0.0)
        volume = mean[:, None] * self.training.profile.for_dates(dates)
        return Prediction(volume, _relative((upper - lower) / (2 * Z80), mean))


class ETS(DailyProfileModel):
    """Damped additive-trend, additive-season (weekly) exponential smoothing of daily totals."""

    name = "ets"

    def _fit_daily(self, daily: pd.Series) -> None:
        self._n = len(daily)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model = ETSModel(pd.Series(daily.to_numpy()), error="add", trend="add", damped_trend=True,
                             seasonal="add", seasonal_periods=7)
            self._result = model.fit(disp=False)

    def _forecast_daily(self, steps: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        frame = self._result.get_prediction(start=self._n, end=self._n + steps - 1).summary_frame(alpha=0.2)
        return frame["mean"].to_numpy(), frame["pi_lower"].to_numpy(), frame["pi_upper"].to_numpy()


class SARIMAX(DailyProfileModel):
    """Seasonal ARIMA (1,1,1)(0,1,1) with a weekly season on the last year of daily totals."""

    name = "sarimax"
    max_days = 365

    def _fit_daily(self, daily: pd.Series) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            warnings.simplefilter("ignore", UserWarning)  # "Non-invertible starting MA parameters found."
            model = StateSpaceSARIMAX(daily.to_numpy(), order=(1, 1, 1), seasonal_order=(0, 1, 1, 7))
            self._result = model.fit(disp=False)

    def _forecast_daily(self, steps: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        forecast = self._result.get_forecast(steps)
        bounds = forecast.conf_int(alpha=0.2)
        return np.asarray(forecast.predicted_mean), bounds[:, 0], bounds[:, 1]


class ProphetDaily(DailyProfileModel):
    """Prophet on daily totals: trend, multiplicative weekly season, and a yearly one given a year of history."""

    name = "prophet"

    def _fit_daily(self, daily: pd.Series) -> None:
        stan = logging.getLogger("cmdstanpy")
        if not stan.handlers:  # else cmdstanpy installs its own handler and logs every fit at INFO
            stan.addHandler(logging.NullHandler())
            stan.setLevel(logging.WARNING)
        # Prophet logs a caution for yearly seasonality under two years; a year and more helps it here.
        logging.getLogger("prophet").setLevel(logging.ERROR)
        self._last = daily.index[-1]
        self._model = Prophet(uncertainty_samples=0, daily_seasonality=False, weekly_seasonality=True,
                              yearly_seasonality=len(daily) >= 365, seasonality_mode="multiplicative")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Pandas4Warning)  # prophet 1.5 still passes inplace=True to pandas
            self._model.fit(pd.DataFrame({"ds": daily.index, "y": daily.to_numpy()}))
        # The fitted noise level (sigma_obs, in units of y_scale) gives the interval without sampling paths.
        self._sd = float(np.ravel(self._model.params["sigma_obs"])[0]) * float(self._model.y_scale or 1.0)

    def _forecast_daily(self, steps: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        future = pd.DataFrame({"ds": pd.date_range(self._last + pd.Timedelta(days=1), periods=steps, freq="D")})
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Pandas4Warning)
            mean = self._model.predict(future)["yhat"].to_numpy()
        return mean, mean - Z80 * self._sd, mean + Z80 * self._sd


class MSTLModel(ForecastModel):
    """MSTL with daily and weekly seasons on the last weeks of the slot series; flat trend ahead."""

    name = "mstl"
    weeks: ClassVar[int] = RECENT_WEEKS

    def _fit(self, training: Training) -> None:
        clean = training.clean[-7 * self.weeks:]
        slots = clean.shape[1]
        jump = max(1, slots // 24) * 7  # LOESS evaluated every `jump` points: same fit, far faster
        result = MSTL(clean.ravel(), periods=(slots, 7 * slots), iterate=2,
                      stl_kwargs={"trend_jump": jump, "low_pass_jump": jump}).fit()
        seasonal = np.asarray(result.seasonal).sum(axis=1).reshape(clean.shape)
        self._level = float(np.asarray(result.trend)[-slots:].mean())
        self._season = seasonal[-7:]
        resid_daily = np.asarray(result.resid).reshape(clean.shape).sum(axis=1)
        mean_daily = clean.sum(axis=1).mean()
        self._rel_sd = float(resid_daily.std() / mean_daily) if mean_daily > 0 else 0.0

    def predict(self, dates: pd.DatetimeIndex) -> Prediction:
        volume = self._level + self._season[(self._steps(dates) - 1) % 7]
        return Prediction(np.maximum(volume, 0.0), np.full(len(dates), self._rel_sd))


class Ensemble(ForecastModel):
    """The mean of member models' forecasts (members chosen by backtest, best first)."""

    name = "ensemble"

    def __init__(self, members: Sequence[str] = ("ets", "sarimax", "prophet")) -> None:
        self.members = tuple(members)

    def _fit(self, training: Training) -> None:
        self._fitted = [BASE_MODELS[member]().fit(training) for member in self.members]

    def predict(self, dates: pd.DatetimeIndex) -> Prediction:
        return self.combine([model.predict(dates) for model in self._fitted])

    @staticmethod
    def combine(parts: Sequence[Prediction]) -> Prediction:
        """The mean of member forecasts; copied-slot noise averaged too (an upper bound for the mean's)."""
        return Prediction(np.mean([p.volume for p in parts], axis=0), np.mean([p.daily_rel_sd for p in parts], axis=0),
                          slot_noise=float(np.mean([p.slot_noise for p in parts])))


#: Single models, in the order the backtest reports them and breaks ties.
BASE_MODELS: dict[str, type[ForecastModel]] = {
    model.name: model for model in (SeasonalNaive, WeeklyAverage, ETS, SARIMAX, MSTLModel, ProphetDaily)
}
#: Every model by name (``ensemble`` takes its members as argument).
MODELS: dict[str, type[ForecastModel]] = {**BASE_MODELS, Ensemble.name: Ensemble}
