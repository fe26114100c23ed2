"""End to end in Chromium (issue #26): an officer makes a new Värmland campaign on Start with skolval
from the catalogue and one new e-service, plans it, sees skolval's drafts on Budskap with the official
name in the header, reloads and finds everything; a second browser sees the campaign; changing the
data source asks first. Screenshots of Start's new forms go to tests/e2e/screenshots/ (the good ones
were copied to docs/screenshots/).
"""

from __future__ import annotations

import pytest

from tests.e2e.test_browser import ARGS, CHROMIUM, SHOTS, _ready, server  # noqa: F401 - `server` is a fixture

pytestmark = pytest.mark.slow

CAMPAIGN = "skolval_i_varmland_2027"


def _expander(page, title: str) -> None:
    page.get_by_text(title, exact=True).first.click()
    page.wait_for_timeout(300)


def _settle(page) -> None:
    page.wait_for_timeout(700)
    for _ in range(400):
        if page.locator("[data-testid='stStatusWidget']").count() == 0:
            return
        page.wait_for_timeout(250)


def test_an_officer_makes_a_campaign_plans_it_and_finds_it_again(server):  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1500})
        page.goto(server)
        _ready(page, "Kampanjplaneraren för e-tjänster")
        expect(page.get_by_text("Kampanjen och dess e-tjänster").first).to_be_visible(timeout=180_000)

        _expander(page, "Ny kampanj")
        name = page.get_by_role("textbox", name="Kampanjens namn")
        name.fill("Skolval i Värmland")
        name.press("Enter")
        _settle(page)
        page.get_by_text("Ny kampanj", exact=True).first.scroll_into_view_if_needed()
        page.screenshot(path=SHOTS / "start-ny-kampanj.png")
        page.get_by_role("button", name="Skapa kampanjen").click()
        expect(page.get_by_text("är skapad och sparad").first).to_be_visible(timeout=180_000)
        _settle(page)
        expect(page.get_by_text("Kampanj: Skolval i Värmland.").first).to_be_visible(timeout=180_000)
        assert f"kampanj={CAMPAIGN}" in page.url

        _expander(page, "Lägg till en e-tjänst")
        page.get_by_text("Ny e-tjänst", exact=True).click()
        _settle(page)
        for label, value in (("E-tjänstens namn", "Ansök om hemtjänst"),
                             ("Länk till e-tjänsten", "https://www.karlstad.se/e-tjanster/hemtjanst"),
                             ("Beskrivning (en mening)", "Ansök om hjälp i hemmet."),
                             ("Vad invånaren gör (”Ansök om …”)", "Ansök om hemtjänst")):
            box = page.get_by_role("textbox", name=label)
            box.fill(value)
            box.press("Enter")
            _settle(page)
        page.get_by_text("Vem är e-tjänsten till för?").first.scroll_into_view_if_needed()
        page.screenshot(path=SHOTS / "start-e-tjanst.png")
        page.get_by_role("button", name="Lägg till", exact=True).click()
        _settle(page)
        expect(page.get_by_text("Ansök om hemtjänst").first).to_be_visible(timeout=180_000)
        expect(page.get_by_text("Välj skola").first).to_be_visible()
        expect(page.get_by_role("textbox", name="E-tjänstens namn")).to_have_value("")  # the form is emptied
        page.get_by_text("E-tjänster i kampanjen").first.scroll_into_view_if_needed()
        page.screenshot(path=SHOTS / "start-kampanjens-e-tjanster.png")

        page.goto(f"{server}/kalender?kampanj={CAMPAIGN}")  # planned: skolval's activities in the calendar
        _ready(page, "Kampanjkalender")
        expect(page.locator("text=Välj skola >> visible=true").first).to_be_visible(timeout=180_000)

        budskap = f"{server}/budskap?kampanj={CAMPAIGN}&msg_e=skolval&msg_muni=Kil&msg_channel=web"
        page.goto(budskap)
        _ready(page, "Budskap per segment")
        expect(page.get_by_text("Välj skola är till för").first).to_be_visible(timeout=180_000)
        expect(page.locator(".kp-bar").first).to_contain_text("Kils kommun", timeout=60_000)
        expect(page.get_by_text("Redigera texten").first).to_be_visible(timeout=120_000)
        _settle(page)
        page.wait_for_timeout(1500)
        page.screenshot(path=SHOTS / "budskap-skolval.png")
        page.reload()  # F5: a new session finds the campaign and the place on Budskap
        _ready(page, "Budskap per segment")
        expect(page.get_by_text("Välj skola är till för").first).to_be_visible(timeout=180_000)
        expect(page.locator(".kp-bar").first).to_contain_text("Kils kommun", timeout=60_000)
        assert "msg_muni=Kil" in page.url and f"kampanj={CAMPAIGN}" in page.url

        other = browser.new_context(viewport={"width": 1400, "height": 1500}).new_page()  # a second officer
        other.goto(server)
        _ready(other, "Kampanjplaneraren för e-tjänster")
        other.get_by_test_id("stSidebar").get_by_role("combobox").first.click()
        expect(other.get_by_role("option", name="Skolval i Värmland")).to_be_visible(timeout=60_000)
        other.get_by_role("option", name="Skolval i Värmland").click()
        _settle(other)
        expect(other.get_by_text("Ansök om hemtjänst").first).to_be_visible(timeout=180_000)

        # changing the data source asks first once the officer has named a segment
        other.goto(f"{server}/segment?kampanj={CAMPAIGN}")
        _ready(other, "Medborgarsegment")
        other.get_by_role("button", name="Byt namn").first.click()
        box = other.get_by_role("textbox", name="Nytt namn för segment").first
        box.fill("Våra föräldrar")
        other.get_by_role("button", name="Byt namn").last.click()
        _settle(other)
        other.goto(f"{server}/data?kampanj={CAMPAIGN}")
        _ready(other, "Data om invånarna")
        _expander(other, "Ingen enkät? Börja från SCB-statistik")
        other.get_by_role("button", name="Prova med exempelfilerna för Värmland").click()
        expect(other.get_by_text("Innan du byter till SCB-statistik").first).to_be_visible(timeout=180_000)
        expect(other.get_by_text("Våra föräldrar").first).to_be_visible()
        other.get_by_text("Innan du byter till SCB-statistik").first.scroll_into_view_if_needed()
        other.screenshot(path=SHOTS / "data-fraga-forst.png")
        other.get_by_role("button", name="Avbryt").click()
        _settle(other)
        expect(other.get_by_text("Data: exempeldata").first).to_be_visible(timeout=60_000)
        browser.close()
    for shot in ("start-ny-kampanj.png", "start-e-tjanst.png", "budskap-skolval.png", "data-fraga-forst.png"):
        assert (SHOTS / shot).stat().st_size > 10_000
