"""Forecast models behind one interface: ``fit`` on a prepared training window, ``predict`` days.

Every model forecasts *ordinary* days, slot by slot; :meth:`forecasting.training.Training.finish` then
applies holidays, events and closed slots, the same way for all models. A model also says how uncertain
each forecast day total is (``daily_rel_sd``), from which the 80% interval is built. A model's settings are
keyword-only arguments of its constructor, checked there (``MODELS["weekly_average"](weights=(1, 1, 1, 1))``);
the defaults are those the engine uses.

==================  ==========================================================================
``seasonal_naive``  the same slot on the last week's same weekday
``weekday_mean``    the same slot over the last 4 same weekdays, unweighted (the planner's baseline)
``weekly_average``  the same slot over the last 4 same weekdays, weighted 4:3:2:1 (newest first)
``daily``           robust multiplicative weekday levels x exponential smoothing chosen by AICc, x profile
``ets``             damped additive Holt-Winters (statsmodels ETS) on daily totals x profile
``sarimax``         SARIMA(1,1,1)(0,1,1)7 on the last year of daily totals x profile
``mstl``            MSTL (daily and weekly seasons) on the last 8 weeks of the slot series
``prophet``         Prophet (multiplicative weekly, and yearly from a year of history) on daily totals x profile
``ensemble``        the mean of several of the above (chosen by backtest)
==================  ==========================================================================
"""

from __future__ import annotations

import logging
import math
import warnings
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

import numpy as np
import pandas as pd
from pandas.errors import Pandas4Warning
from prophet import Prophet
from statsmodels.tools.sm_exceptions import ConvergenceWarning
from statsmodels.tsa.exponential_smoothing.ets import ETSModel
from statsmodels.tsa.seasonal import MSTL
from statsmodels.tsa.statespace.sarimax import SARIMAX as StateSpaceSARIMAX

from forecasting.training import MIN_TRAINING_DAYS, RECENT_WEEKS, Training, prediction_bounds
from wfm.contracts import Z80
from wfm.errors import InputError


@dataclass(frozen=True, kw_only=True)
class Prediction:
    """A model's forecast of some local days, slot by slot, with what its 80% interval is built from.

    Read it as a frame: :meth:`daily` (one row per day: the day's total and its band) or :meth:`to_frame`
    (one row per day and slot). The arrays behind them are for the engine, which finishes and bounds them
    without building frames.

    Attributes
    ----------
    dates
        The local days forecast (naive midnights), one per row of ``volume``.
    interval_minutes
        Slot length: slot ``k`` starts ``k * interval_minutes`` after local midnight (wall clock).
    volume
        Expected contacts per day and slot, shape ``(days, slots)``, >= 0. Ordinary days as a model
        returns them; the engine replaces them with :meth:`forecasting.training.Training.finish`'s.
    daily_rel_sd
        Standard deviation of each day's total relative to its mean, shape ``(days,)``.
    dispersion
        Variance-to-mean ratio of the training window's slot counts (at least 1).
    band_scale
        Factor on the band's half-width, from calibrating it on backtest errors (1: the model's own band).
    slot_noise
        Count noise the forecast carries from the past slot values it copies, relative to that of an actual
        slot: the sum of the squared weights of the copied values (1 for the seasonal naive, 0 for models
        smoothed over days).

    Examples
    --------
    >>> prediction = MODELS["ets"]().fit(training).predict(pd.date_range("2026-11-16", periods=7))  # doctest: +SKIP
    >>> prediction.daily()  # date, volume, volume_lo, volume_hi  # doctest: +SKIP
    """

    dates: pd.DatetimeIndex
    interval_minutes: int
    volume: np.ndarray
    daily_rel_sd: np.ndarray
    dispersion: float
    slot_noise: float = 0.0
    band_scale: float = 1.0

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """Lower and upper 80% bounds per day and slot (see :func:`forecasting.training.prediction_bounds`)."""
        return prediction_bounds(self.volume, self.daily_rel_sd, self.dispersion, self.slot_noise, self.band_scale)

    def daily(self) -> pd.DataFrame:
        """One row per day: ``date``, ``volume`` (expected day total), ``volume_lo``, ``volume_hi``.

        The band is the 80% interval of the day's total: the model's daily error plus the count noise of all
        its slots, ``total -/+ 1.2816 sqrt((total daily_rel_sd)^2 + dispersion total (1 + slot_noise))``.
        """
        total = self.volume.sum(axis=1)
        lower, upper = prediction_bounds(total[:, None], self.daily_rel_sd, self.dispersion, self.slot_noise,
                                         self.band_scale)
        return pd.DataFrame({"date": self.dates, "volume": total, "volume_lo": lower[:, 0],
                             "volume_hi": upper[:, 0]})

    def to_frame(self) -> pd.DataFrame:
        """One row per day and slot: ``date``, ``local_start`` (wall-clock slot start), ``volume``, ``volume_lo``,
        ``volume_hi`` (the slot's 80% interval, as in the forecast contract)."""
        days, slots = self.volume.shape
        lower, upper = self.bounds()
        offsets = pd.to_timedelta(np.arange(slots) * self.interval_minutes, unit="min")
        return pd.DataFrame({"date": self.dates.repeat(slots),
                             "local_start": self.dates.repeat(slots) + np.tile(offsets, days),
                             "volume": self.volume.ravel(), "volume_lo": lower.ravel(), "volume_hi": upper.ravel()})


