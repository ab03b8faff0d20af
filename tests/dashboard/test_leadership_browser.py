"""Leadership's pages in a real browser: the Capacity page with its capacity scenarios, and the scenario workspace
(base column, differences, the risk frontier), served and driven as in ``test_dashboard_browser.py``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.dashboard.test_dashboard_browser import CHROMIUM_FLAGS, PAGE_TIMEOUT_MS, _chromium, server, whole_page_shot

__all__ = ["server"]  # the served app, shared with the planner's browser test


def test_capacity_and_the_scenario_workspace_in_chromium(server: str, tmp_path: Path) -> None:  # noqa: F811
    chromium = _chromium()
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="playwright is not installed (pip install -e '.[dev]')")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 2400})
        page.set_default_timeout(PAGE_TIMEOUT_MS)

        def settled(text: str) -> None:
            try:
                page.get_by_text(text, exact=False).first.wait_for()
                page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')")
            except sync_api.TimeoutError:
                page.screenshot(path=str(tmp_path / "timed-out.png"), full_page=True)
                raise AssertionError(f"{text!r} did not show; see {tmp_path / 'timed-out.png'}") from None

        def check(name: str) -> str:
            body = page.inner_text("body")
            assert page.locator('[data-testid="stException"]').count() == 0, f"{name}: an exception is shown"
            assert "Traceback" not in body, f"{name}: a traceback is shown"
            whole_page_shot(page, tmp_path / f"{name}.png")
            return body

        def visit(title: str) -> None:
            page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).click()

        def save_capacity(name: str) -> None:
            page.get_by_label("Scenario name", exact=True).fill(name)
            page.get_by_role("button", name="Save as a capacity scenario").click()
            settled(f"Saved capacity scenario '{name}'")

        page.goto(server)
        settled("Week to plan")
        visit("Capacity")
        settled("Week by week")
        save_capacity("as planned")
        page.get_by_label("Volume change (%)").fill("10")
        page.get_by_role("button", name="Plan", exact=True).click()
        settled("volume +10%")
        save_capacity("volume +10%")
        settled("Total cost over the horizon")
        body = check("capacity")
        assert "as planned (base)" in body and "Total cost over the horizon" in body
        for code in ("required_fte", "total_cost", "gap_fte", "lead_time_weeks"):
            assert code not in body, f"capacity page: code name {code} shown"

        visit("Scenarios")
        settled("Save the current what-if")
        page.get_by_label("Name", exact=True).fill("expected volume")
        page.get_by_role("button", name="Save scenario").click()
        settled("Saved scenario 'expected volume'")
        page.get_by_label("Name", exact=True).fill("a 90% chance")
        page.get_by_role("combobox", name="Staff for").click()
        page.get_by_role("option", name="a 90% chance that each interval meets its target").click()
        page.get_by_role("button", name="Save scenario").click()
        settled("Saved scenario 'a 90% chance'")
        page.get_by_text("Show the risk frontier").click()
        settled("Staffed so each interval meets its target with probability")  # the frontier's table
        settled("Lowest chance of an interval meeting its target")
        body = check("scenario-workspace")
        assert "expected volume (base)" in body and "Lowest chance of an interval meeting its target" in body
        listed = page.locator('[data-testid="stTable"]').first.inner_text()  # the stored scenarios come first
        assert "expected volume" in listed and "volume +10%" not in listed  # capacity ones: the Capacity page
        for code in ("required_fte", "cost_basis", "target_probability", "week_probability"):
            assert code not in body, f"scenario workspace: code name {code} shown"
        browser.close()
    print(f"screenshots in {tmp_path}")
    assert sorted(p.name for p in tmp_path.glob("*.png")) == ["capacity.png", "scenario-workspace.png"]
