"""The export folder: complete, and published in one step so a failure leaves the previous export as it was."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import pytest
from tiny_center import tiny_config, tiny_history

from wfm.errors import DataError, StoreError
from wfm.planning import batch, export
from wfm.planning.accuracy import accuracy_record
from wfm.planning.plan import Plan, plan_week
from wfm.planning.store import RunRecord, Store


@pytest.fixture(scope="module")
def plan() -> Plan:
    return plan_week(tiny_history(), tiny_config())


def fingerprint(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_export_is_complete(plan: Plan, tmp_path: Path) -> None:
    target = export.export_plan(plan, tiny_history(), tmp_path)
    assert target == tmp_path / "2026-W47"
    assert sorted(p.name for p in target.iterdir()) == sorted(export.EXPORT_FILES)


def test_a_failure_while_writing_leaves_the_previous_export(plan: Plan, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    target = export.export_plan(plan, tiny_history(), tmp_path)
    before = fingerprint(target)
    (target / "summary.json").touch()  # the export in place is the one to keep

    def broken(*_: object) -> str:
        raise OSError(28, "No space left on device", "report.html")

    monkeypatch.setattr(export, "report_html", broken)
    with pytest.raises(DataError, match=r"cannot write the export \(No space left on device: report\.html\); "
                                        r"pass a writable folder with free space"):
        export.export_plan(plan, tiny_history(), tmp_path)
    assert fingerprint(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026-W47"]  # no staging folder left behind


def test_a_rerun_replaces_the_export_in_one_step(plan: Plan, tmp_path: Path) -> None:
    first = export.export_plan(plan, tiny_history(), tmp_path)
    (first / "stale.txt").write_text("from an older run")
    second = export.export_plan(plan, tiny_history(), tmp_path)
    assert second == first and not (second / "stale.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026-W47"]


# -- the run and its export succeed or fail together (issue 12, P1) ---------------------------------------------

def previous_export(plan: Plan, out: Path) -> dict[str, str]:
    """An export of the week already in place, marked so that a new one would differ; its fingerprint."""
    target = export.export_plan(plan, tiny_history(), out)
    (target / "previous.txt").write_text("the export planners use now")
    return fingerprint(target)


def failing_finish(store: Store, monkeypatch: pytest.MonkeyPatch, fail: set[str]) -> list[str]:
    """Make ``store.finish_run`` fail with a locked database for the given statuses; returns the statuses tried."""
    real = store.finish_run
    tried: list[str] = []

    def finish_run(run_id: int, status: Literal["ok", "failed"], *args: Any, **kwargs: Any) -> RunRecord:
        tried.append(status)
        if status in fail:
            raise StoreError(f"{store.url}: cannot record the end of the run: database is locked; try again")
        return real(run_id, status, *args, **kwargs)

    monkeypatch.setattr(store, "finish_run", finish_run)
    return tried


def test_a_run_that_cannot_be_recorded_keeps_the_previous_export(plan: Plan, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    before = previous_export(plan, tmp_path / "out")
    with Store.open(f"sqlite:///{tmp_path / 'wfm.db'}") as store:
        tried = failing_finish(store, monkeypatch, {"ok"})
        with pytest.raises(StoreError, match=r"database is locked; try again; the new export of 2026-W47 was "
                                             r"withdrawn and the previous one kept$"):
            batch.publish_plan(plan, tiny_history(), tmp_path / "out", store)
        assert tried == ["ok", "failed"]
        (run,) = store.list_runs()
        assert (run.status, run.exit_code) == ("failed", 1) and run.message is not None
        assert "the previous one kept" in run.message
    assert fingerprint(tmp_path / "out" / "2026-W47") == before
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["2026-W47"]  # no staging folder left


def test_a_first_export_that_cannot_be_recorded_is_withdrawn(plan: Plan, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    with Store.open(f"sqlite:///{tmp_path / 'wfm.db'}") as store:
        failing_finish(store, monkeypatch, {"ok", "failed"})
        with pytest.raises(StoreError, match="withdrawn"):
            batch.publish_plan(plan, tiny_history(), tmp_path / "out", store)
        # Neither end could be recorded: the run stays running while this process lives, abandoned after.
        assert store.list_runs()[0].status == "running"
    assert list((tmp_path / "out").iterdir()) == []


def test_a_store_locked_past_its_timeout_keeps_the_previous_export(plan: Plan, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The probe: another process holds the store's write lock while the run ends."""
    before = previous_export(plan, tmp_path / "out")
    monkeypatch.setattr("wfm.planning.store._BUSY_TIMEOUT_MS", 200)
    path = tmp_path / "wfm.db"
    with Store.open(f"sqlite:///{path}") as store:
        started = store.start_run

        def start_then_lock(*args: Any, **kwargs: Any) -> int:
            run_id = started(*args, **kwargs)
            holder.execute("BEGIN IMMEDIATE")
            return run_id

        holder = sqlite3.connect(path, isolation_level=None)
        monkeypatch.setattr(store, "start_run", start_then_lock)
        try:
            with pytest.raises(StoreError, match="database is locked.*the previous one kept"):
                batch.publish_plan(plan, tiny_history(), tmp_path / "out", store)
        finally:
            holder.close()
        assert store.list_runs()[0].status == "running"
    assert fingerprint(tmp_path / "out" / "2026-W47") == before


def test_a_recorded_run_publishes_its_export(plan: Plan, tmp_path: Path) -> None:
    previous_export(plan, tmp_path / "out")
    with Store.open(f"sqlite:///{tmp_path / 'wfm.db'}") as store:
        run = batch.publish_plan(plan, tiny_history(), tmp_path / "out", store)
        assert store.get_run(run.run_id).status == "ok"
    assert sorted(p.name for p in run.export_dir.iterdir()) == sorted(export.EXPORT_FILES)


