"""Exports of a campaign plan: iCalendar for Outlook/Google, a printable xlsx, and CSV.

Everything is built in memory and returned as bytes/text; `write_plan_files` writes them
atomically into one folder, so a failed run never leaves half a calendar behind.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from babel.dates import format_date
from icalendar import Calendar, Event
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from common.files import write_atomic
from common.messages import Msg, locale_for, render

from .messages import Draft
from .schedule import Activity, CampaignPlan

__all__ = [
    "CSV_COLUMNS", "DRAFT_COLUMNS", "draft_path", "plan_to_csv", "plan_to_ics", "plan_to_xlsx", "slug", "uid_for",
    "write_drafts", "write_plan_files"
]

CSV_COLUMNS = ("start", "end", "municipality", "e_service", "phase", "channel", "segment", "title", "coordination")
PRODID = "-//Kampanjplaneraren for e-tjanster//SV"


def slug(text: str) -> str:
    """ASCII file-name part: 'Årjäng' -> 'arjang'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def uid_for(activity: Activity) -> str:
    """The same activity gets the same UID in every export, so calendars update instead of duplicating."""
    return hashlib.sha1(activity.id.encode("utf-8")).hexdigest()[:24] + "@kampanjplaneraren"


def _channel_name(plan: CampaignPlan, key: str | None) -> str:
    return next((c.name for c in plan.region.channels if c.key == key), "") if key else ""


def _phase(a: Activity, lang: str) -> str:
    return render(Msg(f"phase.{a.phase}"), lang)


def _description(plan: CampaignPlan, a: Activity, summary: str | None, lang: str) -> str:
    lines = [render("ics.phase", lang, phase=Msg(f"phase.{a.phase}")),
             render("ics.municipality", lang, municipality=a.municipality_name)]
    if a.segment_name:
        lines.append(render("ics.segment", lang, segment=a.segment_name))
    if a.channel:
        lines.append(render("ics.channel", lang, channel=_channel_name(plan, a.channel)))
    if a.reason:
        lines.append(render("ics.why", lang, why=a.reason))
    lines.append(render("ics.coordination", lang, coordination=Msg(f"coordination.{a.coordination}_long")))
    lines.append(render("ics.link", lang, link=plan.campaign.e_service(a.e_service).link))
    if summary:
        lines.append(render("ics.draft", lang, summary=summary))
    if a.phase == "evaluation":
        lines.append(render("ics.evaluation_hint", lang))
    return "\n".join(lines)


def plan_to_ics(plan: CampaignPlan, municipality: str | None = None, *, stamp: dt.datetime | None = None,
                summaries: Mapping[str, str] | None = None, lang: str = "sv") -> bytes:
    """An iCalendar file of all-day events (whole region, or one municipality by kommunkod)."""
    stamp = stamp or dt.datetime.now(dt.UTC).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    name = plan.campaign.name
    if municipality:
        name += f" – {plan.region.municipality(municipality).name}"
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Stockholm")
    for a in plan.activities:
        if municipality and a.municipality != municipality:
            continue
        ev = Event()
        ev.add("uid", uid_for(a))
        ev.add("dtstamp", stamp)
        ev.add("dtstart", a.start)
        ev.add("dtend", a.end + dt.timedelta(days=1))  # exclusive end for all-day events
        ev.add("summary", f"{a.municipality_name}: {render(a.title, lang)}")
        ev.add("description", _description(plan, a, (summaries or {}).get(a.id), lang))
        ev.add("categories", [_phase(a, lang)])
        ev.add("transp", "TRANSPARENT")
        cal.add_component(ev)
    return cal.to_ical()


