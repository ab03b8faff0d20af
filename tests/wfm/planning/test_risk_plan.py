"""Staffing a plan, a scenario and a frontier to a risk level (the probabilities themselves are checked against
simulation in tests/wfm/staffing/test_risk.py)."""

from __future__ import annotations

import dataclasses
import html
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tiny_center import tiny_config, tiny_history

from wfm import formats
from wfm.planning import scenarios
from wfm.planning.export import report_html
from wfm.planning.frontier import risk_frontier
from wfm.planning.plan import Plan, forecast_week, plan_week, staff_week
from wfm.planning.store import Store
from wfm.planning.summary import PlanSummary
from wfm.planning.whatif import Modifiers
from wfm.weeks import week_after


@pytest.fixture(scope="module")
def week_forecast() -> pd.DataFrame:
    history = tiny_history()
    return forecast_week(history, tiny_config(), week_after(history)).frame


@pytest.fixture(scope="module")
def risk_plan() -> Plan:
    """The tiny center's week staffed to 0.9 (planned once for the tests that read it)."""
    return plan_week(tiny_history(), tiny_config(), risk=0.9)


def test_a_plan_staffed_to_a_risk_level_reports_its_probabilities(risk_plan: Plan) -> None:
    plan = risk_plan
    summary = plan.summary
    assert summary.risk == 0.9
    (voice,) = summary.channels
    assert summary.unmet_intervals == 0  # every interval scheduled as required, so each meets 80/20 with >= 0.9
    assert voice.target_probability >= 0.9
    assert 0 < voice.week_probability <= voice.target_probability
    assert voice.target_probability <= voice.intervals_meeting_target <= 1
    assert 0.8 < voice.expected_service_level <= 1
    assert all(0 < day.day_probability <= 1 for day in summary.daily)
    assert PlanSummary.from_dict(summary.to_dict()).to_dict() == summary.to_dict()
    older = summary.to_dict()  # a summary stored before the risk figures existed still loads, without them
    for key in ("target_probability", "week_probability", "expected_service_level"):
        for row in older["channels"]:
            row.pop(key)
    del older["risk"]
    assert np.isnan(PlanSummary.from_dict(older).channels[0].target_probability)


def test_the_chances_read_the_same_in_words_everywhere(risk_plan: Plan) -> None:
    """The CLI, report.html and summary.json show one set of figures: the summary's, in :meth:`risk_lines`."""
    plan = risk_plan
    (line,) = plan.summary.risk_lines()
    (voice,) = plan.summary.channels
    assert line.startswith("voice: staffed for a 90% chance that each interval meets its 80% target; as scheduled")
    for figure in (formats.chance(voice.target_probability), formats.percent(voice.intervals_meeting_target),
                   formats.percent(voice.expected_service_level), formats.percent(voice.projected_service_level),
                   formats.chance(voice.week_probability)):
        assert figure in line
    assert html.escape(line) in report_html(plan, tiny_history())
    stored = PlanSummary.from_dict(json.loads(json.dumps(plan.summary.to_dict())))
    assert stored.risk_lines() == plan.summary.risk_lines()


def test_report_shows_the_dashboards_status_and_channel_figures(risk_plan: Plan) -> None:
    """report.html carries the plan's one verdict and its channel figures as people read them (the dashboard's
    Schedule and Exports pages show the same frame): labels in words, units, chances never read as certainties."""
    plan = risk_plan
    (voice,) = plan.summary.channels
    figures = plan.summary.channel_figures()
    assert figures.loc["Contacts", "voice"] == f"{voice.volume:,.0f}"
    assert figures.loc["Service level target", "voice"] == "80.0%"
    assert figures.loc["Productive agent-hours", "voice"] == f"{voice.productive_agent_hours:,.1f} h"
    assert figures.loc["Chance every interval of the week meets its target", "voice"] == formats.chance(
        voice.week_probability)
    report = report_html(plan, tiny_history())
    assert html.escape(plan.summary.verdict()) in report
    assert plan.summary.verdict().startswith("Covered: " if plan.summary.meets_everything else "Not covered: ")
    for label in figures.index:
        assert f"<th>{html.escape(label, quote=False)}</th>" in report
    assert "week_probability" not in report and "productive_agent_hours" not in report  # no column names


def test_frontier_costs_rise_with_the_probability(week_forecast: pd.DataFrame) -> None:
    config = tiny_config()
    frontier = risk_frontier(week_forecast, config, probabilities=(0.9, 0.6, 0.99))
    assert frontier["risk"].tolist() == [0.6, 0.9, 0.99]
    assert (np.diff(frontier["cost"]) >= 0).all() and frontier["cost"].iloc[-1] > frontier["cost"].iloc[0]
    assert (frontier["target_probability"] >= frontier["risk"] - 1e-9).all()
    assert (frontier["cost_basis"] == "estimate").all()
    _, required = staff_week(week_forecast, config, risk=0.9)  # one point is the week staffed to that risk
    point = frontier.set_index("risk").loc[0.9]
    assert point["required_agent_hours"] == pytest.approx(required["scheduled_agents"].sum() * 0.25)


def test_risk_is_a_scenario_setting(week_forecast: pd.DataFrame, tmp_path: Path) -> None:
    config = tiny_config()
    base = scenarios.evaluate(week_forecast, config)
    risky = scenarios.evaluate(week_forecast, config, risk=0.95)
    assert risky.target_probability >= 0.95 > base.target_probability
    assert risky.required_fte > base.required_fte
    with Store.open(f"sqlite:///{tmp_path / 'wfm.db'}") as store:
        scenarios.save(store, "safe", config, Modifiers(volume_pct=5), risky, risk=0.95)
        record = store.get_scenario("safe")
    assert scenarios.risk_of(record) == 0.95
    _, modifiers, figures = scenarios.load(record)
    assert modifiers == Modifiers(volume_pct=5)
    assert figures is not None and dataclasses.asdict(figures) == pytest.approx(dataclasses.asdict(risky))
