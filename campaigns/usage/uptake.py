"""Uses that came through tracked links, per channel and segment, and what each cost."""

from __future__ import annotations

import pandas as pd

from ..schedule import CampaignPlan
from .dates import start_months
from .load import UsageData

__all__ = ["channel_uptake"]


def channel_uptake(usage: UsageData, plan: CampaignPlan, e_service: str,
                   channel_costs: dict[str, float] | None = None) -> pd.DataFrame:
    """channel, segment (id; −1 when not split), uses since each member's start, cost_sek (the
    channel's cost shared by uses), cost_per_user."""
    starts = start_months(plan, e_service)
    f = usage.frame[(usage.frame["e_service"] == e_service) & (usage.frame["channel"] != "")]
    f = f[[m in starts and t >= starts[m] for t, m in zip(f["month"], f["municipality"])]]
    if f.empty:
        return pd.DataFrame(columns=["channel", "segment", "uses", "cost_sek", "cost_per_user"])
    table = pd.DataFrame(f.groupby(["channel", "segment"], as_index=False)["uses"].sum())
    per_channel = table.groupby("channel")["uses"].transform("sum")
    costs = channel_costs or {}
    table["cost_sek"] = [costs.get(c, 0.0) * u / p if p else 0.0
                         for c, u, p in zip(table["channel"], table["uses"], per_channel)]
    table["cost_per_user"] = [c / u if u else None for c, u in zip(table["cost_sek"], table["uses"])]
    return table.sort_values(["channel", "segment"]).reset_index(drop=True)
