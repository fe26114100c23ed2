"""Vega-Lite charts for the pages, in the session's language.

Each chart has a table alternative on its page; meaning is carried by position, text and shape as
well as colour. Fields inside a chart have neutral names; axis and tooltip titles come from the
catalogue, and numbers and dates are formatted by a Vega number/time locale made from Babel's, so
a chart writes "20 000", "61 %" and "mars" exactly as the text beside it does. Specs are plain
dicts built once per input (see `_cached.derived`), not rebuilt on every rerun.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st
from babel.dates import get_day_names, get_month_names
from babel.numbers import get_decimal_symbol, get_group_symbol

from app_pages.i18n import lang as _lang
from app_pages.i18n import t, tr
from campaigns.channels import affinity
from campaigns.definitions import Campaign, Region
from campaigns.schedule.views import select, timeline_counts
from common.catalogue import Day, fmt_value, locale_for, render
from common.formatting import fmt_int
from segments.segmentset import SegmentSet

HABITS = ("daily_internet", "bankid", "facebook", "paper")
PHASE_COLOURS = {"internal_marketing": "#6a3d9a", "go_live": "#d62728", "external_marketing": "#1f77b4",
                 "evaluation": "#2ca02c"}
BLUE = "#005a9c"


@lru_cache(maxsize=4)
def vega_locale(lang: str) -> dict[str, Any]:
    """d3's number and time locale for Vega, from Babel's data for the language."""
    loc = locale_for(lang)
    sv = lang == "sv"
    months = get_month_names("wide", locale=loc)
    short = get_month_names("abbreviated", locale=loc)
    days = get_day_names("wide", locale=loc)
    short_days = get_day_names("abbreviated", locale=loc)
    sunday_first = [6, 0, 1, 2, 3, 4, 5]  # Babel counts from Monday, d3 from Sunday
    return {
        "number": {"decimal": get_decimal_symbol(loc), "thousands": get_group_symbol(loc), "grouping": [3],
                   "currency": ["", "\u00a0kr"] if sv else ["", "\u00a0SEK"], "percent": "\u00a0%" if sv else "%",
                   "minus": "\u2212"},
        "time": {"dateTime": "%A %e %B %Y %X", "date": "%Y-%m-%d" if sv else "%d/%m/%Y", "time": "%H:%M:%S",
                 "periods": ["fm", "em"] if sv else ["AM", "PM"],
                 "days": [days[i] for i in sunday_first], "shortDays": [short_days[i] for i in sunday_first],
                 "months": [months[i] for i in range(1, 13)],
                 "shortMonths": [short[i].rstrip(".") for i in range(1, 13)]},
    }


def spec(chart: alt.TopLevelMixin, lang: str) -> dict[str, Any]:
    """The chart as a Vega-Lite dict with the language's number and time locale (no schema check).
    A chart made without data (its table is passed beside it) gets none of Altair's placeholders."""
    out = chart.to_dict(validate=False)
    if out.get("datasets") == {"empty": [{}]}:
        del out["datasets"]
        for part in [out, *out.get("layer", [])]:
            if part.get("data") == {"name": "empty"}:
                del part["data"]
    out.setdefault("config", {})["locale"] = vega_locale(lang)
    return out


def show(chart: dict[str, Any] | tuple[dict[str, Any], pd.DataFrame], alt_text: str) -> None:
    """A spec with its data inline, or (spec, table) where the table travels as Arrow."""
    if isinstance(chart, tuple):
        st.vega_lite_chart(chart[1], chart[0], width="stretch", alt=alt_text)
    else:
        st.vega_lite_chart(chart, width="stretch", alt=alt_text)


# ---------------------------------------------------------------- segments


def sizes_frame(ss: SegmentSet) -> pd.DataFrame:
    """The sizes chart as a table, in the session's language."""
    from app_pages.i18n import lang
    from common.formatting import fmt_pct

    return pd.DataFrame({t("segment"): [f"{s.id}. {tr(s.title)}" for s in ss.segments],
                         t("persons"): [fmt_int(s.profile.size, lang()) for s in ss.segments],
                         t("share"): [fmt_pct(s.profile.share, lang()) for s in ss.segments]})


