"""Objectives set before the campaign and scored after it, the way public-sector communicators
plan (OASIS) and evaluate (the GCS framework: outputs → outtakes → outcomes).

Each e-service may carry SMART objectives (`definitions.Objective`): a metric, a target, a date
and optionally a segment. Before the campaign the baseline comes from the statistics before
each member's start, and the power check says whether the target is big enough to be told apart
from noise with the planned start dates. After it, every objective is scored: what was done
(outputs), what the surveyed citizens took from it (outtakes) and what changed (outcomes), with
a verdict that is never "met" on a point estimate alone — only when the whole interval reaches
the target. Pure functions; results are records and `Msg`s, worded at the edges.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from common.catalogue import Day, Msg, Num, Pct, Raw, render

from .definitions import EService, Objective
from .evaluation import ESTIMATE_COLUMNS, EServiceEvaluation, Evaluation
from .mix import ChannelMix
from .schedule import CampaignPlan
from .survey_answers import MIN_CELL, SurveyAnswers
from .usage import UsageData, estimate_uplift, long_panel, monthly_rates, staggered_fit, start_months
from .usage.inference import MIN_ASSIGNMENTS
from .usage.load import NON_DIGITAL
from .usage.panel import MIN_PRE_MONTHS
from .usage.placebo import calibrated_own_trend_fit
from .usage.uplift import MIN_MEMBERS, is_staggered

__all__ = ["OBJECTIVE_COLUMNS", "Baseline", "ObjectiveScore", "Outcome", "Outputs", "Outtakes", "Share", "Verdict",
           "baseline", "digital_shares", "objective_label", "objectives_table", "required_change", "score_objectives",
           "verdict", "wilson"]

Verdict = Literal["met", "not_met", "cannot_tell"]
OBJECTIVE_COLUMNS = (*ESTIMATE_COLUMNS, "objective", "target", "verdict")
YES = ("ja", "yes", "j", "y", "1", "true", "sant")
Z95 = 1.959964


@dataclass(frozen=True)
class Baseline:
    """The metric before the campaign: each member's months before its start."""

    value: float | None
    first: pd.Timestamp | None  # the period it covers, first and last month
    last: pd.Timestamp | None
    members: int

    @property
    def period(self) -> Msg | str:
        if self.first is None or self.last is None:
            return ""
        return Msg("objective.period", first=Day(self.first.date()),
                   last=Day((self.last + pd.offsets.MonthEnd(0)).date()))


def digital_shares(usage: UsageData, plan: CampaignPlan, e_service: str) -> pd.DataFrame:
    """Digital uses as a share of all applications (digital + paper + phone + visits): rows are
    months, columns member codes; empty when the statistics carry no non-digital counts."""
    f = usage.frame[usage.frame["e_service"] == e_service]
    offline = [c for c in NON_DIGITAL if c in f]
    if f.empty or not offline:
        return pd.DataFrame()
    digital = f.groupby(["month", "municipality"])["uses"].sum().unstack(fill_value=0)
    other = f.groupby(["month", "municipality"])[offline].sum().sum(axis=1).unstack(fill_value=0)
    total = digital + other
    return (digital / total.where(total > 0)).astype(float)


def _before(table: pd.DataFrame, starts: dict[str, pd.Timestamp]) -> dict[str, pd.Series]:
    return {c: table.loc[table.index < starts[c], c].dropna() for c in starts if c in table.columns}


