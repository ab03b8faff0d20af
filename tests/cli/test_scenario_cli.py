"""``wfm scenario`` through the installed command, against a real SQLite store."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest
from tiny_center import erlang_c_agents, erlang_c_service_level, shrunk, tiny_history

from wfm.io import write_frame

Wfm = Callable[..., subprocess.CompletedProcess[str]]


def write_tiny(tmp_path: Path) -> tuple[Path, Path]:
    history = write_frame(tiny_history(), tmp_path / "history.csv")
    config = tmp_path / "tiny.toml"
    lines = ['timezone = "Europe/London"', "shrinkage = 0.2",
             "[channels.voice]", 'kind = "voice"', "service_level = 0.8", "answer_seconds = 20",
             "max_occupancy = 0.9", "[groups.team]", 'channels = ["voice"]', "[[shifts]]", 'name = "day"',
             'group = "team"', 'earliest_start = "07:00"', 'latest_start = "11:00"', "start_step_minutes = 60",
             "lengths_hours = [8]", "cost_per_hour = 20.0", "[forecast]", 'model = "seasonal_naive"']
    config.write_text("\n".join(lines) + "\n")
    return history, config


def expected_figures(volume_factor: Fraction, service_level: str) -> dict[str, float]:
    """A scenario's staffing figures worked out without wfm: the seasonal naive forecast repeats the history's
    last Monday-to-Friday (weekends closed), each interval is sized with the textbook Erlang C (AHT 240 s,
    15 minutes, answer in 20 s, occupancy cap 0.9) and 20% shrinkage; 37.5 paid hours a week are one FTE, an
    hour costs 20, and the service level is the volume-weighted mean of the intervals'."""
    history = tiny_history()
    monday = history[history["interval_start"].dt.date == pd.Timestamp("2026-11-09").date()]
    calls = [Fraction(v) * volume_factor for v in monday["volume"]]
    agents = [erlang_c_agents(c, 240, 15, service_level, 20, "0.9") for c in calls]
    levels = [float(erlang_c_service_level(a, c * 240 / 900, Fraction(240), Fraction(20)))
              for a, c in zip(agents, calls, strict=True)]
    required_hours = 5 * sum(shrunk(a, "0.2") for a in agents) / 4
    return {"productive_agent_hours": 5 * sum(agents) / 4, "required_agent_hours": required_hours,
            "required_fte": required_hours / 37.5, "cost": 20 * required_hours,
            "projected_service_level": sum(float(c) * v for c, v in zip(calls, levels, strict=True))
            / float(sum(calls))}


def test_create_list_show_compare_delete(wfm: Wfm, tmp_path: Path) -> None:
    history, config = write_tiny(tmp_path)
    db = ["--database", f"sqlite:///{tmp_path / 'wfm.db'}"]
    base = wfm("scenario", "create", "base", "--history", str(history), "--config", str(config), *db)
    assert base.returncode == 0, base.stderr
    assert "saved scenario 'base' (version 1)" in base.stdout
    busier = wfm("scenario", "create", "busier", "--history", str(history), "--config", str(config),
                 "--volume-pct", "25", "--service-level", "0.9", "--description", "winter peak", *db)
    assert busier.returncode == 0, busier.stderr

    listed = json.loads(wfm("scenario", "list", "--json", *db).stdout)
    assert [row["name"] for row in listed] == ["base", "busier"]
    assert listed[1]["modifiers"] == {"volume_pct": 25.0, "service_level": 0.9}

    shown = json.loads(wfm("scenario", "show", "busier", "--json", *db).stdout)
    assert shown["description"] == "winter peak" and shown["results"]["cost_basis"] == "estimate"
    # The busier week: 25% more calls answered 90% in 20 s need 420 productive, 540 required agent-hours.
    busier_expected = expected_figures(Fraction(5, 4), "0.9")
    assert (busier_expected["productive_agent_hours"], busier_expected["required_agent_hours"]) == (420, 540)
    for key in ("productive_agent_hours", "required_agent_hours", "required_fte", "cost", "projected_service_level"):
        assert shown["results"][key] == pytest.approx(busier_expected[key], rel=1e-9), key

    compared = json.loads(wfm("scenario", "compare", "base", "busier", "--json", *db).stdout)
    # The base week: 315 productive and 410 required agent-hours (10.93 FTE, 8,200 at 20 an hour).
    base_expected = expected_figures(Fraction(1), "0.8")
    assert (base_expected["productive_agent_hours"], base_expected["required_agent_hours"]) == (315, 410)
    for name, expected in (("base", base_expected), ("busier", busier_expected)):
        for key in ("required_fte", "cost", "projected_service_level"):
            assert compared[name][key] == pytest.approx(expected[key], rel=1e-9), (name, key)
    assert compared["busier"]["required_fte"] > compared["base"]["required_fte"]
    assert compared["busier"]["projected_service_level"] > compared["base"]["projected_service_level"]

    # Without --database the store is the config's [storage] url.
    with_config = tmp_path / "with_store.toml"
    with_config.write_text(config.read_text() + f'[storage]\nurl = "sqlite:///{tmp_path / "wfm.db"}"\n')
    listed_by_config = json.loads(wfm("scenario", "list", "--json", "--config", str(with_config)).stdout)
    assert [row["name"] for row in listed_by_config] == ["base", "busier"]

    assert wfm("scenario", "delete", "base", *db).returncode == 0
    missing = wfm("scenario", "show", "base", *db)
    assert missing.returncode == 1
    assert missing.stderr.strip().startswith("wfm: error: scenario 'base' not found")
    assert "known: busier" in missing.stderr


def test_bad_modifier_is_refused_before_forecasting(wfm: Wfm, tmp_path: Path) -> None:
    history, config = write_tiny(tmp_path)
    done = wfm("scenario", "create", "x", "--history", str(history), "--config", str(config), "--shrinkage", "1.5",
               "--database", f"sqlite:///{tmp_path / 'wfm.db'}")
    assert done.returncode == 2
    assert done.stderr.strip() == "wfm: error: Invalid value for --shrinkage: must be in [0, 1), got 1.5"
