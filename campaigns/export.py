"""Exports of a campaign plan: iCalendar for Outlook/Google, a printable xlsx, and CSV.

Everything is built in memory and returned as bytes/text. Every CSV and xlsx cell goes through
`common.spreadsheet` (no cell can become a formula), every file name through
`common.filenames.file_stem` (kommunkod first, so Håbo and Habo never share a file), and every
calendar text is cleaned of control characters and escaped by icalendar, newlines included.
`write_plan_files` and `write_drafts` write into a folder a command staged with
`common.outputs.output_folder`, so a run leaves the previous complete set or the new one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from babel.dates import format_date
from icalendar import Calendar, Event, vText
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from common.catalogue import Msg, locale_for, render
from common.filenames import file_stem
from common.spreadsheet import add_sheet, csv_bytes, csv_text, semicolon_csv, workbook, xlsx_bytes

from .drafts import Draft
from .drafts.pdf import flyer_print_html
from .export_labels import (
    CALENDAR_COLUMNS,
    DRAFT_COLUMNS,
    MIX_COLUMNS,
    XLSX_COLUMNS,
    calendar_row,
    channel_name,
    draft_row,
    e_service_name,
    header,
    mix_row,
    segment_name,
    sheet_name,
)
from .mix import ChannelMix
from .schedule import Activity, CampaignPlan

__all__ = [
    "CSV_COLUMNS", "DRAFT_COLUMNS", "MIX_COLUMNS", "calendar_file_name", "draft_files", "draft_index", "draft_path",
    "ics_event", "ics_frame", "ics_text", "is_print", "mix_to_csv",
    "plan_to_csv", "plan_to_ics", "plan_to_xlsx", "uid_for", "write_drafts", "write_plan_files"
]

CSV_COLUMNS = CALENDAR_COLUMNS
PRODID = "-//Kampanjplaneraren for e-tjanster//SV"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # every control character but TAB and newline


def ics_text(text: str) -> vText:
    """Calendar text from any input: line breaks as newlines, other control characters dropped;
    icalendar escapes newlines, commas and semicolons and folds long lines (RFC 5545)."""
    return vText(_CONTROL.sub("", str(text).replace("\r\n", "\n").replace("\r", "\n")))


def calendar_file_name(plan: CampaignPlan, municipality: str | None = None, *, prefix: str = "calendar") -> str:
    """calendar.ics for the region, calendar-0305-habo.ics for one municipality (kommunkod or name)."""
    if municipality is None:
        return f"{prefix}.ics"
    m = plan.region.municipality(municipality)
    return f"{prefix}-{file_stem(m.name, key=m.code)}.ics"


def uid_for(activity: Activity) -> str:
    """The same activity gets the same UID in every export, so calendars update instead of duplicating."""
    return hashlib.sha1(activity.id.encode("utf-8")).hexdigest()[:24] + "@kampanjplaneraren"


def _phase(a: Activity, lang: str) -> str:
    return render(Msg(f"phase.{a.phase}"), lang)


def _description(plan: CampaignPlan, a: Activity, summary: str | None, lang: str) -> str:
    lines = [render("ics.phase", lang, phase=Msg(f"phase.{a.phase}")),
             render("ics.municipality", lang, municipality=a.municipality_name)]
    if a.segment_name:
        lines.append(render("ics.segment", lang, segment=segment_name(plan, a, lang)))
    if a.channel:
        lines.append(render("ics.channel", lang, channel=channel_name(plan, a.channel, lang)))
    if a.reason:
        lines.append(render("ics.why", lang, why=a.reason))
    lines.append(render("ics.coordination", lang, coordination=Msg(f"coordination.{a.coordination}_long")))
    lines.append(render("ics.link", lang, link=plan.campaign.e_service(a.e_service).link))
    if summary:
        lines.append(render("ics.draft", lang, summary=summary))
    if a.phase == "evaluation":
        lines.append(render("ics.evaluation_hint", lang))
    return "\n".join(lines)


def ics_frame(plan: CampaignPlan, municipality: str | None = None) -> tuple[bytes, bytes]:
    """What comes before and after the events of a calendar (region, or one municipality)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    name = plan.campaign.name
    if municipality:
        name += f" – {plan.region.municipality(municipality).name}"
    cal.add("x-wr-calname", ics_text(name))
    cal.add("x-wr-timezone", "Europe/Stockholm")
    whole = cal.to_ical()
    end = b"END:VCALENDAR\r\n"
    return whole[: -len(end)], end


