"""Dashboard fixtures: a short generated history, a fast config and a private database for every test."""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from wfm.config import Config, load_config

PROJECT = Path(__file__).resolve().parents[2]
APP = PROJECT / "dashboard" / "app.py"
FAST_CONFIG = Path(__file__).with_name("fast_config.toml")
#: Days of generated history: enough for a forecast (four weeks) and quick to read.
HISTORY_DAYS = 42


@pytest.fixture(scope="session")
def write_sample(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """Write a sample history with ``data/generate.py`` (``write_sample(end=..., days=...)``); returns its path."""
    spec = importlib.util.spec_from_file_location("wfm_sample_generator", PROJECT / "data" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    def write(**options: object) -> Path:
        path = tmp_path_factory.mktemp("dashboard-data") / "history.csv"
        module.generate(**options).to_csv(path, index=False, date_format="%Y-%m-%dT%H:%M:%S%z")
        return path

    return write


@pytest.fixture(scope="session")
def short_history(write_sample: Callable[..., Path]) -> Path:
    """Six weeks of the sample history, ending on Sunday 2026-11-15 (the planned week is 2026-W47)."""
    return write_sample(days=HISTORY_DAYS)


@pytest.fixture(scope="session")
def fast_config() -> Config:
    """The config the app uses in these tests."""
    return load_config(FAST_CONFIG)


@pytest.fixture(scope="session", autouse=True)
def dashboard_inputs(short_history: Path) -> Iterator[dict[str, str]]:
    """Point the app at the short history and the fast config (what ``WFM_DASHBOARD_*`` are for)."""
    values = {"WFM_DASHBOARD_HISTORY": str(short_history), "WFM_DASHBOARD_CONFIG": str(FAST_CONFIG)}
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    yield values
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(autouse=True)
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh SQLite store per test."""
    url = f"sqlite:///{tmp_path / 'wfm.db'}"
    monkeypatch.setenv("WFM_DATABASE_URL", url)
    return url


@pytest.fixture(autouse=True)
def main_module() -> Iterator[None]:
    """Give back the real ``__main__`` after a test: AppTest leaves the app script installed there."""
    saved = sys.modules["__main__"]
    yield
    sys.modules["__main__"] = saved


@pytest.fixture()
def page() -> Callable[..., AppTest]:
    """Open the app on one page (``page("staffing")``), with optional session state; returns it after a run.

    The app runs from ``dashboard/app.py`` as in production, so its router and its ``__main__`` guard are
    exercised too.
    """

    def run(name: str, **state: object) -> AppTest:
        app = AppTest.from_file(str(APP), default_timeout=300)  # a shared 2-core machine can be slow
        for key, value in state.items():
            app.session_state[key] = value
        app.switch_page(f"views/{name}.py")
        app.run()
        return app

    return run
