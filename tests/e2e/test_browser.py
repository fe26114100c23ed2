"""End to end in a real browser: Start → Segment → Kalender → Budskap; a reload keeps the choices, a
mismatched upload is caught, two editors merge field by field, English pages say nothing in Swedish.

Starts the app with `streamlit run` on a free local port and drives Debian's Chromium with
Playwright. Screenshots land in tests/e2e/screenshots/ (not committed).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

pytestmark = [pytest.mark.slow,  # a real browser: `make test-fast` leaves it out
              pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                 reason="Chromium is not installed (Debian: apt-get install chromium)")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_app(data: str, *extra: str, drop_database_url: bool = False) -> Iterator[str]:
    """`streamlit run app.py` on a free local port with the database in `data`; its URL once healthy."""
    port = _free_port()
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false", "KAMPANJ_DATA_DIR": data}
    if drop_database_url:
        env.pop("DATABASE_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.headless", "true",
         "--server.address", "127.0.0.1", *extra], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("the Streamlit server did not start within 60 s")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def server():
    with running_app(tempfile.mkdtemp()) as url:  # a database of its own (the tests save plans)
        yield url


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


def _ready(page, heading: str) -> None:
    from playwright.sync_api import expect

    expect(page.get_by_role("heading", name=heading)).to_be_visible(timeout=120_000)
    page.wait_for_timeout(500)
    for _ in range(240):  # until the script has finished (no running indicator)
        if page.locator("[data-testid='stStatusWidget']").count() == 0:
            break
        page.wait_for_timeout(250)


def _type_budget(page, amount: str) -> None:
    box = page.get_by_role("textbox", name="Budget i kronor")
    box.wait_for(timeout=180_000)  # the first visit fits the segments and plans the campaign
    box.fill(amount)
    box.press("Enter")


def test_a_reload_keeps_the_choices_and_a_mismatched_upload_is_caught(server):
    from playwright.sync_api import expect, sync_playwright

    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1800})
        page.goto(f"{server}/kanaler")
        _ready(page, "Kanaler per segment")
        _type_budget(page, "180 000")
        expect(page.get_by_text("Sparat").first).to_be_visible(timeout=60_000)
        expect(page.get_by_role("textbox", name="Budget i kronor")).to_have_value("180\u00a0000 kr", timeout=60_000)
        page.reload()  # F5: a new session
        _ready(page, "Kanaler per segment")
        expect(page.get_by_role("textbox", name="Budget i kronor")).to_have_value("180\u00a0000 kr", timeout=60_000)
        assert "kampanj=varmland_2027" in page.url

        page.goto(f"{server}/data")
        _ready(page, "Data om invånarna")
        english = page.get_by_text("Upload", exact=True)  # Streamlit's own English is hidden, the catalogue's shown
        assert not any(english.nth(i).is_visible() for i in range(english.count()))
        limit = page.get_by_text("200MB per file")
        assert not any(limit.nth(i).is_visible() for i in range(limit.count()))
        page.locator("input[type=file]").first.set_input_files(  # the citizen file (the others are in SCB)
            str(ROOT / "data" / "citizens" / "atvidaberg_excel.csv"))
        expect(page.get_by_text("Ingen i filen bor i Värmland").first).to_be_visible(timeout=120_000)
        switch = page.get_by_role("button", name="Byt till kampanjen")
        expect(switch).to_be_visible()
        page.screenshot(path=SHOTS / "6-data-passar-inte.png")
        switch.click()
        expect(page.get_by_text("Filen är inläst: 1 500 rader").first).to_be_visible(timeout=120_000)
        expect(page.get_by_text("Region: Åtvidabergs IT-förbund").first).to_be_visible()
        browser.close()


def test_two_editors_merge_field_by_field_in_real_browsers(server):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        anna, bo = (browser.new_context(viewport={"width": 1400, "height": 1800}).new_page() for _ in range(2))
        for page, name in ((anna, "Anna"), (bo, "Bo")):
            page.goto(f"{server}/kanaler?kampanj=atvidaberg_2027")
            _ready(page, "Kanaler per segment")
            page.get_by_role("textbox", name="Ditt namn").wait_for(timeout=180_000)
            page.get_by_role("textbox", name="Ditt namn").fill(name)
            page.get_by_role("textbox", name="Ditt namn").press("Enter")
            expect(page.get_by_text(f"du ändrar som {name}").first).to_be_visible(timeout=60_000)
        bo.get_by_text("Ingen gräns").click()  # Bo: no budget limit, saved at once
        expect(bo.get_by_text("Sparat").first).to_be_visible(timeout=60_000)
        _type_budget(anna, "45 000")  # Anna started from the same version: nothing is overwritten
        expect(anna.get_by_text("Bo har ändrat planen").first).to_be_visible(timeout=60_000)
        anna.get_by_role("link", name="Välj vad som ska gälla").click()
        _ready(anna, "Samarbete i regionen")
        expect(anna.get_by_text("Bo ändrade: 60 000 kr → ingen gräns").first).to_be_visible(timeout=60_000)
        expect(anna.get_by_text("Du ändrade: 60 000 kr → 45 000 kr").first).to_be_visible()
        assert anna.get_by_text("@@").count() == 0 and anna.get_by_text("budget_sek").count() == 0
        anna.get_by_text("din: 45 000 kr").click()  # both changed the budget: Anna picks hers
        expect(anna.get_by_text("Budget: 45 000 kr").first).to_be_visible(timeout=60_000)
        anna.screenshot(path=SHOTS / "5-samarbete-konflikt.png")
        anna.get_by_role("button", name="Spara sammanslagningen").click()
        expect(anna.get_by_text("Sammanslagningen är sparad").first).to_be_visible(timeout=60_000)
        bo.reload()
        _ready(bo, "Kanaler per segment")
        expect(bo.get_by_role("textbox", name="Budget i kronor")).to_have_value("45\u00a0000 kr", timeout=60_000)
        browser.close()


def test_english_pages_say_nothing_in_swedish(server):
    from playwright.sync_api import sync_playwright

    from tests.language import Checker

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1800})
        page.goto(f"{server}/kalender")
        _ready(page, "Kampanjkalender")
        page.get_by_test_id("stSidebar").get_by_text("English").click()  # not the file-language picker
        _ready(page, "Campaign calendar")
        page.wait_for_timeout(3000)
        text = page.locator("[data-testid='stMain']").inner_text()
        check = Checker("en")
        check.add_data(["Värmland", "Boka vigsel", "Felanmälan", "Ansök om bygglov", "Flygblad", "Facebookinlägg",
                        "Sommaruppehåll", "Intranät", "Personalutbildning", "Webb", "Visning på biblioteket",
                        *(line for line in text.splitlines() if line in _municipalities())])
        for line in text.splitlines():
            if not re.fullmatch(r"[a-z_]+", line.strip()):  # a Material icon's ligature name is not text
                check.prose(line, "kalender")
        page.screenshot(path=SHOTS / "7-kalender-en.png")
        browser.close()
    assert not check.problems, check.problems


def _municipalities() -> set[str]:
    from campaigns.campaign_files import load_region

    return {m.name for m in load_region(ROOT / "data" / "regions" / "varmland.yaml").municipalities}
