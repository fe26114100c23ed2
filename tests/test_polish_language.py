"""Files and notes the app hands out are in the reader's language (issue #26, item 4): the
estimates for Excel, the segment file's note, file sizes."""

from __future__ import annotations

import csv
import io

import pytest

from app_pages.data_names import shown_names
from campaigns.estimates_file import estimates_for_excel
from campaigns.evaluation import ESTIMATE_COLUMNS, estimates_table, evaluate
from campaigns.planning import default_plan
from campaigns.usage import load_usage
from common.catalogue import fmt_value

from .conftest import DATA
from .language import Checker


@pytest.fixture(scope="module")
def evaluation():
    plan, ss = default_plan(str(DATA / "campaigns" / "atvidaberg_2027.yaml"))
    usage = load_usage(DATA / "usage" / "atvidaberg_2027.csv", None, plan.region, plan.campaign)
    return plan, evaluate(plan, usage)


@pytest.mark.parametrize("lang, sep, decimal, first", [("sv", ";", ",", "E-tjänst"), ("en", ",", ".", "E-service")])
def test_estimates_for_excel_read_as_the_language_writes(evaluation, lang, sep, decimal, first):
    plan, ev = evaluation
    names = shown_names(plan.campaign, plan.region, plan.segments, lang)
    raw = estimates_for_excel(estimates_table(ev, lang), lang, names)
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads å, ä, ö only with the byte-order mark
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=sep))
    assert rows[0][0] == first and len(rows[0]) == len(ESTIMATE_COLUMNS)
    assert not set(rows[0]) & set(ESTIMATE_COLUMNS) - {"segment"}  # no identifiers as headers
    estimates = [r[3] for r in rows[1:] if r[3]]
    assert estimates and all(("." if lang == "sv" else ",") not in x for x in estimates)
    assert any(decimal in x for x in estimates)
    check = Checker(lang)
    check.add_data([plan.campaign.name, *(fmt_value(x.title, lang) for x in plan.campaign.e_services),
                    *(fmt_value(c.title, lang) for c in plan.region.channels)])  # the form of `lang` only
    for h in rows[0]:
        check.prose(h, "estimates header")
    for row in rows[1:]:  # names and unit (the worded comparison and conclusion: campaigns.evaluation's)
        for i in (0, 1, 2, 6):
            check.cell(row[i], "estimates cell")
    assert not check.problems, check.problems


@pytest.mark.parametrize("description, lang, expected", [
    ("CSV (utf-8-sig, ';')", "sv", "CSV (UTF-8, semikolon mellan fälten)"),
    ("CSV (cp1252, ',')", "en", "CSV (Windows-1252, comma-separated)"),
    ("CSV (utf-8, TAB)", "sv", "CSV (UTF-8, tabb mellan fälten)"),
    ("Excel (.xlsx)", "sv", "Excel (.xlsx)"),
])
def test_a_file_is_described_in_words(description, lang, expected):
    from app_pages.i18n import file_format

    assert file_format(description, lang) == expected
    Checker(lang).prose(file_format(description, lang), "probe")


def test_the_segment_file_note_is_in_the_language(varmland):
    ss = varmland[2]
    sv, en = ss.to_yaml("sv"), ss.to_yaml("en")
    assert "note: 'Bara segmentens profiler" in sv and "Segment profiles only" not in sv
    assert "note: 'Segment profiles only" in en
    assert type(ss).from_yaml(sv) == type(ss).from_yaml(en)  # the note is not part of the data
