"""Exports: .ics that Outlook and Google accept, a readable xlsx, CSV; and the command line."""

import csv
import datetime as dt
import io
import zipfile

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from campaigns.__main__ import main
from campaigns.export import CSV_COLUMNS, DRAFT_COLUMNS, plan_to_csv, plan_to_ics, plan_to_xlsx

from .conftest import DATA

STAMP = dt.datetime(2027, 1, 1, 8, 0, tzinfo=dt.UTC)


def _events(data: bytes):
    cal = Calendar.from_ical(data)
    return cal, [c for c in cal.walk("VEVENT")]


def test_ics_is_a_published_calendar_of_all_day_events(varmland_plan):
    cal, events = _events(plan_to_ics(varmland_plan, stamp=STAMP))
    assert str(cal["METHOD"]) == "PUBLISH" and "Värmland" in str(cal["X-WR-CALNAME"])
    assert len(events) == len(varmland_plan.activities)
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    for e in events:
        start, end = e.decoded("DTSTART"), e.decoded("DTEND")
        assert type(start) is dt.date and end == start + dt.timedelta(days=1)
        assert e.decoded("DTSTAMP") == STAMP
    raw = plan_to_ics(varmland_plan, stamp=STAMP).decode()
    assert "DTSTART;VALUE=DATE:" in raw


def test_uids_are_stable_across_runs(varmland, varmland_plan):
    from campaigns.schedule import plan_campaign
    again = plan_campaign(*varmland)
    a = [str(e["UID"]) for e in _events(plan_to_ics(varmland_plan, stamp=STAMP))[1]]
    b = [str(e["UID"]) for e in _events(plan_to_ics(again, stamp=dt.datetime.now(dt.UTC)))[1]]
    assert a == b


def test_descriptions_carry_segment_channel_and_reason(varmland_plan):
    _, events = _events(plan_to_ics(varmland_plan, "1763", stamp=STAMP))
    assert events and all("Forshaga" in str(e["SUMMARY"]) for e in events)
    fb = next(e for e in events if "Facebook" in str(e["DESCRIPTION"]))
    text = str(fb["DESCRIPTION"])
    assert "Segment:" in text and "använder Facebook" in text and "Länk: https://" in text


def test_csv_columns_and_iso_dates(varmland_plan):
    rows = list(csv.DictReader(io.StringIO(plan_to_csv(varmland_plan))))
    assert tuple(rows[0]) == CSV_COLUMNS and len(rows) == len(varmland_plan.activities)
    assert all(dt.date.fromisoformat(r["start"]) for r in rows)
    assert {r["coordination"] for r in rows} == {"regional", "local"}
    excel = plan_to_csv(varmland_plan, swedish_excel=True)
    assert excel.splitlines()[0] == ";".join(CSV_COLUMNS)


def test_xlsx_has_overview_per_municipality_moves_and_workload(varmland_plan):
    wb = load_workbook(io.BytesIO(plan_to_xlsx(varmland_plan)))
    assert wb.sheetnames[0] == "Översikt" and "Forshaga" in wb.sheetnames
    assert {"Flyttat", "Arbetsbelastning"} <= set(wb.sheetnames)
    ws = wb["Forshaga"]
    assert ws.freeze_panes == "A2" and ws["A1"].value == "Datum"
    assert isinstance(ws["A2"].value, dt.datetime) and ws["B2"].value in (
        "måndag", "tisdag", "onsdag", "torsdag", "fredag")
    assert ws.column_dimensions["I"].width >= 40


def test_cli_writes_every_export_and_prints_a_summary(tmp_path, capsys):
    out = tmp_path / "plan"
    rc = main(["plan", str(DATA / "campaigns" / "atvidaberg_2027.yaml"), "--out", str(out)])
    assert rc == 0
    names = {p.name for p in out.iterdir()}
    assert {"calendar.ics", "calendar.xlsx", "calendar.csv", "calendar-excel.csv", "calendar-0561-atvidaberg.ics",
            "calendar-0512-ydre.ics", "manifest.json"} <= names
    printed = capsys.readouterr().out
    assert "per phase:" in printed and "Åtvidaberg" in printed and "channel mix:" in printed
    rows = list(csv.DictReader(io.StringIO((out / "drafts.csv").read_text(encoding="utf-8"))))
    assert tuple(rows[0]) == DRAFT_COLUMNS
    for r in rows:
        assert (out / r["path"]).exists() and float(r["lix"]) > 0
    assert {r["channel"] for r in rows} >= {"web", "facebook", "flyer", "intranet"}
    assert any(r["path"].endswith(".pdf") for r in rows) and any(r["path"].endswith(".html") for r in rows)
    with zipfile.ZipFile(out / "drafts.zip") as zf:
        assert sorted(zf.namelist()) == sorted(r["path"] for r in rows)
    ics = (out / "calendar-0561-atvidaberg.ics").read_text(encoding="utf-8")
    assert "Utkast:" in ics  # calendar entries carry a short draft summary


@pytest.mark.parametrize("lang,word", [("en", "Nothing was written"), ("sv", "Inget har sparats")])
def test_cli_refuses_a_bad_campaign_and_writes_nothing(tmp_path, capsys, lang, word):
    (tmp_path / "campaigns").mkdir()
    bad = tmp_path / "campaigns" / "bad.yaml"
    bad.write_text("key: x\nname: X\nregion: nowhere\nplanning_start: 2027-01-01\ne_services: []\n", encoding="utf-8")
    out = tmp_path / "plan"
    assert main(["plan", str(bad), "--out", str(out), "--lang", lang]) == 2
    assert word in capsys.readouterr().err and not out.exists()
