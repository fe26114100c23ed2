"""Altair charts for the pages. Each has a table alternative on its page; meaning is carried by
position, text and shape as well as colour."""

from __future__ import annotations

import altair as alt
import pandas as pd

from campaigns.schedule import CampaignPlan
from common.messages import render
from segments.segmentset import SegmentSet

HABITS = (("daily_internet", "Internet dagligen"), ("bankid", "Har BankID"), ("facebook", "Använder Facebook"),
          ("paper", "Föredrar papper"))
PHASE_COLOURS = {"Intern marknadsföring": "#6a3d9a", "Lansering": "#d62728", "Extern marknadsföring": "#1f77b4",
                 "Utvärdering": "#2ca02c"}


def sizes_frame(ss: SegmentSet) -> pd.DataFrame:
    return pd.DataFrame({"Segment": [f"{s.id}. {s.name}" for s in ss.segments],
                         "Personer": [round(s.profile.size) for s in ss.segments],
                         "Andel": [s.profile.share for s in ss.segments]})


def sizes_chart(ss: SegmentSet) -> alt.Chart:
    df = sizes_frame(ss)
    base = alt.Chart(df).encode(y=alt.Y("Segment:N", sort=None, title=None, axis=alt.Axis(labelLimit=360)),
                                x=alt.X("Personer:Q", title="Personer"),
                                tooltip=["Segment", alt.Tooltip("Personer:Q", format=",d"),
                                         alt.Tooltip("Andel:Q", format=".0%")])
    chart = base.mark_bar(color="#005a9c") + base.mark_text(align="left", dx=4).encode(
        text=alt.Text("Andel:Q", format=".0%"))
    return chart.properties(height=44 * len(df))


def habits_frame(ss: SegmentSet) -> pd.DataFrame:
    rows = []
    for s in ss.segments:
        for key, label in HABITS:
            value = getattr(s.profile.habits, key)
            everyone = getattr(ss.population, key)
            if value is not None:
                rows.append({"Segment": f"{s.id}. {s.name}", "Vana": label, "Grupp": "Segmentet", "Andel": value})
            if everyone is not None:
                rows.append({"Segment": f"{s.id}. {s.name}", "Vana": label, "Grupp": "Alla invånare",
                             "Andel": everyone})
    return pd.DataFrame(rows)


def habits_chart(ss: SegmentSet) -> alt.Chart:
    df = habits_frame(ss)
    return alt.Chart(df).mark_point(filled=True, size=90).encode(
        x=alt.X("Andel:Q", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1]), title=None),
        y=alt.Y("Vana:N", title=None),
        color=alt.Color("Grupp:N", scale=alt.Scale(range=["#005a9c", "#999999"]), title=None),
        shape=alt.Shape("Grupp:N", scale=alt.Scale(range=["circle", "diamond"]), title=None),
        tooltip=["Segment", "Vana", "Grupp", alt.Tooltip("Andel:Q", format=".0%")],
    ).properties(height=110, width=260).facet(facet=alt.Facet("Segment:N", title=None), columns=2)


def affinity_chart(frame: pd.DataFrame) -> alt.Chart:
    base = alt.Chart(frame).encode(x=alt.X("Kanal:N", title=None, axis=alt.Axis(labelAngle=0, labelLimit=200)),
                                   y=alt.Y("Segment:N", title=None, sort=None, axis=alt.Axis(labelLimit=360)))
    rect = base.mark_rect().encode(color=alt.Color("Passar:Q", scale=alt.Scale(scheme="blues", domain=[0, 1]),
                                                   legend=alt.Legend(format="%")),
                                   tooltip=["Segment", "Kanal", alt.Tooltip("Passar:Q", format=".0%"), "Varför"])
    text = base.mark_text(fontSize=13).encode(
        text=alt.Text("Passar:Q", format=".0%"),
        color=alt.condition("datum.Passar > 0.6", alt.value("white"), alt.value("black")))
    return (rect + text).properties(height=60 * frame["Segment"].nunique())


def activities_frame(plan: CampaignPlan) -> pd.DataFrame:
    return pd.DataFrame([{
        "id": a.id, "Datum": a.start, "Slut": a.end + pd.Timedelta(days=1), "Kommun": a.municipality_name,
        "E-tjänst": a.e_service_name, "Fas": render(f"phase.{a.phase}"), "Kanal": a.channel or "",
        "Segment": a.segment_name or "", "Aktivitet": render(a.title),
        "Samordning": "regional" if a.coordination == "regional" else "lokal", "Timmar": a.hours,
    } for a in plan.activities])


