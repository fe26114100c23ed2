"""Outputs that can be trusted with hostile names: no formula reaches a spreadsheet, every name gets
its own safe file, calendars parse whatever the names hold (issue #11: each defect reproduced)."""

from __future__ import annotations

import ast
import csv
import datetime as dt
import functools
import io
import zipfile
from pathlib import Path

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from campaigns.campaign_files import load_campaign
from campaigns.costs import share_costs, shares_to_xlsx
from campaigns.drafts import drafts_for_plan
from campaigns.export import calendar_file_name, mix_to_csv, plan_to_csv, plan_to_ics, plan_to_xlsx, write_plan_files
from campaigns.mix import optimise_mix
from campaigns.schedule import plan_campaign
from campaigns.sources import segments_for
from common.filenames import file_stem
from common.spreadsheet import csv_text, safe_text, sheet_title

from .conftest import DATA, ROOT

EVIL = '=HYPERLINK("http://evil.example","x")'
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@functools.cache
def _sample():
    path = DATA / "campaigns" / "atvidaberg_2027.yaml"
    campaign, region = load_campaign(path)
    return campaign, region, segments_for(campaign, region, path)


def _hostile(names: dict[str, str], segment_name: str | None = EVIL):
    """The Åtvidaberg campaign with its three members renamed (by kommunkod) and one segment renamed."""
    campaign, region, ss = _sample()
    by_name = {m.name: m.code for m in region.municipalities}
    services = [e.model_copy(update={
        "municipalities": e.municipalities if e.municipalities == "all" else [by_name[r] for r in e.municipalities],
        "local_go_live": {by_name[k]: v for k, v in e.local_go_live.items()}}) for e in campaign.e_services]
    campaign = campaign.model_copy(update={"e_services": services})
    region = region.model_copy(update={"municipalities": [
        m.model_copy(update={"name": names.get(m.code, m.name)}) for m in region.municipalities]})
    if segment_name is not None:
        ss = ss.rename(ss.segments[0].id, segment_name)
    mix = optimise_mix(campaign, region, ss)
    return plan_campaign(campaign, region, ss, mix), ss, mix


@pytest.fixture(scope="module")
def evil_plan():
    return _hostile({"0561": EVIL, "0513": "+SUM(1,2)", "0512": "@cmd|' /C calc'!A0"})


def _risky(value: str) -> bool:
    return value[:1] in FORMULA_START and not value.lstrip("+-").replace(",", "").replace(".", "").isdigit()


# ---------------------------------------------------------------- spreadsheet safety


