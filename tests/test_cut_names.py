"""Names in exported activity texts are read whole or cut between words, never inside one
("…e-tj…"), and web drafts reference no file the download does not hold (issue #26, item 8)."""

from __future__ import annotations

import csv
import io
import re

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from campaigns.drafts import drafts_for_plan
from campaigns.export import plan_to_csv, plan_to_ics, plan_to_xlsx, write_drafts
from campaigns.mix import optimise_mix
from campaigns.schedule import plan_campaign
from common.catalogue import MAX_VALUE_CHARS, Raw, fmt_value, shorten

LONG = "Seniorer som sällan använder e-tjänster och helst ringer kommunen"


@pytest.mark.parametrize("text, limit, expected", [
    ("Seniorer som sällan använder e-tjänster", 40, "Seniorer som sällan använder e-tjänster"),
    (LONG, 40, "Seniorer som sällan använder e-tjänster…"),
    (LONG, 36, "Seniorer som sällan använder…"),
    ("Yrkesverksamma, barnfamiljer", 20, "Yrkesverksamma…"),
    ("Ettmycketlångtordutanmellanslag", 10, "Ettmycket…"),  # one word longer than the limit: cut inside
    ("  mellan   rum  ", 40, "mellan rum"),
])
def test_shorten_cuts_between_words(text, limit, expected):
    assert shorten(text, limit) == expected
    assert len(shorten(text, limit)) <= limit


def test_a_raw_value_is_never_cut_inside_a_word():
    shown = fmt_value(Raw(LONG), "sv")
    assert len(shown) <= MAX_VALUE_CHARS and shown.endswith("…")
    assert LONG.startswith(shown[:-1]) and LONG[len(shown) - 1] == " "


@pytest.fixture(scope="module")
def long_named(varmland):
    campaign, region, ss = varmland
    for s in ss.segments:
        ss = ss.rename(s.id, f"{s.name} som bor i Värmland och använder e-tjänster ibland")
    mix = optimise_mix(campaign, region, ss)
    return plan_campaign(campaign, region, ss, mix), ss


def _check_titles(titles: list[str], names: list[str]) -> int:
    """Every segment name inside a title is whole, or a word-prefix of the name followed by '…'."""
    words_of = {w for n in names for w in n.split()}
    checked = 0
    for title in titles:
        m = re.search(r" (?:för|for) (.+?)(?: \((?:våg|wave)[^)]*\))?$", title)
        if not m or not any(n.startswith(m.group(1)[:8]) for n in names):
            continue
        shown = m.group(1)
        checked += 1
        if shown in names:
            continue
        assert shown.endswith("…"), title
        assert all(w in words_of for w in shown[:-1].split()), f"cut inside a word: {title}"
    return checked


def test_calendar_xlsx_and_ics_titles_keep_segment_words_whole(long_named):
    plan, ss = long_named
    names = [s.name for s in ss.segments]
    assert all(len(n) > MAX_VALUE_CHARS for n in names)  # so every title shortens one
    csv_titles = [r[7] for r in list(csv.reader(io.StringIO(plan_to_csv(plan, lang="sv"))))[1:]]
    assert _check_titles(csv_titles, names) > 10
    wb = load_workbook(io.BytesIO(plan_to_xlsx(plan, "sv")))
    ws = wb.worksheets[0]
    head = [c.value for c in ws[1]]
    col = head.index("Aktivitet")
    xlsx_titles = [str(r[col]) for r in ws.iter_rows(min_row=2, values_only=True) if r[col]]
    assert _check_titles(xlsx_titles, names) > 10
    ics_titles = [str(e["SUMMARY"]) for e in Calendar.from_ical(plan_to_ics(plan, lang="sv")).walk("VEVENT")]
    assert _check_titles(ics_titles, names) > 10


def test_web_drafts_reference_no_file_outside_the_download(varmland, tmp_path):
    campaign, region, ss = varmland
    mix = optimise_mix(campaign, region, ss)
    plan = plan_campaign(campaign, region, ss, mix)
    drafts = [d for d in drafts_for_plan(plan, ss) if d.municipality == "Forshaga"]
    write_drafts(drafts, tmp_path, pdf=lambda d: b"%PDF", lang="sv")
    pages = list(tmp_path.rglob("*.html"))
    assert pages
    for page in pages:
        body = page.read_text(encoding="utf-8")
        for ref in re.findall(r'(?:src|href)="([^"]+)"', body):
            if not re.match(r"(https?:|mailto:|tel:|#|data:)", ref):
                assert (page.parent / ref).exists(), (page.name, ref)
        assert "<img" not in body or 'src="data:' in body