def sizes_chart(ss: SegmentSet) -> alt.LayerChart:
    df = pd.DataFrame({"segment": [f"{s.id}. {tr(s.title)}" for s in ss.segments],
                       "persons": [round(s.profile.size) for s in ss.segments],
                       "share": [s.profile.share for s in ss.segments]})
    base = alt.Chart(df).encode(y=alt.Y("segment:N", sort=None, title=None, axis=alt.Axis(labelLimit=360)),
                                x=alt.X("persons:Q", title=t("persons"), axis=alt.Axis(format=",d")),
                                tooltip=[alt.Tooltip("segment:N", title=t("segment")),
                                         alt.Tooltip("persons:Q", format=",d", title=t("persons")),
                                         alt.Tooltip("share:Q", format=".0%", title=t("share"))])
    chart = base.mark_bar(color=BLUE) + base.mark_text(align="left", dx=4).encode(
        text=alt.Text("share:Q", format=".0%"))
    return chart.properties(height=44 * len(df)).configure(locale=vega_locale(_lang()))


def habits_frame(ss: SegmentSet) -> pd.DataFrame:
    rows = []
    for s in ss.segments:
        for key in HABITS:
            value = getattr(s.profile.habits, key)
            everyone = getattr(ss.population, key)
            if value is not None:
                rows.append({"segment": f"{s.id}. {tr(s.title)}", "habit": t(f"habit_name.{key}"), "group": t("habit_chart.segment"),
                             "share": value})
            if everyone is not None:
                rows.append({"segment": f"{s.id}. {tr(s.title)}", "habit": t(f"habit_name.{key}"),
                             "group": t("habit_chart.everyone"), "share": everyone})
    return pd.DataFrame(rows)


def habits_table(ss: SegmentSet) -> pd.DataFrame:
    from app_pages.i18n import lang
    from common.formatting import fmt_pct

    frame = habits_frame(ss)
    return pd.DataFrame({t("segment"): frame["segment"], t("habit_chart.habit"): frame["habit"], t("habit_chart.group"): frame["group"],
                         t("share"): [fmt_pct(x, lang()) for x in frame["share"]]})


def habits_chart(ss: SegmentSet) -> alt.FacetChart:
    df = habits_frame(ss)
    return alt.Chart(df).mark_point(filled=True, size=90).encode(
        x=alt.X("share:Q", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1]), title=None),
        y=alt.Y("habit:N", title=None),
        color=alt.Color("group:N", scale=alt.Scale(range=[BLUE, "#999999"]), title=None),
        shape=alt.Shape("group:N", scale=alt.Scale(range=["circle", "diamond"]), title=None),
        tooltip=[alt.Tooltip("segment:N", title=t("segment")), alt.Tooltip("habit:N", title=t("habit_chart.habit")),
                 alt.Tooltip("group:N", title=t("habit_chart.group")),
                 alt.Tooltip("share:Q", format=".0%", title=t("share"))],
    ).properties(height=110, width=260).facet(facet=alt.Facet("segment:N", title=None), columns=2).configure(
        locale=vega_locale(_lang()))


# ---------------------------------------------------------------- channels


def affinity_frame(campaign: Campaign, region: Region, ss: SegmentSet, lang: str) -> pd.DataFrame:
    keys = list(dict.fromkeys(k for e in campaign.e_services for k in e.channels))
    channels = [region.channel(k) for k in keys if not region.channel(k).internal]
    return pd.DataFrame([{"segment": f"{s.id}. {tr(s.title)}", "channel": tr(ch.title), "fit": a.score,
                          "why": render(a.reason, lang)}
                         for s in ss.segments for ch in channels for a in [affinity(s, ch)]])


