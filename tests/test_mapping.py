"""Suggested contract fields for survey columns (segments.mapping), without Streamlit."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from common.errors import InputError
from common.table_files import read_raw
from segments.clustering import fit_segments
from segments.io import load_citizens
from segments.mapping import MAX_SAMPLE, Suggestion, file_suggestions, layout_digest, suggest, suggest_columns
from segments.schema import FIELD_BY_NAME

SURVEY = Path(__file__).resolve().parent / "data" / "survey_export.csv"
YES_NO = ["Ja", "Nej"]


@pytest.mark.parametrize(("header", "values", "field", "reason"), [
    ("Har du BankID?", YES_NO, "has_bankid", "header_and_answers"),
    ("Har du mobilt BankID?", ["Ja, jag har", "Nej", "Vet ej"], "has_bankid", "header_and_answers"),
    ("Hur ofta använder du internet?", ["Varje dag", "Varje vecka", "Sällan", "Aldrig"], "internet_use",
     "header_and_answers"),
    ("Hur ofta är du ute på nätet?", ["Flera gånger om dagen", "Någon gång i veckan", "Mer sällan", "Aldrig"],
     "internet_use", "answers"),
    ("Använder du Facebook?", YES_NO, "uses_facebook", "header_and_answers"),
    ("Vilken kommun bor du i?", ["Karlstad", "Kil", "Arvika"], "municipality", "header_and_answers"),
    ("Bostadsort", ["Karlstad", "Kil"], "municipality", "answers"),
    ("Hur gammal är du?", ["19", "45", "88"], "age", "header_and_answers"),
    ("Vilken är din huvudsakliga sysselsättning?", ["Studerar", "Pensionär", "Arbetar"], "occupation",
     "header_and_answers"),
    ("Har du barn som bor hemma?", YES_NO, "household", "children_at_home"),
    ("Hur vill du helst få information från kommunen?", ["Brev", "E-post", "Webben"], "prefers_paper",
     "preferred_channel"),
    ("Hur många gånger har du använt kommunens e-tjänster det senaste året?", ["0", "3", "12"],
     "eservice_uses_12m", "header_and_answers"),
    ("Jag litar på kommunens webbplats", ["Instämmer helt", "Instämmer delvis", "Tar helt avstånd"], None, "likert"),
    ("Hur nöjd är du med kommunen? (1–5)", ["1", "2", "3", "4", "5"], None, "likert"),
    ("Röstade du i senaste valet?", YES_NO, None, "yes_no"),
    ("Tidstämpel", [f"2026-03-01 10:{m:02d}:00" for m in range(60)], None, "free_text"),
    ("Förnamn", ["Anna", "Bo"], None, "personal"),
])
def test_question_style_headers_get_the_right_suggestion(header, values, field, reason):
    s = suggest(header, values)
    assert (s.field, s.reason) == (field, reason), s


def test_answers_are_mapped_to_the_fields_values():
    paper = suggest("Hur vill du helst få information från kommunen?", ["Brev", "E-post", "Papper i brevlådan", "Sms"])
    assert paper.value_map() == {"brev": "true", "e-post": "false", "papper i brevlådan": "true", "sms": "false"}
    kids = suggest("Har du barn som bor hemma?", ["Ja", "Nej"])
    assert kids.value_map() == {"ja": "family_with_children", "nej": "other"}
    net = suggest("Hur ofta använder du internet?", ["Flera gånger om dagen", "Varje vecka"])
    assert net.value_map() == {"flera gånger om dagen": "daily"}  # "varje vecka" is the contract's own spelling
    bankid = suggest("Har du BankID?", ["Ja, jag har", "Nej"])
    assert bankid.value_map() == {"ja, jag har": "true"}


def test_a_header_that_names_a_field_is_not_trusted_against_its_answers():
    """'Hur nöjd är du med kommunen?' names the municipality but answers a scale; an 'age' header with
    words for answers is no age."""
    assert suggest("Hur nöjd är du med kommunen?", ["Mycket nöjd", "Ganska nöjd", "Missnöjd"]).field is None
    assert suggest("Hur gammal känner du dig?", ["Ung", "Gammal"]).field is None
    assert suggest("Hur vill du helst få information från kommunen?", ["E-post", "Webben"]).field is None


def test_a_field_is_suggested_once_and_recognised_headers_are_left_alone():
    found = suggest_columns({"kommun": ["Kil"], "Vilken kommun bor du i?": ["Kil"], "Har du BankID?": YES_NO,
                             "BankID i mobilen?": YES_NO})
    assert "kommun" not in found
    assert found["Vilken kommun bor du i?"].reason == "taken"
    assert (found["Har du BankID?"].field, found["BankID i mobilen?"].field) == ("has_bankid", None)
    assert found["BankID i mobilen?"].feature_ok  # still usable as the officer's own feature


def test_the_survey_fixture_is_mapped_from_the_file():
    raw = read_raw(SURVEY)
    found = file_suggestions(raw)
    assert {h: s.field for h, s in found.items()} == {
        "Tidstämpel": None, "Vilken kommun bor du i?": "municipality", "Hur gammal är du?": "age",
        "Har du BankID?": "has_bankid", "Hur ofta använder du internet?": "internet_use",
        "Har du barn som bor hemma?": "household", "Hur vill du helst få information från kommunen?": "prefers_paper",
        "Jag sköter gärna ärenden med kommunen digitalt": None}
    assert found["Jag sköter gärna ärenden med kommunen digitalt"].feature_ok
    assert not found["Tidstämpel"].feature_ok  # 300 distinct times: never a feature
    assert layout_digest(raw.headers) == layout_digest(list(raw.headers)) != layout_digest(raw.headers[::-1])


def _mapped(path_or_bytes, name="enkät.csv"):
    raw = read_raw(path_or_bytes, name)
    found = file_suggestions(raw)
    return (found, {h: s.field for h, s in found.items() if s.field},
            {h: s.value_map() for h, s in found.items() if s.values},
            tuple(h for h, s in found.items() if not s.field and s.feature_ok))


def test_the_mapped_survey_loads_and_its_habit_questions_drive_the_segments():
    _, columns, values, features = _mapped(SURVEY)
    loaded = load_citizens(SURVEY, column_map=columns, value_map=values, features=features)
    table = loaded.table
    assert len(table) == 300 and set(table["internet_use"].cat.categories) >= {"daily", "weekly", "rarely", "never"}
    raw = pd.read_csv(SURVEY, sep=";")
    paper = raw["Hur vill du helst få information från kommunen?"].str.lower() == "brev"
    assert (table["prefers_paper"].to_numpy() == paper.to_numpy()).all()  # every answer mapped as suggested
    ss = fit_segments(table, "auto", seed=0, extra_features=features).segment_set
    assert {"has_bankid", "internet_use", "prefers_paper"} <= set(ss.drivers), ss.drivers
    assert features[0] in ss.drivers  # the officer's own feature splits the segments too


def test_mapping_never_lets_personal_data_in():
    """A question column that holds identity numbers or e-mail addresses is left out (or refused), whatever
    the mapping says; free text cannot be a feature."""
    df = pd.read_csv(SURVEY, sep=";", dtype=str)
    df.loc[3, "Har du BankID?"] = "19121212-1212"
    df["Vill du bli kontaktad? Skriv din e-post"] = ["anna@example.se"] + ["Nej"] * 299
    data = df.to_csv(index=False, sep=";").encode()
    found, columns, values, features = _mapped(data)
    assert found["Har du BankID?"].reason == "personal" and "Har du BankID?" not in columns
    assert found["Vill du bli kontaktad? Skriv din e-post"].reason == "personal"
    columns["Har du BankID?"] = "has_bankid"  # even if the officer maps it anyway
    loaded = load_citizens(data, "enkät.csv", column_map=columns, value_map=values, drop_personal=True)
    assert "has_bankid" not in loaded.table and "Har du BankID?" in loaded.dropped_personal_columns
    with pytest.raises(InputError) as err:
        load_citizens(data, "enkät.csv", column_map=columns, value_map=values, features=("Tidstämpel",))
    assert "1212" not in err.value.text("sv")
    with pytest.raises(InputError) as err:  # a feature must be short categories
        load_citizens(SURVEY, column_map={h: f for h, f in columns.items() if h != "Har du BankID?"},
                      features=("Tidstämpel",))
    assert "2026-03" not in err.value.text("sv")


_HEADER = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80)
_VALUES = st.lists(st.text(max_size=60), max_size=40)


@settings(max_examples=300, deadline=None)
@given(header=_HEADER, values=_VALUES)
def test_any_header_and_answers_get_a_suggestion_that_the_loader_could_read(header, values):
    s = suggest(header, values)
    assert isinstance(s, Suggestion) and s.header == header
    assert s.field is None or s.field in FIELD_BY_NAME
    assert s.reason in {"header_words", "answers", "header_and_answers", "preferred_channel", "children_at_home",
                        "likert", "yes_no", "personal", "free_text", "unknown"}
    if s.field is None:
        assert not s.values
    for answer, value in s.values:  # every mapped answer is one of the answers, mapped to a readable value
        assert answer in {v.strip().lower() for v in values} or answer in {" ".join(v.split()).lower() for v in values}
        field = FIELD_BY_NAME[s.field]
        assert value in ("true", "false") if field.kind == "boolean" else value in dict(field.values)
    if s.feature_ok:
        assert 2 <= len({v.strip().lower() for v in values}) <= 30


@settings(max_examples=100, deadline=None)
@given(header=_HEADER.map(lambda h: f"Har du {h}?"), n=st.integers(MAX_SAMPLE, MAX_SAMPLE + 50))
def test_many_distinct_answers_are_never_a_feature(header, n):
    s = suggest(header, [f"svar {i}" for i in range(n)])
    assert not s.feature_ok and s.reason in ("free_text", "personal")


@settings(max_examples=50, deadline=None)
@given(headers=st.lists(_HEADER.filter(lambda h: h.strip() and "\n" not in h and "\r" not in h), min_size=2,
                        max_size=6, unique_by=lambda h: h.strip().casefold()))
def test_odd_headers_in_a_real_file_never_break_the_suggestions(headers):
    df = pd.DataFrame({h: ["Ja", "Nej", "Ja"] for h in headers})
    buf = io.StringIO()
    df.to_csv(buf, index=False, sep=";")
    try:
        found = file_suggestions(raw := read_raw(buf.getvalue().encode(), "enkät.csv"))
    except InputError as err:  # a header row that is data is refused with a reason, never quoted
        assert err.codes == {"headerless"}, err.codes
        return
    assert set(found) <= set(raw.headers)
    assert len([s.field for s in found.values() if s.field]) == len({s.field for s in found.values() if s.field})


def test_a_header_row_that_is_data_is_refused_before_anything_is_suggested():
    data = b"19121212-1212;Karlstad;45\n19850101-2389;Kil;38\n"
    with pytest.raises(InputError) as err:
        file_suggestions(read_raw(data, "enkät.csv"))
    assert "1212" not in err.value.text("sv") and err.value.codes == {"headerless"}
