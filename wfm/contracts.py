"""Data contracts between the stages, and their validation.

Frames are long: one row per channel and interval, timestamps are timezone-aware interval starts. Each
``validate_*`` function checks a frame once, at the boundary, and returns a clean copy (typed columns,
sorted by channel and interval); a bad frame raises :class:`~wfm.errors.DataError` naming the source, the
line or row, the field and the fix. Code inside a stage trusts frames that passed.

The agents contract (named agents for rostering), one row per agent::


    agent_id,group,min_hours,max_hours,days,available_from,available_to,preferred_start
    A001,frontline,30,40,Mon Tue Wed Thu Fri,07:00,19:00,08:00
    A002,frontline,16,24,Sat Sun,10:00,24:00,
    A003,backoffice,30,40,,,,

- ``agent_id``: unique; ``group``: a staff group of the config;
- ``min_hours``, ``max_hours``: contracted paid hours per week (pro rata for plans of other lengths);
- ``days``: days the agent may start a shift (``Mon Tue ...``, separated by spaces); empty means every day;
- ``available_from``, ``available_to``: the agent's working window on those days, ``HH:MM``; a shift must
  start at or after ``available_from`` and end by ``available_to``, which may be ``24:00`` or later (``26:00``)
  or earlier than ``available_from`` (``02:00``) for windows running past midnight; empty means any time;
- ``preferred_start`` (optional): ``HH:MM``, the start the agent prefers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Sequence

import numpy as np
import pandas as pd

from wfm.errors import DataError
from wfm.weeks import clock_minutes

HISTORY_COLUMNS = ("channel", "interval_start", "volume")
HISTORY_OPTIONAL = ("aht_seconds", "abandoned")
FORECAST_COLUMNS = ("channel", "interval_start", "volume", "volume_lo", "volume_hi", "aht_seconds", "model")
REQUIREMENTS_COLUMNS = (
    "channel", "interval_start", "volume", "aht_seconds", "erlangs", "agents", "service_level",
    "asa_seconds", "occupancy", "scheduled_agents",
)
COVERAGE_COLUMNS = ("group", "interval_start", "required", "scheduled", "under", "over")
ROSTER_COLUMNS = ("agent_id", "group", "date", "shift_start", "shift_end", "paid_hours")
BREAKS_COLUMNS = ("agent_id", "break_start", "break_end", "kind")
AGENT_COLUMNS = ("agent_id", "group", "min_hours", "max_hours", "days", "available_from", "available_to",
                 "preferred_start")
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
#: Latest clock time an agent's window may end at (``48:00``: the end of the next day).
LATEST_CLOCK = 48 * 60

#: Names a row of a frame for messages: CSV line numbers, or row numbers of other sources.
RowNamer = Callable[[int], str]

_OFFSET = re.compile(r"(?:Z|[+-]\d{2}(?::?\d{2})?)$")


def csv_lines(position: int) -> str:
    """Row position (0-based, data rows) to its line in a CSV file with one header line."""
    return f"line {position + 2}"


def frame_rows(position: int) -> str:
    """Row position (0-based) to a 1-based row number, for Parquet files and in-memory frames."""
    return f"row {position + 1}"


def _fail(source: str, where: str, field: str, problem: str) -> DataError:
    return DataError(f"{source}: {where}: {field}: {problem}")


def _require_columns(frame: pd.DataFrame, required: Sequence[str], source: str) -> None:
    missing = [c for c in required if c not in frame.columns]
    if missing:
        found = ", ".join(map(str, frame.columns)) or "none"
        raise DataError(f"{source}: missing column{'s' if len(missing) > 1 else ''} "
                        f"{', '.join(missing)}; the header must name {', '.join(required)} (found: {found})")


def _numeric(frame: pd.DataFrame, column: str, source: str, rows: RowNamer, *, allow_missing: bool = False,
             ) -> pd.Series:
    raw = frame[column]
    values = pd.to_numeric(raw, errors="coerce").astype("float64")
    bad = values.isna() & (raw.notna() if allow_missing else True)
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        shown = raw.iloc[pos]
        shown = "an empty value" if pd.isna(shown) or str(shown).strip() == "" else repr(str(shown))
        raise _fail(source, rows(pos), column, f"not a number ({shown}); write a plain number such as 12")
    if not np.isfinite(values.dropna()).all():
        pos = int(np.flatnonzero(~np.isfinite(values.fillna(0).to_numpy()))[0])
        raise _fail(source, rows(pos), column, "must be finite, got infinity")
    return values


def _first(mask: pd.Series | np.ndarray) -> int:
    return int(np.flatnonzero(np.asarray(mask))[0])


def parse_timestamps(raw: pd.Series, source: str, rows: RowNamer, timezone: str | None,
                     column: str = "interval_start") -> pd.Series:
    """Parse interval starts into timezone-aware timestamps in ``timezone``.

    Timestamps with a UTC offset are converted to ``timezone``; naive ones are read as local times in
    ``timezone``, and a local time that falls in a DST gap or overlap is refused (it names no single
    instant). Without ``timezone``, timestamps must carry their offset and are kept in UTC unless they all
    share one offset.
    """
    if isinstance(raw.dtype, pd.DatetimeTZDtype):
        return raw.dt.tz_convert(timezone) if timezone else raw
    if pd.api.types.is_datetime64_dtype(raw.dtype):
        text = None
        has_offset = np.zeros(len(raw), dtype=bool)
    else:
        text = raw.astype("string").str.strip()
        has_offset = text.str.contains(_OFFSET, na=False).to_numpy()
    if has_offset.any() and not has_offset.all():
        pos = _first(~has_offset if has_offset[0] else has_offset)
        raise _fail(source, rows(pos), column,
                    f"mixes timestamps with and without a UTC offset ({raw.iloc[pos]!r}); "
                    "write every timestamp the same way, preferably with its offset (+01:00)")
    try:
        parsed = pd.to_datetime(raw if text is None else text, utc=bool(has_offset.all()), format="ISO8601")
    except (ValueError, TypeError):
        parsed = pd.to_datetime(raw if text is None else text, utc=bool(has_offset.all()), format="ISO8601",
                                errors="coerce")
    bad = parsed.isna()
    if bad.any():
        pos = _first(bad)
        raise _fail(source, rows(pos), column,
                    f"not a timestamp ({raw.iloc[pos]!r}); use ISO 8601, e.g. 2026-01-05 08:15:00+00:00")
    if has_offset.all():
        if timezone:
            return parsed.dt.tz_convert(timezone)
        assert text is not None  # offsets were found in text
        if text.str.extract(f"({_OFFSET.pattern})", expand=False).nunique() == 1:
            return parsed.dt.tz_convert(pd.Timestamp(str(text.iloc[0])).tz)
        return parsed
    if not timezone:
        raise _fail(source, rows(0), column,
                    "timestamps have no UTC offset and no timezone is configured; pass --config with a "
                    "`timezone`, or write timestamps with their offset (+01:00)")
    return _localize(parsed, timezone, source, rows, column)


def _localize(naive: pd.Series, timezone: str, source: str, rows: RowNamer, column: str) -> pd.Series:
    localized = naive.dt.tz_localize(timezone, ambiguous="NaT", nonexistent="NaT")
    if localized.notna().all():
        return localized
    in_gap = naive.dt.tz_localize(timezone, ambiguous=np.ones(len(naive), dtype=bool), nonexistent="NaT").isna()
    pos = _first(localized.isna())
    local = naive.iloc[pos]
    if in_gap.iloc[pos]:
        problem = f"local time {local} does not exist in {timezone} (clocks jump forward: DST gap)"
    else:
        problem = f"local time {local} happens twice in {timezone} (clocks go back: DST overlap)"
    raise _fail(source, rows(pos), column,
                f"{problem}; write timestamps with their UTC offset (e.g. +01:00) so each names one instant")


def _check_grid(stamps: pd.Series, interval_minutes: int, source: str, rows: RowNamer, column: str) -> None:
    minute_of_day = stamps.dt.hour * 60 + stamps.dt.minute
    off = (minute_of_day % interval_minutes != 0) | (stamps.dt.second != 0) | (stamps.dt.microsecond != 0)
    if off.any():
        pos = _first(off)
        raise _fail(source, rows(pos), column,
                    f"{stamps.iloc[pos]} is not on the {interval_minutes}-minute grid; interval starts must "
                    f"fall on multiples of {interval_minutes} minutes past the hour (check interval_minutes)")


def _check_channels(channels: pd.Series, known: Collection[str] | None, source: str, rows: RowNamer) -> None:
    empty = channels.isna() | (channels.astype("string").str.strip() == "")
    if empty.any():
        raise _fail(source, rows(_first(empty)), "channel", "is empty; name the channel, e.g. voice")
    if known is None:
        return
    unknown = ~channels.isin(list(known))
    if unknown.any():
        pos = _first(unknown)
        raise _fail(source, rows(pos), "channel",
                    f"unknown channel {channels.iloc[pos]!r}; the config defines {', '.join(known)} "
                    f"(add [channels.{channels.iloc[pos]}] to the config or fix the name)")


def _check_unique(frame: pd.DataFrame, source: str, rows: RowNamer) -> None:
    dup = frame.duplicated(["channel", "interval_start"], keep=False)
    if dup.any():
        positions = np.flatnonzero(dup.to_numpy())
        first = positions[0]
        key = frame.iloc[first]
        same = (frame["channel"] == key["channel"]) & (frame["interval_start"] == key["interval_start"])
        second = int(np.flatnonzero(same.to_numpy())[1])
        raise _fail(source, rows(int(first)), "interval_start",
                    f"duplicate interval {key['interval_start']} for channel {key['channel']!r} "
                    f"(again at {rows(second)}); keep one row per channel and interval")


def validate_history(frame: pd.DataFrame, *, source: str, interval_minutes: int, timezone: str | None,
                     channels: Collection[str] | None = None, rows: RowNamer = frame_rows) -> pd.DataFrame:
    """Validate and normalise a history frame (see ARCHITECTURE.md, history contract).

    Parameters
    ----------
    frame
        Raw rows with at least ``channel``, ``interval_start`` and ``volume``.
    source
        Name used in messages (a file path).
    interval_minutes
        The planning grid; every interval start must fall on it.
    timezone
        IANA zone naive timestamps are read in, and that the result is expressed in.
    channels
        The channels the config knows; others are refused. None accepts any.
    rows
        Names a row in messages (:func:`csv_lines` for CSV files).

    Returns
    -------
    pandas.DataFrame
        ``channel, interval_start, volume`` (+ ``aht_seconds``, ``abandoned`` when given), sorted.
    """
    if frame.empty:
        raise DataError(f"{source}: the file has no data rows; it needs a header "
                        f"({', '.join(HISTORY_COLUMNS)}) and one row per channel and interval")
    _require_columns(frame, HISTORY_COLUMNS, source)
    channel = frame["channel"].astype("string").str.strip()
    _check_channels(channel, channels, source, rows)
    volume = _numeric(frame, "volume", source, rows)
    negative = volume < 0
    if negative.any():
        pos = _first(negative)
        raise _fail(source, rows(pos), "volume", f"must be >= 0, got {volume.iloc[pos]:g}; "
                    "a volume counts contacts offered in the interval")
    fractional = volume != np.round(volume)
    if fractional.any():
        pos = _first(fractional)
        raise _fail(source, rows(pos), "volume", f"must be a whole number of contacts, got {volume.iloc[pos]:g}")
    out = pd.DataFrame({
        "channel": channel.astype(object),
        "interval_start": parse_timestamps(frame["interval_start"], source, rows, timezone),
        "volume": volume.astype("int64"),
    })
    _check_grid(out["interval_start"], interval_minutes, source, rows, "interval_start")
    if "aht_seconds" in frame.columns:
        aht = _numeric(frame, "aht_seconds", source, rows, allow_missing=True)
        bad = (aht <= 0) | (aht.isna() & (volume > 0))
        if bad.any():
            pos = _first(bad)
            got = "nothing" if pd.isna(aht.iloc[pos]) else f"{aht.iloc[pos]:g}"
            raise _fail(source, rows(pos), "aht_seconds",
                        f"must be > 0 where there are contacts, got {got}; give the average handle time "
                        "in seconds (leave it empty only where volume is 0)")
        out["aht_seconds"] = aht
    if "abandoned" in frame.columns:
        abandoned = _numeric(frame, "abandoned", source, rows, allow_missing=True).fillna(0)
        bad = (abandoned < 0) | (abandoned != np.round(abandoned)) | (abandoned > volume)
        if bad.any():
            pos = _first(bad)
            raise _fail(source, rows(pos), "abandoned",
                        f"must be a whole number between 0 and the volume ({volume.iloc[pos]:g}), "
                        f"got {abandoned.iloc[pos]:g}")
        out["abandoned"] = abandoned.astype("int64")
    _check_unique(out, source, rows)
    return out.sort_values(["channel", "interval_start"], kind="stable").reset_index(drop=True)


def validate_requirements(frame: pd.DataFrame, *, source: str, interval_minutes: int, timezone: str | None,
                          channels: Collection[str] | None = None, rows: RowNamer = frame_rows,
                          ) -> pd.DataFrame:
    """Validate a requirements frame as the scheduler reads it.

    Only ``channel``, ``interval_start`` and ``scheduled_agents`` are required; other requirement
    columns are kept when present. ``scheduled_agents`` must be a whole number >= 0.
    """
    if frame.empty:
        raise DataError(f"{source}: the file has no data rows; it needs channel, interval_start, "
                        "scheduled_agents and one row per channel and interval")
    _require_columns(frame, ("channel", "interval_start", "scheduled_agents"), source)
    out = frame.copy()
    out["channel"] = frame["channel"].astype("string").str.strip().astype(object)
    _check_channels(out["channel"], channels, source, rows)
    out["interval_start"] = parse_timestamps(frame["interval_start"], source, rows, timezone)
    _check_grid(out["interval_start"], interval_minutes, source, rows, "interval_start")
    agents = _numeric(frame, "scheduled_agents", source, rows)
    bad = (agents < 0) | (agents != np.round(agents))
    if bad.any():
        pos = _first(bad)
        raise _fail(source, rows(pos), "scheduled_agents",
                    f"must be a whole number >= 0, got {agents.iloc[pos]:g}")
    out["scheduled_agents"] = agents.astype("int64")
    _check_unique(out, source, rows)
    return out.sort_values(["channel", "interval_start"], kind="stable").reset_index(drop=True)


def validate_forecast(frame: pd.DataFrame, *, source: str, channels: Collection[str] | None = None,
                      rows: RowNamer = frame_rows) -> pd.DataFrame:
    """Validate a forecast frame (see ARCHITECTURE.md): volumes >= 0, lo <= volume <= hi, AHT > 0."""
    _require_columns(frame, FORECAST_COLUMNS, source)
    _check_channels(frame["channel"], channels, source, rows)
    if not isinstance(frame["interval_start"].dtype, pd.DatetimeTZDtype):
        raise DataError(f"{source}: interval_start: must be timezone-aware timestamps")
    for column in ("volume", "volume_lo", "volume_hi"):
        values = _numeric(frame, column, source, rows)
        if (values < 0).any():
            pos = _first(values < 0)
            raise _fail(source, rows(pos), column, f"must be >= 0, got {values.iloc[pos]:g}")
    out_of_band = ~((frame["volume_lo"] <= frame["volume"]) & (frame["volume"] <= frame["volume_hi"]))
    if out_of_band.any():
        pos = _first(out_of_band)
        raise _fail(source, rows(pos), "volume", f"must lie in its interval [volume_lo, volume_hi], got "
                    f"{frame['volume'].iloc[pos]:g} outside [{frame['volume_lo'].iloc[pos]:g}, "
                    f"{frame['volume_hi'].iloc[pos]:g}]")
    aht = _numeric(frame, "aht_seconds", source, rows)
    if (aht <= 0).any():
        pos = _first(aht <= 0)
        raise _fail(source, rows(pos), "aht_seconds", f"must be > 0, got {aht.iloc[pos]:g}")
    _check_unique(frame, source, rows)
    return frame.sort_values(["channel", "interval_start"], kind="stable").reset_index(drop=True)


def validate_agents(frame: pd.DataFrame, *, source: str, groups: Collection[str], rows: RowNamer = frame_rows,
                    ) -> pd.DataFrame:
    """Validate an agents frame (the agents contract, in this module's docstring).

    Returns a frame with the columns of ``AGENT_COLUMNS``: hours as floats, ``days`` normalised to
    ``Mon Tue ...`` (all days when empty), times as ``HH:MM`` strings (empty ones filled with 00:00/48:00).
    ``groups`` are the config's staff groups.
    """
    missing = [c for c in AGENT_COLUMNS[:4] if c not in frame.columns]
    if missing:
        raise DataError(f"{source}: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; the "
                        f"header must name {', '.join(AGENT_COLUMNS[:4])} (optional: {', '.join(AGENT_COLUMNS[4:])})")
    if frame.empty:
        raise DataError(f"{source}: the file has no agents; add one row per agent")
    out = pd.DataFrame(index=range(len(frame)))
    for position, raw in enumerate(frame.to_dict("records")):
        where = rows(position)

        def text(column: str, raw: dict = raw) -> str:
            value = raw.get(column)
            return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value).strip()

        agent_id = text("agent_id")
        if not agent_id:
            raise DataError(f"{source}: {where}: agent_id: is empty; give every agent an id")
        group = text("group")
        if group not in groups:
            raise DataError(f"{source}: {where}: group: unknown staff group {group!r}; the config defines "
                            f"{', '.join(groups) or 'none'}")
        hours = {}
        for column in ("min_hours", "max_hours"):
            try:
                hours[column] = float(text(column))
            except ValueError:
                raise DataError(f"{source}: {where}: {column}: not a number ({text(column)!r}); write weekly "
                                "contract hours such as 37.5") from None
            if not 0 <= hours[column] <= 7 * 24:
                raise DataError(f"{source}: {where}: {column}: must be in [0, 168] hours a week, "
                                f"got {hours[column]:g}")
        if hours["max_hours"] < hours["min_hours"]:
            raise DataError(f"{source}: {where}: max_hours: must be >= min_hours ({hours['min_hours']:g}), "
                            f"got {hours['max_hours']:g}")
        days = text("days").replace(",", " ").split()
        unknown = [d for d in days if d.title()[:3] not in DAY_NAMES or len(d) < 3]
        if unknown:
            raise DataError(f"{source}: {where}: days: unknown day {unknown[0]!r}; write days like 'Mon Tue Wed', "
                            "or leave it empty for every day")
        chosen = {d.title()[:3] for d in days} or set(DAY_NAMES)
        times = {}
        for column, default in (("available_from", "00:00"), ("available_to", "48:00"), ("preferred_start", "")):
            value = text(column) or default
            if value:
                try:
                    minutes = clock_minutes(value, latest_minutes=LATEST_CLOCK)
                except ValueError as exc:
                    raise DataError(f"{source}: {where}: {column}: {exc} (24:00 or later for past midnight)"
                                    ) from None
                value = f"{minutes // 60:02d}:{minutes % 60:02d}"
            times[column] = value
        out.loc[position, list(AGENT_COLUMNS)] = [agent_id, group, hours["min_hours"], hours["max_hours"],
                                                  " ".join(d for d in DAY_NAMES if d in chosen),
                                                  times["available_from"], times["available_to"],
                                                  times["preferred_start"]]
    duplicated = out["agent_id"].duplicated()
    if duplicated.any():
        position = int(np.flatnonzero(duplicated.to_numpy())[0])
        raise DataError(f"{source}: {rows(position)}: agent_id: duplicate id {out['agent_id'].iloc[position]!r}; "
                        "give every agent a unique id")
    return out.astype({"min_hours": "float64", "max_hours": "float64"})
