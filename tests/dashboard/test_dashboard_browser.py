"""The dashboard in a real browser: ``streamlit run`` on a free port, driven by Playwright in headless Chromium.

Chromium comes from Debian's packages (``apt-get install chromium``; ``.ci/run`` installs it), because
``playwright install`` cannot download browsers here. Without it the test skips and says why.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

PROJECT = Path(__file__).resolve().parents[2]
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]
#: The solver's limit in the test config is 10 s; a shared machine can take several times longer.
SOLVE_TIMEOUT_MS = 300_000
PAGE_TIMEOUT_MS = 120_000


def _chromium() -> str:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.skip("no Chromium here: install Debian's package (apt-get install -y chromium; .ci/run does) "
                "to run the browser test")


def whole_page_shot(page: Any, path: Path) -> None:
    """A screenshot of the whole page. Streamlit scrolls inside its main block, so a full-page shot of a 1,000 px
    window shows 1,000 px: the window is made as tall as the page for the shot, then set back."""
    size = page.viewport_size
    height = page.evaluate("() => (document.querySelector('[data-testid=\"stMain\"]') "
                           "|| document.body).scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], min(int(height), 20_000))})
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, dashboard_inputs: dict[str, str]) -> Iterator[str]:
    """The app served by ``streamlit run`` on a free localhost port; yields its URL."""
    port = _free_port()
    folder = tmp_path_factory.mktemp("browser-server")
    env = {**os.environ, **dashboard_inputs, "PYTHONPATH": str(PROJECT),
           "WFM_DATABASE_URL": f"sqlite:///{folder / 'wfm.db'}", "OPENBLAS_NUM_THREADS": "1"}
    log = (folder / "streamlit.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(PROJECT / "dashboard" / "app.py"),
         "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"streamlit did not start: {(folder / 'streamlit.log').read_text()[-2000:]}")
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def test_a_planners_week_in_chromium(server: str, tmp_path: Path) -> None:
    """The planner's tasks, each counted in clicks and keyed entries (printed for the closing note): plan the week,
    a what-if and its reset, solve and read the status, download the roster, publish, compare two scenarios."""
    chromium = _chromium()
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="playwright is not installed (pip install -e '.[dev]')")
    begun = time.monotonic()
    clicks: dict[str, int] = {}
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(PAGE_TIMEOUT_MS)

        def settled(text: str, timeout: float = PAGE_TIMEOUT_MS) -> None:
            try:
                page.get_by_text(text, exact=False).first.wait_for(timeout=timeout)
                page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')",
                                       timeout=timeout)
            except sync_api.TimeoutError:
                page.screenshot(path=str(tmp_path / "timed-out.png"), full_page=True)
                raise AssertionError(f"{text!r} did not show; see {tmp_path / 'timed-out.png'}") from None

        def check(name: str) -> None:
            assert page.locator('[data-testid="stException"]').count() == 0, f"{name}: an exception is shown"
            assert "Traceback" not in page.inner_text("body"), f"{name}: a traceback is shown"
            whole_page_shot(page, tmp_path / f"{name}.png")
            print(f"{time.monotonic() - begun:5.0f} s  {name}.png")

        def act(task: str, locator: Any, text: str | None = None, *, enter: bool = True) -> None:
            """One click, or one typed entry (ended with Enter unless in a form), of a planner's task."""
            clicks[task] = clicks.get(task, 0) + 1
            if text is None:
                locator.click()
            else:
                locator.fill(text)
                if enter:
                    locator.press("Enter")

        def visit(task: str, title: str) -> None:
            act(task, page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True))

        def what_if(task: str, volume_pct: str) -> None:
            """Set the all-channel volume change on the Staffing page; the tiles show the change against the base."""
            visit(task, "Staffing what-if")
            settled("Required FTE")
            act(task, page.get_by_role("spinbutton", name="Volume change, all channels (%)"), volume_pct)
            settled("Changes against the configured plan")

        def save_scenario(task: str, name: str) -> None:
            visit(task, "Scenarios")
            settled("Save the current what-if")
            act(task, page.get_by_label("Name", exact=True), name, enter=False)
            act(task, page.get_by_role("button", name="Save scenario"))
            settled(f"Saved scenario '{name}'")

        page.goto(server)
        settled("Week to plan")
        assert page.get_by_text("2026-W47").first.is_visible()
        check("data")

        visit("plan the week", "Forecast")
        settled("Contacts per interval")
        check("forecast")

        what_if("what-if and reset", "15")
        fte = page.locator('[data-testid="stMetric"]').filter(has_text="Required FTE")
        assert fte.locator('[data-testid="stMetricDelta"]').inner_text().startswith("+")
        check("staffing-what-if")
        act("what-if and reset", page.get_by_role("button", name="Reset to configured"))
        settled("No what-if: the figures are the configured plan's")
        assert fte.locator('[data-testid="stMetricDelta"]').count() == 0
        check("staffing-reset")
        page.get_by_role("tab", name="Single interval").click()
        sync_api.expect(page.get_by_label("Calls in the interval")).to_have_value("100.00")
        metric = page.locator('[data-testid="stMetric"]').filter(has_text="Required agents")
        assert metric.locator('[data-testid="stMetricValue"]').inner_text() == "14"

        visit("solve and read the status", "Schedule")
        settled("Solve schedule")
        act("solve and read the status", page.get_by_role("button", name="Solve schedule"))
        settled("Paid hours", SOLVE_TIMEOUT_MS)
        banner = page.locator('[data-testid="stAlert"] [data-testid="stMarkdownContainer"]').first.inner_text()
        assert banner.startswith(("Covered:", "Not covered:")), banner
        assert "optimal" not in banner.lower() or banner.startswith("Covered:")
        settled("Agents: required and planned")
        check("schedule")
        page.get_by_role("tab", name="Agents' week").click()
        check("schedule-agents-week")
        page.get_by_role("tab", name="Day Gantt").click()
        settled("Shifts by agent")
        check("schedule-gantt")
        with page.expect_download() as download:
            act("download the roster", page.get_by_role("button", name="Download roster (CSV)"))
        roster = tmp_path / "roster.csv"
        download.value.save_as(roster)
        assert roster.read_text().splitlines()[0] == "agent_id,group,date,shift_start,shift_end,paid_hours"
        act("publish", page.get_by_role("textbox", name="Export folder"), str(tmp_path / "exports"))
        act("publish", page.get_by_role("button", name="Publish 2026-W47 as the week's export"))
        settled("recorded", SOLVE_TIMEOUT_MS)
        assert (tmp_path / "exports" / "2026-W47" / "roster.csv").read_text() == roster.read_text()
        check("schedule-published")

        save_scenario("compare two scenarios", "browser base")
        what_if("compare two scenarios", "15")
        save_scenario("compare two scenarios", "browser volume +15%")
        settled("Cost vs service level")  # shown with the first scenario too: wait for the second one's column
        workspace = page.locator('[data-testid="stTable"]').filter(has_text="(base)")  # not the stored scenarios
        workspace.filter(has_text="browser volume +15%").wait_for()
        compared = workspace.inner_text()
        assert "browser base" in compared and "browser volume +15%" in compared, compared
        check("scenarios-compared")

        visit("exports", "Exports")
        settled("Whole summary")
        page.get_by_text("Whole summary").click()
        # The summary is a table (drawn on a canvas, so its words are not page text).
        page.locator('[data-testid="stExpander"] [data-testid="stDataFrame"]').first.wait_for()
        assert page.locator('[data-testid="stJson"]').count() == 0  # the summary reads as figures, not JSON
        check("exports")
        browser.close()
    print(f"screenshots in {tmp_path}")
    print("clicks per task: " + "; ".join(f"{task} {count}" for task, count in clicks.items()))
    print(f"test seconds: {time.monotonic() - begun:.0f}")
    assert sorted(p.name for p in tmp_path.glob("*.png")) == sorted(
        f"{n}.png" for n in ("data", "forecast", "staffing-what-if", "staffing-reset", "schedule",
                             "schedule-agents-week", "schedule-gantt", "schedule-published", "scenarios-compared",
                             "exports"))
