"""Where a campaign's segments come from: a saved SegmentSet, or the region's sample citizens."""

from __future__ import annotations

from pathlib import Path

from common.errors import InputError, problem
from segments.clustering import fit_segments
from segments.io import load_citizens
from segments.segmentset import SegmentSet, load_segment_set

from .campaign_files import region_path_for
from .definitions import Campaign, Region

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
        raise InputError([problem("no_segments", where=str(campaign_path), hint="hint_give_segments")])
    citizens = region_path_for(campaign, campaign_path).parent / region.sample_citizens
    return fit_segments(load_citizens(citizens).table, "auto", seed=0).segment_set
