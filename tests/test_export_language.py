"""Every export the plan makes is in the language asked for: headers, sheet names and values of the
calendar CSVs and workbook, the calendar entries, the channel mix and the list of drafts."""

from __future__ import annotations

import csv
import io
import re

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from campaigns.drafts import drafts_for_plan
from campaigns.export import mix_to_csv, plan_to_csv, plan_to_ics, plan_to_xlsx, write_drafts
from campaigns.mix import optimise_mix
from campaigns.schedule import plan_campaign
from common.catalogue import fmt_value

from .language import Checker

pytestmark = pytest.mark.slow  # over ~5 s a test: `make test-fast` leaves these out


@pytest.fixture(scope="module")
def planned(varmland):
    campaign, region, ss = varmland
    mix = optimise_mix(campaign, region, ss)
    return plan_campaign(campaign, region, ss, mix), mix


def _checker(lang, plan) -> Checker:  # noqa: ANN001
    check = Checker(lang)
    # Channels, e-services and generated segment names have an English form (name_en, the segment's
    # title): only the form of `lang` is data, so a Swedish name in an English file is a leak.
    check.add_data([plan.campaign.name, plan.region.name, *(m.name for m in plan.region.municipalities),
                    *(fmt_value(c.title, lang) for c in plan.region.channels),
                    *(fmt_value(e.title, lang) for e in plan.campaign.e_services),
                    *(fmt_value(s.title, lang) for s in plan.segments), *(b.name for b in plan.region.blackouts),
                    *(e.link for e in plan.campaign.e_services)])
    return check


def _table(rows, check: Checker, where: str) -> None:  # noqa: ANN001
    rows = list(rows)
    for h in rows[0]:
        check.prose(str(h), f"{where} header")
    for row in rows[1:]:
        for cell in row:
            if isinstance(cell, str) and re.fullmatch(r"-?\d+([.,]\d+)?", cell):
                # A number in a CSV is read by the spreadsheet: no grouping, the language's decimal mark.
                if ("." if check.lang == "sv" else ",") in cell:
                    check.problems.append(f"{where}: wrong decimal mark: {cell}")
            elif isinstance(cell, str):
                check.cell(cell, where)
            elif isinstance(cell, (int, float)) and not isinstance(cell, bool):
                pass  # a number cell: the spreadsheet formats it
            elif cell is not None and not hasattr(cell, "year"):
                check.cell(str(cell), where)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_calendar_exports_are_in_the_language(planned, lang):
    plan, mix = planned
    check = _checker(lang, plan)
    _table(csv.reader(io.StringIO(plan_to_csv(plan, lang=lang))), check, "calendar.csv")
    _table(csv.reader(io.StringIO(plan_to_csv(plan, swedish_excel=True, lang=lang)), delimiter=";"), check,
           "calendar-excel.csv")
    wb = load_workbook(io.BytesIO(plan_to_xlsx(plan, lang)))
    for ws in wb.worksheets:
        check.cell(ws.title, "xlsx sheet name")
        _table(ws.iter_rows(values_only=True), check, f"xlsx {ws.title}")
    for event in Calendar.from_ical(plan_to_ics(plan, lang=lang)).walk("VEVENT"):
        check.prose(str(event["SUMMARY"]), "ics summary")
        for line in str(event["DESCRIPTION"]).splitlines():
            check.prose(line, "ics description")
        check.cell(str(event["CATEGORIES"].to_ical().decode()), "ics category")
    sep = ";" if lang == "sv" else ","
    _table(csv.reader(io.StringIO(mix_to_csv(mix, lang).decode("utf-8-sig")), delimiter=sep), check, "kanalmix.csv")
    assert not check.problems, "\n".join(check.problems)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_list_of_drafts_is_in_the_language(planned, varmland, lang, tmp_path):
    plan, _ = planned
    drafts = [d for d in drafts_for_plan(plan, varmland[2]) if d.municipality == "Forshaga"]
    write_drafts(drafts, tmp_path, pdf=lambda d: b"%PDF", lang=lang)
    check = _checker(lang, plan)
    # The drafts are written in the region's language and named by their segment as they carry it.
    check.add_data([*(s.name for s in plan.segments), *(c.name for c in plan.region.channels)])
    text = (tmp_path / "drafts.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";" if lang == "sv" else ","))
    warnings = rows[0].index("Varningar" if lang == "sv" else "Warnings")
    # Draft warnings are worded by campaigns.drafts in Swedish (#12): the other columns are checked.
    _table([[c for i, c in enumerate(r) if i != warnings] for r in rows], check, "drafts.csv")
    assert not check.problems, "\n".join(check.problems)
