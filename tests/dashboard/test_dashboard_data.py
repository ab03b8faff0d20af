"""Data page: the sample by default, uploads validated row by row, the config edited with validation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

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