def timeline_chart(frame: pd.DataFrame) -> alt.Chart:
    """Gantt-style: one row per municipality, one mark per activity day, shaped and coloured by phase."""
    return alt.Chart(frame).mark_tick(thickness=3, size=14).encode(
        x=alt.X("Datum:T", title=None, axis=alt.Axis(format="%d/%m")),
        y=alt.Y("Kommun:N", title=None, axis=alt.Axis(labelOverlap=False, labelLimit=200)),
        color=alt.Color("Fas:N", scale=alt.Scale(domain=list(PHASE_COLOURS), range=list(PHASE_COLOURS.values())),
                        legend=alt.Legend(orient="top", title=None)),
        tooltip=[alt.Tooltip("Datum:T", format="%Y-%m-%d"), "Kommun", "Fas", "Aktivitet", "Segment", "Samordning"],
    ).properties(height=max(120, 28 * frame["Kommun"].nunique()))


def workload_chart(frame: pd.DataFrame) -> alt.Chart:
    """Hours booked per week (bars) against the hours the municipality has (red tick), one row each."""
    bars = alt.Chart(frame).mark_bar(color="#005a9c").encode(
        x=alt.X("Vecka:N", title=None, sort=None), y=alt.Y("Bokade timmar:Q", title="timmar"),
        tooltip=["Kommun", "Vecka", "Bokade timmar", "Timmar per vecka"])
    cap = alt.Chart(frame).mark_tick(color="#d62728", thickness=2, size=18).encode(
        x=alt.X("Vecka:N", sort=None), y=alt.Y("Timmar per vecka:Q", title="timmar"))
    return (bars + cap).properties(height=80, width=700).facet(
        row=alt.Row("Kommun:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left")))


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
    Segment page, and Altair's schema validation would cost more than the rest of the page.
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
    }


def usage_frame(rates: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Monthly uses per 1,000 inhabitants in long form: month, municipality, rate."""
    return rates.rename(columns=names).reset_index().melt(id_vars="month", var_name="municipality",
                                                          value_name="rate")


def usage_chart(frame: pd.DataFrame, waves: list[tuple[str, object]], lang: str) -> alt.Chart:
    """One thin line per municipality, their mean thick, and a dashed rule at each regional wave."""
    muni = render("evaluation.chart.municipality", lang)
    per_1000 = render("evaluation.chart.per_1000", lang)
    lines = alt.Chart(frame).mark_line(opacity=0.5).encode(
        x=alt.X("month:T", title=None, axis=alt.Axis(format="%Y-%m")), y=alt.Y("rate:Q", title=per_1000),
        detail="municipality:N", tooltip=[alt.Tooltip("municipality:N", title=muni),
                                          alt.Tooltip("month:T", format="%Y-%m"),
                                          alt.Tooltip("rate:Q", format=".2f", title=per_1000)])
    mean = alt.Chart(frame).mark_line(color="#003b66", strokeWidth=3).encode(
        x="month:T", y=alt.Y("mean(rate):Q", title=per_1000))
    chart = lines + mean
    if waves:
        marks = pd.DataFrame([{"date": pd.Timestamp(d), "event": label} for label, d in waves])
        chart = chart + alt.Chart(marks).mark_rule(color="#d62728", strokeDash=[4, 3]).encode(
            x="date:T", tooltip=[alt.Tooltip("event:N", title=render("evaluation.chart.event", lang)),
                                 alt.Tooltip("date:T", format="%Y-%m-%d")]) + alt.Chart(marks).mark_text(
            align="left", dx=3, angle=270, baseline="top", color="#d62728").encode(
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
        tooltip=[alt.Tooltip("months:Q", title=months), alt.Tooltip("effect:Q", format=".2f", title=effect),
                 alt.Tooltip("low:Q", format=".2f"), alt.Tooltip("high:Q", format=".2f")])
    zero = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color="#555555").encode(y="y:Q")
    start = alt.Chart(pd.DataFrame({"x": [-0.5]})).mark_rule(color="#d62728", strokeDash=[4, 3]).encode(x="x:Q")
    return (band + line + zero + start).properties(height=260)
