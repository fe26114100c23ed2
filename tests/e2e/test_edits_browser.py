"""In real browsers (Chromium): two officers' conflicting edits of one draft are both kept (the
second sees both texts and merges), and a sign-off archives exactly the text it displayed."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from tests.e2e.test_browser import ARGS, CHROMIUM, SHOTS, _ready, running_app

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium is not installed")]


@pytest.fixture(scope="module")
def served():
    """The app on a free local port with a database of its own, and that database's folder."""
    data = tempfile.mkdtemp()
    with running_app(data, drop_database_url=True) as url:
        yield url, data


def _named(page, url: str, name: str) -> None:
    from playwright.sync_api import expect

    page.goto(url)
    box = page.get_by_role("textbox", name="Ditt namn")
    box.wait_for(timeout=180_000)
    box.fill(name)
    box.press("Enter")
    expect(page.get_by_text(f"du ändrar som {name}").first).to_be_visible(timeout=60_000)


def _type(page, extra: str) -> None:
    box = page.get_by_role("textbox", name="Redigera texten")
    box.wait_for(timeout=180_000)
    box.fill(box.input_value() + extra)
    box.press("Control+Enter")  # Streamlit takes a text area's value on Ctrl+Enter (or blur)
    page.wait_for_timeout(1500)


def test_two_editors_conflicting_edits_are_both_kept_and_sign_off_archives_what_it_shows(served):
    from playwright.sync_api import expect, sync_playwright

    from campaigns.sign_off import sha256
    from campaigns.store import Store

    url, data = served
    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        anna, bo = (browser.new_context(viewport={"width": 1400, "height": 2200}).new_page() for _ in range(2))
        for page, name in ((anna, "Anna"), (bo, "Bo")):
            _named(page, f"{url}/budskap", name)
            _ready(page, "Budskap per segment")
        _type(anna, "\nAnnas rad om öppettider.\n")
        _type(bo, "\nBos rad om hjälp på biblioteket.\n")
        anna.get_by_role("button", name="Spara utkastet").click()
        expect(anna.get_by_text("Sparat").first).to_be_visible(timeout=60_000)

        bo.get_by_role("button", name="Spara utkastet").click()  # Bo started from the template too
        expect(bo.get_by_text("Anna sparade det här utkastet").first).to_be_visible(timeout=60_000)
        expect(bo.get_by_text("Bos rad om hjälp på biblioteket.").first).to_be_visible()
        expect(bo.get_by_text("Annas rad om öppettider.").first).to_be_visible()
        bo.screenshot(path=SHOTS / "8-budskap-konflikt.png")
        bo.get_by_role("button", name="Slå ihop").click()
        merge = bo.get_by_role("textbox", name="Sammanslagen text")
        merge.wait_for(timeout=60_000)
        merged = merge.input_value()
        assert "Annas rad om öppettider." in merged and "Bos rad om hjälp på biblioteket." in merged
        bo.get_by_role("button", name="Spara sammanslagningen").click()
        expect(bo.get_by_text("Inget har skrivits över").first).to_be_visible(timeout=60_000)

        anna.reload()
        _ready(anna, "Budskap per segment")
        text = anna.get_by_role("textbox", name="Redigera texten")
        text.wait_for(timeout=180_000)
        assert "Annas rad om öppettider." in text.input_value()
        assert "Bos rad om hjälp på biblioteket." in text.input_value()

        anna.goto(f"{url}/samarbete")
        _ready(anna, "Samarbete i regionen")
        anna.get_by_role("tab", name="Godkänn budskap").click()
        shown_box = anna.locator(".st-key-so_text")
        shown_box.wait_for(timeout=120_000)
        shown = shown_box.inner_text()
        # the defaults pick the same draft as on Budskap (Karlstad · Boka vigsel · first segment · Webb · A)
        assert "Annas rad om öppettider." in shown and "Bos rad om hjälp på biblioteket." in shown
        anna.screenshot(path=SHOTS / "9-godkann.png")
        anna.get_by_role("button", name="Godkänn och arkivera").click()
        expect(anna.get_by_text("Godkänt och arkiverat").first).to_be_visible(timeout=60_000)
        browser.close()

    archived = Store(f"sqlite:///{Path(data) / 'kampanjplaneraren.sqlite'}").archived("varmland_2027")
    assert len(archived) == 1
    assert archived[0].text.strip() == shown.strip() and archived[0].text_sha256 == sha256(archived[0].text)
    assert (archived[0].municipality, archived[0].channel, archived[0].variant) == ("Karlstad", "web", "a")


def test_a_forged_login_cookie_gets_nowhere_with_a_weak_cookie_secret(tmp_path):
    """The reported attack: with cookie_secret = " " a coordinator's _streamlit_user cookie was forged
    end to end. The cookie below is one Streamlit's own decoder accepts; the app stops every page
    before it is read, because the secret could be guessed."""
    import json

    from playwright.sync_api import expect, sync_playwright
    from streamlit.web.server.starlette import starlette_app_utils

    from tests.test_auth import COMPLETE

    weak = tmp_path / "secrets.toml"
    weak.write_text(COMPLETE.replace("Qm7vX2pLr9TzK4wH8sYb3NcF6dJg1RuE5aVk0", " "), encoding="utf-8")
    with running_app(str(tmp_path), "--secrets.files", str(weak)) as url:
        payload = json.dumps({"origin": url, "is_logged_in": True, "email": "anna@karlstad.se", "name": "Anna"})
        forged = starlette_app_utils.create_signed_value(" ", "_streamlit_user", payload).decode()
        assert starlette_app_utils.decode_signed_value(" ", "_streamlit_user", forged.encode()) is not None
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            context = browser.new_context()
            context.add_cookies([{"name": "_streamlit_user", "value": forged, "url": url}])
            page = context.new_page()
            page.goto(f"{url}/samarbete")
            expect(page.get_by_text("inloggningen är inställd").first).to_be_visible(timeout=120_000)
            expect(page.get_by_text("cookie_secret går att gissa").first).to_be_visible()
            page.wait_for_timeout(1000)
            assert page.get_by_role("heading", name="Samarbete i regionen").count() == 0
            assert page.get_by_text("samordnare").count() == 0
            browser.close()
