"""The allow-list gate every user table passes: only listed columns come out; personal data in
any column is found, refused or left out, and never quoted."""

from __future__ import annotations

import pytest

from common.errors import InputError
from common.screening import AllowList, Screen, screen_table
from common.table_files import read_raw

SURVEY = {"municipality": ("kommun",), "answer": ("svar",), "respondent": ("löpnummer",)}


def _csv(text: str) -> bytes:
    return text.encode("utf-8")


def _screen(text: str, **kw):
    raw = read_raw(_csv(text), "enkät.csv")
    allow = AllowList.matching(raw.headers, SURVEY, codes=("respondent",))
    return screen_table(raw, allow, **kw)


def test_only_allow_listed_columns_are_kept():
    out = _screen("Kommun;Svar;Fritext;Okänd\nKinda;ja;bra tjänst;1\nYdre;nej;;2\n")
    assert set(out.columns) == {"Kommun", "Svar"}
    assert out.columns["Svar"].to_pylist() == ["ja", "nej"]
    assert out.dropped == ("Fritext", "Okänd") and out.rows == 2 and out.findings == ()


def test_headers_match_in_any_spelling():
    raw = read_raw(_csv("KOMMUN,SVAR,Löpnummer\nKinda,ja,R1\n"), "x.csv")
    allow = AllowList.matching(raw.headers, SURVEY, codes=("respondent",))
    assert dict(allow.columns) == {"KOMMUN": "municipality", "SVAR": "answer", "Löpnummer": "respondent"}
    assert allow.codes == frozenset({"Löpnummer"})


def test_personal_data_in_a_dropped_free_text_column_refuses_the_table():
    with pytest.raises(InputError) as info:
        _screen("kommun;svar;kommentar\nKinda;ja;ok\nYdre;nej;ring mig på 070-123 45 67\n")
    text = info.value.text("sv")
    assert info.value.codes == {"personal_data"} and "kommentar" in text and "telefonnummer" in text
    assert "rad 3" in text and "070" not in text


def test_left_out_instead_when_asked():
    out = _screen("kommun;svar;kommentar;Telefon\nKinda;19121212-1212;ok;x\nYdre;nej;bra;y\n", drop_personal=True)
    assert set(out.columns) == {"kommun"}  # 'svar' held an identity number: left out too
    found = {f.column: f for f in out.findings}
    assert found["svar"].by == "value" and found["svar"].kept and found["svar"].rows == (2,)
    assert found["Telefon"].by == "name" and found["Telefon"].kinds == ("phone",)
    assert out.notices and out.notices[0].code == "notice.personal_dropped"


def test_a_respondent_code_must_identify_no_one():
    with pytest.raises(InputError) as info:
        _screen("kommun;löpnummer\nKinda;R1\nKinda;Anna Andersson\n")
    assert "namn" in info.value.text("sv") and "Anna" not in info.value.text("sv")
    assert _screen("kommun;löpnummer\nKinda;R1\nKinda;R2\n").columns["löpnummer"].to_pylist() == ["R1", "R2"]


@pytest.mark.parametrize("first_line", [
    "19121212-1212;Anna Andersson;Storgatan 1, 652 24 Karlstad",
    "Kinda;34;070-123 45 67",
    "anna@example.se;Kinda;34",
])
def test_a_file_without_headers_is_refused_quoting_nothing(first_line):
    raw = read_raw(_csv(first_line + "\nYdre;50;x\n"), "x.csv")
    with pytest.raises(InputError) as info:
        Screen(raw, AllowList({}))
    assert info.value.codes == {"headerless"}
    text = info.value.text("sv") + info.value.text("en")
    for piece in first_line.split(";"):
        assert piece not in text


def test_a_number_row_without_any_known_header_is_headerless():
    raw = read_raw(_csv("Kinda;34;1\nYdre;50;2\n"), "x.csv")
    with pytest.raises(InputError) as info:
        Screen(raw, AllowList({}))
    assert info.value.codes == {"headerless"}


def test_rows_are_numbered_as_in_the_file_across_batches():
    lines = ["kommun;svar;anteckning"] + [f"Kinda;ja;R{i}" for i in range(20_000)] + ["Kinda;ja;19121212-1212"] * 100
    raw = read_raw(_csv("\n".join(lines) + "\n"), "x.csv")
    with pytest.raises(InputError) as info:
        screen_table(raw, AllowList.matching(raw.headers, SURVEY))
    problem = info.value.problems[0]
    assert problem.rows[0] == 20_002 and problem.row_count == 100
