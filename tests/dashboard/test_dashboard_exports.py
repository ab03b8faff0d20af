"""Exports page: the batch runs recorded in the store, with their summaries and files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

from wfm.planning.store import Store


def test_runs_summaries_and_files(page: Callable[..., AppTest], database: str, tmp_path: Path) -> None:
    app = page("exports")
    assert "No batch runs recorded yet" in app.info[0].value
    folder = tmp_path / "out" / "2026-W47"
    folder.mkdir(parents=True)
    (folder / "roster.csv").write_text("agent_id,group\nA1,frontline\n")
    summary = {"paid_hours": 9703.0, "cost": 211295.0, "coverage": 0.9986,
               "solver": {"status": "optimal", "gap": 0.004},
               "channels": [{"channel": "voice", "projected_service_level": 0.91}]}
    with Store.open(database) as store:
        failed = store.start_run("2026-W46", {"timezone": "Europe/London"}, tmp_path / "out" / "2026-W46")
        store.finish_run(failed, "failed", None, exit_code=3, message="schedule: no feasible solution")
        run = store.start_run("2026-W47", {"timezone": "Europe/London"}, folder)
        store.finish_run(run, "ok", summary, exit_code=0, files=[folder / "roster.csv", folder / "report.html"])
    app.run()
    assert not app.exception
    runs = app.dataframe[0].value
    assert runs["week"].tolist() == ["2026-W47", "2026-W46"]
    assert runs["status"].tolist() == ["ok", "failed"]
    shown = {m.label: m.value for m in app.metric}
    assert shown == {"Paid hours": "9,703", "Cost": "211,295", "Coverage": "99.9%", "Solver": "optimal",
                     "Gap": "0.40%"}
    assert [b.proto.label for b in app.get("download_button")] == ["roster.csv (0 kB)"]
    assert any("report.html: no longer on disk" in c.value for c in app.caption)
    app.selectbox(key="exp_run").set_value(app.selectbox(key="exp_run").options[1]).run()
    assert "schedule: no feasible solution" in app.error[0].value
