"""The evaluation of a campaign: usage before and after, uplift per e-service and channel,
uptake and cost per new user, surveys, feedback — and a report as HTML and PDF.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from babel.dates import format_date

from common.messages import render
from segments.segmentset import SegmentSet

from .definitions import Channel
from .feedback import CATEGORIES, FeedbackItem, category_name
from .messages import Draft, environment, render_draft
from .mix import ChannelMix
from .schedule import CampaignPlan
from .usage import Uplift, UsageData, campaign_starts, channel_uptake, estimate_uplift, monthly_rates, wave_windows

__all__ = ["Evaluation", "EServiceEvaluation", "evaluate", "period_table", "report_html", "report_pdf",
           "survey_drafts", "SURVEY_CHANNELS"]

SURVEY_CHANNELS = {
    "citizen": Channel(key="survey_citizen", name="Medborgarenkät", kind="digital", template="survey/citizen.md.j2"),
    "staff": Channel(key="survey_staff", name="Personalenkät", kind="digital", internal=True,
                     template="survey/staff.md.j2"),
}


@dataclass(frozen=True)
class EServiceEvaluation:
    e_service: str
    name: str
    total: Uplift
    channels: tuple[Uplift, ...]
    periods: pd.DataFrame  # per municipality: uses per 1,000 a month before, after go-live, after each wave
    uptake: pd.DataFrame  # tagged uses per channel and segment, cost per new user


@dataclass(frozen=True)
class Evaluation:
    campaign: str
    region: str
    services: tuple[EServiceEvaluation, ...]


def period_table(usage: UsageData, plan: CampaignPlan, e_service: str) -> pd.DataFrame:
    """Mean monthly uses per 1,000 inhabitants before go-live, from go-live, and from each wave."""
    rates = monthly_rates(usage, plan.region, e_service)
    if rates.empty:
        return pd.DataFrame()
    go_live = {a.municipality: a.start for a in plan.activities if a.kind == "go_live" and a.e_service == e_service}
    waves = wave_windows(plan, e_service)
    names = {m.code: m.name for m in plan.region.municipalities}
    rows = []
    for code in rates.columns:
        if code not in go_live:
            continue
        # Periods start at go-live and at each wave; events in the same month share one period.
        events = sorted([(go_live[code], "efter lansering"),
                         *((d, label.lower()) for label, d in waves if d >= go_live[code])])
        periods: list[tuple[str, pd.Timestamp]] = [("Före lansering", rates.index.min())]
        for day, label in events:
            start = pd.Timestamp(day.year, day.month, 1)
            if start == periods[-1][1]:
                periods[-1] = (f"{periods[-1][0]}, {label}", start)
            elif start > periods[-1][1]:
                periods.append((label[0].upper() + label[1:], start))
        row: dict[str, object] = {"Kommun": names[code]}
        for k, (label, start) in enumerate(periods):
            end = periods[k + 1][1] if k + 1 < len(periods) else rates.index.max() + pd.DateOffset(days=1)
            window = rates.loc[(rates.index >= start) & (rates.index < end), code]
            row[label] = round(float(window.mean()), 2) if len(window) else None
        rows.append(row)
    return pd.DataFrame(rows)


def _channel_costs(mix: ChannelMix | None, plan: CampaignPlan) -> dict[str, float]:
    """Each channel's cost shared evenly over the e-services that use it."""
    if mix is None:
        return {}
    costs: dict[str, float] = {}
    for o in mix.options:
        if (o.segment, o.channel) in mix.chosen:
            costs[o.channel] = costs.get(o.channel, 0.0) + o.cost
    uses = {c: sum(1 for e in plan.campaign.e_services if c in e.channels) for c in costs}
    return {c: v / max(1, uses[c]) for c, v in costs.items()}


def evaluate(plan: CampaignPlan, usage: UsageData, mix: ChannelMix | None = None) -> Evaluation:
    """Every e-service: total uplift, uplift per tagged channel, usage per period, uptake."""
    costs = _channel_costs(mix, plan)
    tagged = sorted(c for c in usage.frame["channel"].unique() if c)
    services = []
    for e in plan.campaign.e_services:
        if not (usage.frame["e_service"] == e.key).any():
            continue
        total = estimate_uplift(usage, plan, e.key)
        channels = tuple(estimate_uplift(usage, plan, e.key, c) for c in tagged
                         if ((usage.frame["e_service"] == e.key) & (usage.frame["channel"] == c)).any())
        services.append(EServiceEvaluation(e.key, e.name, total, channels, period_table(usage, plan, e.key),
                                           channel_uptake(usage, plan, e.key, costs)))
    return Evaluation(plan.campaign.name, plan.region.name, tuple(services))


def survey_drafts(plan: CampaignPlan, segment_set: SegmentSet, municipality: str, e_service: str) -> list[Draft]:
    """A citizen survey per segment (questions chosen from the segment's wording) and a staff survey."""
    muni = plan.region.municipality(municipality)
    e = plan.campaign.e_service(e_service)
    go_live = next((a.start for a in plan.activities if a.kind == "go_live" and a.e_service == e_service
                    and a.municipality == muni.code), e.go_live or dt.date.today())
    drafts = [render_draft(plan.region, plan.campaign, e, muni, SURVEY_CHANNELS["citizen"], s, segment_set, go_live)
              for s in segment_set.segments]
    drafts.append(render_draft(plan.region, plan.campaign, e, muni, SURVEY_CHANNELS["staff"], None, segment_set,
                               go_live))
    return drafts


def report_html(evaluation: Evaluation, plan: CampaignPlan, feedback: list[FeedbackItem] | None = None) -> str:
    """The evaluation report as a standalone HTML page (also the source of the PDF)."""
    starts = campaign_starts(plan)
    first = min(starts.values()) if starts else None
    return environment().get_template("report/evaluation.html.j2").render(
        evaluation=evaluation, today=format_date(dt.date.today(), "d MMMM yyyy", locale="sv_SE"),
        first_start=format_date(first, "d MMMM yyyy", locale="sv_SE") if first else "",
        feedback=feedback or [], categories={c: render(category_name(c), lang="sv") for c in CATEGORIES},
        fmt=lambda v: "–" if v is None or pd.isna(v) else f"{v:.2f}".replace(".", ","))


def report_pdf(html: str) -> bytes:
    from weasyprint import HTML  # system libraries (Pango) load here, not at import time

    return HTML(string=html).write_pdf()
