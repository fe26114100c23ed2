"""`campaigns plan` writes what main wrote before the national work (commit 84e5a8d; remade after the
web drafts' image suggestion changed on purpose, see docs/national.md), file by file by content:
PDFs by their text, workbooks by cell values, calendars without DTSTAMP.

tests/data/national/before.json was made by running main's code on the Åtvidaberg campaign with
the pinned segment set (tests/data/national/segments.yaml), `--no-edits --lang sv`, and
`python tests/output_digest.py OUT` (see docs/national.md).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import openpyxl
import pytest

from campaigns.__main__ import main
from campaigns.campaign_files import load_campaign
from campaigns.export import SHEETS_PER_MEMBER_UP_TO, plan_to_xlsx
from campaigns.plan_output import write_plan_output
from campaigns.schedule import plan_campaign
from common.catalogue import render
from common.progress import Progress, progress_message, stderr_progress
from common.spreadsheet import add_sheet, workbook, xlsx_bytes
from segments.segmentset import load_segment_set
from tests.output_digest import folder_digest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "national"
CAMPAIGN = ROOT / "data" / "campaigns" / "atvidaberg_2027.yaml"
BEFORE = json.loads((DATA / "before.json").read_text(encoding="utf-8"))


def _plan(out: Path, *extra: str) -> dict[str, str]:
    code = main(["plan", str(CAMPAIGN), "--segments", str(DATA / "segments.yaml"), "--out", str(out),
                 "--no-edits", "--lang", "sv", *extra])
    assert code == 0
    return folder_digest(out)


@pytest.mark.slow
@pytest.mark.parametrize("workers", ["1", "2"])
def test_with_pdf_every_file_is_as_main_wrote_it(tmp_path, workers):
    after = _plan(tmp_path / "out", "--pdf", "--workers", workers)
    assert sorted(after) == sorted(BEFORE)
    changed = [name for name in BEFORE if after[name] != BEFORE[name]]
    assert changed == []
    assert sum(name.endswith(".pdf") for name in after) == 4  # the flyers were made and compared by text


@pytest.mark.slow
def test_without_pdf_only_the_flyers_differ_and_they_print_from_html(tmp_path):
    after = _plan(tmp_path / "out")
    flyers = {name for name in BEFORE if name.endswith(".pdf")}
    assert {name.removesuffix(".html") + ".pdf" for name in after if name not in BEFORE} == flyers
    same = set(BEFORE) - flyers - {"drafts.csv", "drafts.zip"}
    assert {name for name in same if after[name] != BEFORE[name]} == set()
    page = (tmp_path / "out" / sorted(flyers)[0].replace(".pdf", ".html")).read_text(encoding="utf-8")
    assert "@page" in page and 'src="data:image/svg+xml;base64,' in page and "qr:" not in page


def test_a_refused_worker_count_writes_nothing(tmp_path, capsys):
    code = main(["plan", str(CAMPAIGN), "--segments", str(DATA / "segments.yaml"), "--out", str(tmp_path / "o"),
                 "--workers", "0"])
    assert code == 2 and not (tmp_path / "o").exists()
    assert "--workers" in capsys.readouterr().err


def test_streamed_sheets_keep_text_as_text():
    wb = workbook(streaming=True)
    add_sheet(wb, "a/b:c", ["name"], [['=HYPERLINK("http://evil.example","x")'], [dt.date(2027, 3, 1)], [-12.5]])
    ws = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(wb))).worksheets[0]
    assert ws.title == "a-b-c"
    assert ws["A2"].data_type == "s" and ws["A2"].value.startswith("=HYPERLINK")
    assert ws["A3"].value == dt.datetime(2027, 3, 1) and ws["A4"].value == -12.5


@pytest.mark.slow
def test_a_large_region_gets_one_filtered_sheet_and_a_workbook_per_member(tmp_path):
    campaign, region = load_campaign(CAMPAIGN)
    base = region.municipalities
    members = [m.model_copy(update={"code": f"{9000 + i}", "name": f"{m.name} {i}"})
               for i in range(SHEETS_PER_MEMBER_UP_TO + 1) for m in [base[i % len(base)]]]
    big = region.model_copy(update={"municipalities": members, "leader": members[0].code})
    e = campaign.e_services[0].model_copy(update={"municipalities": "all", "channels": ["web"]})
    small = campaign.model_copy(update={"e_services": [e], "budget_sek": 0.0})
    ss = load_segment_set(DATA / "segments.yaml")
    plan = plan_campaign(small, big, ss)
    wb = openpyxl.load_workbook(io.BytesIO(plan_to_xlsx(plan)))
    assert len(wb.sheetnames) == 3  # overview, moved, workload: no sheet per member
    assert wb.worksheets[0].max_row == len(plan.activities) + 1
    seen: list[Progress] = []
    output = write_plan_output(plan, ss, tmp_path, workers=2, progress=seen.append)
    per_member = sorted(p.name for p in tmp_path.glob("calendar-9*.xlsx"))
    assert len(per_member) == len(members)
    own = openpyxl.load_workbook(tmp_path / per_member[0], read_only=True).worksheets[0]
    assert {r[3] for r in own.iter_rows(min_row=2, values_only=True)} == {members[0].name}
    assert [p.done for p in seen if p.stage == "drafts"][-1] == len(members)
    assert len(output.draft_rows) == sum(1 for p in (tmp_path / "drafts").rglob("*") if p.is_file())


def test_progress_estimates_the_time_left(capsys):
    p = Progress("drafts", 10, 40, 5.0)
    assert p.remaining == pytest.approx(15.0) and p.share == 0.25
    assert Progress("drafts", 0, 40, 5.0).remaining is None
    assert "15" in render(progress_message(p), "en") and "10 of 40" in render(progress_message(p), "en")
    report = stderr_progress("en", every=3600)
    report(p)
    report(Progress("drafts", 11, 40, 5.5))  # within the interval: not printed
    report(Progress("drafts", 40, 40, 20.0))  # the last one always is
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2 and lines[-1].endswith("40 of 40")
