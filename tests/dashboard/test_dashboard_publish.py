"""Publishing from the dashboard: a solved plan becomes a recorded run exactly like ``wfm plan``'s, in the store
``wfm plan`` would use with the same config."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from wfm.planning.export import EXPORT_FILES
from wfm.planning.store import Store
from wfm.planning.summary import PlanSummary
from wfm.planning.whatif import Modifiers


def test_a_published_plan_is_a_recorded_run_with_its_export(page: Callable[..., AppTest], tmp_path: Path,
                                                            database: str) -> None:
    # A what-if of its own, so that the plan it solves is not the one other tests expect unsolved.
    app = page("schedule", modifiers=Modifiers(volume_pct=5))
    app.button(key="sched_solve").click().run()
    shown = {m.label: m.value for m in app.metric}
    assert not app.exception, app.exception
    assert [t.key for t in app.text_input if t.key == "sched_export_folder"], [m.value for m in app.warning]
    app.text_input(key="sched_export_folder").set_value(str(tmp_path / "exports")).run()
    app.button(key="sched_publish").click().run()
    assert not app.exception
    assert all(e.value.startswith("Not covered: ") for e in app.error)  # at most the plan's status banner
    with Store.open(database) as store:
        (run,) = store.list_runs()
    assert run.week == "2026-W47" and run.status == "ok"
    summary = PlanSummary.from_dict(run.summary or {})
    assert f"${summary.cost:,.0f}" == shown["Cost"] and f"{summary.paid_hours:,.0f} h" == shown["Paid hours"]
    week = tmp_path / "exports" / "2026-W47"
    assert sorted(p.name for p in week.iterdir()) == sorted(EXPORT_FILES)
    # The export's summary.json is the recorded one.
    assert json.loads((week / "summary.json").read_text()) == run.summary
    assert (run.exit_code == 3) == (summary.unmet_intervals > 0)
    assert any(f"Run {run.id} recorded" in m.value for m in [*app.success, *app.warning])
    # One value per figure: the Exports page shows the published run with the Schedule page's very tiles, status
    # and channel figures.
    schedule_channels = next(t.value for t in app.table if "voice" in t.value.columns)
    schedule_banner = (app.success or app.error)[0].value
    exports = page("exports")
    assert not exports.exception
    assert {m.label: m.value for m in exports.metric} == shown
    assert (exports.success or exports.error)[0].value == schedule_banner
    exports_channels = next(t.value for t in exports.table if "voice" in t.value.columns)
    assert exports_channels.equals(schedule_channels)


def test_the_exports_page_reads_the_store_named_by_the_config(page: Callable[..., AppTest], tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    # No WFM_DATABASE_URL: the config's [storage] url decides, as it does for `wfm plan --config`.
    monkeypatch.delenv("WFM_DATABASE_URL")
    url = f"sqlite:///{tmp_path / 'configured.db'}"
    with Store.open(url) as store:
        run_id = store.start_run("2026-W47", {"timezone": "UTC"}, tmp_path / "2026-W47")
        store.finish_run(run_id, "failed", None, exit_code=1, message="history.csv: line 3: volume: not a number")
    config_text = Path(__file__).with_name("fast_config.toml").read_text() + f'\n[storage]\nurl = "{url}"\n'
    app = page("exports", config_text=config_text, config_source="test config")
    assert not app.exception
    assert "configured.db" in app.caption[0].value
    assert "line 3: volume: not a number" in app.error[0].value
