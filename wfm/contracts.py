"""Data contracts between the stages, and their validation.

Frames are long: one row per channel and interval, timestamps are timezone-aware interval starts. Each
``validate_*`` function checks a frame once, at the boundary, and returns a clean copy (typed columns,
sorted by channel and interval); a bad frame raises :class:`~wfm.errors.DataError` naming the source, the
line or row, the field and the fix, each problem also a :class:`~wfm.errors.Problem` in its ``problems``
(:func:`validate_history` can collect up to ``max_problems`` of them in one pass). Code inside a stage trusts
frames that passed.

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

import decimal
import json
import math
import re
from collections.abc import Callable, Collection, Sequence
from typing import NoReturn

import numpy as np
import pandas as pd

from wfm.errors import DataError, InputError, Problem
from wfm.weeks import MINUTES_PER_DAY, clock_minutes

HISTORY_COLUMNS = ("channel", "interval_start", "volume")
HISTORY_OPTIONAL = ("aht_seconds", "abandoned")
FORECAST_COLUMNS = ("channel", "interval_start", "volume", "volume_lo", "volume_hi", "aht_seconds", "model")
#: Share of outcomes a forecast's band (``volume_lo`` to ``volume_hi``) is meant to hold: its 10% and 90% quantiles.
BAND_COVERAGE = 0.8
#: The standard normal's 90% quantile: a band ``m -/+ Z80 sd`` holds 80% of a normal outcome.
Z80 = 1.2815515655446004
#: The forecast columns staffing reads (:func:`validate_demand`).
DEMAND_COLUMNS = ("channel", "interval_start", "volume", "aht_seconds")
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
#: The most contacts one history interval may hold: far above any real center, and safe from integer overflow.
#: A larger volume is a wrong column or unit, refused by line.
MAX_VOLUME = 1_000_000_000
#: The most agents one requirement row may ask for (the scheduler's own limit per group is lower); a larger
#: value is a wrong column, refused by line before it can overflow.
MAX_REQUIRED_AGENTS = 10_000_000
#: Latest clock time an agent's window may end at (``48:00``: the end of the next day).
LATEST_CLOCK = 48 * 60

#: Names a row of a frame for messages: CSV line numbers, or row numbers of other sources.
RowNamer = Callable[[int], str]

#: A UTC offset at the end of a timestamp ("Z", "+01:00", "-0500", "+01").
_ZONE = r"(?:Z|[+-]\d{2}(?::?\d{2})?)"
#: A time of day followed by its offset: only a time carries one (the "-45" ending "2026-13-45" is a day).
_OFFSET = re.compile(rf"\d{{2}}:\d{{2}}(?::\d{{2}}(?:[.,]\d+)?)?\s*{_ZONE}$")
#: Text shaped like an ISO date (whatever follows), so that a value that fails to parse is a bad date or time.
_DATE_SHAPE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}(?!\d)")


def csv_lines(position: int) -> str:
    """Row position (0-based, data rows) to its line in a CSV file with one header line."""
    return f"line {position + 2}"


def frame_rows(position: int) -> str:
    """Row position (0-based) to a 1-based row number, for Parquet files and in-memory frames."""
    return f"row {position + 1}"


def _fail(source: str, where: str, field: str, problem: str) -> DataError:
    return DataError(Problem(source, where, field, problem))


class _Problems:
    """Collects the row problems of one input, up to ``limit``, and raises them as one DataError.

    Each check reports every bad row of a column at once (a mask). With a limit of 1 the first check that
    finds a problem raises it; with more, every check runs and the first ``limit`` problems in file order
    are raised together. A problem that leaves nothing more to check (:meth:`stop`) raises at once.
    """

    def __init__(self, source: str, rows: RowNamer, limit: int = 1) -> None:
        self.source, self.rows, self.limit = source, rows, limit
        self.found: list[tuple[int, Problem]] = []
        self.count = 0

    def check(self, bad: pd.Series | np.ndarray, field: str, describe: Callable[[int], str]) -> None:
        """Record a problem of ``field`` for each row where ``bad`` holds; ``describe`` words it by position."""
        positions = np.flatnonzero(np.asarray(bad, dtype=bool))
        self.count += len(positions)
        self.found += [(int(pos), Problem(self.source, self.rows(int(pos)), field, describe(int(pos))))
                       for pos in positions[:self.limit]]
        if self.limit == 1:
            self.finish()

    def stop(self, position: int | None, field: str, problem: str) -> NoReturn:
        """Raise a problem that leaves the rest of the input unreadable, with those found so far.

        ``position`` None is a problem of the whole column (no row), listed first.
        """
        self.count += 1
        row = "" if position is None else self.rows(position)
        self.found.append((-1 if position is None else position, Problem(self.source, row, field, problem)))
        self._raise()

    def finish(self) -> None:
        """Raise the problems found, if any."""
        if self.found:
            self._raise()

    def _raise(self) -> NoReturn:
        problems = [problem for _, problem in sorted(self.found, key=lambda item: item[0])][:self.limit]
        more = self.count - 1 if self.limit > 1 else 0  # a limit of 1 stops at the first: no count of others
        suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        raise DataError(f"{problems[0]}{suffix}", problems)


def _require_columns(frame: pd.DataFrame, required: Sequence[str], source: str) -> None:
    missing = [c for c in required if c not in frame.columns]
    if missing:
        found = ", ".join(map(str, frame.columns)) or "none"
        raise _fail(source, "", "", f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
                    f"the header must name {', '.join(required)} (found: {found})")


def _text(values: pd.Series) -> pd.Series:
    """A column as strings (missing values stay missing), whatever objects it holds (bytes that are not UTF-8)."""
    try:
        return values.astype("string")
    except (UnicodeDecodeError, TypeError, ValueError):
        return values.astype(object).map(str, na_action="ignore").astype("string")


def _missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):  # a list or array in an object column
        return False


def _shown(value: object) -> str:
    return "an empty value" if _missing(value) or str(value).strip() == "" else repr(str(value))


def _toml_key(name: str) -> str:
    """A name as a TOML key: bare when it can be, else quoted (with escapes)."""
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else json.dumps(name)


#: Value types read as numbers when a column holds objects (bools are not: True is not a count).
_NUMBER_TYPES = (str, int, float, decimal.Decimal, np.integer, np.floating)


def _as_numbers(raw: pd.Series, column: str, problems: _Problems) -> pd.Series:
    """A column as floats (NaN where a value is not a number); refuses a column of another kind at once.

    Text (CSV) and number columns are read; a true/false column (Parquet booleans would read as 0/1) or a
    column of dates is refused as a whole; in a column of mixed objects, values other than text and numbers
    are not numbers.
    """
    types = pd.api.types
    if isinstance(raw.dtype, pd.CategoricalDtype):
        raw = raw.astype(object)
    is_object = types.is_object_dtype(raw.dtype)
    inferred = types.infer_dtype(raw, skipna=True) if is_object else ""
    if types.is_bool_dtype(raw.dtype) or inferred == "boolean":
        problems.stop(None, column, f"is a true/false (boolean) column, not numbers; store {column} as numbers "
                      "(integers or decimals)")
    if not (is_object or types.is_string_dtype(raw.dtype) or types.is_integer_dtype(raw.dtype)
            or types.is_float_dtype(raw.dtype)):
        problems.stop(None, column, f"is a column of {raw.dtype} values, not numbers; store {column} as numbers "
                      "(integers or decimals)")
    if is_object and inferred not in ("string", "empty", "integer", "floating", "mixed-integer-float", "decimal"):
        raw = raw.map(lambda value: value if isinstance(value, _NUMBER_TYPES) and not isinstance(value, bool)
                      else np.nan, na_action="ignore")
    try:
        values = pd.to_numeric(raw, errors="coerce")
    except (TypeError, ValueError):
        values = pd.Series([pd.to_numeric(value, errors="coerce") for value in raw], index=raw.index)
    return pd.Series(np.asarray(values, dtype="float64"), index=raw.index)


def _numeric(frame: pd.DataFrame, column: str, problems: _Problems, *, allow_missing: bool = False,
             ) -> tuple[pd.Series, pd.Series]:
    """A column as floats, and which rows read as a number (or as missing, when allowed); others are reported."""
    raw = frame[column]
    values = _as_numbers(raw, column, problems)
    unreadable = values.isna() & (raw.notna() if allow_missing else True)
    problems.check(unreadable, column,
                   lambda pos: f"not a number ({_shown(raw.iloc[pos])}); write a plain number such as 12")
    infinite = np.isinf(values)
    problems.check(infinite, column, lambda _: "must be finite, got infinity")
    return values.mask(infinite), ~(unreadable | infinite)


def _first(mask: pd.Series | np.ndarray) -> int:
    return int(np.flatnonzero(np.asarray(mask))[0])


#: The fix for an interval start that is not a timestamp.
_ISO_EXAMPLE = "use ISO 8601, e.g. 2026-01-05 08:15:00+00:00"


def _parse_timestamps(raw: pd.Series, problems: _Problems, timezone: str | None,
                      column: str = "interval_start") -> pd.Series:
    """Parse interval starts into timezone-aware timestamps in ``timezone`` (NaT where a problem was found).

    Timestamps with a UTC offset are converted to ``timezone``; naive ones are read as local times in
    ``timezone``, and a local time that falls in a DST gap or overlap is refused (it names no single
    instant). Without ``timezone``, timestamps must carry their offset and are kept in UTC unless they all
    share one offset. Missing values and values that are not timestamps at all are reported as such, never
    as a mix of offsets.
    """
    missing = np.array(raw.isna(), dtype=bool)
    if isinstance(raw.dtype, pd.DatetimeTZDtype):
        problems.check(missing, column, lambda _: f"is missing; give every row its interval start ({_ISO_EXAMPLE})")
        return raw.dt.tz_convert(timezone) if timezone else raw
    if pd.api.types.is_datetime64_dtype(raw.dtype):
        text = None
        has_offset = np.zeros(len(raw), dtype=bool)
    else:
        text = _text(raw).str.strip()
        missing |= (text == "").fillna(True).to_numpy(dtype=bool)
        has_offset = text.str.contains(_OFFSET, na=False).to_numpy(dtype=bool) & ~missing
    problems.check(missing, column, lambda _: f"is missing; give every row its interval start ({_ISO_EXAMPLE})")
    valid = ~missing

    def not_a_timestamp(pos: int) -> str:
        value = raw.iloc[pos]
        if _DATE_SHAPE.match(str(value)):
            return (f"not a valid date or time ({value!r}): the month must be 1-12, the day exist in that month "
                    f"and the time be 00:00-23:59; {_ISO_EXAMPLE}")
        return f"not a timestamp ({value!r}); {_ISO_EXAMPLE}"

    if text is not None and has_offset.any() and (valid & ~has_offset).any():
        # Values without an offset that are no timestamp at all are bad values, not a mix of offsets.
        plain = valid & ~has_offset
        unreadable = plain & pd.to_datetime(text.where(plain), format="ISO8601", errors="coerce").isna().to_numpy()
        problems.check(unreadable, column, not_a_timestamp)
        valid &= ~unreadable
        if (valid & ~has_offset).any():
            minority = (valid & ~has_offset) if has_offset[_first(valid)] else has_offset
            pos = _first(minority)
            problems.stop(pos, column, f"mixes timestamps with and without a UTC offset ({raw.iloc[pos]!r}); "
                          "write every timestamp the same way, preferably with its offset (+01:00)")
    aware = bool(valid.any() and has_offset[valid].all())
    values = raw.where(valid) if text is None else text.where(valid)
    try:
        parsed = pd.to_datetime(values, utc=aware, format="ISO8601")
    except (ValueError, TypeError, OverflowError):
        parsed = pd.to_datetime(values, utc=aware, format="ISO8601", errors="coerce")
    problems.check(valid & parsed.isna().to_numpy(), column, not_a_timestamp)
    if aware:
        if timezone:
            return parsed.dt.tz_convert(timezone)
        assert text is not None  # offsets were found in text
        offsets = text.where(valid).str.extract(f"({_ZONE})$", expand=False)
        if offsets.nunique() == 1 and parsed.notna().any():
            return parsed.dt.tz_convert(pd.Timestamp(str(text.iloc[_first(valid)])).tz)
        return parsed
    if not timezone:
        problems.stop(0, column, "timestamps have no UTC offset and no timezone is configured; pass --config "
                      "with a `timezone`, or write timestamps with their offset (+01:00)")
    if isinstance(parsed.dtype, pd.DatetimeTZDtype):  # every value missing or unreadable
        return parsed
    return _localize(parsed, timezone, problems, column)


def _localize(naive: pd.Series, timezone: str, problems: _Problems, column: str) -> pd.Series:
    localized = naive.dt.tz_localize(timezone, ambiguous="NaT", nonexistent="NaT")
    unnamed = localized.isna() & naive.notna()
    if not unnamed.any():
        return localized
    in_gap = naive.dt.tz_localize(timezone, ambiguous=np.ones(len(naive), dtype=bool), nonexistent="NaT").isna()

    def describe(pos: int) -> str:
        local = naive.iloc[pos]
        if in_gap.iloc[pos]:
            problem = f"local time {local} does not exist in {timezone} (clocks jump forward: DST gap)"
        else:
            problem = f"local time {local} happens twice in {timezone} (clocks go back: DST overlap)"
        return f"{problem}; write timestamps with their UTC offset (e.g. +01:00) so each names one instant"

    problems.check(unnamed, column, describe)
    return localized


def _check_grid(stamps: pd.Series, interval_minutes: int, problems: _Problems, column: str) -> None:
    minute_of_day = stamps.dt.hour * 60 + stamps.dt.minute
    off = stamps.notna() & ((minute_of_day % interval_minutes != 0) | (stamps.dt.second != 0)
                            | (stamps.dt.microsecond != 0))
    problems.check(off, column, lambda pos: f"{stamps.iloc[pos]} is not on the {interval_minutes}-minute grid; "
                   f"interval starts must fall on multiples of {interval_minutes} minutes past the hour "
                   "(check interval_minutes)")


#: The least history that shows its interval length: rows on this many days, and this many rows.
COARSE_GRID_MIN_DAYS = 7
COARSE_GRID_MIN_ROWS = 100


def _check_interval_length(stamps: pd.Series, interval_minutes: int, source: str) -> None:
    """Refuse a history whose intervals are longer than the config's (30-minute data under a 15-minute config).

    Such data passes the grid check (:00 and :30 are on the 15-minute grid), but every :15 and :45 interval
    is absent, so it reads as zero demand there and staffing follows a sawtooth. The rule: across all
    channels, not one interval start in the history falls between the starts of a coarser grid (the
    greatest common divisor of the minutes past midnight, a multiple of ``interval_minutes``), in a history
    of at least ``COARSE_GRID_MIN_DAYS`` days and ``COARSE_GRID_MIN_ROWS`` rows. Genuinely sparse
    ``interval_minutes`` data (closed hours absent, a quiet channel with rows only when a contact came)
    still has some starts in between: the chance that ``n`` rows placed anywhere on a 15-minute grid all
    miss :15 and :45 is 2**-n, about 1e-30 for 100 rows.
    """
    if len(stamps) < COARSE_GRID_MIN_ROWS:
        return
    minutes = (stamps.dt.hour * 60 + stamps.dt.minute).to_numpy(dtype="int64")
    grid = math.gcd(MINUTES_PER_DAY, int(np.gcd.reduce(minutes)))
    if grid <= interval_minutes or stamps.dt.normalize().nunique() < COARSE_GRID_MIN_DAYS:
        return
    if grid >= MINUTES_PER_DAY:
        shape, fix = "one row a day (daily totals)", f"supply {interval_minutes}-minute interval history"
    else:
        shape = f"{grid}-minute intervals"
        fix = (f"set interval_minutes = {grid} in the config (or --interval-minutes {grid}) to plan on "
               f"{grid}-minute intervals, or supply {interval_minutes}-minute history")
    raise _fail(source, "", "interval_start", (
        f"interval_minutes is {interval_minutes} but the data looks like {shape}: all {len(stamps):,} interval "
        f"starts fall on a {grid}-minute grid and none in between, so the {interval_minutes}-minute intervals "
        f"between would read as zero contacts; {fix}"))


def _check_channels(channels: pd.Series, known: Collection[str] | None, problems: _Problems) -> pd.Series:
    """Report empty and unknown channels; returns which rows name a good one."""
    empty = channels.isna() | (_text(channels).str.strip() == "")
    problems.check(empty, "channel", lambda _: "is empty; name the channel, e.g. voice")
    if known is None:
        return ~empty
    unknown = ~empty & ~channels.isin(list(known))
    problems.check(unknown, "channel", lambda pos: (
        f"unknown channel {channels.iloc[pos]!r}; the config defines {', '.join(known)} "
        f"(add [channels.{_toml_key(str(channels.iloc[pos]))}] to the config or fix the name)"))
    return ~(empty | unknown)


def _check_unique(channels: pd.Series, stamps: pd.Series, problems: _Problems) -> None:
    """Report each row whose channel and interval come again later, naming the next one."""
    keys = pd.DataFrame({"channel": channels.array, "interval_start": stamps.array,
                         "position": np.arange(len(stamps))})
    again = keys.groupby(["channel", "interval_start"], sort=False, dropna=True)["position"].shift(-1)
    problems.check(again.notna(), "interval_start", lambda pos: (
        f"duplicate interval {stamps.iloc[pos]} for channel {channels.iloc[pos]!r} "
        f"(again at {problems.rows(int(again.iloc[pos]))}); keep one row per channel and interval"))


def _not_negative(values: pd.Series, column: str, problems: _Problems) -> pd.Series:
    problems.check(values < 0, column, lambda pos: f"must be >= 0, got {values.iloc[pos]:g}")
    return values


def validate_history(frame: pd.DataFrame, *, source: str, interval_minutes: int, timezone: str | None,
                     channels: Collection[str] | None = None, rows: RowNamer = frame_rows,
                     max_problems: int = 1) -> pd.DataFrame:
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
        Names a row in messages (:class:`wfm.io.CsvLines` for CSV files).
    max_problems
        How many problems to report. 1 (the default) stops at the first problem of the first check that
        finds one (columns are checked in turn); more runs every check and reports the first
        ``max_problems`` problems in file order. A problem of the whole file (a missing column, timestamps
        that mix UTC offsets) still stops at once.

    Returns
    -------
    pandas.DataFrame
        ``channel, interval_start, volume`` (+ ``aht_seconds``, ``abandoned`` when given), sorted.

    Raises
    ------
    DataError
        Its message is the first problem (with ``(and K more problems)`` when there are more); its
        ``problems`` lists them, up to ``max_problems``.
    """
    if max_problems < 1:
        raise InputError("max_problems", f"must be >= 1, got {max_problems}")
    if frame.empty:
        raise _fail(source, "", "", f"the file has no data rows; it needs a header "
                    f"({', '.join(HISTORY_COLUMNS)}) and one row per channel and interval")
    _require_columns(frame, HISTORY_COLUMNS, source)
    problems = _Problems(source, rows, max_problems)
    channel = _text(frame["channel"]).str.strip()
    named = _check_channels(channel, channels, problems)
    volume = _numeric(frame, "volume", problems)[0]
    problems.check(volume < 0, "volume", lambda pos: f"must be >= 0, got {volume.iloc[pos]:g}; "
                   "a volume counts contacts offered in the interval")
    problems.check(volume > MAX_VOLUME, "volume", lambda pos: f"must be at most {MAX_VOLUME:,} contacts in one "
                   f"interval, got {volume.iloc[pos]:g}; check the column and its units")
    stamps = _parse_timestamps(frame["interval_start"], problems, timezone)
    _check_grid(stamps, interval_minutes, problems, "interval_start")
    out = pd.DataFrame({"channel": channel.astype(object), "interval_start": stamps, "volume": volume})
    if "aht_seconds" in frame.columns:
        aht, read = _numeric(frame, "aht_seconds", problems, allow_missing=True)
        problems.check(read & ((aht <= 0) | (aht.isna() & (volume > 0))), "aht_seconds", lambda pos: (
            f"must be > 0 where there are contacts, got "
            f"{'nothing' if pd.isna(aht.iloc[pos]) else f'{aht.iloc[pos]:g}'}; give the average handle time "
            "in seconds (leave it empty only where volume is 0)"))
        out["aht_seconds"] = aht
    if "abandoned" in frame.columns:
        abandoned = _numeric(frame, "abandoned", problems, allow_missing=True)[0].fillna(0)
        bad = (abandoned < 0) | (abandoned != np.round(abandoned)) | ((abandoned > volume) & (volume >= 0))
        problems.check(bad, "abandoned",
                       lambda pos: f"must be a whole number between 0 and the volume ({volume.iloc[pos]:g}), "
                       f"got {abandoned.iloc[pos]:g}")
        out["abandoned"] = abandoned.astype("int64")
    _check_unique(channel.where(named), stamps, problems)
    problems.finish()
    _check_interval_length(stamps, interval_minutes, source)
    out["volume"] = volume.astype("float64")  # fractional counts (imputed half-calls) are volumes too
    return out.sort_values(["channel", "interval_start"], kind="stable").reset_index(drop=True)


