"""Validation in one pass: every row problem of a history up to a limit, each with its row and field."""

from __future__ import annotations

import pandas as pd
import pytest

from wfm.contracts import validate_demand, validate_forecast, validate_history
from wfm.errors import DataError, InputError

TZ = "Europe/London"


def problems_of(frame: pd.DataFrame) -> list[tuple[str, str]]:
    """(row, field) of every problem validate_history reports (up to 10)."""
    with pytest.raises(DataError) as raised:
        validate_history(frame, source="h", interval_minutes=15, timezone=TZ, max_problems=10)
    return [(p.row, p.field) for p in raised.value.problems]


def history(**columns: list[object]) -> pd.DataFrame:
    rows = len(next(iter(columns.values())))
    base = {"channel": ["voice"] * rows, "interval_start": [f"2026-07-06 {8 + i:02d}:00" for i in range(rows)],
            "volume": ["5"] * rows}
    return pd.DataFrame({**base, **columns})


def test_a_cell_has_one_problem_and_a_row_may_have_several() -> None:
    # Row 1: -2.5 is negative (not also fractional). Row 2: abandoned 9 > volume 5, and volume "x" (its
    # abandoned 1 is not compared with an unreadable volume). Row 3: handle time "y" is unreadable (not also
    # missing where there are contacts).
    frame = history(volume=["-2.5", "x", "5"], aht_seconds=["100", "100", "y"], abandoned=["0", "1", "9"])
    assert problems_of(frame) == [("row 1", "volume"), ("row 2", "volume"), ("row 3", "aht_seconds"),
                                  ("row 3", "abandoned")]


def test_every_repeat_of_an_interval_names_the_next() -> None:
    frame = history(interval_start=["2026-07-06 08:00"] * 3 + ["2026-07-06 09:00"])
    with pytest.raises(DataError) as raised:
        validate_history(frame, source="h", interval_minutes=15, timezone=TZ, max_problems=10)
    repeat = ("duplicate interval 2026-07-06 08:00:00+01:00 for channel 'voice' (again at row {}); keep one row "
              "per channel and interval")
    assert [(p.row, p.problem) for p in raised.value.problems] == [("row 1", repeat.format(2)),
                                                                   ("row 2", repeat.format(3))]


def test_timestamps_each_reported() -> None:
    frame = history(interval_start=["2026-03-29 01:30", "soon", "2026-07-06 08:05", "2026-10-25 01:15"])
    assert problems_of(frame) == [("row 1", "interval_start"), ("row 2", "interval_start"),
                                  ("row 3", "interval_start"), ("row 4", "interval_start")]


def test_an_unreadable_column_stops_with_the_problems_found_so_far() -> None:
    frame = history(volume=["5", "-1", "5"],
                    interval_start=["2026-07-06T08:00:00+01:00", "2026-07-06T08:15:00+01:00", "2026-07-06 08:30"],
                    aht_seconds=["0", "100", "100"])
    # Mixed offsets leave the timestamps unreadable: later checks (handle time on row 1) do not run.
    assert problems_of(frame) == [("row 2", "volume"), ("row 3", "interval_start")]


def test_max_problems_must_be_positive() -> None:
    with pytest.raises(InputError, match="max_problems must be >= 1, got 0"):
        validate_history(history(volume=["1"]), source="h", interval_minutes=15, timezone=TZ, max_problems=0)


def demand(**extra: list[float]) -> pd.DataFrame:
    stamps = pd.date_range("2026-07-06 08:00", periods=2, freq="15min", tz=TZ)
    return pd.DataFrame({"channel": "voice", "interval_start": stamps, "volume": [4.0, 6.0],
                         "aht_seconds": [200.0, 200.0], **extra})


def test_demand_checks_the_band_only_when_present() -> None:
    assert validate_demand(demand(), source="d")["volume"].tolist() == [4.0, 6.0]
    with pytest.raises(DataError, match=r"^d: row 2: volume: must lie in its interval") as raised:
        validate_demand(demand(volume_lo=[3.0, 7.0], volume_hi=[5.0, 8.0]), source="d")
    assert [(p.row, p.field) for p in raised.value.problems] == [("row 2", "volume")]


def test_a_forecast_still_needs_every_forecast_column() -> None:
    with pytest.raises(DataError, match=r"^f: missing columns volume_lo, volume_hi, model;"):
        validate_forecast(demand(), source="f")
