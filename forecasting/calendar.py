"""Special days: public holidays (``holidays`` package), custom events and outlier days from the config."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import holidays
import numpy as np
import pandas as pd

from wfm.config import ForecastSettings
from wfm.errors import ConfigError


@dataclass(frozen=True)
class DayCalendar:
    """What is special about each of a run of local days.

    Attributes
    ----------
    dates
        The days (naive midnights).
    holiday
        Holiday name per day, ``""`` on ordinary days.
    outlier
        Days the config asks to leave out of training.
    like_sunday
        Days an event asks to treat like a Sunday.
    uplift
        Volume multiplier per day from events (1.0 on ordinary days).
    """

    dates: pd.DatetimeIndex
    holiday: np.ndarray
    outlier: np.ndarray
    like_sunday: np.ndarray
    uplift: np.ndarray

    @property
    def special(self) -> np.ndarray:
        """Days that are not ordinary working patterns (kept out of model training)."""
        return (self.holiday != "") | self.outlier | self.like_sunday | (self.uplift != 1.0)


@functools.lru_cache(maxsize=64)
def country_holidays(country: str, region: str | None, years: range) -> dict:
    """Public holidays of ``country`` (and ``region``) for ``years``, as ``{date: name}`` (cached; do not modify)."""
    try:
        return dict(holidays.country_holidays(country, subdiv=region, years=years))
    except NotImplementedError as exc:
        field = "forecast.region" if region and "subdivision" in str(exc) else "forecast.country"
        raise ConfigError(f"{field}: {exc}; use an ISO 3166 country code such as GB and one of its "
                          "subdivisions (for example ENG), or remove the key") from None


def day_calendar(dates: pd.DatetimeIndex, settings: ForecastSettings | None, channel: str) -> DayCalendar:
    """The holidays, events and outliers that apply to ``channel`` on ``dates``."""
    n = len(dates)
    holiday = np.full(n, "", dtype=object)
    outlier = np.zeros(n, dtype=bool)
    like_sunday = np.zeros(n, dtype=bool)
    uplift = np.ones(n)
    if settings is None:
        return DayCalendar(dates, holiday, outlier, like_sunday, uplift)
    days = dates.date
    if settings.country:
        names = country_holidays(settings.country, settings.region, range(dates[0].year, dates[-1].year + 1))
        holiday = np.array([names.get(day, "") for day in days], dtype=object)
    outlier = np.isin(days, np.array(settings.outlier_dates, dtype=object))
    for event in settings.events:
        if event.channels is not None and channel not in event.channels:
            continue
        inside = (days >= event.start) & (days <= event.end)
        like_sunday |= inside & event.like_sunday
        uplift = np.where(inside, uplift * (1.0 + event.uplift), uplift)
    return DayCalendar(dates, holiday, outlier, like_sunday, uplift)
