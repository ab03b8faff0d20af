"""Figures written for people: separators, one percent format, units, currency and "—" for absent figures."""

import math

import pandas as pd
import pytest

from wfm.config import config_to_toml_dict, parse_config
from wfm.errors import ConfigError
from wfm.formats import NOT_APPLICABLE, chance, count, hours, label, labelled, listed, money, number, percent, seconds


@pytest.mark.parametrize(("value", "decimals", "text"), [
    (3960686, 0, "3,960,686"), (19662.4337, 1, "19,662.4"), (106.2416, 0, "106"), (-1234.5, 1, "-1,234.5"),
    (-0.0001, 1, "0.0"), (0.49, 0, "0"), (999.96, 1, "1,000.0"),
])
def test_number_has_thousands_separators_and_fixed_decimals(value: float, decimals: int, text: str) -> None:
    assert number(value, decimals) == text


@pytest.mark.parametrize("absent", [None, math.nan, pd.NA, pd.NaT])
def test_absent_figures_read_not_applicable(absent: object) -> None:
    for show in (count, hours, seconds, percent):
        assert show(absent) == NOT_APPLICABLE  # type: ignore[arg-type]
    assert money(absent, "GBP") == NOT_APPLICABLE  # type: ignore[arg-type]


def test_one_percent_format_for_fractions() -> None:
    # 0.8995 on one page and 89.96% on another were the same figure: both now read 90.0%.
    assert percent(0.8995) == percent(0.89956) == "90.0%"
    assert percent(1.0) == "100.0%"
    assert percent(0.9194, 2) == "91.94%"


def test_units_are_written_after_the_number() -> None:
    assert hours(10714.04) == "10,714.0 h"
    assert seconds(20.0) == "20 s"
    assert seconds(614.5113) == "614.5 s"
    assert count(10718.6) == "10,719"


def test_money_uses_the_currency_symbol_or_its_code() -> None:
    assert money(233210.4, "GBP") == "£233,210"
    assert money(233210.4, "USD") == "$233,210"
    assert money(-1500, "EUR") == "-€1,500"
    assert money(233210.4, "CHF") == "233,210 CHF"


def test_labels_are_words_and_unknown_names_are_spelled_out() -> None:
    assert label("required_fte") == "Required FTE"
    assert label("aht_seconds") == "Average handle time (s)"
    assert label("late_arrivals") == "Late arrivals"
    frame = labelled(pd.DataFrame({"paid_hours": [1.0], "cost": [2.0]}))
    assert list(frame.columns) == ["Paid hours", "Cost"]


def test_config_currency_defaults_to_usd_and_must_be_an_iso_code() -> None:
    base = {"timezone": "Europe/London", "channels": {"voice": {"kind": "voice", "service_level": 0.8,
                                                                 "answer_seconds": 20}}}
    assert parse_config(base).currency == "USD"
    pounds = parse_config({**base, "currency": "GBP"})
    assert pounds.currency == "GBP"
    assert parse_config(config_to_toml_dict(pounds)) == pounds
    with pytest.raises(ConfigError, match="currency.*ISO 4217"):
        parse_config({**base, "currency": "pounds"})


@pytest.mark.parametrize(("value", "written"), [(4e-19, "under 0.1%"), (0.0, "0.0%"), (0.0004, "under 0.1%"),
                                                (0.0005, "0.1%"), (0.9, "90.0%"), (0.9996, "over 99.9%"),
                                                (1.0, "100.0%"), (None, "—")])
def test_a_chance_is_never_rounded_to_a_certainty(value: float | None, written: str) -> None:
    assert chance(value) == written


@pytest.mark.parametrize(("names", "written"), [([], ""), (["chat"], "chat"), (["chat", "voice"], "chat and voice"),
                                                (["chat", "email", "voice"], "chat, email and voice")])
def test_names_are_listed_as_english(names: list[str], written: str) -> None:
    assert listed(names) == written