def validate_requirements(frame: pd.DataFrame, *, source: str, interval_minutes: int, timezone: str | None,
                          channels: Collection[str] | None = None, rows: RowNamer = frame_rows,
                          ) -> pd.DataFrame:
    """Validate a requirements frame as the scheduler reads it.

    Only ``channel``, ``interval_start`` and ``scheduled_agents`` are required; other requirement
    columns are kept when present. ``scheduled_agents`` must be a whole number >= 0.
    """
    if frame.empty:
        raise _fail(source, "", "", "the file has no data rows; it needs channel, interval_start, "
                    "scheduled_agents and one row per channel and interval")
    _require_columns(frame, ("channel", "interval_start", "scheduled_agents"), source)
    problems = _Problems(source, rows)
    out = frame.copy()
    out["channel"] = _text(frame["channel"]).str.strip().astype(object)
    _check_channels(out["channel"], channels, problems)
    out["interval_start"] = _parse_timestamps(frame["interval_start"], problems, timezone)
    _check_grid(out["interval_start"], interval_minutes, problems, "interval_start")
    agents, read = _numeric(frame, "scheduled_agents", problems)
    problems.check(read & ((agents < 0) | (agents != np.round(agents))), "scheduled_agents",
                   lambda pos: f"must be a whole number >= 0, got {agents.iloc[pos]:g}")
    problems.check(read & (agents > MAX_REQUIRED_AGENTS), "scheduled_agents",
                   lambda pos: f"must be at most {MAX_REQUIRED_AGENTS:,} agents in one interval, got "
                   f"{agents.iloc[pos]:g}; check the column")
    _check_unique(out["channel"], out["interval_start"], problems)
    problems.finish()
    out["scheduled_agents"] = agents.astype("int64")
    return out.sort_values(["channel", "interval_start"], kind="stable").reset_index(drop=True)


