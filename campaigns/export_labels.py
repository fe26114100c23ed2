"""What the exported tables say, in the reader's language: headers, sheet names and values.

A Swedish CSV or workbook gets Swedish headers and Swedish values (phase and coordination names,
channel names instead of keys, "ja"/"nej", decimal commas); an English one gets English. The
writers in `campaigns.export` decide the file format, this module only the words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from common.catalogue import Msg, fmt_value, render
from common.spreadsheet import decimal_sign

from .mix import ChannelMix, Option
from .schedule import Activity, CampaignPlan

__all__ = ["CALENDAR_COLUMNS", "DRAFT_COLUMNS", "MIX_COLUMNS", "XLSX_COLUMNS", "calendar_row", "channel_name",
           "decimal", "draft_row", "e_service_name", "header", "mix_row", "segment_name", "sheet_name",
           "yes_no"]

CALENDAR_COLUMNS = ("start", "end", "municipality", "e_service", "phase", "channel", "segment", "title",
                    "coordination")
MIX_COLUMNS = ("e_service", "segment", "channel", "relevance", "chosen", "reach", "cost_sek", "reason")
DRAFT_COLUMNS = ("municipality", "e_service", "segment", "channel", "variant", "edited", "path", "lix", "chars",
                 "warnings", "tracked_link")
# (column, width) per workbook sheet; the header text comes from the catalogue.
XLSX_COLUMNS: dict[str, tuple[tuple[str, int], ...]] = {
    "overview": (("date", 12), ("weekday", 10), ("week", 7), ("municipality", 14), ("e_service", 20),
                 ("phase", 22), ("channel", 26), ("segment", 34), ("title", 95), ("coordination", 12),
                 ("hours", 8)),
    "moved": (("requested", 13), ("placed", 13), ("municipality", 16), ("rule", 16), ("explanation", 110)),
    "workload": (("monday", 15), ("week", 10), ("municipality", 16), ("hours", 14), ("capacity", 16)),
}


def header(columns: Sequence[str], lang: str) -> list[str]:
    """Column headers: 'Kommun', 'Fas' … (sv) / 'Municipality', 'Phase' … (en)."""
    return [render(f"export.col.{c}", lang) for c in columns]


def sheet_name(kind: str, lang: str) -> str:
    return render(f"export.sheet.{kind}", lang)


def yes_no(value: bool, lang: str) -> str:
    return render("export.yes" if value else "export.no", lang)


def decimal(x: float, lang: str) -> str:
    """A number in a CSV cell as the language's spreadsheet reads it: 42,5 (sv) / 42.5 (en); no grouping."""
    text = f"{x:.10g}"
    return text.replace(".", decimal_sign(lang))


def channel_name(plan: CampaignPlan, key: str | None, lang: str = "sv") -> str:
    """The channel's name in `lang` (the region's `name_en` in English, where it gives one)."""
    return next((fmt_value(c.title, lang) for c in plan.region.channels if c.key == key), key or "") if key else ""


def e_service_name(plan: CampaignPlan, a: Activity, lang: str) -> str:
    return next((fmt_value(e.title, lang) for e in plan.campaign.e_services if e.key == a.e_service),
                a.e_service_name)


def segment_name(plan: CampaignPlan, a: Activity, lang: str) -> str:
    """The segment's name in `lang`: a generated name in either language, an officer's as written."""
    if a.segment is None:
        return a.segment_name or ""
    return next((fmt_value(s.title, lang) for s in plan.segments if s.id == a.segment and s.name == a.segment_name),
                a.segment_name or "")


def calendar_row(plan: CampaignPlan, a: Activity, lang: str) -> list[str]:
    """One activity as CSV cells (ISO dates: every spreadsheet reads them as dates)."""
    return [a.start.isoformat(), a.end.isoformat(), a.municipality_name, e_service_name(plan, a, lang),
            render(Msg(f"phase.{a.phase}"), lang), channel_name(plan, a.channel, lang), segment_name(plan, a, lang),
            render(a.title, lang), render(Msg(f"coordination.{a.coordination}"), lang)]


def mix_row(mix: ChannelMix, o: Option, lang: str) -> list[object]:
    """One e-service × segment × channel option as CSV cells."""
    names = [fmt_value(x, lang) for x in o.titles] if o.titles else [o.e_service_name, o.segment_name, o.channel_name]
    return [*names, decimal(round(o.relevance, 2), lang),
            yes_no(mix.is_chosen(o), lang), round(o.reach), round(o.cost), render(o.reason, lang)]


def draft_row(row: Mapping[str, object], lang: str) -> list[object]:
    """One row of drafts.csv (a row `campaigns.export.write_drafts` collected) as CSV cells: channel
    names instead of keys, staff drafts and edits named in `lang`, LIX with the language's decimal."""
    segment = row["segment"] if row["segment"] != "personal" else render("export.staff", lang)
    edited = render(f"export.edited.{row['edited']}", lang) if row["edited"] else ""
    return [row["municipality"], row["e_service"], segment, row["channel_name"], row["variant"], edited,
            row["path"], decimal(float(str(row["lix"])), lang), row["chars"], row["warnings"], row["tracked_link"]]