@pytest.mark.parametrize("text,safe", [
    ("=1+1", "'=1+1"), ("+46 70 123", "'+46 70 123"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\nx"), ("-12,5", "-12,5"), ("+3", "+3"), ("1.5e3", "1.5e3"), ("Kil", "Kil"), ("", ""),
])
def test_text_that_a_spreadsheet_would_run_gets_a_quote_and_numbers_stay(text, safe):
    assert safe_text(text) == safe


def test_csv_cells_keep_numbers_as_numbers():
    rows = list(csv.reader(io.StringIO(csv_text(["a", "b", "c"], [[-5, 2.5, "=1+1"]]))))
    assert rows == [["a", "b", "c"], ["-5", "2.5", "'=1+1"]]


@pytest.mark.parametrize("swedish_excel", [False, True])
def test_calendar_csv_has_no_cell_a_spreadsheet_would_run(evil_plan, swedish_excel):
    plan, _, _ = evil_plan
    text = plan_to_csv(plan, swedish_excel=swedish_excel)
    cells = [c for row in csv.reader(io.StringIO(text), delimiter=";" if swedish_excel else ",") for c in row]
    assert not [c for c in cells if _risky(c)]
    assert "'" + EVIL in cells  # the name is still there, as text


def _csv_cells(data: bytes, lang: str) -> list[str]:
    """Swedish files: semicolons and a byte-order mark (Swedish Excel); English: commas, plain UTF-8."""
    text = data.decode("utf-8-sig" if lang == "sv" else "utf-8")
    return [c for row in csv.reader(io.StringIO(text), delimiter=";" if lang == "sv" else ",") for c in row]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_drafts_csv_is_safe(evil_plan, tmp_path, lang):
    from campaigns.export import write_drafts

    plan, ss, _ = evil_plan
    write_drafts(list(drafts_for_plan(plan, ss)), tmp_path, pdf=lambda d: b"%PDF", lang=lang)
    cells = _csv_cells((tmp_path / "drafts.csv").read_bytes(), lang)
    assert "'" + EVIL in cells and not [c for c in cells if _risky(c)]


def _no_formulas(data: bytes) -> list[str]:
    wb = load_workbook(io.BytesIO(data))
    return [f"{ws.title}!{c.coordinate}" for ws in wb for row in ws.iter_rows() for c in row if c.data_type == "f"]


def test_calendar_xlsx_has_no_formula_cells(evil_plan):
    plan, _, _ = evil_plan
    data = plan_to_xlsx(plan)
    assert _no_formulas(data) == []
    wb = load_workbook(io.BytesIO(data))
    assert EVIL in [c.value for c in wb["Översikt"]["D"]]  # written as the string it is
    assert all(len(t) <= 31 and not set(t) & set("[]:*?/\\") for t in wb.sheetnames)


def test_cost_sharing_xlsx_has_no_formula_cells(evil_plan):
    plan, ss, mix = evil_plan
    data = shares_to_xlsx(share_costs(plan.campaign, plan.region, mix, ss), plan.campaign, "per_capita")
    assert _no_formulas(data) == []
    values = [c.value for row in load_workbook(io.BytesIO(data)).active.iter_rows() for c in row]
    assert EVIL in values and any(isinstance(v, int) and v > 0 for v in values)  # amounts stay numbers


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_channel_mix_csv_is_safe(evil_plan, lang):
    _, _, mix = evil_plan
    cells = _csv_cells(mix_to_csv(mix, lang), lang)
    assert "'" + EVIL in cells and not [c for c in cells if _risky(c)]


def test_sheet_titles_are_legal_short_and_unique():
    taken: list[str] = []
    for name in ["A/B:C?*", "A/B:C?*", "x" * 300, "[Kil]", "'quoted'", "\n", "Historik"]:
        title = sheet_title(name, taken)
        assert 0 < len(title) <= 31 and not set(title) & set("[]:*?/\\") and title.lower() not in map(str.lower, taken)
        taken.append(title)


def test_every_csv_and_xlsx_writer_goes_through_common_spreadsheet():
    """No module but common/spreadsheet.py writes CSV or XLSX itself (the one place for safety)."""
    writers = {"writer", "DictWriter", "to_csv", "to_excel", "Workbook", "write_csv"}
    offenders = []
    for folder in ("common", "segments", "campaigns", "app_pages"):
        for path in (ROOT / folder).rglob("*.py"):
            if path.name == "spreadsheet.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                name = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""
                if name in writers and not (name == "writer" and "csv" not in ast.unparse(node)):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}")
    assert offenders == []


# ---------------------------------------------------------------- names to files


def test_file_stems_are_safe_unique_and_readable():
    assert file_stem("Håbo", key="0305") == "0305-habo" and file_stem("Habo", key="0643") == "0643-habo"
    assert file_stem("Håbo") != file_stem("Habo")  # without a key the original is fingerprinted
    greek, russian, chinese = file_stem("Αθήνα"), file_stem("Москва"), file_stem("北京")
    assert greek.startswith("athina") and russian.startswith("moskva") and len({greek, russian, chinese}) == 3
    assert file_stem("北京") != file_stem("南京")
    for name in ["A/B:C?*", "../../etc", "x" * 300, "Kil\nFors", "con", "", "...", "名字" * 200]:
        stem = file_stem(name)
        assert stem and len(stem) <= 60 and set(stem) <= set("abcdefghijklmnopqrstuvwxyz0123456789-_"), name
    assert file_stem("x" * 300) != file_stem("x" * 299)


