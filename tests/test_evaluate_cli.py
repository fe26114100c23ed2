"""`python -m campaigns evaluate` and `power`: the estimates table and the report on both sample
campaigns, survey answers into the report, exit code 2 with a located message on bad input."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from pypdf import PdfReader

from campaigns.__main__ import main
from campaigns.campaign_files import load_campaign
from campaigns.evaluation import ESTIMATE_COLUMNS

from .conftest import DATA


@pytest.mark.slow
@pytest.mark.parametrize("name", ["varmland_2027", "atvidaberg_2027"])
def test_evaluate_writes_estimates_and_the_report(tmp_path, capsys, name):
    out = tmp_path / "ut"
    answers = DATA / "surveys" / f"{name}_svar.csv"
    args = ["evaluate", str(DATA / "campaigns" / f"{name}.yaml"), "--usage", str(DATA / "usage" / f"{name}.csv"),
            "--out", str(out), *(["--answers", str(answers)] if answers.exists() else [])]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "estimates.csv" in printed and "påhittade startdatum" in printed
    table = pd.read_csv(out / "estimates.csv", encoding="utf-8-sig")
    assert tuple(table.columns) == ESTIMATE_COLUMNS + (("objective", "target", "verdict") if "verdict" in table else ())
    if "verdict" in table:  # the rows after the estimates score the campaign's objectives (tests/test_objectives.py)
        assert table["verdict"].notna().sum() == sum(len(e.objectives) for e in load_campaign(args[1])[0].e_services)
        table = table[table["verdict"].isna()]
    totals = table[table["channel"] == "alla kanaler"]
    assert len(totals) == (3 if name == "varmland_2027" else 2)
    assert (totals["low"] <= totals["estimate"]).all() and (totals["estimate"] <= totals["high"]).all()
    assert set(table["comparison"]) == {"kommunens egen trend före start (svag jämförelse)"}
    assert (table["n_municipalities"] >= 1).all() and table["conclusion"].str.len().min() > 40
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Effekten månad för månad" in html and "<svg" in html
    assert ("Enkätsvar (400 svar)" in html) == answers.exists()
    pdf = PdfReader(io.BytesIO((out / "report.pdf").read_bytes()))
    assert "Utvärdering" in " ".join(p.extract_text() for p in pdf.pages)


@pytest.mark.slow
def test_evaluate_in_english(tmp_path, capsys):
    out = tmp_path / "en"
    assert main(["evaluate", str(DATA / "campaigns" / "atvidaberg_2027.yaml"), "--usage",
                 str(DATA / "usage" / "atvidaberg_2027.csv"), "--out", str(out), "--no-pdf", "--lang", "en"]) == 0
    table = pd.read_csv(out / "estimates.csv", encoding="utf-8-sig")
    assert set(table["unit"]) == {"uses per 1,000 inhabitants a month"}
    assert "made-up start date" in (out / "report.html").read_text(encoding="utf-8")
    assert not (out / "report.pdf").exists()


def test_bad_statistics_exit_2_with_located_message_and_nothing_written(tmp_path, capsys):
    bad = tmp_path / "stat.csv"
    bad.write_text("månad;kommun;e-tjänst;antal\n2027-13;Kinda;Skolval;1\n2027-04;Gotham;Skolval;2\n",
                   encoding="utf-8")
    out = tmp_path / "ut"
    rc = main(["evaluate", str(DATA / "campaigns" / "atvidaberg_2027.yaml"), "--usage", str(bad),
               "--out", str(out)])
    assert rc == 2
    err = capsys.readouterr().err
    assert "rad 2" in err and "rad 3" in err and "Inget har sparats" in err and "Traceback" not in err
    assert not out.exists()


def test_survey_answers_with_personal_data_exit_2(tmp_path, capsys):
    answers = tmp_path / "svar.csv"
    answers.write_text("kommun;Namn;heard_from\nKinda;Anna Berg;Facebook\n", encoding="utf-8")
    out = tmp_path / "ut"
    rc = main(["evaluate", str(DATA / "campaigns" / "atvidaberg_2027.yaml"), "--usage",
               str(DATA / "usage" / "atvidaberg_2027.csv"), "--answers", str(answers), "--out", str(out)])
    err = capsys.readouterr().err
    assert rc == 2 and "Namn" in err and "Anna Berg" not in err and not out.exists()


@pytest.mark.slow
def test_power_prints_the_minimum_detectable_effect_per_rollout(capsys):
    assert main(["power", str(DATA / "campaigns" / "varmland_2027.yaml")]) == 0
    printed = capsys.readouterr().out
    assert "Boka vigsel: minsta mätbara effekt" in printed
    assert "Som planerat" in printed and "Två omgångar, 6 månader isär" in printed
