"""The shipped list of Sweden's municipalities: complete, consistent and found by code or name."""

from __future__ import annotations

from pathlib import Path

import pytest

from campaigns.campaign_files import load_region
from common.municipality_list import (
    by_code,
    by_name,
    lookup,
    match_key,
    official_form,
    official_municipalities,
)

DATA = Path(__file__).resolve().parents[1] / "data"


def test_exactly_290_unique_codes_in_21_counties() -> None:
    rows = official_municipalities()
    assert len(rows) == 290
    assert len({m.code for m in rows}) == 290
    assert all(len(m.code) == 4 and m.code.isdigit() for m in rows)
    assert all(m.code[:2] == m.county_code for m in rows)
    assert len({m.county_code for m in rows}) == 21
    assert len({m.name for m in rows}) == 290


def test_no_two_names_share_a_match_key() -> None:
    keys = [match_key(m.name) for m in official_municipalities()]
    assert len(set(keys)) == 290


@pytest.mark.parametrize(
    ("code", "name", "form", "county"),
    [
        ("0180", "Stockholm", "Stockholms kommun", "Stockholms län"),
        ("1780", "Karlstad", "Karlstads kommun", "Värmlands län"),
        ("1715", "Kil", "Kils kommun", "Värmlands län"),
        ("0980", "Gotland", "Region Gotland", "Gotlands län"),
        ("2080", "Falun", "Falu kommun", "Dalarnas län"),
        ("0880", "Kalmar", "Kalmar kommun", "Kalmar län"),
        ("2514", "Kalix", "Kalix kommun", "Norrbottens län"),
        ("0561", "Åtvidaberg", "Åtvidabergs kommun", "Östergötlands län"),
        ("0884", "Vimmerby", "Vimmerby kommun", "Kalmar län"),
    ],
)
def test_spot_checks(code: str, name: str, form: str, county: str) -> None:
    found = by_code(code)
    assert found is not None
    assert (found.name, found.official_form, found.county_name) == (name, form, county)
    assert official_form(code) == form


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("Karlstads kommun", "1780"),
        ("KARLSTAD", "1780"),
        ("karlstad", "1780"),
        ("Kils kommun", "1715"),
        ("Falun", "2080"),
        ("falu kommun", "2080"),
        ("Region Gotland", "0980"),
        ("Stockholms stad", "0180"),
        ("Are", "2321"),  # typed without the ring
        ("Habo", "0643"),
        ("Håbo", "0305"),  # Habo and Håbo fold alike: the accent decides
        ("upplands bro", "0139"),
        ("512", "0512"),  # Excel dropped the leading zero
    ],
)
def test_lookup_by_name_or_code(label: str, code: str) -> None:
    found = lookup(label)
    assert found is not None and found.code == code


@pytest.mark.parametrize(
    "label", ["Anna Andersson", "Karlstad Anna", "0000", "9999", "12345", "", "kommun", "Karlstadskolan"]
)
def test_unknown_labels_find_nothing(label: str) -> None:
    assert lookup(label) is None


def test_official_form_of_an_unknown_code_raises() -> None:
    with pytest.raises(KeyError):
        official_form("0000")


@pytest.mark.parametrize("region", sorted((DATA / "regions").glob("*.yaml")), ids=lambda p: p.stem)
def test_sample_regions_members_are_all_on_the_list(region: Path) -> None:
    loaded = load_region(region)
    assert loaded.municipalities
    for member in loaded.municipalities:
        found = by_code(member.code)
        assert found is not None, member.code
        assert by_name(member.name) == found