def baseline(usage: UsageData | None, plan: CampaignPlan, e_service: str, objective: Objective) -> Baseline:
    """Uses per 1,000 a month: the mean over members of each member's monthly mean before its
    start. Digital share: all digital over all applications in those months. Heard of: none
    (there is no survey before the campaign)."""
    if usage is None or objective.metric == "heard_of":
        return Baseline(None, None, None, 0)
    starts = start_months(plan, e_service)
    if objective.metric == "uses_per_1000":
        rates = monthly_rates(usage, plan.region, e_service, None, objective.segment)
        before = {c: v for c, v in _before(rates, starts).items() if len(v)}
        value = float(np.mean([v.mean() for v in before.values()])) if before else None
    else:
        f = usage.frame[usage.frame["e_service"] == e_service]
        offline = [c for c in NON_DIGITAL if c in f]
        pre = f[[m in starts and t < starts[m] for t, m in zip(f["month"], f["municipality"])]]
        if not offline or pre.empty:
            return Baseline(None, None, None, 0)
        total = float(pre["uses"].sum() + pre[offline].to_numpy().sum())
        value = float(pre["uses"].sum()) / total if total > 0 else None
        return Baseline(value, pre["month"].min(), pre["month"].max(), pre["municipality"].nunique())
    months = [t for v in before.values() for t in v.index]
    return Baseline(value, min(months) if months else None, max(months) if months else None, len(before))


def required_change(objective: Objective, base: float | None) -> float | None:
    """The target as a change from the baseline in the metric's unit (for heard_of: the level)."""
    if objective.metric == "heard_of" or objective.kind == "change":
        return objective.target
    if base is None or (objective.kind == "relative" and base <= 0):
        return None
    return objective.target * base if objective.kind == "relative" else objective.target - base


def verdict(low: float | None, high: float | None, required: float | None) -> tuple[Verdict, str]:
    """Met only when the whole interval reaches the target, not met when it all falls short;
    otherwise cannot tell — "noise" when it covers zero too, "size" when there is an effect but
    perhaps not as big as wanted. A target below zero (fewer uses, say) reads the other way."""
    if low is None or high is None or required is None or not (np.isfinite(low) and np.isfinite(high)):
        return "cannot_tell", "no_data"
    sign = 1.0 if required >= 0 else -1.0
    lo, hi = sorted((sign * low, sign * high))
    if lo >= sign * required:
        return "met", ""
    if hi < sign * required:
        return "not_met", ""
    return "cannot_tell", "noise" if low <= 0 <= high else "size"


@dataclass(frozen=True)
class Share:
    """A share of survey answers with its 95 % (Wilson) interval; only made from MIN_CELL or more."""

    share: float
    low: float
    high: float
    answers: int


def wilson(yes: int, n: int) -> Share | None:
    """Wilson's score interval (Wilson 1927): sound near 0 and 1 and for small n, unlike p ± 1.96·se."""
    if n < MIN_CELL:
        return None
    p = yes / n
    centre = (p + Z95 ** 2 / (2 * n)) / (1 + Z95 ** 2 / n)
    half = Z95 * np.sqrt(p * (1 - p) / n + Z95 ** 2 / (4 * n * n)) / (1 + Z95 ** 2 / n)
    return Share(p, max(0.0, float(centre - half)), min(1.0, float(centre + half)), n)


@dataclass(frozen=True)
class Outputs:
    """What was done: external activities dated up to the date (or the statistics' end), of all
    planned, and persons reached per segment and channel by the chosen mix."""

    done: int
    planned: int
    reach: tuple[tuple[str, str, float], ...]  # (segment name, channel name, persons reached)
    mix_known: bool


@dataclass(frozen=True)
class Outtakes:
    """What surveyed citizens took from it: heard of the service, understood what it does."""

    answers: int
    heard_of: Share | None
    understood: Share | None


@dataclass(frozen=True)
class Outcome:
    """The change in the metric (heard_of: its level) with the evaluation's interval, and the verdict."""

    estimate: float | None
    low: float | None
    high: float | None
    required: float | None
    verdict: Verdict
    reason: str  # "", "noise", "size", "level", "no_data", "no_baseline"
    comparison: Msg
    members: int


