"""The accuracy record: the forecasts runs issued, scored against the actuals that arrived since.

Every run that ends ``ok`` (``wfm plan``, a dashboard publish) stores the forecast it issued with it
(:mod:`wfm.planning.batch`, :meth:`Store.issued_forecasts`). :func:`accuracy_record` scores the forecast in
force for each week (that of the week's latest ``ok`` run) against a history holding the actuals:

- only days the history has are scored: a day absent from it (not arrived yet, a holiday, a closure) is
  unknown, never zero; within a day it has, an absent interval had no contacts (closed hours);
- intervals after the channel's last interval in the history have not arrived yet;
- **interval wMAPE** and **daily wMAPE** (of the daily totals), **bias** (positive: over-forecast) and
  **coverage** of the 80% band (share of open intervals whose actual lies in it) are those of
  :mod:`forecasting.metrics`, over the scored intervals;
- the **Poisson floor** beside each wMAPE is the wMAPE a perfect forecast is expected to score at that
  volume, when counts are Poisson around the forecast (:func:`forecasting.metrics.poisson_floor`): a wMAPE
  near its floor cannot be improved much; accuracy targets must scale with volume.

The CLI (``wfm accuracy``), the weekly ``report.html`` and the dashboard's Forecast page all show this record.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from forecasting.metrics import bias, coverage, poisson_floor, wmape
from wfm.errors import DataError
from wfm.formats import count, label, missing, percent
from wfm.planning.store import IssuedForecast, Store

#: Columns of :func:`accuracy_record`, in order.
RECORD_COLUMNS = ("week", "channel", "run_id", "model", "days_open", "days_scored", "days_missing",
                  "actual_volume", "forecast_volume", "wmape_interval", "floor_interval", "wmape_daily",
                  "floor_daily", "bias", "coverage", "status")

NO_ACTUALS = "no actuals yet"


def accuracy_record(store: Store, history: pd.DataFrame, weeks: Sequence[str] | None = None) -> pd.DataFrame:
    """Score the forecast in force for each week (or only ``weeks``) against ``history``.

    Parameters
    ----------
    store
        The run store holding the issued forecasts.
    history
        Validated history with the actuals (:func:`wfm.io.read_history`).
    weeks
        ISO weeks to score; default every week with an issued forecast.

    Returns
    -------
    pandas.DataFrame
        One row per week and channel (oldest week first), :data:`RECORD_COLUMNS`: ``days_open`` (days the
        forecast has contacts), ``days_scored`` (of those, the days the history has), ``days_missing`` (days
        before the history's end that it lacks: holidays, closures), volumes in contacts, the metrics as
        fractions (NaN where nothing was scored), and ``status``: ``complete``, ``partial`` (open intervals
        after the history's end), or ``no actuals yet``.
    """
    rows = [row for issued in store.issued_forecasts(weeks) for row in score_issued(issued, history)]
    return pd.DataFrame(rows, columns=list(RECORD_COLUMNS))


def score_issued(issued: IssuedForecast, history: pd.DataFrame) -> list[dict[str, object]]:
    """One issued forecast scored per channel against ``history`` (rows of :func:`accuracy_record`)."""
    zone = str(issued.config["timezone"])
    return [_score_channel(issued, channel, forecast, history[history["channel"] == channel], zone)
            for channel, forecast in issued.frame.groupby("channel", sort=True)]


def _score_channel(issued: IssuedForecast, channel: str, forecast: pd.DataFrame, actuals: pd.DataFrame,
                   zone: str) -> dict[str, object]:
    stamps = forecast["interval_start"].dt.tz_convert("UTC")
    days = forecast["interval_start"].dt.tz_convert(zone).dt.date
    open_days = set(days[forecast["volume"] > 0])
    row: dict[str, object] = {"week": issued.week, "channel": channel, "run_id": issued.run_id,
                              "model": ", ".join(sorted(forecast["model"].dropna().unique())),
                              "days_open": len(open_days)}
    if actuals.empty:
        return _unscored(row, missing=0)
    actual_stamps = actuals["interval_start"].dt.tz_convert("UTC")
    last = actual_stamps.max()
    present = set(actuals["interval_start"].dt.tz_convert(zone).dt.date)
    scored = days.isin(present).to_numpy() & (stamps <= last).to_numpy()
    missing = len({day for day in open_days if day not in present and pd.Timestamp(day) < _local_day(last, zone)})
    if not scored.any():
        return _unscored(row, missing)
    in_scored_days = actuals["interval_start"].dt.tz_convert(zone).dt.date.isin(set(days[scored]))
    off_grid = ~actual_stamps[in_scored_days].isin(stamps)
    if off_grid.any():
        first = actuals.loc[in_scored_days].loc[off_grid.to_numpy(), "interval_start"].iloc[0]
        raise DataError(f"history: channel {channel!r} has an interval at {first}, which is not an interval of the "
                        f"forecast of {issued.week} (run {issued.run_id}, "
                        f"{issued.config.get('interval_minutes')}-minute intervals); score with the interval length "
                        "the forecast was made with")
    actual = stamps[scored].map(dict(zip(actual_stamps, actuals["volume"], strict=True))).fillna(0.0).to_numpy(float)
    chosen = forecast.loc[scored]
    predicted = chosen["volume"].to_numpy(float)
    daily_actual = pd.Series(actual).groupby(days[scored].to_numpy()).sum().to_numpy()
    daily_forecast = pd.Series(predicted).groupby(days[scored].to_numpy()).sum().to_numpy()
    days_scored = len(set(days[scored]) & open_days)
    pending = bool(((stamps > last) & (forecast["volume"] > 0)).any())  # open intervals not arrived yet
    row.update({
        "days_scored": days_scored, "days_missing": missing,
        "actual_volume": float(actual.sum()), "forecast_volume": float(predicted.sum()),
        "wmape_interval": wmape(actual, predicted), "floor_interval": poisson_floor(predicted),
        "wmape_daily": wmape(daily_actual, daily_forecast), "floor_daily": poisson_floor(daily_forecast),
        "bias": bias(actual, predicted),
        "coverage": coverage(actual, chosen["volume_lo"].to_numpy(float), chosen["volume_hi"].to_numpy(float)),
        "status": "partial" if pending else "complete",
    })
    return row


def _local_day(stamp: pd.Timestamp, zone: str) -> pd.Timestamp:
    """The local calendar day of a timestamp, as a naive midnight (comparable with a ``datetime.date``)."""
    return pd.Timestamp(stamp.tz_convert(zone).date())


def _unscored(row: dict[str, object], missing: int) -> dict[str, object]:
    nan = math.nan
    row.update({"days_scored": 0, "days_missing": missing, "actual_volume": nan, "forecast_volume": nan,
                "wmape_interval": nan, "floor_interval": nan, "wmape_daily": nan, "floor_daily": nan, "bias": nan,
                "coverage": nan, "status": NO_ACTUALS})
    return row


#: Headers of :func:`accuracy_table`, in words.
TABLE_HEADERS = {"week": label("week"), "channel": label("channel"), "run_id": "Run", "days": "Days scored",
                 "actual_volume": "Actual contacts", "forecast_volume": "Forecast contacts",
                 "wmape_interval": "Interval wMAPE", "floor_interval": "Noise floor (interval)",
                 "wmape_daily": "Daily wMAPE", "floor_daily": "Noise floor (daily)", "bias": "Bias",
                 "coverage": "80% band coverage", "status": "Status"}


def accuracy_table(record: pd.DataFrame) -> pd.DataFrame:
    """The record for people (:mod:`wfm.formats`): headers in words, contacts with thousands separators, fractions
    as percents, bias signed, ``—`` where nothing was scored, and days as ``5 of 5`` (plus days missing from the
    history)."""
    def signed(value: float) -> str:
        return ("+" if not missing(value) and value >= 0 else "") + percent(value)

    def days(row: pd.Series) -> str:
        text = f"{row['days_scored']} of {row['days_open']}"
        return text + (f" ({row['days_missing']} missing)" if row["days_missing"] else "")

    table = pd.DataFrame({
        "week": record["week"], "channel": record["channel"], "run_id": record["run_id"],
        "days": [days(row) for _, row in record.iterrows()],
        **{name: record[name].map(count) for name in ("actual_volume", "forecast_volume")},
        **{name: record[name].map(percent) for name in ("wmape_interval", "floor_interval", "wmape_daily",
                                                         "floor_daily", "coverage")},
        "bias": record["bias"].map(signed),
        "status": record["status"],
    })
    return table[list(TABLE_HEADERS)].rename(columns=TABLE_HEADERS)
