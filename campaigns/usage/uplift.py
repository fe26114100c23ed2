"""The campaign's uplift on one e-service (optionally one channel tag and segment): the right
comparison for the rollout, the estimate with its 95 % band, the effect month by month, and a
conclusion that says what it was compared with and how far that can be trusted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from common.catalogue import Msg, Num, Raw

from ..schedule import CampaignPlan
from .dates import start_months
from .estimators import EventTime, Fit, staggered_fit
from .inference import ALPHA, MIN_ASSIGNMENTS
from .load import UsageData
from .panel import MIN_PRE_MONTHS, long_panel, monthly_rates
from .placebo import calibrated_own_trend_fit

__all__ = ["MIN_MEMBERS", "Method", "Uplift", "estimate_uplift", "is_staggered", "subject"]

PLACEBO_DOUBT = 3.0  # placebo misses this many times the model's own error: say its trends explain poorly
MIN_MEMBERS = 5  # fewer members: the effect cannot be told from noise, figures are descriptive only

Method = Literal["staggered", "own_trend", "none"]


@dataclass(frozen=True)
class Uplift:
    """Extra monthly uses per 1,000 inhabitants after the campaign started, and how that is known."""

    e_service: str
    channel: str | None  # None: all uses
    segment: int | None  # None: every segment
    what: Msg  # the e-service (via the channel, for the segment) in words
    estimate: float | None
    low: float | None
    high: float | None
    method: Method
    municipalities: int
    comparisons: int = 0  # members that started later than the first (the staggered comparison)
    months_after: int = 0
    event_study: tuple[EventTime, ...] = ()
    reason: str = ""  # why there is no estimate: "no_data" or "too_few_months"
    p_value: float | None = None  # of "no effect" (permutations of the start dates, or calibrated own trend)
    pretrend_p: float | None = None  # joint test of the months before the starts
    assignments: int = 0  # distinct start assignments the permutation inference ran over
    placebos: int = 0  # fake start dates the own-trend model was checked on
    placebo_factor: float = 1.0  # how many times its stated error the own-trend model missed by there
    widening: float = 1.0  # how many times the own-trend interval was widened after the placebos

    @property
    def descriptive(self) -> bool:
        """Too few members (or start assignments) for any effect to be told from noise."""
        return self.municipalities < MIN_MEMBERS or (self.method == "staggered" and self.assignments < MIN_ASSIGNMENTS)

    @property
    def detectable(self) -> bool:
        return (not self.descriptive and self.low is not None and self.high is not None
                and (self.low > 0 or self.high < 0))

    @property
    def parallel_doubt(self) -> bool:
        """The months before the starts argue against the comparison (pre-trend test below ALPHA)."""
        return self.pretrend_p is not None and self.pretrend_p < ALPHA

    @property
    def comparison(self) -> Msg:
        return Msg(f"evaluation.comparison.{self.method}")

    @property
    def conclusion(self) -> Msg:
        """The plain-language conclusion: result, comparison, its limits, and how the effect grew."""
        if self.estimate is None or self.low is None or self.high is None:
            return Msg(f"evaluation.{self.reason or 'no_data'}", what=self.what)
        band = {"low": Num(self.low, 2), "high": Num(self.high, 2)}
        if self.descriptive:
            result = Msg("evaluation.descriptive", what=self.what, n=self.municipalities, min=MIN_MEMBERS,
                         effect=Num(self.estimate, 2))
        elif not self.detectable:
            result = Msg("evaluation.not_detectable", what=self.what, **band)
        else:
            code = "evaluation.rose" if self.estimate > 0 else "evaluation.fell"
            result = Msg(code, what=self.what, effect=Num(abs(self.estimate), 2), **band)
        limits = (Msg("evaluation.limits.permutation", n=self.comparisons, draws=self.assignments)
                  if self.method == "staggered" else
                  Msg("evaluation.limits.placebo", n=self.placebos, factor=Num(self.widening, 1))
                  if self.placebos else Msg("evaluation.limits.own_trend"))
        pretrend: Msg | str = ""
        if self.parallel_doubt and self.pretrend_p is not None:
            pretrend = Msg("evaluation.pretrend_doubt", p=Num(self.pretrend_p, 3))
        elif self.method == "own_trend" and self.placebo_factor > PLACEBO_DOUBT:
            pretrend = Msg("evaluation.placebo_doubt", factor=Num(self.placebo_factor, 1))
        return Msg("evaluation.conclusion_checked", result=result, limits=limits, pretrend=pretrend,
                   growth=self._growth())

    def _growth(self) -> Msg | str:
        after = [e for e in self.event_study if e.months >= 0]
        if not self.detectable or len(after) < 4:
            return ""
        first = sum(e.estimate for e in after[:2]) / 2
        last = sum(e.estimate for e in after[-2:]) / 2
        return Msg("evaluation.growth", first=Num(first, 2), last=Num(last, 2), n=after[-1].months + 1)


def subject(plan: CampaignPlan, e_service: str, channel: str | None, segment: int | None) -> Msg:
    """"Boka vigsel", "Boka vigsel via Facebook", "Boka vigsel via Facebook, Digitala seniorer"."""
    name = plan.campaign.e_service(e_service).name
    if channel is None:
        return Msg("evaluation.what", e_service=name)
    channels = {c.key: c.name for c in plan.region.channels}
    via = Raw(channels.get(channel, channel))
    if segment is None:
        return Msg("evaluation.what_channel", e_service=name, channel=via)
    names = {s.id: s.name for s in plan.segments}
    return Msg("evaluation.what_segment", e_service=name, channel=via, segment=Raw(names.get(segment, str(segment))))


def is_staggered(starts: dict[str, pd.Timestamp]) -> bool:
    """Enough members start in other months than the biggest group for month effects to be learnt
    from them: at least two, and at least a fifth of all."""
    if not starts:
        return False
    modal = pd.Series(list(starts.values())).value_counts().iloc[0]
    return len(starts) - int(modal) >= max(2, 0.2 * len(starts))


def estimate_uplift(usage: UsageData, plan: CampaignPlan, e_service: str, channel: str | None = None,
                    segment: int | None = None, *, n_boot: int = 300, seed: int = 0) -> Uplift:
    """Staggered two-stage DiD where members start at different times, else each member's own trend."""
    what = subject(plan, e_service, channel, segment)
    rates = monthly_rates(usage, plan.region, e_service, channel, segment)
    starts = {c: m for c, m in start_months(plan, e_service).items() if c in rates.columns}
    if not starts or rates.empty:
        return Uplift(e_service, channel, segment, what, None, None, None, "none", 0, reason="no_data")
    panel = long_panel(rates, starts)
    pre = panel[~panel["treat"]].groupby("unit").size().reindex(list(starts), fill_value=0)
    staggered = is_staggered(starts)
    fit: Fit | None = None
    placebos, factor, widening = 0, 1.0, 1.0
    if panel["treat"].any() and not panel["treat"].all() and int(pre.min()) >= MIN_PRE_MONTHS:
        if staggered:
            fit = staggered_fit(panel, seed=seed)
        else:
            calibrated = calibrated_own_trend_fit(panel, n_boot=n_boot, seed=seed)
            if calibrated is not None:
                fit, check = calibrated
                placebos, factor, widening = check.placebos, check.factor, check.widening
    if fit is None:
        return Uplift(e_service, channel, segment, what, None, None, None, "none", len(starts),
                      reason="too_few_months")
    first = min(starts.values())
    later = sum(1 for m in starts.values() if m > first)
    # an interval no assignment of the start dates can bound (too few members) is left blank
    low, high = (v if math.isfinite(v) else math.nan for v in (fit.low, fit.high))
    return Uplift(e_service, channel, segment, what, fit.estimate, low, high,
                  "staggered" if staggered else "own_trend", len(starts), later if staggered else 0,
                  fit.months_after, fit.event_study, p_value=fit.p_value, pretrend_p=fit.pretrend_p,
                  assignments=fit.assignments, placebos=placebos, placebo_factor=factor, widening=widening)
