"""When each member's campaign began, read from the plan: what the evaluation compares around."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from common.catalogue import Msg

from ..schedule import CampaignPlan

__all__ = ["campaign_starts", "month_of", "start_months", "wave_windows"]


def campaign_starts(plan: CampaignPlan) -> dict[tuple[str, str], dt.date]:
    """(municipality code, e-service) → its first external activity (else its go-live)."""
    starts: dict[tuple[str, str], dt.date] = {}
    for a in plan.activities:
        if a.phase == "external_marketing" and a.kind != "flyer_order":
            key = (a.municipality, a.e_service)
            starts[key] = min(starts.get(key, a.start), a.start)
    for a in plan.activities:
        if a.kind == "go_live":
            starts.setdefault((a.municipality, a.e_service), a.start)
    return starts


def month_of(day: dt.date) -> pd.Timestamp:
    return pd.Timestamp(day.year, day.month, 1)


def start_months(plan: CampaignPlan, e_service: str) -> dict[str, pd.Timestamp]:
    """Municipality code → the month its campaign for the e-service began."""
    return {m: month_of(d) for (m, e), d in campaign_starts(plan).items() if e == e_service}


def wave_windows(plan: CampaignPlan, e_service: str) -> list[tuple[Msg, dt.date]]:
    """(label, date) of each regional wave of an e-service, in order."""
    seen: dict[int, dt.date] = {}
    for a in plan.activities:
        if a.e_service == e_service and a.phase == "external_marketing" and a.wave is not None and a.wave >= 0 \
                and a.coordination == "regional" and a.kind != "flyer_order":
            seen[a.wave] = min(seen.get(a.wave, a.start), a.start)
    return [(Msg("evaluation.wave", wave=w + 1), d) for w, d in sorted(seen.items())]
