"""Errors in the dashboard's terms: a library failure ends the page's status and says what to do on the page,
never a command-line flag (issue 13, point 6)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import common
from forecasting.backtest import fold_origins
from wfm.config import load_config
from wfm.errors import SolverError, WfmError
from wfm.io import read_history
from wfm.planning import plan

FLAG = re.compile(r"--[a-z][a-z-]*")


def raised(action: Callable[[], object]) -> str:
    """The message of the WfmError ``action`` raises."""
    with pytest.raises(WfmError) as caught:
        action()
    return str(caught.value)


def test_command_line_fixes_are_said_in_the_dashboards_terms(tmp_path: Path) -> None:
    naive = tmp_path / "naive.csv"
    naive.write_text("channel,interval_start,volume\nvoice,2026-11-02 09:00,10\n")
    messages = {
        "folds": raised(lambda: fold_origins(30, 4, 14, "voice")),
        "config": raised(lambda: load_config(tmp_path / "missing.toml")),
        "interval": raised(lambda: read_history(naive)),
        "timezone": raised(lambda: read_history(naive, interval_minutes=15)),
    }
    for name, message in messages.items():
        assert FLAG.search(message), f"{name}: the library's message names a flag ({message})"
        shown = common.in_dashboard_terms(message)
        assert not FLAG.search(shown), f"{name}: {shown}"
        assert "Data page" in shown or "Forecast settings" in shown, shown
    assert "fewer Backtest folds (Forecast settings, on the Forecast page)" in common.in_dashboard_terms(
        messages["folds"])


def test_a_failed_solve_ends_its_status_and_says_what_to_do(page: Callable[..., AppTest],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    def no_schedule(*_: object, **__: object) -> None:  # the solver's own failure, as scheduling.solve words it
        raise SolverError("the cbc solver found no schedule within 5 s (no_solution); raise the time limit "
                          "(--time-limit) or try the other solver")

    monkeypatch.setattr(plan, "solve_schedule", no_schedule)
    app = page("schedule")
    app.button(key="sched_solve").click().run()
    assert not app.exception
    [error] = app.error
    assert "raise the time limit (solver.time_limit_seconds in the config, on the Data page)" in error.value
    assert not FLAG.search(error.value)
    states = [status.state for status in app.status]  # the forecast's, then the planning's
    assert states[-1] == "error" and "running" not in states  # the planning status ends: no spinner left
