"""Scenarios page: save what-ifs by name into the store, compare them, and find them again after a restart."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from wfm.config import Config
from wfm.io import read_history
from wfm.planning import comparison, scenarios
from wfm.planning import plan as pipeline
from wfm.planning.store import Store
from wfm.planning.whatif import Modifiers
from wfm.weeks import week_after


def save(app: AppTest, name: str, changes: Modifiers) -> AppTest:
    app.session_state["modifiers"] = changes
    app.text_input(key="scn_name").set_value(name)
    next(b for b in app.button if b.label == "Save scenario").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    return app


def test_save_compare_and_reopen(page: Callable[..., AppTest], short_history: Path, fast_config: Config,
                                 database: str) -> None:
    app = page("scenarios")
    assert "No scenarios yet" in app.info[0].value
    save(app, "base", Modifiers())
    save(app, "busy", Modifiers(volume_pct=20, service_level=0.9))
    assert "Saved scenario 'busy'" in app.success[0].value

    history = read_history(short_history, fast_config)
    frame = pipeline.forecast_week(history, fast_config, week_after(history)).frame
    busy = scenarios.evaluate(frame, fast_config, Modifiers(volume_pct=20, service_level=0.9))
    table = app.dataframe[1].value
    assert list(table.columns) == ["base", "busy"]
    assert table.loc["required_fte", "busy"] == f"{busy.required_fte:,.1f}"
    assert table.loc["projected_service_level", "busy"] == f"{busy.projected_service_level:.1%}"
    assert table.loc["cost", "busy"] == f"{busy.cost:,.0f}"
    assert app.get("plotly_chart")

    reopened = page("scenarios")  # a new session, as after a restart
    assert reopened.dataframe[0].value["name"].tolist() == ["base", "busy"]
    with Store.open(database) as store:
        assert store.get_scenario("busy").modifiers == {"volume_pct": 20.0, "service_level": 0.9}


def test_compare_at_most_four(page: Callable[..., AppTest], database: str, fast_config: Config) -> None:
    figures = comparison.ScenarioFigures(required_fte=10, productive_agent_hours=300, required_agent_hours=375,
                                        projected_service_level=0.8,
                                        projected_occupancy=0.8, cost=5000, cost_basis="estimate")
    with Store.open(database) as store:
        for index in range(5):
            scenarios.save(store, f"s{index}", fast_config, Modifiers(volume_pct=index), figures)
    app = page("scenarios")
    assert app.multiselect(key="scn_compare").value == ["s0", "s1", "s2", "s3"]
    assert list(app.dataframe[1].value.columns) == ["s0", "s1", "s2", "s3"]
    app.selectbox(key="scn_delete_name").set_value("s4")
    app.button(key="scn_delete").click().run()
    assert app.dataframe[0].value["name"].tolist() == ["s0", "s1", "s2", "s3"]


@pytest.mark.parametrize("name", ["", "   "])
def test_a_scenario_needs_a_name(page: Callable[..., AppTest], name: str) -> None:
    app = page("scenarios")
    app.text_input(key="scn_name").set_value(name)
    next(b for b in app.button if b.label == "Save scenario").click().run()
    assert "give the scenario a name" in app.error[0].value


def test_open_a_scenario_in_the_what_if(page: Callable[..., AppTest], database: str, fast_config: Config) -> None:
    changes = Modifiers(volume_pct=15, shrinkage=0.2, patience_seconds=240, cost_per_hour=25)
    with Store.open(database) as store:
        scenarios.save(store, "opened", fast_config, changes, None)
    app = page("scenarios")
    app.selectbox(key="scn_open_name").set_value("opened")
    app.button(key="scn_open").click().run()
    assert "'opened' is now the what-if" in app.success[0].value
    assert not app.warning
    app.switch_page("views/staffing.py").run()
    assert not app.exception and not app.error
    assert app.number_input(key="wi_volume_pct").value == 15
    assert app.number_input(key="wi_email_shrinkage").value == 20.0
    assert app.number_input(key="wi_chat_patience_seconds").value == 240
    assert app.session_state["modifiers"] == changes


def test_save_with_a_solved_schedule(page: Callable[..., AppTest]) -> None:
    app = page("scenarios")
    app.checkbox(key="scn_solve").check()
    save(app, "solved", Modifiers(cost_per_hour=30))
    table = app.dataframe[1].value
    assert table.loc["cost_basis", "solved"] == "schedule"
    assert table.loc["scheduled_fte", "solved"] != "-"
    assert table.loc["paid_hours", "solved"] != "-"
