"""Long-range forecasts for capacity planning: daily totals months ahead, spread over intervals.

Method, per channel, on the cleaned daily totals (holidays, events and outlier days taken out, as for every
model: :mod:`forecasting.training`), fitted by least squares on the log of the positive daily totals:

- a year of history or more (:data:`YEARLY_MIN_DAYS`): ``log(total) = level + trend x years + yearly season
  (:data:`HARMONICS` Fourier pairs of the day of the year) + weekday effects`` (``"trend+yearly"``);
- less than a year: ``log(total) = level + weekday effects`` on the last :data:`RECENT_DAYS` days
  (``"level+weekday"``): a flat forecast at the recent level. A shorter history cannot tell a trend from a part of
  the yearly season (a few rising weeks extrapolated exponentially gave +120% a year), so no growth is assumed;
  the planner states the expected growth with the volume what-if.

The trend is exponential (linear in the log), fitted on the whole history. Totals are spread over the day with
the channel's intraday profile (:mod:`forecasting.profile`), holidays and events applied as in every forecast
(:meth:`Training.finish`), handle time from the recent weekday-by-slot table (:mod:`forecasting.aht`). The 80%
band is the log residual spread of the fit around the day total (no parameter uncertainty, so it is too narrow
far out). A weekday with no contacts in the history stays closed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecasting.aht import aht_forecast, aht_table
from forecasting.backtest import training_for
from forecasting.calendar import day_calendar
from forecasting.grid import frame_from_grid, series_from_history
from forecasting.training import MIN_TRAINING_DAYS, Training
from wfm.config import Config
from wfm.contracts import FORECAST_COLUMNS, Z80
from wfm.errors import DataError

#: Days of history from which the yearly season is fitted.
YEARLY_MIN_DAYS = 365
#: Fourier pairs of the yearly season.
HARMONICS = 3
#: Days of recent history that set the level when the history is shorter than a year.
RECENT_DAYS = 56
DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class LongRangeForecast:
    """A long-range forecast.

    Attributes
    ----------
    frame
        The forecast contract (``channel, interval_start, volume, volume_lo, volume_hi, aht_seconds, model``) for
        every interval of the horizon; ``model`` names the method.
    methods
        One row per channel: ``channel, model, history_days, growth_per_year`` (the fitted trend, a fraction:
        0.08 is 8% more contacts a year).
    """

    frame: pd.DataFrame
    methods: pd.DataFrame


def _design(days: np.ndarray, weekday: np.ndarray, yearly: bool) -> np.ndarray:
    """Columns: level, then trend (years) and yearly Fourier pairs when ``yearly``, then weekday dummies (Monday is
    the base)."""
    years = days / DAYS_PER_YEAR
    columns = [np.ones(len(days))]
    if yearly:
        columns.append(years)
        for k in range(1, HARMONICS + 1):
            columns += [np.sin(2 * np.pi * k * years), np.cos(2 * np.pi * k * years)]
    columns += [(weekday == day).astype(float) for day in range(1, 7)]
    return np.column_stack(columns)


def _fit_daily(training: Training, dates: pd.DatetimeIndex) -> tuple[np.ndarray, float, str, float]:
    """Expected ordinary-day totals for ``dates``, the log residual sd, the method name and the yearly growth."""
    history = training.dates
    origin = history[0]
    days = np.asarray((history - origin).days, dtype=float)
    weekday = np.asarray(history.day_of_week)
    daily = training.daily.to_numpy(dtype=float)
    yearly = len(history) >= YEARLY_MIN_DAYS
    used = (daily > 0) & ~training.excluded & (yearly | (days > days[-1] - RECENT_DAYS))
    open_days = np.isin(np.arange(7), weekday[used])
    x = _design(days[used], weekday[used], yearly)
    keep = np.ones(x.shape[1], dtype=bool)
    keep[-6:] = open_days[1:]  # a weekday never open has no effect to fit
    coef, *_ = np.linalg.lstsq(x[:, keep], np.log(daily[used]), rcond=None)
    residuals = np.log(daily[used]) - x[:, keep] @ coef
    sd = float(residuals.std(ddof=min(len(residuals) - 1, int(keep.sum()))))
    smear = float(np.mean(np.exp(residuals)))  # Duan's smearing: the mean, not the median, of the total
    ahead = np.asarray((dates - origin).days, dtype=float)
    ahead_weekday = np.asarray(dates.day_of_week)
    expected = np.exp(_design(ahead, ahead_weekday, yearly)[:, keep] @ coef) * smear
    expected = np.where(open_days[ahead_weekday], expected, 0.0)
    if yearly:
        return expected, sd, "trend+yearly", float(np.expm1(coef[1]))
    return expected, sd, "level+weekday", 0.0


def long_range_forecast(history: pd.DataFrame, config: Config, *, weeks: int,
                        start: dt.date | None = None) -> LongRangeForecast:
    """Forecast every channel of a history for ``weeks`` whole weeks from ``start``.

    Parameters
    ----------
    history
        A validated history frame (:func:`wfm.io.read_history`).
    config
        Timezone, interval, holidays and events.
    weeks
        Length of the horizon in weeks.
    start
        First day (a Monday for a capacity plan); default the day after the history ends.

    Raises
    ------
    DataError
        A channel has fewer than four weeks of history, or no contacts.
    """
    zone, minutes = config.zone, config.interval_minutes
    frames, methods = [], []
    for channel, rows in history.groupby("channel", sort=True):
        series = series_from_history(rows, str(channel), minutes, zone)
        if len(series.dates) < MIN_TRAINING_DAYS:
            raise DataError(f"channel {channel!r}: only {len(series.dates)} days of history; a capacity plan needs "
                            f"at least {MIN_TRAINING_DAYS} days (a year or more gives it the yearly season)")
        if not (series.volume.sum(axis=1) > 0).any():
            raise DataError(f"channel {channel!r}: no contacts in the history; remove the channel or add history")
        first = pd.Timestamp(start) if start is not None else series.dates[-1] + pd.Timedelta(days=1)
        dates = pd.date_range(first, periods=7 * weeks, freq="D")
        training = training_for(series, config.forecast)
        total, sd, method, growth = _fit_daily(training, dates)
        normal = total[:, None] * training.profile.for_dates(dates)
        volume = training.finish(day_calendar(dates, config.forecast, series.channel), normal)
        aht = aht_forecast(aht_table(series, training.excluded, config.forecast.default_aht_seconds), dates)
        band = np.exp(Z80 * sd)
        frames.append(frame_from_grid(series.channel, dates, zone, minutes, {
            "volume": volume, "volume_lo": volume / band, "volume_hi": volume * band, "aht_seconds": aht,
        }).assign(model=method))
        methods.append({"channel": series.channel, "model": method, "history_days": len(series.dates),
                        "growth_per_year": growth})
    frame = pd.concat(frames, ignore_index=True)[list(FORECAST_COLUMNS)]
    return LongRangeForecast(frame=frame, methods=pd.DataFrame(methods))
