"""Exports: .ics that Outlook and Google accept, a readable xlsx, CSV; and the command line."""

import csv
import datetime as dt
import io
import zipfile

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from campaigns.__main__ import main
from campaigns.export import DRAFT_COLUMNS, plan_to_csv, plan_to_ics, plan_to_xlsx
from campaigns.export_labels import header

from .conftest import DATA

STAMP = dt.datetime(2027, 1, 1, 8, 0, tzinfo=dt.UTC)


def _events(data: bytes):
    cal = Calendar.from_ical(data)
    return cal, [c for c in cal.walk("VEVENT")]


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.parametrize("lang,headers,local,phase", [
    ("sv", ("Start", "Slut", "Kommun", "E-tjänst", "Fas"), "lokal", "Extern marknadsföring"),
    ("en", ("Start", "End", "Municipality", "E-service", "Phase"), "local", "External marketing")])
def test_csv_speaks_the_language_with_iso_dates(varmland_plan, lang, headers, local, phase):
    rows = list(csv.reader(io.StringIO(plan_to_csv(varmland_plan, lang=lang))))
    assert tuple(rows[0][:5]) == headers and len(rows) == len(varmland_plan.activities) + 1
    assert all(dt.date.fromisoformat(r[0]) for r in rows[1:])
    assert {r[8] for r in rows[1:]} == {"regional", local} and phase in {r[4] for r in rows[1:]}
    keys = {c.key for c in varmland_plan.region.channels}
    assert not keys & {r[5] for r in rows[1:]}  # channel names, never keys
    assert "Facebookinlägg" in {r[5] for r in rows[1:]}
    excel = plan_to_csv(varmland_plan, swedish_excel=True, lang=lang)
    assert excel.splitlines()[0].split(";") == rows[0]


def test_channel_mix_csv_says_ja_and_nej_in_swedish_and_yes_no_in_english(varmland):
    from campaigns.export import mix_to_csv
    from campaigns.mix import optimise_mix

    mix = optimise_mix(*varmland)
    sv = list(csv.reader(io.StringIO(mix_to_csv(mix, "sv").decode("utf-8-sig")), delimiter=";"))
    en = list(csv.reader(io.StringIO(mix_to_csv(mix, "en").decode("utf-8"))))
    assert sv[0][:5] == ["E-tjänst", "Segment", "Kanal", "Relevans", "Vald"] and {r[4] for r in sv[1:]} == {"ja", "nej"}
    assert en[0][:5] == ["E-service", "Segment", "Channel", "Relevance", "Chosen"]
    assert {r[4] for r in en[1:]} == {"yes", "no"}
    assert not {"True", "False"} & {c for r in sv + en for c in r}


@pytest.mark.slow
def test_xlsx_has_overview_per_municipality_moves_and_workload(varmland_plan):
    english = load_workbook(io.BytesIO(plan_to_xlsx(varmland_plan, "en")))
    assert english.sheetnames[0] == "Overview" and {"Moved", "Workload"} <= set(english.sheetnames)
    assert english["Forshaga"]["A1"].value == "Date" and english["Forshaga"]["F1"].value == "Phase"
    wb = load_workbook(io.BytesIO(plan_to_xlsx(varmland_plan)))
    assert wb.sheetnames[0] == "Översikt" and "Forshaga" in wb.sheetnames
    assert {"Flyttat", "Arbetsbelastning"} <= set(wb.sheetnames)
    ws = wb["Forshaga"]
    assert ws.freeze_panes == "A2" and ws["A1"].value == "Datum"
    assert isinstance(ws["A2"].value, dt.datetime) and ws["B2"].value in (
        "måndag", "tisdag", "onsdag", "torsdag", "fredag")
    assert ws.column_dimensions["I"].width >= 40


@pytest.mark.slow
def test_cli_writes_every_export_and_prints_a_summary(tmp_path, capsys):
    out = tmp_path / "plan"
    rc = main(["plan", str(DATA / "campaigns" / "atvidaberg_2027.yaml"), "--out", str(out), "--pdf",
               "--lang", "en"])  # PDFs asked for; English (the default follows the locale)
    assert rc == 0
    names = {p.name for p in out.iterdir()}
    assert {"calendar.ics", "calendar.xlsx", "calendar.csv", "calendar-excel.csv", "calendar-0561-atvidaberg.ics",
            "calendar-0512-ydre.ics", "manifest.json"} <= names
    printed = capsys.readouterr().out
    assert "per phase:" in printed and "Åtvidaberg" in printed and "channel mix:" in printed
    rows = list(csv.DictReader(io.StringIO((out / "drafts.csv").read_text(encoding="utf-8"))))
    assert tuple(rows[0]) == tuple(header(DRAFT_COLUMNS, "en"))  # the CLI writes in its --lang (en by default)
    for r in rows:
        assert (out / r["File"]).exists() and float(r["LIX"]) > 0
    assert {r["Channel"] for r in rows} >= {"Facebookinlägg", "Flygblad (A5)", "Intranät (personalinformation)"}
    assert any(r["File"].endswith(".pdf") for r in rows) and any(r["File"].endswith(".html") for r in rows)
    with zipfile.ZipFile(out / "drafts.zip") as zf:
        assert sorted(zf.namelist()) == sorted(r["File"] for r in rows)
    ics = (out / "calendar-0561-atvidaberg.ics").read_text(encoding="utf-8")
    assert "Draft:" in ics  # calendar entries carry a short draft summary


@pytest.mark.slow
def test_cli_in_swedish_writes_swedish_files(tmp_path):
    out = tmp_path / "plan"
    assert main(["plan", str(DATA / "campaigns" / "atvidaberg_2027.yaml"), "--out", str(out), "--lang", "sv"]) == 0
    drafts = list(csv.reader(io.StringIO((out / "drafts.csv").read_text(encoding="utf-8-sig")), delimiter=";"))
    assert drafts[0][:6] == ["Kommun", "E-tjänst", "Segment", "Kanal", "Variant", "Ändrad"]
    assert any(r[2] == "personal" for r in drafts[1:])
    lix = [r[drafts[0].index("LIX")] for r in drafts[1:]]
    assert any("," in x for x in lix) and not any("." in x for x in lix)  # LIX with a decimal comma
    assert (out / "calendar.csv").read_text(encoding="utf-8").startswith("Start,Slut,Kommun")
    assert "Utkast:" in (out / "calendar-0561-atvidaberg.ics").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang,word", [("en", "Nothing was written"), ("sv", "Inget har sparats")])
def test_cli_refuses_a_bad_campaign_and_writes_nothing(tmp_path, capsys, lang, word):
    (tmp_path / "campaigns").mkdir()
    bad = tmp_path / "campaigns" / "bad.yaml"
    bad.write_text("key: x\nname: X\nregion: nowhere\nplanning_start: 2027-01-01\ne_services: []\n", encoding="utf-8")
    out = tmp_path / "plan"
    assert main(["plan", str(bad), "--out", str(out), "--lang", lang]) == 2
    assert word in capsys.readouterr().err and not out.exists()
