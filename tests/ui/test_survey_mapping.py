"""A survey tool's export with question-style headers is mapped on the Data page and drives the segments."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT

SURVEY = ROOT / "tests" / "data" / "survey_export.csv"
HABITS = ("Har du BankID?", "Hur ofta använder du internet?", "Hur vill du helst få information från kommunen?")


def _boxes(at):
    return {b.label: b for b in at.selectbox if b.key.startswith("colmap_")}


def _apply(at):
    next(b for b in at.button if b.key.startswith("colmap_apply_")).click().run()
    assert not at.exception, at.exception


@pytest.mark.slow
def test_a_survey_export_is_mapped_remembered_and_its_habits_drive_the_segments(app):
    at = app("data")
    at.file_uploader(key="uploader").set_value(("enkät.csv", SURVEY.read_bytes(), "text/csv")).run()
    assert not at.exception, at.exception
    assert any("Koppla kolumner" in s.value for s in at.subheader)  # offered even though the file was refused
    boxes = _boxes(at)
    assert {h: boxes[h].value for h in boxes} == {
        "Tidstämpel": "", "Vilken kommun bor du i?": "municipality", "Hur gammal är du?": "age",
        "Har du BankID?": "has_bankid", "Hur ofta använder du internet?": "internet_use",
        "Har du barn som bor hemma?": "household", "Hur vill du helst få information från kommunen?": "prefers_paper",
        "Jag sköter gärna ärenden med kommunen digitalt": ""}
    assert "__feature__" not in boxes["Tidstämpel"].options  # free text is never a feature
    boxes["Jag sköter gärna ärenden med kommunen digitalt"].set_value("__feature__")  # the control exists
    _apply(at)
    assert any("Filen är inläst: 300 rader" in s.value for s in at.success), [s.value for s in at.success]
    assert "brev → ja" in " ".join(c.value for c in at.caption)  # the answer mapping is shown
    choice = at.session_state["upload_options"]
    digest, options = next(iter(choice.items()))
    assert options["features"] == ["Jag sköter gärna ärenden med kommunen digitalt"]
    assert options["column_map"]["Har du BankID?"] == "has_bankid"
    assert options["value_map"]["Hur vill du helst få information från kommunen?"]["brev"] == "true"
    # the segments are driven by the mapped habit questions
    at.switch_page("app_pages/segments_page.py").run()
    assert not at.exception, at.exception
    texts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    drivers = next(x for x in texts if "Segmenten skiljs åt av:" in x)
    for habit in ("har BankID", "internetanvändning", "föredrar papper", "Jag sköter gärna"):
        assert habit in drivers, drivers  # the mapped habit questions and the officer's feature split them


@pytest.mark.slow
def test_the_same_layout_gets_the_confirmed_mapping_again(app):
    at = app("data")
    at.file_uploader(key="uploader").set_value(("enkät.csv", SURVEY.read_bytes(), "text/csv")).run()
    _boxes(at)["Hur gammal är du?"].set_value("")  # the officer overrides a suggestion ...
    _boxes(at)["Hur gammal är du?"].set_value("age")
    _boxes(at)["Har du barn som bor hemma?"].set_value("")  # ... and leaves a question out
    _apply(at)
    assert any("Filen är inläst" in s.value for s in at.success)
    # another export of the same survey (same header row, fewer rows): the mapping comes back
    lines = SURVEY.read_text(encoding="utf-8").splitlines()
    other = ("\n".join(lines[:151]) + "\n").encode()
    at.file_uploader(key="uploader").set_value(("enkät2.csv", other, "text/csv")).run()
    assert not at.exception, at.exception
    assert {m.label: m.value for m in at.metric}["Rader"] == "150"  # loaded with the remembered mapping
    assert _boxes(at)["Har du barn som bor hemma?"].value == ""  # the officer's choice, not the suggestion


@pytest.mark.slow
def test_the_mapping_step_speaks_english(app_in):
    at = app_in("en", "data")
    at.file_uploader(key="uploader").set_value(("enkät.csv", SURVEY.read_bytes(), "text/csv")).run()
    assert not at.exception, at.exception
    assert any(s.value == "Map columns" for s in at.subheader)
    captions = " ".join(c.value for c in at.caption)
    assert "brev → yes" in captions and "ja → families with children" in captions, captions
    assert "Map columns" in [s.value for s in at.subheader] and "Apply the mapping" in [b.label for b in at.button]
