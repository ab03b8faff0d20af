"""Schedule page: solve with a visible status, the plan's status banner, figures for people, stale plans, views."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from dashboard.common import AGENTS_FILE, cached_plan
from wfm import formats
from wfm.config import Config
from wfm.io import read_agents, read_history
from wfm.planning import charts
from wfm.planning import plan as pipeline
from wfm.planning.whatif import Modifiers


def page_text(app: AppTest) -> str:
    """Everything the page says in words: banners, captions, tiles, status labels."""
    parts = [e.value for kind in (app.success, app.error, app.warning, app.info, app.caption) for e in kind]
    parts += [f"{m.label} {m.value}" for m in app.metric] + [s.label for s in app.status]
    return "\n".join(parts)


def test_solve_shows_status_figures_and_downloads(page: Callable[..., AppTest], short_history: Path,
                                                  fast_config: Config) -> None:
    history = read_history(short_history, fast_config)
    plan = pipeline.plan_week(history, fast_config, agents=read_agents(AGENTS_FILE, fast_config))  # as the page
    s = plan.schedule.summary
    assert s.under_agent_hours == 0 and s.unassigned_shifts == 0  # the base week is covered
    app = page("schedule")
    assert not app.exception and not app.error
    assert "Solve schedule" in app.info[0].value
    app.button(key="sched_solve").click().run()
    assert not app.exception and not app.error
    assert app.success[0].value.startswith("Covered: ")
    shown = {m.label: m.value for m in app.metric}
    # Figures for people: the config's currency (USD by default), separators, units, one percent format.
    assert shown["Cost"] == f"${s.cost:,.0f}" and "," in shown["Cost"]
    assert shown["Paid hours"] == f"{s.paid_hours:,.0f} h"
    assert shown["Coverage"] == "100.0%"
    assert [s.label for s in app.status if s.label.startswith("Schedule of 2026-W47 solved: ")]
    # A row per figure, a column per channel (it fits the page); turned here to a row per channel.
    channels = next(t.value for t in app.table if "voice" in t.value.columns).T
    assert set(channels.index) == {"voice", "chat", "email"}
    assert channels.loc["email", "Projected service level"] == "—"  # deferred work has no service level
    assert channels.loc["voice", "Service level target"] == "80.0%"
    assert "None" not in channels.to_string() and "nan" not in channels.to_string()
    grid = next(d.value for d in app.dataframe if "Agent" in d.value.columns)
    # The page's own roster: rostering stops at the config's time limit, so another solve may roster differently.
    solved = cached_plan(app.session_state["plan_key"])
    assert solved is not None
    assert len(grid) == solved.schedule.roster["agent_id"].nunique()
    labels = [b.proto.label for b in app.get("download_button")]
    assert labels == ["Download roster (CSV)", "Download roster (XLSX)"]
    # The day Gantt draws one page of agents; hovering names one bar, never a column of agents.
    gantt = next(c for c in app.get("plotly_chart") if '"Shifts by agent"' in c.proto.spec)
    assert '"hovermode":"closest"' in gantt.proto.spec
    # The weekly grid narrows to a searched agent.
    agent = str(solved.schedule.roster["agent_id"].iloc[0])
    app.text_input(key="sched_grid_search").set_value(agent).run()
    grid = next(d.value for d in app.dataframe if "Agent" in d.value.columns)
    assert agent in set(grid["Agent"]) and len(grid) < solved.schedule.roster["agent_id"].nunique()


def test_a_short_plan_is_never_called_optimal_and_a_stale_one_is_marked(page: Callable[..., AppTest]) -> None:
    cap = 20  # far below the peak: the schedule must leave intervals short
    app = page("schedule", modifiers=Modifiers(headcount_cap=cap))
    app.button(key="sched_solve").click().run()
    assert not app.exception
    text = page_text(app)
    assert "optimal" not in text.lower() and "Covered" not in text
    # The banner's shortfall, recounted from the per-day table of the coverage frame (agent-hours short per day)
    # and the list of short intervals.
    banner = app.error[0].value
    per_day = next(d.value for d in app.dataframe if "Short agent-hours" in d.value.columns)
    short_hours = per_day["Short agent-hours"].str.rstrip(" h").str.replace(",", "").astype(float).sum()
    assert short_hours > 0
    intervals = next(h.value for h in app.subheader if h.value.startswith("Intervals short"))
    count = intervals.removeprefix("Intervals short (").rstrip(")")
    assert banner.startswith(f"Not covered: short by {formats.number(short_hours, 1)} agent-hours in {count} intervals")
    assert "to cover it:" in banner and "headcount" in banner  # the library's reason and smallest fix
    shown = {m.label: m.value for m in app.metric}
    assert float(shown["Coverage"].rstrip("%")) < 100
    # The what-if changes: the figures stay the old solve's, marked stale, captioned with the old what-if.
    app.session_state["modifiers"] = Modifiers(headcount_cap=cap, volume_pct=10)
    app.run()
    assert not app.exception
    assert app.warning[0].value.startswith("Stale: ")
    assert "headcount cap 20" in app.warning[0].value and "volume pct 10" in app.warning[0].value
    assert all(m.label.endswith("(stale)") for m in app.metric)
    assert not any("volume" in c.value for c in app.caption)  # no caption names the new what-if
    assert app.button(key="sched_solve") and not [b for b in app.button if b.key == "sched_publish"]


def test_intraday_and_net_staffing_charts_draw_over_and_under() -> None:
    stamps = pd.date_range("2026-11-16 08:00", periods=3, freq="15min", tz="UTC")
    required = pd.DataFrame({"interval_start": stamps, "agents": [5, 7, 4]})
    planned = pd.DataFrame({"interval_start": stamps, "agents": [7, 6, 4], "service_level": [0.95, 0.7, 0.85],
                            "occupancy": [0.6, 0.9, 0.7]})
    figure = charts.intraday_chart(required, planned, "Europe/London", 0.8, "voice, Monday")
    bars = next(t for t in figure.data if t.type == "bar")
    assert list(bars.y) == [2, -1, 0]  # planned minus required, by hand
    assert list(bars.marker.color) == ["#2ca02c", "#d62728", "#2ca02c"]
    levels = next(t for t in figure.data if t.name == "service level")
    assert list(levels.y) == [0.95, 0.7, 0.85]
    coverage = pd.DataFrame({"interval_start": stamps, "required": [5, 7, 4], "scheduled": [5, 9, 1]})
    assert list(charts.net_staffing_chart(coverage, "UTC").data[0].y) == [0, 2, -3]


def test_gantt_hover_names_one_bar_and_breaks_show_inside_shifts() -> None:
    day = pd.Timestamp("2026-11-16", tz="UTC")
    roster = pd.DataFrame({"agent_id": ["A1", "A2"], "shift_start": [day + pd.Timedelta(hours=8)] * 2,
                           "shift_end": [day + pd.Timedelta(hours=16)] * 2})
    breaks = pd.DataFrame({"agent_id": ["A1"], "break_start": [day + pd.Timedelta(hours=12)],
                           "break_end": [day + pd.Timedelta(hours=12, minutes=30)], "kind": ["lunch"]})
    figure = charts.gantt(roster, breaks, "UTC")
    assert figure.layout.hovermode == "closest"
    shift, lunch = figure.data
    assert lunch.name == "lunch break" and lunch.width < shift.width  # drawn inside the shift bar, not over it
    assert figure.layout.xaxis.side == "top"
