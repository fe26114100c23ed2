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
from common.messages import fmt_value

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
