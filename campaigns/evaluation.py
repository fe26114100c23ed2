"""The evaluation of a campaign: uplift per e-service, channel and segment, usage per period,
uptake and cost per new user, survey answers, and the estimates table the CLI and the app share.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from common.catalogue import ListOf, Msg, fmt_value, render

from .mix import ChannelMix
from .schedule import CampaignPlan
from .survey_answers import SurveyAnswers, heard_from_table, responses_table
from .surveys import SURVEY_CHANNELS, survey_drafts  # re-exported: callers import them from here
from .usage import Uplift, UsageData, channel_uptake, estimate_uplift, monthly_rates, variant_uptake, wave_windows

__all__ = ["ESTIMATE_COLUMNS", "SURVEY_CHANNELS", "EServiceEvaluation", "Evaluation", "SurveyResults",
           "estimates_table", "evaluate", "period_label", "period_table", "survey_drafts"]

ESTIMATE_COLUMNS = ("e_service", "channel", "segment", "estimate", "low", "high", "unit", "comparison",
                    "n_municipalities", "conclusion")


@dataclass(frozen=True)
class SurveyResults:
    answers: int
    responses: pd.DataFrame  # municipality, segment, answers (None under five)
    heard_from: pd.DataFrame  # channel, answers, share, tracked_share
    questions: tuple[str, ...]


@dataclass(frozen=True)
class EServiceEvaluation:
    e_service: str
    name: str
    total: Uplift
    channels: tuple[Uplift, ...]
    segments: tuple[Uplift, ...]  # per channel × segment, where the tracked uses are split by segment
    periods: pd.DataFrame  # municipality + one column per period key (see period_label)
    uptake: pd.DataFrame  # tagged uses per channel and segment, cost per new user
    survey: SurveyResults | None = None
    variants: pd.DataFrame | None = None  # headline variants per channel (utm_content …-a / …-b), when tagged


@dataclass(frozen=True)
class Evaluation:
    campaign: str
    region: str
    services: tuple[EServiceEvaluation, ...]


def period_label(key: str) -> Msg:
    """A period column's name: "before", or the events that open it ("go_live", "wave:2", joined by '+')."""
    parts = tuple(Msg("evaluation.period.go_live") if p == "go_live" else
                  Msg("evaluation.period.wave", wave=int(p.split(":")[1])) for p in key.split("+") if p != "before")
    return Msg("evaluation.period.before") if not parts else Msg("evaluation.period.from", events=ListOf(parts))


def period_table(usage: UsageData, plan: CampaignPlan, e_service: str) -> pd.DataFrame:
    """Mean monthly uses per 1,000 inhabitants before go-live, from go-live, and from each wave."""
    rates = monthly_rates(usage, plan.region, e_service)
    if rates.empty:
        return pd.DataFrame()
    go_live = {a.municipality: a.start for a in plan.activities if a.kind == "go_live" and a.e_service == e_service}
    waves = [(int(label.values["wave"]), d) for label, d in wave_windows(plan, e_service)]
    rows = []
    for code in rates.columns:
        if code not in go_live:
            continue
        # Periods start at go-live and at each wave; events in the same month share one period.
        events = sorted([(go_live[code], "go_live"), *((d, f"wave:{w}") for w, d in waves if d >= go_live[code])])
        periods: list[tuple[str, pd.Timestamp]] = [("before", rates.index.min())]
        for day, key in events:
            start = pd.Timestamp(day.year, day.month, 1)
            if start == periods[-1][1]:
                periods[-1] = (f"{periods[-1][0]}+{key}".removeprefix("before+"), start)
            elif start > periods[-1][1]:
                periods.append((key, start))
        row: dict[str, object] = {"municipality": code}
        for k, (key, start) in enumerate(periods):
            end = periods[k + 1][1] if k + 1 < len(periods) else rates.index.max() + pd.DateOffset(days=1)
            window = rates.loc[(rates.index >= start) & (rates.index < end), code]
            row[key] = round(float(window.mean()), 2) if len(window) else None
        rows.append(row)
    return pd.DataFrame(rows)


def _channel_costs(mix: ChannelMix | None, plan: CampaignPlan) -> dict[str, float]:
    """Each channel's cost shared evenly over the e-services that use it."""
    if mix is None:
        return {}
    costs: dict[str, float] = {}
    for o in mix.options:
        if mix.is_chosen(o):
            costs[o.channel] = costs.get(o.channel, 0.0) + o.cost
    uses = {c: sum(1 for e in plan.campaign.e_services if c in e.channels) for c in costs}
    return {c: v / max(1, uses[c]) for c, v in costs.items()}


def _survey(answers: SurveyAnswers | None, plan: CampaignPlan, e_service: str,
            uptake: pd.DataFrame) -> SurveyResults | None:
    if answers is None:
        return None
    mine = answers.frame[answers.frame["e_service"].isin(["", e_service])]
    if mine.empty:
        return None
    part = SurveyAnswers(mine, answers.questions, answers.ignored)
    return SurveyResults(len(mine), responses_table(part, plan), heard_from_table(part, uptake), answers.questions)


def evaluate(plan: CampaignPlan, usage: UsageData, mix: ChannelMix | None = None,
             answers: SurveyAnswers | None = None, *, by_segment: bool = True) -> Evaluation:
    """Every e-service: total uplift, uplift per tracked channel (and segment), periods, uptake, surveys."""
    costs = _channel_costs(mix, plan)
    frame = usage.frame
    services = []
    for e in plan.campaign.e_services:
        mine = frame[frame["e_service"] == e.key]
        if mine.empty:
            continue
        tagged = sorted(c for c in mine["channel"].unique() if c)
        channels = tuple(estimate_uplift(usage, plan, e.key, c) for c in tagged)
        pairs = sorted({(c, int(s)) for c, s in zip(mine["channel"], mine["segment"]) if c and s >= 0})
        segments = tuple(estimate_uplift(usage, plan, e.key, c, s) for c, s in pairs) if by_segment else ()
        uptake = channel_uptake(usage, plan, e.key, costs)
        services.append(EServiceEvaluation(e.key, e.name, estimate_uplift(usage, plan, e.key), channels, segments,
                                           period_table(usage, plan, e.key), uptake,
                                           _survey(answers, plan, e.key, uptake), variant_uptake(usage, plan, e.key)))
    return Evaluation(plan.campaign.name, plan.region.name, tuple(services))


def estimates_table(evaluation: Evaluation, lang: str = "sv") -> pd.DataFrame:
    """One row per estimate (the e-service in total, per channel, per channel × segment), worded."""
    rows = []
    unit = render("evaluation.unit", lang)
    for s in evaluation.services:
        for up in (s.total, *s.channels, *s.segments):
            rows.append({
                "e_service": s.name,
                "channel": render("evaluation.all_channels", lang) if up.channel is None else
                fmt_value(up.what.values["channel"], lang),
                "segment": render("evaluation.all_segments", lang) if up.segment is None else
                fmt_value(up.what.values["segment"], lang),
                "estimate": None if up.estimate is None else round(up.estimate, 3),
                "low": None if up.low is None else round(up.low, 3),
                "high": None if up.high is None else round(up.high, 3),
                "unit": unit, "comparison": render(up.comparison, lang), "n_municipalities": up.municipalities,
                "conclusion": render(up.conclusion, lang)})
    return pd.DataFrame(rows, columns=list(ESTIMATE_COLUMNS))
