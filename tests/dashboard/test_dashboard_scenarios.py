"""Scenarios page: save what-ifs by name into the store, compare them, and find them again after a restart."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from wfm import formats
from wfm.config import Config
from wfm.io import read_history
from wfm.planning import comparison, scenarios
from wfm.planning import plan as pipeline
from wfm.planning.frontier import DEFAULT_PROBABILITIES
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
    base = scenarios.evaluate(frame, fast_config)
    table = app.table[1].value  # after the stored scenarios
    assert list(table.columns) == ["base (base)", "busy"]
    currency = fast_config.currency
    fte, cost = "Required staff (FTE, after shrinkage)", "Weekly cost"
    assert table.loc[fte, "base (base)"] == formats.number(base.required_fte, 1)
    assert table.loc[fte, "busy"] == (f"{formats.number(busy.required_fte, 1)} "
                                      f"(+{formats.number(busy.required_fte - base.required_fte, 1)})")
    assert table.loc[cost, "busy"].startswith(formats.money(busy.cost, currency) + " (+")
    assert table.loc["Service level at the forecast volume", "busy"].startswith(
        formats.percent(busy.projected_service_level))
    assert table.loc["Changes from the config", "busy"] == "service-level target 90%, volume +20%"
    assert table.loc["Target: voice", "busy"] == "90% within 20 s"
    assert table.loc["Target: voice", "base (base)"] == "80% within 20 s"
    assert table.loc["Figures from", "busy"] == "estimate (not solved)"
    traces = json.loads(app.get("plotly_chart")[0].proto.spec)["data"]
    assert [t["name"] for t in traces] == ["Scenario (estimate, not solved)"]
    assert app.get("download_button")

    reopened = page("scenarios")  # a new session, as after a restart
    assert reopened.table[0].value.index.tolist() == ["base", "busy"]
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
    assert list(app.table[1].value.columns) == ["s0 (base)", "s1", "s2", "s3"]
    app.selectbox(key="scn_delete_name").set_value("s4")
    app.button(key="scn_delete").click().run()
    assert app.table[0].value.index.tolist() == ["s0", "s1", "s2", "s3"]


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
    table = app.table[1].value  # after the stored scenarios
    assert table.loc["Figures from", "solved (base)"] == "solved schedule"
    assert table.loc["Scheduled staff (FTE, paid hours)", "solved (base)"] != formats.NOT_APPLICABLE
    assert table.loc["Paid hours per week", "solved (base)"].endswith(" h")


def test_comparison_figures_equal_the_stored_scenarios(database: str, fast_config: Config) -> None:
    stored = {"a": comparison.ScenarioFigures(required_fte=10.25, productive_agent_hours=300,
                                              required_agent_hours=384.4, projected_service_level=0.812,
                                              projected_occupancy=0.8, cost=5123.4, cost_basis="estimate",
                                              target_probability=0.61),
              "b": comparison.ScenarioFigures(required_fte=12.5, productive_agent_hours=360,
                                              required_agent_hours=468.75, projected_service_level=0.9,
                                              projected_occupancy=0.7, cost=6200, cost_basis="schedule",
                                              scheduled_fte=13.1, paid_hours=491.25, target_probability=0.9)}
    with Store.open(database) as store:
        for name, figures in stored.items():
            scenarios.save(store, name, fast_config, Modifiers(), figures, risk=0.9 if name == "b" else None)
        records = [store.get_scenario(n) for n in ("b", "a")]
    space = comparison.workspace(records, "a", "GBP")
    assert list(space.figures.columns) == ["a", "b"]
    for name, figures in stored.items():
        for figure, _ in comparison.WORKSPACE_FIGURES:
            value = getattr(figures, figure)
            assert space.figures.loc[figure, name] == pytest.approx(value, nan_ok=True) if value is not None \
                else math.isnan(space.figures.loc[figure, name])
    assert space.differences.loc["cost", "b"] == pytest.approx(6200 - 5123.4)
    table = comparison.workspace_table(space)
    assert table.loc["Weekly cost", "b"] == "£6,200 (+£1,077)"
    assert table.loc["Lowest chance of an interval meeting its target", "b"] == "90.0% (+29.0 pts)"
    assert table.loc["Changes from the config", "b"].startswith("staffed so each interval meets its target "
                                                                "with probability 90%")


def test_one_click_solves_an_estimate_and_the_frontier_is_drawn(page: Callable[..., AppTest]) -> None:
    app = page("scenarios")
    app.selectbox(key="scn_risk").set_value(0.9)
    save(app, "risky", Modifiers())
    assert app.table[1].value.loc["Figures from", "risky (base)"] == "estimate (not solved)"
    app.button(key="scn_solve_risky").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert "Solved the schedule of 'risky'" in app.success[0].value
    assert app.table[1].value.loc["Figures from", "risky (base)"] == "solved schedule"
    app.toggle(key="scn_frontier").set_value(True).run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    frontier = app.table[2].value  # the stored scenarios, the workspace, then the frontier
    assert list(frontier.index) == [f"{100 * p:.1f}%" for p in DEFAULT_PROBABILITIES]
    traces = json.loads(app.get("plotly_chart")[0].proto.spec)["data"]
    assert [t["name"] for t in traces][0] == "Scenario (solved schedule)"
    assert "Risk frontier" in traces[1]["name"] and traces[1]["text"] == [f"{p:.0%}" for p in DEFAULT_PROBABILITIES]