def test_each_day_sheet_lists_each_shifts_own_breaks(plan: Plan, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    target = export.export_plan(plan, tiny_history(), tmp_path)
    book = load_workbook(target / "schedule.xlsx")
    days = [name for name in book.sheetnames if name not in ("Summary", "Week")]
    assert len(days) == 5  # the tiny center works Monday to Friday
    for name in days:
        rows = list(book[name].iter_rows(values_only=True))
        header = rows[0]
        for row in rows[1:]:
            cells = dict(zip(header, row, strict=True))
            start, end = cells["shift_start"], cells["shift_end"]
            # The tiny center's shifts are 8 hours, one 30-minute lunch each, all within one day.
            assert len(start) == len(end) == 5 and int(end[:2]) - int(start[:2]) == 8
            (lunch,) = cells["breaks"].split(", ")
            kind, times = lunch.split(" ")
            begins, ends = times.split("-")
            assert kind == "lunch" and start <= begins < ends <= end


def test_a_published_plan_records_its_forecast_and_reports_last_weeks_accuracy(plan: Plan, tmp_path: Path) -> None:
    history = tiny_history()
    # A forecast of week 46 that was exactly right (the history itself, band included).
    last_week = history[history["interval_start"] >= pd.Timestamp("2026-11-09", tz="Europe/London")]
    perfect = last_week.assign(volume_lo=last_week["volume"], volume_hi=last_week["volume"], model="exact")
    with Store.open(f"sqlite:///{tmp_path / 'wfm.db'}") as store:
        run = store.start_run("2026-W46", {"timezone": "Europe/London"}, tmp_path / "old")
        store.finish_run(run, "ok", {}, 0, forecast=perfect)
        published = batch.publish_plan(plan, history, tmp_path / "out", store)
        issued = store.issued_forecasts(["2026-W47"])
    assert [(one.week, one.run_id) for one in issued] == [("2026-W47", published.run_id)]
    columns = ["channel", "interval_start", "volume", "volume_lo", "volume_hi", "model"]
    pd.testing.assert_frame_equal(issued[0].frame, plan.forecast.frame[columns].reset_index(drop=True))
    report = (published.export_dir / "report.html").read_text()
    section = report[report.index("Last week's accuracy (2026-W46)"):]
    for cell in ("<td>voice</td>", f"<td>{run}</td>", "<td>5 of 5</td>", f"<td>{last_week['volume'].sum():,.0f}</td>",
                 "<td>0.0%</td>", "<td>+0.0%</td>", "<td>100.0%</td>", "<td>complete</td>"):
        assert cell in section
    nothing = export.LastWeek("2026-W46", accuracy_record(Store.open("sqlite:///:memory:"), history))
    assert "No forecast was recorded for 2026-W46" in export._accuracy_html(nothing)


def test_day_sheets_read_back_match_breaks_csv_and_the_week_sheet_matches_roster_csv(plan: Plan,
                                                                                      tmp_path: Path) -> None:
    import pandas as pd
    from openpyxl import load_workbook

    target = export.export_plan(plan, tiny_history(), tmp_path)
    zone = plan.config.timezone

    def local(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
        return frame.assign(**{c: pd.to_datetime(frame[c], utc=True).dt.tz_convert(zone) for c in columns})

    roster = local(pd.read_csv(target / "roster.csv"), "shift_start", "shift_end")
    breaks = local(pd.read_csv(target / "breaks.csv"), "break_start", "break_end")
    # The documented key: each break lies in exactly one roster row of its agent.
    joined = breaks.reset_index(names="break").merge(roster, on="agent_id")
    inside = joined[(joined["shift_start"] <= joined["break_start"]) & (joined["break_end"] <= joined["shift_end"])]
    assert len(inside) == len(breaks) and inside["break"].is_unique
    book = load_workbook(target / "schedule.xlsx")
    listed = []
    for name in book.sheetnames:
        if name in ("Summary", "Week"):
            continue
        header, *rows = list(book[name].iter_rows(values_only=True))
        day = pd.Timestamp(name.split(" ")[1]).date()
        for row in rows:
            cells = dict(zip(header, row, strict=True))
            (shift,) = roster[(roster["agent_id"] == cells["agent_id"]) & (roster["shift_start"].dt.date == day)
                              ].itertuples()
            assert (cells["shift_start"], cells["shift_end"]) == (f"{shift.shift_start:%H:%M}",
                                                                  f"{shift.shift_end:%H:%M}")
            own = breaks[(breaks["agent_id"] == shift.agent_id) & (breaks["break_start"] >= shift.shift_start)
                         & (breaks["break_end"] <= shift.shift_end)].sort_values("break_start")
            assert cells["breaks"] == ", ".join(f"{b.kind} {b.break_start:%H:%M}-{b.break_end:%H:%M}"
                                                for b in own.itertuples())
            listed += list(own.index)
    assert sorted(listed) == sorted(breaks.index)  # every break on one day sheet, once
    header, *rows = list(book["Week"].iter_rows(values_only=True))
    assert len(rows) == roster["agent_id"].nunique()
    for row in rows:
        cells = dict(zip(header, row, strict=True))
        mine = roster[roster["agent_id"] == cells["agent"]]
        shown = {day: cell for day, cell in cells.items() if day not in ("agent", "group", "paid hours") and cell}
        assert shown == {f"{s.shift_start:%a %d %b}": f"{s.shift_start:%H:%M}-{s.shift_end:%H:%M}"
                         for s in mine.itertuples()}
        assert cells["paid hours"] == pytest.approx(mine["paid_hours"].sum())
