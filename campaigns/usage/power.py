"""Power before the campaign: the smallest effect the evaluation could tell apart from noise
(minimum detectable effect at 80 % power and 5 % significance), for the plan's start dates and
for staggered alternatives — so a region can choose a rollout that can be evaluated.

The figure comes from running the same estimator the evaluation will use on simulated months
without any effect, with each member's level and month-to-month noise taken from its usage
before the campaign (or, without statistics, a typical level and counting noise for its size):
MDE = (1.96 + 0.84) × the estimate's standard error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from ..schedule import CampaignPlan
from .dates import start_months
from .estimators import own_trend_fit, staggered_fit
from .load import UsageData
from .panel import monthly_rates
from .uplift import Method, is_staggered

__all__ = ["DEFAULT_RATE", "MDE_FACTOR", "MIN_TO_STAGGER", "PowerResult", "Scenario", "minimum_detectable_effect",
           "scenario_starts"]

DEFAULT_RATE = 1.0  # uses per 1,000 inhabitants a month when there are no statistics (a typical e-service)
MDE_FACTOR = 1.959964 + 0.841621  # two-sided 5 % test, 80 % power
HISTORY_MONTHS = 12
MIN_TO_STAGGER = 4  # two waves need two members in each before one can be compared with the other
ScenarioKey = Literal["as_planned", "together", "two_waves_3", "two_waves_6"]


@dataclass(frozen=True)
class Scenario:
    key: ScenarioKey
    method: Method
    mde: float | None  # extra uses per 1,000 inhabitants a month the evaluation would detect 80 % of the time
    relative: float | None  # the MDE as a share of the level before the campaign
    delayed: int  # members whose start is later than in the plan
    months_later: int  # how much later the last of them starts


@dataclass(frozen=True)
class PowerResult:
    e_service: str
    members: int
    level: float  # mean uses per 1,000 inhabitants a month before the campaign
    source: Literal["history", "default"]
    months_after: int
    scenarios: tuple[Scenario, ...]


def scenario_starts(planned: dict[str, pd.Timestamp], populations: dict[str, float]
                    ) -> dict[ScenarioKey, dict[str, pd.Timestamp]]:
    """The plan's months, everyone together in the first, and (with MIN_TO_STAGGER members or
    more) two waves: half the members, mixed by size, 3 or 6 months later."""
    first = min(planned.values())
    order = sorted(planned, key=lambda c: -populations.get(c, 0.0))
    later = set(order[1::2])
    out: dict[ScenarioKey, dict[str, pd.Timestamp]] = {"as_planned": dict(planned)}
    if len(set(planned.values())) > 1:
        out["together"] = {c: first for c in planned}
    if len(planned) < MIN_TO_STAGGER:
        return out
    for gap, key in ((3, "two_waves_3"), (6, "two_waves_6")):
        out[key] = {c: first + pd.DateOffset(months=gap) if c in later else first for c in planned}  # type: ignore
    return out


def _noise(usage: UsageData | None, plan: CampaignPlan, e_service: str, planned: dict[str, pd.Timestamp]
           ) -> tuple[dict[str, float], dict[str, float], Literal["history", "default"]]:
    """Each member's level and month-to-month noise before its start (rates per 1,000)."""
    pops = {m.code: m.population / 1000 for m in plan.region.municipalities}
    if usage is not None and (usage.frame["e_service"] == e_service).any():
        rates = monthly_rates(usage, plan.region, e_service)
        before = {c: rates.loc[rates.index < planned[c], c] for c in planned if c in rates.columns}
        if before and min(len(v) for v in before.values()) >= 3:
            common = pd.DataFrame(before).sub(pd.DataFrame(before).mean())  # remove each member's level
            # The month's shared ups and downs are not noise: the comparison removes them (with 3+ members).
            month_effect = common.mean(axis=1) if len(before) >= 3 else 0.0
            levels = {c: float(v.mean()) for c, v in before.items()}
            noise = {c: float((common[c] - month_effect).std(ddof=1)) for c in before}
            return levels, noise, "history"
    levels = {c: DEFAULT_RATE for c in planned}
    return levels, {c: float(np.sqrt(DEFAULT_RATE / max(pops[c], 1e-3))) for c in planned}, "default"


def _simulated_se(starts: dict[str, pd.Timestamp], levels: dict[str, float], noise: dict[str, float],
                  months_after: int, reps: int, seed: int) -> tuple[Method, float | None]:
    first, last = min(starts.values()), max(starts.values())
    months = pd.date_range(first - pd.DateOffset(months=HISTORY_MONTHS), last + pd.DateOffset(months=months_after - 1),
                           freq="MS")
    method: Method = "staggered" if is_staggered(starts) else "own_trend"
    rng = np.random.default_rng(seed)
    ses = []
    for _ in range(reps):
        rows = []
        for code, start in starts.items():
            g = (start.year - months[0].year) * 12 + start.month - months[0].month
            y = levels[code] + rng.normal(0.0, noise[code] or 1e-6, len(months))
            rows += [(code, t, m, y[t], g, t - g, t >= g) for t, m in enumerate(months)]
        panel = pd.DataFrame(rows, columns=["unit", "t", "month", "y", "g", "rel", "treat"])
        fit = (staggered_fit(panel, event_study=False, n_permutations=199) if method == "staggered"
               else own_trend_fit(panel, n_boot=200))
        if fit is not None and np.isfinite(fit.se):  # too few members: no interval, so no detectable effect
            ses.append(fit.se)
    return method, float(np.mean(ses)) if ses else None


def minimum_detectable_effect(plan: CampaignPlan, e_service: str, usage: UsageData | None = None, *,
                              months_after: int = 12, reps: int = 2, seed: int = 0) -> PowerResult | None:
    """MDE for the plan's start dates and its alternatives; None when the e-service has no members."""
    planned = start_months(plan, e_service)
    if not planned:
        return None
    levels, noise, source = _noise(usage, plan, e_service, planned)
    pops = {m.code: float(m.population) for m in plan.region.municipalities}
    level = float(np.mean(list(levels.values())))
    scenarios = []
    for key, starts in scenario_starts(planned, pops).items():
        method, se = _simulated_se(starts, levels, noise, months_after, reps, seed)
        mde = None if se is None else MDE_FACTOR * se
        shift = [(s.year - planned[c].year) * 12 + s.month - planned[c].month for c, s in starts.items()]
        scenarios.append(Scenario(key, method, mde, None if mde is None or level <= 0 else mde / level,
                                  sum(1 for d in shift if d > 0), max([0, *shift])))
    return PowerResult(e_service, len(planned), level, source, months_after, tuple(scenarios))
