"""What every model learns from: cleaned daily totals, the intraday profile, and special-day factors.

Holidays, their eves and the days after them, events, configured outliers, detected outlier days (a day
total far from the median of the same weekday in the surrounding weeks) and days absent from the history
are taken out of training: their daily total is replaced by that median, and their slots by the weekday's
profile (a weekday the history never has stays closed). Models then forecast ordinary days only, and
:meth:`Training.finish` turns those into the forecast for the real calendar: holidays get their own factor
(per holiday name when the history has it, else the median over all holidays) and the pooled holiday
profile, a holiday's eve and the day after get their factors (the catch-up), "like Sunday" days get Sunday's
level and profile, events their uplift, and closed slots stay 0.
A holiday factor is relative to the mean ordinary day of the holiday's week, not to its weekday, so a
holiday keeps its level when it falls on another weekday next year.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecasting.calendar import DayCalendar
from forecasting.grid import ChannelSeries
from forecasting.profile import IntradayProfile, fit_profile, pooled_shares
from wfm.contracts import Z80

#: Days of history any forecast needs (two of each weekday).
MIN_HISTORY_DAYS = 14
#: Days of training the statistical models need (each model says its own, ``ForecastModel.min_days``).
MIN_TRAINING_DAYS = 28
#: Weeks of recent ordinary days behind profiles, levels and dispersion.
RECENT_WEEKS = 8
#: A day is an outlier when its total is outside these multiples of the weekday's local median ...
OUTLIER_RATIOS = (0.6, 1.5)
#: ... and further than this many Poisson standard deviations from it.
OUTLIER_SIGMAS = 4.0


@dataclass(frozen=True)
class Training:
    """One channel's training window, prepared for the models.

    Attributes
    ----------
    series
        The raw history on the day-by-slot grid.
    excluded
        Days kept out of training (holidays, events, outliers given or detected).
    daily
        Daily totals with excluded days replaced by their weekday's local median (a ``pd.Series`` by day).
    clean
        The day-by-slot volumes with excluded days replaced by ``daily`` times the profile.
    profile
        Weekday-by-slot shares of the day.
    holiday_shares
        Profile of a holiday (pooled over past holidays, else the quietest weekday's).
    holiday_factors
        Holiday total relative to the mean ordinary day of its week, per holiday name seen in the history.
    holiday_factor
        The same for holidays not seen (median over all, else the quietest weekday's relative level).
    eve_factor, after_factor
        A holiday's eve and the day after a holiday relative to an ordinary same weekday (the median over those
        in the history; 1 when it has none).
    weekday_level
        Mean recent clean daily total per weekday (Monday = 0), shape ``(7,)``.
    dispersion
        Variance-to-mean ratio of slot volumes around ``profile`` times the day total (at least 1).
    """

    series: ChannelSeries
    excluded: np.ndarray
    daily: pd.Series
    clean: np.ndarray
    profile: IntradayProfile
    holiday_shares: np.ndarray
    holiday_factors: dict[str, float]
    holiday_factor: float
    weekday_level: np.ndarray
    dispersion: float
    eve_factor: float = 1.0
    after_factor: float = 1.0

    @property
    def dates(self) -> pd.DatetimeIndex:
        """Training days."""
        return self.series.dates

    def finish(self, calendar: DayCalendar, normal: np.ndarray) -> np.ndarray:
        """Turn ordinary-day forecasts for ``calendar.dates`` into forecasts for those real days."""
        shares = self.profile.for_dates(calendar.dates)
        out = np.where(shares > 0, np.maximum(normal, 0.0), 0.0)
        total = out.sum(axis=1)
        weekday = np.asarray(calendar.dates.day_of_week)
        level = self.weekday_level
        for row in np.flatnonzero(calendar.like_sunday):
            ratio = level[6] / level[weekday[row]] if level[weekday[row]] > 0 else 0.0
            out[row] = total[row] * ratio * self.profile.shares[6]
        for row in np.flatnonzero(calendar.holiday != ""):
            factor = self.holiday_factors.get(calendar.holiday[row], self.holiday_factor)
            # the forecast's mean day of that week: the day's own forecast over its weekday's share of a week
            mean_day = total[row] * level.mean() / level[weekday[row]] if level[weekday[row]] > 0 else 0.0
            out[row] = mean_day * factor * self.holiday_shares
        out[calendar.eve] *= self.eve_factor
        out[calendar.after] *= self.after_factor
        return out * calendar.uplift[:, None]


def prediction_bounds(mean: np.ndarray, daily_rel_sd: np.ndarray, dispersion: float, slot_noise: float,
                      scale: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """80% interval per slot: the day total's error spread over its slots, plus over-dispersed count noise.

    The variance of a slot with expected volume ``m`` on a day with relative error ``r`` is
    ``(m r)^2 + dispersion m (1 + slot_noise)``: the count noise of the slot itself, plus that carried by a
    forecast copied from past slots (``slot_noise``, see :class:`forecasting.models.Prediction`). The
    bounds are ``m -/+ 1.2816 sd scale``, the lower one clipped at 0 (``scale`` calibrates the band on backtest
    errors, :func:`forecasting.backtest.band_scale`).
    """
    sd = scale * np.sqrt((mean * daily_rel_sd[:, None]) ** 2 + dispersion * mean * (1.0 + slot_noise))
    return np.maximum(mean - Z80 * sd, 0.0), mean + Z80 * sd


def _local_median(daily: np.ndarray, weekday: np.ndarray, excluded: np.ndarray) -> np.ndarray:
    """Median of the same weekday's kept days within four weeks either side."""
    out = np.zeros(len(daily))
    for day in range(7):
        rows = np.flatnonzero(weekday == day)
        kept = pd.Series(np.where(excluded[rows], np.nan, daily[rows]))
        median = kept.rolling(9, center=True, min_periods=1).median().ffill().bfill()
        out[rows] = median.fillna(0.0).to_numpy()
    return out


def _week_mean(daily: np.ndarray) -> np.ndarray:
    """Mean of the seven days around each day (the window shifted to stay inside the history)."""
    start = np.clip(np.arange(len(daily)) - 3, 0, max(len(daily) - 7, 0))
    end = np.minimum(start + 7, len(daily))
    cumulative = np.concatenate([[0.0], np.cumsum(daily)])
    return (cumulative[end] - cumulative[start]) / (end - start)


def detect_outliers(daily: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """Days whose total is far (in ratio and in Poisson standard deviations) from the expected total."""
    low, high = OUTLIER_RATIOS
    far = np.abs(daily - expected) > OUTLIER_SIGMAS * np.sqrt(np.maximum(expected, 1.0))
    return (expected > 0) & far & ((daily < low * expected) | (daily > high * expected))


def prepare(series: ChannelSeries, calendar: DayCalendar) -> Training:
    """Clean a channel's history and estimate its profile, holiday factors and noise level."""
    present = series.present
    volume = np.where(present[:, None], series.volume, 0.0)
    raw_daily = np.where(present, volume.sum(axis=1), np.nan)
    weekday = np.asarray(series.dates.day_of_week)
    excluded = calendar.special | ~present
    excluded |= detect_outliers(raw_daily, _local_median(raw_daily, weekday, excluded))
    expected = _local_median(raw_daily, weekday, excluded)
    daily = np.where(excluded, expected, raw_daily)
    profile = fit_profile(volume, series.dates, ~excluded, weeks=RECENT_WEEKS)
    clean = np.where(excluded[:, None], daily[:, None] * profile.for_dates(series.dates), volume)

    recent = np.arange(len(daily)) >= len(daily) - 7 * RECENT_WEEKS
    level = np.array([daily[recent & (weekday == day)].mean() if (recent & (weekday == day)).any() else 0.0
                      for day in range(7)])
    quiet = int(np.argmin(np.where(level > 0, level, np.inf))) if (level > 0).any() else 6
    quiet_factor = level[quiet] / level.mean() if level.mean() > 0 else 0.0

    holiday_rows = (calendar.holiday != "") & ~calendar.outlier & present
    week = _week_mean(expected)  # ``expected`` is an ordinary day's level on every day, holidays included
    rated = holiday_rows & (expected > 0)  # not holidays on a closed weekday
    ratios = pd.Series(raw_daily[rated] / week[rated], index=calendar.holiday[rated], dtype=float)
    factors = {str(name): float(value) for name, value in ratios.groupby(level=0).median().items()}
    # holidays the history leaves out altogether (and has no others): the center is closed on them
    left_out = ((calendar.holiday != "") & ~present).any() and not holiday_rows.any()
    holiday_factor = float(ratios.median()) if len(ratios) else (0.0 if left_out else quiet_factor)
    has_holidays = holiday_rows.any() and raw_daily[holiday_rows].sum() > 0
    holiday_shares = pooled_shares(volume, holiday_rows) if has_holidays else profile.shares[quiet]

    eve_factor, after_factor = (_day_factor(raw_daily, expected, rows & present & ~calendar.outlier)
                                for rows in (calendar.eve, calendar.after))
    kept = recent & ~excluded
    fitted = raw_daily[kept, None] * profile.for_dates(series.dates[kept])
    dispersion = float(((volume[kept] - fitted) ** 2).sum() / fitted.sum()) if fitted.sum() > 0 else 1.0
    return Training(series=series, excluded=excluded, daily=pd.Series(daily, index=series.dates), clean=clean,
                    profile=profile, holiday_shares=holiday_shares, holiday_factors=factors,
                    holiday_factor=holiday_factor, weekday_level=level, dispersion=max(dispersion, 1.0),
                    eve_factor=eve_factor, after_factor=after_factor)


def _day_factor(daily: np.ndarray, expected: np.ndarray, rows: np.ndarray) -> float:
    """Median of ``daily / expected`` over ``rows`` (where something was expected), 1 when there are none."""
    rated = rows & (expected > 0)
    return float(np.median(daily[rated] / expected[rated])) if rated.any() else 1.0
