"""``wfm capacity`` through the installed command, on a short generated history."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd

Wfm = Callable[..., subprocess.CompletedProcess[str]]


def test_capacity_writes_the_plan_and_exits_0(wfm: Wfm, project: Path, tmp_path: Path) -> None:
    history = tmp_path / "history.csv"
    subprocess.run([sys.executable, str(project / "data" / "generate.py"), "--out", str(history), "--days", "56"],
                   check=True, capture_output=True)
    out = tmp_path / "capacity"
    done = wfm("capacity", "--history", str(history), "--config", str(project / "data" / "example.toml"),
               "--agents", str(project / "data" / "agents.csv"), "--weeks", "8", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith(str(out))
    assert "Weeks: 2026-W47 to 2027-W01 (8 weeks)" in done.stdout
    assert sorted(p.name for p in out.iterdir()) == ["capacity.csv", "capacity.html", "capacity.xlsx",
                                                    "capacity_summary.json"]
    plan = pd.read_csv(out / "capacity.csv")
    for column in ("week", "group", "required_fte", "available_fte", "hires_starting", "in_training",
                   "attrition_fte", "gap_fte", "total_cost"):
        assert column in plan.columns
    assert len(plan) == 8 * 2  # frontline and backoffice
    summary = json.loads((out / "capacity_summary.json").read_text())
    assert summary["weeks"] == 8 and summary["currency"] == "GBP"
    assert {m["model"] for m in summary["forecast_methods"]} == {"level+weekday"}  # 8 weeks: no trend or yearly season
    assert "Forecast: chat, email and voice at their recent level (under a year of history" in done.stdout
