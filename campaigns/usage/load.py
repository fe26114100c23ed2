"""Reading usage statistics: monthly uses per municipality × e-service (optionally per channel tag
and segment) in the same Swedish formats as citizen data, every bad row listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from common.errors import InputError, Problem, problem
from common.limits import MAX_COUNT
from common.messages import ListOf, Msg, Num
from common.tables import Source, parse_count, read_raw

from ..definitions import Campaign, Region

__all__ = ["USAGE_COLUMNS", "UsageData", "load_usage", "municipality_code", "parse_month"]

USAGE_COLUMNS = {
    "month": ("månad", "manad", "period", "month"),
    "municipality": ("kommun", "kommunkod", "municipality"),
    "e_service": ("e-tjänst", "e-tjanst", "etjänst", "tjänst", "e_service"),
    "uses": ("antal", "användningar", "anvandningar", "ärenden", "uses", "count"),
    "channel": ("kanal", "utm_source", "källa", "channel"),
    "segment": ("segment",),
    "content": ("utm_content", "innehåll"),
}
CONTENT = re.compile(r"-s(\d+)(?:-([a-z]))?$")  # utm_content <kommunkod>-s<segment>[-<headline variant>]
MONTHS_SV = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "maj": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "okt": 10,
             "nov": 11, "dec": 12}


@dataclass(frozen=True)
class UsageData:
    """Monthly uses; `channel` is '' for untagged uses and `segment` -1 when not split by segment."""

    frame: pd.DataFrame  # month (Timestamp, first of month), municipality (code), e_service, channel, segment,
    # uses, variant (the draft's headline variant from utm_content, '' when not known)


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
    return problem(code, column=column, rows=rows[:5], row_count=len(rows), hint=hint, header=column, **values)


def _mapped(source: Source, filename: str | None) -> pd.DataFrame:
    """The file's columns renamed to our fields; refused when a required one is missing."""
    raw = read_raw(source, filename)
    frame = pd.concat([b.to_pandas() for b in raw.batches()], ignore_index=True) if raw.headers else pd.DataFrame()
    frame = frame.fillna("").astype(str).replace({"None": "", "nan": ""})
    lookup = {alias: field for field, aliases in USAGE_COLUMNS.items() for alias in aliases}
    mapping = {h: lookup[h.strip().lower()] for h in frame.columns if h.strip().lower() in lookup}
    missing = [f for f in ("month", "municipality", "e_service", "uses") if f not in mapping.values()]
    if missing:
        raise InputError([problem("usage.missing_columns", n=len(missing),
                                  columns=ListOf(tuple(Msg(f"usage.column.{m}") for m in missing)),
                                  hint="hint_usage_columns")])
    return frame.rename(columns=mapping)


def municipality_code(region: Region, ref: str) -> str | None:
    """A member's code from its name or code (leading zeros optional); None when not a member."""
    ref = ref.strip()
    try:
        return region.municipality(ref.zfill(4) if ref.isdigit() else ref).code
    except KeyError:
        return None


def load_usage(source: Source, filename: str | None, region: Region, campaign: Campaign) -> UsageData:
    """Read usage statistics; every bad month, member, e-service or count is listed with its rows."""
    df = _mapped(source, filename)
    rows = np.arange(2, len(df) + 2)
    problems = []
    months = df["month"].map(parse_month)
    if months.isna().any():
        problems.append(_problem("månad", list(rows[months.isna()]), "usage.bad_month", "hint_month_format"))
    codes = df["municipality"].map(lambda ref: municipality_code(region, ref))
    if codes.isna().any():
        problems.append(_problem("kommun", list(rows[codes.isna()]), "usage.not_member", "hint_municipality_ref",
                                 region=region.name))
    services = {e.key: e.key for e in campaign.e_services} | {e.name.lower(): e.key for e in campaign.e_services}
    keys = df["e_service"].map(lambda v: services.get(v.strip()) or services.get(v.strip().lower()))
    if keys.isna().any():
        problems.append(_problem("e-tjänst", list(rows[keys.isna()]), "usage.unknown_e_service",
                                 "hint_campaign_e_services",
                                 e_services=ListOf(tuple(e.name for e in campaign.e_services))))
    uses = df["uses"].map(parse_count)  # 0 to common.limits.MAX_COUNT: 1e308, inf or an identity number is no count
    bad_uses = uses.isna()
    if bad_uses.any():
        problems.append(_problem("antal", list(rows[bad_uses]), "usage.bad_count", "hint_fix_cells",
                                 limit=Num(MAX_COUNT)))
    if problems:
        raise InputError(problems)
    if df.empty:
        raise InputError([problem("no_rows", hint="hint_right_file")])
    content = df["content"].str.strip().str.lower().str.extract(CONTENT) if "content" in df else None
    segment = df["segment"] if "segment" in df else (content[0] if content is not None else None)
    out = pd.DataFrame({
        "month": months, "municipality": codes, "e_service": keys,
        "channel": df["channel"].str.strip().str.lower() if "channel" in df else "",
        "segment": pd.to_numeric(segment, errors="coerce").fillna(-1).astype(int) if segment is not None else -1,
        "uses": uses.astype(float),
        "variant": content[1].fillna("") if content is not None else ""})
    return UsageData(out)
