"""Where a campaign's segments come from: a saved SegmentSet, or the region's sample citizens."""

from __future__ import annotations

from pathlib import Path

from segments.errors import InputError, Problem
from segments.io import load_citizens
from segments.model import fit_segments
from segments.segmentset import SegmentSet, load_segment_set

from .model import Campaign, Region, region_path_for

__all__ = ["segments_for"]


def segments_for(campaign: Campaign, region: Region, campaign_path: Path,
                 override: str | Path | None = None) -> SegmentSet:
    """The `--segments` file if given, else the campaign's `segments:` file, else segments
    computed (k chosen automatically, seed 0) from the region's bundled sample citizens."""
    if override is not None:
        return load_segment_set(override)
    if campaign.segments:
        path = Path(campaign.segments)
        return load_segment_set(path if path.is_absolute() else campaign_path.parent / path)
    if not region.sample_citizens:
        raise InputError([Problem(
            "no_segments", f"{campaign_path}: kampanjen anger inga segment och regionen har inga exempeldata.",
            f"{campaign_path}: the campaign names no segments and the region has no sample citizens.",
            hint_sv="Ange segments: med en sparad segmentering, eller --segments.",
            hint_en="Give segments: with a saved segment set, or --segments.")])
    citizens = region_path_for(campaign, campaign_path).parent / region.sample_citizens
    return fit_segments(load_citizens(citizens).table, "auto", seed=0).segment_set
