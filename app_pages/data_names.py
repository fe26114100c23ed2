"""Names from the region's and the campaign's files as the reader's language shows them.

Plans, mixes and drafts carry the Swedish name a file gives (`name`); a file may add an English
form (`name_en` on channels and e-services, `note_en` on an audience), and a generated segment
name has both (its `title`). Tables map the carried name to the shown one here, so English
tables do not leak Swedish where an English form exists (a name without one stays as written).
"""

from __future__ import annotations

from collections.abc import Iterable

from campaigns.definitions import Campaign, Region
from common.catalogue import fmt_value
from segments.segmentset import Segment

__all__ = ["channel_names", "shown_names"]


def channel_names(region: Region, lang: str) -> dict[str, str]:
    """Channel key -> its name in `lang`."""
    return {c.key: fmt_value(c.title, lang) for c in region.channels}


def shown_names(campaign: Campaign, region: Region | None, segments: Iterable[Segment],
                lang: str) -> tuple[tuple[str, str], ...]:
    """Carried name -> shown name, for every channel, e-service and segment whose shown form differs
    (a tuple of pairs: hashable, so it can key a cached table)."""
    pairs: Iterable[tuple[str, str]] = [
        *((c.name, fmt_value(c.title, lang)) for c in (region.channels if region else ())),
        *((e.name, fmt_value(e.title, lang)) for e in campaign.e_services),
        *((s.name, fmt_value(s.title, lang)) for s in segments),
    ]
    return tuple(sorted({(a, b) for a, b in pairs if a != b}))
