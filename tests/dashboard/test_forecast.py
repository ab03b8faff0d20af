"""Forecast page: the week's forecast per channel, with the model that made it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

from wfm import pipeline
from wfm.config import Config
from wfm.io import read_history


def test_forecast_figures_match_the_library(page: Callable[[str], AppTest], short_history: Path,
                                            fast_config: Config) -> None:
    config = fast_config
    history = read_history(short_history, config)
    expected = pipeline.forecast_week(history, config, pipeline.week_after(history)).frame
    app = page("forecast")
    assert not app.exception and not app.error
    for channel in ("voice", "chat"):
        app.selectbox(key="fc_channel").set_value(channel).run()
        shown = {m.label: m.value for m in app.metric}
        assert shown["Week"] == "2026-W47"
        assert shown["Model"] == "seasonal_naive"
        volume = expected.loc[expected["channel"] == channel, "volume"].sum()
        assert shown["Forecast contacts"] == f"{volume:,.0f}"
    assert "no backtest was run" in app.info[0].value
    assert len(app.get("plotly_chart")) == 2
