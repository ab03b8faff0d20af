"""Write the sample contact history (deterministic): ``python data/generate.py --out data/sample_history.csv``.

Two years (by default) of 15-minute intervals for the example config's channels, in its timezone
(Europe/London), ending on a Sunday:

- ``voice``: about 7,100 calls on a Monday (peak near 250 per 15 minutes), open 07:00-22:00 on weekdays,
  08:00-18:00 on Saturday and 10:00-16:00 on Sunday and public holidays; AHT about 300 s, longer in the
  evening.
- ``chat``: about 2,400 chats on a weekday (peak near 80 per 15 minutes), open 08:00-22:00, weekends
  09:00-18:00; AHT about 600 s.
- ``email``: about 1,500 items a weekday arriving around the clock (few at night); AHT about 240 s.

Volumes have weekly and annual seasons, a trend of +8% a year, GB (England) public holidays run like a
Sunday, gamma-Poisson (over-dispersed) noise, three spike days (a mailing) and one voice outage day.
Closed intervals are left out of the file. The file is over 5 MB, so it is generated, not committed.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import holidays
import numpy as np
import pandas as pd

TIMEZONE = "Europe/London"
SEED = 20261115
#: Gamma shape of the noise multiplier: variance = mean + mean^2 / NOISE_SHAPE.
NOISE_SHAPE = 40.0


def _bumps(hours: np.ndarray, peaks: list[tuple[float, float, float]]) -> np.ndarray:
    """Sum of Gaussian bumps (centre hour, width in hours, height) over the hour of the day."""
    return sum(height * np.exp(-0.5 * ((hours - centre) / width) ** 2) for centre, width, height in peaks)


CHANNELS = {
    # daily total on a Monday, weekday factors Mon..Sun, opening hours (weekday, Saturday, Sunday/holiday),
    # intraday bumps, AHT seconds and its evening lift.
    "voice": dict(level=7_100.0, weekday=(1.0, 0.92, 0.88, 0.87, 0.82, 0.40, 0.22),
                  hours=((7, 22), (8, 18), (10, 16)),
                  bumps=[(10.5, 1.6, 1.0), (14.5, 1.8, 0.85), (19.0, 1.5, 0.35)], aht=300.0, aht_lift=0.15),
    "chat": dict(level=2_450.0, weekday=(1.0, 0.97, 0.95, 0.95, 0.9, 0.55, 0.45),
                 hours=((8, 22), (9, 18), (9, 18)),
                 bumps=[(11.0, 2.0, 0.8), (15.0, 2.0, 0.8), (20.0, 1.6, 0.7)], aht=600.0, aht_lift=0.10),
    "email": dict(level=1_500.0, weekday=(1.0, 0.95, 0.93, 0.92, 0.9, 0.5, 0.45),
                  hours=((0, 24), (0, 24), (0, 24)),
                  bumps=[(0.0, 30.0, 0.12), (10.0, 2.5, 1.0), (15.0, 3.0, 0.8)], aht=240.0, aht_lift=0.05),
}
SPIKE_DAYS = ((2025, 3, 12), (2025, 10, 8), (2026, 6, 17))
OUTAGE_DAY = (2026, 2, 11)


def generate(end: dt.date = dt.date(2026, 11, 15), days: int = 728, interval_minutes: int = 15,
             seed: int = SEED) -> pd.DataFrame:
    """The sample history as a frame (``channel, interval_start, volume, aht_seconds``), closed slots left out."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range(end - dt.timedelta(days=days - 1), end, freq="D")
    stamps = pd.date_range(dates[0].tz_localize(TIMEZONE), (dates[-1] + pd.Timedelta(days=1)).tz_localize(TIMEZONE),
                           freq=f"{interval_minutes}min", inclusive="left")
    local = stamps.tz_localize(None)
    day = local.normalize()
    hours = np.asarray(local.hour + local.minute / 60 + interval_minutes / 120)
    bank = holidays.country_holidays("GB", subdiv="ENG", years=range(dates[0].year, dates[-1].year + 1))
    holiday = np.isin(day.date, np.array(list(bank), dtype=object))
    weekday = np.where(holiday, 6, np.asarray(day.day_of_week))
    years = np.asarray((day - dates[0]).days) / 365.25
    doy = np.asarray(day.day_of_year)
    season = 1 + 0.12 * np.cos(2 * np.pi * (doy - 15) / 365.25) - 0.06 * np.exp(-0.5 * ((doy - 220) / 15) ** 2)
    spike = np.isin(day.date, np.array([dt.date(*d) for d in SPIKE_DAYS], dtype=object))
    frames = []
    for channel, spec in CHANNELS.items():
        (wk_open, wk_close), (sa_open, sa_close), (su_open, su_close) = spec["hours"]
        opening = np.select([weekday < 5, weekday == 5], [wk_open, sa_open], su_open)
        closing = np.select([weekday < 5, weekday == 5], [wk_close, sa_close], su_close)
        is_open = (hours >= opening) & (hours < closing)
        shape = np.where(is_open, _bumps(hours, spec["bumps"]), 0.0)
        share = shape / pd.Series(shape).groupby(np.asarray(day)).transform("sum").to_numpy()
        factor = np.asarray(spec["weekday"])[weekday] * season * (1 + 0.08 * years) * np.where(spike, 1.7, 1.0)
        if channel == "voice":
            factor = factor * np.where((day == pd.Timestamp(*OUTAGE_DAY)) & (hours > 10), 0.08, 1.0)
        mean = spec["level"] * factor * share
        volume = rng.poisson(mean * rng.gamma(NOISE_SHAPE, 1 / NOISE_SHAPE, mean.size))
        aht_mean = spec["aht"] * (1 + spec["aht_lift"] * np.clip((hours - 12) / 10, -0.5, 1.0))
        aht = aht_mean * (1 + rng.normal(0, 0.25, mean.size) / np.sqrt(np.maximum(volume, 1)))
        frame = pd.DataFrame({"channel": channel, "interval_start": stamps, "volume": volume,
                              "aht_seconds": np.where(volume > 0, np.round(aht, 1), np.nan)})
        frames.append(frame[is_open])
    return pd.concat(frames, ignore_index=True)


def main() -> None:
    """Command line: write the sample history to ``--out``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("sample_history.csv"))
    parser.add_argument("--end", type=dt.date.fromisoformat, default=dt.date(2026, 11, 15),
                        help="last day (default 2026-11-15, a Sunday)")
    parser.add_argument("--days", type=int, default=728, help="days of history (default 728: 104 weeks)")
    parser.add_argument("--interval-minutes", type=int, default=15)
    args = parser.parse_args()
    frame = generate(args.end, args.days, args.interval_minutes)
    frame.to_csv(args.out, index=False, date_format="%Y-%m-%dT%H:%M:%S%z")
    print(f"wrote {len(frame):,} rows to {args.out}")


if __name__ == "__main__":
    main()
