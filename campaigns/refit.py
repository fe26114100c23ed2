"""Names and moved activities follow the segments across a refit.

When the officer changes k, the minimum size, a rule or the data, the segments are fitted again
and their numbers may change. A name given to "2. Seniorer" should stay with the group of
seniors, wherever it now sits, and a name whose group is gone should be reported, not dropped
silently or pinned on a different group. The same holds for activities moved by hand, whose ids
carry the segment number. Which new segment carries on which old one is `segments.matching`'s
call (profile similarity, one-to-one).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from segments.matching import match_segments
from segments.segmentset import SegmentSet

__all__ = ["Carried", "carry_over"]


@dataclass(frozen=True)
class Carried:
    """Names and moves re-keyed to the new segments, and what could not follow."""

    names: dict[int, str]
    moves: dict[str, dt.date]
    lost_names: tuple[str, ...]  # names whose segment no longer exists
    lost_moves: int  # moved activities whose segment no longer exists


def _rekey_activity(activity: str, mapping: Mapping[int, int | None]) -> str | None:
    """An activity id with its segment number (the last part) mapped; None when the segment is gone."""
    head, _, seg = activity.rpartition(":")
    if not seg.isdigit():
        return activity
    new = mapping.get(int(seg))
    return None if new is None else f"{head}:{new}"


def carry_over(old: SegmentSet, new: SegmentSet, names: Mapping[int, str], moves: Mapping[str, dt.date]
               ) -> Carried:
    """The officer's names and moves, re-keyed from the old segments to the matching new ones."""
    mapping = match_segments(old, new)
    kept_names: dict[int, str] = {}
    lost: list[str] = []
    for sid, name in names.items():
        target = mapping.get(sid)
        if target is None:
            lost.append(name)
        else:
            kept_names[target] = name
    kept_moves: dict[str, dt.date] = {}
    lost_moves = 0
    for aid, day in moves.items():
        target_id = _rekey_activity(aid, mapping)
        if target_id is None:
            lost_moves += 1
        else:
            kept_moves[target_id] = day
    return Carried(kept_names, kept_moves, tuple(lost), lost_moves)
