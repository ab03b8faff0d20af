"""The TOML config: the example parses, every mistake names its key path and the fix."""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from wfm.config import Config, edit_forecast_settings, load_config, parse_config
from wfm.errors import ConfigError


@pytest.fixture()
def raw(example_toml: Path) -> dict[str, Any]:
    return tomllib.loads(example_toml.read_text())


def test_example_config_is_complete(example_config: Config) -> None:
    assert set(example_config.channels) == {"voice", "chat", "email"}
    voice = example_config.channels["voice"]
    assert (voice.kind, voice.service_level, voice.answer_seconds, voice.max_occupancy) == ("voice", 0.8, 20, 0.85)
    assert example_config.channels["chat"].concurrency == 2
    assert example_config.channels["email"].response_hours == 8
    assert example_config.timezone == "Europe/London"
    assert example_config.group_of("chat") == "frontline"
    assert example_config.channel_shrinkage("voice") == 0.30
    assert [b.name for b in example_config.break_rules(example_config.shifts[0])] == ["lunch", "rest"]


def test_config_is_frozen(example_config: Config) -> None:
    with pytest.raises(ValueError, match="frozen"):
        example_config.channels["voice"].service_level = 0.9  # type: ignore[misc]


MISTAKES: list[tuple[Callable[[dict[str, Any]], None], str]] = [
    (lambda d: d["channels"]["voice"].update(service_level=1.5),
     r"channels\.voice\.service_level: must be in \(0, 1\), got 1\.5"),
    (lambda d: d["channels"]["voice"].pop("answer_seconds"), r"channels\.voice\.answer_seconds: required"),
    (lambda d: d["channels"]["email"].pop("response_hours"), r"channels\.email\.response_hours: required"),
    (lambda d: d["channels"]["voice"].update(kind="phone"), r"channels\.voice\.kind: input should be 'voice'"),
    (lambda d: d["channels"]["voice"].update(servicelevel=0.8), r"channels\.voice\.servicelevel: unknown key"),
    (lambda d: d["channels"]["voice"].update(max_occupancy=0), r"channels\.voice\.max_occupancy: must be in \(0, 1\]"),
    (lambda d: d["channels"]["voice"].update(concurrency=2), r"channels\.voice\.concurrency: only chat"),
    (lambda d: d["channels"]["email"].update(patience_seconds=60), r"channels\.email\.patience_seconds"),
    (lambda d: d.update(timezone="Mars/Base"), r"timezone: unknown IANA timezone 'Mars/Base'"),
    (lambda d: d.pop("timezone"), r"timezone: required key is missing"),
    (lambda d: d.update(interval_minutes=7), r"interval_minutes: must divide a day"),
    (lambda d: d.update(shrinkage=1.2), r"shrinkage: must be in \[0, 1\), got 1\.2"),
    (lambda d: d["groups"]["frontline"].update(channels=["voice", "sms"]),
     r"groups\.frontline\.channels: unknown channel 'sms'"),
    (lambda d: d["groups"]["backoffice"].update(channels=["email", "chat"]), r"groups: channel 'chat' is served"),
    (lambda d: d["shifts"][0].update(group="night"), r"shifts\[0\]\.group: unknown staff group 'night'"),
    (lambda d: d["shifts"][0].update(earliest_start="25:00"), r"shifts\[0\]\.earliest_start: must be a clock"),
    (lambda d: d["shifts"][0].update(breaks=["siesta"]), r"shifts\[0\]\.breaks: unknown break rule 'siesta'"),
    (lambda d: d["shifts"][0].update(start_step_minutes=20), r"shifts\[0\]\.start_step_minutes: must be a multiple"),
    (lambda d: d["solver"].update(backend="gurobi"), r"solver\.backend: input should be 'auto', 'cbc' or 'highs'"),
    (lambda d: d["breaks"]["lunch"].update(latest_after_hours=1), r"breaks\.lunch\.latest_after_hours: must be >="),
]


@pytest.mark.parametrize(("mistake", "message"), MISTAKES)
def test_mistakes_name_the_key_and_fix(raw: dict[str, Any], mistake: Callable[[dict[str, Any]], None],
                                        message: str) -> None:
    data = copy.deepcopy(raw)
    mistake(data)
    with pytest.raises(ConfigError, match=r"^wfm\.toml: " + message):
        parse_config(data, source="wfm.toml")


def test_missing_file_and_bad_toml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "absent.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("timezone = 'Europe/London'\n[channels.voice\n")
    with pytest.raises(ConfigError, match=r"bad\.toml: not valid TOML"):
        load_config(bad)


def test_minimal_config_gets_defaults() -> None:
    config = parse_config({"timezone": "UTC", "channels": {"voice": {"kind": "voice", "service_level": 0.8,
                                                                     "answer_seconds": 20}}})
    assert config.interval_minutes == 15
    assert config.solver.backend == "auto"
    assert config.storage.url is None  # the store's default applies (wfm.planning.store.resolve_url)
    assert config.channels["voice"].max_occupancy == 1.0


def test_forecast_settings_edit_keeps_the_text_and_checks_like_the_loader(example_toml: Path) -> None:
    text = example_toml.read_text(encoding="utf-8")
    edited, config = edit_forecast_settings(text, {"model": "ets", "country": None, "outlier_dates": ["2026-03-02"],
                                                   "events": [{"name": "sale", "start": "2026-12-26",
                                                               "end": "2026-12-28", "uplift": 0.25}]})
    assert config.forecast.model == "ets" and config.forecast.country is None
    assert [e.name for e in config.forecast.events] == ["sale"]
    # Everything else is the same text: the other tables and the expert's comments stay as written.
    assert edited.split("[forecast]")[0] == text.split("[forecast]")[0]
    assert "# Solver:" in edited
    assert load_config(example_toml).solver == config.solver
    with pytest.raises(ConfigError, match=r"forecast\.backtest_folds: input should be greater than 0, got 0"):
        edit_forecast_settings(text, {"backtest_folds": 0})
    with pytest.raises(ConfigError, match=r"forecast\.events\[0\]\.end: must be on or after start"):
        edit_forecast_settings(text, {"events": [{"name": "x", "start": "2026-01-02", "end": "2026-01-01"}]})
    with pytest.raises(ConfigError, match=r"forecast\.colour: unknown setting"):
        edit_forecast_settings(text, {"colour": "red"})
