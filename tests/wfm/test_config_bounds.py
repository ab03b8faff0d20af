"""Issue 12, S4 and T1: infinite or absurd numbers and files that are not UTF-8 are one-line ConfigErrors."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from tiny_center import TINY_CONFIG

from wfm.config import load_config, parse_config
from wfm.errors import ConfigError

TINY_TOML = """\
timezone = "Europe/London"
# Café opening hours
[channels.voice]
kind = "voice"
service_level = 0.8
answer_seconds = 20
"""


@pytest.mark.parametrize(("key", "value", "message"), [
    ("answer_seconds", float("inf"), r"channels\.voice\.answer_seconds: must be a finite number, got inf"),
    ("answer_seconds", float("nan"), r"channels\.voice\.answer_seconds: must be a finite number, got nan"),
    ("answer_seconds", 1e6, r"channels\.voice\.answer_seconds: must be > 0 and at most 86400 \(a day\), in seconds, "
                            r"got 1e\+06"),
    ("patience_seconds", float("inf"), r"channels\.voice\.patience_seconds: must be a finite number, got inf"),
    ("concurrency", 1000, r"channels\.voice\.concurrency: input should be less than or equal to 100, got 1000"),
])
def test_queue_targets_are_finite_and_bounded(key: str, value: float, message: str) -> None:
    data = copy.deepcopy(TINY_CONFIG)
    data["channels"]["voice"][key] = value  # type: ignore[index]
    with pytest.raises(ConfigError, match=r"^tiny\.toml: " + message + "$"):
        parse_config(data, source="tiny.toml")


def test_every_number_of_the_config_is_finite() -> None:
    data = copy.deepcopy(TINY_CONFIG)
    data["shifts"][0]["cost_per_hour"] = float("inf")  # type: ignore[index]
    with pytest.raises(ConfigError, match=r"shifts\[0\]\.cost_per_hour: must be a finite number, got inf"):
        parse_config(data, source="tiny.toml")


def test_toml_infinity_is_refused_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "inf.toml"
    path.write_text(TINY_TOML.replace("answer_seconds = 20", "answer_seconds = inf"), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"inf\.toml: channels\.voice\.answer_seconds: must be a finite number"):
        load_config(path)


def test_latin1_config_names_the_file_line_and_fix(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(TINY_TOML.encode("latin-1"))
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value) == (f"{path}: line 2: byte 0xe9 is not UTF-8 text; save the config as UTF-8 "
                                 "(TOML files must be UTF-8)")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_utf16_config_is_refused_in_one_line(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "wide.toml"
    path.write_text(TINY_TOML, encoding=encoding)  # with a byte-order mark
    with pytest.raises(ConfigError, match=r"wide\.toml: the config is UTF-16 or UTF-32 text; save it as UTF-8$"):
        load_config(path)


def test_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_text(TINY_TOML, encoding="utf-8-sig")
    assert load_config(path).channels["voice"].answer_seconds == 20