@dataclass(frozen=True)
class ObjectiveScore:
    e_service: str
    name: str
    objective: Objective
    label: Msg
    baseline: Baseline
    outputs: Outputs
    outtakes: Outtakes
    outcome: Outcome
    early: bool  # the statistics end before the objective's date

    @property
    def verdict_msg(self) -> Msg:
        return Msg(f"objective.verdict.{self.outcome.verdict}")

    @property
    def conclusion(self) -> Msg:
        o = self.outcome
        values: dict[str, object] = {"label": self.label}
        if o.low is not None and o.high is not None and o.required is not None:
            pct = self.objective.metric != "uses_per_1000"
            form = (lambda v: Pct(v)) if pct else (lambda v: Num(v, 2))
            values |= {"low": form(o.low), "high": form(o.high), "required": form(o.required),
                       "estimate": form(o.estimate or 0.0)}
        code = f"objective.conclusion.{o.verdict}" + (f".{o.reason}" if o.reason else "")
        return Msg(code, late=Msg("objective.early") if self.early else "", **values)


def objective_label(objective: Objective, plan: CampaignPlan) -> Msg:
    """"Uses per 1,000 a month: +0.30 by 30 September 2027 (segment: Digitala seniorer)"."""
    share = objective.metric != "uses_per_1000" and objective.kind == "level"
    target = Pct(objective.target) if share or objective.kind == "relative" else Num(objective.target, 2)
    names = {s.id: s.name for s in plan.segments}
    seg = "" if objective.segment is None else Msg("objective.for_segment", segment=Raw(
        names.get(objective.segment, str(objective.segment))))
    return Msg(f"objective.target.{objective.kind}", metric=Msg(f"objective.metric.{objective.metric}"),
               target=target, by=Day(objective.by), segment=seg)


def _outputs(plan: CampaignPlan, e: EService, objective: Objective, until: pd.Timestamp | None,
             mix: ChannelMix | None) -> Outputs:
    mine = [a for a in plan.activities if a.e_service == e.key and a.phase == "external_marketing"
            and a.kind != "flyer_order" and (objective.segment is None or a.segment in (None, objective.segment))]
    end = min(objective.by, (until + pd.offsets.MonthEnd(0)).date()) if until is not None else objective.by
    reach: list[tuple[str, str, float]] = []
    if mix is not None:
        reach = [(o.segment_name, o.channel_name, float(o.reach)) for o in mix.options
                 if o.e_service == e.key and mix.is_chosen(o) and objective.segment in (None, o.segment)]
    return Outputs(sum(1 for a in mine if a.start <= end), len(mine), tuple(sorted(reach)), mix is not None)


def _yes_share(frame: pd.DataFrame, column: str) -> Share | None:
    if column not in frame:
        return None
    answered = [v.split()[0].strip(".,!") for v in frame[column].astype(str).str.strip().str.lower() if v]
    return wilson(sum(1 for v in answered if v in YES), len(answered))


def _outtakes(answers: SurveyAnswers | None, e_service: str, segment: int | None) -> Outtakes:
    if answers is None:
        return Outtakes(0, None, None)
    f = answers.frame[answers.frame["e_service"].isin(["", e_service])]
    if segment is not None:
        f = f[f["segment"] == segment]
    return Outtakes(len(f), _yes_share(f, "heard_of"), _yes_share(f, "understood"))


def _share_fit(usage: UsageData, plan: CampaignPlan, e_service: str
               ) -> tuple[float, float, float, str, int, bool] | None:
    """The change in the digital share, by the same estimators (and choice between them) as the
    uplift — the own trend calibrated on in-time placebos — and whether, like the uplift's, it can
    only be descriptive (too few members or start assignments to tell an effect from noise)."""
    shares = digital_shares(usage, plan, e_service)
    starts = {c: m for c, m in start_months(plan, e_service).items() if c in shares.columns}
    if shares.empty or not starts:
        return None
    panel = long_panel(shares.fillna(shares.mean()).fillna(0.0), starts)
    pre = panel[~panel["treat"]].groupby("unit").size().reindex(list(starts), fill_value=0)
    if not panel["treat"].any() or panel["treat"].all() or int(pre.min()) < MIN_PRE_MONTHS:
        return None
    staggered = is_staggered(starts)
    if staggered:
        fit = staggered_fit(panel, event_study=False)
    else:
        calibrated = calibrated_own_trend_fit(panel)
        fit = calibrated[0] if calibrated is not None else None
    if fit is None:
        return None
    descriptive = len(starts) < MIN_MEMBERS or (staggered and fit.assignments < MIN_ASSIGNMENTS)
    return fit.estimate, fit.low, fit.high, "staggered" if staggered else "own_trend", len(starts), descriptive