def ics_event(plan: CampaignPlan, a: Activity, stamp: dt.datetime, summary: str | None, lang: str) -> bytes:
    """One activity as a VEVENT: made once, it goes into its municipality's calendar and the
    region's alike."""
    ev = Event()
    ev.add("uid", uid_for(a))
    ev.add("dtstamp", stamp)
    ev.add("dtstart", a.start)
    ev.add("dtend", a.end + dt.timedelta(days=1))  # exclusive end for all-day events
    ev.add("summary", ics_text(f"{a.municipality_name}: {render(a.title, lang)}"))
    ev.add("description", ics_text(_description(plan, a, summary, lang)))
    ev.add("categories", [ics_text(_phase(a, lang))])
    ev.add("transp", "TRANSPARENT")
    return bytes(ev.to_ical())


def plan_to_ics(plan: CampaignPlan, municipality: str | None = None, *, stamp: dt.datetime | None = None,
                summaries: Mapping[str, str] | None = None, lang: str = "sv") -> bytes:
    """An iCalendar file of all-day events (whole region, or one municipality by kommunkod)."""
    stamp = stamp or dt.datetime.now(dt.UTC).replace(microsecond=0)
    head, tail = ics_frame(plan, municipality)
    events = [ics_event(plan, a, stamp, (summaries or {}).get(a.id), lang) for a in plan.activities
              if not municipality or a.municipality == municipality]
    return head + b"".join(events) + tail


def plan_to_csv(plan: CampaignPlan, *, swedish_excel: bool = False, lang: str = "sv") -> str:
    """CSV with ISO dates, headers and values in `lang`; `swedish_excel` gives semicolons (open it with a
    double-click in Swedish Excel)."""
    rows = (calendar_row(plan, a, lang) for a in plan.activities)
    return csv_text(header(CSV_COLUMNS, lang), rows, delimiter=";" if swedish_excel else ",")


def mix_to_csv(mix: ChannelMix, lang: str = "sv") -> bytes:
    """kanalmix.csv: every e-service × segment × channel option, whether the budget chose it, reach,
    cost and why, in `lang` (Swedish Excel reads the Swedish file: semicolons, UTF-8 with a byte-order
    mark)."""
    return csv_bytes(header(MIX_COLUMNS, lang), (mix_row(mix, o, lang) for o in mix.options),
                     swedish_excel=semicolon_csv(lang))


_HEADER_FILL = PatternFill("solid", fgColor="DCE6F0")
_BOLD = Font(bold=True)
_MIDDLE = Alignment(vertical="center")
SHEETS_PER_MEMBER_UP_TO = 30  # more members than this: one overview sheet with a filter, and a file each


def _columns(kind: str, lang: str) -> tuple[tuple[str, int], ...]:
    return tuple(zip(header([c for c, _ in XLSX_COLUMNS[kind]], lang), (w for _, w in XLSX_COLUMNS[kind])))


def _header_cell(cell: Any) -> None:
    cell.font = _BOLD
    cell.fill = _HEADER_FILL
    cell.alignment = _MIDDLE


def _date_cell(cell: Any) -> None:
    # Style only what needs it (openpyxl styles cell by cell); long text gets wide columns rather
    # than wrapping, since not every spreadsheet program recomputes wrapped row heights.
    if isinstance(cell.value, dt.date):
        cell.number_format = "yyyy-mm-dd"


