"""``wfm erlang`` through the installed console script."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable

import pytest

Wfm = Callable[..., subprocess.CompletedProcess[str]]
CLASSIC = ("erlang", "--calls", "100", "--aht-seconds", "180", "--interval-minutes", "30", "--service-level", "0.8",
           "--answer-seconds", "20")


def test_sizes_the_classic_case_as_json(wfm: Wfm) -> None:
    done = wfm(*CLASSIC, "--shrinkage", "0.3", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert set(result) == {"erlangs", "agents", "scheduled_agents", "service_level", "asa_seconds", "p_wait",
                           "occupancy"}
    assert (result["agents"], result["scheduled_agents"]) == (14, 20)
    assert result["service_level"] == pytest.approx(0.88835, abs=5e-6)
    assert result["asa_seconds"] == pytest.approx(7.836, abs=5e-4)


def test_reports_a_given_headcount_with_erlang_a(wfm: Wfm) -> None:
    done = wfm(*CLASSIC, "--agents", "14", "--patience-seconds", "300", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["agents"] == 14
    assert result["p_wait"] == pytest.approx(0.14526, abs=5e-6)
    assert result["p_abandon"] == pytest.approx(0.013984, abs=5e-7)


def test_unstable_headcount_reports_null_asa(wfm: Wfm) -> None:
    result = json.loads(wfm(*CLASSIC, "--agents", "9", "--json").stdout)
    assert (result["service_level"], result["asa_seconds"], result["p_wait"]) == (0.0, None, 1.0)


def test_human_output(wfm: Wfm) -> None:
    done = wfm(*CLASSIC, "--shrinkage", "0.3")
    assert "productive agents" in done.stdout and "14" in done.stdout
    assert "scheduled agents (shrinkage 30%)" in done.stdout


@pytest.mark.parametrize(("args", "message"), [
    (("--service-level", "1.5"), "Invalid value for --service-level: must be in (0, 1), got 1.5"),
    (("--calls", "-5"), "Invalid value for --calls: must be >= 0, got -5"),
    (("--shrinkage", "1"), "Invalid value for --shrinkage: must be in [0, 1), got 1"),
    (("--calls", "many"), "Invalid value for '--calls': 'many' is not a valid float."),
])
def test_invalid_input_is_one_line_without_traceback(wfm: Wfm, args: tuple[str, ...], message: str) -> None:
    base = list(CLASSIC)
    for flag, value in zip(args[::2], args[1::2], strict=True):
        if flag in base:
            base[base.index(flag) + 1] = value
        else:
            base += [flag, value]
    done = wfm(*base)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [f"wfm: error: {message}"]
    assert "Traceback" not in done.stderr