def affinity_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    from common.formatting import fmt_pct

    return pd.DataFrame({t("segment"): frame["segment"], t("channel"): frame["channel"],
                         t("fit"): [fmt_pct(x, lang) for x in frame["fit"]], t("reason"): frame["why"]})


def affinity_chart(frame: pd.DataFrame, lang: str) -> dict[str, Any]:
    base = alt.Chart(frame).encode(x=alt.X("channel:N", title=None, axis=alt.Axis(labelAngle=0, labelLimit=200)),
                                   y=alt.Y("segment:N", title=None, sort=None, axis=alt.Axis(labelLimit=360)))
    rect = base.mark_rect().encode(
        color=alt.Color("fit:Q", scale=alt.Scale(scheme="blues", domain=[0, 1]),
                        legend=alt.Legend(format=".0%", title=t("fit"))),
        tooltip=[alt.Tooltip("segment:N", title=t("segment")), alt.Tooltip("channel:N", title=t("channel")),
                 alt.Tooltip("fit:Q", format=".0%", title=t("fit")), alt.Tooltip("why:N", title=t("reason"))])
    text = base.mark_text(fontSize=13).encode(
        text=alt.Text("fit:Q", format=".0%"),
        color=alt.condition("datum.fit > 0.6", alt.value("white"), alt.value("black")))
    return spec((rect + text).properties(height=60 * max(1, frame["segment"].nunique())), lang)


# ---------------------------------------------------------------- calendar
#
# The calendar's charts travel as a spec plus a compact table (categories dictionary-encoded,
# dates as dates), which Streamlit sends as Arrow: a few kB where inline JSON rows took 60–110 kB.


Chart = tuple[dict[str, Any], pd.DataFrame]


def timeline_chart(counts: pd.DataFrame, lang: str) -> Chart:
    """Gantt-style: one row per municipality, one mark per day and phase (the count in the tooltip).
    Rows keep their height whether the region has 3 municipalities or 30."""
    phases = [render(f"phase.{p}", lang) for p in PHASE_COLOURS]
    data = pd.DataFrame({
        "municipality": pd.Categorical(counts["municipality_name"]),
        "start": pd.to_datetime(counts["start"]),
        "phase": pd.Categorical([render(f"phase.{p}", lang) for p in counts["phase"]], categories=phases),
        "count": counts["count"].astype("int32"),
    })
    band = 26
    chart = alt.Chart().mark_tick(thickness=3, size=band - 8).encode(
        x=alt.X("start:T", title=None, axis=alt.Axis(format="%e %b", labelOverlap=True, grid=True)),
        y=alt.Y("municipality:N", title=None, sort="ascending", axis=alt.Axis(labelOverlap=False, labelLimit=200),
                scale=alt.Scale(paddingInner=0.2)),
        color=alt.Color("phase:N", title=None, legend=alt.Legend(orient="top", labelLimit=240),
                        scale=alt.Scale(domain=phases, range=list(PHASE_COLOURS.values()))),
        tooltip=[alt.Tooltip("start:T", format="%e %B %Y", title=t("date")),
                 alt.Tooltip("municipality:N", title=t("municipality")), alt.Tooltip("phase:N", title=t("phase")),
                 alt.Tooltip("count:Q", format=",d", title=t("activities"))],
    ).properties(height=alt.Step(band))
    return spec(chart, lang), data


def filtered_timeline(table: pd.DataFrame, municipalities: tuple[str, ...], e_services: tuple[str, ...],
                      channels: tuple[str, ...], lang: str) -> Chart:
    """The timeline of the activities the calendar's filters keep (a builder for `_cached.derived`)."""
    return timeline_chart(timeline_counts(select(table, municipalities, e_services, channels)), lang)