def _integer(field: str, value: object, minimum: int, meaning: str) -> int:
    """``value`` as an int, refused unless it is an integer of at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise InputError(field, f"must be an integer >= {minimum} ({meaning}), got {value!r}")
    return int(value)


def _orders(field: str, value: object, meaning: str) -> tuple[int, int, int]:
    """Three integers >= 0 (an ARIMA order), else refused."""
    items = tuple(value) if isinstance(value, Sequence) and not isinstance(value, str) else ()
    if len(items) != 3 or any(isinstance(v, bool) or not isinstance(v, int | np.integer) or v < 0 for v in items):
        raise InputError(field, f"must be three integers >= 0 ({meaning}), got {value!r}")
    return int(items[0]), int(items[1]), int(items[2])


class ForecastModel(ABC):
    """A model: ``fit(training)`` then ``predict(dates)`` for days after the training window.

    Settings are keyword-only constructor arguments, with the defaults the engine uses.

    Examples
    --------
    >>> training = prepare_channel(history, "voice", interval_minutes=15, config=config)  # doctest: +SKIP
    >>> ETS().fit(training).predict(pd.date_range("2026-11-16", periods=7)).volume.shape  # doctest: +SKIP
    (7, 96)
    """

    name: ClassVar[str]
    #: Fewest training days the model can be fitted on (the backtest skips it on shorter windows).
    min_days: ClassVar[int] = MIN_TRAINING_DAYS

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

    def _prediction(self, dates: pd.DatetimeIndex, volume: np.ndarray, daily_rel_sd: np.ndarray,
                    slot_noise: float = 0.0) -> Prediction:
        """A prediction of ``dates`` with the training window's slot length and dispersion."""
        return Prediction(dates=dates, interval_minutes=self.training.series.interval_minutes, volume=volume,
                          daily_rel_sd=daily_rel_sd, dispersion=self.training.dispersion, slot_noise=slot_noise)


def _relative(spread: np.ndarray, mean: np.ndarray) -> np.ndarray:
    return np.divide(spread, mean, out=np.zeros_like(spread, dtype=float), where=mean > 0)


def _last_same_weekday(training: Training, dates: pd.DatetimeIndex, back: int = 0) -> np.ndarray:
    """Row index of the ``back``-th last training day with each date's weekday; the oldest one with that
    weekday when the history is shorter than ``back`` + 1 weeks (never a day of another weekday)."""
    steps = np.asarray((dates - training.dates[-1]).days, dtype=np.int64)
    last = len(training.dates) - 1 - (-steps) % 7
    row = last - 7 * back
    return np.where(row >= 0, row, last % 7)


