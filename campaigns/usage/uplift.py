"""The campaign's uplift on one e-service (optionally one channel tag and segment): the right
comparison for the rollout, the estimate with its 95 % band, the effect month by month, and a
conclusion that says what it was compared with and how far that can be trusted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

from common.messages import Msg, Num, Raw

from ..schedule import CampaignPlan
from .dates import start_months
from .estimators import EventTime, Fit, own_trend_fit, staggered_fit
from .load import UsageData
from .panel import MIN_PRE_MONTHS, long_panel, monthly_rates

__all__ = ["Method", "Uplift", "estimate_uplift", "is_staggered", "subject"]

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

    @property
    def detectable(self) -> bool:
        return self.low is not None and self.high is not None and (self.low > 0 or self.high < 0)

    @property
    def comparison(self) -> Msg:
        return Msg(f"evaluation.comparison.{self.method}")

    @property
    def conclusion(self) -> Msg:
        """The plain-language conclusion: result, comparison, its limits, and how the effect grew."""
        if self.estimate is None or self.low is None or self.high is None:
            return Msg(f"evaluation.{self.reason or 'no_data'}", what=self.what)
        band = {"low": Num(self.low, 2), "high": Num(self.high, 2)}
        if not self.detectable:
            result = Msg("evaluation.not_detectable", what=self.what, **band)
        else:
            code = "evaluation.rose" if self.estimate > 0 else "evaluation.fell"
            result = Msg(code, what=self.what, effect=Num(abs(self.estimate), 2), **band)
        limits = (Msg("evaluation.limits.staggered", n=self.comparisons) if self.method == "staggered"
                  else Msg("evaluation.limits.own_trend"))
        return Msg("evaluation.conclusion", result=result, limits=limits, growth=self._growth())

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
    if panel["treat"].any() and not panel["treat"].all() and int(pre.min()) >= MIN_PRE_MONTHS:
        fit = staggered_fit(panel) if staggered else own_trend_fit(panel, n_boot=n_boot, seed=seed)
    if fit is None:
        return Uplift(e_service, channel, segment, what, None, None, None, "none", len(starts),
                      reason="too_few_months")
    first = min(starts.values())
    later = sum(1 for m in starts.values() if m > first)
    return Uplift(e_service, channel, segment, what, fit.estimate, fit.low, fit.high,
                  "staggered" if staggered else "own_trend", len(starts), later if staggered else 0,
                  fit.months_after, fit.event_study)