def test_habo_and_habo_get_their_own_calendars_and_drafts(tmp_path):
    plan, ss, _ = _hostile({"0561": "Håbo", "0513": "Habo"}, segment_name=None)
    names = {p.name for p in write_plan_files(plan, tmp_path)}
    assert {calendar_file_name(plan, "0561"), calendar_file_name(plan, "0513")} <= names
    assert calendar_file_name(plan, "0561") != calendar_file_name(plan, "0513")
    from campaigns.export import write_drafts

    drafts = list(drafts_for_plan(plan, ss))
    rows = write_drafts(drafts, tmp_path, pdf=lambda d: b"%PDF-1.4 test")
    on_disk = {p.relative_to(tmp_path).as_posix() for p in (tmp_path / "drafts").rglob("*") if p.is_file()}
    assert len(rows) == len(drafts) == len(on_disk) and {r["path"] for r in rows} == on_disk


@pytest.mark.parametrize("names", [
    {"0561": "Αθήνα", "0513": "Москва", "0512": "北京"},
    {"0561": "A/B:C?*", "0513": "x" * 300, "0512": "Kil\nFors\r\nBy;,\\ \x07"},
])
def test_any_names_give_complete_output(tmp_path, names):
    plan, ss, _ = _hostile(names, segment_name="Seg/ment:\n" + "y" * 300)
    written = write_plan_files(plan, tmp_path)
    assert len({p.name for p in written}) == len(written) == 4 + 3
    assert all(len(p.name.encode()) < 120 for p in written)
    assert load_workbook(io.BytesIO(plan_to_xlsx(plan))).sheetnames[:4]
    from campaigns.export import write_drafts

    rows = write_drafts(list(drafts_for_plan(plan, ss)), tmp_path, pdf=lambda d: b"%PDF")
    assert all((tmp_path / r["path"]).is_file() for r in rows)
    with zipfile.ZipFile(tmp_path / "drafts.zip") as zf:
        assert len(zf.namelist()) == len(rows)


# ---------------------------------------------------------------- calendars


def test_ics_escapes_and_folds_any_text(evil_plan):
    plan, _, _ = _hostile({"0561": "Kil\nFors\r\nBy;, \x07" + "å" * 120})
    for muni in (None, "0561"):
        data = plan_to_ics(plan, muni, stamp=dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
        assert all(len(line) <= 75 for line in data.split(b"\r\n"))  # folded at 75 octets
        cal = Calendar.from_ical(data)
        events = list(cal.walk("VEVENT"))
        assert events and all("Kil\nFors\nBy;, " in str(e["SUMMARY"]) for e in events if "Kil" in str(e["SUMMARY"]))
        assert "\x07" not in data.decode("utf-8")
        if muni:
            assert str(cal["X-WR-CALNAME"]).endswith("Kil\\nFors\\nBy\\;\\, " + "å" * 120)  # escaped text


@pytest.mark.slow
def test_files_get_ordinary_permissions(tmp_path):
    from campaigns.__main__ import main

    out = tmp_path / "plan"
    assert main(["plan", str(DATA / "campaigns" / "atvidaberg_2027.yaml"), "--out", str(out)]) == 0
    import os

    umask = os.umask(0)
    os.umask(umask)
    modes = {p.stat().st_mode & 0o777 for p in out.rglob("*") if p.is_file()}
    assert modes == {0o666 & ~umask}
    assert (out.stat().st_mode & 0o777) == 0o777 & ~umask
    assert [p.name for p in tmp_path.iterdir()] == ["plan"]  # nothing hidden beside it


def test_paths_are_relative_and_stay_inside(tmp_path):
    plan, ss, _ = _hostile({"0561": "../../x", "0513": "/etc/passwd"}, segment_name="../../../y")
    from campaigns.export import draft_path

    for d in drafts_for_plan(plan, ss):
        p = draft_path(d)
        assert not p.is_absolute() and ".." not in p.parts and p.parts[0] == "drafts"
    assert Path(calendar_file_name(plan, "0513")).name == calendar_file_name(plan, "0513")
