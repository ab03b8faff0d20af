"""``wfm plan`` end to end through the installed command: the export, its atomicity, errors, the run record."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

from wfm.planning.store import Store

Wfm = Callable[..., subprocess.CompletedProcess[str]]
EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "example.toml"
FILES = ["breaks.csv", "coverage.csv", "forecast.csv", "report.html", "requirements.csv", "roster.csv",
         "schedule.xlsx", "summary.json", "unassigned.csv", "unmet.csv"]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory, project: Path) -> Path:
    """Nine weeks of the bundled sample history (the generator, shortened for speed)."""
    path = tmp_path_factory.mktemp("sample") / "sample_history.csv"
    subprocess.run([sys.executable, str(project / "data" / "generate.py"), "--out", str(path), "--days", "63"],
                   check=True, capture_output=True)
    return path


def fingerprint(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def plan_args(sample: Path, out: Path) -> list[str]:
    return ["plan", "--history", str(sample), "--config", str(EXAMPLE), "--out", str(out), "--model",
            "seasonal_naive", "--time-limit", "8"]


def test_plans_exports_records_and_survives_a_kill(wfm: Wfm, wfm_argv: list[str], sample: Path, tmp_path: Path,
                                                   ) -> None:
    out = tmp_path / "exports"
    env_db = tmp_path / "runs.db"
    os.environ["WFM_DATABASE_URL"] = f"sqlite:///{env_db}"
    try:
        done = wfm(*plan_args(sample, out))
    finally:
        del os.environ["WFM_DATABASE_URL"]
    week = out / "2026-W47"
    assert done.stdout.strip() == str(week), done.stderr
    assert sorted(p.name for p in week.iterdir()) == FILES
    summary = json.loads((week / "summary.json").read_text())
    # Exit 3 exactly when the schedule left intervals short of the requirement.
    assert done.returncode == (3 if summary["unmet_intervals"] else 0), done.stderr
    for stage in ("forecast done in", "staffing done in", "schedule done in", "exported"):
        assert stage in done.stderr
    assert {c["channel"] for c in summary["channels"]} == {"voice", "chat", "email"}
    assert sum(c["required_agent_hours"] for c in summary["channels"]) == pytest.approx(
        summary["required_agent_hours"])
    assert summary["paid_hours"] > summary["required_agent_hours"] * 0.9
    book = load_workbook(week / "schedule.xlsx", read_only=True)
    assert book.sheetnames[:3] == ["Summary", "Week", "Mon 2026-11-16"] and len(book.sheetnames) == 9
    assert "Plan for 2026-W47" in (week / "report.html").read_text()
    with Store.open(f"sqlite:///{env_db}") as store:
        run = store.list_runs()[0]
    assert (run.week, run.status, run.exit_code) == ("2026-W47", "ok", done.returncode)
    assert run.summary["paid_hours"] == summary["paid_hours"]

    # A run killed mid-way leaves the previous export untouched.
    before = fingerprint(week)
    env = {**os.environ, "WFM_DATABASE_URL": f"sqlite:///{env_db}"}
    with subprocess.Popen([*wfm_argv, *plan_args(sample, out)], stderr=subprocess.PIPE, text=True, env=env,
                          cwd=tmp_path) as process:
        assert process.stderr is not None
        deadline = time.monotonic() + 120
        for line in process.stderr:
            if "schedule: solving" in line or time.monotonic() > deadline:
                break
        time.sleep(1.0)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert fingerprint(week) == before

    # Re-running the same week replaces it atomically and cleans up what the killed run left.
    again = wfm(*plan_args(sample, out), "--week", "2026-W47")
    assert again.returncode in (0, 3), again.stderr
    assert sorted(p.name for p in out.iterdir()) == ["2026-W47"]
    assert sorted(p.name for p in week.iterdir()) == FILES


def test_bad_input_is_one_line_naming_file_line_and_field(wfm: Wfm, tmp_path: Path) -> None:
    history = tmp_path / "history.csv"
    history.write_text("channel,interval_start,volume,aht_seconds\nvoice,2026-07-06 08:00,12,200\n"
                       "voice,2026-07-06 08:15,-4,200\n")
    done = wfm("plan", "--history", str(history), "--config", str(EXAMPLE), "--out", str(tmp_path / "out"))
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == (f"wfm: error: {history}: line 3: volume: must be >= 0, got -4; "
                                                   "a volume counts contacts offered in the interval")
    assert "Traceback" not in done.stderr
    assert list((tmp_path / "out").iterdir()) == []  # nothing exported


def test_usage_errors_exit_2(wfm: Wfm, tmp_path: Path) -> None:
    done = wfm("plan", "--config", str(EXAMPLE), "--out", str(tmp_path))
    assert done.returncode == 2 and "Missing option '--history'" in done.stderr
    bad_week = wfm("plan", "--history", "h.csv", "--config", str(EXAMPLE), "--out", str(tmp_path), "--week", "48")
    assert bad_week.returncode == 2
    assert bad_week.stderr.strip() == ("wfm: error: Invalid value for --week: '48' is not an ISO week; "
                                       "write it as YYYY-Www, e.g. 2026-W48")
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    bad_out = wfm("plan", "--history", "h.csv", "--config", str(EXAMPLE), "--out", str(blocked / "exports"))
    assert bad_out.returncode == 2 and "Invalid value for --out: cannot create" in bad_out.stderr
    assert "Traceback" not in bad_out.stderr


def test_a_group_without_history_is_one_error_line(wfm: Wfm, sample: Path, tmp_path: Path) -> None:
    history = tmp_path / "no_email.csv"
    history.write_text("".join(line for line in sample.read_text().splitlines(keepends=True)
                               if not line.startswith("email,")))
    done = wfm(*plan_args(history, tmp_path / "out"), "--database", f"sqlite:///{tmp_path / 'runs.db'}")
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip().splitlines()[-1] == (
        "wfm: error: history: no rows for any channel of staff group 'backoffice' ('email'), so the group would be "
        "planned with no demand at all; add their history, or remove [groups.backoffice] and its channels from the "
        "config")


def test_warnings_print_as_one_line(tmp_path: Path) -> None:
    # A command that warns, run through the real entry point in its own process.
    script = ("import warnings, click\nfrom wfm.cli import cli, main\nfrom wfm.errors import WfmWarning\n"
              "@cli.command('warn')\ndef warn():\n    warnings.warn('history: no rows for\\nchat', WfmWarning)\n"
              "main(['warn'])\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "wfm: warning: history: no rows for\\nchat\n"
