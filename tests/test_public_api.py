"""The library's public surface: what ``wfm`` exports is what the README documents, and the README's example runs."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import wfm

PROJECT = Path(__file__).resolve().parents[1]


def library_section() -> str:
    text = (PROJECT / "README.md").read_text(encoding="utf-8")
    return text.split("## Use as a library", 1)[1].split("\n## ", 1)[0]


def test_exports_are_what_the_readme_documents() -> None:
    table = [line for line in library_section().splitlines() if line.startswith("| `")]
    documented = {name for line in table for name in re.findall(r"`(\w+)`", line.split("|")[1])}
    assert documented == set(wfm.__all__)


def test_every_export_resolves_and_is_listed() -> None:
    for name in wfm.__all__:
        assert getattr(wfm, name) is not None, name
    assert set(wfm.__all__) <= set(dir(wfm))
    with pytest.raises(AttributeError, match="no attribute 'pipeline'"):
        _ = wfm.pipeline


def test_importing_wfm_loads_no_stage() -> None:
    # The command line imports wfm.* for every command: the heavy stages load only when used.
    code = ("import sys, wfm, wfm.errors, wfm.cli\n"
            "print(sorted(m for m in ('forecasting', 'scheduling', 'prophet') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.slow
def test_readme_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    example = re.search(r"```python\n(.*?)```", library_section(), re.S)
    assert example is not None
    (tmp_path / "data").mkdir()
    shutil.copy(PROJECT / "data" / "example.toml", tmp_path / "data" / "example.toml")
    subprocess.run([sys.executable, str(PROJECT / "data" / "generate.py"), "--out",
                    str(tmp_path / "data" / "sample_history.csv"), "--days", "63"], check=True, capture_output=True)
    monkeypatch.chdir(tmp_path)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(example.group(1), "README.md", "exec"), {"__name__": "readme"})
    lines = printed.getvalue().splitlines()
    # Known answer (FACTS.md): 14 agents give 88.835%; 14 / (1 - 0.3) = 20 to schedule.
    assert lines[0] == "14 20 88.8%"
    assert re.fullmatch(r"[\d,]+ paid hours, coverage \d+\.\d%, solver (optimal|feasible)", lines[1])
    assert "required_agent_hours" in lines[2]
