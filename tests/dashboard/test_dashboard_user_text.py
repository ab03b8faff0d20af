"""User text is shown as text: never Markdown or HTML in the dashboard, never a link in a chart (issue 12, S6 and
S7); uploads do not pile up (issue 12, minor)."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import common
from wfm.config import Config
from wfm.planning import charts, comparison, scenarios
from wfm.planning.store import Store
from wfm.planning.whatif import Modifiers

LINK = "[Session expired - log in again](https://evil.example/login)"
IMAGE = "![tracking pixel](https://evil.example/pixel.png)"
ANCHOR = '<a href="https://evil.example">click</a>'
HOSTILE = [
    LINK, IMAGE, ANCHOR, "**bold** _it_ `code` ~~gone~~ $x^2$", "# heading", "- item", "1. first",
    "see https://evil.example or www.evil.example or me@evil.example", ":red[alarm] &lt;b&gt;", "a\\[b\\](c)",
]


def rendered(text: str) -> str:
    """``text`` rendered by a CommonMark parser with GitHub's strikethrough and tables (as Streamlit does)."""
    markdown_it = pytest.importorskip("markdown_it")
    return str(markdown_it.MarkdownIt("commonmark").enable(["strikethrough", "table"]).render(text))


def decoded(spec: str) -> str:
    """A plotly figure's JSON with its escapes (``\\u003c`` for ``<``) decoded."""
    return json.dumps(json.loads(spec), ensure_ascii=False)


@pytest.mark.parametrize("text", HOSTILE)
def test_literal_text_renders_as_itself(text: str) -> None:
    html = rendered(f"Saved scenario {common.literal(text)} (version 1).")
    for live in ("<a", "<img", "<strong", "<em", "<code", "<s>", "<h1", "<li", "<ol", "<ul"):
        assert live not in html, html
    assert common.literal(text).replace("\\", "") == text.replace("\\", "")  # only escapes were added


def test_literal_breaks_bare_links_and_list_markers() -> None:
    assert common.literal("https://evil.example") == "https\\://evil.example"
    assert common.literal("www.evil.example") == "www\\.evil.example"
    assert common.literal("me@evil.example") == "me\\@evil.example"
    assert common.literal("- x") == "\\- x" and common.literal("2. x") == "2\\. x"
    assert common.literal("channels.voice.service_level: must be in (0, 1)") == (
        "channels.voice.service_level: must be in (0, 1)")  # ordinary messages stay readable
    assert common.literal("one\ntwo") == "one two"


def test_chart_labels_are_text() -> None:
    points = pd.DataFrame({"name": [ANCHOR, "a & b"], "cost": [1.0, 2.0], "service_level": [0.8, 0.9],
                           "solved": [True, True]})
    assert "<a" not in decoded(charts.workspace_chart(points, None, "£").to_json())
    assert list(charts.workspace_chart(points, None, "£").data[0].text) == [
        '&lt;a href="https://evil.example"&gt;click&lt;/a&gt;', "a &amp; b"]
    roster = pd.DataFrame({"agent_id": [ANCHOR], "shift_start": pd.to_datetime(["2026-11-16 08:00"], utc=True),
                           "shift_end": pd.to_datetime(["2026-11-16 16:00"], utc=True)})
    breaks = pd.DataFrame({"agent_id": [ANCHOR], "break_start": roster["shift_start"] + pd.Timedelta(hours=4),
                           "break_end": roster["shift_start"] + pd.Timedelta(hours=4, minutes=30),
                           "kind": ["<b>lunch</b>"]})
    gantt = charts.gantt(roster, breaks, "Europe/London")
    assert "<a" not in decoded(gantt.to_json()) and "<b>" not in decoded(gantt.to_json())
    assert [trace.name for trace in gantt.data] == ["shift", "&lt;b&gt;lunch&lt;/b&gt; break"]
    assert list(gantt.data[1].y) == [charts.plain(ANCHOR)]
    assert list(gantt.layout.yaxis.categoryarray) == [charts.plain(ANCHOR)]
    coverage = charts.coverage_chart(pd.DataFrame({"interval_start": roster["shift_start"], "required": [1],
                                                   "scheduled": [1]}), "UTC", title=ANCHOR)
    assert coverage.layout.title.text == charts.plain(ANCHOR)


def test_hostile_scenario_names_are_shown_as_text(page: Callable[..., AppTest], database: str,
                                                  fast_config: Config) -> None:
    figures = comparison.ScenarioFigures(required_fte=10, productive_agent_hours=300, required_agent_hours=375,
                                        projected_service_level=0.8, projected_occupancy=0.8, cost=5000,
                                        cost_basis="estimate")
    with Store.open(database) as store:
        for index, name in enumerate((LINK, IMAGE, ANCHOR)):
            scenarios.save(store, name, fast_config, Modifiers(volume_pct=index), figures, description=IMAGE)
    app = page("scenarios")
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert sorted(app.table[0].value.index) == sorted([LINK, IMAGE, ANCHOR])  # tables show the text itself

    (chart,) = app.get("plotly_chart")
    spec = json.loads(chart.proto.spec)
    assert sorted(spec["data"][0]["text"]) == sorted(charts.plain(n) for n in (LINK, IMAGE, ANCHOR))
    assert "<a" not in decoded(chart.proto.spec)

    for name in (LINK, IMAGE):
        app.selectbox(key="scn_open_name").set_value(name)
        app.button(key="scn_open").click().run()
        shown = app.success[0].value
        assert shown.startswith(common.literal(repr(name))), shown
        html = rendered(shown)
        assert "<a" not in html and "<img" not in html, html


def test_old_uploads_are_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common, "UPLOAD_FOLDER", tmp_path)
    monkeypatch.setattr(common, "MAX_UPLOADS", 3)
    stale = common.save_upload("old.csv", b"old")
    day_ago = time.time() - common.UPLOAD_MAX_AGE_SECONDS - 60
    os.utime(stale, (day_ago, day_ago))
    kept = [common.save_upload(f"h{i}.csv", f"h{i}".encode()) for i in range(4)]
    assert not stale.exists()
    assert sorted(tmp_path.iterdir()) == sorted(kept[1:])  # the newest three
    again = common.save_upload("h0.csv", b"h0")  # uploaded again: new again, and nothing older is lost to it
    assert again == kept[0] and again.read_bytes() == b"h0"
    assert len(list(tmp_path.iterdir())) == 3
