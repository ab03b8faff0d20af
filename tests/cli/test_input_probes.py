"""Issue 12 probes through the installed ``wfm``: bounded numbers, non-UTF-8 configs, unwritable outputs, long
names and far weeks each give one line naming the option or file and the fix, before any work is done."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from tiny_center import tiny_history

from wfm.io import write_frame

Wfm = Callable[..., subprocess.CompletedProcess[str]]
PROJECT = Path(__file__).resolve().parents[2]
EXAMPLE = PROJECT / "data" / "example.toml"
CLASSIC = ["erlang", "--calls", "100", "--aht-seconds", "180", "--interval-minutes", "30", "--service-level", "0.8",
           "--answer-seconds", "20"]
TINY_TOML = """\
timezone = "Europe/London"
shrinkage = 0.2
[channels.voice]
kind = "voice"
service_level = 0.8
answer_seconds = 20
[groups.team]
channels = ["voice"]
[[shifts]]
name = "day"
group = "team"
lengths_hours = [8]
[forecast]
model = "seasonal_naive"
"""


def one_line(done: subprocess.CompletedProcess[str], code: int) -> str:
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


def with_option(flag: str, value: str) -> list[str]:
    args = list(CLASSIC)
    if flag in args:
        args[args.index(flag) + 1] = value
    else:
        args += [flag, value]
    return args


@pytest.mark.parametrize(("flag", "value", "message"), [
    ("--calls", "1e17", "Invalid value for --calls: 1e+17 with this aht_seconds and interval_minutes is an offered "
                        "load of 1e+16 Erlangs, above the maximum of 1,000,000 Erlangs in one interval; check the "
                        "units (contacts per interval, seconds, minutes)"),
    ("--interval-minutes", "1e-300", "Invalid value for --interval-minutes: must be between 1 and 1440 (a day), "
                                     "got 1e-300"),
    ("--answer-seconds", "inf", "Invalid value for --answer-seconds: must be finite and at most 86400 (a day), "
                                "got inf"),
    ("--patience-seconds", "inf", "Invalid value for --patience-seconds: must be finite and at most 1e+09 (longer "
                                  "patience is Erlang C: leave it out), got inf"),
    ("--aht-seconds", "1e300", "Invalid value for --aht-seconds: must be at most 86400 (a day), got 1e+300"),
])
def test_erlang_inputs_are_bounded(wfm: Wfm, flag: str, value: str, message: str) -> None:
    assert one_line(wfm(*with_option(flag, value), timeout=30), 2) == f"wfm: error: {message}"


@pytest.fixture()
def tiny(tmp_path: Path) -> tuple[Path, Path]:
    history = write_frame(tiny_history(weeks=9), tmp_path / "history.csv")
    config = tmp_path / "tiny.toml"
    config.write_text(TINY_TOML, encoding="utf-8")
    return history, config


def create(wfm: Wfm, tiny: tuple[Path, Path], name: str, *options: str) -> subprocess.CompletedProcess[str]:
    history, config = tiny
    return wfm("scenario", "create", name, "--history", str(history), "--config", str(config),
               "--database", f"sqlite:///{history.parent / 'wfm.db'}", *options, timeout=60)


@pytest.mark.parametrize(("options", "message"), [
    (("--volume-pct", "inf"), "Invalid value for --volume-pct: must be > -100 and at most 1000 (a change in percent, "
                              "+10 means 10% more), got inf"),
    (("--volume-pct", "1e17"), "Invalid value for --volume-pct: must be > -100 and at most 1000 (a change in percent, "
                               "+10 means 10% more), got 1e+17"),
    (("--aht-pct", "1e300"), "Invalid value for --aht-pct: must be > -100 and at most 1000 (a change in percent, "
                             "+10 means 10% more), got 1e+300"),
    (("--answer-seconds", "inf"), "Invalid value for --answer-seconds: must be a finite number, got inf"),
    (("--channel", "sms"), "Invalid value for --channel: unknown channel 'sms'; known: voice"),
    (("--week", "2099-W01"), "Invalid value for --week: 2099-W01 starts on 2098-12-29, 26,344 days after the history "
                             "ends (2026-11-13); plan one of the 8 weeks after the history (2026-W47 to 2027-W01), or "
                             "give a longer history"),
])
def test_scenario_options_are_refused_before_forecasting(wfm: Wfm, tiny: tuple[Path, Path], options: tuple[str, ...],
                                                         message: str) -> None:
    assert one_line(create(wfm, tiny, "x", *options), 2) == f"wfm: error: {message}"


def test_scenario_names_are_checked_first_and_shortened(wfm: Wfm, tiny: tuple[Path, Path]) -> None:
    empty = one_line(create(wfm, tiny, ""), 2)
    assert empty == ("wfm: error: Invalid value for NAME: must be 1 to 200 characters, without leading or trailing "
                     "spaces, got ''")
    long = one_line(create(wfm, tiny, "n" * 10_000), 2)
    assert long.endswith(f"got {'n' * 60!r}... (10,000 characters)")
    assert len(long) < 300
    assert not (tiny[0].parent / "wfm.db").exists()  # refused before the store was opened


def test_plan_refuses_a_week_far_beyond_the_history(wfm: Wfm, tiny: tuple[Path, Path], tmp_path: Path) -> None:
    history, config = tiny
    done = wfm("plan", "--history", str(history), "--config", str(config), "--out", str(tmp_path / "out"),
               "--week", "2099-W01", "--database", f"sqlite:///{tmp_path / 'wfm.db'}", timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1] == (
        "wfm: error: Invalid value for --week: 2099-W01 starts on 2098-12-29, 26,344 days after the history ends "
        "(2026-11-13); plan one of the 8 weeks after the history (2026-W47 to 2027-W01), or give a longer history")


@pytest.mark.parametrize(("encoding", "message"), [
    ("latin-1", "line 1: byte 0xe9 is not UTF-8 text; save the config as UTF-8 (TOML files must be UTF-8)"),
    ("utf-16", "the config is UTF-16 or UTF-32 text; save it as UTF-8"),
])
def test_config_that_is_not_utf8(wfm: Wfm, tmp_path: Path, encoding: str, message: str) -> None:
    config = tmp_path / "wfm.toml"
    config.write_bytes(("# café\n" + TINY_TOML).encode(encoding))
    done = wfm("scenario", "list", "--config", str(config), "--database", f"sqlite:///{tmp_path / 'wfm.db'}")
    assert one_line(done, 1) == f"wfm: error: {config}: {message}"


def test_forecast_output_is_checked_before_reading(wfm: Wfm, tmp_path: Path) -> None:
    """The history does not even exist: the output path is refused first, so no forecast is wasted."""
    (tmp_path / "afile").write_text("x")
    args = ["forecast", "--history", "absent.csv", "--config", str(EXAMPLE), "--out"]
    into_file = one_line(wfm(*args, "afile/fc.csv"), 2)
    assert into_file == ("wfm: error: Invalid value for --out: 'afile' is a file, not a folder; choose a writable "
                         "folder")
    too_long = one_line(wfm(*args, "x" * 300 + ".csv"), 2)
    assert too_long.startswith("wfm: error: Invalid value for --out: the name 'xxxx")
    assert too_long.endswith("... (304 characters) is too long (304 bytes, at most 255); use a shorter one")
    wrong_type = one_line(wfm(*args, "x.txt"), 2)
    assert wrong_type == ("wfm: error: Invalid value for --out: unsupported file type '.txt' of 'x.txt'; use .csv "
                          "or .parquet")
    deeper = one_line(wfm(*args, "new/deeper/fc.csv"), 1)  # a folder to be made is fine: the history is missing
    assert deeper == "wfm: error: absent.csv: file not found; check the path"
    assert not (tmp_path / "new").exists()  # and nothing was made for a run that failed


def unwritable_folder(tmp_path: Path) -> Path:
    """A folder this process cannot write into (root ignores permission bits, but not /proc)."""
    if os.geteuid() == 0:
        return Path("/proc")
    folder = tmp_path / "read-only"
    folder.mkdir(mode=0o555)
    return folder


def test_schedule_out_dir_is_checked_before_reading(wfm: Wfm, tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    args = ["schedule", "--requirements", "absent.csv", "--config", str(EXAMPLE), "--out-dir"]
    into_file = one_line(wfm(*args, "afile/sub"), 2)
    assert into_file == ("wfm: error: Invalid value for --out-dir: 'afile/sub' cannot be made: 'afile' is a file; "
                         "choose a writable folder")
    too_long = one_line(wfm(*args, "x" * 300), 2)
    assert too_long.endswith("... (300 characters) is too long (300 bytes, at most 255); use a shorter one")
    read_only = unwritable_folder(tmp_path)
    refused = one_line(wfm(*args, str(read_only)), 2)
    assert refused.startswith(f"wfm: error: Invalid value for --out-dir: '{read_only}' is not writable (")
    assert refused.endswith("); choose a writable folder")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["afile", *(["read-only"] if os.geteuid() else [])]
