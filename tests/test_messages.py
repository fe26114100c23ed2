"""Drafts: every template against every segment, segment wording, channel checks, the flyer PDF."""

import datetime as dt
import io

import pytest

from campaigns.definitions import Channel, EService, load_campaign
from campaigns.messages import TEMPLATES, flyer_pdf, preview, render_draft, wording_for
from campaigns.sources import segments_for

from .conftest import DATA

CAMPAIGNS = ["varmland_2027.yaml", "atvidaberg_2027.yaml"]


@pytest.fixture(scope="module", params=CAMPAIGNS)
def sample(request):
    path = DATA / "campaigns" / request.param
    campaign, region = load_campaign(path)
    return campaign, region, segments_for(campaign, region, path)


def test_every_template_renders_for_every_segment_and_e_service(sample):
    campaign, region, ss = sample
    custom = Channel(key="lokaltidning", name="Annons i lokaltidningen", kind="digital")
    region = region.model_copy(update={"channels": [*region.channels, custom]})
    for e in campaign.e_services:
        muni = region.municipalities[0].name if e.municipalities == "all" else e.municipalities[0]
        channels = ["web", "facebook", "flyer", "training", "lokaltidning"]
        drafts = preview(region, campaign, ss, muni, e.key, channels=channels)
        assert len(drafts) == len(channels) * len(ss.segments)
        for d in drafts:
            assert d.text and "{{" not in d.body and muni in d.text
            assert d.readability.words > 10
    first = campaign.e_services[0]
    muni = region.municipalities[0].name if first.municipalities == "all" else first.municipalities[0]
    briefing = preview(region, campaign, ss, muni, first.key)[-1]
    assert briefing.channel == "intranet" and all(s.name in briefing.text for s in ss.segments)
    assert "Vanliga frågor" in briefing.text


def test_every_template_file_is_used():
    used = {"web/news.html.j2", "facebook/post.txt.j2", "flyer/flyer.html.j2", "training/invitation.md.j2",
            "intranet/briefing.md.j2", "generic/message.md.j2", "survey/citizen.md.j2", "survey/staff.md.j2",
            "report/evaluation.html.j2"}
    assert {p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.j2")} == used


def test_drafts_differ_where_segments_differ(varmland):
    campaign, region, ss = varmland
    web = [d for d in preview(region, campaign, ss, "Forshaga", "vigsel") if d.channel == "web"]
    wordings = {wording_for(s, ss).key for s in ss.segments}
    assert len({d.text for d in web}) == len(wordings) == len(ss.segments)
    offline = next(d for d in web if "papper" in d.segment_name)
    digital = min(web, key=lambda d: len(d.text))
    assert "blankett" in offline.text and "biblioteket i Forshaga" in offline.text
    assert "blankett" not in digital.text
    assert offline.lix_target < digital.lix_target


def test_every_variant_carries_its_own_tracking_tag(varmland):
    from campaigns.tracking import parse_tag

    campaign, region, ss = varmland
    drafts = preview(region, campaign, ss, "Forshaga", "vigsel")
    links = [d.link for d in drafts]
    assert len(set(links)) == len(links)  # channel × segment each distinct, so are the flyers' QR codes
    flyer = next(d for d in drafts if d.channel == "flyer" and d.segment == ss.segments[-1].id)
    tag = parse_tag(flyer.link)
    assert tag is not None and (tag.source, tag.medium, tag.campaign) == ("flyer", "print", "vigsel")
    assert tag.content == f"1763-s{flyer.segment}"


def test_go_live_is_written_in_swedish(varmland):
    campaign, region, ss = varmland
    d = preview(region, campaign, ss, "Kil", "vigsel", channels=["web"])[0]
    assert "16 mars 2027" in d.text


def test_facebook_link_is_in_the_first_125_characters(sample):
    campaign, region, ss = sample
    for e in campaign.e_services:
        muni = region.municipalities[0].name if e.municipalities == "all" else e.municipalities[0]
        for d in preview(region, campaign, ss, muni, e.key, channels=["facebook"]):
            assert d.text.find(d.link) < 95 and "utm_source=facebook" in d.link
            assert not any("125" in w for w in d.warnings)


def test_web_news_has_alt_text_and_a_descriptive_link(varmland):
    campaign, region, ss = varmland
    d = preview(region, campaign, ss, "Forshaga", "bygglov", channels=["web"])[0]
    assert 'alt="' in d.body and "klicka här" not in d.text.lower()
    assert '<a href="https://e-tjanster.varmland.se/bygglov?utm_source=web&amp;utm_medium=website' in d.body


def test_html_is_escaped_and_text_templates_are_not(varmland):
    campaign, region, ss = varmland
    e = EService(key="x", name="Bygg & bo <nu>", link="https://example.se/x", go_live=dt.date(2027, 3, 2))
    muni = region.municipality("Kil")
    web = render_draft(region, campaign, e, muni, region.channel("web"), ss.segments[0], ss, e.go_live)
    fb = render_draft(region, campaign, e, muni, region.channel("facebook"), ss.segments[0], ss, e.go_live)
    assert "Bygg &amp; bo &lt;nu&gt;" in web.body and "Bygg & bo <nu>" in fb.body


def test_discouraged_glossary_words_and_lix_targets_are_warned(varmland):
    campaign, region, ss = varmland
    e = EService(key="x", name="Felanmälan", description="Ärendehanteringssystemets handläggningsrutiner "
                 "digitaliseras fullständigt genom kommunens nyutvecklade webbtjänst, vilken tillgängliggörs "
                 "omedelbart för samtliga medborgare oberoende av bostadsort eller ärendekategori.",
                 link="https://example.se/x", go_live=dt.date(2027, 3, 2))
    offline = next(s for s in ss.segments if "papper" in s.name)
    d = render_draft(region, campaign, e, region.municipality("Kil"), region.channel("web"), offline, ss, e.go_live)
    assert any('"webbtjänst"' in w and '"e-tjänst"' in w for w in d.warnings)
    assert any(w.startswith("LIX") and "över målet" in w for w in d.warnings)


def test_flyer_pdf_keeps_swedish_letters():
    from pypdf import PdfReader

    path = DATA / "campaigns" / "atvidaberg_2027.yaml"
    campaign, region = load_campaign(path)
    ss = segments_for(campaign, region, path)
    d = preview(region, campaign, ss, "Åtvidaberg", "skolval", channels=["flyer"])[0]
    pdf = flyer_pdf(d)
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) == 1 and "Åtvidaberg" in text and "Välj skola" in text
    box = reader.pages[0].mediabox
    assert round(float(box.width) / 72 * 25.4) == 148 and round(float(box.height) / 72 * 25.4) == 210  # A5