def _recent_rel_sd(daily: np.ndarray, reference: np.ndarray) -> float:
    """Spread of recent daily totals around a reference forecast, relative to their mean."""
    recent = slice(-7 * RECENT_WEEKS, None)
    error = (daily - reference)[recent]
    mean = daily[recent].mean() if error.size else 0.0  # no comparisons in too short a history: no spread
    return float(error.std() / mean) if mean > 0 else 0.0


class SeasonalNaive(ForecastModel):
    """The same slot on the last week's same weekday (no settings)."""

    name = "seasonal_naive"
    min_days = 7

    def _fit(self, training: Training) -> None:
        daily = training.daily.to_numpy()
        self._rel_sd = _recent_rel_sd(daily[7:], daily[:-7])

    def predict(self, dates: pd.DatetimeIndex) -> Prediction:
        volume = self.training.clean[_last_same_weekday(self.training, dates)]
        return self._prediction(dates, np.maximum(volume, 0.0), np.full(len(dates), self._rel_sd), slot_noise=1.0)


class WeeklyAverage(ForecastModel):
    """The same slot over the last same weekdays, weighted (newest first).

    Parameters
    ----------
    weights
        One weight per past week, newest first, each >= 0 with a positive sum; they are normalised to sum
        to 1. The default ``(4, 3, 2, 1)`` averages the last four same weekdays, newer weeks weighted more;
        ``(1, 0, 0, 0)`` is the seasonal naive. Weeks before the history's first repeat its oldest week.

    Examples
    --------
    >>> MODELS["weekly_average"](weights=(1, 1, 1, 1))  # the plain mean of the last 4 weeks  # doctest: +SKIP
    """

    name = "weekly_average"
    min_days = 7

    def __init__(self, *, weights: Sequence[float] = (4, 3, 2, 1)) -> None:
        try:
            values = np.asarray(weights, dtype=float)
        except (TypeError, ValueError):
            values = np.full(1, np.nan)
        if values.ndim != 1 or not values.size or not np.isfinite(values).all() or (values < 0).any() \
                or values.sum() <= 0:
            raise InputError("weights", "must be one or more finite numbers >= 0 with a positive sum, one per past "
                                        f"week, newest first (e.g. (4, 3, 2, 1)), got {weights!r}")
        self.weights = tuple(float(w) for w in values)
        self._shares = values / values.sum()

    def _fit(self, training: Training) -> None:
        daily = training.daily.to_numpy()
        weeks = min(len(self._shares), len(daily) // 7 - 1)  # a short history compares fewer past weeks
        if weeks < 1:
            self._rel_sd = 0.0
            return
        shares = self._shares[:weeks] / self._shares[:weeks].sum()
        lag = 7 * weeks
        reference = sum(w * daily[lag - 7 * (k + 1):len(daily) - 7 * (k + 1)] for k, w in enumerate(shares))
        self._rel_sd = _recent_rel_sd(daily[lag:], np.asarray(reference))

    def predict(self, dates: pd.DatetimeIndex) -> Prediction:
        volume = sum(w * self.training.clean[_last_same_weekday(self.training, dates, back=k)]
                     for k, w in enumerate(self._shares))
        return self._prediction(dates, np.maximum(np.asarray(volume), 0.0), np.full(len(dates), self._rel_sd),
                                slot_noise=float((self._shares ** 2).sum()))


class WeekdayMean(WeeklyAverage):
    """The same slot over the last 4 same weekdays, unweighted: the baseline a planner would use (no settings)."""

    name = "weekday_mean"

    def __init__(self) -> None:
        super().__init__(weights=(1, 1, 1, 1))


class DailyProfileModel(ForecastModel):
    """Forecast daily totals with a time-series model, then spread them with the intraday profile.

    Parameters
    ----------
    max_days
        Most recent days of daily totals the model is fitted on, at least the model's ``min_days``.
    """

    def __init__(self, *, max_days: int) -> None:
        self.max_days = _integer("max_days", max_days, self.min_days,
                                 "the most recent days of daily totals the model is fitted on")

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
        return self._prediction(dates, volume, _relative((upper - lower) / (2 * Z80), mean))


class DailyLevels(ForecastModel):
    """Daily totals as a level times robust weekday factors, the level smoothed by the better model by AICc.

    Weekday factors are the median, over the recent weeks, of each day's total over the mean of the seven days
    around it, normalised to average 1 over the open weekdays: one odd week moves a median little, and
    multiplicative factors keep a short day short whatever the level. A weekday the history never opens has
    factor 0 and stays closed. The open days' totals divided by their factors form the level series, fitted
    by simple exponential smoothing and by a damped additive trend (statsmodels ETS); the lower AICc wins.
    Days are spread over the day by the intraday profile.

    Parameters
    ----------
    max_days
        Most recent days of daily totals fitted on (default a year).
    """

    name = "daily"
    min_days = 14

    def __init__(self, *, max_days: int = 365) -> None:
        self.max_days = _integer("max_days", max_days, self.min_days,
                                 "the most recent days of daily totals the model is fitted on")

    def _fit(self, training: Training) -> None:
        daily = training.daily.to_numpy()[-self.max_days:]
        dates = training.dates[-self.max_days:]
        weekday = np.asarray(dates.day_of_week)
        self._factors = weekday_factors(daily, weekday)
        open_days = self._factors[weekday] > 0
        level = daily[open_days] / self._factors[weekday[open_days]]
        self._fitted = _best_smoother(level)

    def predict(self, dates: pd.DatetimeIndex) -> Prediction:
        weekday = np.asarray(dates.day_of_week)
        factor = self._factors[weekday]
        # steps ahead counted in open days, the unit the level series moves in
        last = self.training.dates[-1]
        horizon = pd.date_range(last + pd.Timedelta(days=1), dates[-1], freq="D")
        open_ahead = np.cumsum(self._factors[np.asarray(horizon.day_of_week)] > 0)
        steps = open_ahead[np.asarray((dates - last).days, dtype=np.int64) - 1]
        frame = self._fitted.get_prediction(start=self._fitted.nobs,
                                            end=self._fitted.nobs + max(int(steps.max()), 1) - 1)
        path = frame.summary_frame(alpha=0.2)
        mean_level = path["mean"].to_numpy()[np.maximum(steps, 1) - 1]
        width = (path["pi_upper"] - path["pi_lower"]).to_numpy()[np.maximum(steps, 1) - 1] / (2 * Z80)
        mean = np.maximum(mean_level, 0.0) * factor
        volume = mean[:, None] * self.training.profile.for_dates(dates)
        return self._prediction(dates, volume, np.where(factor > 0, _relative(width, np.abs(mean_level)), 0.0))


def weekday_factors(daily: np.ndarray, weekday: np.ndarray, weeks: int = RECENT_WEEKS) -> np.ndarray:
    """Robust multiplicative weekday factors (Monday = 0), averaging 1 over open weekdays; 0 for a closed one.

    Each day's total over the mean of the seven consecutive days around it; the median of the last ``weeks``
    such ratios per weekday.
    """
    n = len(daily)
    start = np.clip(np.arange(n) - 3, 0, max(n - 7, 0))
    cumulative = np.concatenate([[0.0], np.cumsum(daily)])
    end = np.minimum(start + 7, n)
    week_mean = (cumulative[end] - cumulative[start]) / np.maximum(end - start, 1)
    ratio = np.divide(daily, week_mean, out=np.zeros(n), where=week_mean > 0)
    factors = np.zeros(7)
    for day in range(7):
        rows = np.flatnonzero(weekday == day)[-weeks:]
        if rows.size and daily[rows].sum() > 0:
            factors[day] = float(np.median(ratio[rows]))
    opened = factors > 0
    return factors / factors[opened].mean() if opened.any() else factors


def _best_smoother(level: np.ndarray):  # noqa: ANN202 - a statsmodels ETSResults
    """Simple exponential smoothing or a damped additive trend, whichever has the lower AICc."""
    series = pd.Series(np.asarray(level, dtype=float))
    candidates: list[dict[str, object]] = [{"trend": None}]
    if len(series) >= 10:
        candidates.append({"trend": "add", "damped_trend": True})
    best = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        for settings in candidates:
            fitted = ETSModel(series, error="add", **settings).fit(disp=False)  # type: ignore[arg-type]
            if best is None or (np.isfinite(fitted.aicc) and fitted.aicc < best.aicc):
                best = fitted
    return best


class ETS(DailyProfileModel):
    """Additive-trend, additive-season (weekly) exponential smoothing of daily totals (statsmodels ETS).

    Parameters
    ----------
    damped_trend
        Damp the trend (default), so that it flattens over the horizon; False extrapolates it linearly.
    max_days
        Most recent days of daily totals fitted on (default three years).
    """

    name = "ets"
    min_days = 28

    def __init__(self, *, damped_trend: bool = True, max_days: int = 3 * 365) -> None:
        super().__init__(max_days=max_days)
        if not isinstance(damped_trend, bool | np.bool_):
            raise InputError("damped_trend", f"must be True or False, got {damped_trend!r}")
        self.damped_trend = bool(damped_trend)

    def _fit_daily(self, daily: pd.Series) -> None:
        self._n = len(daily)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model = ETSModel(pd.Series(daily.to_numpy()), error="add", trend="add", damped_trend=self.damped_trend,
                             seasonal="add", seasonal_periods=7)
            self._result = model.fit(disp=False)

    def _forecast_daily(self, steps: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        frame = self._result.get_prediction(start=self._n, end=self._n + steps - 1).summary_frame(alpha=0.2)
        return frame["mean"].to_numpy(), frame["pi_lower"].to_numpy(), frame["pi_upper"].to_numpy()


class SARIMAX(DailyProfileModel):
    """Seasonal ARIMA with a weekly season on the last year of daily totals.

    Parameters
    ----------
    order
        ``(p, d, q)``: autoregressive terms, differences, moving-average terms (default ``(1, 1, 1)``).
    seasonal_order
        ``(P, D, Q)`` of the weekly (7-day) season (default ``(0, 1, 1)``).
    max_days
        Most recent days of daily totals fitted on (default a year).
    """

    name = "sarimax"
    min_days = 28

    def __init__(self, *, order: tuple[int, int, int] = (1, 1, 1), seasonal_order: tuple[int, int, int] = (0, 1, 1),
                 max_days: int = 365) -> None:
        super().__init__(max_days=max_days)
        self.order = _orders("order", order, "p, d, q: autoregressive terms, differences, moving-average terms")
        self.seasonal_order = _orders("seasonal_order", seasonal_order, "P, D, Q of the weekly season")

    def _fit_daily(self, daily: pd.Series) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            warnings.simplefilter("ignore", UserWarning)  # "Non-invertible starting MA parameters found."
            # the noise variance concentrated out of the likelihood: the same maximum, found 2-3x faster
            model = StateSpaceSARIMAX(daily.to_numpy(), order=self.order, seasonal_order=(*self.seasonal_order, 7),
                                      concentrate_scale=True)
            self._result = model.fit(disp=False)

    def _forecast_daily(self, steps: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        forecast = self._result.get_forecast(steps)
        bounds = forecast.conf_int(alpha=0.2)
        return np.asarray(forecast.predicted_mean), bounds[:, 0], bounds[:, 1]


class ProphetDaily(DailyProfileModel):
    """Prophet on daily totals: trend, weekly season, and a yearly one given a year of history.

    Parameters
    ----------
    seasonality_mode
        ``"multiplicative"`` (default: seasons scale with the level) or ``"additive"``.
    changepoint_prior_scale
        Flexibility of the trend, > 0 (Prophet's default 0.05; larger follows level shifts faster).
    max_days
        Most recent days of daily totals fitted on (default three years).
    """

    name = "prophet"
    min_days = 14

    def __init__(self, *, seasonality_mode: Literal["additive", "multiplicative"] = "multiplicative",
                 changepoint_prior_scale: float = 0.05, max_days: int = 3 * 365) -> None:
        super().__init__(max_days=max_days)
        if seasonality_mode not in ("additive", "multiplicative"):
            raise InputError("seasonality_mode", f"must be 'additive' or 'multiplicative', got {seasonality_mode!r}")
        if isinstance(changepoint_prior_scale, bool) or not isinstance(changepoint_prior_scale, int | float) \
                or not math.isfinite(changepoint_prior_scale) or changepoint_prior_scale <= 0:
            raise InputError("changepoint_prior_scale", f"must be a number > 0 (Prophet's default is 0.05), got "
                                                        f"{changepoint_prior_scale!r}")
        self.seasonality_mode = seasonality_mode
        self.changepoint_prior_scale = float(changepoint_prior_scale)

    def _fit_daily(self, daily: pd.Series) -> None:
        stan = logging.getLogger("cmdstanpy")
        if not stan.handlers:  # else cmdstanpy installs its own handler and logs every fit at INFO
            stan.addHandler(logging.NullHandler())
            stan.setLevel(logging.WARNING)
        # Prophet logs a caution for yearly seasonality under two years; a year and more helps it here.
        logging.getLogger("prophet").setLevel(logging.ERROR)
        self._last = daily.index[-1]
        self._model = Prophet(uncertainty_samples=0, daily_seasonality=False, weekly_seasonality=True,
                              yearly_seasonality=len(daily) >= 365, seasonality_mode=self.seasonality_mode,
                              changepoint_prior_scale=self.changepoint_prior_scale)
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
    """MSTL with daily and weekly seasons on the last weeks of the slot series; flat trend ahead.

    Parameters
    ----------
    weeks
        Most recent weeks of the slot series fitted on, at least 3 (default 8).
    """

    name = "mstl"
    min_days = 21

    def __init__(self, *, weeks: int = RECENT_WEEKS) -> None:
        self.weeks = _integer("weeks", weeks, 3, "weeks of the slot series fitted on; MSTL drops a season longer "
                                                 "than half the series")

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
        return self._prediction(dates, np.maximum(volume, 0.0), np.full(len(dates), self._rel_sd))


class Ensemble(ForecastModel):
    """The mean of member models' forecasts, each member with its default settings.

    Parameters
    ----------
    members
        Names of single models (:data:`BASE_MODELS`), best first when chosen by backtest; default
        ``("ets", "sarimax", "prophet")``.
    """

    name = "ensemble"

    def __init__(self, *, members: Sequence[str] = ("ets", "sarimax", "prophet")) -> None:
        names = tuple(members) if not isinstance(members, str) else ()
        if not names or any(name not in BASE_MODELS for name in names):
            raise InputError("members", f"must be a sequence of single model names ({', '.join(BASE_MODELS)}), "
                                        f"e.g. ('ets', 'sarimax'), got {members!r}")
        self.members = names

    def _fit(self, training: Training) -> None:
        self._fitted = [BASE_MODELS[member]().fit(training) for member in self.members]

    def predict(self, dates: pd.DatetimeIndex) -> Prediction:
        return self.combine([model.predict(dates) for model in self._fitted])

    @staticmethod
    def combine(parts: Sequence[Prediction]) -> Prediction:
        """The mean of member forecasts of the same days and training window.

        Copied-slot noise is averaged too (an upper bound for the mean's); days, slot length and dispersion
        are the first part's, which all parts share.
        """
        first = parts[0]
        return Prediction(dates=first.dates, interval_minutes=first.interval_minutes,
                          volume=np.mean([p.volume for p in parts], axis=0),
                          daily_rel_sd=np.mean([p.daily_rel_sd for p in parts], axis=0),
                          dispersion=first.dispersion, slot_noise=float(np.mean([p.slot_noise for p in parts])))


#: Single models, in the order the backtest reports them and breaks ties.
BASE_MODELS: dict[str, type[ForecastModel]] = {
    model.name: model for model in (SeasonalNaive, WeekdayMean, WeeklyAverage, DailyLevels, ETS, SARIMAX, MSTLModel,
                                    ProphetDaily)
}
#: Every model by name (``ensemble`` takes its members as argument).
MODELS: dict[str, type[ForecastModel]] = {**BASE_MODELS, Ensemble.name: Ensemble}