def _outcome(objective: Objective, base: Baseline, service: EServiceEvaluation | None, usage: UsageData,
             plan: CampaignPlan, e_service: str, outtakes: Outtakes) -> Outcome:
    required = required_change(objective, base.value)
    if objective.metric == "heard_of":
        s = outtakes.heard_of
        low, high, est = (s.low, s.high, s.share) if s else (None, None, None)
        v, why = verdict(low, high, required)
        why = "level" if why in ("noise", "size") else why  # a level, not a change: zero is no reference
        return Outcome(est, low, high, required, v, why, Msg("objective.comparison.survey"), 0)
    if objective.metric == "digital_share":
        fit = _share_fit(usage, plan, e_service)
        est, low, high, method, members, descriptive = fit if fit else (None, None, None, "none", 0, False)
        doubt = False
    else:
        up = service.total if service is not None and objective.segment is None else \
            estimate_uplift(usage, plan, e_service, None, objective.segment)
        est, low, high, method, members = up.estimate, up.low, up.high, up.method, up.municipalities
        descriptive, doubt = up.descriptive, up.parallel_doubt
    v, why = verdict(low, high, required)
    if required is None and low is not None:
        why = "no_baseline"
    elif v != "cannot_tell" and (descriptive or doubt):  # never "met" or "not met" on figures the evaluation
        v, why = "cannot_tell", "descriptive" if descriptive else "pretrend"  # itself calls descriptive or doubtful
    return Outcome(est, low, high, required, v, why, Msg(f"evaluation.comparison.{method}"), members)


def score_objectives(evaluation: Evaluation, plan: CampaignPlan, usage: UsageData, mix: ChannelMix | None = None,
                     answers: SurveyAnswers | None = None) -> tuple[ObjectiveScore, ...]:
    """Every objective of every e-service, scored in the framework's order."""
    until = usage.frame["month"].max() if not usage.frame.empty else None
    services = {s.e_service: s for s in evaluation.services}
    scores = []
    for e in plan.campaign.e_services:
        for objective in e.objectives:
            base = baseline(usage, plan, e.key, objective)
            outtakes = _outtakes(answers, e.key, objective.segment)
            outcome = _outcome(objective, base, services.get(e.key), usage, plan, e.key, outtakes)
            early = until is None or (until + pd.offsets.MonthEnd(0)).date() < objective.by
            scores.append(ObjectiveScore(e.key, e.name, objective, objective_label(objective, plan), base,
                                         _outputs(plan, e, objective, until, mix), outtakes, outcome, early))
    return tuple(scores)


def objectives_table(scores: Sequence[ObjectiveScore], plan: CampaignPlan, lang: str = "sv") -> pd.DataFrame:
    """One row per objective in the estimates table's columns plus objective, target and verdict
    (estimates.csv appends these rows; the columns are empty on the other rows)."""
    names = {s.id: s.name for s in plan.segments}
    rows = []
    for s in scores:
        o, seg = s.outcome, s.objective.segment
        rows.append({
            "e_service": s.name, "channel": render("evaluation.all_channels", lang),
            "segment": render("evaluation.all_segments", lang) if seg is None else names.get(seg, str(seg)),
            "estimate": None if o.estimate is None else round(o.estimate, 3),
            "low": None if o.low is None else round(o.low, 3), "high": None if o.high is None else round(o.high, 3),
            "unit": render(f"objective.unit.{s.objective.metric}", lang), "comparison": render(o.comparison, lang),
            "n_municipalities": o.members, "conclusion": render(s.conclusion, lang),
            "objective": render(s.label, lang), "target": None if o.required is None else round(o.required, 3),
            "verdict": render(s.verdict_msg, lang)})
    return pd.DataFrame(rows, columns=list(OBJECTIVE_COLUMNS))
