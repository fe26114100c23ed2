"""Tables for the pages in the session's language: headers from the catalogue, numbers, money,
shares and dates formatted as the language writes them, channel and phase names instead of keys."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from babel.dates import format_date
from babel.numbers import format_currency, parse_pattern

from app_pages.i18n import t
from campaigns.definitions import Campaign
from campaigns.mix import ChannelMix, Option
from campaigns.relevance import relevance
from common.catalogue import fmt_value, locale_for, render
from common.formatting import fmt_dec, fmt_int, fmt_money, fmt_pct
from segments.segmentset import SegmentSet

__all__ = ["activities", "audience_table", "localised", "mix_table", "short_date", "workload"]


def short_date(d: dt.date, lang: str) -> str:
    """A date in a table column: 2027-03-16 in Swedish (the Swedish numeric form), 16/03/2027 in English."""
    return format_date(d, "short", locale=locale_for(lang)) if lang != "sv" else d.isoformat()


_TENTHS = parse_pattern("#,##0.0 ¤")


def _per_person(x: float, lang: str) -> str:
    """Kronor with one decimal (cheap channels cost tenths of a krona per person reached)."""
    return format_currency(x, "SEK", locale=locale_for(lang), format=_TENTHS, currency_digits=False)


def mix_table(mix: ChannelMix, lang: str) -> pd.DataFrame:
    """Every e-service × segment × channel option: chosen or not, reach, cost, cost per person, why
    (names in `lang`: the option's titles)."""
    def name(o: Option, i: int, carried: str) -> str:
        return fmt_value(o.titles[i], lang) if o.titles else carried

    yes, no = render("yes", lang), render("no", lang)
    columns = {key: render(key, lang) for key in ("e_service", "segment", "channel", "chosen", "reach_contacts",
                                                   "cost", "cost_per_person", "reason")}
    return pd.DataFrame({columns[key]: values for key, values in {
        "e_service": [name(o, 0, o.e_service_name) for o in mix.options],
        "segment": [name(o, 1, o.segment_name) for o in mix.options],
        "channel": [name(o, 2, o.channel_name) for o in mix.options],
        "chosen": [yes if mix.is_chosen(o) else no for o in mix.options],
        "reach_contacts": [fmt_int(o.reach, lang) for o in mix.options],
        "cost": [fmt_money(o.cost, lang) for o in mix.options],
        "cost_per_person": [_per_person(o.cost_per_person, lang) if o.reach else "–" for o in mix.options],
        "reason": [render(o.reason, lang) for o in mix.options]}.items()})


def audience_table(campaign: Campaign, segment_set: SegmentSet, lang: str) -> pd.DataFrame:
    """How much each e-service concerns each segment (campaigns.relevance), and why."""
    return pd.DataFrame([{t("e_service"): fmt_value(e.title, lang), t("segment"): fmt_value(s.title, lang),
                          t("relevance"): fmt_pct(r.score, lang),
                          t("relevant"): t("yes") if r.relevant else t("no"), t("reason"): render(r.reason, lang)}
                         for e in campaign.e_services for s in segment_set.segments for r in [relevance(e, s)]])


def activities(table: pd.DataFrame, channel_names: dict[str, str], lang: str,
               names: tuple[tuple[str, str], ...] = ()) -> pd.DataFrame:
    """The activities of `views.activity_table`, as a reader sees them (`names`: as in mix_table)."""
    shown = dict(names)
    return pd.DataFrame({
        t("date"): [short_date(d.date(), lang) for d in table["start"]],
        t("municipality"): table["municipality_name"].to_numpy(),
        t("eservice"): [shown.get(x, x) for x in table["e_service_name"]],
        t("phase"): [render(f"phase.{p}", lang) for p in table["phase"]],
        t("channel"): [channel_names.get(c, c) if c else "" for c in table["channel"]],
        t("segment"): [shown.get(x, x) if isinstance(x, str) else x for x in table["segment_name"]],
        t("activity"): [render(x, lang) for x in table["title"]],
        t("coordination"): [render(f"coordination.{c}", lang) for c in table["coordination"]],
        t("hours"): [fmt_dec(h, lang, 1) for h in table["hours"]],
    })


def workload(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Hours booked, one row per municipality and one column per week (the chart as a table)."""
    weeks = list(dict.fromkeys(frame["week"]))
    out = {t("municipality"): list(dict.fromkeys(frame["municipality"]))}
    for w in weeks:
        week = frame[frame["week"] == w]
        label = render("week_short", lang, week=w.isocalendar()[1])
        label = label if label not in out else f"{label} {w.year}"  # week 1 of two years
        out[label] = [fmt_dec(h, lang, 1) if h else "" for h in week["hours"]]
    out[t("hours_per_week")] = [fmt_int(c, lang) for c in frame.drop_duplicates("municipality")["capacity"]]
    return pd.DataFrame(out)


def _cell(value: object, lang: str, digits: int) -> object:
    """One value of a mixed column: numbers worded like the rest (Arrow cannot mix text and numbers)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return fmt_int(value, lang) if float(value).is_integer() else fmt_dec(float(value), lang, digits)
    return value


def localised(frame: pd.DataFrame, lang: str, *, columns: dict[str, str] | None = None,
              channel_names: dict[str, str] | None = None, digits: int = 2,
              percent: tuple[str, ...] = ()) -> pd.DataFrame:
    """A table from the core made readable: headers renamed, numbers grouped with the language's
    separators (`digits` decimals where they are not whole), yes/no for booleans, dates as dates,
    channel names for channel keys, shares (0–1) in `percent` columns as percentages."""
    out = {}
    for name in frame.columns:
        values = frame[name]
        header = (columns or {}).get(str(name), str(name))
        if channel_names is not None and name in ("channel", t("channel")):
            out[header] = [channel_names.get(v, v) if isinstance(v, str) else v for v in values]
        elif name in percent:
            out[header] = ["–" if pd.isna(v) else fmt_pct(float(v), lang) for v in values]
        elif pd.api.types.is_bool_dtype(values):
            out[header] = [t("yes") if v else t("no") for v in values]
        elif pd.api.types.is_datetime64_any_dtype(values):
            out[header] = [short_date(v.date(), lang) if pd.notna(v) else "–" for v in values]
        elif pd.api.types.is_numeric_dtype(values):
            whole = all(float(v).is_integer() for v in values.dropna())
            out[header] = ["–" if pd.isna(v) else (fmt_int(v, lang) if whole else fmt_dec(v, lang, digits))
                           for v in values]
        else:
            out[header] = [_cell(v, lang, digits) for v in values]
    return pd.DataFrame(out)
