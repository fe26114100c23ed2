"""End to end in a real browser: Start → Segment → Kalender → Budskap, with screenshots.

Starts the app with `streamlit run` on a free local port and drives Debian's Chromium with
Playwright. Screenshots land in tests/e2e/screenshots/ (not committed).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason="Chromium is not installed (Debian: apt-get install chromium)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = _free_port()
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.headless", "true",
         "--server.address", "127.0.0.1"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("the Streamlit server did not start within 60 s")
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_start_segments_calendar_messages(server):
    from playwright.sync_api import expect, sync_playwright

    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1800})
        page.goto(server)
        expect(page.get_by_role("heading", name="Kampanjplaneraren för e-tjänster")).to_be_visible(timeout=60_000)
        expect(page.get_by_text("Gemensam lansering av e-tjänster i Värmland 2027").first).to_be_visible()
        page.screenshot(path=SHOTS / "1-start.png")

        page.get_by_role("link", name="Segment").first.click()
        expect(page.get_by_role("heading", name="Medborgarsegment")).to_be_visible(timeout=60_000)
        expect(page.get_by_text("valdes automatiskt").first).to_be_visible(timeout=60_000)
        expect(page.get_by_text("föredrar papper").first).to_be_visible()
        page.screenshot(path=SHOTS / "2-segment.png")

        page.get_by_role("link", name="Kalender").first.click()
        expect(page.get_by_role("heading", name="Kampanjkalender")).to_be_visible(timeout=60_000)
        expect(page.get_by_text("Flyttat och varför")).to_be_visible(timeout=60_000)
        expect(page.get_by_text("delas bara ut på torsdagar").first).to_be_visible()
        page.screenshot(path=SHOTS / "3-kalender.png")

        page.get_by_role("link", name="Budskap").first.click()
        expect(page.get_by_role("heading", name="Budskap per segment")).to_be_visible(timeout=60_000)
        expect(page.get_by_text("Redigera texten").first).to_be_visible(timeout=60_000)
        expect(page.get_by_text("Boka vigsel är till för").first).to_be_visible()
        expect(page.locator(".kp-web h1").first).to_be_visible()  # the web draft as the page will show it
        page.screenshot(path=SHOTS / "4-budskap.png")
        browser.close()
    assert all((SHOTS / f).stat().st_size > 10_000 for f in ("1-start.png", "2-segment.png", "3-kalender.png",
                                                            "4-budskap.png"))
