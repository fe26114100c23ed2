import pyarrow as pa
import pyarrow.compute as pc
import pytest

from segments.pii import is_personnummer, personal_column_reason, scan_column


@pytest.mark.parametrize("text", [
    "19121212-1212", "191212121212", "121212-1212", "1212121212", "121212+1212",  # Tolvan Tolvansson
    "811218-9876", "701063-2391",  # the last is a samordningsnummer (day + 60)
])
def test_valid_identity_numbers_are_recognised(text):
    assert is_personnummer(text)


@pytest.mark.parametrize("text", ["19121212-1213", "121312-1212", "12345", "R000123", "0701234", ""])
def test_other_values_are_not_identity_numbers(text):
    assert not is_personnummer(text)


@pytest.mark.parametrize("header,kind", [
    ("Personnummer", "personnummer"), ("pnr", "personnummer"), ("Samordningsnummer", "personnummer"),
    ("Namn", "name"), ("Förnamn", "name"), ("Efternamn", "name"), ("Adress", "address"),
    ("E-post", "email"), ("Telefon", "phone"), ("Mobilnummer", "phone"),
])
def test_personal_headers(header, kind):
    assert personal_column_reason(header) == kind


@pytest.mark.parametrize("header", ["Kommun", "Kommunnamn", "Ålder", "id", "Har BankID"])
def test_ordinary_headers_are_not_personal(header):
    assert personal_column_reason(header) is None


def test_scan_finds_identity_numbers_and_reports_rows():
    found = scan_column("id", pc.dictionary_encode(pa.array(["R1", "R2", "19121212-1212", "R4"])), row_offset=2)
    assert found is not None and found.kind == "personnummer" and found.rows == (4,)


def test_scan_finds_email():
    found = scan_column("kontakt", pc.dictionary_encode(pa.array(["", "anna@example.se"])))
    assert found is not None and found.kind == "email"
