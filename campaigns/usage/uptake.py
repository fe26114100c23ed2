"""Uses that came through tracked links, per channel and segment, and what each cost."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..schedule import CampaignPlan
from .dates import start_months
from .load import UsageData

__all__ = ["channel_uptake", "variant_uptake"]


def _since_start(f: pd.DataFrame, starts: dict[str, pd.Timestamp]) -> np.ndarray:
    """Rows in or after their member's start month (a boolean mask, also for no rows)."""
    return np.array([m in starts and t >= starts[m] for t, m in zip(f["month"], f["municipality"])], dtype=bool)


def channel_uptake(usage: UsageData, plan: CampaignPlan, e_service: str,
                   channel_costs: dict[str, float] | None = None) -> pd.DataFrame:
    """channel, segment (id; −1 when not split), uses since each member's start, cost_sek (the
    channel's cost shared by uses), cost_per_user."""
    starts = start_months(plan, e_service)
    f = usage.frame[(usage.frame["e_service"] == e_service) & (usage.frame["channel"] != "")]
    f = f[_since_start(f, starts)]
    if f.empty:
        return pd.DataFrame(columns=["channel", "segment", "uses", "cost_sek", "cost_per_user"])
    table = pd.DataFrame(f.groupby(["channel", "segment"], as_index=False)["uses"].sum())
    per_channel = table.groupby("channel")["uses"].transform("sum")
    costs = channel_costs or {}
    table["cost_sek"] = [costs.get(c, 0.0) * u / p if p else 0.0
                         for c, u, p in zip(table["channel"], table["uses"], per_channel)]
    table["cost_per_user"] = [c / u if u else None for c, u in zip(table["cost_sek"], table["uses"])]
    return table.sort_values(["channel", "segment"]).reset_index(drop=True)


def variant_uptake(usage: UsageData, plan: CampaignPlan, e_service: str) -> pd.DataFrame:
    """Headline variants (utm_content …-a / …-b) compared per channel: uses through each since the
    start, its share of the channel's tagged uses and a 95 % interval for that share. Each variant
    is shown as often as the other, so a share whose interval excludes 50 % says one headline won."""
    from scipy.stats import binomtest

    starts = start_months(plan, e_service)
    f = usage.frame
    if "variant" not in f:
        return pd.DataFrame(columns=["channel", "variant", "uses", "share", "low", "high"])
    f = f[(f["e_service"] == e_service) & (f["channel"] != "") & (f["variant"] != "")]
    f = f[_since_start(f, starts)]
    rows = []
    for channel, part in f.groupby("channel"):
        per = part.groupby("variant")["uses"].sum()
        if len(per) < 2:
            continue
        total = int(round(per.sum()))
        for variant, uses in per.items():
            k = int(round(uses))
            ci = binomtest(k, total).proportion_ci(0.95, method="wilson") if total else None
            rows.append({"channel": channel, "variant": variant, "uses": k, "share": k / total if total else None,
                         "low": ci.low if ci else None, "high": ci.high if ci else None})
    return pd.DataFrame(rows, columns=["channel", "variant", "uses", "share", "low", "high"])
