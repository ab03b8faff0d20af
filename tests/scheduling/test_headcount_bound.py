"""Issue 12, H2 and T3: a requirement beyond the documented headcount is refused before the solve; rostering
reports progress; write_schedule turns OS errors into one-line DataErrors."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import pytest
from tiny_center import tiny_config

from scheduling import roster, solve_schedule, write_schedule
from scheduling.engine import MAX_AGENTS_PER_INTERVAL
from wfm.errors import DataError


def one_interval(agents: int) -> pd.DataFrame:
    stamps = pd.date_range("2026-11-16 08:00", periods=1, freq="15min", tz="Europe/London")
    return pd.DataFrame({"channel": "voice", "interval_start": stamps, "scheduled_agents": agents})


def test_a_million_agents_in_one_interval_is_refused_at_once() -> None:
    started = time.perf_counter()
    with pytest.raises(DataError) as caught:
        solve_schedule(one_interval(1_000_000), tiny_config())
    assert time.perf_counter() - started < 10
    assert str(caught.value) == ("requirements: 2026-11-16 08:00: scheduled_agents: group 'team' needs 1,000,000 "
                                 "agents in one interval, more than the 5,000 wfm schedules; check the requirement, "
                                 "or split the channels into more staff groups")


def test_rostering_reports_progress(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(roster, "PROGRESS_EVERY", 10)
    said: list[str] = []
    result = solve_schedule(one_interval(25), tiny_config(), progress=said.append)
    assert result.summary.shifts == 25
    steps = [line for line in said if line.startswith("rostering: ")]
    assert [line.split(" shifts")[0] for line in steps] == ["rostering: 10 of 25", "rostering: 20 of 25"]


@pytest.mark.slow
def test_the_largest_requirement_is_rostered_in_seconds() -> None:
    started = time.perf_counter()
    result = solve_schedule(one_interval(MAX_AGENTS_PER_INTERVAL), tiny_config())
    assert result.summary.shifts == MAX_AGENTS_PER_INTERVAL
    assert time.perf_counter() - started < 60


@pytest.fixture(scope="module")
def small_result():
    return solve_schedule(one_interval(2), tiny_config())


def test_write_schedule_into_a_file(small_result, tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    with pytest.raises(DataError) as caught:
        write_schedule(small_result, tmp_path / "afile")
    assert str(caught.value) == f"{tmp_path / 'afile'}: cannot write: a file of that name is in the way; " \
                                "choose a folder path"


def test_write_schedule_into_a_name_too_long(small_result, tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"cannot write: the name is too long; use a shorter one$"):
        write_schedule(small_result, tmp_path / ("x" * 300))