def validate_forecast(frame: pd.DataFrame, *, source: str, channels: Collection[str] | None = None,
                      rows: RowNamer = frame_rows) -> pd.DataFrame:
    """Validate a forecast frame (see ARCHITECTURE.md): volumes >= 0, lo <= volume <= hi, AHT > 0."""
    _require_columns(frame, FORECAST_COLUMNS, source)
    return validate_demand(frame, source=source, channels=channels, rows=rows, volume_only=True)


def validate_demand(frame: pd.DataFrame, *, source: str, channels: Collection[str] | None = None,
                    rows: RowNamer = frame_rows, volume_only: bool = False) -> pd.DataFrame:
    """Validate the demand a forecast gives staffing: the columns of ``DEMAND_COLUMNS``.

    ``channel, interval_start`` (timezone-aware), ``volume`` (>= 0) and ``aht_seconds`` (> 0), one row
    per channel and interval; other columns are kept. A channel without handle time (``aht_seconds`` empty:
    a volume forecast of a history without it) is refused by name, unless ``volume_only`` (a forecast read
    for its volumes). When the frame has the interval band
    (``volume_lo``, ``volume_hi``), each bound is >= 0 and ``volume_lo <= volume <= volume_hi``.

    Returns
    -------
    pandas.DataFrame
        The frame sorted by channel and interval.
    """
    band = [column for column in ("volume_lo", "volume_hi") if column in frame.columns]
    _require_columns(frame, DEMAND_COLUMNS + (("volume_lo", "volume_hi") if band else ()), source)
    problems = _Problems(source, rows)
    _check_channels(frame["channel"], channels, problems)
    if not isinstance(frame["interval_start"].dtype, pd.DatetimeTZDtype):
        raise _fail(source, "", "interval_start", "must be timezone-aware timestamps")
    values: dict[str, pd.Series] = {}
    for column in ("volume", *band):
        values[column] = _not_negative(_numeric(frame, column, problems)[0], column, problems)
    if band:
        lo, volume, hi = values["volume_lo"], values["volume"], values["volume_hi"]
        problems.check((lo > volume) | (volume > hi), "volume", lambda pos: (
            f"must lie in its interval [volume_lo, volume_hi], got {volume.iloc[pos]:g} outside "
            f"[{lo.iloc[pos]:g}, {hi.iloc[pos]:g}]"))
    if not volume_only and frame["aht_seconds"].isna().any():
        channel = frame["channel"].iloc[_first(frame["aht_seconds"].isna())]
        problems.stop(_first(frame["aht_seconds"].isna()), "aht_seconds", (
            f"channel {channel!r} has no handle time (its history had no aht_seconds); staffing needs it: set "
            "forecast.default_aht_seconds in the config, or add aht_seconds to the history"))
    aht = _numeric(frame, "aht_seconds", problems, allow_missing=volume_only)[0]
    problems.check(aht <= 0, "aht_seconds", lambda pos: f"must be > 0, got {aht.iloc[pos]:g}")
    _check_unique(frame["channel"], frame["interval_start"], problems)
    problems.finish()
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
        raise _fail(source, "", "", f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; the "
                    f"header must name {', '.join(AGENT_COLUMNS[:4])} (optional: {', '.join(AGENT_COLUMNS[4:])})")
    if frame.empty:
        raise _fail(source, "", "", "the file has no agents; add one row per agent")
    out = pd.DataFrame(index=range(len(frame)))
    for position, raw in enumerate(frame.to_dict("records")):
        where = rows(position)

        def text(column: str, raw: dict = raw) -> str:
            value = raw.get(column)
            return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value).strip()

        agent_id = text("agent_id")
        if not agent_id:
            raise _fail(source, where, "agent_id", "is empty; give every agent an id")
        group = text("group")
        if group not in groups:
            raise _fail(source, where, "group", f"unknown staff group {group!r}; the config defines "
                        f"{', '.join(groups) or 'none'}")
        hours = {}
        for column in ("min_hours", "max_hours"):
            try:
                hours[column] = float(text(column))
            except ValueError:
                raise _fail(source, where, column, f"not a number ({text(column)!r}); write weekly "
                            "contract hours such as 37.5") from None
            if not 0 <= hours[column] <= 7 * 24:
                raise _fail(source, where, column, f"must be in [0, 168] hours a week, got {hours[column]:g}")
        if hours["max_hours"] < hours["min_hours"]:
            raise _fail(source, where, "max_hours", f"must be >= min_hours ({hours['min_hours']:g}), "
                        f"got {hours['max_hours']:g}")
        days = text("days").replace(",", " ").split()
        unknown = [d for d in days if d.title()[:3] not in DAY_NAMES or len(d) < 3]
        if unknown:
            raise _fail(source, where, "days", f"unknown day {unknown[0]!r}; write days like 'Mon Tue Wed', "
                        "or leave it empty for every day")
        chosen = {d.title()[:3] for d in days} or set(DAY_NAMES)
        times = {}
        for column, default in (("available_from", "00:00"), ("available_to", "48:00"), ("preferred_start", "")):
            value = text(column) or default
            if value:
                try:
                    minutes = clock_minutes(value, latest_minutes=LATEST_CLOCK)
                except ValueError as exc:
                    raise _fail(source, where, column, f"{exc} (24:00 or later for past midnight)") from None
                value = f"{minutes // 60:02d}:{minutes % 60:02d}"
            times[column] = value
        out.loc[position, list(AGENT_COLUMNS)] = [agent_id, group, hours["min_hours"], hours["max_hours"],
                                                  " ".join(d for d in DAY_NAMES if d in chosen),
                                                  times["available_from"], times["available_to"],
                                                  times["preferred_start"]]
    duplicated = out["agent_id"].duplicated()
    if duplicated.any():
        position = int(np.flatnonzero(duplicated.to_numpy())[0])
        raise _fail(source, rows(position), "agent_id", f"duplicate id {out['agent_id'].iloc[position]!r}; "
                    "give every agent a unique id")
    return out.astype({"min_hours": "float64", "max_hours": "float64"})
