"""``wfm scenario`` through the installed command, against a real SQLite store."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

from tiny_center import TINY_CONFIG, tiny_history

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
    assert TINY_CONFIG["channels"]["voice"]["service_level"] == 0.8  # the same center as the library tests
    return history, config


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

    compared = json.loads(wfm("scenario", "compare", "base", "busier", "--json", *db).stdout)
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
    assert done.returncode == 1
    assert done.stderr.strip() == ("wfm: error: what-if: channels.voice.shrinkage: must be in [0, 1), got 1.5")
