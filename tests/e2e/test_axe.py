"""Every page passes axe-core's WCAG 2.1 A and AA rules, in Swedish and in English.

axe-core (npm, pinned in tests/e2e/package.json; `npm ci` in tests/e2e installs it, `.ci/run` does)
is injected into each page of the running app in Chromium once the page has finished running.
Screenshots of each page land in tests/e2e/screenshots/ (not committed).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .test_browser import ARGS, CHROMIUM, SHOTS, server  # noqa: F401 - server is a fixture

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PAGES = 9  # every entry of the app's navigation (app.py)

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed: cd tests/e2e && npm ci")]


def _settled(page) -> None:  # noqa: ANN001 - a Playwright page
    """Wait until the app's script has finished (no running indicator) and the page is drawn."""
    page.wait_for_selector("[data-testid='stSidebarNav']", timeout=180_000)
    page.wait_for_timeout(1_000)
    for _ in range(720):
        if page.locator("[data-testid='stStatusWidget']").count() == 0:
            break
        page.wait_for_timeout(250)
    page.wait_for_timeout(800)


def _violations(page) -> list[dict]:  # noqa: ANN001
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async (tags) => {
             const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
             return r.violations.map(v => ({rule: v.id, impact: v.impact,
               nodes: v.nodes.slice(0, 3).map(n => [n.target.join(' '), n.failureSummary])}));
           }""", TAGS)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_page_has_no_wcag_21_aa_violations(server, lang):  # noqa: F811
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(exist_ok=True)
    found: dict[str, list[dict]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1400})
        page.goto(server)
        _settled(page)
        if lang == "en":
            page.locator("[data-testid='stSidebar'] label").filter(has_text="English").click()
            _settled(page)
        links = page.locator("[data-testid='stSidebarNav'] a")
        assert links.count() == PAGES
        for i in range(PAGES):
            links.nth(i).click()
            _settled(page)
            name = page.url.split("?")[0].rsplit("/", 1)[-1] or "start"
            assert page.locator("[data-testid='stException']").count() == 0, name
            page.screenshot(path=SHOTS / f"axe-{lang}-{i}-{name}.png")
            if (v := _violations(page)):
                found[name] = v
        # The probe must be able to fail: a button without a name is found on the last page.
        page.evaluate("document.body.appendChild(document.createElement('button'))")
        assert any(v["rule"] == "button-name" for v in _violations(page))
        browser.close()
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)


def test_streamlit_english_is_replaced_and_work_is_visible(server):  # noqa: F811
    """Streamlit's own English (help icons, upload buttons, file sizes) reads Swedish, the running
    indicator shows while the page works, and the page with an uploaded file passes axe too."""
    from playwright.sync_api import sync_playwright

    citizens = Path(__file__).resolve().parents[2] / "data" / "citizens" / "atvidaberg_excel.csv"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1400})
        page.goto(f"{server}/data")
        _settled(page)
        page.locator("input[type=file]").first.set_input_files(str(citizens))
        # While the file is read: the indicator is drawn and the live region says so (fails by timeout).
        page.wait_for_function("""() => {
            const after = getComputedStyle(document.querySelector('[data-testid="stHeader"]'), '::after');
            return after.visibility === 'visible' && after.content === '"Arbetar …"'
                && document.getElementById('kp-live')?.textContent === 'Arbetar …';
        }""", timeout=30_000, polling=50)
        _settled(page)
        labels = page.evaluate("() => [...document.querySelectorAll('[aria-label]')]"
                               ".map(e => e.getAttribute('aria-label'))")
        assert not [x for x in labels if x.startswith(("Help", "file upload", "Remove", "Upload"))], labels
        assert any(x.startswith("Hjälp om ") for x in labels) and "Ta bort filen" in labels
        assert any(x.endswith(" kB") and "," in x for x in labels if x.startswith("atvidaberg_excel.csv"))  # 113,6 kB
        assert page.locator("[data-testid='stFileChip']").first.inner_text().splitlines()[-1].endswith(",6 kB")
        page.screenshot(path=SHOTS / "axe-sv-data-uploaded.png")
        assert not _violations(page)
        browser.close()
