"""Survey answers: a survey tool's export of our own drafts reads in, refuses personal data like
citizen files, and its results (small cells suppressed) reach the report."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from campaigns.evaluation import evaluate
from campaigns.evaluation_report import report_html
from campaigns.survey_answers import answer_channels, heard_from_table, load_survey_answers, responses_table
from campaigns.survey_sample import sample_answers
from campaigns.usage import load_usage
from common.errors import InputError

from .conftest import DATA


@pytest.fixture(scope="module")
def exported(varmland_plan, varmland):
    _, _, ss = varmland
    return sample_answers(varmland_plan, ss, n=300, seed=1)


def _xlsx(frame: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    frame.to_excel(buf, index=False)
    return buf.getvalue()


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_of_our_own_survey_reads_in(exported, varmland_plan, varmland, fmt):
    _, _, ss = varmland
    data = exported.to_csv(index=False, sep=";").encode("cp1252") if fmt == "csv" else _xlsx(exported)
    answers = load_survey_answers(data, f"svar.{fmt}", varmland_plan, ss)
    assert len(answers.frame) == 300 and "heard_from" in answers.questions
    assert answers.ignored == ("Tidstämpel",)
    heard = heard_from_table(answers).set_index("channel")
    assert heard["answers"].sum() == 300  # every respondent answered where they heard, in whichever column
    assert heard.loc["web", "answers"] > heard.loc["training", "answers"]  # as planted


def test_question_ids_and_multiple_choice_answers(varmland_plan, varmland):
    _, _, ss = varmland
    rows = "kommun;heard_from\n" + 'Kil;"Webben;Facebook"\n' * 6 + "Forshaga;Någon jag känner\n"
    answers = load_survey_answers(rows.encode(), "svar.csv", varmland_plan, ss)
    table = heard_from_table(answers).set_index("channel")
    assert table.loc["web", "answers"] == 6 and table.loc["facebook", "answers"] == 6
    assert pd.isna(table.loc["word_of_mouth", "answers"])  # one answer: suppressed
    assert answer_channels("Flygblad i brevlådan", {}) == ("flyer",)
    assert answer_channels("Såg det på tv", {}) == ("other",)


def test_small_cells_are_suppressed_per_municipality_and_segment(exported, varmland_plan, varmland):
    _, _, ss = varmland
    answers = load_survey_answers(exported.to_csv(index=False).encode(), "svar.csv", varmland_plan, ss)
    table = responses_table(answers, varmland_plan)
    assert table["answers"].isna().any() and (table["answers"].dropna() >= 5).all()


@pytest.mark.parametrize("column,value,kind", [("E-post", "anna@example.se", "e-post"),
                                               ("id", "19121212-1212", "personnummer")])
def test_personal_data_is_refused_like_citizen_files(varmland_plan, varmland, column, value, kind):
    _, _, ss = varmland
    text = f"kommun;{column};heard_from\nKil;x;Facebook\nKil;{value};Webben\n"
    with pytest.raises(InputError) as info:
        load_survey_answers(text.encode(), "svar.csv", varmland_plan, ss)
    message = info.value.text("sv")
    assert column in message and kind in message.lower() and value not in message
    if column == "id":
        assert "rad 3" in message


def test_a_file_without_our_questions_or_municipality_is_refused_with_a_hint(varmland_plan, varmland):
    _, _, ss = varmland
    with pytest.raises(InputError) as info:
        load_survey_answers(b"Tidsstampel;Betyg\n2027-05-01;4\n", "svar.csv", varmland_plan, ss)
    assert info.value.codes == {"survey.no_municipality", "survey.no_questions"}
    assert "enkätutkasten" in info.value.text("sv")


@pytest.mark.slow
def test_survey_answers_round_trip_into_the_report(exported, varmland_plan, varmland):
    _, _, ss = varmland
    answers = load_survey_answers(exported.to_csv(index=False).encode(), "svar.csv", varmland_plan, ss)
    usage = load_usage(DATA / "usage" / "varmland_2027.csv", None, varmland_plan.region, varmland_plan.campaign)
    ev = evaluate(varmland_plan, usage, None, answers, by_segment=False)
    first = ev.services[0]
    assert first.survey is not None and first.survey.answers == 300
    html = report_html(ev, varmland_plan, [], "sv")
    assert "Enkätsvar (300 svar)" in html and "Fick veta via" in html and "&lt;5" in html
    assert "Någon de känner" in html or "någon de känner" in html
    english = report_html(ev, varmland_plan, [], "en")
    assert "Survey answers (300 answers)" in english and "Heard through" in english
