"""Data page: the sample by default, uploads validated row by row, the config edited with validation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

GOOD_ROWS = [f"voice,2026-11-0{day}T09:{minute:02d}:00+00:00,{10 + minute},300"
             for day in (2, 3) for minute in (0, 15, 30, 45)]


def csv(*rows: str) -> bytes:
    return ("channel,interval_start,volume,aht_seconds\n" + "\n".join(rows) + "\n").encode()


def test_sample_is_used_by_default(page: Callable[..., AppTest], short_history: Path) -> None:
    app = page("data")
    assert not app.exception and not app.error
    shown = {m.label: m.value for m in app.metric}
    assert shown["Week to plan"] == "2026-W47"
    assert shown["Days"] == "42"
    assert shown["Rows"] == f"{short_history.read_text().count(chr(10)) - 1:,}"
    # The channels' rules in words and units (the fast config: voice 80% in 20 s, email within 8 working hours).
    rules = app.dataframe[0].value.set_index("Channel")
    assert rules.loc["voice", "Service level target"] == "80.0%" and rules.loc["voice", "Answer within"] == "20 s"
    assert rules.loc["email", "Answer within"] == "8 h (working hours)"
    assert rules.loc["email", "Service level target"] == "—" and "None" not in rules.to_string()
    history = pd.read_csv(short_history)
    voice = history.loc[history["channel"] == "voice", "volume"].sum()
    assert rules.loc["voice", "Contacts in the history"] == f"{voice:,}"


def test_upload_lists_every_problem_with_row_and_field(page: Callable[..., AppTest]) -> None:
    app = page("data")
    app.radio(key="data_source").set_value("Upload a file").run()
    bad = csv(GOOD_ROWS[0], "voice,2026-11-02T09:15:00+00:00,-3,300", GOOD_ROWS[2],
              "sms,2026-11-02T09:45:00+00:00,4,300", "voice,2026-11-02T10:00:00+00:00,5,0")
    app.file_uploader(key="data_upload").upload("bad.csv", bad, "text/csv").run()
    assert not app.exception
    assert "3 problems" in app.error[0].value
    report = app.dataframe[0].value
    assert report[["row", "field"]].values.tolist() == [["line 3", "volume"], ["line 5", "channel"],
                                                         ["line 6", "aht_seconds"]]
    assert "unknown channel 'sms'" in report["problem"].iloc[1]
    assert app.session_state["history_name"] != "bad.csv"


def test_report_lists_two_problems_of_one_row(page: Callable[..., AppTest]) -> None:
    app = page("data")
    app.radio(key="data_source").set_value("Upload a file").run()
    bad = csv(GOOD_ROWS[0], GOOD_ROWS[1], "voice,2026-11-02T09:30:00+00:00,abc,0")
    app.file_uploader(key="data_upload").upload("two.csv", bad, "text/csv").run()
    assert "2 problems" in app.error[0].value
    report = app.dataframe[0].value
    assert report[["row", "field"]].values.tolist() == [["line 4", "volume"], ["line 4", "aht_seconds"]]


def test_report_stops_at_the_limit(page: Callable[..., AppTest]) -> None:
    app = page("data")
    app.radio(key="data_source").set_value("Upload a file").run()
    # Twelve rows with a negative volume (lines 2 to 13); the report shows the first ten.
    bad = csv(*[f"voice,2026-11-02T{9 + i // 4:02d}:{15 * (i % 4):02d}:00+00:00,-1,300" for i in range(12)])
    app.file_uploader(key="data_upload").upload("many.csv", bad, "text/csv").run()
    assert "10 problems found (the first ones" in app.error[0].value
    report = app.dataframe[0].value
    assert report["row"].tolist() == [f"line {n}" for n in range(2, 12)]
    assert set(report["field"]) == {"volume"}


def test_report_names_a_problem_of_the_whole_file(page: Callable[..., AppTest]) -> None:
    app = page("data")
    app.radio(key="data_source").set_value("Upload a file").run()
    app.file_uploader(key="data_upload").upload("cols.csv", b"channel,interval_start\nvoice,2026-11-02\n",
                                                "text/csv").run()
    report = app.dataframe[0].value
    assert report.values.tolist() == [["(file)", "", "missing column volume; the header must name channel, "
                                       "interval_start, volume (found: channel, interval_start)"]]


def test_valid_upload_becomes_the_history(page: Callable[..., AppTest]) -> None:
    app = page("data")
    app.radio(key="data_source").set_value("Upload a file").run()
    app.file_uploader(key="data_upload").upload("good.csv", csv(*GOOD_ROWS), "text/csv").run()
    assert app.success and "good.csv is valid" in app.success[0].value
    assert app.session_state["history_name"] == "good.csv"


def test_config_edit_is_validated(page: Callable[..., AppTest]) -> None:
    app = page("data")
    editor = app.text_area(key="config_editor")
    editor.set_value(editor.value.replace("service_level = 0.80", "service_level = 1.5", 1))
    app.button(key="config_apply").click().run()
    assert "channels.voice.service_level" in app.error[0].value
    assert "must be in (0, 1)" in app.error[0].value
    editor = app.text_area(key="config_editor")
    editor.set_value(editor.value.replace("service_level = 1.5", "service_level = 0.9", 1))
    app.button(key="config_apply").click().run()
    assert not app.error
    assert "service_level = 0.9" in app.session_state["config_text"]


def test_a_configured_channel_without_history_is_warned_about(page: Callable[..., AppTest], short_history: Path,
                                                              tmp_path: Path) -> None:
    # The same history without its chat rows: the plan would leave chat unstaffed, and every page says so.
    lines = short_history.read_text().splitlines()
    no_chat = tmp_path / "no_chat.csv"
    no_chat.write_text("\n".join([lines[0], *(line for line in lines[1:] if not line.startswith("chat,"))]) + "\n")
    app = page("forecast", history_path=str(no_chat), history_name="no_chat.csv")
    assert not app.exception and not app.error
    assert [w.value for w in app.warning] == [
        "history: no rows for configured channel 'chat': no forecast and no staff for it this week; add the "
        "history, or remove it from the config"]


def test_any_week_after_the_history_can_be_planned(page: Callable[..., AppTest]) -> None:
    app = page("data")
    picker = app.selectbox(key="week_choice")
    assert len(picker.options) == 8 and picker.value == dt.date(2026, 11, 16)  # the history ends Sun 15 Nov
    picker.set_value(dt.date(2026, 11, 30)).run()
    assert not app.exception
    assert {m.label: m.value for m in app.metric}["Week to plan"] == "2026-W49"
    app.switch_page("views/exports.py")
    app.run()
    app.switch_page("views/data.py")
    app.run()
    assert {m.label: m.value for m in app.metric}["Week to plan"] == "2026-W49"  # kept across pages