def _sheet(wb: Any, title: str, rows: Sequence[Sequence[object]], columns: tuple[tuple[str, int], ...]) -> None:
    """A sheet of a streaming workbook: its layout set first, then every row written once."""

    def prepare(ws: Any) -> None:
        for i, (_, width) in enumerate(columns, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
        ws.print_title_rows = "1:1"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = 9  # A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True

    add_sheet(wb, title, [c for c, _ in columns], rows, header_style=_header_cell, row_style=_date_cell,
              prepare=prepare)


def _activity_row(plan: CampaignPlan, a: Activity, lang: str) -> list[object]:
    return [a.start, format_date(a.start, "EEEE", locale=locale_for(lang)), a.start.isocalendar()[1],
            a.municipality_name, e_service_name(plan, a, lang), _phase(a, lang), channel_name(plan, a.channel, lang),
            segment_name(plan, a, lang), render(a.title, lang), render(Msg(f"coordination.{a.coordination}"), lang),
            a.hours]


def plan_to_xlsx(plan: CampaignPlan, lang: str = "sv", *, municipality: str | None = None) -> bytes:
    """Overview, one sheet per municipality (up to SHEETS_PER_MEMBER_UP_TO members: beyond that
    the overview's filter and each member's own file serve better), what moved, and the weekly
    workload; `municipality` (kommunkod) gives that member's own workbook. Streamed (write-only)."""
    wb = workbook(streaming=True)
    columns = _columns("overview", lang)
    activities = [a for a in plan.activities if municipality is None or a.municipality == municipality]
    rows = [_activity_row(plan, a, lang) for a in activities]  # each row worded once, for both sheets
    _sheet(wb, sheet_name("overview", lang), rows, columns)
    if municipality is None and len(plan.region.municipalities) <= SHEETS_PER_MEMBER_UP_TO:
        own: dict[str, list[list[object]]] = {}
        for a, row in zip(activities, rows):
            own.setdefault(a.municipality, []).append(row)
        for m in plan.region.municipalities:
            if own.get(m.code):
                _sheet(wb, m.name, own[m.code], columns)
    name = plan.region.municipality(municipality).name if municipality else None
    changes = [[c.requested, c.placed or render("change.not_placed", lang),
                c.municipality_name or render("change.whole_region", lang),
                render(Msg(f"constraint.{c.constraint}"), lang), render(c.message, lang)] for c in plan.changes
               if name is None or c.municipality_name in (None, "", name)]
    _sheet(wb, sheet_name("moved", lang), changes, _columns("moved", lang))
    load = [[w.week, render("iso_week", lang, year=str(w.iso_week[0]), week=w.iso_week[1]), w.municipality, w.hours,
             w.capacity] for w in plan.workload() if name is None or w.municipality == name]
    _sheet(wb, sheet_name("workload", lang), load, _columns("workload", lang))
    return xlsx_bytes(wb)


def write_plan_files(plan: CampaignPlan, out: Path, *, stamp: dt.datetime | None = None,
                     summaries: Mapping[str, str] | None = None, lang: str = "sv") -> list[Path]:
    """calendar.ics (region), calendar-<kommunkod>-<kommun>.ics each, calendar.xlsx, calendar.csv,
    calendar-excel.csv, in `lang` — into `out`, a folder `common.outputs.output_folder` staged."""
    files: dict[str, bytes] = {
        "calendar.ics": plan_to_ics(plan, stamp=stamp, summaries=summaries, lang=lang),
        "calendar.xlsx": plan_to_xlsx(plan, lang),
        "calendar.csv": plan_to_csv(plan, lang=lang).encode("utf-8"),
        "calendar-excel.csv": plan_to_csv(plan, swedish_excel=True, lang=lang).encode("utf-8-sig"),
    }
    for m in plan.region.municipalities:
        if any(a.municipality == m.code for a in plan.activities):
            files[calendar_file_name(plan, m.code)] = plan_to_ics(plan, m.code, stamp=stamp, summaries=summaries,
                                                                  lang=lang)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in files.items():
        (out / name).write_bytes(data)
        written.append(out / name)
    return written


_EXTENSION = {"html": ".html", "txt": ".txt", "md": ".md"}


def is_print(d: Draft) -> bool:
    """A draft that is printed (the A5 flyer, a region's own print template): a PDF when asked for."""
    return d.channel == "flyer" or d.format == "html" and "@page" in d.body


def draft_path(d: Draft, *, pdf: bool = True) -> Path:
    """drafts/<kommunkod-kommun>/<e-tjänst>/<nr-segment>-<kanal>[-<variant>].<ext> (the flyer as .pdf,
    or as its printable .html when the PDFs are made later)."""
    who = file_stem(d.segment_name or "", key=d.segment, limit=48) if d.segment is not None else "personal"
    ext = (".pdf" if pdf else ".html") if is_print(d) else _EXTENSION[d.format]
    variant = f"-{file_stem(d.variant, limit=8)}" if d.variant else ""
    return (Path("drafts") / file_stem(d.municipality, key=d.municipality_code) / file_stem(d.e_service)
            / f"{who}-{file_stem(d.channel, limit=40)}{variant}{ext}")


def draft_files(drafts: Iterable[Draft], out: Path, *, pdf: Callable[[Draft], bytes] | None, lang: str = "sv",
                done: Callable[[Draft], None] | None = None) -> list[dict[str, object]]:
    """Every draft as its own file under `out`, and its drafts.csv row. `pdf` makes a flyer's PDF;
    None writes the flyer as printable HTML instead (PDFs made later, when asked for). `done` is
    called after each draft (progress)."""
    rows: list[dict[str, object]] = []
    seen: set[Path] = set()
    for d in drafts:
        rel = draft_path(d, pdf=pdf is not None)
        if rel in seen:  # every draft must land in its own file (a collision would drop one)
            raise ValueError(f"two drafts would share the file {rel}")
        seen.add(rel)
        if not is_print(d):
            data = d.body.encode("utf-8")
        else:
            data = pdf(d) if pdf is not None else flyer_print_html(d).encode("utf-8")
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        rows.append({"municipality": d.municipality, "e_service": d.e_service_name,
                     "segment": d.segment_name or "personal", "channel": d.channel, "variant": d.variant,
                     "edited": d.origin if d.edited else "", "path": rel.as_posix(), "lix": d.readability.lix,
                     "chars": d.chars, "warnings": " | ".join(render(w, lang) for w in d.warnings),
                     "tracked_link": d.link, "channel_name": d.channel_name})
        if done is not None:
            done(d)
    return rows


def draft_index(rows: Sequence[Mapping[str, object]], out: Path, lang: str = "sv") -> None:
    """drafts.csv listing the drafts with readability (headers and values in `lang`), and
    drafts.zip of all their files, in the order of `rows`."""
    (out / "drafts.csv").write_bytes(csv_bytes(header(DRAFT_COLUMNS, lang), (draft_row(r, lang) for r in rows),
                                               swedish_excel=semicolon_csv(lang)))
    with zipfile.ZipFile(out / "drafts.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        for r in rows:
            zf.write(out / str(r["path"]), str(r["path"]))


def write_drafts(drafts: Iterable[Draft], out: Path, *, pdf: Callable[[Draft], bytes] | None, lang: str = "sv",
                 done: Callable[[Draft], None] | None = None) -> list[dict[str, object]]:
    """Every draft as its own file, drafts.csv listing them, and drafts.zip of all, into `out`
    (a folder `common.outputs.output_folder` staged, or a temporary one)."""
    rows = draft_files(drafts, out, pdf=pdf, lang=lang, done=done)
    draft_index(rows, out, lang)
    return rows
