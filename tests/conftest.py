"""Shared fixtures: the example config, and paths inside the project (never ../shared)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from wfm.config import Config, load_config  # noqa: E402

PROJECT = Path(__file__).resolve().parents[1]
EXAMPLE_CONFIG = PROJECT / "data" / "example.toml"


@pytest.fixture(scope="session")
def project() -> Path:
    """The project's root folder."""
    return PROJECT


@pytest.fixture(scope="session")
def example_toml() -> Path:
    """Path of the shipped example config."""
    return EXAMPLE_CONFIG


@pytest.fixture(scope="session")
def example_config() -> Config:
    """The shipped example config."""
    return load_config(EXAMPLE_CONFIG)
