"""Usage as rates: uses per 1,000 inhabitants per month and member, and the long panel the
estimators read (one row per member × month, with the month its campaign began)."""

from __future__ import annotations

import pandas as pd

from ..definitions import Region
from .load import UsageData

__all__ = ["MIN_PRE_MONTHS", "long_panel", "monthly_rates"]

MIN_PRE_MONTHS = 3  # months before a start needed to say anything about the level before it


def monthly_rates(usage: UsageData, region: Region, e_service: str, channel: str | None = None,
                  segment: int | None = None) -> pd.DataFrame:
    """Uses per 1,000 inhabitants: rows are months, columns municipality codes. `channel` ''
    means untagged uses only; None all uses; `segment` None all segments."""
    every = usage.frame[usage.frame["e_service"] == e_service]
    f = every if channel is None else every[every["channel"] == channel]
    if segment is not None:
        f = f[f["segment"] == segment]
    table = f.groupby(["month", "municipality"])["uses"].sum().unstack(fill_value=0)
    # A month with no tagged uses is a zero, not a gap: keep every month and member the statistics cover.
    table = table.reindex(index=sorted(every["month"].unique()), columns=sorted(every["municipality"].unique()),
                          fill_value=0.0)
    pops = {m.code: m.population / 1000 for m in region.municipalities}
    return table.apply(lambda col: col / pops[col.name]).astype(float)


def _months_between(a: pd.Timestamp, b: pd.Timestamp) -> int:
    return (b.year - a.year) * 12 + b.month - a.month


def long_panel(rates: pd.DataFrame, starts: dict[str, pd.Timestamp]) -> pd.DataFrame:
    """unit (code), t (month index), month, y (rate), g (start month index), rel (t − g), treat.

    Members without a start date are left out: they are not part of this e-service's campaign.
    """
    first = rates.index.min()
    rows = []
    for code in rates.columns:
        if code not in starts:
            continue
        g = _months_between(first, starts[code])
        for month in rates.index:
            i = _months_between(first, month)
            rows.append((code, i, month, float(rates[code].loc[month]), g, i - g, i >= g))
    return pd.DataFrame(rows, columns=["unit", "t", "month", "y", "g", "rel", "treat"])
