"""Finding personal data: by header in every spelling, and by value in every form and place."""

from __future__ import annotations

import unicodedata

import numpy as np
import pyarrow as pa
import pytest

from common.headers import compact_header, normalise_header
from common.personal_detection import header_kind, looks_like_data, personal_values


def _kinds(value: str, code: bool = False) -> set[str]:
    return set(personal_values(pa.array([value]), code=code))


@pytest.mark.parametrize("value", [
    "070-123 45 67", "070 123 45 67", "0701234567", "070-1234567", "+46 70 123 45 67", "+46701234567",
    "0046 70-123 45 67", "+46 (0)70-123 45 67", "08-123 456 78", "054-12 34 56", "08 123 456 78",
    "Ring mig på 070-123 45 67 efter fem", "tel:+46 54 12 34 56", "(070) 123 45 67", "(054) 12 34 56",
    "Tel.054-12 34 56",
])
def test_swedish_phone_numbers(value):
    assert "phone" in _kinds(value)


@pytest.mark.parametrize("value", [
    "anna@example.se", "Skriv till anna.andersson@karlstad.se, tack", "<bo+test@kommun.se>", "åsa@exempel.se",
])
def test_email_addresses_also_inside_text(value):
    assert "email" in _kinds(value)


@pytest.mark.parametrize("value", [
    "Storgatan 1, 652 24 Karlstad", "652 24 Karlstad", "SE-652 24 Karlstad", "Storgatan 12", "Älvgatan 3B",
    "Kungsvägen 5", "Box 123", "Jag bor på Drottninggatan 7 i Kil", "Hamngränd 4, 441 30 Alingsås",
])
def test_street_addresses_and_postal_codes(value):
    assert "address" in _kinds(value)


@pytest.mark.parametrize("value", [
    "Karlstad", "0512", "1763", "34", "122,3", "1 234 567", "0,5", "65-79", "80+", "2027-03-16", "03-12-2027",
    "familj med barn", "dagligen", "ja", "..", "R000123", "P1000000", "2024-000123", "Vägen till jobbet",
    "a@b", "10 000 kr", "16–29", "e-tjänster 12 mån", "120 000",
    # survey tools and Excel write timestamps: a date and a time are not a phone number
    "2027-05-03 12:34:56", "2027-05-03 12:34", "03/05/2027 12:34", "2027-04-01 09:05", "2027-05-03T12:34:56",
])
def test_ordinary_answers_are_not_personal_data(value):
    assert _kinds(value) == set()


@pytest.mark.parametrize("value", ["Anna Andersson", "anna", "Bo", "Anna-Lena Ek", "Anna Andersson 2"])
def test_a_code_column_holding_names(value):
    assert "name" in _kinds(value, code=True)
    assert "name" not in _kinds(value)  # a name in an answer column is only looked for in codes


@pytest.mark.parametrize("value", ["R0001", "P123", "2024-000123", "A7F3-99", "vet ej", "", "..", "a1b2c3"])
def test_codes_that_identify_no_one(value):
    assert _kinds(value, code=True) == set()


@pytest.mark.parametrize("header,kind", [
    ("Personnummer", "personnummer"), ("pnr", "personnummer"), ("Person-nr", "personnummer"),
    ("p_nr", "personnummer"), ("pers.nr", "personnummer"), ("PERSONNR", "personnummer"),
    ("Samordningsnummer", "personnummer"), ("Födelsedatum", "birth_date"),
    ("Namn", "name"), ("Förnamn", "name"), ("Efternamn", "name"), ("first_name", "name"),
    ("Adress", "address"), ("Hem adress", "address"), ("gata", "address"), ("Gatuadress", "address"),
    ("postnummer", "address"), ("postort", "address"), ("Postnr", "address"),
    ("E-post", "email"), ("mejladress", "email"), ("E-mail", "email"), ("Mail", "email"),
    ("Telefon", "phone"), ("telefonnr", "phone"), ("mobilnr", "phone"), ("tfn", "phone"),
    ("Mobilnummer", "phone"), ("Tel.", "phone"),
])
def test_personal_headers_in_every_spelling(header, kind):
    assert header_kind(header) == kind
    assert header_kind(header.upper()) == kind
    assert header_kind(unicodedata.normalize("NFD", header)) == kind  # as macOS writes å, ä, ö


@pytest.mark.parametrize("header", ["Kommun", "Kommunnamn", "Ålder", "id", "löpnummer", "Har BankID", "ort",
                                    "skolnamn", "Vikt", "antal", "kön", "Hushåll"])
def test_ordinary_headers_are_not_personal(header):
    assert header_kind(header) is None


def test_header_forms():
    nfd = unicodedata.normalize("NFD", "Förnamn")
    assert normalise_header(nfd) == normalise_header("FÖRNAMN") == "förnamn"
    assert normalise_header("Har__BankID ") == "har bankid"
    assert compact_header(nfd) == compact_header("för-namn") == "fornamn"


@pytest.mark.parametrize("header,expected", [("19121212-1212", True), ("Storgatan 1", True), ("34", True),
                                             ("2027-01-01", True), ("1,5", True), ("kommun", False),
                                             ("Har BankID", False)])
def test_a_header_cell_that_is_data(header, expected):
    assert looks_like_data(header) is expected


def test_every_distinct_value_is_looked_at_not_the_first_n():
    values = [f"R{i:06d}" for i in range(20_000)] + ["19121212-1212"] * 100
    found = personal_values(pa.array(values))
    assert found["personnummer"].sum() == 100 and found["personnummer"][-100:].all()


def test_a_huge_cell_is_judged_without_trouble():
    big = "x" * 10_000_000 + " 19121212-1212"
    assert "personnummer" in personal_values(pa.array([big, "ok"]))
    assert personal_values(pa.array(["ok", "y" * 200_000])) == {}


def test_masks_line_up_with_the_values():
    values = pa.array(["ok", "anna@example.se", None, "070-123 45 67", "Storgatan 1"])
    found = personal_values(values)
    assert np.flatnonzero(found["email"]).tolist() == [1]
    assert np.flatnonzero(found["phone"]).tolist() == [3]
    assert np.flatnonzero(found["address"]).tolist() == [4]


@pytest.mark.parametrize(("text", "kind"), [
    ("070.123.45.67", "phone"), ("ring 054.540.00.00", "phone"),
    ("namn(at)example.se", "email"), ("namn [at] example.se", "email"),
    ("skriv till namn (snabel-a) example (dot) se", "email"),
    ("570428–9999", "personnummer"), ("1957-04-28-9999", "personnummer"),
])
def test_spelled_out_and_dotted_forms_are_found(text, kind):
    assert kind in personal_values(pa.array([text]))


@pytest.mark.parametrize("text", ["2027.05.03", "1.2.3", "v. 10.20.30", "12.345.678", "Karlstad at home.se"])
def test_dates_versions_and_words_are_not_contact_details(text):
    assert personal_values(pa.array([text])) == {}
