"""Region and campaign files: validation with located errors, exact round trips."""

from pathlib import Path

import pytest

from campaigns.campaign_files import dump_yaml, load_campaign, load_region
from campaigns.definitions import Campaign, Region
from common.errors import InputError

from .conftest import DATA


@pytest.mark.parametrize("path", sorted((DATA / "regions").glob("*.yaml")), ids=lambda p: p.name)
def test_region_files_round_trip_exactly(path):
    text = path.read_text(encoding="utf-8")
    region = load_region(path)
    assert dump_yaml(region) == text
    assert Region.model_validate(region.model_dump()) == region


@pytest.mark.parametrize("path", sorted((DATA / "campaigns").glob("*.yaml")), ids=lambda p: p.name)
def test_campaign_files_round_trip_exactly(path):
    campaign, region = load_campaign(path)
    assert dump_yaml(campaign) == path.read_text(encoding="utf-8")


def test_sample_regions_mirror_the_real_ones():
    v = load_region(DATA / "regions" / "varmland.yaml")
    assert len(v.municipalities) == 16 and v.municipality(v.leader).name == "Karlstad"
    assert 11_000 <= v.municipality("Forshaga").population <= 11_600
    a = load_region(DATA / "regions" / "atvidaberg.yaml")
    assert {m.name for m in a.municipalities} == {"Åtvidaberg", "Boxholm", "Kinda", "Ydre", "Vimmerby", "Ödeshög"}
    assert a.municipality("0512").name == "Ydre"  # leading zero kept


def _write_campaign(tmp_path: Path, text: str) -> Path:
    (tmp_path / "regions").mkdir(exist_ok=True)
    (tmp_path / "campaigns").mkdir(exist_ok=True)
    (tmp_path / "regions" / "varmland.yaml").write_text(
        (DATA / "regions" / "varmland.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    path = tmp_path / "campaigns" / "x.yaml"
    path.write_text(text, encoding="utf-8")
    return path


BASE = """key: test
name: Test
region: varmland
planning_start: 2027-01-11
e_services:
- key: a
  name: A
  link: https://example.se/a
  go_live: 2027-03-16
- key: b
  name: B
  link: https://example.se/b
  go_live: 2027-04-13
- key: c
  name: C
  link: https://example.se/c
  go_live: 2027-13-01
"""


def test_a_bad_date_is_located(tmp_path):
    with pytest.raises(InputError) as info:
        load_campaign(_write_campaign(tmp_path, BASE))
    text = info.value.text("en")
    assert "x.yaml, e_services[2].go_live: 2027-13-01 is not a date" in text
    assert "2027-13-01 är inget datum" in info.value.text("sv")


@pytest.mark.parametrize("change,expected", [
    (("go_live: 2027-03-16", "go_live: 2027-03-16\n  municipalities: [Karlstad, Gotham]"),
     "e_services[0].municipalities[1]: (value not shown) is not a member of Värmland"),
    (("go_live: 2027-03-16", "go_live: 2027-03-16\n  channels: [web, radio]"),
     "e_services[0].channels[1]: channel (value not shown) is not in the region"),
    (("  go_live: 2027-03-16\n", "  municipalities: [Kil]\n"), "e_services[0]: needs go_live"),
    (("planning_start", "planing_start"), "planing_start: unknown field"),
])
def test_cross_file_and_typo_errors_are_located(tmp_path, change, expected):
    text = BASE.replace("2027-13-01", "2027-05-11").replace(*change)
    with pytest.raises(InputError) as info:
        load_campaign(_write_campaign(tmp_path, text))
    assert expected in info.value.text("en")


def test_unset_defaults_stay_implicit():
    c = Campaign.model_validate({"key": "k", "name": "N", "region": "varmland", "planning_start": "2027-01-04",
                                 "e_services": [{"key": "a", "name": "A", "link": "https://kil.se/a",
                                                 "go_live": "2027-02-02"}]})
    assert "offsets" not in dump_yaml(c) and c.offsets.external_waves_weeks == [0, 2, 6]
