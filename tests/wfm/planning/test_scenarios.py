"""Scenarios: evaluated on a forecast week, stored, compared."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from tiny_center import tiny_config, tiny_history

from wfm.errors import ConfigError
from wfm.planning import comparison, scenarios
from wfm.planning.plan import forecast_week, plan_week, staff_week
from wfm.planning.store import Store
from wfm.planning.whatif import Modifiers
from wfm.weeks import week_after


@pytest.fixture(scope="module")
def week_forecast() -> pd.DataFrame:
    history = tiny_history()
    return forecast_week(history, tiny_config(), week_after(history)).frame


def test_figures_follow_the_requirements(week_forecast: pd.DataFrame) -> None:
    config = tiny_config()
    figures = scenarios.evaluate(week_forecast, config)
    _, required = staff_week(week_forecast, config)
    hours = required["scheduled_agents"].sum() * 0.25
    assert figures.required_fte == pytest.approx(hours / 37.5)
    assert figures.cost == pytest.approx(hours * 20.0) and figures.cost_basis == "estimate"
    assert figures.projected_service_level >= 0.8
    assert figures.paid_hours is None
    assert figures.week == "2026-W47"


def test_more_volume_costs_more_and_solving_gives_paid_hours(week_forecast: pd.DataFrame) -> None:
    config = tiny_config()
    base = scenarios.evaluate(week_forecast, config)
    busier = scenarios.evaluate(week_forecast, config, Modifiers(volume_pct=20))
    assert busier.required_fte > base.required_fte and busier.cost > base.cost
    solved = scenarios.evaluate(week_forecast, config, solve=True)
    assert solved.cost_basis == "schedule" and solved.paid_hours is not None
    assert solved.paid_hours >= base.required_agent_hours
    assert solved.under_agent_hours == 0


def test_saved_compared_and_reloaded(tmp_path: Path, week_forecast: pd.DataFrame) -> None:
    config = tiny_config()
    with Store.open(f"sqlite:///{tmp_path / 'wfm.db'}") as store:
        for name, modifiers in [("base", Modifiers()), ("sl90", Modifiers(service_level=0.9))]:
            scenarios.save(store, name, config, modifiers, scenarios.evaluate(week_forecast, config, modifiers))
        records = [store.get_scenario("base"), store.get_scenario("sl90")]
    table = comparison.compare(records)
    assert list(table.columns) == ["base", "sl90"]
    assert table.loc["projected_service_level", "sl90"] > table.loc["projected_service_level", "base"]
    assert table.loc["modifiers", "sl90"] == "service_level=0.9"
    assert table.loc["week", "base"] == "2026-W47"
    loaded_config, loaded_modifiers, figures = scenarios.load(records[1])
    assert loaded_config == config and loaded_modifiers == Modifiers(service_level=0.9)
    assert figures is not None and figures.required_fte > 0
    with pytest.raises(ConfigError, match="give 1 to 4 scenarios, got 5"):
        comparison.compare(records * 2 + records[:1])


def test_a_solved_plan_gives_the_same_figures_as_solving_the_scenario() -> None:
    history, config = tiny_history(), tiny_config()
    plan = plan_week(history, config, modifiers=Modifiers(volume_pct=10))
    from_plan = scenarios.figures_of(plan)
    solved = scenarios.evaluate(plan.forecast.frame, config, Modifiers(volume_pct=10), solve=True)
    assert from_plan.cost_basis == "schedule"
    assert from_plan.paid_hours == pytest.approx(plan.summary.paid_hours)
    assert from_plan.cost == pytest.approx(solved.cost)
    assert from_plan.projected_service_level == pytest.approx(solved.projected_service_level)