def workload_chart(frame: pd.DataFrame, lang: str) -> Chart:
    """Share of each municipality's weekly hours booked, every week (a heat map: 3 or 30 rows, all
    weeks); weeks over capacity are marked with their hours."""
    weeks = list(dict.fromkeys(frame["week"]))
    labels = {w: render("week_short", lang, week=w.isocalendar()[1]) for w in weeks}
    starts = {w: fmt_value(Day(w.date()), lang) for w in weeks}
    data = pd.DataFrame({
        "municipality": pd.Categorical(frame["municipality"], categories=list(dict.fromkeys(frame["municipality"]))),
        "week": pd.Categorical([labels[w] for w in frame["week"]], categories=list(dict.fromkeys(labels.values()))),
        "monday": pd.Categorical([starts[w] for w in frame["week"]]),
        "hours": frame["hours"].astype("float32"), "capacity": frame["capacity"].astype("float32"),
        "share": frame["share"].astype("float32"), "over": (frame["hours"] > frame["capacity"]).to_numpy(),
    })
    base = alt.Chart().encode(
        x=alt.X("week:O", title=None, sort=None, axis=alt.Axis(labelAngle=0, labelOverlap=True)),
        y=alt.Y("municipality:N", title=None, sort=None, axis=alt.Axis(labelLimit=200)))
    cells = base.mark_rect(stroke="white").encode(
        color=alt.Color("share:Q", title=t("workload_share"), scale=alt.Scale(domain=[0, 1], scheme="blues", clamp=True),
                        legend=alt.Legend(format=".0%", orient="top")),
        tooltip=[alt.Tooltip("municipality:N", title=t("municipality")), alt.Tooltip("monday:N", title=t("week_of")),
                 alt.Tooltip("hours:Q", format=",.1f", title=t("hours_booked")),
                 alt.Tooltip("capacity:Q", format=",.0f", title=t("hours_per_week")),
                 alt.Tooltip("share:Q", format=".0%", title=t("workload_share"))])
    over = base.transform_filter("datum.over").mark_text(color="#d62728", fontWeight="bold", fontSize=11).encode(
        text=alt.Text("hours:Q", format=",.0f"))
    return spec(alt.layer(cells, over).properties(height=alt.Step(22)), lang), data


# ---------------------------------------------------------------- choice of k


def k_frame(candidates: list[tuple[int, float, str]], chosen: int, current: int, labels: dict[str, str]
            ) -> pd.DataFrame:
    """One row per k tried: its quality (0–1), whether it is the automatic choice or the one shown,
    and the sentence on what it separates. `labels` words the marks in the session's language."""
    return pd.DataFrame([{
        "k": k, "quality": quality, "text": text,
        "mark": labels["chosen"] if k == chosen else "",
        "status": "chosen" if k == chosen else ("current" if k == current else "other"),
    } for k, quality, text in candidates])


def k_chart(frame: pd.DataFrame, x_title: str, y_title: str) -> dict:
    """Quality per k as bars, the automatic choice dark and labelled, the one shown outlined.

    A Vega-Lite spec written out rather than built with Altair: it is drawn on every rerun of the
    Segment page, and Altair's schema validation would cost more than the rest of the page. The
    session's number locale writes the percentages ("61 %" in Swedish).
    """
    colour = {"field": "status", "type": "nominal", "legend": None,
              "scale": {"domain": ["chosen", "current", "other"], "range": ["#005a9c", "#7fa7cc", "#c6d4e1"]}}
    return {
        "data": {"values": frame.to_dict(orient="records")},
        "height": 200,
        "encoding": {
            "x": {"field": "k", "type": "ordinal", "title": x_title, "axis": {"labelAngle": 0}},
            "y": {"field": "quality", "type": "quantitative", "title": y_title, "axis": {"format": "%"},
                  "scale": {"domain": [0, 1.12]}},
            "tooltip": [{"field": "k", "type": "ordinal", "title": x_title},
                        {"field": "quality", "type": "quantitative", "format": ".0%", "title": y_title},
                        {"field": "text", "type": "nominal", "title": " "}],
        },
        "layer": [
            {"mark": {"type": "bar", "size": 34}, "encoding": {
                "color": colour,
                "stroke": {"condition": {"test": "datum.status == 'current'", "value": "#003a66"}, "value": None},
                "strokeWidth": {"value": 2}}},
            {"mark": {"type": "text", "dy": -8, "fontWeight": "bold", "color": "#003a66"},
             "encoding": {"text": {"field": "mark", "type": "nominal"}}},
        ],
        "config": {"locale": vega_locale(_lang())},
    }


