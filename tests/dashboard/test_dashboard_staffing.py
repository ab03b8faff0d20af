"""Staffing what-if page: the single-interval calculator's known answers and the live week view: configured values
in the fields, reset, per-channel targets, the rule that decides, KPI changes against the base."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest
from tiny_center import erlang_c_agents

from wfm.config import Config
from wfm.io import read_history
from wfm.planning import plan as pipeline
from wfm.planning import scenarios
from wfm.planning.whatif import ChannelChanges, Modifiers
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
    assert metric(app, "Average speed of answer") == "7.8 s"
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


def week_frame(history_path: Path, config: Config) -> pd.DataFrame:
    history = read_history(history_path, config)
    return pipeline.forecast_week(history, config, week_after(history)).frame


def number(text: str) -> float:
    return float(text.replace(",", "").replace("£", "").replace("$", "").split()[0])


def test_what_if_recomputes_with_changes_against_the_base(page: Callable[..., AppTest], short_history: Path,
                                                          fast_config: Config) -> None:
    frame = week_frame(short_history, fast_config)
    base = scenarios.evaluate(frame, fast_config)
    app = page("staffing")
    assert metric(app, "Required FTE") == f"{base.required_fte:,.1f}"
    assert all(m.delta == "" for m in app.metric)  # no what-if, no change shown
    app.number_input(key="wi_volume_pct").set_value(20.0).run()
    assert not app.exception and not app.error
    expected = scenarios.evaluate(frame, fast_config, Modifiers(volume_pct=20))
    assert metric(app, "Required FTE") == f"{expected.required_fte:,.1f}"
    assert metric(app, "Projected service level") == f"{100 * expected.projected_service_level:.1f}%"
    assert metric(app, "Estimated cost") == f"${expected.cost:,.0f}"
    deltas = {m.label: m.delta for m in app.metric}
    assert deltas["Required FTE"] == f"+{expected.required_fte - base.required_fte:,.1f}"
    assert deltas["Estimated cost"] == f"+${expected.cost - base.cost:,.0f}"
    assert expected.required_fte > base.required_fte * 1.1
    app.number_input(key="wi_voice_patience_seconds").set_value(180.0).run()
    assert not app.exception and not app.error
    assert dict(app.session_state["modifiers"].per_channel)["voice"].patience_seconds == 180.0


def test_fields_show_the_config_and_clearing_or_reset_restores_it(page: Callable[..., AppTest]) -> None:
    app = page("staffing")
    fields = {"wi_voice_service_level": 80.0, "wi_voice_answer_seconds": 20.0, "wi_voice_max_occupancy": 85.0,
              "wi_chat_answer_seconds": 60.0, "wi_chat_concurrency": 2, "wi_email_shrinkage": 30.0}
    assert {key: app.number_input(key=key).value for key in fields} == fields  # fast_config.toml's values
    base = metric(app, "Required FTE")
    app.number_input(key="wi_voice_service_level").set_value(95.0)
    app.number_input(key="wi_voice_shrinkage").set_value(40.0)
    app.number_input(key="wi_chat_max_occupancy").set_value(70.0).run()
    assert metric(app, "Required FTE") != base

    def sidebar_says() -> str:
        return next(c.value for c in app.sidebar.caption if c.value.startswith("Planning"))

    assert sidebar_says().endswith("what-if active")  # in the same run as the change, not one run late
    app.number_input(key="wi_voice_service_level").set_value(None).run()  # cleared: back to 80%, not the minimum
    assert app.number_input(key="wi_voice_service_level").value == 80.0
    assert app.session_state["modifiers"] == Modifiers(per_channel={
        "voice": ChannelChanges(shrinkage=0.4), "chat": ChannelChanges(max_occupancy=0.7)})
    app.button(key="wi_reset_chat").click().run()  # one channel back to the config
    assert app.number_input(key="wi_chat_max_occupancy").value == 85.0
    assert app.number_input(key="wi_voice_shrinkage").value == 40.0
    app.button(key="wi_reset").click().run()  # the whole page
    assert not app.exception and not app.error
    assert app.number_input(key="wi_voice_shrinkage").value == 30.0
    assert app.session_state["modifiers"].is_empty
    assert metric(app, "Required FTE") == base
    assert sidebar_says().endswith("no what-if")


def test_a_channel_target_moves_only_that_channel_and_the_cap_is_named(
        page: Callable[..., AppTest], short_history: Path, fast_config: Config) -> None:
    frame = week_frame(short_history, fast_config)
    app = page("staffing")
    before = app.dataframe[0].value.set_index("Channel")
    # The voice peak (largest load): the 80/20 target alone and with the 85% occupancy cap, by textbook Erlang C.
    voice = frame[frame["channel"] == "voice"]
    peak = voice.loc[(voice["volume"] * voice["aht_seconds"]).idxmax()]
    alone = erlang_c_agents(peak["volume"], peak["aht_seconds"], 15, "0.8", 20)
    capped = erlang_c_agents(peak["volume"], peak["aht_seconds"], 15, "0.8", 20, "0.85")
    assert capped > alone  # the cap decides at this peak
    said = next(m.value for m in app.markdown if m.value.startswith("**voice**"))
    assert f"Occupancy cap 85% decides: the 80/20 target alone needs {alone} agents at the peak" in said
    assert f"the cap {capped}." in said
    app.number_input(key="wi_voice_service_level").set_value(90.0)
    app.number_input(key="wi_voice_answer_seconds").set_value(20.0).run()
    after = app.dataframe[0].value.set_index("Channel")
    assert after.loc["chat"].equals(before.loc["chat"]) and after.loc["email"].equals(before.loc["email"])
    assert number(after.loc["voice", "Required agent-hours (after shrinkage)"]) > number(
        before.loc["voice", "Required agent-hours (after shrinkage)"])
    app.number_input(key="wi_headcount_cap").set_value(1000).run()
    said = next(m.value for m in app.markdown if m.value.startswith("**voice**"))
    assert "Headcount cap 1,000 changes nothing: the frontline group needs at most" in said


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
    assert caption.endswith(")") and "target 80% in 60 s" in caption


def test_a_reload_keeps_the_what_if_from_the_page_address() -> None:
    kept = Modifiers(volume_pct=15, per_channel={"voice": ChannelChanges(service_level=0.9)})
    app = AppTest.from_file(str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py"), default_timeout=120)
    app.query_params["whatif"] = json.dumps(kept.to_dict())  # what the page wrote into the address
    app.switch_page("views/staffing.py")
    app.run()
    assert not app.exception and not app.error
    assert app.number_input(key="wi_volume_pct").value == 15
    assert app.number_input(key="wi_voice_service_level").value == 90
    assert app.number_input(key="wi_chat_service_level").value == 80
    assert app.session_state["modifiers"] == kept
    app.button(key="wi_reset").click().run()
    assert app.session_state["modifiers"].is_empty and "whatif" not in app.query_params
