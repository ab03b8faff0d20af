"""Schedule page: solve with a visible status, then the solver's figures, coverage, Gantt and downloads."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

from wfm.config import Config
from wfm.io import read_history
from wfm.planning import plan as pipeline


def test_solve_shows_status_figures_and_downloads(page: Callable[..., AppTest], short_history: Path,
                                                  fast_config: Config) -> None:
    history = read_history(short_history, fast_config)
    plan = pipeline.plan_week(history, fast_config)
    app = page("schedule")
    assert not app.exception and not app.error
    assert "Solve schedule" in app.info[0].value
    app.button(key="sched_solve").click().run()
    assert not app.exception and not app.error
    shown = {m.label: m.value for m in app.metric}
    assert shown["Solver status"] == plan.schedule.summary.solver.status == "optimal"
    assert shown["Cost"] == f"{plan.schedule.summary.cost:,.0f}"
    assert shown["Gap"].endswith("%")
    assert float(shown["Coverage"].rstrip("%")) > 95
    assert int(shown["Agents"].replace(",", "")) > 50
    solved = [s.label for s in app.status if s.label.startswith("Schedule ")]
    assert solved and solved[0].startswith(f"Schedule {shown['Solver status']}: ")
    channels = app.dataframe[0].value
    assert set(channels["channel"]) == {"voice", "chat", "email"}
    assert (channels.loc[channels["kind"] != "email", "projected_service_level"] > 0.5).all()
    labels = [b.proto.label for b in app.get("download_button")]
    assert labels == ["Download roster (CSV)", "Download roster (XLSX)"]
    assert len(app.get("plotly_chart")) == 2
