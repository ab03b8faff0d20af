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
    chromium = _chromium()
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="playwright is not installed (pip install -e '.[dev]')")
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
            page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)

        def visit(title: str) -> None:
            page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).click()

        page.goto(server)
        settled("Week to plan")
        assert page.get_by_text("2026-W47").first.is_visible()
        check("data")

        visit("Forecast")
        settled("Contacts per interval")
        check("forecast")

        visit("Staffing what-if")
        settled("Required FTE")
        page.get_by_role("tab", name="Single interval").click()
        sync_api.expect(page.get_by_label("Calls in the interval")).to_have_value("100.00")
        sync_api.expect(page.get_by_label("AHT (seconds)")).to_have_value("180.00")
        metric = page.locator('[data-testid="stMetric"]').filter(has_text="Required agents")
        assert metric.locator('[data-testid="stMetricValue"]').inner_text() == "14"
        check("staffing")

        visit("Schedule")
        settled("Solve schedule")
        page.get_by_role("button", name="Solve schedule").click()
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
            page.get_by_role("button", name="Download roster (CSV)").click()
        roster = tmp_path / "roster.csv"
        download.value.save_as(roster)
        assert roster.read_text().splitlines()[0] == "agent_id,group,date,shift_start,shift_end,paid_hours"
        page.get_by_role("textbox", name="Export folder").fill(str(tmp_path / "exports"))
        page.get_by_role("textbox", name="Export folder").press("Enter")
        page.get_by_role("button", name="Publish 2026-W47 as the week's export").click()
        settled("recorded", SOLVE_TIMEOUT_MS)
        assert (tmp_path / "exports" / "2026-W47" / "roster.csv").read_text() == roster.read_text()
        check("schedule-published")

        visit("Scenarios")
        settled("Save the current what-if")
        page.get_by_label("Name", exact=True).fill("browser base")
        page.get_by_role("button", name="Save scenario").click()
        settled("Saved scenario 'browser base'")
        settled("Cost vs service level")
        check("scenarios")

        visit("Exports")
        settled("Whole summary")
        page.get_by_text("Whole summary").click()
        # The summary is a table (drawn on a canvas, so its words are not page text).
        page.locator('[data-testid="stExpander"] [data-testid="stDataFrame"]').first.wait_for()
        assert page.locator('[data-testid="stJson"]').count() == 0  # the summary reads as figures, not JSON
        check("exports")
        browser.close()
    print(f"screenshots in {tmp_path}")
    assert sorted(p.name for p in tmp_path.glob("*.png")) == sorted(
        f"{n}.png" for n in ("data", "forecast", "staffing", "schedule", "schedule-agents-week", "schedule-gantt",
                             "schedule-published", "scenarios", "exports"))
