"""Before the campaign: can the evaluation tell an objective's target apart from noise?

The power check (`usage.power`) gives the smallest effect the evaluation would detect at 80 %
power for the planned start dates and for two rounds 3 or 6 months apart. Here that is held
against each objective's target, over the months from the first start to the objective's date:
"a rise of 0.30 by September is detectable with these start dates; 0.10 is not: two rounds three
months apart would make it detectable".
"""

from __future__ import annotations

from dataclasses import dataclass

from common.catalogue import Day, Msg, Num

from .definitions import Objective
from .objectives import baseline, objective_label, required_change
from .schedule import CampaignPlan
from .usage import UsageData, start_months
from .usage.power import PowerResult, minimum_detectable_effect

__all__ = ["ALTERNATIVES", "MAX_MONTHS", "ObjectivePower", "months_to", "objective_power"]

ALTERNATIVES = ("two_waves_3", "two_waves_6")  # rollouts that buy a real comparison, least delay first
MAX_MONTHS = 36


@dataclass(frozen=True)
class ObjectivePower:
    e_service: str
    objective: Objective
    label: Msg
    required: float | None  # the change the target asks for (uses per 1,000 a month)
    months_after: int  # months from the first start to the objective's date
    planned_mde: float | None
    alternative: str | None  # the first rollout in ALTERNATIVES that would detect the target
    alternative_mde: float | None
    modelled: bool  # False for metrics the power simulation does not cover (shares)

    @property
    def detectable(self) -> bool:
        return self.required is not None and self.planned_mde is not None and abs(self.required) >= self.planned_mde

    @property
    def message(self) -> Msg:
        if not self.modelled:
            return Msg("objective.power.not_modelled", label=self.label)
        if self.required is None or self.planned_mde is None:
            return Msg("objective.power.unknown", label=self.label)
        values = {"change": Num(abs(self.required), 2), "by": Day(self.objective.by),
                  "mde": Num(self.planned_mde, 2), "months": self.months_after}
        if self.detectable:
            return Msg("objective.power.yes", **values)
        if self.alternative is not None and self.alternative_mde is not None:
            return Msg("objective.power.no_but", alternative=Msg(f"power.scenario.{self.alternative}"),
                       alternative_mde=Num(self.alternative_mde, 2), **values)
        return Msg("objective.power.no", **values)


def months_to(plan: CampaignPlan, e_service: str, objective: Objective) -> int:
    """Months from the first planned start to the objective's date, counting both (1–MAX_MONTHS)."""
    starts = start_months(plan, e_service)
    if not starts:
        return 1
    first = min(starts.values())
    months = (objective.by.year - first.year) * 12 + objective.by.month - first.month + 1
    return max(1, min(MAX_MONTHS, months))


def objective_power(plan: CampaignPlan, e_service: str, objective: Objective, usage: UsageData | None = None,
                    *, reps: int = 2, power: PowerResult | None = None) -> ObjectivePower:
    """The objective's target against the minimum detectable effect over the months to its date.
    `power` may pass a result already simulated for exactly those months."""
    label = objective_label(objective, plan)
    months = months_to(plan, e_service, objective)
    if objective.metric != "uses_per_1000":
        return ObjectivePower(e_service, objective, label, None, months, None, None, None, False)
    if power is None or power.months_after != months:
        power = minimum_detectable_effect(plan, e_service, usage, months_after=months, reps=reps)
    if power is None:
        return ObjectivePower(e_service, objective, label, None, months, None, None, None, True)
    base = baseline(usage, plan, e_service, objective).value if usage is not None else None
    required = required_change(objective, base if base is not None else power.level)
    mdes: dict[str, float | None] = {s.key: s.mde for s in power.scenarios}
    planned = mdes.get("as_planned")
    alternative = next((k for k in ALTERNATIVES if required is not None and mdes.get(k) is not None
                        and abs(required) >= (mdes[k] or 0.0)), None)
    return ObjectivePower(e_service, objective, label, required, months, planned, alternative,
                          mdes.get(alternative) if alternative else None, True)