def usage_frame(rates: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Monthly uses per 1,000 inhabitants in long form: month, municipality, rate."""
    return rates.rename(columns=names).reset_index().melt(id_vars="month", var_name="municipality",
                                                          value_name="rate")


def usage_chart(frame: pd.DataFrame, waves: list[tuple[str, object]], lang: str) -> alt.Chart:
    """One thin line per municipality, their mean thick, and a dashed rule at each regional wave
    (months, days and numbers in the language's words through `spec`'s Vega locale)."""
    muni = render("evaluation.chart.municipality", lang)
    per_1000 = render("evaluation.chart.per_1000", lang)
    lines = alt.Chart(frame).mark_line(opacity=0.5).encode(
        x=alt.X("month:T", title=None, axis=alt.Axis(format="%b %Y")), y=alt.Y("rate:Q", title=per_1000),
        detail="municipality:N", tooltip=[alt.Tooltip("municipality:N", title=muni),
                                          alt.Tooltip("month:T", format="%B %Y",
                                                      title=render("evaluation.chart.month", lang)),
                                          alt.Tooltip("rate:Q", format=",.2f", title=per_1000)])
    mean = alt.Chart(frame).mark_line(color="#003b66", strokeWidth=3).encode(
        x="month:T", y=alt.Y("mean(rate):Q", title=per_1000))
    chart = lines + mean
    if waves:
        marks = pd.DataFrame([{"date": pd.Timestamp(d), "event": label} for label, d in waves])
        chart = chart + alt.Chart(marks).mark_rule(color="#d62728", strokeDash=[4, 3]).encode(
            x="date:T", tooltip=[alt.Tooltip("event:N", title=render("evaluation.chart.event", lang)),
                                 alt.Tooltip("date:T", format="%e %B %Y", title=t("date"))]) + alt.Chart(
            marks).mark_text(align="left", dx=3, angle=270, baseline="top", color="#d62728").encode(
            x="date:T", y=alt.value(40), text="event")
    return chart.properties(height=320)


def event_study_frame(event_study: tuple) -> pd.DataFrame:
    """months (from the start), effect, low, high: the chart's data and the table beside it."""
    return pd.DataFrame([{"months": e.months, "effect": round(e.estimate, 3), "low": round(e.low, 3),
                          "high": round(e.high, 3)} for e in event_study])


def event_study_chart(frame: pd.DataFrame, lang: str) -> alt.Chart:
    """Effect by months since the start: band, points and line, a zero line and the start dashed."""
    months, effect = render("evaluation.chart.months", lang), render("evaluation.chart.effect", lang)
    per_1000 = render("evaluation.chart.per_1000", lang)
    base = alt.Chart(frame).encode(x=alt.X("months:Q", title=months))
    band = base.mark_area(color="#9ecae1", opacity=0.6).encode(y=alt.Y("low:Q", title=per_1000), y2="high:Q")
    line = base.mark_line(color="#003b66", point=True).encode(
        y=alt.Y("effect:Q", title=per_1000),
        tooltip=[alt.Tooltip("months:Q", title=months), alt.Tooltip("effect:Q", format=",.2f", title=effect),
                 alt.Tooltip("low:Q", format=",.2f"), alt.Tooltip("high:Q", format=",.2f")])
    zero = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color="#555555").encode(y="y:Q")
    start = alt.Chart(pd.DataFrame({"x": [-0.5]})).mark_rule(color="#d62728", strokeDash=[4, 3]).encode(x="x:Q")
    return (band + line + zero + start).properties(height=260)
