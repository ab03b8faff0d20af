"""Issue 12: weeks far beyond the history and absurd what-if changes are refused, naming what to fix."""

from __future__ import annotations

import datetime as dt

import pytest
from tiny_center import tiny_config, tiny_history

from wfm.errors import ConfigError, DataError
from wfm.planning.plan import check_week, forecast_week
from wfm.planning.whatif import Modifiers


def test_a_week_far_beyond_the_history_is_refused_before_forecasting() -> None:
    history = tiny_history(weeks=9)  # weekdays only: ends on Friday 2026-11-13
    with pytest.raises(DataError) as caught:
        forecast_week(history, tiny_config(), dt.date(2098, 12, 29))  # 2099-W01
    assert str(caught.value) == ("week: 2099-W01 starts on 2098-12-29, 26,344 days after the history ends "
                                 "(2026-11-13); plan one of the 8 weeks after the history (2026-W47 to 2027-W01), "
                                 "or give a longer history")


def test_the_eight_weeks_after_the_history_are_allowed() -> None:
    history = tiny_history()
    check_week(history, dt.date(2026, 11, 16))  # 2026-W47, the week after
    check_week(history, dt.date(2027, 1, 4))  # 2027-W01, the eighth (2026 has 53 weeks)
    with pytest.raises(DataError, match="2027-W02 starts on 2027-01-11"):
        check_week(history, dt.date(2027, 1, 11))
    with pytest.raises(DataError, match="inside the history"):
        check_week(history, dt.date(2026, 11, 9))


@pytest.mark.parametrize(("changes", "message"), [
    ({"volume_pct": float("inf")}, r"modifiers\.volume_pct: must be > -100 and at most 1000 \(a change in percent, "
                                   r"\+10 means 10% more\), got inf"),
    ({"volume_pct": 1e17}, r"modifiers\.volume_pct: .* got 1e\+17"),
    ({"aht_pct": 1e300}, r"modifiers\.aht_pct: .* got 1e\+300"),
    ({"volume_pct": float("nan")}, r"modifiers\.volume_pct: .* got nan"),
    ({"aht_pct": -100}, r"modifiers\.aht_pct: must be > -100"),
])
def test_volume_and_aht_changes_are_bounded(changes: dict[str, float], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Modifiers(**changes)  # type: ignore[arg-type]


def test_the_largest_change_is_allowed() -> None:
    assert Modifiers(volume_pct=1000, aht_pct=-99.9).to_dict() == {"volume_pct": 1000, "aht_pct": -99.9}


@pytest.mark.parametrize("key", ["answer_seconds", "patience_seconds", "service_level", "cost_per_hour"])
def test_infinite_rule_changes_are_refused(key: str) -> None:
    with pytest.raises(ConfigError, match=r"what-if: .*: must be a finite number, got inf"):
        Modifiers(**{key: float("inf")}).apply_to_config(tiny_config())  # type: ignore[arg-type]
