"""Exports are safe to open in a spreadsheet: no text cell runs as a formula (OWASP CSV injection), and text
holds only characters its format can (issue 12, S5 and T4)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from tiny_center import TINY_CONFIG, tiny_history

from wfm.config import parse_config
from wfm.contracts import validate_agents
from wfm.io import FORMULA_STARTS, REPLACEMENT, safe_cells, safe_text, write_frame
from wfm.planning import export
from wfm.planning.plan import Plan, plan_week

HOSTILE_AGENTS = ['=HYPERLINK("http://evil.example","open")', "bell\x07agent", "-2+3", "-7", "@SUM(A1)",
                  "\tcmd", *[f"A{i:02d}" for i in range(14)]]


class TestSafeText:
    @pytest.mark.parametrize(("text", "safe"), [
        ("=1+1", "'=1+1"), ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("plain", "plain"), ("a=b", "a=b"), ("", ""),
        ("-7", "-7"), ("+1.5e3", "+1.5e3"), ("-.5", "-.5"),  # plain numbers are numbers, not formulas
    ])
    def test_formulas_are_quoted(self, text: str, safe: str) -> None:
        assert safe_text(text) == safe == safe_text(text, "xlsx")

    def test_control_characters_are_replaced_where_the_format_cannot_hold_them(self) -> None:
        assert safe_text("a\x00b\x07c\x1fd\ne", "xlsx") == f"a{REPLACEMENT}b{REPLACEMENT}c{REPLACEMENT}d\ne"
        assert safe_text("a\x00b\x07c", "csv") == f"a{REPLACEMENT}b\x07c"
        assert safe_text("=\x01", "xlsx") == f"'={REPLACEMENT}"

    def test_only_text_cells_change(self) -> None:
        frame = pd.DataFrame({
            "name": pd.array(["=x", "ok", None], dtype="string"),
            "count": [-1, 2, -3],
            "share": [-0.5, float("nan"), 1.0],
            "mixed": ["+y", -4, dt.date(2026, 11, 16)],
            "at": pd.date_range("2026-11-16", periods=3, freq="h", tz="Europe/London"),
        })
        safe = safe_cells(frame)
        assert safe["name"].tolist()[:2] == ["'=x", "ok"] and pd.isna(safe["name"].iloc[2])
        assert safe["mixed"].tolist() == ["'+y", -4, dt.date(2026, 11, 16)]
        pd.testing.assert_frame_equal(safe[["count", "share", "at"]], frame[["count", "share", "at"]])
        assert frame["name"].iloc[0] == "=x"  # the caller's frame is left as it was

    def test_write_frame_writes_safe_csv(self, tmp_path: Path) -> None:
        path = write_frame(pd.DataFrame({"agent_id": ["=1+1", "-3"], "hours": [-1.5, 2.0]}), tmp_path / "x.csv")
        assert path.read_text().splitlines() == ["agent_id,hours", "'=1+1,-1.5", "-3,2.0"]


@pytest.fixture(scope="module")
def hostile_plan() -> Plan:
    """The tiny center with a channel, a group, a break and agent ids a spreadsheet would run as formulas."""
    raw = dict(TINY_CONFIG)
    raw.update(channels={"=voice": TINY_CONFIG["channels"]["voice"]}, groups={"+team": {"channels": ["=voice"]}},
               breaks={"@lunch": TINY_CONFIG["breaks"]["lunch"]},
               shifts=[{**TINY_CONFIG["shifts"][0], "group": "+team"}])
    config = parse_config(raw, source="hostile.toml")
    history = tiny_history().assign(channel="=voice")
    agents = validate_agents(pd.DataFrame({"agent_id": HOSTILE_AGENTS, "group": "+team", "min_hours": "0",
                                           "max_hours": "40"}), source="agents.csv", groups=["+team"])
    return plan_week(history, config, agents=agents)


def _unsafe(cell: str) -> bool:
    return cell.startswith(FORMULA_STARTS) and safe_text(cell) != cell


def test_the_export_runs_no_formula_and_holds_control_characters(hostile_plan: Plan, tmp_path: Path) -> None:
    target = export.export_plan(hostile_plan, tiny_history().assign(channel="=voice"), tmp_path)
    for name in ("forecast.csv", "requirements.csv", "roster.csv", "breaks.csv", "coverage.csv"):
        with (target / name).open(newline="", encoding="utf-8") as file:
            cells = [cell for row in csv.reader(file) for cell in row]
        assert not [c for c in cells if _unsafe(c)], name
    roster = (target / "roster.csv").read_text(encoding="utf-8")
    assert "\n'=HYPERLINK(" in roster.replace('"', "") and "\n-7," in roster and "\n'-2+3," in roster
    assert "'=voice" in (target / "forecast.csv").read_text(encoding="utf-8")
    assert "'@lunch" in (target / "breaks.csv").read_text(encoding="utf-8")

    book = openpyxl.load_workbook(target / "schedule.xlsx")
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]  # no formula anywhere
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert {"'=voice", "'+team", "'@SUM(A1)", f"bell{REPLACEMENT}agent"} <= texts
    assert any(t.startswith("'=HYPERLINK(") for t in texts)
    assert not [t for t in texts if _unsafe(t)]
    numbers = [c.value for c in book["Summary"]["B"] if isinstance(c.value, int | float)]
    assert numbers and all(isinstance(v, int | float) for v in numbers)
