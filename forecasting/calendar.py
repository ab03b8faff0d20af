"""Special days: public holidays (``holidays`` package), their eves and the days after, custom events and
outlier days from the config.

The holiday country is ``forecast.country`` when the config sets it (``""`` turns holidays off); otherwise,
when the config's timezone belongs to one country (``Europe/London``: GB, ``Asia/Jerusalem``: IL, per the tz
database's ``zone.tab``), that country, logged once (:func:`holiday_country`).
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from importlib import resources
from typing import Any

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
    eve
        Days before a holiday that are not holidays themselves.
    after
        Days after a holiday that are not holidays themselves (when deferred contacts catch up).
    """

    dates: pd.DatetimeIndex
    holiday: np.ndarray
    outlier: np.ndarray
    like_sunday: np.ndarray
    uplift: np.ndarray
    eve: np.ndarray | None = None
    after: np.ndarray | None = None

    def __post_init__(self) -> None:
        none = np.zeros(len(self.dates), dtype=bool)
        object.__setattr__(self, "eve", none if self.eve is None else self.eve)
        object.__setattr__(self, "after", none if self.after is None else self.after)

    @property
    def special(self) -> np.ndarray:
        """Days that are not ordinary working patterns (kept out of model training)."""
        return (self.holiday != "") | self.outlier | self.like_sunday | (self.uplift != 1.0) | self.eve | self.after


LOG = logging.getLogger("forecasting")


@functools.lru_cache(maxsize=1)
def _zone_countries() -> dict[str, str]:
    """Timezone name to its country code, from the tz database's ``zone.tab`` (tzdata)."""
    text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    pairs = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    return {fields[2]: fields[0] for fields in pairs if len(fields) >= 3}


@functools.lru_cache(maxsize=64)
def _zone_country(zone: str) -> str | None:
    country = _zone_countries().get(zone)
    if country is not None:
        LOG.info("holidays of %s are on by default (the timezone %s is in %s); set forecast.country to another "
                 "code, or to \"\" for none", country, zone, country)
    return country


def holiday_country(settings: ForecastSettings | None, tz: Any = None) -> str | None:
    """The holiday country: ``forecast.country`` if set (``""``: none), else the timezone's one country."""
    if settings is None:
        return None
    if settings.country is not None:
        return settings.country or None
    zone = getattr(tz, "key", None) or (tz if isinstance(tz, str) else None)
    return _zone_country(zone) if zone else None


@functools.lru_cache(maxsize=64)
def country_holidays(country: str, region: str | None, years: range) -> dict:
    """Public holidays of ``country`` (and ``region``) for ``years``, as ``{date: name}`` (cached; do not modify)."""
    try:
        return dict(holidays.country_holidays(country, subdiv=region, years=years))
    except NotImplementedError as exc:
        field = "forecast.region" if region and "subdivision" in str(exc) else "forecast.country"
        raise ConfigError(f"{field}: {exc}; use an ISO 3166 country code such as GB and one of its "
                          "subdivisions (for example ENG), or remove the key") from None


def day_calendar(dates: pd.DatetimeIndex, settings: ForecastSettings | None, channel: str, tz: Any = None,
                 ) -> DayCalendar:
    """The holidays (with eves and days after), events and outliers that apply to ``channel`` on ``dates``."""
    n = len(dates)
    holiday = np.full(n, "", dtype=object)
    outlier = np.zeros(n, dtype=bool)
    like_sunday = np.zeros(n, dtype=bool)
    uplift = np.ones(n)
    eve = after = None
    country = holiday_country(settings, tz)
    days = dates.date
    if country:
        region = settings.region if settings is not None else None
        names = country_holidays(country, region, range(dates[0].year - 1, dates[-1].year + 2))
        holiday = np.array([names.get(day, "") for day in days], dtype=object)
        one = pd.Timedelta(days=1)
        is_holiday = holiday != ""
        eve = ~is_holiday & np.array([(day + one).date() in names for day in dates])
        after = ~is_holiday & np.array([(day - one).date() in names for day in dates])
    if settings is None:
        return DayCalendar(dates, holiday, outlier, like_sunday, uplift, eve, after)
    outlier = np.isin(days, np.array(settings.outlier_dates, dtype=object))
    for event in settings.events:
        if event.channels is not None and channel not in event.channels:
            continue
        inside = (days >= event.start) & (days <= event.end)
        like_sunday |= inside & event.like_sunday
        uplift = np.where(inside, uplift * (1.0 + event.uplift), uplift)
    return DayCalendar(dates, holiday, outlier, like_sunday, uplift, eve, after)
