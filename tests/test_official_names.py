"""Headers and signatures of drafts use the municipality's official form, which a region can override."""

import pytest

from campaigns.drafts import render_draft
from campaigns.drafts.cards import web_preview_html


def _draft(region, campaign, ss, e, muni, channel):
    return render_draft(region, campaign, e_service=e, municipality=muni, channel=region.channel(channel),
                        segment=ss.segments[0], segment_set=ss, go_live=e.go_live)


OFFICIAL = {"Karlstad": "Karlstads kommun", "Kil": "Kils kommun", "Kristinehamn": "Kristinehamns kommun",
            "Filipstad": "Filipstads kommun", "Årjäng": "Årjängs kommun"}


@pytest.mark.parametrize(("name", "official"), sorted(OFFICIAL.items()))
def test_flyer_and_web_headers_read_the_official_form(varmland, name, official):
    campaign, region, ss = varmland
    e = campaign.e_services[0]
    muni = region.municipality(name)
    flyer = _draft(region, campaign, ss, e, muni, "flyer")
    assert f'<p class="avsandare">{official}</p>' in flyer.body
    assert f"{name} kommun" not in flyer.body.split("</p>")[0]
    web = _draft(region, campaign, ss, e, muni, "web")
    assert f'<div class="kp-bar">{official} · ' in web_preview_html(web)


def test_headers_read_karlstads_kommun(varmland):
    campaign, region, ss = varmland
    e = campaign.e_services[0]
    flyer = _draft(region, campaign, ss, e, region.municipality("1780"), "flyer")
    assert flyer.municipality_official == "Karlstads kommun"
    assert "Karlstads kommun" in flyer.body and "Karlstad kommun" not in flyer.body


def test_a_region_can_override_the_official_form(varmland):
    campaign, region, ss = varmland
    e = campaign.e_services[0]
    kil = region.municipality("Kil").model_copy(update={"official_name": "Kils kommun – Medborgarservice"})
    flyer = _draft(region, campaign, ss, e, kil, "flyer")
    assert '<p class="avsandare">Kils kommun – Medborgarservice</p>' in flyer.body


def test_a_code_outside_the_official_list_falls_back_to_the_name(varmland):
    _, region, _ = varmland
    odd = region.municipality("Kil").model_copy(update={"code": "9999"})
    assert odd.official() == "Kil kommun"
