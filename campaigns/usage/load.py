"""Reading usage statistics: monthly uses per municipality × e-service (optionally per channel tag
and segment) in the same Swedish formats as citizen data, every bad row listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from common.catalogue import ListOf, Msg, Num
from common.errors import InputError, Problem, problem
from common.gate import Contract, Gated, gate_table, municipality_label, number_label, one_of, pattern_label
from common.limits import MAX_COUNT
from common.table_files import Source, parse_count, read_raw

from ..definitions import Campaign, Region

__all__ = ["NON_DIGITAL", "OTHER_SOURCES", "USAGE_COLUMNS", "UsageData", "load_usage", "municipality_code",
           "parse_month", "usage_contract"]

USAGE_COLUMNS = {
    "month": ("månad", "manad", "period", "month"),
    "municipality": ("kommun", "kommunkod", "municipality"),
    "e_service": ("e-tjänst", "e-tjanst", "etjänst", "tjänst", "e_service"),
    "uses": ("antal", "användningar", "anvandningar", "ärenden", "uses", "count"),
    "channel": ("kanal", "utm_source", "källa", "channel"),
    "segment": ("segment",),
    "content": ("utm_content", "innehåll"),
    # optional non-digital applications in the same month (for the digital share; campaigns.objectives)
    "paper": ("papper", "pappersansökningar", "paper"),
    "phone": ("telefon", "phone"),
    "visits": ("besök", "besok", "visits"),
}
NON_DIGITAL = ("paper", "phone", "visits")
CONTENT = re.compile(r"-s(\d+)(?:-([a-z]))?$")  # utm_content <kommunkod>-s<segment>[-<headline variant>]
CONTENT_CODE = r"\d{4}-s\d{1,2}(?:-[a-z])?"
MAX_SEGMENT = 99
OTHER_SOURCES = ("word_of_mouth", "other")  # "where did you hear" answers that name no channel of ours
MONTHS_SV = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "maj": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "okt": 10,
             "nov": 11, "dec": 12}


@dataclass(frozen=True)
class UsageData:
    """Monthly uses; `channel` is '' for untagged uses and `segment` -1 when not split by segment."""

    frame: pd.DataFrame  # month (Timestamp, first of month), municipality (code), e_service, channel, segment,
    # uses, variant (the draft's headline variant from utm_content, '' when not known), and paper, phone,
    # visits (non-digital applications, an empty cell 0) only when the file has those columns


def parse_month(text: str) -> pd.Timestamp | None:
    """2027-03, 2027/3, 2027-03-01 or "mars 2027" → the first of that month; None when unreadable."""
    text = text.strip().lower()
    m = re.match(r"^(\d{4})[-/](\d{1,2})(?:[-/]\d{1,2})?$", text)
    if m and 1 <= int(m.group(2)) <= 12:
        return pd.Timestamp(int(m.group(1)), int(m.group(2)), 1)
    m = re.match(r"^([a-zåäö]{3})[a-zåäö]*\.?\s+(\d{4})$", text)
    if m and m.group(1) in MONTHS_SV:
        return pd.Timestamp(int(m.group(2)), MONTHS_SV[m.group(1)], 1)
    return None


def _problem(column: str, rows: list[int], code: str, hint: str, **values: Any) -> Problem:
    """The hint gets the same values as the message (the campaign's e-services, the region …)."""
    return problem(code, column=column, rows=rows[:5], row_count=len(rows), hint=Msg(hint, **values),
                   header=column, **values)


def usage_contract(region: Region, campaign: Campaign) -> Contract:
    """What a usage file may hold: members of the region, the campaign's e-services, the region's
    channels (or a "where did you hear" source), segment numbers and tracking codes."""
    services = {e.key: e.key for e in campaign.e_services} | {e.name: e.key for e in campaign.e_services}
    channels = {c.key: c.key for c in region.channels} | {c.name: c.key for c in region.channels}
    return Contract(USAGE_COLUMNS, {
        "municipality": municipality_label(m.code for m in region.municipalities),
        "e_service": one_of("e_service", services),
        "channel": one_of("channel", channels | {s: s for s in OTHER_SOURCES}, blank=""),
        "segment": number_label("segment", -1, MAX_SEGMENT, blank="-1"),
        "content": pattern_label("content", CONTENT_CODE, blank=""),
    })


def _gated(source: Source, filename: str | None, region: Region, campaign: Campaign) -> Gated:
    """The file through the gate; refused when a required column is missing."""
    gated = gate_table(read_raw(source, filename), usage_contract(region, campaign), collect=True)
    missing = [f for f in ("month", "municipality", "e_service", "uses") if f not in gated.headers]
    if missing:
        raise InputError([problem("usage.missing_columns", n=len(missing),
                                  columns=ListOf(tuple(Msg(f"usage.column.{m}") for m in missing)),
                                  hint="hint_usage_columns")])
    return gated


def municipality_code(region: Region, ref: str) -> str | None:
    """A member's code from its name or code (leading zeros optional); None when not a member."""
    ref = ref.strip()
    try:
        return region.municipality(ref.zfill(4) if ref.isdigit() else ref).code
    except KeyError:
        return None


def load_usage(source: Source, filename: str | None, region: Region, campaign: Campaign) -> UsageData:
    """Read usage statistics through the gate; every bad month, label or count is listed with its rows."""
    gated = _gated(source, filename, region, campaign)
    df = gated.frame.fillna({f: "" for f in ("month", "uses")})
    rows = gated.rows
    problems = []
    months = df["month"].map(parse_month)
    if months.isna().any():
        problems.append(_problem("månad", list(rows[months.isna()]), "usage.bad_month", "hint_month_format"))
    uses = df["uses"].map(parse_count)  # 0 to common.limits.MAX_COUNT: 1e308, inf or an identity number is no count
    bad_uses = uses.isna()
    if bad_uses.any():
        problems.append(_problem("antal", list(rows[bad_uses]), "usage.bad_count", "hint_fix_cells",
                                 limit=Num(MAX_COUNT)))
    offline = {f: df[f].fillna("").map(lambda v: parse_count(v) if v.strip() else 0.0) for f in NON_DIGITAL if f in df}
    for field, counts in offline.items():
        bad = counts.isna()
        if bad.any():
            problems.append(_problem(USAGE_COLUMNS[field][0], list(rows[bad]), "usage.bad_count", "hint_fix_cells",
                                     limit=Num(MAX_COUNT)))
    gated.refuse(problems)
    if df.empty:
        raise InputError([problem("no_rows", hint="hint_right_file")])
    content = df["content"].str.extract(CONTENT) if "content" in df else None
    segment = df["segment"] if "segment" in df else (content[0] if content is not None else None)
    out = pd.DataFrame({
        "month": months, "municipality": df["municipality"], "e_service": df["e_service"],
        "channel": df["channel"] if "channel" in df else "",
        "segment": pd.to_numeric(segment, errors="coerce").fillna(-1).astype(int) if segment is not None else -1,
        "uses": uses.astype(float),
        "variant": content[1].fillna("") if content is not None else ""})
    for field, counts in offline.items():
        out[field] = counts.astype(float)
    return UsageData(out)
