"""Week and clock arithmetic of the planning grid: ISO weeks, clock times, interval lengths.

A planning week runs Monday to Sunday and is named by its ISO week (``2026-W48``); the grid's interval
length must divide a day; clock times are written ``HH:MM``.

>>> week_label(parse_week("2026-W48"))
'2026-W48'
>>> clock_minutes("26:30", latest_minutes=48 * 60)
1590
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from wfm.errors import ConfigError, DataError

MINUTES_PER_DAY = 24 * 60

_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::00)?$")


def parse_week(text: str) -> dt.date:
    """The Monday of an ISO week written ``YYYY-Www`` (e.g. ``2026-W48``).

    Raises
    ------
    ConfigError
        Naming ``week`` and the expected form.
    """
    try:
        year, week = text.strip().upper().split("-W")
        return dt.date.fromisocalendar(int(year), int(week), 1)
    except ValueError:
        raise ConfigError(f"week: {text!r} is not an ISO week; write it as YYYY-Www, e.g. 2026-W48") from None


def week_label(monday: dt.date) -> str:
    """The ISO week of a date as ``YYYY-Www``."""
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def week_after(history: pd.DataFrame) -> dt.date:
    """The Monday after the last day of the history (the week a weekly batch plans by default)."""
    if history.empty:
        raise DataError("history: no rows; a plan needs history to forecast from")
    last_day = history["interval_start"].max().date()
    return last_day + dt.timedelta(days=7 - last_day.weekday())


def check_interval_minutes(minutes: float) -> int:
    """``minutes`` as a whole interval length that divides a day; ValueError (message without a key) if not."""
    if not minutes > 0 or minutes != int(minutes) or MINUTES_PER_DAY % int(minutes):
        raise ValueError(f"must divide a day (5, 6, 10, 15, 30 or 60), got {minutes:g}")
    return int(minutes)


def slots_per_day(interval_minutes: int) -> int:
    """Number of intervals in a day of ``interval_minutes`` (which must divide a day)."""
    return MINUTES_PER_DAY // interval_minutes


def clock_minutes(text: str, *, latest_minutes: int = MINUTES_PER_DAY) -> int:
    """Minutes past midnight of a clock time ``HH:MM`` (seconds ``:00`` allowed), up to ``latest_minutes``.

    ``24:00`` and later mean the next day (a window running past midnight) when ``latest_minutes`` allows it.

    Raises
    ------
    ValueError
        With a message naming the expected form (callers add the field).
    """
    match = _CLOCK.match(str(text).strip())
    if match and int(match.group(2)) < 60:
        minutes = int(match.group(1)) * 60 + int(match.group(2))
        if minutes <= latest_minutes:
            return minutes
    latest = f"{latest_minutes // 60:02d}:{latest_minutes % 60:02d}"
    raise ValueError(f"not a clock time ({text!r}); write HH:MM such as 07:30, at most {latest}")
