"""Synthetic usage statistics with known, planted effects: the sample data, the tests and the
benchmark check that the estimators find what was planted (and nothing where nothing was)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..schedule import CampaignPlan
from .dates import campaign_starts, month_of

__all__ = ["SAMPLE_BASELINE", "SAMPLE_EFFECTS", "generate_usage", "planted_effect", "planted_panel", "ramp"]

# Planted in the bundled sample statistics (data/usage/): extra uses per 1,000 inhabitants and month
# from each municipality's campaign start, per e-service and channel. An empty dict plants nothing.
SAMPLE_EFFECTS: dict[str, dict[str, float]] = {
    "vigsel": {"web": 0.4, "facebook": 0.3, "flyer": 0.2, "training": 0.05},
    "felanmalan": {},
    "bygglov": {"web": 0.5, "facebook": 0.2, "flyer": 0.3, "training": 0.05},
    "skolval": {"web": 0.8, "facebook": 0.6, "flyer": 0.3, "training": 0.1},
    "synpunkter": {},
}
SAMPLE_BASELINE = {"vigsel": 0.3, "felanmalan": 4.0, "bygglov": 1.0, "skolval": 0.5, "synpunkter": 2.0}


def ramp(months_since_start: int, ramp_months: int) -> float:
    """Share of the full effect reached: 1 at once when ramp_months ≤ 1, else growing linearly."""
    return 1.0 if ramp_months <= 1 else min(1.0, (months_since_start + 1) / ramp_months)


def _targeted(plan: CampaignPlan) -> dict[tuple[str, str], list[tuple[str, int]]]:
    """(member, e-service) → the (channel, segment) pairs its external marketing targets."""
    found: dict[tuple[str, str], set[tuple[str, int]]] = {}
    for a in plan.activities:
        if a.phase == "external_marketing" and a.channel and a.segment is not None:
            found.setdefault((a.municipality, a.e_service), set()).add((a.channel, a.segment))
    return {k: sorted(v) for k, v in found.items()}


def generate_usage(plan: CampaignPlan, effects: dict[str, dict[str, float]], *, baseline: dict[str, float],
                   months_before: int = 12, months_after: int = 12, seed: int = 11,
                   ramp_months: int = 1) -> pd.DataFrame:
    """Monthly uses with a planted effect per e-service and channel (per 1,000 inhabitants and
    month from each member's start, reached over `ramp_months`), split by channel and segment as
    tracked links split them. Untagged uses follow a baseline with a mild trend and season."""
    rng = np.random.default_rng(seed)
    starts = campaign_starts(plan)
    first, last = month_of(min(starts.values())), month_of(max(starts.values()))
    months = pd.date_range(first - pd.DateOffset(months=months_before), last + pd.DateOffset(months=months_after),
                           freq="MS")
    targeted = _targeted(plan)
    rows = []
    for e in plan.campaign.e_services:
        for m in plan.region.municipalities:
            start = starts.get((m.code, e.key))
            if start is None:
                continue
            start_month = month_of(start)
            per_1000 = m.population / 1000
            pairs = targeted.get((m.code, e.key), [])
            for i, month in enumerate(months):
                season = 0.1 * np.sin(2 * np.pi * month.month / 12)
                rate = baseline.get(e.key, 1.0) * (1 + season + 0.005 * i)
                rows.append((month, m.name, e.name, "", -1, int(rng.poisson(rate * per_1000))))
                if month < start_month:
                    continue
                since = (month.year - start_month.year) * 12 + month.month - start_month.month
                for channel, segment in pairs:
                    share = 1 / max(1, sum(1 for c, _ in pairs if c == channel))
                    effect = effects.get(e.key, {}).get(channel, 0.0) * share * ramp(since, ramp_months)
                    rows.append((month, m.name, e.name, channel, segment, int(rng.poisson(effect * per_1000))))
    return pd.DataFrame(rows, columns=["månad", "kommun", "e-tjänst", "kanal", "segment", "antal"]).assign(
        månad=lambda d: d["månad"].dt.strftime("%Y-%m"))


def planted_effect(plan: CampaignPlan, effects: dict[str, dict[str, float]], e_service: str,
                   channel: str | None = None, *, ramp_months: int = 1,
                   months: list[pd.Timestamp] | None = None) -> float:
    """The effect `generate_usage` plants, averaged as the estimate averages it: over members when
    the effect is constant; over the started member-months in `months` that still had a member
    not started (the staggered estimate's cells) when it ramps up."""
    targeted = _targeted(plan)
    wanted = effects.get(e_service, {})
    full = {m: sum(wanted.get(c, 0.0) for c in {c for c, _ in pairs} if channel is None or c == channel)
            for (m, e), pairs in targeted.items() if e == e_service}
    if not full:
        return 0.0
    if months is None:
        return float(np.mean(list(full.values())))
    starts = {m: month_of(d) for (m, e), d in campaign_starts(plan).items() if e == e_service and m in full}
    cells = [full[m] * ramp((t.year - s.year) * 12 + t.month - s.month, ramp_months)
             for t in months if any(s > t for s in starts.values()) for m, s in starts.items() if t >= s]
    return float(np.mean(cells)) if cells else 0.0


def planted_panel(*, cohorts: tuple[int, ...] = (12, 16, 20, 24), members_per_cohort: int = 5, months: int = 30,
                  first_effect: float = 0.1, growth: float = 0.05, cap: float | None = None,
                  cohort_decline: float = 0.0, noise: float = 0.15, seed: int = 0) -> pd.DataFrame:
    """A member × month panel (the estimators' input) with staggered starts and an effect that
    grows every month after the start (up to `cap`; each later cohort's effect `cohort_decline`
    smaller, as when the first wave gets the most attention); `effect` holds the planted truth."""
    rng = np.random.default_rng(seed)
    rows = []
    first = pd.Timestamp(2025, 1, 1)
    for k, (c, g) in enumerate((c, g) for c, g in enumerate(cohorts) for _ in range(members_per_cohort)):
        level = rng.normal(2.0, 0.5)
        for t in range(months):
            effect = (first_effect + growth * (t - g)) * (1 - cohort_decline) ** c if t >= g else 0.0
            effect = min(effect, cap) if cap is not None else effect
            y = level + 0.02 * t + 0.2 * np.sin(2 * np.pi * t / 12) + effect + rng.normal(0, noise)
            rows.append((f"m{k:02d}", t, first + pd.DateOffset(months=t), y, g, t - g, t >= g, effect))
    return pd.DataFrame(rows, columns=["unit", "t", "month", "y", "g", "rel", "treat", "effect"])