def plan_to_csv(plan: CampaignPlan, *, swedish_excel: bool = False, lang: str = "sv") -> str:
    """CSV with ISO dates; `swedish_excel` gives semicolons (open it with a double-click in Swedish Excel)."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";" if swedish_excel else ",", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for a in plan.activities:
        writer.writerow([a.start.isoformat(), a.end.isoformat(), a.municipality_name, a.e_service_name, a.phase,
                         a.channel or "", a.segment_name or "", render(a.title, lang), a.coordination])
    return buf.getvalue()


_HEADER_FILL = PatternFill("solid", fgColor="DCE6F0")
_COLUMNS = (("Datum", 12), ("Veckodag", 10), ("Vecka", 7), ("Kommun", 14), ("E-tjänst", 20), ("Fas", 22),
            ("Kanal", 26), ("Segment", 34), ("Aktivitet", 95), ("Samordning", 12), ("Timmar", 8))


def _sheet(ws: Any, rows: Sequence[Sequence[object]], columns: tuple[tuple[str, int], ...]) -> None:
    ws.append([c for c, _ in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center")
    for r in rows:
        ws.append(r)
    for i, (_, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    # Style only what needs it (openpyxl styles cell by cell); long text gets wide columns rather
    # than wrapping, since not every spreadsheet program recomputes wrapped row heights.
    for row in ws.iter_rows(min_row=2):
        for cell in row[:2]:
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _activity_row(plan: CampaignPlan, a: Activity, lang: str) -> list[object]:
    return [a.start, format_date(a.start, "EEEE", locale=locale_for(lang)), a.start.isocalendar()[1],
            a.municipality_name, a.e_service_name, _phase(a, lang), _channel_name(plan, a.channel),
            a.segment_name or "", render(a.title, lang), render(Msg(f"coordination.{a.coordination}"), lang), a.hours]


def plan_to_xlsx(plan: CampaignPlan, lang: str = "sv") -> bytes:
    """Overview, one sheet per municipality, what moved, and the weekly workload."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Översikt"
    _sheet(ws, [_activity_row(plan, a, lang) for a in plan.activities], _COLUMNS)
    for m in plan.region.municipalities:
        acts = [a for a in plan.activities if a.municipality == m.code]
        if acts:
            _sheet(wb.create_sheet(m.name[:31]), [_activity_row(plan, a, lang) for a in acts], _COLUMNS)
    changes = [[c.requested, c.placed or render("change.not_placed", lang),
                c.municipality_name or render("change.whole_region", lang),
                render(Msg(f"constraint.{c.constraint}"), lang), render(c.message, lang)] for c in plan.changes]
    _sheet(wb.create_sheet("Flyttat"), changes, (("Önskat datum", 13), ("Nytt datum", 13), ("Kommun", 16),
                                                  ("Regel", 16), ("Förklaring", 110)))
    load = [[w.week, render("iso_week", lang, year=str(w.iso_week[0]), week=w.iso_week[1]), w.municipality, w.hours,
             w.capacity] for w in plan.workload()]
    _sheet(wb.create_sheet("Arbetsbelastning"), load, (("Veckans måndag", 15), ("Vecka", 10), ("Kommun", 16),
                                                        ("Bokade timmar", 14), ("Timmar per vecka", 16)))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_plan_files(plan: CampaignPlan, out: Path, *, stamp: dt.datetime | None = None,
                     summaries: Mapping[str, str] | None = None) -> list[Path]:
    """calendar.ics (region), calendar-<kommun>.ics each, calendar.xlsx, calendar.csv, calendar-excel.csv."""
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, bytes] = {
        "calendar.ics": plan_to_ics(plan, stamp=stamp, summaries=summaries),
        "calendar.xlsx": plan_to_xlsx(plan),
        "calendar.csv": plan_to_csv(plan).encode("utf-8"),
        "calendar-excel.csv": plan_to_csv(plan, swedish_excel=True).encode("utf-8-sig"),
    }
    for m in plan.region.municipalities:
        if any(a.municipality == m.code for a in plan.activities):
            files[f"calendar-{slug(m.name)}.ics"] = plan_to_ics(plan, m.code, stamp=stamp, summaries=summaries)
    written = []
    for name, data in files.items():
        write_atomic(out / name, data)
        written.append(out / name)
    return written


DRAFT_COLUMNS = ("municipality", "e_service", "segment", "channel", "path", "lix", "chars", "warnings",
                 "tracked_link")
_EXTENSION = {"html": ".html", "txt": ".txt", "md": ".md"}


def draft_path(d: Draft) -> Path:
    """drafts/<kommun>/<e-tjänst>/<segment>-<kanal>.<ext> (the flyer as .pdf)."""
    who = f"{d.segment}-{slug(d.segment_name or '')}" if d.segment is not None else "personal"
    ext = ".pdf" if d.channel == "flyer" or d.format == "html" and "@page" in d.body else _EXTENSION[d.format]
    return Path("drafts") / slug(d.municipality) / d.e_service / f"{who}-{d.channel}{ext}"


def write_drafts(drafts: Iterable[Draft], out: Path, *, pdf: Callable[[Draft], bytes]) -> list[dict[str, object]]:
    """Every draft as its own file, drafts.csv listing them with readability, and drafts.zip of all."""
    rows: list[dict[str, object]] = []
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for d in drafts:
            rel = draft_path(d)
            data = pdf(d) if rel.suffix == ".pdf" else d.body.encode("utf-8")
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, data)
            zf.writestr(rel.as_posix(), data)
            rows.append({"municipality": d.municipality, "e_service": d.e_service_name,
                         "segment": d.segment_name or "personal", "channel": d.channel, "path": rel.as_posix(),
                         "lix": d.readability.lix, "chars": d.chars, "warnings": " | ".join(d.warnings),
                         "tracked_link": d.link})
    table = io.StringIO()
    writer = csv.DictWriter(table, fieldnames=DRAFT_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    write_atomic(out / "drafts.csv", table.getvalue().encode("utf-8"))
    write_atomic(out / "drafts.zip", buf.getvalue())
    return rows
