"""Dashboard fixtures: a short generated history, a fast config and a private database for every test."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from wfm.config import Config, load_config

PROJECT = Path(__file__).resolve().parents[2]
PAGES = PROJECT / "dashboard" / "pages"
FAST_CONFIG = Path(__file__).with_name("fast_config.toml")
#: Days of generated history: enough for a forecast (four weeks) and quick to read.
HISTORY_DAYS = 42


def _generator():  # noqa: ANN202 - a module loaded from data/generate.py
    spec = importlib.util.spec_from_file_location("wfm_sample_generator", PROJECT / "data" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def short_history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six weeks of the sample history, ending on Sunday 2026-11-15 (the planned week is 2026-W47)."""
    path = tmp_path_factory.mktemp("dashboard-data") / "history.csv"
    _generator().generate(days=HISTORY_DAYS).to_csv(path, index=False, date_format="%Y-%m-%dT%H:%M:%S%z")
    return path


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


@pytest.fixture()
def page() -> Callable[[str], AppTest]:
    """Run one page of the app (``page("staffing")``) and return its AppTest after the first run."""

    def run(name: str) -> AppTest:
        app = AppTest.from_file(str(PAGES / f"{name}.py"), default_timeout=120)
        app.run()
        return app

    return run
