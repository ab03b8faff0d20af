"""Staffing what-if page: the single-interval calculator's known answers and the live week view."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

from wfm.config import Config
from wfm.io import read_history
from wfm.planning import plan as pipeline
from wfm.planning import scenarios
from wfm.planning.whatif import Modifiers
from wfm.weeks import week_after


def metric(app: AppTest, label: str) -> str:
    """The value shown by the metric labelled ``label``."""
    found = [m.value for m in app.metric if m.label == label]
    assert found, f"no metric {label!r}; metrics: {[m.label for m in app.metric]}"
    return found[0]


def test_calculator_known_answer(page: Callable[..., AppTest]) -> None:
    app = page("staffing")
    assert not app.exception and not app.error
    # 100 calls in 30 minutes at AHT 180 s, 80% in 20 s: 14 agents (service level 0.888, ASA 7.8 s).
    assert metric(app, "Required agents") == "14"
    assert metric(app, "Service level") == "88.8%"
    assert metric(app, "ASA") == "7.8 s"
    assert metric(app, "Occupancy") == "71.4%"
    assert metric(app, "Scheduled (after shrinkage)") == "20"


def test_calculator_occupancy_cap_and_erlang_a(page: Callable[..., AppTest]) -> None:
    app = page("staffing")
    app.number_input(key="calc_occupancy").set_value(0.70).run()
    assert metric(app, "Required agents") == "15"
    assert metric(app, "Scheduled (after shrinkage)") == "22"
    app.number_input(key="calc_occupancy").set_value(1.0)
    app.number_input(key="calc_patience").set_value(120.0)
    app.number_input(key="calc_calls").set_value(100.0).run()
    assert metric(app, "Required agents") == "12"
    assert metric(app, "Abandoned") == "6.2%"


def test_what_if_recomputes_on_change(page: Callable[..., AppTest], short_history: Path,
                                      fast_config: Config) -> None:
    history = read_history(short_history, fast_config)
    frame = pipeline.forecast_week(history, fast_config, week_after(history)).frame
    app = page("staffing")
    before = float(metric(app, "Required FTE").replace(",", ""))
    app.slider(key="wi_volume_pct").set_value(20).run()
    assert not app.exception and not app.error
    expected = scenarios.evaluate(frame, fast_config, Modifiers(volume_pct=20))
    assert metric(app, "Required FTE") == f"{expected.required_fte:,.1f}"
    assert metric(app, "Projected service level") == f"{expected.projected_service_level:.1%}"
    assert metric(app, "Estimated cost") == f"{expected.cost:,.0f}"
    after = float(metric(app, "Required FTE").replace(",", ""))
    assert after > before * 1.1
    app.number_input(key="wi_shrinkage").set_value(0.0).run()
    assert float(metric(app, "Required FTE").replace(",", "")) < after
    app.radio(key="wi_model").set_value("Erlang A").run()
    assert not app.exception and not app.error
    assert app.session_state["modifiers"].patience_seconds == 180.0


def test_channel_and_interval_choices(page: Callable[..., AppTest]) -> None:
    app = page("staffing")
    last = app.selectbox(key="wi_interval").options[-1]
    app.selectbox(key="wi_interval").set_value(last).run()
    app.selectbox(key="wi_channel").set_value("email").run()
    assert not app.exception and not app.error
    assert any("email is deferred work" in i.value for i in app.info)
    app.selectbox(key="wi_channel").set_value("chat").run()
    assert not app.exception and not app.error
    caption = next(c.value for c in app.caption if "contacts, AHT" in c.value)
    assert caption.endswith(" agents") and "target 80% in 60 s" in caption
