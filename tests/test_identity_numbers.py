"""Identity numbers in every form a file can hold them, judged one at a time and a column at once.

The personnummer project's public test numbers (tests/data/personnummer, MIT licence) are the
reference: every valid one must be found in every format, no invalid one may be.
"""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import luhn
from stdnum.exceptions import ValidationError
from stdnum.se import personnummer as stdnum_personnummer

from common.identity_numbers import identity_number_mask, is_identity_number

from .conftest import ROOT

TESTDATA = ROOT / "tests" / "data" / "personnummer"
FORMATS = ("long_format", "short_format", "separated_format", "separated_long")


def _entries() -> list[dict]:
    return [e for f in ("list.json", "interim.json") for e in json.loads((TESTDATA / f).read_text(encoding="utf-8"))]


def _cases(valid: bool) -> list[tuple[str, str, str]]:
    out = []
    for e in _entries():
        if e["valid"] != valid:
            continue
        forms = [e[f] for f in FORMATS] + ([str(e["integer"])] if e["integer"] else [])
        out += [(form, e["type"], e["long_format"][-4:]) for form in dict.fromkeys(forms)]
    return out


VALID = _cases(True)
# The project rejects '19090527 1474' only for its space; a number written with a space still
# identifies the person, so this tool finds it (the '19121212 1212').
INVALID = [c for c in _cases(False) if " " not in c[0]]
SPACED = [c for c in _cases(False) if " " in c[0]]


def test_the_public_test_numbers_cover_every_kind():
    assert {t for _, t, _ in VALID} == {"ssn", "con", "interim"}
    assert len(VALID) >= 70 and len(INVALID) >= 20


@pytest.mark.parametrize("text,kind,_", VALID)
def test_every_valid_public_number_is_found_in_every_format(text, kind, _):
    assert is_identity_number(text)
    assert identity_number_mask(pa.array([text])).tolist() == [True]


@pytest.mark.parametrize("text,kind,_", INVALID)
def test_no_invalid_public_number_is_found(text, kind, _):
    assert not is_identity_number(text)
    assert identity_number_mask(pa.array([text])).tolist() == [False]


@pytest.mark.parametrize("text,kind,_", SPACED)
def test_a_number_written_with_a_space_is_still_found(text, kind, _):
    assert is_identity_number(text) and identity_number_mask(pa.array([text]))[0]


@pytest.mark.parametrize("text", [
    "19121212 1212", "1212121212", "121212+1212", "19121212+1212", " 19121212-1212 ",
    "1.91212121212E11", "1,91212121212E+11", "191212121212.0", "191212121212,00", "1.212121212e+9",
    "501011233",  # 050101-1233 after Excel dropped the leading zero
    "Mitt pnr är 19121212-1212, ring mig", "pnr:121212-1212.", "x 111111-1111 y 222222-2222 z 121212-1212",
    "20000101-T220", "000101T220", "interim 20000101-R220 här", "701063-2391",  # samordningsnummer
])
def test_spreadsheet_forms_and_numbers_inside_text_are_found(text):
    assert is_identity_number(text)
    assert identity_number_mask(pa.array([text])).tolist() == [True]


@pytest.mark.parametrize("text", [
    "19120231-1212", "120231-1212",  # 31 February does not exist, whatever the check digit
    "19121212-1213", "121312-1212", "20000101-E221", "20150916-0006",  # serial 000
    "12345", "R000123", "0701234567", "2027-03-16", "65-79", "", "1212121212121212", "P1000000",
    "1.2E3", "kommun 0512",
])
def test_other_values_are_not_identity_numbers(text):
    assert not is_identity_number(text)
    assert identity_number_mask(pa.array([text])).tolist() == [False]


def _stdnum_reference(text: str) -> bool:
    """python-stdnum's rule for one run of 8-10 or 12 digits with an optional separator before the
    last four, widened (as the tool is) to samordningsnummer and a dropped leading zero."""
    digits = text.replace("-", "").replace("+", "").replace(" ", "")
    sep = "+" if "+" in text else "-"
    digits = digits.zfill(10) if len(digits) < 10 else digits
    if len(digits) not in (10, 12) or digits[-4:-1] == "000":
        return False
    date, tail = digits[:-4], digits[-4:]
    if len(date) == 8 and not 1800 <= int(date[:4]) <= 2099:
        return False
    day = int(date[-2:])
    if day > 60:
        date = date[:-2] + f"{day - 60:02d}"
    forms = [date + sep + tail] if len(date) == 8 else [date + s + tail for s in "-+"]

    def dated(number: str) -> bool:
        try:
            stdnum_personnummer.get_birth_date(number)
        except ValidationError:
            return False
        return True

    return any(dated(f) for f in forms) and bool(luhn.is_valid(digits[-10:]))


def test_the_column_view_agrees_with_stdnum_on_random_numbers():
    rng = np.random.default_rng(0)
    lengths = rng.choice([8, 9, 10, 12], 20_000)
    texts = ["".join(map(str, rng.integers(0, 10, n))) for n in lengths]
    texts += [t[:-4] + rng.choice(["-", "+", " "]) + t[-4:] for t in texts[:5000] if len(t) >= 10]
    column = identity_number_mask(pa.array(texts))
    assert column.tolist() == [_stdnum_reference(t) for t in texts]
    assert 0 < column.mean() < 0.02  # valid numbers are rare among random digits


@pytest.mark.parametrize("text", [
    "570428–9999",  # en dash, as Word and Excel autocorrect a hyphen
    "570428—9999", "570428\u22129999", "570428/9999", "57.04.28-9999", "1957-04-28-9999", "1957.04.28-9999",
    "Svarande: 570428–9999 (Anna)", "19570428/9999",
])
def test_separators_people_and_word_processors_type_are_found(text):
    assert is_identity_number(text)


@pytest.mark.parametrize("text", ["2027-05-03 12:34", "2027-05-03", "57.04.28", "v. 1.2.3.4567", "570428-9998"])
def test_dates_and_versions_are_not_identity_numbers(text):
    assert not is_identity_number(text)


_digits = st.text(alphabet="0123456789", min_size=6, max_size=12)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_digits, st.builds(lambda a, s, b: a + s + b, _digits, st.sampled_from(["-", "+", " ", ""]),
                                             _digits), st.text(max_size=30)), max_size=20))
def test_a_value_is_judged_alike_alone_and_among_others(texts):
    assert identity_number_mask(pa.array(texts, type=pa.string())).tolist() == [is_identity_number(t) for t in texts]


def test_nulls_and_empty_columns():
    assert identity_number_mask(pa.array([], type=pa.string())).tolist() == []
    assert identity_number_mask(pa.array([None, "19121212-1212"], type=pa.string())).tolist() == [False, True]
