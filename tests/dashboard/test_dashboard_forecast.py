"""Forecast page: the week's forecast per channel, with the model that made it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
from streamlit.testing.v1 import AppTest

from wfm.config import Config, config_to_toml_dict
from wfm.io import read_history
from wfm.planning import plan as pipeline
from wfm.planning.store import Store
from wfm.weeks import week_after

FAST_CONFIG = Path(__file__).with_name("fast_config.toml")


def test_forecast_figures_match_the_library(page: Callable[..., AppTest], short_history: Path,
                                            fast_config: Config) -> None:
    config = fast_config
    history = read_history(short_history, config)
    made = pipeline.forecast_week(history, config, week_after(history))
    expected = made.frame
    app = page("forecast")
    assert not app.exception and not app.error
    assert app.selectbox(key="fc_channel").value == "voice"  # the first configured channel, not alphabetical
    for channel in ("voice", "chat"):
        app.selectbox(key="fc_channel").set_value(channel).run()
        shown = {m.label: m.value for m in app.metric}
        assert shown["Week"] == "2026-W47"
        assert shown["Model"] == "Seasonal naive"
        part = expected[expected["channel"] == channel]
        assert shown["Forecast contacts"] == f"{part['volume'].sum():,.0f}"
        # Daily totals: seven days, each the sum of its intervals, with separators.
        daily = next(d.value for d in app.dataframe if "80% band (contacts)" in d.value.columns)
        by_day = part.groupby(part["interval_start"].dt.tz_convert("Europe/London").dt.date)["volume"].sum()
        assert daily["Contacts"].tolist() == [f"{v:,.0f}" for v in by_day]
        # The band is the day's own 80% interval (the forecast's daily totals), not the interval bands summed.
        days = made.daily[made.daily["channel"] == channel]
        assert daily["80% band (contacts)"].tolist() == [f"{lo:,.0f} to {hi:,.0f}" for lo, hi in
                                                         zip(days["volume_lo"], days["volume_hi"], strict=True)]
        summed_hi = part.groupby(part["interval_start"].dt.tz_convert("Europe/London").dt.date)["volume_hi"].sum()
        assert (days["volume_hi"].to_numpy() < summed_hi.to_numpy()).all()
        weighted = (part["aht_seconds"] * part["volume"]).sum() / part["volume"].sum()
        assert shown["Forecast handle time"] == f"{weighted:,.1f} s"
    choices = next(t.value for t in app.table if "How it was chosen" in t.value.index)  # a row per figure
    assert {"voice", "chat", "email"} <= set(choices.columns)
    assert not {"None", "nan", "NaN"} & set(choices.to_numpy().ravel())
    assert "no backtest was run" in app.info[0].value
    assert len(app.get("plotly_chart")) == 2


def test_library_errors_show_as_messages(page: Callable[..., AppTest], tmp_path: Path) -> None:
    short = tmp_path / "two-days.csv"
    short.write_text("channel,interval_start,volume,aht_seconds\n"
                     + "".join(f"{channel},2026-11-0{d}T09:00:00+00:00,10,300\n" for d in (2, 3)
                               for channel in ("voice", "chat", "email")))
    app = page("forecast", history_path=str(short), history_name=short.name)
    assert not app.exception
    assert "channel 'chat': only 2 days of history" in app.error[0].value
    assert [status.state for status in app.status] == ["error"]  # the forecast's status ends; no spinner left


def test_backtest_leaderboard_when_the_model_is_chosen(page: Callable[..., AppTest], fast_config: Config) -> None:
    text = FAST_CONFIG.read_text().replace('model = "seasonal_naive"',
                                           'model = "auto"\nbacktest_folds = 1\nbacktest_horizon_days = 7')
    app = page("forecast", config_text=text, config_source="edited")
    assert not app.exception and not app.error
    board = next(d.value for d in app.dataframe if "chosen" in d.value.columns)
    assert board["chosen"].sum() == 1
    assert {"seasonal_naive", "ets"} <= set(board["model"])
    # The pooled scores the model was chosen on. One fold of 7 days is a short backtest: the better of the robust
    # models (daily, weekday_mean) is kept unless another model's interval wMAPE is over 10% lower.
    scores = board.set_index("model")["wMAPE (interval)"]
    robust = scores[scores.index.isin(["daily", "weekday_mean"])]
    expected = scores.idxmin() if scores.min() < 0.9 * robust.min() else robust.idxmin()
    assert board.loc[board["chosen"], "model"].iloc[0] == expected


def test_holidays_are_marked(page: Callable[..., AppTest], write_sample: Callable[..., Path]) -> None:
    christmas = write_sample(end=dt.date(2026, 12, 20), days=35)
    app = page("forecast", history_path=str(christmas), history_name=christmas.name)
    assert not app.exception and not app.error
    assert {m.label: m.value for m in app.metric}["Week"] == "2026-W52"
    shaded = [c.value for c in app.caption if c.value.startswith("Shaded: public holidays")]
    assert shaded and "Fri 25 Dec Christmas Day" in shaded[0] and "Boxing Day" in shaded[0]


def test_past_weeks_show_the_issued_forecast_against_actuals(page: Callable[..., AppTest], short_history: Path,
                                                             fast_config: Config, database: str) -> None:
    history = read_history(short_history, fast_config)
    week46 = history[history["interval_start"] >= pd.Timestamp("2026-11-09", tz=fast_config.timezone)]
    # A forecast of week 46 10% above what came: interval and daily wMAPE and bias 10%, the whole day scored.
    issued = week46.assign(volume=week46["volume"] * 1.1, volume_lo=0.0, volume_hi=week46["volume"] * 2,
                           model="seasonal_naive")
    with Store.open(database) as store:
        run = store.start_run("2026-W46", config_to_toml_dict(fast_config), "/exports/2026-W46")
        store.finish_run(run, "ok", {}, 0, forecast=issued)
    app = page("forecast")
    assert not app.exception and not app.error
    [table] = [frame.value for frame in app.dataframe if "Interval wMAPE" in frame.value.columns]
    row = table.iloc[0]
    assert (row["Week"], row["Channel"], row["Interval wMAPE"], row["Daily wMAPE"], row["Bias"]) == (
        "2026-W46", "voice", "10.0%", "10.0%", "+10.0%")  # the first configured channel is shown first
    assert row["Actual contacts"] == f"{week46.loc[week46['channel'] == 'voice', 'volume'].sum():,.0f}"
    assert len(app.get("plotly_chart")) == 4  # the week's forecast, AHT, the past week, the trend


def test_settings_form_edits_the_config_with_the_loaders_checks(page: Callable[..., AppTest]) -> None:
    app = page("forecast")
    before = app.session_state["config_text"]

    def field(widgets: object, label: str) -> Any:
        return next(w for w in widgets if w.label == label)  # type: ignore[attr-defined]

    def apply() -> None:
        field(app.button, "Apply and forecast again").click().run()

    field(app.text_input, "Outlier days").set_value("2026-13-45")
    apply()
    assert not app.exception
    assert "forecast.outlier_dates" in app.error[0].value and "month value is outside" in app.error[0].value
    assert app.session_state["config_text"] == before  # a refused value changes nothing
    field(app.text_input, "Outlier days").set_value("2026-11-02")
    field(app.number_input, "Horizon (days)").set_value(7)
    apply()
    assert not app.exception and not app.error
    text = app.session_state["config_text"]
    assert "outlier_dates = [2026-11-02]" in text and "horizon_days = 7" in text
    assert "# The example center made fast" in text  # the expert's comments are kept
    assert app.session_state["config_source"] == "the forecast settings"
