"""Numbers and names written for people: one place for every figure's display format and label.

The CLI, the exports and the dashboard format figures through these functions, so one figure reads the same
everywhere: thousands separators, one percent format, units, the config's currency, and "—" where a figure
does not apply (NaN or None).

>>> count(10714.04), hours(10714.04), percent(0.92254), money(233210.4, "GBP"), seconds(20.0)
('10,714', '10,714.0 h', '92.3%', '£233,210', '20 s')
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

#: Shown where a figure does not apply or is unknown.
NOT_APPLICABLE = "—"

#: Symbols written before the amount; any other ISO 4217 code is written after it ("233,210 CHF").
CURRENCY_SYMBOLS: Mapping[str, str] = {"GBP": "£", "USD": "$", "EUR": "€", "JPY": "¥", "INR": "₹", "ILS": "₪"}

#: Figure and column names in words, with their unit where it is not in the value itself.
LABELS: Mapping[str, str] = {
    "channel": "Channel",
    "group": "Staff group",
    "date": "Date",
    "day": "Day",
    "week": "Week",
    "interval_start": "Interval start",
    "volume": "Contacts",
    "aht_seconds": "Average handle time (s)",
    "model": "Forecast model",
    "wmape": "Forecast error (wMAPE)",
    "required_agents": "Required agents",
    "scheduled_agents": "Scheduled agents",
    "required_fte": "Required FTE",
    "available_fte": "Available FTE",
    "overtime_fte": "Overtime FTE",
    "gap_fte": "Short FTE",
    "gap_cause": "Why short",
    "hires_starting": "Hires starting",
    "in_training": "In training (people)",
    "payroll_fte": "Paid FTE",
    "attrition_fte": "Leaving FTE",
    "salary_cost": "Salaries",
    "hiring_cost": "Hiring cost",
    "overtime_cost": "Overtime cost",
    "total_cost": "Total cost",
    "shortage_penalty": "Shortage penalty (not spent)",
    "productive_agent_hours": "Productive agent-hours",
    "required_agent_hours": "Required agent-hours (after shrinkage)",
    "scheduled_agent_hours": "Scheduled agent-hours",
    "paid_hours": "Paid hours",
    "cost": "Cost",
    "under_agent_hours": "Short agent-hours",
    "over_agent_hours": "Over agent-hours",
    "coverage": "Coverage",
    "efficiency": "Efficiency",
    "unmet_intervals": "Short intervals",
    "unassigned_shifts": "Unassigned shifts",
    "service_level": "Service level",
    "projected_service_level": "Projected service level",
    "expected_service_level": "Service level to expect (averaged over the forecast's uncertainty)",
    "target_probability": "Lowest chance of an interval meeting its target",
    "intervals_meeting_target": "Intervals expected to meet their target",
    "week_probability": "Chance every interval of the week meets its target",
    "service_level_target": "Service level target",
    "answer_seconds": "Answer within (s)",
    "projected_occupancy": "Projected occupancy",
    "max_occupancy": "Occupancy cap",
    "shrinkage": "Shrinkage",
    "concurrency": "Chats per agent",
    "patience_seconds": "Patience (s)",
}


def missing(value: object) -> bool:
    """Whether a figure is absent: None, NaN or pandas' NA."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def number(value: float | None, decimals: int = 0) -> str:
    """A number with thousands separators and ``decimals`` places: ``number(19662.4337, 1)`` -> '19,662.4'."""
    if missing(value):
        return NOT_APPLICABLE
    assert value is not None
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    rounded = round(float(value), decimals) + 0.0  # + 0.0 turns -0.0 into 0.0: no "-0.0" for a tiny negative
    return f"{rounded:,.{decimals}f}"


def count(value: float | None) -> str:
    """A whole count of contacts, agents or intervals: '3,960,686'."""
    return number(value, 0)


def hours(value: float | None, decimals: int = 1) -> str:
    """Hours with the unit: '10,714.0 h'."""
    return _with_unit(number(value, decimals), "h")


def seconds(value: float | None) -> str:
    """Seconds with the unit, whole when whole: '20 s', '614.5 s'."""
    if missing(value):
        return NOT_APPLICABLE
    assert value is not None
    return _with_unit(number(value, 0 if float(value).is_integer() else 1), "s")


def percent(value: float | None, decimals: int = 1) -> str:
    """A fraction as a percentage with one decimal: 0.8995 -> '90.0%'."""
    if missing(value):
        return NOT_APPLICABLE
    assert value is not None
    return f"{number(100.0 * value, decimals)}%"


def chance(value: float | None) -> str:
    """A probability as a percentage, never rounded to a certainty: 4e-19 -> 'under 0.1%', 0.9996 -> 'over 99.9%'."""
    if missing(value):
        return NOT_APPLICABLE
    assert value is not None
    if value < 0.0005 and value > 0:
        return "under 0.1%"
    if 0.9995 <= value < 1:
        return "over 99.9%"
    return percent(value)


def listed(names: list[str]) -> str:
    """Names as an English list: ['chat'] -> 'chat', ['chat', 'email', 'voice'] -> 'chat, email and voice'."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def money(value: float | None, currency: str) -> str:
    """An amount in whole units of ``currency`` (ISO 4217): '£233,210', '233,210 CHF'."""
    if missing(value):
        return NOT_APPLICABLE
    assert value is not None
    amount = number(abs(value), 0)
    sign = "-" if value < 0 and amount != "0" else ""
    symbol = CURRENCY_SYMBOLS.get(currency)
    return f"{sign}{symbol}{amount}" if symbol else f"{sign}{amount} {currency}"


def label(name: str) -> str:
    """A figure or column name in words: 'required_fte' -> 'Required FTE'; unknown names are spelled out."""
    return LABELS.get(name) or name.replace("_", " ").capitalize()


def labelled(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its column names in words (values untouched)."""
    return frame.rename(columns={column: label(str(column)) for column in frame.columns})


def _with_unit(text: str, unit: str) -> str:
    return text if text == NOT_APPLICABLE else f"{text} {unit}"
