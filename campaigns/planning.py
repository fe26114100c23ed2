"""A campaign file in, a plan out: the steps every entry point (CLI, app, tests) takes."""

from __future__ import annotations

from pathlib import Path

from segments.segmentset import SegmentSet

from .campaign_files import load_campaign
from .mix import optimise_mix
from .schedule import CampaignPlan, plan_campaign
from .sources import segments_for

__all__ = ["default_plan"]


def default_plan(path: str | Path, segments: str | Path | None = None) -> tuple[CampaignPlan, SegmentSet]:
    """The plan a campaign file describes: its segments (or `segments`), the budgeted mix when it
    has a budget, the schedule."""
    campaign, region = load_campaign(path)
    segment_set = segments_for(campaign, region, Path(path), segments)
    mix = optimise_mix(campaign, region, segment_set) if campaign.budget_sek > 0 else None
    return plan_campaign(campaign, region, segment_set, mix), segment_set
