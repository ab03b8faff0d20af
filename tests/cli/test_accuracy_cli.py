"""``wfm accuracy`` through the installed command: the table for people and the record as CSV."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from wfm.planning.store import Store

Wfm = Callable[..., subprocess.CompletedProcess[str]]
ZONE = "Europe/London"
CONFIG = {"timezone": ZONE, "interval_minutes": 60,
          "channels": {"voice": {"kind": "voice", "service_level": 0.8, "answer_seconds": 20}}}


def test_scores_issued_forecasts_into_a_table_and_a_csv(wfm: Wfm, tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'runs.db'}"
    hours = pd.DatetimeIndex(["2026-11-16 09:00", "2026-11-16 10:00"]).tz_localize(ZONE)
    with Store.open(database) as store:
        for week, stamps in (("2026-W47", hours), ("2026-W48", hours + pd.Timedelta(weeks=1))):
            run = store.start_run(week, CONFIG, tmp_path / week)
            store.finish_run(run, "ok", {}, 0, forecast=pd.DataFrame({
                "channel": "voice", "interval_start": stamps, "volume": [1000.0, 3000.0],
                "volume_lo": [900.0, 2700.0], "volume_hi": [1100.0, 3300.0], "model": "ets"}))
    # Naive local times, read in the config of the latest run: 1,100 and 2,900 calls arrived in week 47.
    (tmp_path / "history.csv").write_text("channel,interval_start,volume\n"
                                          "voice,2026-11-16 09:00,1100\nvoice,2026-11-16 10:00,2900\n")
    done = wfm("accuracy", "--history", "history.csv", "--database", database, "--out", "record.csv")
    assert done.returncode == 0, done.stderr
    header, first, second = done.stdout.splitlines()
    for words in ("Week", "Interval wMAPE", "Noise floor (interval)", "Daily wMAPE", "80% band coverage"):
        assert words in header
    # |1000 - 1100| + |3000 - 2900| = 200 of 4,000 calls; daily 4,000 vs 4,000; both inside their band. Noise
    # floors at these volumes (normal limit of Poisson, E|N - m| = sqrt(2m/pi)): interval (sqrt(1000) +
    # sqrt(3000)) sqrt(2/pi) / 4000 = 1.72%, daily sqrt(4000) sqrt(2/pi) / 4000 = 1.26%.
    assert first.split() == ["2026-W47", "voice", "1", "1", "of", "1", "4,000", "4,000", "5.0%", "1.7%", "0.0%",
                             "1.3%", "+0.0%", "100.0%", "complete"]
    assert second.split()[:4] == ["2026-W48", "voice", "2", "0"] and second.endswith("no actuals yet")
    record = pd.read_csv(tmp_path / "record.csv")
    assert record["wmape_interval"].round(6).tolist()[0] == 0.05 and record["status"].tolist()[1] == "no actuals yet"
