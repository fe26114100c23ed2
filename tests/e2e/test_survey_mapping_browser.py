"""A survey export with question-style headers is mapped in a real browser and drives the segments."""

from __future__ import annotations

import pytest

from tests.e2e.test_browser import ARGS, CHROMIUM, ROOT, SHOTS, _ready, server  # noqa: F401 (the server fixture)

pytestmark = [pytest.mark.slow]

LIKERT = "Jag sköter gärna ärenden med kommunen digitalt"


def test_a_survey_export_is_mapped_in_the_browser_and_its_habits_drive_the_segments(server):  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1800})
        page.goto(f"{server}/data")
        _ready(page, "Data om invånarna")
        page.locator("input[type=file]").first.set_input_files(str(ROOT / "tests" / "data" / "survey_export.csv"))
        expect(page.get_by_role("heading", name="Koppla kolumner")).to_be_visible(timeout=120_000)
        for question, field in (("Har du BankID?", "Har BankID"),
                                ("Hur ofta använder du internet?", "Internetanvändning")):
            box = page.get_by_role("combobox", name=question)
            expect(box).to_have_value(field, timeout=30_000)  # the suggestion, in words
        expect(page.get_by_text("brev → ja").first).to_be_visible()
        page.get_by_label(LIKERT).click()
        page.get_by_role("option", name="Egen segmenteringskolumn").click()
        _ready(page, "Koppla kolumner")
        page.get_by_role("heading", name="Koppla kolumner").scroll_into_view_if_needed()
        page.screenshot(path=SHOTS / "7-data-koppla-kolumner.png", full_page=True)
        page.get_by_role("button", name="Använd kopplingen").click()
        expect(page.get_by_text("Filen är inläst: 300 rader").first).to_be_visible(timeout=120_000)

        page.get_by_role("link", name="Segment").first.click()
        _ready(page, "Medborgarsegment")
        drivers = page.get_by_text("Segmenten skiljs åt av:").first
        expect(drivers).to_be_visible(timeout=120_000)
        text = drivers.inner_text()
        for habit in ("har BankID", "internetanvändning", "föredrar papper", "Jag sköter gärna"):
            assert habit in text, text
        page.screenshot(path=SHOTS / "8-segment-enkat.png")
        browser.close()
    assert (SHOTS / "7-data-koppla-kolumner.png").stat().st_size > 10_000
