"""Capacity page: the library's capacity plan, and a what-if that changes it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

from wfm import formats
from wfm.config import Config
from wfm.io import read_agents, read_history
from wfm.planning.capacity import plan_capacity
from wfm.planning.whatif import Modifiers

AGENTS = Path(__file__).resolve().parents[2] / "data" / "agents.csv"


def test_capacity_page_shows_the_library_plan_and_its_what_ifs(page: Callable[..., AppTest], short_history: Path,
                                                               fast_config: Config, database: str) -> None:
    history = read_history(short_history, fast_config)
    agents = read_agents(AGENTS, fast_config)
    base = plan_capacity(history, fast_config, agents, weeks=8)
    busier = plan_capacity(history, fast_config, agents, weeks=8, modifiers=Modifiers(volume_pct=200))
    app = page("capacity", **{"kept:cap_weeks": 8})
    assert not app.exception and not app.error and not app.warning
    shown = {m.label: m.value for m in app.metric}
    assert shown["Total cost"] == formats.money(base.summary.total_cost, "USD")
    assert shown["Weeks planned"] == "8"
    assert shown["Hires"] == formats.count(sum(base.summary.hires.values()))
    assert len(app.get("plotly_chart")) == 2  # one per staff group
    app.number_input(key="cap_volume").set_value(200.0)
    app.button[0].click().run()
    assert not app.exception and not app.error
    assert "short" in app.warning[0].value
    shown = {m.label: m.value for m in app.metric}
    assert busier.summary.short_fte_weeks > base.summary.short_fte_weeks  # the what-if matters on these agents
    assert shown["Short (FTE-weeks)"] == formats.number(busier.summary.short_fte_weeks, 1)
    assert shown["Total cost"] == formats.money(busier.summary.total_cost, "USD")
    # Saved as capacity scenarios, then compared with the base: the figures are the library plans'.
    app.text_input(key="cap_scenario_name").input("busier")
    app.button(key="FormSubmitter:cap_save-Save as a capacity scenario").click().run()
    app.number_input(key="cap_volume").set_value(0.0)
    app.button[0].click().run()
    app.text_input(key="cap_scenario_name").input("as planned")
    app.button(key="FormSubmitter:cap_save-Save as a capacity scenario").click().run()
    assert not app.exception and not app.error
    app.selectbox(key="cap_base").set_value("as planned").run()
    table = app.table[-1].value
    assert list(table.columns) == ["as planned (base)", "busier"]
    cost = "Total cost over the horizon"
    assert table.loc[cost, "as planned (base)"] == formats.money(base.summary.total_cost, "USD")
    assert table.loc[cost, "busier"].startswith(formats.money(busier.summary.total_cost, "USD") + " (")
    more_short = busier.summary.short_fte_weeks - base.summary.short_fte_weeks
    assert table.loc["Short (FTE-weeks)", "busier"] == (f"{formats.number(busier.summary.short_fte_weeks, 1)} "
                                                        f"(+{formats.number(more_short, 1)})")
    assert table.loc["Settings", "busier"] == "8 weeks; volume +200%"
