"""Exports page: the batch runs recorded in the store, with their summaries and files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from tiny_center import tiny_config, tiny_history

from wfm.errors import DataError
from wfm.planning.batch import run_batch
from wfm.planning.export import EXPORT_FILES
from wfm.planning.store import Store


def hours(frame: pd.DataFrame, start: str, end: str) -> pd.Series:
    """Lengths in hours of the spans between two timestamp columns of an exported CSV."""
    return (pd.to_datetime(frame[end], utc=True) - pd.to_datetime(frame[start], utc=True)).dt.total_seconds() / 3600


def test_runs_summaries_and_files(page: Callable[..., AppTest], database: str, tmp_path: Path) -> None:
    app = page("exports")
    assert "No batch runs recorded yet" in app.info[0].value
    out = tmp_path / "out"
    with Store.open(database) as store:
        with pytest.raises(DataError, match="inside the history"):
            run_batch(tiny_history(), tiny_config(), out, store, week_start=dt.date(2026, 11, 9))
        run = run_batch(tiny_history(), tiny_config(), out, store)  # the tiny center's week 2026-W47, newest
    # The run's figures recounted from its export folder: paid hours are the shifts less their unpaid lunches, at
    # 20 an hour; coverage is 1 - under / required, interval by interval.
    folder = run.export_dir
    assert folder == out / "2026-W47" and run.exit_code == 0
    roster, breaks = pd.read_csv(folder / "roster.csv"), pd.read_csv(folder / "breaks.csv")
    assert set(breaks["kind"]) == {"lunch"} and not tiny_config().breaks["lunch"].paid
    paid = hours(roster, "shift_start", "shift_end").sum() - hours(breaks, "break_start", "break_end").sum()
    coverage = pd.read_csv(folder / "coverage.csv")
    under = (coverage["required"] - coverage["scheduled"]).clip(lower=0).sum()
    covered = 1 - under / coverage["required"].sum()
    (folder / "report.html").unlink()  # a file removed since the run

    app.run()
    assert not app.exception
    runs = app.dataframe[0].value
    assert runs["Week"].tolist() == ["2026-W47", "2026-W46"]
    assert runs["Status"].tolist() == ["ok", "failed"]
    # Figures for people: separators, units, the config's currency (USD unless set), one percent format.
    assert runs["Paid hours"].iloc[0] == f"{paid:,.0f} h" and runs["Cost"].iloc[0] == f"${20 * paid:,.0f}"
    assert runs["Coverage"].iloc[0] == f"{covered:.1%}"
    assert (runs[["Paid hours", "Cost", "Coverage"]].iloc[1] == "—").all()  # a failed run has no summary
    shown = {m.label: m.value for m in app.metric}
    assert shown["Paid hours"] == f"{paid:,.0f} h" and shown["Cost"] == f"${20 * paid:,.0f}"
    assert shown["Coverage"] == f"{covered:.1%}"
    assert app.success[0].value.startswith("Covered: ")  # the tiny week is fully covered
    # The whole summary reads as figures in words, not JSON.
    whole = next(d.value for d in app.dataframe if list(d.value.columns) == ["Figure", "Value"])
    assert whole.set_index("Figure").loc["Cost", "Value"] == f"${20 * paid:,.0f}"
    assert not app.get("json")
    # The channel table: the seasonal naive forecast repeats the history's last week of calls.
    history = tiny_history()
    last_week = history.loc[history["interval_start"] >= pd.Timestamp("2026-11-09", tz="Europe/London"), "volume"]
    channels = next(t.value for t in app.table if "voice" in t.value.columns).T
    assert channels.loc["voice", "Contacts"] == f"{last_week.sum():,.0f}"
    assert channels.loc["voice", "Forecast model"] == "Seasonal naive"
    kept = [folder / name for name in EXPORT_FILES if name != "report.html"]
    assert sorted(b.proto.label for b in app.get("download_button")) == sorted(
        f"{p.name} ({p.stat().st_size / 1024:,.0f} kB)" for p in kept)  # laid out in columns
    assert any("report.html: no longer on disk" in c.value for c in app.caption)
    app.selectbox(key="exp_run").set_value(app.selectbox(key="exp_run").options[1]).run()
    assert "inside the history" in app.error[0].value and "exit code 1" in app.error[0].value

