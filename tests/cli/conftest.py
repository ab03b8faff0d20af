"""Run the installed ``wfm`` console script, as a user or a cron job would."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest


def wfm_command() -> list[str]:
    """The installed console script, as an argument list."""
    script = Path(sys.executable).with_name("wfm")
    if script.exists():
        return [str(script)]
    found = shutil.which("wfm")
    if found is None:
        pytest.fail("the wfm console script is not installed; run `pip install -e .` (make test does)")
    return [found]


@pytest.fixture()
def wfm_argv() -> list[str]:
    """The installed ``wfm`` console script as an argument list, for tests that drive the process themselves."""
    return wfm_command()


@pytest.fixture()
def wfm(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Call the installed ``wfm`` with arguments; returns the completed process (text output)."""

    def run(*args: str, cwd: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*wfm_command(), *args], capture_output=True, text=True, cwd=cwd or tmp_path,
                              timeout=timeout, check=False)

    return run
